// The JSON API, v1, mounted at /api/v1. Handlers parse, call the search engine
// or the store, and present; src/web/api/openapi.ts describes every route.
import { Router, type RequestHandler } from "express";
import type { Writable } from "node:stream";
import { codeJsonHeader, toCodeJsonRelease } from "../../records/codeJson.ts";
import { ExportAbortedError, writeCodeJson, writeExport, type ExportFormat } from "../../records/export.ts";
import { toPublicRepository } from "../../records/repository.ts";
import { parsePage, parseSearchQuery, type QueryString } from "../../search/parseQuery.ts";
import { iterateLiveRepositories, type RepositoryRow } from "../../store/catalog.ts";
import { catalogVersion } from "../../store/catalogVersion.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import { databaseFile, openReadOnlyDatabase } from "../../store/readOnly.ts";
import { HttpError } from "../errors.ts";
import type { Site } from "../site.ts";
import { apiDocsPath } from "./docs.ts";
import { cors, dataMaxAge, documentMaxAge, notModified, readOnly, sendJson } from "./http.ts";
import { openApiDocument } from "./openapi.ts";
import { findPublicOwner, findRepositoryBySegments, publicStats } from "./lookups.ts";
import { toPublicOwnerSummary, toSearchResponse, type PublicOwnerSummary } from "./present.ts";

export type ApiDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached">;

const ownerSorts = ["repositories", "name"] as const;

/** The path segments of a wildcard parameter, without empty ones (a trailing slash); an encoded slash (%2F) separates too. */
function segments(param: string[] | string | undefined): string[] {
  return (Array.isArray(param) ? param.join("/") : (param ?? "")).split("/").filter((segment) => segment !== "");
}

function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", `no ${what}`);
}

function* map<T, U>(items: Iterable<T>, transform: (item: T) => U): Generator<U> {
  for (const item of items) yield transform(item);
}

/** How one export is named, typed and written (issue 12 added jsonl and code.json beside json and csv). */
interface ExportSpec {
  /** Names the file and prefixes its ETag. */
  tag: string;
  filename: string;
  contentType: string;
  write(rows: Iterable<RepositoryRow>, out: Writable): Promise<number>;
}

const exportContentTypes: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
};

/** The exports of the public record, one per format of records/export.ts. */
function recordExport(format: ExportFormat): ExportSpec {
  return {
    tag: format,
    filename: `code-commun-repositories.${format}`,
    contentType: exportContentTypes[format],
    write: (rows, out) => writeExport(map(rows, toPublicRepository), format, out),
  };
}

/** code.json (issue 12): the catalogue as a US code.gov inventory, one release per repository. */
function codeJsonExport(deps: ApiDeps): ExportSpec {
  return {
    tag: "codejson",
    filename: "code.json",
    contentType: "application/json; charset=utf-8",
    write: (rows, out) => writeCodeJson(codeJsonHeader("Code Commun"), map(rows, (row) => toCodeJsonRelease(row, deps.publicBodies)), out),
  };
}

/**
 * Streams every live repository. The rows come from a connection of their own:
 * better-sqlite3 refuses writes on a connection that is iterating, and a
 * download may last minutes while the harvest writes.
 */
function exportRoute(deps: ApiDeps, spec: ExportSpec): RequestHandler {
  return async (req, res) => {
    const etag = `W/"${spec.tag}-${catalogVersion(deps.db)}"`;
    res.set({
      "Content-Type": spec.contentType,
      "Content-Disposition": `attachment; filename="${spec.filename}"`,
      "Cache-Control": `public, max-age=${dataMaxAge}`,
      ETag: etag,
    });
    if (notModified(req, etag)) {
      res.status(304).end();
      return;
    }
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const file = databaseFile(deps.db);
    // An in-memory database has no file to open twice: its one connection serves, as in tests.
    const reader = file ? openReadOnlyDatabase(file) : deps.db;
    try {
      await spec.write(iterateLiveRepositories(reader), res);
      res.end();
    } catch (error) {
      // A client that stops a download is no server error; the finally block frees the connection.
      if (!(error instanceof ExportAbortedError)) throw error;
    } finally {
      if (reader !== deps.db) reader.$client.close();
    }
  };
}

export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const document = openApiDocument();
  router.use(cors, readOnly);

  router.get("/", (req, res) => {
    sendJson(
      req,
      res,
      { name: "Code Commun API", version: "1", documentation: apiDocsPath, openapi: "/api/v1/openapi.json", repositories: "/api/v1/repositories", owners: "/api/v1/owners", stats: "/api/v1/stats", exports: ["/api/v1/repositories.json", "/api/v1/repositories.csv", "/api/v1/repositories.jsonl", "/api/v1/code.json"] },
      documentMaxAge,
    );
  });
  router.get("/docs", (_req, res) => res.redirect(301, apiDocsPath));

  router.get("/repositories", (req, res) => {
    sendJson(req, res, toSearchResponse(deps.search.search(parseSearchQuery(req.query as QueryString))));
  });
  // The exports before /repositories/*id: "repositories.json" must never be read as an id.
  router.get("/repositories.json", exportRoute(deps, recordExport("json")));
  router.get("/repositories.csv", exportRoute(deps, recordExport("csv")));
  // Issue 12: JSON Lines for data pipelines, code.json for catalogues that read the US format.
  router.get("/repositories.jsonl", exportRoute(deps, recordExport("jsonl")));
  router.get("/code.json", exportRoute(deps, codeJsonExport(deps)));
  router.get("/repositories/*id", (req, res) => {
    // "<host>/<full name>": the full name has at least an owner and a name, GitLab groups nest deeper.
    const row = findRepositoryBySegments(deps, segments(req.params.id));
    if (!row) throw notFound(`repository ${segments(req.params.id).join("/")}`);
    sendJson(req, res, toPublicRepository(row));
  });

  router.get("/owners", (req, res) => {
    const query = req.query as QueryString;
    const { page, perPage } = parsePage(query);
    const sort = query.sort ?? "repositories";
    if (typeof sort !== "string" || !(ownerSorts as readonly string[]).includes(sort)) throw new HttpError(400, "invalid_parameter", `sort must be one of ${ownerSorts.join(", ")}`);
    // The list is made once per index generation (a harvest) and sort, then sliced per page.
    const owners = deps.cached(`api:owners:${sort}:${deps.search.generation}`, () => {
      const all = listOwnerSummaries(deps.db).map((owner) => toPublicOwnerSummary(owner, deps.publicBodies));
      const byName = (a: PublicOwnerSummary, b: PublicOwnerSummary) => a.host.localeCompare(b.host) || a.login.toLowerCase().localeCompare(b.login.toLowerCase());
      return all.sort(sort === "name" ? byName : (a, b) => b.repositories - a.repositories || byName(a, b));
    });
    sendJson(req, res, { total: owners.length, page, per_page: perPage, items: owners.slice((page - 1) * perPage, page * perPage) });
  });
  router.get("/owners/*id", (req, res) => {
    // "<host>/<login>"; a GitLab login is the group's full path and has slashes.
    const [rawHost, ...path] = segments(req.params.id);
    const host = rawHost?.toLowerCase();
    const login = path.join("/");
    if (!host || !login) throw notFound(`owner ${segments(req.params.id).join("/")}`);
    const owner = findPublicOwner(deps, host, login);
    if (!owner) throw notFound(`owner ${host}/${login}`);
    sendJson(req, res, owner);
  });

  router.get("/stats", (req, res) => {
    const stats = publicStats(deps);
    sendJson(req, res, stats);
  });

  router.get("/openapi.json", (req, res) => sendJson(req, res, document, documentMaxAge));
  return router;
}
