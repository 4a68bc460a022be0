// Backups and recovery (issue 13): a backup taken while a harvest writes
// restores into a consistent catalogue; a harvest or a server killed with
// SIGKILL at any point leaves a sound store that serves after a restart.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { backupDatabase, backupFileName, backupToDirectory, integrityProblems, pruneBackups } from "../../src/backup/backup.ts";
import { GitHubAdapter, githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest } from "../../src/harvest/harvester.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { buildIndexFromStore } from "../../src/search/storeBuild.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { countLiveRepositories } from "../../src/store/catalog.ts";
import { openDatabase } from "../../src/store/database.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { rootDir, startWebServer } from "../helpers/webServer.ts";

const reposPerOrg = 25;
const orgs = Array.from({ length: 12 }, (_, i) => `org${String(i).padStart(2, "0")}`);

function fakeWithOrgs(fake: FakeGitHub): void {
  for (const org of orgs) {
    fake.addOrg(org);
    fake.addRepos(org, reposPerOrg, (i) => ({ description: `Outil ${i} de ${org}` }), org);
  }
  // Every listing is slow: a harvest takes a while, so that backups and kills land mid-way.
  fake.inject(/^\/orgs\/[^/]+\/repos/, { kind: "delay", ms: 150 }, 1_000);
}

function sources(fake: FakeGitHub): string {
  return ["github.com:", "  forge: github", `  api: ${fake.url}`, "  owners:", ...orgs.map((org) => `    ${org}:`), ""].join("\n");
}

/** Every account is written in one transaction: each has all of its repositories or none. */
function accountsWholeOrAbsent(file: string): { whole: number } {
  const db = openDatabase(file);
  try {
    const counts = db.$client.prepare("SELECT owner, count(*) AS n FROM repositories WHERE removed_at IS NULL GROUP BY owner").all() as Array<{ owner: string; n: number }>;
    for (const { owner, n } of counts) expect(n, `repositories of ${owner}`).to.equal(reposPerOrg);
    return { whole: counts.length };
  } finally {
    db.$client.close();
  }
}

/** The catalogue in `file`, served by the real app over a fresh index: the search total must be the live count. */
async function servesCorrectly(file: string): Promise<number> {
  const db = openDatabase(file);
  try {
    const live = countLiveRepositories(db);
    const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-index-"));
    const search = await openSearchEngine({ db, indexDir, buildIn: "process" });
    const web = await startWebServer(() => {}, { db, search });
    try {
      const answer = (await (await fetch(`${web.url}/api/v1/repositories?per_page=1`)).json()) as { total: number };
      expect(answer.total).to.equal(live);
      expect((await fetch(`${web.url}/readyz`)).status).to.equal(200);
      expect((await fetch(`${web.url}/repositories`)).status).to.equal(200);
      expect(web.logged).to.deep.equal([]);
    } finally {
      await web.close().catch(() => {});
      fs.rmSync(indexDir, { recursive: true, force: true });
    }
    return live;
  } finally {
    if (db.$client.open) db.$client.close();
  }
}

async function until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("backups", function () {
  this.timeout(120_000);
  let temp: TempDatabase;
  let fake: FakeGitHub;
  beforeEach(async () => {
    temp = tempDatabase();
    fake = await new FakeGitHub().start();
  });
  afterEach(async () => {
    await fake.stop();
    temp.close();
  });

  it("takes a backup during a harvest that restores into a consistent catalogue", async () => {
    fakeWithOrgs(fake);
    const registry = new ForgeRegistry({ github: { ...githubForgeType, create: (options) => new GitHubAdapter(options, { retry: { retries: 2, baseMs: 1, maxMs: 100 } }) } });
    const harvesting = runHarvest({ db: temp.db, sources: parseSources(sources(fake)), registry, config: { tokens: {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 1_000 }, trigger: "cli" });
    // A few accounts written, most still to come.
    await until("three accounts harvested", () => (temp.db.$client.prepare("SELECT count(DISTINCT owner) AS n FROM repositories").get() as { n: number }).n >= 3);
    // From the file, as `npm run backup` does beside a running server.
    const backup = await backupDatabase(temp.file, path.join(temp.dir, "backups", "during.db"));
    const summary = await harvesting;
    expect(summary.status).to.equal("succeeded");
    expect(backup.bytes).to.be.greaterThan(0);
    expect(integrityProblems(backup.file)).to.deep.equal([]);
    const { whole } = accountsWholeOrAbsent(backup.file);
    expect(whole).to.be.within(3, orgs.length - 1);
    // Restore: the backup file becomes the catalogue (see the README), and serves.
    const restored = path.join(temp.dir, "restored.db");
    fs.copyFileSync(backup.file, restored);
    expect(await servesCorrectly(restored)).to.equal(whole * reposPerOrg);
  });

  it("keeps the newest BACKUP_KEEP dated backups in BACKUP_DIR, and nothing else is touched", async () => {
    seedCatalogue(temp.db);
    const dir = path.join(temp.dir, "backups");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const days = [1, 2, 3, 4].map((day) => new Date(Date.UTC(2026, 10, day, 4, 47)));
    for (const day of days) await backupToDirectory(temp.db.$client, dir, 2, day);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([backupFileName(days[2]!), backupFileName(days[3]!), "notes.txt"]);
    expect(backupFileName(days[0]!)).to.equal("catalog-20261101T044700Z.db");
    expect(pruneBackups(dir, 1)).to.deep.equal([path.join(dir, backupFileName(days[2]!))]);
    expect(await servesCorrectly(path.join(dir, backupFileName(days[3]!)))).to.equal(countLiveRepositories(temp.db));
  });
});

describe("npm run backup", function () {
  this.timeout(60_000);
  it("writes a checked copy to --out, and refuses a missing catalogue with exit code 1", async () => {
    const temp = tempDatabase();
    try {
      seedCatalogue(temp.db);
      const run = (env: Record<string, string>, args: string[]) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["--import", "tsx", "src/bin/backup.ts", ...args], { cwd: rootDir, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          child.on("close", (code) => resolve({ code, stderr }));
        });
      const out = path.join(temp.dir, "copy.db");
      const ok = await run({ DATABASE_PATH: temp.file }, ["--out", out]);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stderr).to.match(/written to .*copy\.db: .* MB in .* s, integrity checked/);
      expect(integrityProblems(out)).to.deep.equal([]);
      expect(fs.readdirSync(temp.dir).filter((name) => name.startsWith("copy.db"))).to.deep.equal(["copy.db"]);
      const missing = await run({ DATABASE_PATH: path.join(temp.dir, "nothing.db") }, ["--out", out]);
      expect([missing.code, /backup failed: no database at/.test(missing.stderr)]).to.deep.equal([1, true]);
    } finally {
      temp.close();
    }
  });
});

describe("recovery after SIGKILL", function () {
  this.timeout(180_000);
  let dir: string;
  let fake: FakeGitHub;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-kill-"));
    fake = await new FakeGitHub().start();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const spawnScript = (script: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: rootDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    children.push(child);
    return { child, output: () => output, exited: new Promise<void>((resolve) => child.on("close", () => resolve())) };
  };

  it("leaves a sound store that serves, whatever point of a harvest SIGKILL lands on", async () => {
    fakeWithOrgs(fake);
    const file = path.join(dir, "catalog.db");
    fs.writeFileSync(path.join(dir, "sources.yml"), sources(fake));
    // Early (listings under way), after some accounts, and late: each kill on the store the previous ones left.
    for (const requests of [2, 6, 14]) {
      fake.clearLog();
      const harvest = spawnScript("src/bin/harvest.ts", { DATABASE_PATH: file, SOURCES_PATH: path.join(dir, "sources.yml"), HARVEST_CONCURRENCY: "3", HARVEST_LOCK_STALE_MS: "1000" });
      await until(`${requests} requests to the forge`, () => fake.requests.length >= requests || harvest.child.exitCode !== null);
      harvest.child.kill("SIGKILL");
      await harvest.exited;
      expect(integrityProblems(file), `after a kill at ${requests} requests`).to.deep.equal([]);
      accountsWholeOrAbsent(file);
      await servesCorrectly(file);
      // The dead harvest's lock goes stale after HARVEST_LOCK_STALE_MS: the next run may start.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  });

  it("leaves a sound store and a catalogue that serves after the server dies during an index rebuild", async () => {
    const file = path.join(dir, "catalog.db");
    const temp = openDatabase(file);
    seedCatalogue(temp);
    // An index of the store as it was, then a change: the next start finds it stale and rebuilds.
    buildIndexFromStore(temp, { indexDir: path.join(dir, "index"), builtAt: new Date() });
    temp.$client.prepare("UPDATE repositories SET description = 'changé' WHERE name = 'udata'").run();
    const live = countLiveRepositories(temp);
    temp.$client.close();
    const env = { DATABASE_PATH: file, SOURCES_PATH: path.join(dir, "none.yml"), HARVEST_ON_START: "false", HARVEST_CRON: "", PORT: "0", HOST: "127.0.0.1", WEB_WORKERS: "1" };

    // Logs written at once (LOG_SYNC): buffered, the "rebuilding" line could arrive after the rebuild ended, and the kill with it.
    const first = spawnScript("src/bin/serve.ts", { ...env, LOG_SYNC: "true" });
    await until("the rebuild to start", () => /stale .*rebuilding/.test(first.output()) || first.child.exitCode !== null);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(integrityProblems(file)).to.deep.equal([]);

    const second = spawnScript("src/bin/serve.ts", env);
    await until("the restarted server to listen", () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(second.output()) || second.child.exitCode !== null);
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(second.output())![1];
    const get = (pathname: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) =>
        http
          .get(`http://127.0.0.1:${port}${pathname}`, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on("error", reject),
      );
    expect((await get("/readyz")).status).to.equal(200);
    expect((JSON.parse((await get("/api/v1/repositories?q=changé")).body) as { items: Array<{ name: string }> }).items.map((item) => item.name)).to.include("udata");
    expect((JSON.parse((await get("/api/v1/repositories?per_page=1")).body) as { total: number }).total).to.equal(live);
    second.child.kill("SIGTERM");
    await second.exited;
    expect(second.child.exitCode, second.output()).to.equal(0);
  });
});
