// The HTTP server's request and response classes (issue 13): born with the
// app's prototypes and every field the middleware adds, hiding nothing that
// Express defines.
import http from "node:http";
import net from "node:net";
import { Writable } from "node:stream";
import { expect } from "chai";
import express from "express";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import { requestClasses, ShapedRequest, ShapedResponse } from "../../src/server/requestShapes.ts";
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

  it("makes requests and responses with the app's prototypes already, so that Express's swap changes nothing", async () => {
    const prototypes: object[] = [];
    // Before the app: Express sets both objects' prototypes at its first layer.
    web.server.prependOnceListener("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      prototypes.push(Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object);
      res.once("finish", () => prototypes.push(Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object));
    });
    await get(web.url, "/api/v1/repositories?q=udata");
    const [requestAtBirth, responseAtBirth, requestAtEnd, responseAtEnd] = prototypes;
    expect(requestAtBirth).to.equal(requestAtEnd);
    expect(responseAtBirth).to.equal(responseAtEnd);
    // Express's own prototypes are in the chain: its getters and methods answer.
    expect(Object.getPrototypeOf(requestAtBirth)).to.have.property("app");
    expect(express.request.isPrototypeOf(requestAtBirth!)).to.equal(true);
    expect(express.response.isPrototypeOf(responseAtBirth!)).to.equal(true);
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
    const classes = requestClasses(express());
    const socket = new net.Socket();
    const plainRequest = new http.IncomingMessage(socket);
    const request = new classes.IncomingMessage(socket);
    const declaredOnRequest = fields(request).filter((name) => !fields(plainRequest).includes(name));
    expect(declaredOnRequest).to.include.members(["res", "next", "baseUrl", "originalUrl", "params", "route", "id", "log", "allLogs", "rateLimit"]);
    expect(hidden(request, declaredOnRequest)).to.deep.equal([]);
    const plainResponse = new http.ServerResponse(plainRequest);
    const response = new classes.ServerResponse(plainRequest);
    const declaredOnResponse = fields(response).filter((name) => !fields(plainResponse).includes(name));
    expect(declaredOnResponse).to.include.members(["locals", "log", "allLogs", "statusCode", "statusMessage"]);
    expect(hidden(response, declaredOnResponse)).to.deep.equal([]);
    // What Express defines still answers through the chain.
    expect([typeof (response as unknown as { send: unknown }).send, typeof (request as unknown as { get: unknown }).get]).to.deep.equal(["function", "function"]);
    socket.destroy();
  });

  it("makes the classes once per app, and plain shaped ones for a listener that is no Express app", () => {
    const app = express();
    expect(requestClasses(app)).to.equal(requestClasses(app));
    expect(requestClasses(() => {})).to.deep.equal({ IncomingMessage: ShapedRequest, ServerResponse: ShapedResponse });
  });
});

/**
 * The declared fields of `object` that hide something up its prototype chain
 * other than a plain value equal to theirs (Node's defaults: statusCode 200,
 * EventEmitter's listener count 0).
 */
function hidden(object: object, declared: string[]): string[] {
  return declared.filter((name) => {
    const inherited = lookUp(Object.getPrototypeOf(object) as object, name);
    return inherited !== undefined && !("value" in inherited && inherited.value === (object as Record<string, unknown>)[name]);
  });
}

/** The descriptor of `name` on `object` or up its prototype chain. */
function lookUp(object: object | null, name: string): PropertyDescriptor | undefined {
  for (let at = object; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}
