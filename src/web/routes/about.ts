import { Router } from "express";
import type { Site } from "../site.ts";

export function aboutRoutes(site: Site): Router {
  const router = Router();
  router.get("/about", (_req, res) => {
    res.render("about", { title: res.locals.i18n.t("about.title"), harvestCron: site.harvestCron });
  });
  return router;
}
