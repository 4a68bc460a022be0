// The shapes the API answers with. Repositories use the public record
// (records/repository.ts) and nothing else; owners and statistics are defined
// here, with snake_case names like the record. Internal ids never leave.
import { repositoryId, toPublicRepository, type PublicRepository } from "../../records/repository.ts";
import { facetsSource } from "../../search/searchIndex.ts";
import { contentHash } from "./http.ts";
import type { FacetName, FacetValue, SearchQuery, SearchResult, SimilarityReasons, SimilarMatch } from "../../search/types.ts";
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import type { OwnerFigures, OwnerRow, OwnerSummary } from "../../store/owners.ts";
import type { CatalogueFigures, CountRow, TopOwnerRow } from "../../store/stats.ts";

/** Facets are named like the query parameters that filter on them. */
export const facetKeys: Record<FacetName, string> = {
  language: "language",
  license: "license",
  host: "host",
  owner: "owner",
  publicBody: "public_body",
  topic: "topic",
  archived: "archived",
  fork: "fork",
  hasLicense: "has_license",
  // issue 9
  hasPubliccode: "has_publiccode",
  publiccodeValid: "publiccode_valid",
  category: "category",
  developmentStatus: "development_status",
  softwareType: "software_type",
  // issue 10
  reused: "reused",
};

export interface SearchResponse {
  total: number;
  page: number;
  per_page: number;
  items: PublicRepository[];
  facets: Record<string, FacetValue[]>;
  /** true: q had no word the index can search for (emoji, an unindexed script, only stop words); nothing was searched and total is 0. */
  unsearchable_query: boolean;
}

export function toSearchResponse(result: SearchResult): SearchResponse {
  const facets: Record<string, FacetValue[]> = {};
  for (const [name, key] of Object.entries(facetKeys) as [FacetName, string][]) facets[key] = result.facets[name];
  return { total: result.total, page: result.page, per_page: result.perPage, items: result.items.map(toPublicRepository), facets, unsearchable_query: result.unsearchable === true };
}

/**
 * Each repository's public record as JSON in UTF-8 bytes, kept while its row
 * object lives: the store's row cache (store/catalog.ts) hands out the same
 * object until the catalogue changes, so a repository found again is neither
 * serialised nor encoded again (issue 13: serialising the page of records was
 * about a tenth of an API search, and encoding a 13 KB answer for gzip some
 * 50 µs, at 7,700 repositories).
 */
const recordBytes = new WeakMap<RepositoryRow, Buffer>();

function publicRecordBytes(row: RepositoryRow): Buffer {
  let bytes = recordBytes.get(row);
  if (bytes === undefined) recordBytes.set(row, (bytes = Buffer.from(JSON.stringify(toPublicRepository(row)))));
  return bytes;
}

const comma = Buffer.from(",");

/**
 * JSON.stringify(toSearchResponse(result)) as UTF-8 bytes, byte for byte, put
 * together from each record's cached bytes: only the facets and the few
 * figures around them are serialised and encoded per answer.
 */
export function searchResponseBytes(result: SearchResult): Buffer {
  const response = toSearchResponse({ ...result, items: [] });
  const parts: Buffer[] = [Buffer.from(`{"total":${response.total},"page":${response.page},"per_page":${response.per_page},"items":[`)];
  result.items.forEach((row, i) => {
    if (i > 0) parts.push(comma);
    parts.push(publicRecordBytes(row));
  });
  parts.push(Buffer.from(`],"facets":${facetsJson(result.facets, response.facets)},"unsearchable_query":${response.unsearchable_query}}`));
  return Buffer.concat(parts);
}

/** Bump when searchResponseBytes writes something else from the same inputs: ETags made before then no longer match. */
const searchResponseFormat = "1";

/** Each record's hash, kept while its row object lives (as its JSON above). */
const recordHashes = new WeakMap<RepositoryRow, string>();

function recordHash(row: RepositoryRow): string {
  let hash = recordHashes.get(row);
  if (hash === undefined) recordHashes.set(row, (hash = contentHash(publicRecordBytes(row))));
  return hash;
}

/**
 * Each row's record JSON and hash made ahead (issue 13: with the store's rows
 * warmed after a start or a rebuild, search/engine.ts onRowsWarmed, a fresh
 * search still serialised and hashed each record the first time it showed
 * it, some 0.04 ms of a search at 7,700 repositories).
 */
export function warmPublicRecords(rows: readonly RepositoryRow[]): void {
  for (const row of rows) recordHash(row);
}

/**
 * The ETag of searchResponseBytes(result) without the body (issue 13: hashing
 * some 10 KB of JSON on every answer). The answer is made of the index (its
 * generation: the totals, the order, the facets and their labels), the query
 * as the engine read it (text, filters after owner resolution, sort, page) and
 * the records of the page (each hashed once per row object: a changed row in
 * the store is a new object). Equal in every process serving the same index
 * and store, so a client's If-None-Match holds across web workers.
 */
export function searchResponseEtag(generation: string, query: SearchQuery, result: SearchResult): string {
  const records = result.items.map(recordHash).join(",");
  return `W/"s${searchResponseFormat}-${contentHash(`${generation}\n${JSON.stringify(query)}\n${records}`)}"`;
}

/**
 * The facets' JSON, kept per cached facet record of the index (facetsSource):
 * another page or sort of a search serialises its facets once (issue 13:
 * about 5 KB of JSON, half of an answer). `result` must be the engine's
 * facets as given (the API never changes them).
 */
const facetsJsonCache = new WeakMap<object, string>();

function facetsJson(facets: SearchResult["facets"], renamed: SearchResponse["facets"]): string {
  const source = (facets as { [facetsSource]?: object })[facetsSource];
  if (source === undefined) return JSON.stringify(renamed);
  let json = facetsJsonCache.get(source);
  if (json === undefined) facetsJsonCache.set(source, (json = JSON.stringify(renamed)));
  return json;
}

export function ownerId(host: string, login: string): string {
  return `${host}/${login}`;
}

/** The body's id and name, or nulls when the sources give no usable pso_id. */
function publicBody(psoId: string | null, bodies: PublicBodyDirectory): { public_body: string | null; public_body_name: string | null } {
  if (!psoId || bodies.isUnidentified(psoId)) return { public_body: null, public_body_name: null };
  return { public_body: psoId.toLowerCase(), public_body_name: bodies.body(psoId)?.name ?? null };
}

export interface PublicOwnerSummary {
  id: string;
  host: string;
  login: string;
  /** organization | user | group; null for a namespace seen only through its repositories. */
  kind: string | null;
  name: string | null;
  public_body: string | null;
  public_body_name: string | null;
  /** Live repositories. */
  repositories: number;
  stars: number;
  forks: number;
  last_activity_at: string | null;
}

export interface PublicOwner extends PublicOwnerSummary {
  description: string | null;
  website: string | null;
  location: string | null;
  verified: boolean | null;
  created_at: string | null;
  floss_policy: string | null;
  ospo_url: string | null;
  archived_repositories: number;
  first_seen_at: string | null;
  last_seen_at: string | null;
}

export function toPublicOwnerSummary(owner: OwnerSummary, bodies: PublicBodyDirectory): PublicOwnerSummary {
  return {
    id: ownerId(owner.host, owner.login),
    host: owner.host,
    login: owner.login,
    kind: owner.kind,
    name: owner.name,
    ...publicBody(owner.psoId, bodies),
    repositories: owner.repositories,
    stars: owner.stars,
    forks: owner.forks,
    last_activity_at: owner.lastActivityAt,
  };
}

/** An owner row with its figures; without a row (a GitLab user namespace), what its repositories tell. */
export function toPublicOwner(owner: OwnerRow | { host: string; login: string }, figures: OwnerFigures, bodies: PublicBodyDirectory): PublicOwner {
  const row = "kind" in owner ? owner : null;
  return {
    id: ownerId(owner.host, owner.login),
    host: owner.host,
    login: owner.login,
    kind: row?.kind ?? null,
    name: row?.name ?? null,
    ...publicBody(row?.psoId ?? null, bodies),
    repositories: figures.repositories,
    stars: figures.stars,
    forks: figures.forks,
    last_activity_at: figures.lastActivityAt,
    description: row?.description ?? null,
    website: row?.website ?? null,
    location: row?.location ?? null,
    verified: row?.verified ?? null,
    created_at: row?.createdAt ?? null,
    floss_policy: row?.flossPolicy ?? null,
    ospo_url: row?.ospoUrl ?? null,
    archived_repositories: figures.archived,
    first_seen_at: row?.firstSeenAt ?? null,
    last_seen_at: row?.lastSeenAt ?? null,
  };
}

export interface CountEntry {
  /** null: repositories without a value (no language detected, no licence, no pso_id). */
  value: string | null;
  label?: string;
  count: number;
}

export interface PublicStats {
  repositories: number;
  owners: number;
  forges: number;
  languages: number;
  stars: number;
  archived: number;
  by_language: CountEntry[];
  by_license: CountEntry[];
  by_forge: CountEntry[];
  by_public_body: CountEntry[];
  /** The owners with the most live repositories. */
  by_owner: CountEntry[];
}

export function toPublicStats(
  figures: CatalogueFigures,
  counts: { language: CountRow[]; license: CountRow[]; host: CountRow[]; publicBody: CountRow[]; owners: TopOwnerRow[] },
  bodies: PublicBodyDirectory,
): PublicStats {
  const plain = (rows: CountRow[]): CountEntry[] => rows.map((row) => ({ value: row.value, count: row.count }));
  // Placeholder ids ("no id known") count as no public body.
  const byBody = new Map<string | null, number>();
  for (const row of counts.publicBody) {
    const id = row.value && !bodies.isUnidentified(row.value) ? row.value : null;
    byBody.set(id, (byBody.get(id) ?? 0) + row.count);
  }
  return {
    ...figures,
    by_language: plain(counts.language),
    by_license: plain(counts.license),
    by_forge: plain(counts.host),
    by_public_body: [...byBody]
      .map(([value, count]) => {
        const label = value ? bodies.body(value)?.name : undefined;
        return label ? { value, label, count } : { value, count };
      })
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value))),
    by_owner: counts.owners.map((owner) => (owner.name ? { value: ownerId(owner.host, owner.login), label: owner.name, count: owner.repositories } : { value: ownerId(owner.host, owner.login), count: owner.repositories })),
  };
}

/** Why a repository is similar, as its catalogue page says it: in the API's answer and the MCP tool's. */
export interface PublicSimilarity {
  /** Topics both have, as the similar one writes them. */
  shared_topics: string[];
  /** Words of its name or description that the repository also has (same stem). */
  shared_words: string[];
}

export function toPublicSimilarity(reasons: SimilarityReasons): PublicSimilarity {
  return { shared_topics: reasons.sharedTopics, shared_words: reasons.sharedWords };
}

/** A similar repository: the public record and why it is similar. */
export interface PublicSimilarRepository extends PublicRepository, PublicSimilarity {}

export interface PublicSimilarRepositories {
  repository: string;
  items: PublicSimilarRepository[];
}

/** GET /repositories/{id}/similar: the repository page's similar repositories, best first, each with why. */
export function toPublicSimilar(row: RepositoryRow, matches: readonly SimilarMatch[]): PublicSimilarRepositories {
  return {
    repository: repositoryId(row.host, row.fullName),
    // Onto the fresh record (a spread followed by properties is slow on Node 20: see toRepositoryPage).
    items: matches.map(({ row: item, reasons }) => Object.assign(toPublicRepository(item), toPublicSimilarity(reasons))),
  };
}
