// The API's HTTP manners (CORS, validators, methods) and its description
// (OpenAPI document and reference page), through real HTTP.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import express from "express";
import { sendJson } from "../../src/web/api/http.ts";
import { publicRepositoryFields } from "../../src/records/repository.ts";
import { servedFixture } from "../helpers/httpApp.ts";

const cachedPaths = [
  "/api/v1/repositories?q=données&language=Python",
  "/api/v1/repositories/github.com/etalab/udata",
  "/api/v1/owners",
  "/api/v1/owners/github.com/etalab",
  "/api/v1/stats",
  "/api/v1/openapi.json",
  "/api/v1",
];

interface OpenApi {
  openapi: string;
  paths: Record<string, { get?: { parameters?: unknown[]; responses: Record<string, unknown> }; post?: { responses: Record<string, unknown> } }>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
}

describe("API: HTTP and description", () => {
  const served = servedFixture();

  const get = (path: string, init: RequestInit = {}) => fetch(`${served.app.url}${encodeURI(path)}`, init);

  it("lets any origin read, on answers and on errors", async () => {
    for (const [path, status] of [["/api/v1/repositories", 200], ["/api/v1/repositories?page=0", 400], ["/api/v1/repositories/github.com/x/y", 404], ["/api/v1/nothing-here", 404]] as const) {
      const response = await get(path, { headers: { Origin: "https://example.org" } });
      expect(response.status, path).to.equal(status);
      expect(response.headers.get("access-control-allow-origin"), path).to.equal("*");
      expect(response.headers.get("cross-origin-resource-policy"), path).to.equal("cross-origin");
    }
  });

  it("answers CORS preflights", async () => {
    const response = await get("/api/v1/repositories", { method: "OPTIONS", headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match" } });
    expect(response.status).to.equal(204);
    expect(response.headers.get("access-control-allow-methods")).to.equal("GET, HEAD, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).to.match(/If-None-Match/);
  });

  for (const path of cachedPaths) {
    it(`gives ${path} an ETag and a lifetime, and answers 304 when the client has it`, async () => {
      const first = await get(path);
      expect(first.status).to.equal(200);
      const body = await first.text();
      const etag = first.headers.get("etag");
      expect(etag).to.match(/^W\/"[\w-]+"$/);
      expect(first.headers.get("cache-control")).to.match(/^public, max-age=\d+$/);
      const again = await get(path, { headers: { "If-None-Match": etag! } });
      expect(again.status).to.equal(304);
      expect(await again.text()).to.equal("");
      const other = await get(path, { headers: { "If-None-Match": 'W/"something-else"' } });
      expect([other.status, await other.text()]).to.deep.equal([200, body]);
    });
  }

  it("gives different ETags to different answers", async () => {
    const a = await get("/api/v1/repositories?q=udata");
    const b = await get("/api/v1/repositories?q=udata&page=2");
    expect(a.headers.get("etag")).not.to.equal(b.headers.get("etag"));
  });

  // Issue 13: the API sits before the site's compression() and compresses its own answers, small or large.
  it("gzips its answers itself, whatever their size, and leaves a small one plain", async () => {
    const app = express();
    const large = { items: Array.from({ length: 3000 }, (_, i) => ({ id: `github.com/owner/repository-${i}`, stars: i })) };
    app.get("/large", (req, res) => sendJson(req, res, large));
    app.get("/small", (req, res) => sendJson(req, res, { ok: true }));
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const zipped = await fetch(`${base}/large`, { headers: { "Accept-Encoding": "gzip" } });
      expect(zipped.headers.get("content-encoding")).to.equal("gzip");
      expect(Number(zipped.headers.get("content-length"))).to.be.below(JSON.stringify(large).length / 4);
      expect(await zipped.json()).to.deep.equal(large);
      const plain = await fetch(`${base}/large`, { headers: { "Accept-Encoding": "identity" } });
      expect([plain.headers.get("content-encoding"), Number(plain.headers.get("content-length"))]).to.deep.equal([null, JSON.stringify(large).length]);
      const small = await fetch(`${base}/small`, { headers: { "Accept-Encoding": "gzip" } });
      expect(small.headers.get("content-encoding")).to.equal(null);
      expect(await small.json()).to.deep.equal({ ok: true });
      // The search answer of the whole app, through the same writer.
      const search = await get("/api/v1/repositories?per_page=100", { headers: { "Accept-Encoding": "gzip" } });
      expect(search.headers.get("content-encoding")).to.equal("gzip");
    } finally {
      server.close();
    }
  });

  it("refuses writes with 405 and the methods it allows", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await get("/api/v1/repositories", { method });
      expect(response.status, method).to.equal(405);
      expect(response.headers.get("allow")).to.equal("GET, HEAD, OPTIONS");
      expect(((await response.json()) as { reason: string }).reason).to.equal("method_not_allowed");
    }
  });

  it("describes itself in OpenAPI 3.1, with the public record as it is", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as OpenApi;
    expect(document.openapi).to.equal("3.1.0");
    const repository = document.components.schemas.Repository!;
    expect(Object.keys(repository.properties!)).to.deep.equal([...publicRepositoryFields]);
    expect(repository.required).to.deep.equal([...publicRepositoryFields]);
    const search = (await (await get("/api/v1/repositories?per_page=1")).json()) as { items: object[]; facets: object };
    expect(Object.keys(search)).to.have.members(document.components.schemas.SearchResponse!.required!);
    expect(Object.keys(search.facets)).to.have.members(document.components.schemas.Facets!.required!);
    const owner = (await (await get("/api/v1/owners/github.com/etalab")).json()) as object;
    expect(Object.keys(owner)).to.include.members(document.components.schemas.OwnerSummary!.required!);
  });

  it("describes every route it serves, and serves every route it describes", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as OpenApi;
    expect(Object.keys(document.paths)).to.have.members(["/repositories", "/repositories/{id}", "/repositories.json", "/repositories.csv", "/owners", "/owners/{id}", "/stats", "/openapi.json", "/publiccode/validate", "/repositories.jsonl", "/code.json", "/publiccode.jsonl", "/status",
      // issue 10
      "/repositories/{id}/dependents", "/repositories/{id}/dependencies", "/repositories/{id}/forks", "/packages",
      // issue 13
      "/repositories/{id}/similar"]);
    const examples: Record<string, string> = {
      "/repositories/{id}": "/repositories/github.com/etalab/udata",
      "/owners/{id}": "/owners/github.com/etalab",
      "/repositories/{id}/dependents": "/repositories/github.com/etalab/udata/dependents",
      "/repositories/{id}/dependencies": "/repositories/github.com/etalab/udata/dependencies",
      "/repositories/{id}/forks": "/repositories/github.com/etalab/udata/forks",
      "/repositories/{id}/similar": "/repositories/github.com/etalab/udata/similar",
      "/packages": "/packages?ecosystem=pypi&name=udata",
    };
    // The one POST route (publiccode.yml validation) has its own tests: test/api/publiccode.test.ts.
    for (const path of Object.keys(document.paths).filter((path) => document.paths[path]!.get)) {
      const response = await get(`/api/v1${examples[path] ?? path}`);
      expect(response.status, path).to.equal(200);
      await response.arrayBuffer();
      for (const status of Object.keys(document.paths[path]!.get!.responses)) expect(["200", "304", "400", "404"], `${path} ${status}`).to.include(status);
    }
  });

  it("serves an entry point and a human-readable reference at /api", async () => {
    const entry = (await (await get("/api/v1")).json()) as { documentation: string; openapi: string };
    expect(entry).to.include({ documentation: "/api", openapi: "/api/v1/openapi.json" });
    const redirect = await get("/api/v1/docs", { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).to.deep.equal([301, "/api"]);
    const page = await get("/api?lang=en");
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.match(/^text\/html/);
    const html = await page.text();
    for (const path of ["/api/v1/repositories", "/api/v1/repositories/{id}", "/api/v1/owners/{id}", "/api/v1/stats", "/api/v1/repositories.csv"]) expect(html).to.include(`GET ${path}`);
    expect(html).to.include("text × exact × reuse");
    expect(html).to.include("a facet ignores its own filter");
  });
});
