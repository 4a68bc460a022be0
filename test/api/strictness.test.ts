// API strictness (issue 14): a parameter a route does not read is a 400 naming
// it and listing the accepted ones; an owner given as a login alone is
// completed or refused with the hosts that have it; a query without one
// searchable word says so; errors raised before the routes keep the shapes.
import net from "node:net";
import { expect } from "chai";
import { filterParameters, searchParameters } from "../../src/search/parseQuery.ts";
import { exportParameters, ownersParameters } from "../../src/web/api/routes.ts";
import { loadFixtureCatalogue } from "../helpers/fixtureCatalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";

interface ErrorBody {
  error: string;
  reason: string;
  parameters?: string[];
  accepted?: string[];
  suggestion?: string;
  hosts?: string[];
}

/** One raw HTTP/1.1 exchange: what Node's parser refuses never reaches fetch's happy path. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

describe("API: strictness", () => {
  const served = servedFixture();
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${served.app.url}${path}`, { headers });
    return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as ErrorBody & Record<string, unknown> };
  };

  it("refuses a misspelt filter, naming it, suggesting the right one and listing the accepted ones", async () => {
    const { status, body } = await get("/api/v1/repositories?langage=Python");
    expect(status).to.equal(400);
    expect(body.reason).to.equal("unknown_parameter");
    expect(body.error).to.include('"langage"').and.to.include('did you mean "language"');
    expect(body.parameters).to.deep.equal(["langage"]);
    expect(body.suggestion).to.equal("language");
    expect(body.accepted).to.deep.equal([...searchParameters]);
    // The accepted list is the parser's own: every filter of the parser is in it.
    expect(body.accepted).to.include.members([...filterParameters, "q", "sort", "page", "per_page"]);
  });

  it("refuses unknown parameters on every route, with that route's accepted list", async () => {
    const cases: [string, string[]][] = [
      ["/api/v1/repositories?foo=1", [...searchParameters]],
      ["/api/v1/repositories.json?page=2", [...exportParameters.json]],
      ["/api/v1/repositories.csv?per_page=5", [...exportParameters.csv]],
      ["/api/v1/owners?q=etalab", [...ownersParameters]],
      ["/api/v1/owners/github.com/etalab?lang=en", []],
      ["/api/v1/repositories/github.com/etalab/udata?x=1", []],
      ["/api/v1/stats?fields=all", []],
      ["/api/v1/openapi.json?v=2", []],
      ["/api/v1/?debug=1", []],
    ];
    for (const [path, accepted] of cases) {
      const { status, body, type } = await get(path);
      expect(status, path).to.equal(400);
      expect(type, path).to.match(/^application\/json/);
      expect(body.reason, path).to.equal("unknown_parameter");
      expect(body.accepted, path).to.deep.equal(accepted);
    }
    // And the same routes answer when the parameters are right.
    for (const path of ["/api/v1/repositories?language=Python&sort=stars", "/api/v1/owners?sort=name&per_page=5", "/api/v1/stats", "/api/v1/repositories.csv?sep=semicolon&bom=false&q=udata"]) {
      expect((await fetch(`${served.app.url}${path}`)).status, path).to.equal(200);
    }
  });

  it("accepts an owner given as a login alone when one host has it", async () => {
    const withHost = await get("/api/v1/repositories?owner=github.com/etalab&per_page=100");
    const alone = await get("/api/v1/repositories?owner=etalab&per_page=100");
    expect(alone.status).to.equal(200);
    expect(alone.body.total).to.be.greaterThan(0);
    expect(alone.body.items).to.deep.equal(withHost.body.items);
    // Case-insensitive, as forges are.
    expect((await get("/api/v1/repositories?owner=ETALAB")).body.total).to.equal(withHost.body.total);
  });

  it("refuses a login that no host has, saying how to write an owner", async () => {
    const { status, body } = await get("/api/v1/repositories?owner=nobody-here");
    expect(status).to.equal(400);
    expect(body.reason).to.equal("unknown_owner");
    expect(body.error).to.include("<host>/<login>");
  });

  it("says nothing could be searched for when the text has no searchable word, and finds nothing", async () => {
    for (const q of ["🚀", "🚀 日本", "🎉🎉", "le la les"]) {
      const { status, body } = await get(`/api/v1/repositories?q=${encodeURIComponent(q)}`);
      expect(status, q).to.equal(200);
      expect([body.total, (body.items as unknown[]).length, body.unsearchable_query], q).to.deep.equal([0, 0, true]);
    }
    const found = await get("/api/v1/repositories?q=udata");
    expect([found.body.unsearchable_query, (found.body.total as number) > 0]).to.deep.equal([false, true]);
    // The export agrees with the search: nothing.
    const exported = (await (await fetch(`${served.app.url}/api/v1/repositories.json?q=${encodeURIComponent("🚀")}`)).json()) as unknown[];
    expect(exported).to.deep.equal([]);
  });

  it("answers an over-long address with HTTP 431 in the API's JSON error shape", async () => {
    const port = Number(new URL(served.app.url).port);
    const response = await rawRequest(port, `GET /api/v1/repositories?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const [head, body] = response.split("\r\n\r\n");
    expect(head).to.match(/^HTTP\/1\.1 431 /);
    expect(head).to.match(/content-type: application\/json/i);
    expect(JSON.parse(body!)).to.deep.equal({ error: "the address or the headers of the request are too long", reason: "headers_too_large" });
  });

  it("answers an over-long address on the website with a page in the reader's language", async () => {
    const port = Number(new URL(served.app.url).port);
    for (const [language, title] of [["fr-FR,fr;q=0.9", "Adresse trop longue"], ["en-GB,en;q=0.8", "Address too long"]] as const) {
      const response = await rawRequest(port, `GET /repositories HTTP/1.1\r\nHost: x\r\nAccept-Language: ${language}\r\nX-Padding: ${"b".repeat(20_000)}\r\n\r\n`);
      const [head, body] = response.split("\r\n\r\n");
      expect(head).to.match(/^HTTP\/1\.1 431 /);
      expect(head).to.match(/content-type: text\/html/i);
      expect(body).to.include(`<h1>${title}</h1>`);
    }
  });

  it("answers a malformed address on the API in JSON and on the website as a page", async () => {
    const api = await fetch(`${served.app.url}/api/v1/repositories/%E0%A4%A`);
    expect(api.status).to.be.within(400, 499);
    expect(api.headers.get("content-type")).to.match(/^application\/json/);
    expect(((await api.json()) as ErrorBody).reason).to.be.a("string");
    const page = await fetch(`${served.app.url}/repositories/%E0%A4%A`, { headers: { "Accept-Language": "en" } });
    expect(page.status).to.be.within(400, 499);
    const html = await page.text();
    expect(html).to.include('<html lang="en"');
    // The page is in one language: no English message of the API inside a French sentence, and the reverse.
    const french = await (await fetch(`${served.app.url}/repositories?sort=bogus`, { headers: { "Accept-Language": "fr" } })).text();
    expect(french).to.include("Requête invalide").and.to.include("Le paramètre «\u00a0sort\u00a0» doit valoir l’une de ces valeurs").and.not.to.include("must be one of");
    const english = await (await fetch(`${served.app.url}/repositories?sort=bogus`, { headers: { "Accept-Language": "en" } })).text();
    expect(english).to.include("Invalid request").and.to.include("The parameter “sort” must be one of").and.not.to.include("doit");
  });

  it("refuses a login that several hosts have, listing them", async () => {
    // Last: it adds a namespace "etalab" on gitlab.com to the shared fixture.
    loadFixtureCatalogue(served.fixture.db, [{ host: "gitlab.com", login: "etalab", kind: "group", name: "Etalab sur GitLab" }], [{ host: "gitlab.com", owner: "etalab", name: "miroir", description: "Miroir", language: null, license: null }]);
    const { status, body } = await get("/api/v1/repositories?owner=etalab");
    expect(status).to.equal(400);
    expect(body.reason).to.equal("ambiguous_owner");
    expect(body.hosts).to.deep.equal(["github.com", "gitlab.com"]);
    expect(body.error).to.include("github.com, gitlab.com");
  });
});
