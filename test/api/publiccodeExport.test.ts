// GET /api/v1/publiccode.jsonl (issue 12 after issue 9's profiles): the parsed
// publiccode.yml of every live repository whose file is valid, one JSON object
// a line, selected by the same search parameters as the other exports.
import { expect } from "chai";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { profileFrom, seedProfiles, udataPubliccode } from "../helpers/profileFixture.ts";
import type { TempDatabase } from "../helpers/tempDatabase.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { saveProfile } from "../../src/store/profiles.ts";

interface Line {
  id: string;
  url: string;
  catalogue_url: string;
  publiccode: Record<string, unknown>;
}

const monEntreprisePubliccode = udataPubliccode
  .replace("name: udata", "name: mon-entreprise")
  .replace("url: https://github.com/etalab/udata", "url: https://github.com/betagouv/mon-entreprise")
  .replace("developmentStatus: stable", "developmentStatus: beta");

function pkOf(db: TempDatabase["db"], fullName: string): number {
  return (db.$client.prepare("SELECT pk FROM repositories WHERE host = 'github.com' AND full_name = ?").get(fullName) as { pk: number }).pk;
}

/** udata and mon-entreprise valid; budget invalid; fork-de-udata valid but removed from the catalogue. */
function seed({ db }: TempDatabase): void {
  seedCatalogue(db);
  seedProfiles(db);
  const at = "2025-06-14T03:20:00Z";
  saveProfile(db, pkOf(db, "betagouv/mon-entreprise"), profileFrom("https://github.com/betagouv/mon-entreprise", { "publiccode.yml": monEntreprisePubliccode }), null, at);
  saveProfile(db, pkOf(db, "ville-exemple/fork-de-udata"), profileFrom("https://github.com/ville-exemple/fork-de-udata", { "publiccode.yml": udataPubliccode }), null, at);
  db.$client.prepare("UPDATE repositories SET removed_at = ? WHERE pk = ?").run(at, pkOf(db, "ville-exemple/fork-de-udata"));
}

function lines(text: string): Line[] {
  if (text === "") return [];
  expect(text.endsWith("\n"), "ends with a line break").to.equal(true);
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line) as Line);
}

describe("API: /api/v1/publiccode.jsonl", function () {
  let server: WebServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
  before(async () => {
    server = await startWebServer(seed);
  });
  after(async () => {
    await server.close();
    expect(server.logged).to.deep.equal([]);
  });

  it("has one line per live repository with a valid publiccode.yml: its ids, addresses and parsed document", async () => {
    const response = await get("/api/v1/publiccode.jsonl");
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/jsonl; charset=utf-8");
    expect(response.headers.get("content-disposition")).to.equal('attachment; filename="code-commun-publiccode.jsonl"');
    expect(response.headers.get("etag")).to.match(/^W\/"publiccode-/);
    const found = lines(await response.text());
    // Not budget (invalid), not fork-de-udata (removed), none of the repositories without a file.
    expect(found.map((line) => line.id)).to.deep.equal(["github.com/betagouv/mon-entreprise", "github.com/etalab/udata"]);
    const udata = found[1]!;
    expect(Object.keys(udata)).to.deep.equal(["id", "url", "catalogue_url", "publiccode"]);
    expect(udata).to.include({ url: "https://github.com/etalab/udata", catalogue_url: `${server.url}/repositories/github.com/etalab/udata` });
    expect(udata.publiccode).to.include({ publiccodeYmlVersion: "0", name: "udata", developmentStatus: "stable" });
    // The same document as the repository's detail record.
    const detail = (await (await get("/api/v1/repositories/github.com/etalab/udata")).json()) as { publiccode: { document: unknown } };
    expect(udata.publiccode).to.deep.equal(detail.publiccode.document);
    expect(found[0]!.publiccode).to.include({ name: "mon-entreprise", developmentStatus: "beta" });
  });

  it("selects with the search's text, filters and sort, like the other exports", async () => {
    const ids = async (query: string) => {
      const response = await get(`/api/v1/publiccode.jsonl?${query}`);
      expect(response.status, query).to.equal(200);
      return lines(await response.text()).map((line) => line.id);
    };
    expect(await ids("language=Python")).to.deep.equal(["github.com/etalab/udata"]);
    expect(await ids("owner=github.com/betagouv")).to.deep.equal(["github.com/betagouv/mon-entreprise"]);
    // By stars, udata (1250) before mon-entreprise (620): not the default order by name.
    expect(await ids("language=TypeScript&language=Python&sort=stars")).to.deep.equal(["github.com/etalab/udata", "github.com/betagouv/mon-entreprise"]);
    expect(await ids("q=udata")).to.deep.equal(["github.com/etalab/udata"]);
    // budget matches the filter but its file is invalid.
    expect(await ids("owner=github.com/ville-exemple")).to.deep.equal([]);
    expect(await ids("language=Shell")).to.deep.equal([]);
  });

  it("answers 304 to the current ETag, another ETag per selection, and refuses unknown parameters with a reason", async () => {
    const etag = (await get("/api/v1/publiccode.jsonl")).headers.get("etag")!;
    expect((await get("/api/v1/publiccode.jsonl", { "If-None-Match": etag })).status).to.equal(304);
    const filtered = (await get("/api/v1/publiccode.jsonl?language=Python")).headers.get("etag")!;
    expect(filtered).to.match(/^W\/"publiccode-/).and.not.equal(etag);
    const refused = await get("/api/v1/publiccode.jsonl?per_page=5");
    expect(refused.status).to.equal(400);
    expect(((await refused.json()) as { reason: string }).reason).to.equal("unknown_parameter");
    expect((await get("/api/v1/publiccode.jsonl?sort=popularity")).status).to.equal(400);
  });

  it("is documented in the OpenAPI document and listed at the API's root", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as { paths: Record<string, { get: { parameters: { $ref?: string; name?: string }[] } }> };
    expect(document.paths).to.include.keys("/publiccode.jsonl");
    const parameters = document.paths["/publiccode.jsonl"]!.get.parameters.map((parameter) => parameter.$ref ?? parameter.name);
    expect(parameters.join(" ")).to.contain("language").and.contain("sort");
    const root = (await (await get("/api/v1/")).json()) as { exports: string[] };
    expect(root.exports).to.include("/api/v1/publiccode.jsonl");
    const llms = await (await get("/llms.txt")).text();
    expect(llms).to.contain(`${server.url}/api/v1/publiccode.jsonl`);
  });

  it("links to PUBLIC_URL when configured, and is empty for a catalogue without valid files", async () => {
    const configured = await startWebServer(seed, { publicUrl: "https://code.example.fr" });
    const empty = await startWebServer((database) => seedCatalogue(database.db));
    try {
      const found = lines(await (await fetch(`${configured.url}/api/v1/publiccode.jsonl?language=Python`)).text());
      expect(found.map((line) => line.catalogue_url)).to.deep.equal(["https://code.example.fr/repositories/github.com/etalab/udata"]);
      const none = await fetch(`${empty.url}/api/v1/publiccode.jsonl`);
      expect(none.status).to.equal(200);
      expect(await none.text()).to.equal("");
    } finally {
      await configured.close();
      await empty.close();
    }
  });
});
