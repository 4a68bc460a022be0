// Issue 10: the package manifests at the root of a repository, read in the
// profile pass under the profile files' rules (the root listing says which
// exist; same reader, same size bound; a file whose git id did not change is
// not read again and keeps its previous parse). Parsing is src/reuse/manifests.
import type { ProfileReader, ProfileTarget, RootEntry } from "../forges/forge.ts";
import { manifestEcosystem, manifestKind, parseManifest } from "../reuse/manifests/index.ts";
import type { Dependency, Ecosystem, PackageRef } from "../reuse/types.ts";

/** One manifest as read and stored (table repository_manifests). */
export interface RepositoryManifest {
  /** The root file name, as listed. */
  file: string;
  ecosystem: Ecosystem;
  /** Git blob id; null when the forge did not say (then the file is read at each fetch). */
  sha: string | null;
  publishes: PackageRef[];
  dependencies: Dependency[];
  /** A file too large or malformed says why here; it never fails the profile. */
  errors: string[];
  warnings: string[];
}

/**
 * requirements*.txt files read per repository: the usual ones (requirements,
 * -dev, -test, -docs...) fit; a repository with dozens (one per deployment)
 * costs no more than this many requests.
 */
export const maxRequirementsFiles = 6;

/** The manifest files among the root entries, in a stable order, bounded. Files only: a folder named package.json is not one. */
export function pickManifests(entries: readonly RootEntry[]): RootEntry[] {
  const files = entries.filter((entry) => entry.type === "file" && manifestKind(entry.name) !== null);
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const requirements = sorted.filter((entry) => manifestKind(entry.name) === "requirements.txt")
    // requirements.txt itself first, then the shortest names (requirements-dev.txt before requirements-prod-eu-west-3.txt).
    .sort((a, b) => Number(b.name === "requirements.txt") - Number(a.name === "requirements.txt") || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))
    .slice(0, maxRequirementsFiles);
  return sorted.filter((entry) => manifestKind(entry.name) !== "requirements.txt" || requirements.includes(entry));
}

export interface ReadManifests {
  manifests: RepositoryManifest[];
  /** Manifests over the size bound, not read (also stored, with an error). */
  tooLarge: string[];
}

/** Reads the manifests of the root listing, one request per changed file. Throws the reader's ForgeError. */
export async function readManifests(
  reader: ProfileReader,
  target: ProfileTarget,
  root: readonly RootEntry[],
  previous: readonly RepositoryManifest[] | undefined,
  maxBytes: number,
  signal: AbortSignal,
): Promise<ReadManifests> {
  const manifests: RepositoryManifest[] = [];
  const tooLarge: string[] = [];
  for (const entry of pickManifests(root)) {
    const kind = manifestKind(entry.name);
    if (kind === null) continue;
    const kept = entry.sha === null ? undefined : previous?.find((manifest) => manifest.file === entry.name && manifest.sha === entry.sha);
    if (kept) {
      manifests.push(kept);
      continue;
    }
    const empty = { file: entry.name, ecosystem: manifestEcosystem[kind], sha: entry.sha, publishes: [], dependencies: [], warnings: [] };
    const read = await reader.readFile(target, entry, maxBytes, signal);
    if (read.kind === "too_large") {
      tooLarge.push(entry.name);
      manifests.push({ ...empty, errors: [`${entry.name} is over the size limit (${maxBytes} bytes): not read`] });
      continue;
    }
    const parsed = parseManifest(entry.name, read.text);
    manifests.push(parsed === null ? { ...empty, errors: [] } : { ...empty, publishes: parsed.publishes, dependencies: parsed.dependencies, errors: parsed.errors, warnings: parsed.warnings });
  }
  return { manifests, tooLarge };
}
