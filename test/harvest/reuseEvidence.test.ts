// The evidence of reuse (issue 10) harvested end to end: package manifests
// read in the profile pass and fork parents, through the real clients
// (octokit, gitbeaker, fetch) against the fake forges, runHarvest, and a real
// SQLite store.
import { expect } from "chai";
import { GitHubAdapter, githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { gitlabForgeType } from "../../src/forges/gitlab/index.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest, type RunSummary } from "../../src/harvest/harvester.ts";
import { maxRequirementsFiles, type RepositoryManifest } from "../../src/profiles/manifests.ts";
import { parseSources } from "../../src/sources/sources.ts";
import type { Db } from "../../src/store/database.ts";
import { findProfile } from "../../src/store/profiles.ts";
import { FakeGitea } from "../fake-forge/fakeGitea.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const registry = new ForgeRegistry({
  github: { ...githubForgeType, create: (options) => new GitHubAdapter(options, { retry: { retries: 2, baseMs: 1, maxMs: 100 } }) },
  gitlab: gitlabForgeType,
});

function harvest(db: Db, yaml: string, forges: ForgeRegistry = registry, tokens: Record<string, string> = {}): Promise<RunSummary> {
  return runHarvest({
    db,
    sources: parseSources(yaml),
    registry: forges,
    config: { tokens, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
    trigger: "cli",
    retryPolicy: { retries: 2, baseMs: 1, maxMs: 100 },
    secondPassDelayMs: 0,
  });
}

interface RepositoryRow {
  pk: number;
  fork: number;
  parent: string | null;
  parentForgeId: string | null;
}

function row(db: Db, host: string, forgeId: number): RepositoryRow {
  const found = db.$client.prepare("SELECT pk, fork, parent, parent_forge_id AS parentForgeId FROM repositories WHERE host = ? AND forge_id = ?").get(host, String(forgeId)) as RepositoryRow | undefined;
  if (!found) throw new Error(`no repository ${forgeId}`);
  return found;
}

function manifestsOf(db: Db, host: string, forgeId: number): RepositoryManifest[] {
  const stored = findProfile(db, row(db, host, forgeId).pk);
  if (!stored?.profile) throw new Error(`no profile for ${forgeId}`);
  return stored.profile.manifests ?? [];
}

const byFile = (manifests: RepositoryManifest[]) => Object.fromEntries(manifests.map((m) => [m.file, m]));
const names = (manifest: RepositoryManifest | undefined) => manifest?.dependencies.map((d) => `${d.ecosystem}:${d.name}:${d.scope}`) ?? [];

const packageJson = JSON.stringify({ name: "@dinum/ui-kit", dependencies: { react: "^18.0.0", "@dinum/core": "1.x" }, devDependencies: { mocha: "^10" } });
const pyproject = '[project]\nname = "Demarches_Simplifiees"\ndependencies = ["Django>=4.2", "requests"]\n';
const pom = `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><groupId>fr.gouv.dinum</groupId><artifactId>socle</artifactId>
<dependencies><dependency><groupId>org.springframework</groupId><artifactId>spring-core</artifactId><version>6.1.0</version></dependency></dependencies></project>`;
const goMod = "module github.com/dinum/outil\n\ngo 1.22\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n\tgolang.org/x/text v0.14.0 // indirect\n)\n";
const gemfile = "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngroup :test do\n  gem 'rspec'\nend\n";
const composer = JSON.stringify({ name: "dinum/portail", require: { php: ">=8.1", "symfony/console": "^6.0" } });

describe("Reuse evidence: manifests on GitHub", function () {
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

  const fileRequests = () => fake.requests.filter((r) => /^\/repos\/[^/]+\/[^/]+\/contents\/./.test(r.path)).map((r) => `${r.status} ${r.path}`).sort();

  it("reads each ecosystem's manifest that exists, bounds requirements files, stores malformed and too-large ones with their errors, and skips lookalikes", async function () {
    const id = fake.addRepo("dinum", { name: "all", pushedAt: "2024-01-01T00:00:00Z" }).id;
    const requirements = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`requirements-env${i}.txt`, `pkg-env${i}==1.0\n`]));
    fake.setFiles(id, {
      "package.json": packageJson,
      "composer.json": composer,
      "requirements.txt": "Flask>=2\n-r requirements-dev.txt\n",
      "requirements-dev.txt": "pytest\n",
      ...requirements,
      "pyproject.toml": pyproject,
      "pom.xml": pom,
      "go.mod": goMod,
      Gemfile: gemfile,
      "Cargo.toml": "[package\nname = ", // malformed TOML (a good one: test/reuse/manifests.test.ts)
      // Not manifests: another case, a folder, a lock file, a backup, a name too long.
      "package-lock.json": "{}",
      "Package.json": "{}",
      "gemfile": "gem 'x'",
      "node_modules/": "",
      "requirements.txt.bak": "x",
      [`requirements${"x".repeat(80)}.txt`]: "x",
    });
    const large = fake.addRepo("dinum", { name: "large" }).id;
    fake.setFiles(large, { "package.json": { size: 2_000_000 }, "README.md": "hi" });

    const first = await harvest(temp.db, sources);
    expect(first.status).to.equal("succeeded");
    expect(first.profiles).to.deep.equal({ fetched: 2, failed: 0 });

    const manifests = byFile(manifestsOf(temp.db, "github.com", id));
    const requirementsRead = Object.keys(manifests).filter((file) => file.startsWith("requirements"));
    expect(requirementsRead).to.have.length(maxRequirementsFiles);
    expect(requirementsRead).to.include.members(["requirements.txt", "requirements-dev.txt"]);
    expect(Object.keys(manifests).filter((file) => !file.startsWith("requirements")).sort()).to.deep.equal(["Cargo.toml", "Gemfile", "composer.json", "go.mod", "package.json", "pom.xml", "pyproject.toml"]);
    // Lookalikes are never requested.
    for (const path of fileRequests()) expect(path).not.to.match(/package-lock|Package\.json|gemfile|\.bak|node_modules|xxxx/);
    expect(fileRequests()).to.have.length(7 + maxRequirementsFiles + 1);

    expect(manifests["package.json"]).to.deep.include({ ecosystem: "npm", publishes: [{ ecosystem: "npm", name: "@dinum/ui-kit" }], errors: [] });
    expect(manifests["package.json"]?.sha).to.match(/^[0-9a-f]{40}$/);
    expect(names(manifests["package.json"])).to.deep.equal(["npm:react:runtime", "npm:@dinum/core:runtime", "npm:mocha:dev"]);
    expect(manifests["composer.json"]?.publishes).to.deep.equal([{ ecosystem: "packagist", name: "dinum/portail" }]);
    expect(names(manifests["composer.json"])).to.deep.equal(["packagist:symfony/console:runtime"]);
    expect(names(manifests["requirements.txt"])).to.deep.equal(["pypi:flask:runtime"]);
    expect(manifests["requirements.txt"]?.warnings.join()).to.match(/requirements-dev\.txt/);
    expect(names(manifests["requirements-dev.txt"])).to.deep.equal(["pypi:pytest:dev"]);
    expect(manifests["pyproject.toml"]?.publishes).to.deep.equal([{ ecosystem: "pypi", name: "demarches-simplifiees" }]);
    expect(manifests["pom.xml"]?.publishes).to.deep.equal([{ ecosystem: "maven", name: "fr.gouv.dinum:socle" }]);
    expect(names(manifests["pom.xml"])).to.deep.equal(["maven:org.springframework:spring-core:runtime"]);
    expect(names(manifests["go.mod"])).to.deep.equal(["go:github.com/spf13/cobra:runtime", "go:golang.org/x/text:indirect"]);
    expect(names(manifests["Gemfile"])).to.deep.equal(["rubygems:rails:runtime", "rubygems:rspec:dev"]);
    // Malformed: stored with its errors, the profile saved all the same.
    expect(manifests["Cargo.toml"]?.errors.length).to.be.greaterThan(0);
    expect(manifests["Cargo.toml"]?.dependencies).to.deep.equal([]);

    // Too large: never downloaded (GitHub's listing says the size), recorded with an error.
    const largeManifests = manifestsOf(temp.db, "github.com", large);
    expect(largeManifests).to.have.length(1);
    expect(largeManifests[0]?.errors.join()).to.match(/over the size limit/);
    expect(findProfile(temp.db, row(temp.db, "github.com", large).pk)?.profile?.tooLarge).to.deep.equal(["package.json"]);
    expect(fileRequests().filter((path) => path.includes("/large/"))).to.deep.equal(["200 /repos/dinum/large/contents/README.md"]);
  });

  it("reads only the manifests whose blob changed after a push, keeps the others' parse, drops removed ones, and reads nothing on an unchanged run", async function () {
    const id = fake.addRepo("dinum", { name: "app", pushedAt: "2024-01-01T00:00:00Z" }).id;
    fake.setFiles(id, { "package.json": packageJson, "go.mod": goMod, Gemfile: gemfile });
    await harvest(temp.db, sources);
    expect(manifestsOf(temp.db, "github.com", id).map((m) => m.file)).to.deep.equal(["Gemfile", "go.mod", "package.json"]);

    fake.clearLog();
    const unchanged = await harvest(temp.db, sources);
    expect(unchanged.profiles).to.deep.equal({ fetched: 0, failed: 0 });
    expect(fake.requests.filter((r) => r.path.startsWith("/repos/"))).to.deep.equal([]);

    fake.setFiles(id, { "package.json": JSON.stringify({ name: "@dinum/ui-kit", dependencies: { vue: "3" } }), "go.mod": goMod });
    fake.updateRepo(id, { pushedAt: "2024-02-01T00:00:00Z" });
    fake.clearLog();
    await harvest(temp.db, sources);
    expect(fileRequests()).to.deep.equal(["200 /repos/dinum/app/contents/package.json"]);
    const after = byFile(manifestsOf(temp.db, "github.com", id));
    expect(Object.keys(after).sort()).to.deep.equal(["go.mod", "package.json"]);
    expect(names(after["package.json"])).to.deep.equal(["npm:vue:runtime"]);
    expect(names(after["go.mod"])).to.deep.equal(["go:github.com/spf13/cobra:runtime", "go:golang.org/x/text:indirect"]);
  });

  it("fetches once more a profile saved before manifests were read (an upgrade), then nothing", async function () {
    const id = fake.addRepo("dinum", { name: "old" }).id;
    fake.setFiles(id, { "README.md": "hello", "package.json": packageJson });
    await harvest(temp.db, sources);
    // As an older version left it: no manifests, no evidence version.
    temp.db.$client.prepare("UPDATE repository_profiles SET evidence_version = NULL").run();
    temp.db.$client.prepare("DELETE FROM repository_manifests").run();
    fake.clearLog();
    const upgrade = await harvest(temp.db, sources);
    expect(upgrade.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    // The README's blob did not change: not read again; the manifest is.
    expect(fileRequests()).to.deep.equal(["200 /repos/dinum/old/contents/package.json"]);
    expect(manifestsOf(temp.db, "github.com", id).map((m) => m.file)).to.deep.equal(["package.json"]);
    fake.clearLog();
    expect((await harvest(temp.db, sources)).profiles).to.deep.equal({ fetched: 0, failed: 0 });
  });

  it("keeps hostile package names as data: stored as parsed, never as markup or paths", async function () {
    const id = fake.addRepo("dinum", { name: "hostile" }).id;
    fake.setFiles(id, {
      "package.json": JSON.stringify({ name: "<script>alert(1)</script>", dependencies: { "../../etc/passwd": "1", "__proto__": "1", "constructor": "1", "ok-name": "1" } }),
      "requirements.txt": `${"a".repeat(5_000)}==1\n<img src=x onerror=alert(1)>\n`,
    });
    const summary = await harvest(temp.db, sources);
    expect(summary.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    const manifests = byFile(manifestsOf(temp.db, "github.com", id));
    // Refused names are reported (as data, for the pages to escape), never stored as packages.
    expect(manifests["package.json"]?.publishes).to.deep.equal([]);
    expect(manifests["package.json"]?.errors.join("\n")).to.match(/published name rejected/).and.to.match(/dependency rejected/);
    const stored = Object.values(manifests).flatMap((m) => [...m.dependencies, ...m.publishes].map((ref) => ref.name));
    for (const name of stored) expect(name).to.match(/^[a-z0-9@][a-z0-9@._\/-]*$/);
    expect(names(manifests["package.json"])).to.include("npm:ok-name:runtime");
    expect(names(manifests["package.json"])).not.to.include("npm:__proto__:runtime");
    expect(manifests["requirements.txt"]?.errors.length).to.be.greaterThan(0);
  });
});

describe("Reuse evidence: fork parents on GitHub", function () {
  let fake: FakeGitHub;
  let temp: TempDatabase;
  let sources: string;

  beforeEach(async function () {
    fake = await new FakeGitHub().start();
    temp = tempDatabase();
    sources = `github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n    dinum:\n    ville:\n`;
    fake.addOrg("dinum");
    fake.addOrg("ville");
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  const detailRequests = () => fake.requests.filter((r) => /^\/repos\/[^/]+\/[^/]+$/.test(r.path)).map((r) => `${r.status} ${r.path}`).sort();

  it("without a token, asks GitHub once per new fork, never for other repositories, nothing on an unchanged run, once more after a push; a listing change keeps the parent", async function () {
    const base = fake.addRepo("dinum", { name: "base" }).id;
    const fork = fake.addRepo("ville", { name: "base", fork: true, parent: { id: base }, pushedAt: "2024-01-01T00:00:00Z" }).id;
    const external = fake.addRepo("ville", { name: "lib", fork: true, parent: { id: 424242, fullName: "upstream/lib" } }).id;
    const plain = fake.addRepo("ville", { name: "plain" }).id;

    const first = await harvest(temp.db, sources);
    expect(first.status).to.equal("succeeded");
    expect(detailRequests()).to.deep.equal(["200 /repos/ville/base", "200 /repos/ville/lib"]);
    expect(row(temp.db, "github.com", fork)).to.deep.include({ fork: 1, parent: "dinum/base", parentForgeId: String(base) });
    expect(row(temp.db, "github.com", external)).to.deep.include({ fork: 1, parent: "upstream/lib", parentForgeId: "424242" });
    expect(row(temp.db, "github.com", plain)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });
    expect(row(temp.db, "github.com", base)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });

    fake.clearLog();
    await harvest(temp.db, sources);
    expect(detailRequests()).to.deep.equal([]);

    // The listing changes (a description) without a push: written again, the parent kept, no request.
    fake.updateRepo(external, { description: "Fork of lib" });
    fake.clearLog();
    await harvest(temp.db, sources);
    expect(detailRequests()).to.deep.equal([]);
    expect(row(temp.db, "github.com", external)).to.deep.include({ parent: "upstream/lib", parentForgeId: "424242" });

    // A push: the fork's profile is fetched again, and its parent with it.
    fake.updateRepo(fork, { pushedAt: "2024-05-01T00:00:00Z" });
    fake.clearLog();
    await harvest(temp.db, sources);
    expect(detailRequests()).to.deep.equal(["200 /repos/ville/base"]);

    // No longer a fork (GitHub detaches forks on request): the parent is cleared by the listing.
    fake.updateRepo(external, { fork: false, parent: null });
    await harvest(temp.db, sources);
    expect(row(temp.db, "github.com", external)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });
  });

  // With a token, the GraphQL batch of latest releases names each fork's parent too: no request of its own.
  const withToken = (db: Db) => harvest(db, sources, registry, { "github.com": "ghp-test" });
  const graphqlRequests = () => fake.requests.filter((r) => r.path === "/graphql").map((r) => r.status);

  it("with a token, takes every fork's parent from the GraphQL batch: no detail request, on a first run nor after a push", async function () {
    const base = fake.addRepo("dinum", { name: "base" }).id;
    const fork = fake.addRepo("ville", { name: "base", fork: true, parent: { id: base }, pushedAt: "2024-01-01T00:00:00Z" }).id;
    const external = fake.addRepo("ville", { name: "lib", fork: true, parent: { id: 424242, fullName: "upstream/lib" } }).id;
    const plain = fake.addRepo("ville", { name: "plain" }).id;

    const first = await withToken(temp.db);
    expect(first.status).to.equal("succeeded");
    expect(first.profiles).to.deep.equal({ fetched: 4, failed: 0 });
    expect(detailRequests()).to.deep.equal([]);
    // One query per account with candidates (dinum, ville).
    expect(graphqlRequests()).to.deep.equal([200, 200]);
    expect(row(temp.db, "github.com", fork)).to.deep.include({ fork: 1, parent: "dinum/base", parentForgeId: String(base) });
    expect(row(temp.db, "github.com", external)).to.deep.include({ fork: 1, parent: "upstream/lib", parentForgeId: "424242" });
    expect(row(temp.db, "github.com", plain)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });
    expect(row(temp.db, "github.com", base)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });

    // The fork re-pointed upstream (as a fake can) and pushed: its new parent comes from the batch again.
    fake.updateRepo(fork, { parent: { id: 31337, fullName: "autre/base" }, pushedAt: "2024-05-01T00:00:00Z" });
    fake.clearLog();
    await withToken(temp.db);
    expect(detailRequests()).to.deep.equal([]);
    expect(graphqlRequests()).to.deep.equal([200]);
    expect(row(temp.db, "github.com", fork)).to.deep.include({ parent: "autre/base", parentForgeId: "31337" });
  });

  it("with a token, asks REST for the parents when the batch fails (502 after retries) or GraphQL is unavailable (404)", async function () {
    const copy = fake.addRepo("ville", { name: "copy", fork: true, parent: { id: 7, fullName: "someone/original" } }).id;
    fake.addRepo("ville", { name: "plain" });
    fake.inject("/graphql", { kind: "status", status: 502 }, 3);
    const failed = await withToken(temp.db);
    expect(failed.profiles).to.deep.equal({ fetched: 2, failed: 0 });
    expect(graphqlRequests()).to.deep.equal([502, 502, 502]);
    expect(detailRequests()).to.deep.equal(["200 /repos/ville/copy"]);
    expect(row(temp.db, "github.com", copy)).to.deep.include({ parent: "someone/original", parentForgeId: "7" });

    // A new fork in the next run, GraphQL now refused for the run: one REST request for it alone.
    const other = fake.addRepo("ville", { name: "copy2", fork: true, parent: { id: 8, fullName: "someone/other" } }).id;
    fake.graphqlDisabled = true;
    fake.clearLog();
    await withToken(temp.db);
    expect(graphqlRequests()).to.deep.equal([404]);
    expect(detailRequests()).to.deep.equal(["200 /repos/ville/copy2"]);
    expect(row(temp.db, "github.com", other)).to.deep.include({ parent: "someone/other", parentForgeId: "8" });
  });

  it("keeps the previous profile when a fork's parent cannot be read, and tries again at the next run", async function () {
    const fork = fake.addRepo("ville", { name: "copy", fork: true, parent: { id: 7, fullName: "someone/original" } }).id;
    fake.setFiles(fork, { "README.md": "copy" });
    fake.inject(/^\/repos\/ville\/copy$/, { kind: "status", status: 502 }, 3);
    const failed = await harvest(temp.db, sources);
    expect(failed.profiles).to.deep.equal({ fetched: 0, failed: 1 });
    expect(row(temp.db, "github.com", fork).parent).to.equal(null);
    const again = await harvest(temp.db, sources);
    expect(again.profiles).to.deep.equal({ fetched: 1, failed: 0 });
    expect(row(temp.db, "github.com", fork)).to.deep.include({ parent: "someone/original", parentForgeId: "7" });
  });
});

describe("Reuse evidence on GitLab", function () {
  let fake: FakeGitLab;
  let temp: TempDatabase;
  let sources: string;

  beforeEach(async function () {
    fake = await new FakeGitLab().start();
    temp = tempDatabase();
    sources = `gitlab.example.fr:\n  forge: gitlab\n  api: ${fake.url}\n  owners:\n    dinum:\n    ville:\n`;
    fake.addGroup({ path: "dinum" });
    fake.addGroup({ path: "ville" });
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  const rawRequests = () => fake.requests.filter((r) => /\/repository\/files\//.test(r.path)).map((r) => `${r.status} ${r.path}`).sort();

  it("takes fork parents from the list (id and path), reads manifests, skips too-large ones and unchanged blobs", async function () {
    const base = fake.addProject({ path: "base", namespace: "dinum" }).id;
    fake.setFiles(base, { "package.json": packageJson, "pom.xml": { size: 1_500_000 }, "README.md": "x" });
    const fork = fake.addProject({ path: "base", namespace: "ville", forkedFromId: base }).id;
    fake.setFiles(fork, { "package.json": packageJson });

    const first = await harvest(temp.db, sources);
    expect(first.status).to.equal("succeeded");
    expect(row(temp.db, "gitlab.example.fr", fork)).to.deep.include({ fork: 1, parent: "dinum/base", parentForgeId: String(base) });
    expect(row(temp.db, "gitlab.example.fr", base)).to.deep.include({ fork: 0, parent: null, parentForgeId: null });
    const manifests = byFile(manifestsOf(temp.db, "gitlab.example.fr", base));
    expect(manifests["package.json"]?.publishes).to.deep.equal([{ ecosystem: "npm", name: "@dinum/ui-kit" }]);
    expect(manifests["pom.xml"]?.errors.join()).to.match(/over the size limit/);
    expect(names(manifestsOf(temp.db, "gitlab.example.fr", fork)[0])).to.include("npm:react:runtime");

    // Activity without a change of package.json: the tree is listed again, the blob not read.
    fake.touchProject(base);
    fake.clearLog();
    await harvest(temp.db, sources);
    expect(rawRequests().filter((path) => path.includes("package.json"))).to.deep.equal([]);
    expect(byFile(manifestsOf(temp.db, "gitlab.example.fr", base))["package.json"]?.publishes).to.have.length(1);
  });
});

describe("Reuse evidence on Gitea", function () {
  let fake: FakeGitea;
  let temp: TempDatabase;
  const host = "git.mairie.fr";

  beforeEach(async function () {
    fake = await new FakeGitea().start();
    temp = tempDatabase();
    fake.addOrg("mairie");
  });

  afterEach(async function () {
    await fake.stop();
    temp.close();
  });

  it("takes fork parents from the list, reads manifests through fetch, and stores a malformed one with its errors", async function () {
    const base = fake.addRepo("mairie", { name: "outil" }).id;
    fake.setFiles(base, { "go.mod": goMod, "composer.json": "{ not json" });
    const fork = fake.addRepo("mairie", { name: "outil-fork", parentId: base }).id;
    fake.setFiles(fork, { "go.mod": goMod });

    const summary = await harvest(temp.db, `${host}:\n  forge: gitea\n  api: ${fake.url}/api/v1\n  owners:\n    mairie:\n`, defaultRegistry());
    expect(summary.status).to.equal("succeeded");
    expect(summary.profiles).to.deep.equal({ fetched: 2, failed: 0 });
    expect(row(temp.db, host, fork)).to.deep.include({ fork: 1, parent: "mairie/outil", parentForgeId: String(base) });
    const manifests = byFile(manifestsOf(temp.db, host, base));
    expect(names(manifests["go.mod"])).to.deep.equal(["go:github.com/spf13/cobra:runtime", "go:golang.org/x/text:indirect"]);
    expect(manifests["go.mod"]?.publishes).to.deep.equal([{ ecosystem: "go", name: "github.com/dinum/outil" }]);
    expect(manifests["composer.json"]?.errors.length).to.be.greaterThan(0);
    // No request about a fork's parent on Gitea: the list said it.
    expect(fake.requests.filter((r) => /^\/api\/v1\/repos\/mairie\/outil-fork$/.test(r.path))).to.deep.equal([]);
  });
});

describe("Reuse evidence: hostile manifest file names through each client", function () {
  // Names a repository may hold at its root: each must reach the forge encoded, as one path segment, and be stored as it is.
  const hostile = ["requirements #1.txt", "requirements?x=1.txt", "requirements%2F..txt", "requirements é.txt", "requirements&.txt"];
  const files = Object.fromEntries(hostile.map((name) => [name, "flask\n"]));
  let temp: TempDatabase;

  beforeEach(function () {
    temp = tempDatabase();
  });

  afterEach(function () {
    temp.close();
  });

  function storedFiles(): string[] {
    const rows = temp.db.$client.prepare("SELECT file, dependencies, errors FROM repository_manifests ORDER BY file").all() as { file: string; dependencies: string; errors: string }[];
    for (const stored of rows) {
      expect(JSON.parse(stored.errors), stored.file).to.deep.equal([]);
      expect(JSON.parse(stored.dependencies), stored.file).to.deep.equal([{ ecosystem: "pypi", name: "flask", scope: "runtime", requirement: null }]);
    }
    return rows.map((stored) => stored.file);
  }

  it("GitHub (octokit)", async function () {
    const fake = await new FakeGitHub().start();
    try {
      fake.addOrg("o");
      fake.setFiles(fake.addRepo("o", { name: "r" }).id, files);
      const summary = await harvest(temp.db, `github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n    o:\n`);
      expect(summary.profiles).to.deep.equal({ fetched: 1, failed: 0 });
      expect(fake.requests.filter((r) => r.path.includes("/contents/")).map((r) => `${r.status} ${r.path}`).sort()).to.deep.equal(hostile.map((name) => `200 /repos/o/r/contents/${name}`).sort());
      expect(storedFiles()).to.deep.equal([...hostile].sort());
    } finally {
      await fake.stop();
    }
  });

  it("GitLab (gitbeaker)", async function () {
    const fake = await new FakeGitLab().start();
    try {
      fake.addGroup({ path: "o" });
      const id = fake.addProject({ path: "r", namespace: "o" }).id;
      fake.setFiles(id, files);
      const summary = await harvest(temp.db, `gitlab.example.fr:\n  forge: gitlab\n  api: ${fake.url}\n  owners:\n    o:\n`);
      expect(summary.profiles).to.deep.equal({ fetched: 1, failed: 0 });
      expect(fake.requests.filter((r) => r.path.includes("/files/")).map((r) => `${r.status} ${r.path}`).sort()).to.deep.equal(hostile.map((name) => `200 /api/v4/projects/${id}/repository/files/${name}/raw`).sort());
      expect(storedFiles()).to.deep.equal([...hostile].sort());
    } finally {
      await fake.stop();
    }
  });

  it("Gitea (fetch)", async function () {
    const fake = await new FakeGitea().start();
    try {
      fake.addOrg("o");
      fake.setFiles(fake.addRepo("o", { name: "r" }).id, files);
      const summary = await harvest(temp.db, `git.mairie.fr:\n  forge: gitea\n  api: ${fake.url}/api/v1\n  owners:\n    o:\n`, defaultRegistry());
      expect(summary.profiles).to.deep.equal({ fetched: 1, failed: 0 });
      expect(fake.requests.filter((r) => r.path.includes("/raw/")).map((r) => `${r.status} ${r.path}`).sort()).to.deep.equal(hostile.map((name) => `200 /api/v1/repos/o/r/raw/${name}`).sort());
      expect(storedFiles()).to.deep.equal([...hostile].sort());
    } finally {
      await fake.stop();
    }
  });
});
