// The pages on the real search engine (src/search), not the test one: the
// same fixture, the index built from it, the journeys of a reader.
import path from "node:path";
import { expect } from "chai";
import { openSearchEngine } from "../../src/search/engine.ts";
import { bodies, fixtureNow, seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, hrefs, textById, textOf } from "./http.ts";

describe("pages on the real search engine", function () {
  this.timeout(60_000);
  let web: WebServer;

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db), {
      searchFor: (database) => openSearchEngine({ db: database.db, indexDir: path.join(database.dir, "index"), now: () => fixtureNow, buildIn: "process" }),
    });
  });
  after(async () => {
    await web.close();
  });

  it("finds, filters and facets", async () => {
    const { status, html } = await get(web.url, `/repositories?q=udata&lang=en`);
    expect(status).to.equal(200);
    expect(textOf(html, "h3")).to.equal("etalab/udata");
    const filtered = await get(web.url, `/repositories?public_body=${bodies.etalab}&language=Python&lang=en`);
    expect(textById(filtered.html, "results-title")).to.match(/^\d+ repositor(y|ies)$/);
    expect(filtered.html).to.include("Public body: Etalab (DINUM)");
    expect(web.logged).to.deep.equal([]);
  });

  it("shows similar repositories and owner pages from the index", async () => {
    const repository = await get(web.url, "/repositories/github.com/etalab/udata?lang=en");
    expect(repository.status).to.equal(200);
    expect(hrefs(repository.html).filter((href) => href.startsWith("/repositories/github.com/")).length).to.be.greaterThan(0);
    const owner = await get(web.url, "/owners/github.com/etalab?lang=en");
    expect(owner.html).to.include("etalab/api-adresse");
    expect(web.logged).to.deep.equal([]);
  });
});
