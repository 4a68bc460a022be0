import { isNull } from "drizzle-orm";
import type { Db } from "../../src/store/database.ts";
import { repositories } from "../../src/store/schema.ts";

/** "<host>/<full name>" of every live repository, sorted. */
export function listLiveRepositoryIds(db: Db): string[] {
  return db.select({ host: repositories.host, fullName: repositories.fullName }).from(repositories).where(isNull(repositories.removedAt)).all().map((r) => `${r.host}/${r.fullName}`).sort();
}
