import { Router } from "express";
import type { SearchEngine } from "../../search/types.ts";
import { findLiveRepository, type RepositoryRow } from "../../store/catalog.ts";
import { HttpError } from "../errors.ts";
import { toRepositoryCard, toRepositoryPage } from "../presenters/repository.ts";
import { toProfileView } from "../presenters/repositoryProfile.ts";
import { findProfile } from "../../store/profiles.ts";
import type { Site } from "../site.ts";
import { queryString, repositoryPath } from "../urls.ts";

const similarShown = 6;

/**
 * Repositories sharing a topic, or the language when there is no topic, the
 * most starred first. One query, without facets: the page shows none, and
 * counting them over every repository the filter scans was most of the cost
 * of an uncached repository page.
 */
export function findSimilar(search: SearchEngine, row: RepositoryRow): RepositoryRow[] {
  const filters = row.topics.length > 0 ? { topic: row.topics.slice(0, 10) } : row.language ? { language: [row.language] } : null;
  if (!filters) return [];
  const { items } = search.search({ q: "", filters: { ...filters, archived: false }, sort: "stars", page: 1, perPage: similarShown + 1, facets: false });
  return items.filter((item) => item.pk !== row.pk).slice(0, similarShown);
}

export function repositoryRoutes(site: Site): Router {
  const router = Router();
  router.get("/repositories/:host/*name", (req, res) => {
    const { i18n } = res.locals;
    const host = req.params.host;
    const fullName = (req.params.name as string[]).join("/");
    const row = findLiveRepository(site.db, host, fullName);
    if (!row) throw new HttpError(404, "not_found", `no repository ${host}/${fullName}`);
    // One address per repository, in the case the forge spells it.
    const canonical = repositoryPath(row.host, row.fullName);
    if (canonical !== repositoryPath(host, fullName)) {
      res.redirect(301, `${canonical}${queryString(req.originalUrl)}`);
      return;
    }
    const page = toRepositoryPage(row, site.publicBodies, i18n);
    res.render("repository", {
      title: row.fullName,
      repository: page,
      // issue 9: README, publiccode.yml, community files, release, reuse, checks
      profile: toProfileView(row, findProfile(site.db, row.pk), i18n, site.now()),
      similar: findSimilar(site.search, row).map((item) => toRepositoryCard(item, i18n)),
    });
  });
  return router;
}
