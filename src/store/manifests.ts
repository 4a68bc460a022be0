// Reuse evidence (issue 10): the manifests the profile pass read, and the
// fork parents it fetched (GitHub). Only this layer touches the
// repository_manifests table; the columns parent and parent_forge_id of
// repositories are written here for GitHub, by the listing's upsert for the
// forges whose lists carry them.
import type { ListedForkParent } from "../forges/forge.ts";
import type { RepositoryManifest } from "../profiles/manifests.ts";
import { ecosystems, type Dependency, type Ecosystem, type PackageRef } from "../reuse/types.ts";
import { prepared, type Db } from "./database.ts";

/** Replaces a repository's manifests as a whole (none: it has none any more). Call inside the profile's transaction. */
export function replaceManifests(db: Db, repositoryPk: number, manifests: readonly RepositoryManifest[]): void {
  prepared(db, "DELETE FROM repository_manifests WHERE repository_pk = ?").run(repositoryPk);
  const insert = prepared(
    db,
    `INSERT INTO repository_manifests (repository_pk, file, ecosystem, sha, publishes, dependencies, errors, warnings)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repository_pk, file) DO NOTHING`,
  );
  for (const manifest of manifests) {
    insert.run(
      repositoryPk,
      manifest.file,
      manifest.ecosystem,
      manifest.sha,
      JSON.stringify(manifest.publishes),
      JSON.stringify(manifest.dependencies),
      JSON.stringify(manifest.errors),
      JSON.stringify(manifest.warnings),
    );
  }
}

interface RawManifest {
  pk: number;
  file: string;
  ecosystem: string;
  sha: string | null;
  publishes: string;
  dependencies: string;
  errors: string;
  warnings: string;
}

function parseList<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

const isEcosystem = (value: string): value is Ecosystem => (ecosystems as readonly string[]).includes(value);

function toManifest(raw: RawManifest): RepositoryManifest | null {
  if (!isEcosystem(raw.ecosystem)) return null;
  return {
    file: raw.file,
    ecosystem: raw.ecosystem,
    sha: raw.sha,
    publishes: parseList<PackageRef>(raw.publishes),
    dependencies: parseList<Dependency>(raw.dependencies),
    errors: parseList<string>(raw.errors),
    warnings: parseList<string>(raw.warnings),
  };
}

const manifestSelect = "SELECT repository_pk AS pk, file, ecosystem, sha, publishes, dependencies, errors, warnings FROM repository_manifests";

/** The stored manifests of a repository, by file name. */
export function listManifests(db: Db, repositoryPk: number): RepositoryManifest[] {
  const rows = prepared(db, `${manifestSelect} WHERE repository_pk = ? ORDER BY file`).all(repositoryPk) as RawManifest[];
  return rows.map(toManifest).filter((manifest): manifest is RepositoryManifest => manifest !== null);
}

/** The manifests of several repositories at once (an owner's page), by pk. */
export function listManifestsOf(db: Db, repositoryPks: readonly number[]): Map<number, RepositoryManifest[]> {
  const result = new Map<number, RepositoryManifest[]>();
  if (repositoryPks.length === 0) return result;
  const rows = prepared(db, `${manifestSelect} WHERE repository_pk IN (SELECT value FROM json_each(?)) ORDER BY repository_pk, file`).all(JSON.stringify(repositoryPks)) as RawManifest[];
  for (const raw of rows) {
    const manifest = toManifest(raw);
    if (!manifest) continue;
    let list = result.get(raw.pk);
    if (!list) result.set(raw.pk, (list = []));
    list.push(manifest);
  }
  return result;
}

/** Writes the parent the profile pass fetched for a fork (GitHub); null: the forge names none. Never touches a non-fork. */
export function saveForkParent(db: Db, repositoryPk: number, parent: ListedForkParent | null): void {
  prepared(db, "UPDATE repositories SET parent = ?, parent_forge_id = ? WHERE pk = ? AND fork = 1").run(parent?.fullName ?? null, parent?.forgeId ?? null, repositoryPk);
}
