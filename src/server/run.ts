// How the server runs on a machine (issue 13). With WEB_WORKERS > 1 (the
// default: one per core) node's cluster module forks web workers that share
// the port, the WAL store and the index file; the primary process opens the
// store first (migrations), loads or builds the index, then runs what must
// happen once per machine: the scheduler (harvests, index refreshes, backups)
// and index builds. After a rebuild it tells the workers, which read the new
// file. With WEB_WORKERS=1 one process does everything, as in development.
import cluster from "node:cluster";
import fs from "node:fs";
import type { RequestListener, Server } from "node:http";
import path from "node:path";
import type { Config } from "../config/config.ts";
import { flushLogger, lineLogger, type Logger } from "../observability/logger.ts";
import { createMetrics, watchRepositoryStates, type Metrics } from "../observability/metrics.ts";
import { openSearchEngine, type IndexedSearchEngine, type IndexSwap } from "../search/engine.ts";
import { indexFileName } from "../search/indexFile.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import { openDatabase, type Db } from "../store/database.ts";
import { ensureReuseGraph } from "../reuse/refresh.ts";
import { ClusterPrimary, ClusterWorker, type PrimaryHandlers } from "./cluster.ts";
import { listen } from "./httpServer.ts";
import { warmUp, warmupPaths } from "./warmup.ts";

/** What a process that answers HTTP has. */
export interface WebProcess {
  db: Db;
  search: IndexedSearchEngine;
  logger: Logger;
  metrics: Metrics;
  /** The text of /metrics: the whole cluster's. */
  gatherMetrics: () => Promise<{ contentType: string; text: string }>;
  /** Runs one of the primary's handlers (see Background.handlers), directly in a single process. */
  callPrimary: (name: string, argument: unknown) => Promise<unknown>;
}

/** What the one process that harvests has. */
export interface BackgroundProcess {
  db: Db;
  search: IndexedSearchEngine;
  logger: Logger;
  metrics: Metrics;
}

export interface Background {
  /** Stops at a clean point (the scheduler, a running harvest). */
  stop(): Promise<void>;
  /** Functions web workers may run here, by name, e.g. an on-demand harvest. */
  handlers?: PrimaryHandlers;
}

export interface ServerOptions {
  config: Config;
  rootDir: string;
  logger: Logger;
  /** The app of a process that answers HTTP: every web worker, or the only process. */
  createWebApp(web: WebProcess): RequestListener;
  /** What runs once per machine, in the primary (or only) process. */
  startBackground(background: BackgroundProcess): Background;
  /** The script web workers run (the server's entry point); default: the script that started the primary. */
  workerEntry?: string;
  /** What the web app keeps with each row, made as the engine warms the rows of a serving process (issue 13). */
  onRowsWarmed?: (rows: RepositoryRow[]) => void;
}

/** A worker that died this soon after it started is crashing at start: wait before the next. */
const respawnDelayMs = 1_000;
/** Longest wait for open connections at a stop, in milliseconds; then they are cut. */
const drainMs = 10_000;

function indexDir(config: Config): string {
  return path.join(path.dirname(config.databasePath), "index");
}

/** The public-body directory shipped with the catalogue (data/public-bodies.yml). */
export function publicBodiesFile(rootDir: string): string {
  return path.join(rootDir, "data", "public-bodies.yml");
}

/** Index figures on every swap: documents, file size, build time. */
function measureIndex(metrics: Metrics, config: Config): (swap: IndexSwap) => void {
  return (swap) => {
    metrics.indexDocuments.set(swap.documentCount);
    if (swap.built) metrics.indexBuildSeconds.observe(swap.durationMs / 1000);
    try {
      metrics.indexBytes.set(fs.statSync(path.join(indexDir(config), indexFileName)).size);
    } catch {
      // an index built in memory (no file): no size
    }
  };
}

async function stopServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), drainMs);
  await closed;
  clearTimeout(timer);
}

function onStopSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal);
  };
  process.once("SIGTERM", () => handler("SIGTERM"));
  process.once("SIGINT", () => handler("SIGINT"));
}

/** The primary's (or single process's) store, metrics and index. */
async function openOwner(options: ServerOptions, onSwap: (swap: IndexSwap) => void, serves: boolean): Promise<BackgroundProcess> {
  const { config, logger } = options;
  const db = openDatabase(config.databasePath);
  const metrics = createMetrics();
  watchRepositoryStates(metrics, db);
  const measure = measureIndex(metrics, config);
  // Issue 10: a store with repositories but no reuse graph yet (from before issue 10, restored) gets
  // one now, before the search index is opened: the index reads the reuse score.
  ensureReuseGraph(db, { publicBodiesFile: publicBodiesFile(options.rootDir), log: lineLogger(logger), rebuilt: (result) => metrics.reuseRebuildSeconds.observe((result.loadMs + result.durationMs) / 1000) });
  const search = await openSearchEngine({
    db,
    indexDir: indexDir(config),
    publicBodiesFile: publicBodiesFile(options.rootDir),
    log: lineLogger(logger),
    onSwap: (swap) => {
      measure(swap);
      onSwap(swap);
    },
    // Issue 13: the process that answers requests keeps the rows of the best-ranked repositories at hand.
    warmRowCache: serves,
    ...(serves && options.onRowsWarmed ? { onRowsWarmed: options.onRowsWarmed } : {}),
  });
  measure({ generation: search.generation, documentCount: search.current.documentCount, durationMs: 0, built: false });
  return { db, search, logger, metrics };
}

function address(config: Config, server: Server): string {
  const bound = server.address();
  const port = typeof bound === "object" && bound ? bound.port : config.port;
  return `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
}

/** Longest warm-up of a web process, in milliseconds: a slow machine starts anyway. */
const warmupMaxMs = 30_000;

/**
 * A web process asks itself for pages like readers' before it listens
 * (warmup.ts): a failure there is logged, never fatal, as a cold server is
 * still a server.
 */
async function warmBeforeListening(app: RequestListener, db: Db, config: Config, logger: Logger): Promise<void> {
  try {
    const paths = warmupPaths(db, config.warmupRequests);
    if (paths.length === 0) return;
    const result = await warmUp(app, paths, { maxMs: warmupMaxMs });
    logger.info(`warmed up: ${result.requests} requests of its own in ${result.durationMs} ms`);
    if (result.failures.length > 0) logger.warn(`warm-up: ${result.failures.length} answers were not 2xx, e.g. ${result.failures.slice(0, 3).join("; ")}`);
  } catch (error) {
    logger.warn(`warm-up skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * V8 flags of the web workers (issue 13). Measured at 50,000 repositories,
 * two workers: after a minute without requests, 1,000 distinct search pages a
 * second cost 2 to 4 ms of CPU each for about two seconds (a p95 of 170 to
 * 230 ms over five seconds), as V8 had used the quiet minute to give memory
 * back: the memory reducer's full collections shrink the heap and, with
 * bytecode flushing, drop the compiled code of functions not run lately,
 * which then run in the interpreter again. With both flags off, the same
 * test gives 0.6 to 0.9 s of slower pages instead of about 2 (README, eighth
 * pass); the price is a heap that stays at its working size (about 170 MB a
 * worker at 50,000 repositories) when idle.
 */
export const webWorkerV8Flags = ["--no-memory-reducer", "--no-flush-bytecode"] as const;

async function runSingle(options: ServerOptions): Promise<void> {
  const { config, logger } = options;
  const owner = await openOwner(options, () => {}, true);
  const background = options.startBackground(owner);
  const app = options.createWebApp({
    ...owner,
    gatherMetrics: async () => ({ contentType: owner.metrics.registry.contentType, text: await owner.metrics.registry.metrics() }),
    callPrimary: async (name, argument) => {
      const handler = background.handlers?.[name];
      if (!handler) throw new Error(`no function ${name}`);
      return handler(argument);
    },
  });
  await warmBeforeListening(app, owner.db, config, logger);
  const server = await listen(app, config.port, config.host, config);
  logger.info(`Code Commun listening on ${address(config, server)} (one process)`);
  onStopSignal(async (signal) => {
    logger.info(`${signal}: stopping (a running harvest stops at its next clean point)`);
    const closing = stopServer(server);
    await background.stop();
    await owner.search.close();
    await closing;
    owner.db.$client.close();
    logger.info("stopped");
    // Issue 13: request logs are buffered (observability/logger.ts); the last ones are written now.
    await flushLogger(logger);
  });
}

async function runPrimary(options: ServerOptions): Promise<void> {
  const { config, logger } = options;
  let primary: ClusterPrimary | null = null;
  // The primary serves no requests (its workers do): no rows to warm.
  const owner = await openOwner(options, (swap) => primary?.indexSwapped(swap.generation), false);
  const background = options.startBackground(owner);
  primary = new ClusterPrimary(owner.metrics, () => background.handlers ?? {});

  let stopping = false;
  // Workers run the server's entry point, not whatever script started the primary:
  // `npm run demo` runs the server inside its own script, which must not run again per worker.
  cluster.setupPrimary({ ...(options.workerEntry ? { exec: options.workerEntry } : {}), execArgv: [...process.execArgv, ...webWorkerV8Flags] });
  const fork = () => cluster.fork({ CODE_COMMUN_ROLE: "web" });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    logger.error(`web worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}): starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, respawnDelayMs).unref();
  });
  let listening = 0;
  cluster.on("listening", (worker, bound) => {
    logger.debug(`web worker ${worker.process.pid} listening`);
    if (++listening === config.webWorkers) logger.info(`Code Commun listening on http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${bound.port} (${config.webWorkers} web workers)`);
  });
  for (let i = 0; i < config.webWorkers; i++) fork();

  onStopSignal(async (signal) => {
    stopping = true;
    logger.info(`${signal}: stopping (a running harvest stops at its next clean point)`);
    const workersGone = Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
            setTimeout(() => worker.process.kill("SIGKILL"), drainMs + 5_000).unref();
          }),
      ),
    );
    await background.stop();
    await owner.search.close();
    await workersGone;
    owner.db.$client.close();
    logger.info("stopped");
    // Issue 13: request logs are buffered (observability/logger.ts); the last ones are written now.
    await flushLogger(logger);
  });
}

async function runWorker(options: ServerOptions): Promise<void> {
  const { config, logger } = options;
  const db = openDatabase(config.databasePath);
  const metrics = createMetrics();
  const measure = measureIndex(metrics, config);
  let worker: ClusterWorker | null = null;
  const search = await openSearchEngine({ db, indexDir: indexDir(config), publicBodiesFile: publicBodiesFile(options.rootDir), readOnly: true, onSwap: measure, warmRowCache: true, ...(options.onRowsWarmed ? { onRowsWarmed: options.onRowsWarmed } : {}) });
  measure({ generation: search.generation, documentCount: search.current.documentCount, durationMs: 0, built: false });
  worker = new ClusterWorker(metrics, () => {
    try {
      if (search.reload()) logger.debug(`search index reloaded: generation ${search.generation}`);
    } catch (error) {
      logger.error(`search index reload failed, the previous index stays: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const cw = worker;
  const app = options.createWebApp({ db, search, logger, metrics, gatherMetrics: () => cw.gatherMetrics(), callPrimary: (name, argument) => cw.call(name, argument) });
  // The primary hands a worker connections once it listens: after its warm-up.
  await warmBeforeListening(app, db, config, logger);
  const server = await listen(app, config.port, config.host, config);
  onStopSignal(async () => {
    await stopServer(server);
    db.$client.close();
    await flushLogger(logger); // issue 13: buffered request logs
    process.exit(0);
  });
  // The primary is gone (killed): a worker alone would serve an index nobody refreshes.
  process.on("disconnect", () => {
    void stopServer(server).finally(() => process.exit(0));
  });
}

export async function runServer(options: ServerOptions): Promise<void> {
  if (cluster.isWorker) return runWorker(options);
  if (options.config.webWorkers > 1) return runPrimary(options);
  return runSingle(options);
}
