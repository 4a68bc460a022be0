import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parse } from "yaml";
import { declarationsFromPubliccode } from "../../src/reuse/declarations.ts";

const sharedExample = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/data/publiccode/spec-v0.7.0__docs_standard_example_publiccode.yml");

describe("reuse: publiccode.yml declarations", () => {
  it("reads usedBy, isBasedOn (string or list) and every dependsOn list", () => {
    const document = parse(`
publiccodeYmlVersion: "0.4"
isBasedOn:
  - https://github.com/italia/otello.git
  - 42
usedBy: [Comune di Firenze, Comune di Roma, {name: odd}]
dependsOn:
  open:
    - name: PostgreSQL
      version: "16"
    - version: "no name"
  proprietary:
    - name: Oracle
  hardware:
    - name: NFC Reader
  unknown:
    - name: ignored
`);
    expect(declarationsFromPubliccode(document)).to.deep.equal({
      usedBy: ["Comune di Firenze", "Comune di Roma"],
      isBasedOn: ["https://github.com/italia/otello.git"],
      dependsOn: ["PostgreSQL", "Oracle", "NFC Reader"],
    });
    expect(declarationsFromPubliccode({ isBasedOn: "https://gitlab.com/a/b" })).to.deep.equal({ usedBy: [], isBasedOn: ["https://gitlab.com/a/b"], dependsOn: [] });
  });

  it("gives null for a document that declares nothing, or is not a mapping", () => {
    for (const document of [null, "text", [1, 2], {}, { usedBy: "not a list" }, { dependsOn: ["x"] }]) {
      expect(declarationsFromPubliccode(document), JSON.stringify(document)).to.equal(null);
    }
  });

  it("reads the standard's own example (skipped without ../shared)", function () {
    if (!fs.existsSync(sharedExample)) this.skip();
    const declarations = declarationsFromPubliccode(parse(fs.readFileSync(sharedExample, "utf8")));
    expect(declarations?.usedBy).to.deep.equal(["Comune di Firenze", "Comune di Roma"]);
    expect(declarations?.isBasedOn).to.deep.equal(["https://github.com/italia/otello.git"]);
    expect(declarations?.dependsOn).to.include.members(["MySQL", "PostgreSQL"]);
  });
});
