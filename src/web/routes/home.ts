import { Router } from "express";
import { listMostForkedRepositories, listRecentRepositories } from "../../store/catalog.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import { catalogueFigures } from "../../store/stats.ts";
import { countPublicBodies } from "../presenters/publicBodies.ts";
import { toRepositoryCard } from "../presenters/repository.ts";
import type { Site } from "../site.ts";

const listed = 6;

export function homeRoutes(site: Site): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    const { i18n } = res.locals;
    const data = site.cached(`home:${site.search.generation}`, () => ({
      figures: catalogueFigures(site.db),
      bodies: countPublicBodies(listOwnerSummaries(site.db), site.publicBodies),
      recent: listRecentRepositories(site.db, listed),
      reused: listMostForkedRepositories(site.db, listed),
    }));
    res.render("home", {
      title: i18n.t("nav.home"),
      figures: { ...data.figures, bodies: data.bodies },
      recent: data.recent.map((row) => toRepositoryCard(row, i18n)),
      reused: data.reused.map((row) => toRepositoryCard(row, i18n)),
      empty: data.figures.repositories === 0,
    });
  });
  return router;
}
