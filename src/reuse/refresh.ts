// When the reuse graph is rebuilt: after each harvest (harvestJob.ts, under
// the harvest lock, before the search index is rebuilt, since the index reads
// the score) and at start when the store has repositories but no graph yet
// (a store from before issue 10, or a restored backup). A failed rebuild is
// logged and the previous graph stays: the harvest never fails for it.
import { performance } from "node:perf_hooks";
import type { Db } from "../store/database.ts";
import { countLiveRepositories } from "../store/catalog.ts";
import { hasReuseGraph } from "../store/reuse.ts";
import { loadReuseInputs, type ReuseInputOptions } from "../store/reuseInputs.ts";
import { readPublicBodies } from "../sources/publicBodies.ts";
import { rebuildReuse, type ReuseRebuildResult } from "./rebuild.ts";

export interface ReuseRefreshResult extends ReuseRebuildResult {
  /** Time to read the inputs from the store (loadReuseInputs), in milliseconds; durationMs is the rebuild's. */
  loadMs: number;
}

export interface ReuseRefreshDeps {
  log?(message: string): void;
  /** Told of each successful rebuild (metrics). */
  rebuilt?(result: ReuseRefreshResult): void;
  now?: () => Date;
  /**
   * data/public-bodies.yml: its `unidentified` ids (placeholders meaning "body not known") count as
   * no public body, so two unrelated accounts sharing a placeholder are never one body. Read at each
   * rebuild, like the search index does, so an edited directory applies at the next one. Without it,
   * or when it cannot be read (logged), the nil UUID alone is the placeholder.
   */
  publicBodiesFile?: string;
}

function inputOptions(deps: ReuseRefreshDeps): ReuseInputOptions {
  if (!deps.publicBodiesFile) return {};
  try {
    const directory = readPublicBodies(deps.publicBodiesFile);
    return { isUnidentified: (psoId) => directory.isUnidentified(psoId) };
  } catch (error) {
    deps.log?.(`reuse graph: the public-body directory cannot be read, the nil UUID alone counts as "body not known": ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

/** Loads the inputs and rebuilds; null when it failed (logged, previous graph kept). */
export function refreshReuse(db: Db, deps: ReuseRefreshDeps = {}): ReuseRefreshResult | null {
  try {
    const started = performance.now();
    const inputs = loadReuseInputs(db, inputOptions(deps));
    const loadMs = Math.round(performance.now() - started);
    const result = { ...rebuildReuse(db, inputs, (deps.now ?? (() => new Date()))()), loadMs };
    deps.log?.(`reuse graph rebuilt: ${result.repositories} repositories, ${result.edges} edges in ${result.durationMs} ms (inputs read in ${loadMs} ms; ${result.changes.deleted + result.changes.inserted + result.changes.updated} rows written under the write lock for ${result.writeMs} ms)`);
    deps.rebuilt?.(result);
    return result;
  } catch (error) {
    deps.log?.(`reuse graph rebuild failed, the previous graph stays: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** At start: builds the graph when the store has repositories but none was ever built. */
export function ensureReuseGraph(db: Db, deps: ReuseRefreshDeps = {}): ReuseRefreshResult | null {
  if (hasReuseGraph(db) || countLiveRepositories(db) === 0) return null;
  deps.log?.("the store has repositories but no reuse graph yet: building it");
  return refreshReuse(db, deps);
}
