// /declarations: declare a forge account, prove control of it, follow it
// (issue 11). Thin: the rules are the service's (src/declarations/).
import { Router, type NextFunction, type Request, type Response } from "express";
import { DeclarationError, type DeclarationInput } from "../../declarations/types.ts";
import { HttpError } from "../errors.ts";
import { csrfCheck, formBody, type AccountSite } from "../account.ts";
import { readDeclarationInput, toDeclarationView, toEventView, toProblemView } from "../presenters/declaration.ts";
import { withQuery } from "../urls.ts";

const doneMessages = new Set(["declared", "verified", "renewed", "withdrawn"]);

export function declarationIdOf(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new HttpError(404, "not_found", `no declaration ${String(raw).slice(0, 20)}`);
  return Number(raw);
}

/** Signed in, or sent to sign in and back here; the notice page when sign-in is not set up. */
export function requireSignIn(site: AccountSite) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!site.auth) {
      res.status(503).render("declarations/unavailable", { title: res.locals.i18n.t("declarations.unavailable.title") });
      return;
    }
    if (!res.locals.actor) {
      if (req.method === "GET") res.redirect(303, withQuery("/auth/login", { return_to: req.originalUrl }));
      else next(new HttpError(401, "signed_out", "your session has ended: sign in again"));
      return;
    }
    next();
  };
}

export function declarationRoutes(site: AccountSite): Router {
  const router = Router();
  const signedIn = requireSignIn(site);

  const renderForm = (res: Response, input: DeclarationInput, error: DeclarationError | null, status = 200) => {
    const { i18n } = res.locals;
    res.status(status).render("declarations/new", {
      title: i18n.t("declarations.new.title"),
      input,
      problem: error ? toProblemView(error, i18n) : null,
      hosts: site.service.knownHosts(),
      types: site.service.declarableTypes(),
      bodies: site.publicBodies.list().map((body) => ({ id: body.id, name: body.acronym ? `${body.name} (${body.acronym})` : body.name })),
    });
  };

  const renderDeclaration = (res: Response, id: number, error: DeclarationError | null, done: string | null, status = 200) => {
    const actor = res.locals.actor!;
    const { i18n } = res.locals;
    const row = site.service.get(actor, id);
    res.status(status).render("declarations/show", {
      title: i18n.t("declarations.show.title", { id }),
      declaration: toDeclarationView(row, i18n, site.publicBodies, new Date()),
      events: site.service.events(actor, id).map((event) => toEventView(event, i18n)),
      problem: error ? toProblemView(error, i18n) : null,
      done: done && doneMessages.has(done) ? i18n.t(`declarations.done.${done}` as never) : null,
      moderator: actor.moderator,
    });
  };

  router.get(`/declarations`, ...site.chain, (_req, res) => {
    const { i18n, actor } = res.locals;
    res.render("declarations/index", {
      title: i18n.t("declarations.title"),
      enabled: site.auth !== null,
      signedIn: Boolean(actor),
      moderator: actor?.moderator ?? false,
      who: actor ? actor.name ?? actor.email ?? "" : "",
      declarations: actor ? site.service.listMine(actor).map((row) => toDeclarationView(row, i18n, site.publicBodies, new Date())) : [],
    });
  });

  router.get(`/declarations/new`, ...site.chain, signedIn, (_req, res) => {
    const actor = res.locals.actor!;
    renderForm(res, { host: "", forge: "", api: "", account: "", wholeInstance: false, publicBody: actor.siret ?? "", contact: actor.email ?? "" }, null);
  });

  router.post(`/declarations/new`, ...site.chain, formBody, signedIn, csrfCheck(site), async (req, res, next) => {
    const actor = res.locals.actor!;
    const input = readDeclarationInput(req.body);
    const body = req.body as Record<string, unknown>;
    try {
      if (body.edit === "1") {
        renderForm(res, input, null);
        return;
      }
      if (body.confirm === "1") {
        const row = await site.service.declare(actor, input);
        res.redirect(303, `/declarations/${row.id}?done=declared`);
        return;
      }
      const preview = await site.service.preview(actor, input);
      const { i18n } = res.locals;
      res.render("declarations/confirm", {
        title: i18n.t("declarations.confirm.title"),
        input,
        preview: {
          account: preview.account.login ? `${preview.host}/${preview.account.login}` : i18n.t("declarations.wholeInstance", { host: preview.host }),
          kind: i18n.t(`declarations.kind.${preview.account.kind}` as never),
          name: preview.account.name,
          publicRepositories: preview.account.publicRepositories === null ? i18n.t("declarations.unknownCount") : i18n.number(preview.account.publicRepositories),
          body: preview.psoId ? (site.publicBodies.body(preview.psoId)?.name ?? preview.psoId) : preview.siret ? i18n.t("declarations.siretValue", { siret: preview.siret }) : preview.bodyName,
          contact: preview.contact,
          forge: preview.forgeType,
          apiUrl: preview.apiUrl,
        },
      });
    } catch (error) {
      if (error instanceof DeclarationError) renderForm(res, input, error, error.httpStatus);
      else next(error);
    }
  });

  router.get(`/declarations/:id`, ...site.chain, signedIn, (req, res, next) => {
    try {
      renderDeclaration(res, declarationIdOf(req.params.id as string), null, typeof req.query.done === "string" ? req.query.done : null);
    } catch (error) {
      next(error instanceof DeclarationError ? new HttpError(error.httpStatus, error.reason, error.message) : error);
    }
  });

  const action = (name: "verify" | "renew" | "withdraw", done: string) =>
    router.post(`/declarations/:id/${name}`, ...site.chain, formBody, signedIn, csrfCheck(site), async (req, res, next) => {
      const actor = res.locals.actor!;
      let id: number;
      try {
        id = declarationIdOf(req.params.id as string);
        const reason = typeof (req.body as Record<string, unknown>).reason === "string" ? ((req.body as Record<string, string>).reason ?? "") : "";
        if (name === "verify") await site.service.verify(actor, id);
        else if (name === "renew") site.service.renewToken(actor, id);
        else site.service.withdraw(actor, id, reason);
        res.redirect(303, `/declarations/${id}?done=${done}`);
      } catch (error) {
        if (!(error instanceof DeclarationError)) return next(error);
        if (error.reason === "not_found" || error.reason === "forbidden") return next(new HttpError(error.httpStatus, error.reason, error.message));
        try {
          renderDeclaration(res, id!, error, null, error.httpStatus);
        } catch (inner) {
          next(inner);
        }
      }
    });
  action("verify", "verified");
  action("renew", "renewed");
  action("withdraw", "withdrawn");
  return router;
}
