// The search page: its state read from the URL (every state is a URL, so any
// result can be shared), the query given to the search engine, and the view
// model of results, facets, active filters and pages.
import { facetValueLimit } from "../../search/searchIndex.ts";
import { sortKeys, type SearchQuery, type SearchResult, type SortKey } from "../../search/types.ts";
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import { HttpError } from "../errors.ts";
import { isMessageKey, messagesOf, type MessageKey, type Translator } from "../i18n/index.ts";
import { withQuery } from "../urls.ts";
import { paginate, parsePage, type Pagination } from "./pagination.ts";
import { publicBodyName } from "./publicBody.ts";
import { licenseLabel, toRepositoryCard, type RepositoryCard } from "./repository.ts";

export const searchPath = "/repositories";
export const resultsPerPage = 20;
// Limits on what a URL may ask: enough for any real use, bounded for the engine.
const maxValuesPerFilter = 20;
const maxValueLength = 200;
const maxQueryLength = 500;
/**
 * Values offered per facet; selected values are always shown besides. Five
 * (issue 13): nine facets of ten checkboxes were 20 KB of a 33 KB page, the
 * largest part of rendering an uncached search page and a long list to tab or
 * listen through; a link under each facet shows the rest.
 */
export const facetOptionsShown = 5;
/**
 * Values a facet shows when the reader asked for all of them ("more"): as many
 * as the engine counts per facet (facetValueLimit), the rest through a search.
 */
export const facetOptionsExpanded = facetValueLimit;

export type ListFacet = "language" | "license" | "publicBody" | "host" | "topic" | "owner" | "category" | "developmentStatus" | "softwareType";
export type BoolFacet = "archived" | "fork" | "hasLicense" | "hasPubliccode" | "publiccodeValid" | "reused";

/** URL parameter of each filter, in the order of the filter panel. */
export const listFacetParams: Readonly<Record<ListFacet, string>> = {
  language: "language",
  license: "license",
  publicBody: "public_body",
  host: "host",
  topic: "topic",
  owner: "owner",
  // issue 9: publiccode.yml
  category: "category",
  developmentStatus: "development_status",
  softwareType: "software_type",
};
export const boolFacetParams: Readonly<Record<BoolFacet, string>> = {
  archived: "archived",
  fork: "fork",
  hasLicense: "has_license",
  // issue 9
  hasPubliccode: "has_publiccode",
  publiccodeValid: "publiccode_valid",
  // issue 10
  reused: "reused",
};
const listFacets = Object.keys(listFacetParams) as ListFacet[];
const boolFacets = Object.keys(boolFacetParams) as BoolFacet[];

export interface SearchState {
  q: string;
  lists: Record<ListFacet, string[]>;
  bools: Partial<Record<BoolFacet, boolean>>;
  /** YYYY-MM-DD. */
  activeSince: string | null;
  /** null: the default, relevance with words to match, recent activity without. */
  sort: SortKey | null;
  page: number;
  /** Facets whose values are all shown (`more=language`): how the page looks, not what it finds. */
  more: ListFacet[];
}

/** A 400 with the English message of the API and the reader's message for the page. */
function invalid(message: string, key: MessageKey, params: Record<string, string> = {}): never {
  throw new HttpError(400, "invalid_parameter", message, undefined, { key, params });
}

function values(raw: unknown): string[] {
  // Most filters are absent from a URL: no Set to build for them (issue 13).
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const found = new Set<string>();
  for (const item of list) {
    if (typeof item !== "string") continue;
    const value = item.trim().slice(0, maxValueLength);
    if (value) found.add(value);
  }
  return [...found].slice(0, maxValuesPerFilter);
}

/** The value of a parameter meant once; repeated, the last one wins. */
function single(raw: unknown): string | undefined {
  const value: unknown = Array.isArray(raw) ? raw.at(-1) : raw;
  return typeof value === "string" ? value : undefined;
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Reads the page's state from its query string; a malformed parameter is a 400, free text never is. */
export function parseSearchState(query: Record<string, unknown>): SearchState {
  const lists = Object.fromEntries(listFacets.map((facet) => [facet, values(query[listFacetParams[facet]])])) as Record<ListFacet, string[]>;
  const bools: Partial<Record<BoolFacet, boolean>> = {};
  for (const facet of boolFacets) {
    const raw = single(query[boolFacetParams[facet]]);
    if (raw === undefined || raw === "") continue;
    if (raw !== "true" && raw !== "false") invalid(`${boolFacetParams[facet]} must be true or false`, "error.param.boolean", { name: boolFacetParams[facet] });
    bools[facet] = raw === "true";
  }
  const activeSince = single(query.active_since) || null;
  if (activeSince !== null && !isIsoDate(activeSince)) invalid("active_since must be a date, YYYY-MM-DD", "error.param.date", { name: "active_since" });
  const sortRaw = single(query.sort) || null;
  if (sortRaw !== null && !(sortKeys as readonly string[]).includes(sortRaw)) invalid(`sort must be one of ${sortKeys.join(", ")}`, "error.param.oneOf", { name: "sort", values: sortKeys.join(", ") });
  const page = parsePage(single(query.page));
  if (page === null) invalid("page must be a whole number from 1", "error.param.page", { name: "page" });
  const more: ListFacet[] = [];
  for (const param of values(query.more)) {
    const facet = listFacets.find((name) => listFacetParams[name] === param);
    if (!facet) invalid(`more must name filters among ${listFacets.map((name) => listFacetParams[name]).join(", ")}`, "error.param.oneOf", { name: "more", values: listFacets.map((name) => listFacetParams[name]).join(", ") });
    more.push(facet);
  }
  return { q: (single(query.q) ?? "").trim().slice(0, maxQueryLength), lists, bools, activeSince, sort: sortRaw as SortKey | null, page, more };
}

export function effectiveSort(state: SearchState): SortKey {
  return state.sort ?? (state.q ? "relevance" : "activity");
}

export function toSearchQuery(state: SearchState): SearchQuery {
  const filters: SearchQuery["filters"] = {};
  for (const facet of listFacets) if (state.lists[facet].length > 0) filters[facet] = state.lists[facet];
  for (const facet of boolFacets) if (state.bools[facet] !== undefined) filters[facet] = state.bools[facet];
  if (state.activeSince) filters.activeSince = state.activeSince;
  return { q: state.q, filters, sort: effectiveSort(state), page: state.page, perPage: resultsPerPage };
}

function stateParams(state: SearchState): Record<string, string | number | string[] | null> {
  const params: Record<string, string | number | string[] | null> = { q: state.q };
  for (const facet of listFacets) params[listFacetParams[facet]] = state.lists[facet];
  for (const facet of boolFacets) params[boolFacetParams[facet]] = state.bools[facet] === undefined ? null : String(state.bools[facet]);
  params.active_since = state.activeSince;
  params.sort = state.sort;
  params.page = state.page > 1 ? state.page : null;
  params.more = state.more.map((facet) => listFacetParams[facet]);
  return params;
}

/** The URL of a state. Any change of filter or sort starts again from page 1. */
export function searchHref(state: SearchState): string {
  return withQuery(searchPath, stateParams(state));
}

/**
 * The URLs of a state at another page or with other facets unfolded, all
 * equal to `searchHref({ ...state, page, more })` (issue 13): the text,
 * filters and sort are encoded once, not again for each page link and each
 * facet's toggle. `page` and `more` come last in the query string, so a URL
 * is that prefix and its own tail.
 */
function searchHrefs(state: SearchState): (page: number, more: readonly ListFacet[]) => string {
  const fixed = withQuery("", Object.assign(stateParams(state), { page: null, more: null }));
  return (page, more) => {
    let query = fixed;
    if (page > 1) query += `${query ? "&" : "?"}page=${page}`;
    // Facet parameters are [a-z_]: nothing to encode.
    for (const facet of more) query += `${query ? "&" : "?"}more=${listFacetParams[facet]}`;
    return searchPath + query;
  };
}

export function emptySearchState(): SearchState {
  return { q: "", lists: { language: [], license: [], publicBody: [], host: [], topic: [], owner: [], category: [], developmentStatus: [], softwareType: [] }, bools: {}, activeSince: null, sort: null, page: 1, more: [] };
}

function hasFilters(state: SearchState): boolean {
  return listFacets.some((facet) => state.lists[facet].length > 0) || boolFacets.some((facet) => state.bools[facet] !== undefined) || state.activeSince !== null;
}

interface FacetOption {
  id: string;
  value: string;
  label: string;
  count: number;
  /** The count as the reader's language writes it, here rather than a helper call for each value (issue 13). */
  countText: string;
  checked: boolean;
}

interface ListFacetView {
  param: string;
  legend: string;
  legendId: string;
  options: FacetOption[];
  /** The link to the facet's other values (or back to the most frequent), or null when all are shown. */
  toggle: { href: string; label: string; expanded: boolean } | null;
  /** More values exist than even the expanded facet shows: a search narrows them down. */
  capped: boolean;
}

interface SelectView {
  id: string;
  param: string;
  label: string;
  options: { value: string; label: string; selected: boolean }[];
}

interface ActiveFilter {
  label: string;
  removeLabel: string;
  removeHref: string;
}

export interface SearchPage {
  title: string;
  heading: string;
  q: string;
  sortSelect: SelectView;
  listFacets: ListFacetView[];
  /** How many values an expanded facet offers at most. */
  facetLimit: number;
  /** URL parameters of the expanded facets, kept as hidden fields so that a change of filter keeps them open. */
  moreParams: string[];
  selects: SelectView[];
  activeFilters: ActiveFilter[];
  clearFiltersHref: string | null;
  total: number;
  rangeFrom: number;
  rangeTo: number;
  results: RepositoryCard[];
  pagination: Pagination | null;
  noResults: boolean;
  pageOutOfRange: { page: number; pages: number; href: string } | null;
}

function facetLabel(facet: ListFacet, value: string, directory: PublicBodyDirectory, i18n: Translator): string {
  if (facet === "publicBody") return publicBodyName(directory, value, i18n).name;
  if (facet === "license") return licenseLabel(value, i18n) ?? value;
  // issue 9: publiccode.yml enumerations in the page's language, unknown values as they are
  if (facet === "developmentStatus" || facet === "softwareType") {
    const key = `publiccode.${facet === "developmentStatus" ? "status" : "type"}.${value}`;
    return isMessageKey(key) ? i18n.t(key) : value;
  }
  return value;
}

/** "Archived only (12)": the message's parts around the number when known, else the message. */
function optionLabel(labels: PanelLabels, value: string, count: number, i18n: Translator): string {
  const parts = labels.option;
  return parts ? parts[0] + value + parts[1] + i18n.number(count) + parts[2] : i18n.t("search.option", { value, count });
}

/** The activity presets' dates (6, 12, 24 and 60 months ago), computed once a day rather than on every page. */
let presetDatesOf: { day: number; dates: string[] } | null = null;

function presetDates(now: Date): string[] {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (presetDatesOf?.day !== day) {
    const monthsAgo = (months: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate())).toISOString().slice(0, 10);
    presetDatesOf = { day, dates: [monthsAgo(6), monthsAgo(12), monthsAgo(24), monthsAgo(60)] };
  }
  return presetDatesOf.dates;
}

/** Presets of the activity filter, as dates computed today so the URL stays a plain date. */
function activeSinceOptions(state: SearchState, now: Date, i18n: Translator, labels: PanelLabels): SelectView["options"] {
  const dates = presetDates(now);
  const presets: { value: string; label: string }[] = dates.map((value, i) => ({ value, label: labels.activePresets[i]! }));
  // A shared link made on another day carries a date that is no preset: show it as it is.
  if (state.activeSince && !presets.some((preset) => preset.value === state.activeSince)) {
    presets.push({ value: state.activeSince, label: i18n.t("search.active.since", { date: i18n.date(state.activeSince) }) });
  }
  return [
    { value: "", label: labels.activeAny, selected: state.activeSince === null },
    // The presets are shared: copied, not written to (a spread followed by properties is slow on Node 20: see toRepositoryPage).
    ...presets.map((preset) => Object.assign({}, preset, { selected: preset.value === state.activeSince })),
  ];
}

/**
 * What the filter panel says whatever the search, once per language (issue 13):
 * facet names, the options of the yes/no filters, the sort menu for each sort.
 * Translating them on every page was the largest part of the presenter's time.
 * Shared by the pages of that language: views only read them.
 */
interface PanelLabels {
  facetName: Record<ListFacet | BoolFacet | "activeSince", string>;
  /** "Show only the 5 most frequent values of …", per facet. */
  facetFewer: Record<ListFacet, string>;
  /** "Show the N most frequent values of …", per facet and N, filled as asked (N ≤ facetOptionsExpanded). */
  facetMore: Map<string, string>;
  boolAny: string;
  boolValue: Record<BoolFacet, Record<"true" | "false", string>>;
  /** "{value} ({count})" around its two parameters, or null to translate each time. */
  option: [string, string, string] | null;
  activeAny: string;
  activePresets: [string, string, string, string];
  sortSelect: Record<SortKey, SelectView>;
}

const panelLabelsByLocale = new Map<string, PanelLabels>();

/**
 * The parts of a message around its two parameters, found by translating it
 * with markers; null for a message with plural forms (its text changes with a
 * count) or whose parameters are not each there once, in this order.
 */
function messageParts(i18n: Translator, key: MessageKey, first: string, second: string): [string, string, string] | null {
  if (typeof messagesOf(i18n.locale)[key] !== "string") return null;
  const text = i18n.t(key, { [first]: "\u0000", [second]: "\u0001" });
  const parts = text.split(/\u0000|\u0001/);
  return parts.length === 3 && text.indexOf("\u0000") < text.indexOf("\u0001") ? [parts[0]!, parts[1]!, parts[2]!] : null;
}

function panelLabels(i18n: Translator): PanelLabels {
  const found = panelLabelsByLocale.get(i18n.locale);
  if (found) return found;
  const facetName = Object.fromEntries([...listFacets, ...boolFacets, "activeSince"].map((facet) => [facet, i18n.t(`search.facet.${facet}` as MessageKey)])) as PanelLabels["facetName"];
  const labels: PanelLabels = {
    facetName,
    facetFewer: Object.fromEntries(listFacets.map((facet) => [facet, i18n.t("search.facetFewer", { name: facetName[facet], count: facetOptionsShown })])) as PanelLabels["facetFewer"],
    facetMore: new Map(),
    boolAny: i18n.t("search.bool.any"),
    boolValue: Object.fromEntries(
      boolFacets.map((facet) => [facet, { true: i18n.t(`search.${facet}.true` as MessageKey), false: i18n.t(`search.${facet}.false` as MessageKey) }]),
    ) as PanelLabels["boolValue"],
    option: messageParts(i18n, "search.option", "value", "count"),
    activeAny: i18n.t("search.active.any"),
    activePresets: [i18n.t("search.active.months", { count: 6 }), i18n.t("search.active.years", { count: 1 }), i18n.t("search.active.years", { count: 2 }), i18n.t("search.active.years", { count: 5 })],
    sortSelect: Object.fromEntries(
      sortKeys.map((sort) => [
        sort,
        { id: "sort", param: "sort", label: i18n.t("search.sort"), options: sortKeys.map((key) => ({ value: key, label: i18n.t(`search.sort.${key}`), selected: key === sort })) },
      ]),
    ) as PanelLabels["sortSelect"],
  };
  panelLabelsByLocale.set(i18n.locale, labels);
  return labels;
}

function facetMoreLabel(labels: PanelLabels, facet: ListFacet, count: number, i18n: Translator): string {
  const key = `${facet} ${count}`;
  let label = labels.facetMore.get(key);
  if (label === undefined) labels.facetMore.set(key, (label = i18n.t("search.facetMore", { name: labels.facetName[facet], count })));
  return label;
}

/** The count of a yes/no facet's value, 0 when the engine counted none. */
function boolCount(result: SearchResult, facet: BoolFacet, value: string): number {
  return result.facets[facet]?.find((option) => option.value === value)?.count ?? 0;
}

/** The URL of the state without one of its filters, back at page 1. */
function searchHrefWithout(state: SearchState, change: (copy: SearchState) => void): string {
  const copy: SearchState = Object.assign({}, state, { lists: { ...state.lists }, bools: { ...state.bools }, page: 1 }); // a spread followed by properties is slow on Node 20: see toRepositoryPage
  change(copy);
  return searchHref(copy);
}

function activeFilter(i18n: Translator, name: string, value: string, removeHref: string): ActiveFilter {
  return { label: i18n.t("search.filterLabel", { name, value }), removeLabel: i18n.t("search.removeFilter", { name, value }), removeHref };
}

// No closure is made per page below unless it is needed (issue 13): under tsx
// (the production server runs through it) each named closure also costs a
// defineProperty for its name, visible in profiles of the presenter.
export function presentSearch(state: SearchState, result: SearchResult, directory: PublicBodyDirectory, i18n: Translator, now: Date): SearchPage {
  const labels = panelLabels(i18n);
  const facetName = labels.facetName;
  const hrefAt = searchHrefs(state);

  const listFacetViews: ListFacetView[] = listFacets.map((facet) => {
    const counted = result.facets[facet] ?? [];
    // A few values at most (maxValuesPerFilter): an array search, no Set to build.
    const selected = state.lists[facet];
    const expanded = state.more.includes(facet);
    const offered = counted.slice(0, expanded ? facetOptionsExpanded : facetOptionsShown);
    for (const value of state.lists[facet]) {
      if (!offered.some((option) => option.value === value)) offered.push({ value, count: counted.find((c) => c.value === value)?.count ?? 0 });
    }
    const name = facetName[facet];
    // The page comes back at this facet, and keeps its page of results: showing values finds nothing new.
    const toggle =
      counted.length <= facetOptionsShown
        ? null
        : expanded
          ? { href: `${hrefAt(state.page, state.more.filter((f) => f !== facet))}#facet-${facet}`, label: labels.facetFewer[facet], expanded: true }
          : { href: `${hrefAt(state.page, [...state.more, facet])}#facet-${facet}`, label: facetMoreLabel(labels, facet, Math.min(counted.length, facetOptionsExpanded), i18n), expanded: false };
    return {
      param: listFacetParams[facet],
      legend: name,
      legendId: `facet-${facet}`,
      options: offered.map((option, index) => ({
        id: `facet-${facet}-${index}`,
        value: option.value,
        label: facetLabel(facet, option.value, directory, i18n),
        count: option.count,
        countText: i18n.number(option.count),
        checked: selected.includes(option.value),
      })),
      toggle,
      // The engine lists at most facetValueLimit values (and the chosen ones besides): a full list may have more behind it.
      capped: expanded && counted.length >= facetValueLimit,
    };
  }).filter((view) => view.options.length > 0);

  const selects: SelectView[] = boolFacets.map((facet) => {
    const current = state.bools[facet];
    return {
      id: `filter-${boolFacetParams[facet]}`,
      param: boolFacetParams[facet],
      label: facetName[facet],
      options: [
        { value: "", label: labels.boolAny, selected: current === undefined },
        ...(["true", "false"] as const).map((value) => ({
          value,
          label: optionLabel(labels, labels.boolValue[facet][value], boolCount(result, facet, value), i18n),
          selected: String(current) === value,
        })),
      ],
    };
  });
  selects.push({ id: "filter-active_since", param: "active_since", label: facetName.activeSince, options: activeSinceOptions(state, now, i18n, labels) });

  const activeFilters: ActiveFilter[] = [];
  for (const facet of listFacets) {
    for (const value of state.lists[facet]) {
      activeFilters.push(activeFilter(i18n, facetName[facet], facetLabel(facet, value, directory, i18n), searchHrefWithout(state, (copy) => {
        copy.lists[facet] = copy.lists[facet].filter((v) => v !== value);
      })));
    }
  }
  for (const facet of boolFacets) {
    const value = state.bools[facet];
    if (value === undefined) continue;
    activeFilters.push(activeFilter(i18n, facetName[facet], labels.boolValue[facet][String(value) as "true" | "false"], searchHrefWithout(state, (copy) => {
      delete copy.bools[facet];
    })));
  }
  if (state.activeSince) {
    activeFilters.push(activeFilter(i18n, facetName.activeSince, i18n.t("search.active.since", { date: i18n.date(state.activeSince) }), searchHrefWithout(state, (copy) => {
      copy.activeSince = null;
    })));
  }

  const sort = effectiveSort(state);
  const pages = Math.max(1, Math.ceil(result.total / resultsPerPage));
  const pageOutOfRange = result.total > 0 && state.page > pages;
  const heading = state.q ? i18n.t("search.titleQuery", { q: state.q }) : i18n.t("search.title");
  return {
    title: state.page > 1 ? `${heading}, ${i18n.t("search.pageSuffix", { page: state.page })}` : heading,
    heading,
    q: state.q,
    sortSelect: labels.sortSelect[sort],
    listFacets: listFacetViews,
    facetLimit: facetOptionsExpanded,
    moreParams: state.more.map((facet) => listFacetParams[facet]),
    selects,
    activeFilters,
    clearFiltersHref: hasFilters(state) ? searchHref(Object.assign(emptySearchState(), { q: state.q, sort: state.sort })) : null,
    total: result.total,
    rangeFrom: result.items.length > 0 ? (state.page - 1) * resultsPerPage + 1 : 0,
    rangeTo: (state.page - 1) * resultsPerPage + result.items.length,
    results: result.items.map((row) => toRepositoryCard(row, i18n)),
    pagination: pageOutOfRange ? null : paginate(state.page, pages, (page) => hrefAt(page, state.more)),
    noResults: result.items.length === 0,
    pageOutOfRange: pageOutOfRange ? { page: state.page, pages, href: hrefAt(pages, state.more) } : null,
  };
}

// --- Downloads and the filter panel (issue 14) ------------------------------

export interface DownloadLink {
  label: string;
  href: string;
  /** The file name the browser proposes. */
  file: string;
}

/**
 * The exports of exactly this search: same text, filters and sort (the page's
 * default sort made explicit, so the file is in the order of the page), all
 * pages at once. A search with nothing asked for exports the whole catalogue.
 */
export function searchDownloads(state: SearchState, i18n: Translator): DownloadLink[] {
  const params = stateParams(state);
  delete params.page;
  delete params.more;
  const asked = state.q !== "" || hasFilters(state) || state.sort !== null;
  params.sort = asked ? effectiveSort(state) : null;
  // One query string for the three files (issue 13); `sep` comes last, as withQuery would put it.
  const query = withQuery("", params);
  return [
    { label: i18n.t("search.download.csvSemicolon"), href: `/api/v1/repositories.csv${query}${query ? "&" : "?"}sep=semicolon`, file: "code-commun-repositories.csv" },
    { label: i18n.t("search.download.csv"), href: `/api/v1/repositories.csv${query}`, file: "code-commun-repositories.csv" },
    { label: i18n.t("search.download.json"), href: `/api/v1/repositories.json${query}`, file: "code-commun-repositories.json" },
  ];
}

/** The label of the button that folds the filters on a phone, with the number of active filters. */
export function filtersToggleLabel(activeCount: number, i18n: Translator): string {
  return activeCount > 0 ? i18n.t("search.filtersToggle", { count: activeCount }) : i18n.t("search.filters");
}
