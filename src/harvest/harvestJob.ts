// A harvest under the database lock: the one entry point of the command line
// and the schedule, so that two harvests never overlap, even across processes.
import { declaredSources, mergeSources } from "../declarations/declaredSources.ts";
import { readSources } from "../sources/sources.ts";
import { tryAcquireLock } from "../store/lock.ts";
import { closeAbandonedRuns } from "../store/runs.ts";
import { runHarvest, type HarvestDeps, type RunSummary } from "./harvester.ts";

export const harvestLockName = "harvest";

export class HarvestBusyError extends Error {
  override name = "HarvestBusyError";
}

export interface HarvestJobDeps extends Omit<HarvestDeps, "sources"> {
  sourcesPath: string;
  lockStaleMs: number;
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
  // Renew well within the stale timeout, so a long run is never taken over.
  const heartbeat = setInterval(() => {
    if (!lock.renew()) deps.reporter?.log?.("warning: the harvest lock was taken over as stale");
  }, Math.max(250, Math.floor(deps.lockStaleMs / 4)));
  heartbeat.unref();
  try {
    closeAbandonedRuns(deps.db, new Date().toISOString());
    return await runHarvest({ ...deps, sources });
  } finally {
    clearInterval(heartbeat);
    lock.release();
  }
}
