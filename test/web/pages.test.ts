// Every page of the site, in French and in English, over real HTTP.
import { expect } from "chai";
import type { Locale } from "../../src/web/i18n/index.ts";
import { bodies, seedCatalogue, seededRepositories } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, hrefs, textOf } from "./http.ts";

interface PageCase {
  path: string;
  h1: Record<Locale, string>;
  /** Texts of the page in both languages (harvested data, figures). */
  contains?: string[];
  /** Texts in one language only: proof that the page's own words are translated. */
  says?: Record<Locale, string>;
  nav: string | null;
}

const pages: PageCase[] = [
  {
    path: "/",
    h1: { fr: "Le code source public, en un seul catalogue", en: "Public code, in one catalogue" },
    contains: ["etalab/udata", "betagouv/mon-entreprise", `>${seededRepositories}<`],
    says: { fr: "Les plus réutilisés", en: "Most reused" },
    nav: "/",
  },
  {
    path: "/repositories",
    h1: { fr: "Dépôts", en: "Repositories" },
    contains: ["betagouv/mon-entreprise"],
    says: { fr: `${seededRepositories} dépôts`, en: `${seededRepositories} repositories` },
    nav: "/repositories",
  },
  {
    path: "/repositories/github.com/etalab/udata",
    h1: { fr: "etalab/udata", en: "etalab/udata" },
    contains: ["Plateforme de données ouvertes", 'href="https://github.com/etalab/udata"', 'href="https://udata.readthedocs.io/"', "AGPL-3.0", "Etalab (DINUM)"],
    says: { fr: "Dépôts similaires", en: "Similar repositories" },
    nav: "/repositories",
  },
  {
    path: "/repositories/gitlab.com/dinum/outils/sous-groupe/formulaires",
    h1: { fr: "dinum/outils/sous-groupe/formulaires", en: "dinum/outils/sous-groupe/formulaires" },
    contains: ['href="/owners/gitlab.com/dinum/outils/sous-groupe"'],
    says: { fr: "Informations", en: "Details" },
    nav: "/repositories",
  },
  {
    path: "/owners/github.com/etalab",
    h1: { fr: "Etalab", en: "Etalab" },
    contains: ["Département de la DINUM", 'href="https://www.etalab.gouv.fr/"', "etalab/udata", "Etalab (DINUM)"],
    says: { fr: "Ses dépôts", en: "Its repositories" },
    nav: "/public-bodies",
  },
  {
    path: "/owners/gitlab.com/dinum/outils",
    h1: { fr: "Outils DINUM", en: "Outils DINUM" },
    contains: ["dinum/outils/gabarit"],
    says: { fr: "gitlab.com · Groupe</p>", en: "gitlab.com · Group</p>" },
    nav: "/public-bodies",
  },
  {
    path: "/owners/gitlab.com/dinum/outils/sous-groupe",
    h1: { fr: "dinum/outils/sous-groupe", en: "dinum/outils/sous-groupe" },
    contains: ["dinum/outils/sous-groupe/formulaires"],
    says: { fr: "seuls ses dépôts sont connus", en: "only its repositories are known" },
    nav: "/public-bodies",
  },
  {
    path: "/public-bodies",
    h1: { fr: "Organismes publics", en: "Public bodies" },
    contains: ["Etalab (DINUM)", "Incubateur de services numériques beta.gouv.fr", bodies.unlisted, "Ville d’Exemple"],
    says: { fr: "Premier ministre", en: "Prime Minister&#x27;s Office" },
    nav: "/public-bodies",
  },
  {
    path: "/statistics",
    h1: { fr: "Statistiques", en: "Statistics" },
    contains: ["Python", "github.com", "AGPL-3.0", "<table>", 'href="/repositories?has_license&#x3D;false"'],
    says: { fr: "Activité par année", en: "Activity by year" },
    nav: "/statistics",
  },
  {
    path: "/status",
    h1: { fr: "État de la collecte", en: "Harvest status" },
    contains: ["ministere-disparu", "GET /orgs/ministere-disparu: 404 Not Found", "forge.example.org"],
    says: { fr: "Compte introuvable sur la forge", en: "Account not found on the forge" },
    nav: "/status",
  },
  {
    path: "/status/runs/2",
    h1: { fr: "Collecte n° 2 Partielle", en: "Harvest #2 Partial" },
    contains: ["ministere-disparu", "github.com"],
    says: { fr: "Type de forge pas encore pris en charge", en: "Forge type not supported yet" },
    nav: "/status",
  },
  {
    path: "/about",
    h1: { fr: "À propos", en: "About" },
    contains: ['href="/api/v1"', 'href="/api/v1/openapi.json"', "pso_id"],
    // The schedule in words, from HARVEST_CRON (17 3 * * * in these tests).
    says: { fr: "La collecte est planifiée chaque jour à 3 h 17 (heure du serveur).", en: "The harvest is scheduled every day at 03:17 (server time)." },
    nav: "/about",
  },
];

describe("web pages", function () {
  let web: WebServer;

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db));
  });
  after(async () => {
    await web.close();
  });
  afterEach(() => {
    expect(web.logged, "errors logged by the app").to.deep.equal([]);
  });

  for (const page of pages) {
    for (const locale of ["fr", "en"] as const) {
      it(`${page.path} in ${locale === "fr" ? "French" : "English"}`, async () => {
        const separator = page.path.includes("?") ? "&" : "?";
        const { status, headers, html } = await get(web.url, `${page.path}${separator}lang=${locale}`);
        expect(status).to.equal(200);
        expect(headers.get("content-type")).to.match(/^text\/html; charset=utf-8/);
        expect(html).to.match(new RegExp(`<html lang="${locale}">`));
        expect(textOf(html, "h1")).to.equal(page.h1[locale]);
        expect(textOf(html, "title")).to.match(/ – Code Commun$/);
        for (const text of page.contains ?? []) expect(html).to.include(text);
        if (page.says) {
          const other = locale === "fr" ? "en" : "fr";
          expect(html).to.include(page.says[locale]);
          expect(html).not.to.include(page.says[other]);
        }
        // The menu marks where the reader is.
        const current = [...html.matchAll(/<a class="fr-nav__link" href="([^"]*)" aria-current="page">/g)].map((match) => match[1]);
        expect(current).to.deep.equal(page.nav === null ? [] : [page.nav]);
        // The switch leads to the same page in the other language.
        const other = locale === "fr" ? "en" : "fr";
        expect(html).to.include(`lang="${other}" hreflang="${other}"`);
        expect(hrefs(html)).to.include(`${page.path}${separator}lang=${other}`);
      });
    }
  }

  describe("errors", () => {
    it("answers an unknown page with a 404 page in the reader's language", async () => {
      const fr = await get(web.url, "/nulle-part", { "accept-language": "fr-FR,fr;q=0.9" });
      const en = await get(web.url, "/nowhere", { "accept-language": "en-GB,en;q=0.9" });
      expect([fr.status, en.status]).to.deep.equal([404, 404]);
      expect(textOf(fr.html, "h1")).to.equal("Page introuvable");
      expect(textOf(en.html, "h1")).to.equal("Page not found");
      expect(en.html).to.include('<html lang="en">');
    });

    it("answers JSON to a client that asks for JSON", async () => {
      const { status, html } = await get(web.url, "/nowhere", { accept: "application/json" });
      expect(status).to.equal(404);
      expect(JSON.parse(html)).to.deep.include({ reason: "not_found" });
    });

    it("gives 404 for a repository, an owner or a run that does not exist", async () => {
      for (const path of ["/repositories/github.com/etalab/nothing", "/repositories/nowhere.example/a/b", "/owners/github.com/nobody", "/status/runs/99", "/status/runs/abc"]) {
        expect((await get(web.url, path)).status, path).to.equal(404);
      }
    });

    it("gives 400 with the reason for malformed parameters", async () => {
      for (const path of ["/repositories?page=0", "/repositories?page=abc", "/repositories?sort=popularity", "/repositories?archived=maybe", "/repositories?active_since=2024-13-45", "/status?status=broken", "/owners/github.com/etalab?page=-1"]) {
        const { status, html } = await get(web.url, `${path}&lang=en`);
        expect(status, path).to.equal(400);
        expect(textOf(html, "h1"), path).to.equal("Invalid request");
      }
    });
  });

  describe("figures", () => {
    it("take the plural form of their count", async () => {
      const figures = (html: string) => [...decode(html).matchAll(/<span class="cc-figures__value">([^<]*)<\/span> ([^<]*)<\/li>/g)].map((match) => `${match[1]} ${match[2]}`);
      // One repository with 5 stars and 1 fork: the sub-group's repository is its own.
      expect(figures((await get(web.url, "/owners/gitlab.com/dinum/outils?lang=fr")).html)).to.deep.equal(["1 dépôt", "5 étoiles", "1 bifurcation"]);
      expect(figures((await get(web.url, "/owners/gitlab.com/dinum/outils?lang=en")).html)).to.deep.equal(["1 repository", "5 stars", "1 fork"]);
    });
  });

  describe("canonical addresses", () => {
    it("redirects a repository named in another case to the forge's spelling, keeping the query", async () => {
      const { status, headers } = await get(web.url, "/repositories/github.com/ETALAB/UData?lang=en");
      expect(status).to.equal(301);
      expect(headers.get("location")).to.equal("/repositories/github.com/etalab/udata?lang=en");
    });

    it("redirects an owner named in another case", async () => {
      const { status, headers } = await get(web.url, "/owners/github.com/mtes-mct");
      expect(status).to.equal(301);
      expect(headers.get("location")).to.equal("/owners/github.com/MTES-MCT");
    });

    it("redirects /search to the repositories search with its query", async () => {
      const { status, headers } = await get(web.url, "/search?q=carte&language=Python");
      expect(status).to.equal(301);
      expect(headers.get("location")).to.equal("/repositories?q=carte&language=Python");
    });
  });

  describe("status page", () => {
    it("lists only the accounts of the chosen state", async () => {
      const failed = await get(web.url, "/status?status=failed&lang=en");
      expect(failed.html).to.include("ministere-disparu");
      expect(failed.html).not.to.include('id="account-github.com/etalab"');
      const all = await get(web.url, "/status");
      expect(all.html).to.include('id="account-github.com/etalab"');
      // Failures come first: an administration finds its broken account at the top.
      expect(all.html.indexOf("ministere-disparu")).to.be.lessThan(all.html.indexOf('id="account-github.com/etalab"'));
    });
  });

  describe("about page", () => {
    it("says the harvest is on demand when no schedule is configured", async () => {
      const manual = await startWebServer((database) => seedCatalogue(database.db), { harvestCron: "" });
      try {
        const { html } = await get(manual.url, "/about?lang=en");
        expect(html).to.include("started on demand");
        expect(html).not.to.include("cron expression");
      } finally {
        await manual.close();
      }
    });
  });

  describe("an empty catalogue", () => {
    it("renders every page without data", async () => {
      const empty = await startWebServer(() => {});
      try {
        for (const path of ["/", "/repositories", "/public-bodies", "/statistics", "/status", "/about"]) {
          const { status } = await get(empty.url, path);
          expect(status, path).to.equal(200);
        }
        expect((await get(empty.url, "/?lang=en")).html).to.include("The catalogue is empty: no harvest has run yet");
        expect(empty.logged).to.deep.equal([]);
      } finally {
        await empty.close();
      }
    });
  });
});
