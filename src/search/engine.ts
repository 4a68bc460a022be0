// The search engine the web layer uses: one loaded index at a time, swapped
// whole after a rebuild. A query reads `current` once and works on that index
// to the end, so it never sees half of a new one; the new index is complete
// (built, written, read back) before the swap, which is one assignment.
import fs from "node:fs";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { cachedRowCount, listRepositoriesByPk, rowCacheWarmRows, type RepositoryRow } from "../store/catalog.ts";
import type { Db } from "../store/database.ts";
import { databaseFile } from "../store/readOnly.ts";
import type { IndexData } from "./indexData.ts";
import { indexFileName, readIndexFile } from "./indexFile.ts";
import { SearchIndex } from "./searchIndex.ts";
import { buildInWorker, buildIndexFromStore, indexFingerprint } from "./storeBuild.ts";
import type { SearchEngine, SearchFilters, SearchQuery, SearchResult, SimilarMatch } from "./types.ts";

export interface SearchEngineOptions {
  db: Db;
  /** Folder of the persisted index, e.g. data/index. */
  indexDir: string;
  /** data/public-bodies.yml (names indexed with each pso_id); optional. */
  publicBodiesFile?: string;
  log?: (message: string) => void;
  /** The build date of an index; freshness in the ranking is measured from it. */
  now?: () => Date;
  /**
   * Where rebuilds run. "worker" (the default for a database file) keeps the
   * server answering during a build; "process" builds on the calling thread
   * (in-memory databases, which a worker cannot open).
   */
  buildIn?: "worker" | "process";
  /**
   * A web worker of the cluster (src/server/): it only reads the index file
   * that the primary process builds, never builds one; rebuild() reloads the
   * file. Issue 13.
   */
  readOnly?: boolean;
  /** Called after each swap to a new index (a rebuild or a reload), e.g. to tell the web workers, to measure. */
  onSwap?: (swap: IndexSwap) => void;
  /**
   * A process that serves requests (issue 13): after each load or swap, the
   * rows of the best-ranked repositories (up to half the store's row cache)
   * are read into that cache, a slice at a time between requests, so that
   * the first searches after a start or a harvest do not read them one page
   * at a time. Off by default: tests and the CLI read what they ask for.
   */
  warmRowCache?: boolean;
  /**
   * Each slice of rows the warm-up read, for what is derived from rows and
   * kept with them (the API's record JSON, src/web/api/present.ts).
   */
  onRowsWarmed?: (rows: RepositoryRow[]) => void;
}

export interface IndexSwap {
  generation: string;
  documentCount: number;
  /** Time of the build (or of the reload), in milliseconds. */
  durationMs: number;
  built: boolean;
}

export class IndexedSearchEngine implements SearchEngine {
  private index: SearchIndex;
  /** A rebuild asked for but not started yet: later requests join it, as it will read the data they want indexed. */
  private queued: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private worker: Worker | null = null;
  private readonly log: (message: string) => void;
  /** The warm-up of the row cache for the current index (options.warmRowCache): the rows in the cache when it ends. */
  warming: Promise<number> = Promise.resolve(0);
  private closed = false;

  constructor(
    private readonly options: SearchEngineOptions,
    index: SearchIndex,
  ) {
    this.index = index;
    this.log = options.log ?? (() => {});
    this.warmRows();
  }

  /**
   * Reads the rows of the current index's best-ranked repositories (by its
   * ranking signal, the order of a search without text) into the store's row
   * cache, 200 at a time with the event loop free in between (measured with
   * the API's records, onRowsWarmed: 10,000 rows in 250 ms at 50,000
   * repositories, some 5 ms a slice). Stops when another index takes over (it warms its own) or the
   * engine closes; a failing read only ends the warm-up.
   */
  private warmRows(): void {
    if (!this.options.warmRowCache) return;
    const index = this.index;
    const { bySignal, pk } = index.data.arrays;
    const pks = Array.from(bySignal.subarray(0, Math.min(bySignal.length, rowCacheWarmRows)), (doc) => pk[doc]!);
    this.warming = new Promise((resolve) => {
      let next = 0;
      let cached = 0;
      const slice = () => {
        if (this.closed || this.index !== index || next >= pks.length) return resolve(cached);
        try {
          const rows = listRepositoriesByPk(this.options.db, pks.slice(next, (next += 200)));
          this.options.onRowsWarmed?.(rows);
          cached = cachedRowCount(this.options.db);
        } catch (error) {
          this.log(`row cache warm-up stopped: ${error instanceof Error ? error.message : String(error)}`);
          return resolve(cached);
        }
        setImmediate(slice);
      };
      setImmediate(slice);
    });
  }

  get generation(): string {
    return this.index.generation;
  }

  /** The index queries run on now. */
  get current(): SearchIndex {
    return this.index;
  }

  search(query: SearchQuery): SearchResult {
    const index = this.index;
    const page = index.run(query);
    const pks = page.docs.map((doc) => index.data.arrays.pk[doc]!);
    // Rows come from the store, so a page shows current data; one removed since the build is left out.
    const result: SearchResult = { total: page.total, page: query.page, perPage: query.perPage, items: listRepositoriesByPk(this.options.db, pks), facets: page.facets };
    if (page.unsearchable) result.unsearchable = true;
    return result;
  }

  moreLikeThis(q: string, filters: SearchFilters, limit: number): RepositoryRow[] {
    const index = this.index;
    const docs = index.moreLikeThis(q, filters, limit);
    return listRepositoriesByPk(this.options.db, docs.map((doc) => index.data.arrays.pk[doc]!));
  }

  storedSimilar(row: RepositoryRow): SimilarMatch[] | null {
    const index = this.index;
    const docs = index.storedSimilar(row.pk);
    const reasons = index.storedReasons(row.pk);
    if (docs === null || reasons === null) return null;
    const pks = docs.map((doc) => index.data.arrays.pk[doc]!);
    // A repository no longer live since the build is left out, with its reasons. The reasons are the
    // build's, as the list is: a description changed since reads anew at the next build.
    const rows = new Map(listRepositoriesByPk(this.options.db, pks).map((found) => [found.pk, found]));
    return pks.flatMap((pk, i) => {
      const found = rows.get(pk);
      return found ? [{ row: found, reasons: reasons[i]! }] : [];
    });
  }

  allMatches(query: Omit<SearchQuery, "page" | "perPage">): number[] {
    const index = this.index;
    const { docs } = index.run({ ...query, page: 1, perPage: Math.max(1, index.documentCount), facets: false });
    return docs.map((doc) => index.data.arrays.pk[doc]!);
  }

  rebuild(): Promise<void> {
    if (this.options.readOnly) return Promise.resolve(this.reload()).then(() => {});
    if (this.queued) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return this.buildAndSwap();
    });
    this.queued = run;
    this.chain = run.catch(() => {});
    return run;
  }

  /**
   * Reads the index file again and swaps to it when it is another generation
   * (a web worker told by the primary that it rebuilt the index). Returns
   * whether it swapped; an unreadable file leaves the current index in place.
   */
  reload(): boolean {
    const started = Date.now();
    const data = readIndexFile(path.join(this.options.indexDir, indexFileName));
    if (data.meta.generation === this.index.generation) return false;
    this.index = new SearchIndex(data);
    this.options.onSwap?.({ generation: this.index.generation, documentCount: this.index.documentCount, durationMs: Date.now() - started, built: false });
    this.warmRows();
    return true;
  }

  /** Rebuilds when the store changed since the index was built (a harvest run by the CLI, in another process). */
  async refreshIfStale(): Promise<boolean> {
    if (indexFingerprint(this.options.db, this.options.publicBodiesFile) === this.index.data.meta.fingerprint) return false;
    await this.rebuild();
    return true;
  }

  /** Stops a build in progress (at shutdown); its temporary file is cleaned by a later build. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private async buildAndSwap(): Promise<void> {
    const started = Date.now();
    const index = await buildIndex(this.options, (worker) => (this.worker = worker)).finally(() => (this.worker = null));
    this.index = index;
    this.options.onSwap?.({ generation: index.generation, documentCount: index.documentCount, durationMs: Date.now() - started, built: true });
    this.warmRows();
    this.log(`search index rebuilt: ${index.documentCount} repositories in ${((Date.now() - started) / 1000).toFixed(1)} s (generation ${index.generation})`);
  }
}

async function buildIndex(options: SearchEngineOptions, onWorker: (worker: Worker) => void): Promise<SearchIndex> {
  const builtAt = (options.now ?? (() => new Date()))();
  const file = databaseFile(options.db);
  if (options.buildIn === "process" || file === null) {
    const { data } = buildIndexFromStore(options.db, { indexDir: options.indexDir, publicBodiesFile: options.publicBodiesFile, builtAt });
    return new SearchIndex(data);
  }
  const written = await buildInWorker({ databaseFile: file, indexDir: options.indexDir, publicBodiesFile: options.publicBodiesFile, builtAt: builtAt.toISOString() }, onWorker);
  return new SearchIndex(readIndexFile(written));
}

/**
 * The engine, ready: the persisted index when it was built from the store as
 * it is now, else a fresh build (no file, a damaged one, or a stale one).
 */
export async function openSearchEngine(options: SearchEngineOptions): Promise<IndexedSearchEngine> {
  const log = options.log ?? (() => {});
  const file = path.join(options.indexDir, indexFileName);
  if (fs.existsSync(file)) {
    const started = Date.now();
    let data: IndexData | null = null;
    try {
      data = readIndexFile(file);
    } catch (error) {
      // Whatever is wrong with the file (truncated, damaged, another format), the store can rebuild it.
      log(`search index unreadable (${error instanceof Error ? error.message : String(error)}): rebuilding`);
    }
    // A web worker takes the primary's file as it is: the primary decides when to rebuild.
    if (data && (options.readOnly || data.meta.fingerprint === indexFingerprint(options.db, options.publicBodiesFile))) {
      log(`search index loaded: ${data.meta.documentCount} repositories in ${Date.now() - started} ms`);
      return new IndexedSearchEngine(options, new SearchIndex(data));
    }
    if (data) log("search index is stale (the catalogue changed since it was built): rebuilding");
  }
  if (options.readOnly) throw new Error(`no readable search index at ${file}: the primary process builds it`);
  const started = Date.now();
  const index = await buildIndex(options, () => {});
  options.onSwap?.({ generation: index.generation, documentCount: index.documentCount, durationMs: Date.now() - started, built: true });
  log(`search index built: ${index.documentCount} repositories in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return new IndexedSearchEngine(options, index);
}
