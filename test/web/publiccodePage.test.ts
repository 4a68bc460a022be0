// The /publiccode page over real HTTP: the form, results next to the lines,
// the text kept, escaping, and the same-origin guard of the POST.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, hrefs, textOf } from "./http.ts";

const fixture = fs.readFileSync(path.join(import.meta.dirname, "..", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");

describe("publiccode.yml validation page", function () {
  let web: WebServer;

  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db));
  });
  after(async () => {
    await web.close();
  });

  const submit = (yaml: string, headers: Record<string, string> = {}, lang = "fr") =>
    fetch(`${web.url}/publiccode?lang=${lang}`, {
      method: "POST",
      body: new URLSearchParams({ yaml }),
      headers: { Origin: web.url, "Sec-Fetch-Site": "same-origin", ...headers },
      redirect: "manual",
    }).then(async (response) => ({ status: response.status, headers: response.headers, html: await response.text() }));

  it("shows the form in both languages, linked from the about page", async () => {
    for (const [lang, h1, button] of [["fr", "Valider un publiccode.yml", "Valider"], ["en", "Validate a publiccode.yml", "Validate"]] as const) {
      const page = await get(web.url, `/publiccode?lang=${lang}`);
      expect(page.status).to.equal(200);
      expect(textOf(page.html, "h1")).to.equal(h1);
      expect(page.html).to.match(/<form action="\/publiccode" method="post"/);
      expect(page.html).to.match(/<textarea[^>]*name="yaml"/);
      expect(page.html).to.include(`type="submit">${button}</button>`);
      const about = await get(web.url, `/about?lang=${lang}`);
      expect(hrefs(about.html)).to.include("/publiccode");
    }
  });

  it("lists each error with a link to its line, shows it under that line, and keeps the pasted text", async () => {
    const broken = fixture.replace("license: EUPL-1.2 OR AGPL-3.0-or-later", "license: Licence Ouverte").replace("    - FR", "    - fr");
    const page = await submit(broken);
    expect(page.status).to.equal(200);
    expect(page.headers.get("cache-control")).to.equal("no-store");
    expect(textOf(page.html, "h2")).to.equal("Fichier invalide");
    expect(page.html).to.include("1 erreur à corriger. 1 avertissement.");
    expect(page.html).to.include('<a href="#line-61">ligne 61, colonne 3</a>');
    // The line itself carries the error, below its text.
    const line61 = /<li class="cc-source__line cc-source__line--error" id="line-61" value="61">([\s\S]*?)<\/li>/.exec(page.html);
    expect(line61, "line 61 marked as an error").to.not.equal(null);
    expect(decode(line61![1]!)).to.include("license: Licence Ouverte").and.include("<code>legal.license</code>").and.include("license must be a valid license");
    expect(page.html).to.match(/id="line-30" value="30"/);
    expect(page.html).to.match(/cc-source__line--warning" id="line-30"/);
    // Every line is listed, and the textarea holds the text as it was pasted.
    expect(page.html.match(/<li class="cc-source__line/g)).to.have.length(97);
    const textarea = /<textarea[^>]*>\n([\s\S]*?)<\/textarea>/.exec(page.html);
    expect(decode(textarea![1]!)).to.equal(broken);
  });

  it("says so when the file is valid, in English too", async () => {
    const page = await submit(fixture, {}, "en");
    expect(page.status).to.equal(200);
    expect(textOf(page.html, "h2")).to.equal("Valid file");
    expect(page.html).to.include("This publiccode.yml (version “0”) follows the standard.");
  });

  it("escapes whatever is pasted", async () => {
    const hostile = `publiccodeYmlVersion: "0"\nname: "<script>alert(1)</script>"\n<img src=x onerror=alert(2)>: 1\n`;
    const page = await submit(hostile);
    expect(page.status).to.equal(200);
    expect(page.html).not.to.include("<script>alert(1)");
    expect(page.html).not.to.include("<img src=x");
    expect(page.html).to.include("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("points an issue about the whole file at no line", async () => {
    const page = await submit("name: [unclosed\n  - x: y: z\n");
    expect(page.status).to.equal(200);
    expect(textOf(page.html, "h2")).to.equal("Fichier invalide");
    const two = await submit("a: 1\n---\nb: 2\n");
    expect(two.html).to.include("fichier entier").and.include("multiple YAML documents in one file are not supported");
  });

  it("asks for a text when nothing is pasted", async () => {
    const page = await submit("   ");
    expect(page.status).to.equal(400);
    expect(page.html).to.include("Collez le contenu d’un fichier publiccode.yml avant de valider.");
  });

  it("refuses a submission from another site, by Sec-Fetch-Site or by Origin", async () => {
    for (const headers of [{ "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { "Sec-Fetch-Site": "", Origin: "https://evil.example" }]) {
      const response = await fetch(`${web.url}/publiccode`, {
        method: "POST",
        body: new URLSearchParams({ yaml: fixture }),
        headers: Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== "")),
      });
      expect(response.status, JSON.stringify(headers)).to.equal(403);
      expect(await response.text()).to.include("cross_site_request");
    }
    // A client that says nothing of where it comes from (curl) is served.
    const plain = await fetch(`${web.url}/publiccode`, { method: "POST", body: new URLSearchParams({ yaml: fixture }) });
    expect(plain.status).to.equal(200);
    expect(web.logged).to.deep.equal([]);
  });
});
