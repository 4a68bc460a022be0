// The API reference at /api in both languages (issue 14).
import { expect } from "chai";
import { apiDocsView, localizeDoc, type DocText } from "../../src/web/api/docs.ts";
import { apiDocsFrench } from "../../src/web/api/docsFr.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, textOf } from "./http.ts";

/** Every text of a view of the reference. */
function texts(view: ReturnType<typeof apiDocsView>): DocText[] {
  const out: DocText[] = [];
  const blocks = (items: { paragraph?: DocText; list?: DocText[] }[]) => items.forEach((block) => out.push(...(block.paragraph ? [block.paragraph] : []), ...(block.list ?? [])));
  blocks(view.intro);
  for (const endpoint of view.endpoints) {
    out.push(endpoint.summary, ...endpoint.parameters.map((p) => p.description), ...endpoint.responses.map((r) => r.description));
    blocks(endpoint.description);
  }
  for (const schema of view.schemas) out.push(...schema.fields.map((field) => field.description));
  return out.filter((text) => text.text !== "");
}

describe("API reference page", () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db));
  });
  after(async () => {
    await web.close();
  });

  it("has a French translation for every text of the OpenAPI description", () => {
    const missing = texts(apiDocsView(undefined, "fr")).filter((text) => text.lang === "en").map((text) => text.text);
    expect(missing, "add these to src/web/api/docsFr.ts").to.deep.equal([]);
  });

  it("keeps no translation of a text the description no longer has", () => {
    const english = new Set(texts(apiDocsView(undefined, "en")).map((text) => text.text));
    const stale = Object.keys(apiDocsFrench).filter((key) => !english.has(key));
    expect(stale, "remove these from src/web/api/docsFr.ts, or translate the new English text").to.deep.equal([]);
  });

  it("reads in French or English, and marks an untranslated text as English", async () => {
    const fr = decode((await get(web.url, "/api", { "accept-language": "fr" })).html);
    expect(textOf(fr, "h1")).to.equal("Référence de l’API");
    expect(fr).to.include("pertinence = texte × exact × réutilisation").and.to.include("une facette ignore son propre filtre");
    expect(fr).to.include("Paramètres de /api/v1/repositories");
    expect(fr).not.to.match(/<(p|li|span|strong|td) lang="en"/);
    const en = decode((await get(web.url, "/api?lang=en")).html);
    expect(textOf(en, "h1")).to.equal("API reference");
    expect(en).to.include("relevance = text × exact × reuse");
    expect(localizeDoc("A sentence nobody translated", "fr")).to.deep.equal({ text: "A sentence nobody translated", lang: "en" });
  });
});
