import { Router } from "express";
import { parseSearchState, presentSearch, searchPath, toSearchQuery } from "../presenters/search.ts";
import type { Site } from "../site.ts";
import { queryString } from "../urls.ts";

export function searchRoutes(site: Site): Router {
  const router = Router();
  router.get(searchPath, (req, res) => {
    const { i18n } = res.locals;
    const state = parseSearchState(req.query);
    const result = site.search.search(toSearchQuery(state));
    res.render("search", presentSearch(state, result, site.publicBodies, i18n, site.now()));
  });
  // The address people guess first.
  router.get("/search", (req, res) => {
    res.redirect(301, `${searchPath}${queryString(req.originalUrl)}`);
  });
  return router;
}
