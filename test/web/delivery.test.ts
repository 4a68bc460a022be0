// How pages and assets travel: validators on pages, compression, and static
// files cached for a year under versioned URLs.
import { expect } from "chai";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get } from "./http.ts";

describe("web delivery", function () {
  let web: WebServer;

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db));
  });
  after(async () => {
    await web.close();
  });

  it("gives pages an ETag and answers 304 when the page did not change", async () => {
    for (const path of ["/", "/repositories?q=outil", "/repositories/github.com/etalab/udata", "/statistics"]) {
      const first = await get(web.url, path);
      const etag = first.headers.get("etag");
      expect(etag, path).to.match(/^W\/".+"$/);
      expect(first.headers.get("cache-control"), path).to.equal("no-cache");
      // fetch() adds "Cache-Control: no-cache" to a conditional request unless one is given, and that forbids a 304.
      const again = await get(web.url, path, { "if-none-match": etag!, "cache-control": "max-age=0" });
      expect(again.status, path).to.equal(304);
      expect(again.html).to.equal("");
    }
  });

  it("gives each language of a page its own ETag", async () => {
    const fr = await get(web.url, "/about?lang=fr");
    const en = await get(web.url, "/about?lang=en");
    expect(fr.headers.get("etag")).not.to.equal(en.headers.get("etag"));
    expect((await get(web.url, "/about?lang=en", { "if-none-match": fr.headers.get("etag")!, "cache-control": "max-age=0" })).status).to.equal(200);
  });

  it("compresses pages for clients that accept it", async () => {
    const response = await fetch(`${web.url}/repositories`, { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).to.equal("gzip");
    expect(await response.text()).to.include("</html>");
  });

  // Issue 13: compression() no longer wraps the pages that gzip themselves; what they leave to it is still compressed.
  it("compresses error pages, the harvest status, assets, feeds and llms.txt too", async () => {
    const { html } = await get(web.url, "/");
    const assets = [...html.matchAll(/<link\b[^>]*\bhref="(\/static\/[^"]+)"/g)].map((match) => decode(match[1]!));
    const stylesheet = assets.find((asset) => asset.startsWith("/static/app.css?v="));
    const dsfr = assets.find((asset) => asset.endsWith("/dsfr.min.css"));
    expect(stylesheet).to.be.a("string");
    expect(dsfr).to.be.a("string");
    const paths = ["/repositories/github.com/no/such-repository", "/no-such-page", "/status", stylesheet!, dsfr!, "/feeds/new.atom", "/llms.txt"];
    for (const path of paths) {
      const response = await fetch(`${web.url}${path}`, { headers: { "accept-encoding": "gzip" } });
      const body = await response.text();
      expect(body.length, path).to.be.greaterThan(1024);
      expect(response.headers.get("content-encoding"), path).to.equal("gzip");
    }
    // Without gzip, the same error page, plain.
    const plain = await fetch(`${web.url}/no-such-page`, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).to.equal(404);
    expect(plain.headers.get("content-encoding")).to.equal(null);
    expect(plain.headers.get("etag")).to.equal(null);
    expect(await plain.text()).to.include("</html>");
  });

  it("serves every stylesheet, script and icon the layout links, cached for a year", async () => {
    const { html } = await get(web.url, "/");
    const assets = [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => decode(match[1]!));
    expect(assets.some((asset) => /^\/static\/dsfr\/\d+\.\d+\.\d+\/dsfr\.min\.css$/.test(asset))).to.equal(true);
    expect(assets.some((asset) => /^\/static\/app\.css\?v=[0-9a-f]{12}$/.test(asset))).to.equal(true);
    for (const asset of assets) {
      const response = await fetch(`${web.url}${asset}`);
      expect(response.status, asset).to.equal(200);
      expect(response.headers.get("cache-control"), asset).to.equal("public, max-age=31536000, immutable");
      await response.arrayBuffer();
    }
  });

  it("serves the DSFR fonts and icons its stylesheet asks for", async () => {
    const { html } = await get(web.url, "/");
    const base = /href="(\/static\/dsfr\/[\d.]+)\/dsfr\.min\.css"/.exec(html)![1]!;
    const css = await (await fetch(`${web.url}${base}/dsfr.min.css`)).text();
    const urls = [...new Set([...css.matchAll(/url\(([^)"']+\.(?:woff2|svg))\)/g)].map((match) => match[1]!))].slice(0, 20);
    expect(urls.length).to.be.greaterThan(5);
    for (const url of urls) expect((await fetch(`${web.url}${base}/${url}`)).status, url).to.equal(200);
  });
});
