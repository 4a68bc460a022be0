import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { HarvestBusyError, harvestLockName, harvestWithLock } from "../../src/harvest/harvestJob.ts";
import { SourcesError } from "../../src/sources/sources.ts";
import { tryAcquireLock } from "../../src/store/lock.ts";
import { listRunAccounts, listRuns, startRun } from "../../src/store/runs.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

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
});
