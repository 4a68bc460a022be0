// The GitLab harvester end to end: the real gitbeaker client against FakeGitLab,
// runHarvest, and a real SQLite store.
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { gitlabForgeType } from "../../src/forges/gitlab/index.ts";
import { rateLimitWaitMs } from "../../src/forges/gitlab/transport.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest, type HarvestReporter, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { listRunAccounts } from "../../src/store/runs.ts";
import { accounts, owners, repositories } from "../../src/store/schema.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const host = "gitlab.example.fr";
const registry = new ForgeRegistry({ gitlab: gitlabForgeType });

interface Forge {
  host: string;
  fake: FakeGitLab;
  /** Logins of the accounts; null: the whole instance. */
  owners: string[] | null;
  /** The sources' api key, when not the fake's bare URL. */
  api?: string;
}

interface HarvestOptions {
  timeoutMs?: number;
  maxRateLimitWaitMs?: number;
  reporter?: HarvestReporter;
  tokens?: Record<string, string>;
}

describe("GitLab harvest", function () {
  let fake: FakeGitLab;
  let temp: TempDatabase;
  const others: FakeGitLab[] = [];

  beforeEach(async function () {
    fake = await new FakeGitLab().start();
    temp = tempDatabase();
  });

  afterEach(async function () {
    await fake.stop();
    for (const other of others.splice(0)) await other.stop();
    temp.close();
  });

  async function anotherFake(): Promise<FakeGitLab> {
    const other = await new FakeGitLab().start();
    others.push(other);
    return other;
  }

  function harvestForges(forges: Forge[], options: HarvestOptions = {}): Promise<RunSummary> {
    const yaml = forges
      .flatMap((forge) => [
        `${forge.host}:`,
        "  forge: gitlab",
        `  api: ${forge.api ?? forge.fake.url}`,
        ...(forge.owners ? ["  owners:", ...forge.owners.map((login) => `    ${login}:`)] : []),
      ])
      .join("\n");
    return runHarvest({
      db: temp.db,
      sources: parseSources(yaml),
      registry,
      config: { tokens: options.tokens ?? {}, httpTimeoutMs: options.timeoutMs ?? 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 10_000 },
      trigger: "cli",
      // Retries after about 1 ms, no pause before the second pass: persistent 5xx fail fast.
      retryPolicy: { retries: 4, baseMs: 1, maxMs: 60_000 },
      secondPassDelayMs: 0,
      // Profiles (issue 9) have their own tests (profiles.test.ts): these count the listing requests alone.
      profiles: false,
      ...(options.reporter ? { reporter: options.reporter } : {}),
    });
  }

  const harvest = (logins: string[] | null, options: HarvestOptions = {}) => harvestForges([{ host, fake, owners: logins }], options);

  const stored = () => temp.db.select().from(repositories).orderBy(repositories.pk).all();
  const live = () => stored().filter((r) => r.removedAt === null);
  const byName = (fullName: string) => {
    const row = stored().find((r) => r.fullName === fullName);
    if (!row) throw new Error(`${fullName} was not stored`);
    return row;
  };
  const storedOwners = () => temp.db.select().from(owners).orderBy(owners.login).all();

  /** top → top/sub → top/sub/subsub → top/sub/subsub/leaf: three levels of subgroups. */
  function nestedGroups(): string[] {
    fake.addGroup({ path: "top", name: "Top", description: "The ministry" });
    fake.addGroup({ path: "sub", name: "Sub", parent: "top" });
    fake.addGroup({ path: "subsub", name: "Sub sub", parent: "top/sub" });
    fake.addGroup({ path: "leaf", name: "Leaf", parent: "top/sub/subsub" });
    return ["top", "top/sub", "top/sub/subsub", "top/sub/subsub/leaf"];
  }

  it("is registered as forge type gitlab, on https://<host> unless the sources give an api", async function () {
    // Imported here: the map also loads the other forge types, which this file does not test.
    const { defaultRegistry } = await import("../../src/forges/forgeTypes.ts");
    expect(defaultRegistry().types()).to.include("gitlab");
    expect(defaultRegistry().defaultApiUrl("gitlab", "gitlab.example.fr")).to.equal("https://gitlab.example.fr");
  });

  it("accepts an api key written with /api/v4", async function () {
    fake.addGroup({ path: "g" });
    fake.addProject({ namespace: "g", path: "p" });

    const summary = await harvestForges([{ host, fake, owners: ["g"], api: `${fake.url}/api/v4/` }]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 1 });
    expect(fake.log()[0]).to.equal("GET /api/v4/groups/g?with_projects=false");
  });

  for (const pagination of ["both", "link", "x-next-page"] as const) {
    it(`harvests a group with three levels of subgroups over several offset pages (headers: ${pagination})`, async function () {
      fake.configure({ pagination });
      const groups = nestedGroups();
      for (let i = 0; i < 210; i++) fake.addProject({ namespace: groups[i % groups.length] as string, path: `p${i}`, licenseKey: "mit", languages: { Python: 100 } });
      // Not the group's: neither a project elsewhere nor a private one of the group.
      fake.addGroup({ path: "elsewhere" });
      fake.addProject({ namespace: "elsewhere", path: "not-mine" });
      fake.addProject({ namespace: "top/sub", path: "secret", visibility: "private" });

      const summary = await harvest(["top"]);

      expect(summary).to.include({ status: "succeeded", repositoriesAdded: 210, repositoriesSeen: 210 });
      expect(live().map((r) => r.fullName)).to.have.members(Array.from({ length: 210 }, (_, i) => `${groups[i % groups.length]}/p${i}`));
      for (const row of live()) expect(row.owner).to.equal(row.fullName.slice(0, row.fullName.lastIndexOf("/")));
      const harvestedOwners = storedOwners();
      expect(harvestedOwners.map((o) => o.login)).to.have.members(groups);
      expect(harvestedOwners.every((o) => o.kind === "group")).to.equal(true);
      expect(harvestedOwners.find((o) => o.login === "top")).to.include({ name: "Top", description: "The ministry", forgeId: "1" });
      // Every row points at its owner's row.
      const ownerIds = new Map(harvestedOwners.map((o) => [o.login, o.id]));
      for (const row of live()) expect(row.ownerId).to.equal(ownerIds.get(row.owner));
      // Three pages of 100, whichever headers told where the next one was.
      const pages = fake.log(/\/groups\/1\/projects$/);
      expect(pages).to.have.length(3);
      expect(pages[2]).to.match(/page=3/);
    });
  }

  it("stores complete records", async function () {
    fake.addGroup({ path: "dinum" });
    const original = fake.addProject({ namespace: "dinum", path: "upstream" });
    const project = fake.addProject({
      namespace: "dinum",
      path: "outil-carto",
      name: "Outil Carto",
      description: "  Un outil\u0007 de cartographie  ",
      topics: ["Carto", "SIG", "carto"],
      stars: 12,
      forks: 3,
      openIssues: 7,
      archived: true,
      forkedFromId: original.id,
      defaultBranch: "develop",
      licenseKey: "eupl-1.2",
      languages: { Shell: 4.5, TypeScript: 80.1, Python: 15.4 },
    });
    fake.addProject({ namespace: "dinum", path: "no-issues", openIssues: null });

    await harvest(["dinum"]);

    expect(byName("dinum/outil-carto")).to.deep.include({
      forgeId: String(project.id),
      forge: "gitlab",
      host,
      owner: "dinum",
      name: "outil-carto",
      url: "https://gitlab.example.fr/dinum/outil-carto",
      description: "Un outil de cartographie",
      homepage: null,
      language: "TypeScript",
      license: "EUPL-1.2",
      topics: ["carto", "sig"],
      stars: 12,
      forks: 3,
      openIssues: 7,
      archived: true,
      fork: true,
      template: false,
      defaultBranch: "develop",
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      pushedAt: project.lastActivityAt,
      changeMarker: project.lastActivityAt,
    });
    expect(byName("dinum/upstream")).to.include({ fork: false, archived: false });
    expect(byName("dinum/no-issues").openIssues).to.equal(0);
  });

  it("maps licence keys to SPDX ids, unknown ones to other, none to null, and takes the largest language", async function () {
    fake.addGroup({ path: "g" });
    const cases: [string | null, string | null][] = [
      ["mit", "MIT"],
      ["apache-2.0", "Apache-2.0"],
      ["gpl-3.0", "GPL-3.0"],
      ["agpl-3.0", "AGPL-3.0"],
      ["lgpl-3.0", "LGPL-3.0"],
      ["mpl-2.0", "MPL-2.0"],
      ["bsd-3-clause", "BSD-3-Clause"],
      ["cecill-2.1", "CECILL-2.1"],
      ["other", "other"],
      ["some-new-licence-1.0", "other"],
      [null, null],
    ];
    cases.forEach(([key], i) => fake.addProject({ namespace: "g", path: `l${i}`, licenseKey: key, languages: i === 0 ? {} : { Go: 10, Python: 80, Shell: 10 } }));

    await harvest(["g"]);

    cases.forEach(([, spdx], i) => expect(byName(`g/l${i}`).license, `licence of l${i}`).to.equal(spdx));
    expect(byName("g/l0").language).to.equal(null);
    expect(byName("g/l1").language).to.equal("Python");
  });

  it("harvests a whole instance with keyset pagination, following Link even when it names another origin", async function () {
    // Behind a proxy, GitLab writes its external URL in Link: only the query may be trusted.
    fake.configure({ linkOrigin: "https://gitlab.example.fr" });
    nestedGroups();
    fake.addGroup({ path: "interne", visibility: "internal" });
    fake.addUser({ username: "alice", name: "Alice" });
    for (let i = 0; i < 230; i++) fake.addProject({ namespace: i % 10 === 0 ? "alice" : "top/sub", path: `p${i}` });
    fake.addProject({ namespace: "top", path: "private", visibility: "private" });

    const summary = await harvest(null);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 230 });
    expect(live()).to.have.length(230);
    const pages = fake.log(/^\/api\/v4\/projects$/);
    expect(pages).to.have.length(3);
    expect(pages.every((line) => /pagination=keyset/.test(line) && /order_by=id/.test(line) && /sort=asc/.test(line) && !/page=/.test(line.replace(/per_page=/, "")))).to.equal(true);
    expect(pages[1]).to.match(/id_after=\d+/);
    expect(storedOwners().map((o) => [o.login, o.kind])).to.have.deep.members([
      ["alice", "user"],
      ["top", "group"],
      ["top/sub", "group"],
      ["top/sub/subsub", "group"],
      ["top/sub/subsub/leaf", "group"],
    ]);
    expect(byName("alice/p0").owner).to.equal("alice");
    expect(temp.db.select().from(accounts).where(eq(accounts.login, "")).get()).to.include({ host, lastStatus: "ok" });
  });

  it("harvests a user namespace with the user's profile", async function () {
    fake.addUser({ username: "alice", name: "Alice Martin", bio: "Développeuse", websiteUrl: "alice.example.fr", location: "Lyon", publicEmail: "alice@example.fr" });
    fake.addUser({ username: "bob" });
    for (let i = 0; i < 3; i++) fake.addProject({ namespace: "alice", path: `a${i}` });
    fake.addProject({ namespace: "bob", path: "b0" });

    const summary = await harvest(["alice"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 3 });
    expect(live().map((r) => r.fullName)).to.have.members(["alice/a0", "alice/a1", "alice/a2"]);
    expect(storedOwners()).to.have.length(1);
    expect(storedOwners()[0]).to.include({
      login: "alice",
      kind: "user",
      forgeId: "1",
      name: "Alice Martin",
      description: "Développeuse",
      website: "https://alice.example.fr/",
      location: "Lyon",
      email: "alice@example.fr",
    });
    expect(fake.log(/^\/api\/v4\/(groups|users)/).slice(0, 2)).to.deep.equal(["GET /api/v4/groups/alice?with_projects=false", "GET /api/v4/users?username=alice"]);
  });

  it("walks subgroups level by level on an instance without descendant_groups", async function () {
    fake.configure({ descendantGroups: false });
    const groups = nestedGroups();
    groups.forEach((group, i) => fake.addProject({ namespace: group, path: `p${i}` }));

    const summary = await harvest(["top"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 4 });
    expect(storedOwners().map((o) => o.login)).to.have.members(groups);
    expect(fake.log(/\/subgroups$/)).to.have.length(4);
  });

  it("waits for Retry-After on a 429, then carries on", async function () {
    fake.addGroup({ path: "g" });
    fake.addProject({ namespace: "g", path: "p" });
    fake.inject(/^\/api\/v4\/groups\/1\/projects$/, { kind: "status", status: 429, headers: { "retry-after": "1" }, body: { message: "Retry later" } });
    const waits: number[] = [];

    const summary = await harvest(["g"], { reporter: { rateLimitWait: ({ waitMs }) => waits.push(waitMs) } });

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 1 });
    expect(summary.rateLimitWaits).to.be.at.least(1);
    expect(waits).to.have.length(1);
    expect(waits[0]).to.be.within(1, 1_000);
    expect(fake.requests.filter((r) => r.path === "/api/v4/groups/1/projects").map((r) => r.status)).to.deep.equal([429, 200]);
  });

  it("pauses when RateLimit-Remaining reaches 0 until RateLimit-Reset, rather than spend a request on a 429", async function () {
    fake.addGroup({ path: "g" });
    fake.addProject({ namespace: "g", path: "p" });
    // The group, its descendants and its projects page use the 3 requests of the
    // window; the 2 detail calls of the project must wait for the next one.
    fake.setRateLimit(3, 1_500);

    const summary = await harvest(["g"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 1, rateLimitWaits: 1 });
    expect(fake.requests.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
  });

  it("gives up with rate_limited when the limit resets later than the run may wait", async function () {
    fake.addGroup({ path: "g" });
    fake.inject(/^\/api\/v4\/groups\/g$/, { kind: "status", status: 429, headers: { "retry-after": "3600" } });

    const summary = await harvest(["g"], { maxRateLimitWaitMs: 60_000 });

    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]).to.include({ reason: "rate_limited" });
    expect(summary.failures[0]?.message).to.match(/resets in 3600 s/);
    expect(summary.rateLimitWaits).to.equal(0);
  });

  it("fails with server_error a forge answering 5xx, while another forge succeeds", async function () {
    const healthy = await anotherFake();
    healthy.addGroup({ path: "ok" });
    healthy.addProject({ namespace: "ok", path: "p" });
    fake.addGroup({ path: "down" });
    fake.inject(/^\/api\/v4\//, { kind: "status", status: 503 }, 100);

    const summary = await harvestForges([
      { host, fake, owners: ["down"] },
      { host: "gitlab.other.fr", fake: healthy, owners: ["ok"] },
    ]);

    expect(summary.status).to.equal("partial");
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]).to.include({ host, login: "down", reason: "server_error" });
    expect(summary.failures[0]?.message).to.match(/503/);
    // Retried, but not forever: the first attempt and 4 retries, in each of the run's two passes.
    expect(fake.log()).to.have.length(10);
    expect(live().map((r) => `${r.host}/${r.fullName}`)).to.deep.equal(["gitlab.other.fr/ok/p"]);
    expect(listRunAccounts(temp.db, summary.runId).find((a) => a.login === "ok")).to.include({ status: "ok", repositories: 1 });
  });

  it("fails with invalid_response on an HTML page instead of JSON", async function () {
    fake.addGroup({ path: "g" });
    fake.inject(/^\/api\/v4\/groups\/g$/, { kind: "html" });

    const summary = await harvest(["g"]);

    expect(summary.failures[0]).to.include({ reason: "invalid_response" });
    expect(summary.failures[0]?.message).to.match(/HTML page instead of JSON/);
  });

  it("fails with timeout on an instance that does not answer", async function () {
    fake.addGroup({ path: "g" });
    fake.inject(/^\/api\/v4\/groups\/g$/, { kind: "hang" }, 100);

    const summary = await harvest(["g"], { timeoutMs: 300 });

    expect(summary.failures[0]).to.include({ reason: "timeout" });
    expect(summary.failures[0]?.message).to.match(/did not answer within 0\.3 s/);
  });

  it("fails with network_error on an instance that is down", async function () {
    const down = await new FakeGitLab().start();
    await down.stop();

    const summary = await harvestForges([{ host, fake: down, owners: ["g"] }]);

    expect(summary.failures[0]).to.include({ reason: "network_error" });
    expect(summary.failures[0]?.message).to.match(/cannot be reached \(ECONNREFUSED\)/);
  });

  it("stops at once, as interrupted, when the harvest is aborted mid-request", async function () {
    fake.addGroup({ path: "g" });
    fake.addProject({ namespace: "g", path: "p" });
    fake.inject(/\/languages$/, { kind: "hang" });
    const controller = new AbortController();
    const timer = setInterval(() => {
      if (fake.requests.some((r) => r.path.endsWith("/languages"))) controller.abort();
    }, 10);

    try {
      const summary = await runHarvest({
        db: temp.db,
        sources: parseSources(`${host}:\n  forge: gitlab\n  api: ${fake.url}\n  owners:\n    g:\n`),
        registry,
        config: { tokens: {}, httpTimeoutMs: 20_000, harvestConcurrency: 1, maxRateLimitWaitMs: 0 },
        trigger: "cli",
        signal: controller.signal,
      });
      expect(summary.status).to.equal("interrupted");
      expect(listRunAccounts(temp.db, summary.runId)[0]).to.include({ status: "failed", reason: "interrupted" });
      expect(live()).to.have.length(0);
    } finally {
      clearInterval(timer);
    }
  });

  it("records a vanished group as not_found and keeps what earlier runs harvested", async function () {
    fake.addGroup({ path: "g" });
    fake.addGroup({ path: "s", parent: "g" });
    fake.addProject({ namespace: "g", path: "a" });
    fake.addProject({ namespace: "g/s", path: "b" });
    await harvest(["g"]);
    fake.removeGroup("g");

    const summary = await harvest(["g"]);

    expect(summary).to.include({ status: "failed", repositoriesRemoved: 0 });
    expect(summary.failures[0]).to.include({ reason: "not_found" });
    expect(summary.failures[0]?.message).to.match(/no group or user "g"/);
    expect(live().map((r) => r.fullName)).to.have.members(["g/a", "g/s/b"]);
    expect(temp.db.select().from(accounts).where(and(eq(accounts.host, host), eq(accounts.login, "g"))).get()).to.include({ lastStatus: "failed", lastReason: "not_found" });
  });

  it("marks removed a project deleted between two runs", async function () {
    fake.addGroup({ path: "g" });
    const kept = fake.addProject({ namespace: "g", path: "kept" });
    const deleted = fake.addProject({ namespace: "g", path: "deleted" });
    await harvest(["g"]);
    fake.removeProject(deleted.id);

    const summary = await harvest(["g"]);

    expect(summary).to.include({ status: "succeeded", repositoriesRemoved: 1 });
    expect(byName("g/deleted").removedAt).to.be.a("string");
    expect(byName("g/kept").removedAt).to.equal(null);
    expect(kept.id).to.not.equal(deleted.id);
  });

  it("keeps one record for a project moved to another group, with its new path and owner", async function () {
    fake.addGroup({ path: "a" });
    fake.addGroup({ path: "b" });
    const moved = fake.addProject({ namespace: "a", path: "outil" });
    fake.addProject({ namespace: "b", path: "autre" });
    await harvest(["a", "b"]);
    fake.moveProject(moved.id, "b");

    const summary = await harvest(["a", "b"]);

    expect(summary.status).to.equal("succeeded");
    const rows = stored().filter((r) => r.forgeId === String(moved.id));
    expect(rows).to.have.length(1);
    const accountB = temp.db.select().from(accounts).where(eq(accounts.login, "b")).get();
    expect(rows[0]).to.include({ fullName: "b/outil", owner: "b", removedAt: null, accountId: accountB?.id });
    expect(stored()).to.have.length(2);
  });

  it("makes no per-project call and writes nothing on an unchanged instance, and re-fetches a project whose activity moved", async function () {
    const groups = nestedGroups();
    const projects = Array.from({ length: 120 }, (_, i) =>
      fake.addProject({ namespace: groups[i % groups.length] as string, path: `p${i}`, licenseKey: "mit", languages: { Java: 100 } }),
    );
    const first = await harvest(["top"]);
    expect(first.repositoriesAdded).to.equal(120);
    expect(fake.detailRequests()).to.have.length(240);

    fake.clearLog();
    const second = await harvest(["top"]);
    expect(second).to.include({ status: "succeeded", repositoriesAdded: 0, repositoriesUpdated: 0, repositoriesRemoved: 0, repositoriesSeen: 120 });
    expect(fake.detailRequests()).to.deep.equal([]);
    // The group, its descendants, two pages of projects.
    expect(second.requests).to.equal(4);
    expect(byName("top/p0")).to.include({ license: "MIT", language: "Java" });

    const touched = projects[7]!;
    fake.touchProject(touched.id, { licenseKey: "agpl-3.0", languages: { Rust: 90, Java: 10 } });
    // A new star moves no activity date: written, but with no extra call.
    fake.updateProject(projects[8]!.id, { stars: 5 });
    fake.clearLog();
    const third = await harvest(["top"]);
    expect(third).to.include({ repositoriesAdded: 0, repositoriesUpdated: 2 });
    expect(fake.detailRequests()).to.have.members([`GET /api/v4/projects/${touched.id}?license=true`, `GET /api/v4/projects/${touched.id}/languages`]);
    expect(byName(`${groups[7 % groups.length]}/p7`)).to.include({ license: "AGPL-3.0", language: "Rust", changeMarker: fake.project(touched.id).lastActivityAt });
    expect(byName(`${groups[0]}/p8`).stars).to.equal(5);
  });

  it("keeps a project's previous language when only its details fail, and tries again next run", async function () {
    fake.addGroup({ path: "g" });
    const broken = fake.addProject({ namespace: "g", path: "broken", licenseKey: "mit", languages: { C: 100 } });
    const membersOnly = fake.addProject({ namespace: "g", path: "members-only", licenseKey: "mit", languages: { C: 100 } });
    fake.addProject({ namespace: "g", path: "fine", licenseKey: "mit", languages: { C: 100 } });
    fake.inject(`/api/v4/projects/${broken.id}/languages`, { kind: "status", status: 500 }, 5);
    // A public project whose repository only members may read.
    fake.inject(`/api/v4/projects/${membersOnly.id}/languages`, { kind: "status", status: 403, body: { message: "403 Forbidden" } }, 100);

    const summary = await harvest(["g"]);

    expect(summary.status).to.equal("succeeded");
    expect(byName("g/broken")).to.include({ license: "MIT", language: null, changeMarker: null });
    expect(byName("g/members-only")).to.include({ license: "MIT", language: null, changeMarker: fake.project(membersOnly.id).lastActivityAt });
    expect(byName("g/fine")).to.include({ license: "MIT", language: "C" });

    fake.clearLog();
    await harvest(["g"]);
    expect(fake.detailRequests()).to.have.members([`GET /api/v4/projects/${broken.id}?license=true`, `GET /api/v4/projects/${broken.id}/languages`]);
    expect(byName("g/broken")).to.include({ license: "MIT", language: "C", changeMarker: fake.project(broken.id).lastActivityAt });
  });

  it("fails the account when the details of many projects in a row fail: the instance, not a project, is broken", async function () {
    fake.addGroup({ path: "g" });
    for (let i = 0; i < 8; i++) fake.addProject({ namespace: "g", path: `p${i}` });
    fake.inject(/\/languages$/, { kind: "status", status: 502 }, 1_000);

    const summary = await harvest(["g"]);

    expect(summary.failures[0]).to.include({ reason: "server_error" });
    expect(live()).to.have.length(0);
  });

  it("sends the host's token and still harvests only public projects and groups", async function () {
    fake.addGroup({ path: "g" });
    fake.addGroup({ path: "hidden", parent: "g", visibility: "private" });
    fake.addProject({ namespace: "g", path: "public" });
    fake.addProject({ namespace: "g", path: "internal", visibility: "internal" });
    fake.addProject({ namespace: "g/hidden", path: "private", visibility: "private" });

    await harvest(["g"], { tokens: { [host]: "glpat-secret" } });

    expect(fake.requests.every((r) => r.headers["private-token"] === "glpat-secret")).to.equal(true);
    expect(live().map((r) => r.fullName)).to.deep.equal(["g/public"]);
    expect(storedOwners().map((o) => o.login)).to.deep.equal(["g"]);
  });
});

describe("GitLab rate-limit headers", function () {
  const now = Date.parse("2026-03-01T12:00:00.000Z");

  it("reads Retry-After in seconds or as an HTTP date", function () {
    expect(rateLimitWaitMs({ "retry-after": "30" }, now)).to.equal(30_000);
    expect(rateLimitWaitMs({ "retry-after": "Sun, 01 Mar 2026 12:00:45 GMT" }, now)).to.equal(45_000);
  });

  it("reads RateLimit-Reset as GitLab's Unix time, or as the IETF draft's delay", function () {
    expect(rateLimitWaitMs({ "ratelimit-reset": String(now / 1000 + 20) }, now)).to.equal(20_000);
    expect(rateLimitWaitMs({ "ratelimit-reset": "12" }, now)).to.equal(12_000);
    expect(rateLimitWaitMs({ "ratelimit-resettime": "Sun, 01 Mar 2026 12:01:00 GMT" }, now)).to.equal(60_000);
  });

  it("prefers Retry-After, waits at least a second, and says null when nothing tells", function () {
    expect(rateLimitWaitMs({ "retry-after": "5", "ratelimit-reset": String(now / 1000 + 50) }, now)).to.equal(5_000);
    expect(rateLimitWaitMs({ "ratelimit-reset": String(now / 1000 - 3) }, now)).to.equal(1_000);
    expect(rateLimitWaitMs({}, now)).to.equal(null);
  });
});
