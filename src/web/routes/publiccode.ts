// /publiccode: a publisher pastes a publiccode.yml and sees the errors next to
// its lines. A plain form POST, so it works without JavaScript.
import express, { Router, type Request, type RequestHandler } from "express";
import { maxPubliccodeBytes, validatePubliccode } from "../../publiccode/validate.ts";
import { HttpError } from "../errors.ts";
import { presentPubliccode } from "../presenters/publiccode.ts";

export const publiccodePagePath = "/publiccode";

/**
 * The form is only accepted from our own pages. There is no session (so no
 * token to tie to one): browsers say where a request comes from, in
 * Sec-Fetch-Site or else Origin, and a cross-site one is refused. A client that
 * sends neither (curl, an old browser) has no ambient credentials to abuse.
 */
function sameOrigin(req: Request): boolean {
  const site = req.get("sec-fetch-site");
  if (site !== undefined) return site === "same-origin" || site === "none";
  const origin = req.get("origin");
  if (origin === undefined) return true;
  return origin === `${req.protocol}://${req.get("host")}`;
}

const requireSameOrigin: RequestHandler = (req, _res, next) => {
  if (!sameOrigin(req)) return next(new HttpError(403, "cross_site_request", "this form only accepts submissions from this site's own page"));
  next();
};

// Form encoding at most triples the bytes of the text (%XX); the text itself is then bounded by the validator.
const readForm = express.urlencoded({ extended: false, limit: 3 * maxPubliccodeBytes + 1024, parameterLimit: 10 });

export function publiccodeRoutes(): Router {
  const router = Router();
  router.get(publiccodePagePath, (_req, res) => {
    res.render("publiccode", { title: res.locals.i18n.t("publiccode.title"), text: "" });
  });
  router.post(publiccodePagePath, requireSameOrigin, readForm, (req, res) => {
    const field = (req.body as Record<string, unknown> | undefined)?.yaml;
    const text = typeof field === "string" ? field : "";
    const common = { title: res.locals.i18n.t("publiccode.title"), text };
    // Results are about the visitor's own text: never cached, never indexed.
    res.set({ "Cache-Control": "no-store", "X-Robots-Tag": "noindex" });
    if (text.trim() === "") return res.status(400).render("publiccode", { ...common, empty: true });
    if (Buffer.byteLength(text, "utf8") > maxPubliccodeBytes) return res.status(413).render("publiccode", { ...common, text: "", tooLarge: true });
    res.render("publiccode", { ...common, result: presentPubliccode(text, validatePubliccode(text)) });
  });
  return router;
}
