// A fake Gitea API v1 (and its Forgejo and Gogs relatives), enough of it for
// the harvester, in the real shapes: /orgs/{org}, /users/{user}, their
// /repos, /orgs (every organisation), /repos/search answering {ok, data};
// page/limit pagination capped at the server's page size (50 by default,
// whatever limit asks), with Link and X-Total-Count; Gitea's 404 body
// ({"errors", "message", "url"}); the `licenses` field of Gitea 1.22+;
// optional weak ETags and 304s; for declarations' look-ups, /version,
// /settings/api, one repository (/repos/{owner}/{name}: a private one is a
// 404 but to a token holder) and the search's `q`. It carries the benchmark (500 accounts,
// 15,000 repositories): lists are kept sorted and sliced per request.
// Repository content for profiles (issue 9): the root listing
// (/repos/{o}/{r}/contents?ref=), raw files (/raw/{path}?ref=, Gogs
// /raw/{ref}/{path}), releases and tags (not on Gogs).
import { createHash } from "node:crypto";
import { FakeHttpServer, type FakeRequest, type FakeResponse } from "./fakeHttp.ts";
import { blobSha, newContent, sizeOf, toFiles, type FakeRelease, type FakeRepoContent, type FileSpec } from "./fakeRepoContent.ts";

export interface FakeGiteaRepoFields {
  name: string;
  description: string;
  website: string;
  language: string;
  /** SPDX ids as Gitea 1.22+ reports them; undefined: the field is not sent (older Gitea). */
  licenses: string[] | undefined;
  topics: string[];
  stars: number;
  forks: number;
  openIssues: number;
  archived: boolean;
  private: boolean;
  internal: boolean;
  mirror: boolean;
  template: boolean;
  /** The parent's forge id: the repository is a fork of it. */
  parentId: number | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeGiteaRepo extends FakeGiteaRepoFields {
  id: number;
  owner: string;
}

export interface FakeGiteaOwnerFields {
  fullName: string;
  description: string;
  website: string;
  location: string;
  email: string;
  visibility: "public" | "limited" | "private";
}

interface FakeOwner extends FakeGiteaOwnerFields {
  id: number;
  login: string;
  kind: "organization" | "user";
  /** Repositories by id order; rebuilt lazily after a change. */
  repos: FakeGiteaRepo[];
}

export interface FakeGiteaOptions {
  /** The server's cap of a page (Gitea's MAX_RESPONSE_ITEMS): 50 by default. */
  maxPageSize?: number;
  /** The page size when the request gives no limit (Gitea's DEFAULT_PAGING_NUM): 30. */
  defaultPageSize?: number;
  /** Which pagination headers to send. Default both. */
  pagination?: "both" | "link" | "total" | "none";
  /** Send weak ETags and answer 304 to a matching If-None-Match. Default true. */
  etags?: boolean;
  /** Gogs: owners' repositories only with a token, /repos/search only with a keyword, "username" instead of "login". */
  flavour?: "gitea" | "gogs";
  /** The web address written in html_url. */
  webUrl?: string;
  /** What GET /version answers; null: no such endpoint (Gogs). Default "1.22.3", null for Gogs. */
  version?: string | null;
  /** Send each repository's `empty` and `release_counter` (Gitea, Forgejo). Default true; false: an old server without them. Never on Gogs. */
  repoCounters?: boolean;
}

const epoch = Date.parse("2018-01-01T00:00:00Z");
const dateOf = (id: number) => new Date(epoch + id * 3_600_000).toISOString().replace(".000Z", "Z");

export class FakeGitea extends FakeHttpServer {
  private readonly owners = new Map<string, FakeOwner>();
  private readonly repos = new Map<number, FakeGiteaRepo>();
  /** Content by repository id; a repository without any is empty (no commit): its listing answers 404. */
  private readonly contents = new Map<number, FakeRepoContent>();
  private nextId = 1;
  private sortedAll: FakeGiteaRepo[] | null = null;
  private readonly options: Required<FakeGiteaOptions>;

  constructor(options: FakeGiteaOptions = {}) {
    super();
    this.options = {
      maxPageSize: options.maxPageSize ?? 50,
      defaultPageSize: options.defaultPageSize ?? 30,
      pagination: options.pagination ?? "both",
      etags: options.etags ?? true,
      repoCounters: options.repoCounters ?? true,
      flavour: options.flavour ?? "gitea",
      webUrl: options.webUrl ?? "https://git.example.fr",
      version: options.version !== undefined ? options.version : options.flavour === "gogs" ? null : "1.22.3",
    };
  }

  // ---- data -------------------------------------------------------------

  addOrg(login: string, fields: Partial<FakeGiteaOwnerFields> = {}): number {
    return this.addOwner(login, "organization", fields);
  }

  addUser(login: string, fields: Partial<FakeGiteaOwnerFields> = {}): number {
    return this.addOwner(login, "user", fields);
  }

  addRepo(owner: string, fields: Partial<FakeGiteaRepoFields> & { name: string }): FakeGiteaRepo {
    const account = this.owner(owner);
    const id = this.nextId++;
    const repo: FakeGiteaRepo = {
      id,
      owner: account.login,
      description: "",
      website: "",
      language: "",
      licenses: [],
      topics: [],
      stars: 0,
      forks: 0,
      openIssues: 0,
      archived: false,
      private: false,
      internal: false,
      mirror: false,
      template: false,
      parentId: null,
      defaultBranch: "main",
      createdAt: dateOf(id),
      updatedAt: dateOf(id + 1),
      ...fields,
    };
    this.repos.set(id, repo);
    account.repos.push(repo);
    this.sortedAll = null;
    return repo;
  }

  /** `count` repositories named <prefix>-0000...; returns their ids. */
  addRepos(owner: string, count: number, make: (index: number) => Partial<FakeGiteaRepoFields> = () => ({}), prefix = "repo"): number[] {
    return Array.from({ length: count }, (_, i) => this.addRepo(owner, { name: `${prefix}-${String(i).padStart(4, "0")}`, ...make(i) }).id);
  }

  updateRepo(id: number, fields: Partial<FakeGiteaRepoFields>): void {
    Object.assign(this.repo(id), fields);
  }

  removeRepo(id: number): void {
    const repo = this.repo(id);
    this.repos.delete(id);
    const owner = this.owner(repo.owner);
    owner.repos = owner.repos.filter((r) => r.id !== id);
    this.sortedAll = null;
  }

  repo(id: number): FakeGiteaRepo {
    const repo = this.repos.get(id);
    if (!repo) throw new Error(`fake Gitea has no repository ${id}`);
    return repo;
  }

  // ---- repository content (issue 9) -------------------------------------------

  /** Replaces the root files of a repository (a name ending in "/" is a folder). Does not move updated_at: use updateRepo. */
  setFiles(id: number, files: FileSpec): void {
    this.content(id).files = toFiles(files);
  }

  /** Releases, newest first; `draft`/`prerelease` mark those a "latest" must skip. */
  setReleases(id: number, releases: (FakeRelease & { draft?: boolean; prerelease?: boolean })[]): void {
    this.content(id).releases = releases;
  }

  /** Tags, newest first. */
  setTags(id: number, tags: FakeRelease[]): void {
    this.content(id).tags = tags;
  }

  private content(id: number): FakeRepoContent {
    this.repo(id);
    let content = this.contents.get(id);
    if (!content) this.contents.set(id, (content = newContent()));
    return content;
  }

  private routeContent(request: FakeRequest, repo: FakeGiteaRepo, endpoint: string): FakeResponse {
    const gogs = this.options.flavour === "gogs";
    const content = this.contents.get(repo.id);
    const webUrl = `${this.options.webUrl}/${this.owner(repo.owner).login}/${repo.name}`;
    const limit = Number(request.query.get("limit")) || this.options.defaultPageSize;
    if (endpoint === "releases") {
      type Release = FakeRelease & { draft?: boolean; prerelease?: boolean };
      let releases = (content?.releases ?? []) as Release[];
      // Gitea 1.17+ filters on draft and pre-release; Gogs lists every release at once.
      if (!gogs && request.query.get("draft") === "false") releases = releases.filter((r) => !r.draft);
      if (!gogs && request.query.get("pre-release") === "false") releases = releases.filter((r) => !r.prerelease);
      if (!gogs) releases = releases.slice(0, Math.min(limit, this.options.maxPageSize));
      return {
        status: 200,
        body: releases.map((r, i) => ({
          id: i + 1,
          tag_name: r.tag,
          name: r.name,
          draft: r.draft === true,
          prerelease: r.prerelease === true,
          created_at: r.date,
          ...(gogs ? {} : { published_at: r.date, html_url: `${webUrl}/releases/tag/${r.tag}` }),
        })),
      };
    }
    if (endpoint === "tags") {
      if (gogs) return notFound(this.url);
      const tags = (content?.tags ?? []).slice(0, Math.min(limit, this.options.maxPageSize));
      return { status: 200, body: tags.map((t) => ({ name: t.name, message: "", id: "abc", commit: { url: `${webUrl}/commit/abc`, sha: "abc", created: t.date } })) };
    }
    // An empty repository has no branch: Gitea answers 404 to its contents.
    if (!content) return notFound(this.url);
    if (endpoint === "contents") {
      const ref = request.query.get("ref");
      if (ref !== null && ref !== repo.defaultBranch) return notFound(this.url);
      return {
        status: 200,
        body: [...content.files.entries()].map(([name, file]) => {
          const dir = name.endsWith("/");
          const clean = dir ? name.slice(0, -1) : name;
          return { name: clean, path: clean, sha: blobSha(file), type: dir ? "dir" : "file", size: dir ? 0 : sizeOf(file), encoding: null, content: null };
        }),
      };
    }
    // raw/{path}?ref= (Gitea), raw/{ref}/{path} (Gogs)
    let path = endpoint.slice("raw/".length);
    if (gogs) {
      const slash = path.indexOf("/");
      if (slash < 0 || path.slice(0, slash) !== repo.defaultBranch) return notFound(this.url);
      path = path.slice(slash + 1);
    } else {
      const ref = request.query.get("ref");
      if (ref !== null && ref !== repo.defaultBranch) return notFound(this.url);
    }
    const file = path.endsWith("/") ? undefined : content.files.get(path);
    if (!file) return notFound(this.url);
    return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: file.content };
  }

  private addOwner(login: string, kind: FakeOwner["kind"], fields: Partial<FakeGiteaOwnerFields>): number {
    const id = this.nextId++;
    this.owners.set(login.toLowerCase(), {
      id,
      login,
      kind,
      repos: [],
      fullName: "",
      description: "",
      website: "",
      location: "",
      email: "",
      visibility: "public",
      ...fields,
    });
    return id;
  }

  private owner(login: string): FakeOwner {
    const owner = this.owners.get(login.toLowerCase());
    if (!owner) throw new Error(`fake Gitea has no owner ${login}`);
    return owner;
  }

  // ---- API --------------------------------------------------------------

  protected handle(request: FakeRequest): FakeResponse {
    if (request.method !== "GET") return { status: 405, body: { message: "method not allowed" } };
    const path = request.path.replace(/\/+$/, "");
    if (!path.startsWith("/api/v1/")) return notFound(this.url);
    const rest = path.slice("/api/v1".length);
    const gogs = this.options.flavour === "gogs";
    const authorised = typeof request.headers.authorization === "string" && /^token \S+/.test(request.headers.authorization);
    let match: RegExpExecArray | null;

    if (rest === "/orgs") {
      const orgs = [...this.owners.values()].filter((o) => o.kind === "organization").sort((a, b) => a.id - b.id);
      return this.page(request, orgs.map((o) => this.renderOwner(o)));
    }
    if (rest === "/version" || rest === "/settings/api") {
      if (this.options.version === null) return notFound(this.url);
      return this.single(request, rest === "/version" ? { version: this.options.version } : { max_response_items: this.options.maxPageSize, default_paging_num: this.options.defaultPageSize, default_git_trees_per_page: 1000, default_max_blob_size: 10485760 });
    }
    if (rest === "/repos/search") {
      if (gogs && !request.query.get("q")) return { status: 422, body: { ok: false, error: "q is required" } };
      // q: the keyword, matched in names as Gitea does (case-insensitive substring).
      const q = request.query.get("q")?.toLowerCase() ?? "";
      const all = q ? this.allPublic().filter((r) => r.name.toLowerCase().includes(q)) : this.allPublic();
      return this.page(request, all.map((r) => this.renderRepo(r)), (data) => ({ ok: true, data }));
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)$/.exec(rest))) {
      const owner = this.owners.get((match[1] as string).toLowerCase());
      const repo = owner?.repos.find((r) => r.name.toLowerCase() === (match![2] as string).toLowerCase());
      // Gitea hides a private repository behind a 404 from whoever may not see it.
      if (!repo || ((repo.private || repo.internal) && !authorised)) return notFound(this.url);
      return this.single(request, this.renderRepo(repo));
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/(contents|raw\/.+|releases|tags)$/.exec(rest))) {
      const owner = this.owners.get((match[1] as string).toLowerCase());
      const repo = owner?.repos.find((r) => r.name.toLowerCase() === (match![2] as string).toLowerCase());
      if (!repo || ((repo.private || repo.internal) && !authorised)) return notFound(this.url);
      return this.routeContent(request, repo, match[3] as string);
    }
    if ((match = /^\/orgs\/([^/]+)$/.exec(rest))) {
      const owner = this.owners.get((match[1] as string).toLowerCase());
      if (!owner || owner.kind !== "organization" || owner.visibility === "private") return notFound(this.url);
      return this.single(request, this.renderOwner(owner));
    }
    if ((match = /^\/users\/([^/]+)$/.exec(rest))) {
      const owner = this.owners.get((match[1] as string).toLowerCase());
      if (!owner) return notFound(this.url);
      return this.single(request, this.renderOwner(owner));
    }
    if ((match = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(rest))) {
      const owner = this.owners.get((match[2] as string).toLowerCase());
      if (!owner || (match[1] === "orgs" && owner.kind !== "organization")) return notFound(this.url);
      if (gogs && !authorised) return { status: 401, body: { message: "token required" } };
      return this.page(request, owner.repos.filter((r) => !r.private).map((r) => this.renderRepo(r)));
    }
    return notFound(this.url);
  }

  private allPublic(): FakeGiteaRepo[] {
    if (!this.sortedAll) this.sortedAll = [...this.repos.values()].filter((r) => !r.private && !r.internal).sort((a, b) => a.id - b.id);
    return this.sortedAll;
  }

  /** One page of `items`: page and limit as Gitea reads them, capped, with its headers. */
  private page(request: FakeRequest, items: unknown[], wrap: (data: unknown[]) => unknown = (data) => data): FakeResponse {
    const page = Math.max(1, Number(request.query.get("page")) || 1);
    const asked = Number(request.query.get("limit")) || this.options.defaultPageSize;
    const size = Math.min(Math.max(1, asked), this.options.maxPageSize);
    const slice = items.slice((page - 1) * size, page * size);
    const headers: Record<string, string> = {};
    const { pagination } = this.options;
    if (pagination === "both" || pagination === "total") headers["x-total-count"] = String(items.length);
    const last = Math.max(1, Math.ceil(items.length / size));
    if ((pagination === "both" || pagination === "link") && last > 1) {
      const link = (p: number, rel: string) => {
        const query = new URLSearchParams(request.query);
        query.set("page", String(p));
        query.set("limit", String(size));
        return `<${this.options.webUrl}/api/v1${request.path.slice("/api/v1".length)}?${query}>; rel="${rel}"`;
      };
      const links = [];
      if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
      if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
      headers.link = links.join(",");
    }
    return this.withEtag(request, { status: 200, headers, body: wrap(slice) });
  }

  private single(request: FakeRequest, body: unknown): FakeResponse {
    return this.withEtag(request, { status: 200, headers: {}, body });
  }

  private withEtag(request: FakeRequest, response: FakeResponse): FakeResponse {
    if (!this.options.etags) return response;
    const etag = `W/"${createHash("sha1").update(JSON.stringify(response.body)).digest("hex").slice(0, 20)}"`;
    const headers = { ...response.headers, etag };
    if (request.headers["if-none-match"] === etag) return { status: 304, headers };
    return { ...response, headers };
  }

  private renderOwner(owner: FakeOwner): Record<string, unknown> {
    const gogs = this.options.flavour === "gogs";
    const common = {
      id: owner.id,
      full_name: owner.fullName,
      email: owner.email,
      avatar_url: `${this.options.webUrl}/avatars/${owner.id}`,
      description: owner.description,
      website: owner.website,
      location: owner.location,
    };
    if (gogs) return { ...common, username: owner.login };
    if (owner.kind === "organization") return { ...common, name: owner.login, username: owner.login, visibility: owner.visibility, repo_admin_change_team_access: false };
    return { ...common, login: owner.login, login_name: "", created: dateOf(owner.id), visibility: owner.visibility, followers_count: 0, is_admin: false };
  }

  private renderRepo(repo: FakeGiteaRepo, depth = 0): Record<string, unknown> {
    const owner = this.owner(repo.owner);
    const fullName = `${owner.login}/${repo.name}`;
    const parent = repo.parentId !== null && depth === 0 && this.repos.has(repo.parentId) ? this.renderRepo(this.repo(repo.parentId), 1) : null;
    const body: Record<string, unknown> = {
      id: repo.id,
      owner: this.options.flavour === "gogs" ? { id: owner.id, username: owner.login } : { id: owner.id, login: owner.login, full_name: owner.fullName },
      name: repo.name,
      full_name: fullName,
      description: repo.description,
      empty: false,
      private: repo.private,
      fork: repo.parentId !== null,
      template: repo.template,
      parent,
      mirror: repo.mirror,
      size: 120,
      language: repo.language,
      html_url: `${this.options.webUrl}/${fullName}`,
      clone_url: `${this.options.webUrl}/${fullName}.git`,
      website: repo.website,
      stars_count: repo.stars,
      forks_count: repo.forks,
      watchers_count: 1,
      open_issues_count: repo.openIssues,
      default_branch: repo.defaultBranch,
      archived: repo.archived,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      internal: repo.internal,
      topics: repo.topics,
    };
    if (repo.licenses !== undefined) body.licenses = repo.licenses;
    // issue 9: what spares profile requests. An empty repository has no commit; the counter counts published releases.
    const content = this.contents.get(repo.id);
    if (this.options.repoCounters && this.options.flavour !== "gogs") {
      body.empty = !content || content.files.size === 0;
      body.release_counter = content?.releases.length ?? 0;
    }
    return body;
  }
}

/** Gitea's 404: a JSON body with its own message and a link to the API documentation. */
function notFound(origin: string): FakeResponse {
  return { status: 404, body: { errors: null, message: "The target couldn't be found.", url: `${origin}/api/swagger` } };
}
