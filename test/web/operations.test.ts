// What operators rely on (issue 13): health probes, metrics, request logs,
// rate limits, trusted proxies, and answers to hostile paths.
import http from "node:http";
import path from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetrics, watchRepositoryStates } from "../../src/observability/metrics.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { fixtureNow, seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get } from "./http.ts";

/** A raw request: fetch() would normalise some of the paths under test. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: "GET", headers: { Accept: "text/html" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("operations: probes, metrics, logs", function () {
  let web: WebServer;
  const lines: Array<Record<string, unknown>> = [];
  const metrics = createMetrics({ defaultMetrics: false });

  before(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    web = await startWebServer((database) => seedCatalogue(database.db), {
      logger: createLogger({ level: "info", destination }),
      metrics,
      metricsToken: "s3cret",
      // The real engine: its searches and similar-repository lookups are what the metrics time.
      searchFor: (database) => openSearchEngine({ db: database.db, indexDir: path.join(database.dir, "index"), now: () => fixtureNow, buildIn: "process" }),
    });
    watchRepositoryStates(metrics, web.database.db);
  });
  after(async () => {
    await web.close();
  });

  it("answers /healthz and /readyz, never from a cache", async () => {
    const health = await get(web.url, "/healthz");
    expect([health.status, JSON.parse(health.html)]).to.deep.equal([200, { status: "ok" }]);
    const ready = await get(web.url, "/readyz");
    expect([ready.status, JSON.parse(ready.html)]).to.deep.equal([200, { status: "ready" }]);
    expect(ready.headers.get("cache-control")).to.equal("no-store");
  });

  it("logs one JSON line per answer: request id, method, path without the query, status, duration", async () => {
    const page = await get(web.url, "/api/v1/repositories?q=secret+words&per_page=3");
    expect(page.status).to.equal(200);
    const id = page.headers.get("x-request-id");
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const line = lines.find((entry) => (entry.req as { id?: string } | undefined)?.id === id);
    expect(line, JSON.stringify(lines.slice(-3))).to.not.equal(undefined);
    expect(line!.req).to.deep.equal({ id, method: "GET", path: "/api/v1/repositories" });
    expect(line!.res).to.deep.equal({ status: 200 });
    expect(line!.durationMs).to.be.a("number");
    // Issue 13: the same line with one child logger per request instead of two.
    expect(Object.keys(line!)).to.deep.equal(["level", "time", "pid", "reqId", "req", "res", "durationMs", "msg"]);
    expect([line!.level, line!.reqId, line!.msg]).to.deep.equal([30, id, "GET /api/v1/repositories 200"]);
    const missing = await get(web.url, "/api/v1/nothing-here?q=secret");
    const missingId = missing.headers.get("x-request-id");
    const warned = lines.find((entry) => entry.reqId === missingId);
    expect(warned, JSON.stringify(lines.slice(-3))).to.deep.include({ level: 40, req: { id: missingId, method: "GET", path: "/api/v1/nothing-here" }, res: { status: 404 }, msg: "GET /api/v1/nothing-here 404" });
    expect(JSON.stringify(lines)).to.not.include("secret");
    // A proxy's request id is kept when it is a plain token, replaced when not.
    expect((await get(web.url, "/about", { "X-Request-Id": "edge-42" })).headers.get("x-request-id")).to.equal("edge-42");
    expect((await get(web.url, "/about", { "X-Request-Id": "<script>" })).headers.get("x-request-id")).to.not.equal("<script>");
  });

  it("serves Prometheus metrics behind METRICS_TOKEN", async () => {
    expect((await get(web.url, "/metrics")).status).to.equal(401);
    expect((await get(web.url, "/metrics", { Authorization: "Bearer wrong" })).status).to.equal(401);
    await get(web.url, "/api/v1/repositories?q=donnees");
    await get(web.url, "/repositories/github.com/etalab/udata");
    const scraped = await get(web.url, "/metrics", { Authorization: "Bearer s3cret" });
    expect(scraped.status).to.equal(200);
    expect(scraped.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
    expect(scraped.html).to.match(/codecommun_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/repositories",status="200"\} [1-9]/);
    expect(scraped.html).to.match(/codecommun_http_request_duration_seconds_count\{method="GET",route="\/repositories\/:host\/\*name",status="200"\} [1-9]/);
    expect(scraped.html).to.match(/codecommun_search_duration_seconds_count\{kind="text"\} [1-9]/);
    // The repository page's similar repositories: their own lookup (read from the index since issue 13), timed too.
    expect(scraped.html).to.match(/codecommun_search_duration_seconds_count\{kind="similar"\} [1-9]/);
    expect(scraped.html).to.match(/codecommun_repositories\{state="live"\} [1-9]/);
    // Routes, never raw paths: a label per repository would grow without bound.
    expect(scraped.html).to.not.include('route="/repositories/github.com');
  });

  it("sends a Permissions-Policy on pages and API answers", async () => {
    for (const path of ["/", "/api/v1/repositories"]) {
      expect((await get(web.url, path)).headers.get("permissions-policy"), path).to.match(/camera=\(\).*geolocation=\(\)/);
    }
  });

  it("answers paths that look like hosts with a 4xx, never a 500", async () => {
    for (const path of ["//a:99999/", "//[", "//%zz/", "//a:99999/repositories?lang=en", "/%zz"]) {
      const { status, body } = await rawGet(web.url, path);
      expect(status, path).to.be.within(400, 404);
      // The language switch never points off the site.
      expect(body, path).to.not.match(/href="\/\/[^"]/);
    }
    expect(web.logged).to.deep.equal([]);
  });

  it("refuses a request body over 1 MB before reading it", async () => {
    const response = await fetch(`${web.url}/api/v1/repositories`, { method: "POST", body: "x".repeat(1024 * 1024 + 1), headers: { "Content-Type": "text/plain" } });
    expect(response.status).to.equal(413);
    expect(await response.json()).to.include({ reason: "payload_too_large" });
  });

  it("redirects a repository or owner address in another case or with a trailing slash to the canonical one", async () => {
    const cases: Array<[string, string]> = [
      ["/repositories/GITHUB.COM/etalab/udata", "/repositories/github.com/etalab/udata"],
      ["/repositories/github.com/etalab/udata/", "/repositories/github.com/etalab/udata"],
      ["/repositories/GitHub.com/ETALAB/UDATA/?lang=en", "/repositories/github.com/etalab/udata?lang=en"],
      ["/owners/GITHUB.COM/etalab", "/owners/github.com/etalab"],
      ["/owners/github.com/etalab/", "/owners/github.com/etalab"],
    ];
    for (const [path, canonical] of cases) {
      const page = await get(web.url, path);
      expect([page.status, page.headers.get("location")], path).to.deep.equal([301, canonical]);
    }
    expect((await get(web.url, "/repositories/github.com/etalab/udata")).status).to.equal(200);
  });
});

describe("operations: rate limits and proxies", function () {
  const limits = { windowMs: 60_000, api: 3, mcp: 3, feeds: 3 };

  it("answers 429 with Retry-After and RateLimit headers past the limit, per client", async () => {
    const web = await startWebServer((database) => seedCatalogue(database.db), { rateLimits: limits, trustProxy: "loopback" });
    try {
      const client = (address: string) => ({ "X-Forwarded-For": address });
      for (let i = 0; i < 3; i++) {
        const ok = await get(web.url, "/api/v1/stats", client("203.0.113.9"));
        expect(ok.status).to.equal(200);
        expect(ok.headers.get("ratelimit-policy")).to.equal("3;w=60");
        expect(ok.headers.get("ratelimit")).to.match(new RegExp(`limit=3, remaining=${2 - i}, reset=\\d+`));
      }
      const refused = await get(web.url, "/api/v1/stats", client("203.0.113.9"));
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get("retry-after"))).to.be.within(1, 60);
      expect(JSON.parse(refused.html)).to.include({ reason: "rate_limited" });
      // Another client behind the same trusted proxy has its own count; pages are not limited.
      expect((await get(web.url, "/api/v1/stats", client("198.51.100.7"))).status).to.equal(200);
      expect((await get(web.url, "/about", client("203.0.113.9"))).status).to.equal(200);
      // The other endpoint groups have limiters of their own.
      for (let i = 0; i < 3; i++) await get(web.url, "/feeds/nothing", client("203.0.113.9"));
      expect((await get(web.url, "/feeds/nothing", client("203.0.113.9"))).status).to.equal(429);
    } finally {
      await web.close();
    }
  });

  it("counts an IPv6 client by its /56 (ipv6Subnet)", async () => {
    const web = await startWebServer((database) => seedCatalogue(database.db), { rateLimits: limits, trustProxy: "loopback" });
    try {
      const statuses: number[] = [];
      // Three addresses of one /56 (2001:db8:1:100::/56), then one of the next /56.
      for (const address of ["2001:db8:1:100::1", "2001:db8:1:1ff::2", "2001:db8:1:1a0:5::9", "2001:db8:1:142::7", "2001:db8:1:200::1"]) {
        statuses.push((await get(web.url, "/api/v1/stats", { "X-Forwarded-For": address })).status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429, 200]);
    } finally {
      await web.close();
    }
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY trusts the proxy", async () => {
    const web = await startWebServer((database) => seedCatalogue(database.db), { rateLimits: limits, trustProxy: false });
    try {
      const statuses: number[] = [];
      // Four "clients" by their header, one by their address: the header is a lie here.
      for (const address of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]) {
        statuses.push((await get(web.url, "/api/v1/stats", { "X-Forwarded-For": address })).status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
    } finally {
      await web.close();
    }
  });
});

describe("operations: middlewares in one layer (inSequence)", function () {
  it("runs them in turn, stops at one that answers, and hands errors, throws and rejections to the error handlers", async () => {
    const express = (await import("express")).default;
    const { inSequence } = await import("../../src/web/operations.ts");
    const app = express();
    const mark = (name: string) => (_req: unknown, res: { append(name: string, value: string): void }, next: () => void) => {
      res.append("X-Order", name);
      next();
    };
    app.use(
      inSequence(mark("a"), mark("b"), (req, res, next) => {
        if (req.path === "/answer") return void res.status(202).send("answered");
        if (req.path === "/next-error") return next(new Error("passed"));
        if (req.path === "/throw") throw new Error("thrown");
        if (req.path === "/reject") return Promise.reject(new Error("rejected"));
        next();
      }, mark("c")),
    );
    app.use((_req, res) => void res.send("end"));
    app.use((error: Error, _req: unknown, res: { status(code: number): { send(body: string): void } }, _next: unknown) => res.status(500).send(error.message));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const answers = await Promise.all(["/", "/answer", "/next-error", "/throw", "/reject"].map(async (path) => {
        const response = await fetch(base + path);
        return [response.status, response.headers.get("x-order"), await response.text()];
      }));
      expect(answers).to.deep.equal([
        [200, "a, b, c", "end"],
        [202, "a, b", "answered"],
        [500, "a, b", "passed"],
        [500, "a, b", "thrown"],
        [500, "a, b", "rejected"],
      ]);
    } finally {
      server.close();
    }
  });
});
