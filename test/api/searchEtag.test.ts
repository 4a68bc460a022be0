// Issue 13 (API latency): a search answer's ETag is derived from what makes
// the answer (index generation, query as read, the page's records) instead of
// hashing its body. It must still give 304 to a client that has the answer,
// and change whenever the answer would.
import { expect } from "chai";
import helmet from "helmet";
import type { RequestHandler } from "express";
import { openSearchEngine } from "../../src/search/engine.ts";
import { openDatabase } from "../../src/store/database.ts";
import { parseSearchQuery } from "../../src/search/parseQuery.ts";
import { facetsSource } from "../../src/search/searchIndex.ts";
import { gunzipSync } from "node:zlib";
import http from "node:http";
import { GzippedAnswers, precomputedHeaders } from "../../src/web/api/http.ts";
import type { RepositoryRow } from "../../src/store/catalog.ts";
import { searchResponseBytes, searchResponseEtag, toSearchResponse, warmPublicRecords } from "../../src/web/api/present.ts";
import { fixtureNow } from "../fixtures/catalogue.ts";
import { loadFixtureCatalogue } from "../helpers/fixtureCatalogue.ts";
import { servedFixture, startApp } from "../helpers/httpApp.ts";

describe("API: search answers' ETags and headers (issue 13)", () => {
  const served = servedFixture();
  const get = (path: string, headers: Record<string, string> = {}, base = served.app.url) => fetch(`${base}${encodeURI(path)}`, { headers });
  const path = "/api/v1/repositories?q=données ouvertes&per_page=3";

  it("answers 304 to the ETag it gave, 200 with the same body to any other", async () => {
    const first = await get(path);
    const body = await first.text();
    const etag = first.headers.get("etag")!;
    expect(etag).to.match(/^W\/"s1-[\w-]+"$/);
    const again = await get(path, { "If-None-Match": etag });
    expect([again.status, await again.text()]).to.deep.equal([304, ""]);
    const other = await get(path, { "If-None-Match": 'W/"s1-other"' });
    expect([other.status, other.headers.get("etag"), await other.text()]).to.deep.equal([200, etag, body]);
  });

  it("is the same from another app with its own connection and engine on the same store and index (as another web worker)", async () => {
    const db = openDatabase(served.fixture.file);
    const engine = await openSearchEngine({ ...served.fixture.options, db, readOnly: true });
    const second = await startApp({ ...served.fixture, db, engine });
    try {
      expect(engine.generation).to.equal(served.fixture.engine.generation);
      const a = (await get(path)).headers.get("etag");
      const b = (await get(path, {}, second.url)).headers.get("etag");
      expect(a).to.be.a("string");
      expect(b).to.equal(a);
    } finally {
      await second.close();
      await engine.close();
      db.$client.close();
    }
  });

  it("differs between answers: another page, sort, filter or text", async () => {
    const etags = new Set<string | null>();
    for (const variant of [path, `${path}&page=2`, `${path}&sort=stars`, `${path}&language=Python`, "/api/v1/repositories?q=données&per_page=3"]) {
      const response = await get(variant);
      expect(response.status, variant).to.equal(200);
      etags.add(response.headers.get("etag"));
    }
    expect(etags.size).to.equal(5);
  });

  it("changes when a record of the page changes in the store, before any index rebuild", async () => {
    const udata = "/api/v1/repositories?q=udata&per_page=3";
    const before = await get(udata);
    const etag = before.headers.get("etag")!;
    const generation = served.fixture.engine.generation;
    loadFixtureCatalogue(
      served.fixture.db,
      [{ host: "github.com", login: "etalab", kind: "organization", name: "Etalab" }],
      [{ host: "github.com", owner: "etalab", name: "udata", description: "Le moteur de data.gouv.fr, décrit autrement", language: "Python", license: "AGPL-3.0", stars: 251 }],
      new Date(fixtureNow.getTime() + 1000).toISOString(),
    );
    expect(served.fixture.engine.generation).to.equal(generation);
    const after = await get(udata, { "If-None-Match": etag });
    expect(after.status).to.equal(200);
    expect(after.headers.get("etag")).to.not.equal(etag);
    const body = (await after.json()) as { items: { id: string; description: string }[] };
    expect(body.items.find((item) => item.id === "github.com/etalab/udata")?.description).to.equal("Le moteur de data.gouv.fr, décrit autrement");
  });

  it("changes when the index is rebuilt (a new generation), and holds again after", async () => {
    const udata = "/api/v1/repositories?q=udata&per_page=3";
    const etag = (await get(udata)).headers.get("etag")!;
    const generation = served.fixture.engine.generation;
    loadFixtureCatalogue(
      served.fixture.db,
      [{ host: "github.com", login: "etalab", kind: "organization", name: "Etalab" }],
      [{ host: "github.com", owner: "etalab", name: "udata-nouveau", description: "Un autre udata", language: "Python", license: "MIT" }],
      new Date(fixtureNow.getTime() + 2000).toISOString(),
    );
    await served.fixture.engine.rebuild();
    expect(served.fixture.engine.generation).to.not.equal(generation);
    const after = await get(udata, { "If-None-Match": etag });
    expect(after.status).to.equal(200);
    const newEtag = after.headers.get("etag")!;
    expect(newEtag).to.not.equal(etag);
    expect((await get(udata, { "If-None-Match": newEtag })).status).to.equal(304);
  });

  it("derives the ETag from the inputs: equal inputs, equal tags; another generation, another tag", () => {
    const query = parseSearchQuery({ q: "données", per_page: "5" });
    const result = served.fixture.engine.search(query);
    const tag = searchResponseEtag("g1", query, result);
    expect(searchResponseEtag("g1", query, served.fixture.engine.search(query))).to.equal(tag);
    expect(searchResponseEtag("g2", query, result)).to.not.equal(tag);
    expect(searchResponseEtag("g1", { ...query, page: 2 }, result)).to.not.equal(tag);
  });

  it("gives the same answer and ETag from records made ahead by the row warm-up as from records made on demand", async () => {
    const query = parseSearchQuery({ q: "données", per_page: "5" });
    const onDemand = served.fixture.engine.search(query);
    // Another connection has its own row cache, so other row objects: the warm-up reads them and makes their records.
    const db = openDatabase(served.fixture.file);
    const warmed: RepositoryRow[] = [];
    const engine = await openSearchEngine({ ...served.fixture.options, db, warmRowCache: true, onRowsWarmed: (rows) => (warmed.push(...rows), warmPublicRecords(rows)) });
    try {
      await engine.warming;
      const ahead = engine.search(query);
      expect(ahead.items.length).to.equal(5);
      // Not vacuous: the answer is made of the very rows the warm-up handed over.
      for (const row of ahead.items) expect(warmed).to.include(row);
      expect(onDemand.items.every((row) => !warmed.includes(row))).to.equal(true);
      expect(searchResponseBytes(ahead).toString("utf8")).to.equal(searchResponseBytes(onDemand).toString("utf8"));
      expect(searchResponseEtag("g", query, ahead)).to.equal(searchResponseEtag("g", query, onDemand));
    } finally {
      await engine.close();
      db.$client.close();
    }
  });

  it("shares the facets' JSON between the pages and sorts of one search, still exactly toSearchResponse's", () => {
    const first = served.fixture.engine.search(parseSearchQuery({ q: "données", per_page: "2" }));
    const second = served.fixture.engine.search(parseSearchQuery({ q: "données", per_page: "2", page: "2", sort: "stars" }));
    const source = (facets: object) => (facets as { [facetsSource]?: object })[facetsSource];
    // Not vacuous: both come from the same cached record.
    expect(source(first.facets)).to.be.an("object");
    expect(source(second.facets)).to.equal(source(first.facets));
    for (const result of [first, second, first]) expect(searchResponseBytes(result).toString("utf8")).to.equal(JSON.stringify(toSearchResponse(result)));
  });

  it("sends helmet's security headers on API answers, computed once", async () => {
    const answer = await get("/api/v1/repositories?q=udata");
    const page = await get("/about");
    expect(answer.status).to.equal(200);
    for (const name of ["content-security-policy", "strict-transport-security", "x-content-type-options", "x-frame-options", "referrer-policy", "cross-origin-opener-policy", "origin-agent-cluster", "x-dns-prefetch-control", "x-download-options", "x-permitted-cross-domain-policies", "x-xss-protection"]) {
      expect(answer.headers.get(name), name).to.be.a("string");
      expect(answer.headers.get(name), name).to.equal(page.headers.get(name));
    }
    // The API's own CORS value wins over helmet's.
    expect(answer.headers.get("cross-origin-resource-policy")).to.equal("cross-origin");
  });

  it("sends a search asked again from its gzipped copy: the same bytes, the body of a fresh answer", async () => {
    const raw = (pathname: string, encoding: string) =>
      new Promise<{ encoding: string | undefined; etag: string | undefined; body: Buffer }>((resolve, reject) => {
        const { hostname, port } = new URL(served.app.url);
        http
          .get({ host: hostname, port, path: encodeURI(pathname), headers: { "accept-encoding": encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ encoding: res.headers["content-encoding"], etag: res.headers.etag, body: Buffer.concat(chunks) }));
          })
          .on("error", reject);
      });
    const pathname = "/api/v1/repositories?q=données&per_page=20";
    const first = await raw(pathname, "gzip");
    const second = await raw(pathname, "gzip");
    const plain = await raw(pathname, "identity");
    expect([first.encoding, second.encoding, plain.encoding]).to.deep.equal(["gzip", "gzip", undefined]);
    expect(second.body.equals(first.body)).to.equal(true);
    expect(gunzipSync(second.body).toString("utf8")).to.equal(plain.body.toString("utf8"));
    expect([second.etag, plain.etag]).to.deep.equal([first.etag, first.etag]);
    expect(JSON.parse(plain.body.toString("utf8")).items.length).to.be.above(1);
  });

  it("keeps gzipped answers within its budget, the least recently used dropped first", () => {
    const answers = new GzippedAnswers(16_000);
    const zipped = (n: number) => Buffer.alloc(900, n);
    for (let i = 0; i < 10; i++) answers.set(`e${i}`, zipped(i));
    expect(answers.get("e0")?.[0]).to.equal(0);
    for (let i = 10; i < 20; i++) answers.set(`e${i}`, zipped(i));
    // 17 fit in 16,000 bytes; e0 was used since, e1 to e3 were not.
    expect(answers.size).to.equal(17);
    expect(answers.get("e0")?.[0]).to.equal(0);
    expect([answers.get("e1"), answers.get("e2"), answers.get("e3")]).to.deep.equal([undefined, undefined, undefined]);
    expect(answers.get("e19")?.[0]).to.equal(19);
    // An answer over a sixteenth of the budget is not kept.
    answers.set("big", Buffer.alloc(1_100));
    expect(answers.get("big")).to.equal(undefined);
  });

  it("refuses to precompute a middleware that does not pass on at once", () => {
    const answering: RequestHandler = () => {};
    expect(() => precomputedHeaders(answering)).to.throw(/did not call next/);
    expect(() => precomputedHeaders(helmet())).to.not.throw();
  });
});
