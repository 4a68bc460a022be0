// GitHub profiles' cost (issue 9): the latest releases through GraphQL in
// batches, the REST fallback, and conditional requests on the profile
// endpoints. The real octokit against the fake GitHub, runHarvest, real SQLite.
import { expect } from "chai";
import { GitHubAdapter, githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import type { Db } from "../../src/store/database.ts";
import { findProfile } from "../../src/store/profiles.ts";
import type { HarvestedRelease } from "../../src/forges/forge.ts";
import { parentOfNode, releaseOfNode, releasesQuery } from "../../src/forges/github/releases.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const quickRetries = { retry: { retries: 2, baseMs: 1, maxMs: 50 } };
const registry = new ForgeRegistry({ github: { ...githubForgeType, create: (options) => new GitHubAdapter(options, quickRetries) } });

function harvest(db: Db, fake: FakeGitHub, token: string | null): Promise<RunSummary> {
  return runHarvest({
    db,
    sources: parseSources(`github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n    dinum:\n`),
    registry,
    config: { tokens: token ? { "github.com": token } : {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
    trigger: "cli",
  });
}

function releaseOf(db: Db, forgeId: number): HarvestedRelease | null | undefined {
  const row = db.$client.prepare("SELECT pk FROM repositories WHERE forge_id = ?").get(String(forgeId)) as { pk: number } | undefined;
  return row ? findProfile(db, row.pk)?.profile?.latestRelease : undefined;
}

/** Profile requests by kind, counted. */
function counts(fake: FakeGitHub): Record<string, number> {
  const result: Record<string, number> = {};
  for (const request of fake.requests) {
    const kind = request.path === "/graphql"
      ? `graphql ${request.status}`
      : /\/releases\/latest$/.test(request.path)
        ? `release ${request.status}`
        : /\/contents$/.test(request.path)
          ? `root ${request.status}`
          : /\/contents\//.test(request.path)
            ? `file ${request.status}`
            : null;
    if (kind) result[kind] = (result[kind] ?? 0) + 1;
  }
  return result;
}

describe("GitHub profiles: latest releases through GraphQL, conditional requests", function () {
  this.timeout(20_000);
  let fake: FakeGitHub;
  let temp: TempDatabase;

  beforeEach(async function () {
    fake = await new FakeGitHub().start();
    temp = tempDatabase();
    fake.addOrg("dinum");
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  /** `count` repositories with a README; every third with a release, every third other with a tag alone. */
  function populate(count: number): number[] {
    const ids = fake.addRepos("dinum", count, () => ({ pushedAt: "2024-01-01T00:00:00Z" }));
    ids.forEach((id, i) => {
      fake.setFiles(id, { "README.md": `hello ${i}`, LICENSE: "MIT" });
      if (i % 3 === 0) fake.setReleases(id, [{ name: `Version ${i}`, tag: `v${i}.0.0`, date: "2024-05-01T10:00:00Z" }]);
      else if (i % 3 === 1) fake.setTags(id, [{ name: `v0.${i}`, tag: `v0.${i}`, date: "2024-03-01T10:00:00Z" }]);
    });
    return ids;
  }

  it("with a token, asks the latest releases of 50 repositories per GraphQL query, with the latest tag when there is no release", async function () {
    const ids = populate(60);
    const summary = await harvest(temp.db, fake, "ghp-test");
    expect(summary.profiles).to.deep.equal({ fetched: 60, failed: 0 });
    expect(counts(fake)).to.deep.equal({ "graphql 200": 2, "root 200": 60, "file 200": 60 });
    expect(fake.graphqlQueries).to.equal(2);
    expect(releaseOf(temp.db, ids[0]!)).to.deep.equal({ kind: "release", name: "Version 0", tag: "v0.0.0", date: "2024-05-01T10:00:00.000Z", url: "https://github.com/dinum/repo-0000/releases/tag/v0.0.0" });
    expect(releaseOf(temp.db, ids[1]!)).to.deep.equal({ kind: "tag", name: "v0.1", tag: "v0.1", date: "2024-03-01T10:00:00.000Z", url: "https://github.com/dinum/repo-0001/tree/v0.1" });
    expect(releaseOf(temp.db, ids[2]!)).to.equal(null);
    // Far under the 2.2 requests a repository of the target: a listing, the README, and a 30th of a query.
    expect(fake.requests.filter((r) => r.path.startsWith("/repos/") || r.path === "/graphql").length / 60).to.be.below(2.1);

    fake.clearLog();
    const unchanged = await harvest(temp.db, fake, "ghp-test");
    expect(unchanged.profiles.fetched).to.equal(0);
    expect(counts(fake)).to.deep.equal({});
  });

  it("without a token, never asks GraphQL (GitHub refuses it) and reads each release through REST, as before", async function () {
    const ids = populate(4);
    await harvest(temp.db, fake, null);
    expect(counts(fake)).to.deep.equal({ "root 200": 4, "file 200": 4, "release 200": 2, "release 404": 2 });
    expect(releaseOf(temp.db, ids[0]!)).to.deep.include({ kind: "release", name: "Version 0" });
    // REST has no dated tags without one more request each: a tag alone is no release there.
    expect(releaseOf(temp.db, ids[1]!)).to.equal(null);
  });

  it("falls back to REST for every repository when GraphQL answers 404 (an Enterprise server or a proxy without it), asking it once a run", async function () {
    fake.graphqlDisabled = true;
    populate(60);
    const summary = await harvest(temp.db, fake, "ghp-test");
    expect(summary.profiles).to.deep.equal({ fetched: 60, failed: 0 });
    expect(counts(fake)).to.deep.equal({ "graphql 404": 1, "root 200": 60, "file 200": 60, "release 200": 20, "release 404": 40 });
  });

  it("falls back to REST for a batch that keeps failing (502 after retries), and the profiles are complete", async function () {
    const ids = populate(3);
    fake.inject("/graphql", { kind: "status", status: 502 }, 3);
    const summary = await harvest(temp.db, fake, "ghp-test");
    expect(summary.profiles).to.deep.equal({ fetched: 3, failed: 0 });
    expect(counts(fake)).to.deep.include({ "graphql 502": 3, "release 200": 1, "release 404": 2 });
    expect(releaseOf(temp.db, ids[0]!)).to.deep.include({ kind: "release", name: "Version 0" });
  });

  it("keeps GraphQL's points budget: a spent budget (RATE_LIMITED) or one under the reserve sends the rest through REST", async function () {
    populate(60);
    // 10 points left: the first query is answered, then its rateLimit says the budget is under the reserve.
    fake.setGraphqlBudget(5_000, 10);
    await harvest(temp.db, fake, "ghp-test");
    expect(counts(fake)).to.deep.include({ "graphql 200": 1 });
    expect((counts(fake)["release 200"] ?? 0) + (counts(fake)["release 404"] ?? 0)).to.equal(10);

    fake.clearLog();
    const other = await new FakeGitHub().start();
    const otherDb = tempDatabase();
    try {
      other.addOrg("dinum");
      const ids = other.addRepos("dinum", 2);
      ids.forEach((id) => other.setFiles(id, { "README.md": "x" }));
      other.setReleases(ids[0]!, [{ name: "One", tag: "v1", date: "2024-05-01T10:00:00Z" }]);
      // Spent for an hour, more than the 10 s the harvest may wait: GitHub's 200 with a RATE_LIMITED error, then REST.
      other.setGraphqlBudget(5_000, 0, 3_600_000);
      const summary = await harvest(otherDb.db, other, "ghp-test");
      expect(summary.profiles).to.deep.equal({ fetched: 2, failed: 0 });
      expect(counts(other)).to.deep.include({ "graphql 200": 1, "release 200": 1, "release 404": 1 });
      expect(releaseOf(otherDb.db, ids[0]!)).to.deep.include({ name: "One" });
    } finally {
      await other.stop();
      otherDb.close();
    }
  });

  it("reads a partial answer: a repository GraphQL cannot find has no release (its parent left to REST), the others theirs and their parents", async function () {
    const ids = populate(2);
    fake.addRepo("dinum", { name: "copy", fork: true, parent: { id: ids[0]!, fullName: "dinum/repo-0000" } });
    const adapter = new GitHubAdapter({ apiUrl: fake.url, host: "github.com", token: "ghp-test", timeoutMs: 5_000, maxRateLimitWaitMs: 1_000, stats: { requests: 0, notModified: 0, rateLimitWaits: 0 }, log: () => {} }, quickRetries);
    const target = (fullName: string, forgeId: string) => ({ forgeId, fullName, url: `https://github.com/${fullName}`, defaultBranch: "main" });
    const found = await adapter.profiles.latestReleases([target("dinum/repo-0000", "a"), target("dinum/gone", "b"), target("dinum/repo-0001", "c"), target("dinum/copy", "d")], new AbortController().signal);
    expect([...found.keys()].sort()).to.deep.equal(["a", "b", "c", "d"]);
    // Issue 10: the same query named each answered repository's parent; the one GraphQL could not find is not in it.
    expect(fake.graphqlQueries).to.equal(1);
    expect(Object.fromEntries(found.forkParents ?? [])).to.deep.equal({ a: null, c: null, d: { forgeId: String(ids[0]), fullName: "dinum/repo-0000" } });
    expect(found.get("a")).to.deep.include({ kind: "release", name: "Version 0" });
    expect(found.get("b")).to.equal(null);
    expect(found.get("c")).to.deep.include({ kind: "tag", tag: "v0.1" });
    expect(ids).to.have.length(2);
  });

  it("asks the root listing and the REST release with If-None-Match after a push: 304s keep the previous content", async function () {
    const ids = populate(3);
    await harvest(temp.db, fake, null);
    const before = releaseOf(temp.db, ids[0]!);

    // Pushed, nothing at the root changed: the listing and the release answer 304, no file is read.
    for (const id of ids) fake.updateRepo(id, { pushedAt: "2024-06-01T00:00:00Z" });
    fake.clearLog();
    const pushed = await harvest(temp.db, fake, null);
    expect(pushed.profiles).to.deep.equal({ fetched: 3, failed: 0 });
    expect(counts(fake)).to.deep.equal({ "root 304": 3, "release 304": 1, "release 404": 2 });
    expect(fake.requests.filter((r) => /\/contents$|\/releases\/latest$/.test(r.path) && r.status !== 404).every((r) => typeof r.headers["if-none-match"] === "string")).to.equal(true);
    expect(releaseOf(temp.db, ids[0]!)).to.deep.equal(before);
    const row = temp.db.$client.prepare("SELECT pk FROM repositories WHERE forge_id = ?").get(String(ids[1])) as { pk: number };
    expect(findProfile(temp.db, row.pk)?.profile?.readme?.excerpt).to.equal("hello 1");

    // Pushed with a new README and a new release: 200s, the new content read.
    fake.setFiles(ids[0]!, { "README.md": "changed", LICENSE: "MIT" });
    fake.setReleases(ids[0]!, [{ name: "Version 9", tag: "v9", date: "2024-07-01T10:00:00Z" }]);
    fake.updateRepo(ids[0]!, { pushedAt: "2024-07-01T00:00:00Z" });
    fake.clearLog();
    await harvest(temp.db, fake, null);
    expect(counts(fake)).to.deep.equal({ "root 200": 1, "file 200": 1, "release 200": 1 });
    expect(releaseOf(temp.db, ids[0]!)).to.deep.include({ name: "Version 9" });
  });

  it("with a token too, the listing is conditional after a push; ETags are written only with a saved profile", async function () {
    const ids = populate(2);
    const broken = fake.addRepo("dinum", { name: "broken" }).id;
    fake.setFiles(broken, { "README.md": "unreadable" });
    fake.inject("/repos/dinum/broken/contents/README.md", { kind: "status", status: 500 }, 3);
    await harvest(temp.db, fake, "ghp-test");
    const keys = (temp.db.$client.prepare("SELECT key FROM http_cache WHERE key LIKE 'github:github.com:/repos/%' ORDER BY key").all() as { key: string }[]).map((r) => r.key);
    expect(keys).to.deep.equal(["github:github.com:/repos/dinum/repo-0000/contents/?ref=main", "github:github.com:/repos/dinum/repo-0001/contents/?ref=main"]);
    for (const id of ids) fake.updateRepo(id, { pushedAt: "2024-06-01T00:00:00Z" });
    fake.clearLog();
    await harvest(temp.db, fake, "ghp-test");
    const roots = fake.requests.filter((r) => /\/contents$/.test(r.path));
    // The broken one, never saved, is asked without If-None-Match.
    expect(roots.map((r) => `${r.path} ${r.status}`).sort()).to.deep.equal(["/repos/dinum/broken/contents 200", "/repos/dinum/repo-0000/contents 304", "/repos/dinum/repo-0001/contents 304"]);
  });

  it("drops the ETags of a removed repository's profile endpoints, and only its own", async function () {
    const ids = populate(3);
    // A name that extends a removed one ("repo-0001" + "0"): its keys sort right after, and stay.
    const neighbour = fake.addRepo("dinum", { name: "repo-00010", pushedAt: "2024-01-01T00:00:00Z" }).id;
    fake.setFiles(neighbour, { "README.md": "next door" });
    fake.setReleases(neighbour, [{ name: "N", tag: "n", date: "2024-05-01T10:00:00Z" }]);
    const keys = () => (temp.db.$client.prepare("SELECT key FROM http_cache WHERE key LIKE 'github:github.com:/repos/%' ORDER BY key").all() as { key: string }[]).map((r) => r.key);
    await harvest(temp.db, fake, null);
    expect(keys()).to.include.members(["github:github.com:/repos/dinum/repo-0001/contents/?ref=main", "github:github.com:/repos/dinum/repo-00010/releases/latest"]);
    const before = keys();
    fake.removeRepo(ids[1]!);
    const summary = await harvest(temp.db, fake, null);
    expect(summary.repositoriesRemoved).to.equal(1);
    expect(keys()).to.deep.equal(before.filter((key) => !key.startsWith("github:github.com:/repos/dinum/repo-0001/")));
    expect(before.length - keys().length).to.equal(1);
  });

  it("reads GitHub's node shapes: a release without name takes its tag, an annotated tag its tagger's date, garbage nothing", function () {
    const target = { forgeId: "1", fullName: "dinum/app", url: "https://github.com/dinum/app/", defaultBranch: "main" };
    expect(releaseOfNode({ latestRelease: { name: null, tagName: "v2", publishedAt: null, createdAt: "2024-02-01T00:00:00Z", url: "https://github.com/dinum/app/releases/tag/v2" } }, target))
      .to.deep.equal({ kind: "release", name: "v2", tag: "v2", date: "2024-02-01T00:00:00.000Z", url: "https://github.com/dinum/app/releases/tag/v2" });
    expect(releaseOfNode({ latestRelease: null, refs: { nodes: [{ name: "v1.0", target: { __typename: "Tag", tagger: { date: "2023-05-01T12:00:00+02:00" }, target: { committedDate: "2023-04-01T00:00:00Z" } } }] } }, target))
      .to.deep.equal({ kind: "tag", name: "v1.0", tag: "v1.0", date: "2023-05-01T10:00:00.000Z", url: "https://github.com/dinum/app/tree/v1.0" });
    expect(releaseOfNode({ latestRelease: null, refs: { nodes: [] } }, target)).to.equal(null);
    expect(releaseOfNode(null, target)).to.equal(null);
    // Not an object: unreadable, so REST is asked.
    expect(releaseOfNode("garbage", target)).to.equal(undefined);
    // A javascript: URL from the forge is not kept.
    expect(releaseOfNode({ latestRelease: { name: "x", tagName: "x", url: "javascript:alert(1)" } }, target)?.url).to.equal(null);
    // Issue 10: the fork parent as REST's `parent` gives it; unreadable: undefined, so REST is asked.
    expect(parentOfNode({ isFork: true, parent: { databaseId: 42, nameWithOwner: "upstream/lib" } })).to.deep.equal({ forgeId: "42", fullName: "upstream/lib" });
    expect(parentOfNode({ isFork: false, parent: null })).to.equal(null);
    // A fork whose parent GitHub does not show (deleted, private): no parent, as REST says.
    expect(parentOfNode({ isFork: true, parent: null })).to.equal(null);
    expect(parentOfNode({ isFork: true, parent: { databaseId: -1, nameWithOwner: "upstream/lib" } })).to.deep.equal({ forgeId: null, fullName: "upstream/lib" });
    expect(parentOfNode({ isFork: true, parent: { databaseId: "42", nameWithOwner: 7 } })).to.equal(null);
    expect(parentOfNode({ latestRelease: null })).to.equal(undefined);
    expect(parentOfNode({ isFork: true, parent: "dinum/x" })).to.equal(undefined);
    expect(parentOfNode(null)).to.equal(undefined);
    const query = releasesQuery(3);
    expect(query).to.include("isFork parent { databaseId nameWithOwner }");
    expect(query.match(/repository\(owner: \$o\d, name: \$n\d\)/g)).to.have.length(3);
    expect(query).to.include("rateLimit { cost remaining resetAt }");
  });
});
