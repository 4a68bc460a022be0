// A harvest under the database lock: the one entry point of the command line
// and the schedule, so that two harvests never overlap, even across processes.
import fs from "node:fs";
import type { ForgeRegistry } from "../forges/registry.ts";
import { planHarvest, readSources, type ForgeSource, type HarvestPlan } from "../sources/sources.ts";
import { declaredSources, mergeSources } from "../declarations/declaredSources.ts";
import { tryAcquireLock } from "../store/lock.ts";
import { closeAbandonedRuns } from "../store/runs.ts";
import { runHarvest, type HarvestDeps, type RunSummary } from "./harvester.ts";
import { refreshReuse } from "../reuse/refresh.ts";

// C1: a harvest of some accounts or hosts only (HarvestJobDeps.selection, from HarvestDeps).
export { SelectionError, type HarvestSelection } from "./selection.ts";

export const harvestLockName = "harvest";

export class HarvestBusyError extends Error {
  override name = "HarvestBusyError";
  readonly reason = "harvest_running";
}

/** `selection` (from HarvestDeps): only those accounts/hosts are harvested, under the same lock, run log and summary. */
export interface HarvestJobDeps extends Omit<HarvestDeps, "sources"> {
  sourcesPath: string;
  lockStaleMs: number;
  /** data/public-bodies.yml, for the reuse graph rebuilt after the run (its placeholder pso_ids: refresh.ts). */
  publicBodiesFile?: string;
}

/**
 * Reads the sources (a malformed file throws SourcesError before anything is
 * written), takes the lock or throws HarvestBusyError, runs, releases.
 */
export async function harvestWithLock(deps: HarvestJobDeps): Promise<RunSummary> {
  // Declarations (issue 11, contract C2): approved declared accounts are harvested with the file's; the file wins.
  const sources = mergeSources(readSources(deps.sourcesPath), declaredSources(deps.db));
  const lock = tryAcquireLock(deps.db, harvestLockName, deps.lockStaleMs);
  if (!lock) throw new HarvestBusyError("another harvest is running");
  if (lock.tookOverFrom) {
    const dead = lock.tookOverFrom;
    deps.reporter?.log?.(`took over the harvest lock of process ${dead.pid} on ${dead.hostname}, which is gone (killed?); its run is closed as interrupted`);
  }
  // Renew well within the stale timeout, so a long run is never taken over.
  const heartbeat = setInterval(() => {
    if (!lock.renew()) deps.reporter?.log?.("warning: the harvest lock was taken over as stale");
  }, Math.max(250, Math.floor(deps.lockStaleMs / 4)));
  heartbeat.unref();
  try {
    closeAbandonedRuns(deps.db, new Date().toISOString());
    const summary = await runHarvest({ ...deps, sources });
    // Issue 10: the reuse graph of what this run left, still under the lock (no harvest writes
    // meanwhile) and before the callers rebuild the search index, which reads the score. Every
    // harvester (schedule, on demand, command line) goes through here. A failure is logged and
    // keeps the previous graph; an interrupted run (stopping) leaves it to the next one.
    if (summary.status !== "interrupted" && !deps.signal?.aborted) {
      refreshReuse(deps.db, { ...(deps.publicBodiesFile ? { publicBodiesFile: deps.publicBodiesFile } : {}), log: (message) => deps.reporter?.log?.(message), rebuilt: (result) => deps.reporter?.reuseRebuilt?.(result) });
    }
    return summary;
  } finally {
    clearInterval(heartbeat);
    lock.release();
  }
}

/**
 * The plan of a harvest that would start now, re-read when the sources file
 * changes: the status page counts only the accounts of the current sources
 * (an account dropped from them no longer shows as failing) and lists the
 * skipped ones with their reason. null while the file cannot be read.
 */
export function harvestPlanReader(
  sourcesPath: string,
  registry: ForgeRegistry,
  now: () => Date = () => new Date(),
  /** The approved declarations (issue 11), harvested with the file's accounts: counted too. */
  declared: () => ForgeSource[] = () => [],
): () => HarvestPlan | null {
  let cached: { mtimeMs: number; day: string; declared: string; plan: HarvestPlan } | null = null;
  return () => {
    try {
      const { mtimeMs } = fs.statSync(sourcesPath);
      const day = now().toISOString().slice(0, 10);
      const extra = declared();
      const declaredKey = JSON.stringify(extra);
      if (!cached || cached.mtimeMs !== mtimeMs || cached.day !== day || cached.declared !== declaredKey) {
        cached = { mtimeMs, day, declared: declaredKey, plan: planHarvest(mergeSources(readSources(sourcesPath), extra), new Set(registry.types()), day) };
      }
      return cached.plan;
    } catch {
      return null;
    }
  };
}
