// What the MCP tools answer, as plain functions of their arguments: the API's
// parsers, search engine, lookups and presenters, so that an agent gets the
// same search, ranking and records as /api/v1, plus each repository's address
// in the catalogue. src/mcp/server.ts only declares them to the SDK.
import { ownerFeedPath, publicBodyFeedPath } from "../feeds/paths.ts";
import { toPublicRepository, type PublicRepository } from "../records/repository.ts";
import { parseSearchQuery, type QueryString } from "../search/parseQuery.ts";
import type { FacetValue } from "../search/types.ts";
import { listOwnerSummaries } from "../store/owners.ts";
import { findPublicOwner, findRepositoryBySegments, publicStats, type LookupDeps } from "../web/api/lookups.ts";
import { toPublicOwnerSummary, toPublicSimilarity, toSearchResponse, type PublicOwner, type PublicSimilarity, type PublicStats } from "../web/api/present.ts";
import { toRepositoryDetail, type RepositoryDetail } from "../web/api/profilePresent.ts";
import { HttpError } from "../web/errors.ts";
import { findSimilar } from "../search/similar.ts";
import { ownerPath, repositoryPath, withQuery } from "../web/urls.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import { knownJson, stringifyKnown } from "./knownJson.ts";

export interface CatalogueToolsDeps extends LookupDeps {
  /** Absolute address of the catalogue, without a trailing slash: links in answers start with it. */
  baseUrl: string;
}

/** A public record with its two addresses: the catalogue's page and the forge's. */
export interface AgentRepository extends PublicRepository {
  catalogue_url: string;
  forge_url: string;
}

export interface SearchArguments {
  query?: string;
  language?: string | string[];
  license?: string | string[];
  host?: string | string[];
  owner?: string | string[];
  public_body?: string | string[];
  topic?: string | string[];
  archived?: boolean;
  fork?: boolean;
  has_license?: boolean;
  /** issue 10 */
  reused?: boolean;
  active_since?: string;
  sort?: string;
  limit?: number;
  page?: number;
  include_facets?: boolean;
  /** Values per facet (the API's facet_limit). */
  facet_limit?: number;
}

export interface SearchAnswer {
  total: number;
  page: number;
  per_page: number;
  items: AgentRepository[];
  /** Only with include_facets. */
  facets?: Record<string, FacetValue[]>;
  /** The same search in the catalogue, for a human. */
  catalogue_url: string;
  /** The same search through the JSON API. */
  api_url: string;
}

/**
 * GET /api/v1/repositories/{id}'s record, from the API's own presenter (the
 * public record with README, publiccode.yml, files, latest release and checks;
 * null or empty where no profile was read), plus the catalogue's links.
 */
export interface RepositoryAnswer extends AgentRepository, Omit<RepositoryDetail, keyof PublicRepository> {
  owner_id: string;
  owner_catalogue_url: string;
  public_body: string | null;
  public_body_name: string | null;
  /** The Atom feed of the owner's repositories. */
  owner_feed_url: string;
}

/** A similar repository and why, as its catalogue page says it (issue 13: the reasons stored in the index). */
export interface SimilarAgentRepository extends AgentRepository, PublicSimilarity {}

export interface SimilarAnswer {
  repository: string;
  items: SimilarAgentRepository[];
}

export interface OwnerAnswer extends PublicOwner {
  catalogue_url: string;
  forge_url: string;
  feed_url: string;
  /** Its most recently active repositories (the first page of its catalogue page). */
  recent_repositories: AgentRepository[];
}

export interface PublicBodyEntry {
  public_body: string;
  name: string | null;
  owners: number;
  repositories: number;
  stars: number;
  owner_ids: string[];
  catalogue_url: string;
  feed_url: string;
}

export interface PublicBodiesAnswer {
  total: number;
  page: number;
  per_page: number;
  items: PublicBodyEntry[];
}

/**
 * Each repository's agent record and its JSON, kept while its row object lives
 * (the store's row cache hands out the same object until the catalogue
 * changes, as present.ts relies on for the API), for the base URL it was made
 * for: a repository found again is neither presented nor serialised again
 * (issue 12's benchmark). Frozen, as answers share it.
 */
const agentRecords = new WeakMap<RepositoryRow, { baseUrl: string; item: AgentRepository }>();

/** The items of a page, with their JSON known to the HTTP transport (knownJson.ts). */
function itemList(items: AgentRepository[]): AgentRepository[] {
  return knownJson(items, stringifyKnown(items));
}

export const searchLimits = { defaultLimit: 10, maxLimit: 50 } as const;
export const publicBodiesLimits = { defaultLimit: 50, maxLimit: 200 } as const;
const ownerRecentShown = 10;

/** Every search argument as the API's query string, so that parseSearchQuery reads both alike. */
export function searchQueryString(args: SearchArguments): QueryString {
  const query: QueryString = {};
  if (args.query !== undefined) query.q = args.query;
  for (const key of ["language", "license", "host", "owner", "public_body", "topic"] as const) {
    const value = args[key];
    if (value !== undefined) query[key] = Array.isArray(value) ? value : [value];
  }
  for (const key of ["archived", "fork", "has_license", "reused"] as const) {
    if (args[key] !== undefined) query[key] = String(args[key]);
  }
  if (args.active_since !== undefined) query.active_since = args.active_since;
  if (args.sort !== undefined) query.sort = args.sort;
  query.per_page = String(args.limit ?? searchLimits.defaultLimit);
  if (args.page !== undefined) query.page = String(args.page);
  if (args.facet_limit !== undefined) query.facet_limit = String(args.facet_limit);
  return query;
}

/** The query string of a search URL (the API's or the catalogue's): repeated keys for lists. */
function searchParams(query: QueryString): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === "string" || Array.isArray(value)) params[key] = value as string | string[];
  return params;
}

function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", `no ${what} in the catalogue`);
}

/** A percent-decoded segment, or the segment as it is when its escapes are malformed. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * An id as agents write it: "<host>/<path>", a forge URL (https://github.com/etalab/udata,
 * with or without .git) or a catalogue URL (…/repositories/<host>/<path>, …/owners/<host>/<login>).
 */
export function idSegments(raw: string, catalogueSection: "repositories" | "owners"): string[] {
  let text = raw.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new HttpError(400, "invalid_parameter", `"${raw.slice(0, 200)}" is neither an id nor a URL`);
    }
    const path = url.pathname.split("/").filter(Boolean).map(safeDecode);
    const at = path.indexOf(catalogueSection);
    // A catalogue URL names the host in its path; a forge URL names it in its authority.
    text = at >= 0 && path.length > at + 1 ? path.slice(at + 1).join("/") : [url.host, ...path].join("/");
  }
  return text.replace(/\.git$/i, "").split("/").filter((segment) => segment !== "");
}

export class CatalogueTools {
  constructor(private readonly deps: CatalogueToolsDeps) {}

  repositoryUrl(host: string, fullName: string): string {
    return `${this.deps.baseUrl}${repositoryPath(host, fullName)}`;
  }

  private agentRepository(row: RepositoryRow): AgentRepository {
    const cached = agentRecords.get(row);
    if (cached && cached.baseUrl === this.deps.baseUrl) return cached.item;
    const record = toPublicRepository(row);
    // Onto the fresh record (a spread followed by properties is slow on Node 20: see toRepositoryPage).
    const item: AgentRepository = Object.assign(record, { catalogue_url: this.repositoryUrl(row.host, row.fullName), forge_url: record.url });
    knownJson(Object.freeze(item), JSON.stringify(item));
    agentRecords.set(row, { baseUrl: this.deps.baseUrl, item });
    return item;
  }

  /** The API's search: same parser (same refusals), same engine, same presenter. */
  search(args: SearchArguments): SearchAnswer {
    const queryString = searchQueryString(args);
    const query = parseSearchQuery(queryString);
    const facets = args.include_facets === true;
    const result = this.deps.search.search({ ...query, facets });
    // The API's presenter for everything but the records, which come from the cache above (the same toPublicRepository).
    const response = toSearchResponse({ ...result, items: [] });
    const params = searchParams(queryString);
    // The catalogue's pages have their own size: its link is the search, from its first page.
    const catalogueParams = { ...params };
    delete catalogueParams.per_page;
    delete catalogueParams.page;
    return {
      total: response.total,
      page: response.page,
      per_page: response.per_page,
      items: itemList(result.items.map((row) => this.agentRepository(row))),
      ...(facets ? { facets: response.facets } : {}),
      catalogue_url: `${this.deps.baseUrl}${withQuery("/repositories", catalogueParams)}`,
      api_url: `${this.deps.baseUrl}${withQuery("/api/v1/repositories", params)}`,
    };
  }

  private findRow(id: string): RepositoryRow {
    const segments = idSegments(id, "repositories");
    const row = findRepositoryBySegments(this.deps, segments);
    if (!row) throw notFound(`repository ${segments.join("/") || id.slice(0, 200)}`);
    return row;
  }

  repository(id: string): RepositoryAnswer {
    const row = this.findRow(id);
    const owner = findPublicOwner(this.deps, row.host, row.owner);
    const detail = toRepositoryDetail(this.deps.db, row, new Date());
    return Object.assign(detail, {
      catalogue_url: this.repositoryUrl(row.host, row.fullName),
      forge_url: detail.url,
      owner_id: `${row.host}/${row.owner}`,
      owner_catalogue_url: `${this.deps.baseUrl}${ownerPath(row.host, row.owner)}`,
      public_body: owner?.public_body ?? null,
      public_body_name: owner?.public_body_name ?? null,
      owner_feed_url: `${this.deps.baseUrl}${ownerFeedPath(row.host, row.owner)}`,
    });
  }

  /** The similar repositories of the repository page. */
  similar(id: string): SimilarAnswer {
    const row = this.findRow(id);
    return {
      repository: `${row.host}/${row.fullName}`,
      items: findSimilar(this.deps.search, row).map(({ row: item, reasons }) => Object.assign({}, this.agentRepository(item), toPublicSimilarity(reasons))),
    };
  }

  owner(id: string): OwnerAnswer {
    const [rawHost, ...path] = idSegments(id, "owners");
    const host = rawHost?.toLowerCase();
    const login = path.join("/");
    if (!host || !login) throw new HttpError(400, "invalid_parameter", 'an owner id reads "<host>/<login>", e.g. github.com/etalab');
    const owner = findPublicOwner(this.deps, host, login);
    if (!owner) throw notFound(`owner ${host}/${login}`);
    const recent = this.deps.search.search({ q: "", filters: { owner: [owner.id] }, sort: "activity", page: 1, perPage: ownerRecentShown, facets: false });
    return Object.assign(owner, {
      catalogue_url: `${this.deps.baseUrl}${ownerPath(owner.host, owner.login)}`,
      forge_url: `https://${owner.host}/${owner.login}`,
      feed_url: `${this.deps.baseUrl}${ownerFeedPath(owner.host, owner.login)}`,
      recent_repositories: recent.items.map((row) => this.agentRepository(row)),
    });
  }

  /** Public bodies with live repositories, most repositories first; `query` filters on the name or id. */
  publicBodies(args: { query?: string; limit?: number; page?: number }): PublicBodiesAnswer {
    // The base URL is in the key: its entries carry links, and /mcp answers several hosts.
    const all = this.deps.cached(`mcp:public-bodies:${this.deps.search.generation}:${this.deps.baseUrl}`, () => {
      const byBody = new Map<string, PublicBodyEntry>();
      for (const summary of listOwnerSummaries(this.deps.db)) {
        const owner = toPublicOwnerSummary(summary, this.deps.publicBodies);
        if (!owner.public_body || owner.repositories === 0) continue;
        let entry = byBody.get(owner.public_body);
        if (!entry) {
          entry = {
            public_body: owner.public_body,
            name: owner.public_body_name,
            owners: 0,
            repositories: 0,
            stars: 0,
            owner_ids: [],
            catalogue_url: `${this.deps.baseUrl}${withQuery("/repositories", { public_body: owner.public_body })}`,
            feed_url: `${this.deps.baseUrl}${publicBodyFeedPath(owner.public_body)}`,
          };
          byBody.set(owner.public_body, entry);
        }
        entry.owners++;
        entry.repositories += owner.repositories;
        entry.stars += owner.stars;
        entry.owner_ids.push(owner.id);
      }
      return [...byBody.values()].sort((a, b) => b.repositories - a.repositories || a.public_body.localeCompare(b.public_body));
    });
    const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    const words = fold(args.query ?? "").split(/\s+/).filter(Boolean);
    const found = words.length === 0 ? all : all.filter((entry) => words.every((word) => fold(`${entry.name ?? ""} ${entry.public_body}`).includes(word)));
    const perPage = args.limit ?? publicBodiesLimits.defaultLimit;
    const page = args.page ?? 1;
    return { total: found.length, page, per_page: perPage, items: found.slice((page - 1) * perPage, page * perPage) };
  }

  statistics(): PublicStats {
    return publicStats(this.deps);
  }
}
