import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { maxSourcesBytes, parseSources, planHarvest, readSources, SourcesError } from "../../src/sources/sources.ts";

function parseError(text: string): SourcesError {
  try {
    parseSources(text, "sources.yml");
  } catch (error) {
    expect(error).to.be.instanceOf(SourcesError);
    return error as SourcesError;
  }
  throw new Error("expected a SourcesError");
}

describe("sources file", () => {
  it("reads forges, owners, their metadata and the api key", () => {
    const sources = parseSources(
      [
        "github.com:",
        "  forge: github",
        "  api: http://127.0.0.1:4000/",
        "  owners:",
        "    etalab:",
        "      pso_id: 1234",
        "      floss_policy: https://code.gouv.fr/politique",
        "    betagouv:",
        "gitlab.example.fr:",
        "  forge: gitlab",
        "  pso_id: abcd",
        "  ospo_url: https://ospo.example.fr",
      ].join("\n"),
    );
    expect(sources).to.have.length(2);
    const [github, gitlab] = sources;
    expect(github).to.include({ host: "github.com", type: "github", api: "http://127.0.0.1:4000", line: 1 });
    expect(github?.owners).to.deep.equal([
      { login: "etalab", line: 5, psoId: "1234", flossPolicy: "https://code.gouv.fr/politique" },
      { login: "betagouv", line: 8 },
    ]);
    expect(gitlab).to.include({ host: "gitlab.example.fr", type: "gitlab", psoId: "abcd", ospoUrl: "https://ospo.example.fr" });
    expect(gitlab?.owners).to.equal(null);
  });

  it("plans owners, whole instances, and skips ignored and unsupported accounts with their reason", () => {
    const sources = parseSources(
      [
        "github.com:",
        "  forge: github",
        "  pso_id: forge-level",
        "  owners:",
        "    kept:",
        "    old:",
        "      ignored_since: 2020-01-01",
        "    future:",
        "      ignored_since: 2999-01-01",
        "      pso_id: own",
        "gitlab.example.fr:",
        "  forge: gitlab",
        "gitea.example.fr:",
        "  forge: gitea",
        "  owners:",
        "    someone:",
        "gone.example.fr:",
        "  forge: gitlab",
        "  ignored_since: 2024-08-09",
      ].join("\n"),
    );
    const plan = planHarvest(sources, new Set(["github", "gitlab"]), "2026-11-22");
    expect(plan.accounts.map((a) => [a.forge.host, a.login, a.psoId])).to.deep.equal([
      ["github.com", "kept", "forge-level"],
      ["github.com", "future", "own"],
      ["gitlab.example.fr", "", undefined],
    ]);
    expect(plan.skipped.map((s) => [s.host, s.login, s.reason])).to.deep.equal([
      ["github.com", "old", "ignored"],
      ["gitea.example.fr", "someone", "unsupported_forge"],
      ["gone.example.fr", "", "ignored"],
    ]);
  });

  it("accepts duplicate keys, the last one winning, as the official list has some", () => {
    const [forge] = parseSources("git.example.fr:\n  forge: gitlab\n  pso_id: first\n  pso_id: second\n");
    expect(forge?.psoId).to.equal("second");
  });

  it("reads an empty file as no sources", () => {
    expect(parseSources("# nothing yet\n")).to.deep.equal([]);
  });

  const broken: [string, string, number, RegExp][] = [
    ["invalid YAML", "github.com:\n  forge: github\n  owners:\n    x: [1\n", 5, /indented|flow|\]/i],
    ["a list at the top", "- github.com\n", 1, /map forge hosts/],
    ["a forge without settings", "github.com:\n", 1, /must have settings/],
    ["a forge without its type", "github.com:\n  owners:\n    x:\n", 1, /no "forge" key/],
    ["an unknown key", "github.com:\n  forge: github\n  owner:\n    x:\n", 3, /unknown key "owner"/],
    ["an unknown owner key", "github.com:\n  forge: github\n  owners:\n    x:\n      pso: 1\n", 5, /unknown key "pso" in owner x/],
    ["a non-http api", "github.com:\n  forge: github\n  api: ftp://mirror\n", 3, /api of github.com must be an http\(s\) URL/],
    ["a bad date", "github.com:\n  forge: github\n  owners:\n    x:\n      ignored_since: yesterday\n", 5, /YYYY-MM-DD/],
    ["owners as a list", "github.com:\n  forge: github\n  owners:\n    - x\n", 3, /owners of github.com must map/],
    ["a host that is not one", "not a host:\n  forge: github\n", 1, /is not a host name/],
  ];
  for (const [what, text, line, reason] of broken) {
    it(`refuses ${what}, naming the line`, () => {
      const error = parseError(text);
      expect(error.line, error.message).to.equal(line);
      expect(error.reason).to.match(reason);
      expect(error.message).to.match(new RegExp(`^sources\\.yml:${line}: `));
    });
  }

  it("names the file when it cannot be read", () => {
    const file = path.join(os.tmpdir(), "code-commun-no-such-sources.yml");
    expect(() => readSources(file)).to.throw(SourcesError, /cannot read the sources file/);
  });

  it("refuses a file over the size limit before reading it, with a clear message", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-sources-"));
    try {
      const file = path.join(dir, "huge.yml");
      // Sparse: the size is what stat reports, nothing is written. Parsing 100 MB once crashed the process.
      fs.writeFileSync(file, "github.com:\n  forge: github\n");
      fs.truncateSync(file, 100 * 1024 * 1024);
      const error = (() => {
        try {
          readSources(file);
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).to.be.instanceOf(SourcesError);
      expect((error as SourcesError).reason).to.match(/too large \(100\.0 MB; at most 4\.0 MB\)/);
      expect(() => parseSources("#".repeat(maxSourcesBytes + 1))).to.throw(SourcesError, /too large/);
      // Just under the limit still parses.
      expect(parseSources(`${"#".repeat(maxSourcesBytes - 10)}\n`)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships a data/sources.yml that parses", () => {
    const sources = readSources(path.resolve("data/sources.yml"));
    expect(sources.length).to.be.greaterThan(1);
    expect(sources.map((s) => s.type)).to.include.members(["github", "gitlab"]);
  });

  const official = path.resolve("../shared/data/codegouvfr/comptes-organismes-publics.yml");
  it("reads the official French list as it is (opt-in: needs ../shared/data)", function () {
    if (!fs.existsSync(official)) this.skip();
    const sources = readSources(official);
    expect(sources.length).to.be.greaterThan(80);
    const plan = planHarvest(sources, new Set(["github", "gitlab"]), "2026-11-22");
    expect(plan.accounts.length).to.be.greaterThan(250);
    expect(plan.skipped.some((s) => s.reason === "unsupported_forge")).to.equal(true);
  });
});
