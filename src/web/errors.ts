// Typed errors and the one error middleware: JSON for the API, a page otherwise.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { createTranslator, isMessageKey, translate } from "./i18n/index.ts";
import { chooseLocale } from "./locale.ts";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    /** Stable, machine-readable reason, e.g. "invalid_parameter", "not_found". */
    readonly reason: string,
    message: string,
    /** Extra fields of the JSON error for programs (e.g. the accepted parameters); never shown raw on a page. */
    readonly details?: Record<string, unknown>,
    /** The message in the reader's language for the page, as a message key and its parameters (else a generic text). */
    readonly localized?: { key: string; params?: Record<string, string | number> },
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, "not_found", `nothing at ${req.path}`));
};

export function wantsJson(path: string, accept: string | undefined): boolean {
  return path.startsWith("/api/") || (accept !== undefined && accept.includes("application/json") && !accept.includes("text/html"));
}

export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    // Body-parser and friends set `status` on client errors they raise.
    const status = error instanceof HttpError ? error.status : typeof error?.status === "number" && error.status < 500 ? error.status : 500;
    const reason = error instanceof HttpError ? error.reason : status === 500 ? "internal_error" : "bad_request";
    const message = status === 500 ? "internal error" : String(error?.message ?? "error");
    // The path only: query strings are what people searched for, and stay out of logs.
    if (status === 500) log(`error on ${req.method} ${req.originalUrl.split("?")[0]}: ${error?.stack ?? error}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status);
    if (wantsJson(req.path, req.get("accept"))) {
      res.json({ error: message, reason, ...(error instanceof HttpError ? error.details : undefined) });
    } else {
      // An error raised before the locale middleware (a malformed URL) still answers in the reader's language.
      if (!res.locals.lang) {
        res.locals.lang = chooseLocale(undefined, req.get("cookie"), req.get("accept-language")).locale;
        res.locals.i18n = createTranslator(res.locals.lang);
      }
      // The page never shows the English message of the API: the localized one when the error has it, else the
      // explanation of its reason when there is one (declarations, issue 11), else a generic text.
      const localized = error instanceof HttpError ? error.localized : undefined;
      const reasonKey = `error.reason.${reason}`;
      const detail =
        localized && isMessageKey(localized.key) ? translate(res.locals.lang, localized.key, localized.params) : isMessageKey(reasonKey) ? translate(res.locals.lang, reasonKey) : null;
      res.render("error", { title: String(status), status, reason, detail });
    }
  };
}
