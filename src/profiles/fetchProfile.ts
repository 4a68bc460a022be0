// One repository's profile from any forge's ProfileReader: the root listing,
// then only the files that exist (README and publiccode.yml are read; the
// others' presence is enough), then the latest release. A file whose git id
// did not change since the previous profile is not read again.
import type { HarvestedRelease, ProfileCache, ProfileReader, ProfileTarget, RootEntry } from "../forges/forge.ts";
import { validatePubliccode } from "../publiccode/validate.ts";
import { classifyRoot, publiccodeFileName } from "./files.ts";
import { readManifests } from "./manifests.ts";
import { maxProfileFileBytes, type ProfilePubliccode, type RepositoryProfile } from "./profile.ts";
import { renderReadme, type RenderedReadme } from "./readme.ts";

export interface FetchProfileOptions {
  signal: AbortSignal;
  /** Default maxProfileFileBytes. */
  maxBytes?: number;
  /** ETags of the listing and release requests (conditional requests where the forge offers them). */
  cache?: ProfileCache;
  /** The latest release when already known from a batch (GitHub's GraphQL); undefined: ask the reader. */
  latestRelease?: HarvestedRelease | null;
}

/** Throws the reader's ForgeError when any request fails: the caller keeps the previous profile. */
export async function fetchProfile(reader: ProfileReader, target: ProfileTarget, previous: RepositoryProfile | null, options: FetchProfileOptions): Promise<RepositoryProfile> {
  const { signal } = options;
  const maxBytes = options.maxBytes ?? maxProfileFileBytes;
  const root = await reader.listRoot(target, signal, options.cache);
  const { files, entries } = classifyRoot(root);
  const shas: Record<string, string> = {};
  const tooLarge: string[] = [];
  const unchanged = (entry: RootEntry) => entry.sha !== null && previous?.shas[entry.name] === entry.sha;

  let readme: RenderedReadme | null = null;
  if (entries.readme) {
    const entry = entries.readme;
    if (unchanged(entry) && previous?.readme?.name === entry.name) readme = previous.readme;
    else {
      const read = await reader.readFile(target, entry, maxBytes, signal);
      if (read.kind === "too_large") tooLarge.push(entry.name);
      else readme = renderReadme(entry.name, read.text, { blob: (path) => reader.webUrl(target, path, "blob"), raw: (path) => reader.webUrl(target, path, "raw") });
    }
    if (readme && entry.sha) shas[entry.name] = entry.sha;
  }

  let publiccode: ProfilePubliccode | null = null;
  if (entries.publiccode) {
    const entry = entries.publiccode;
    if (unchanged(entry) && previous?.publiccode?.name === entry.name) publiccode = previous.publiccode;
    else {
      const read = await reader.readFile(target, entry, maxBytes, signal);
      if (read.kind === "too_large") tooLarge.push(entry.name);
      else publiccode = { name: entry.name, text: read.text, result: validated(entry.name, read.text) };
    }
    if (publiccode && entry.sha) shas[entry.name] = entry.sha;
  }

  // ---- Issue 10: the package manifests at the root, under the same rules (size bound, unchanged blob kept).
  const read = await readManifests(reader, target, root, previous?.manifests, maxBytes, signal);
  tooLarge.push(...read.tooLarge);
  const manifests = read.manifests;
  // ---- end of issue 10's block.

  // An empty repository (no commit yet) has neither release nor tag: no request for them.
  const latestRelease = root.length === 0 ? null : options.latestRelease !== undefined ? options.latestRelease : await reader.latestRelease(target, signal, options.cache);
  return { files, shas, tooLarge, readme, publiccode, latestRelease, manifests };
}

function validated(name: string, text: string) {
  const result = validatePubliccode(text);
  if (name === publiccodeFileName) return result;
  // The standard names the file publiccode.yml; catalogues that look for that name alone miss this one.
  return {
    ...result,
    warnings: [...result.warnings, { key: "", line: null, column: null, message: `the file is named ${name}: rename it ${publiccodeFileName}, the name the standard and other catalogues look for` }],
  };
}
