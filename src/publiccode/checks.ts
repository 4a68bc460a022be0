// Value checks of publiccode.yml fields: each answers whether one string is
// acceptable, as the reference validator (publiccode-parser-go with
// go-playground/validator) decides it. Syntax only: nothing here reaches the network.
import countries from "i18n-iso-countries";
import languageTags from "language-tags";
import oembedProviders from "oembed-providers/providers.json" with { type: "json" };
import parseSpdx from "spdx-expression-parse";
import spdxExceptions from "spdx-exceptions/index.json" with { type: "json" };
import spdxIds from "spdx-license-ids/index.json" with { type: "json" };
import spdxDeprecatedIds from "spdx-license-ids/deprecated.json" with { type: "json" };

/** Lengths are counted in user-perceived characters (grapheme clusters), as the reference does with uniseg. */
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/**
 * Characters that may join a neighbour into one cluster (marks, joiners, CR
 * before LF, emoji and flags outside the BMP, Hangul jamo, prepended signs).
 * A text without any has one cluster per UTF-16 unit, and the segmenter, slow
 * on a 10,000-character description, is not needed.
 */
const clustering = /[\p{M}\u200c\u200d\r\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97f\uac00-\ud7ff\ufe00-\ufe0f\u{10000}-\u{10ffff}]/u;
export function graphemeLength(text: string): number {
  if (!clustering.test(text)) return text.length;
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * Go's url.Parse splits a URL into scheme, opaque part or authority, path,
 * query and fragment, and refuses control characters, bad percent escapes and
 * a host with characters outside its grammar. This is that split, enough to
 * decide the go-playground `url` and `http_url` rules.
 */
interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  fragment: string;
}
const schemePattern = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;
const badEscape = /%(?![0-9a-fA-F]{2})/;
// Host characters Go accepts: unreserved, sub-delims, ':' for ports, brackets for IPv6, '%' escapes.
const hostCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]%\u0080-\uffff]*$/;

export function parseGoUrl(raw: string): GoUrl | null {
  if (controlCharacters.test(raw)) return null;
  let rest = raw;
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  if (badEscape.test(rest)) return null;
  const scheme = schemePattern.exec(rest);
  if (!scheme) {
    // A first path segment with a colon would read as a scheme: Go refuses it.
    const firstSegment = rest.split("/")[0] ?? "";
    if (firstSegment.includes(":")) return null;
    return { scheme: "", opaque: "", host: "", path: rest, fragment };
  }
  rest = rest.slice(scheme[0].length);
  const query = rest.indexOf("?");
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith("/")) return { scheme: scheme[1]!.toLowerCase(), opaque: rest, host: "", path: "", fragment };
  let host = "";
  let path = rest;
  if (rest.startsWith("//")) {
    const authorityEnd = rest.indexOf("/", 2);
    const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd);
    path = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
    host = authority.slice(authority.lastIndexOf("@") + 1);
    if (!hostCharacters.test(host)) return null;
    const port = /:([^\]]*)$/.exec(host);
    if (port && !host.startsWith("[") && !/^\d*$/.test(port[1]!)) return null;
  }
  return { scheme: scheme[1]!.toLowerCase(), opaque: "", host, path, fragment };
}

/** go-playground `url`: a scheme, and a host (or an opaque part, or a fragment); file: needs a path. */
export function isUrl(value: string): boolean {
  if (value === "") return false;
  const url = parseGoUrl(value.toLowerCase());
  if (!url || url.scheme === "") return false;
  if (url.scheme === "file") return url.path !== "" && url.path !== "/";
  return url.host !== "" || url.fragment !== "" || url.opaque !== "";
}

/** go-playground `http_url`: a `url` whose scheme is http or https, with a host. */
export function isHttpUrl(value: string): boolean {
  if (!isUrl(value)) return false;
  const url = parseGoUrl(value.toLowerCase());
  return url !== null && url.host !== "" && (url.scheme === "http" || url.scheme === "https");
}

/** Go's url.ParseRequestURI: an absolute URI or an absolute path, no fragment. */
function parseRequestUri(value: string): GoUrl | null {
  if (value.includes("#")) return null;
  const url = parseGoUrl(value);
  if (!url) return null;
  if (url.scheme === "" && !value.startsWith("/")) return null;
  return url;
}

/** RFC 2141 URN: urn:<NID>:<NSS>. */
const urnPattern = /^urn:[a-z0-9][a-z0-9-]{0,31}:(?:[a-z0-9()+,\-.:=@;$_!*']|%[0-9a-f]{2})+$/i;

/**
 * An Italian public administration code (codice iPA). The reference checks
 * codici iPA against the 24,000 codes of the iPA vocabulary, a list that
 * changes every week and that we do not ship; here a code must have the shape
 * every code of that vocabulary has: letters and digits, at most 16, with at
 * most one `_` after a prefix of up to 6 (`pcm`, `c_h501`, `istsc_AGIC82200R`).
 */
const ipaCodePattern = /^(?:[a-z0-9]{1,16}|[a-z0-9]{1,6}_[a-z0-9]{1,10})$/i;
export function isItalianIpaCode(value: string): boolean {
  return ipaCodePattern.test(value);
}

export type UriProblem = "invalid" | "italian_pa";
/** organisation.uri and fundedBy[].uri: a URL with a host, or a URN (urn:x-italian-pa: followed by a codice iPA). */
export function organisationUriProblem(value: string): UriProblem | null {
  const url = parseRequestUri(value);
  if (!url) return "invalid";
  if (url.scheme === "urn") {
    if (!urnPattern.test(value)) return "invalid";
    const opaque = value.slice(4);
    if (opaque.toLowerCase().startsWith("x-italian-pa:")) {
      return isItalianIpaCode(opaque.slice("x-italian-pa:".length)) ? null : "italian_pa";
    }
    return null;
  }
  return url.scheme !== "" && url.host !== "" ? null : "invalid";
}

export type SupportsProblem = "invalid" | "unknown_alias";
/** supports[].id: `alias:<known alias>`, or a URL with a host, or a URN. */
export function supportsIdProblem(value: string, aliases: ReadonlySet<string>): SupportsProblem | null {
  if (value.startsWith("alias:")) return aliases.has(value.slice("alias:".length)) ? null : "unknown_alias";
  const url = parseRequestUri(value);
  if (!url) return "invalid";
  if (url.scheme === "urn") return urnPattern.test(value) ? null : "invalid";
  return url.scheme !== "" && url.host !== "" ? null : "invalid";
}

/** go-playground `datetime=2006-01-02`: exactly YYYY-MM-DD, and a real day. */
export function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The e-mail grammar of go-playground's `email` rule (the HTML living standard's, with Unicode letters).
const emailLocal = "(?:[a-zA-Z0-9!#$%&'*+/=?^_`{|}~\\-\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~\\-\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]+)*|\"(?:[\\x01-\\x08\\x0b\\x0c\\x0e-\\x7f]|[\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])*\")";
const emailLabel = "(?:[a-zA-Z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF](?:[a-zA-Z0-9\\-.~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]*[a-zA-Z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])?)";
const emailTld = "(?:[a-zA-Z\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF](?:[a-zA-Z0-9\\-.~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]*[a-zA-Z\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])?)";
const emailPattern = new RegExp(`^${emailLocal}@(?:${emailLabel}\\.)+${emailTld}\\.?$`);
export function isEmail(value: string): boolean {
  return value.length <= 320 && emailPattern.test(value);
}

/** A media type, type/subtype, with the token characters of RFC 2045 (the pattern of jshttp/media-typer). */
const mimePattern = /^ *[A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126} *$/;
export function isMimeType(value: string): boolean {
  return mimePattern.test(value);
}

const alpha2Codes: ReadonlySet<string> = new Set(Object.keys(countries.getAlpha2Codes()));
/** ISO 3166-1 alpha-2, all upper or all lower case (lower case is deprecated, a warning elsewhere). */
export function isCountryCode(value: string): boolean {
  if (value !== value.toUpperCase() && value !== value.toLowerCase()) return false;
  return alpha2Codes.has(value.toUpperCase());
}

/**
 * BCP 47, strictly: well formed and made of subtags the IANA registry knows
 * (`xxx` or `en_GB` are refused, as go-playground's bcp47_strict_language_tag does).
 * Private-use tags (x-...) are accepted, as the reference does.
 */
export function isLanguageTag(value: string): boolean {
  if (/^x(-[a-z0-9]{1,8})+$/i.test(value)) return true;
  return languageTags.check(value);
}

// SPDX identifiers compare case-insensitively (SPDX specification, annex D); the parser wants canonical case.
const spdxLicences = new Map<string, string>([...spdxIds, ...spdxDeprecatedIds].map((id) => [id.toLowerCase(), id]));
const spdxExceptionIds = new Map<string, string>((spdxExceptions as string[]).map((id) => [id.toLowerCase(), id]));
const spdxOperators = new Map([["and", "AND"], ["or", "OR"], ["with", "WITH"]]);

/** An SPDX licence expression (MIT, AGPL-3.0-or-later, GPL-2.0-only WITH Classpath-exception-2.0, A OR B...). */
export function isSpdxExpression(value: string): boolean {
  if (value.trim() === "" || value.length > 1000) return false;
  let afterWith = false;
  const canonical = value.replace(/[A-Za-z0-9.+:-]+/g, (word) => {
    const lower = word.toLowerCase();
    const operator = spdxOperators.get(lower);
    if (operator) {
      afterWith = operator === "WITH";
      return operator;
    }
    const plus = lower.endsWith("+") ? "+" : "";
    const bare = plus ? lower.slice(0, -1) : lower;
    const id = afterWith ? spdxExceptionIds.get(bare) : spdxLicences.get(bare);
    afterWith = false;
    return id ? id + plus : word;
  });
  try {
    parseSpdx(canonical);
    return true;
  } catch {
    return false;
  }
}

// The oEmbed providers list (oembed.com's providers.json, from npm): a video
// URL must match one of its URL schemes, where `*` matches anything. About a
// thousand schemes: they are grouped by host so that a URL is tested against
// the few of its own host (and those whose host has a wildcard).
interface OembedProvider {
  endpoints?: Array<{ schemes?: string[] }>;
}
interface OembedIndex {
  byHost: Map<string, RegExp[]>;
  /** Schemes whose host is `*.example.com`: tried on example.com and its subdomains. */
  bySuffix: Map<string, RegExp[]>;
  /** Schemes with a wildcard elsewhere in the host: tried on every URL. */
  other: RegExp[];
}
let oembedIndex: OembedIndex | undefined;
function oembedSchemes(): OembedIndex {
  if (oembedIndex) return oembedIndex;
  const index: OembedIndex = { byHost: new Map(), bySuffix: new Map(), other: [] };
  const add = (map: Map<string, RegExp[]>, key: string, pattern: RegExp) => map.set(key, [...(map.get(key) ?? []), pattern]);
  for (const provider of oembedProviders as OembedProvider[]) {
    for (const scheme of (provider.endpoints ?? []).flatMap((endpoint) => endpoint.schemes ?? [])) {
      const pattern = new RegExp(`^${scheme.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
      const host = /^[a-z]+:\/\/([^/]*)/i.exec(scheme)?.[1]?.toLowerCase() ?? "*";
      if (!host.includes("*")) add(index.byHost, host, pattern);
      else if (host.startsWith("*.") && !host.slice(2).includes("*")) add(index.bySuffix, host.slice(2), pattern);
      else index.other.push(pattern);
    }
  }
  oembedIndex = index;
  return index;
}
export function isOembedUrl(value: string): boolean {
  const { byHost, bySuffix, other } = oembedSchemes();
  const host = /^[a-z]+:\/\/([^/?#]*)/i.exec(value)?.[1]?.toLowerCase() ?? "";
  const candidates = [...(byHost.get(host) ?? []), ...other];
  // Every parent domain of the host: a.b.example.com tries b.example.com, example.com, com.
  for (let dot = host.indexOf("."); dot >= 0; dot = host.indexOf(".", dot + 1)) candidates.push(...(bySuffix.get(host.slice(dot + 1)) ?? []));
  return candidates.some((pattern) => pattern.test(value));
}

/** Logos and screenshots: a relative path or an http(s) URL, never an absolute path or a file: URL. */
export function pathProblem(value: string): string | null {
  if (value.startsWith("/")) return "is an absolute path. Only relative paths or HTTP(s) URLs allowed";
  if (value.startsWith("file:")) return "is a file:// URL. Only relative paths or HTTP(s) URLs allowed";
  return null;
}

/** Is the value an absolute URL (then no local check applies), rather than a path relative to the file? */
export function isAbsoluteUrl(value: string): boolean {
  const url = parseRequestUri(value);
  return url !== null && url.scheme !== "";
}
