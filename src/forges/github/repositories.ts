// The public repositories of an owner, page by page, each page a conditional
// request whose cached payload stands in for it when GitHub answers 304.
import { ForgeError, type HarvestContext, type HarvestEvent, type HarvestedOwner, type HarvestedRepository } from "../forge.ts";
import type { GitHubClient } from "./client.ts";
import { cacheKey, conditionalGet } from "./conditional.ts";
import { toForgeError } from "./errors.ts";
import { invalid, mapRepository } from "./mapping.ts";

/** GitHub's largest page. */
export const perPage = 100;
/** 100,000 repositories: beyond, a forge that always announces a next page is looping, not listing. */
const maxPages = 1_000;

/**
 * Cached with the ETag of each page: the forge ids it listed, and whether to
 * ask for the page after it. A 304 hides both the body and, in practice, any
 * change of the Link header, so the chain of pages is walked from payloads.
 */
interface PagePayload {
  ids: string[];
  next: boolean;
}

function parsePagePayload(value: unknown): PagePayload | undefined {
  const payload = value as Partial<PagePayload> | null;
  return payload && Array.isArray(payload.ids) && payload.ids.every((id) => typeof id === "string") && typeof payload.next === "boolean"
    ? { ids: payload.ids, next: payload.next }
    : undefined;
}

function hasNextLink(link: unknown): boolean {
  return typeof link === "string" && /<[^>]*>\s*;\s*rel="?[^"]*\bnext\b/.test(link);
}

/**
 * Pages are asked by number (page=N) rather than by following the Link URLs,
 * which GitHub writes as /organizations/{id}/repos: a stable path per page
 * makes a stable cache key. The Link header still decides whether a next
 * page exists.
 *
 * A full page is always followed by a request for the next one, even when
 * Link says it is the last: GitHub's ETag covers the body only, so a
 * repository added after a full last page (users' repositories are sorted by
 * name) leaves every known page answering 304. The extra page, empty, is
 * cached like the others, so an unchanged account still costs only 304s.
 */
export async function* listRepositories(
  api: GitHubClient,
  target: { host: string; login: string; owner: HarvestedOwner },
  context: HarvestContext,
): AsyncGenerator<HarvestEvent> {
  const { host, login, owner } = target;
  const organization = owner.kind === "organization";
  // /orgs/{org}/repos?type=public; /users/{user}/repos lists only public repositories, type=owner leaves out those the user merely collaborates on.
  const path = organization ? `/orgs/${login}/repos` : `/users/${login}/repos`;
  const whose = `${organization ? "organisation" : "user"} '${login}'`;
  const webUrl = `https://${host}`;
  const request = { signal: context.signal };

  for (let page = 1; ; page++) {
    const what = `page ${page} of the repositories of ${whose}`;
    const key = cacheKey(host, `${path}?per_page=${perPage}&page=${page}`);
    let outcome;
    try {
      outcome = await conditionalGet(context, key, parsePagePayload, (headers) =>
        organization
          ? api.rest.repos.listForOrg({ org: login, type: "public", per_page: perPage, page, headers, request })
          : api.rest.repos.listForUser({ username: login, type: "owner", per_page: perPage, page, headers, request }),
      );
    } catch (error) {
      throw toForgeError(error, what, context.signal);
    }

    let next: boolean;
    if (!outcome.modified) {
      next = outcome.payload.next;
      yield { type: "repositories", repositories: [], unchanged: outcome.payload.ids };
    } else {
      const items = outcome.data;
      // octokit hands over the raw text when a body announced as JSON does not parse.
      if (!Array.isArray(items)) throw invalid(what, typeof items === "string" ? "the body is not JSON" : "the body is not a list of repositories");
      const repositories: HarvestedRepository[] = [];
      for (const item of items) {
        const repository = mapRepository(item, { webUrl, owner: owner.login, what });
        if (repository) repositories.push(repository);
      }
      next = items.length > 0 && (items.length >= perPage || hasNextLink(outcome.headers.link));
      yield { type: "repositories", repositories, unchanged: [], cache: outcome.cache({ ids: repositories.map((r) => r.forgeId), next }) };
    }
    if (!next) return;
    if (page >= maxPages) throw new ForgeError("invalid_response", `GitHub announced more than ${maxPages} pages of repositories for ${whose}`);
  }
}
