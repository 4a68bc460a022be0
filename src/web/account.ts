// What the signed-in pages share (issue 11): the declaration service, the
// session of each request, CSRF checks. These pages are personal: they are
// mounted outside the page cache and answered with Cache-Control: no-store.
import express, { type RequestHandler, type Response } from "express";
import type { AuthConfig } from "../config/config.ts";
import { OidcClient } from "../auth/oidc.ts";
import { SessionStore, sessionCookie, sessionLifetimeMs, type Session } from "../auth/sessions.ts";
import { readCookie } from "../auth/cookies.ts";
import type { DeclarationService } from "../declarations/service.ts";
import type { Actor } from "../declarations/types.ts";
import type { PublicBodyDirectory } from "../sources/publicBodies.ts";
import { HttpError } from "./errors.ts";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      session?: Session | null;
      actor?: Actor | null;
      csrf?: string;
      /** The signed-in person's name or e-mail, for the page header. */
      who?: string;
    }
  }
}

export interface AccountSite {
  service: DeclarationService;
  /** null: sign-in is not set up (no OIDC_CLIENT_ID). */
  auth: { config: AuthConfig; oidc: OidcClient; sessions: SessionStore } | null;
  publicBodies: PublicBodyDirectory;
  log: (message: string) => void;
  /** What every one of these pages runs first: language, no-store, layout, session. */
  chain: RequestHandler[];
}

export function createAccountAuth(config: AuthConfig | null | undefined, db: ConstructorParameters<typeof SessionStore>[0], now: () => Date): AccountSite["auth"] {
  if (!config) return null;
  return { config, oidc: new OidcClient(config, db, now), sessions: new SessionStore(db, config.sessionSecret, now) };
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
};

/** Forms are small: a few fields of at most a few hundred characters. */
export const formBody = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 30 });

export function cookieOptions(site: AccountSite, maxAge: number, path = "/") {
  return { httpOnly: true, sameSite: "lax" as const, secure: site.auth?.config.publicUrl.startsWith("https:") ?? false, path, maxAge };
}

/** Reads the session cookie into res.locals (session, actor, csrf). */
export function sessionMiddleware(site: AccountSite): RequestHandler {
  return (req, res, next) => {
    res.locals.session = null;
    res.locals.actor = null;
    if (site.auth) {
      const session = site.auth.sessions.read(readCookie(req.get("cookie"), sessionCookie));
      if (session) {
        res.locals.session = session;
        res.locals.actor = actorOf(session, site.auth.config);
        res.locals.csrf = site.auth.sessions.csrfToken(session);
        res.locals.who = session.name ?? session.email ?? session.subject;
      }
    }
    next();
  };
}

export function actorOf(session: Session, config: AuthConfig): Actor {
  return {
    subject: session.subject,
    email: session.email,
    name: session.name,
    siret: session.siret,
    // Only an address the provider verified: anyone can type an e-mail into an account elsewhere.
    moderator: session.emailVerified && session.email !== null && config.moderators.includes(session.email.toLowerCase()),
  };
}

/** Every form posts `_csrf`: the token of this session, which another site cannot read. */
export function csrfCheck(site: AccountSite): RequestHandler {
  return (req, res, next) => {
    const session = res.locals.session;
    const token: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!site.auth || !session || !site.auth.sessions.checkCsrf(session, token)) {
      next(new HttpError(403, "csrf_invalid", "the form has expired or did not come from this site: reload the page and try again"));
      return;
    }
    next();
  };
}

export function setSessionCookie(site: AccountSite, res: Response, value: string): void {
  res.cookie(sessionCookie, value, cookieOptions(site, sessionLifetimeMs));
}

export function clearSessionCookie(site: AccountSite, res: Response): void {
  const { maxAge: _maxAge, ...options } = cookieOptions(site, 0);
  res.clearCookie(sessionCookie, options);
}
