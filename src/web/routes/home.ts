import { Router } from "express";
import { listMostForkedRepositories, listRecentRepositories } from "../../store/catalog.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import { listRuns } from "../../store/runs.ts";
import { catalogueFigures } from "../../store/stats.ts";
import { catalogueNotice, scheduleSentence } from "../presenters/catalogueNotice.ts";
import { exampleSearches } from "../presenters/examples.ts";
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
      // Examples from the catalogue's own frequent topics: each finds something here.
      examples: exampleSearches(site.search),
    }));
    const empty = data.figures.repositories === 0;
    res.render("home", {
      title: i18n.t("nav.home"),
      figures: { ...data.figures, bodies: data.bodies },
      recent: data.recent.map((row) => toRepositoryCard(row, i18n)),
      reused: data.reused.map((row) => toRepositoryCard(row, i18n)),
      empty,
      // Issue 14: what is true of an empty catalogue (read each time: a harvest may be running), and the real schedule.
      notice: empty ? catalogueNotice(listRuns(site.db, 1)[0], site.harvestCron, i18n) : null,
      schedule: scheduleSentence(site.harvestCron, i18n),
      examples: data.examples,
    });
  });
  return router;
}
