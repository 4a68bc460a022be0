import { Router } from "express";
import { listOwnerSummaries } from "../../store/owners.ts";
import { groupByPublicBody } from "../presenters/publicBodies.ts";
import type { Site } from "../site.ts";

export function publicBodiesRoutes(site: Site): Router {
  const router = Router();
  router.get("/public-bodies", (_req, res) => {
    const { i18n } = res.locals;
    const page = site.cached(`public-bodies:${i18n.locale}:${site.search.generation}`, () => groupByPublicBody(listOwnerSummaries(site.db), site.publicBodies, i18n));
    res.render("publicBodies", { title: i18n.t("bodies.title"), ...page, empty: page.counts.owners === 0 });
  });
  return router;
}
