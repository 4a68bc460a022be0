// Live repositories by public body (the pso_id of their owner), for the API's statistics.
import type { Db } from "./database.ts";
import type { CountRow } from "./stats.ts";

/** Most repositories first; null: owners without a pso_id, and repositories without an owner row. */
export function countByPublicBody(db: Db): CountRow[] {
  return db.$client
    .prepare(
      `SELECT lower(o.pso_id) AS value, count(*) AS count
         FROM repositories r LEFT JOIN owners o ON o.id = r.owner_id
        WHERE r.removed_at IS NULL
        GROUP BY lower(o.pso_id)
        ORDER BY count DESC, value`,
    )
    .all() as CountRow[];
}
