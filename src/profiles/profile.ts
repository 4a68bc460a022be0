// A repository's profile, forge-independent: what the harvest stores, what the
// pages, checks, search and API read.
import type { HarvestedRelease } from "../forges/forge.ts";
import type { PubliccodeResult } from "../publiccode/validate.ts";
import type { ProfileFiles } from "./files.ts";
import type { RepositoryManifest } from "./manifests.ts";
import type { RenderedReadme } from "./readme.ts";

export interface ProfilePubliccode {
  /** publiccode.yml, or publiccode.yaml (then with a warning). */
  name: string;
  text: string;
  result: PubliccodeResult;
}

export interface RepositoryProfile {
  files: ProfileFiles;
  /** Git blob ids of the files read (README, publiccode.yml), by file name. */
  shas: Record<string, string>;
  /** Files over the size limit, not read. */
  tooLarge: string[];
  readme: RenderedReadme | null;
  publiccode: ProfilePubliccode | null;
  latestRelease: HarvestedRelease | null;
  /** Issue 10: the package manifests at the root, parsed; absent: not read (a profile from before issue 10). */
  manifests?: RepositoryManifest[];
}

export interface ProfileFailure {
  /** A ForgeError reason: not_found, timeout, server_error, rate_limited... */
  reason: string;
  message: string;
}

/** A profile as stored: the last successful fetch (profile null when none yet), and the last failure if the latest attempt failed. */
export interface StoredProfile {
  profile: RepositoryProfile | null;
  /** The push marker the profile stands for. */
  marker: string | null;
  fetchedAt: string | null;
  attemptedAt: string;
  failure: ProfileFailure | null;
}

/** Files over this size are not read (1 MB): a README or publiccode.yml is far smaller; beyond is a generated or vendored file. */
export const maxProfileFileBytes = 1_000_000;
