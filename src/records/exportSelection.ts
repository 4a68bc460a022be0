// Which repositories an export holds: the whole catalogue straight from the
// store, or, when the request names a query or filters, exactly what the same
// search shows on the site (the engine picks and orders them; the rows are
// read from the store in batches, so memory stays bounded by a batch).
import type { SearchEngine, SearchQuery } from "../search/types.ts";
import { iterateLiveRepositories, listRepositoriesByPk, type RepositoryRow } from "../store/catalog.ts";
import type { Db } from "../store/database.ts";
import { iterateValidPubliccode, listValidPubliccode, type PubliccodeEntry } from "../store/profiles.ts";

/** Rows read per statement when following the engine's order. */
const batchSize = 500;

/** A search without its page: null selects the whole catalogue. */
export type ExportSelection = Omit<SearchQuery, "page" | "perPage"> | null;

/** Is this query the whole catalogue in the store's order (no text, filter or sort asked for)? */
export function selectsEverything(query: Omit<SearchQuery, "page" | "perPage">, sortGiven: boolean): boolean {
  return query.q === "" && Object.keys(query.filters).length === 0 && !sortGiven;
}

export function* selectedRepositories(reader: Db, search: SearchEngine, selection: ExportSelection): Generator<RepositoryRow> {
  if (selection === null) {
    yield* iterateLiveRepositories(reader);
    return;
  }
  const pks = search.allMatches(selection);
  for (let start = 0; start < pks.length; start += batchSize) {
    yield* listRepositoriesByPk(reader, pks.slice(start, start + batchSize));
  }
}

/** The same selection, restricted to the repositories with a valid publiccode.yml, with its document (issue 12). */
export function* selectedPubliccode(reader: Db, search: SearchEngine, selection: ExportSelection): Generator<PubliccodeEntry> {
  if (selection === null) {
    yield* iterateValidPubliccode(reader);
    return;
  }
  const pks = search.allMatches(selection);
  for (let start = 0; start < pks.length; start += batchSize) {
    yield* listValidPubliccode(reader, pks.slice(start, start + batchSize));
  }
}
