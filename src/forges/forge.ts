// The one interface every forge adapter implements, and the canonical records
// they normalise into. The harvester only knows this file, never a forge client.
import type { Account } from "../sources/sources.ts";
import type { RetryPolicy } from "./retry.ts";

/** An organisation, user or group, as harvested. */
export interface HarvestedOwner {
  /** GitHub login, or GitLab full path of the group or user. */
  login: string;
  forgeId: string | null;
  kind: "organization" | "user" | "group";
  name: string | null;
  description: string | null;
  website: string | null;
  email: string | null;
  location: string | null;
  avatarUrl: string | null;
  verified: boolean | null;
  createdAt: string | null;
}

/** A repository, as harvested: the public record less what the store adds. */
export interface HarvestedRepository {
  /** The forge's own id: a renamed or moved repository keeps it. */
  forgeId: string;
  /** Login or group full path of the owner. */
  owner: string;
  name: string;
  /** "<owner>/<name>" on GitHub, path_with_namespace on GitLab. */
  fullName: string;
  url: string;
  description: string | null;
  homepage: string | null;
  language: string | null;
  /** SPDX id; "other" when the forge says NOASSERTION or does not know it; null when none. */
  license: string | null;
  topics: string[];
  stars: number;
  forks: number;
  openIssues: number;
  archived: boolean;
  fork: boolean;
  template: boolean;
  defaultBranch: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  pushedAt: string | null;
  /** Forge-specific marker of change (GitLab last_activity_at), stored to decide later re-fetches. */
  changeMarker?: string | null;
  /** A pull mirror of a repository hosted elsewhere (Gitea, Forgejo, Gogs say so). Absent: not known. */
  mirror?: boolean;
  /** A fork's parent, as "<owner>/<name>" on the same host, when the forge says. */
  parent?: string | null;
  /**
   * Issue 10: the fork parent's forge id on the same host, when the listing
   * carries it (GitLab forked_from_project, Gitea parent). Left undefined,
   * with `parent`, by a forge whose list has no parent (GitHub): the profile
   * pass fetches it (ProfileReader.forkParent) and the listing must not erase it.
   */
  parentForgeId?: string | null;
}

/** What the store knew of a repository before this run. */
export interface KnownRepository {
  forgeId: string;
  changeMarker: string | null;
  license: string | null;
  language: string | null;
}

export interface CachedResponse {
  etag: string;
  payload: string;
}

export interface CacheWrite extends CachedResponse {
  key: string;
}

/**
 * What an adapter yields while it walks an account. The harvester writes each
 * event in one transaction, so a cache entry lands together with the data it
 * stands for, and an interrupted account leaves nothing half-written.
 */
export type HarvestEvent =
  | { type: "owner"; owner: HarvestedOwner; cache?: CacheWrite[] }
  | {
      type: "repositories";
      /** Repositories with fresh data (written only if they changed). */
      repositories: HarvestedRepository[];
      /** Forge ids known to be present and unchanged (a page answered 304). */
      unchanged: string[];
      cache?: CacheWrite[];
    };

/** Counters shared by all the adapters of a run, for the progress bar and the run log. */
export interface RequestStats {
  requests: number;
  notModified: number;
  rateLimitWaits: number;
  /** Requests sent again after a transient failure. */
  retries?: number;
}

export interface HarvestContext {
  signal: AbortSignal;
  cached(key: string): CachedResponse | undefined;
  known(forgeId: string): KnownRepository | undefined;
  log(message: string): void;
}

export interface ForgeAdapter {
  /**
   * Walks one account: for an owner, its metadata then its repositories; for a
   * whole instance (login ""), every group as an owner and every public project.
   * Throws a ForgeError when the account cannot be harvested; the events
   * already yielded stay written, but removals are only inferred from an
   * account that completed.
   */
  harvestAccount(account: Account, context: HarvestContext): AsyncIterable<HarvestEvent>;
  /** Optional (issue 9): reading repositories' profile files. See ProfileReader below. */
  readonly profiles?: ProfileReader;
}

export interface AdapterOptions {
  /** API base URL, from the sources' `api` key or the forge type's default for the host. */
  apiUrl: string;
  host: string;
  token?: string;
  timeoutMs: number;
  /** Longest wait for a rate-limit reset; beyond it the account fails with reason rate_limited. */
  maxRateLimitWaitMs: number;
  stats: RequestStats;
  log(message: string): void;
  /** Told each time the adapter waits for a rate limit, with the wait in milliseconds. */
  onRateLimitWait?(waitMs: number, reason: string): void;
  /** Retries of transient failures (5xx, 408, timeouts, dropped connections); default: defaultRetryPolicy. */
  retry?: RetryPolicy;
  /** Told of every HTTP answer, whatever its status: the host can be reached. */
  onResponse?(): void;
}

export type AdapterFactory = (options: AdapterOptions) => ForgeAdapter;

/** Stable reasons recorded in the run log, for people and programs alike. */
export type FailureReason =
  | "not_found"
  | "unauthorized"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "invalid_response"
  | "interrupted"
  | "internal_error"
  /** The forge software cannot give what the sources ask for (a whole Gogs instance). */
  | "unsupported";

export class ForgeError extends Error {
  override name = "ForgeError";
  /** rate_limited: when the forge will take requests again, in milliseconds from the failure, if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly reason: FailureReason,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The answer, or null when the forge says 404: a look-up that may miss (a login that is a user, not a group). */
export async function notFoundAsNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ForgeError && error.reason === "not_found") return null;
    throw error;
  }
}

// ---- Look-ups for declarations (issue 11) ------------------------------------
// An optional capability of a forge type: before an account is declared, the
// catalogue asks the forge who it is, and later whether the challenge
// repository proving control of it exists. Through the same clients as the
// harvest (timeouts, retries, rate limits written once).

/** What a forge says of an account, shown to the declarer before confirming. */
export interface AccountLookup {
  /** As the forge spells it; "" for a whole instance. */
  login: string;
  kind: "organization" | "user" | "group" | "instance";
  name: string | null;
  /** Public repositories a harvest would list; null when the forge does not say. */
  publicRepositories: number | null;
}

export interface ForgeLookup {
  /** Resolves when the API answers as a forge of this type; throws a ForgeError otherwise. */
  checkApi(): Promise<void>;
  /** The account (login "": the whole instance), or null when the forge has none of that name. */
  lookupAccount(login: string): Promise<AccountLookup | null>;
  /**
   * Whether a public repository named exactly `name` belongs to the account
   * itself (not merely shared with it); login "": any account of the instance.
   */
  hasPublicRepository(login: string, name: string): Promise<boolean>;
}

export type LookupFactory = (options: AdapterOptions) => ForgeLookup;
// ---- Repository profiles (issue 9) ------------------------------------------
// An optional capability of an adapter: reading the files at the root of a
// repository's default branch and its latest release. The choice of files, the
// limits and the storage are forge-independent (src/profiles/); an adapter only
// answers these primitive questions. An adapter without `profiles` (a forge not
// supported yet) leaves its repositories without profile, never failing.

/** What a profile request needs to know of a repository. */
export interface ProfileTarget {
  forgeId: string;
  /** "<owner>/<name>" on GitHub, path_with_namespace on GitLab. */
  fullName: string;
  /** The repository's web page. */
  url: string;
  /** null: the forge did not say; the forge's default branch is then read. */
  defaultBranch: string | null;
}

/** One entry at the root of the default branch. */
export interface RootEntry {
  name: string;
  type: "file" | "dir" | "other";
  /** Bytes, when the listing says (GitHub does, GitLab's tree does not). */
  size: number | null;
  /** The blob's git id: an unchanged file need not be read again. */
  sha: string | null;
}

/** A file read, bounded: text up to maxBytes, else only the fact that it is too large. */
export type FileRead = { kind: "text"; text: string } | { kind: "too_large"; size: number | null };

export interface HarvestedRelease {
  kind: "release" | "tag";
  name: string;
  tag: string | null;
  /** ISO date: published (release) or committed (tag). */
  date: string | null;
  url: string | null;
}

/**
 * ETags of profile requests, per repository and endpoint (the http_cache
 * table, written with the profile). A reader that can ask conditionally sends
 * If-None-Match with a cached ETag and, on 304, gives back the cached payload:
 * the caller sees the same answer either way.
 */
export interface ProfileCache {
  cached(key: string): CachedResponse | undefined;
  /** A 200's ETag and what a later 304 must give back. */
  store(write: CacheWrite): void;
}

export interface ProfileReader {
  /** The root of the default branch; an empty repository (no branch yet) gives []. Throws a ForgeError. */
  listRoot(target: ProfileTarget, signal: AbortSignal, cache?: ProfileCache): Promise<RootEntry[]>;
  /** One root file, as UTF-8 text, never more than maxBytes read. Throws a ForgeError. */
  readFile(target: ProfileTarget, entry: RootEntry, maxBytes: number, signal: AbortSignal): Promise<FileRead>;
  /** The latest release, else (where the forge dates tags cheaply) the latest tag, else null. */
  latestRelease(target: ProfileTarget, signal: AbortSignal, cache?: ProfileCache): Promise<HarvestedRelease | null>;
  /**
   * Optional: the latest releases of many repositories in a few requests
   * (GitHub's and GitLab's GraphQL APIs), by forgeId. A repository missing
   * from the map is asked through latestRelease (which a reader may then
   * spare a request, e.g. GitLab's tag alone where GraphQL found no release);
   * when the batch way is unavailable (no token, refused, failing, its budget
   * spent) the map is empty. Never throws but to say the harvest was interrupted.
   */
  latestReleases?(targets: readonly ProfileTarget[], signal: AbortSignal): Promise<ReleaseBatch>;
  /** The web URL of a path of the default branch: "blob" for a file, "raw" for its bytes, "tree" for a folder. */
  webUrl(target: ProfileTarget, path: string, kind: "blob" | "raw" | "tree"): string;
  /**
   * Optional (issue 10), for a forge whose listing does not carry a fork's
   * parent (GitHub): one request for one fork, asked only for forks that are
   * new or whose push marker moved. null: the forge names no parent.
   */
  forkParent?(target: ProfileTarget, signal: AbortSignal): Promise<ListedForkParent | null>;
}

/**
 * What a batch of latest releases answered, by forgeId. GitHub's GraphQL
 * query also asks each repository's fork parent (`isFork parent { databaseId
 * nameWithOwner }`, no extra point), so that a fork's parent costs no request
 * of its own: `forkParents` holds the repositories the batch answered for
 * (null: not a fork, or no parent GitHub shows). A repository missing from it
 * is asked through forkParent. Other forges' batches leave it out.
 */
export interface ReleaseBatch extends Map<string, HarvestedRelease | null> {
  forkParents?: ReadonlyMap<string, ListedForkParent | null>;
}

/** A fork's parent as a forge names it, on the fork's own host. */
export interface ListedForkParent {
  forgeId: string | null;
  /** "<owner>/<name>". */
  fullName: string | null;
}
