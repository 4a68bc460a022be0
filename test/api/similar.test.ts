// GET /api/v1/repositories/{id}/similar: the repository page's similar
// repositories, each with why, through real HTTP on a real store and index
// (the reasons stored at the build, issue 13), the same as the page and the
// MCP tool give them.
import path from "node:path";
import { expect } from "chai";
import { publicRepositoryFields } from "../../src/records/repository.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { fixtureNow, seedOwner } from "../helpers/catalogueFixture.ts";
import { seedMappingCatalogue } from "../helpers/mappingCatalogue.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { call, httpClient } from "../mcp/mcpClient.ts";
import { get } from "../web/http.ts";

interface SimilarItem {
  id: string;
  full_name: string;
  archived: boolean;
  shared_topics: string[];
  shared_words: string[];
}

describe("API: similar repositories", () => {
  let web: WebServer;
  const api = (pathname: string) => fetch(`${web.url}/api/v1${pathname}`);

  before(async () => {
    web = await startWebServer(
      (database) => {
        seedMappingCatalogue(database.db);
        // A repository whose own name is the suffix: its address stays its record.
        seedOwner(database.db, { host: "github.com", login: "homonyme", repositories: [{ name: "similar", description: "Un dépôt qui s'appelle similar", topics: ["outil"] }] });
      },
      { searchFor: (database) => openSearchEngine({ db: database.db, indexDir: path.join(database.dir, "index"), now: () => fixtureNow, buildIn: "process" }) },
    );
  });
  after(async () => {
    await web.close();
  });
  afterEach(() => expect(web.logged).to.deep.equal([]));

  it("lists the page's similar repositories, best first, each with the public record and why", async () => {
    const response = await api("/repositories/github.com/carto-ville/carte-interactive/similar");
    expect(response.status).to.equal(200);
    expect(response.headers.get("etag")).to.be.a("string");
    const answer = (await response.json()) as { repository: string; items: SimilarItem[] };
    expect(answer.repository).to.equal("github.com/carto-ville/carte-interactive");
    const ids = answer.items.map((item) => item.id);
    expect(ids).to.have.length.within(1, 6);
    expect(ids).not.to.include("github.com/carto-ville/carte-interactive");
    expect(answer.items.every((item) => !item.archived), "no archived one").to.equal(true);
    expect(ids[0]).to.equal("github.com/carto-ville/fonds-de-carte");
    for (const item of answer.items) expect(Object.keys(item), item.id).to.deep.equal([...publicRepositoryFields, "shared_topics", "shared_words"]);
    // As the OpenAPI description says.
    const document = (await (await api("/openapi.json")).json()) as { components: { schemas: Record<string, { required: string[]; properties: { items: { items: { required: string[] } } } }> } };
    const schema = document.components.schemas.SimilarRepositories!;
    expect(Object.keys(answer)).to.deep.equal(schema.required);
    expect(schema.properties.items.items.required).to.deep.equal([...publicRepositoryFields, "shared_topics", "shared_words"]);
    const fonds = answer.items[0]!;
    expect(fonds.shared_topics).to.deep.equal(["cartographie"]);
    expect(fonds.shared_words).to.include("carte");

    // The same list as the page, in the same order.
    const { html } = await get(web.url, "/repositories/github.com/carto-ville/carte-interactive", { "accept-language": "fr" });
    const section = html.slice(html.indexOf('id="similar"'));
    const onPage = [...section.matchAll(/<h3 class="cc-result__title fr-h6"><a href="[^"]*">([^<]*)<\/a><\/h3>/g)].map((match) => match[1]);
    expect(onPage).to.deep.equal(answer.items.map((item) => item.full_name));

    // And as the MCP tool, reasons included.
    const client = await httpClient(web.url);
    try {
      const result = await call(client, "find_similar_repositories", { id: "github.com/carto-ville/carte-interactive" });
      const items = (result.structuredContent as { items: SimilarItem[] }).items;
      expect(items.map(({ id, shared_topics, shared_words }) => ({ id, shared_topics, shared_words }))).to.deep.equal(answer.items.map(({ id, shared_topics, shared_words }) => ({ id, shared_topics, shared_words })));
    } finally {
      await client.close();
    }
  });

  it("answers 404 for an unknown repository and 400 for a parameter, with a reason", async () => {
    const missing = await api("/repositories/github.com/nobody/nothing/similar");
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { reason: string }).reason).to.equal("not_found");
    const parameter = await api("/repositories/github.com/carto-ville/carte-interactive/similar?limit=3");
    expect(parameter.status).to.equal(400);
    expect(((await parameter.json()) as { reason: string }).reason).to.equal("unknown_parameter");
  });

  it("keeps the record of a repository whose own name is similar", async () => {
    const response = await api("/repositories/github.com/homonyme/similar");
    expect(response.status).to.equal(200);
    const record = (await response.json()) as { id: string; readme?: unknown };
    expect(record.id).to.equal("github.com/homonyme/similar");
    expect(record).to.have.property("readme");
  });
});
