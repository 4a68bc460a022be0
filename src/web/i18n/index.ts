// The two languages of the site: messages, the choice of language, and the
// formatting of numbers and dates per language.
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { Message } from "./types.ts";

export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "fr";
export type MessageKey = keyof typeof fr;
export type MessageParams = Record<string, string | number>;

const dictionaries: Record<Locale, Record<MessageKey, Message>> = { fr, en };

/** Region used for formats: French conventions in French, British (day month year) in English. */
const formatLocales: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

// Dates are shown in the catalogue's home time zone: a push at 23:30 UTC is the next day in Paris.
const timeZone = "Europe/Paris";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

// A Set: pages look up about a hundred keys each, and Object.hasOwn on the
// large dictionary object showed in profiles of uncached pages.
const messageKeys: ReadonlySet<string> = new Set(Object.keys(fr));

export function isMessageKey(value: string): value is MessageKey {
  return messageKeys.has(value);
}

/**
 * The best language for an Accept-Language header: the first, by weight, whose
 * primary subtag we have ("en-US" is English); French when none matches.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return defaultLocale;
  const ranges = acceptLanguage
    .split(",")
    .slice(0, 20) // a hostile header may be long; the first few ranges decide anyway
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges.map((range) => range.primary).find(isLocale) ?? defaultLocale;
}

export interface Translator {
  locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  number(value: number): string;
  /** A calendar date ("22 novembre 2025"); "" for null or an unreadable date. */
  date(iso: string | null | undefined): string;
  /** Date and time to the minute. */
  dateTime(iso: string | null | undefined): string;
  /** Sorts names as a reader of this language expects (accents, case). */
  compare(a: string, b: string): number;
}

interface Formatters {
  number: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
  plural: Intl.PluralRules;
  collator: Intl.Collator;
}

// Intl objects are costly to build (tens of microseconds) and immutable: one set per language.
const formatters: Record<Locale, Formatters> = Object.fromEntries(
  locales.map((locale) => {
    const tag = formatLocales[locale];
    return [
      locale,
      {
        number: new Intl.NumberFormat(tag),
        date: new Intl.DateTimeFormat(tag, { day: "numeric", month: "long", year: "numeric", timeZone }),
        dateTime: new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone }),
        plural: new Intl.PluralRules(tag),
        collator: new Intl.Collator(tag, { sensitivity: "base", numeric: true }),
      },
    ];
  }),
) as Record<Locale, Formatters>;

function formatDate(format: Intl.DateTimeFormat, iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : format.format(date);
}

// Calendar dates memoised (issue 13: Intl's format() was a visible part of an
// uncached page, with a date on every card). Paris is UTC+1 or UTC+2 since
// 1976, so a time before 22:00 UTC falls on the same calendar day in Paris:
// such times are remembered by their UTC day (a few thousand days cover the
// catalogue), later ones by their UTC hour, exact because Paris changes offset
// on the hour. Before 1980, or with another offset than Z, nothing is assumed.
const utcHour = /^\d{4}-\d{2}-\d{2}T\d{2}/;
const dateMemo = new Map<Intl.DateTimeFormat, Map<string, string>>();
const dateMemoMax = 50_000;

function formatCalendarDate(format: Intl.DateTimeFormat, iso: string | null | undefined): string {
  if (!iso || iso < "1980" || !utcHour.test(iso) || !/(Z|[+-]00:?00)$/.test(iso)) return formatDate(format, iso);
  let memo = dateMemo.get(format);
  if (!memo || memo.size > dateMemoMax) dateMemo.set(format, (memo = new Map()));
  const hour = iso.slice(0, 13);
  const key = hour.slice(11) < "22" ? iso.slice(0, 10) : hour;
  let text = memo.get(key);
  if (text === undefined) memo.set(key, (text = formatDate(format, `${hour}:00:00Z`)));
  return text;
}

// Small whole numbers formatted and given their plural form once per language
// (issue 13: every result card counts its stars and forks, every facet value
// its repositories; Intl's format() and select() were a visible part of an
// uncached page). Exact: both depend on the number and the language only.
const smallMax = 10_000;
const smallNumbers: Record<Locale, { text: Map<number, string>; one: Map<number, boolean> }> = Object.fromEntries(
  locales.map((locale) => [locale, { text: new Map(), one: new Map() }]),
) as Record<Locale, { text: Map<number, string>; one: Map<number, boolean> }>;

function isSmall(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < smallMax;
}

function formatNumber(locale: Locale, value: number): string {
  if (!isSmall(value)) return formatters[locale].number.format(value);
  const memo = smallNumbers[locale].text;
  let text = memo.get(value);
  if (text === undefined) memo.set(value, (text = formatters[locale].number.format(value)));
  return text;
}

function isOne(locale: Locale, count: number): boolean {
  if (!isSmall(count)) return formatters[locale].plural.select(count) === "one";
  const memo = smallNumbers[locale].one;
  let one = memo.get(count);
  if (one === undefined) memo.set(count, (one = formatters[locale].plural.select(count) === "one"));
  return one;
}

// A message whose one parameter is a small number (each card's stars and forks,
// a page's results, the pagination's page numbers) or a short text (each card's "Active: {date}", a facet's
// name) is the same text for the same language, key and value: kept whole, at
// most rememberedMax texts per language (then started afresh). Issue 13: the
// text ones were translated anew on every page, a regular expression each.
const rememberedMax = 50_000;
/** Longer texts (a search's words) are rarely asked twice: not kept. */
const rememberedTextMax = 64;
const remembered: Record<Locale, { size: number; byKey: Map<string, Map<string | number, string>> }> = Object.fromEntries(
  locales.map((locale) => [locale, { size: 0, byKey: new Map() }]),
) as Record<Locale, { size: number; byKey: Map<string, Map<string | number, string>> }>;

/** The name of the message's one parameter when its value may be remembered, else null. */
function rememberedParam(params: MessageParams): string | null {
  let found: string | null = null;
  for (const name in params) {
    if (found !== null) return null;
    found = name;
  }
  if (found === null) return null;
  const value = params[found];
  if (typeof value === "number") return isSmall(value) ? found : null;
  return value !== undefined && value.length <= rememberedTextMax ? found : null;
}

/** The message for a key; throws on an unknown key, so a typo in a template fails its page test. */
export function translate(locale: Locale, key: string, params: MessageParams = {}): string {
  const name = rememberedParam(params);
  if (name === null) return translateAnew(locale, key, params);
  const value = params[name]!;
  // The parameter's name is part of what is remembered: {count: 3} and {page: 3} differ.
  const memoKey = name === "count" ? key : `${key}\u0000${name}`;
  const memo = remembered[locale];
  let byValue = memo.byKey.get(memoKey);
  const found = byValue?.get(value);
  if (found !== undefined) return found;
  const text = translateAnew(locale, key, params);
  if (memo.size >= rememberedMax) {
    memo.byKey.clear();
    memo.size = 0;
    byValue = undefined;
  }
  if (!byValue) memo.byKey.set(memoKey, (byValue = new Map()));
  byValue.set(value, text);
  memo.size++;
  return text;
}

function translateAnew(locale: Locale, key: string, params: MessageParams): string {
  if (!isMessageKey(key)) throw new Error(`no message "${key}"`);
  const message = dictionaries[locale][key];
  const text = typeof message === "string" ? message : message[isOne(locale, Number(params.count ?? 0)) ? "one" : "other"];
  // Most messages have no placeholder: skip the regular expression for them (a hot path of every page).
  if (!text.includes("{")) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(locale, value) : value;
  });
}

export function createTranslator(locale: Locale): Translator {
  const f = formatters[locale];
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    number: (value) => formatNumber(locale, value),
    date: (iso) => formatCalendarDate(f.date, iso),
    dateTime: (iso) => formatDate(f.dateTime, iso),
    compare: (a, b) => f.collator.compare(a, b),
  };
}

/** The messages of a language, for the dictionary checks of the tests. */
export function messagesOf(locale: Locale): Readonly<Record<MessageKey, Message>> {
  return dictionaries[locale];
}
