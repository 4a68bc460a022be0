// Look-ups for declarations (issue 11) on Gitea, Forgejo and Gogs: whether an
// API answers as one of them, who an account is (organisation, user or the
// whole instance) and whether the challenge repository exists in it. Through
// the harvest's JSON transport (timeouts, retries, rate limits written once)
// and mapping, but tuned for a person waiting on a page: few, short retries
// and no rate-limit wait.
//
// What Gogs cannot tell (said plainly to the declarer through these answers):
//   - it has no /version: its API is recognised by its repository search ({ok, data});
//   - it lists an owner's repositories only to a token holder: without a token
//     for the host, the number of public repositories is null ("not known");
//   - a whole Gogs instance cannot be harvested (its search needs a keyword):
//     looking one up fails with reason "unsupported".
import { ForgeError, notFoundAsNull, type AccountLookup, type AdapterOptions, type ForgeLookup } from "../forge.ts";
import { AbortScope, JsonTransport, type JsonResponse } from "../jsonTransport.ts";
import type { RetryPolicy } from "../retry.ts";
import { apiRoot, hasMore, pageLimit, type GiteaFlavour } from "./adapter.ts";
import { isObject, isPublicOrganisation, mapOwner } from "./mapping.ts";

/** One quick retry of a 5xx or a dropped connection, then the person is told. */
const lookupRetry: RetryPolicy = { retries: 2, baseMs: 250, maxMs: 2_000 };
/** Pages read to count an account's public repositories when the forge gives no usable total (1,000 repositories at 50 a page). */
const maxCountPages = 20;
/** Repositories of a search read to find the challenge repository among same-named ones of other accounts. */
const searchLimit = 50;

export class GiteaLookup implements ForgeLookup {
  private readonly transport: JsonTransport;
  private readonly root: string;
  private readonly scope = new AbortScope(new AbortController().signal);
  private readonly name: string;

  constructor(
    private readonly options: AdapterOptions,
    private readonly flavour: GiteaFlavour,
  ) {
    // A test's faster policy is kept, but never more retries than a look-up allows.
    const retry = options.retry ? { ...options.retry, retries: Math.min(options.retry.retries, lookupRetry.retries), maxMs: Math.min(options.retry.maxMs, lookupRetry.maxMs) } : lookupRetry;
    this.transport = new JsonTransport({ ...options, maxRateLimitWaitMs: 0, retry, tokenHeader: "authorization" });
    this.root = apiRoot(options.apiUrl);
    this.name = flavour === "gogs" ? "Gogs" : flavour === "forgejo" ? "Forgejo" : "Gitea";
  }

  /**
   * Gitea and Forgejo answer GET /version ({"version": "1.22.3"}, Forgejo
   * "7.0.0+gitea-1.22.0"), or at least /settings/api; Gogs has neither, and is
   * recognised by its repository search answering {ok, data}.
   */
  async checkApi(): Promise<void> {
    const version = await notFoundAsNull(this.get("/version"));
    if (version) {
      if (isObject(version.body) && typeof version.body.version === "string") return;
      throw new ForgeError("invalid_response", `GET /api/v1/version did not answer a version: not a ${this.name} API`);
    }
    const settings = await notFoundAsNull(this.get("/settings/api"));
    if (settings) {
      if (isObject(settings.body) && typeof settings.body.max_response_items === "number") return;
      throw new ForgeError("invalid_response", `GET /api/v1/settings/api did not answer the API settings: not a ${this.name} API`);
    }
    const search = await notFoundAsNull(this.get("/repos/search", { q: "code-commun", limit: "1" }));
    if (search && isObject(search.body) && typeof search.body.ok === "boolean" && (search.body.ok === false || Array.isArray(search.body.data))) return;
    throw new ForgeError("invalid_response", `neither /api/v1/version nor /api/v1/repos/search answered as Gitea, Forgejo or Gogs do: not a ${this.name} API`);
  }

  async lookupAccount(login: string): Promise<AccountLookup | null> {
    if (login === "") return this.instance();
    if (login.includes("/")) return null;
    const what = `organisation or user '${login}'`;
    const org = await notFoundAsNull(this.get(`/orgs/${encodeURIComponent(login)}`));
    if (org) {
      // Only public organisations are harvested ("limited" ones need an account to be seen).
      if (!isPublicOrganisation(org.body)) throw new ForgeError("unauthorized", `${this.options.host}: organisation '${login}' is not public, it cannot be catalogued`);
      const owner = mapOwner(org.body, "organization", { host: this.options.host, what });
      return { login: owner.login, kind: "organization", name: owner.name, publicRepositories: await this.countRepositories(`/orgs/${encodeURIComponent(owner.login)}/repos`) };
    }
    const user = await notFoundAsNull(this.get(`/users/${encodeURIComponent(login)}`));
    if (!user) return null;
    // Gogs answers /users/{name} for organisations too, without saying which: it reads as a user.
    const owner = mapOwner(user.body, "user", { host: this.options.host, what });
    return { login: owner.login, kind: "user", name: owner.name, publicRepositories: await this.countRepositories(`/users/${encodeURIComponent(owner.login)}/repos`) };
  }

  async hasPublicRepository(login: string, name: string): Promise<boolean> {
    if (login === "") return this.searchFor(null, name);
    let response: JsonResponse | null;
    try {
      response = await notFoundAsNull(this.get(`/repos/${encodeURIComponent(login)}/${encodeURIComponent(name)}`));
    } catch (error) {
      // A Gogs server that answers a single repository only to a token holder: its public search still finds it.
      if (error instanceof ForgeError && error.reason === "unauthorized") return this.searchFor(login, name);
      throw error;
    }
    return response !== null && isChallenge(response.body, login, name);
  }

  /** The whole instance: every public repository, counted by the search's X-Total-Count. */
  private async instance(): Promise<AccountLookup> {
    if (this.flavour === "gogs") {
      throw new ForgeError("unsupported", `${this.options.host} is a Gogs server: Gogs cannot list all the repositories of an instance (its search needs a keyword); declare its organisations one by one`);
    }
    const response = await this.get("/repos/search", { private: "false", limit: "1" });
    if (!isObject(response.body) || response.body.ok === false || !Array.isArray(response.body.data)) {
      throw new ForgeError("invalid_response", `${this.options.host} did not answer its repository search as ${this.name} does`);
    }
    return { login: "", kind: "instance", name: null, publicRepositories: totalOf(response.headers) };
  }

  /**
   * Public repositories of an owner. Without a token the listing's
   * X-Total-Count counts only public ones; with one it may count private
   * repositories the token sees, so pages are read and filtered instead, up to
   * maxCountPages. null when the forge will not tell (Gogs without a token).
   */
  private async countRepositories(path: string): Promise<number | null> {
    let seen = 0;
    let publicOnes = 0;
    for (let page = 1; page <= maxCountPages; page++) {
      let response: JsonResponse;
      try {
        response = await this.get(path, { page: String(page), limit: String(pageLimit) });
      } catch (error) {
        // Gogs lists an owner's repositories only to a token holder: the count is not known, the account still is.
        if (this.flavour === "gogs" && error instanceof ForgeError && error.reason === "unauthorized") return null;
        throw error;
      }
      if (!Array.isArray(response.body)) throw new ForgeError("invalid_response", `${this.options.host} did not answer a list of repositories to GET ${path}`);
      const total = totalOf(response.headers);
      if (page === 1 && total !== null && !this.options.token) return total;
      seen += response.body.length;
      publicOnes += response.body.filter((raw) => isObject(raw) && raw.private !== true && raw.internal !== true).length;
      if (response.body.length === 0 || !hasMore(response.headers, seen)) return publicOnes;
    }
    return null;
  }

  /** A public repository named exactly `name`, owned by `login` (null: by anyone), through the search. */
  private async searchFor(login: string | null, name: string): Promise<boolean> {
    const response = await this.get("/repos/search", { q: name, private: "false", limit: String(searchLimit) });
    if (!isObject(response.body) || response.body.ok === false || !Array.isArray(response.body.data)) return false;
    return response.body.data.some((raw) => isChallenge(raw, login, name));
  }

  private get(path: string, query: Record<string, string> = {}): Promise<JsonResponse> {
    const url = new URL(`${this.root}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "code-commun-declarations" };
    if (this.options.token) headers.authorization = `token ${this.options.token}`;
    return this.transport.get(url, headers, this.scope);
  }
}

/**
 * The challenge repository: public (not private, not "internal", which only
 * signed-in users see), named exactly so, and owned by the account itself
 * (Gitea follows a renamed or transferred repository to its new place).
 * Gitea writes the owner's login as "login", Gogs as "username".
 */
function isChallenge(raw: unknown, login: string | null, name: string): boolean {
  if (!isObject(raw) || raw.private !== false || raw.internal === true) return false;
  const owner = isObject(raw.owner) ? (typeof raw.owner.login === "string" ? raw.owner.login : typeof raw.owner.username === "string" ? raw.owner.username : "") : "";
  const repoName = typeof raw.name === "string" ? raw.name : "";
  return repoName.toLowerCase() === name.toLowerCase() && (login === null || owner.toLowerCase() === login.toLowerCase());
}

function totalOf(headers: Record<string, string>): number | null {
  const total = headers["x-total-count"]?.trim();
  return total && /^\d+$/.test(total) ? Number(total) : null;
}

