import { Router } from "express";
import { hasLiveRepositories } from "../../store/catalog.ts";
import { listRuns } from "../../store/runs.ts";
import { catalogueNotice } from "../presenters/catalogueNotice.ts";
import { filtersToggleLabel, parseSearchState, presentSearch, searchDownloads, searchPath, toSearchQuery } from "../presenters/search.ts";
import type { Site } from "../site.ts";
import { queryString } from "../urls.ts";
import { searchFeedPath } from "../../feeds/paths.ts";

function withoutMore(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const copy = { ...query };
  delete copy.more;
  return copy;
}

export function searchRoutes(site: Site): Router {
  const router = Router();
  router.get(searchPath, (req, res) => {
    const { i18n } = res.locals;
    const state = parseSearchState(req.query);
    const result = site.search.search(toSearchQuery(state));
    const page = presentSearch(state, result, site.publicBodies, i18n, site.now());
    // Issue 14: an empty catalogue says why (not "check your spelling"); a text without searchable words says so.
    const emptyCatalogue = result.total === 0 && !hasLiveRepositories(site.db);
    // Onto the page's fresh object (a spread followed by properties is slow on Node 20: see toRepositoryPage).
    res.render("search", Object.assign(page, {
      catalogueNotice: emptyCatalogue ? catalogueNotice(listRuns(site.db, 1)[0], site.harvestCron, i18n) : null,
      unsearchable: result.unsearchable === true && !emptyCatalogue,
      downloads: result.total > 0 ? searchDownloads(state, i18n) : [],
      filtersToggle: filtersToggleLabel(page.activeFilters.length, i18n),
      pageScript: true,
      // The same search as an Atom feed (issue 12), linked from the page's head and body.
      // Without `more`, which only unfolds facets (issue 13).
      feed: { href: searchFeedPath(withoutMore(req.query as Record<string, string | string[]>)), title: i18n.t("feeds.searchLink") },
    }));
  });
  // The address people guess first.
  router.get("/search", (req, res) => {
    res.redirect(301, `${searchPath}${queryString(req.originalUrl)}`);
  });
  return router;
}
