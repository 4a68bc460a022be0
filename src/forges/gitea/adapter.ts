// One adapter for the API v1 that Gitea, Forgejo (a Gitea fork) and Gogs (the
// project Gitea forked from) share: an organisation or a user (found out as
// on GitHub), or a whole instance (every organisation as an owner, every
// public repository through /repos/search).
//
// Pages are asked with page/limit, but the page size asked for is never
// assumed: servers cap it (MAX_RESPONSE_ITEMS, 50 by default) whatever limit
// says. The next page is the one Link names rel="next"; without Link,
// X-Total-Count tells whether more remain; without either, pages are read
// until one comes back empty.
//
// Gogs is the poor relation: it lists an owner's repositories only to a token
// holder, and its search needs a keyword, so it cannot list a whole instance.
// Those cases fail their account with a message that says so, before any
// request is spent on them.
import type { Account } from "../../sources/sources.ts";
import { ForgeError, type AdapterOptions, type CacheWrite, type ForgeAdapter, type HarvestContext, type HarvestEvent, type HarvestedOwner, type HarvestedRepository } from "../forge.ts";
import { AbortScope, JsonTransport, type JsonResponse } from "../jsonTransport.ts";
import { invalid, isObject, isPublicOrganisation, mapOwner, mapRepository } from "./mapping.ts";
import { GiteaProfileReader, listingHints, type ListingHints } from "./profiles.ts";

export type GiteaFlavour = "gitea" | "forgejo" | "gogs";

/** Asked of the server; it may send fewer. Gitea's default cap (MAX_RESPONSE_ITEMS) is 50. */
export const pageLimit = 50;
/** Beyond this many pages a forge that always announces a next page is looping, not listing (500,000 repositories). */
const maxPages = 10_000;

/** Cached with a page's ETag: the forge ids it listed and whether a next page followed. */
interface PagePayload {
  ids: string[];
  next: boolean;
}

interface OwnerPayload {
  owner: HarvestedOwner;
}

function parsePagePayload(value: unknown): PagePayload | undefined {
  const payload = value as Partial<PagePayload> | null;
  return payload && Array.isArray(payload.ids) && payload.ids.every((id) => typeof id === "string") && typeof payload.next === "boolean"
    ? { ids: payload.ids, next: payload.next }
    : undefined;
}

function parseOwnerPayload(value: unknown): OwnerPayload | undefined {
  const owner = (value as Partial<OwnerPayload> | null)?.owner;
  return owner && typeof owner.login === "string" && (owner.kind === "organization" || owner.kind === "user") ? { owner } : undefined;
}

/** The API root: the sources' `api` key may be written with or without /api/v1. */
export function apiRoot(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, "")}/api/v1`;
}

export class GiteaAdapter implements ForgeAdapter {
  /** Shared by the accounts of this host, so that a rate-limit pause holds all of them. */
  private readonly transport: JsonTransport;
  private readonly root: string;
  private readonly webUrl: string;
  private readonly name: string;
  /** Profile files (issue 9), through the same transport as the listing. */
  readonly profiles: GiteaProfileReader;
  /**
   * What this run's listing said of each repository that spares profile
   * requests (Gitea's `empty` and `release_counter`), by forge id. Held for the
   * adapter's life, one run: the profiles of an account are fetched right after
   * its listing. A repository on a page answered 304 has none: asked as before.
   */
  private readonly listed = new Map<string, ListingHints>();

  constructor(
    private readonly options: AdapterOptions,
    private readonly flavour: GiteaFlavour,
  ) {
    this.transport = new JsonTransport({ ...options, tokenHeader: "authorization" });
    this.root = apiRoot(options.apiUrl);
    this.webUrl = `https://${options.host}`;
    this.name = flavour === "gogs" ? "Gogs" : flavour === "forgejo" ? "Forgejo" : "Gitea";
    this.profiles = new GiteaProfileReader(options, flavour, this.transport, this.root, (forgeId) => this.listed.get(forgeId));
  }

  async *harvestAccount(account: Account, context: HarvestContext): AsyncIterable<HarvestEvent> {
    const { host } = this.options;
    if (this.flavour === "gogs" && account.login === "") {
      throw new ForgeError(
        "unsupported",
        `${host} is a Gogs server: Gogs cannot list all the repositories of an instance (its search needs a keyword); list the instance's organisations under "owners" in the sources`,
      );
    }
    if (this.flavour === "gogs" && !this.options.token) {
      throw new ForgeError(
        "unauthorized",
        `${host} is a Gogs server: Gogs lists an owner's repositories only to a token holder; add a token for ${host} to FORGE_TOKENS`,
      );
    }
    const scope = new AbortScope(context.signal);
    try {
      if (account.login === "") yield* this.instance(context, scope);
      else yield* this.owner(account.login, context, scope);
    } finally {
      scope.close();
    }
  }

  /** Every public organisation as an owner, then every public repository of the instance. */
  private async *instance(context: HarvestContext, scope: AbortScope): AsyncGenerator<HarvestEvent> {
    const what = "the organisations of the instance";
    for await (const page of this.pages("/orgs", {}, context, scope, what, (body) => body)) {
      for (const raw of page.items) {
        if (!isPublicOrganisation(raw)) continue;
        yield { type: "owner", owner: mapOwner(raw, "organization", { host: this.options.host, what }) };
      }
    }
    // sort=id: a stable order, so that a repository created during the walk cannot shift another one out of sight.
    yield* this.repositories("/repos/search", { sort: "id", order: "asc", private: "false" }, null, "the repositories of the instance", context, scope, searchData);
  }

  private async *owner(login: string, context: HarvestContext, scope: AbortScope): AsyncGenerator<HarvestEvent> {
    const { owner, cache } = await this.resolveOwner(login, context, scope);
    // Yielded even when unchanged (from the cache), so that the owner row follows the sources and its last sighting.
    yield { type: "owner", owner, ...(cache.length ? { cache } : {}) };
    const organization = owner.kind === "organization";
    const path = organization ? `/orgs/${encodeURIComponent(login)}/repos` : `/users/${encodeURIComponent(login)}/repos`;
    yield* this.repositories(path, {}, owner.login, `the repositories of ${organization ? "organisation" : "user"} '${login}'`, context, scope, (body) => body);
  }

  /**
   * /orgs/{login} first, as most accounts of public bodies are organisations,
   * /users/{login} on a 404; a kind learnt in an earlier run asks the right
   * endpoint straight away.
   */
  private async resolveOwner(login: string, context: HarvestContext, scope: AbortScope): Promise<{ owner: HarvestedOwner; cache: CacheWrite[] }> {
    const what = `organisation or user '${login}'`;
    const orgPath = `/orgs/${encodeURIComponent(login)}`;
    const userPath = `/users/${encodeURIComponent(login)}`;
    const knownKind = this.cachedPayload(context, this.cacheKey(userPath), parseOwnerPayload)?.payload.owner.kind;
    if (knownKind !== "user") {
      try {
        return await this.ownerAt(orgPath, "organization", what, context, scope);
      } catch (error) {
        if (!(error instanceof ForgeError && error.reason === "not_found")) throw error;
      }
    }
    try {
      return await this.ownerAt(userPath, "user", what, context, scope);
    } catch (error) {
      if (error instanceof ForgeError && error.reason === "not_found") {
        throw new ForgeError("not_found", `${this.options.host} has no organisation or user '${login}' (${this.name} answered 404)`, { cause: error });
      }
      throw error;
    }
  }

  private async ownerAt(path: string, kind: "organization" | "user", what: string, context: HarvestContext, scope: AbortScope) {
    const key = this.cacheKey(path);
    const cached = this.cachedPayload(context, key, parseOwnerPayload);
    const response = await this.get(path, {}, scope, cached?.etag);
    if (response.status === 304 && cached) return { owner: cached.payload.owner, cache: [] };
    if (kind === "organization" && !isPublicOrganisation(response.body)) {
      throw new ForgeError("unauthorized", `${this.options.host}: organisation ${what} is not public`);
    }
    const owner = mapOwner(response.body, kind, { host: this.options.host, what });
    return { owner, cache: this.cacheWrite(key, response, { owner }) };
  }

  /** Repositories page by page, each page one event written in one transaction. */
  private async *repositories(
    path: string,
    query: Record<string, string>,
    owner: string | null,
    what: string,
    context: HarvestContext,
    scope: AbortScope,
    items: (body: unknown) => unknown,
  ): AsyncGenerator<HarvestEvent> {
    for await (const page of this.pages(path, query, context, scope, what, items)) {
      if (page.unchanged) {
        yield { type: "repositories", repositories: [], unchanged: page.unchanged.ids };
        continue;
      }
      const repositories: HarvestedRepository[] = [];
      for (const raw of page.items) {
        const repository = mapRepository(raw, { host: this.options.host, webUrl: this.webUrl, owner, what: page.what });
        if (repository) {
          repositories.push(repository);
          const hints = listingHints(raw);
          if (hints) this.listed.set(repository.forgeId, hints);
        }
      }
      yield { type: "repositories", repositories, unchanged: [], cache: page.cache({ ids: repositories.map((r) => r.forgeId), next: page.next }) };
    }
  }

  /**
   * The pages of a list. A page answered 304 stands in with its cached ids and
   * "next"; a new page's `cache(payload)` gives the write of its ETag (nothing
   * when the server sends none, as Gitea does for most lists).
   */
  private async *pages(
    path: string,
    query: Record<string, string>,
    context: HarvestContext,
    scope: AbortScope,
    what: string,
    items: (body: unknown) => unknown,
  ): AsyncGenerator<{
    what: string;
    items: unknown[];
    next: boolean;
    unchanged?: PagePayload;
    cache(payload: PagePayload): CacheWrite[];
  }> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const pageWhat = `page ${page} of ${what}`;
      const pageQuery = { ...query, page: String(page), limit: String(pageLimit) };
      const key = this.cacheKey(`${path}?${new URLSearchParams(pageQuery)}`);
      const cached = this.cachedPayload(context, key, parsePagePayload);
      const response = await this.get(path, pageQuery, scope, cached?.etag);
      let next: boolean;
      if (response.status === 304 && cached) {
        next = cached.payload.next;
        yield { what: pageWhat, items: [], next, unchanged: cached.payload, cache: () => [] };
      } else {
        const list = items(response.body);
        if (!Array.isArray(list)) throw invalid(this.options.host, pageWhat, "the body is not a list");
        seen += list.length;
        next = list.length > 0 && hasMore(response.headers, seen);
        yield { what: pageWhat, items: list, next, cache: (payload) => this.cacheWrite(key, response, payload) };
      }
      if (!next) return;
      if (page >= maxPages) throw new ForgeError("invalid_response", `${this.options.host} announced more than ${maxPages} pages of ${what}`);
    }
  }

  private async get(path: string, query: Record<string, string>, scope: AbortScope, etag: string | undefined): Promise<JsonResponse> {
    const url = new URL(`${this.root}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "code-commun-harvester" };
    if (this.options.token) headers.authorization = `token ${this.options.token}`;
    if (etag) headers["if-none-match"] = etag;
    return this.transport.get(url, headers, scope);
  }

  private cacheKey(pathAndQuery: string): string {
    return `${this.flavour}:${this.options.host}:${pathAndQuery.toLowerCase()}`;
  }

  private cachedPayload<P>(context: HarvestContext, key: string, parse: (value: unknown) => P | undefined): { etag: string; payload: P } | undefined {
    const entry = context.cached(key);
    if (!entry) return undefined;
    try {
      const payload = parse(JSON.parse(entry.payload));
      return payload === undefined ? undefined : { etag: entry.etag, payload };
    } catch {
      return undefined;
    }
  }

  private cacheWrite(key: string, response: JsonResponse, payload: unknown): CacheWrite[] {
    const etag = response.headers.etag;
    return etag ? [{ key, etag, payload: JSON.stringify(payload) }] : [];
  }
}

/** /repos/search answers {ok, data}: ok false is a failed search, not an empty one. */
function searchData(body: unknown): unknown {
  if (!isObject(body)) return body;
  if (body.ok === false) throw new ForgeError("invalid_response", `the repository search failed: ${JSON.stringify(body).slice(0, 200)}`);
  return body.data;
}

/** Whether a page follows: Link rel="next", else X-Total-Count against what was read, else "until an empty page". */
export function hasMore(headers: Record<string, string>, seen: number): boolean {
  const link = headers.link;
  if (link !== undefined && link !== "") return /<[^>]*>\s*;\s*rel="?[^"]*\bnext\b/.test(link);
  const total = headers["x-total-count"]?.trim();
  if (total && /^\d+$/.test(total)) return seen < Number(total);
  return true;
}
