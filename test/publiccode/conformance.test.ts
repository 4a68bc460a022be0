// Opt-in: agreement with the reference validator on its own test files, and
// the real publiccode.yml examples, both from ../shared (skipped when absent).
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { validatePubliccode } from "../../src/publiccode/validate.ts";
import { conformanceDir, runConformance } from "./conformance.ts";

const examplesDir = path.resolve(conformanceDir, "..");

describe("publiccode.yml validation against the reference (../shared)", function () {
  it("agrees on at least 95 % of verdicts and reports the reference's keys for at least 80 % of invalid files", function () {
    if (!fs.existsSync(path.join(conformanceDir, "expected.json"))) this.skip();
    const figures = runConformance();
    const verdicts = figures.verdictAgreement / figures.cases;
    const keys = figures.invalidWithKeys / figures.invalidCases;
    console.log(
      `      conformance: verdicts ${figures.verdictAgreement}/${figures.cases} (${(verdicts * 100).toFixed(1)} %), ` +
        `reference keys reported for ${figures.invalidWithKeys}/${figures.invalidCases} invalid files (${(keys * 100).toFixed(1)} %)`,
    );
    for (const outcome of figures.outcomes.filter((o) => o.valid !== o.expectedValid || o.missingKeys.length > 0))
      console.log(`        differs: ${outcome.path} (expected ${outcome.expectedValid ? "valid" : "invalid"}, missing ${outcome.missingKeys.join(", ")})`);
    const textOnly = runConformance(false);
    console.log(`      from the text alone (no file beside it, as the API): verdicts ${textOnly.verdictAgreement}/${textOnly.cases}`);
    expect(figures.cases).to.be.greaterThan(300);
    expect(textOnly.verdictAgreement / textOnly.cases).to.be.at.least(0.95);
    expect(verdicts).to.be.at.least(0.95);
    expect(keys).to.be.at.least(0.8);
  });

  it("accepts the six real publiccode.yml examples", function () {
    const examples = fs.existsSync(examplesDir) ? fs.readdirSync(examplesDir).filter((name) => name.startsWith("example__")) : [];
    if (examples.length === 0) this.skip();
    expect(examples).to.have.length(6);
    for (const name of examples) {
      const result = validatePubliccode(fs.readFileSync(path.join(examplesDir, name), "utf8"));
      expect(result.errors, name).to.deep.equal([]);
      expect(result.valid, name).to.equal(true);
      expect(result.version, name).to.be.a("string");
    }
  });
});
