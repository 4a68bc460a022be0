// Contract C2 and the sources export (issue 11): approved declarations are
// harvested with the file's accounts, the file winning, and the whole list is
// exported in code.gouv.fr's format, which the sources parser reads back.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { declaredSources, mergeSources } from "../../src/declarations/declaredSources.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { harvestWithLock } from "../../src/harvest/harvestJob.ts";
import { parseSources, type ForgeSource } from "../../src/sources/sources.ts";
import { formatSources } from "../../src/sources/writeSources.ts";
import { insertDeclaration, type NewDeclaration } from "../../src/store/declarations.ts";
import { listLiveRepositoryIds } from "./storeHelpers.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

function declaration(fields: Partial<NewDeclaration> & { host: string; login: string }): NewDeclaration {
  return {
    forgeType: "github", apiUrl: null, accountKind: "organization", accountName: null, publicRepositories: null, psoId: null, siret: null, bodyName: "Commune",
    contact: "a@b.fr", declarerSubject: "agent", declarerEmail: "a@b.fr", declarerName: null, token: "0123456789abcdef", tokenExpiresAt: "2099-01-01T00:00:00.000Z",
    verifiedAt: null, status: "approved", decidedAt: null, decidedBy: null, reason: null, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  };
}

const strip = (sources: ForgeSource[]) => JSON.parse(JSON.stringify(sources, (key, value: unknown) => (key === "line" ? undefined : value))) as unknown;

describe("declared sources", () => {
  let temp: TempDatabase;
  beforeEach(() => (temp = tempDatabase()));
  afterEach(() => temp.close());

  it("lists approved declarations only, grouped by host, whole instances apart", () => {
    insertDeclaration(temp.db, declaration({ host: "github.com", login: "ville-a", psoId: "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8" }));
    insertDeclaration(temp.db, declaration({ host: "github.com", login: "ville-b" }));
    insertDeclaration(temp.db, declaration({ host: "github.com", login: "pending-one", status: "pending" }));
    insertDeclaration(temp.db, declaration({ host: "github.com", login: "gone", status: "withdrawn" }));
    insertDeclaration(temp.db, declaration({ host: "git.ville.fr", login: "", forgeType: "gitlab", apiUrl: "https://git.ville.fr", accountKind: "instance" }));
    expect(strip(declaredSources(temp.db))).to.deep.equal([
      { host: "github.com", type: "github", owners: [{ login: "ville-a", psoId: "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8" }, { login: "ville-b" }] },
      { host: "git.ville.fr", type: "gitlab", api: "https://git.ville.fr", owners: null },
    ]);
  });

  it("merges with the file, which wins where both name an account", () => {
    const file = parseSources("github.com:\n  forge: github\n  api: https://ghe.mirror\n  owners:\n    Ville-A:\n      pso_id: file-id\ngit.whole.fr:\n  forge: gitlab\n");
    const declared: ForgeSource[] = [
      { host: "github.com", type: "gitlab", api: "https://wrong", owners: [{ login: "ville-a", line: 0, psoId: "declared-id" }, { login: "ville-c", line: 0 }], line: 0 },
      { host: "git.whole.fr", type: "gitlab", owners: [{ login: "group", line: 0 }], line: 0 },
      { host: "gitlab.new.fr", type: "gitlab", api: "https://gitlab.new.fr", owners: null, line: 0 },
    ];
    expect(strip(mergeSources(file, declared))).to.deep.equal([
      { host: "github.com", type: "github", api: "https://ghe.mirror", owners: [{ login: "Ville-A", psoId: "file-id" }] },
      { host: "git.whole.fr", type: "gitlab", owners: null },
      // The file's forge type and API for its host; its account already named is left out.
      { host: "github.com", type: "github", api: "https://ghe.mirror", owners: [{ login: "ville-c" }] },
      { host: "gitlab.new.fr", type: "gitlab", api: "https://gitlab.new.fr", owners: null },
    ]);
  });

  it("writes code.gouv.fr's format, which the sources parser reads back", () => {
    const file = parseSources("github.com:\n  forge: github\n  owners:\n    etalab:\n      pso_id: db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8\n      floss_policy: https://code.gouv.fr/\n    betagouv:\ngit.whole.fr:\n  forge: gitlab\n  api: https://mirror.whole.fr\n  pso_id: aaaa\n  ignored_since: 2024-08-09\n");
    const merged = mergeSources(file, [{ host: "github.com", type: "github", owners: [{ login: "ville-c", line: 0, psoId: "cccc" }], line: 0 }]);
    const text = formatSources(merged);
    expect(text).to.contain("github.com:\n  forge: github\n  owners:\n    etalab:\n      pso_id: db2b74d4");
    expect(strip(parseSources(text))).to.deep.equal([
      { host: "github.com", type: "github", owners: [{ login: "etalab", psoId: "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8", flossPolicy: "https://code.gouv.fr/" }, { login: "betagouv" }, { login: "ville-c", psoId: "cccc" }] },
      { host: "git.whole.fr", type: "gitlab", api: "https://mirror.whole.fr", owners: null, psoId: "aaaa", ignoredSince: "2024-08-09" },
    ]);
  });

  it("harvests an approved declared account with the file's, in the same run, without its proof repository", async () => {
    const github = await new FakeGitHub().start();
    try {
      github.addOrg("file-org");
      github.addRepo("file-org", { name: "from-file" });
      github.addOrg("declared-org");
      github.addRepo("declared-org", { name: "from-declaration" });
      // The proof of control is no software: never catalogued.
      github.addRepo("declared-org", { name: "code-commun-0123456789abcdef" });
      github.addOrg("pending-org");
      github.addRepo("pending-org", { name: "not-yet" });
      const sourcesPath = path.join(temp.dir, "sources.yml");
      fs.writeFileSync(sourcesPath, `github.test:\n  forge: github\n  api: ${github.url}\n  owners:\n    file-org:\n`);
      insertDeclaration(temp.db, declaration({ host: "github.test", login: "declared-org" }));
      insertDeclaration(temp.db, declaration({ host: "github.test", login: "pending-org", status: "verified" }));
      const summary = await harvestWithLock({ db: temp.db, sourcesPath, registry: defaultRegistry(), config: { tokens: {}, httpTimeoutMs: 2000, harvestConcurrency: 2, maxRateLimitWaitMs: 0 }, trigger: "cli", lockStaleMs: 60_000 });
      expect(summary).to.include({ status: "succeeded", accountsTotal: 2 });
      expect(listLiveRepositoryIds(temp.db)).to.deep.equal(["github.test/declared-org/from-declaration", "github.test/file-org/from-file"]);
    } finally {
      await github.stop();
    }
  });

  it("npm run export -- --format sources writes the file's and the declared accounts", async () => {
    const sourcesPath = path.join(temp.dir, "sources.yml");
    fs.writeFileSync(sourcesPath, "github.com:\n  forge: github\n  owners:\n    etalab:\n");
    insertDeclaration(temp.db, declaration({ host: "github.com", login: "ville-declaree" }));
    insertDeclaration(temp.db, declaration({ host: "gitlab.ville.fr", login: "services/dsi", forgeType: "gitlab", apiUrl: "https://gitlab.ville.fr" }));
    const out = path.join(temp.dir, "all-sources.yml");
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/bin/export.ts", "--format", "sources", "--out", out], {
        env: { ...process.env, DATABASE_PATH: temp.file, SOURCES_PATH: sourcesPath },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(outcome.code, outcome.stderr).to.equal(0);
    expect(outcome.stderr).to.contain("exported 3 accounts");
    expect(strip(parseSources(fs.readFileSync(out, "utf8")))).to.deep.equal([
      { host: "github.com", type: "github", owners: [{ login: "etalab" }, { login: "ville-declaree" }] },
      { host: "gitlab.ville.fr", type: "gitlab", api: "https://gitlab.ville.fr", owners: [{ login: "services/dsi" }] },
    ]);
  });
});
