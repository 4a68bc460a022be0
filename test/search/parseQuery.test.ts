import { expect } from "chai";
import { parsePage, parseSearchQuery } from "../../src/search/parseQuery.ts";
import { HttpError } from "../../src/web/errors.ts";

function refusal(query: Record<string, unknown>): HttpError {
  try {
    parseSearchQuery(query);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe("query string → SearchQuery", () => {
  it("has defaults: every repository, by relevance, page 1 of 20, ten values a facet", () => {
    expect(parseSearchQuery({})).to.deep.equal({ q: "", filters: {}, sort: "relevance", page: 1, perPage: 20, facetLimit: 10 });
  });

  // Issue 13: fifty values a facet by default made facets half of an answer.
  it("reads facet_limit from 1 to the engine's limit", () => {
    expect(parseSearchQuery({ facet_limit: "1" }).facetLimit).to.equal(1);
    expect(parseSearchQuery({ facet_limit: "50" }).facetLimit).to.equal(50);
  });

  it("reads list filters repeated or comma-separated, trimmed and without duplicates", () => {
    const parsed = parseSearchQuery({ language: ["Python", "Go, Rust"], license: "MIT,,MIT", public_body: " abc ", owner: "gitlab.com/a/b", topic: "x", host: "github.com" });
    expect(parsed.filters).to.deep.equal({ language: ["Python", "Go", "Rust"], license: ["MIT"], publicBody: ["abc"], owner: ["gitlab.com/a/b"], topic: ["x"], host: ["github.com"] });
  });

  it("reads booleans, dates, sort and pages", () => {
    const parsed = parseSearchQuery({ archived: "false", fork: "1", has_license: "true", active_since: "2024-02-29", sort: "stars", page: "3", per_page: "100" });
    expect(parsed.filters).to.deep.equal({ archived: false, fork: true, hasLicense: true, activeSince: "2024-02-29T00:00:00.000Z" });
    expect([parsed.sort, parsed.page, parsed.perPage]).to.deep.equal(["stars", 3, 100]);
    expect(parseSearchQuery({ active_since: "2024-02-29T10:00:00+02:00" }).filters.activeSince).to.equal("2024-02-29T08:00:00.000Z");
  });

  it("never refuses q: repeated, it is one text", () => {
    expect(parseSearchQuery({ q: ["a", "b"] }).q).to.equal("a b");
    expect(parseSearchQuery({ q: "x".repeat(10_000) }).q).to.have.length(10_000);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown sort", { sort: "popularity" }, /^sort must be one of relevance, stars, forks, activity, name, reuse$/],
    ["a sort given twice", { sort: ["stars", "forks"] }, /sort must be given once/],
    ["page 0", { page: "0" }, /^page must be a whole number from 1 to/],
    ["a negative page", { page: "-1" }, /^page/],
    ["a fractional page", { page: "1.5" }, /^page/],
    ["per_page 1000", { per_page: "1000" }, /^per_page must be a whole number from 1 to 100$/],
    ["per_page 0", { per_page: "0" }, /^per_page/],
    ["per_page abc", { per_page: "abc" }, /^per_page/],
    ["facet_limit 0", { facet_limit: "0" }, /^facet_limit must be a whole number from 1 to 50$/],
    ["facet_limit 51", { facet_limit: "51" }, /^facet_limit must be a whole number from 1 to 50$/],
    ["facet_limit given twice", { facet_limit: ["5", "6"] }, /^facet_limit must be given once/],
    ["a page beyond 100,000 results", { page: "5001", per_page: "20" }, /^page must be a whole number from 1 to 5000$/],
    ["a date that is not one", { active_since: "yesterday" }, /^active_since must be a date/],
    ["a date that does not exist", { active_since: "2023-02-29" }, /^active_since/],
    ["a month 13", { active_since: "2024-13-01" }, /^active_since/],
    ["a boolean that is not one", { archived: "maybe" }, /^archived must be true or false$/],
    ["too many values", { language: Array.from({ length: 51 }, (_, i) => `l${i}`) }, /^language takes at most 50 values$/],
    ["a value too long", { topic: "t".repeat(301) }, /^a value of topic is longer than 300 characters$/],
  ];
  for (const [what, query, message] of invalid) {
    it(`refuses ${what} with 400 invalid_parameter`, () => {
      const error = refusal(query);
      expect([error.status, error.reason]).to.deep.equal([400, "invalid_parameter"]);
      expect(error.message).to.match(message);
    });
  }

  it("parses pages alone for the other lists", () => {
    expect(parsePage({ page: "2", per_page: "50" })).to.deep.equal({ page: 2, perPage: 50 });
  });
});
