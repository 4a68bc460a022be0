// The two languages: the dictionaries, the choice of language, the formats.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { createTranslator, isMessageKey, locales, messagesOf, negotiateLocale, translate } from "../../src/web/i18n/index.ts";
import type { Message } from "../../src/web/i18n/types.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { rootDir, startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, textOf } from "./http.ts";

function placeholders(message: Message): string[] {
  const texts = typeof message === "string" ? [message] : [message.one, message.other];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)))].sort();
}

describe("i18n", () => {
  describe("dictionaries", () => {
    it("give every message the same placeholders and the same form in both languages", () => {
      const fr = messagesOf("fr");
      const en = messagesOf("en");
      expect(Object.keys(en).sort()).to.deep.equal(Object.keys(fr).sort());
      for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
        expect(typeof en[key], key).to.equal(typeof fr[key]);
        expect(placeholders(en[key]), key).to.deep.equal(placeholders(fr[key]));
        for (const locale of locales) {
          const message = messagesOf(locale)[key];
          for (const text of typeof message === "string" ? [message] : [message.one, message.other]) expect(text.trim(), `${locale} ${key}`).not.to.equal("");
        }
      }
    });

    it("have every key the templates use", () => {
      const viewsDir = path.join(rootDir, "views");
      const used = new Set<string>();
      for (const file of fs.readdirSync(viewsDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".hbs"))) {
        for (const match of fs.readFileSync(path.join(viewsDir, file), "utf8").matchAll(/\(?t "([^"]+)"/g)) used.add(match[1]!);
      }
      expect(used.size).to.be.greaterThan(100);
      expect([...used].filter((key) => !isMessageKey(key))).to.deep.equal([]);
    });

    it("refuses an unknown key rather than showing it", () => {
      expect(() => translate("fr", "no.such.key")).to.throw(/no message "no.such.key"/);
    });

    it("chooses plural forms per language: French counts 0 as singular", () => {
      expect([0, 1, 2].map((count) => translate("fr", "common.repositories", { count }))).to.deep.equal(["0 dépôt", "1 dépôt", "2 dépôts"]);
      expect([0, 1, 2].map((count) => translate("en", "common.repositories", { count }))).to.deep.equal(["0 repositories", "1 repository", "2 repositories"]);
    });
  });

  describe("formats", () => {
    it("formats numbers per language", () => {
      expect(createTranslator("fr").number(1234567)).to.equal("1\u202f234\u202f567");
      expect(createTranslator("en").number(1234567)).to.equal("1,234,567");
      expect(translate("fr", "common.stars", { count: 1250 })).to.equal("1\u202f250 étoiles");
    });

    // Issue 13: small whole numbers are formatted and pluralised once, and must read as Intl says, twice over.
    it("formats and pluralises remembered numbers exactly as Intl does, and the others too", () => {
      for (const locale of locales) {
        const tag = locale === "fr" ? "fr-FR" : "en-GB";
        const number = new Intl.NumberFormat(tag);
        const plural = new Intl.PluralRules(tag);
        const message = messagesOf(locale)["common.stars"] as { one: string; other: string };
        for (const value of [0, 1, 2, 999, 1000, 9999, 10_000, 123_456, 1.5, -1, 0, 1, 1000]) {
          expect(createTranslator(locale).number(value), `${locale} ${value}`).to.equal(number.format(value));
          const form = plural.select(value) === "one" ? message.one : message.other;
          expect(translate(locale, "common.stars", { count: value }), `${locale} ${value}`).to.equal(form.replace("{count}", number.format(value)));
        }
        // Remembered or not, an unknown key is an error, and other parameters are never taken from a remembered text.
        for (let i = 0; i < 2; i++) expect(() => translate(locale, "no.such.key", { count: 1 })).to.throw(/no message/);
        expect(translate(locale, "search.moreValues", { count: 3 })).to.include(number.format(3));
        expect(translate(locale, "search.facetMore", { count: 3, name: "X" })).to.include("X");
        expect(translate(locale, "search.facetMore", { count: 3, name: "Y" })).to.include("Y");
      }
    });

    // Issue 13: a message with one short text parameter is remembered per value and per parameter name.
    it("remembers a message with one text parameter without mixing values or parameter names", () => {
      for (let i = 0; i < 2; i++) {
        expect(translate("fr", "search.titleQuery", { q: "carte" })).to.equal("Dépôts pour «\u00a0carte\u00a0»");
        expect(translate("fr", "search.titleQuery", { q: "api" })).to.equal("Dépôts pour «\u00a0api\u00a0»");
        expect(translate("en", "search.titleQuery", { q: "carte" })).to.equal("Repositories for “carte”");
        // The same value under another name fills another placeholder.
        expect(translate("en", "search.filterLabel", { name: "X" })).to.equal("X: {value}");
        expect(translate("en", "search.filterLabel", { value: "X" })).to.equal("{name}: X");
        // A number under another name than count: remembered apart from the count's texts.
        expect(translate("en", "pagination.page", { page: 3 })).to.equal(translate("en", "pagination.page", { page: 3 }));
        expect(translate("en", "pagination.page", { page: 3 })).to.include("3");
        expect(translate("en", "pagination.page", { count: 3 })).to.include("{page}");
        // A long text is translated each time, still right.
        const long = "mot ".repeat(40);
        expect(translate("en", "search.titleQuery", { q: long })).to.equal(`Repositories for “${long}”`);
      }
    });

    it("formats dates per language, in Paris time", () => {
      expect(createTranslator("fr").date("2013-11-05T10:00:00Z")).to.equal("5 novembre 2013");
      expect(createTranslator("en").date("2013-11-05T10:00:00Z")).to.equal("5 November 2013");
      // 23:30 UTC on New Year's Eve is already the new year in Paris.
      expect(createTranslator("fr").date("2024-12-31T23:30:00Z")).to.equal("1 janvier 2025");
      expect(createTranslator("en").date("not a date")).to.equal("");
      expect(createTranslator("en").date(null)).to.equal("");
    });

    // Issue 13: dates are remembered by UTC day before 22:00 UTC, by hour after; both must read as Intl says.
    it("formats remembered dates exactly as Intl does, around changes of day and of summer time", () => {
      const format = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });
      const starts = ["2024-03-30T00:00:00Z", "2024-10-26T00:00:00Z", "2024-12-31T00:00:00Z", "1999-06-15T00:00:00Z", "1979-12-31T00:00:00Z", "1975-07-01T00:00:00Z"];
      const i18n = createTranslator("fr");
      for (const start of starts) {
        // Every quarter of an hour of three days, each asked twice (the second from memory).
        for (let minutes = 0; minutes < 3 * 24 * 60; minutes += 15) {
          const iso = new Date(Date.parse(start) + minutes * 60_000).toISOString();
          for (let i = 0; i < 2; i++) expect(i18n.date(iso), iso).to.equal(format.format(new Date(iso)));
        }
      }
      // Other writings of a time: not remembered, still right.
      for (const iso of ["2024-03-31T01:30:00+00:00", "2024-03-31T23:30:00+02:00", "2024-03-31"]) expect(i18n.date(iso), iso).to.equal(format.format(new Date(iso)));
    });

    it("sorts names as a French reader expects", () => {
      expect(["Zèbre", "école", "Armées", "Éducation"].sort(createTranslator("fr").compare)).to.deep.equal(["Armées", "école", "Éducation", "Zèbre"]);
    });
  });

  describe("negotiation", () => {
    const cases: [string | undefined, string][] = [
      [undefined, "fr"],
      ["", "fr"],
      ["en-US,en;q=0.9", "en"],
      ["fr-CA", "fr"],
      ["de-DE,de;q=0.9,en;q=0.5", "en"],
      ["de", "fr"],
      ["fr;q=0.1, en;q=0.8", "en"],
      ["en;q=0, fr;q=0.5", "fr"],
      ["*", "fr"],
      [";;;,,,q=", "fr"],
    ];
    for (const [header, locale] of cases) {
      it(`reads ${JSON.stringify(header)} as ${locale}`, () => {
        expect(negotiateLocale(header)).to.equal(locale);
      });
    }
  });

  describe("over HTTP", () => {
    let web: WebServer;
    before(async () => {
      web = await startWebServer((database) => seedCatalogue(database.db));
    });
    after(async () => {
      await web.close();
    });

    it("follows Accept-Language when nothing else says", async () => {
      expect(textOf((await get(web.url, "/about", { "accept-language": "en-GB,en;q=0.8" })).html, "h1")).to.equal("About");
      expect(textOf((await get(web.url, "/about", { "accept-language": "es-ES" })).html, "h1")).to.equal("À propos");
    });

    it("remembers ?lang= in a cookie that later pages follow, over Accept-Language", async () => {
      const chosen = await get(web.url, "/about?lang=en", { "accept-language": "fr" });
      const cookie = chosen.headers.get("set-cookie") ?? "";
      expect(cookie).to.match(/^lang=en; Max-Age=31536000; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
      const later = await get(web.url, "/statistics", { "accept-language": "fr", cookie: "other=1; lang=en" });
      expect(textOf(later.html, "h1")).to.equal("Statistics");
      expect(later.headers.get("set-cookie"), "no new cookie without ?lang").to.equal(null);
    });

    it("lets ?lang= override the cookie, and ignores a language it does not have", async () => {
      expect(textOf((await get(web.url, "/about?lang=fr", { cookie: "lang=en" })).html, "h1")).to.equal("À propos");
      const unknown = await get(web.url, "/about?lang=de", { cookie: "lang=en" });
      expect(textOf(unknown.html, "h1")).to.equal("About");
      expect(unknown.headers.get("set-cookie")).to.equal(null);
    });

    it("tells caches that pages vary with the language", async () => {
      const { headers } = await get(web.url, "/");
      expect(headers.get("vary")).to.match(/Accept-Language/);
      expect(headers.get("vary")).to.match(/Cookie/);
    });

    it("shows numbers and dates in the page's language", async () => {
      const fr = await get(web.url, "/repositories/github.com/etalab/udata?lang=fr");
      const en = await get(web.url, "/repositories/github.com/etalab/udata?lang=en");
      expect(fr.html).to.include("<dd>1\u202f250</dd>");
      expect(fr.html).to.include("<dd>5 novembre 2013</dd>");
      expect(en.html).to.include("<dd>1,250</dd>");
      expect(en.html).to.include("<dd>5 November 2013</dd>");
    });
  });
});
