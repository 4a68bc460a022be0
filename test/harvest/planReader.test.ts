// The plan the status page counts (issues 8 and 11): the sources file's
// accounts and the approved declarations, re-read when either changes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { harvestPlanReader } from "../../src/harvest/harvestJob.ts";
import type { ForgeSource } from "../../src/sources/sources.ts";

describe("harvest plan of the status page", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-plan-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("counts the approved declarations with the file's accounts, the file winning, and follows new declarations", () => {
    const file = path.join(dir, "sources.yml");
    fs.writeFileSync(file, "github.com:\n  forge: github\n  owners:\n    etalab:\n");
    let declared: ForgeSource[] = [{ host: "github.com", type: "github", owners: [{ login: "etalab", line: 0 }], line: 0 }];
    const plan = harvestPlanReader(file, defaultRegistry(), () => new Date("2026-11-30T00:00:00Z"), () => declared);
    const logins = () => plan()!.accounts.map((account) => `${account.forge.host}/${account.login}`).sort();
    // The same account declared and in the file is counted once.
    expect(logins()).to.deep.equal(["github.com/etalab"]);
    declared = [...declared, { host: "gitlab.example.fr", type: "gitlab", owners: [{ login: "ville", line: 0 }], line: 0 }];
    expect(logins()).to.deep.equal(["github.com/etalab", "gitlab.example.fr/ville"]);
  });

  it("is null while the sources file cannot be read", () => {
    expect(harvestPlanReader(path.join(dir, "missing.yml"), defaultRegistry())()).to.equal(null);
  });
});
