// npm run publiccode -- validate, as a publisher's CI runs it: a child process,
// files in a temporary folder, exit codes and outputs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/bin/publiccode.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const fixture = fs.readFileSync(path.join(import.meta.dirname, "..", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");

describe("publiccode command line", function () {
  this.timeout(60_000);
  let dir: string;
  let valid: string;
  let invalid: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-publiccode-"));
    // A repository: the publiccode.yml and the logo and screenshot it names.
    fs.mkdirSync(path.join(dir, "good", "docs"), { recursive: true });
    fs.writeFileSync(path.join(dir, "good", "docs", "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    fs.writeFileSync(path.join(dir, "good", "docs", "capture.png"), "capture");
    valid = path.join(dir, "good", "publiccode.yml");
    fs.writeFileSync(valid, fixture);
    fs.mkdirSync(path.join(dir, "bad"));
    invalid = path.join(dir, "bad", "publiccode.yml");
    fs.writeFileSync(invalid, fixture.replace("developmentStatus: stable", "developmentStatus: finished"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and says valid when every file is valid", async () => {
    const outcome = await run(["validate", valid]);
    expect(outcome.code, outcome.stderr).to.equal(0);
    expect(outcome.stdout).to.equal(`${valid}: valid\n`);
  });

  it("exits 1 and prints each error with its line, column and key, the logo checked beside the file", async () => {
    const outcome = await run(["validate", valid, invalid]);
    expect(outcome.code, outcome.stderr).to.equal(1);
    const lines = outcome.stdout.split("\n");
    expect(lines[0]).to.equal(`${valid}: valid`);
    expect(lines[1]).to.equal(`${invalid}: invalid (3 errors)`);
    expect(lines[2]).to.equal(`  ${invalid}:9:1: error: logo: no such file: docs/logo.svg`);
    expect(lines[3]).to.match(new RegExp(`^  ${invalid.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:18:1: error: developmentStatus: developmentStatus must be one of the following`));
    expect(lines[4]).to.contain(":47:9: error: description.fr.screenshots[0]: 'docs/capture.png' is not an image: no such file");
  });

  it("--json prints one object a file with its errors and warnings", async () => {
    const old = path.join(dir, "old.yml");
    fs.writeFileSync(old, fixture.replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.4"').replace("logo: docs/logo.svg\n", "").replace("      - docs/capture.png", "      - https://example.fr/capture.png"));
    const outcome = await run(["validate", "--json", old, invalid]);
    expect(outcome.code, outcome.stderr).to.equal(1);
    const results = JSON.parse(outcome.stdout) as Array<{ file: string; valid: boolean; errors: Array<{ key: string; line: number; column: number; message: string }>; warnings: Array<{ key: string }> }>;
    expect(results.map((result) => [result.file, result.valid])).to.deep.equal([[old, true], [invalid, false]]);
    expect(results[0]!.errors).to.deep.equal([]);
    expect(results[0]!.warnings.map((warning) => warning.key)).to.deep.equal(["publiccodeYmlVersion"]);
    expect(results[1]!.errors.find((error) => error.key === "developmentStatus")).to.include({ line: 18, column: 1 });
  });

  it("exits 2 on a usage error, and names a file it cannot read", async () => {
    for (const args of [[], ["check", valid], ["validate"], ["validate", "--strict", valid]]) {
      const outcome = await run(args);
      expect(outcome.code, args.join(" ")).to.equal(2);
      expect(outcome.stderr).to.contain("usage: npm run publiccode -- validate [--json] FILE...");
    }
    const missing = path.join(dir, "absent.yml");
    const outcome = await run(["validate", valid, missing]);
    expect(outcome.code).to.equal(2);
    expect(outcome.stderr).to.equal(`${missing}: cannot be read: no such file\n`);
    expect(outcome.stdout).to.equal(`${valid}: valid\n`);
  });

  it("refuses a file over 1 MB without reading it whole", async () => {
    const large = path.join(dir, "large.yml");
    fs.writeFileSync(large, `${fixture}#${"x".repeat(2 * 1024 * 1024)}\n`);
    const outcome = await run(["validate", large]);
    expect(outcome.code).to.equal(1);
    expect(outcome.stdout).to.contain("error: the file is larger than 1 MB");
  });
});
