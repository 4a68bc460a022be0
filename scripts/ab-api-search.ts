// A/B of the API search between two checkouts of the project, in one process
// (issue 13). On a machine shared with other work, two benchmark runs one
// after the other differ by more than a change worth making (a tenth of a
// millisecond at the median at 7,700 repositories); here the same fresh
// searches go to both apps in turn, A then B, then B then A, each over its own
// keep-alive connection, on the same catalogue, so that the load of the moment
// slows both alike. Each app is built as bench:search builds it (request logs
// to /dev/null, metrics, rate limits), from its own checkout's modules.
//
//   npx tsx scripts/ab-api-search.ts --b /path/to/other/checkout
//        [--a .] [--repositories 7700] [--searches 1000] [--dir DIR] [--seed 42]
//        [--scenario api|search-pages|repository-pages]
//
// --scenario: the API's fresh searches (default), or bench:web's uncached
// pages (distinct search pages, distinct repository pages) with their page
// cache off, so that every page is rendered.
//
// A checkout is a directory with src/ and data/ (git worktree add, or git
// archive of a commit) whose imports resolve, e.g. with a node_modules link.
// The catalogue (the 2021 harvest resampled when ../shared is there, with
// profiles, as bench:search's) and its index are made once in --dir and
// reused. Prints p50/p95 of each and the median of the paired differences
// (A - B, each search against itself): negative, A is faster. Comparing a
// checkout with itself shows the method's own bias (some 0.02 ms).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { words } from "../src/search/analyzer.ts";
import { buildIndexFromStore } from "../src/search/storeBuild.ts";
import { iterateLiveRepositories } from "../src/store/catalog.ts";
import { openDatabase } from "../src/store/database.ts";
import { repositoryPath } from "../src/web/urls.ts";
import { mulberry32 as seededRandom } from "../test/fake-forge/random.ts";
import { distinctSearches } from "./lib/webScenarios.ts";
import { fillSyntheticCatalogue } from "./lib/syntheticCatalogue.ts";
import { fillSyntheticProfiles } from "./lib/syntheticProfiles.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const now = new Date("2026-11-20T00:00:00Z");

interface Served {
  get(pathname: string): Promise<void>;
  close(): Promise<void>;
}

/** The app of one checkout, from that checkout's own modules, on the shared catalogue. */
async function serve(root: string, dir: string, pages: boolean): Promise<Served> {
  const load = (file: string) => import(path.join(root, file));
  const { openSearchEngine } = await load("src/search/engine.ts");
  const { readPublicBodies } = await load("src/sources/publicBodies.ts");
  const { openDatabase: open } = await load("src/store/database.ts");
  const { createApp } = await load("src/web/app.ts");
  const { createLogger, logBufferBytes } = await load("src/observability/logger.ts");
  const { createMetrics } = await load("src/observability/metrics.ts");
  const { listen } = await load("src/server/httpServer.ts");
  const publicBodiesFile = path.join(root, "data", "public-bodies.yml");
  const db = open(path.join(dir, "catalog.db"));
  // As the production server opens it (a checkout from before the warm-up ignores the option and has no `warming`).
  const { warmPublicRecords } = await load("src/web/api/present.ts");
  const engine = await openSearchEngine({ db, indexDir: path.join(dir, "index"), publicBodiesFile, now: () => now, warmRowCache: true, onRowsWarmed: warmPublicRecords });
  await engine.warming;
  const app = createApp({
    db,
    search: engine,
    rootDir: root,
    publicBodies: readPublicBodies(publicBodiesFile),
    log: () => {},
    logger: createLogger({ level: "info", destination: pino.destination({ dest: "/dev/null", sync: false, minLength: logBufferBytes }) }),
    metrics: createMetrics(),
    rateLimits: { windowMs: 60_000, api: 1_000_000, mcp: 1_000_000, feeds: 1_000_000 },
    // Uncached pages: every page rendered (bench:web's scenarios).
    ...(pages ? { pageCacheTtlMs: 0 } : {}),
  });
  const server: http.Server = await listen(app, 0, "127.0.0.1", { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (pathname) =>
      new Promise((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path: pathname, agent, headers: { "accept-encoding": "gzip", "accept-language": "fr-FR,fr;q=0.9" } }, (res) => {
            if (res.statusCode !== 200) reject(new Error(`${root} ${pathname}: ${res.statusCode}`));
            res.resume();
            res.on("end", resolve);
          })
          .on("error", reject);
      }),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      server.close();
      await engine.close();
      db.$client.close();
    },
  };
}

const quantile = (samples: number[], q: number) => [...samples].sort((x, y) => x - y)[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      a: { type: "string", default: rootDir },
      b: { type: "string" },
      repositories: { type: "string", default: "7700" },
      searches: { type: "string", default: "1000" },
      dir: { type: "string" },
      seed: { type: "string", default: "42" },
      scenario: { type: "string", default: "api" },
    },
  });
  if (!values.b) throw new Error("--b: the other checkout to compare with");
  const size = Number(values.repositories);
  const dir = values.dir ?? path.join(os.tmpdir(), `code-commun-ab-${size}`);
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(path.join(dir, "catalog.db"));
  if (!fs.existsSync(path.join(dir, "index"))) {
    fillSyntheticCatalogue(db, { count: size, now, seed: size });
    fillSyntheticProfiles(db, size + 5, now);
    buildIndexFromStore(db, { indexDir: path.join(dir, "index"), publicBodiesFile: path.join(rootDir, "data", "public-bodies.yml"), builtAt: now });
  }
  // Distinct searches, one or two words of the catalogue's descriptions (bench:search's text queries).
  const next = seededRandom(Number(values.seed));
  const described = [...iterateLiveRepositories(db)].filter((row) => (row.description?.length ?? 0) > 20);
  db.$client.close();
  const count = Number(values.searches);
  const queries = new Set<string>();
  for (let tries = 0; queries.size < count + 60 && tries < 100 * count; tries++) {
    const sentence = words(described[Math.floor(next() * described.length)]!.description!, "query").filter((word) => word.length >= 4 && !/^\d+$/.test(word));
    const start = Math.floor(next() * Math.max(1, sentence.length - 1));
    const q = queries.size % 2 ? sentence.slice(start, start + 2).join(" ") : sentence[start];
    if (q) queries.add(q);
  }
  const scenario = values.scenario;
  if (!["api", "search-pages", "repository-pages"].includes(scenario)) throw new Error(`--scenario: api, search-pages or repository-pages, not ${scenario}`);
  // The pages: bench:web's distinct searches, or every tenth repository's page in the store's order.
  const list =
    scenario === "api" ? [...queries] : scenario === "search-pages" ? distinctSearches().slice(0, count + 60) : described.filter((_, i) => i % 10 === 0).slice(0, count + 60).map((row) => repositoryPath(row.host, row.fullName));
  const a = await serve(path.resolve(values.a), dir, scenario !== "api");
  const b = await serve(path.resolve(values.b), dir, scenario !== "api");
  const url = (q: string) => (scenario === "api" ? `/api/v1/repositories?${new URLSearchParams({ q, per_page: "10" }).toString()}` : q);
  // Warm-up: the first sixty searches, to both.
  for (const q of list.slice(0, 60)) {
    await a.get(url(q));
    await b.get(url(q));
  }
  const times = { a: [] as number[], b: [] as number[], healthA: [] as number[], healthB: [] as number[] };
  let turn = 0;
  for (const q of list.slice(60)) {
    const order = turn++ % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const);
    for (const which of order) {
      const started = performance.now();
      await (which === "a" ? a : b).get(url(q));
      times[which].push(performance.now() - started);
    }
    for (const which of order) {
      const started = performance.now();
      await (which === "a" ? a : b).get("/healthz");
      times[which === "a" ? "healthA" : "healthB"].push(performance.now() - started);
    }
  }
  await a.close();
  await b.close();
  const paired = times.a.map((ms, i) => ms - times.b[i]!);
  const f = (ms: number) => `${ms.toFixed(3)} ms`;
  process.stdout.write(
    `${times.a.length} ${scenario === "api" ? "fresh searches" : scenario} at ${size} repositories, load average ${os.loadavg()[0]!.toFixed(1)}\n` +
      `A ${values.a}: p50 ${f(quantile(times.a, 0.5))} p95 ${f(quantile(times.a, 0.95))} (/healthz p50 ${f(quantile(times.healthA, 0.5))})\n` +
      `B ${values.b}: p50 ${f(quantile(times.b, 0.5))} p95 ${f(quantile(times.b, 0.95))} (/healthz p50 ${f(quantile(times.healthB, 0.5))})\n` +
      `A - B, search by search: median ${f(quantile(paired, 0.5))}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`ab-api-search failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
