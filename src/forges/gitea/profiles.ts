// Profile files (issue 9) of a Gitea, Forgejo or Gogs repository through the
// API v1 contents endpoints: one listing of the root of the default branch
// (GET /repos/{owner}/{repo}/contents?ref=), each wanted file as raw bytes,
// then the latest release, else the latest tag (tags asked first: without a
// tag there is no release to ask for). The listing carries each
// file's size, so a file over the limit is never downloaded; the raw read is
// bounded all the same (the size may be missing, or wrong for an LFS pointer).
// Every request goes through the adapter's JsonTransport: retries, timeouts
// and rate-limit pauses are those of the listing.
//
// Gogs differs in two places: its raw endpoint takes the ref in the path
// (/raw/{ref}/{path}), and it has no tags endpoint; its releases list (0.12+)
// is not paginated and its order is not documented, so the newest is picked
// here by date. An older Gogs without /releases answers 404: no release then.
import { ForgeError, type AdapterOptions, type FileRead, type HarvestedRelease, type ProfileReader, type ProfileTarget, type RootEntry } from "../forge.ts";
import { AbortScope, type JsonTransport } from "../jsonTransport.ts";
import { cleanText, httpUrl, isoDate } from "../normalise.ts";
import type { GiteaFlavour } from "./adapter.ts";
import { isObject } from "./mapping.ts";

/**
 * What a repository listing says that spares profile requests (Gitea and
 * Forgejo; Gogs and old versions send neither): `empty` (no commit yet: no
 * root, no release, no tag) and `release_counter` (published releases: 0 means
 * only a tag can be the latest; more means the releases are asked first).
 */
export interface ListingHints {
  empty: boolean;
  /** null: not sent. */
  releases: number | null;
}

export function listingHints(raw: unknown): ListingHints | null {
  if (!isObject(raw)) return null;
  const releases = typeof raw.release_counter === "number" && Number.isSafeInteger(raw.release_counter) && raw.release_counter >= 0 ? raw.release_counter : null;
  const empty = raw.empty === true;
  return empty || releases !== null ? { empty, releases } : null;
}

/** Releases asked for in one request: drafts (seen by a token with write access) and pre-releases are skipped, so one is not enough. */
const releaseWindow = 5;

export class GiteaProfileReader implements ProfileReader {
  constructor(
    private readonly options: Pick<AdapterOptions, "host" | "token">,
    private readonly flavour: GiteaFlavour,
    private readonly transport: JsonTransport,
    /** The API root, ending in /api/v1. */
    private readonly root: string,
    /** What this run's listing said of a repository, if it said. */
    private readonly hints: (forgeId: string) => ListingHints | undefined = () => undefined,
  ) {}

  async listRoot(target: ProfileTarget, signal: AbortSignal): Promise<RootEntry[]> {
    const what = `the root files of ${target.fullName}`;
    // The listing said it has no commit yet: its contents would answer 404.
    if (this.hints(target.forgeId)?.empty) return [];
    let body: unknown;
    try {
      // Gogs routes the listing as /contents/*, which an empty path matches only with its slash.
      ({ body } = await this.get(this.url(target, this.flavour === "gogs" ? "contents/" : "contents", this.ref(target)), signal));
    } catch (error) {
      // An empty repository (no commit, no branch yet) answers 404.
      if (error instanceof ForgeError && error.reason === "not_found") return [];
      throw error;
    }
    // Some versions answer an empty repository with [] or an empty body.
    if (body === null) return [];
    if (!Array.isArray(body)) throw new ForgeError("invalid_response", `${this.options.host} did not answer a list for ${what}`);
    const entries: RootEntry[] = [];
    for (const raw of body) {
      if (!isObject(raw)) continue;
      const name = cleanText(raw.name, 255);
      if (!name) continue;
      entries.push({
        name,
        // "symlink" and "submodule" are not read: a link's content is a path, a submodule has none here.
        type: raw.type === "file" ? "file" : raw.type === "dir" ? "dir" : "other",
        size: typeof raw.size === "number" && Number.isSafeInteger(raw.size) && raw.size >= 0 ? raw.size : null,
        sha: cleanText(raw.sha, 64),
      });
    }
    return entries;
  }

  async readFile(target: ProfileTarget, entry: RootEntry, maxBytes: number, signal: AbortSignal): Promise<FileRead> {
    if (entry.size !== null && entry.size > maxBytes) return { kind: "too_large", size: entry.size };
    const path = encodeURIComponent(entry.name);
    const url =
      this.flavour === "gogs"
        ? this.url(target, `raw/${encodeURIComponent(target.defaultBranch ?? "master")}/${path}`, {})
        : this.url(target, `raw/${path}`, this.ref(target));
    const scope = new AbortScope(signal);
    try {
      const { text } = await this.transport.getRaw(url, { ...this.headers(), accept: "*/*" }, scope, maxBytes);
      return text === null ? { kind: "too_large", size: entry.size } : { kind: "text", text };
    } finally {
      scope.close();
    }
  }

  /**
   * The newest published release (drafts and pre-releases skipped, as GitHub's
   * "latest" does), else the newest tag with its commit's date (Gitea and
   * Forgejo list tags newest first). The releases list rather than
   * /releases/latest: it exists on every version, at the same cost.
   *
   * When this run's listing counted the repository's releases (Gitea's
   * `release_counter`), one request: none, the tags alone; some, the releases
   * (then the tags only when none is published). Otherwise tags are asked
   * first: every published release has its tag, so a repository without any
   * tag (most of them) costs one request instead of two.
   */
  async latestRelease(target: ProfileTarget, signal: AbortSignal): Promise<HarvestedRelease | null> {
    const gogs = this.flavour === "gogs";
    const counted = gogs ? null : (this.hints(target.forgeId)?.releases ?? null);
    // Gogs has no tags endpoint: null then, as for a server without tags listing, whose releases are asked all the same.
    const askTags = async () => (gogs ? null : await this.optionalList(target, "tags", { limit: "1" }, signal));
    if (counted === 0) return latestTag(target, await askTags());
    const tags = counted === null ? await askTags() : undefined;
    if (tags !== undefined && tags !== null && tags.length === 0) return null;
    // draft and pre-release filter the list on Gitea 1.17+; older versions ignore them, hence the checks below too.
    const releases = (await this.optionalList(target, "releases", gogs ? {} : { limit: String(releaseWindow), draft: "false", "pre-release": "false" }, signal)) ?? [];
    const published = releases.filter((r) => isObject(r) && r.draft !== true && r.prerelease !== true) as Record<string, unknown>[];
    if (gogs) published.sort((a, b) => (dateOf(b) ?? "").localeCompare(dateOf(a) ?? ""));
    for (const release of published) {
      const tag = cleanText(release.tag_name, 255);
      const name = cleanText(release.name, 255) ?? tag;
      if (name) return { kind: "release", name, tag, date: dateOf(release), url: httpUrl(release.html_url) };
    }
    return latestTag(target, tags === undefined ? await askTags() : tags);
  }

  /** Gitea and Forgejo: /src/branch/<branch>/<path>, /raw/branch/<branch>/<path>; Gogs: /src/<branch>/<path>, /raw/<branch>/<path>. */
  webUrl(target: ProfileTarget, path: string, kind: "blob" | "raw" | "tree"): string {
    const branch = encodeURIComponent(target.defaultBranch ?? (this.flavour === "gogs" ? "master" : "main"));
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    const view = kind === "raw" ? "raw" : "src";
    return this.flavour === "gogs" ? `${repoUrl(target)}/${view}/${branch}/${encoded}` : `${repoUrl(target)}/${view}/branch/${branch}/${encoded}`;
  }

  /** A list that a repository may not offer (releases unit disabled, or an old server): null then. */
  private async optionalList(target: ProfileTarget, endpoint: string, query: Record<string, string>, signal: AbortSignal): Promise<unknown[] | null> {
    try {
      const { body } = await this.get(this.url(target, endpoint, query), signal);
      if (body === null) return [];
      if (!Array.isArray(body)) throw new ForgeError("invalid_response", `${this.options.host} did not answer a list for the ${endpoint} of ${target.fullName}`);
      return body;
    } catch (error) {
      if (error instanceof ForgeError && (error.reason === "not_found" || error.reason === "unauthorized")) return null;
      throw error;
    }
  }

  private async get(url: URL, signal: AbortSignal) {
    const scope = new AbortScope(signal);
    try {
      return await this.transport.get(url, this.headers(), scope);
    } finally {
      scope.close();
    }
  }

  /** No ref when the forge did not name the default branch: the server reads its own default then. */
  private ref(target: ProfileTarget): Record<string, string> {
    return target.defaultBranch ? { ref: target.defaultBranch } : {};
  }

  private url(target: ProfileTarget, endpoint: string, query: Record<string, string>): URL {
    const slash = target.fullName.indexOf("/");
    if (slash <= 0) throw new ForgeError("invalid_response", `"${target.fullName}" is not an owner/name pair`);
    const owner = encodeURIComponent(target.fullName.slice(0, slash));
    const repo = encodeURIComponent(target.fullName.slice(slash + 1));
    const url = new URL(`${this.root}/repos/${owner}/${repo}/${endpoint}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  private headers(): Record<string, string> {
    return { accept: "application/json", "user-agent": "code-commun-harvester", ...(this.options.token ? { authorization: `token ${this.options.token}` } : {}) };
  }
}

function repoUrl(target: ProfileTarget): string {
  return target.url.replace(/\/+$/, "");
}

/** The newest tag of a list asked with limit 1, as a release-like record. */
function latestTag(target: ProfileTarget, tags: unknown[] | null): HarvestedRelease | null {
  const tag = tags?.[0];
  if (!isObject(tag)) return null;
  const name = cleanText(tag.name, 255);
  if (!name) return null;
  const commit = isObject(tag.commit) ? tag.commit : {};
  return { kind: "tag", name, tag: name, date: isoDate(commit.created), url: `${repoUrl(target)}/src/tag/${encodeURIComponent(name)}` };
}

/** A release's date: published, else created (Gogs sends created_at only). */
function dateOf(release: Record<string, unknown>): string | null {
  return isoDate(release.published_at) ?? isoDate(release.created_at);
}
