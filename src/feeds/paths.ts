// The addresses of the Atom feeds, for the pages that link to them and the MCP answers.
import { ownerPath, withQuery } from "../web/urls.ts";

export const feedsPath = "/feeds";

/** The feed of a search page or API query: same parameters, minus the page's own (page, lang). */
export function searchFeedPath(query: Record<string, string | string[] | null | undefined>): string {
  const params = { ...query };
  delete params.page;
  delete params.lang;
  return withQuery(`${feedsPath}/repositories.atom`, params);
}

export function ownerFeedPath(host: string, login: string): string {
  return `${feedsPath}${ownerPath(host, login)}.atom`;
}

export function publicBodyFeedPath(id: string): string {
  return `${feedsPath}/public-bodies/${encodeURIComponent(id)}.atom`;
}
