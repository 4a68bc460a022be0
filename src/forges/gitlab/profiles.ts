// Profile files of a GitLab project through the REST repository endpoints:
// the root tree (GET /projects/:id/repository/tree), each wanted file raw
// (GET /projects/:id/repository/files/:path/raw), the latest release, else the
// latest tag. The tree gives no sizes: a raw file is read at most up to the
// limit and abandoned beyond. Every request goes through GitLabTransport, so
// retries and rate limits are those of the rest of the harvest.
//
// The latest releases come first in batches through GitLab's GraphQL API
// (POST /api/graphql, open to anonymous readers of public projects): one query
// for 20 projects instead of one GET /releases each. A project GraphQL says has
// no release is asked only its latest tag (GraphQL has no tags). A GraphQL
// that is missing (older GitLab), refused, failing or unreadable leaves the
// projects concerned to REST, as before.
import { ForgeError, type AdapterOptions, type FileRead, type HarvestedRelease, type ProfileReader, type ProfileTarget, type RootEntry } from "../forge.ts";
import { cleanText, httpUrl, isoDate } from "../normalise.ts";
import { instanceUrl } from "./client.ts";
import { isPayload } from "./mapping.ts";
import { AbortScope, type GitLabTransport } from "./transport.ts";

/**
 * Projects per GraphQL query. GitLab caps a query's complexity (200 anonymous,
 * 250 with a token); 20 projects with their latest release stay below it.
 */
export const gitlabGraphqlBatchSize = 20;

const releasesQuery = `query LatestReleases($ids: [ID!]) {
  projects(ids: $ids, first: ${gitlabGraphqlBatchSize}) {
    nodes { id releases(first: 1, sort: RELEASED_AT_DESC) { nodes { name tagName releasedAt createdAt links { selfUrl } } } }
  }
}`;

/** Pages of 100 entries read from the root tree: GitLab lists folders first, so a root with many folders pushes its files to the second page. */
const treePages = 2;

export class GitLabProfileReader implements ProfileReader {
  private readonly base: string;
  /** Projects GraphQL said have no release: latestRelease asks only their tags. Emptied as they are asked. */
  private readonly withoutRelease = new Set<string>();
  /** Projects this run's listing said are empty (`empty_repo`, no commit): no tree, release or tag to ask. */
  private readonly empty = new Set<string>();
  /** Why GraphQL is not asked again in this run (refused, missing, or its queries rejected); null: asked. */
  private graphqlOff: string | null = null;

  constructor(
    private readonly options: Pick<AdapterOptions, "apiUrl" | "token">,
    private readonly transport: GitLabTransport,
  ) {
    this.base = `${instanceUrl(options.apiUrl)}/api/v4`;
  }

  /** The adapter's listing saw that a project has no commit yet. */
  noteEmpty(forgeId: string): void {
    this.empty.add(forgeId);
  }

  async listRoot(target: ProfileTarget, signal: AbortSignal): Promise<RootEntry[]> {
    // The listing said so: the tree would answer 404 "Tree Not Found".
    if (this.empty.has(target.forgeId)) return [];
    const entries: RootEntry[] = [];
    for (let page = 1; page <= treePages; page++) {
      const url = this.url(target, "repository/tree", { per_page: "100", page: String(page), ...this.ref(target) });
      let body: unknown;
      let headers: Record<string, string>;
      try {
        ({ body, headers } = await this.withScope(signal, (scope) => this.transport.get(url, this.headers(), scope)));
      } catch (error) {
        // 404 "Tree Not Found": an empty repository, or a default branch not pushed yet.
        if (error instanceof ForgeError && error.reason === "not_found" && page === 1) return [];
        throw error;
      }
      if (!Array.isArray(body)) throw new ForgeError("invalid_response", `GitLab did not answer a list for the root tree of ${target.fullName}`);
      for (const raw of body) {
        if (!isPayload(raw)) continue;
        const name = cleanText(raw.name, 255);
        if (!name) continue;
        // mode 120000 is a symbolic link: its "content" is a path, not the file.
        const type = raw.type === "blob" && raw.mode !== "120000" ? "file" : raw.type === "tree" ? "dir" : "other";
        entries.push({ name, type, size: null, sha: cleanText(raw.id, 64) });
      }
      if (!headers["x-next-page"]?.trim()) break;
    }
    return entries;
  }

  async readFile(target: ProfileTarget, entry: RootEntry, maxBytes: number, signal: AbortSignal): Promise<FileRead> {
    const url = this.url(target, `repository/files/${encodeURIComponent(entry.name)}/raw`, this.ref(target));
    const { text } = await this.withScope(signal, (scope) => this.transport.getRaw(url, { ...this.headers(), accept: "*/*" }, scope, maxBytes));
    return text === null ? { kind: "too_large", size: null } : { kind: "text", text };
  }

  /** By forgeId, the projects whose latest release GraphQL gave; those without one are left to latestRelease's tag request. */
  async latestReleases(targets: readonly ProfileTarget[], signal: AbortSignal): Promise<Map<string, HarvestedRelease | null>> {
    const found = new Map<string, HarvestedRelease | null>();
    for (let start = 0; start < targets.length && this.graphqlOff === null; start += gitlabGraphqlBatchSize) {
      await this.releaseBatch(targets.slice(start, start + gitlabGraphqlBatchSize), signal, found);
    }
    return found;
  }

  private async releaseBatch(targets: readonly ProfileTarget[], signal: AbortSignal, found: Map<string, HarvestedRelease | null>): Promise<void> {
    const byGid = new Map(targets.filter((t) => /^\d+$/.test(t.forgeId) && !this.empty.has(t.forgeId)).map((t) => [`gid://gitlab/Project/${t.forgeId}`, t]));
    if (byGid.size === 0) return;
    let body: unknown;
    try {
      const url = new URL(`${instanceUrl(this.options.apiUrl)}/api/graphql`);
      const headers = { accept: "application/json", "user-agent": "code-commun-harvester", ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) };
      ({ body } = await this.withScope(signal, (scope) => this.transport.postJson(url, headers, { query: releasesQuery, variables: { ids: [...byGid.keys()] } }, scope)));
    } catch (error) {
      if (signal.aborted || (error instanceof ForgeError && error.reason === "interrupted")) throw new ForgeError("interrupted", "the harvest was stopped");
      // No GraphQL there, or not for us: not asked again this run. A 5xx, a timeout, garbage: REST for this batch only.
      if (error instanceof ForgeError && (error.reason === "not_found" || error.reason === "unauthorized")) this.graphqlOff = error.message;
      return;
    }
    const data = isPayload(body) && isPayload(body.data) ? body.data : null;
    const projects = data && isPayload(data.projects) && Array.isArray(data.projects.nodes) ? data.projects.nodes : null;
    if (projects === null) {
      // A query GitLab rejects (complexity, an older schema) would be rejected again: REST from now on.
      this.graphqlOff = "GraphQL answered no projects";
      return;
    }
    for (const node of projects) {
      if (!isPayload(node) || typeof node.id !== "string") continue;
      const target = byGid.get(node.id);
      if (!target) continue;
      const releases = isPayload(node.releases) && Array.isArray(node.releases.nodes) ? node.releases.nodes : null;
      if (releases === null) continue;
      const release = releases[0];
      if (release === undefined) {
        this.withoutRelease.add(target.forgeId);
        continue;
      }
      if (!isPayload(release)) continue;
      const tag = cleanText(release.tagName, 255);
      const name = cleanText(release.name, 255) ?? tag;
      const links = isPayload(release.links) ? release.links : {};
      if (name) found.set(target.forgeId, { kind: "release", name, tag, date: isoDate(release.releasedAt) ?? isoDate(release.createdAt), url: httpUrl(links.selfUrl) });
      else this.withoutRelease.add(target.forgeId);
    }
  }

  /** The latest release (GitLab sorts them by released_at, newest first), else the most recently updated tag. */
  async latestRelease(target: ProfileTarget, signal: AbortSignal): Promise<HarvestedRelease | null> {
    // GraphQL already said there is none: only the tag is left to ask.
    const knownWithout = this.withoutRelease.delete(target.forgeId);
    const releases = knownWithout ? [] : await this.optionalList(target, "releases", { per_page: "1" }, signal);
    const release = releases[0];
    if (isPayload(release)) {
      const tag = cleanText(release.tag_name, 255);
      const name = cleanText(release.name, 255) ?? tag;
      const links = isPayload(release._links) ? release._links : {};
      if (name) return { kind: "release", name, tag, date: isoDate(release.released_at) ?? isoDate(release.created_at), url: httpUrl(links.self) };
    }
    const tags = await this.optionalList(target, "repository/tags", { per_page: "1", order_by: "updated", sort: "desc" }, signal);
    const tag = tags[0];
    if (!isPayload(tag)) return null;
    const name = cleanText(tag.name, 255);
    if (!name) return null;
    const commit = isPayload(tag.commit) ? tag.commit : {};
    return { kind: "tag", name, tag: name, date: isoDate(commit.committed_date) ?? isoDate(commit.created_at), url: `${target.url.replace(/\/+$/, "")}/-/tags/${encodeURIComponent(name)}` };
  }

  webUrl(target: ProfileTarget, path: string, kind: "blob" | "raw" | "tree"): string {
    const branch = encodeURIComponent(target.defaultBranch ?? "HEAD");
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return `${target.url.replace(/\/+$/, "")}/-/${kind}/${branch}/${encoded}`;
  }

  /** A list that a project may not offer (releases or repository disabled: 403, 404): empty then. */
  private async optionalList(target: ProfileTarget, endpoint: string, query: Record<string, string>, signal: AbortSignal): Promise<unknown[]> {
    try {
      const { body } = await this.withScope(signal, (scope) => this.transport.get(this.url(target, endpoint, query), this.headers(), scope));
      if (!Array.isArray(body)) throw new ForgeError("invalid_response", `GitLab did not answer a list for the ${endpoint} of ${target.fullName}`);
      return body;
    } catch (error) {
      if (error instanceof ForgeError && (error.reason === "not_found" || error.reason === "unauthorized")) return [];
      throw error;
    }
  }

  private ref(target: ProfileTarget): Record<string, string> {
    return { ref: target.defaultBranch ?? "HEAD" };
  }

  private url(target: ProfileTarget, endpoint: string, query: Record<string, string>): URL {
    const url = new URL(`${this.base}/projects/${encodeURIComponent(target.forgeId)}/${endpoint}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  private headers(): Record<string, string> {
    return { accept: "application/json", "user-agent": "code-commun-harvester", ...(this.options.token ? { "private-token": this.options.token } : {}) };
  }

  private async withScope<T>(signal: AbortSignal, work: (scope: AbortScope) => Promise<T>): Promise<T> {
    const scope = new AbortScope(signal);
    try {
      return await work(scope);
    } finally {
      scope.close();
    }
  }
}
