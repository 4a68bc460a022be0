// Builds the web application from its dependencies; listening is the caller's business
// (tests mount it on an ephemeral port, src/bin/serve.ts on PORT).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import type { OnDemandHarvester } from "../harvest/onDemand.ts";
import type { SearchEngine } from "../search/types.ts";
import type { HarvestPlan } from "../sources/sources.ts";
import { readPublicBodies, type PublicBodyDirectory } from "../sources/publicBodies.ts";
import type { Db } from "../store/database.ts";
import { storeAnswers } from "../store/health.ts";
import type { RateLimits } from "../config/config.ts";
import type { Logger } from "../observability/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import { createCache } from "./cache.ts";
import { errorHandler, HttpError, notFound } from "./errors.ts";
import { boundedBodies, httpMetrics, inSequence, operationsRoutes, permissionsPolicy, rateLimiters, requestLogging, timedSearch } from "./operations.ts";
import { createSlots } from "./slots.ts";
import { registerHelpers } from "./helpers.ts";
import { layoutMiddleware, pageHeaders, type Assets } from "./layout.ts";
import { localeMiddleware } from "./locale.ts";
import { pageCache, pageDelivery } from "./pageCache.ts";
import { precompressedFiles } from "./precompressed.ts";
import { apiDocsRoutes } from "./api/docs.ts";
import { apiRoutes } from "./api/routes.ts";
import { precomputedHeaders } from "./api/http.ts"; // issue 13 (API latency)
import { aboutRoutes } from "./routes/about.ts";
import { accessibilityRoutes } from "./routes/accessibility.ts";
import { homeRoutes } from "./routes/home.ts";
import { ownerRoutes } from "./routes/owner.ts";
import { publicBodiesRoutes } from "./routes/publicBodies.ts";
import { publiccodeRoutes } from "./routes/publiccode.ts";
import { repositoryRoutes } from "./routes/repository.ts";
import { searchRoutes } from "./routes/search.ts";
import { statisticsRoutes } from "./routes/statistics.ts";
import { statusRoutes } from "./routes/status.ts";
import { reuseRoutes } from "./routes/reuse.ts"; // issue 10 (h21): reuse pages
import type { OperatorInfo, Site } from "./site.ts";
import { mcpPath, mcpRoutes } from "../mcp/http.ts";
import { feedRoutes } from "../feeds/routes.ts";
import { feedsPath } from "../feeds/paths.ts"; // issue 13 (compression)
import { llmsTxtRoutes } from "./routes/llmsTxt.ts";
// ---- Declarations (issue 11) ----
import type { AuthConfig, Config } from "../config/config.ts";
import { DeclarationService } from "../declarations/service.ts";
import type { ForgeRegistry } from "../forges/registry.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { readSources, type ForgeSource } from "../sources/sources.ts";
import { createAccountAuth, noStore, sessionMiddleware, type AccountSite } from "./account.ts";
import { authRoutes } from "./routes/auth.ts";
import { declarationRoutes } from "./routes/declarations.ts";
import { moderationRoutes } from "./routes/moderation.ts";
import { createViews } from "./views.ts";

export interface AppDeps {
  db: Db;
  search: SearchEngine;
  /** Project root: views/, static/, data/public-bodies.yml and node_modules/ are found below it. */
  rootDir: string;
  log?: (message: string) => void;
  /** The harvest's cron expression, shown on the about page; "" or absent: harvests run on demand. */
  harvestCron?: string;
  /** Defaults to data/public-bodies.yml under rootDir. */
  publicBodies?: PublicBodyDirectory;
  /** How long aggregate figures (home, statistics, public bodies) are reused, in milliseconds. */
  figuresTtlMs?: number;
  /** How long a rendered page is reused, in milliseconds (default a minute); 0: never. */
  pageCacheTtlMs?: number;
  /** Rendered pages kept at most (default 500, about 25 MB). */
  pageCacheEntries?: number;
  now?: () => Date;
  // --- Production (issue 13): logs, metrics, health, limits. All optional: tests mount the bare app. ---
  /** Request logs (pino-http): one line per answer. Absent: none. */
  logger?: Logger;
  /** HTTP and search metrics of this process. Absent: no /metrics. */
  metrics?: Metrics;
  /** The text of /metrics; default this process's registry (src/server/ gives the cluster's aggregate). */
  gatherMetrics?: () => Promise<{ contentType: string; text: string }>;
  metricsToken?: string | null;
  /** Rate limits of /api, /mcp and /feeds. Absent: no limit. */
  rateLimits?: RateLimits;
  /** Express "trust proxy" (TRUST_PROXY); default loopback. */
  trustProxy?: boolean | number | string;
  /** Exports streamed at the same time (default 4). */
  exportConcurrency?: number;
  /**
   * The layout's stylesheets, scripts and icon compressed once, at the first
   * request for one of them, and served from memory (src/web/precompressed.ts).
   * Off by default: a test app would spend a second of CPU on it.
   */
  precompressStaticFiles?: boolean;
  /** Called once they are: how many, in how many milliseconds (the server logs it). */
  onStaticFilesCompressed?: (files: number, ms: number) => void;
  // --- end production ---
  // --- Operator and contact (issue 14) ---
  /** OPERATOR_NAME, CONTACT_EMAIL and SOURCES_URL of the configuration; absent: none said. */
  operator?: Partial<OperatorInfo>;
  /** Path of the declaration page when that route is mounted (e.g. "/declarations/new"); absent: not linked. */
  declarationsPath?: string;
  // --- agents (MCP, feeds, llms.txt): issue 12 ---
  /** PUBLIC_URL: absolute links of feeds, MCP answers and llms.txt; absent: each request's scheme and Host. */
  publicUrl?: string | null;
  /** MCP_ALLOWED_HOSTS: host names /mcp answers besides localhost and the public URL's host. */
  mcpAllowedHosts?: string[];
  // --- end agents ---
  // Issue 8 (harvest on demand, status).
  /** Harvests accounts now (C1): the declarations feature asks it for a newly declared account. */
  harvester?: OnDemandHarvester;
  /** The plan of the current sources: the status counts only their accounts. Absent: every account ever harvested. */
  harvestPlan?: () => HarvestPlan | null;
  // ---- Declarations (issue 11) ----
  /** Sign-in; absent or null: the declaration pages say that sign-in is not set up. */
  auth?: AuthConfig | null;
  /** Forge types, for the look-ups of declared accounts (default: the real ones). */
  registry?: ForgeRegistry;
  /** Forge tokens and timeouts for those look-ups. */
  forgeConfig?: Pick<Config, "tokens" | "httpTimeoutMs">;
  /** The sources file: declared accounts it already lists are refused. Absent: none. */
  sourcesPath?: string;
  /** Accept http:// API URLs for new forge hosts in declarations (the demo and the tests, on 127.0.0.1). */
  allowInsecureForgeApi?: boolean;
  /** Declarations one person may make in 24 hours (default 10). */
  declarationsPerDay?: number;
}

const staticMaxAge = "1y"; // every static URL carries a version: a new file is a new URL
const staticMaxAgeSeconds = 365 * 24 * 60 * 60; // the same, as express.static writes it

/**
 * The static files views/layouts/main.hbs links to, which every first visit
 * loads, by their path under /static (a test checks that a page links to no
 * other stylesheet, script or SVG). The PNG icon is left out: already compressed.
 */
function layoutFiles(assets: Assets, dsfrDist: string, staticDir: string): Record<string, string> {
  const dsfr = assets.dsfr.slice("/static".length);
  const files: Record<string, string> = {};
  for (const file of ["dsfr.min.css", "dsfr.module.min.js", "dsfr.nomodule.min.js", "favicon/favicon.svg", ...["system", "arrows", "editor", "development"].map((set) => `utility/icons/icons-${set}/icons-${set}.min.css`)]) {
    files[`${dsfr}/${file}`] = path.join(dsfrDist, ...file.split("/"));
  }
  for (const file of ["app.css", "search.js"]) files[`/${file}`] = path.join(staticDir, file);
  return files;
}

/**
 * The Content-Security-Policy: nothing but our own origin. No inline script or
 * style at all (not even style attributes), so harvested text that slipped
 * through escaping still could not run. DSFR's JavaScript only sets styles
 * through the CSSOM, which CSP does not restrict; its CSS uses data: images.
 */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    manifestSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
};

/** A short hash of the files of a folder, to version their URLs. */
/** Per folder, once per process: the code, templates and assets do not change while it runs, and createApp runs once per worker (and per test). */
const folderVersions = new Map<string, string>();

function folderVersion(dir: string): string {
  let version = folderVersions.get(dir);
  if (version === undefined) folderVersions.set(dir, (version = hashFolder(dir)));
  return version;
}

function hashFolder(dir: string): string {
  const hash = createHash("sha256");
  if (fs.existsSync(dir)) {
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
      const full = path.join(dir, file);
      if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

/** Why this process cannot serve yet (/readyz), or null: the store answers and an index is loaded. */
function notReady(deps: AppDeps): string | null {
  if (!storeAnswers(deps.db)) return "store_unavailable";
  return deps.search.generation ? null : "index_not_loaded";
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  // The helpers go into each language's environment (issue 13: templates compiled per language).
  const views = createViews(path.join(deps.rootDir, "views"), registerHelpers);
  app.engine("hbs", views.engine);
  app.set("views", path.join(deps.rootDir, "views", "pages"));
  app.set("view engine", "hbs");
  app.set("x-powered-by", false);
  app.set("trust proxy", deps.trustProxy ?? "loopback");
  app.set("query parser", "simple");
  // Express looks each view up on disk (a stat per render) unless NODE_ENV is
  // production; the templates are compiled once at start anyway (issue 13).
  app.set("view cache", true);

  const dsfrDir = path.join(deps.rootDir, "node_modules", "@gouvfr", "dsfr");
  const dsfrVersion = (JSON.parse(fs.readFileSync(path.join(dsfrDir, "package.json"), "utf8")) as { version: string }).version;
  const staticDir = path.join(deps.rootDir, "static");
  const staticVersion = folderVersion(staticDir);
  const assets: Assets = { dsfr: `/static/dsfr/${dsfrVersion}`, css: `/static/app.css?v=${staticVersion}`, searchJs: `/static/search.js?v=${staticVersion}` };
  const site: Site = {
    db: deps.db,
    search: deps.search,
    publicBodies: deps.publicBodies ?? readPublicBodies(path.join(deps.rootDir, "data", "public-bodies.yml")),
    cached: createCache(deps.figuresTtlMs ?? 60_000),
    harvestCron: deps.harvestCron ?? "",
    now: deps.now ?? (() => new Date()),
    exportSlots: createSlots(deps.exportConcurrency ?? 4),
    operator: { name: deps.operator?.name ?? null, email: deps.operator?.email ?? null, sourcesUrl: deps.operator?.sourcesUrl ?? null },
    // The declaration page is offered once sign-in is set up (issue 11).
    declarationsPath: deps.declarationsPath ?? (deps.auth ? "/declarations/new" : null),
    // Issue 8.
    ...(deps.harvester ? { harvester: deps.harvester } : {}),
    ...(deps.harvestPlan ? { harvestPlan: deps.harvestPlan } : {}),
  };
  // --- Production (issue 13): logged, measured, probed, limited ---
  // What every request goes through, in one Express layer (issue 13, the fixed
  // cost of a request: each layer costs its matching and its next()).
  app.use(
    inSequence(
      ...(deps.logger ? [requestLogging(deps.logger)] : []),
      ...(deps.metrics ? [httpMetrics(deps.metrics)] : []),
      permissionsPolicy,
      boundedBodies,
    ),
  );
  if (deps.metrics) site.search = timedSearch(site.search, deps.metrics);
  for (const limiter of deps.rateLimits ? rateLimiters(deps.rateLimits, deps.metrics) : []) app.use(limiter.path, limiter.handler);
  // /healthz, /readyz and /metrics: mounted after the API and /mcp (below), which they do not overlap.
  const metrics = deps.metrics;
  const operations = operationsRoutes({
    gatherMetrics:
      deps.gatherMetrics ??
      (async () => {
        if (!metrics) throw new HttpError(404, "not_found", "metrics are not collected");
        return { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
      }),
    metricsToken: deps.metricsToken ?? null,
    notReady: () => notReady(deps),
  });
  // --- end production ---

  const securityHeaders = helmet({ contentSecurityPolicy });
  // ---- issue 13 (API latency): the JSON API and /mcp before the pages' middleware ----
  // Profiled: compression()'s wrapper and the static and page layers were a
  // visible share of an API search; the API compresses its own answers
  // (api/http.ts) and its streamed exports (api/routes.ts).
  // helmet's headers, computed once (api/http.ts precomputedHeaders): the same bytes for less work.
  const fixedSecurityHeaders = precomputedHeaders(securityHeaders);
  // One layer for the headers and the API's router (issue 13: each layer costs every request).
  app.use("/api/v1", inSequence(fixedSecurityHeaders, apiRoutes(site, { publicUrl: deps.publicUrl ?? null })));
  app.use(mcpPath, fixedSecurityHeaders);
  app.use(mcpRoutes({ deps: site, publicUrl: deps.publicUrl ?? null, allowedHosts: deps.mcpAllowedHosts ?? [], log: deps.log ?? ((message) => console.error(message)) }));
  app.use(operations); // issue 13: after the API and /mcp, so that their requests skip these routes
  // ---- end issue 13 (API latency) ----

  app.use(securityHeaders);
  // Level 1 (issue 13, profiled): on an uncached page (about 50 KB of HTML)
  // zlib's default level 6 was the largest single cost after rendering, for
  // about 15% fewer bytes; pages served from the page cache are compressed
  // once, at the default level.
  // ---- issue 13 (uncached pages): compression() only where pageDelivery does not gzip ----
  // Profiled on uncached search pages: compression() wrapped every page's
  // response (its closures, a close listener, on-headers' writeHead hook and
  // its content-type checks), a few percent of a page's CPU, only to find the
  // page already gzipped by pageDelivery. It now wraps the static files, the
  // feeds, llms.txt, the declaration pages, and the page requests that
  // pageDelivery leaves alone (see `selfDelivered` below).
  // Issue 13: the layout's static files compressed once (a first visit cost 30-37 ms of CPU through compression()).
  if (deps.precompressStaticFiles) {
    const precompressed = precompressedFiles(layoutFiles(assets, path.join(dsfrDir, "dist"), staticDir), {
      maxAgeSeconds: staticMaxAgeSeconds,
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.onStaticFilesCompressed ? { onCompressed: deps.onStaticFilesCompressed } : {}),
    });
    app.use("/static", precompressed.handler);
  }
  const compress = compression({ level: 1 });
  app.use([assets.dsfr, "/static", feedsPath, "/llms.txt", "/auth", "/declarations", "/moderation"], compress);
  // The harvest status changes during a run, without a new index generation: neither validated nor cached by generation.
  const changesWithoutGeneration = (pathname: string) => pathname.startsWith("/status");
  /** Requests whose HTML answers pageDelivery gzips itself, errors included: all GET and HEAD of the pages but the bypassed. */
  const selfDelivered = (req: express.Request) => (req.method === "GET" || req.method === "HEAD") && !changesWithoutGeneration(req.path);
  // ---- end issue 13 (compression) ----
  app.use(assets.dsfr, express.static(path.join(dsfrDir, "dist"), { maxAge: staticMaxAge, immutable: true, index: false }));
  app.use("/static", express.static(staticDir, { maxAge: staticMaxAge, immutable: true, index: false }));

  const pages = express.Router();
  pages.use(localeMiddleware, pageHeaders);
  pages.use((req, res, next) => (selfDelivered(req) ? next() : compress(req, res, next))); // issue 13
  // ---- issue 13 (uncached pages): ETags derived from what pages depend on, gzip in one call (pageCache.ts) ----
  pages.use(
    pageDelivery({
      version: createHash("sha256").update(`${folderVersion(path.join(deps.rootDir, "src"))} ${folderVersion(path.join(deps.rootDir, "views"))} ${staticVersion} ${dsfrVersion}`).digest("hex").slice(0, 12),
      generation: () => deps.search.generation,
      bypass: changesWithoutGeneration,
      ...(deps.now ? { now: () => deps.now!().getTime() } : {}),
    }),
  );
  // ---- end issue 13 (uncached pages) ----
  const pageCacheTtlMs = deps.pageCacheTtlMs ?? 60_000;
  if (pageCacheTtlMs > 0) {
    pages.use(
      pageCache({
        maxEntries: deps.pageCacheEntries ?? 500,
        ttlMs: pageCacheTtlMs,
        generation: () => deps.search.generation,
        bypass: changesWithoutGeneration,
        ...(deps.now ? { now: () => deps.now!().getTime() } : {}),
      }),
    );
  }
  pages.use(layoutMiddleware(assets));
  // The footer names the operator and the contact on every page (issue 14).
  pages.use((_req, res, next) => {
    res.locals.operator = site.operator;
    next();
  });
  pages.use(homeRoutes(site));
  pages.use(searchRoutes(site));
  pages.use(repositoryRoutes(site));
  pages.use(ownerRoutes(site));
  pages.use(publicBodiesRoutes(site));
  pages.use(statisticsRoutes(site));
  pages.use(reuseRoutes(site)); // issue 10 (h21): /reuse/external, /reuse/shared, /public-bodies/:id
  pages.use(statusRoutes(site));
  pages.use(aboutRoutes(site));
  pages.use(publiccodeRoutes()); // publiccode.yml validation page (issue 9)
  pages.use(accessibilityRoutes(site));
  pages.use(apiDocsRoutes());
  // publicUrl: the catalogue links of GET /api/v1/publiccode.jsonl (issue 12).
  // The API and the MCP endpoint are mounted above, before compression() (issue 13).
  // --- agents (issue 12): the feeds and llms.txt, before the pages and their cache ---
  app.use(feedRoutes({ site, publicUrl: deps.publicUrl ?? null, cacheTtlMs: pageCacheTtlMs }));
  app.use(llmsTxtRoutes(deps.publicUrl ?? null));
  // --- end agents ---
  // ---- Declarations (issue 11): personal pages, outside the page cache ----
  app.use(declarationPages(deps, site, assets));
  app.use(pages);

  app.use(notFound);
  app.use(errorHandler(deps.log ?? ((message) => console.error(message))));
  return app;
}

// ---- Declarations (issue 11) ----
/** /auth, /declarations and /moderation, with the declaration service behind them. */
function declarationPages(deps: AppDeps, site: Site, assets: Assets): express.Router {
  const log = deps.log ?? ((message: string) => console.error(message));
  const fileSources = (): ForgeSource[] => {
    if (!deps.sourcesPath) return [];
    try {
      return readSources(deps.sourcesPath);
    } catch (error) {
      // A broken file must not close declarations: the harvest reports it on its own.
      log(`declarations: the sources file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const service = new DeclarationService({
    db: deps.db,
    registry: deps.registry ?? defaultRegistry(),
    config: deps.forgeConfig ?? { tokens: {}, httpTimeoutMs: 30_000 },
    fileSources,
    publicBodies: site.publicBodies,
    harvester: deps.harvester,
    catalogueChanged: () => void deps.search.rebuild().catch((error: unknown) => log(`search index rebuild after a withdrawal failed: ${error instanceof Error ? error.message : String(error)}`)),
    log,
    ...(deps.allowInsecureForgeApi ? { allowInsecureApi: true } : {}),
    ...(deps.declarationsPerDay !== undefined ? { declarationsPerDay: deps.declarationsPerDay } : {}),
    // The real clock, not site.now (a fixed date in page tests): tokens expire in real time.
  });
  const account: AccountSite = {
    service,
    auth: createAccountAuth(deps.auth, deps.db, () => new Date()),
    publicBodies: site.publicBodies,
    log,
    chain: [],
  };
  account.chain.push(localeMiddleware, noStore, layoutMiddleware(assets), sessionMiddleware(account));
  const router = express.Router();
  router.use(authRoutes(account), declarationRoutes(account), moderationRoutes(account));
  return router;
}
