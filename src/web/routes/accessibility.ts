// The accessibility statement (déclaration d'accessibilité) that French law
// asks of public websites: compliance status, what is known not to be
// accessible, how to report a problem (the operator's contact) and the recourse.
import { Router } from "express";
import type { Site } from "../site.ts";

export const accessibilityPath = "/accessibility";

export function accessibilityRoutes(site: Site): Router {
  const router = Router();
  router.get(accessibilityPath, (_req, res) => {
    res.render("accessibility", { title: res.locals.i18n.t("accessibility.title"), operator: site.operator });
  });
  return router;
}
