// The Gitea / Forgejo / Gogs harvester end to end: the adapter's fetch
// transport against FakeGitea, runHarvest and a real SQLite store.
import { expect } from "chai";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import { licenceOf } from "../../src/forges/gitea/mapping.ts";
import { runHarvest, type RunSummary } from "../../src/harvest/harvester.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { listRunAccounts } from "../../src/store/runs.ts";
import { FakeGitea, type FakeGiteaOptions } from "../fake-forge/fakeGitea.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const host = "git.example.fr";

interface Row {
  forge_id: string;
  forge: string;
  owner: string;
  name: string;
  full_name: string;
  url: string;
  description: string | null;
  homepage: string | null;
  language: string | null;
  license: string | null;
  topics: string;
  stars: number;
  forks: number;
  open_issues: number;
  archived: number;
  fork: number;
  template: number;
  mirror: number;
  parent: string | null;
  default_branch: string | null;
  created_at: string | null;
  updated_at: string | null;
  pushed_at: string | null;
  removed_at: string | null;
}

describe("Gitea, Forgejo and Gogs harvest", function () {
  let fake: FakeGitea;
  let temp: TempDatabase;

  async function startFake(options: FakeGiteaOptions = {}): Promise<FakeGitea> {
    fake = await new FakeGitea(options).start();
    return fake;
  }

  beforeEach(() => (temp = tempDatabase()));
  afterEach(async () => {
    await fake?.stop();
    temp.close();
  });

  function harvest(owners: string[] | null, options: { forge?: string; api?: string; tokens?: Record<string, string> } = {}): Promise<RunSummary> {
    const yaml = [
      `${host}:`,
      `  forge: ${options.forge ?? "gitea"}`,
      `  api: ${options.api ?? `${fake.url}/api/v1`}`,
      ...(owners ? ["  owners:", ...owners.map((login) => `    ${login}:`)] : []),
    ].join("\n");
    return runHarvest({
      db: temp.db,
      sources: parseSources(yaml),
      registry: defaultRegistry(),
      config: { tokens: options.tokens ?? {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
      trigger: "cli",
      retryPolicy: { retries: 4, baseMs: 1, maxMs: 60_000 },
      secondPassDelayMs: 0,
      // These tests count the listing's requests; profiles have their own tests (giteaProfiles.test.ts).
      profiles: false,
    });
  }

  const rows = () => temp.db.$client.prepare("SELECT * FROM repositories ORDER BY cast(forge_id AS integer)").all() as Row[];
  const live = () => rows().filter((r) => r.removed_at === null);
  const byName = (fullName: string) => {
    const row = rows().find((r) => r.full_name === fullName);
    if (!row) throw new Error(`${fullName} was not stored`);
    return row;
  };

  it("is registered for gitea, forgejo and gogs, on https://<host>/api/v1", function () {
    const registry = defaultRegistry();
    for (const type of ["gitea", "forgejo", "gogs"]) {
      expect(registry.types()).to.include(type);
      expect(registry.defaultApiUrl(type, host)).to.equal(`https://${host}/api/v1`);
    }
  });

  it("harvests an organisation over pages capped below the limit asked, following Link", async function () {
    await startFake({ maxPageSize: 20 });
    fake.addOrg("mairie", { fullName: "Mairie de Exemple", description: "Le service numérique", website: "mairie.example.fr", location: "Exemple", email: "dsi@mairie.example.fr" });
    fake.addRepos("mairie", 45);

    const summary = await harvest(["mairie"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 45 });
    expect(live()).to.have.length(45);
    // The adapter asked for 50 a page; the server gave 20: three pages, found through Link.
    expect(fake.log(/\/repos$/)).to.deep.equal([1, 2, 3].map((page) => `GET /api/v1/orgs/mairie/repos?page=${page}&limit=50`));
    const owner = temp.db.$client.prepare("SELECT * FROM owners WHERE login = 'mairie'").get() as Record<string, unknown>;
    expect(owner).to.include({ kind: "organization", name: "Mairie de Exemple", description: "Le service numérique", website: "https://mairie.example.fr/", email: "dsi@mairie.example.fr", location: "Exemple" });
  });

  for (const pagination of ["total", "none"] as const) {
    it(`walks every page without Link (pagination headers: ${pagination})`, async function () {
      await startFake({ maxPageSize: 20, pagination });
      fake.addOrg("mairie");
      fake.addRepos("mairie", 40);

      const summary = await harvest(["mairie"]);

      expect(summary).to.include({ status: "succeeded", repositoriesAdded: 40 });
      // X-Total-Count says when all were read; without it, an empty page does.
      expect(fake.log(/\/repos$/)).to.have.length(pagination === "total" ? 2 : 3);
    });
  }

  it("finds a user when no organisation has that login, and asks /users straight away the next time", async function () {
    await startFake();
    fake.addUser("jdupont", { fullName: "Jeanne Dupont", website: "https://jdupont.example.fr" });
    fake.addRepos("jdupont", 3);

    const first = await harvest(["jdupont"]);
    expect(first).to.include({ status: "succeeded", repositoriesAdded: 3 });
    expect(fake.log()).to.deep.equal(["GET /api/v1/orgs/jdupont", "GET /api/v1/users/jdupont", "GET /api/v1/users/jdupont/repos?page=1&limit=50"]);
    expect(temp.db.$client.prepare("SELECT kind, name FROM owners").get()).to.deep.equal({ kind: "user", name: "Jeanne Dupont" });

    fake.clearLog();
    const second = await harvest(["jdupont"]);
    // Conditional requests only, answered 304, and nothing written.
    expect(second).to.include({ status: "succeeded", repositoriesAdded: 0, repositoriesUpdated: 0, notModified: 2 });
    expect(fake.requests.map((r) => `${r.status} ${r.path}`)).to.deep.equal(["304 /api/v1/users/jdupont", "304 /api/v1/users/jdupont/repos"]);
  });

  it("stores complete records: licences, topics, mirrors, templates, forks with their parent, never a private or internal repository", async function () {
    await startFake();
    fake.addOrg("dinum");
    const upstream = fake.addRepo("dinum", {
      name: "upstream",
      description: "  Un outil\u0007 ",
      website: "javascript:alert(1)",
      language: "Go",
      licenses: ["EUPL-1.2"],
      topics: ["Etat", "open-data", "etat"],
      stars: 12,
      forks: 3,
      openIssues: 4,
      defaultBranch: "develop",
    });
    fake.addRepo("dinum", { name: "fork", parentId: upstream.id, licenses: ["GPL-3.0-or-later"] });
    fake.addRepo("dinum", { name: "mirror", mirror: true, licenses: ["MIT", "Apache-2.0"] });
    fake.addRepo("dinum", { name: "template", template: true, archived: true, licenses: [] });
    fake.addRepo("dinum", { name: "old-gitea", licenses: undefined, website: "www.example.fr" });
    fake.addRepo("dinum", { name: "secret", private: true });
    fake.addRepo("dinum", { name: "intranet", internal: true });

    const summary = await harvest(["dinum"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 5 });
    expect(live().map((r) => r.name)).to.deep.equal(["upstream", "fork", "mirror", "template", "old-gitea"]);
    expect(byName("dinum/upstream")).to.include({
      forge: "gitea",
      owner: "dinum",
      url: "https://git.example.fr/dinum/upstream",
      description: "Un outil",
      homepage: null,
      language: "Go",
      license: "EUPL-1.2",
      topics: JSON.stringify(["etat", "open-data"]),
      stars: 12,
      forks: 3,
      open_issues: 4,
      default_branch: "develop",
      fork: 0,
      mirror: 0,
      parent: null,
    });
    expect(byName("dinum/upstream").created_at).to.match(/^2018-/);
    expect(byName("dinum/upstream").pushed_at).to.equal(byName("dinum/upstream").updated_at);
    expect(byName("dinum/fork")).to.include({ fork: 1, parent: "dinum/upstream", license: "GPL-3.0" });
    expect(byName("dinum/mirror")).to.include({ mirror: 1, license: "other" });
    expect(byName("dinum/template")).to.include({ template: 1, archived: 1, license: null });
    expect(byName("dinum/old-gitea")).to.include({ license: null, homepage: "https://www.example.fr/" });
  });

  it("maps licences to SPDX ids as GitHub writes them, other when it cannot tell, null when none", function () {
    expect(licenceOf(["MIT"])).to.equal("MIT");
    expect(licenceOf(["AGPL-3.0-only"])).to.equal("AGPL-3.0");
    expect(licenceOf(["MIT", "Apache-2.0"])).to.equal("other");
    expect(licenceOf(["<script>"])).to.equal("other");
    expect(licenceOf([])).to.equal(null);
    expect(licenceOf(undefined)).to.equal(null);
  });

  it("harvests a whole instance: every organisation as an owner, every public repository through /repos/search", async function () {
    await startFake({ maxPageSize: 25 });
    fake.addOrg("a", { fullName: "Organisme A" });
    fake.addOrg("hidden", { visibility: "limited" });
    fake.addUser("someone");
    fake.addRepos("a", 40);
    fake.addRepos("someone", 20);
    fake.addRepo("a", { name: "secret", private: true });

    const summary = await harvest(null);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 60 });
    expect(fake.log(/\/repos\/search$/)).to.deep.equal([1, 2, 3].map((page) => `GET /api/v1/repos/search?sort=id&order=asc&private=false&page=${page}&limit=50`));
    const owners = temp.db.$client.prepare("SELECT login, name FROM owners ORDER BY login").all();
    expect(owners).to.deep.equal([{ login: "a", name: "Organisme A" }]);
    expect(new Set(live().map((r) => r.owner))).to.deep.equal(new Set(["a", "someone"]));
  });

  it("keeps one record through a rename, marks removed a deleted repository, and writes only what changed", async function () {
    await startFake();
    fake.addOrg("o");
    const [renamed, deleted, changed] = fake.addRepos("o", 5);
    await harvest(["o"]);

    fake.updateRepo(renamed as number, { name: "new-name" });
    fake.removeRepo(deleted as number);
    fake.updateRepo(changed as number, { stars: 99 });
    const summary = await harvest(["o"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 0, repositoriesUpdated: 2, repositoriesRemoved: 1 });
    expect(rows()).to.have.length(5);
    expect(rows().find((r) => r.forge_id === String(renamed))).to.include({ name: "new-name", full_name: "o/new-name", removed_at: null });
    expect(rows().find((r) => r.forge_id === String(deleted))?.removed_at).to.be.a("string");
  });

  it("records a login the instance does not have as not_found, with Gitea's 404", async function () {
    await startFake();
    fake.addOrg("present");

    const summary = await harvest(["present", "ghost"]);

    expect(summary.status).to.equal("partial");
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0]).to.include({ login: "ghost", reason: "not_found" });
    expect(summary.failures[0]?.message).to.equal("git.example.fr has no organisation or user 'ghost' (Gitea answered 404)");
  });

  it("harvests whole an account whose second page answers 502 four times", async function () {
    await startFake({ maxPageSize: 20 });
    fake.addOrg("o");
    fake.addRepos("o", 50);
    fake.inject((r) => r.path === "/api/v1/orgs/o/repos" && r.query.get("page") === "2", { kind: "status", status: 502, body: "Bad Gateway" }, 4);

    const summary = await harvest(["o"]);

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 50 });
    expect(listRunAccounts(temp.db, summary.runId)[0]).to.include({ status: "ok", attempts: 1, retries: 4 });
  });

  it("fails with invalid_response a search that answers ok: false", async function () {
    await startFake();
    fake.inject("/api/v1/repos/search", { kind: "status", status: 200, body: { ok: false, error: "search is broken" } });

    const summary = await harvest(null);

    expect(summary.failures[0]).to.include({ reason: "invalid_response" });
    expect(summary.failures[0]?.message).to.match(/repository search failed/);
  });

  it("says plainly what a Gogs server cannot give: owners' repositories without a token, a whole instance", async function () {
    await startFake({ flavour: "gogs" });
    fake.addOrg("mairie");
    fake.addRepos("mairie", 3);

    const withoutToken = await harvest(["mairie"], { forge: "gogs" });
    expect(withoutToken.failures[0]).to.include({ reason: "unauthorized" });
    expect(withoutToken.failures[0]?.message).to.match(/Gogs lists an owner's repositories only to a token holder; add a token for git\.example\.fr to FORGE_TOKENS/);
    expect(fake.requests).to.have.length(0);

    const withToken = await harvest(["mairie"], { forge: "gogs", tokens: { [host]: "gogs-token" } });
    expect(withToken).to.include({ status: "succeeded", repositoriesAdded: 3 });
    expect(fake.requests.every((r) => r.headers.authorization === "token gogs-token")).to.equal(true);

    const instance = await harvest(null, { forge: "gogs", tokens: { [host]: "gogs-token" } });
    expect(instance.failures[0]).to.include({ reason: "unsupported" });
    expect(instance.failures[0]?.message).to.match(/Gogs cannot list all the repositories of an instance/);
  });

  it("takes the sources' api key with or without /api/v1 (Forgejo)", async function () {
    await startFake();
    fake.addOrg("o");
    fake.addRepos("o", 2);

    const summary = await harvest(["o"], { forge: "forgejo", api: fake.url });

    expect(summary).to.include({ status: "succeeded", repositoriesAdded: 2 });
    expect(rows()[0]?.forge).to.equal("forgejo");
  });
});
