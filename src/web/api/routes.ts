// The JSON API, v1, mounted at /api/v1. Handlers parse, call the search engine
// or the store, and present; src/web/api/openapi.ts describes every route.
import { Router, type RequestHandler } from "express";
import { createHash } from "node:crypto";
import { ExportAbortedError, writeExport, type CsvOptions, type ExportFormat } from "../../records/export.ts";
import { exportRecordFields, toExportRecord } from "../../records/exportRecord.ts";
import { selectedRepositories, selectsEverything, type ExportSelection } from "../../records/exportSelection.ts";
import { toPublicRepository, type PublicRepository } from "../../records/repository.ts";
import { filterParameters, pageParameters, parsePage, parseSearchQuery, rejectUnknownParameters, searchParameters, type QueryString } from "../../search/parseQuery.ts";
import { findLiveRepository } from "../../store/catalog.ts";
import { countByPublicBody } from "../../store/bodyCounts.ts";
import { catalogVersion } from "../../store/catalogVersion.ts";
import { findOwner, listOwnerSummaries, ownerFigures } from "../../store/owners.ts";
import { databaseFile, openReadOnlyDatabase } from "../../store/readOnly.ts";
import { catalogueFigures, countBy, topOwners } from "../../store/stats.ts";
import { HttpError } from "../errors.ts";
import type { Site } from "../site.ts";
import { apiDocsPath } from "./docs.ts";
import { cors, dataMaxAge, documentMaxAge, notModified, readOnly, sendJson } from "./http.ts";
import { openApiDocument } from "./openapi.ts";
import { resolveOwnerFilter } from "./ownerFilter.ts";
import { publiccodeApiRoutes } from "./publiccode.ts";
import { toPublicOwner, toPublicOwnerSummary, toPublicStats, toSearchResponse, type PublicOwnerSummary } from "./present.ts";

export type ApiDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached" | "exportSlots">;

/** Owners listed in /api/v1/stats: the rest are one /owners call away. */
const statsTopOwners = 100;
const ownerSorts = ["repositories", "name"] as const;
/** What /owners reads. */
export const ownersParameters: readonly string[] = [...pageParameters, "sort"];

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

// --- Export parameters (issue 14): the search's text, filters and sort, and the CSV's dialect ---

/** What the exports read: the search without its pages, and for CSV the separator and the byte-order mark. */
export const exportParameters: Readonly<Record<ExportFormat, readonly string[]>> = {
  json: ["q", ...filterParameters, "sort"],
  csv: ["q", ...filterParameters, "sort", "sep", "bom"],
};
const separators = { comma: ",", semicolon: ";" } as const;

/** The CSV dialect of a request: ?sep=semicolon for French spreadsheets; a byte-order mark unless ?bom=false. */
function csvOptions(query: QueryString): CsvOptions {
  const sep = query.sep ?? "comma";
  if (typeof sep !== "string" || !(sep in separators)) throw new HttpError(400, "invalid_parameter", `sep must be one of ${Object.keys(separators).join(", ")}`);
  const bom = query.bom ?? "true";
  if (bom !== "true" && bom !== "false") throw new HttpError(400, "invalid_parameter", "bom must be true or false");
  return { separator: separators[sep as keyof typeof separators], bom: bom === "true", fields: exportRecordFields };
}

/** The repositories a request selects: null, the whole catalogue, when it names no text, filter or sort. */
function exportSelection(deps: ApiDeps, query: QueryString): ExportSelection {
  const { q, filters, sort } = parseSearchQuery(query);
  const search = { q, filters: resolveOwnerFilter(deps.db, filters), sort, facets: false };
  return selectsEverything(search, typeof query.sort === "string" && query.sort !== "") ? null : search;
}

/**
 * Streams the live repositories a request selects (all of them without
 * parameters). The rows come from a connection of their own: better-sqlite3
 * refuses writes on a connection that is iterating, and a download may last
 * minutes while the harvest writes.
 */
function exportRoute(deps: ApiDeps, format: ExportFormat): RequestHandler {
  return async (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, exportParameters[format]);
    const selection = exportSelection(deps, query);
    const options = format === "csv" ? csvOptions(query) : {};
    // A filtered export depends on the index too, and on the parameters.
    const variant = selection === null && Object.keys(query).length === 0 ? "" : `-${deps.search.generation}-${createHash("sha1").update(JSON.stringify([selection, options])).digest("base64url").slice(0, 16)}`;
    const etag = `W/"${format}-${catalogVersion(deps.db)}${variant}"`;
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
    // A few exports at a time: each holds a connection and a core for seconds; the others wait their turn.
    const release = await deps.exportSlots.acquire().catch((error: unknown) => {
      res.set("Retry-After", "60");
      throw error;
    });
    const file = databaseFile(deps.db);
    // An in-memory database has no file to open twice: its one connection serves, as in tests.
    let reader: typeof deps.db | null = null;
    try {
      reader = file ? openReadOnlyDatabase(file) : deps.db;
      const records: Iterable<PublicRepository> = map(selectedRepositories(reader, deps.search, selection), (row) => toExportRecord(row, deps.publicBodies));
      await writeExport(records, format, res, options);
      res.end();
    } catch (error) {
      // A client that stops a download is no server error; the finally block frees the connection.
      if (!(error instanceof ExportAbortedError)) throw error;
    } finally {
      if (reader && reader !== deps.db) reader.$client.close();
      release();
    }
  };
}

/** Routes without parameters refuse any (a misspelt one would be silently ignored). */
const noParameters: RequestHandler = (req, _res, next) => {
  rejectUnknownParameters(req.query as QueryString, []);
  next();
};

export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const document = openApiDocument();
  router.use(cors);
  // publiccode.yml validation (issue 9): the one POST, before the read-only guard of every other route.
  router.use(publiccodeApiRoutes());
  router.use(readOnly);

  router.get("/", noParameters, (req, res) => {
    sendJson(
      req,
      res,
      { name: "Code Commun API", version: "1", documentation: apiDocsPath, openapi: "/api/v1/openapi.json", repositories: "/api/v1/repositories", owners: "/api/v1/owners", stats: "/api/v1/stats", exports: ["/api/v1/repositories.json", "/api/v1/repositories.csv"] },
      documentMaxAge,
    );
  });
  router.get("/docs", (_req, res) => res.redirect(301, apiDocsPath));

  router.get("/repositories", (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, searchParameters);
    const parsed = parseSearchQuery(query);
    sendJson(req, res, toSearchResponse(deps.search.search({ ...parsed, filters: resolveOwnerFilter(deps.db, parsed.filters) })));
  });
  // The exports before /repositories/*id: "repositories.json" must never be read as an id.
  router.get("/repositories.json", exportRoute(deps, "json"));
  router.get("/repositories.csv", exportRoute(deps, "csv"));
  router.get("/repositories/*id", noParameters, (req, res) => {
    // "<host>/<full name>": the full name has at least an owner and a name, GitLab groups nest deeper.
    const [host, ...path] = segments(req.params.id);
    const row = host && path.length >= 2 ? findLiveRepository(deps.db, host.toLowerCase(), path.join("/")) : undefined;
    if (!row) throw notFound(`repository ${segments(req.params.id).join("/")}`);
    sendJson(req, res, toPublicRepository(row));
  });

  router.get("/owners", (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, ownersParameters);
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
  router.get("/owners/*id", noParameters, (req, res) => {
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

  router.get("/stats", noParameters, (req, res) => {
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

  router.get("/openapi.json", noParameters, (req, res) => sendJson(req, res, document, documentMaxAge));
  return router;
}
