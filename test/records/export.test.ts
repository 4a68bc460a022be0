import { PassThrough } from "node:stream";
import { expect } from "chai";
import { csvField, writeExport } from "../../src/records/export.ts";
import { publicRepositoryFields, type PublicRepository } from "../../src/records/repository.ts";

const record: PublicRepository = {
  id: "github.com/etalab/udata",
  forge: "github",
  host: "github.com",
  owner: "etalab",
  name: "udata",
  full_name: "etalab/udata",
  url: "https://github.com/etalab/udata",
  description: 'Plateforme "open data", customisable\nsur deux lignes',
  homepage: null,
  language: "Python",
  license: "AGPL-3.0",
  topics: ["open-data", "python"],
  stars: 1200,
  forks: 90,
  open_issues: 12,
  archived: false,
  fork: false,
  template: false,
  default_branch: "main",
  created_at: "2013-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  pushed_at: "2026-01-01T00:00:00.000Z",
  first_seen_at: "2026-11-01T00:00:00.000Z",
  last_seen_at: "2026-11-22T00:00:00.000Z",
  has_publiccode: true,
  publiccode_valid: false,
  reuse_score: null,
  reused_by_count: null,
};

async function exportText(records: PublicRepository[], format: "json" | "csv"): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await writeExport(records, format, out);
  out.end();
  return Buffer.concat(chunks).toString("utf8");
}

describe("exports", () => {
  it("write JSON as one array of public records", async () => {
    expect(JSON.parse(await exportText([record, { ...record, id: "x" }], "json"))).to.deep.equal([record, { ...record, id: "x" }]);
    expect(JSON.parse(await exportText([], "json"))).to.deep.equal([]);
  });

  it("write CSV with a header row, quoted fields and topics joined by commas", async () => {
    const text = await exportText([record], "csv");
    const [header, ...rest] = text.split("\r\n");
    expect(header).to.equal(publicRepositoryFields.join(","));
    expect(rest.join("\r\n")).to.include('"Plateforme ""open data"", customisable\nsur deux lignes"');
    expect(text).to.include(',"open-data,python",1200,90,12,false,false,false,main,');
  });

  it("keep spreadsheet formulas from running", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).to.equal("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvField("@SUM(A1)")).to.equal("'@SUM(A1)");
    expect(csvField(null)).to.equal("");
  });
});
