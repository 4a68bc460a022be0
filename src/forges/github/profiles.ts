// Profile files of a GitHub repository through the REST contents endpoints:
// one listing of the root (GET /repos/{o}/{r}/contents/), then each wanted
// file as raw bytes, and the latest release. The listing carries each file's
// size, so a file over the limit is never downloaded. With a token, the latest
// releases come in batches through GraphQL (releases.ts), REST per repository
// otherwise. The listing and the REST release are asked conditionally when an
// ETag is cached: a 304 costs nothing of GitHub's rate limit.
import { ForgeError, type FileRead, type HarvestedRelease, type ListedForkParent, type ProfileCache, type ProfileReader, type ProfileTarget, type ReleaseBatch, type RootEntry } from "../forge.ts";
import { cleanText, httpUrl, isoDate } from "../normalise.ts";
import type { GitHubClient } from "./client.ts";
import { abortable, cacheKey, conditionalGet } from "./conditional.ts";
import { hasStatus, toForgeError } from "./errors.ts";
import { GitHubReleaseBatcher } from "./releases.ts";

type Json = Record<string, unknown>;

function ownerAndName(target: ProfileTarget): { owner: string; repo: string } {
  const slash = target.fullName.indexOf("/");
  if (slash <= 0) throw new ForgeError("invalid_response", `"${target.fullName}" is not an owner/name pair`);
  return { owner: target.fullName.slice(0, slash), repo: target.fullName.slice(slash + 1) };
}

function entryType(type: unknown): RootEntry["type"] {
  return type === "file" ? "file" : type === "dir" ? "dir" : "other";
}

/** A root listing as cached for a 304: [name, type, size, sha] per entry. */
type CachedEntry = [string, RootEntry["type"], number | null, string | null];

function parseEntries(payload: unknown): CachedEntry[] | undefined {
  if (!Array.isArray(payload)) return undefined;
  return (payload as unknown[]).every((item) => Array.isArray(item) && typeof item[0] === "string") ? (payload as CachedEntry[]) : undefined;
}

function fromCached(entries: CachedEntry[]): RootEntry[] {
  return entries.map(([name, type, size, sha]) => ({ name, type: entryType(type), size: typeof size === "number" ? size : null, sha: typeof sha === "string" ? sha : null }));
}

function parseRelease(payload: unknown): { release: HarvestedRelease | null } | undefined {
  if (typeof payload !== "object" || payload === null || !("release" in payload)) return undefined;
  const release = (payload as { release: unknown }).release;
  if (release === null) return { release: null };
  if (typeof release !== "object" || typeof (release as Json).name !== "string") return undefined;
  return { release: release as HarvestedRelease };
}

/** The cache of one profile fetch, as conditionalGet reads it. */
function conditionalContext(cache: ProfileCache | undefined, signal: AbortSignal) {
  return { signal, cached: (key: string) => cache?.cached(key) };
}

export interface GitHubProfileOptions {
  host: string;
  /** GraphQL batches need a token: GitHub refuses unauthenticated GraphQL. */
  graphql: boolean;
  log(message: string): void;
}

export class GitHubProfileReader implements ProfileReader {
  private readonly releases: GitHubReleaseBatcher;

  constructor(
    private readonly api: GitHubClient,
    private readonly options: GitHubProfileOptions = { host: "github.com", graphql: false, log: () => {} },
  ) {
    this.releases = new GitHubReleaseBatcher(api, options.graphql, options.log);
  }

  /** With a token: the latest releases and the fork parents of 50 repositories per GraphQL query. */
  latestReleases(targets: readonly ProfileTarget[], signal: AbortSignal): Promise<ReleaseBatch> {
    return this.releases.latestReleases(targets, signal);
  }

  async listRoot(target: ProfileTarget, signal: AbortSignal, cache?: ProfileCache): Promise<RootEntry[]> {
    const what = `the root files of ${target.fullName}`;
    const { owner, repo } = ownerAndName(target);
    const key = cacheKey(this.options.host, `/repos/${owner}/${repo}/contents/?ref=${target.defaultBranch ?? ""}`);
    let data: unknown;
    try {
      const outcome = await conditionalGet(conditionalContext(cache, signal), key, parseEntries, (headers) =>
        this.api.request("GET /repos/{owner}/{repo}/contents/{path}", {
          owner,
          repo,
          path: "",
          ...(target.defaultBranch ? { ref: target.defaultBranch } : {}),
          headers,
          request: { signal },
        }),
      );
      if (!outcome.modified) return fromCached(outcome.payload);
      data = outcome.data;
      if (Array.isArray(data)) {
        const entries = this.entries(data);
        for (const write of outcome.cache(entries.map((e): CachedEntry => [e.name, e.type, e.size, e.sha]))) cache?.store(write);
        return entries;
      }
    } catch (error) {
      // GitHub answers 404 "This repository is empty." for a repository without commits.
      if (hasStatus(error, 404)) return [];
      throw toForgeError(error, what, signal);
    }
    throw new ForgeError("invalid_response", `GitHub did not answer a list for ${what}`);
  }

  private entries(data: unknown[]): RootEntry[] {
    const entries: RootEntry[] = [];
    for (const item of data) {
      if (typeof item !== "object" || item === null) continue;
      const raw = item as Json;
      const name = cleanText(raw.name, 255);
      if (!name) continue;
      entries.push({
        name,
        type: entryType(raw.type),
        size: typeof raw.size === "number" && raw.size >= 0 ? raw.size : null,
        sha: cleanText(raw.sha, 64),
      });
    }
    return entries;
  }

  async readFile(target: ProfileTarget, entry: RootEntry, maxBytes: number, signal: AbortSignal): Promise<FileRead> {
    if (entry.size !== null && entry.size > maxBytes) return { kind: "too_large", size: entry.size };
    try {
      const response = await abortable(
        this.api.request("GET /repos/{owner}/{repo}/contents/{path}", {
          ...ownerAndName(target),
          path: entry.name,
          ...(target.defaultBranch ? { ref: target.defaultBranch } : {}),
          mediaType: { format: "raw" },
          request: { signal },
        }),
        signal,
      );
      const data: unknown = response.data;
      const text = typeof data === "string" ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : null;
      if (text === null) throw new ForgeError("invalid_response", `GitHub did not send ${entry.name} of ${target.fullName} as text`);
      // The listing's size is the blob's: a file larger in fact than announced is still refused.
      const bytes = Buffer.byteLength(text, "utf8");
      return bytes > maxBytes ? { kind: "too_large", size: bytes } : { kind: "text", text };
    } catch (error) {
      throw toForgeError(error, `${entry.name} of ${target.fullName}`, signal);
    }
  }

  /**
   * GET /releases/latest only: GitHub's tags carry no date without one more
   * request per tag, which the request budget of a harvest (2 or 3 per
   * repository on a first run) cannot afford. Repositories without a release
   * have no latest release here.
   */
  async latestRelease(target: ProfileTarget, signal: AbortSignal, cache?: ProfileCache): Promise<HarvestedRelease | null> {
    const { owner, repo } = ownerAndName(target);
    const key = cacheKey(this.options.host, `/repos/${owner}/${repo}/releases/latest`);
    let data: unknown;
    let store: (release: HarvestedRelease | null) => void = () => {};
    try {
      const outcome = await conditionalGet(conditionalContext(cache, signal), key, parseRelease, (headers) =>
        this.api.request("GET /repos/{owner}/{repo}/releases/latest", { owner, repo, headers, request: { signal } }),
      );
      if (!outcome.modified) return outcome.payload.release;
      data = outcome.data;
      store = (release) => {
        for (const write of outcome.cache({ release })) cache?.store(write);
      };
    } catch (error) {
      if (hasStatus(error, 404)) return null;
      throw toForgeError(error, `the latest release of ${target.fullName}`, signal);
    }
    if (typeof data !== "object" || data === null) throw new ForgeError("invalid_response", `GitHub sent no release object for ${target.fullName}`);
    const raw = data as Json;
    const tag = cleanText(raw.tag_name, 255);
    const name = cleanText(raw.name, 255) ?? tag;
    const release: HarvestedRelease | null = name ? { kind: "release", name, tag, date: isoDate(raw.published_at) ?? isoDate(raw.created_at), url: httpUrl(raw.html_url) } : null;
    store(release);
    return release;
  }

  /**
   * Issue 10: GitHub's repository lists say `fork: true` but not of what; the
   * repository itself (GET /repos/{owner}/{repo}) carries `parent`, the
   * repository it was forked from (and `source`, the root of the fork chain:
   * the parent is the one reused). Asked only when the GraphQL batch did not
   * answer for this fork (no token, GraphQL unavailable, a failed batch).
   */
  async forkParent(target: ProfileTarget, signal: AbortSignal): Promise<ListedForkParent | null> {
    let data: unknown;
    try {
      const response = await abortable(this.api.request("GET /repos/{owner}/{repo}", { ...ownerAndName(target), request: { signal } }), signal);
      data = response.data;
    } catch (error) {
      throw toForgeError(error, `the parent of ${target.fullName}`, signal);
    }
    if (typeof data !== "object" || data === null) throw new ForgeError("invalid_response", `GitHub sent no repository object for ${target.fullName}`);
    const parent = (data as Json).parent;
    if (typeof parent !== "object" || parent === null) return null;
    const raw = parent as Json;
    const id = typeof raw.id === "number" && Number.isSafeInteger(raw.id) && raw.id > 0 ? String(raw.id) : null;
    const fullName = cleanText(raw.full_name, 400);
    return id === null && fullName === null ? null : { forgeId: id, fullName };
  }

  webUrl(target: ProfileTarget, path: string, kind: "blob" | "raw" | "tree"): string {
    const branch = encodeURIComponent(target.defaultBranch ?? "HEAD");
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return `${target.url.replace(/\/+$/, "")}/${kind}/${branch}/${encoded}`;
  }
}
