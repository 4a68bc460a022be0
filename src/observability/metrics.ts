// Prometheus metrics (prom-client), one registry per process. In cluster mode
// each web worker and the primary keep their own; src/server/ merges them for
// /metrics with AggregatorRegistry.aggregate, each metric by its own rule:
// counters and histograms add up, gauges describing shared state (the index,
// the store) take the largest value instead of counting it once per worker.
import client from "prom-client";
import type { HarvestReporter, RunSummary } from "../harvest/harvester.ts";
import type { Db } from "../store/database.ts";
import { countRepositoriesByState } from "../store/repositoryStates.ts";

export interface Metrics {
  readonly registry: client.Registry;
  /** HTTP answers by method, route pattern (never the raw path: bounded labels) and status. */
  readonly httpDuration: client.Histogram<"method" | "route" | "status">;
  /** Time of one search in the engine (the index and the page of rows), by caller. */
  readonly searchDuration: client.Histogram<"kind">;
  readonly indexDocuments: client.Gauge;
  readonly indexBytes: client.Gauge;
  readonly indexBuildSeconds: client.Histogram;
  readonly harvestRuns: client.Counter<"status">;
  readonly accountsFailed: client.Counter<"reason">;
  /** Requests to forges, attributed to the host of the account that finished (approximate while several hosts run at once). */
  readonly forgeRequests: client.Counter<"host">;
  readonly rateLimitWaits: client.Counter<"host">;
  readonly rateLimitWaitSeconds: client.Counter<"host">;
  /** Requests refused by our own rate limiter, by endpoint group. */
  readonly rateLimited: client.Counter<"limiter">;
  readonly backups: client.Counter<"status">;
  readonly backupBytes: client.Gauge;
  /** Issue 10: rebuilds of the reuse graph (reading the inputs and writing the graph). */
  readonly reuseRebuildSeconds: client.Histogram;
}

/** Seconds: API answers take a millisecond or two, pages a few, exports seconds. */
const httpBuckets = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export function createMetrics(options: { defaultMetrics?: boolean; prefix?: string } = {}): Metrics {
  const registry = new client.Registry();
  const prefix = options.prefix ?? "codecommun_";
  // Process metrics (CPU, memory, event-loop lag) of every process; summed across workers.
  if (options.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];
  return {
    registry,
    httpDuration: new client.Histogram({ name: `${prefix}http_request_duration_seconds`, help: "HTTP answers by route", labelNames: ["method", "route", "status"], buckets: httpBuckets, registers }),
    searchDuration: new client.Histogram({ name: `${prefix}search_duration_seconds`, help: "Searches in the engine, by kind: text, browse (no words), similar (a repository's similar ones)", labelNames: ["kind"], buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1], registers }),
    indexDocuments: new client.Gauge({ name: `${prefix}search_index_documents`, help: "Repositories in the loaded search index", registers, aggregator: "max" }),
    indexBytes: new client.Gauge({ name: `${prefix}search_index_bytes`, help: "Size of the search index file", registers, aggregator: "max" }),
    indexBuildSeconds: new client.Histogram({ name: `${prefix}search_index_build_seconds`, help: "Search index builds", buckets: [1, 2, 5, 10, 20, 40, 80, 160], registers }),
    harvestRuns: new client.Counter({ name: `${prefix}harvest_runs_total`, help: "Harvest runs by final status", labelNames: ["status"], registers }),
    accountsFailed: new client.Counter({ name: `${prefix}harvest_accounts_failed_total`, help: "Accounts whose harvest failed, by reason", labelNames: ["reason"], registers }),
    forgeRequests: new client.Counter({ name: `${prefix}forge_requests_total`, help: "Requests to forges, by host", labelNames: ["host"], registers }),
    rateLimitWaits: new client.Counter({ name: `${prefix}forge_rate_limit_waits_total`, help: "Waits for a forge's rate-limit reset", labelNames: ["host"], registers }),
    rateLimitWaitSeconds: new client.Counter({ name: `${prefix}forge_rate_limit_wait_seconds_total`, help: "Time announced for rate-limit waits", labelNames: ["host"], registers }),
    rateLimited: new client.Counter({ name: `${prefix}http_rate_limited_total`, help: "Requests refused by the rate limiter (429)", labelNames: ["limiter"], registers }),
    backups: new client.Counter({ name: `${prefix}backups_total`, help: "Backups by result", labelNames: ["status"], registers }),
    backupBytes: new client.Gauge({ name: `${prefix}backup_bytes`, help: "Size of the last backup", registers, aggregator: "max" }),
    reuseRebuildSeconds: new client.Histogram({ name: `${prefix}reuse_rebuild_seconds`, help: "Reuse graph rebuilds (inputs read and graph written)", buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 40, 80], registers }),
  };
}

/** Repositories by state, read from the store at each scrape (one indexed count, a few milliseconds at 50,000). */
export function watchRepositoryStates(metrics: Metrics, db: Db, prefix = "codecommun_"): void {
  new client.Gauge({
    name: `${prefix}repositories`,
    help: "Repositories in the store by state (live, archived, removed)",
    labelNames: ["state"],
    registers: [metrics.registry],
    aggregator: "max",
    collect() {
      for (const [state, count] of Object.entries(countRepositoriesByState(db))) this.set({ state }, count);
    },
  });
}

/**
 * A HarvestReporter that counts, to combine with the one that prints (see
 * combineReporters): the harvester's internals stay untouched.
 */
export function metricsReporter(metrics: Metrics): HarvestReporter & { runFinished(summary: RunSummary): void } {
  let requestsSoFar = 0;
  return {
    runStarted: () => {
      requestsSoFar = 0;
    },
    accountFinished: (result, totals) => {
      if (result.status === "failed") metrics.accountsFailed.inc({ reason: result.reason ?? "unknown" });
      metrics.forgeRequests.inc({ host: result.host }, Math.max(0, totals.requests - requestsSoFar));
      requestsSoFar = totals.requests;
    },
    rateLimitWait: ({ host, waitMs }) => {
      metrics.rateLimitWaits.inc({ host });
      metrics.rateLimitWaitSeconds.inc({ host }, waitMs / 1000);
    },
    runFinished: (summary) => {
      metrics.harvestRuns.inc({ status: summary.status });
    },
    reuseRebuilt: (result) => {
      metrics.reuseRebuildSeconds.observe((result.loadMs + result.durationMs) / 1000);
    },
  };
}

/** One reporter calling each of `reporters` in turn. */
export function combineReporters(...reporters: HarvestReporter[]): HarvestReporter {
  return {
    runStarted: (info) => reporters.forEach((r) => r.runStarted?.(info)),
    accountStarted: (account) => reporters.forEach((r) => r.accountStarted?.(account)),
    accountFinished: (result, totals) => reporters.forEach((r) => r.accountFinished?.(result, totals)),
    rateLimitWait: (info) => reporters.forEach((r) => r.rateLimitWait?.(info)),
    log: (message) => reporters.forEach((r) => r.log?.(message)),
    reuseRebuilt: (result) => reporters.forEach((r) => r.reuseRebuilt?.(result)),
  };
}
