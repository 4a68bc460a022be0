// The evidence of reuse (issue 10, contract R1), as the pure graph
// (src/reuse/graph.ts) takes it: one input per live repository with its fork
// parent, the packages its manifests publish and need, and what its
// publiccode.yml declares. Two queries over the whole catalogue (repositories
// with their owner and publiccode document, then every manifest), each JSON
// text parsed once: no query per repository, so 50,000 repositories and
// 500,000 dependencies load in about a second of CPU (scripts/bench-reuse-inputs.ts).
import { repositoryId } from "../records/repository.ts";
import { declarationsFromPubliccode } from "../reuse/declarations.ts";
import type { ReuseRepositoryInput } from "../reuse/graph.ts";
import type { Dependency, PackageRef } from "../reuse/types.ts";
import type { Db } from "./database.ts";

interface RepositoryRow {
  pk: number;
  host: string;
  forgeId: string;
  fullName: string;
  owner: string;
  psoId: string | null;
  fork: number;
  parent: string | null;
  parentForgeId: string | null;
  document: string | null;
}

interface ManifestRow {
  pk: number;
  publishes: string;
  dependencies: string;
}

function jsonList<T>(text: string | null): T[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function jsonValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export interface ReuseInputOptions {
  /** The public-body directory's placeholders ("not known"); default: the nil UUID, the sources' placeholder. */
  isUnidentified?: (psoId: string) => boolean;
}

const nilPsoId = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

function isNilPsoId(psoId: string): boolean {
  return nilPsoId.test(psoId.trim());
}

/**
 * One input per repository not removed, in the order of their rows.
 * ownerId is "host/login" in lower case; publicBodyId the owner's pso_id; a
 * fork's parent is on the fork's host; publishes and dependencies are those
 * of all its manifests together; declared comes from the stored publiccode.yml
 * document, valid or not (the graph cleans and bounds what it reads).
 */
export function loadReuseInputs(db: Db, options: ReuseInputOptions = {}): ReuseRepositoryInput[] {
  const unidentified = options.isUnidentified ?? isNilPsoId;
  const evidence = new Map<number, { publishes: PackageRef[]; dependencies: Dependency[] }>();
  const manifests = db.$client.prepare(
    `SELECT m.repository_pk AS pk, m.publishes, m.dependencies
       FROM repository_manifests m JOIN repositories r ON r.pk = m.repository_pk
      WHERE r.removed_at IS NULL`,
  ).iterate() as Iterable<ManifestRow>;
  for (const row of manifests) {
    const publishes = jsonList<PackageRef>(row.publishes);
    const dependencies = jsonList<Dependency>(row.dependencies);
    const known = evidence.get(row.pk);
    if (!known) evidence.set(row.pk, { publishes, dependencies });
    else {
      for (const ref of publishes) known.publishes.push(ref);
      for (const dependency of dependencies) known.dependencies.push(dependency);
    }
  }

  const rows = db.$client.prepare(
    `SELECT r.pk, r.host, r.forge_id AS forgeId, r.full_name AS fullName, r.owner, o.pso_id AS psoId, r.fork,
            r.parent, r.parent_forge_id AS parentForgeId,
            CASE WHEN p.publiccode_result IS NOT NULL THEN json_extract(p.publiccode_result, '$.document') END AS document
       FROM repositories r
       LEFT JOIN owners o ON o.id = r.owner_id
       LEFT JOIN repository_profiles p ON p.repository_pk = r.pk
      WHERE r.removed_at IS NULL
      ORDER BY r.pk`,
  ).iterate() as Iterable<RepositoryRow>;
  const inputs: ReuseRepositoryInput[] = [];
  const none: readonly never[] = [];
  for (const row of rows) {
    const fork = row.fork === 1;
    const found = evidence.get(row.pk);
    inputs.push({
      id: repositoryId(row.host, row.fullName),
      host: row.host,
      forgeId: row.forgeId,
      fullName: row.fullName,
      ownerId: `${row.host}/${row.owner}`.toLowerCase(),
      // A placeholder pso_id says "body unknown": two owners carrying it are not one body.
      publicBodyId: row.psoId === null || unidentified(row.psoId) ? null : row.psoId,
      fork,
      forkParent: fork && (row.parent !== null || row.parentForgeId !== null) ? { host: row.host, forgeId: row.parentForgeId, fullName: row.parent } : null,
      publishes: found?.publishes ?? none,
      dependencies: found?.dependencies ?? none,
      declared: row.document === null ? null : declarationsFromPubliccode(jsonValue(row.document)),
    });
  }
  return inputs;
}
