// Typed errors and the one error middleware: JSON for the API, a page otherwise.
import type { ErrorRequestHandler, RequestHandler } from "express";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    /** Stable, machine-readable reason, e.g. "invalid_parameter", "not_found". */
    readonly reason: string,
    message: string,
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
      res.json({ error: message, reason });
    } else {
      res.render("error", { title: String(status), status, reason, message });
    }
  };
}
