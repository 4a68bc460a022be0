// POST /api/v1/publiccode/validate: the API's one POST. It stores nothing and
// answers for the body alone (a YAML document), so it is as safe as a GET to
// call from any site; the readOnly guard of the other routes does not apply.
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { maxPubliccodeBytes, validatePubliccodeBytes } from "../../publiccode/validate.ts";
import { HttpError } from "../errors.ts";

export const publiccodeValidatePath = "/publiccode/validate";
/** Media types of a YAML body (RFC 9512 registered application/yaml; text/yaml and the x- forms are in common use). */
export const yamlMediaTypes = ["application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml"];

const requireYaml: RequestHandler = (req, _res, next) => {
  const type = req.get("content-type");
  if (!type) return next(new HttpError(415, "unsupported_media_type", `send the publiccode.yml as the body, with Content-Type ${yamlMediaTypes.slice(0, 2).join(" or ")}`));
  if (!req.is(yamlMediaTypes)) return next(new HttpError(415, "unsupported_media_type", `Content-Type must be ${yamlMediaTypes.slice(0, 2).join(" or ")}, not ${type}`));
  next();
};

// The whole body, as bytes: UTF-8 is checked by the validator (the reference reports "Invalid UTF-8" as a validation error).
const readBody = express.raw({ type: () => true, limit: maxPubliccodeBytes });

/** body-parser's own errors, as the API's typed ones. */
const bodyErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  if (error instanceof HttpError) return next(error);
  const type = (error as { type?: string }).type;
  if (type === "entity.too.large") return next(new HttpError(413, "payload_too_large", `the publiccode.yml must be at most ${maxPubliccodeBytes} bytes (1 MB)`));
  if (type === "encoding.unsupported" || type === "charset.unsupported") return next(new HttpError(415, "unsupported_media_type", String((error as Error).message)));
  if (typeof (error as { status?: number }).status === "number" && (error as { status: number }).status < 500)
    return next(new HttpError((error as { status: number }).status, "bad_request", String((error as Error).message)));
  next(error);
};

export function publiccodeApiRoutes(): Router {
  const router = Router();
  router.post(publiccodeValidatePath, requireYaml, readBody, bodyErrors, (req: Request, res: Response) => {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, "empty_body", "the body is empty: send the content of a publiccode.yml");
    const result = validatePubliccodeBytes(body);
    // An answer about the caller's own document: no reason to keep it anywhere.
    res.set("Cache-Control", "no-store");
    res.json({ valid: result.valid, version: result.version, errors: result.errors, warnings: result.warnings, document: result.document });
  });
  router.all(publiccodeValidatePath, (req: Request, res: Response, next: NextFunction) => {
    res.set("Allow", "POST, OPTIONS");
    next(new HttpError(405, "method_not_allowed", `${publiccodeValidatePath} only answers POST, not ${req.method}`));
  });
  return router;
}
