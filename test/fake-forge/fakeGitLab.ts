// A fake GitLab speaking the part of the v4 API the harvester uses, with the
// headers a real instance sends: offset pagination (X-Page, X-Per-Page,
// X-Next-Page, X-Total, X-Total-Pages, Link), keyset pagination on /projects
// (Link rel="next" with id_after), RateLimit-* and 429 when a limit is set.
// Its data can change between runs (add, remove, move, touch), and it holds
// an instance of 20,000 projects: every list is read from an index, never by
// scanning all projects per request.
//
// Quirk: FakeHttpServer decodes the path, so /groups/a%2Fb/projects arrives as
// /groups/a/b/projects. A path is first looked up whole as a group; only then
// is a trailing /projects, /subgroups or /descendant_groups read as an endpoint.
// Avoid naming a group "projects" or "subgroups".
import { blobSha, newContent, toFiles, type FakeRelease, type FakeRepoContent, type FileSpec } from "./fakeRepoContent.ts";
import { FakeHttpServer, type FakeRequest, type FakeResponse } from "./fakeHttp.ts";
import { mulberry32 } from "./random.ts";

export type Visibility = "public" | "internal" | "private";

export interface FakeGroup {
  id: number;
  path: string;
  name: string;
  description: string;
  parentId: number | null;
  visibility: Visibility;
  createdAt: string;
}

export interface FakeUser {
  id: number;
  username: string;
  name: string;
  bio: string;
  websiteUrl: string;
  location: string;
  publicEmail: string;
  createdAt: string;
}

export interface FakeProject {
  id: number;
  path: string;
  name: string;
  description: string | null;
  namespace: { kind: "group" | "user"; id: number };
  visibility: Visibility;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  stars: number;
  forks: number;
  /** null: issues disabled, GitLab then omits open_issues_count. */
  openIssues: number | null;
  topics: string[];
  archived: boolean;
  forkedFromId: number | null;
  defaultBranch: string | null;
  /** licensee key ("mit", "other"...), or null for no licence. */
  licenseKey: string | null;
  /** Language → percentage, as /projects/:id/languages answers. */
  languages: Record<string, number>;
}

export interface FakeGitLabOptions {
  /** Which offset pagination headers to send: both (as GitLab does), only Link, or only X-Next-Page & co. */
  pagination?: "both" | "link" | "x-next-page";
  /** false: answer 404 to descendant_groups, as GitLab before 13.5 does. */
  descendantGroups?: boolean;
  /** Origin written in Link headers, e.g. the external URL of an instance behind a proxy (default: the fake's own). */
  linkOrigin?: string;
  /** Origin of web_url fields (default https://gitlab.example.fr). */
  webOrigin?: string;
}

export interface NewProject {
  /** Full path of the group, or username. */
  namespace: string;
  path: string;
  name?: string;
  description?: string | null;
  visibility?: Visibility;
  stars?: number;
  forks?: number;
  openIssues?: number | null;
  topics?: string[];
  archived?: boolean;
  forkedFromId?: number | null;
  defaultBranch?: string | null;
  licenseKey?: string | null;
  languages?: Record<string, number>;
}

const epoch = Date.parse("2024-01-01T00:00:00.000Z");

export class FakeGitLab extends FakeHttpServer {
  readonly groups = new Map<number, FakeGroup>();
  readonly users = new Map<number, FakeUser>();
  readonly projects = new Map<number, FakeProject>();
  private readonly settings: Required<Omit<FakeGitLabOptions, "linkOrigin">> & { linkOrigin?: string };
  private nextId = { group: 1, user: 1, project: 1 };
  /** Seconds after 2024-01-01 of the fake's clock: every change moves it, so dates strictly increase. */
  private tick = 0;
  /** Project ids, ascending: the keyset order of /projects. */
  private readonly order: number[] = [];
  /** "group:12" or "user:3" → ids of the projects directly in that namespace. */
  private readonly byNamespace = new Map<string, Set<number>>();
  private readonly children = new Map<number | null, Set<number>>();
  private pathIndex: Map<string, number> | null = null;
  /** Sorted id lists of the list endpoints, dropped at each change. */
  private readonly listCache = new Map<string, number[]>();
  /** Root files, releases and tags of each project (issue 9); a project without is empty. */
  private readonly contents = new Map<number, FakeRepoContent>();
  private rateLimit: { limit: number; windowMs: number; windowStart: number; used: number } | null = null;

  constructor(options: FakeGitLabOptions = {}) {
    super();
    this.settings = { pagination: "both", descendantGroups: true, webOrigin: "https://gitlab.example.fr", ...options };
  }

  configure(options: Partial<FakeGitLabOptions>): void {
    Object.assign(this.settings, options);
  }

  /** From now on, at most `limit` requests per `windowMs`; beyond, 429 with Retry-After and RateLimit-*. null lifts it. */
  setRateLimit(limit: number | null, windowMs = 60_000): void {
    this.rateLimit = limit === null ? null : { limit, windowMs, windowStart: Date.now(), used: 0 };
  }

  // ---- data -----------------------------------------------------------

  addGroup(group: { path: string; name?: string; parent?: string; description?: string; visibility?: Visibility }): FakeGroup {
    const parentId = group.parent === undefined ? null : this.groupByPath(group.parent)?.id;
    if (parentId === undefined) throw new Error(`fake GitLab: no group ${group.parent}`);
    const created: FakeGroup = {
      id: this.nextId.group++,
      path: group.path,
      name: group.name ?? group.path,
      description: group.description ?? "",
      parentId,
      visibility: group.visibility ?? "public",
      createdAt: this.now(),
    };
    this.groups.set(created.id, created);
    this.setOf(this.children, parentId).add(created.id);
    this.changed(true);
    return created;
  }

  addUser(user: { username: string; name?: string; bio?: string; websiteUrl?: string; location?: string; publicEmail?: string }): FakeUser {
    const created: FakeUser = {
      id: this.nextId.user++,
      username: user.username,
      name: user.name ?? user.username,
      bio: user.bio ?? "",
      websiteUrl: user.websiteUrl ?? "",
      location: user.location ?? "",
      publicEmail: user.publicEmail ?? "",
      createdAt: this.now(),
    };
    this.users.set(created.id, created);
    this.changed(false);
    return created;
  }

  addProject(project: NewProject): FakeProject {
    const at = this.now();
    const created: FakeProject = {
      id: this.nextId.project++,
      path: project.path,
      name: project.name ?? project.path,
      description: project.description ?? null,
      namespace: this.namespaceRef(project.namespace),
      visibility: project.visibility ?? "public",
      createdAt: at,
      updatedAt: at,
      lastActivityAt: at,
      stars: project.stars ?? 0,
      forks: project.forks ?? 0,
      openIssues: project.openIssues === undefined ? 0 : project.openIssues,
      topics: project.topics ?? [],
      archived: project.archived ?? false,
      forkedFromId: project.forkedFromId ?? null,
      defaultBranch: project.defaultBranch === undefined ? "main" : project.defaultBranch,
      licenseKey: project.licenseKey ?? null,
      languages: project.languages ?? {},
    };
    this.projects.set(created.id, created);
    this.order.push(created.id); // ids only grow: the order stays sorted
    this.setOf(this.byNamespace, namespaceKey(created.namespace)).add(created.id);
    this.changed(false);
    return created;
  }

  removeProject(id: number): void {
    const project = this.project(id);
    this.projects.delete(id);
    this.order.splice(lowerBound(this.order, id), 1);
    this.byNamespace.get(namespaceKey(project.namespace))?.delete(id);
    this.changed(false);
  }

  /** Deletes a group with its subgroups and all their projects. */
  removeGroup(fullPath: string): void {
    const group = this.groupByPath(fullPath);
    if (!group) throw new Error(`fake GitLab: no group ${fullPath}`);
    for (const child of [...(this.children.get(group.id) ?? [])]) this.removeGroup(this.fullPath(child));
    for (const id of [...(this.byNamespace.get(`group:${group.id}`) ?? [])]) this.removeProject(id);
    this.groups.delete(group.id);
    this.children.get(group.parentId)?.delete(group.id);
    this.changed(true);
  }

  /** Transfers a project to another group or user namespace; its id stays, as on GitLab. */
  moveProject(id: number, namespace: string): void {
    const project = this.project(id);
    this.byNamespace.get(namespaceKey(project.namespace))?.delete(id);
    project.namespace = this.namespaceRef(namespace);
    this.setOf(this.byNamespace, namespaceKey(project.namespace)).add(id);
    this.changed(false);
  }

  /** Moves last_activity_at (and updated_at) forward, as a push does, after applying `changes`. */
  touchProject(id: number, changes: Partial<Omit<FakeProject, "id" | "namespace">> = {}): FakeProject {
    const project = this.project(id);
    Object.assign(project, changes);
    project.lastActivityAt = project.updatedAt = this.now();
    this.changed(false);
    return project;
  }

  /** Changes fields without moving last_activity_at (stars, forks... change so on GitLab). */
  updateProject(id: number, changes: Partial<Omit<FakeProject, "id" | "namespace">>): FakeProject {
    const project = this.project(id);
    Object.assign(project, changes);
    this.changed(false);
    return project;
  }

  project(id: number): FakeProject {
    const project = this.projects.get(id);
    if (!project) throw new Error(`fake GitLab: no project ${id}`);
    return project;
  }

  fullPath(groupId: number): string {
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`fake GitLab: no group ${groupId}`);
    return group.parentId === null ? group.path : `${this.fullPath(group.parentId)}/${group.path}`;
  }

  projectFullPath(project: FakeProject): string {
    return `${this.namespacePath(project.namespace)}/${project.path}`;
  }

  groupByPath(fullPath: string): FakeGroup | undefined {
    if (!this.pathIndex) {
      this.pathIndex = new Map([...this.groups.keys()].map((id) => [this.fullPath(id).toLowerCase(), id]));
    }
    const id = this.pathIndex.get(fullPath.toLowerCase());
    return id === undefined ? undefined : this.groups.get(id);
  }

  userByName(username: string): FakeUser | undefined {
    const wanted = username.toLowerCase();
    for (const user of this.users.values()) if (user.username.toLowerCase() === wanted) return user;
    return undefined;
  }

  // ---- repository content (issue 9) -------------------------------------------

  /** Replaces the root files of a project (a name ending in "/" is a folder). Does not move last_activity_at: use touchProject. */
  setFiles(id: number, files: FileSpec): void {
    this.content(id).files = toFiles(files);
  }

  setReleases(id: number, releases: FakeRelease[]): void {
    this.content(id).releases = releases;
  }

  setTags(id: number, tags: FakeRelease[]): void {
    this.content(id).tags = tags;
  }

  private content(id: number): FakeRepoContent {
    this.project(id);
    let content = this.contents.get(id);
    if (!content) this.contents.set(id, (content = newContent()));
    return content;
  }

  private routeContent(request: FakeRequest, project: FakeProject, endpoint: string): FakeResponse {
    const content = this.contents.get(project.id);
    if (endpoint === "releases") {
      const releases = (content?.releases ?? []).slice(0, Number(request.query.get("per_page")) || 20);
      return { status: 200, body: releases.map((r) => ({ name: r.name, tag_name: r.tag, released_at: r.date, created_at: r.date, _links: { self: `${this.projectWebUrl(project)}/-/releases/${r.tag}` } })) };
    }
    if (endpoint === "repository/tags") {
      const tags = (content?.tags ?? []).slice(0, Number(request.query.get("per_page")) || 20);
      return { status: 200, body: tags.map((t) => ({ name: t.name, message: "", commit: { id: "abc", created_at: t.date, committed_date: t.date } })) };
    }
    if (!content || content.files.size === 0) return notFound("404 Tree Not Found");
    if (endpoint === "repository/tree") {
      const entries = [...content.files.entries()].map(([name, file]) => {
        const dir = name.endsWith("/");
        const clean = dir ? name.slice(0, -1) : name;
        return { id: blobSha(file), name: clean, type: dir ? "tree" : "blob", path: clean, mode: dir ? "040000" : "100644" };
      });
      // GitLab lists folders first; pages of per_page.
      entries.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === "tree" ? -1 : 1));
      const perPage = Number(request.query.get("per_page")) || 20;
      const page = Number(request.query.get("page")) || 1;
      const headers: Record<string, string> = page * perPage < entries.length ? { "x-next-page": String(page + 1) } : { "x-next-page": "" };
      return { status: 200, headers, body: entries.slice((page - 1) * perPage, page * perPage) };
    }
    const raw = /^repository\/files\/(.+)\/raw$/.exec(endpoint);
    const file = raw ? content.files.get(raw[1] as string) : undefined;
    if (!file) return notFound("404 File Not Found");
    return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: file.content };
  }

  private projectWebUrl(project: FakeProject): string {
    return `https://gitlab.example/${this.projectFullPath(project)}`;
  }

  /** Requests about one project's details (licence or languages): the calls an incremental run must not make. */
  detailRequests(): string[] {
    return this.log(/^\/api\/v4\/projects\/[^/]+(\/languages)?$/);
  }

  // ---- HTTP -------------------------------------------------------------

  // ---- GraphQL (issue 9): the latest releases of many projects at once -----------

  /** GraphQL queries answered, for assertions on the batching. */
  graphqlQueries = 0;
  /** Answer 404 to /api/graphql, as an old GitLab or a proxy that does not pass it would. */
  graphqlDisabled = false;

  /**
   * POST /api/graphql with JSON {query, variables}: only `projects(ids: $ids)`
   * with each project's `releases(first: 1)` is understood, found in the query
   * text. Like GitLab: anonymous readers see public projects only, and the
   * projects not found (or not visible) are simply absent from the nodes.
   */
  private graphql(request: FakeRequest): FakeResponse {
    if (this.graphqlDisabled || request.method !== "POST") return notFound();
    let payload: { query?: unknown; variables?: unknown };
    try {
      payload = JSON.parse(request.body) as typeof payload;
    } catch {
      return { status: 400, body: { errors: [{ message: "Invalid JSON" }] } };
    }
    const query = typeof payload?.query === "string" ? payload.query : "";
    const variables = typeof payload?.variables === "object" && payload.variables !== null ? (payload.variables as Record<string, unknown>) : {};
    const projectsCall = /projects\s*\(([^)]*)\)/.exec(query);
    if (!projectsCall) return { status: 200, body: { errors: [{ message: "Field must have selections" }], data: null } };
    const idsArgument = /ids\s*:\s*\$(\w+)/.exec(projectsCall[1] ?? "");
    const ids = idsArgument ? variables[idsArgument[1] ?? ""] : undefined;
    if (!Array.isArray(ids)) return { status: 200, body: { errors: [{ message: "projects needs ids here" }], data: null } };
    this.graphqlQueries++;
    const authenticated = typeof request.headers.authorization === "string";
    const nodes = [];
    for (const gid of ids) {
      const id = /^gid:\/\/gitlab\/Project\/(\d+)$/.exec(String(gid))?.[1];
      const project = id ? this.projects.get(Number(id)) : undefined;
      if (!project || (project.visibility !== "public" && !authenticated)) continue;
      const release = this.contents.get(project.id)?.releases[0];
      nodes.push({
        id: gid,
        releases: { nodes: release ? [{ name: release.name, tagName: release.tag, releasedAt: release.date, createdAt: release.date, links: { selfUrl: `${this.projectWebUrl(project)}/-/releases/${release.tag}` } }] : [] },
      });
    }
    return { status: 200, body: { data: { projects: { nodes } } } };
  }

  protected handle(request: FakeRequest): FakeResponse {
    const limited = this.applyRateLimit();
    if (limited.status) return { status: 429, headers: limited.headers, body: { message: "Retry later" } };
    const response = request.path === "/api/graphql" ? this.graphql(request) : this.route(request);
    return { ...response, headers: { ...response.headers, ...limited.headers } };
  }

  private route(request: FakeRequest): FakeResponse {
    if (request.method !== "GET") return notFound("405 Method Not Allowed");
    const match = /^\/api\/v4\/(groups|users|projects)(?:\/(.+))?$/.exec(request.path);
    if (!match) return notFound();
    const [, collection, rest] = match;
    const authenticated = typeof request.headers["private-token"] === "string";
    const visible = (visibility: Visibility) => visibility === "public" || authenticated;

    if (collection === "groups") {
      if (!rest) {
        return this.offsetPage(request, this.cachedList("groups", () => [...this.groups.keys()].sort((a, b) => a - b)), (id) => {
          const group = this.groups.get(id) as FakeGroup;
          return visible(group.visibility) ? this.groupJson(group) : null;
        });
      }
      let group = this.groupRef(rest);
      let endpoint = "";
      if (!group) {
        const suffix = /^(.+)\/(projects|subgroups|descendant_groups)$/.exec(rest);
        if (suffix) {
          group = this.groupRef(suffix[1] as string);
          endpoint = suffix[2] as string;
        }
      }
      if (!group || !visible(group.visibility)) return notFound("404 Group Not Found");
      const found = group;
      if (endpoint === "") {
        const json = this.groupJson(found);
        if (request.query.get("with_projects") !== "false") {
          json.projects = [...(this.byNamespace.get(`group:${found.id}`) ?? [])].slice(0, 20).map((id) => this.projectJson(this.project(id)));
        }
        return { status: 200, body: json };
      }
      if (endpoint === "projects") {
        const subgroups = request.query.get("include_subgroups") === "true";
        const ids = this.cachedList(`group-projects:${found.id}:${subgroups}`, () => this.groupProjectIds(found.id, subgroups));
        return this.offsetPage(request, ids, (id) => this.listedProject(id, request, visible));
      }
      if (endpoint === "descendant_groups" && !this.settings.descendantGroups) return notFound("404 Not Found");
      const key = `${endpoint}:${found.id}`;
      const ids = this.cachedList(key, () => (endpoint === "subgroups" ? [...(this.children.get(found.id) ?? [])].sort((a, b) => a - b) : this.descendants(found.id)));
      return this.offsetPage(request, ids, (id) => {
        const child = this.groups.get(id) as FakeGroup;
        return visible(child.visibility) ? this.groupJson(child) : null;
      });
    }

    if (collection === "users") {
      if (!rest) {
        const username = request.query.get("username");
        const user = username === null ? undefined : this.userByName(username);
        return this.offsetPage(request, user ? [user.id] : [], (id) => this.userJson(this.users.get(id) as FakeUser, false));
      }
      const [ref, endpoint] = rest.split("/", 2) as [string, string | undefined];
      const user = /^\d+$/.test(ref) ? this.users.get(Number(ref)) : this.userByName(ref);
      if (!user) return notFound("404 User Not Found");
      if (endpoint === undefined) return { status: 200, body: this.userJson(user, true) };
      if (endpoint !== "projects") return notFound();
      const ids = this.cachedList(`user-projects:${user.id}`, () => [...(this.byNamespace.get(`user:${user.id}`) ?? [])].sort((a, b) => a - b));
      return this.offsetPage(request, ids, (id) => this.listedProject(id, request, visible));
    }

    // projects
    if (!rest) {
      if (request.query.get("pagination") === "keyset") return this.keysetPage(request, (id) => this.listedProject(id, request, visible));
      return this.offsetPage(request, this.order, (id) => this.listedProject(id, request, visible));
    }
    const contentPath = /^(\d+)\/(repository\/tree|repository\/files\/.+\/raw|repository\/tags|releases)$/.exec(rest);
    if (contentPath) {
      const project = this.projects.get(Number(contentPath[1]));
      if (!project || !visible(project.visibility)) return notFound("404 Project Not Found");
      return this.routeContent(request, project, contentPath[2] as string);
    }
    const languages = /^(.+)\/languages$/.exec(rest);
    const project = this.projectRef(languages ? (languages[1] as string) : rest);
    if (!project || !visible(project.visibility)) return notFound("404 Project Not Found");
    if (languages) return { status: 200, body: project.languages };
    const json = this.projectJson(project);
    if (request.query.get("license") === "true") json.license = licenseJson(project.licenseKey);
    return { status: 200, body: json };
  }

  /** The project as lists show it, or null when this request may not see it or filters it out. */
  private listedProject(id: number, request: FakeRequest, visible: (visibility: Visibility) => boolean): Record<string, unknown> | null {
    const project = this.projects.get(id);
    if (!project || !visible(project.visibility)) return null;
    const wanted = request.query.get("visibility");
    if (wanted && project.visibility !== wanted) return null;
    // GitLab's ?search= matches names and paths (part of them); declarations look up a challenge project with it.
    const search = request.query.get("search")?.toLowerCase();
    if (search && !project.path.toLowerCase().includes(search) && !project.name.toLowerCase().includes(search)) return null;
    return this.projectJson(project);
  }

  private offsetPage(request: FakeRequest, ids: readonly number[], render: (id: number) => Record<string, unknown> | null): FakeResponse {
    // Filtering before slicing keeps X-Total right; a few hundred ids at most outside /projects.
    const items = ids.length > 5_000 ? null : ids.map(render).filter((item) => item !== null);
    const perPage = clamp(Number(request.query.get("per_page")) || 20, 1, 100);
    const page = Math.max(1, Number(request.query.get("page")) || 1);
    let body: Record<string, unknown>[];
    let total: number;
    if (items) {
      total = items.length;
      body = items.slice((page - 1) * perPage, page * perPage);
    } else {
      // /projects without keyset on a big instance: render only the page (X-Total then counts hidden ones too).
      total = ids.length;
      body = ids.slice((page - 1) * perPage, page * perPage).map(render).filter((item) => item !== null);
    }
    const totalPages = Math.max(1, Math.ceil(total / perPage));
    const next = page < totalPages ? page + 1 : null;
    const prev = page > 1 ? page - 1 : null;
    const headers: Record<string, string> = {};
    if (this.settings.pagination !== "link") {
      Object.assign(headers, {
        "x-page": String(page),
        "x-per-page": String(perPage),
        "x-next-page": next === null ? "" : String(next),
        "x-prev-page": prev === null ? "" : String(prev),
        "x-total": String(total),
        "x-total-pages": String(totalPages),
      });
    }
    if (this.settings.pagination !== "x-next-page") {
      const link = (n: number, rel: string) => `<${this.pageUrl(request, { page: String(n), per_page: String(perPage) })}>; rel="${rel}"`;
      const links = [prev === null ? null : link(prev, "prev"), next === null ? null : link(next, "next"), link(1, "first"), link(totalPages, "last")];
      headers.link = links.filter((l) => l !== null).join(", ");
    }
    return { status: 200, headers, body };
  }

  /** GET /projects?pagination=keyset&order_by=id&sort=asc[&id_after=N]: what GitLab requires beyond 50,000 projects. */
  private keysetPage(request: FakeRequest, render: (id: number) => Record<string, unknown> | null): FakeResponse {
    if (request.query.get("order_by") !== "id" || (request.query.get("sort") ?? "asc") !== "asc") {
      return { status: 400, body: { error: "Keyset pagination is not yet available for this type of request" } };
    }
    const perPage = clamp(Number(request.query.get("per_page")) || 20, 1, 100);
    const after = Number(request.query.get("id_after")) || 0;
    const body: Record<string, unknown>[] = [];
    let index = lowerBound(this.order, after + 1);
    let lastId = after;
    for (; index < this.order.length && body.length < perPage; index++) {
      const id = this.order[index] as number;
      lastId = id;
      const item = render(id);
      if (item) body.push(item);
    }
    const headers: Record<string, string> = { "x-per-page": String(perPage) };
    if (index < this.order.length) headers.link = `<${this.pageUrl(request, { id_after: String(lastId), per_page: String(perPage) })}>; rel="next"`;
    return { status: 200, headers, body };
  }

  private pageUrl(request: FakeRequest, changes: Record<string, string>): string {
    const query = new URLSearchParams(request.query);
    for (const [key, value] of Object.entries(changes)) query.set(key, value);
    // The path re-encoded as GitLab writes it: the group's full path as one segment.
    const path = request.path.replace(/^\/api\/v4\/groups\/(.+?)(\/(?:projects|subgroups|descendant_groups))?$/, (_, ref: string, tail = "") =>
      `/api/v4/groups/${encodeURIComponent(ref)}${tail}`,
    );
    return `${this.settings.linkOrigin ?? this.url}${path}?${query}`;
  }

  private applyRateLimit(): { status?: 429; headers: Record<string, string> } {
    const limit = this.rateLimit;
    if (!limit) return { headers: {} };
    const now = Date.now();
    if (now >= limit.windowStart + limit.windowMs) {
      limit.windowStart = now;
      limit.used = 0;
    }
    const resetAt = limit.windowStart + limit.windowMs;
    const headers = {
      "ratelimit-limit": String(limit.limit),
      "ratelimit-observed": String(Math.min(limit.used + 1, limit.limit)),
      "ratelimit-remaining": String(Math.max(0, limit.limit - limit.used - 1)),
      "ratelimit-reset": String(Math.ceil(resetAt / 1000)),
      "ratelimit-resettime": new Date(resetAt).toUTCString(),
    };
    if (limit.used >= limit.limit) {
      return { status: 429, headers: { ...headers, "ratelimit-remaining": "0", "retry-after": String(Math.ceil((resetAt - now) / 1000)) } };
    }
    limit.used++;
    return { headers };
  }

  // ---- JSON -------------------------------------------------------------

  private groupJson(group: FakeGroup): Record<string, unknown> {
    const fullPath = this.fullPath(group.id);
    return {
      id: group.id,
      web_url: `${this.settings.webOrigin}/groups/${fullPath}`,
      name: group.name,
      path: group.path,
      description: group.description,
      visibility: group.visibility,
      full_name: this.fullName(group.id),
      full_path: fullPath,
      parent_id: group.parentId,
      created_at: group.createdAt,
      avatar_url: null,
    };
  }

  private userJson(user: FakeUser, profile: boolean): Record<string, unknown> {
    const basic = {
      id: user.id,
      username: user.username,
      name: user.name,
      state: "active",
      avatar_url: `${this.settings.webOrigin}/uploads/-/system/user/avatar/${user.id}/avatar.png`,
      web_url: `${this.settings.webOrigin}/${user.username}`,
    };
    if (!profile) return basic;
    return { ...basic, created_at: user.createdAt, bio: user.bio, location: user.location, public_email: user.publicEmail, website_url: user.websiteUrl };
  }

  private projectJson(project: FakeProject): Record<string, unknown> {
    const namespacePath = this.namespacePath(project.namespace);
    const fullPath = `${namespacePath}/${project.path}`;
    const json: Record<string, unknown> = {
      id: project.id,
      description: project.description,
      name: project.name,
      name_with_namespace: `${this.namespaceName(project.namespace)} / ${project.name}`,
      path: project.path,
      path_with_namespace: fullPath,
      created_at: project.createdAt,
      default_branch: project.defaultBranch,
      tag_list: project.topics,
      topics: project.topics,
      http_url_to_repo: `${this.settings.webOrigin}/${fullPath}.git`,
      web_url: `${this.settings.webOrigin}/${fullPath}`,
      avatar_url: null,
      forks_count: project.forks,
      star_count: project.stars,
      last_activity_at: project.lastActivityAt,
      namespace: this.namespaceJson(project.namespace),
      visibility: project.visibility,
      archived: project.archived,
      updated_at: project.updatedAt,
      // issue 9: a project without content has no commit.
      empty_repo: (this.contents.get(project.id)?.files.size ?? 0) === 0,
    };
    if (project.openIssues !== null) json.open_issues_count = project.openIssues;
    if (project.forkedFromId !== null) {
      const parent = this.projects.get(project.forkedFromId);
      json.forked_from_project = parent
        ? { id: parent.id, path_with_namespace: this.projectFullPath(parent), web_url: `${this.settings.webOrigin}/${this.projectFullPath(parent)}` }
        : { id: project.forkedFromId };
    }
    return json;
  }

  private namespaceJson(ref: FakeProject["namespace"]): Record<string, unknown> {
    if (ref.kind === "user") {
      const user = this.users.get(ref.id) as FakeUser;
      // A user namespace has its own id, unlike a group's, which is the group id.
      return { id: 1_000_000 + user.id, name: user.name, path: user.username, kind: "user", full_path: user.username, parent_id: null, avatar_url: null, web_url: `${this.settings.webOrigin}/${user.username}` };
    }
    const group = this.groups.get(ref.id) as FakeGroup;
    const fullPath = this.fullPath(group.id);
    return { id: group.id, name: group.name, path: group.path, kind: "group", full_path: fullPath, parent_id: group.parentId, avatar_url: null, web_url: `${this.settings.webOrigin}/groups/${fullPath}` };
  }

  // ---- helpers ----------------------------------------------------------

  private now(): string {
    return new Date(epoch + ++this.tick * 1000).toISOString();
  }

  private changed(groups: boolean): void {
    if (groups) this.pathIndex = null;
    this.listCache.clear();
  }

  private cachedList(key: string, compute: () => number[]): number[] {
    let ids = this.listCache.get(key);
    if (!ids) {
      ids = compute();
      this.listCache.set(key, ids);
    }
    return ids;
  }

  private setOf<K>(map: Map<K, Set<number>>, key: K): Set<number> {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    return set;
  }

  private descendants(groupId: number): number[] {
    const result: number[] = [];
    const queue = [groupId];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const child of this.children.get(id) ?? []) {
        result.push(child);
        queue.push(child);
      }
    }
    return result.sort((a, b) => a - b);
  }

  private groupProjectIds(groupId: number, includeSubgroups: boolean): number[] {
    const groups = includeSubgroups ? [groupId, ...this.descendants(groupId)] : [groupId];
    return groups.flatMap((id) => [...(this.byNamespace.get(`group:${id}`) ?? [])]).sort((a, b) => a - b);
  }

  private groupRef(ref: string): FakeGroup | undefined {
    return /^\d+$/.test(ref) ? this.groups.get(Number(ref)) : this.groupByPath(ref);
  }

  private projectRef(ref: string): FakeProject | undefined {
    if (/^\d+$/.test(ref)) return this.projects.get(Number(ref));
    const wanted = ref.toLowerCase();
    for (const project of this.projects.values()) if (this.projectFullPath(project).toLowerCase() === wanted) return project;
    return undefined;
  }

  private namespaceRef(path: string): FakeProject["namespace"] {
    const group = this.groupByPath(path);
    if (group) return { kind: "group", id: group.id };
    const user = this.userByName(path);
    if (user) return { kind: "user", id: user.id };
    throw new Error(`fake GitLab: no group or user ${path}`);
  }

  private namespacePath(ref: FakeProject["namespace"]): string {
    return ref.kind === "group" ? this.fullPath(ref.id) : (this.users.get(ref.id) as FakeUser).username;
  }

  private namespaceName(ref: FakeProject["namespace"]): string {
    return ref.kind === "group" ? this.fullName(ref.id) : (this.users.get(ref.id) as FakeUser).name;
  }

  private fullName(groupId: number): string {
    const group = this.groups.get(groupId) as FakeGroup;
    return group.parentId === null ? group.name : `${this.fullName(group.parentId)} / ${group.name}`;
  }
}

function namespaceKey(ref: FakeProject["namespace"]): string {
  return `${ref.kind}:${ref.id}`;
}

function licenseJson(key: string | null): Record<string, unknown> | null {
  if (key === null) return null;
  return { key, name: key.toUpperCase(), nickname: null, html_url: `https://choosealicense.com/licenses/${key}/`, source_url: null };
}

function notFound(message = "404 Not Found"): FakeResponse {
  return { status: 404, body: { message } };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

// ---- benchmark data ------------------------------------------------------

export interface InstanceShape {
  /** Projects in all (default 20,000). */
  projects?: number;
  /** Top-level groups (default 20). */
  topGroups?: number;
  /** Subgroups under each group, at each level (default 3). */
  subgroupsPerGroup?: number;
  /** Levels of subgroups under a top-level group (default 2: top/sub/subsub). */
  depth?: number;
  /** Users owning projects in their own namespace (default 50). */
  users?: number;
  /** Share of the projects in user namespaces (default 0.05). */
  userShare?: number;
  /** Seed of the deterministic pseudo-random choices (default 1). */
  seed?: number;
}

export interface GeneratedInstance {
  /** Full paths of the top-level groups: one harvest account each. */
  topGroups: string[];
  /** Every group's full path, subgroups included. */
  groups: string[];
  users: string[];
  projectIds: number[];
}

const licenseKeys = ["mit", "apache-2.0", "gpl-3.0", "agpl-3.0", "lgpl-3.0", "eupl-1.2", "mpl-2.0", "bsd-3-clause", "cecill-2.1", "other", null, null];
const languageNames = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "Go", "Ruby", "C", "Shell", "Vue", "HTML", "R"];

/**
 * Fills `fake` with a whole instance: groups with nested subgroups, some users,
 * and `projects` public projects spread over them with licences, languages and
 * topics. Deterministic for a given shape.
 */
export function populateInstance(fake: FakeGitLab, shape: InstanceShape = {}): GeneratedInstance {
  const { projects = 20_000, topGroups = 20, subgroupsPerGroup = 3, depth = 2, users = 50, userShare = 0.05, seed = 1 } = shape;
  // Seeded: the same shape gives the same instance on every run.
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const result: GeneratedInstance = { topGroups: [], groups: [], users: [], projectIds: [] };
  const addLevel = (parent: string | undefined, level: number, count: number) => {
    for (let i = 1; i <= count; i++) {
      const path = parent === undefined ? `organisme-${i}` : `equipe-${level}-${i}`;
      const group = fake.addGroup({ path, name: `${parent === undefined ? "Organisme" : "Équipe"} ${i}`, description: `Groupe ${path}`, ...(parent === undefined ? {} : { parent }) });
      const fullPath = fake.fullPath(group.id);
      result.groups.push(fullPath);
      if (parent === undefined) result.topGroups.push(fullPath);
      if (level < depth) addLevel(fullPath, level + 1, subgroupsPerGroup);
    }
  };
  addLevel(undefined, 0, topGroups);
  for (let i = 1; i <= users; i++) result.users.push(fake.addUser({ username: `agent-${i}`, name: `Agent ${i}` }).username);
  for (let i = 1; i <= projects; i++) {
    const namespace = result.users.length > 0 && random() < userShare ? pick(result.users) : pick(result.groups);
    const main = Math.floor(random() * languageNames.length);
    const second = languageNames[(main + 1 + Math.floor(random() * (languageNames.length - 1))) % languageNames.length] as string;
    const project = fake.addProject({
      namespace,
      path: `projet-${i}`,
      name: `Projet ${i}`,
      description: `Outil numéro ${i} d'un service public`,
      stars: Math.floor(random() * 50),
      forks: Math.floor(random() * 10),
      openIssues: random() < 0.2 ? null : Math.floor(random() * 30),
      topics: random() < 0.5 ? ["service-public", pick(["data", "web", "api", "cartographie"])] : [],
      archived: random() < 0.1,
      licenseKey: pick(licenseKeys),
      languages: random() < 0.05 ? {} : { [languageNames[main] as string]: 70.5, [second]: 29.5 },
    });
    result.projectIds.push(project.id);
  }
  return result;
}
