// npm run bench:reuse [-- --repositories 50000 --dependencies 500000 --runs 3 --requests 2000 --skip-store --skip-server]
//
// Two parts.
//
// 1. The reuse graph (src/reuse/graph.ts) at catalogue size, in memory, on
// synthetic input built from a seed: 500 public bodies over 2,000 owners (a
// fifth without a body), 10 % forks (60 % of their parents in the catalogue),
// 30 % of the other repositories publishing a package (200 published twice:
// ambiguous), about ten dependencies per repository, a third on catalogue
// packages, the rest on 30,000 external packages drawn with a Zipf-like skew,
// and publiccode.yml declarations on 5 %. Measures: graph build time (best and
// median of the runs), heap retained by the graph, the score of every
// repository, and the parse rate of each manifest kind.
//
// 2. Issue 10's store and server: a real SQLite store of the same size
// (scripts/lib/syntheticCatalogue.ts, as bench:web), its reuse inputs read by
// loadReuseInputs and given the same synthetic evidence, then rebuildReuse
// timed (the graph, every score, one transaction writing what changed),
// three times: on an empty graph, with nothing changed, and after 1 % of the
// repositories changed their dependencies, each with its write transaction's
// duration (writeMs, SQLite's write lock) and the rows it changed; then the
// store's size (and its reuse tables', from dbstat). Then the
// production server (src/bin/serve.ts, one web worker, the API rate limit off)
// on that store, and the
// p50/p95 latency of GET /api/v1/repositories/{id}/dependents and of the
// repository page, each request a different repository (no cache helps),
// sent by 4 concurrent clients.
//
// Peak RSS covers the whole process. Results: a table on stdout and
// artifacts/bench-reuse.json.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import { mulberry32 } from "../test/fake-forge/random.ts";
import { rebuildReuse } from "../src/reuse/rebuild.ts";
import { openDatabase } from "../src/store/database.ts";
import { loadReuseInputs } from "../src/store/reuseInputs.ts";
import { repositoryPath } from "../src/web/urls.ts";
import { fillSyntheticCatalogue } from "./lib/syntheticCatalogue.ts";
import { startServerProcess, stopServerProcess } from "./lib/serverProcess.ts";
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
const requestCount = option("requests", 2_000);
const skipStore = process.argv.includes("--skip-store");
// The store part without the server (the rebuilds and the store size only).
const skipServer = process.argv.includes("--skip-server");

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

function graphBench(): Record<string, unknown> {
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
  return result;
}

// ---- 2. The store and the server (issue 10) ----

/** The same synthetic evidence as syntheticCatalogue(), laid over the inputs loadReuseInputs read from a store. */
function withSyntheticEvidence(inputs: ReuseRepositoryInput[]): ReuseRepositoryInput[] {
  const random = mulberry32(20261130);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const published: PackageRef[] = [];
  const out = inputs.map((input, i): ReuseRepositoryInput => {
    const fork = random() < 0.1 && i > 100;
    const repo: ReuseRepositoryInput = { ...input, fork, forkParent: null, publishes: [], dependencies: [], declared: input.declared };
    if (fork) {
      const parent = inputs[Math.floor(random() * i)]!;
      repo.forkParent = random() < 0.6 ? { host: parent.host, forgeId: parent.forgeId, fullName: null } : { host: "github.com", forgeId: null, fullName: `upstream${Math.floor(random() ** 2 * 3_000)}/project` };
    } else if (random() < 0.3) {
      const ecosystem = pick(ecosystems);
      const ref = { ecosystem, name: packageName(ecosystem, `pkg-${i}`) };
      repo.publishes = [ref];
      published.push(ref);
    }
    if (random() < 0.05) {
      repo.declared = { usedBy: ["Ville de Lyon", `Commune ${i % 700}`], isBasedOn: [`https://${inputs[Math.floor(random() * inputs.length)]!.id}`], dependsOn: ["PostgreSQL"] };
    }
    return repo;
  });
  const external = Array.from({ length: 30_000 }, (_, i) => {
    const ecosystem = ecosystems[i % ecosystems.length]!;
    return { ecosystem, name: packageName(ecosystem, `ext-${i}`) };
  });
  const perRepository = dependencyTarget / out.length;
  let total = 0;
  for (const repo of out) {
    const count = Math.max(0, Math.round(perRepository * 2 * random()));
    const dependencies: Dependency[] = [];
    for (let d = 0; d < count && total < dependencyTarget; d++, total++) {
      const ref = random() < 0.33 && published.length > 0 ? pick(published) : external[Math.floor(random() ** 3 * external.length)]!;
      dependencies.push({ ...ref, scope: random() < 0.7 ? "runtime" : "dev", requirement: "^1.0.0" });
    }
    repo.dependencies = dependencies;
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Each path once, `concurrency` at a time; the latency of each (ms), sorted. Throws on a non-200. */
async function timePaths(baseUrl: string, paths: string[], concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < paths.length) {
      const pathname = paths[next++]!;
      const start = performance.now();
      const response = await fetch(`${baseUrl}${pathname}`, { headers: { "accept-encoding": "gzip", "accept-language": "fr" } });
      await response.arrayBuffer();
      times.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return times.sort((a, b) => a - b);
}

function roundRebuild(r: { scenario: string; ms: number; cpuMs: number; writeMs: number | null; edges: number; changes: unknown }) {
  return { scenario: r.scenario, ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs), writeMs: r.writeMs, changes: r.changes };
}

async function storeBench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-reuse-"));
  let child: ChildProcess | null = null;
  try {
    let start = performance.now();
    const db = openDatabase(path.join(dir, "catalog.db"));
    fillSyntheticCatalogue(db, { count: repositoryCount, seed: 10 });
    const fillMs = performance.now() - start;
    start = performance.now();
    const loaded = loadReuseInputs(db);
    const loadMs = performance.now() - start;
    const inputs = withSyntheticEvidence(loaded);
    const dependencies = inputs.reduce((sum, input) => sum + input.dependencies.length, 0);
    // Three rebuilds: on an empty graph, with nothing changed, then after a harvest that changed
    // the dependencies of 1 % of the repositories (one dropped, one external added, each).
    const changed = inputs.map((input, i) =>
      i % 100 !== 7 ? input : { ...input, dependencies: [...input.dependencies.slice(1), { ecosystem: "npm" as const, name: `changed-${i}`, scope: "runtime" as const, requirement: null }] },
    );
    const scenarios: Array<[string, ReuseRepositoryInput[]]> = [
      ["empty graph", inputs],
      ["nothing changed", inputs],
      ["1 % changed", changed],
    ];
    const rebuilds: { scenario: string; ms: number; cpuMs: number; writeMs: number | null; edges: number; changes: unknown }[] = [];
    for (const [scenario, list] of scenarios) {
      start = performance.now();
      const cpu = process.cpuUsage();
      const result = rebuildReuse(db, list, new Date());
      const used = process.cpuUsage(cpu);
      const extra = result as { writeMs?: number; changes?: unknown };
      rebuilds.push({ scenario, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, writeMs: extra.writeMs ?? null, edges: result.edges, changes: extra.changes ?? null });
    }
    const peakRssAfterRebuild = process.resourceUsage().maxRSS * 1024;
    // The store's size once the WAL is folded in.
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const dbBytes = fs.statSync(path.join(dir, "catalog.db")).size;
    const graphBytes = (
      db.$client.prepare("SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE name LIKE 'reuse%' OR name LIKE 'repository_reuse%' OR name LIKE 'sqlite_autoindex_reuse%' OR name LIKE 'sqlite_autoindex_repository_reuse%'").get() as { n: number }
    ).n;
    if (skipServer) {
      db.$client.close();
      return { storeRepositories: loaded.length, storeDependencies: dependencies, fillMs: Math.round(fillMs), loadReuseInputsMs: Math.round(loadMs), rebuilds: rebuilds.map(roundRebuild), storedEdges: rebuilds[0]!.edges, databaseBytes: dbBytes, graphBytes, peakRssAfterRebuildBytes: peakRssAfterRebuild };
    }
    // Distinct repositories with dependents, most first; and distinct repositories for the pages.
    const targets = (db.$client.prepare("SELECT to_id AS id FROM reuse_edges WHERE kind = 'dependency' GROUP BY to_id ORDER BY count(*) DESC LIMIT ?").all(requestCount) as { id: string }[]).map((row) => row.id);
    const pages = (db.$client.prepare("SELECT r.host, r.full_name AS fullName FROM repositories r WHERE r.removed_at IS NULL AND r.pk % 7 = 3 LIMIT ?").all(requestCount) as { host: string; fullName: string }[]).map((row) => repositoryPath(row.host, row.fullName));
    db.$client.close();

    // The production server, one web worker, no rate limit.
    const server = await startServerProcess(dir, { env: { WEB_WORKERS: "1", RATE_LIMIT_API: "0" } });
    child = server.child;
    const dependentsPaths = targets.map((id) => `/api/v1/repositories/${id}/dependents`);
    // A short warm-up on other paths (JIT, statement cache), then every path once.
    await timePaths(server.origin, [...dependentsPaths.slice(-50), ...pages.slice(-50)], 4);
    const dependents = await timePaths(server.origin, dependentsPaths.slice(0, -50), 4);
    const pageTimes = await timePaths(server.origin, pages.slice(0, -50), 4);
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      storeRepositories: loaded.length,
      storeDependencies: dependencies,
      fillMs: Math.round(fillMs),
      loadReuseInputsMs: Math.round(loadMs),
      rebuilds: rebuilds.map(roundRebuild),
      storedEdges: rebuilds[0]!.edges,
      databaseBytes: dbBytes,
      graphBytes,
      peakRssAfterRebuildBytes: peakRssAfterRebuild,
      serverReadyMs: Math.round(server.readyMs),
      dependents: { requests: dependents.length, p50: round(percentile(dependents, 50)), p95: round(percentile(dependents, 95)), max: round(dependents.at(-1) ?? 0) },
      repositoryPage: { requests: pageTimes.length, p50: round(percentile(pageTimes, 50)), p95: round(percentile(pageTimes, 95)), max: round(pageTimes.at(-1) ?? 0) },
    };
  } finally {
    if (child) await stopServerProcess(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const graph = graphBench();
  const store = skipStore ? null : await storeBench();
  const result = { ...graph, store, loadAverage: os.loadavg()[0], cpus: os.cpus().length, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  if (store) {
    const s = store as { storeRepositories: number; storeDependencies: number; storedEdges: number; loadReuseInputsMs: number; rebuilds: ReturnType<typeof roundRebuild>[]; databaseBytes: number; graphBytes: number; peakRssAfterRebuildBytes: number; serverReadyMs?: number; dependents?: { requests: number; p50: number; p95: number }; repositoryPage?: { requests: number; p50: number; p95: number } };
    console.log(`store and server: ${s.storeRepositories} repositories in SQLite, ${s.storeDependencies} dependencies, ${s.storedEdges} edges stored`);
    console.log(`  loadReuseInputs  ${s.loadReuseInputsMs} ms`);
    for (const r of s.rebuilds) {
      console.log(`  rebuildReuse     ${r.scenario.padEnd(16)} ${r.ms} ms wall, CPU ${r.cpuMs} ms, write transaction ${r.writeMs ?? "?"} ms, rows changed ${JSON.stringify(r.changes)}`);
    }
    console.log(`  store            ${mb(s.databaseBytes)} (reuse tables and their indexes ${mb(s.graphBytes)})`);
    console.log(`  peak RSS         ${mb(s.peakRssAfterRebuildBytes)} after the rebuilds (whole process, graph bench included)`);
    if (s.serverReadyMs !== undefined && s.dependents && s.repositoryPage) {
      console.log(`  server ready     ${(s.serverReadyMs / 1000).toFixed(1)} s (search index built)`);
      console.log(`  dependents API   p50 ${s.dependents.p50} ms, p95 ${s.dependents.p95} ms over ${s.dependents.requests} distinct repositories (4 clients)`);
      console.log(`  repository page  p50 ${s.repositoryPage.p50} ms, p95 ${s.repositoryPage.p95} ms over ${s.repositoryPage.requests} distinct pages (4 clients)`);
    }
  }
  console.log(`  machine          ${result.cpus} CPUs, load average ${result.loadAverage!.toFixed(1)}`);
  fs.mkdirSync(path.join(rootDir, "artifacts"), { recursive: true });
  fs.writeFileSync(path.join(rootDir, "artifacts", "bench-reuse.json"), JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
