import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { HarvestBusyError, harvestLockName, harvestWithLock } from "../../src/harvest/harvestJob.ts";
import { SourcesError } from "../../src/sources/sources.ts";
import { tryAcquireLock } from "../../src/store/lock.ts";
import { listRunAccounts, listRuns, startRun } from "../../src/store/runs.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { findRepositoryReuse, hasReuseGraph, lastReuseBuild } from "../../src/store/reuse.ts";
import { seedReuse, seedReuseRepositories, reuseIds, reuseNow } from "../helpers/reuseFixture.ts";
import { ensureReuseGraph } from "../../src/reuse/refresh.ts";

const config = { tokens: {}, httpTimeoutMs: 1000, harvestConcurrency: 2, maxRateLimitWaitMs: 0 };

describe("harvest job", () => {
  let temp: TempDatabase;
  let sourcesPath: string;
  beforeEach(() => {
    temp = tempDatabase();
    sourcesPath = path.join(temp.dir, "sources.yml");
    // Only forge types no adapter handles here: the run touches no network.
    fs.writeFileSync(sourcesPath, "git.example.fr:\n  forge: sourcehut\n  owners:\n    someone:\n");
  });
  afterEach(() => temp.close());

  const deps = () => ({ db: temp.db, sourcesPath, registry: new ForgeRegistry({}), config, trigger: "cli" as const, lockStaleMs: 60_000 });

  it("records unsupported forges as skipped, never fatal", async () => {
    const summary = await harvestWithLock(deps());
    expect(summary).to.include({ status: "succeeded", accountsTotal: 1, accountsSkipped: 1, accountsFailed: 0 });
    expect(listRunAccounts(temp.db, summary.runId)).to.deep.include({
      runId: summary.runId,
      host: "git.example.fr",
      login: "someone",
      status: "skipped",
      reason: "unsupported_forge",
      message: 'forge type "sourcehut" is not supported yet',
      repositories: 0,
      durationMs: 0,
      attempts: 1,
      firstReason: null,
      retries: 0,
      rateLimitWaits: 0,
    });
  });

  it("never runs while another process holds the lock", async () => {
    const lock = tryAcquireLock(temp.db, harvestLockName, 60_000);
    try {
      let error: unknown;
      await harvestWithLock(deps()).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(HarvestBusyError);
      expect(listRuns(temp.db)).to.have.length(0);
    } finally {
      lock?.release();
    }
  });

  it("refuses a malformed sources file before writing anything", async () => {
    fs.writeFileSync(sourcesPath, "github.com:\n  forge: github\n  owners: [\n");
    let error: unknown;
    await harvestWithLock(deps()).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(SourcesError);
    expect((error as SourcesError).message).to.match(/sources\.yml:\d+: /);
    expect(listRuns(temp.db)).to.have.length(0);
  });

  it("closes as interrupted a run that a dead process left running", async () => {
    const abandoned = startRun(temp.db, "schedule", "2026-01-01T00:00:00.000Z");
    await harvestWithLock(deps());
    const runs = listRuns(temp.db);
    expect(runs.find((r) => r.id === abandoned)).to.include({ status: "interrupted" });
    expect(runs[0]).to.include({ status: "succeeded" });
  });

  // Issue 10: the reuse graph is rebuilt after each run, and a failure of it never fails the harvest.
  it("rebuilds the reuse graph after the run and logs its duration and counts", async () => {
    seedReuseRepositories(temp.db);
    const logs: string[] = [];
    const rebuilt: number[] = [];
    const summary = await harvestWithLock({ ...deps(), reporter: { log: (message) => logs.push(message), reuseRebuilt: (result) => rebuilt.push(result.repositories) } });
    expect(summary.status).to.equal("succeeded");
    expect(hasReuseGraph(temp.db)).to.equal(true);
    expect(lastReuseBuild(temp.db)).to.include({ repositories: 5 });
    expect(findRepositoryReuse(temp.db, reuseIds.lib)!.score.criteria.find((c) => c.name === "stars")!.value).to.equal(1000);
    expect(rebuilt).to.deep.equal([5]);
    expect(logs.some((line) => /^reuse graph rebuilt: 5 repositories, \d+ edges in \d+ ms/.test(line))).to.equal(true);
  });

  it("keeps the previous reuse graph when the rebuild fails, and the harvest succeeds", async () => {
    seedReuse(temp.db);
    temp.db.$client.exec("CREATE TEMP TRIGGER fail_reuse BEFORE INSERT ON repository_reuse BEGIN SELECT RAISE(ABORT, 'no space left'); END");
    const logs: string[] = [];
    const summary = await harvestWithLock({ ...deps(), reporter: { log: (message) => logs.push(message) } });
    expect(summary.status).to.equal("succeeded");
    expect(logs).to.include("reuse graph rebuild failed, the previous graph stays: no space left");
    expect(lastReuseBuild(temp.db)!.builtAt).to.equal(reuseNow.toISOString());
    expect(findRepositoryReuse(temp.db, reuseIds.tool)).to.not.equal(null);
  });

  it("builds the reuse graph at start only when the store has repositories and no graph", () => {
    expect(ensureReuseGraph(temp.db)).to.equal(null);
    seedReuseRepositories(temp.db);
    expect(ensureReuseGraph(temp.db)).to.include({ repositories: 5 });
    expect(ensureReuseGraph(temp.db)).to.equal(null);
  });
});
