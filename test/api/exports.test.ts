// The bulk exports: streamed, parsed back, conditional, and harmless to the store.
import { expect } from "chai";
import { exportRecordFields } from "../../src/records/exportRecord.ts";
import { countLiveRepositories } from "../../src/store/catalog.ts";
import { upsertForge } from "../../src/store/harvestStore.ts";
import { parseCsv, parseCsvRecords } from "../../scripts/lib/csv.ts";
import { fixtureNow, fixtureRepositories, generatedRepositories } from "../fixtures/catalogue.ts";
import { loadFixtureCatalogue } from "../helpers/fixtureCatalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";

const liveIds = fixtureRepositories.filter((repository) => !repository.removed).map((repository) => `${repository.host}/${repository.owner}/${repository.name}`);

describe("API: exports", () => {
  const served = servedFixture();

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${served.app.url}${path}`, { headers });

  it("exports every live repository as one JSON array of public records", async () => {
    const response = await get("/api/v1/repositories.json");
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).to.equal('attachment; filename="code-commun-repositories.json"');
    expect(response.headers.get("access-control-allow-origin")).to.equal("*");
    const records = (await response.json()) as Record<string, unknown>[];
    expect(records.map((record) => record.id)).to.have.members(liveIds);
    for (const record of records) expect(Object.keys(record)).to.deep.equal([...exportRecordFields]);
    const udata = records.find((record) => record.id === "github.com/etalab/udata")!;
    expect([udata.topics, udata.stars, udata.archived]).to.deep.equal([["open-data", "python", "flask"], 250, false]);
  });

  it("exports every live repository as CSV that reads back to the same values", async () => {
    const response = await get("/api/v1/repositories.csv");
    expect(response.headers.get("content-type")).to.equal("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    // UTF-8 with a byte-order mark, for Excel.
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
    expect(parseCsv(text)[0]).to.deep.equal([...exportRecordFields]);
    const records = parseCsvRecords(text);
    expect(records.map((record) => record.id)).to.have.members(liveIds);
    // A description with commas and a colon, topics joined by commas.
    const geo = records.find((record) => record.id === "github.com/etalab/api-geo")!;
    expect(geo.description).to.equal("API de recherche géographique : communes, départements, régions et codes postaux");
    expect([geo.topics, geo.stars, geo.fork]).to.deep.equal(["api,geographie", "120", "false"]);
  });

  it("answers 304 to a client that has the current export, and a head without a body", async () => {
    const first = await get("/api/v1/repositories.csv");
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    expect(etag).to.match(/^W\/"csv-/);
    expect(first.headers.get("cache-control")).to.equal("public, max-age=300");
    const again = await get("/api/v1/repositories.csv", { "If-None-Match": etag });
    expect(again.status).to.equal(304);
    expect(await again.text()).to.equal("");
    const head = await fetch(`${served.app.url}/api/v1/repositories.json`, { method: "HEAD" });
    expect([head.status, await head.text()]).to.deep.equal([200, ""]);
    // The JSON export has its own validator.
    expect((await get("/api/v1/repositories.json", { "If-None-Match": etag })).status).to.equal(200);
  });

  it("changes its ETag when the catalogue changes", async () => {
    const before = (await get("/api/v1/repositories.json", {})).headers.get("etag");
    loadFixtureCatalogue(served.fixture.db, [{ host: "github.com", login: "etalab", kind: "organization", name: "Etalab" }], [{ host: "github.com", owner: "etalab", name: "nouveau", description: "Nouveau dépôt", language: null, license: null }], new Date(fixtureNow.getTime() + 1000).toISOString());
    const after = (await get("/api/v1/repositories.json", {})).headers.get("etag");
    expect(after).not.to.equal(before);
  });

  it("streams from its own connection: the store stays writable during a slow download, and a client may stop", async () => {
    // Enough rows that the response cannot fit in the socket buffers: the server must wait for the client.
    loadFixtureCatalogue(served.fixture.db, undefined, generatedRepositories(4_000), new Date(fixtureNow.getTime() + 2000).toISOString());
    const controller = new AbortController();
    const response = await fetch(`${served.app.url}/api/v1/repositories.csv`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    // The export is paused mid-way with its cursor open: a harvest write on the main connection must still work.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => upsertForge(served.fixture.db, { host: "git.example.fr", type: "gitlab", apiUrl: "https://git.example.fr/api/v4" }, new Date().toISOString())).not.to.throw();
    controller.abort();
    await reader.read().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await get("/api/v1/repositories.json");
    expect(next.status).to.equal(200);
    expect(((await next.json()) as unknown[]).length).to.equal(countLiveRepositories(served.fixture.db));
    expect(served.app.logged, "a stopped download is not a server error").to.deep.equal([]);
  });
});
