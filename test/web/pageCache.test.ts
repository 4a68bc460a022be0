// The cache of rendered pages: hits skip the engine and gzip, and nothing
// stale or wrong is ever served from it.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import http from "node:http";
import { expect } from "chai";
import type { SearchEngine } from "../../src/search/types.ts";
import { seedCatalogue, seedOwner, seedRun } from "../helpers/catalogueFixture.ts";
import { fixtureSearchEngine } from "../helpers/fixtureSearchEngine.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, textOf } from "./http.ts";
import { compressPage } from "../../src/web/pageCache.ts";

/** A raw GET, to see the bytes as sent (fetch would decompress them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("page cache", () => {
  let web: WebServer;
  let engine: ReturnType<typeof fixtureSearchEngine>;
  let generation: string;

  beforeEach(async () => {
    generation = "g1";
    web = await startWebServer((database) => {
      seedCatalogue(database.db);
      engine = fixtureSearchEngine(database.db);
    }, {
      pageCacheTtlMs: 60_000,
      pageCacheEntries: 3,
      search: new Proxy({} as SearchEngine, {
        get: (_target, name) => (name === "generation" ? generation : Reflect.get(engine, name)),
      }),
    });
  });
  afterEach(async () => {
    await web.close();
  });

  it("keeps a page asked for a second time, then serves it, gzipped or not, with the same ETag", async () => {
    const first = await get(web.url, "/repositories?q=outil");
    await get(web.url, "/repositories?q=outil");
    expect(engine.queries).to.have.length(2);
    const second = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip" });
    const third = await rawGet(`${web.url}/repositories?q=outil`, {});
    expect(engine.queries).to.have.length(2);
    expect(second.headers["content-encoding"]).to.equal("gzip");
    expect(gunzipSync(second.body).toString()).to.equal(first.html);
    expect(third.body.toString()).to.equal(first.html);
    expect([second.headers.etag, third.headers.etag]).to.deep.equal([first.headers.get("etag"), first.headers.get("etag")]);
    const revalidated = await rawGet(`${web.url}/repositories?q=outil`, { "if-none-match": first.headers.get("etag")! });
    expect(revalidated.status).to.equal(304);
  });

  // Issue 13: browsers take brotli (Chrome lists gzip first, all at q=1).
  it("serves a cached page in brotli to a browser and in gzip to a client that takes only gzip", async () => {
    const first = await get(web.url, "/repositories?q=outil");
    await get(web.url, "/repositories?q=outil");
    const browser = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip, deflate, br, zstd" });
    const again = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip, deflate, br, zstd" });
    const agent = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip, deflate" });
    const refused = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "br;q=0, gzip" });
    expect(engine.queries).to.have.length(2);
    expect(browser.headers["content-encoding"]).to.equal("br");
    expect(Number(browser.headers["content-length"])).to.equal(browser.body.length);
    expect(brotliDecompressSync(browser.body).toString()).to.equal(first.html);
    expect(again.body.equals(browser.body)).to.equal(true);
    expect(agent.headers["content-encoding"]).to.equal("gzip");
    expect(gunzipSync(agent.body).toString()).to.equal(first.html);
    expect(refused.headers["content-encoding"]).to.equal("gzip");
    expect(browser.headers.etag).to.equal(first.headers.get("etag"));
  });

  it("keeps each language apart and still remembers a language chosen on a cached page", async () => {
    await get(web.url, "/about?lang=en");
    await get(web.url, "/about?lang=en");
    const again = await get(web.url, "/about?lang=en");
    expect(textOf(again.html, "h1")).to.equal("About");
    expect(again.headers.get("set-cookie")).to.match(/^lang=en;/);
    expect(textOf((await get(web.url, "/about", { "accept-language": "fr" })).html, "h1")).to.equal("À propos");
  });

  it("forgets every page when the search index is rebuilt", async () => {
    for (let i = 0; i < 3; i++) await get(web.url, "/repositories?q=outil");
    expect(engine.queries).to.have.length(2);
    generation = "g2";
    await get(web.url, "/repositories?q=outil");
    expect(engine.queries).to.have.length(3);
  });

  it("keeps the least recently used pages out when full", async () => {
    for (const q of ["a", "a", "b", "b", "c", "c", "a", "d", "d", "b"]) await get(web.url, `/repositories?q=${q}`);
    // a, b, c kept at their second request; a served; d kept pushes b (least recent) out; b rendered again.
    expect(engine.queries.map((query) => query.q)).to.deep.equal(["a", "a", "b", "b", "c", "c", "d", "d", "b"]);
  });

  // Issue 13: the long tail of searches asked once neither pushes the pages readers ask again out nor fills the heap.
  it("does not keep a page asked for once, which pushes no kept page out", async () => {
    for (const q of ["a", "a", "b", "c", "d", "e", "a", "b"]) await get(web.url, `/repositories?q=${q}`);
    // a kept at its second request and served after four pages asked once (the cache holds three); b, asked again, rendered again.
    expect(engine.queries.map((query) => query.q)).to.deep.equal(["a", "a", "b", "c", "d", "e", "b"]);
  });

  it("keeps a kept page again at once when it expires", async () => {
    const clock = { now: Date.parse("2026-06-01T08:00:00Z") };
    let local!: ReturnType<typeof fixtureSearchEngine>;
    const cached = await startWebServer((database) => seedCatalogue(database.db), {
      searchFor: async (database) => (local = fixtureSearchEngine(database.db)),
      pageCacheTtlMs: 1_000,
      pageCacheEntries: 3,
      now: () => new Date(clock.now),
    });
    try {
      for (let i = 0; i < 3; i++) await get(cached.url, "/repositories?q=outil");
      expect(local.queries).to.have.length(2);
      clock.now += 2_000;
      // Expired: rendered again, and kept at once.
      await get(cached.url, "/repositories?q=outil");
      await get(cached.url, "/repositories?q=outil");
      expect(local.queries).to.have.length(3);
    } finally {
      await cached.close();
    }
  });

  it("forgets a page asked for once after many other misses", async () => {
    // 3 entries: the last 12 misses are remembered; "a" then 12 other pages, then "a" again: asked once again, not kept.
    const others = Array.from({ length: 12 }, (_, i) => `o${i}`);
    for (const q of ["a", ...others, "a", "a"]) await get(web.url, `/repositories?q=${q}`);
    expect(engine.queries.map((query) => query.q)).to.deep.equal(["a", ...others, "a", "a"]);
    await get(web.url, "/repositories?q=a");
    expect(engine.queries).to.have.length(15);
  });

  it("never keeps an error, and never caches the harvest status", async () => {
    const path = "/repositories/github.com/nouveau/projet";
    expect((await get(web.url, path)).status).to.equal(404);
    seedOwner(web.database.db, { host: "github.com", login: "nouveau", repositories: [{ name: "projet" }] });
    expect((await get(web.url, path)).status).to.equal(200);

    expect((await get(web.url, "/status?lang=en")).html).not.to.include("Harvest #3");
    seedRun(web.database.db, { status: "succeeded", startedAt: "2025-06-15T03:17:00Z", finishedAt: "2025-06-15T03:18:00Z", results: [] });
    expect((await get(web.url, "/status?lang=en")).html).to.include("Harvest #3");
  });
});

// Issue 13: uncached pages get their validator before rendering and leave gzipped in one call.
describe("page delivery", () => {
  let web: WebServer;
  let engine: ReturnType<typeof fixtureSearchEngine>;
  let generation: string;
  let now: Date;

  beforeEach(async () => {
    generation = "g1";
    now = new Date("2025-06-20T10:00:00Z");
    web = await startWebServer((database) => {
      seedCatalogue(database.db);
      engine = fixtureSearchEngine(database.db);
    }, {
      pageCacheTtlMs: 0,
      now: () => now,
      search: new Proxy({} as SearchEngine, {
        get: (_target, name) => (name === "generation" ? generation : Reflect.get(engine, name)),
      }),
    });
  });
  afterEach(async () => {
    await web.close();
  });

  it("answers a revalidation with 304 without searching or rendering again", async () => {
    const first = await get(web.url, "/repositories?q=outil");
    expect(engine.queries).to.have.length(1);
    const etag = first.headers.get("etag")!;
    expect(etag).to.match(/^W\/"[\w-]{27}"$/);
    const again = await rawGet(`${web.url}/repositories?q=outil`, { "if-none-match": etag });
    expect(again.status).to.equal(304);
    expect(engine.queries).to.have.length(1);
    // Another page, another language, another index or another ten minutes: another validator.
    expect((await rawGet(`${web.url}/repositories?q=outils`, { "if-none-match": etag })).status).to.equal(200);
    expect((await rawGet(`${web.url}/repositories?q=outil&lang=en`, { "if-none-match": etag })).status).to.equal(200);
    generation = "g2";
    expect((await rawGet(`${web.url}/repositories?q=outil`, { "if-none-match": etag })).status).to.equal(200);
    generation = "g1";
    now = new Date("2025-06-20T10:10:00Z");
    expect((await rawGet(`${web.url}/repositories?q=outil`, { "if-none-match": etag })).status).to.equal(200);
  });

  it("sends the same page in brotli, gzipped, plain and to HEAD, each with its length", async () => {
    const gzipped = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip" });
    const brotli = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip, deflate, br, zstd" });
    const plain = await rawGet(`${web.url}/repositories?q=outil`, {});
    expect(brotli.headers["content-encoding"]).to.equal("br");
    expect(Number(brotli.headers["content-length"])).to.equal(brotli.body.length);
    expect(brotliDecompressSync(brotli.body).toString()).to.equal(plain.body.toString());
    expect(brotli.headers.etag).to.equal(plain.headers.etag);
    expect(gzipped.headers["content-encoding"]).to.equal("gzip");
    expect(gzipped.headers.vary).to.match(/Accept-Encoding/);
    expect(Number(gzipped.headers["content-length"])).to.equal(gzipped.body.length);
    expect(plain.headers["content-encoding"]).to.equal(undefined);
    expect(Number(plain.headers["content-length"])).to.equal(plain.body.length);
    expect(gunzipSync(gzipped.body).toString()).to.equal(plain.body.toString());
    expect(plain.body.toString()).to.include("</html>");
    expect(plain.headers["content-type"]).to.equal("text/html; charset=utf-8");
    const head = await new Promise<http.IncomingMessage>((resolve, reject) => http.request(`${web.url}/repositories?q=outil`, { method: "HEAD" }, resolve).on("error", reject).end());
    expect(head.statusCode).to.equal(200);
    expect(head.headers.etag).to.equal(plain.headers.etag);
  });

  it("never gives an error page the page's validator", async () => {
    const missing = await rawGet(`${web.url}/repositories/github.com/nouveau/projet`, {});
    expect(missing.status).to.equal(404);
    seedOwner(web.database.db, { host: "github.com", login: "nouveau", repositories: [{ name: "projet" }] });
    const found = await rawGet(`${web.url}/repositories/github.com/nouveau/projet`, {});
    expect(found.status).to.equal(200);
    expect(missing.headers.etag).not.to.equal(found.headers.etag);
    if (missing.headers.etag) expect((await rawGet(`${web.url}/repositories/github.com/nouveau/projet`, { "if-none-match": missing.headers.etag })).status).to.equal(200);
  });
});

describe("compressPage", () => {
  it("gives each page its own bytes although their input shares one buffer, whatever their size, characters and coding", () => {
    // Accents, a 4-byte emoji and a lone quote: UTF-8 lengths differ from string lengths.
    const small = `<p>Données ouvertes “carte” 🗺️ ${"é".repeat(3000)}</p>`;
    const other = "<p>Another page, shorter</p>";
    // Larger than the reused buffer (3 bytes a character at most): gzipped from its own copy.
    const large = `<p>${"ü".repeat(200_000)}</p>`;
    const first = compressPage(small, "gzip");
    const second = compressPage(other, "br");
    const third = compressPage(large, "gzip");
    const fourth = compressPage(large, "br");
    const fifth = compressPage(small, "br");
    expect(gunzipSync(first).toString("utf8")).to.equal(small);
    expect(brotliDecompressSync(second).toString("utf8")).to.equal(other);
    expect(gunzipSync(third).toString("utf8")).to.equal(large);
    expect(brotliDecompressSync(fourth).toString("utf8")).to.equal(large);
    expect(brotliDecompressSync(fifth).toString("utf8")).to.equal(small);
  });
});
