// Handlebars helpers of the pages. They read the language from the page's
// root context (`lang`, set per request), so partials need not pass it down.
// Every helper returns plain text: Handlebars escapes it like any value; but
// the fragment helpers, whose markup fragments.ts writes with every value
// escaped (issue 13).
import type Handlebars from "handlebars";
import { cardFigures, facetCheckboxesHtml, pageLinksHtml, repositoryCardsHtml, selectOptionsHtml, type FacetCheckbox, type SelectOption } from "./fragments.ts";
import type { PageItem } from "./presenters/pagination.ts";
import type { RepositoryCard } from "./presenters/repository.ts";
import { createTranslator, defaultLocale, isLocale, type MessageParams, type Translator } from "./i18n/index.ts";

type HelperOptions = Handlebars.HelperOptions;

const translators = new Map<string, Translator>();

function translatorOf(options: HelperOptions): Translator {
  const lang: unknown = options.data?.root?.lang;
  const locale = isLocale(lang) ? lang : defaultLocale;
  let translator = translators.get(locale);
  if (!translator) translators.set(locale, (translator = createTranslator(locale)));
  return translator;
}

export function registerHelpers(handlebars: typeof Handlebars): void {
  /** {{t "key" name=value}}: the message in the page's language. */
  handlebars.registerHelper("t", function (key: unknown, options: HelperOptions) {
    return translatorOf(options).t(String(key) as never, options.hash as MessageParams);
  });
  handlebars.registerHelper("number", (value: unknown, options: HelperOptions) =>
    typeof value === "number" ? translatorOf(options).number(value) : "",
  );
  handlebars.registerHelper("date", (value: unknown, options: HelperOptions) =>
    typeof value === "string" ? translatorOf(options).date(value) : "",
  );
  handlebars.registerHelper("dateTime", (value: unknown, options: HelperOptions) =>
    typeof value === "string" ? translatorOf(options).dateTime(value) : "",
  );
  handlebars.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  /**
   * {{cardFigures this}}: a result card's "12 stars · 3 forks · Active: date"
   * in one helper call instead of four and a block (issue 13), word for word
   * what the three messages say.
   */
  handlebars.registerHelper("cardFigures", (card: RepositoryCard | undefined, options: HelperOptions) =>
    card ? cardFigures(card, translatorOf(options)) : "",
  );
  // ---- issue 13 (uncached pages): repeated markup written by fragments.ts ----
  /** {{repositoryCards list}}: the `<li>` of each result card. */
  handlebars.registerHelper("repositoryCards", (cards: unknown, options: HelperOptions) =>
    new handlebars.SafeString(Array.isArray(cards) ? repositoryCardsHtml(cards as RepositoryCard[], translatorOf(options)) : ""),
  );
  /** {{facetCheckboxes param options}}: a search facet's checkboxes. */
  handlebars.registerHelper("facetCheckboxes", (param: unknown, checkboxes: unknown) =>
    new handlebars.SafeString(Array.isArray(checkboxes) ? facetCheckboxesHtml(String(param), checkboxes as FacetCheckbox[]) : ""),
  );
  /** {{selectOptions options}}: a select menu's options. */
  handlebars.registerHelper("selectOptions", (options: unknown) =>
    new handlebars.SafeString(Array.isArray(options) ? selectOptionsHtml(options as SelectOption[]) : ""),
  );
  /** {{pageLinks items}}: a pagination's numbered items. */
  handlebars.registerHelper("pageLinks", (items: unknown, options: HelperOptions) =>
    new handlebars.SafeString(Array.isArray(items) ? pageLinksHtml(items as PageItem[], translatorOf(options)) : ""),
  );
  // ---- end issue 13 ----
}
