// The production server (src/bin/serve.ts, as `npm start` runs it) in a child
// process for the benchmarks: on the catalogue of a directory, no harvest, no
// schedule, its JSON log to a file in that directory (as to journald in
// production), its standard error on ours. bench:web, bench:search,
// bench:reuse and profile-web start it here.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** From the spawn to its "listening on" line (index load or build, warm-up), in ms. */
  readyMs: number;
}

export interface ServerProcessOptions {
  /** Environment beside the defaults (WEB_WORKERS, RATE_LIMIT_API...). */
  env?: Record<string, string>;
  /** Node's own flags before the entry point (a profiler's). */
  nodeArgs?: string[];
}

/** A server that has not listened after this long is stuck (an index build at 100,000 repositories takes about a minute). */
const startLimitMs = 10 * 60_000;

/** Starts the server on `dir`/catalog.db (its index in `dir`/index) on a free port; resolves once it listens. */
export async function startServerProcess(dir: string, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const logFile = path.join(dir, "serve.log");
  const log = fs.openSync(logFile, "w");
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", path.join(rootDir, "src", "bin", "serve.ts")], {
    cwd: rootDir,
    env: {
      ...process.env,
      DATABASE_PATH: path.join(dir, "catalog.db"),
      PORT: "0",
      HOST: "127.0.0.1",
      HARVEST_ON_START: "false",
      HARVEST_CRON: "",
      BACKUP_CRON: "",
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", log, "inherit"],
  });
  fs.closeSync(log);
  // Its "listening on" line is logged at info level, once every web worker listens.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
    if (performance.now() - started > startLimitMs) {
      child.kill("SIGTERM");
      throw new Error(`the server did not start within ${startLimitMs / 60_000} minutes: ${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
    }
    const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(fs.readFileSync(logFile, "utf8"));
    if (match) return { child, origin: match[1]!, port: Number(match[2]), readyMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, and resolves once the process has exited (at once if it already has). */
export async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
