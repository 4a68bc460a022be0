// Repositories by state, for the metrics: what an operator watches between harvests.
import { prepared, type Db } from "./database.ts";

export type RepositoryState = "live" | "archived" | "removed";

/** Live (not archived), archived (live too) and removed (kept, hidden) repositories. */
export function countRepositoriesByState(db: Db): Record<RepositoryState, number> {
  const row = prepared(
    db,
    `SELECT coalesce(sum(removed_at IS NULL AND archived = 0), 0) AS live,
            coalesce(sum(removed_at IS NULL AND archived = 1), 0) AS archived,
            coalesce(sum(removed_at IS NOT NULL), 0) AS removed
       FROM repositories`,
  ).get() as Record<RepositoryState, number>;
  return row;
}
