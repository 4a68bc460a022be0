// PLACEHOLDER (issue 10, contract R1): h19 owns this file and its real version
// (manifests read by the profile pass, fork parents fetched from the forges)
// replaces this one at merge. Until then: the repositories' fork flag and
// Gitea-style `parent` column, and the stored publiccode.yml declarations; no
// manifests, so no dependencies and nothing published. Not tested on purpose.
import { declarationsFromPubliccode } from "../reuse/declarations.ts";
import type { ReuseRepositoryInput } from "../reuse/graph.ts";
import type { Db } from "./database.ts";

export function loadReuseInputs(db: Db): ReuseRepositoryInput[] {
  const rows = db.$client
    .prepare(
      `SELECT r.host, r.forge_id AS forgeId, r.full_name AS fullName, r.owner, r.fork, r.parent, o.pso_id AS psoId,
              json_extract(p.publiccode_result, '$.document') AS document
         FROM repositories r LEFT JOIN owners o ON o.id = r.owner_id LEFT JOIN repository_profiles p ON p.repository_pk = r.pk
        WHERE r.removed_at IS NULL
        ORDER BY r.pk`,
    )
    .all() as { host: string; forgeId: string; fullName: string; owner: string; fork: number; parent: string | null; psoId: string | null; document: string | null }[];
  return rows.map((row) => {
    let document: unknown = null;
    try {
      document = row.document === null ? null : JSON.parse(row.document);
    } catch {
      document = null;
    }
    return {
      id: `${row.host}/${row.fullName}`,
      host: row.host,
      forgeId: row.forgeId,
      fullName: row.fullName,
      ownerId: `${row.host}/${row.owner}`.toLowerCase(),
      publicBodyId: row.psoId,
      fork: row.fork === 1,
      forkParent: row.fork === 1 && row.parent ? { host: row.host, forgeId: null, fullName: row.parent } : null,
      publishes: [],
      dependencies: [],
      declared: declarationsFromPubliccode(document),
    };
  });
}
