// The GitHub harvester end to end: the real octokit client and plugins against
// FakeGitHub, runHarvest, and a real SQLite store.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest, type HarvestReporter, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { iterateLiveRepositories } from "../../src/store/catalog.ts";
import { listRunAccounts } from "../../src/store/runs.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

interface HarvestOptions {
  timeoutMs?: number;
  maxRateLimitWaitMs?: number;
  reporter?: HarvestReporter;
  signal?: AbortSignal;
  /** More YAML appended to the sources (another forge). */
  moreSources?: string;
}

interface RepositoryRecord {
  forge_id: string;
  owner: string;
  name: string;
  full_name: string;
  homepage: string | null;
  license: string | null;
  description: string | null;
  topics: string;
  removed_at: string | null;
  [column: string]: unknown;
}

export const fastRetries = { retries: 4, baseMs: 1, maxMs: 60_000 };

describe("GitHub harvest", function () {
  let fake: FakeGitHub;
  let temp: TempDatabase;

  beforeEach(async function () {
    fake = await new FakeGitHub().start();
    temp = tempDatabase();
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  const registry = new ForgeRegistry({ github: githubForgeType });

  function harvest(logins: string[], options: HarvestOptions = {}): Promise<RunSummary> {
    const yaml = [
      "github.com:",
      "  forge: github",
      `  api: ${fake.url}`,
      "  owners:",
      ...logins.map((login) => `    ${login}:`),
      options.moreSources ?? "",
    ].join("\n");
    return runHarvest({
      db: temp.db,
      sources: parseSources(yaml),
      registry,
      config: { tokens: {}, httpTimeoutMs: options.timeoutMs ?? 5_000, harvestConcurrency: 3, maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 10_000 },
      trigger: "cli",
      // Retries after about 1 ms rather than 1 s, and no pause before the second pass, so persistent 5xx fail fast.
      retryPolicy: fastRetries,
      secondPassDelayMs: 0,
      // Profiles (issue 9) have their own tests (profiles.test.ts): these count the listing requests alone.
      profiles: false,
      ...(options.reporter ? { reporter: options.reporter } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  function repositories(): RepositoryRecord[] {
    return temp.db.$client.prepare("SELECT * FROM repositories ORDER BY cast(forge_id AS integer)").all() as RepositoryRecord[];
  }

  function repository(forgeId: number): RepositoryRecord {
    const rows = repositories().filter((row) => row.forge_id === String(forgeId));
    expect(rows, `rows of forge id ${forgeId}`).to.have.length(1);
    return rows[0] as RepositoryRecord;
  }

  function live(owner?: string): string[] {
    return [...iterateLiveRepositories(temp.db)].filter((row) => !owner || row.owner === owner).map((row) => row.fullName);
  }

  function accountResults(runId: number): Record<string, { status: string; reason: string | null; message: string | null }> {
    return Object.fromEntries(listRunAccounts(temp.db, runId).map((row) => [row.login, { status: row.status, reason: row.reason, message: row.message }]));
  }

  /** "status path?query" of each logged request. */
  function traffic(match?: RegExp): string[] {
    return fake.requests.filter((r) => !match || match.test(r.path)).map((r) => `${r.status} ${r.path}${r.query.size ? `?${r.query}` : ""}`);
  }

  it("is registered as the github forge type, with GitHub's API URLs", function () {
    const registry = defaultRegistry();
    expect(registry.types()).to.include("github");
    expect(registry.defaultApiUrl("github", "github.com")).to.equal("https://api.github.com");
    expect(registry.defaultApiUrl("github", "github.example.gouv.fr")).to.equal("https://github.example.gouv.fr/api/v3");
  });

  it("harvests an organisation and every page of its repositories", async function () {
    fake.addOrg("etalab", { name: "Etalab", description: "Mission interministérielle", blog: "www.etalab.gouv.fr", email: "info@etalab.gouv.fr", location: "Paris", verified: true });
    fake.addRepos("etalab", 250);

    const summary = await harvest(["etalab"]);

    expect(summary.status).to.equal("succeeded");
    expect(summary.repositoriesAdded).to.equal(250);
    expect(live("etalab")).to.have.length(250);
    expect(new Set(repositories().map((row) => row.forge_id)).size).to.equal(250);
    expect(fake.log(/\/repos$/)).to.deep.equal([1, 2, 3].map((page) => `GET /orgs/etalab/repos?type=public&per_page=100&page=${page}`));
    const owner = temp.db.$client.prepare("SELECT * FROM owners WHERE login = 'etalab'").get() as Record<string, unknown>;
    expect(owner).to.include({ kind: "organization", name: "Etalab", description: "Mission interministérielle", website: "https://www.etalab.gouv.fr/", email: "info@etalab.gouv.fr", location: "Paris", verified: 1 });
    expect(owner.forge_id).to.match(/^\d+$/);
  });

  it("runs again over unchanged accounts with conditional requests only, all answered 304, and writes nothing", async function () {
    fake.addOrg("etalab");
    fake.addRepos("etalab", 250);
    // Exactly two full pages: the third, empty, page is asked too (a repository added after a full page would be there).
    fake.addUser("jdoe");
    fake.addRepos("jdoe", 200);
    await harvest(["etalab", "jdoe"]);
    const before = repositories();
    const ownersBefore = temp.db.$client.prepare("SELECT login, kind, name, website FROM owners ORDER BY login").all();
    fake.clearLog();

    const summary = await harvest(["etalab", "jdoe"]);

    expect(summary.status).to.equal("succeeded");
    expect(summary).to.include({ repositoriesSeen: 450, repositoriesAdded: 0, repositoriesUpdated: 0, repositoriesRemoved: 0 });
    expect(fake.requests.every((r) => r.status === 304 && typeof r.headers["if-none-match"] === "string"), traffic().join("\n")).to.equal(true);
    // The kind of jdoe is cached: no /orgs/jdoe request answered 404 this time.
    expect(fake.log().sort()).to.deep.equal([
      "GET /orgs/etalab",
      ...[1, 2, 3].map((page) => `GET /orgs/etalab/repos?type=public&per_page=100&page=${page}`),
      "GET /users/jdoe",
      ...[1, 2, 3].map((page) => `GET /users/jdoe/repos?type=owner&per_page=100&page=${page}`),
    ]);
    expect(summary.requests).to.equal(8);
    expect(summary.notModified).to.equal(8);
    expect(repositories()).to.deep.equal(before);
    expect(temp.db.$client.prepare("SELECT login, kind, name, website FROM owners ORDER BY login").all()).to.deep.equal(ownersBefore);
  });

  it("finds a repository added after a full last page, whose earlier pages answer 304", async function () {
    fake.addUser("jdoe");
    fake.addRepos("jdoe", 100);
    await harvest(["jdoe"]);
    // A user's repositories are sorted by name: this one lands alone on page 2.
    const added = fake.addRepo("jdoe", { name: "zz-new" });
    fake.clearLog();

    const summary = await harvest(["jdoe"]);

    expect(summary).to.include({ repositoriesAdded: 1, repositoriesRemoved: 0 });
    expect(repository(added.id).full_name).to.equal("jdoe/zz-new");
    expect(traffic(/\/repos$/)).to.deep.equal([
      "304 /users/jdoe/repos?type=owner&per_page=100&page=1",
      "200 /users/jdoe/repos?type=owner&per_page=100&page=2",
    ]);
  });

  it("harvests a user account, not an organisation, and asks /users straight away the next time", async function () {
    fake.addUser("jdoe", { name: "Jeanne Doe", bio: "Développeuse à la DINUM", blog: "jdoe.example.fr", location: "Lyon" });
    fake.addRepos("jdoe", 3);

    const summary = await harvest(["jdoe"]);

    expect(summary.status).to.equal("succeeded");
    expect(traffic()).to.deep.equal([
      "404 /orgs/jdoe",
      "200 /users/jdoe",
      "200 /users/jdoe/repos?type=owner&per_page=100&page=1",
    ]);
    const owner = temp.db.$client.prepare("SELECT * FROM owners WHERE login = 'jdoe'").get() as Record<string, unknown>;
    expect(owner).to.include({ kind: "user", name: "Jeanne Doe", description: "Développeuse à la DINUM", website: "https://jdoe.example.fr/", location: "Lyon", verified: null });
    expect(live("jdoe")).to.deep.equal(["jdoe/repo-0000", "jdoe/repo-0001", "jdoe/repo-0002"]);

    fake.clearLog();
    await harvest(["jdoe"]);
    expect(fake.log(/^\/orgs\//)).to.deep.equal([]);
  });

  it("maps licences, homepages and free text, and never stores a private repository", async function () {
    fake.addOrg("dinum");
    const mit = fake.addRepo("dinum", { name: "mit", license: "MIT", homepage: "www.example.fr", topics: ["Open-Data", "open-data", " GOUV "], stars: 12, forks: 3, openIssues: 4, archived: true, template: true, language: "TypeScript" });
    const unknown = fake.addRepo("dinum", { name: "unknown-licence", license: "NOASSERTION", homepage: "javascript:alert(document.cookie)", description: "  Outil\u0007 de test\u0000  " });
    const none = fake.addRepo("dinum", { name: "no-licence", license: null, homepage: "", fork: true });
    const secret = fake.addRepo("dinum", { name: "secret", private: true });
    fake.leakPrivateRepositories = true;

    await harvest(["dinum"]);

    expect(repository(mit.id)).to.include({ license: "MIT", homepage: "https://www.example.fr/", stars: 12, forks: 3, open_issues: 4, archived: 1, template: 1, fork: 0, language: "TypeScript", full_name: "dinum/mit", url: "https://github.com/dinum/mit" });
    expect(JSON.parse(repository(mit.id).topics)).to.deep.equal(["open-data", "gouv"]);
    expect(repository(unknown.id)).to.include({ license: "other", homepage: null, description: "Outil de test" });
    expect(repository(none.id)).to.include({ license: null, homepage: null, fork: 1 });
    expect(repositories().map((row) => row.forge_id)).not.to.include(String(secret.id));
  });

  it("keeps one record through a rename: same forge id, new name", async function () {
    fake.addOrg("etalab");
    const [renamed] = fake.addRepos("etalab", 3);
    await harvest(["etalab"]);
    fake.renameRepo(renamed as number, "api-adresse");

    const summary = await harvest(["etalab"]);

    expect(summary).to.include({ repositoriesAdded: 0, repositoriesUpdated: 1, repositoriesRemoved: 0 });
    expect(repository(renamed as number)).to.include({ name: "api-adresse", full_name: "etalab/api-adresse", removed_at: null });
    expect(repositories()).to.have.length(3);
    expect(live("etalab")).to.include("etalab/api-adresse").and.not.include("etalab/repo-0000");
  });

  it("marks a vanished repository removed: kept in the store, hidden from the catalogue", async function () {
    fake.addOrg("etalab");
    const [gone] = fake.addRepos("etalab", 3);
    await harvest(["etalab"]);
    fake.removeRepo(gone as number);

    const summary = await harvest(["etalab"]);

    expect(summary).to.include({ status: "succeeded", repositoriesRemoved: 1, repositoriesAdded: 0 });
    expect(repository(gone as number).removed_at).to.be.a("string");
    expect(live("etalab")).to.deep.equal(["etalab/repo-0001", "etalab/repo-0002"]);
  });

  it("waits for the primary rate-limit reset, says so, and then succeeds", async function () {
    fake.addOrg("etalab");
    fake.addRepos("etalab", 150);
    fake.exhaustRateLimit(1_000);
    const waits: { waitMs: number; reason: string }[] = [];

    const summary = await harvest(["etalab"], { reporter: { rateLimitWait: (info) => waits.push(info) } });

    expect(summary.status).to.equal("succeeded");
    expect(summary.rateLimitWaits).to.be.at.least(1);
    expect(waits).to.have.length(summary.rateLimitWaits);
    expect(waits[0]?.waitMs).to.be.above(0).and.at.most(10_000);
    expect(waits[0]?.reason).to.match(/rate-limit reset/);
    expect(traffic(/^\/orgs\/etalab$/)).to.deep.equal(["403 /orgs/etalab", "200 /orgs/etalab"]);
    expect(live("etalab")).to.have.length(150);
  });

  it("waits as long as a secondary rate limit asks, then succeeds", async function () {
    fake.addOrg("etalab");
    fake.addRepos("etalab", 5);
    fake.secondaryRateLimit("/orgs/etalab/repos", 1);
    const waits: { waitMs: number; reason: string }[] = [];

    const summary = await harvest(["etalab"], { reporter: { rateLimitWait: (info) => waits.push(info) } });

    expect(summary.status).to.equal("succeeded");
    expect(waits).to.deep.equal([{ host: "github.com", waitMs: 1_000, reason: "waiting for GitHub's secondary rate limit" }]);
    expect(traffic(/\/repos$/)).to.deep.equal(["403", "200"].map((status) => `${status} /orgs/etalab/repos?type=public&per_page=100&page=1`));
    expect(live("etalab")).to.have.length(5);
  });

  it("gives the account up as rate_limited when the reset is further away than allowed", async function () {
    fake.addOrg("etalab");
    fake.exhaustRateLimit(3_600_000);

    const summary = await harvest(["etalab"], { maxRateLimitWaitMs: 1_000 });

    expect(summary.status).to.equal("failed");
    expect(summary.rateLimitWaits).to.equal(0);
    expect(accountResults(summary.runId).etalab).to.include({ status: "failed", reason: "rate_limited" });
    expect(accountResults(summary.runId).etalab?.message).to.match(/rate limit/);
  });

  it("stops at once when the harvest is interrupted during a rate-limit wait", async function () {
    fake.addOrg("etalab");
    fake.exhaustRateLimit(60_000);
    const controller = new AbortController();

    // Without the abort, the run would wait a minute, beyond mocha's timeout.
    const summary = await harvest(["etalab"], { maxRateLimitWaitMs: 120_000, signal: controller.signal, reporter: { rateLimitWait: () => controller.abort() } });

    expect(summary.status).to.equal("interrupted");
    expect(accountResults(summary.runId).etalab).to.include({ status: "failed", reason: "interrupted" });
  });

  it("records each failing account with its reason while the others succeed, and keeps what earlier runs harvested", async function () {
    const ids: Record<string, number[]> = {};
    for (const login of ["good", "broken", "slow", "garbled", "locked"]) {
      fake.addOrg(login);
      ids[login] = fake.addRepos(login, 120);
    }
    // A forge nobody listens on: connection refused.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const moreSources = ["github.example.gouv.fr:", "  forge: github", `  api: http://127.0.0.1:${port}`, "  owners:", "    offline:"].join("\n");

    const first = await harvest(["good", "broken", "slow", "garbled", "locked"]);
    expect(first.status).to.equal("succeeded");
    // Gone from the forge since, but a run that fails on these accounts must not conclude anything from it.
    for (const login of ["broken", "slow", "garbled"]) fake.removeRepo(ids[login]?.[0] as number);

    fake.inject("/orgs/broken/repos", { kind: "status", status: 502 }, 10);
    fake.inject("/orgs/slow/repos", { kind: "hang" }, 100);
    fake.inject("/orgs/garbled/repos", { kind: "garbage" });
    fake.inject("/orgs/locked", { kind: "status", status: 401, body: { message: "Bad credentials" } });
    fake.clearLog();
    const second = await harvest(["good", "broken", "slow", "garbled", "locked", "ghost"], { timeoutMs: 300, moreSources });

    expect(second.status).to.equal("partial");
    const results = accountResults(second.runId);
    expect(results.good).to.include({ status: "ok", reason: null });
    expect(results.broken).to.include({ status: "failed", reason: "server_error" });
    expect(results.broken?.message).to.equal("GitHub answered 502 for page 1 of the repositories of organisation 'broken', again after retrying");
    // Tried in the first pass, and again in the second one: server_error, timeout and network_error are transient.
    const attempts = Object.fromEntries(listRunAccounts(temp.db, second.runId).map((row) => [row.login, [row.attempts, row.firstReason, row.retries]]));
    expect(attempts).to.deep.include({ broken: [2, "server_error", 8], slow: [2, "timeout", 8], offline: [2, "network_error", 8], ghost: [1, null, 0], good: [1, null, 0] });
    expect(results.slow).to.include({ status: "failed", reason: "timeout" });
    expect(results.slow?.message).to.match(/did not answer within 0\.3 s for page 1 of the repositories of organisation 'slow'/);
    expect(results.garbled).to.include({ status: "failed", reason: "invalid_response" });
    expect(results.locked).to.include({ status: "failed", reason: "unauthorized" });
    expect(results.ghost).to.deep.equal({ status: "failed", reason: "not_found", message: "GitHub answered 404 for organisation or user 'ghost'" });
    expect(results.offline).to.include({ status: "failed", reason: "network_error" });
    expect(second.accountsFailed).to.equal(6);
    // Each pass: the first attempt and four retries, timeouts included.
    expect(traffic(/^\/orgs\/broken\/repos$/)).to.deep.equal(Array(10).fill("502 /orgs/broken/repos?type=public&per_page=100&page=1"));
    expect(traffic(/^\/orgs\/slow\/repos$/)).to.deep.equal(Array(10).fill("0 /orgs/slow/repos?type=public&per_page=100&page=1"));

    for (const login of ["good", "broken", "slow", "garbled", "locked"]) expect(live(login), login).to.have.length(120);
    expect(live("broken")).to.include("broken/repo-0000");
    expect(second.repositoriesRemoved).to.equal(0);
  });

  it("falls back to unconditional requests when a cached payload cannot be read", async function () {
    fake.addOrg("etalab");
    fake.addRepos("etalab", 120);
    await harvest(["etalab"]);
    temp.db.$client.prepare("UPDATE http_cache SET payload = 'not json'").run();
    fake.clearLog();

    const summary = await harvest(["etalab"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 0, repositoriesUpdated: 0, repositoriesRemoved: 0, notModified: 0 });
    expect(fake.requests.map((r) => r.headers["if-none-match"])).to.deep.equal([undefined, undefined, undefined]);
    expect(live("etalab")).to.have.length(120);
  });
});
