// Templates compiled per language with their fixed messages written in
// (issue 13): the pages must read exactly as with the `t` helper.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import Handlebars from "handlebars";
import { registerHelpers } from "../../src/web/helpers.ts";
import { translate } from "../../src/web/i18n/index.ts";
import { createViews, inlineMessages, stripIndentation } from "../../src/web/views.ts";
import { rootDir } from "../helpers/webServer.ts";

/** Renders `file` through the engine, as Express does. */
function render(engine: ReturnType<typeof createViews>["engine"], file: string, context: object): string {
  let out: string | undefined;
  engine(file, context, (error, html) => {
    if (error) throw error;
    out = html;
  });
  return out!;
}

describe("views compiled per language", () => {
  it("writes parameterless messages in, escaped, and leaves parameters, data keys and unknown keys to the helper", () => {
    const source = `{{t "site.name"}}|{{t "common.noLicense"}}|{{t "common.stars" count=2}}|{{t key}}|{{t "no.such.key"}}|{{~t "site.name"}}`;
    expect(inlineMessages(source, "en")).to.equal(`Code Commun|No licence|{{t "common.stars" count=2}}|{{t key}}|{{t "no.such.key"}}|{{~t "site.name"}}`);
    expect(inlineMessages(source, "fr")).to.contain("|Sans licence|");
  });

  it("renders the layout exactly as the helper does, in both languages", () => {
    // The reference: the same templates compiled as they are, every message through the helper.
    const reference = Handlebars.create();
    registerHelpers(reference);
    const layout = stripIndentation(fs.readFileSync(path.join(rootDir, "views", "layouts", "main.hbs"), "utf8"));
    const views = createViews(path.join(rootDir, "views"), registerHelpers);
    for (const lang of ["fr", "en"] as const) {
      const context = {
        lang,
        title: `<Titre & "page">`,
        assets: { dsfr: "/static/dsfr/1", css: "/static/app.css?v=1", searchJs: "/static/search.js?v=1" },
        nav: [{ href: "/", key: "nav.home", label: translate(lang, "nav.home"), current: true }, { href: "/about", key: "nav.about", label: translate(lang, "nav.about"), current: false }],
        langSwitch: { href: "/?lang=en", lang: "en" },
        operator: { name: "DINUM", email: "contact@example.fr" },
        layout: false,
      };
      const expected = reference.compile(layout)({ ...context });
      const html = render(views.engine, path.join(rootDir, "views", "layouts", "main.hbs"), context);
      expect(html).to.equal(expected);
      expect(html).to.contain(Handlebars.escapeExpression(translate(lang, "footer.description")));
    }
  });

  it("drops the indentation of lines, but keeps a line break between tags and every space of a <pre> or <textarea>", () => {
    expect(stripIndentation(`<ul>\n  <li>a</li>\n\n\t  <li>b {{x}}\n    c</li>\n</ul>`)).to.equal(`<ul>\n<li>a</li>\n<li>b {{x}}\nc</li>\n</ul>`);
    const pre = `<div>\n  <pre>  x\n    y</pre>\n</div>`;
    expect(stripIndentation(pre)).to.equal(pre);
    const textarea = `<form>\n  <textarea>\n  a</textarea>\n</form>`;
    expect(stripIndentation(textarea)).to.equal(textarea);
  });

  it("renders pages without indentation, a standalone partial included", () => {
    const views = createViews(path.join(rootDir, "views"), registerHelpers);
    const context = { lang: "en", layout: false, q: "", heading: "Search", listFacets: [], selects: [], sortSelect: { id: "sort", param: "sort", label: "Sort", options: [] }, activeFilters: [], total: 1, rangeFrom: 1, rangeTo: 1, results: [{ href: "/r", fullName: "a/b", host: "github.com", owner: "a", ownerHref: "/o", stars: 1, forks: 0 }], pagination: null };
    const html = render(views.engine, path.join(rootDir, "views", "pages", "search.hbs"), context);
    expect(html).to.contain(`<li class="cc-result">\n<h3 class="cc-result__title fr-h6"><a href="/r">a/b</a></h3>`);
    expect(html).not.to.match(/\n[ \t]/);
  });

  it("writes a card's figures in one helper call exactly as the three messages did", () => {
    const before = `{{t "common.stars" count=stars}} · {{t "common.forks" count=forks}}{{#if activityAt}} · {{t "common.updated" date=(date activityAt)}}{{/if}}`;
    const handlebars = Handlebars.create();
    registerHelpers(handlebars);
    const old = handlebars.compile(before);
    const now = handlebars.compile("{{cardFigures this}}");
    const cards = [
      { stars: 1, forks: 0, activityAt: "2025-03-04T10:00:00Z" },
      { stars: 12345, forks: 1, activityAt: null },
      { stars: 0, forks: 2, activityAt: "2024-12-31T23:30:00+01:00" },
    ];
    for (const lang of ["fr", "en"] as const) {
      for (const card of cards) {
        const html = now({ ...card }, { data: { root: { lang } } });
        expect(html).to.equal(old({ ...card }, { data: { root: { lang } } }));
        expect(html).to.contain(card.stars === 1 ? (lang === "en" ? "1 star " : "1 étoile ") : "");
      }
    }
    expect(now({ stars: 2, forks: 3, activityAt: "2025-03-04T10:00:00Z" }, { data: { root: { lang: "en" } } })).to.equal("2 stars · 3 forks · Active: 4 March 2025");
  });

  it("keeps an unknown key an error at render time, as before", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-views-"));
    try {
      fs.mkdirSync(path.join(dir, "pages"));
      fs.writeFileSync(path.join(dir, "pages", "x.hbs"), `<p>{{t "no.such.key"}}</p>`);
      const views = createViews(dir, registerHelpers);
      expect(() => render(views.engine, path.join(dir, "pages", "x.hbs"), { lang: "en", layout: false })).to.throw(/no message/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
