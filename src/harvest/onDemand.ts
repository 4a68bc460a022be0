// A harvest asked for now, of one account or one host (issue 8; declarations
// use it so that a newly declared account appears without waiting for the
// night's run). Same lock, run log and summary as a full harvest; the search
// index is rebuilt after it.
import type { RunSummary } from "./harvester.ts";
import { HarvestBusyError, harvestWithLock, type HarvestJobDeps } from "./harvestJob.ts";
import type { HarvestSelection } from "./selection.ts";

export interface OnDemandHarvester {
  /**
   * Waits for a running harvest to finish (it does not fail when busy), then
   * harvests the selection, then rebuilds the search index. Rejects with
   * SelectionError when the sources do not list what is asked.
   */
  request(selection: HarvestSelection): Promise<RunSummary>;
}

export interface OnDemandDeps {
  /** The harvest job's dependencies, less what each request sets. */
  job: Omit<HarvestJobDeps, "selection" | "trigger" | "signal">;
  rebuildIndex(): Promise<void>;
  /** Aborting stops a waiting or running request (server shutdown). */
  signal?: AbortSignal;
  /** How often to look again at a lock held by another harvest, in milliseconds (default 5 s). */
  busyPollMs?: number;
  log?(message: string): void;
}

export function createOnDemandHarvester(deps: OnDemandDeps): OnDemandHarvester & { settled(): Promise<void> } {
  // Requests of this process run one after the other: each would only wait for the other's lock.
  let queue: Promise<unknown> = Promise.resolve();
  const signal = deps.signal ?? new AbortController().signal;

  const run = async (selection: HarvestSelection): Promise<RunSummary> => {
    for (;;) {
      try {
        const summary = await harvestWithLock({ ...deps.job, selection, trigger: "on_demand", signal });
        if (summary.status !== "interrupted") {
          await deps.rebuildIndex().catch((error: unknown) => deps.log?.(`search index rebuild failed, the previous index stays: ${error instanceof Error ? error.message : String(error)}`));
        }
        return summary;
      } catch (error) {
        if (!(error instanceof HarvestBusyError) || signal.aborted) throw error;
        await wait(deps.busyPollMs ?? 5_000, signal);
      }
    }
  };

  return {
    request: (selection) => {
      const result = queue.then(() => run(selection));
      queue = result.catch(() => {});
      return result;
    },
    /** Resolves when no request is waiting or running (the server waits for it before closing the store). */
    settled: () => queue.then(() => {}),
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HarvestBusyError("the harvest on demand was cancelled while another harvest was running"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
