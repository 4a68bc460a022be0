// What the page routes share: their dependencies, plus what createApp builds
// once at start (the public bodies directory, the figures cache, asset URLs).
import type { OnDemandHarvester } from "../harvest/onDemand.ts";
import type { SearchEngine } from "../search/types.ts";
import type { PublicBodyDirectory } from "../sources/publicBodies.ts";
import type { HarvestPlan } from "../sources/sources.ts";
import type { Db } from "../store/database.ts";
import type { Cached } from "./cache.ts";
import type { Slots } from "./slots.ts";

export interface Site {
  db: Db;
  search: SearchEngine;
  publicBodies: PublicBodyDirectory;
  cached: Cached;
  /** The harvest's cron expression; "" when harvests run on demand only. */
  harvestCron: string;
  now: () => Date;
  // Issue 8.
  /** Harvests accounts now (C1); absent in tests that do not need it. */
  harvester?: OnDemandHarvester;
  /** The plan of the current sources (status page and API); absent: every account ever harvested counts. */
  harvestPlan?: () => HarvestPlan | null;
  /** Exports streamed at the same time, the others queued (issue 13). */
  exportSlots: Slots;
  // --- Operator, contact and getting listed (issue 14) ---
  operator: OperatorInfo;
  /** The page where a body declares its accounts, once that route exists (another branch); null: not offered. */
  declarationsPath: string | null;
}

/** Who runs the site and how to reach them (OPERATOR_NAME, CONTACT_EMAIL, SOURCES_URL). */
export interface OperatorInfo {
  name: string | null;
  email: string | null;
  sourcesUrl: string | null;
}
