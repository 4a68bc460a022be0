// The JSON API, v1, mounted at /api/v1. Handlers parse, call the search engine
// or the store, and present; src/web/api/openapi.ts describes every route.
import compression from "compression";
import { Router, type RequestHandler } from "express";
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { codeJsonHeader, toCodeJsonRelease } from "../../records/codeJson.ts";
import { ExportAbortedError, writeCodeJson, writeExport, writeJsonLines, type CsvOptions, type ExportFormat } from "../../records/export.ts";
import { exportRecordFields, toExportRecord } from "../../records/exportRecord.ts";
import { selectedPubliccode, selectedRepositories, selectsEverything, type ExportSelection } from "../../records/exportSelection.ts";
import { filterParameters, pageParameters, parsePage, parseSearchQuery, rejectUnknownParameters, searchParameters, type QueryString } from "../../search/parseQuery.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import { catalogVersion } from "../../store/catalogVersion.ts";
import type { Db } from "../../store/database.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import type { PubliccodeEntry } from "../../store/profiles.ts";
import { databaseFile, openReadOnlyDatabase } from "../../store/readOnly.ts";
import { toRepositoryDetail } from "./profilePresent.ts";
import { toPubliccodeRecord } from "./publiccodePresent.ts";
import { requestBaseUrl } from "../baseUrl.ts";
import { HttpError } from "../errors.ts";
import type { Site } from "../site.ts";
import { apiDocsPath } from "./docs.ts";
import { cors, dataMaxAge, documentMaxAge, GzippedAnswers, notModified, readOnly, sendJson, sendJsonTagged } from "./http.ts";
import { findPublicOwner, findRepositoryBySegments, publicStats } from "./lookups.ts";
import { openApiDocument } from "./openapi.ts";
import { buildStatusReport, filterAccounts } from "../../harvest/statusReport.ts";
import { listRuns } from "../../store/runs.ts";
import { parseStatusQuery } from "../statusQuery.ts";
import { toPublicStatus } from "./statusPresent.ts";
import { resolveOwnerFilter } from "./ownerFilter.ts";
import { publiccodeApiRoutes, publiccodeValidatePath } from "./publiccode.ts";
import { searchResponseBytes, searchResponseEtag, toPublicOwnerSummary, toPublicSimilar, type PublicOwnerSummary } from "./present.ts";
import { findSimilar } from "../../search/similar.ts";
import { repositoryId } from "../../records/repository.ts";
import { normalisePackageName } from "../../reuse/names.ts";
import { ecosystems, type Ecosystem } from "../../reuse/types.ts";
import { listReuseEdges, reuseDirections, type ReuseDirection } from "../../store/reuse.ts";
import { toPublicPackageUsage, toPublicReuseEdges } from "./reusePresent.ts";

export type ApiDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached" | "exportSlots"> & Partial<Pick<Site, "harvestPlan">>;

const ownerSorts = ["repositories", "name"] as const;
/** What /packages reads (issue 10). */
export const packagesParameters: readonly string[] = ["ecosystem", "name", ...pageParameters];
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
export const exportParameters: Readonly<Record<ExportTag, readonly string[]>> = {
  json: ["q", ...filterParameters, "sort"],
  jsonl: ["q", ...filterParameters, "sort"],
  codejson: ["q", ...filterParameters, "sort"],
  publiccode: ["q", ...filterParameters, "sort"],
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

/** The exports' names: the record's formats, and issue 12's code.json and publiccode.yml documents. */
type ExportTag = ExportFormat | "codejson" | "publiccode";

/** What an export's writer knows of the request besides its selection. */
interface ExportContext {
  /** The catalogue's absolute address (PUBLIC_URL, else the request's), for links to its pages. */
  baseUrl: string;
}

/**
 * How one export is named, typed, read and written (issue 12 added jsonl,
 * code.json and publiccode.jsonl beside json and csv). `T` is what it streams:
 * the selected repositories' rows, or for publiccode.jsonl their documents.
 */
interface ExportSpec<T> {
  /** Names the file, prefixes its ETag and chooses its parameters. */
  tag: ExportTag;
  filename: string;
  contentType: string;
  /** What a selection streams, read on the export's own connection. */
  source(reader: Db, selection: ExportSelection): Iterable<T>;
  write(items: Iterable<T>, out: Writable, csvOptions: CsvOptions, context: ExportContext): Promise<number>;
}

/** The rows of the selected repositories: what the record exports and code.json stream. */
function repositoryRows(deps: ApiDeps): ExportSpec<RepositoryRow>["source"] {
  return (reader, selection) => selectedRepositories(reader, deps.search, selection);
}

const exportContentTypes: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
};

/** The exports of the public record (with the public body's columns), one per format of records/export.ts. */
function recordExport(deps: ApiDeps, format: ExportFormat): ExportSpec<RepositoryRow> {
  return {
    tag: format,
    filename: `code-commun-repositories.${format}`,
    contentType: exportContentTypes[format],
    source: repositoryRows(deps),
    write: (rows, out, options) => writeExport(map(rows, (row) => toExportRecord(row, deps.publicBodies)), format, out, options),
  };
}

/** code.json (issue 12): the catalogue as a US code.gov inventory, one release per repository. */
function codeJsonExport(deps: ApiDeps): ExportSpec<RepositoryRow> {
  return {
    tag: "codejson",
    filename: "code.json",
    contentType: "application/json; charset=utf-8",
    source: repositoryRows(deps),
    write: (rows, out) => writeCodeJson(codeJsonHeader("Code Commun"), map(rows, (row) => toCodeJsonRelease(row, deps.publicBodies)), out),
  };
}

/**
 * publiccode.jsonl (issue 12): the parsed publiccode.yml of every selected
 * repository whose file is valid, one a line, with its forge and catalogue
 * addresses; the search selects, the profiles table keeps only valid files.
 */
function publiccodeExport(deps: ApiDeps): ExportSpec<PubliccodeEntry> {
  return {
    tag: "publiccode",
    filename: "code-commun-publiccode.jsonl",
    contentType: exportContentTypes.jsonl,
    source: (reader, selection) => selectedPubliccode(reader, deps.search, selection),
    write: (entries, out, _options, { baseUrl }) => writeJsonLines(map(entries, (entry) => toPubliccodeRecord(entry, baseUrl)), out),
  };
}

/**
 * Streams the live repositories a request selects (all of them without
 * parameters). The rows come from a connection of their own: better-sqlite3
 * refuses writes on a connection that is iterating, and a download may last
 * minutes while the harvest writes.
 */
function exportRoute<T>(deps: ApiDeps, spec: ExportSpec<T>, publicUrl: string | null): RequestHandler {
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
      await spec.write(spec.source(reader, selection), res, options, { baseUrl: requestBaseUrl(req, publicUrl) });
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

/** `publicUrl`: PUBLIC_URL, the base of the absolute links some exports write (else the request's address). */
export function apiRoutes(deps: ApiDeps, { publicUrl = null }: { publicUrl?: string | null } = {}): Router {
  const router = Router();
  const document = openApiDocument();
  router.use(cors);
  // Issue 13: the API is mounted before the site's compression() (src/web/app.ts). sendJson
  // compresses its own bodies; the streamed exports and the validation answer get it here.
  const streamed = compression({ level: 1 });
  router.use(publiccodeValidatePath, streamed);
  // publiccode.yml validation (issue 9): the one POST, before the read-only guard of every other route.
  router.use(publiccodeApiRoutes());
  router.use(readOnly);

  router.get("/", noParameters, (req, res) => {
    sendJson(
      req,
      res,
      { name: "Code Commun API", version: "1", documentation: apiDocsPath, openapi: "/api/v1/openapi.json", repositories: "/api/v1/repositories", owners: "/api/v1/owners", stats: "/api/v1/stats", status: "/api/v1/status", exports: ["/api/v1/repositories.json", "/api/v1/repositories.csv", "/api/v1/repositories.jsonl", "/api/v1/code.json", "/api/v1/publiccode.jsonl"] },
      documentMaxAge,
    );
  });
  router.get("/docs", (_req, res) => res.redirect(301, apiDocsPath));

  // Issue 13: search answers asked again are sent as gzipped the first time.
  const searchAnswers = new GzippedAnswers();
  router.get("/repositories", (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, searchParameters);
    const parsed = parseSearchQuery(query);
    const search = { ...parsed, filters: resolveOwnerFilter(deps.db, parsed.filters) };
    // Issue 13: the generation is read in the same synchronous step as the search (a swap cannot come between).
    const generation = deps.search.generation;
    const result = deps.search.search(search);
    sendJsonTagged(req, res, searchResponseEtag(generation, search, result), () => searchResponseBytes(result), dataMaxAge, searchAnswers);
  });
  // The exports before /repositories/*id: "repositories.json" must never be read as an id.
  router.get("/repositories.json", streamed, exportRoute(deps, recordExport(deps, "json"), publicUrl));
  router.get("/repositories.csv", streamed, exportRoute(deps, recordExport(deps, "csv"), publicUrl));
  // Issue 12: JSON Lines for data pipelines, code.json for catalogues that read the US format.
  router.get("/repositories.jsonl", streamed, exportRoute(deps, recordExport(deps, "jsonl"), publicUrl));
  router.get("/code.json", streamed, exportRoute(deps, codeJsonExport(deps), publicUrl));
  // Issue 12, after issue 9's profiles: the valid publiccode.yml documents, one a line.
  router.get("/publiccode.jsonl", streamed, exportRoute(deps, publiccodeExport(deps), publicUrl));
  router.get("/repositories/*id", (req, res) => {
    // "<host>/<full name>": the full name has at least an owner and a name, GitLab groups nest deeper.
    const path = segments(req.params.id);
    let row = findRepositoryBySegments(deps, path);
    // Issue 10: <id>/dependents, <id>/dependencies, <id>/forks. A live repository whose own path
    // ends so (a GitLab project "forks" beside a project of the parent group) keeps its record.
    const direction = path.at(-1) as ReuseDirection;
    if (!row && reuseDirections.includes(direction)) {
      const base = findRepositoryBySegments(deps, path.slice(0, -1));
      if (!base) throw notFound(`repository ${path.slice(0, -1).join("/")}`);
      const query = req.query as QueryString;
      rejectUnknownParameters(query, pageParameters);
      const { page, perPage } = parsePage(query);
      const list = listReuseEdges(deps.db, repositoryId(base.host, base.fullName), direction, { limit: perPage, offset: (page - 1) * perPage });
      sendJson(req, res, toPublicReuseEdges(direction, list, page, perPage));
      return;
    }
    // <id>/similar: the repository page's similar repositories, each with why (as the MCP tool gives them).
    if (!row && path.at(-1) === "similar") {
      const base = findRepositoryBySegments(deps, path.slice(0, -1));
      if (!base) throw notFound(`repository ${path.slice(0, -1).join("/")}`);
      rejectUnknownParameters(req.query as QueryString, []);
      sendJson(req, res, toPublicSimilar(base, findSimilar(deps.search, base)));
      return;
    }
    rejectUnknownParameters(req.query as QueryString, []);
    if (!row) throw notFound(`repository ${path.join("/")}`);
    // issue 9: the record with the repository's profile
    sendJson(req, res, toRepositoryDetail(deps.db, row, new Date()));
  });

  // Issue 10: which catalogue repositories use a package, and which publishes it.
  router.get("/packages", (req, res) => {
    const query = req.query as QueryString;
    rejectUnknownParameters(query, packagesParameters);
    const ecosystem = query.ecosystem;
    if (typeof ecosystem !== "string" || !(ecosystems as readonly string[]).includes(ecosystem)) {
      throw new HttpError(400, "invalid_parameter", `ecosystem must be one of ${ecosystems.join(", ")}`);
    }
    if (typeof query.name !== "string") throw new HttpError(400, "invalid_parameter", "name must be given once");
    const name = normalisePackageName(ecosystem as Ecosystem, query.name);
    if (!name.ok) throw new HttpError(400, "invalid_parameter", name.error);
    const { page, perPage } = parsePage(query);
    sendJson(req, res, toPublicPackageUsage(deps.db, { ecosystem: ecosystem as Ecosystem, name: name.name }, page, perPage));
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
  // Issue 13: the API answers its own 404s; falling through, they would cross the pages' middleware (and lose its CORS headers).
  router.use((req, _res, next) => next(new HttpError(404, "not_found", `nothing at ${req.originalUrl.split("?")[0]}`)));
  return router;
}
