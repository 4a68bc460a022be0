import { Router } from "express";
import { scheduleSentence } from "../presenters/catalogueNotice.ts";
import type { Site } from "../site.ts";

export function aboutRoutes(site: Site): Router {
  const router = Router();
  router.get("/about", (_req, res) => {
    res.render("about", {
      title: res.locals.i18n.t("about.title"), harvestCron: site.harvestCron, schedule: scheduleSentence(site.harvestCron, res.locals.i18n),
      // Getting listed (issue 14): who to ask, where the sources file lives, the declaration page when it exists.
      operator: site.operator,
      declarationsPath: site.declarationsPath,
    });
  });
  return router;
}
