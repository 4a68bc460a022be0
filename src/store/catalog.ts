// Read side of the catalogue: what pages, the API and exports show.
// Removed repositories are kept in the store but never listed here.
import type { HarvestedRepository } from "../forges/forge.ts";
import type { Statement } from "better-sqlite3";
import { prepared, type Db } from "./database.ts";

/** A live repository as the read side sees it, before any presenter shapes it: the harvested fields and what the store adds. */
export interface RepositoryRow extends Omit<HarvestedRepository, "changeMarker"> {
  pk: number;
  host: string;
  forge: string;
  ownerId: number | null;
  firstSeenAt: string;
  lastSeenAt: string;
  ownerName: string | null;
  psoId: string | null;
  /** issue 9: the profile has a publiccode.yml (false until a profile is fetched). */
  hasPubliccode?: boolean;
  /** issue 9: whether that publiccode.yml is valid; null without one. */
  publiccodeValid?: boolean | null;
  /** issue 10: the reuse score (0 to 100) and "reused by" figure of the last reuse graph; null before the repository was in one. */
  reuseScore?: number | null;
  reusedByCount?: number | null;
}

/** Every live repository with what the read side shows of it; readers add their own conditions (exported for its query plan's test). */
export const repositorySelect = `
  SELECT r.pk, r.host, r.forge, r.forge_id AS forgeId, r.owner, r.owner_id AS ownerId, r.name, r.full_name AS fullName,
         r.url, r.description, r.homepage, r.language, r.license, r.topics, r.stars, r.forks, r.open_issues AS openIssues,
         r.archived, r.fork, r.template, r.default_branch AS defaultBranch, r.created_at AS createdAt,
         r.updated_at AS updatedAt, r.pushed_at AS pushedAt, r.first_seen_at AS firstSeenAt,
         -- A live repository was last seen when its account was last harvested completely.
         max(r.last_seen_at, coalesce(a.last_success_at, r.last_seen_at)) AS lastSeenAt,
         o.name AS ownerName, o.pso_id AS psoId,
         p.publiccode_valid IS NOT NULL AS hasPubliccode, p.publiccode_valid AS publiccodeValid, -- issue 9
         rr.reuse_score AS reuseScore, rr.reused_by_count AS reusedByCount -- issue 10
    FROM repositories r
    JOIN accounts a ON a.id = r.account_id
    LEFT JOIN owners o ON o.id = r.owner_id
    -- Issue 13: the covering index (migration 0006), not the profile row and its README; named,
    -- as without ANALYZE's statistics SQLite would look the row up by its key.
    LEFT JOIN repository_profiles p INDEXED BY repository_profiles_valid ON p.repository_pk = r.pk
    LEFT JOIN repository_reuse rr ON rr.repository_pk = r.pk
   WHERE r.removed_at IS NULL`;

// Rows of repositorySelect are read as arrays (.raw()) and made into objects
// by one object literal (issue 13, API latency, measured at 7,700
// repositories): better-sqlite3 made each row object in C++, one named
// property at a time, about 40 % of reading a page of ten rows with their 32
// columns. The literal must follow repositorySelect's columns: each statement
// is checked against them when first used (rowsStatement).
const rowColumns = [
  "pk", "host", "forge", "forgeId", "owner", "ownerId", "name", "fullName", "url", "description", "homepage", "language", "license", "topics",
  "stars", "forks", "openIssues", "archived", "fork", "template", "defaultBranch", "createdAt", "updatedAt", "pushedAt", "firstSeenAt",
  "lastSeenAt", "ownerName", "psoId", "hasPubliccode", "publiccodeValid", "reuseScore", "reusedByCount",
] as const;

function fromColumns(c: unknown[]): RepositoryRow {
  return {
    pk: c[0] as number,
    host: c[1] as string,
    forge: c[2] as string,
    forgeId: c[3] as string,
    owner: c[4] as string,
    ownerId: c[5] as number | null,
    name: c[6] as string,
    fullName: c[7] as string,
    url: c[8] as string,
    description: c[9] as string | null,
    homepage: c[10] as string | null,
    language: c[11] as string | null,
    license: c[12] as string | null,
    topics: JSON.parse(c[13] as string) as string[],
    stars: c[14] as number,
    forks: c[15] as number,
    openIssues: c[16] as number,
    archived: c[17] === 1,
    fork: c[18] === 1,
    template: c[19] === 1,
    defaultBranch: c[20] as string | null,
    createdAt: c[21] as string | null,
    updatedAt: c[22] as string | null,
    pushedAt: c[23] as string | null,
    firstSeenAt: c[24] as string,
    lastSeenAt: c[25] as string,
    ownerName: c[26] as string | null,
    psoId: c[27] as string | null,
    hasPubliccode: c[28] === 1,
    publiccodeValid: c[29] === null ? null : c[29] === 1,
    reuseScore: c[30] as number | null,
    reusedByCount: c[31] as number | null,
  };
}

const checkedStatements = new WeakSet<Statement>();

/** A statement of repositorySelect in array mode, for fromColumns; its columns checked against rowColumns once. */
function rowsStatement(statement: Statement): Statement {
  if (!checkedStatements.has(statement)) {
    const names = statement.columns().map((column) => column.name);
    if (names.join(",") !== rowColumns.join(",")) throw new Error(`catalog.ts: fromColumns reads ${rowColumns.join(",")} but the query gives ${names.join(",")}`);
    statement.raw(true);
    checkedStatements.add(statement);
  }
  return statement;
}

/** Every live repository, one at a time (exports stream this, never building the whole list). */
export function* iterateLiveRepositories(db: Db): Generator<RepositoryRow> {
  const statement = rowsStatement(db.$client.prepare(`${repositorySelect} ORDER BY r.host, lower(r.full_name)`));
  for (const columns of statement.iterate() as Iterable<unknown[]>) yield fromColumns(columns);
}

/** What a warm-up needs of a repository: its address and a few words (issue 13, src/server/warmup.ts). */
export interface RepositorySample {
  host: string;
  fullName: string;
  name: string;
  description: string | null;
  language: string | null;
}

/** Up to `count` live repositories spread over the whole catalogue (every k-th by key), in key order. */
export function sampleLiveRepositories(db: Db, count: number): RepositorySample[] {
  const live = countLiveRepositories(db);
  if (live === 0 || count <= 0) return [];
  const stride = Math.max(1, Math.floor(live / count));
  return db.$client
    .prepare("SELECT host, full_name AS fullName, name, description, language FROM repositories WHERE removed_at IS NULL AND pk % ? = 0 ORDER BY pk LIMIT ?")
    .all(stride, count) as RepositorySample[];
}

export function countLiveRepositories(db: Db): number {
  return (db.$client.prepare("SELECT count(*) AS n FROM repositories WHERE removed_at IS NULL").get() as { n: number }).n;
}

/**
 * Whether the catalogue has any live repository: the first one found, not a
 * count (a count over 50,000 rows was a tenth of a search page's CPU when a
 * search found nothing, issue 13).
 */
export function hasLiveRepositories(db: Db): boolean {
  return prepared(db, "SELECT EXISTS (SELECT 1 FROM repositories WHERE removed_at IS NULL) AS found").pluck().get() === 1;
}

/** Live repositories, most recently pushed first. */
export function listRecentRepositories(db: Db, limit: number, offset = 0): RepositoryRow[] {
  const rows = rowsStatement(db.$client.prepare(`${repositorySelect} ORDER BY coalesce(r.pushed_at, r.updated_at) DESC, r.pk LIMIT ? OFFSET ?`)).all(limit, offset) as unknown[][];
  return rows.map(fromColumns);
}

/** One live repository by host and full name, whatever the case of the name (forges compare it case-insensitively). */
export function findLiveRepository(db: Db, host: string, fullName: string): RepositoryRow | undefined {
  const columns = rowsStatement(prepared(db, `${repositorySelect} AND r.host = ? AND lower(r.full_name) = lower(?) ORDER BY r.pk LIMIT 1`)).get(host, fullName) as unknown[] | undefined;
  return columns ? fromColumns(columns) : undefined;
}

/** Live repositories, most forked first: forks are the plainest sign of reuse a forge gives. */
export function listMostForkedRepositories(db: Db, limit: number): RepositoryRow[] {
  const rows = rowsStatement(db.$client.prepare(`${repositorySelect} AND r.forks > 0 ORDER BY r.forks DESC, r.stars DESC, r.pk LIMIT ?`)).all(limit) as unknown[][];
  return rows.map(fromColumns);
}

// Rows of result pages, kept between requests while the store is unchanged
// (issue 13): reading ten rows with their joins was the largest part of an
// API search once the index had answered. Any commit empties the cache: by
// another connection (PRAGMA data_version moves: a harvest in another process,
// or the primary's, seen from a web worker) or by this one (total_changes()
// moves: a harvest on the server's own connection). Rows are shared between
// requests: callers must not change them (presenters build new objects).
interface RowCache {
  version: string;
  rows: Map<number, RepositoryRow | null>;
}
const rowCaches = new WeakMap<Db["$client"], RowCache>();
/** About 1 KB a row: at most some 20 MB per process. */
const rowCacheMax = 20_000;
/** Rows a warm-up reads ahead (search/engine.ts): half the cache, the other half for the rows read on demand. */
export const rowCacheWarmRows = rowCacheMax / 2;

function storeVersion(db: Db): string {
  const dataVersion = prepared(db, "PRAGMA data_version").pluck().get() as number;
  const changes = prepared(db, "SELECT total_changes()").pluck().get() as number;
  return `${dataVersion}:${changes}`;
}

function rowCache(db: Db): RowCache {
  const version = storeVersion(db);
  let cache = rowCaches.get(db.$client);
  if (!cache || cache.version !== version) rowCaches.set(db.$client, (cache = { version, rows: new Map() }));
  else if (cache.rows.size > rowCacheMax) {
    // Full: the quarter read first goes (issue 13). Emptying it all, as before, made every page after
    // read its rows again, and under distinct pages at 50,000 repositories it emptied every few seconds.
    let drop = cache.rows.size - (rowCacheMax * 3) / 4;
    for (const pk of cache.rows.keys()) {
      if (drop-- <= 0) break;
      cache.rows.delete(pk);
    }
  }
  return cache;
}

/**
 * Rows in this connection's row cache (issue 13: a warm-up, search/engine.ts,
 * reads the best-ranked repositories through listRepositoriesByPk and tells
 * how many are kept).
 */
export function cachedRowCount(db: Db): number {
  return rowCaches.get(db.$client)?.rows.size ?? 0;
}

/** Live repositories by primary key, in the order of `pks` (a page of search results); keys no longer live are skipped. */
export function listRepositoriesByPk(db: Db, pks: readonly number[]): RepositoryRow[] {
  if (pks.length === 0) return [];
  const cache = rowCache(db);
  const missing = pks.filter((pk) => !cache.rows.has(pk));
  if (missing.length > 0) {
    const rows = rowsStatement(prepared(db, `${repositorySelect} AND r.pk IN (SELECT value FROM json_each(?))`)).all(JSON.stringify(missing)) as unknown[][];
    for (const pk of missing) cache.rows.set(pk, null);
    for (const columns of rows) {
      const row = fromColumns(columns);
      cache.rows.set(row.pk, row);
    }
  }
  return pks.flatMap((pk) => {
    const row = cache.rows.get(pk);
    return row ? [row] : [];
  });
}
