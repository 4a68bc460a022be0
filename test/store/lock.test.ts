import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { harvestWithLock } from "../../src/harvest/harvestJob.ts";
import { listRuns } from "../../src/store/runs.ts";
import { rootDir } from "../helpers/webServer.ts";
import { openDatabase } from "../../src/store/database.ts";
import { readLock, tryAcquireLock } from "../../src/store/lock.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("harvest lock", () => {
  let temp: TempDatabase;
  beforeEach(() => (temp = tempDatabase()));
  afterEach(() => temp.close());

  it("is held by one holder at a time, also across connections", () => {
    const other = openDatabase(temp.file); // a second process would open its own connection
    try {
      const lock = tryAcquireLock(temp.db, "harvest", 60_000);
      expect(lock).to.not.equal(null);
      expect(tryAcquireLock(other, "harvest", 60_000)).to.equal(null);
      lock?.release();
      const next = tryAcquireLock(other, "harvest", 60_000);
      expect(next).to.not.equal(null);
      expect(readLock(temp.db, "harvest")?.holder).to.equal(next?.holder);
    } finally {
      other.$client.close();
    }
  });

  it("is taken over when stale, and the old holder learns it lost it", () => {
    const old = tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:00:00Z"));
    expect(old).to.not.equal(null);
    expect(tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:00:30Z"))).to.equal(null);
    const taker = tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:05:00Z"));
    expect(taker).to.not.equal(null);
    expect(old?.renew()).to.equal(false);
    expect(taker?.renew()).to.equal(true);
    old?.release(); // must not release the new holder's lock
    expect(readLock(temp.db, "harvest")?.holder).to.equal(taker?.holder);
  });
});

// Issue 13: a harvest killed with `kill -9` left its lock until the stale timeout.
describe("harvest lock of a killed process", function () {
  this.timeout(30_000);
  let temp: TempDatabase;
  beforeEach(() => (temp = tempDatabase()));
  afterEach(() => temp.close());

  /** A child process that takes the harvest lock, starts a run, says "locked" and waits forever. */
  async function holder(): Promise<ChildProcess> {
    const script = path.join(temp.dir, "holder.ts");
    fs.writeFileSync(
      script,
      [
        `import { openDatabase } from ${JSON.stringify(path.join(rootDir, "src/store/database.ts"))};`,
        `import { tryAcquireLock } from ${JSON.stringify(path.join(rootDir, "src/store/lock.ts"))};`,
        `import { startRun } from ${JSON.stringify(path.join(rootDir, "src/store/runs.ts"))};`,
        `const db = openDatabase(${JSON.stringify(temp.file)});`,
        `if (!tryAcquireLock(db, "harvest", 600_000)) process.exit(3);`,
        `startRun(db, "schedule", new Date().toISOString());`,
        `process.stdout.write("locked\\n");`,
        `setInterval(() => {}, 1_000);`,
      ].join("\n"),
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve());
      child.once("exit", (code) => reject(new Error(`the holder exited with ${code}`)));
    });
    return child;
  }

  it("records its holder's host name and pid, and is not taken over while that process lives", async () => {
    const child = await holder();
    try {
      expect(readLock(temp.db, "harvest")).to.include({ hostname: os.hostname(), pid: child.pid });
      expect(tryAcquireLock(temp.db, "harvest", 600_000)).to.equal(null);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("is taken over at once when its holder was killed with SIGKILL, and the abandoned run shows as interrupted", async () => {
    const child = await holder();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const sourcesPath = path.join(temp.dir, "sources.yml");
    fs.writeFileSync(sourcesPath, "git.example.fr:\n  forge: sourcehut\n");
    const logged: string[] = [];

    // The stale timeout is 10 minutes: only the dead holder lets this run start now.
    const summary = await harvestWithLock({
      db: temp.db,
      sourcesPath,
      registry: new ForgeRegistry({}),
      config: { tokens: {}, httpTimeoutMs: 1_000, harvestConcurrency: 1, maxRateLimitWaitMs: 0 },
      trigger: "cli",
      lockStaleMs: 600_000,
      reporter: { log: (message) => logged.push(message) },
    });

    expect(summary.status).to.equal("succeeded");
    expect(logged).to.deep.include(`took over the harvest lock of process ${child.pid} on ${os.hostname()}, which is gone (killed?); its run is closed as interrupted`);
    expect(listRuns(temp.db).map((run) => [run.id, run.status])).to.deep.equal([
      [2, "succeeded"],
      [1, "interrupted"],
    ]);
    expect(readLock(temp.db, "harvest")).to.equal(undefined);
  });

  it("waits for the stale timeout when the holder ran on another machine, where it cannot be checked", () => {
    const other = tryAcquireLock(temp.db, "harvest", 600_000, new Date(), { hostname: "another-server", pid: 999_999_999 });
    expect(other).to.not.equal(null);
    expect(tryAcquireLock(temp.db, "harvest", 600_000)).to.equal(null);
    // A dead pid of this machine, for comparison, is taken over.
    other?.release();
    expect(tryAcquireLock(temp.db, "harvest", 600_000, new Date(), { hostname: os.hostname(), pid: 999_999_999 })).to.not.equal(null);
    expect(tryAcquireLock(temp.db, "harvest", 600_000)?.tookOverFrom).to.include({ hostname: os.hostname(), pid: 999_999_999 });
  });
});
