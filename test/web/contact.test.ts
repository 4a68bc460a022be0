// Getting listed and getting in touch (issue 14): the operator and the contact
// from the configuration in the footer, the about page and the accessibility
// statement; the public-sector directory for a pso_id; where the sources live;
// the declaration page only when it exists.
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, hrefs, textById, textOf } from "./http.ts";

describe("operator and contact", () => {
  describe("configuration", () => {
    it("reads OPERATOR_NAME, CONTACT_EMAIL and SOURCES_URL, all optional", () => {
      expect(loadConfig({})).to.include({ operatorName: null, contactEmail: null, sourcesUrl: null });
      const config = loadConfig({ OPERATOR_NAME: " DINUM ", CONTACT_EMAIL: "contact@code.gouv.fr", SOURCES_URL: "https://git.example.fr/sources" });
      expect(config).to.include({ operatorName: "DINUM", contactEmail: "contact@code.gouv.fr", sourcesUrl: "https://git.example.fr/sources" });
    });

    it("refuses an e-mail that is not one, a URL that is not http(s), and a name on several lines", () => {
      expect(() => loadConfig({ CONTACT_EMAIL: "not an address" })).to.throw(ConfigError, /CONTACT_EMAIL must be an e-mail address/);
      expect(() => loadConfig({ CONTACT_EMAIL: "a@b" })).to.throw(ConfigError, /CONTACT_EMAIL/);
      expect(() => loadConfig({ SOURCES_URL: "javascript:alert(1)" })).to.throw(ConfigError, /SOURCES_URL must be an http\(s\) URL/);
      expect(() => loadConfig({ OPERATOR_NAME: "a\nb" })).to.throw(ConfigError, /OPERATOR_NAME must be one line/);
    });
  });

  describe("pages", () => {
    let web: WebServer;
    let bare: WebServer;
    before(async () => {
      web = await startWebServer((database) => seedCatalogue(database.db), {
        operator: { name: "Mission logiciels libres", email: "contact@code.example.fr", sourcesUrl: "https://git.example.fr/code-commun/sources" },
        declarationsPath: "/declarations/new",
      });
      bare = await startWebServer((database) => seedCatalogue(database.db));
    });
    after(async () => {
      await web.close();
      await bare.close();
    });

    it("names the operator and links the contact in the footer of every page, in both languages", async () => {
      for (const path of ["/", "/repositories", "/about", "/nowhere"]) {
        const fr = (await get(web.url, path, { "accept-language": "fr" })).html;
        expect(fr, path).to.include("Ce site est exploité par Mission logiciels libres.");
        expect(fr, path).to.include('href="mailto:contact@code.example.fr" id="footer-contact"');
      }
      const en = (await get(web.url, "/", { "accept-language": "en" })).html;
      expect(en).to.include("This site is run by Mission logiciels libres.");
      expect(hrefs(en)).to.include("/accessibility");
    });

    it("says on the about page who runs the site, how to ask, where the sources live, and where to find a pso_id", async () => {
      const { html } = await get(web.url, "/about", { "accept-language": "fr" });
      expect(textById(html, "operator")).to.include("Ce site est exploité par Mission logiciels libres.").and.to.include("contact@code.example.fr");
      expect(hrefs(html)).to.include.members(["https://lannuaire.service-public.fr/", "https://git.example.fr/code-commun/sources", "mailto:contact@code.example.fr", "/declarations/new"]);
      expect(textById(html, "about-ask")).to.include("écrivez à l’exploitant");
    });

    it("links the declaration page only when the site has one, and says when no contact is configured", async () => {
      const { html } = await get(bare.url, "/about", { "accept-language": "en" });
      expect(hrefs(html)).not.to.include("/declarations/new");
      expect(html).not.to.include("mailto:");
      expect(textById(html, "about-ask")).to.include("No contact address is configured");
      expect(textById(html, "about-sources-file")).to.include("kept by its operator");
      expect(hrefs(html)).to.include("https://lannuaire.service-public.fr/");
    });

    it("has an accessibility statement in both languages, with the contact and the recourse", async () => {
      const fr = await get(web.url, "/accessibility", { "accept-language": "fr" });
      expect(fr.status).to.equal(200);
      expect(textOf(fr.html, "h1")).to.equal("Déclaration d’accessibilité");
      expect(textById(fr.html, "accessibility-status")).to.include("non conforme");
      expect(fr.html).to.include('href="mailto:contact@code.example.fr"');
      expect(hrefs(fr.html)).to.include("https://formulaire.defenseurdesdroits.fr/");
      const en = await get(bare.url, "/accessibility?lang=en");
      expect(textOf(en.html, "h1")).to.equal("Accessibility statement");
      expect(en.html).to.include("No contact address is configured on this site.");
    });
  });
});
