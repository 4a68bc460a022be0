// A fake GitHub REST API, enough of it for the harvester: accounts, their
// public repositories with GitHub's pagination (per_page, page, Link), strong
// ETags and 304s, the primary rate limit with its x-ratelimit-* headers, and
// the secondary one (403 + retry-after). Data can be changed between runs.
//
// It must carry the benchmark (2,000 accounts, 60,000 repositories): pages are
// rendered when asked, each account keeps the ETags of its rendered pages
// until its data changes, and no operation walks more than one account.
import { createHash } from "node:crypto";
import { FakeHttpServer, type FakeRequest, type FakeResponse } from "./fakeHttp.ts";
import { blobSha, newContent, sizeOf, toFiles, type FakeRelease, type FakeRepoContent, type FileSpec } from "./fakeRepoContent.ts";

export interface FakeRepoFields {
  name: string;
  description: string | null;
  homepage: string | null;
  language: string | null;
  /** An SPDX id, "NOASSERTION" (GitHub found a licence it cannot name), or null (no licence). */
  license: string | null;
  topics: string[];
  stars: number;
  forks: number;
  openIssues: number;
  archived: boolean;
  fork: boolean;
  template: boolean;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  /**
   * Issue 10: a fork's parent, by id when the fake holds it (rendered from it),
   * else by id and full name (a repository outside the fake). GitHub gives it
   * only in GET /repos/{owner}/{repo}, never in lists.
   */
  parent: { id: number; fullName?: string } | null;
}

export interface FakeRepo extends FakeRepoFields {
  id: number;
  owner: string;
}

export interface FakeOwnerFields {
  name: string | null;
  /** An organisation's description. */
  description: string | null;
  /** A user's bio. */
  bio: string | null;
  blog: string | null;
  email: string | null;
  location: string | null;
  /** Organisations only: a domain verified by GitHub. */
  verified: boolean;
  createdAt: string;
}

interface FakeAccount {
  id: number;
  login: string;
  type: "Organization" | "User";
  fields: FakeOwnerFields;
  repos: Map<number, FakeRepo>;
  /** Visible repositories in GitHub's order, by listing type; null until asked since the last change. */
  listings: Map<string, FakeRepo[]>;
  /** ETag of each rendered resource ("orgs", "users", "repos?type=..."), until the account changes. */
  etags: Map<string, string>;
}

interface RateLimit {
  limit: number;
  windowMs: number;
  remaining: number;
  /** Epoch ms, on a whole second as GitHub's x-ratelimit-reset is in seconds. */
  resetAt: number;
}

const documentation = "https://docs.github.com/rest";
// Deterministic dates: what is not set derives from the id, so two runs render the same bytes.
const epoch = Date.parse("2015-01-01T00:00:00Z");
const dateOf = (id: number) => new Date(epoch + id * 3_600_000).toISOString().replace(".000Z", "Z");
const wholeSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

export interface FakeGitHubOptions {
  /** Primary rate limit: requests per window. Default 5,000 an hour, an authenticated user's. */
  rateLimit?: { limit: number; windowMs: number };
  /** The web host written in html_url. */
  webUrl?: string;
}

export class FakeGitHub extends FakeHttpServer {
  /** List private repositories too, as a misconfigured GitHub Enterprise or an over-privileged token would. */
  leakPrivateRepositories = false;
  /**
   * `npm run demo` only: POST /_demo/repos/{owner}/{name} creates a public
   * repository, standing in for the forge's web page where a declarer creates
   * the challenge repository (issue 11).
   */
  acceptDemoWrites = false;
  private readonly accounts = new Map<string, FakeAccount>();
  private readonly repos = new Map<number, FakeRepo>();
  private nextId = 1_000;
  /** Root files and releases of each repository (issue 9); a repository without is empty (no commit). */
  private readonly contents = new Map<number, FakeRepoContent>();
  private rate: RateLimit;
  private readonly webUrl: string;

  constructor(options: FakeGitHubOptions = {}) {
    super();
    const { limit, windowMs } = options.rateLimit ?? { limit: 5_000, windowMs: 3_600_000 };
    this.rate = { limit, windowMs, remaining: limit, resetAt: wholeSecond(Date.now() + windowMs) };
    this.webUrl = options.webUrl ?? "https://github.com";
  }

  // ---- data -------------------------------------------------------------

  /** Returns the organisation's GitHub id. */
  addOrg(login: string, fields: Partial<FakeOwnerFields> = {}): number {
    return this.addAccount(login, "Organization", fields).id;
  }

  /** Returns the user's GitHub id. */
  addUser(login: string, fields: Partial<FakeOwnerFields> = {}): number {
    return this.addAccount(login, "User", fields).id;
  }

  updateOwner(login: string, fields: Partial<FakeOwnerFields>): void {
    const account = this.account(login);
    account.fields = { ...account.fields, ...fields };
    this.changed(account);
  }

  addRepo(owner: string, fields: Partial<FakeRepoFields> & { name: string }): FakeRepo {
    const account = this.account(owner);
    const id = this.nextId++;
    const repo: FakeRepo = {
      id,
      owner: account.login,
      description: null,
      homepage: null,
      language: null,
      license: null,
      topics: [],
      stars: 0,
      forks: 0,
      openIssues: 0,
      archived: false,
      fork: false,
      template: false,
      private: false,
      defaultBranch: "main",
      createdAt: dateOf(id),
      updatedAt: dateOf(id + 1),
      pushedAt: dateOf(id + 2),
      parent: null,
      ...fields,
    };
    account.repos.set(id, repo);
    this.repos.set(id, repo);
    this.changed(account);
    return repo;
  }

  /** `count` repositories named `<prefix>-0000`, `<prefix>-0001`...; returns their ids. */
  addRepos(owner: string, count: number, make: (index: number) => Partial<FakeRepoFields> = () => ({}), prefix = "repo"): number[] {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(this.addRepo(owner, { name: `${prefix}-${String(i).padStart(4, "0")}`, ...make(i) }).id);
    return ids;
  }

  updateRepo(id: number, fields: Partial<FakeRepoFields>): void {
    const repo = this.repo(id);
    Object.assign(repo, fields);
    this.changed(this.account(repo.owner));
  }

  renameRepo(id: number, name: string): void {
    this.updateRepo(id, { name });
  }

  removeRepo(id: number): void {
    const repo = this.repo(id);
    const account = this.account(repo.owner);
    account.repos.delete(id);
    this.repos.delete(id);
    this.changed(account);
  }

  repo(id: number): FakeRepo {
    const repo = this.repos.get(id);
    if (!repo) throw new Error(`fake GitHub has no repository ${id}`);
    return repo;
  }

  // ---- repository content (issue 9) -------------------------------------------

  /** Replaces the root files of a repository (a name ending in "/" is a folder). Does not move pushed_at: use updateRepo for that. */
  setFiles(id: number, files: FileSpec): void {
    this.content(id).files = toFiles(files);
  }

  setReleases(id: number, releases: FakeRelease[]): void {
    this.content(id).releases = releases;
  }

  /** Tags without a release (newest first); GraphQL lists them, REST's /releases/latest does not. */
  setTags(id: number, tags: FakeRelease[]): void {
    this.content(id).tags = tags;
  }

  private content(id: number): FakeRepoContent {
    this.repo(id);
    let content = this.contents.get(id);
    if (!content) this.contents.set(id, (content = newContent()));
    return content;
  }

  private routeContent(request: FakeRequest, ownerLogin: string, name: string, rest: string): FakeResponse {
    const account = this.accounts.get(ownerLogin.toLowerCase());
    const repo = account ? [...account.repos.values()].find((r) => r.name.toLowerCase() === name.toLowerCase() && !r.private) : undefined;
    if (!repo || !account) return notFound();
    const content = this.contents.get(repo.id);
    const api = `${this.url}/repos/${account.login}/${repo.name}`;
    if (rest === "releases/latest") {
      const release = content?.releases[0];
      if (!release) return notFound();
      return withEtag(request, JSON.stringify({ id: 1, tag_name: release.tag, name: release.name, draft: false, prerelease: false, created_at: release.date, published_at: release.date, html_url: `${this.webUrl}/${account.login}/${repo.name}/releases/tag/${release.tag}` }));
    }
    const file = /^contents\/?(.*)$/.exec(rest);
    if (!file) return notFound();
    if (!content || content.files.size === 0) return { status: 404, body: { message: "This repository is empty.", documentation_url: documentation, status: "404" } };
    const path = file[1] ?? "";
    if (path === "") {
      const body = [...content.files.entries()].map(([entryName, entry]) => {
        const dir = entryName.endsWith("/");
        const clean = dir ? entryName.slice(0, -1) : entryName;
        return { name: clean, path: clean, sha: blobSha(entry), size: dir ? 0 : sizeOf(entry), url: `${api}/contents/${clean}`, type: dir ? "dir" : "file", download_url: dir ? null : `https://raw.example/${clean}` };
      });
      return withEtag(request, JSON.stringify(body));
    }
    const entry = content.files.get(path);
    if (!entry) return notFound();
    const accept = String(request.headers.accept ?? "");
    if (accept.includes("raw")) return withEtag(request, entry.content, "application/vnd.github.raw; charset=utf-8");
    return { status: 200, body: { name: path, path, sha: blobSha(entry), size: sizeOf(entry), type: "file", encoding: "base64", content: Buffer.from(entry.content).toString("base64") } };
  }

  // ---- GraphQL (issue 9): the latest releases of many repositories at once ------------

  /** GraphQL queries answered (200), for assertions on the batching. */
  graphqlQueries = 0;
  /** Answer 404 to /graphql, as a GitHub Enterprise Server or a proxy without it would. */
  graphqlDisabled = false;
  private graphqlRate: RateLimit = { limit: 5_000, windowMs: 3_600_000, remaining: 5_000, resetAt: wholeSecond(Date.now() + 3_600_000) };

  /** GraphQL's points budget: `remaining` of `limit`, reset `resetInMs` from now. */
  setGraphqlBudget(limit: number, remaining: number, resetInMs = 3_600_000): void {
    this.graphqlRate = { limit, windowMs: resetInMs, remaining, resetAt: wholeSecond(Date.now() + resetInMs) };
  }

  /**
   * POST /graphql with JSON {query, variables}: only what the harvester asks is
   * understood, found in the query text rather than parsed as GraphQL —
   * `alias: repository(owner: $o, name: $n)` (variables or string literals),
   * each answered with latestRelease and its latest tag as `refs` (and, when
   * the query names them, `isFork` and `parent { databaseId nameWithOwner }`,
   * the parent as GET /repos/{owner}/{repo} renders it), and
   * `rateLimit`. Like GitHub: authentication required (401), a missing
   * repository is null with a NOT_FOUND error naming its alias, each query
   * costs a point of a budget apart from REST's, and a spent budget answers
   * 200 with a RATE_LIMITED error.
   */
  private graphql(request: FakeRequest): FakeResponse {
    if (this.graphqlDisabled) return notFound();
    if (request.method !== "POST") return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/graphql" } };
    if (!request.headers.authorization) {
      return { status: 401, body: { message: "This endpoint requires you to be authenticated.", documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql" } };
    }
    let payload: { query?: unknown; variables?: unknown };
    try {
      payload = JSON.parse(request.body) as typeof payload;
    } catch {
      return { status: 400, body: { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" } };
    }
    const query = typeof payload?.query === "string" ? payload.query : "";
    const variables = typeof payload?.variables === "object" && payload.variables !== null ? (payload.variables as Record<string, unknown>) : {};
    if (!query.trim()) return { status: 200, body: { errors: [{ message: "A query attribute must be specified and must be a string." }] } };

    const now = Date.now();
    if (now >= this.graphqlRate.resetAt) {
      this.graphqlRate.remaining = this.graphqlRate.limit;
      this.graphqlRate.resetAt = wholeSecond(now + this.graphqlRate.windowMs);
    }
    const headers = { ...this.rateHeadersOf(this.graphqlRate), "x-ratelimit-resource": "graphql" };
    if (this.graphqlRate.remaining <= 0) {
      return { status: 200, headers, body: { errors: [{ type: "RATE_LIMITED", code: "graphql_rate_limit", message: "API rate limit already exceeded for user ID 1." }] } };
    }
    this.graphqlRate.remaining--;
    this.graphqlQueries++;

    const value = (argument: string): string | null => {
      const trimmed = argument.trim();
      if (trimmed.startsWith("$")) {
        const bound = variables[trimmed.slice(1)];
        return typeof bound === "string" ? bound : null;
      }
      const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(trimmed);
      return literal ? (JSON.parse(`"${literal[1]}"`) as string) : null;
    };
    const data: Record<string, unknown> = {};
    const errors: Record<string, unknown>[] = [];
    for (const match of query.matchAll(/(\w+)\s*:\s*repository\s*\(([^)]*)\)/g)) {
      const alias = match[1] ?? "";
      const args = new Map<string, string | null>();
      for (const arg of (match[2] ?? "").split(",")) {
        const colon = arg.indexOf(":");
        if (colon > 0) args.set(arg.slice(0, colon).trim(), value(arg.slice(colon + 1)));
      }
      const owner = args.get("owner");
      const name = args.get("name");
      if (!owner || !name) {
        errors.push({ message: `Variable for ${alias} of type String! was provided invalid value`, locations: [] });
        continue;
      }
      const account = this.accounts.get(owner.toLowerCase());
      const repo = account && [...account.repos.values()].find((r) => r.name.toLowerCase() === name.toLowerCase() && !r.private);
      if (!account || !repo) {
        data[alias] = null;
        errors.push({ type: "NOT_FOUND", path: [alias], locations: [], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` });
        continue;
      }
      data[alias] = this.releaseNode(account, repo);
      if (/\bisFork\b/.test(query)) (data[alias] as Record<string, unknown>).isFork = repo.fork;
      if (/\bparent\s*\{/.test(query)) (data[alias] as Record<string, unknown>).parent = this.parentNode(repo);
    }
    if (/\brateLimit\b/.test(query)) data.rateLimit = { cost: 1, remaining: this.graphqlRate.remaining, resetAt: new Date(this.graphqlRate.resetAt).toISOString().replace(".000Z", "Z"), limit: this.graphqlRate.limit };
    return { status: 200, headers, body: errors.length ? { data, errors } : { data } };
  }

  /** Issue 10: a fork's parent as GraphQL names it (null for a repository that is not a fork), the same as REST's `parent`. */
  private parentNode(repo: FakeRepo): Record<string, unknown> | null {
    if (!repo.fork || repo.parent === null) return null;
    const known = this.repos.get(repo.parent.id);
    const fullName = known ? `${known.owner}/${known.name}` : repo.parent.fullName ?? `unknown/repo-${repo.parent.id}`;
    return { databaseId: repo.parent.id, nameWithOwner: fullName };
  }

  private releaseNode(account: FakeAccount, repo: FakeRepo): Record<string, unknown> {
    const content = this.contents.get(repo.id);
    const release = content?.releases[0];
    // Every release has its tag; the newest tag by commit date comes first.
    const tags = [...(content?.releases ?? []), ...(content?.tags ?? [])].sort((a, b) => b.date.localeCompare(a.date));
    const web = `${this.webUrl}/${account.login}/${repo.name}`;
    return {
      latestRelease: release ? { name: release.name, tagName: release.tag, publishedAt: release.date, createdAt: release.date, url: `${web}/releases/tag/${release.tag}` } : null,
      refs: { nodes: tags.slice(0, 1).map((tag) => ({ name: tag.tag, target: { __typename: "Commit", committedDate: tag.date } })) },
    };
  }

  // ---- rate limits --------------------------------------------------------

  setRateLimit(limit: number, windowMs: number): void {
    this.rate = { limit, windowMs, remaining: limit, resetAt: wholeSecond(Date.now() + windowMs) };
  }

  /** Spends the whole budget now; it comes back `resetInMs` later (rounded up to a second, like GitHub). */
  exhaustRateLimit(resetInMs: number): void {
    this.rate.remaining = 0;
    this.rate.resetAt = wholeSecond(Date.now() + resetInMs);
  }

  /** The next `times` requests whose path matches get GitHub's secondary-rate-limit 403. */
  secondaryRateLimit(match: RegExp | string, retryAfterSeconds: number, times = 1): void {
    this.inject(match, {
      kind: "status",
      status: 403,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        documentation_url: `${documentation}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      },
    }, times);
  }

  // ---- HTTP -----------------------------------------------------------------

  protected handle(request: FakeRequest): FakeResponse {
    // GraphQL has its own budget, in points (issue 9).
    if (request.path === "/graphql") return this.graphql(request);
    const now = Date.now();
    if (now >= this.rate.resetAt) {
      this.rate.remaining = this.rate.limit;
      this.rate.resetAt = wholeSecond(now + this.rate.windowMs);
    }
    if (this.rate.remaining <= 0) {
      return {
        status: 403,
        headers: this.rateHeaders(),
        body: {
          message: "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
          documentation_url: `${documentation}/overview/rate-limits-for-the-rest-api`,
        },
      };
    }
    const response = this.route(request);
    // GitHub does not charge a 304 to an authenticated client.
    if (!(response.status === 304 && request.headers.authorization)) this.rate.remaining--;
    response.headers = { ...response.headers, ...this.rateHeaders() };
    return response;
  }

  private route(request: FakeRequest): FakeResponse {
    const write = /^\/_demo\/repos\/([^/]+)\/([A-Za-z0-9._-]{1,100})$/.exec(request.path);
    if (request.method === "POST" && write && this.acceptDemoWrites) {
      const owner = this.accounts.get((write[1] ?? "").toLowerCase());
      if (!owner) return notFound();
      return { status: 201, body: this.repoJson(this.addRepo(owner.login, { name: write[2] ?? "" }), owner) };
    }
    // Declarations (issue 11): the API check and the challenge repository.
    if (request.method === "GET" && request.path === "/meta") return { status: 200, body: { verifiable_password_authentication: false, installed_version: "fake" } };
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)$/.exec(request.path);
    if (request.method === "GET" && repoMatch) {
      const owner = this.accounts.get((repoMatch[1] ?? "").toLowerCase());
      const wanted = (repoMatch[2] ?? "").toLowerCase();
      const repo = owner && [...owner.repos.values()].find((r) => r.name.toLowerCase() === wanted);
      // GitHub hides a private repository behind a 404 from whoever may not see it.
      if (!owner || !repo || (repo.private && !this.leakPrivateRepositories)) return notFound();
      return { status: 200, body: this.repoDetailJson(repo, owner) };
    }
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)\/(contents(?:\/.*)?|releases\/latest)$/.exec(request.path);
    if (request.method === "GET" && repoPath) return this.routeContent(request, repoPath[1] ?? "", repoPath[2] ?? "", repoPath[3] ?? "");
    const match = /^\/(orgs|users)\/([^/]+)(\/repos)?$/.exec(request.path);
    if (request.method !== "GET" || !match) return notFound();
    const [, collection, login = "", repos] = match;
    const account = this.accounts.get(login.toLowerCase());
    // /orgs/{login} knows only organisations; /users/{login} answers for both.
    if (!account || (collection === "orgs" && account.type !== "Organization")) return notFound();
    if (!repos) return this.cached(request, account, collection ?? "users", () => ({ body: JSON.stringify(this.ownerJson(account, collection === "orgs")) }));
    return this.listRepos(request, account, collection === "orgs");
  }

  private listRepos(request: FakeRequest, account: FakeAccount, viaOrgs: boolean): FakeResponse {
    const type = request.query.get("type") ?? (viaOrgs ? "all" : "owner");
    const perPage = Math.min(100, Math.max(1, Number(request.query.get("per_page")) || 30));
    const page = Math.max(1, Number(request.query.get("page")) || 1);
    const resource = `repos?type=${type}&per_page=${perPage}&page=${page}`;
    return this.cached(request, account, resource, () => {
      const listed = this.listing(account, viaOrgs ? type : "owner");
      const last = Math.max(1, Math.ceil(listed.length / perPage));
      const link = (n: number, rel: string) => `<${this.url}${request.path}?type=${type}&per_page=${perPage}&page=${n}>; rel="${rel}"`;
      const links: string[] = [];
      if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
      if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
      if (page > 1) links.push(link(1, "first"));
      const body = JSON.stringify(listed.slice((page - 1) * perPage, page * perPage).map((repo) => this.repoJson(repo, account)));
      const headers: Record<string, string> = links.length ? { link: links.join(", ") } : {};
      return { body, headers };
    });
  }

  /** Answers 304 when If-None-Match has the current ETag, rendering only when the ETag is unknown or stale. */
  private cached(request: FakeRequest, account: FakeAccount, resource: string, render: () => { body: string; headers?: Record<string, string> }): FakeResponse {
    const ifNoneMatch = request.headers["if-none-match"];
    const known = account.etags.get(resource);
    if (known && matches(ifNoneMatch, known)) return { status: 304, headers: { etag: known } };
    const { body, headers = {} } = render();
    const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
    account.etags.set(resource, etag);
    if (matches(ifNoneMatch, etag)) return { status: 304, headers: { etag } };
    return { status: 200, headers: { "content-type": "application/json; charset=utf-8", etag, ...headers }, body };
  }

  private listing(account: FakeAccount, type: string): FakeRepo[] {
    let listed = account.listings.get(type);
    if (!listed) {
      listed = [...account.repos.values()].filter((repo) => {
        if (repo.private && !this.leakPrivateRepositories) return false;
        if (type === "forks") return repo.fork;
        if (type === "sources") return !repo.fork;
        return true;
      });
      // GitHub's default orders: an organisation's newest first, a user's by full name.
      if (account.type === "Organization") listed.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
      else listed.sort((a, b) => compare(a.name.toLowerCase(), b.name.toLowerCase()) || a.id - b.id);
      account.listings.set(type, listed);
    }
    return listed;
  }

  private ownerJson(account: FakeAccount, viaOrgs: boolean): Record<string, unknown> {
    const { fields, login, id } = account;
    const api = `${this.url}/${account.type === "Organization" ? "orgs" : "users"}/${login}`;
    const common = {
      login,
      id,
      node_id: `MDQ6${id}`,
      url: api,
      repos_url: `${api}/repos`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      html_url: `${this.webUrl}/${login}`,
      name: fields.name,
      company: null,
      blog: fields.blog,
      location: fields.location,
      email: fields.email,
      twitter_username: null,
      public_repos: this.listing(account, "all").length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: fields.createdAt,
      updated_at: fields.createdAt,
      type: account.type,
    };
    if (viaOrgs) return { ...common, description: fields.description, is_verified: fields.verified, has_organization_projects: true, has_repository_projects: true, archived_at: null };
    return { ...common, user_view_type: "public", site_admin: false, hireable: null, bio: account.type === "User" ? fields.bio : null };
  }

  private repoJson(repo: FakeRepo, account: FakeAccount): Record<string, unknown> {
    const fullName = `${account.login}/${repo.name}`;
    const license = repo.license === null
      ? null
      : repo.license === "NOASSERTION"
        ? { key: "other", name: "Other", spdx_id: "NOASSERTION", url: null, node_id: "MDc6TGljZW5zZTA=" }
        : { key: repo.license.toLowerCase(), name: repo.license, spdx_id: repo.license, url: `${this.url}/licenses/${repo.license.toLowerCase()}`, node_id: "MDc6TGljZW5zZTE=" };
    return {
      id: repo.id,
      node_id: `MDEwOlJlcG9zaXRvcnk${repo.id}`,
      name: repo.name,
      full_name: fullName,
      private: repo.private,
      owner: { login: account.login, id: account.id, type: account.type, site_admin: false, html_url: `${this.webUrl}/${account.login}` },
      html_url: `${this.webUrl}/${fullName}`,
      description: repo.description,
      fork: repo.fork,
      url: `${this.url}/repos/${fullName}`,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      pushed_at: repo.pushedAt,
      clone_url: `${this.webUrl}/${fullName}.git`,
      homepage: repo.homepage,
      size: 100 + (repo.id % 5000),
      stargazers_count: repo.stars,
      watchers_count: repo.stars,
      language: repo.language,
      has_issues: true,
      forks_count: repo.forks,
      archived: repo.archived,
      disabled: false,
      open_issues_count: repo.openIssues,
      license,
      allow_forking: true,
      is_template: repo.template,
      topics: repo.topics,
      visibility: repo.private ? "private" : "public",
      forks: repo.forks,
      open_issues: repo.openIssues,
      watchers: repo.stars,
      default_branch: repo.defaultBranch,
    };
  }

  /** GET /repos/{owner}/{repo}: the list's object plus, for a fork, `parent` and `source` (the root of the chain). */
  private repoDetailJson(repo: FakeRepo, account: FakeAccount): Record<string, unknown> {
    const json = this.repoJson(repo, account);
    if (!repo.fork || repo.parent === null) return json;
    const render = (link: { id: number; fullName?: string }): Record<string, unknown> => {
      const known = this.repos.get(link.id);
      const owner = known ? this.accounts.get(known.owner.toLowerCase()) : undefined;
      if (known && owner) return this.repoJson(known, owner);
      const fullName = link.fullName ?? `unknown/repo-${link.id}`;
      return { id: link.id, name: fullName.split("/")[1], full_name: fullName, fork: false, html_url: `${this.webUrl}/${fullName}`, owner: { login: fullName.split("/")[0] } };
    };
    let source = repo.parent;
    for (let depth = 0; depth < 10; depth++) {
      const next = this.repos.get(source.id);
      if (!next?.fork || next.parent === null) break;
      source = next.parent;
    }
    return { ...json, parent: render(repo.parent), source: render(source) };
  }

  private rateHeaders(): Record<string, string> {
    return { ...this.rateHeadersOf(this.rate), "x-ratelimit-resource": "core" };
  }

  private rateHeadersOf(rate: RateLimit): Record<string, string> {
    return {
      "x-ratelimit-limit": String(rate.limit),
      "x-ratelimit-remaining": String(Math.max(0, rate.remaining)),
      "x-ratelimit-reset": String(rate.resetAt / 1000),
      "x-ratelimit-used": String(rate.limit - Math.max(0, rate.remaining)),
    };
  }

  private addAccount(login: string, type: FakeAccount["type"], fields: Partial<FakeOwnerFields>): FakeAccount {
    if (this.accounts.has(login.toLowerCase())) throw new Error(`fake GitHub already has an account ${login}`);
    const id = this.nextId++;
    const account: FakeAccount = {
      id,
      login,
      type,
      fields: { name: null, description: null, bio: null, blog: null, email: null, location: null, verified: false, createdAt: dateOf(id), ...fields },
      repos: new Map(),
      listings: new Map(),
      etags: new Map(),
    };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  private account(login: string): FakeAccount {
    const account = this.accounts.get(login.toLowerCase());
    if (!account) throw new Error(`fake GitHub has no account ${login}`);
    return account;
  }

  private changed(account: FakeAccount): void {
    account.listings.clear();
    account.etags.clear();
  }
}

/** A content answer with its ETag, or 304 when If-None-Match has it (GitHub's contents and releases endpoints send ETags). */
function withEtag(request: FakeRequest, body: string, contentType = "application/json; charset=utf-8"): FakeResponse {
  const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
  if (matches(request.headers["if-none-match"], etag)) return { status: 304, headers: { etag } };
  return { status: 200, headers: { "content-type": contentType, etag }, body };
}

function notFound(): FakeResponse {
  return { status: 404, body: { message: "Not Found", documentation_url: documentation, status: "404" } };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 9110 If-None-Match: a list of (possibly weak) ETags, or "*". */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return String(header)
    .split(",")
    .some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}
