import { Router } from "express";
import { findOwner, ownerFigures } from "../../store/owners.ts";
import { HttpError } from "../errors.ts";
import { toOwnerPage } from "../presenters/owner.ts";
import { paginate, parsePage } from "../presenters/pagination.ts";
import { toRepositoryCard } from "../presenters/repository.ts";
import { toOwnerImprovements } from "../presenters/repositoryProfile.ts";
import { findProfiles, listOwnerCheckedRows } from "../../store/profiles.ts";
import { resultsPerPage } from "../presenters/search.ts";
import type { Site } from "../site.ts";
import { ownerPath, queryString, withQuery } from "../urls.ts";
import { ownerFeedPath } from "../../feeds/paths.ts";
import { ownerReuse } from "./reuse.ts";

const languagesShown = 8;

function ownerImprovements(site: Site, key: { id: number } | { host: string; login: string }, i18n: Parameters<typeof toOwnerImprovements>[2]) {
  const rows = listOwnerCheckedRows(site.db, key);
  return toOwnerImprovements(rows, findProfiles(site.db, rows.map((row) => row.pk)), i18n, site.now());
}

export function ownerRoutes(site: Site): Router {
  const router = Router();
  router.get("/owners/:host/*login", (req, res) => {
    const { i18n } = res.locals;
    const requested = ownerPath(req.params.host, (req.params.login as string[]).join("/"));
    // As lenient as the API (a host in capitals, a trailing slash), then redirected to the canonical address.
    const host = req.params.host.toLowerCase();
    const login = (req.params.login as string[]).filter((segment) => segment !== "").join("/");
    const page = parsePage(req.query.page);
    if (page === null) throw new HttpError(400, "invalid_parameter", "page must be a whole number from 1", undefined, { key: "error.param.page", params: { name: "page" } });
    const owner = findOwner(site.db, host, login);
    const figures = ownerFigures(site.db, owner ? { id: owner.id } : { host, login });
    if (!owner && figures.repositories === 0) throw new HttpError(404, "not_found", `no owner ${host}/${login}`);
    const canonical = ownerPath(owner?.host ?? host, owner?.login ?? login);
    if (canonical !== requested) {
      res.redirect(301, `${canonical}${queryString(req.originalUrl)}`);
      return;
    }
    const view = toOwnerPage(owner, { host, login }, figures, site.publicBodies, i18n);
    const result = site.search.search({ q: "", filters: { owner: [view.id] }, sort: "activity", page, perPage: resultsPerPage });
    const pages = Math.max(1, Math.ceil(result.total / resultsPerPage));
    const path = ownerPath(host, view.login);
    res.render("owner", {
      title: view.name,
      owner: view,
      repositories: result.items.map((row) => toRepositoryCard(row, i18n)),
      pagination: paginate(page, pages, (n) => withQuery(path, { page: n > 1 ? n : null })),
      // The engine's facet values are shared: copied (a spread followed by properties is slow on Node 20: see toRepositoryPage).
      languages: result.facets.language.slice(0, languagesShown).map((facet) => Object.assign({}, facet, { href: withQuery("/repositories", { owner: view.id, language: facet.value }) })),
      searchWithinHref: withQuery("/repositories", { owner: view.id }),
      feed: { href: ownerFeedPath(host, view.login), title: i18n.t("feeds.ownerLink") },
      // issue 9: what to improve, per repository
      improvements: ownerImprovements(site, owner ? { id: owner.id } : { host, login }, i18n),
      // issue 10: how much of its code others reuse, and what it reuses
      reuse: ownerReuse(site, { host: owner?.host ?? host, login: owner?.login ?? login }, i18n),
    });
  });
  return router;
}
