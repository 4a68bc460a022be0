// The HTTP server's request and response classes (issue 13): every field the
// middleware adds is there at birth, and none hides what Express defines.
import http from "node:http";
import net from "node:net";
import { Writable } from "node:stream";
import { expect } from "chai";
import express from "express";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import { ShapedRequest, ShapedResponse } from "../../src/server/requestShapes.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get } from "../web/http.ts";

/** Own string keys: the fields of an object (the symbols are private to the modules that add them). */
const fields = (object: object) => Object.getOwnPropertyNames(object);

describe("server: request and response shapes", function () {
  let web: WebServer;
  /** What each request and response gained between birth and the end of its answer, by path. */
  const added = new Map<string, { request: string[]; response: string[] }>();

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db), {
      // The middleware of production, each of which adds its own fields: request logs, metrics, rate limits.
      logger: createLogger({ level: "info", destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }) }),
      metrics: createMetrics({ defaultMetrics: false }),
      rateLimits: { windowMs: 60_000, api: 1_000, mcp: 1_000, feeds: 1_000 },
    });
    web.server.prependListener("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      const url = req.url ?? "";
      const request = new Set(fields(req));
      const response = new Set(fields(res));
      res.once("finish", () => {
        added.set(url, { request: fields(req).filter((name) => !request.has(name)), response: fields(res).filter((name) => !response.has(name)) });
      });
    });
  });
  after(async () => {
    await web.close();
  });

  it("makes requests and responses of the shaped classes", async () => {
    let seen: [boolean, boolean] | null = null;
    // Before the app: Express gives both objects its own prototypes at its first layer.
    web.server.prependOnceListener("request", (req: http.IncomingMessage, res: http.ServerResponse) => (seen = [req instanceof ShapedRequest, res instanceof ShapedResponse]));
    await get(web.url, "/healthz");
    expect(seen).to.deep.equal([true, true]);
  });

  // Pages wrap Express's send on the response itself (web/pageCache.ts): a method, which a field declared at birth would hide.
  const pageResponse = ["send"];
  for (const [path, response] of [
    ["/api/v1/repositories?q=udata&per_page=10", []],
    ["/api/v1/repositories/github.com/etalab/udata", []],
    ["/api/v1/nothing-here", []],
    ["/healthz", []],
    ["/?lang=en", pageResponse],
    ["/repositories?q=udata", pageResponse],
  ] as const) {
    it(`adds no field to a request or a response after birth: ${path}`, async () => {
      const answer = await get(web.url, path);
      expect(answer.status).to.be.oneOf([200, 404]);
      // A field named here is one the middleware now adds: declare it in src/server/requestShapes.ts.
      expect(added.get(path)).to.deep.equal({ request: [], response });
    });
  }

  it("hides no getter or method of Express's request and response, and keeps Node's defaults", () => {
    const socket = new net.Socket();
    const plainRequest = new http.IncomingMessage(socket);
    const shapedRequest = new ShapedRequest(socket);
    const declaredOnRequest = fields(shapedRequest).filter((name) => !fields(plainRequest).includes(name));
    expect(declaredOnRequest).to.include.members(["res", "next", "baseUrl", "originalUrl", "params", "route", "id", "log", "allLogs", "rateLimit"]);
    for (const name of declaredOnRequest) {
      // Either nothing of that name up the chain Express gives the request, or a plain value it equals (EventEmitter's count).
      const inherited = Object.getOwnPropertyDescriptor(express.request, name) ?? lookUp(Object.getPrototypeOf(express.request) as object, name);
      if (inherited) expect([name, "value" in inherited, inherited.value]).to.deep.equal([name, true, (shapedRequest as unknown as Record<string, unknown>)[name]]);
    }
    const plainResponse = new http.ServerResponse(plainRequest);
    const shapedResponse = new ShapedResponse(plainRequest);
    const declaredOnResponse = fields(shapedResponse).filter((name) => !fields(plainResponse).includes(name));
    expect(declaredOnResponse).to.include.members(["locals", "log", "allLogs", "statusCode", "statusMessage"]);
    for (const name of declaredOnResponse) {
      const inherited = Object.getOwnPropertyDescriptor(express.response, name) ?? lookUp(Object.getPrototypeOf(express.response) as object, name);
      if (inherited) expect([name, "value" in inherited, inherited.value]).to.deep.equal([name, true, (shapedResponse as unknown as Record<string, unknown>)[name]]);
    }
    socket.destroy();
  });
});

/** The descriptor of `name` on `object` or up its prototype chain. */
function lookUp(object: object | null, name: string): PropertyDescriptor | undefined {
  for (let at = object; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}
