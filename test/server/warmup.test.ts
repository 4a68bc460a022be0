// A web process's warm-up before it listens (issue 13): pages like readers',
// asked of the real app over HTTP, that no log, metric or rate limit sees.
import http, { type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { expect } from "chai";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import { warmUp, warmupPaths } from "../../src/server/warmup.ts";
import { createApp } from "../../src/web/app.ts";
import { warmupHeader, warmupToken } from "../../src/web/warmupMark.ts";
import { fixtureNow, seedCatalogue } from "../helpers/catalogueFixture.ts";
import { fixtureSearchEngine } from "../helpers/fixtureSearchEngine.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { rootDir } from "../helpers/webServer.ts";

describe("warm-up before listening", function () {
  let database: TempDatabase;
  let app: RequestListener;
  const lines: Array<Record<string, unknown>> = [];
  const metrics = createMetrics({ defaultMetrics: false });

  before(() => {
    database = tempDatabase();
    seedCatalogue(database.db);
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    app = createApp({
      db: database.db,
      search: fixtureSearchEngine(database.db),
      rootDir,
      log: () => {},
      harvestCron: "",
      now: () => fixtureNow,
      logger: createLogger({ level: "info", destination }),
      metrics,
      // Two API requests a minute per client: a warm-up charged to 127.0.0.1 would use them up.
      rateLimits: { windowMs: 60_000, api: 2, mcp: 2, feeds: 2 },
    });
  });
  after(() => database.close());

  it("makes distinct paths of every kind from the catalogue, and none from an empty one", () => {
    const paths = warmupPaths(database.db, 60);
    expect(paths.length).to.be.within(10, 60);
    expect(new Set(paths).size).to.equal(paths.length);
    expect(paths.some((path) => /^\/repositories\?q=[^&]+&.*sort=/.test(path)), "search pages").to.equal(true);
    expect(paths.some((path) => /^\/repositories\/github\.com\//.test(path)), "repository pages").to.equal(true);
    expect(paths.some((path) => path.startsWith("/api/v1/repositories?q=")), "API searches").to.equal(true);
    expect(paths.some((path) => /^\/api\/v1\/repositories\/github\.com\//.test(path)), "API records").to.equal(true);
    expect(warmupPaths(database.db, 5)).to.have.length(5);
    expect(warmupPaths(database.db, 0)).to.deep.equal([]);
    const empty = tempDatabase();
    try {
      expect(warmupPaths(empty.db, 100)).to.deep.equal([]);
    } finally {
      empty.close();
    }
  });

  it("asks the app for every path, all answered 2xx, unseen by the logs, the metrics (HTTP and search) and the rate limits", async () => {
    const paths = warmupPaths(database.db, 60);
    const result = await warmUp(app, paths, { maxMs: 20_000 });
    expect(result.failures).to.deep.equal([]);
    expect(result.requests).to.equal(paths.length);
    expect(lines, JSON.stringify(lines.slice(0, 2))).to.deep.equal([]);
    expect(await metrics.registry.metrics()).to.not.match(/http_request_duration_seconds_count\{/);
    expect(await metrics.registry.metrics(), "searches").to.not.match(/search_duration_seconds_count\{/);

    // A reader's requests after it: the API's limit (2) is whole, and they are logged and counted.
    const server = http.createServer(app).listen(0, "127.0.0.1");
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) statuses.push((await fetch(`${base}/api/v1/stats`)).status);
      expect(statuses).to.deep.equal([200, 200]);
      expect(lines.filter((line) => line.msg === "GET /api/v1/stats 200")).to.have.length(2);
      expect(await metrics.registry.metrics()).to.match(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/stats",status="200"\} 2/);
      // A reader's search page (pages have no rate limit) is a search counted.
      expect((await fetch(`${base}/repositories?q=udata`)).status).to.equal(200);
      expect(await metrics.registry.metrics()).to.match(/search_duration_seconds_count\{kind="text"\} 1\b/);
      // The mark with another value is no mark: logged, and charged to the limit (now spent).
      const forged = await fetch(`${base}/api/v1/stats`, { headers: { [warmupHeader]: "guessed" } });
      expect(forged.status).to.equal(429);
      expect(lines.some((line) => line.msg === "GET /api/v1/stats 429")).to.equal(true);
      // The real mark still passes: the process's own requests are never refused.
      expect((await fetch(`${base}/api/v1/stats`, { headers: { [warmupHeader]: warmupToken() } })).status).to.equal(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("stops at its time limit, with what it asked answered", async () => {
    const paths = Array.from({ length: 200 }, (_, i) => `/api/v1/stats?n=${i}`);
    let asked = 0;
    const slow: RequestListener = (_req, res) => {
      asked++;
      setTimeout(() => res.end("ok"), 20);
    };
    const result = await warmUp(slow, paths, { maxMs: 100, concurrency: 2 });
    expect(result.requests).to.equal(asked);
    expect(result.requests).to.be.within(2, 30);
    expect(result.failures).to.deep.equal([]);
  });
});
