// The profile harvest (issue 9) end to end: the real octokit and gitbeaker
// clients against the fake forges, runHarvest, and a real SQLite store.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { GitHubAdapter, githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { gitlabForgeType } from "../../src/forges/gitlab/index.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import type { Db } from "../../src/store/database.ts";
import { findProfile } from "../../src/store/profiles.ts";
import type { StoredProfile } from "../../src/profiles/profile.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const registry = new ForgeRegistry({
  github: { ...githubForgeType, create: (options) => new GitHubAdapter(options, { retry: { retries: 2, baseMs: 1, maxMs: 100 } }) },
  gitlab: gitlabForgeType,
});

function harvest(db: Db, yaml: string): Promise<RunSummary> {
  return runHarvest({
    db,
    sources: parseSources(yaml),
    registry,
    config: { tokens: {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
    trigger: "cli",
  });
}

function profileOf(db: Db, host: string, forgeId: number): StoredProfile {
  const row = db.$client.prepare("SELECT pk FROM repositories WHERE host = ? AND forge_id = ?").get(host, String(forgeId)) as { pk: number } | undefined;
  if (!row) throw new Error(`no repository ${forgeId}`);
  const stored = findProfile(db, row.pk);
  if (!stored) throw new Error(`no profile for ${forgeId}`);
  return stored;
}

// A complete, valid publiccode.yml (the validator's own fixture): these tests are about harvesting it.
const publiccode = fs.readFileSync(path.join(import.meta.dirname, "..", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");

describe("Profile harvest on GitHub", function () {
  let fake: FakeGitHub;
  let temp: TempDatabase;
  let sources: string;

  beforeEach(async function () {
    fake = await new FakeGitHub().start();
    temp = tempDatabase();
    sources = `github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n    dinum:\n`;
    fake.addOrg("dinum");
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  function profileRequests(): string[] {
    return fake.requests.filter((r) => r.path.startsWith("/repos/")).map((r) => `${r.status} ${r.path}`).sort();
  }

  it("reads only the files that exist, records too-large files, and makes no profile request on an unchanged run", async function () {
    const full = fake.addRepo("dinum", { name: "full" }).id;
    fake.setFiles(full, {
      "README.md": "# Démarches\n\nSee [the guide](docs/guide.md).\n",
      "publiccode.yml": publiccode,
      LICENSE: "MIT",
      "CONTRIBUTING.md": "PRs welcome",
      "CODE_OF_CONDUCT.md": "Be kind",
      "SECURITY.md": "Mail us",
      "CHANGELOG.md": "## 1.0",
      "docs/": "",
      "package.json": "{}",
    });
    fake.setReleases(full, [{ name: "Version 2", tag: "v2.0.0", date: "2024-05-01T10:00:00Z" }]);
    const plain = fake.addRepo("dinum", { name: "plain" }).id;
    fake.setFiles(plain, { "readme.rst": "Plain *text*", "COPYING": "GPL" });
    const empty = fake.addRepo("dinum", { name: "empty" }).id;
    const large = fake.addRepo("dinum", { name: "large" }).id;
    fake.setFiles(large, { "README.md": { size: 2_000_000 }, "publiccode.yaml": publiccode });

    const first = await harvest(temp.db, sources);
    expect(first.status).to.equal("succeeded");
    expect(first.profiles).to.deep.equal({ fetched: 4, failed: 0 });
    expect(profileRequests()).to.deep.equal([
      "200 /repos/dinum/full/contents",
      "200 /repos/dinum/full/contents/README.md",
      // Issue 10: the package manifest at the root is read in the same pass.
      "200 /repos/dinum/full/contents/package.json",
      "200 /repos/dinum/full/contents/publiccode.yml",
      "200 /repos/dinum/full/releases/latest",
      "200 /repos/dinum/large/contents",
      "200 /repos/dinum/large/contents/publiccode.yaml",
      "200 /repos/dinum/plain/contents",
      "200 /repos/dinum/plain/contents/readme.rst",
      "404 /repos/dinum/empty/contents",
      "404 /repos/dinum/large/releases/latest",
      "404 /repos/dinum/plain/releases/latest",
    ].sort());

    const fullProfile = profileOf(temp.db, "github.com", full).profile!;
    expect(fullProfile.files).to.deep.equal({
      readme: "README.md", publiccode: "publiccode.yml", license: "LICENSE", contributing: "CONTRIBUTING.md",
      codeOfConduct: "CODE_OF_CONDUCT.md", security: "SECURITY.md", changelog: "CHANGELOG.md",
    });
    expect(fullProfile.readme?.html).to.include("<h3>Démarches</h3>");
    expect(fullProfile.readme?.html).to.include('href="https://github.com/dinum/full/blob/main/docs/guide.md"');
    expect(fullProfile.publiccode?.result.valid).to.equal(true);
    expect(fullProfile.publiccode?.result.warnings).to.deep.equal([]);
    expect(fullProfile.latestRelease).to.deep.include({ kind: "release", name: "Version 2", tag: "v2.0.0", date: "2024-05-01T10:00:00.000Z" });

    const plainProfile = profileOf(temp.db, "github.com", plain).profile!;
    expect(plainProfile.files).to.include({ readme: "readme.rst", license: "COPYING", publiccode: null, contributing: null });
    expect(plainProfile.readme?.html).to.equal("<pre>Plain *text*</pre>");
    expect(plainProfile.latestRelease).to.equal(null);

    const emptyProfile = profileOf(temp.db, "github.com", empty).profile!;
    expect(emptyProfile.files.readme).to.equal(null);
    expect(emptyProfile.readme).to.equal(null);

    const largeProfile = profileOf(temp.db, "github.com", large).profile!;
    expect(largeProfile.tooLarge).to.deep.equal(["README.md"]);
    expect(largeProfile.files.readme).to.equal("README.md");
    expect(largeProfile.readme).to.equal(null);
    expect(largeProfile.publiccode?.name).to.equal("publiccode.yaml");
    expect(largeProfile.publiccode?.result.warnings.map((w) => w.message).join()).to.match(/rename it publiccode\.yml/);

    fake.clearLog();
    const second = await harvest(temp.db, sources);
    expect(second.profiles).to.deep.equal({ fetched: 0, failed: 0 });
    expect(profileRequests()).to.deep.equal([]);
  });

  it("fetches again after a push, reading only the files whose git id changed", async function () {
    const id = fake.addRepo("dinum", { name: "app", pushedAt: "2024-01-01T00:00:00Z" }).id;
    fake.setFiles(id, { "README.md": "first", "publiccode.yml": publiccode });
    await harvest(temp.db, sources);
    expect(profileOf(temp.db, "github.com", id).profile?.readme?.excerpt).to.equal("first");

    fake.setFiles(id, { "README.md": "second", "publiccode.yml": publiccode });
    fake.updateRepo(id, { pushedAt: "2024-02-01T00:00:00Z" });
    fake.clearLog();
    const summary = await harvest(temp.db, sources);
    expect(summary.profiles.fetched).to.equal(1);
    expect(profileRequests()).to.deep.equal(["200 /repos/dinum/app/contents", "200 /repos/dinum/app/contents/README.md", "404 /repos/dinum/app/releases/latest"]);
    const stored = profileOf(temp.db, "github.com", id);
    expect(stored.profile?.readme?.excerpt).to.equal("second");
    expect(stored.profile?.publiccode?.result.valid).to.equal(true);
    expect(stored.marker).to.equal("2024-02-01T00:00:00.000Z");
  });

  it("keeps the previous profile of a repository whose fetch fails, records why, never fails the account, and tries again next run", async function () {
    const id = fake.addRepo("dinum", { name: "app", pushedAt: "2024-01-01T00:00:00Z" }).id;
    const other = fake.addRepo("dinum", { name: "other" }).id;
    fake.setFiles(id, { "README.md": "kept" });
    fake.setFiles(other, { "README.md": "other" });
    await harvest(temp.db, sources);

    fake.setFiles(id, { "README.md": "new" });
    fake.updateRepo(id, { pushedAt: "2024-03-01T00:00:00Z" });
    fake.inject("/repos/dinum/app/contents", { kind: "status", status: 502 }, 3);
    const failed = await harvest(temp.db, sources);
    expect(failed.status).to.equal("succeeded");
    expect(failed.accountsFailed).to.equal(0);
    expect(failed.profiles).to.deep.equal({ fetched: 0, failed: 1 });
    const stored = profileOf(temp.db, "github.com", id);
    expect(stored.profile?.readme?.excerpt).to.equal("kept");
    expect(stored.failure?.reason).to.equal("server_error");
    expect(stored.failure?.message).to.match(/502/);
    expect(stored.marker).to.equal("2024-01-01T00:00:00.000Z");

    const again = await harvest(temp.db, sources);
    expect(again.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    const fixed = profileOf(temp.db, "github.com", id);
    expect(fixed.profile?.readme?.excerpt).to.equal("new");
    expect(fixed.failure).to.equal(null);
  });

  it("fetches the profiles of several accounts at once without a MaxListeners warning on the harvest signal", async function () {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const logins = ["a1", "a2", "a3", "a4"];
      for (const login of logins) {
        fake.addOrg(login);
        for (const id of fake.addRepos(login, 8)) fake.setFiles(id, { "README.md": "hello" });
      }
      const summary = await runHarvest({
        db: temp.db,
        sources: parseSources(`github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n${logins.map((l) => `    ${l}:\n`).join("")}`),
        registry,
        config: { tokens: {}, httpTimeoutMs: 5_000, harvestConcurrency: 4, maxRateLimitWaitMs: 10_000 },
        trigger: "cli",
      });
      expect(summary.profiles.fetched).to.equal(32);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => /MaxListeners/.test(w))).to.deep.equal([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("costs one listing, then only the files that exist and the release: 2.2 requests a repository when 6 in 10 have a README", async function () {
    // One listing, the README, the latest release: 3 for repositories with files; 1 for empty ones.
    const ids = fake.addRepos("dinum", 10);
    ids.forEach((id, i) => fake.setFiles(id, i < 6 ? { "README.md": "hello", LICENSE: "MIT", "src/": "" } : {}));
    const summary = await harvest(temp.db, sources);
    expect(summary.profiles.fetched).to.equal(10);
    expect(profileRequests().length).to.equal(6 * 3 + 4);
  });
});

describe("Profile harvest on GitLab", function () {
  let fake: FakeGitLab;
  let temp: TempDatabase;
  let sources: string;

  beforeEach(async function () {
    fake = await new FakeGitLab().start();
    temp = tempDatabase();
    sources = `gitlab.example.fr:\n  forge: gitlab\n  api: ${fake.url}\n  owners:\n    dinum:\n`;
    fake.addGroup({ path: "dinum" });
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  function profileRequests(): string[] {
    return fake.requests.filter((r) => /\/(repository|releases)|^\/api\/graphql$/.test(r.path)).map((r) => `${r.status} ${r.path}`).sort();
  }

  it("reads the tree, the files that exist, a release (all at once through GraphQL) or else a tag; too-large files abandoned; nothing on an unchanged run; again after activity", async function () {
    const app = fake.addProject({ path: "app", namespace: "dinum" }).id;
    fake.setFiles(app, { "README.md": "# App\n\n![logo](img/logo.png)", "publiccode.yml": publiccode, "LICENCE.txt": "EUPL", "src/": "" });
    fake.setTags(app, [{ name: "v1.2.0", tag: "v1.2.0", date: "2023-06-01T00:00:00Z" }]);
    const big = fake.addProject({ path: "big", namespace: "dinum" }).id;
    fake.setFiles(big, { "README.md": { size: 1_500_000 }, "CHANGELOG": "x" });
    fake.setReleases(big, [{ name: "Big 1", tag: "b1", date: "2024-01-01T00:00:00Z" }]);
    const empty = fake.addProject({ path: "empty", namespace: "dinum" }).id;

    const first = await harvest(temp.db, sources);
    expect(first.status).to.equal("succeeded");
    expect(first.profiles).to.deep.equal({ fetched: 3, failed: 0 });
    // The three projects' latest releases in one GraphQL query; the tag asked only where GraphQL found no release.
    expect(profileRequests()).to.deep.equal([
      "200 /api/graphql",
      `200 /api/v4/projects/${app}/repository/tree`,
      `200 /api/v4/projects/${app}/repository/files/README.md/raw`,
      `200 /api/v4/projects/${app}/repository/files/publiccode.yml/raw`,
      `200 /api/v4/projects/${app}/repository/tags`,
      `200 /api/v4/projects/${big}/repository/tree`,
      `200 /api/v4/projects/${big}/repository/files/README.md/raw`,
      // The listing said the empty project has no commit (empty_repo): no request for it at all.
    ].sort());
    expect(fake.graphqlQueries).to.equal(1);
    expect(profileOf(temp.db, "gitlab.example.fr", empty).profile?.files.readme).to.equal(null);

    const appProfile = profileOf(temp.db, "gitlab.example.fr", app).profile!;
    expect(appProfile.files).to.include({ readme: "README.md", publiccode: "publiccode.yml", license: "LICENCE.txt" });
    expect(appProfile.readme?.html).to.include("/-/raw/main/img/logo.png");
    expect(appProfile.readme?.html).to.include("[image: logo]");
    expect(appProfile.readme?.html).not.to.include("<img");
    expect(appProfile.latestRelease).to.deep.include({ kind: "tag", name: "v1.2.0", date: "2023-06-01T00:00:00.000Z" });

    const bigProfile = profileOf(temp.db, "gitlab.example.fr", big).profile!;
    expect(bigProfile.tooLarge).to.deep.equal(["README.md"]);
    expect(bigProfile.readme).to.equal(null);
    expect(bigProfile.files.changelog).to.equal("CHANGELOG");
    expect(bigProfile.latestRelease).to.deep.include({ kind: "release", name: "Big 1" });

    fake.clearLog();
    const unchanged = await harvest(temp.db, sources);
    expect(unchanged.profiles).to.deep.equal({ fetched: 0, failed: 0 });
    expect(profileRequests()).to.deep.equal([]);

    fake.setFiles(app, { "README.md": "# App 2", "publiccode.yml": publiccode });
    fake.touchProject(app);
    fake.clearLog();
    const pushed = await harvest(temp.db, sources);
    expect(pushed.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    expect(profileRequests()).to.include(`200 /api/v4/projects/${app}/repository/files/README.md/raw`);
    expect(profileRequests()).not.to.include(`200 /api/v4/projects/${app}/repository/files/publiccode.yml/raw`);
    expect(profileOf(temp.db, "gitlab.example.fr", app).profile?.readme?.excerpt).to.equal("App 2");
  });

  it("keeps the previous profile when the tree fails, and records the reason against the repository", async function () {
    const app = fake.addProject({ path: "app", namespace: "dinum" }).id;
    fake.setFiles(app, { "README.md": "kept" });
    await harvest(temp.db, sources);
    fake.touchProject(app);
    fake.inject(new RegExp(`/projects/${app}/repository/tree`), { kind: "html" }, 1);
    const summary = await harvest(temp.db, sources);
    expect(summary.accountsFailed).to.equal(0);
    expect(summary.profiles).to.deep.equal({ fetched: 0, failed: 1 });
    const stored = profileOf(temp.db, "gitlab.example.fr", app);
    expect(stored.profile?.readme?.excerpt).to.equal("kept");
    expect(stored.failure?.reason).to.equal("invalid_response");
  });

  it("falls back to REST releases when GraphQL is missing (404, asked once a run) or its answer is unreadable, with the same profiles", async function () {
    const ids = [0, 1, 2].map((i) => fake.addProject({ path: `p${i}`, namespace: "dinum" }).id);
    ids.forEach((id) => fake.setFiles(id, { "README.md": "x" }));
    fake.setReleases(ids[0]!, [{ name: "One", tag: "v1", date: "2024-01-01T00:00:00Z" }]);
    fake.setTags(ids[1]!, [{ name: "t1", tag: "t1", date: "2023-01-01T00:00:00Z" }]);
    fake.graphqlDisabled = true;
    await harvest(temp.db, sources);
    const rest = profileRequests();
    expect(rest.filter((r) => r.endsWith("/api/graphql"))).to.deep.equal(["404 /api/graphql"]);
    expect(rest.filter((r) => r.endsWith("/releases"))).to.have.length(3);
    expect(profileOf(temp.db, "gitlab.example.fr", ids[0]!).profile?.latestRelease).to.deep.include({ kind: "release", name: "One" });
    expect(profileOf(temp.db, "gitlab.example.fr", ids[1]!).profile?.latestRelease).to.deep.include({ kind: "tag", name: "t1" });
    expect(profileOf(temp.db, "gitlab.example.fr", ids[2]!).profile?.latestRelease).to.equal(null);

    fake.graphqlDisabled = false;
    ids.forEach((id) => fake.touchProject(id));
    fake.inject("/api/graphql", { kind: "garbage" }, 1);
    fake.clearLog();
    const summary = await harvest(temp.db, sources);
    expect(summary.profiles).to.deep.equal({ fetched: 3, failed: 0 });
    expect(profileRequests().filter((r) => r.endsWith("/releases"))).to.have.length(3);
    expect(profileOf(temp.db, "gitlab.example.fr", ids[0]!).profile?.latestRelease).to.deep.include({ kind: "release", name: "One" });
  });
});
