// npm run bench:reuse [-- --repositories 50000 --dependencies 500000 --runs 3]
//
// The reuse graph (src/reuse/graph.ts) at catalogue size, on synthetic input
// built from a seed: 500 public bodies over 2,000 owners (a fifth without a
// body), 10 % forks (60 % of their parents in the catalogue), 30 % of the other
// repositories publishing a package (200 published twice: ambiguous), about
// ten dependencies per repository, a third on catalogue packages, the rest on
// 30,000 external packages drawn with a Zipf-like skew, and publiccode.yml
// declarations on 5 %.
// Measures: graph build time (best and median of the runs), heap retained by
// the graph, peak RSS, the score of every repository, and the parse rate of
// each manifest kind. Results: a table on stdout and artifacts/bench-reuse.json.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../test/fake-forge/random.ts";
import { buildReuseGraph, reuseOf, type ReuseGraph, type ReuseRepositoryInput } from "../src/reuse/graph.ts";
import { parseManifest } from "../src/reuse/manifests/index.ts";
import { computeReuseScore } from "../src/reuse/score.ts";
import { ecosystems, type Dependency, type Ecosystem, type PackageRef } from "../src/reuse/types.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}
const repositoryCount = option("repositories", 50_000);
const dependencyTarget = option("dependencies", 500_000);
const runs = option("runs", 3);

const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

function packageName(ecosystem: Ecosystem, base: string): string {
  switch (ecosystem) {
    case "packagist":
      return `vendor/${base}`;
    case "maven":
      return `fr.gouv.${base}:${base}`;
    case "go":
      return `github.com/org/${base}`;
    default:
      return base;
  }
}

function syntheticCatalogue(): ReuseRepositoryInput[] {
  const random = mulberry32(20261130);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const owners = Array.from({ length: 2_000 }, (_, i) => ({ login: `owner${i}`, body: random() < 0.8 ? `body-${i % 500}` : null }));
  const repos: ReuseRepositoryInput[] = [];
  const published: PackageRef[] = [];
  for (let i = 0; i < repositoryCount; i++) {
    const owner = pick(owners);
    const fullName = `${owner.login}/repo-${i}`;
    const fork = random() < 0.1 && i > 100;
    const repo: ReuseRepositoryInput = {
      id: `github.com/${fullName}`,
      host: "github.com",
      forgeId: String(i + 1),
      fullName,
      ownerId: `github.com/${owner.login}`,
      publicBodyId: owner.body,
      fork,
      forkParent: null,
      publishes: [],
      dependencies: [],
      declared: null,
    };
    if (fork) {
      repo.forkParent = random() < 0.6 ? { host: "github.com", forgeId: String(1 + Math.floor(random() * i)), fullName: null } : { host: "github.com", forgeId: null, fullName: `upstream${Math.floor(random() ** 2 * 3_000)}/project` };
    } else if (random() < 0.3) {
      const ecosystem = pick(ecosystems);
      const ref = { ecosystem, name: packageName(ecosystem, `pkg-${i}`) };
      repo.publishes = [ref];
      published.push(ref);
    }
    if (random() < 0.05) {
      repo.declared = {
        usedBy: ["Ville de Lyon", `Commune ${i % 700}`, `Département ${i % 90}`],
        isBasedOn: [i > 0 ? `https://github.com/${repos[Math.floor(random() * i)]!.fullName}` : "https://example.org/x/y"],
        dependsOn: ["PostgreSQL"],
      };
    }
    repos.push(repo);
  }
  // 200 packages published twice by repositories that are not forks: ambiguous.
  for (let k = 0, index = 0; k < 200 && k < published.length; k++) {
    index = (index + 211) % repos.length;
    while (repos[index]!.fork || repos[index]!.publishes.length > 0) index = (index + 1) % repos.length;
    repos[index]!.publishes = [published[k]!];
  }
  const external = Array.from({ length: 30_000 }, (_, i) => {
    const ecosystem = ecosystems[i % ecosystems.length]!;
    return { ecosystem, name: packageName(ecosystem, `ext-${i}`) };
  });
  const perRepository = dependencyTarget / repositoryCount;
  let total = 0;
  for (const repo of repos) {
    const count = Math.max(0, Math.round(perRepository * 2 * random()));
    const dependencies: Dependency[] = [];
    for (let d = 0; d < count && total < dependencyTarget; d++, total++) {
      const ref = random() < 0.33 && published.length > 0 ? pick(published) : external[Math.floor(random() ** 3 * external.length)]!;
      dependencies.push({ ...ref, scope: random() < 0.7 ? "runtime" : "dev", requirement: "^1.0.0" });
    }
    repo.dependencies = dependencies;
  }
  return repos;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function manifestRates(): { kind: string; perSecond: number }[] {
  const names = Array.from({ length: 30 }, (_, i) => `dep-${i}`);
  const samples: [string, string][] = [
    ["package.json", JSON.stringify({ name: "@org/app", dependencies: Object.fromEntries(names.map((n) => [n, "^1.2.3"])) })],
    ["composer.json", JSON.stringify({ name: "org/app", require: Object.fromEntries(names.map((n) => [`vendor/${n}`, "^1.2"])) })],
    ["requirements.txt", names.map((n) => `${n}>=1.2,<2 ; python_version >= "3.8"`).join("\n")],
    ["pyproject.toml", `[project]\nname = "app"\ndependencies = [${names.map((n) => `"${n}>=1"`).join(", ")}]\n`],
    ["pom.xml", `<project><groupId>fr.gouv</groupId><artifactId>app</artifactId><dependencies>${names.map((n) => `<dependency><groupId>org.${n}</groupId><artifactId>${n}</artifactId><version>1.0</version></dependency>`).join("")}</dependencies></project>`],
    ["go.mod", `module github.com/org/app\n\ngo 1.22\n\nrequire (\n${names.map((n) => `\tgithub.com/org/${n} v1.2.3`).join("\n")}\n)\n`],
    ["Gemfile", `source "https://rubygems.org"\n${names.map((n) => `gem "${n}", "~> 1.2"`).join("\n")}\n`],
    ["Cargo.toml", `[package]\nname = "app"\n[dependencies]\n${names.map((n) => `${n} = "1.2"`).join("\n")}\n`],
  ];
  return samples.map(([kind, text]) => {
    const iterations = 2_000;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) parseManifest(kind, text);
    return { kind, perSecond: Math.round(iterations / ((performance.now() - start) / 1000)) };
  });
}

function main(): void {
  let start = performance.now();
  const repos = syntheticCatalogue();
  const generationMs = performance.now() - start;
  const dependencyCount = repos.reduce((sum, repo) => sum + repo.dependencies.length, 0);
  const before = heap();
  let graph: ReuseGraph | null = null;
  const times: number[] = [];
  // CPU time beside wall time: on a shared, loaded machine the wall time includes waiting for a core.
  const cpuTimes: number[] = [];
  let retained = 0;
  for (let run = 0; run < runs; run++) {
    graph = null;
    const base = heap();
    start = performance.now();
    const cpu = process.cpuUsage();
    graph = buildReuseGraph(repos);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    retained = heap() - base;
  }
  const built = graph!;
  start = performance.now();
  const nowMs = Date.now();
  let scoreSum = 0;
  for (const repo of repos) {
    const reuse = reuseOf(built, repo.id);
    scoreSum += computeReuseScore({ reusers: reuse.reusers.length, declaredUsers: reuse.declaredUsers.length, stars: 3, activityAt: "2026-01-01T00:00:00Z", license: "MIT", hasReadme: true, publiccode: "absent", hasContributing: false }, nowMs).score;
  }
  const scoreMs = performance.now() - start;
  const rates = manifestRates();
  const edgesByKind = { fork: 0, dependency: 0, based_on: 0 };
  for (const edge of built.edges) edgesByKind[edge.kind] += 1;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    repositories: repos.length,
    dependencies: dependencyCount,
    generationMs: Math.round(generationMs),
    buildMs: { best: Math.round(Math.min(...times)), median: Math.round(median(times)), runs },
    buildCpuMs: { best: Math.round(Math.min(...cpuTimes)), median: Math.round(median(cpuTimes)) },
    graphHeapBytes: retained,
    inputHeapBytes: before,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    edges: edgesByKind,
    acrossBodies: built.edges.filter((edge) => edge.acrossBodies).length,
    ambiguous: built.ambiguous.length,
    publishers: built.publishers.size,
    externalPackages: built.externalPackages.length,
    externalUpstreams: built.externalUpstreams.length,
    scoreAllMs: Math.round(scoreMs),
    meanScore: Math.round((scoreSum / repos.length) * 10) / 10,
    manifestsPerSecond: rates,
  };
  console.log(`reuse graph: ${result.repositories} repositories, ${result.dependencies} dependencies (input built in ${result.generationMs} ms)`);
  console.log(`  build        best ${result.buildMs.best} ms, median ${result.buildMs.median} ms over ${runs} runs (CPU best ${result.buildCpuMs.best} ms, median ${result.buildCpuMs.median} ms)`);
  console.log(`  memory       graph ${mb(retained)} retained (input ${mb(before)}), peak RSS ${mb(result.peakRssBytes)}${gc ? "" : " (run with --expose-gc for exact heap figures)"}`);
  console.log(`  edges        ${edgesByKind.dependency} dependency, ${edgesByKind.fork} fork, ${edgesByKind.based_on} based-on; ${result.acrossBodies} across bodies`);
  console.log(`  packages     ${result.publishers} published, ${result.ambiguous} ambiguous, ${result.externalPackages} external; ${result.externalUpstreams} upstreams outside`);
  console.log(`  scores       all ${repos.length} in ${result.scoreAllMs} ms (mean ${result.meanScore})`);
  console.log(`  manifests/s  ${rates.map((r) => `${r.kind} ${r.perSecond}`).join(", ")} (30 dependencies each)`);
  fs.mkdirSync(path.join(rootDir, "artifacts"), { recursive: true });
  fs.writeFileSync(path.join(rootDir, "artifacts", "bench-reuse.json"), JSON.stringify(result, null, 2));
}

main();
