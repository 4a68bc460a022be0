// A stand-in for the on-demand harvester (src/harvest/onDemand.ts) in the
// declaration tests: it records what it is asked to harvest and answers the
// summary of a run that harvested nothing, or fails when told to.
import type { RunSummary } from "../../src/harvest/harvester.ts";
import type { HarvestSelection } from "../../src/harvest/harvestJob.ts";
import type { OnDemandHarvester } from "../../src/harvest/onDemand.ts";

export const emptyRunSummary: RunSummary = {
  runId: 0,
  status: "succeeded",
  failures: [],
  retries: 0,
  profiles: { fetched: 0, failed: 0 },
  accountsTotal: 0,
  accountsFailed: 0,
  accountsSkipped: 0,
  repositoriesSeen: 0,
  repositoriesAdded: 0,
  repositoriesUpdated: 0,
  repositoriesRemoved: 0,
  requests: 0,
  notModified: 0,
  rateLimitWaits: 0,
};

export function recordingHarvester(requests: HarvestSelection[], fails: () => boolean = () => false): OnDemandHarvester {
  return {
    request: async (selection) => {
      requests.push(selection);
      if (fails()) throw new Error("harvester down");
      return emptyRunSummary;
    },
  };
}
