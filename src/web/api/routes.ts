// The JSON API, v1, mounted at /api/v1. Handlers parse, call the search engine
// or the store, and present; src/web/api/openapi.ts describes every route.
import { Router, type RequestHandler } from "express";
import { ExportAbortedError, writeExport, type ExportFormat } from "../../records/export.ts";
import { toPublicRepository, type PublicRepository } from "../../records/repository.ts";
import { parsePage, parseSearchQuery, type QueryString } from "../../search/parseQuery.ts";
import { findLiveRepository, iterateLiveRepositories } from "../../store/catalog.ts";
import { countByPublicBody } from "../../store/bodyCounts.ts";
import { catalogVersion } from "../../store/catalogVersion.ts";
import { findOwner, listOwnerSummaries, ownerFigures } from "../../store/owners.ts";
import { databaseFile, openReadOnlyDatabase } from "../../store/readOnly.ts";
import { catalogueFigures, countBy, topOwners } from "../../store/stats.ts";
import { findProfile } from "../../store/profiles.ts";
import { toRepositoryProfileFields } from "./profilePresent.ts";
import { HttpError } from "../errors.ts";
import type { Site } from "../site.ts";
import { apiDocsPath } from "./docs.ts";
import { cors, dataMaxAge, documentMaxAge, notModified, readOnly, sendJson } from "./http.ts";
import { openApiDocument } from "./openapi.ts";
import { toPublicOwner, toPublicOwnerSummary, toPublicStats, toSearchResponse, type PublicOwnerSummary } from "./present.ts";

export type ApiDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached">;

/** Owners listed in /api/v1/stats: the rest are one /owners call away. */
const statsTopOwners = 100;
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

/**
 * Streams every live repository. The rows come from a connection of their own:
 * better-sqlite3 refuses writes on a connection that is iterating, and a
 * download may last minutes while the harvest writes.
 */
function exportRoute(deps: ApiDeps, format: ExportFormat): RequestHandler {
  return async (req, res) => {
    const etag = `W/"${format}-${catalogVersion(deps.db)}"`;
    res.set({
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="code-commun-repositories.${format}"`,
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
      const records: Iterable<PublicRepository> = map(iterateLiveRepositories(reader), toPublicRepository);
      await writeExport(records, format, res);
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
      { name: "Code Commun API", version: "1", documentation: apiDocsPath, openapi: "/api/v1/openapi.json", repositories: "/api/v1/repositories", owners: "/api/v1/owners", stats: "/api/v1/stats", exports: ["/api/v1/repositories.json", "/api/v1/repositories.csv"] },
      documentMaxAge,
    );
  });
  router.get("/docs", (_req, res) => res.redirect(301, apiDocsPath));

  router.get("/repositories", (req, res) => {
    sendJson(req, res, toSearchResponse(deps.search.search(parseSearchQuery(req.query as QueryString))));
  });
  // The exports before /repositories/*id: "repositories.json" must never be read as an id.
  router.get("/repositories.json", exportRoute(deps, "json"));
  router.get("/repositories.csv", exportRoute(deps, "csv"));
  router.get("/repositories/*id", (req, res) => {
    // "<host>/<full name>": the full name has at least an owner and a name, GitLab groups nest deeper.
    const [host, ...path] = segments(req.params.id);
    const row = host && path.length >= 2 ? findLiveRepository(deps.db, host.toLowerCase(), path.join("/")) : undefined;
    if (!row) throw notFound(`repository ${segments(req.params.id).join("/")}`);
    // issue 9: the record with the repository's profile
    sendJson(req, res, { ...toPublicRepository(row), ...toRepositoryProfileFields(row, findProfile(deps.db, row.pk), new Date()) });
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
    const row = findOwner(deps.db, host, login);
    const figures = ownerFigures(deps.db, row ?? { host, login });
    // A namespace without an owner row (a user of a harvested GitLab instance) exists through its repositories.
    if (!row && figures.repositories === 0) throw notFound(`owner ${host}/${login}`);
    sendJson(req, res, toPublicOwner(row ?? { host, login }, figures, deps.publicBodies));
  });

  router.get("/stats", (req, res) => {
    const stats = deps.cached(`api:stats:${deps.search.generation}`, () =>
      toPublicStats(
        catalogueFigures(deps.db),
        {
          language: countBy(deps.db, "language"),
          license: countBy(deps.db, "license"),
          host: countBy(deps.db, "host"),
          publicBody: countByPublicBody(deps.db),
          owners: topOwners(deps.db, statsTopOwners),
        },
        deps.publicBodies,
      ),
    );
    sendJson(req, res, stats);
  });

  router.get("/openapi.json", (req, res) => sendJson(req, res, document, documentMaxAge));
  return router;
}
