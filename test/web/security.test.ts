// What protects readers from harvested data: escaping, safe links, and a
// Content-Security-Policy that would stop a script even if escaping failed.
import { expect } from "chai";
import { safeHttpUrl } from "../../src/web/present.ts";
import { ownerPath, repositoryPath } from "../../src/web/urls.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { hostileLogin, hostileRepository, payloads, seedHostileCatalogue } from "../helpers/hostileFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, externalLinks, get, hrefs } from "./http.ts";

function tags(html: string): string[] {
  return [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((match) => match[0]);
}

/** Attribute names of a tag; values are double-quoted and escaped, so they hold no '"'. */
function attributeNames(tag: string): string[] {
  return [...tag.replace(/^<[a-zA-Z0-9-]+/, "").matchAll(/\s([^\s="'>\/]+)(?:="[^"]*")?/g)].map((match) => match[1]!.toLowerCase());
}

/** Our own links to outside sites: everything else external comes from forge data. */
const ownLinks = new Set(["https://www.etalab.gouv.fr/licence-ouverte-open-licence/"]);

const pagesOf = (paths: string[]) => paths.flatMap((path) => [path, `${path}${path.includes("?") ? "&" : "?"}lang=en`]);

describe("web security", function () {
  let web: WebServer;

  before(async () => {
    web = await startWebServer((database) => {
      seedCatalogue(database.db);
      seedHostileCatalogue(database.db);
    });
  });
  after(async () => {
    await web.close();
  });

  const hostilePages = pagesOf([
    "/",
    "/repositories",
    `/repositories?q=${encodeURIComponent("script")}`,
    `/repositories?topic=${encodeURIComponent(payloads.attribute)}&language=${encodeURIComponent(payloads.svg)}`,
    repositoryPath("github.com", `${hostileLogin}/${hostileRepository}`),
    repositoryPath("github.com", `${hostileLogin}/plain`),
    ownerPath("github.com", hostileLogin),
    "/public-bodies",
    "/statistics",
    "/status",
    "/status/runs/3",
  ]);

  it("serves every page with hostile data", async () => {
    for (const path of hostilePages) expect((await get(web.url, path)).status, path).to.equal(200);
    expect(web.logged).to.deep.equal([]);
  });

  it("shows harvested markup as text, never as markup", async () => {
    let shown = 0;
    for (const path of hostilePages) {
      const { html } = await get(web.url, path);
      // Escaped text holds no raw "<" or '"': every tag and attribute left on the page is ours.
      for (const raw of ["<script>window.__pwned", "<img src=x", "<svg/onload"]) expect(html, `${path} has ${raw}`).not.to.include(raw);
      const attributes = tags(html).flatMap(attributeNames);
      expect(attributes.filter((name) => name.startsWith("on") || name === "autofocus"), path).to.deep.equal([]);
      if (html.includes("&lt;script&gt;window.__pwned&#x3D;1;alert(1)&lt;/script&gt;")) shown++;
    }
    // The payloads did reach the pages, escaped: the test looked at the right thing.
    expect(shown).to.be.greaterThan(5);
  });

  it("links to forge data only over http(s), with rel nofollow noopener ugc", async () => {
    for (const path of hostilePages) {
      const { html } = await get(web.url, path);
      const schemes = hrefs(html).filter((href) => !href.startsWith("/") && !href.startsWith("#") && !/^https?:\/\//.test(href));
      expect(schemes, path).to.deep.equal([]);
      for (const link of externalLinks(html)) {
        const href = /href="([^"]*)"/.exec(link)![1]!;
        if (ownLinks.has(href)) continue;
        expect(link, path).to.include('rel="nofollow noopener ugc"');
      }
    }
  });

  it("shows an unsafe homepage as text and links a safe one", async () => {
    const { html } = await get(web.url, repositoryPath("github.com", `${hostileLogin}/${hostileRepository}`));
    const homepage = /<dd class="cc-break">([^<]*)<\/dd>/.exec(html);
    expect(decode(homepage?.[1] ?? "")).to.equal(payloads.mixedCaseUrl);
    const safe = await get(web.url, "/repositories/github.com/etalab/udata");
    expect(safe.html).to.include('<a class="fr-btn fr-btn--secondary fr-icon-external-link-line" href="https://udata.readthedocs.io/" rel="nofollow noopener ugc">');
  });

  it("keeps only absolute http(s) URLs", () => {
    expect(safeHttpUrl("https://example.org/a?b=1")).to.equal("https://example.org/a?b=1");
    expect(safeHttpUrl("http://example.org")).to.equal("http://example.org/");
    for (const unsafe of [payloads.javascriptUrl, payloads.mixedCaseUrl, payloads.dataUrl, "vbscript:x", "//evil.example/x", "/relative", "", null, undefined, "ftp://example.org/"]) {
      expect(safeHttpUrl(unsafe), String(unsafe)).to.equal(null);
    }
  });

  describe("headers", () => {
    it("sends a strict Content-Security-Policy: our origin only, no inline code", async () => {
      const { headers } = await get(web.url, "/");
      const policy = Object.fromEntries(
        (headers.get("content-security-policy") ?? "").split(";").map((directive) => {
          const [name = "", ...values] = directive.trim().split(/\s+/);
          return [name, values.join(" ")];
        }),
      );
      expect(policy).to.deep.equal({
        "default-src": "'none'",
        "script-src": "'self'",
        "script-src-attr": "'none'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
      });
      expect(headers.get("x-content-type-options")).to.equal("nosniff");
      expect(headers.get("referrer-policy")).to.equal("no-referrer");
      expect(headers.get("x-powered-by")).to.equal(null);
    });

    it("has pages with no inline script, no inline style and no event handler attribute, which the policy would block", async () => {
      for (const path of pagesOf(["/", "/repositories?q=outil&language=Python", "/repositories/github.com/etalab/udata", "/owners/github.com/etalab", "/public-bodies", "/statistics", "/status", "/status/runs/2", "/about", "/nowhere"])) {
        const { html } = await get(web.url, path);
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
        // The DSFR's two scripts, and our own on the search page (issue 14).
        expect(scripts.length, path).to.equal(path.startsWith("/repositories?") ? 3 : 2);
        for (const tag of scripts) expect(tag, path).to.match(/\ssrc="(\/static\/dsfr\/[\d.]+\/dsfr\.(module|nomodule)\.min\.js|\/static\/search\.js\?v(=|&#x3D;)[0-9a-f]+)"/);
        expect(html, path).not.to.match(/\sstyle="/);
        expect(html, path).not.to.match(/<[^>]+\son[a-z]+="/);
      }
    });
  });
});
