// Untrusted text in q: lunr's query syntax, broken quotes, huge or binary
// strings. Any of it is a plain search: never an exception, never a 500.
import { expect } from "chai";
import { maxQueryTerms } from "../../src/search/searchIndex.ts";
import { ids, query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

const hostile = [
  "*", "+", "-", "~", ":", "^", "\"", "'", "\\", "*:*", "name:udata", "title:", "udata~2", "udata^10", "+udata -front", "-udata",
  "\"unbalanced quote", "udata\"", "((((", "[a TO z]", "{}", "udata*", "*udata", "u*a", "%", "%00", "' OR 1=1 --", "'; DROP TABLE repositories; --",
  "\u0000", "\u0000\u0001\u001f\u007f", "udata\u0000front", "\ud800", "\udfff\ud800", "🙂", "données 🙂 ouvertes", "مرحبا", "\u202eudata", "   ", "\n\t\r",
  "a".repeat(10_000), "données ".repeat(1_500), Array.from({ length: 2_000 }, (_, i) => `mot${i}`).join(" "), "é".repeat(5_000), "<script>alert(1)</script>",
];

describe("hostile search text", () => {
  let fixture: SearchFixture;
  before(async () => {
    fixture = await searchFixture();
  });
  after(() => fixture.close());

  for (const q of hostile) {
    it(`searches ${JSON.stringify(q.length > 40 ? `${q.slice(0, 40)}… (${q.length} characters)` : q)} without failing`, () => {
      const result = fixture.engine.search(query(q, {}, { perPage: 10 }));
      expect(result.total).to.be.a("number").and.at.least(0);
      expect(result.items.length).to.be.at.most(10);
      for (const name of ["language", "topic", "hasLicense"] as const) expect(result.facets[name]).to.be.an("array");
    });
  }

  it("reads query syntax as plain separators", () => {
    const plain = ids(fixture.engine.search(query("udata front")).items);
    for (const q of ["+udata -front", "udata^ front~", "\"udata front", "udata:front", "(udata) [front]", "*udata* ~front"]) {
      expect(ids(fixture.engine.search(query(q)).items), q).to.deep.equal(plain);
    }
    expect(ids(fixture.engine.search(query("udata*")).items)[0]).to.equal("github.com/etalab/udata");
  });

  it("keeps only the first words of a very long text", () => {
    const long = Array.from({ length: 2_000 }, (_, i) => `mot${i}`).join(" ");
    expect(fixture.engine.current.queryTerms(long)).to.have.length(maxQueryTerms);
  });

  it("searches nothing for a text without searchable words, and says so (issue 14)", () => {
    for (const q of ["le la les des", "the of and", "***", "\u0000", "🚀", "🚀 日本", "👍🏽"]) {
      const result = fixture.engine.search(query(q, {}, { perPage: 5 }));
      expect([result.total, result.items.length, result.unsearchable], q).to.deep.equal([0, 0, true]);
      expect(fixture.engine.allMatches({ q, filters: {}, sort: "relevance" }), q).to.deep.equal([]);
    }
    // An empty text is no text: every repository.
    const all = fixture.engine.search(query("", {}, { perPage: 5 }));
    expect([all.total > 0, all.unsearchable]).to.deep.equal([true, undefined]);
    expect(fixture.engine.search(query("udata 🚀", {}, { perPage: 5 })).total).to.be.greaterThan(0);
  });
});
