// Query string → SearchQuery, for the API and the search pages alike.
// q is free text and never refused; a malformed parameter is a 400 naming it
// (reason "invalid_parameter"), never a silent default that hides a client bug.
// Unknown parameters are refused by the API routes (rejectUnknownParameters below).
import { HttpError } from "../web/errors.ts";
import { facetValueLimit } from "./searchIndex.ts";
import { sortKeys, type SearchFilters, type SearchQuery, type SortKey } from "./types.ts";

/** What Express gives with the "simple" query parser: a string, or an array for a repeated key. */
export type QueryString = Record<string, unknown>;

export const defaultPerPage = 20;
export const maxPerPage = 100;
/** Deeper pages are refused: nobody reads page 10,000, crawlers do. Page × per_page stays under 100,000. */
export const maxResultsDepth = 100_000;
/**
 * Values listed per facet unless facet_limit asks for more, up to
 * facetValueLimit (issue 13: with fifty, facets were half of a search answer's
 * bytes, most of them owners and topics counted once, which few clients read).
 */
export const defaultFacetLimit = 10;
/** Values of one filter, and characters of one value. */
const maxFilterValues = 50;
const maxValueLength = 300;

/** The query-string names of the list filters (snake_case, as in the API) and their SearchFilters keys. */
export const listFilterParameters = {
  language: "language",
  license: "license",
  host: "host",
  owner: "owner",
  public_body: "publicBody",
  topic: "topic",
  // issue 9: publiccode.yml
  category: "category",
  development_status: "developmentStatus",
  software_type: "softwareType",
} as const satisfies Record<string, keyof SearchFilters>;

export const booleanFilterParameters = {
  archived: "archived",
  fork: "fork",
  has_license: "hasLicense",
  // issue 9
  has_publiccode: "hasPubliccode",
  publiccode_valid: "publiccodeValid",
  // issue 10
  reused: "reused",
} as const satisfies Record<string, keyof SearchFilters>;

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_parameter", message);
}

/** Every value given for a key: repeated keys and comma-separated lists both work. */
function listValues(query: QueryString, key: string): string[] | undefined {
  const raw = query[key];
  if (raw === undefined) return undefined;
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => (typeof item === "string" ? item.split(",") : []));
  const values = [...new Set(items.map((item) => item.trim()).filter((item) => item !== ""))];
  if (values.length > maxFilterValues) throw invalid(`${key} takes at most ${maxFilterValues} values`);
  const tooLong = values.find((value) => value.length > maxValueLength);
  if (tooLong !== undefined) throw invalid(`a value of ${key} is longer than ${maxValueLength} characters`);
  return values.length > 0 ? values : undefined;
}

/** A parameter given at most once. */
function single(query: QueryString, key: string): string | undefined {
  const raw = query[key];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw invalid(`${key} must be given once`);
  return raw.trim();
}

function booleanValue(query: QueryString, key: string): boolean | undefined {
  const raw = single(query, key);
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw invalid(`${key} must be true or false`);
}

function wholeNumber(query: QueryString, key: string, fallback: number, min: number, max: number): number {
  const raw = single(query, key);
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalid(`${key} must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

/** YYYY-MM-DD, or a full ISO date-time; returned as an ISO date-time. */
function dateValue(query: QueryString, key: string): string | undefined {
  const raw = single(query, key);
  if (raw === undefined || raw === "") return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(raw);
  const time = match ? Date.parse(match[4] ? raw : `${raw}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2024-02-30 over to March: the day must survive the round trip.
  if (Number.isNaN(time) || (match && !match[4] && new Date(time).toISOString().slice(0, 10) !== raw)) {
    throw invalid(`${key} must be a date, YYYY-MM-DD`);
  }
  return new Date(time).toISOString();
}

/** Pagination parameters alone, for the other lists of the API (owners). */
export function parsePage(query: QueryString): { page: number; perPage: number } {
  const perPage = wholeNumber(query, "per_page", defaultPerPage, 1, maxPerPage);
  const page = wholeNumber(query, "page", 1, 1, Math.floor(maxResultsDepth / perPage));
  return { page, perPage };
}

export function parseSearchQuery(query: QueryString): SearchQuery {
  const rawQ = query.q;
  // q repeated (?q=a&q=b) is read as one text: free text never fails.
  const q = (Array.isArray(rawQ) ? rawQ.filter((item) => typeof item === "string").join(" ") : typeof rawQ === "string" ? rawQ : "").trim();

  const sortText = single(query, "sort");
  const sort = sortText === undefined || sortText === "" ? "relevance" : sortText;
  if (!(sortKeys as readonly string[]).includes(sort)) throw invalid(`sort must be one of ${sortKeys.join(", ")}`);

  const filters: SearchFilters = {};
  for (const [key, field] of Object.entries(listFilterParameters)) {
    const values = listValues(query, key);
    if (values) filters[field] = values;
  }
  for (const [key, field] of Object.entries(booleanFilterParameters)) {
    const value = booleanValue(query, key);
    if (value !== undefined) filters[field] = value;
  }
  const activeSince = dateValue(query, "active_since");
  if (activeSince) filters.activeSince = activeSince;

  const facetLimit = wholeNumber(query, "facet_limit", defaultFacetLimit, 1, facetValueLimit);
  return { q, filters, sort: sort as SortKey, ...parsePage(query), facetLimit };
}

// --- Accepted parameters (issue 14: API strictness) -------------------------
// Every API route refuses a parameter it does not read: a misspelt filter
// (?langage=Python) silently ignored returns the whole catalogue, which looks
// like an answer. The lists are derived from the parsers' own tables above,
// so a filter added to listFilterParameters or booleanFilterParameters is
// accepted everywhere at once.

/** The parameters of parsePage. */
export const pageParameters: readonly string[] = ["page", "per_page"];

/** The parameters of the search filters alone (no text, sort or page): what an export also reads. */
export const filterParameters: readonly string[] = [...Object.keys(listFilterParameters), ...Object.keys(booleanFilterParameters), "active_since"];

/** Every parameter parseSearchQuery reads. */
export const searchParameters: readonly string[] = ["q", ...filterParameters, "sort", ...pageParameters, "facet_limit"];

/** Edit distance, to suggest the parameter a misspelt one meant. Short strings only. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The accepted name closest to a misspelt one, when it is close enough to be a typo. */
export function closestParameter(name: string, accepted: readonly string[]): string | undefined {
  const key = name.toLowerCase().slice(0, 64);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of accepted) {
    const distance = editDistance(key, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/**
 * Refuses a query string naming a parameter outside `accepted`: 400, reason
 * "unknown_parameter", naming it, suggesting the closest accepted name and
 * listing them all (also as fields of the JSON error, for programs).
 */
export function rejectUnknownParameters(query: QueryString, accepted: readonly string[]): void {
  const unknown = Object.keys(query).filter((key) => !accepted.includes(key));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 5).map((key) => (key.length > 64 ? `${key.slice(0, 64)}…` : key));
  const suggestion = closestParameter(unknown[0]!, accepted);
  const acceptedText = accepted.length > 0 ? `accepted: ${accepted.join(", ")}` : "this route takes no parameters";
  throw new HttpError(
    400,
    "unknown_parameter",
    `unknown parameter${shown.length > 1 ? "s" : ""} ${shown.map((key) => `"${key}"`).join(", ")}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; ${acceptedText}`,
    { parameters: shown, accepted: [...accepted], ...(suggestion ? { suggestion } : {}) },
  );
}
