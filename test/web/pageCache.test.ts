// The cache of rendered pages: hits skip the engine and gzip, and nothing
// stale or wrong is ever served from it.
import { gunzipSync } from "node:zlib";
import http from "node:http";
import { expect } from "chai";
import type { SearchEngine } from "../../src/search/types.ts";
import { seedCatalogue, seedOwner, seedRun } from "../helpers/catalogueFixture.ts";
import { fixtureSearchEngine } from "../helpers/fixtureSearchEngine.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { get, textOf } from "./http.ts";

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

  it("renders a page once, then serves it, gzipped or not, with the same ETag", async () => {
    const first = await get(web.url, "/repositories?q=outil");
    const second = await rawGet(`${web.url}/repositories?q=outil`, { "accept-encoding": "gzip" });
    const third = await rawGet(`${web.url}/repositories?q=outil`, {});
    expect(engine.queries).to.have.length(1);
    expect(second.headers["content-encoding"]).to.equal("gzip");
    expect(gunzipSync(second.body).toString()).to.equal(first.html);
    expect(third.body.toString()).to.equal(first.html);
    expect([second.headers.etag, third.headers.etag]).to.deep.equal([first.headers.get("etag"), first.headers.get("etag")]);
    const revalidated = await rawGet(`${web.url}/repositories?q=outil`, { "if-none-match": first.headers.get("etag")! });
    expect(revalidated.status).to.equal(304);
  });

  it("keeps each language apart and still remembers a language chosen on a cached page", async () => {
    await get(web.url, "/about?lang=en");
    const again = await get(web.url, "/about?lang=en");
    expect(textOf(again.html, "h1")).to.equal("About");
    expect(again.headers.get("set-cookie")).to.match(/^lang=en;/);
    expect(textOf((await get(web.url, "/about", { "accept-language": "fr" })).html, "h1")).to.equal("À propos");
  });

  it("forgets every page when the search index is rebuilt", async () => {
    await get(web.url, "/repositories?q=outil");
    generation = "g2";
    await get(web.url, "/repositories?q=outil");
    expect(engine.queries).to.have.length(2);
  });

  it("keeps the least recently used pages out when full", async () => {
    for (const q of ["a", "b", "c", "a", "d", "b"]) await get(web.url, `/repositories?q=${q}`);
    // a, b, c rendered; a served; d pushes b (least recent) out; b rendered again.
    expect(engine.queries.map((query) => query.q)).to.deep.equal(["a", "b", "c", "d", "b"]);
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
