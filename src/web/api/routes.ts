// The JSON API, v1, mounted at /api/v1. Handlers parse, call the search engine
// or the store, and present; src/web/api/openapi.ts describes every route.
import { Router, type RequestHandler } from "express";
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { codeJsonHeader, toCodeJsonRelease } from "../../records/codeJson.ts";
import { ExportAbortedError, writeCodeJson, writeExport, type CsvOptions, type ExportFormat } from "../../records/export.ts";
import { exportRecordFields, toExportRecord } from "../../records/exportRecord.ts";
import { selectedRepositories, selectsEverything, type ExportSelection } from "../../records/exportSelection.ts";
import { filterParameters, pageParameters, parsePage, parseSearchQuery, rejectUnknownParameters, searchParameters, type QueryString } from "../../search/parseQuery.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import { catalogVersion } from "../../store/catalogVersion.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import { databaseFile, openReadOnlyDatabase } from "../../store/readOnly.ts";
import { toRepositoryDetail } from "./profilePresent.ts";
import { HttpError } from "../errors.ts";
import type { Site } from "../site.ts";
import { apiDocsPath } from "./docs.ts";
import { cors, dataMaxAge, documentMaxAge, notModified, readOnly, sendJson } from "./http.ts";
import { findPublicOwner, findRepositoryBySegments, publicStats } from "./lookups.ts";
import { openApiDocument } from "./openapi.ts";
import { buildStatusReport, filterAccounts } from "../../harvest/statusReport.ts";
import { listRuns } from "../../store/runs.ts";
import { parseStatusQuery } from "../statusQuery.ts";
import { toPublicStatus } from "./statusPresent.ts";
import { resolveOwnerFilter } from "./ownerFilter.ts";
import { publiccodeApiRoutes } from "./publiccode.ts";
import { toPublicOwnerSummary, toSearchResponse, type PublicOwnerSummary } from "./present.ts";

export type ApiDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached" | "exportSlots"> & Partial<Pick<Site, "harvestPlan">>;

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
export const exportParameters: Readonly<Record<ExportFormat | "codejson", readonly string[]>> = {
  json: ["q", ...filterParameters, "sort"],
  jsonl: ["q", ...filterParameters, "sort"],
  codejson: ["q", ...filterParameters, "sort"],
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

/** How one export is named, typed and written (issue 12 added jsonl and code.json beside json and csv). */
interface ExportSpec {
  /** Names the file, prefixes its ETag and chooses its parameters. */
  tag: ExportFormat | "codejson";
  filename: string;
  contentType: string;
  write(rows: Iterable<RepositoryRow>, out: Writable, csvOptions: CsvOptions): Promise<number>;
}

const exportContentTypes: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
};

/** The exports of the public record (with the public body's columns), one per format of records/export.ts. */
function recordExport(deps: ApiDeps, format: ExportFormat): ExportSpec {
  return {
    tag: format,
    filename: `code-commun-repositories.${format}`,
    contentType: exportContentTypes[format],
    write: (rows, out, options) => writeExport(map(rows, (row) => toExportRecord(row, deps.publicBodies)), format, out, options),
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
 * Streams the live repositories a request selects (all of them without
 * parameters). The rows come from a connection of their own: better-sqlite3
 * refuses writes on a connection that is iterating, and a download may last
 * minutes while the harvest writes.
 */
function exportRoute(deps: ApiDeps, spec: ExportSpec): RequestHandler {
  return async (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, exportParameters[spec.tag]);
    const selection = exportSelection(deps, query);
    const options = spec.tag === "csv" ? csvOptions(query) : {};
    // A filtered export depends on the index too, and on the parameters.
    const variant = selection === null && Object.keys(query).length === 0 ? "" : `-${deps.search.generation}-${createHash("sha1").update(JSON.stringify([selection, options])).digest("base64url").slice(0, 16)}`;
    const etag = `W/"${spec.tag}-${catalogVersion(deps.db)}${variant}"`;
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
      await spec.write(selectedRepositories(reader, deps.search, selection), res, options);
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
      { name: "Code Commun API", version: "1", documentation: apiDocsPath, openapi: "/api/v1/openapi.json", repositories: "/api/v1/repositories", owners: "/api/v1/owners", stats: "/api/v1/stats", status: "/api/v1/status", exports: ["/api/v1/repositories.json", "/api/v1/repositories.csv", "/api/v1/repositories.jsonl", "/api/v1/code.json"] },
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
  router.get("/repositories.json", exportRoute(deps, recordExport(deps, "json")));
  router.get("/repositories.csv", exportRoute(deps, recordExport(deps, "csv")));
  // Issue 12: JSON Lines for data pipelines, code.json for catalogues that read the US format.
  router.get("/repositories.jsonl", exportRoute(deps, recordExport(deps, "jsonl")));
  router.get("/code.json", exportRoute(deps, codeJsonExport(deps)));
  router.get("/repositories/*id", noParameters, (req, res) => {
    // "<host>/<full name>": the full name has at least an owner and a name, GitLab groups nest deeper.
    const row = findRepositoryBySegments(deps, segments(req.params.id));
    if (!row) throw notFound(`repository ${segments(req.params.id).join("/")}`);
    // issue 9: the record with the repository's profile
    sendJson(req, res, toRepositoryDetail(deps.db, row, new Date()));
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
    const owner = findPublicOwner(deps, host, login);
    if (!owner) throw notFound(`owner ${host}/${login}`);
    sendJson(req, res, owner);
  });

  router.get("/stats", noParameters, (req, res) => {
    const stats = publicStats(deps);
    sendJson(req, res, stats);
  });

  // Issue 8: the harvest status, per forge host and per account of the current sources.
  router.get("/status", (req, res) => {
    const { filter, page, perPage } = parseStatusQuery(req.query as Record<string, unknown>, 100, 1_000);
    const report = buildStatusReport(deps.db, deps.harvestPlan?.() ?? null);
    const matching = filterAccounts(report.accounts, filter);
    const items = matching.slice((page - 1) * perPage, page * perPage);
    // Short-lived: it is read to see what a harvest is doing.
    sendJson(req, res, toPublicStatus(report, listRuns(deps.db, 1)[0], { items, total: matching.length, page, perPage }), 30);
  });

  router.get("/openapi.json", noParameters, (req, res) => sendJson(req, res, document, documentMaxAge));
  return router;
}
