// CPU profile of the uncached pages (issue 13): the production server in one
// process (WEB_WORKERS=1) under node --cpu-prof, loaded by autocannon with
// bench:web's distinct searches or distinct repository pages, then the
// functions with the most self time and total time, and the CPU time a
// request costs (profile samples / requests answered, which the machine's
// other load distorts less than a latency does).
//
//   npx tsx scripts/profile-web.ts -- [--scenario search-distinct|repository-distinct|api-search|mcp-search]
//        [--repositories 50000] [--duration 10] [--connections 4] [--dir DIR] [--top 25]
//        [--plain] [--accept-encoding "gzip, deflate, br, zstd"]
//
// --dir keeps the filled catalogue (and its index) between runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { iterateLiveRepositories } from "../src/store/catalog.ts";
import { openDatabase } from "../src/store/database.ts";
import { repositoryPath } from "../src/web/urls.ts";
import { fillSyntheticCatalogue } from "./lib/syntheticCatalogue.ts";
import { distinctSearches } from "./lib/webScenarios.ts";
import { startServerProcess, stopServerProcess } from "./lib/serverProcess.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self and total microseconds per function (name + file + line), total counted once per stack. */
export function summariseProfile(profile: Profile): { self: Map<string, number>; total: Map<string, number>; idleUs: number; busyUs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(`${rootDir}/`, "");
    return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") {
      if (name === "(idle)") idleUs += dt;
      else busyUs += dt;
      self.set(name, (self.get(name) ?? 0) + dt);
      return;
    }
    busyUs += dt;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  return { self, total, idleUs, busyUs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string", default: "repository-distinct" },
      repositories: { type: "string", default: "50000" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "4" },
      dir: { type: "string" },
      top: { type: "string", default: "25" },
      /** No profiler: only the server's CPU time per request (the profiler adds its own). */
      plain: { type: "boolean", default: false },
      /** The client's Accept-Encoding: gzip (agents), or e.g. "gzip, deflate, br, zstd" (Chrome). */
      "accept-encoding": { type: "string", default: "gzip" },
    },
  });
  const dir = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-profile-web-"));
  fs.mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, "catalog.db");
  if (!fs.existsSync(dbFile)) {
    const db = openDatabase(dbFile);
    fillSyntheticCatalogue(db, { count: Number(values.repositories), seed: 1 });
    db.$client.close();
  }
  const db = openDatabase(dbFile);
  const repositoryPaths = [...iterateLiveRepositories(db)].filter((_, i) => i % 10 === 0).slice(0, 5000).map((row) => repositoryPath(row.host, row.fullName));
  db.$client.close();
  const paths = values.scenario === "search-distinct" ? distinctSearches() : repositoryPaths.slice(200);
  // Issue 12: the API's search and the same search through /mcp (with facets, the API's work).
  const words = ["donnees", "carte", "api", "outil", "sante", "education", "forms", "open", "service", "simulateur"];
  const apiPaths = words.map((word) => `/api/v1/repositories?q=${word}&per_page=10`);
  const mcpBodies = words.map((word, i) =>
    JSON.stringify({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: { name: "search_repositories", arguments: { query: word, limit: 10, include_facets: true } } }),
  );
  const mcpHeaders = { "content-type": "application/json", accept: "application/json, text/event-stream" };

  const profileDir = path.join(dir, "profiles");
  fs.rmSync(profileDir, { recursive: true, force: true });
  const profiler = values.plain ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
  // One process (WEB_WORKERS=1), so that one profile holds every request; no rate limits.
  const { child, port } = await startServerProcess(dir, { nodeArgs: profiler, env: { WEB_WORKERS: "1", RATE_LIMIT_API: "0", RATE_LIMIT_MCP: "0" } });
  // The server's own CPU time (user + system, from /proc) over the load only: what a request costs,
  // which other processes on the machine distort less than a latency.
  const cpuTicks = () => {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const ticksBefore = fs.existsSync(`/proc/${child.pid}/stat`) ? cpuTicks() : null;
  let next = 0;
  let answered = 0;
  await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: Number(values.connections),
        duration: Number(values.duration),
        headers: { "accept-encoding": values["accept-encoding"]!, "accept-language": "fr-FR,fr;q=0.9" },
        requests: [
          {
            setupRequest: (request) => {
              const i = next++;
              if (values.scenario === "mcp-search") return { ...request, method: "POST", path: "/mcp", headers: { ...request.headers, ...mcpHeaders }, body: mcpBodies[i % mcpBodies.length]! };
              if (values.scenario === "api-search") return { ...request, path: apiPaths[i % apiPaths.length]! };
              return { ...request, path: paths[i % paths.length]! };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", () => answered++);
  });
  // Linux clock ticks are 1/100 s (USER_HZ).
  const cpuMs = ticksBefore === null ? null : (cpuTicks() - ticksBefore) * 10;
  await stopServerProcess(child);
  if (values.plain) {
    process.stdout.write(
      `${values.scenario}: ${answered} requests in ${values.duration} s (${Math.round(answered / Number(values.duration))}/s, one process)` +
        (cpuMs === null ? "" : `; server CPU ${(cpuMs / answered).toFixed(2)} ms a request (user + system)`) +
        `; load average ${os.loadavg()[0]!.toFixed(1)}\n`,
    );
    return;
  }
  // The main thread's profile (the others are worker threads: the module loader's, an index build's).
  const file = fs.readdirSync(profileDir).find((name) => /\.0\.\d+\.cpuprofile$/.test(name));
  if (!file) throw new Error("no profile written");
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), "utf8")) as Profile;
  const { self, total, busyUs } = summariseProfile(profile);
  const top = Number(values.top);
  const show = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${name}\n`);
    }
  };
  process.stdout.write(
    `${values.scenario}: ${answered} requests in ${values.duration} s (${Math.round(answered / Number(values.duration))}/s under the profiler); ` +
        (cpuMs === null ? "" : `server CPU ${(cpuMs / answered).toFixed(2)} ms a request (user + system, profiler included); `) +
      `profile ${(busyUs / 1000).toFixed(0)} ms busy with start-up; load average ${os.loadavg()[0]!.toFixed(1)}\n`,
  );
  show("self time", self);
  show("total time", total);
  process.stdout.write(`\nprofile: ${path.join(profileDir, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile-web failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
