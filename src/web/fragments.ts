// The markup repeated many times on a page, built here rather than by a
// Handlebars loop (issue 13, profiled on uncached search pages): the twenty
// result cards, the forty-odd facet checkboxes and thirty-odd menu options of a search page were half
// of its rendering, in per-value property look-ups, helper frames and calls
// to the escaper (some 350 of them a page). A function writing the same
// markup with one string per item costs a fraction of that.
//
// Each function writes exactly what its former template wrote, escaping every
// value with Handlebars' own escaper: the pages read the same, byte for byte
// (test/web/fragments.test.ts compares them with the templates they replace).
// Templates insert the result with a helper returning a SafeString (helpers.ts).
import Handlebars from "handlebars";
import type { Translator } from "./i18n/index.ts";
import type { PageItem } from "./presenters/pagination.ts";
import type { RepositoryCard } from "./presenters/repository.ts";

/** A character Handlebars' escaper escapes. */
const escapable = /[&<>"'`=]/;

/**
 * Handlebars.Utils.escapeExpression for a string, character for character:
 * Handlebars' own calls a function for each escaped character through
 * String.replace, and French descriptions (l'outil, d'une…) and URLs (=, &)
 * have several (issue 13). Most strings have none: one regular-expression
 * test, as Handlebars does. Anything but a string goes to Handlebars' own.
 */
export function escapeHtml(value: unknown): string {
  if (typeof value !== "string") return Handlebars.Utils.escapeExpression(value as string);
  if (!escapable.test(value)) return value;
  let out = "";
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    let entity: string;
    switch (value.charCodeAt(i)) {
      case 38: entity = "&amp;"; break;
      case 60: entity = "&lt;"; break;
      case 62: entity = "&gt;"; break;
      case 34: entity = "&quot;"; break;
      case 39: entity = "&#x27;"; break;
      case 96: entity = "&#x60;"; break;
      case 61: entity = "&#x3D;"; break;
      default: continue;
    }
    out += value.slice(from, i) + entity;
    from = i + 1;
  }
  return out + value.slice(from);
}

const escape = escapeHtml;

/** One checkbox of a facet, as the search page's filter panel lists them. */
export interface FacetCheckbox {
  id: string;
  value: string;
  label: string;
  countText: string;
  checked: boolean;
}

/** The checkboxes of one facet (`param`: the URL parameter they set), one `fr-fieldset__element` each. */
export function facetCheckboxesHtml(param: string, options: readonly FacetCheckbox[]): string {
  const name = escape(param);
  let html = "";
  for (const option of options) {
    const id = escape(option.id);
    // Between checkboxes a line break; the template's line gives the last one.
    html +=
      (html ? "\n" : "") +
      `<div class="fr-fieldset__element">\n<div class="fr-checkbox-group fr-checkbox-group--sm">\n` +
      `<input type="checkbox" id="${id}" name="${name}" value="${escape(option.value)}"${option.checked ? " checked" : ""}>\n` +
      `<label class="fr-label" for="${id}">${escape(option.label)} <span class="cc-facet__count">(${escape(option.countText)})</span></label>\n` +
      `</div>\n</div>`;
  }
  return html;
}

/** An option of a select menu (the search page's yes/no filters, activity and sort). */
export interface SelectOption {
  value: string;
  label: string;
  selected: boolean;
}

/** The `<option>`s of a select menu, on one line. */
export function selectOptionsHtml(options: readonly SelectOption[]): string {
  let html = "";
  for (const option of options) html += `<option value="${escape(option.value)}"${option.selected ? " selected" : ""}>${escape(option.label)}</option>`;
  return html;
}

/** The badges' words, escaped once per language. */
const badgeWords = new Map<string, { noLicense: string; archived: string; fork: string }>();

function badgesOf(i18n: Translator): { noLicense: string; archived: string; fork: string } {
  let words = badgeWords.get(i18n.locale);
  if (!words) {
    words = { noLicense: escape(i18n.t("common.noLicense")), archived: escape(i18n.t("common.archived")), fork: escape(i18n.t("common.fork")) };
    badgeWords.set(i18n.locale, words);
  }
  return words;
}

/** "12 stars · 3 forks · Active: date": a card's figures as its three messages say them. */
export function cardFigures(card: Pick<RepositoryCard, "stars" | "forks" | "activityAt">, i18n: Translator): string {
  const figures = `${i18n.t("common.stars", { count: card.stars })} · ${i18n.t("common.forks", { count: card.forks })}`;
  return card.activityAt ? `${figures} · ${i18n.t("common.updated", { date: i18n.date(card.activityAt) })}` : figures;
}

/** The `<li>` of each repository of a result list (search, home, owner pages). */
export function repositoryCardsHtml(cards: readonly RepositoryCard[], i18n: Translator): string {
  const words = badgesOf(i18n);
  let html = "";
  for (const card of cards) {
    html +=
      `<li class="cc-result">\n` +
      `<h3 class="cc-result__title fr-h6"><a href="${escape(card.href)}">${escape(card.fullName)}</a></h3>\n` +
      `<p class="cc-result__meta fr-text--sm">${escape(card.host)} · <a href="${escape(card.ownerHref)}">${escape(card.owner)}</a></p>\n` +
      (card.description ? `<p class="cc-result__desc">${escape(card.description)}</p>` : "") +
      `\n<ul class="fr-badges-group">\n` +
      (card.language ? `<li><p class="fr-badge fr-badge--sm fr-badge--blue-cumulus">${escape(card.language)}</p></li>` : "") +
      `\n` +
      (card.license ? `<li><p class="fr-badge fr-badge--sm fr-badge--green-emeraude">${escape(card.license)}</p></li>` : `<li><p class="fr-badge fr-badge--sm">${words.noLicense}</p></li>`) +
      `\n` +
      (card.archived ? `<li><p class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">${words.archived}</p></li>` : "") +
      `\n` +
      (card.fork ? `<li><p class="fr-badge fr-badge--sm fr-badge--purple-glycine">${words.fork}</p></li>` : "") +
      `\n</ul>\n` +
      `<p class="cc-result__figures fr-text--xs">${escape(cardFigures(card, i18n))}</p>\n` +
      `</li>\n`;
  }
  return html;
}

/** The numbered items of a pagination (`views/partials/pagination.hbs`): a gap, or a link to a page, in an `<li>` each. */
export function pageLinksHtml(items: readonly PageItem[], i18n: Translator): string {
  let html = "";
  for (const item of items) {
    // Between items a line break; the template's line gives the last one.
    if (html) html += "\n";
    html +=
      item.kind === "gap"
        ? `<li><span class="fr-pagination__link fr-displayed-lg">…</span></li>`
        : `<li><a class="fr-pagination__link" href="${escape(item.href)}" title="${escape(i18n.t("pagination.page", { page: item.page }))}"${item.current ? ` aria-current="page"` : ""}>${escape(item.page)}</a></li>`;
  }
  return html;
}
