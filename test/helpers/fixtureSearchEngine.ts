// A plain SearchEngine over the store for page tests: it scans every live
// repository on each query. It follows the contract of src/search/types.ts
// (filters OR within, AND across; a facet counts over the results of the
// other filters; selected values always listed) so the pages can be tested
// apart from the real index.
import { iterateLiveRepositories, type RepositoryRow } from "../../src/store/catalog.ts";
import type { Db } from "../../src/store/database.ts";
import { facetNames, type FacetName, type FacetValue, type SearchEngine, type SearchQuery, type SearchResult } from "../../src/search/types.ts";

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function facetValues(row: RepositoryRow, facet: FacetName): string[] {
  switch (facet) {
    case "language": return row.language ? [row.language] : [];
    case "license": return row.license ? [row.license] : [];
    case "host": return [row.host];
    case "owner": return [`${row.host}/${row.owner}`];
    case "publicBody": return row.psoId ? [row.psoId.toLowerCase()] : [];
    case "topic": return row.topics;
    case "archived": return [String(row.archived)];
    case "fork": return [String(row.fork)];
    case "hasLicense": return [String(row.license !== null)];
    // issue 9: the profile's publiccode.yml (categories and the like are not in the row)
    case "hasPubliccode": return [String(row.hasPubliccode === true)];
    case "publiccodeValid": return row.publiccodeValid === null || row.publiccodeValid === undefined ? [] : [String(row.publiccodeValid)];
    case "category": case "developmentStatus": case "softwareType": return [];
    // issue 10
    case "reused": return [String((row.reusedByCount ?? 0) > 0)];
  }
}

function matches(row: RepositoryRow, query: SearchQuery): boolean {
  const { filters } = query;
  const anyOf = (facet: FacetName, wanted: string[] | undefined) =>
    !wanted || wanted.length === 0 || facetValues(row, facet).some((value) => wanted.some((w) => w.toLowerCase() === value.toLowerCase()));
  if (!anyOf("language", filters.language) || !anyOf("license", filters.license) || !anyOf("host", filters.host)) return false;
  if (!anyOf("owner", filters.owner) || !anyOf("publicBody", filters.publicBody) || !anyOf("topic", filters.topic)) return false;
  if (filters.archived !== undefined && row.archived !== filters.archived) return false;
  if (filters.fork !== undefined && row.fork !== filters.fork) return false;
  if (filters.hasLicense !== undefined && (row.license !== null) !== filters.hasLicense) return false;
  if (filters.hasPubliccode !== undefined && (row.hasPubliccode === true) !== filters.hasPubliccode) return false;
  if (filters.publiccodeValid !== undefined && row.publiccodeValid !== filters.publiccodeValid) return false;
  if (filters.reused !== undefined && ((row.reusedByCount ?? 0) > 0) !== filters.reused) return false;
  if (!anyOf("category", filters.category) || !anyOf("developmentStatus", filters.developmentStatus) || !anyOf("softwareType", filters.softwareType)) return false;
  if (filters.activeSince && (row.pushedAt ?? row.updatedAt ?? "") < filters.activeSince) return false;
  const text = fold([row.fullName, row.description ?? "", row.topics.join(" "), row.owner].join(" "));
  const words = fold(query.q).split(/\s+/).filter(Boolean);
  // match "any" (similar repositories): one word is enough; words of three letters or fewer are noise here.
  if (query.match === "any") return words.some((word) => word.length > 3 && text.includes(word));
  return words.every((word) => text.includes(word));
}

/** The query without the filter of a facet: what that facet counts over. */
function withoutFilter(query: SearchQuery, facet: FacetName): SearchQuery {
  const filters = { ...query.filters };
  delete filters[facet];
  return { ...query, filters };
}

function selectedValues(query: SearchQuery, facet: FacetName): string[] {
  const value = query.filters[facet];
  return Array.isArray(value) ? value : value === undefined ? [] : [String(value)];
}

export function fixtureSearchEngine(db: Db): SearchEngine & { queries: SearchQuery[] } {
  const queries: SearchQuery[] = [];
  return {
    queries,
    generation: "fixture",
    search(query: SearchQuery): SearchResult {
      queries.push(query);
      const rows = [...iterateLiveRepositories(db)];
      const found = rows.filter((row) => matches(row, query));
      const activity = (row: RepositoryRow) => row.pushedAt ?? row.updatedAt ?? "";
      const order: Record<SearchQuery["sort"], (a: RepositoryRow, b: RepositoryRow) => number> = {
        relevance: (a, b) => Number(fold(b.name).includes(fold(query.q))) - Number(fold(a.name).includes(fold(query.q))) || b.stars - a.stars,
        stars: (a, b) => b.stars - a.stars || a.pk - b.pk,
        forks: (a, b) => b.forks - a.forks || a.pk - b.pk,
        activity: (a, b) => activity(b).localeCompare(activity(a)) || a.pk - b.pk,
        name: (a, b) => a.name.localeCompare(b.name) || a.pk - b.pk,
        reuse: (a, b) => (b.reuseScore ?? 0) - (a.reuseScore ?? 0) || a.pk - b.pk,
      };
      found.sort(order[query.sort]);
      const facets = Object.fromEntries(
        facetNames.map((facet) => {
          const counts = new Map<string, number>(selectedValues(query, facet).map((value) => [value, 0]));
          const base = withoutFilter(query, facet);
          for (const row of rows) {
            if (matches(row, base)) for (const value of facetValues(row, facet)) counts.set(value, (counts.get(value) ?? 0) + 1);
          }
          const values: FacetValue[] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
          return [facet, values];
        }),
      ) as Record<FacetName, FacetValue[]>;
      const start = (query.page - 1) * query.perPage;
      return { total: found.length, page: query.page, perPage: query.perPage, items: found.slice(start, start + query.perPage), facets };
    },
    allMatches(query) {
      return this.search({ ...query, page: 1, perPage: Number.MAX_SAFE_INTEGER }).items.map((row) => row.pk);
    },
    rebuild: async () => {},
  };
}
