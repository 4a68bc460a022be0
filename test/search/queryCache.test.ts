// The matches and facets of a query kept for its other pages and sorts
// (issue 13): whatever was asked before, a page reads as from a fresh index.
import { expect } from "chai";
import { SearchIndex } from "../../src/search/searchIndex.ts";
import { sortKeys, type SearchFilters, type SearchQuery } from "../../src/search/types.ts";
import { query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

describe("search: a query's matches shared by its pages and sorts", () => {
  let fixture: SearchFixture;
  before(async () => (fixture = await searchFixture()));
  after(() => fixture.close());

  const searches: [string, SearchFilters][] = [
    ["", {}],
    ["", { language: ["Python"] }],
    ["", { language: ["JavaScript"] }],
    ["données", {}],
    ["données", { archived: false }],
    ["données", { hasLicense: true, archived: false }],
    ["gestion", { topic: ["open-data"] }],
    ["udata", {}],
    ["Udata", {}],
  ];

  it("gives every page, sort and facet as an index asked nothing before", () => {
    const asked: SearchQuery[] = [];
    for (const [q, filters] of searches) for (const sort of sortKeys) for (const page of [1, 2, 3]) asked.push(query(q, filters, { sort, page, perPage: 4 }));
    // Interleaved, twice: each query meets the kept matches of the others and its own.
    const order = [...asked.map((_, i) => (i * 7) % asked.length), ...asked.map((_, i) => asked.length - 1 - i)];
    const shared = fixture.engine.current;
    for (const i of order) {
      const fresh = new SearchIndex(shared.data).run(asked[i]!);
      const again = shared.run(asked[i]!);
      expect(again, JSON.stringify(asked[i])).to.deep.equal(fresh);
    }
  });

  it("hands each caller its own facet lists", () => {
    const shared = fixture.engine.current;
    const first = shared.run(query("", {}));
    first.facets.language.push({ value: "Added by a caller", count: 1 });
    expect(shared.run(query("", {})).facets.language.map((value) => value.value)).not.to.include("Added by a caller");
  });
});
