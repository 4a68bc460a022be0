// The site's URLs, built in one place. Ids of repositories and owners contain
// slashes (GitLab groups nest), so each segment is encoded on its own.
import type { Locale } from "./i18n/index.ts";

/** Characters encodeURIComponent leaves as they are, and the slash between segments. */
const unencoded = /^[\w.!~*'()/-]*$/;

function segments(path: string): string {
  // Most names need no encoding (issue 13: two paths on each of a search page's cards): the same string, without a split.
  if (unencoded.test(path)) return path;
  return path.split("/").map(encodeURIComponent).join("/");
}

export function repositoryPath(host: string, fullName: string): string {
  return `/repositories/${encodeURIComponent(host)}/${segments(fullName)}`;
}

export function ownerPath(host: string, login: string): string {
  return `/owners/${encodeURIComponent(host)}/${segments(login)}`;
}

/** A public body's page (issue 10): its accounts and its reuse. */
export function publicBodyPath(psoId: string): string {
  return `/public-bodies/${encodeURIComponent(psoId)}`;
}

export function runPath(runId: number): string {
  return `/status/runs/${runId}`;
}

/** A URL with a query string from the pairs whose value is not empty; arrays repeat the key. */
export function withQuery(path: string, params: Record<string, string | number | readonly string[] | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const item of value) query.append(key, item);
    else query.append(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The same URL with the language set, for the language switch and hreflang links. */
export function withLocale(originalUrl: string, locale: Locale): string {
  // Never `new URL(originalUrl, base)`: a path starting with "//" reads as a
  // host ("//a:99999/", "//[") and throws. Path and query are handled apart.
  const at = originalUrl.indexOf("?");
  // Leading slashes collapse to one: "//other.site/" in a link would leave the site.
  const pathname = (at >= 0 ? originalUrl.slice(0, at) : originalUrl).replace(/^\/+/, "/");
  const search = new URLSearchParams(at >= 0 ? originalUrl.slice(at + 1) : "");
  search.set("lang", locale);
  return `${pathname}?${search.toString()}`;
}

/** The "?..." part of a URL, or "". */
export function queryString(originalUrl: string): string {
  const at = originalUrl.indexOf("?");
  return at >= 0 ? originalUrl.slice(at) : "";
}
