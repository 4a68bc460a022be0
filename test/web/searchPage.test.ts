// The search page over HTTP: its state lives in the URL, goes to the engine
// as a SearchQuery, and comes back as results, facets, filters and pages.
import { expect } from "chai";
import type { SearchQuery } from "../../src/search/types.ts";
import { bodies, seedCatalogue, seededRepositories } from "../helpers/catalogueFixture.ts";
import { fixtureSearchEngine } from "../helpers/fixtureSearchEngine.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, hrefs, textById, textOf } from "./http.ts";

describe("search page", function () {
  let web: WebServer;
  let queries: SearchQuery[];

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db), {});
    queries = (web.search as ReturnType<typeof fixtureSearchEngine>).queries;
  });
  after(async () => {
    await web.close();
  });
  beforeEach(() => {
    queries.length = 0;
  });

  /** The result titles of a page, in order. */
  function results(html: string): string[] {
    return [...html.matchAll(/<h3 class="cc-result__title[^"]*"><a href="[^"]*">([^<]*)<\/a>/g)].map((match) => decode(match[1]!));
  }

  it("gives the engine every filter of the URL", async () => {
    await get(
      web.url,
      `/repositories?q=outil&language=Python&language=Go&license=MIT&public_body=${bodies.etalab}&host=github.com&topic=france&owner=github.com/etalab&archived=false&fork=false&has_license=true&active_since=2016-01-01&sort=stars&page=1`,
    );
    expect(queries).to.have.length(1);
    expect(queries[0]).to.deep.equal({
      q: "outil",
      filters: {
        language: ["Python", "Go"],
        license: ["MIT"],
        publicBody: [bodies.etalab],
        host: ["github.com"],
        topic: ["france"],
        owner: ["github.com/etalab"],
        archived: false,
        fork: false,
        hasLicense: true,
        activeSince: "2016-01-01",
      },
      sort: "stars",
      page: 1,
      perPage: 20,
    });
  });

  it("sorts by relevance when there are words to match, by recent activity otherwise", async () => {
    await get(web.url, "/repositories?q=carte");
    await get(web.url, "/repositories");
    expect(queries.map((query) => query.sort)).to.deep.equal(["relevance", "activity"]);
  });

  it("shows the chosen filters checked, with their counts, and a link that removes each", async () => {
    const { html } = await get(web.url, "/repositories?language=Python&lang=en");
    expect(html).to.match(/<input type="checkbox" id="facet-language-\d+" name="language" value="Python" checked>/);
    // Other languages stay offered, counted over the other filters: one can switch or add.
    expect(html).to.match(/name="language" value="TypeScript">\s*<label class="fr-label" for="facet-language-\d+">TypeScript <span class="cc-facet__count">\(\d+\)<\/span>/);
    const remove = [...html.matchAll(/<a class="fr-tag fr-tag--sm fr-tag--dismiss" href="([^"]*)" aria-label="([^"]*)">/g)];
    expect(remove.map((match) => decode(match[2]!))).to.deep.equal(["Remove the filter Language: Python"]);
    expect(decode(remove[0]![1]!)).to.equal("/repositories");
  });

  it("names public bodies in facets and filters, never by their bare id", async () => {
    const { html } = await get(web.url, `/repositories?public_body=${bodies.etalab}&lang=fr`);
    expect(html).to.include(`value="${bodies.etalab}" checked>`);
    expect(html).to.include("Organisme public\u00a0: Etalab (DINUM)");
  });

  it("counts the results and lists them in the engine's order", async () => {
    const { html } = await get(web.url, "/repositories?sort=stars&lang=en");
    expect(textById(html, "results-title")).to.equal(`${seededRepositories} repositories`);
    expect(results(html).slice(0, 3)).to.deep.equal(["etalab/udata", "betagouv/mon-entreprise", "etalab/api-adresse"]);
    expect(html).to.include("Results 1 to 20");
  });

  it("paginates with links that keep the query, the filters and the sort", async () => {
    const first = await get(web.url, "/repositories?q=outil&sort=name&lang=en");
    const next = hrefs(first.html).find((href) => href.includes("page=2"));
    expect(next).to.equal("/repositories?q=outil&sort=name&page=2");
    const second = await get(web.url, next!, { "accept-language": "en" });
    expect(results(second.html)).to.have.length.greaterThan(0);
    expect(results(second.html)[0]! > results(first.html).at(-1)!, "page 2 follows page 1 by name").to.equal(true);
    expect(second.html).to.include('aria-current="page">2</a>');
    expect(textOf(second.html, "title")).to.equal("Repositories for “outil”, page 2 – Code Commun");
  });

  it("keeps every state in the form so that a new search carries the filters", async () => {
    const { html } = await get(web.url, "/repositories?q=outil&license=MIT&archived=true&sort=forks");
    expect(html).to.include('name="q" value="outil"');
    expect(html).to.match(/name="license" value="MIT" checked>/);
    expect(html).to.match(/<select class="fr-select" id="filter-archived" name="archived">[\s\S]*?<option value="true" selected>/);
    expect(html).to.match(/<option value="forks" selected>/);
  });

  it("offers activity presets as dates, and shows a shared date that is no preset", async () => {
    const { html } = await get(web.url, "/repositories?active_since=2020-02-29&lang=en");
    // The fixture's today is 2025-06-15: one year back is 2024-06-15.
    expect(html).to.include('<option value="2024-06-15">In the last year</option>');
    expect(html).to.include('<option value="2020-02-29" selected>Since 29 February 2020</option>');
  });

  it("helps when nothing matches: spelling, the other language, and removing each filter", async () => {
    const { html, status } = await get(web.url, "/repositories?q=zzzzqqq&language=Python&lang=en");
    expect(status).to.equal(200);
    expect(html).to.include("No repository matches");
    expect(html).to.include("try the French word too");
    expect(hrefs(html)).to.include("/repositories?q=zzzzqqq");
    expect(html).to.include("Remove the filter Language: Python");
    expect(results(html)).to.deep.equal([]);
  });

  it("points to the last page when asked for a page past the end", async () => {
    const { html } = await get(web.url, "/repositories?page=40&lang=en");
    expect(html).to.include("There is no page 40: the last page is 2.");
    expect(hrefs(html)).to.include("/repositories?page=2");
  });

  it("degrades hostile free text to a plain search", async () => {
    const { status, html } = await get(web.url, `/repositories?q=${encodeURIComponent('"><script>alert(1)</script> AND (')}`);
    expect(status).to.equal(200);
    expect(html).not.to.include("<script>alert(1)</script>");
    expect(html).to.include("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
