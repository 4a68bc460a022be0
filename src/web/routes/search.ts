import { Router } from "express";
import { parseSearchState, presentSearch, searchPath, toSearchQuery } from "../presenters/search.ts";
import type { Site } from "../site.ts";
import { queryString } from "../urls.ts";
import { searchFeedPath } from "../../feeds/paths.ts";

export function searchRoutes(site: Site): Router {
  const router = Router();
  router.get(searchPath, (req, res) => {
    const { i18n } = res.locals;
    const state = parseSearchState(req.query);
    const result = site.search.search(toSearchQuery(state));
    // The same search as an Atom feed (issue 12), linked from the page's head and body.
    const feed = { href: searchFeedPath(req.query as Record<string, string | string[]>), title: i18n.t("feeds.searchLink") };
    res.render("search", { ...presentSearch(state, result, site.publicBodies, i18n, site.now()), feed });
  });
  // The address people guess first.
  router.get("/search", (req, res) => {
    res.redirect(301, `${searchPath}${queryString(req.originalUrl)}`);
  });
  return router;
}
