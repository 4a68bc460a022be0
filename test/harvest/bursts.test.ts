// Issue 8, "bursts of errors": what real forges do during an incident (5xx in
// a row, hangs, refused connections, a host down), against the fake forges
// with the real clients. Backoff bases are 1 ms: no test waits real seconds.
import { expect } from "chai";
import { backoffMs, isPermanentNetworkFailure, retryAfterHeaderMs } from "../../src/forges/retry.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { runHarvest, type HarvestReporter, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { iterateLiveRepositories } from "../../src/store/catalog.ts";
import { listRunAccounts } from "../../src/store/runs.ts";
import type { FakeHttpServer, FakeRequest } from "../fake-forge/fakeHttp.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitea } from "../fake-forge/fakeGitea.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const fastRetries = { retries: 4, baseMs: 1, maxMs: 60_000 };

/** One forge family under test: how to fill its fake and name it in the sources. */
interface Family {
  type: string;
  host: string;
  start(): Promise<FakeHttpServer>;
  /** Adds an owner with `count` repositories. */
  fill(fake: FakeHttpServer, login: string, count: number): void;
  /** Requests for page 2 of an owner's repositories. */
  secondPage(login: string): (request: FakeRequest) => boolean;
}

const families: Family[] = [
  {
    type: "github",
    host: "github.com",
    start: () => new FakeGitHub().start(),
    fill: (fake, login, count) => {
      (fake as FakeGitHub).addOrg(login);
      (fake as FakeGitHub).addRepos(login, count);
    },
    secondPage: (login) => (r) => r.path === `/orgs/${login}/repos` && r.query.get("page") === "2",
  },
  {
    type: "gitlab",
    host: "gitlab.example.fr",
    start: () => new FakeGitLab().start(),
    fill: (fake, login, count) => {
      (fake as FakeGitLab).addGroup({ path: login });
      for (let i = 0; i < count; i++) (fake as FakeGitLab).addProject({ namespace: login, path: `p${i}` });
    },
    secondPage: (login) => (r) => /^\/api\/v4\/groups\/\d+\/projects$/.test(r.path) && r.query.get("page") === "2" && login !== "",
  },
  {
    type: "gitea",
    host: "git.example.fr",
    start: () => new FakeGitea().start(),
    fill: (fake, login, count) => {
      (fake as FakeGitea).addOrg(login);
      (fake as FakeGitea).addRepos(login, count);
    },
    secondPage: (login) => (r) => r.path === `/api/v1/orgs/${login}/repos` && r.query.get("page") === "2",
  },
];

describe("harvest through bursts of forge errors", function () {
  let temp: TempDatabase;
  const fakes: FakeHttpServer[] = [];

  beforeEach(() => (temp = tempDatabase()));
  afterEach(async () => {
    for (const fake of fakes.splice(0)) await fake.stop().catch(() => {});
    temp.close();
  });

  function sources(family: Family, api: string, logins: string[]): string {
    return [`${family.host}:`, `  forge: ${family.type}`, `  api: ${api}`, "  owners:", ...logins.map((login) => `    ${login}:`)].join("\n");
  }

  function harvest(yaml: string, options: { timeoutMs?: number; reporter?: HarvestReporter; secondPassDelayMs?: number } = {}): Promise<RunSummary> {
    return runHarvest({
      db: temp.db,
      sources: parseSources(yaml),
      registry: defaultRegistry(),
      config: { tokens: {}, httpTimeoutMs: options.timeoutMs ?? 5_000, harvestConcurrency: 3, maxRateLimitWaitMs: 10_000 },
      trigger: "cli",
      retryPolicy: fastRetries,
      secondPassDelayMs: options.secondPassDelayMs ?? 0,
      ...(options.reporter ? { reporter: options.reporter } : {}),
    });
  }

  const live = () => [...iterateLiveRepositories(temp.db)];
  const results = (runId: number) => Object.fromEntries(listRunAccounts(temp.db, runId).map((row) => [row.login, row]));

  for (const family of families) {
    it(`${family.type}: harvests whole, in one run, an account whose second page answers 502 four times`, async function () {
      const fake = await family.start();
      fakes.push(fake);
      family.fill(fake, "ministry", 150);
      family.fill(fake, "agency", 20);
      fake.inject(family.secondPage("ministry"), { kind: "status", status: 502, body: { message: "Bad Gateway" } }, 4);

      const summary = await harvest(sources(family, fake.url, ["ministry", "agency"]));

      expect(summary).to.include({ status: "succeeded", accountsFailed: 0, repositoriesAdded: 170 });
      expect(live()).to.have.length(170);
      expect(fake.requests.filter((r) => family.secondPage("ministry")(r)).map((r) => r.status)).to.deep.equal([502, 502, 502, 502, 200]);
      // One attempt of the account, four retries of one request, on the account that took them.
      expect(results(summary.runId).ministry).to.include({ status: "ok", attempts: 1, retries: 4 });
      expect(results(summary.runId).agency).to.include({ status: "ok", retries: 0 });
    });

    it(`${family.type}: a hung account fails alone after the timeout while the others complete`, async function () {
      const fake = await family.start();
      fakes.push(fake);
      for (const login of ["a", "b", "hung", "c"]) family.fill(fake, login, 3);
      fake.inject((r) => r.path.includes("/hung") || /\/groups\/hung$/.test(r.path), { kind: "hang" }, 1_000);

      const summary = await harvest(sources(family, fake.url, ["a", "b", "hung", "c"]), { timeoutMs: 200 });

      expect(summary.status).to.equal("partial");
      expect(summary.failures.map((f) => [f.login, f.reason])).to.deep.equal([["hung", "timeout"]]);
      expect(results(summary.runId).hung).to.include({ attempts: 2, firstReason: "timeout" });
      expect(live()).to.have.length(9);
    });

    it(`${family.type}: a forge refusing connections at first is harvested whole by the second pass`, async function () {
      const fake = await family.start();
      fakes.push(fake);
      for (const login of ["a", "b", "c", "d"]) family.fill(fake, login, 5);
      const port = fake.port;
      await fake.stop();
      let secondPass = 0;
      // The forge comes back while the harvest waits before its second pass.
      const reporter: HarvestReporter = {
        secondPass: ({ accounts }) => {
          secondPass = accounts;
          void fake.start(port);
        },
      };

      const summary = await harvest(sources(family, `http://127.0.0.1:${port}`, ["a", "b", "c", "d"]), { reporter, secondPassDelayMs: 100 });

      expect(secondPass).to.equal(4);
      expect(summary).to.include({ status: "succeeded", accountsFailed: 0, repositoriesAdded: 20 });
      for (const login of ["a", "b", "c", "d"]) expect(results(summary.runId)[login]).to.include({ status: "ok", attempts: 2, firstReason: "network_error" });
    });
  }

  for (const family of families) {
    it(`${family.type}: honours Retry-After on a 503, and stops retrying when it asks longer than a retry may wait`, async function () {
      const fake = await family.start();
      fakes.push(fake);
      family.fill(fake, "soon", 3);
      family.fill(fake, "later", 3);
      // Retry-After: 0 is honoured as "at once"; an hour is beyond the policy's longest wait (60 s).
      fake.inject((r) => r.path.includes("/soon"), { kind: "status", status: 503, headers: { "retry-after": "0" } }, 2);
      fake.inject((r) => r.path.includes("/later"), { kind: "status", status: 503, headers: { "retry-after": "3600" } }, 1_000);

      const summary = await harvest(sources(family, fake.url, ["soon", "later"]));

      expect(results(summary.runId).soon).to.include({ status: "ok", retries: 2 });
      expect(results(summary.runId).later).to.include({ status: "failed", reason: "server_error", retries: 0, attempts: 2 });
      // One request a pass: no retry against a forge that asks for an hour.
      expect(fake.requests.filter((r) => r.path.includes("/later"))).to.have.length(2);
    });
  }

  it("starts a host's other accounts as soon as the host answers, not when its first account is done", async function () {
    const fake = await new FakeGitHub().start();
    fakes.push(fake);
    for (const login of ["first", "second", "third"]) {
      fake.addOrg(login);
      fake.addRepos(login, 2);
    }
    // The first account's listing is slow; the host already answered its /orgs request.
    fake.inject("/orgs/first/repos", { kind: "delay", ms: 500 });

    const summary = await harvest(sources(families[0] as Family, fake.url, ["first", "second", "third"]));

    expect(summary.status).to.equal("succeeded");
    // The fake logs a request when it answers: the others were done before the slow page.
    const log = fake.log();
    expect(log.indexOf("GET /orgs/second")).to.be.lessThan(log.indexOf("GET /orgs/first/repos?type=public&per_page=100&page=1"));
    expect(log.indexOf("GET /orgs/third")).to.be.lessThan(log.indexOf("GET /orgs/first/repos?type=public&per_page=100&page=1"));
  });

  it("spends a handful of attempts, not one per account, on an unreachable host with 100 accounts", async function () {
    const fake = await new FakeGitLab().start();
    const port = fake.port;
    await fake.stop();
    const logins = Array.from({ length: 100 }, (_, i) => `group-${i}`);

    const summary = await harvest(sources(families[1] as Family, `http://127.0.0.1:${port}`, logins));

    expect(summary).to.include({ status: "failed", accountsFailed: 100 });
    expect(summary.failures.every((f) => f.reason === "network_error")).to.equal(true);
    // One account probes the host in each pass (the first attempt and 4 retries); the others fail at once.
    expect(summary.requests).to.equal(10);
    const notTried = summary.failures.filter((f) => /^not tried: gitlab\.example\.fr could not be reached/.test(f.message ?? ""));
    expect(notTried).to.have.length(99);
    expect(Object.values(results(summary.runId)).every((row) => row.attempts === 2)).to.equal(true);
  });

  it("does not try twice an account that failed for a reason another try will not change", async function () {
    const fake = await new FakeGitHub().start();
    fakes.push(fake);
    fake.addOrg("fine");
    fake.inject("/orgs/refused", { kind: "status", status: 403, body: { message: "Forbidden" } });
    let secondPass = false;

    const summary = await harvest(sources(families[0] as Family, fake.url, ["fine", "ghost", "refused"]), { reporter: { secondPass: () => (secondPass = true) } });

    expect(secondPass).to.equal(false);
    expect(summary.failures.map((f) => [f.login, f.reason, f.message?.length ? "message" : null])).to.have.deep.members([
      ["ghost", "not_found", "message"],
      ["refused", "unauthorized", "message"],
    ]);
    // 404 and 403 are never retried: one request each (ghost: /orgs then /users).
    expect(fake.log(/refused|ghost/)).to.have.members(["GET /orgs/ghost", "GET /users/ghost", "GET /orgs/refused"]);
  });
});

describe("retry backoff", function () {
  const policy = { retries: 4, baseMs: 1_000, maxMs: 60_000 };

  it("doubles each time, half fixed and half random", function () {
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n, null, () => 0))).to.deep.equal([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n, null, () => 0.999_999))).to.deep.equal([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(policy, 20, null, () => 1)).to.equal(60_000);
  });

  it("waits at least what Retry-After asks, and gives up when it asks more than the longest wait", function () {
    expect(backoffMs(policy, 1, 5_000, () => 0)).to.equal(5_000);
    expect(backoffMs(policy, 4, 100, () => 0)).to.equal(4_000);
    expect(backoffMs(policy, 1, 3_600_000)).to.equal(null);
  });

  it("does not retry a host name the DNS does not know, but retries a DNS that did not answer", function () {
    // As undici rejects: a TypeError "fetch failed" whose cause carries the system error.
    const failure = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(`getaddrinfo ${code} forge.example.fr`), { code }) });
    expect(isPermanentNetworkFailure(failure("ENOTFOUND"))).to.equal(true);
    expect(isPermanentNetworkFailure(failure("EAI_AGAIN"))).to.equal(false);
    expect(isPermanentNetworkFailure(failure("ECONNREFUSED"))).to.equal(false);
    expect(isPermanentNetworkFailure(new Error("other"))).to.equal(false);
  });

  it("reads Retry-After in seconds or as an HTTP date", function () {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterHeaderMs("7", now)).to.equal(7_000);
    expect(retryAfterHeaderMs("Thu, 01 Jan 2026 00:00:30 GMT", now)).to.equal(30_000);
    expect(retryAfterHeaderMs("soon", now)).to.equal(null);
    expect(retryAfterHeaderMs(undefined, now)).to.equal(null);
  });
});
