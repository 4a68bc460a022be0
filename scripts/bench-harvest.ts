// Harvest benchmark: a large fake forge harvested into a fresh database, then
// harvested again unchanged. Reports, per run: wall time, repositories per
// second, requests per repository, requests answered 304, peak RSS and heap.
//
//   npm run bench:harvest -- [--forge github] [--accounts 2000] [--repositories 60000]
//                            [--concurrency 4] [--out artifacts/bench-harvest.json] [--seed 1]
//
// The fake forge runs in a child process: its data and rendering stay out of
// the memory figures, and it gets the second core as a real forge would be
// elsewhere. Each forge is one scenario function; add GitLab beside GitHub.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.ts";
import { defaultRegistry } from "../src/forges/forgeTypes.ts";
import { runHarvest, type RunSummary } from "../src/harvest/harvester.ts";
import type { ForgeSource } from "../src/sources/sources.ts";
import { openDatabase, type Db } from "../src/store/database.ts";
import { FakeGitHub, type FakeRepoFields } from "../test/fake-forge/fakeGitHub.ts";

interface BenchOptions {
  accounts: number;
  repositories: number;
  concurrency: number;
  seed: number;
}

interface RunFigures {
  run: string;
  status: string;
  wallMs: number;
  cpuMs: number;
  repositories: number;
  repositoriesPerSecond: number;
  requests: number;
  requestsPerRepository: number;
  notModified: number;
  written: number;
  removed: number;
  failedAccounts: number;
  peakRssMb: number;
  peakHeapMb: number;
}

interface ScenarioResult {
  forge: string;
  accounts: number;
  repositories: number;
  pages: number;
  runs: RunFigures[];
}

/** What the child serving a fake forge tells the parent once it listens. */
interface FakeReady {
  url: string;
  logins: string[];
  repositories: number;
  pages: number;
}

// ---- deterministic data -----------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so that every run of the benchmark harvests the same forge. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Repository counts of `accounts` accounts summing to `total`, heavy-tailed
 * like the real list: most public bodies publish a handful, a few hundreds,
 * one or two thousands (several pages, some exactly full).
 */
function accountSizes(accounts: number, total: number, rand: () => number): number[] {
  const bands: [share: number, min: number, max: number][] = [
    [0.02, 0, 0],
    [0.48, 1, 10],
    [0.3, 11, 50],
    [0.15, 51, 150],
    [0.045, 151, 600],
    [0.005, 601, 3_000],
  ];
  const raw = Array.from({ length: accounts }, () => {
    let pick = rand();
    for (const [share, min, max] of bands) {
      if ((pick -= share) <= 0) return min + Math.floor(rand() * (max - min + 1));
    }
    return 1;
  });
  const sum = raw.reduce((a, b) => a + b, 0) || 1;
  const sizes = raw.map((n) => Math.floor((n * total) / sum));
  // Rounding leaves a remainder: the largest account takes it.
  const largest = sizes.indexOf(Math.max(...sizes));
  sizes[largest] = (sizes[largest] ?? 0) + total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

const licences = ["MIT", "Apache-2.0", "AGPL-3.0", "EUPL-1.2", "GPL-3.0", "NOASSERTION", null];
const languages = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "Go", "R", "Shell", null];
const topics = ["open-data", "api", "gouv", "geo", "python", "django", "react", "accessibility", "santé", "éducation"];

function repoFields(rand: () => number, index: number): Partial<FakeRepoFields> {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  return {
    description: rand() < 0.85 ? `Outil numérique n°${index} pour les services publics — ${pick(topics)}` : null,
    homepage: rand() < 0.2 ? `https://outil-${index}.example.gouv.fr` : null,
    language: pick(languages),
    license: pick(licences),
    topics: Array.from({ length: Math.floor(rand() * 4) }, () => pick(topics)),
    stars: Math.floor(rand() ** 3 * 2_000),
    forks: Math.floor(rand() ** 3 * 300),
    openIssues: Math.floor(rand() * 20),
    archived: rand() < 0.1,
    fork: rand() < 0.15,
  };
}

// ---- fake forges, each served from a child process ------------------------

async function serveFakeGitHub(options: BenchOptions): Promise<void> {
  const rand = random(options.seed);
  // The budget of a GitHub App installation on an enterprise: the benchmark measures the harvester, not the waits.
  const fake = new FakeGitHub({ rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  const sizes = accountSizes(options.accounts, options.repositories, rand);
  const logins: string[] = [];
  let pages = 0;
  let index = 0;
  sizes.forEach((size, i) => {
    const organization = rand() < 0.7;
    const login = `${organization ? "org" : "user"}-${String(i).padStart(4, "0")}`;
    if (organization) fake.addOrg(login, { name: `Organisme ${i}`, description: "Un organisme public", blog: "www.example.gouv.fr", verified: rand() < 0.5 });
    else fake.addUser(login, { name: `Agent ${i}`, bio: "Agent public", location: "Paris" });
    for (let n = 0; n < size; n++) fake.addRepo(login, { name: `projet-${String(n).padStart(4, "0")}`, ...repoFields(rand, index++) });
    logins.push(login);
    // As the adapter walks them: a full page is followed by one more.
    pages += Math.floor(size / 100) + 1;
  });
  await fake.start();
  const ready: FakeReady = { url: fake.url, logins, repositories: index, pages };
  process.send?.(ready);
  process.on("message", (message) => {
    if (message === "stop") void fake.stop().then(() => process.exit(0));
  });
}

const fakeServers: Record<string, (options: BenchOptions) => Promise<void>> = { github: serveFakeGitHub };

async function startFake(forge: string, options: BenchOptions): Promise<{ child: ChildProcess; ready: FakeReady }> {
  // fork() reuses process.execArgv, so the child runs under tsx like this process.
  const child = fork(import.meta.filename, ["--serve-fake", forge, "--options", JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await new Promise<FakeReady>((resolve, reject) => {
    child.once("message", (message) => resolve(message as FakeReady));
    child.once("exit", (code) => reject(new Error(`the fake ${forge} server exited with code ${code}`)));
  });
  return { child, ready };
}

function stopFake(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.send("stop");
  });
}

// ---- measuring ----------------------------------------------------------------

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

async function measure(run: string, harvest: () => Promise<RunSummary>): Promise<RunFigures> {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  sample();
  // Every 20 ms: a page takes a few ms, so a 20 ms sampler sees the heap's saw-tooth well enough.
  const sampler = setInterval(sample, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let summary: RunSummary;
  try {
    summary = await harvest();
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  sample();
  const repositories = summary.repositoriesSeen;
  return {
    run,
    status: summary.status,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((user + system) / 1000),
    repositories,
    repositoriesPerSecond: Math.round(repositories / (wallMs / 1000)),
    requests: summary.requests,
    requestsPerRepository: repositories ? Math.round((summary.requests / repositories) * 10_000) / 10_000 : 0,
    notModified: summary.notModified,
    written: summary.repositoriesAdded + summary.repositoriesUpdated,
    removed: summary.repositoriesRemoved,
    failedAccounts: summary.accountsFailed,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
  };
}

function harvester(db: Db, sources: ForgeSource[], concurrency: number): () => Promise<RunSummary> {
  const config = loadConfig();
  return () =>
    runHarvest({
      db,
      sources,
      registry: defaultRegistry(),
      config: { tokens: {}, httpTimeoutMs: config.httpTimeoutMs, maxRateLimitWaitMs: config.maxRateLimitWaitMs, harvestConcurrency: concurrency },
      trigger: "cli",
      reporter: { log: (message) => process.stderr.write(`${message}\n`) },
    });
}

// ---- scenarios ------------------------------------------------------------------

async function githubScenario(options: BenchOptions): Promise<ScenarioResult> {
  const { child, ready } = await startFake("github", options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-"));
  try {
    const db = openDatabase(path.join(dir, "catalog.db"));
    const sources: ForgeSource[] = [
      { host: "github.com", type: "github", api: ready.url, owners: ready.logins.map((login, i) => ({ login, line: i + 4 })), line: 1 },
    ];
    const harvest = harvester(db, sources, options.concurrency);
    const runs = [await measure("first (empty database)", harvest), await measure("second (unchanged)", harvest)];
    db.$client.close();
    return { forge: "github", accounts: ready.logins.length, repositories: ready.repositories, pages: ready.pages, runs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await stopFake(child);
  }
}

const scenarios: Record<string, (options: BenchOptions) => Promise<ScenarioResult>> = { github: githubScenario };

// ---- report ---------------------------------------------------------------------

function table(results: ScenarioResult[]): string {
  const header = ["forge", "run", "status", "wall s", "repos/s", "requests", "req/repo", "304s", "written", "removed", "peak RSS MB", "peak heap MB"];
  const rows = results.flatMap((result) =>
    result.runs.map((run) => [
      result.forge,
      run.run,
      run.status,
      (run.wallMs / 1000).toFixed(1),
      String(run.repositoriesPerSecond),
      String(run.requests),
      run.requestsPerRepository.toFixed(4),
      `${run.notModified} (${run.requests ? Math.round((run.notModified / run.requests) * 100) : 0} %)`,
      String(run.written),
      String(run.removed),
      run.peakRssMb.toFixed(1),
      run.peakHeapMb.toFixed(1),
    ]),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      forge: { type: "string", multiple: true },
      accounts: { type: "string", default: "2000" },
      repositories: { type: "string", default: "60000" },
      concurrency: { type: "string" },
      seed: { type: "string", default: "1" },
      out: { type: "string", default: "artifacts/bench-harvest.json" },
      "serve-fake": { type: "string" },
      options: { type: "string" },
    },
  });
  if (values["serve-fake"]) {
    const serve = fakeServers[values["serve-fake"]];
    if (!serve) throw new Error(`no fake server for forge "${values["serve-fake"]}"`);
    await serve(JSON.parse(values.options ?? "{}") as BenchOptions);
    return;
  }

  const options: BenchOptions = {
    accounts: Number(values.accounts),
    repositories: Number(values.repositories),
    concurrency: Number(values.concurrency ?? loadConfig().harvestConcurrency),
    seed: Number(values.seed),
  };
  const forges = values.forge ?? Object.keys(scenarios);
  const results: ScenarioResult[] = [];
  for (const forge of forges) {
    const scenario = scenarios[forge];
    if (!scenario) throw new Error(`no benchmark scenario for forge "${forge}" (known: ${Object.keys(scenarios).join(", ")})`);
    process.stderr.write(`${forge}: ${options.accounts} accounts, ${options.repositories} repositories, concurrency ${options.concurrency}...\n`);
    results.push(await scenario(options));
  }

  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, options, results };
  console.log(table(results));
  for (const result of results) console.log(`${result.forge}: ${result.accounts} accounts, ${result.repositories} repositories, ${result.pages} pages`);
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${JSON.stringify(report)}`);
  console.log(`written to ${values.out}`);
}

await main();
