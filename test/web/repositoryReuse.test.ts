// The repository page's reuse sections (issue 14): similar repositories by
// text similarity with their reasons, what the licence means, the issue
// tracker beside the open-issue count, the owner's contact.
import path from "node:path";
import { expect } from "chai";
import { openSearchEngine } from "../../src/search/engine.ts";
import { createTranslator } from "../../src/web/i18n/index.ts";
import { issueTrackerUrl, licenceKind, licenceMeaning, ownerContact } from "../../src/web/presenters/repositoryReuse.ts";
import { fixtureNow } from "../helpers/catalogueFixture.ts";
import { seedMappingCatalogue } from "../helpers/mappingCatalogue.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, textById } from "./http.ts";

describe("repository page: reuse and similar repositories", () => {
  let web: WebServer;

  before(async () => {
    web = await startWebServer(
      (database) => seedMappingCatalogue(database.db),
      { searchFor: (database) => openSearchEngine({ db: database.db, indexDir: path.join(database.dir, "index"), now: () => fixtureNow, buildIn: "process" }) },
    );
  });
  after(async () => {
    await web.close();
  });

  /** The similar repositories' names and reasons, in order. */
  function similar(html: string): { name: string; reason: string }[] {
    return [...html.matchAll(/<h3 class="cc-result__title fr-h6"><a href="[^"]*">([^<]*)<\/a><\/h3>[\s\S]*?<p class="fr-text--sm cc-similar__reason">([^<]*)<\/p>/g)].map((match) => ({ name: match[1]!, reason: match[2]! }));
  }

  it("ranks similar repositories by text similarity, not by stars, and says why", async () => {
    const { html } = await get(web.url, "/repositories/github.com/carto-ville/carte-interactive", { "accept-language": "fr" });
    const list = similar(html);
    const names = list.map((item) => item.name);
    expect(names).not.to.include("carto-ville/carte-interactive");
    expect(names).not.to.include("autre/carte-archivee");
    // The mapping repositories come first (the same owner's words count too, as in a search),
    // before the popular one that only shares the generic "outil".
    expect(names[0]).to.equal("carto-ville/fonds-de-carte");
    expect(names.slice(0, 3)).to.include("autre/geo-carte");
    if (names.includes("autre/outil-populaire")) expect(names.indexOf("autre/outil-populaire")).to.be.greaterThan(names.indexOf("autre/geo-carte"));
    const fonds = list.find((item) => item.name === "carto-ville/fonds-de-carte")!;
    expect(fonds.reason).to.include("Sujet en commun\u00a0: cartographie").and.to.include("carte");
    const english = similar((await get(web.url, "/repositories/github.com/carto-ville/carte-interactive?lang=en")).html);
    expect(english.find((item) => item.name === "carto-ville/fonds-de-carte")!.reason).to.include("Shared topic: cartographie");
  });

  it("says what the licence means for reuse, in both languages", async () => {
    const none = await get(web.url, "/repositories/github.com/carto-ville/sans-licence", { "accept-language": "fr" });
    expect(textById(none.html, "licence-meaning")).to.include("ne peut pas être réutilisé sans l’autorisation de ses auteurs");
    const noneEn = await get(web.url, "/repositories/github.com/carto-ville/sans-licence?lang=en");
    expect(textById(noneEn.html, "licence-meaning")).to.include("may not be reused without its authors’ permission");
    const gpl = await get(web.url, "/repositories/github.com/carto-ville/fonds-de-carte", { "accept-language": "fr" });
    expect(textById(gpl.html, "licence-meaning")).to.include("Licence à réciprocité forte (GPL-3.0-or-later)");
    expect(gpl.html).to.include('href="https://spdx.org/licenses/GPL-3.0-or-later.html"');
  });

  it("links the issue tracker beside the open-issue count", async () => {
    const { html } = await get(web.url, "/repositories/github.com/carto-ville/carte-interactive");
    expect(html).to.match(/<dd>7 · <a href="https:\/\/github\.com\/carto-ville\/carte-interactive\/issues" rel="nofollow noopener ugc" id="issues-link">/);
    const gitlab = await get(web.url, "/repositories/gitlab.com/autre/geo-carte");
    expect(gitlab.html).to.include('href="https://gitlab.com/autre/geo-carte/-/issues"');
  });

  it("shows the owner's contact e-mail and website when the forge gives them, and nothing unsafe", async () => {
    const { html } = await get(web.url, "/repositories/github.com/carto-ville/carte-interactive", { "accept-language": "fr" });
    const contact = textById(html, "owner-contact")!;
    expect(contact).to.include("Contacter Service cartographie de la ville").and.to.include("sig@ville.example.fr").and.to.include("https://carto.ville.example.fr");
    expect(html).to.include('href="mailto:sig@ville.example.fr"');
    const other = await get(web.url, "/repositories/gitlab.com/autre/geo-carte");
    expect(other.html).not.to.include("mailto:not");
    expect(other.html).not.to.include('href="javascript:');
  });

  it("shows the contact e-mail on the owner's page too", async () => {
    const { html } = await get(web.url, "/owners/github.com/carto-ville");
    expect(html).to.include('<a href="mailto:sig@ville.example.fr">sig@ville.example.fr</a>');
    expect((await get(web.url, "/owners/gitlab.com/autre")).html).not.to.include("mailto:");
  });

  it("classifies licences and builds tracker URLs per forge", () => {
    expect(["MIT", "Apache-2.0", "CECILL-B", "Etalab-2.0"].map(licenceKind)).to.deep.equal(["permissive", "permissive", "permissive", "permissive"]);
    expect(["GPL-3.0-only", "AGPL-3.0-or-later", "CECILL-2.1", "EUPL-1.2"].map(licenceKind)).to.deep.equal(["copyleft", "copyleft", "copyleft", "copyleft"]);
    expect(["LGPL-2.1-or-later", "MPL-2.0", "CECILL-C"].map(licenceKind)).to.deep.equal(["weakCopyleft", "weakCopyleft", "weakCopyleft"]);
    expect([licenceKind(null), licenceKind("other"), licenceKind("Artistic-2.0")]).to.deep.equal(["none", "unidentified", "other"]);
    expect(licenceMeaning("other", createTranslator("en")).spdxHref).to.equal(null);
    expect(issueTrackerUrl({ forge: "gitea", url: "https://git.example.fr/a/b" })).to.equal(null);
    expect(issueTrackerUrl({ forge: "github", url: "javascript:alert(1)" })).to.equal(null);
    expect(ownerContact(undefined)).to.equal(null);
  });
});
