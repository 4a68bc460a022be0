// Harvests of some accounts only: the selection of a run, and the harvester on
// demand that the server exposes (contract C1).
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { harvestLockName, harvestWithLock, SelectionError } from "../../src/harvest/harvestJob.ts";
import { createOnDemandHarvester } from "../../src/harvest/onDemand.ts";
import { parseAccountArgument } from "../../src/harvest/selection.ts";
import { tryAcquireLock } from "../../src/store/lock.ts";
import { listRunAccounts, listRuns } from "../../src/store/runs.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const config = { tokens: {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 0 };

describe("harvest on demand", function () {
  let temp: TempDatabase;
  let github: FakeGitHub;
  let gitlab: FakeGitLab;
  let sourcesPath: string;

  beforeEach(async () => {
    temp = tempDatabase();
    github = await new FakeGitHub().start();
    gitlab = await new FakeGitLab().start();
    for (const login of ["etalab", "betagouv", "numerique"]) {
      github.addOrg(login);
      github.addRepos(login, 3);
    }
    gitlab.addGroup({ path: "g" });
    gitlab.addProject({ namespace: "g", path: "p" });
    sourcesPath = path.join(temp.dir, "sources.yml");
    fs.writeFileSync(
      sourcesPath,
      [
        "github.com:",
        "  forge: github",
        `  api: ${github.url}`,
        "  owners:",
        "    etalab:",
        "    betagouv:",
        "    numerique:",
        "gitlab.example.fr:",
        "  forge: gitlab",
        `  api: ${gitlab.url}`,
        "",
      ].join("\n"),
    );
  });
  afterEach(async () => {
    await github.stop();
    await gitlab.stop();
    temp.close();
  });

  const job = () => ({ db: temp.db, sourcesPath, registry: defaultRegistry(), config, lockStaleMs: 60_000, secondPassDelayMs: 0 });
  const harvested = (runId: number) => listRunAccounts(temp.db, runId).map((row) => `${row.host}/${row.login}`);

  it("harvests one account, case-insensitively, and nothing else, with the run log of a full run", async function () {
    const summary = await harvestWithLock({ ...job(), trigger: "cli", selection: { accounts: [{ host: "github.com", login: "BetaGouv" }] } });

    expect(summary).to.include({ status: "succeeded", accountsTotal: 1, repositoriesAdded: 3 });
    expect(harvested(summary.runId)).to.deep.equal(["github.com/betagouv"]);
    expect(github.log(/\/orgs\/(etalab|numerique)/)).to.deep.equal([]);
  });

  it("harvests every account of one host, and a whole instance by its empty login", async function () {
    const host = await harvestWithLock({ ...job(), trigger: "cli", selection: { hosts: ["github.com"] } });
    expect(harvested(host.runId)).to.have.members(["github.com/etalab", "github.com/betagouv", "github.com/numerique"]);

    const instance = await harvestWithLock({ ...job(), trigger: "cli", selection: { accounts: [{ host: "gitlab.example.fr", login: "" }] } });
    expect(instance).to.include({ status: "succeeded", repositoriesAdded: 1 });
    expect(harvested(instance.runId)).to.deep.equal(["gitlab.example.fr/"]);
  });

  it("refuses a selection that the sources do not list, before logging a run", async function () {
    let error: unknown;
    await harvestWithLock({ ...job(), trigger: "cli", selection: { accounts: [{ host: "github.com", login: "ghost" }], hosts: ["git.nowhere.fr"] } }).catch((e: unknown) => (error = e));

    expect(error).to.be.instanceOf(SelectionError);
    expect((error as Error).message).to.equal("not in the sources: forge git.nowhere.fr, account github.com/ghost");
    expect(listRuns(temp.db)).to.have.length(0);
  });

  it("waits for a running harvest to finish, then harvests and rebuilds the index", async function () {
    const lock = tryAcquireLock(temp.db, harvestLockName, 60_000);
    let rebuilds = 0;
    const harvester = createOnDemandHarvester({ job: job(), rebuildIndex: async () => void rebuilds++, busyPollMs: 5 });

    const request = harvester.request({ accounts: [{ host: "github.com", login: "etalab" }] });
    // Busy: the request waits (it does not fail) and nothing runs meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listRuns(temp.db)).to.have.length(0);
    lock?.release();
    const summary = await request;

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 3 });
    expect(listRuns(temp.db)[0]).to.include({ trigger: "on_demand", status: "succeeded" });
    expect(rebuilds).to.equal(1);
  });

  it("runs requests one after the other, and rejects the one the sources do not list", async function () {
    let rebuilds = 0;
    const harvester = createOnDemandHarvester({ job: job(), rebuildIndex: async () => void rebuilds++ });

    const results = await Promise.allSettled([
      harvester.request({ accounts: [{ host: "github.com", login: "etalab" }] }),
      harvester.request({ accounts: [{ host: "github.com", login: "unknown" }] }),
      harvester.request({ hosts: ["gitlab.example.fr"] }),
    ]);

    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled"]);
    expect(listRuns(temp.db).map((run) => run.status)).to.deep.equal(["succeeded", "succeeded"]);
    expect(rebuilds).to.equal(2);
  });

  it("reads <host>/<login> arguments, subgroups and whole instances included", function () {
    expect(parseAccountArgument("github.com/etalab")).to.deep.equal({ host: "github.com", login: "etalab" });
    expect(parseAccountArgument("https://GitLab.example.fr/a/b/")).to.deep.equal({ host: "gitlab.example.fr", login: "a/b" });
    expect(parseAccountArgument("gitlab.example.fr")).to.deep.equal({ host: "gitlab.example.fr", login: "" });
    expect(parseAccountArgument("not a host/x")).to.equal(null);
  });
});
