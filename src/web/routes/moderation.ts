// /moderation: moderators review declarations, approve or reject them with a
// reason, withdraw accounts, and read the audit log (issue 11).
import { Router, type NextFunction, type Request, type Response } from "express";
import { DeclarationError } from "../../declarations/types.ts";
import { HttpError } from "../errors.ts";
import { csrfCheck, formBody, type AccountSite } from "../account.ts";
import { toDeclarationView, toEventView, toProblemView } from "../presenters/declaration.ts";
import { declarationIdOf, requireSignIn } from "./declarations.ts";

const doneMessages = new Set(["approved", "rejected", "withdrawn"]);

export function moderationRoutes(site: AccountSite): Router {
  const router = Router();
  const signedIn = requireSignIn(site);
  const moderatorOnly = (_req: Request, res: Response, next: NextFunction) => {
    if (!res.locals.actor?.moderator) next(new HttpError(403, "forbidden", "moderators only: your e-mail address is not a moderator's, or the provider did not say it is verified"));
    else next();
  };

  const render = (res: Response, error: DeclarationError | null, done: string | null, status = 200) => {
    const actor = res.locals.actor!;
    const { i18n } = res.locals;
    const now = new Date();
    res.status(status).render("moderation", {
      title: i18n.t("moderation.title"),
      pending: site.service.pendingModeration(actor).map((row) => toDeclarationView(row, i18n, site.publicBodies, now)),
      approved: site.service.approvedDeclarations(actor).map((row) => toDeclarationView(row, i18n, site.publicBodies, now)),
      audit: site.service.auditLog(actor).map((event) => toEventView(event, i18n)),
      problem: error ? toProblemView(error, i18n) : null,
      done: done && doneMessages.has(done) ? i18n.t(`moderation.done.${done}` as never) : null,
    });
  };

  router.get(`/moderation`, ...site.chain, signedIn, moderatorOnly, (req, res) => render(res, null, typeof req.query.done === "string" ? req.query.done : null));

  const decision = (name: "approve" | "reject" | "withdraw", done: string) =>
    router.post(`/moderation/:id/${name}`, ...site.chain, formBody, signedIn, csrfCheck(site), moderatorOnly, (req, res, next) => {
      const actor = res.locals.actor!;
      try {
        const id = declarationIdOf(req.params.id as string);
        const reason = typeof (req.body as Record<string, unknown>).reason === "string" ? ((req.body as Record<string, string>).reason ?? "") : "";
        if (name === "approve") site.service.approve(actor, id, reason);
        else if (name === "reject") site.service.reject(actor, id, reason);
        else site.service.withdraw(actor, id, reason);
        res.redirect(303, `/moderation?done=${done}`);
      } catch (error) {
        if (!(error instanceof DeclarationError)) return next(error);
        if (error.reason === "not_found") return next(new HttpError(404, error.reason, error.message));
        render(res, error, null, error.httpStatus);
      }
    });
  decision("approve", "approved");
  decision("reject", "rejected");
  decision("withdraw", "withdrawn");
  return router;
}
