// The contract of the search engine, shared by the JSON API and the pages.
import type { RepositoryRow } from "../store/catalog.ts";

// issue 10: "reuse" sorts by reuse score, highest first.
export const sortKeys = ["relevance", "stars", "forks", "activity", "name", "reuse"] as const;
export type SortKey = (typeof sortKeys)[number];

/** Filters with several values match any of them (OR within a filter, AND across filters). */
export interface SearchFilters {
  language?: string[];
  license?: string[];
  /** Forge host, e.g. "github.com". */
  host?: string[];
  /** Owner id "<host>/<login>". */
  owner?: string[];
  /** Public body: the pso_id of the owner in the sources. */
  publicBody?: string[];
  topic?: string[];
  archived?: boolean;
  fork?: boolean;
  hasLicense?: boolean;
  /** ISO date: pushed (or updated) on or after it. */
  activeSince?: string;
  // issue 9: from the repository's profile
  hasPubliccode?: boolean;
  /** Only repositories with a publiccode.yml pass either value. */
  publiccodeValid?: boolean;
  /** publiccode.yml categories, lower-cased. */
  category?: string[];
  developmentStatus?: string[];
  softwareType?: string[];
  // issue 10
  /** true: reused by at least one other public body (reused_by_count > 0: forks, dependents, isBasedOn by another body, or publiccode.yml usedBy names). */
  reused?: boolean;
}

export const facetNames = [
  "language", "license", "host", "owner", "publicBody", "topic", "archived", "fork", "hasLicense",
  // issue 9
  "hasPubliccode", "publiccodeValid", "category", "developmentStatus", "softwareType",
  // issue 10
  "reused",
] as const;
export type FacetName = (typeof facetNames)[number];

export interface FacetValue {
  value: string;
  /** A human name for the value when it has one: the owner's name, the public body's name. */
  label?: string;
  count: number;
}

export interface SearchQuery {
  /** Free text, untrusted: any input degrades to a plain search, never an error. */
  q: string;
  filters: SearchFilters;
  sort: SortKey;
  /** 1-based. */
  page: number;
  /** At most 100. */
  perPage: number;
  /**
   * false: the caller shows no facets, so they are not counted and every facet
   * of the result is empty (total and items are unchanged). Counting them is
   * most of the cost of a query filtering the whole catalogue, such as the
   * similar repositories of a repository page. Default true.
   */
  facets?: boolean;
  /**
   * "any": a repository matching any word of q is a result, ranked by the sum
   * of its words' weights, as when no repository has them all. For "more like
   * this" queries made of a repository's own words (similar repositories),
   * which only that repository would match in full. Default "all".
   */
  match?: "all" | "any";
  /**
   * Values listed per facet, most frequent first, from 1 to facetValueLimit
   * (default facetValueLimit), besides the selected values, which are always
   * listed. The API lists 10 unless asked for more (issue 13: half of an
   * answer's bytes were facet values few clients read).
   */
  facetLimit?: number;
}

export interface SearchResult {
  total: number;
  page: number;
  perPage: number;
  items: RepositoryRow[];
  /**
   * Counts for every filter's values over the current result set, except that a
   * facet ignores its own filter (the faceted-search convention): with
   * language=Python, the language facet still counts Java, Go... among the
   * repositories that pass the other filters, so a user sees what switching or
   * adding a value gives. The values a filter selects are always listed.
   */
  facets: Record<FacetName, FacetValue[]>;
  /**
   * true when q had text but not one word the index could search for (emoji,
   * a script the analyser does not index, only stop words): nothing was
   * searched, the result is empty, and pages and the API say so.
   */
  unsearchable?: boolean;
}

export interface SearchEngine {
  /** Changes with every index swap: a key for caches and ETags of what derives from the index. */
  readonly generation: string;
  search(query: SearchQuery): SearchResult;
  /**
   * The store keys (pk) of every repository matching the query, in its sort
   * order, without facets or pages: what a filtered export streams.
   */
  allMatches(query: Omit<SearchQuery, "page" | "perPage">): number[];
  /** Rebuilds from the store (after a harvest), persists, then swaps atomically. */
  rebuild(): Promise<void>;
  /**
   * The first `limit` items of search({ q, filters, match: "any", sort:
   * "relevance", page: 1, perPage: limit, facets: false }), without the total:
   * "more like this" (src/search/similar.ts), which an index answers without
   * walking every posting of the text's words (issue 13). Optional: without
   * it, findSimilar asks search().
   */
  moreLikeThis?(q: string, filters: SearchFilters, limit: number): RepositoryRow[];
  /**
   * The similar repositories stored in the index for this repository at its
   * build, with their reasons (issue 13: findSimilar's answer, worked out once
   * per repository and build); null when the repository is not in the index
   * (new since). Optional.
   */
  storedSimilar?(row: RepositoryRow): SimilarMatch[] | null;
}

/** Why a repository resembles another (src/search/similar.ts similarityReasons): at most four in all, topics first. */
export interface SimilarityReasons {
  /** Topics both have, as the similar one writes them. */
  sharedTopics: string[];
  /** Words of the similar one's name or description whose index term the repository also has. */
  sharedWords: string[];
}

/** A similar repository and why it is similar. */
export interface SimilarMatch {
  row: RepositoryRow;
  reasons: SimilarityReasons;
}
