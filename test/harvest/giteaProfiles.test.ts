// The profile harvest (issue 9) on the Gitea family end to end: the real
// JsonTransport against FakeGitea (Gitea and Gogs flavours), runHarvest, and a
// real SQLite store.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { runHarvest, type RunSummary } from "../../src/harvest/harvester.ts";
import { GiteaAdapter } from "../../src/forges/gitea/adapter.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { parseSources } from "../../src/sources/sources.ts";
import type { Db } from "../../src/store/database.ts";
import { findProfile } from "../../src/store/profiles.ts";
import type { StoredProfile } from "../../src/profiles/profile.ts";
import { FakeGitea } from "../fake-forge/fakeGitea.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const host = "git.mairie.fr";
// A complete, valid publiccode.yml (the validator's own fixture): these tests are about harvesting it.
const publiccode = fs.readFileSync(path.join(import.meta.dirname, "..", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");

describe("Profile harvest on Gitea, Forgejo and Gogs", function () {
  let fake: FakeGitea;
  let temp: TempDatabase;

  beforeEach(function () {
    temp = tempDatabase();
  });

  afterEach(async function () {
    await fake?.stop();
    temp.close();
  });

  function harvest(db: Db, forge = "gitea", tokens: Record<string, string> = {}): Promise<RunSummary> {
    return runHarvest({
      db,
      sources: parseSources(`${host}:\n  forge: ${forge}\n  api: ${fake.url}/api/v1\n  owners:\n    mairie:\n`),
      registry: defaultRegistry(),
      config: { tokens, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
      trigger: "cli",
      retryPolicy: { retries: 2, baseMs: 1, maxMs: 100 },
      secondPassDelayMs: 0,
    });
  }

  function profileOf(forgeId: number): StoredProfile {
    const row = temp.db.$client.prepare("SELECT pk FROM repositories WHERE host = ? AND forge_id = ?").get(host, String(forgeId)) as { pk: number } | undefined;
    if (!row) throw new Error(`no repository ${forgeId}`);
    const stored = findProfile(temp.db, row.pk);
    if (!stored) throw new Error(`no profile for ${forgeId}`);
    return stored;
  }

  function profileRequests(): string[] {
    return fake.requests
      .filter((r) => /^\/api\/v1\/repos\/[^/]+\/[^/]+\/(contents|raw|releases|tags)/.test(r.path))
      .map((r) => `${r.status} ${r.path}${r.query.size ? `?${r.query}` : ""}`)
      .sort();
  }

  it("reads the root, only the files that exist, a release else a tag; too-large files unread; nothing on an unchanged run", async function () {
    // A server whose listing says neither `empty` nor `release_counter` (older versions): tags first.
    fake = await new FakeGitea({ repoCounters: false }).start();
    fake.addOrg("mairie");
    const full = fake.addRepo("mairie", { name: "full", defaultBranch: "develop" }).id;
    fake.setFiles(full, {
      "README.md": "# Démarches\n\nSee [the guide](docs/guide.md) and ![logo](img/logo.png).\n",
      "publiccode.yml": publiccode,
      LICENSE: "EUPL",
      "CONTRIBUTING.md": "PRs welcome",
      "CODE_OF_CONDUCT.md": "Be kind",
      "SECURITY.md": "Mail us",
      "CHANGELOG.md": "## 1.0",
      "docs/": "",
      "package.json": "{}",
    });
    // A draft and a pre-release, newer than the release a "latest" must give.
    fake.setReleases(full, [
      { name: "Brouillon", tag: "v3.0.0", date: "2024-07-01T10:00:00Z", draft: true },
      { name: "Bêta", tag: "v3.0.0-beta", date: "2024-06-01T10:00:00Z", prerelease: true },
      { name: "Version 2", tag: "v2.0.0", date: "2024-05-01T10:00:00Z" },
    ]);
    fake.setTags(full, [{ name: "v3.0.0-beta", tag: "v3.0.0-beta", date: "2024-06-01T10:00:00Z" }, { name: "v2.0.0", tag: "v2.0.0", date: "2024-05-01T10:00:00Z" }]);
    const tagged = fake.addRepo("mairie", { name: "tagged" }).id;
    fake.setFiles(tagged, { "readme.rst": "Plain *text*", COPYING: "GPL" });
    fake.setTags(tagged, [{ name: "v1.4", tag: "v1.4", date: "2023-03-01T08:00:00Z" }, { name: "v1.3", tag: "v1.3", date: "2022-03-01T08:00:00Z" }]);
    const empty = fake.addRepo("mairie", { name: "empty" }).id;
    // Some versions answer an empty repository's listing with [] rather than 404.
    const blank = fake.addRepo("mairie", { name: "blank" }).id;
    fake.setFiles(blank, {});
    const large = fake.addRepo("mairie", { name: "large" }).id;
    fake.setFiles(large, { "README.md": { size: 2_000_000 }, "publiccode.yaml": publiccode });

    const first = await harvest(temp.db);
    expect(first.status).to.equal("succeeded");
    expect(first.profiles).to.deep.equal({ fetched: 5, failed: 0 });
    const release = "draft=false&pre-release=false";
    expect(profileRequests()).to.deep.equal(
      [
        "200 /api/v1/repos/mairie/full/contents?ref=develop",
        "200 /api/v1/repos/mairie/full/raw/README.md?ref=develop",
        // Issue 10: the package manifest at the root is read in the same pass.
        "200 /api/v1/repos/mairie/full/raw/package.json?ref=develop",
        "200 /api/v1/repos/mairie/full/raw/publiccode.yml?ref=develop",
        "200 /api/v1/repos/mairie/full/tags?limit=1",
        `200 /api/v1/repos/mairie/full/releases?limit=5&${release}`,
        "200 /api/v1/repos/mairie/tagged/contents?ref=main",
        "200 /api/v1/repos/mairie/tagged/raw/readme.rst?ref=main",
        `200 /api/v1/repos/mairie/tagged/releases?limit=5&${release}`,
        "200 /api/v1/repos/mairie/tagged/tags?limit=1",
        // An empty repository: its 404 listing, and no release asked.
        "404 /api/v1/repos/mairie/empty/contents?ref=main",
        "200 /api/v1/repos/mairie/blank/contents?ref=main",
        // The listing's size says the README is too large: never downloaded.
        "200 /api/v1/repos/mairie/large/contents?ref=main",
        "200 /api/v1/repos/mairie/large/raw/publiccode.yaml?ref=main",
        // No tag: no release either, not asked.
        "200 /api/v1/repos/mairie/large/tags?limit=1",
      ].sort(),
    );

    const fullProfile = profileOf(full).profile!;
    expect(fullProfile.files).to.deep.equal({
      readme: "README.md", publiccode: "publiccode.yml", license: "LICENSE", contributing: "CONTRIBUTING.md",
      codeOfConduct: "CODE_OF_CONDUCT.md", security: "SECURITY.md", changelog: "CHANGELOG.md",
    });
    expect(fullProfile.readme?.html).to.include("<h3>Démarches</h3>");
    expect(fullProfile.readme?.html).to.include('href="https://git.example.fr/mairie/full/src/branch/develop/docs/guide.md"');
    expect(fullProfile.readme?.html).to.include("https://git.example.fr/mairie/full/raw/branch/develop/img/logo.png");
    expect(fullProfile.readme?.html).not.to.include("<img");
    expect(fullProfile.publiccode?.result.valid).to.equal(true);
    expect(fullProfile.latestRelease).to.deep.equal({
      kind: "release", name: "Version 2", tag: "v2.0.0", date: "2024-05-01T10:00:00.000Z", url: "https://git.example.fr/mairie/full/releases/tag/v2.0.0",
    });

    const taggedProfile = profileOf(tagged).profile!;
    expect(taggedProfile.files).to.include({ readme: "readme.rst", license: "COPYING", publiccode: null });
    expect(taggedProfile.readme?.html).to.equal("<pre>Plain *text*</pre>");
    expect(taggedProfile.latestRelease).to.deep.equal({ kind: "tag", name: "v1.4", tag: "v1.4", date: "2023-03-01T08:00:00.000Z", url: "https://git.example.fr/mairie/tagged/src/tag/v1.4" });

    const emptyProfile = profileOf(empty).profile!;
    expect(emptyProfile.files.readme).to.equal(null);
    expect(emptyProfile.latestRelease).to.equal(null);
    expect(profileOf(blank).profile?.files.readme).to.equal(null);

    const largeProfile = profileOf(large).profile!;
    expect(largeProfile.tooLarge).to.deep.equal(["README.md"]);
    expect(largeProfile.files.readme).to.equal("README.md");
    expect(largeProfile.readme).to.equal(null);
    expect(largeProfile.publiccode?.name).to.equal("publiccode.yaml");
    expect(largeProfile.publiccode?.result.warnings.map((w) => w.message).join()).to.match(/rename it publiccode\.yml/);
    expect(largeProfile.latestRelease).to.equal(null);

    fake.clearLog();
    const second = await harvest(temp.db);
    expect(second.profiles).to.deep.equal({ fetched: 0, failed: 0 });
    expect(profileRequests()).to.deep.equal([]);
  });

  it("spares requests with what the listing says: no listing of an empty repository, one request for the latest release or tag", async function () {
    fake = await new FakeGitea().start();
    fake.addOrg("mairie");
    const released = fake.addRepo("mairie", { name: "released" }).id;
    fake.setFiles(released, { "README.md": "x" });
    fake.setReleases(released, [
      { name: "Brouillon", tag: "v3.0.0", date: "2024-07-01T10:00:00Z", draft: true },
      { name: "Version 2", tag: "v2.0.0", date: "2024-05-01T10:00:00Z" },
    ]);
    fake.setTags(released, [{ name: "v2.0.0", tag: "v2.0.0", date: "2024-05-01T10:00:00Z" }]);
    const tagged = fake.addRepo("mairie", { name: "tagged" }).id;
    fake.setFiles(tagged, { "README.md": "x" });
    fake.setTags(tagged, [{ name: "v1.4", tag: "v1.4", date: "2023-03-01T08:00:00Z" }]);
    // Counted, but only a draft: the releases then the tag.
    const drafted = fake.addRepo("mairie", { name: "drafted" }).id;
    fake.setFiles(drafted, { "README.md": "x" });
    fake.setReleases(drafted, [{ name: "Brouillon", tag: "v0.1", date: "2024-07-01T10:00:00Z", draft: true }]);
    fake.setTags(drafted, [{ name: "v0.0.9", tag: "v0.0.9", date: "2024-01-01T10:00:00Z" }]);
    const bare = fake.addRepo("mairie", { name: "bare" }).id;
    fake.setFiles(bare, { "README.md": "x" });
    const empty = fake.addRepo("mairie", { name: "empty" }).id;

    const first = await harvest(temp.db);
    expect(first.profiles).to.deep.equal({ fetched: 5, failed: 0 });
    const release = "releases?limit=5&draft=false&pre-release=false";
    expect(profileRequests().filter((r) => !/\/(contents|raw)\//.test(r) && !/contents\?/.test(r))).to.deep.equal(
      [
        `200 /api/v1/repos/mairie/released/${release}`,
        "200 /api/v1/repos/mairie/tagged/tags?limit=1",
        `200 /api/v1/repos/mairie/drafted/${release}`,
        "200 /api/v1/repos/mairie/drafted/tags?limit=1",
        "200 /api/v1/repos/mairie/bare/tags?limit=1",
      ].sort(),
    );
    // The listing said the repository is empty: not even its root is asked.
    expect(profileRequests().filter((r) => r.includes("/mairie/empty/"))).to.deep.equal([]);
    expect(profileOf(released).profile?.latestRelease).to.deep.include({ kind: "release", name: "Version 2" });
    expect(profileOf(tagged).profile?.latestRelease).to.deep.include({ kind: "tag", name: "v1.4" });
    expect(profileOf(drafted).profile?.latestRelease).to.deep.include({ kind: "tag", name: "v0.0.9" });
    expect(profileOf(bare).profile?.latestRelease).to.equal(null);
    expect(profileOf(empty).profile?.files.readme).to.equal(null);
  });

  it("stops reading a raw file past the limit when the listing gives no size", async function () {
    fake = await new FakeGitea().start();
    fake.addOrg("mairie");
    const id = fake.addRepo("mairie", { name: "app" }).id;
    fake.setFiles(id, { "README.md": "x".repeat(5_000), "NOTES.md": "short" });
    const adapter = new GiteaAdapter(
      { apiUrl: `${fake.url}/api/v1`, host, timeoutMs: 5_000, maxRateLimitWaitMs: 10_000, stats: { requests: 0, notModified: 0, rateLimitWaits: 0 }, log: () => {} },
      "gitea",
    );
    const target = { forgeId: String(id), fullName: "mairie/app", url: "https://git.example.fr/mairie/app", defaultBranch: "main" };
    const signal = new AbortController().signal;
    // An older server's listing without sizes: the bounded read is all that protects the harvest.
    const read = await adapter.profiles.readFile(target, { name: "README.md", type: "file", size: null, sha: null }, 1_000, signal);
    expect(read).to.deep.equal({ kind: "too_large", size: null });
    expect(await adapter.profiles.readFile(target, { name: "NOTES.md", type: "file", size: null, sha: null }, 1_000, signal)).to.deep.equal({ kind: "text", text: "short" });
    const entries = await adapter.profiles.listRoot(target, signal);
    expect(entries.find((e) => e.name === "README.md")).to.include({ type: "file", size: 5_000 });
    expect(adapter.profiles.webUrl(target, "docs/a b.md", "tree")).to.equal("https://git.example.fr/mairie/app/src/branch/main/docs/a%20b.md");
  });

  it("fetches again after a push (updated_at moved), reading only the files whose git id changed", async function () {
    fake = await new FakeGitea().start();
    fake.addOrg("mairie");
    const id = fake.addRepo("mairie", { name: "app", updatedAt: "2024-01-01T00:00:00Z" }).id;
    fake.setFiles(id, { "README.md": "first", "publiccode.yml": publiccode });
    await harvest(temp.db);
    expect(profileOf(id).profile?.readme?.excerpt).to.equal("first");

    fake.setFiles(id, { "README.md": "second", "publiccode.yml": publiccode });
    fake.updateRepo(id, { updatedAt: "2024-02-01T00:00:00Z" });
    fake.clearLog();
    const summary = await harvest(temp.db);
    expect(summary.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    expect(profileRequests()).to.deep.equal([
      "200 /api/v1/repos/mairie/app/contents?ref=main",
      "200 /api/v1/repos/mairie/app/raw/README.md?ref=main",
      "200 /api/v1/repos/mairie/app/tags?limit=1",
    ]);
    const stored = profileOf(id);
    expect(stored.profile?.readme?.excerpt).to.equal("second");
    expect(stored.profile?.publiccode?.result.valid).to.equal(true);
    expect(stored.marker).to.equal("2024-02-01T00:00:00.000Z");
  });

  it("retries a 5xx, and on a persistent 500 keeps the previous profile, records why, and never fails the account", async function () {
    fake = await new FakeGitea().start();
    fake.addOrg("mairie");
    const id = fake.addRepo("mairie", { name: "app", updatedAt: "2024-01-01T00:00:00Z" }).id;
    const other = fake.addRepo("mairie", { name: "other" }).id;
    fake.setFiles(id, { "README.md": "kept" });
    fake.setFiles(other, { "README.md": "other" });
    // A 502 then a good answer: retried, nothing lost.
    fake.inject("/api/v1/repos/mairie/app/raw/README.md", { kind: "status", status: 502 }, 1);
    const first = await harvest(temp.db);
    expect(first.profiles).to.deep.equal({ fetched: 2, failed: 0 });
    expect(fake.requests.filter((r) => r.path === "/api/v1/repos/mairie/app/raw/README.md").map((r) => r.status)).to.deep.equal([502, 200]);
    expect(profileOf(id).profile?.readme?.excerpt).to.equal("kept");

    fake.setFiles(id, { "README.md": "new" });
    fake.updateRepo(id, { updatedAt: "2024-03-01T00:00:00Z" });
    // More 500s than the retries: the fetch fails.
    fake.inject("/api/v1/repos/mairie/app/contents", { kind: "status", status: 500 }, 3);
    const failed = await harvest(temp.db);
    expect(failed.status).to.equal("succeeded");
    expect(failed.accountsFailed).to.equal(0);
    expect(failed.profiles).to.deep.equal({ fetched: 0, failed: 1 });
    const stored = profileOf(id);
    expect(stored.profile?.readme?.excerpt).to.equal("kept");
    expect(stored.failure?.reason).to.equal("server_error");
    expect(stored.failure?.message).to.match(/500/);
    expect(stored.marker).to.equal("2024-01-01T00:00:00.000Z");

    const again = await harvest(temp.db);
    expect(again.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    const fixed = profileOf(id);
    expect(fixed.profile?.readme?.excerpt).to.equal("new");
    expect(fixed.failure).to.equal(null);
  });

  it("Gogs: raw files with the ref in the path, releases from the unpaginated list, no tags asked, Gogs web links", async function () {
    fake = await new FakeGitea({ flavour: "gogs" }).start();
    fake.addOrg("mairie");
    const app = fake.addRepo("mairie", { name: "app", defaultBranch: "master" }).id;
    fake.setFiles(app, { "README.md": "See [the guide](docs/guide.md).", LICENSE: "MIT" });
    // Listed oldest first: the newest is picked by date.
    fake.setReleases(app, [
      { name: "Ancienne", tag: "v1", date: "2022-01-01T00:00:00Z" },
      { name: "Récente", tag: "v2", date: "2024-01-01T00:00:00Z" },
    ]);
    const bare = fake.addRepo("mairie", { name: "bare", defaultBranch: "master" }).id;
    fake.setFiles(bare, { "README": "plain" });

    const summary = await harvest(temp.db, "gogs", { [host]: "gogs-token" });
    expect(summary.status).to.equal("succeeded");
    expect(summary.profiles).to.deep.equal({ fetched: 2, failed: 0 });
    expect(profileRequests()).to.deep.equal(
      [
        "200 /api/v1/repos/mairie/app/contents/?ref=master",
        "200 /api/v1/repos/mairie/app/raw/master/README.md",
        "200 /api/v1/repos/mairie/app/releases",
        "200 /api/v1/repos/mairie/bare/contents/?ref=master",
        "200 /api/v1/repos/mairie/bare/raw/master/README",
        "200 /api/v1/repos/mairie/bare/releases",
      ].sort(),
    );
    const profile = profileOf(app).profile!;
    expect(profile.readme?.html).to.include('href="https://git.example.fr/mairie/app/src/master/docs/guide.md"');
    expect(profile.latestRelease).to.deep.include({ kind: "release", name: "Récente", tag: "v2", date: "2024-01-01T00:00:00.000Z" });
    expect(profileOf(bare).profile?.latestRelease).to.equal(null);
    expect(profileOf(bare).profile?.readme?.excerpt).to.equal("plain");
  });
});
