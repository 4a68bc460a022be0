// MCP benchmark: search_repositories through /mcp (Streamable HTTP, JSON-RPC
// tools/call) beside the same searches through GET /api/v1/repositories, in
// the same run, on a catalogue of 50,000 repositories
// (scripts/lib/syntheticCatalogue.ts: the 2021 harvest resampled when
// ../shared/data is there). Target: MCP latency within 1.5 times the API's.
//
// The API always counts facets; search_repositories does when include_facets
// is true. The comparison that holds the target is therefore "mcp+facets"
// (the same work as the API); "mcp" (the default, no facets) is shown too.
// The searches (--searches): "distinct" (the default), 3,000 different ones
// (20 words × 10 languages × 3 sorts × 5 pages, bench:web's), each scenario
// going on through the list where its last slice stopped, so that an answer
// is never the one just sent: both paths then do a search's whole work but
// for what they share (the engine's matches and facet counts of a word and
// filter, each record's JSON kept with its row). "cycled": forty searches
// (words × a filter × a sort × a page) asked again and again, where the API
// also answers from its gzipped answers kept by ETag (issue 13), which /mcp
// (a POST, its answer carrying the request's id) has no equivalent of: that
// compares the API's answer cache with the tool's work. Each scenario runs on one connection (latency without
// queueing) and on --connections connections, scenarios interleaved in slices
// of one second (two rounds of --duration slices each), and the percentiles
// are taken over every answer of a scenario: on a machine shared with other
// work, a burst of load then hits the scenarios alike instead of one round of
// one of them (with two rounds of 5 s each, one such burst made a scenario's
// p95 twice another's).
//
//   npm run bench:mcp -- [--repositories 50000] [--duration 8] [--connections 8] [--searches distinct|cycled] [--seed 1] [--out artifacts/bench-mcp.json]
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { searchQueryString, type SearchArguments } from "../src/mcp/catalogueTools.ts";
import { openSearchEngine } from "../src/search/engine.ts";
import { listen } from "../src/server/httpServer.ts";
import { openDatabase } from "../src/store/database.ts";
import { createApp } from "../src/web/app.ts";
import { withQuery } from "../src/web/urls.ts";
import { fillSyntheticCatalogue } from "./lib/syntheticCatalogue.ts";
import { distinctSearches } from "./lib/webScenarios.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stderr = (message: string) => process.stderr.write(`${message}\n`);

interface Measure {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

/** Child mode: serve the catalogue in `dir` and tell the parent the port. */
async function serve(dir: string): Promise<void> {
  const db = openDatabase(path.join(dir, "catalog.db"));
  const started = Date.now();
  const search = await openSearchEngine({ db, indexDir: path.join(dir, "index"), publicBodiesFile: path.join(rootDir, "data", "public-bodies.yml"), buildIn: "process", warmRowCache: true });
  await search.warming;
  const indexMs = Date.now() - started;
  const app = createApp({ db, search, rootDir, harvestCron: "", log: stderr });
  // As the production server listens (src/server/httpServer.ts: its limits, its request and response classes).
  const server = await listen(app, 0, "127.0.0.1", { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0, indexMs });
  process.on("disconnect", () => process.exit(0));
}

/** 3,000 different searches: bench:web's distinct search pages (scripts/lib/webScenarios.ts), as tool arguments. */
function distinctToolSearches(): SearchArguments[] {
  return distinctSearches().map((pathname) => {
    const params = new URL(pathname, "http://x").searchParams;
    const page = Number(params.get("page") ?? "1");
    return { query: params.get("q")!, language: params.get("language")!, sort: params.get("sort")!, limit: 10, ...(page > 1 ? { page } : {}) };
  });
}

/** Forty searches: words × a filter × a sort × a page, as agents would ask. */
function searches(): SearchArguments[] {
  const words = ["données ouvertes", "carte", "api", "gestion des salles", "santé", "éducation", "transport", "simulateur", "archives", "formulaire"];
  const variants: Array<Partial<SearchArguments>> = [{}, { language: "Python", sort: "stars" }, { has_license: true, archived: false, page: 2 }, { sort: "activity", limit: 50 }];
  return words.flatMap((query) => variants.map((variant) => ({ query, limit: 10, ...variant })));
}

function rpcBody(id: number, args: SearchArguments): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "search_repositories", arguments: args } });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type Request = { method: "GET" | "POST"; path: string; body?: string; headers?: Record<string, string> };

/** Latencies (ms) of every answer, and errors, of one slice. */
interface Slice {
  times: number[];
  errors: number;
}

function summarise(slices: Slice[], seconds: number): Measure {
  const times = slices.flatMap((slice) => slice.times).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { requests: times.length, requestsPerSecond: Math.round(times.length / seconds), p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)), errors: slices.reduce((n, slice) => n + slice.errors, 0) };
}

/** A scenario's requests, and where its next slice goes on from. */
interface Cursor {
  requests: Request[];
  next: number;
}

async function measure(baseUrl: string, cursor: Cursor, seconds: number, connections: number): Promise<Slice> {
  const { requests } = cursor;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        headers: { "accept-encoding": "gzip" },
        requests: [{ setupRequest: (request) => ({ ...request, ...requests[cursor.next++ % requests.length]! }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  return { times, errors: result.errors + result.timeouts + result.non2xx };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repositories: { type: "string", default: "50000" },
      duration: { type: "string", default: "8" },
      connections: { type: "string", default: "8" },
      seed: { type: "string", default: "1" },
      searches: { type: "string", default: "distinct" },
      out: { type: "string", default: "artifacts/bench-mcp.json" },
      serve: { type: "string" },
    },
  });
  if (values.serve) return serve(values.serve);
  const repositories = Number(values.repositories);
  const seconds = Number(values.duration);
  const connections = Number(values.connections);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-mcp-"));
  let child: ChildProcess | null = null;
  try {
    stderr(`filling a catalogue of ${repositories} repositories…`);
    const db = openDatabase(path.join(dir, "catalog.db"));
    const catalogue = fillSyntheticCatalogue(db, { count: repositories, seed: Number(values.seed) });
    db.$client.close();
    stderr(`  ${catalogue.owners} owners (${catalogue.source}); starting the server and building the search index…`);
    child = fork(fileURLToPath(import.meta.url), ["--serve", dir], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const { port, indexMs } = await new Promise<{ port: number; indexMs: number }>((resolve, reject) => {
      child!.once("message", (message) => resolve(message as { port: number; indexMs: number }));
      child!.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    stderr(`  index ready in ${(indexMs / 1000).toFixed(1)} s; server on ${baseUrl}`);

    if (values.searches !== "distinct" && values.searches !== "cycled") throw new Error(`--searches is distinct or cycled, not ${values.searches}`);
    const list = values.searches === "distinct" ? distinctToolSearches() : searches();
    const mcpHeaders = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const api: Request[] = list.map((args) => ({ method: "GET", path: withQuery("/api/v1/repositories", searchQueryString(args) as Record<string, string | string[]>) }));
    const mcpFacets: Request[] = list.map((args, i) => ({ method: "POST", path: "/mcp", body: rpcBody(i + 1, { ...args, include_facets: true }), headers: mcpHeaders }));
    const mcpPlain: Request[] = list.map((args, i) => ({ method: "POST", path: "/mcp", body: rpcBody(i + 1, args), headers: mcpHeaders }));

    // Same answers before anything is timed: the MCP tool is the API's search (the first forty).
    for (let i = 0; i < Math.min(40, list.length); i++) {
      const fromApi = (await (await fetch(`${baseUrl}${api[i]!.path}`)).json()) as { total: number; items: { id: string }[] };
      const rpc = (await (await fetch(`${baseUrl}/mcp`, { method: "POST", body: mcpFacets[i]!.body, headers: mcpHeaders })).json()) as { result: { isError?: boolean; structuredContent: { total: number; items: { id: string }[] } } };
      const fromMcp = rpc.result.structuredContent;
      if (rpc.result.isError || fromMcp.total !== fromApi.total || fromMcp.items.map((item) => item.id).join() !== fromApi.items.map((item) => item.id).join()) {
        throw new Error(`search ${JSON.stringify(list[i])}: MCP and API answers differ`);
      }
    }

    const scenarios: Array<[string, Cursor]> = [["api", { requests: api, next: 0 }], ["mcp+facets", { requests: mcpFacets, next: 0 }], ["mcp", { requests: mcpPlain, next: 0 }]];
    const slices: Record<string, { single: Slice[]; loaded: Slice[] }> = Object.fromEntries(scenarios.map(([name]) => [name, { single: [], loaded: [] }]));
    for (const [, cursor] of scenarios) await measure(baseUrl, cursor, 2, connections); // warm-up
    const rounds = 2;
    for (let round = 1; round <= rounds; round++) {
      stderr(`  round ${round}: ${seconds} slices of 1 s per scenario on 1 connection, then on ${connections}, interleaved…`);
      for (const [kind, width] of [["single", 1], ["loaded", connections]] as const) {
        for (let slice = 0; slice < seconds; slice++) {
          for (const [name, cursor] of scenarios) slices[name]![kind].push(await measure(baseUrl, cursor, 1, width));
        }
      }
    }

    // Per scenario: percentiles over all its answers, every slice of both rounds.
    const results = Object.fromEntries(scenarios.map(([name]) => [name, { single: summarise(slices[name]!.single, rounds * seconds), loaded: summarise(slices[name]!.loaded, rounds * seconds) }]));
    const table = scenarios.map(([name]) => {
      const r = results[name]!;
      return { name, p50: r.single.p50, p95: r.single.p95, loadedP50: r.loaded.p50, loadedP95: r.loaded.p95, rps: r.loaded.requestsPerSecond, errors: r.single.errors + r.loaded.errors };
    });
    const apiRow = table[0]!;
    process.stdout.write(`\n${repositories} repositories (${catalogue.source}), ${list.length} ${values.searches === "distinct" ? "different searches, each scenario going on through them" : "searches asked again and again"}, ${seconds} s per scenario and round in 1-s slices, ${rounds} rounds, ${os.cpus().length} CPUs (autocannon on the same machine)\n`);
    process.stdout.write(`scenario      1 conn p50  p95 ms   ${connections} conn p50  p95 ms   req/s  ×API p95  errors\n`);
    for (const row of table) {
      process.stdout.write(`${row.name.padEnd(12)}  ${String(row.p50).padStart(10)}  ${String(row.p95).padStart(6)}   ${String(row.loadedP50).padStart(10)}  ${String(row.loadedP95).padStart(6)}   ${String(row.rps).padStart(5)}  ${(row.p95 / apiRow.p95).toFixed(2).padStart(8)}  ${row.errors}\n`);
    }
    const ratio = table[1]!.p95 / apiRow.p95;
    const loadAverage = os.loadavg()[0]!.toFixed(1);
    process.stdout.write(ratio <= 1.5 ? `target met: search_repositories through /mcp (with facets) p95 is ${ratio.toFixed(2)}× the API's (≤ 1.5×)\n` : `target missed: /mcp p95 is ${ratio.toFixed(2)}× the API's (> 1.5×)\n`);
    process.stdout.write(`load average at the end: ${loadAverage} (other work on the machine shows in the tails)\n`);
    fs.mkdirSync(path.dirname(path.resolve(values.out!)), { recursive: true });
    fs.writeFileSync(values.out!, `${JSON.stringify({ repositories, source: catalogue.source, searchMode: values.searches, searches: list.length, seconds, rounds, connections, indexMs, cpus: os.cpus().length, loadAverage: os.loadavg(), node: process.version, table, results }, null, 2)}\n`);
    stderr(`report written to ${values.out}`);
  } finally {
    child?.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:mcp failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
