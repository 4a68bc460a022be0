// The exports as a search page offers them (issue 14): the same q, filters and
// sort as the search, the public body as columns, a CSV a French spreadsheet
// opens (byte-order mark, ";" variant) and no cell that runs as a formula.
import { expect } from "chai";
import { parseCsv } from "../../scripts/lib/csv.ts";
import { csvField, csvHeader, csvRow } from "../../src/records/export.ts";
import { exportRecordFields } from "../../src/records/exportRecord.ts";
import { bodies } from "../fixtures/catalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";

interface SearchBody {
  total: number;
  items: { id: string }[];
}

/** Parses CSV with any one-character separator, by mapping it to a comma outside quotes. */
function parseWith(text: string, separator: string): string[][] {
  if (separator === ",") return parseCsv(text);
  let out = "";
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    out += !quoted && char === separator ? "," : !quoted && char === "," ? "\u0001" : char;
  }
  return parseCsv(out).map((row) => row.map((field) => field.replace(/\u0001/g, ",")));
}

describe("API: exports of a search", () => {
  const served = servedFixture();
  const get = (path: string) => fetch(`${served.app.url}${path}`);

  /** Every id the search API gives for a query string, all pages. */
  async function searchIds(queryString: string): Promise<string[]> {
    const body = (await (await get(`/api/v1/repositories?${queryString}&per_page=100`)).json()) as SearchBody;
    expect(body.total).to.be.lessThan(100);
    return body.items.map((item) => item.id);
  }

  it("export exactly the results of the same search, in the same order, JSON and CSV alike", async () => {
    for (const queryString of ["q=carte", "language=Python", "q=données&has_license=true&sort=stars", "owner=github.com/etalab&sort=name", `public_body=${bodies.primeMinister}`]) {
      const expected = await searchIds(queryString);
      expect(expected.length, queryString).to.be.greaterThan(0);
      const json = (await (await get(`/api/v1/repositories.json?${queryString}`)).json()) as { id: string }[];
      expect(json.map((record) => record.id), queryString).to.deep.equal(expected);
      const csv = parseCsv((await (await get(`/api/v1/repositories.csv?${queryString}&bom=false`)).text()));
      expect(csv.slice(1).map((row) => row[0]), queryString).to.deep.equal(expected);
    }
    // Without parameters: the whole catalogue, more than any one search.
    const all = (await (await get("/api/v1/repositories.json")).json()) as unknown[];
    expect(all.length).to.be.greaterThan((await searchIds("q=carte")).length);
  });

  it("give each repository its public body, by id and by name", async () => {
    const json = (await (await get("/api/v1/repositories.json?owner=github.com/etalab")).json()) as Record<string, unknown>[];
    expect(json[0]).to.include({ public_body: bodies.primeMinister });
    expect(json[0]!.public_body_name).to.be.a("string").and.not.equal("");
    const csv = parseCsv((await (await get("/api/v1/repositories.csv?owner=github.com/etalab&bom=false")).text()));
    const header = csv[0]!;
    expect(header.slice(-2)).to.deep.equal(["public_body", "public_body_name"]);
    expect(csv[1]![header.indexOf("public_body_name")]).to.equal(json[0]!.public_body_name);
    // An account without a known body: empty cells.
    const user = (await (await get("/api/v1/repositories.json?owner=github.com/codeursenliberte")).json()) as Record<string, unknown>[];
    expect(user.map((record) => [record.public_body, record.public_body_name])).to.deep.equal(user.map(() => [null, null]));
  });

  it("write a ;-separated CSV with a byte-order mark for French spreadsheets", async () => {
    const response = await get("/api/v1/repositories.csv?sep=semicolon&q=api");
    expect(response.status).to.equal(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\r\n")[0]).to.equal(exportRecordFields.join(";"));
    const rows = parseWith(text, ";");
    const geo = rows.find((row) => row[0] === "github.com/etalab/api-geo")!;
    // Commas inside a value need no quotes with ";", and read back whole.
    expect(geo[exportRecordFields.indexOf("description")]).to.equal("API de recherche géographique : communes, départements, régions et codes postaux");
    expect(geo[exportRecordFields.indexOf("topics")]).to.equal("api,geographie");
  });

  it("refuse a separator it does not know, and bom other than true or false", async () => {
    for (const path of ["/api/v1/repositories.csv?sep=tab", "/api/v1/repositories.csv?bom=yes", "/api/v1/repositories.json?sep=semicolon"]) {
      const response = await get(path);
      expect(response.status, path).to.equal(400);
      expect(((await response.json()) as { reason: string }).reason, path).to.match(/^(invalid|unknown)_parameter$/);
    }
  });

  it("change their validator with the parameters", async () => {
    const etags = new Set<string | null>();
    for (const path of ["/api/v1/repositories.csv", "/api/v1/repositories.csv?q=carte", "/api/v1/repositories.csv?q=carte&sep=semicolon", "/api/v1/repositories.csv?language=Python"]) {
      const response = await get(path);
      await response.arrayBuffer();
      etags.add(response.headers.get("etag"));
    }
    expect(etags.size).to.equal(4);
  });
});

describe("CSV cells", () => {
  it("never start with a formula character, whatever the separator", () => {
    for (const dangerous of ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]) {
      for (const separator of [",", ";"] as const) {
        const cell = csvField(dangerous, separator);
        const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
        expect(unquoted.startsWith("'"), JSON.stringify(dangerous)).to.equal(true);
      }
    }
    expect(csvField("a;b", ";")).to.equal('"a;b"');
    expect(csvField("a;b", ",")).to.equal("a;b");
    expect(csvField("normal text")).to.equal("normal text");
  });

  it("write a header and rows in the chosen dialect", () => {
    expect(csvHeader({ separator: ";", bom: true, fields: ["a", "b"] })).to.equal("\uFEFFa;b\r\n");
    expect(csvHeader({ fields: ["a", "b"] })).to.equal("a,b\r\n");
    expect(csvRow({ a: "=x", b: ["t1", "t2"] }, { separator: ";", fields: ["a", "b"] })).to.equal("'=x;\"t1,t2\"\r\n");
  });
});
