// /auth/login, /auth/callback, /auth/logout (issue 11). The state of a sign-in
// under way travels in a short-lived signed cookie scoped to /auth, binding
// the callback to the browser that started it.
import { Router, type NextFunction, type Request, type Response } from "express";
import { readCookie, sign, unsign } from "../../auth/cookies.ts";
import { AuthError } from "../../auth/oidc.ts";
import { loginAttemptLifetimeMs } from "../../auth/sessions.ts";
import { HttpError } from "../errors.ts";
import { clearSessionCookie, cookieOptions, csrfCheck, formBody, setSessionCookie, type AccountSite } from "../account.ts";

const loginCookie = "cc_login";

export function authRoutes(site: AccountSite): Router {
  const router = Router();
  const asHttp = (error: unknown, next: NextFunction) => {
    if (error instanceof AuthError) next(new HttpError(error.reason === "provider_unavailable" ? 503 : 400, error.reason, error.message));
    else next(error);
  };

  router.get(`/auth/login`, ...site.chain, async (req: Request, res: Response, next: NextFunction) => {
    if (!site.auth) {
      res.status(503).render("declarations/unavailable", { title: res.locals.i18n.t("declarations.unavailable.title") });
      return;
    }
    try {
      const { url, state } = await site.auth.oidc.start(req.query.return_to);
      res.cookie(loginCookie, sign(site.auth.config.sessionSecret, "login", state), cookieOptions(site, loginAttemptLifetimeMs, "/auth"));
      res.redirect(303, url);
    } catch (error) {
      asHttp(error, next);
    }
  });

  router.get(`/auth/callback`, ...site.chain, async (req: Request, res: Response, next: NextFunction) => {
    if (!site.auth) {
      next(new HttpError(404, "not_found", "sign-in is not set up"));
      return;
    }
    const bound = unsign(site.auth.config.sessionSecret, "login", readCookie(req.get("cookie"), loginCookie));
    res.clearCookie(loginCookie, { ...cookieOptions(site, 0, "/auth"), maxAge: undefined });
    try {
      const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
      const { identity, returnTo } = await site.auth.oidc.finish(search, bound);
      const { cookie } = site.auth.sessions.create(identity);
      setSessionCookie(site, res, cookie);
      site.log(`signed in: ${identity.email ?? identity.subject}`);
      res.redirect(303, returnTo);
    } catch (error) {
      asHttp(error, next);
    }
  });

  router.post(`/auth/logout`, ...site.chain, formBody, csrfCheck(site), async (_req: Request, res: Response) => {
    const session = res.locals.session;
    let target = "/";
    if (site.auth && session) {
      site.auth.sessions.destroy(session);
      target = (await site.auth.oidc.logoutUrl(session.idToken)) ?? "/";
    }
    clearSessionCookie(site, res);
    res.redirect(303, target);
  });
  return router;
}
