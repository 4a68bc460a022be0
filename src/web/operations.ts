// What operators need from the web layer (issue 13): request logs, metrics,
// health checks, rate limits and a few protective headers. Each is a
// middleware or a router that createApp mounts; none is needed by tests that
// do not ask for it.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Router, type Request, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { pinoHttp } from "pino-http";
import type { RateLimits } from "../config/config.ts";
import type { Logger } from "../observability/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { SearchEngine, SearchQuery, SearchResult } from "../search/types.ts";
import { HttpError } from "./errors.ts";
import { isWarmupRequest, warmingUp } from "./warmupMark.ts";

/** A client's own request id is kept when it is a plain token (a proxy's), else one is made. */
const requestIdPattern = /^[\w.:-]{1,64}$/;

/** The path asked for, without the query; Express's originalUrl, as routers rewrite req.url. */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return String(req.originalUrl ?? req.url).split("?")[0]!;
}

/** A request's id: a string on the line, or the request it is read from (the request logger's binding, below). */
function requestIdOf(value: string | { id?: unknown }): unknown {
  return typeof value === "string" ? value : value.id;
}

/**
 * One JSON line per answer: request id, method, path, status, duration. The
 * path only, never the query string: searches are what people typed.
 *
 * The line is {reqId, req: {id, method, path}, res: {status}, durationMs, msg}.
 * Issue 13 (the fixed cost of a request, profiled): pino-http made two child
 * loggers per request (one bound to the request id, one to the serialised
 * request), each serialising and stringifying its bindings, for one line. Now
 * the request's own logger (req.log) is bound to the request id alone
 * (customAttributeKeys.req names that binding "reqId", its serializer reads
 * the id), and the answer's line is written by the shared logger with the
 * fields listed whole (customSuccessObject, customErrorObject): one small
 * child per request, the same line.
 */
export function requestLogging(logger: Logger): RequestHandler {
  const line = (req: IncomingMessage & { id?: unknown }, res: ServerResponse, fields: Record<string, unknown>) => ({ reqId: req.id, req, res, ...fields });
  const middleware = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    serializers: {
      reqId: requestIdOf,
      req: (req: IncomingMessage & { id: unknown; originalUrl?: string }) => ({ id: req.id, method: req.method, path: pathOf(req) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // req: the binding of each request's logger (req.log), the request id only.
    customAttributeKeys: { req: "reqId", responseTime: "durationMs" },
    quietResLogger: true,
    customSuccessObject: (req, res, fields) => line(req, res, { res: fields.res, durationMs: fields.durationMs }),
    customErrorObject: (req, res, error, fields) => line(req, res, { res: fields.res, err: error, durationMs: fields.durationMs }),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    // Health probes every few seconds would drown the rest; the process's own warm-up requests are not readers'.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || isWarmupRequest(req) },
    // Issue 13 (API latency, profiled): wrapped, each request's req was first
    // copied by pino-std-serializers (headers, address, getters) only for the
    // serializers above to keep three fields of it. They read the raw req and
    // res instead; the path is the original URL's (Express's originalUrl), as
    // routers rewrite req.url before the answer's line is written.
    wrapSerializers: false,
  });
  return middleware as unknown as RequestHandler;
}

/** The route's pattern, never the raw path, so that labels stay few (an id in a label would make one series per repository). */
function routeLabel(req: Request, status: number): string {
  if (req.route?.path !== undefined) {
    const base = req.originalUrl.startsWith("/api/v1") ? "/api/v1" : "";
    return `${base}${String(req.route.path)}`;
  }
  if (req.originalUrl.startsWith("/static/")) return "/static";
  return status === 404 ? "(not found)" : "(other)";
}

export function httpMetrics(metrics: Metrics): RequestHandler {
  // Issue 13: a cached labelled child per series (histogram.labels(...)) was
  // tried and measured no cheaper: prom-client's child still validates and
  // hashes its labels on every observe (about 1.3 us a request either way).
  return (req, res, next) => {
    if (isWarmupRequest(req)) return next();
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route: routeLabel(req, res.statusCode), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}

/**
 * Several middlewares as one (issue 13: each Express layer costs
 * every request its matching and its next(); the ones every request goes
 * through are run here in turn). An error, or a handler that throws, goes on
 * to Express's error handlers, as from separate layers; a middleware that
 * answers (does not call next) ends the sequence.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  if (handlers.length === 1) return handlers[0]!;
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) return next(error);
      const handler = handlers[index++];
      if (handler === undefined) return next();
      try {
        // Express 5 passes a rejected promise on as an error; so does this.
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/**
 * The engine, timed: what the API and the pages ask of it shows in
 * codecommun_search_duration_seconds. A proxy, so that every other member of
 * the engine (getters, methods other branches add) stays the engine's own.
 */
export function timedSearch<E extends SearchEngine>(search: E, metrics: Metrics): E {
  /** `call`, its duration observed under the kind `kindOf` gives for its arguments. */
  const timed = <A extends unknown[], R>(call: (...args: A) => R, kindOf: (...args: A) => string) => (...args: A): R => {
    const started = process.hrtime.bigint();
    try {
      return call(...args);
    } finally {
      // The process's own warm-up searches are no readers' (web/warmupMark.ts).
      if (!warmingUp()) metrics.searchDuration.observe({ kind: kindOf(...args) }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
  const timedQuery = timed((query: SearchQuery): SearchResult => search.search(query), (query) => (query.q.trim() === "" ? "browse" : "text"));
  // Similar repositories (issue 14's "more like this", a lookup of its own since issue 13), whether the
  // engine queries them or reads those the index stored at its build: timed as kind "similar".
  const similar = search.moreLikeThis?.bind(search);
  const timedSimilar: SearchEngine["moreLikeThis"] = similar ? timed(similar, () => "similar") : undefined;
  const stored = search.storedSimilar?.bind(search);
  const timedStored: SearchEngine["storedSimilar"] = stored ? timed(stored, () => "similar") : undefined;
  return new Proxy(search, {
    get(target, property) {
      if (property === "search") return timedQuery;
      if (property === "moreLikeThis") return timedSimilar;
      if (property === "storedSimilar") return timedStored;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface OperationsRoutesDeps {
  /** Text of /metrics in Prometheus' format (the whole cluster's, in cluster mode). */
  gatherMetrics: () => Promise<{ contentType: string; text: string }>;
  /** When set, /metrics wants "Authorization: Bearer <token>". */
  metricsToken: string | null;
  /** Why the process cannot serve yet, or null when it can (store open, index loaded). */
  notReady: () => string | null;
}

/** /healthz (the process answers), /readyz (it can serve: for a load balancer), /metrics. */
export function operationsRoutes(deps: OperationsRoutesDeps): Router {
  const router = Router();
  router.use(["/healthz", "/readyz", "/metrics"], (_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", (_req, res) => {
    const reason = deps.notReady();
    res.status(reason ? 503 : 200).json(reason ? { status: "unavailable", reason } : { status: "ready" });
  });
  router.get("/metrics", async (req, res) => {
    if (deps.metricsToken !== null) {
      const header = req.get("authorization") ?? "";
      const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      if (!sameSecret(token, deps.metricsToken)) {
        res.set("WWW-Authenticate", 'Bearer realm="metrics"');
        throw new HttpError(401, "unauthorized", "/metrics needs the METRICS_TOKEN as a bearer token");
      }
    }
    const { contentType, text } = await deps.gatherMetrics();
    res.type(contentType).send(text);
  });
  return router;
}

/**
 * Per-client limits (the client's address as "trust proxy" reads it; IPv6
 * clients by /56). The count is kept in each process's memory: with N web
 * workers a client gets up to N times the limit, which is acceptable for a
 * ceiling against abuse (a shared store would add a round trip per request).
 */
export function rateLimiters(limits: RateLimits, metrics?: Metrics): Array<{ path: string; handler: RequestHandler }> {
  const make = (name: keyof Omit<RateLimits, "windowMs">, path: string) => ({
    path,
    handler: rateLimit({
      windowMs: limits.windowMs,
      limit: limits[name],
      standardHeaders: "draft-7",
      legacyHeaders: false,
      ipv6Subnet: 56,
      // Anyone can send X-Forwarded-For; whether it is believed is TRUST_PROXY's business, not a warning per client.
      validate: { xForwardedForHeader: false },
      // OPTIONS preflights cost nothing and browsers send them on their own.
      skip: (req) => req.method === "OPTIONS" || isWarmupRequest(req),
      handler: (_req, _res, next, options) => {
        metrics?.rateLimited.inc({ limiter: name });
        next(new HttpError(options.statusCode, "rate_limited", `too many requests: at most ${limits[name]} every ${Math.round(limits.windowMs / 1000)} s, see the Retry-After header`));
      },
    }),
  });
  return [make("api", "/api"), make("mcp", "/mcp"), make("feeds", "/feeds")].filter((limiter) => limits[limiter.path.slice(1) as "api" | "mcp" | "feeds"] > 0);
}

/** Features no page uses, denied to every frame and script: a harvested link cannot ask for them either. */
const permissionsPolicyValue =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), browsing-topics=(), interest-cohort=()";

export const permissionsPolicy: RequestHandler = (_req, res, next) => {
  // Node's setHeader: Express's res.set normalises its value on every request (issue 13).
  res.setHeader("Permissions-Policy", permissionsPolicyValue);
  next();
};

/**
 * Bodies larger than this are refused before anything reads them (413). The
 * catalogue is read-only but for small forms; a parser mounted later (JSON,
 * forms) sets its own, lower limit for chunked bodies without a length.
 */
export const maxBodyBytes = 1024 * 1024;

export const boundedBodies: RequestHandler = (req, _res, next) => {
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > maxBodyBytes) {
    next(new HttpError(413, "payload_too_large", `request bodies are limited to ${maxBodyBytes} bytes`));
    return;
  }
  next();
};
