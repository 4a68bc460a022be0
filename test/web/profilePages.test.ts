// Repository and owner pages with profiles (issue 9), over real HTTP, in both languages.
import { expect } from "chai";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { seedProfiles } from "../helpers/profileFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, hrefs } from "./http.ts";

describe("Repository profiles on the pages", function () {
  let server: WebServer;

  before(async function () {
    server = await startWebServer(({ db }) => {
      seedCatalogue(db);
      seedProfiles(db);
    });
  });

  after(async function () {
    await server.close();
  });

  it("shows the README rendered and safe, the publiccode.yml in French, community files, release, clone URLs and checks", async function () {
    const { status, html } = await get(server.url, "/repositories/github.com/etalab/udata?lang=fr");
    expect(status).to.equal(200);
    expect(html).to.include("<h3>udata</h3>");
    expect(html).to.include("<strong>open data</strong>");
    expect(hrefs(html)).to.include("https://github.com/etalab/udata/blob/main/docs/index.md");
    expect(html).to.include("[image: logo]");
    expect(html).not.to.match(/<img\b[^>]*logo\.png/);
    // A code block's lines as written: no template indentation added to them (issue 13 strips it from the templates).
    expect(html).to.include("npm install\nnpm run build");
    // publiccode.yml, French description and translated enumerations.
    expect(html).to.include("Plateforme de publication de données ouvertes");
    expect(html).to.include("Moissonnage de catalogues");
    expect(html).to.include("Application web");
    expect(html).to.include("Stable");
    expect(html).to.include("Interne");
    expect(html).to.include("Équipe data.gouv.fr");
    expect(html).to.include("MongoDB ≥ 4.4");
    expect(hrefs(html)).to.include("/repositories?category=data-collection");
    expect(html).to.include("Guide de contribution");
    expect(html).to.include("v9.1.0");
    expect(html).to.include("git clone https://github.com/etalab/udata.git");
    expect(html).to.include("git clone git@github.com:etalab/udata.git");
    expect(html).to.include("Points à améliorer");
  });

  it("shows the English description in English", async function () {
    const { html } = await get(server.url, "/repositories/github.com/etalab/udata?lang=en");
    expect(html).to.include("Open data publishing platform");
    expect(html).to.include("Catalogue harvesting");
    expect(html).not.to.include("Moissonnage de catalogues");
    expect(html).to.include("Web application");
    expect(html).to.include("Community files");
  });

  it("lists the checks of a repository: no licence, invalid publiccode.yml with its errors, no README, inactive", async function () {
    const { html } = await get(server.url, "/repositories/github.com/ville-exemple/budget?lang=en");
    expect(html).to.include('data-check="no_license"');
    expect(html).to.include('data-check="invalid_publiccode"');
    expect(html).to.include("publiccodeYmlVersion");
    expect(html).to.include('data-check="no_readme"');
    expect(html).to.include('data-check="inactive"');
    expect(html).to.include("Invalid file");
  });

  it("says why a profile could not be read, and that a profile not fetched yet will be", async function () {
    const failed = await get(server.url, "/repositories/github.com/inconnu/script?lang=en");
    expect(failed.html).to.include('data-check="profile_unreadable"');
    expect(failed.html).to.include("timeout: GitHub did not answer within 30 s");
    expect(failed.html).to.include("will be at the next harvest");
    const fresh = await get(server.url, "/repositories/github.com/betagouv/mon-entreprise?lang=fr");
    expect(fresh.html).to.include("ils le seront à la prochaine collecte");
    expect(fresh.html).not.to.include('data-check="no_readme"');
  });

  it("sums up what to improve on the owner page, per repository", async function () {
    const { status, html } = await get(server.url, "/owners/github.com/ville-exemple?lang=en");
    expect(status).to.equal(200);
    expect(html).to.include("What to improve");
    expect(hrefs(html)).to.include("/repositories/github.com/ville-exemple/budget");
    expect(html).to.include("Invalid publiccode.yml");
    expect(html).to.include("No licence");
  });
});
