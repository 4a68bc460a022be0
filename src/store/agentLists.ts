// Lists for the agents' interfaces (issue 12): the newest repositories (the
// "new in the catalogue" feed) and ids by prefix (MCP resource completion).
import { listRepositoriesByPk, type RepositoryRow } from "./catalog.ts";
import { prepared, type Db } from "./database.ts";

/** Live repositories, the most recently added to the catalogue first (first harvest that saw them). */
export function listNewestRepositories(db: Db, limit: number): RepositoryRow[] {
  const pks = (prepared(db, "SELECT pk FROM repositories WHERE removed_at IS NULL ORDER BY first_seen_at DESC, pk DESC LIMIT ?").all(limit) as { pk: number }[]).map((row) => row.pk);
  return listRepositoriesByPk(db, pks);
}

/** Ids ("<host>/<full name>") of live repositories starting with `prefix`, case-insensitively, in id order. */
export function listRepositoryIdsByPrefix(db: Db, prefix: string, limit: number): string[] {
  // LIKE with its wildcards escaped: the prefix is the user's text.
  const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = prepared(
    db,
    `SELECT host || '/' || full_name AS id FROM repositories
      WHERE removed_at IS NULL AND lower(host || '/' || full_name) LIKE ? ESCAPE '\\'
      ORDER BY lower(host || '/' || full_name) LIMIT ?`,
  ).all(pattern, limit) as { id: string }[];
  return rows.map((row) => row.id);
}
