// The repeated markup written in TypeScript (issue 13) must read exactly as
// the Handlebars loops it replaces, hostile values included.
import { expect } from "chai";
import Handlebars from "handlebars";
import { escapeHtml, facetCheckboxesHtml, pageLinksHtml, repositoryCardsHtml, selectOptionsHtml, type FacetCheckbox } from "../../src/web/fragments.ts";
import { registerHelpers } from "../../src/web/helpers.ts";
import { createTranslator } from "../../src/web/i18n/index.ts";
import type { RepositoryCard } from "../../src/web/presenters/repository.ts";
import { stripIndentation } from "../../src/web/views.ts";

// The templates as they were before fragments.ts, indentation stripped as createViews does.
const formerCard = stripIndentation(`<li class="cc-result">
  <h3 class="cc-result__title fr-h6"><a href="{{href}}">{{fullName}}</a></h3>
  <p class="cc-result__meta fr-text--sm">{{host}} · <a href="{{ownerHref}}">{{owner}}</a></p>
  {{#if description}}<p class="cc-result__desc">{{description}}</p>{{/if}}
  <ul class="fr-badges-group">
    {{#if language}}<li><p class="fr-badge fr-badge--sm fr-badge--blue-cumulus">{{language}}</p></li>{{/if}}
    {{#if license}}<li><p class="fr-badge fr-badge--sm fr-badge--green-emeraude">{{license}}</p></li>{{else}}<li><p class="fr-badge fr-badge--sm">{{t "common.noLicense"}}</p></li>{{/if}}
    {{#if archived}}<li><p class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">{{t "common.archived"}}</p></li>{{/if}}
    {{#if fork}}<li><p class="fr-badge fr-badge--sm fr-badge--purple-glycine">{{t "common.fork"}}</p></li>{{/if}}
  </ul>
  <p class="cc-result__figures fr-text--xs">{{t "common.stars" count=stars}} · {{t "common.forks" count=forks}}{{#if activityAt}} · {{t "common.updated" date=(date activityAt)}}{{/if}}</p>
</li>
`);
const formerList = stripIndentation(`<ul class="cc-results">
  {{#each this}}{{> repositoryCard}}{{/each}}
</ul>
`);
const formerFacet = stripIndentation(`<fieldset>
              {{#each options}}
              <div class="fr-fieldset__element">
                <div class="fr-checkbox-group fr-checkbox-group--sm">
                  <input type="checkbox" id="{{id}}" name="{{../param}}" value="{{value}}"{{#if checked}} checked{{/if}}>
                  <label class="fr-label" for="{{id}}">{{label}} <span class="cc-facet__count">({{countText}})</span></label>
                </div>
              </div>
              {{/each}}
</fieldset>
`);
const newList = stripIndentation(`<ul class="cc-results">
  {{repositoryCards this}}
</ul>
`);
const formerPageLinks = stripIndentation(`<ul>
    {{#each items}}
    <li>{{#if (eq kind "gap")}}<span class="fr-pagination__link fr-displayed-lg">…</span>{{else}}<a class="fr-pagination__link" href="{{href}}" title="{{t "pagination.page" page=page}}"{{#if current}} aria-current="page"{{/if}}>{{page}}</a>{{/if}}</li>
    {{/each}}
</ul>`);
const newPageLinks = "<ul>\n{{pageLinks items}}\n</ul>";
const formerSelect = `<select>{{#each options}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select>`;
const newSelect = "<select>{{selectOptions options}}</select>";
const newFacet = "<fieldset>\n{{facetCheckboxes param options}}\n</fieldset>\n";

const hostile = `<script>alert("x")</script> & 'quote' \`tick\` a=b`;

function card(overrides: Partial<RepositoryCard>): RepositoryCard {
  return {
    href: "/repositories/github.com/etalab/udata",
    fullName: "etalab/udata",
    host: "github.com",
    owner: "etalab",
    ownerHref: "/owners/github.com/etalab",
    description: "Portail de données",
    language: "Python",
    license: "MIT",
    stars: 1250,
    forks: 1,
    archived: false,
    fork: false,
    activityAt: "2025-06-01T23:30:00Z",
    ...overrides,
  };
}

const cards: RepositoryCard[] = [
  card({}),
  card({ description: null, language: null, license: null, archived: true, fork: true, activityAt: null, stars: 0, forks: 0 }),
  card({ fullName: hostile, owner: hostile, host: hostile, description: hostile, language: hostile, license: hostile, href: `/repositories/x?a=1&b="2"`, ownerHref: "javascript:alert(1)" }),
  card({ fullName: "__proto__/constructor", owner: "__proto__", description: "constructor", language: "toString", license: "hasOwnProperty", activityAt: "not a date" }),
];

const checkboxes: FacetCheckbox[] = [
  { id: "facet-topic-0", value: "open-data", label: "open-data", countText: "1 250", checked: false },
  { id: "facet-topic-1", value: hostile, label: hostile, countText: "3", checked: true },
  { id: "facet-topic-2", value: "__proto__", label: "constructor", countText: "0", checked: false },
];

describe("fragments written in TypeScript", () => {
  it("escapes exactly as Handlebars does", () => {
    const samples = ["", "plain", "&", "<>", `"'\``, "a=b&c=d", "l'outil d'une \"carte\" <b>", "===", "&amp;", "é😀<", "\u0000=\uffff", hostile, "`=`", "x".repeat(1000) + "'"];
    // Every character from 0 to 200 alone, first, last and between letters.
    for (let code = 0; code < 200; code++) {
      const c = String.fromCharCode(code);
      samples.push(c, `${c}a`, `a${c}`, `a${c}b${c}`);
    }
    for (const sample of samples) expect(escapeHtml(sample), JSON.stringify(sample)).to.equal(Handlebars.Utils.escapeExpression(sample));
    for (const other of [null, undefined, 0, 12, false, true]) expect(escapeHtml(other)).to.equal(Handlebars.Utils.escapeExpression(other as never));
  });

  for (const lang of ["fr", "en"] as const) {
    it(`writes result cards exactly as the former template did (${lang})`, () => {
      const handlebars = Handlebars.create();
      registerHelpers(handlebars);
      handlebars.registerPartial("repositoryCard", formerCard);
      const expected = handlebars.compile(formerList)(cards, { data: { root: { lang } } });
      expect(handlebars.compile(newList)(cards, { data: { root: { lang } } })).to.equal(expected);
      expect(expected).to.include("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      expect(expected).not.to.include("<script>");
      // An empty list, or none, writes no card.
      expect(repositoryCardsHtml([], createTranslator(lang))).to.equal("");
      expect(handlebars.compile(newList)(null, { data: { root: { lang } } })).not.to.include("<li");
    });

    it(`writes facet checkboxes exactly as the former template did (${lang})`, () => {
      const handlebars = Handlebars.create();
      registerHelpers(handlebars);
      for (const param of ["topic", hostile]) {
        const context = { param, options: checkboxes };
        const expected = handlebars.compile(formerFacet)(context, { data: { root: { lang } } });
        expect(handlebars.compile(newFacet)(context, { data: { root: { lang } } }), param).to.equal(expected);
        expect(expected).to.include(" checked>");
        expect(expected).not.to.include("<script>");
      }
      expect(facetCheckboxesHtml("topic", [])).to.equal("");
    });

    it(`writes pagination items exactly as the former template did (${lang})`, () => {
      const handlebars = Handlebars.create();
      registerHelpers(handlebars);
      const items = [
        { kind: "page", page: 1, href: "/repositories?q=a&page=1", current: false },
        { kind: "gap" },
        { kind: "page", page: 1250, href: `/repositories?q=${hostile}`, current: true },
        { kind: "page", page: 1251, href: "/repositories?q=a&page=1251", current: false },
        { kind: "gap" },
      ];
      const expected = handlebars.compile(formerPageLinks)({ items }, { data: { root: { lang } } });
      expect(handlebars.compile(newPageLinks)({ items }, { data: { root: { lang } } })).to.equal(expected);
      expect(expected).to.include(` aria-current="page">1250</a>`);
      expect(pageLinksHtml([], createTranslator(lang))).to.equal("");
    });

    it(`writes menu options exactly as the former template did (${lang})`, () => {
      const handlebars = Handlebars.create();
      registerHelpers(handlebars);
      const context = { options: [{ value: "", label: "Tous", selected: false }, { value: hostile, label: hostile, selected: true }, { value: "__proto__", label: "constructor", selected: false }] };
      const expected = handlebars.compile(formerSelect)(context, { data: { root: { lang } } });
      expect(handlebars.compile(newSelect)(context, { data: { root: { lang } } })).to.equal(expected);
      expect(expected).to.include(" selected>");
      expect(selectOptionsHtml([])).to.equal("");
    });
  }
});
