// npx tsx scripts/bench-reuse-inputs.ts [-- --repositories 50000 --dependencies 500000 --runs 3]
//
// Issue 10: loadReuseInputs (src/store/reuseInputs.ts) at catalogue size, on a
// real SQLite file filled with synthetic evidence: 2,000 owners over 500
// bodies, 10 % forks with their parent, 30 % of repositories publishing a
// package, about ten dependencies per repository over one or two manifests,
// a publiccode.yml with declarations on 5 %. Measures the time to load the
// inputs of the reuse graph (best and median of the runs) and the heap they
// take. Results on stdout and in artifacts/bench-reuse-inputs.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../test/fake-forge/random.ts";
import { openDatabase } from "../src/store/database.ts";
import { loadReuseInputs } from "../src/store/reuseInputs.ts";
import { ecosystems, type Dependency, type PackageRef } from "../src/reuse/types.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}
const repositoryCount = option("repositories", 50_000);
const dependencyTarget = option("dependencies", 500_000);
const runs = option("runs", 3);
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-reuse-inputs-"));
  const db = openDatabase(path.join(dir, "catalog.db"));
  try {
    const random = mulberry32(20261130);
    const now = "2026-11-30T00:00:00Z";
    let start = performance.now();
    const sqlite = db.$client;
    sqlite.transaction(() => {
      const account = sqlite.prepare("INSERT INTO accounts (host, login) VALUES ('github.com', '') RETURNING id").get() as { id: number };
      const owner = sqlite.prepare("INSERT INTO owners (host, login, kind, pso_id, first_seen_at, last_seen_at) VALUES ('github.com', ?, 'organization', ?, ?, ?) RETURNING id");
      const ownerIds: { id: number; login: string }[] = [];
      for (let i = 0; i < 2_000; i++) {
        const login = `owner${i}`;
        ownerIds.push({ id: (owner.get(login, random() < 0.8 ? `body-${i % 500}` : null, now, now) as { id: number }).id, login });
      }
      const repository = sqlite.prepare(
        `INSERT INTO repositories (host, forge, forge_id, account_id, owner_id, owner, name, full_name, url, fork, parent, parent_forge_id, content_hash, first_seen_at, last_seen_at)
         VALUES ('github.com', 'github', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x', ?, ?) RETURNING pk`,
      );
      const manifest = sqlite.prepare("INSERT INTO repository_manifests (repository_pk, file, ecosystem, sha, publishes, dependencies, errors, warnings) VALUES (?, ?, ?, ?, ?, ?, '[]', '[]')");
      const profile = sqlite.prepare("INSERT INTO repository_profiles (repository_pk, fetched_at, attempted_at, publiccode_name, publiccode_text, publiccode_valid, publiccode_result, evidence_version) VALUES (?, ?, ?, 'publiccode.yml', '', 1, ?, 1)");
      const published: PackageRef[] = [];
      const external = Array.from({ length: 30_000 }, (_, i) => ({ ecosystem: ecosystems[i % ecosystems.length]!, name: `ext-${i}` }));
      const perRepository = dependencyTarget / repositoryCount;
      let total = 0;
      for (let i = 0; i < repositoryCount; i++) {
        const { id: ownerId, login } = ownerIds[Math.floor(random() * ownerIds.length)]!;
        const name = `repo-${i}`;
        const fork = i > 100 && random() < 0.1;
        const parent = fork ? (random() < 0.6 ? { forgeId: String(1 + Math.floor(random() * i)), fullName: `owner${i % 2_000}/repo-${Math.floor(random() * i)}` } : { forgeId: String(10_000_000 + i), fullName: `upstream${i % 3_000}/project` }) : null;
        const { pk } = repository.get(String(i + 1), account.id, ownerId, login, name, `${login}/${name}`, `https://github.com/${login}/${name}`, fork ? 1 : 0, parent?.fullName ?? null, parent?.forgeId ?? null, now, now) as { pk: number };
        const ecosystem = ecosystems[Math.floor(random() * ecosystems.length)]!;
        const publishes: PackageRef[] = !fork && random() < 0.3 ? [{ ecosystem, name: `pkg-${i}` }] : [];
        published.push(...publishes);
        const count = Math.max(0, Math.round(perRepository * 2 * random()));
        const dependencies: Dependency[] = [];
        for (let d = 0; d < count && total < dependencyTarget; d++, total++) {
          const ref = random() < 0.33 && published.length > 0 ? published[Math.floor(random() * published.length)]! : external[Math.floor(random() ** 3 * external.length)]!;
          dependencies.push({ ...ref, scope: random() < 0.7 ? "runtime" : "dev", requirement: "^1.0.0" });
        }
        // One manifest, or two (package.json and requirements.txt) for a fifth of them.
        const split = random() < 0.2 ? Math.floor(dependencies.length / 2) : dependencies.length;
        manifest.run(pk, "package.json", ecosystem, "0".repeat(40), JSON.stringify(publishes), JSON.stringify(dependencies.slice(0, split)));
        if (split < dependencies.length) manifest.run(pk, "requirements.txt", "pypi", "1".repeat(40), "[]", JSON.stringify(dependencies.slice(split)));
        if (random() < 0.05) {
          const document = { publiccodeYmlVersion: "0.4", name, usedBy: ["Ville de Lyon", `Commune ${i % 700}`], isBasedOn: `https://github.com/owner${i % 2_000}/repo-${i % 97}`, dependsOn: { open: [{ name: "PostgreSQL" }] }, description: { fr: { shortDescription: "x".repeat(100), longDescription: "y".repeat(1_000) } } };
          profile.run(pk, now, now, JSON.stringify({ valid: true, version: "0.4", errors: [], warnings: [], document }));
        }
      }
    })();
    const seedMs = performance.now() - start;
    const rows = sqlite.prepare("SELECT (SELECT count(*) FROM repositories) AS repositories, (SELECT count(*) FROM repository_manifests) AS manifests, (SELECT coalesce(sum(json_array_length(dependencies)), 0) FROM repository_manifests) AS dependencies").get() as { repositories: number; manifests: number; dependencies: number };

    const times: number[] = [];
    // CPU time beside wall time: on a shared, loaded machine the wall time includes waiting for a core.
    const cpuTimes: number[] = [];
    let heapBytes = 0;
    let inputs = 0;
    // One function per run: the inputs of a run are unreachable once it returns, so the next run's baseline is clean.
    const once = (): void => {
      gc?.();
      const base = process.memoryUsage().heapUsed;
      start = performance.now();
      const cpu = process.cpuUsage();
      const loaded = loadReuseInputs(db);
      times.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      gc?.();
      heapBytes = process.memoryUsage().heapUsed - base;
      inputs = loaded.length;
    };
    for (let run = 0; run < runs; run++) once();
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      ...rows,
      inputs,
      seedMs: Math.round(seedMs),
      loadMs: { best: Math.round(Math.min(...times)), median: Math.round(median(times)), runs },
      loadCpuMs: { best: Math.round(Math.min(...cpuTimes)), median: Math.round(median(cpuTimes)) },
      inputsHeapBytes: heapBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    console.log(`loadReuseInputs: ${rows.repositories} repositories, ${rows.manifests} manifests, ${rows.dependencies} dependencies (seeded in ${result.seedMs} ms)`);
    console.log(`  load inputs  best ${result.loadMs.best} ms, median ${result.loadMs.median} ms over ${runs} runs (CPU best ${result.loadCpuMs.best} ms, median ${result.loadCpuMs.median} ms)`);
    console.log(`  memory       inputs ${mb(heapBytes)}${gc ? "" : " (run with --expose-gc for exact heap figures)"}, peak RSS ${mb(result.peakRssBytes)}`);
    const out = path.join(rootDir, "artifacts");
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "bench-reuse-inputs.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
