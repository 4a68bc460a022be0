// Aggregates of the live catalogue, for the home and statistics pages.
// Each query scans the repositories table once: callers cache the results.
import type { Db } from "./database.ts";

export interface CatalogueFigures {
  repositories: number;
  /** Owners with at least one live repository. */
  owners: number;
  forges: number;
  languages: number;
  stars: number;
  archived: number;
}

export interface CountRow {
  value: string | null;
  count: number;
}

export interface YearRow {
  year: string;
  /** Repositories created that year. */
  created: number;
  /** Repositories whose last push (or update) fell that year. */
  lastActive: number;
}

export interface TopOwnerRow {
  host: string;
  login: string;
  name: string | null;
  repositories: number;
  stars: number;
}

export function catalogueFigures(db: Db): CatalogueFigures {
  return db.$client
    .prepare(
      `SELECT count(*) AS repositories,
              count(DISTINCT host || '/' || lower(owner)) AS owners,
              count(DISTINCT host) AS forges,
              count(DISTINCT language) AS languages,
              coalesce(sum(stars), 0) AS stars,
              coalesce(sum(archived), 0) AS archived
         FROM repositories WHERE removed_at IS NULL`,
    )
    .get() as CatalogueFigures;
}

/** Columns one may count by: the name is interpolated into SQL, so it comes from this list only. */
const countableColumns = { language: "language", license: "license", host: "host" } as const;
export type CountableField = keyof typeof countableColumns;

/** Live repositories by value of a field, most frequent first; null is "none". */
export function countBy(db: Db, field: CountableField): CountRow[] {
  const column = countableColumns[field];
  return db.$client
    .prepare(`SELECT ${column} AS value, count(*) AS count FROM repositories WHERE removed_at IS NULL GROUP BY ${column} ORDER BY count DESC, value`)
    .all() as CountRow[];
}

export function activityByYear(db: Db): YearRow[] {
  return db.$client
    .prepare(
      `SELECT year, sum(created) AS created, sum(lastActive) AS lastActive FROM (
         SELECT substr(created_at, 1, 4) AS year, 1 AS created, 0 AS lastActive FROM repositories WHERE removed_at IS NULL AND created_at IS NOT NULL
         UNION ALL
         SELECT substr(coalesce(pushed_at, updated_at), 1, 4), 0, 1 FROM repositories WHERE removed_at IS NULL AND coalesce(pushed_at, updated_at) IS NOT NULL
       ) GROUP BY year ORDER BY year`,
    )
    .all() as YearRow[];
}

export function topOwners(db: Db, limit: number): TopOwnerRow[] {
  return db.$client
    .prepare(
      `SELECT r.host, r.owner AS login, o.name, count(*) AS repositories, coalesce(sum(r.stars), 0) AS stars
         FROM repositories r LEFT JOIN owners o ON o.id = r.owner_id
        WHERE r.removed_at IS NULL
        GROUP BY r.host, lower(r.owner)
        ORDER BY repositories DESC, stars DESC, lower(r.owner)
        LIMIT ?`,
    )
    .all(limit) as TopOwnerRow[];
}

