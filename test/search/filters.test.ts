// Filters, facets, sorts and pages checked against a brute-force computation
// over the fixture rows: the engine's typed-array code against plain loops.
import { expect } from "chai";
import { createAnalyzer, words } from "../../src/search/analyzer.ts";
import { searchTexts } from "../../src/search/buildIndex.ts";
import { facetValueLimit } from "../../src/search/searchIndex.ts";
import { facetNames, sortKeys, type FacetName, type SearchFilters, type SortKey } from "../../src/search/types.ts";
import { iterateLiveRepositories, type RepositoryRow } from "../../src/store/catalog.ts";
import { bodies, fixtureRepositories } from "../fixtures/catalogue.ts";
import { ids, publicBodies, query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

const analyzer = createAnalyzer();

/** Does the row contain every query term, in any field? Straight from the analyzer, no index. */
function matchesText(row: RepositoryRow, q: string): boolean {
  const terms = analyzer.queryTerms(q, 32);
  if (terms.length === 0) return true;
  const { doc: _doc, ...texts } = searchTexts(row, 0, publicBodies);
  const have = new Set(Object.values(texts).flatMap((text) => words(text, "index").map((word) => analyzer.term(word))));
  return terms.every((term) => have.has(term));
}

const lower = (values: string[] | undefined) => values?.map((value) => value.toLowerCase());
const booleanFacets: readonly FacetName[] = ["archived", "fork", "hasLicense", "hasPubliccode", "publiccodeValid", "reused"];
const activity = (row: RepositoryRow) => Date.parse(row.pushedAt ?? row.updatedAt ?? "");
const psoId = (row: RepositoryRow) => (row.psoId && !publicBodies.isUnidentified(row.psoId) ? row.psoId.toLowerCase() : null);

/** The values a row has for a facet (topics: several). */
function facetValues(row: RepositoryRow, facet: FacetName): string[] {
  switch (facet) {
    case "language":
      return row.language ? [row.language] : [];
    case "license":
      return row.license ? [row.license] : [];
    case "host":
      return [row.host];
    case "owner":
      return [`${row.host}/${row.owner}`];
    case "publicBody":
      return psoId(row) ? [psoId(row)!] : [];
    case "topic":
      return row.topics;
    case "archived":
      return [String(row.archived)];
    case "fork":
      return [String(row.fork)];
    case "hasLicense":
      return [String(row.license !== null)];
    // issue 9: these rows have no profile
    case "hasPubliccode":
      return ["false"];
    // issue 10: from the reuse graph the fixture rebuilds
    case "reused":
      return [String((row.reusedByCount ?? 0) > 0)];
    case "publiccodeValid":
    case "category":
    case "developmentStatus":
    case "softwareType":
      return [];
  }
}

/** Does the row pass the filter of `facet` (true when there is none)? */
function passes(row: RepositoryRow, facet: FacetName, filters: SearchFilters): boolean {
  const wanted = booleanFacets.includes(facet) ? (filters[facet] as boolean | undefined) : lower(filters[facet] as string[] | undefined);
  if (wanted === undefined) return true;
  if (typeof wanted === "boolean") return facetValues(row, facet)[0] === String(wanted);
  return facetValues(row, facet).some((value) => wanted.includes(value.toLowerCase()));
}

function bruteForce(rows: RepositoryRow[], q: string, filters: SearchFilters) {
  const since = filters.activeSince ? Date.parse(filters.activeSince) : null;
  const candidates = rows.filter((row) => matchesText(row, q) && (since === null || activity(row) >= since));
  const results = candidates.filter((row) => facetNames.every((facet) => passes(row, facet, filters)));
  const facets = {} as Record<FacetName, Map<string, number>>;
  for (const facet of facetNames) {
    const counts = new Map<string, number>();
    // The faceted-search rule: a facet counts the rows passing every filter but its own.
    for (const row of candidates.filter((r) => facetNames.every((other) => other === facet || passes(r, other, filters)))) {
      for (const value of new Set(facetValues(row, facet).map((v) => v.toLowerCase()))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    facets[facet] = counts;
  }
  return { results, facets };
}

const scenarios: { q: string; filters: SearchFilters }[] = [];
const filterSets: SearchFilters[] = [
  {},
  { language: ["Python"] },
  { language: ["python", "TypeScript"], license: ["MIT"] },
  { host: ["gitlab.com"], archived: false },
  { topic: ["open-data", "api"] },
  { fork: true },
  { reused: true },
  { reused: false, language: ["Python"] },
  { hasLicense: false },
  { activeSince: "2025-01-01T00:00:00.000Z" },
  { publicBody: [bodies.primeMinister, bodies.anct] },
  { owner: ["github.com/etalab", "gitlab.com/incubateur-territoires/communs"] },
  { language: ["COBOL"] },
  { language: ["Python", "Ruby"], license: ["AGPL-3.0", "MIT"], host: ["github.com"], archived: false, fork: false, hasLicense: true, activeSince: "2024-06-01T00:00:00.000Z", topic: ["api", "collectivites", "python"] },
];
for (const q of ["", "gestion", "données", "api", "suivi factures"]) for (const filters of filterSets) scenarios.push({ q, filters });

const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });
const sortValue: Record<Exclude<SortKey, "relevance">, (row: RepositoryRow) => number> = {
  stars: (row) => row.stars,
  forks: (row) => row.forks,
  activity: (row) => (Number.isNaN(activity(row)) ? -Infinity : activity(row)),
  name: () => 0,
  reuse: (row) => row.reuseScore ?? 0,
};

describe("search filters, facets, sorts and pages", () => {
  let fixture: SearchFixture;
  let rows: RepositoryRow[];
  before(async () => {
    fixture = await searchFixture();
    rows = [...iterateLiveRepositories(fixture.db)];
  });
  after(() => fixture.close());

  it("indexes every live repository and no removed one", () => {
    expect(rows.length).to.equal(fixtureRepositories.filter((repository) => !repository.removed).length);
    expect(fixture.engine.search(query("")).total).to.equal(rows.length);
    // "ancien" is only in a removed repository's description.
    expect(fixture.engine.search(query("ancien")).total).to.equal(0);
    expect(fixture.engine.search(query("", { owner: ["github.com/betagouv"] }, { perPage: 100 })).items.map((row) => row.name)).not.to.include("secret-project");
  });

  for (const { q, filters } of scenarios) {
    it(`q="${q}" ${JSON.stringify(filters)}`, () => {
      const expected = bruteForce(rows, q, filters);
      const result = fixture.engine.search(query(q, filters, { perPage: 100 }));
      expect(result.total, "total").to.equal(expected.results.length);
      const rest = [2, 3, 4].flatMap((page) => fixture.engine.search(query(q, filters, { page, perPage: 100 })).items);
      expect(ids([...result.items, ...rest])).to.have.members(ids(expected.results));

      for (const facet of facetNames) {
        const want = expected.facets[facet];
        const got = result.facets[facet];
        const selected = new Set(booleanFacets.includes(facet) ? (filters[facet] === undefined ? [] : [String(filters[facet])]) : lower(filters[facet] as string[] | undefined) ?? []);
        for (const { value, count } of got) expect(count, `${facet}=${value}`).to.equal(want.get(value.toLowerCase()) ?? 0);
        const listed = new Set(got.map((entry) => entry.value.toLowerCase()));
        for (const value of selected) expect(listed.has(value), `selected ${facet}=${value} is listed`).to.equal(true);
        const counted = got.filter((entry) => entry.count > 0);
        if (want.size <= facetValueLimit) {
          expect(counted.map((entry) => entry.value.toLowerCase()), `${facet} values`).to.have.members([...want.keys()]);
        } else {
          // The most frequent values: none left out counts more than the least listed.
          const least = Math.min(...counted.map((entry) => entry.count));
          for (const [value, count] of want) if (!listed.has(value)) expect(count, `${facet}=${value} left out`).to.be.at.most(least);
        }
        expect(got.map((entry) => entry.count), `${facet} ordered by count`).to.deep.equal(got.map((entry) => entry.count).sort((a, b) => b - a));
      }
    });
  }

  for (const sort of sortKeys) {
    it(`pages through every result sorted by ${sort}, without gaps or repeats`, () => {
      const filters: SearchFilters = { archived: false };
      const perPage = 7;
      const all: RepositoryRow[] = [];
      const first = fixture.engine.search(query("", filters, { sort, perPage }));
      for (let page = 1; page <= Math.ceil(first.total / perPage); page++) {
        const result = fixture.engine.search(query("", filters, { sort, page, perPage }));
        expect(result.items.length).to.equal(Math.min(perPage, first.total - (page - 1) * perPage));
        all.push(...result.items);
      }
      expect(new Set(ids(all)).size).to.equal(first.total);
      expect(ids(all)).to.have.members(ids(bruteForce(rows, "", filters).results));
      expect(fixture.engine.search(query("", filters, { sort, page: Math.ceil(first.total / perPage) + 1, perPage })).items).to.deep.equal([]);
      if (sort !== "relevance") {
        for (let i = 1; i < all.length; i++) {
          const [before, after] = [all[i - 1]!, all[i]!];
          const [x, y] = [sortValue[sort](after), sortValue[sort](before)];
          const order = sort === "name" ? collator.compare(before.name, after.name) : x > y ? 1 : x < y ? -1 : 0;
          expect(order, `${before.fullName} before ${after.fullName} by ${sort}`).to.be.at.most(0);
        }
      }
    });

    it(`sorts text matches by ${sort} the same way, page by page`, () => {
      const whole = ids(fixture.engine.search(query("gestion", {}, { sort, perPage: 100 })).items);
      const paged = [1, 2, 3, 4, 5, 6].flatMap((page) => ids(fixture.engine.search(query("gestion", {}, { sort, page, perPage: 5 })).items));
      expect(paged).to.deep.equal(whole.slice(0, paged.length));
    });
  }

  it("counts a facet without its own filter, so the other values stay visible", () => {
    const result = fixture.engine.search(query("", { language: ["Python"] }));
    const language = new Map(result.facets.language.map((entry) => [entry.value, entry.count]));
    expect(language.get("Python")).to.equal(result.total);
    expect(language.get("TypeScript")).to.equal(rows.filter((row) => row.language === "TypeScript").length);
    // Other facets count Python repositories only.
    const licences = result.facets.license.reduce((sum, entry) => sum + entry.count, 0);
    expect(licences).to.equal(rows.filter((row) => row.language === "Python" && row.license !== null).length);
  });

  it("names public bodies and owners in their facets", () => {
    const result = fixture.engine.search(query("", { publicBody: [bodies.unlisted] }));
    const byId = new Map(result.facets.publicBody.map((entry) => [entry.value, entry]));
    expect(byId.get(bodies.armedForces)?.label).to.equal("Ministère des Armées");
    expect(byId.get(bodies.unlisted)?.label).to.equal(undefined);
    expect(byId.has(bodies.placeholder), "the placeholder id is no public body").to.equal(false);
    const etalab = fixture.engine.search(query("")).facets.owner.find((entry) => entry.value === "github.com/etalab");
    expect(etalab).to.deep.equal({ value: "github.com/etalab", label: "Etalab", count: rows.filter((row) => row.owner === "etalab").length });
  });

  it("lists a selected value that matches nothing, with a count of 0", () => {
    const result = fixture.engine.search(query("", { language: ["COBOL"], topic: ["nothing-like-it"] }));
    expect(result.total).to.equal(0);
    expect(result.facets.language).to.deep.include({ value: "COBOL", count: 0 });
    expect(result.facets.topic).to.deep.include({ value: "nothing-like-it", count: 0 });
  });

  // facets: false (the similar repositories of a repository page) skips the counting only.
  for (const [q, filters, sort] of [
    ["", { topic: ["open-data", "opendata"], archived: false }, "stars"],
    ["", { language: ["Python"] }, "activity"],
    ["gestion", { hasLicense: true }, "relevance"],
    ["", {}, "name"],
  ] as [string, SearchFilters, SortKey][]) {
    it(`gives the same total and items without facets: q="${q}" ${JSON.stringify(filters)}`, () => {
      for (const page of [1, 2]) {
        const counted = fixture.engine.search(query(q, filters, { sort, page, perPage: 7 }));
        const uncounted = fixture.engine.search(query(q, filters, { sort, page, perPage: 7, facets: false }));
        expect(uncounted.total).to.equal(counted.total);
        expect(ids(uncounted.items)).to.deep.equal(ids(counted.items));
        for (const facet of facetNames) expect(uncounted.facets[facet], facet).to.deep.equal([]);
      }
    });
  }
});
