// GET /api/v1/repositories and /api/v1/repositories/{id}, through real HTTP.
import { expect } from "chai";
import { publicRepositoryFields } from "../../src/records/repository.ts";
import { parseSearchQuery } from "../../src/search/parseQuery.ts";
import { searchResponseBytes, toSearchResponse } from "../../src/web/api/present.ts";
import { bodies } from "../fixtures/catalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";

interface SearchBody {
  total: number;
  page: number;
  per_page: number;
  items: Record<string, unknown>[];
  facets: Record<string, { value: string; label?: string; count: number }[]>;
  unsearchable_query: boolean;
}

/** The bytes the API sends for a result, as text. */
const searchText = (result: Parameters<typeof searchResponseBytes>[0]) => searchResponseBytes(result).toString("utf8");

describe("API: repositories", () => {
  const served = servedFixture();

  const get = (path: string) => fetch(`${served.app.url}${path}`);
  const search = async (queryString: string): Promise<SearchBody> => {
    const response = await get(`/api/v1/repositories?${queryString}`);
    expect(response.status, queryString).to.equal(200);
    return (await response.json()) as SearchBody;
  };

  it("answers total, page, per_page, items in the public record shape, and facets named like the parameters", async () => {
    const body = await search("q=udata&per_page=2");
    expect(Object.keys(body)).to.deep.equal(["total", "page", "per_page", "items", "facets", "unsearchable_query"]);
    expect(body.unsearchable_query).to.equal(false);
    expect([body.total, body.page, body.per_page]).to.deep.equal([3, 1, 2]);
    expect(body.items.map((item) => item.id)).to.deep.equal(["github.com/etalab/udata", "github.com/etalab/udata-front"]);
    for (const item of body.items) expect(Object.keys(item)).to.deep.equal([...publicRepositoryFields]);
    expect(Object.keys(body.facets)).to.deep.equal([
      "language", "license", "host", "owner", "public_body", "topic", "archived", "fork", "has_license",
      "has_publiccode", "publiccode_valid", "category", "development_status", "software_type", // issue 9
      "reused", // issue 10
    ]);
  });

  it("answers what the engine answers, for the same query string", async () => {
    const queryString = "q=données&language=Python&has_license=true&sort=stars&per_page=5";
    const body = await search(encodeURI(queryString));
    const direct = served.fixture.engine.search(parseSearchQuery(Object.fromEntries(new URLSearchParams(queryString))));
    expect(body.total).to.equal(direct.total);
    expect(body.items.map((item) => item.id)).to.deep.equal(direct.items.map((row) => `${row.host}/${row.fullName}`));
    expect(body.facets.has_license).to.deep.equal(direct.facets.hasLicense);
  });

  // Issue 13: the answer is assembled from each record's cached JSON; it must stay the presenter's, byte for byte.
  it("writes exactly the JSON of toSearchResponse, from cached records or not", () => {
    // Issue 13: the facets are written from cached value prefixes too: labelled values, and a selected value the index lacks, with characters JSON escapes.
    const unknown = encodeURIComponent('Py"th\\on\u2028é');
    const queries = ["q=données&per_page=50", "q=udata&per_page=2", "language=Python&sort=stars", "q=🙂", "q=zzzznothing", "page=2&per_page=3", `public_body=${bodies.armedForces}`, `language=${unknown}&topic=${unknown}`];
    for (const queryString of queries) {
      const result = served.fixture.engine.search(parseSearchQuery(Object.fromEntries(new URLSearchParams(queryString))));
      const expected = JSON.stringify(toSearchResponse(result));
      // The bytes the API sends (issue 13: assembled from each record's cached bytes), before and after caching.
      expect(searchResponseBytes(result).equals(Buffer.from(expected)), queryString).to.equal(true);
      expect(searchResponseBytes(result).equals(Buffer.from(expected)), queryString).to.equal(true);
    }
    // Not vacuous: some answers carry records, one is unsearchable.
    const some = served.fixture.engine.search(parseSearchQuery({ q: "données", per_page: "50" }));
    expect(some.items.length).to.be.above(1);
    expect(JSON.parse(searchText(served.fixture.engine.search(parseSearchQuery({ q: "🙂" })))).unsearchable_query).to.equal(true);
    const labelled = JSON.parse(searchText(served.fixture.engine.search(parseSearchQuery({ public_body: bodies.armedForces })))) as SearchBody;
    expect(labelled.facets.public_body!.some((entry) => entry.label !== undefined)).to.equal(true);
    const odd = JSON.parse(searchText(served.fixture.engine.search(parseSearchQuery({ language: 'Py"th\\on\u2028é' })))) as SearchBody;
    expect(odd.facets.language).to.deep.include({ value: 'Py"th\\on\u2028é', count: 0 });
  });

  // Issue 13: ten values a facet unless facet_limit asks for up to fifty; the selected ones always.
  it("lists facet_limit values a facet, the most frequent first, and the selected values besides", async () => {
    const all = await search("facet_limit=50");
    const many = Object.entries(all.facets).filter(([, values]) => values.length > 2).map(([name]) => name);
    expect(many, "facets with more than two values in the fixture").to.include.members(["owner", "topic"]);
    const two = await search("facet_limit=2");
    for (const [name, values] of Object.entries(all.facets)) expect(two.facets[name], name).to.deep.equal(values.slice(0, 2));
    // The default is ten: the same as asking for ten, and no facet lists more.
    const byDefault = await search("");
    expect(byDefault).to.deep.equal(await search("facet_limit=10"));
    for (const [name, values] of Object.entries(all.facets)) expect(byDefault.facets[name], name).to.deep.equal(values.slice(0, 10));
    // A selected value beyond the limit is still listed, so that it can be unselected.
    const rare = all.facets.topic!.at(-1)!;
    const selected = await search(`facet_limit=1&topic=${encodeURIComponent(rare.value)}`);
    expect(selected.facets.topic!.map((entry) => entry.value)).to.include(rare.value);
    // The answers differ, so their ETags must.
    const [etagTwo, etagThree] = await Promise.all(["facet_limit=2", "facet_limit=3"].map(async (queryString) => (await get(`/api/v1/repositories?${queryString}`)).headers.get("etag")));
    expect(etagTwo).to.be.a("string").and.not.equal(etagThree);
  });

  it("refuses a facet_limit out of range with 400 invalid_parameter", async () => {
    for (const value of ["0", "51", "ten"]) {
      const response = await get(`/api/v1/repositories?facet_limit=${value}`);
      expect(response.status, value).to.equal(400);
      expect(await response.json()).to.deep.equal({ error: "facet_limit must be a whole number from 1 to 50", reason: "invalid_parameter" });
    }
  });

  it("takes repeated and comma-separated filter values alike", async () => {
    const repeated = await search("language=Python&language=Go&license=MIT");
    const commas = await search("language=Python,Go&license=MIT");
    expect(repeated).to.deep.equal(commas);
    expect(repeated.total).to.be.greaterThan(0);
    for (const item of repeated.items) expect(["Python", "Go"]).to.include(item.language);
  });

  it("filters on owner ids with slashes and on public bodies, labelled", async () => {
    const body = await search(`owner=${encodeURIComponent("gitlab.com/incubateur-territoires/communs")}`);
    expect(body.items.every((item) => item.owner === "incubateur-territoires/communs")).to.equal(true);
    const byBody = await search(`public_body=${bodies.armedForces}`);
    expect(byBody.items.every((item) => item.host === "gitlab.com" && item.owner === "fabnum-minarm")).to.equal(true);
    expect(byBody.facets.public_body?.find((entry) => entry.value === bodies.armedForces)?.label).to.equal("Ministère des Armées");
  });

  it("pages, and answers an empty page past the end", async () => {
    const first = await search("sort=name&per_page=5");
    const second = await search("sort=name&per_page=5&page=2");
    expect(second.total).to.equal(first.total);
    expect(second.items.map((item) => item.id)).not.to.include.members(first.items.map((item) => item.id));
    const beyond = await search(`sort=name&per_page=5&page=${Math.ceil(first.total / 5) + 1}`);
    expect([beyond.total, beyond.items.length]).to.deep.equal([first.total, 0]);
  });

  const invalid: [string, RegExp][] = [
    ["sort=popularity", /^sort must be one of/],
    ["page=0", /^page must be a whole number/],
    ["per_page=1000", /^per_page must be a whole number from 1 to 100$/],
    ["per_page=abc", /^per_page/],
    ["active_since=yesterday", /^active_since must be a date/],
    ["active_since=2023-02-29", /^active_since/],
    ["archived=maybe", /^archived must be true or false$/],
    ["sort=stars&sort=forks", /^sort must be given once$/],
    [`topic=${"t".repeat(301)}`, /longer than 300/],
  ];
  for (const [queryString, message] of invalid) {
    it(`answers 400 invalid_parameter to ${queryString.slice(0, 40)}`, async () => {
      const response = await get(`/api/v1/repositories?${queryString}`);
      expect(response.status).to.equal(400);
      expect(response.headers.get("content-type")).to.match(/^application\/json/);
      expect(response.headers.get("access-control-allow-origin")).to.equal("*");
      const body = (await response.json()) as { error: string; reason: string };
      expect(body.reason).to.equal("invalid_parameter");
      expect(body.error).to.match(message);
    });
  }

  const hostile = ["*", "+udata -front", "udata~2", "a:b^3", "\"unbalanced", "((", "\u0000\u0001", "' OR 1=1 --", "x".repeat(10_000), "%E0%A4%A", "🙂 données"];
  for (const q of hostile) {
    it(`answers 200 to q=${JSON.stringify(q.slice(0, 30))}`, async () => {
      const raw = q === "%E0%A4%A" ? q : encodeURIComponent(q);
      const response = await get(`/api/v1/repositories?q=${raw}&per_page=3`);
      expect(response.status).to.equal(200);
      expect(((await response.json()) as SearchBody).total).to.be.a("number");
    });
  }

  it("answers one repository by its id, slashes and all, whatever the case", async () => {
    for (const path of ["github.com/etalab/udata", "GITHUB.COM/Etalab/UDATA", "github.com/etalab/udata/", "github.com%2Fetalab%2Fudata"]) {
      const response = await get(`/api/v1/repositories/${path}`);
      expect(response.status, path).to.equal(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.id).to.equal("github.com/etalab/udata");
      // issue 9: the record, then the repository's profile
      expect(Object.keys(body)).to.deep.equal([...publicRepositoryFields, "readme", "publiccode", "files", "files_too_large", "latest_release", "checks", "profile", "reuse"]);
    }
    const nested = (await (await get("/api/v1/repositories/forge.apps.education.fr/apps-education/cartable/cartable-numerique")).json()) as Record<string, unknown>;
    expect([nested.owner, nested.name]).to.deep.equal(["apps-education/cartable", "cartable-numerique"]);
    const dotted = (await (await get("/api/v1/repositories/github.com/etalab/doc.data.gouv.fr")).json()) as Record<string, unknown>;
    expect(dotted.name).to.equal("doc.data.gouv.fr");
  });

  for (const path of ["github.com/etalab/nothing", "github.com/etalab/ancien-portail", "github.com/etalab", "github.com", "gitlab.com/etalab/udata"]) {
    it(`answers 404 not_found to /repositories/${path}`, async () => {
      const response = await get(`/api/v1/repositories/${path}`);
      expect(response.status).to.equal(404);
      expect(((await response.json()) as { reason: string }).reason).to.equal("not_found");
    });
  }
});
