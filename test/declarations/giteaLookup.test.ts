// Declarations on Gitea, Forgejo and Gogs (issues 8 and 11): the look-ups of
// the Gitea family against a fake Gitea on 127.0.0.1 through the real fetch
// transport, and one declaration through the service from the form's fields
// to the approval, on a Gitea host.
import { expect } from "chai";
import { DeclarationService } from "../../src/declarations/service.ts";
import { DeclarationError, type Actor, type DeclarationInput } from "../../src/declarations/types.ts";
import { ForgeError, type AdapterOptions, type ForgeLookup } from "../../src/forges/forge.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import type { ForgeSource } from "../../src/sources/sources.ts";
import { FakeGitea } from "../fake-forge/fakeGitea.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { CookieClient, formsOf, signIn } from "../helpers/cookieClient.ts";
import { startDeclarationsSetting, type DeclarationsSetting } from "../helpers/declarationsApp.ts";
import { publicBodies } from "../helpers/searchFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import type { HarvestSelection } from "../../src/harvest/harvestJob.ts";
import { recordingHarvester } from "../helpers/recordingHarvester.ts";

const agent: Actor = { subject: "agent-1", email: "agent@ville.fr", name: "Agent", siret: null, moderator: false };
const moderator: Actor = { subject: "mod-1", email: "mod@gouv.fr", name: "Mod", siret: null, moderator: true };

function options(apiUrl: string, extra: Partial<AdapterOptions> = {}): AdapterOptions {
  return {
    apiUrl,
    host: "git.example.fr",
    timeoutMs: 3000,
    maxRateLimitWaitMs: 0,
    stats: { requests: 0, notModified: 0, rateLimitWaits: 0 },
    log: () => {},
    retry: { retries: 4, baseMs: 1, maxMs: 10 },
    ...extra,
  };
}

function lookup(type: string, apiUrl: string, extra: Partial<AdapterOptions> = {}): ForgeLookup {
  const found = defaultRegistry().lookup(type, options(apiUrl, extra));
  if (!found) throw new Error(`no look-up for ${type}`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("declarations on Gitea, Forgejo and Gogs", function () {
  this.timeout(20_000);
  let gitea: FakeGitea;
  let gogs: FakeGitea;

  before(async () => {
    gitea = await new FakeGitea().start();
    gitea.addOrg("mairie", { fullName: "Mairie d'Exemple" });
    gitea.addRepos("mairie", 3);
    gitea.addRepo("mairie", { name: "brouillon", private: true });
    gitea.addRepo("mairie", { name: "code-commun-public" });
    gitea.addRepo("mairie", { name: "code-commun-secret", private: true });
    gitea.addOrg("limitee", { visibility: "limited" });
    gitea.addUser("agent", { fullName: "Un Agent" });
    gitea.addRepo("agent", { name: "outil" });
    gitea.addUser("stagiaire");
    gitea.addRepo("stagiaire", { name: "code-commun-interne", internal: true });
    gogs = await new FakeGitea({ flavour: "gogs" }).start();
    gogs.addOrg("ville");
    gogs.addRepos("ville", 2);
    gogs.addRepo("ville", { name: "code-commun-abc" });
    gogs.addRepo("ville", { name: "code-commun-cache", private: true });
  });
  after(async () => {
    await gitea.stop();
    await gogs.stop();
  });
  beforeEach(() => {
    gitea.clearLog();
    gogs.clearLog();
  });

  it("is declarable on the three forge types of the family", () => {
    const registry = defaultRegistry();
    for (const type of ["gitea", "forgejo", "gogs"]) expect(registry.hasLookup(type), type).to.equal(true);
  });

  it("recognises the API: Gitea and Forgejo by /version, Gogs by its search; anything else is refused", async () => {
    await lookup("gitea", gitea.url).checkApi();
    await lookup("forgejo", `${gitea.url}/api/v1/`).checkApi();
    await lookup("gogs", gogs.url).checkApi();
    expect(gogs.log()).to.deep.equal(["GET /api/v1/version", "GET /api/v1/settings/api", "GET /api/v1/repos/search?q=code-commun&limit=1"]);
    const gitlab = await new FakeGitLab().start();
    try {
      const error = await rejection(lookup("gitea", gitlab.url).checkApi());
      expect(error).to.be.instanceOf(ForgeError);
      expect((error as ForgeError).reason).to.equal("invalid_response");
      expect(error.message).to.contain("not a Gitea API");
    } finally {
      await gitlab.stop();
    }
  });

  it("looks up an organisation, a user and a whole instance, counting public repositories only", async () => {
    const forge = lookup("gitea", gitea.url);
    expect(await forge.lookupAccount("MAIRIE")).to.deep.equal({ login: "mairie", kind: "organization", name: "Mairie d'Exemple", publicRepositories: 4 });
    expect(await forge.lookupAccount("agent")).to.deep.equal({ login: "agent", kind: "user", name: "Un Agent", publicRepositories: 1 });
    // Anonymous: the listing's X-Total-Count, one request for the organisation, one for its count.
    expect(gitea.log(/mairie/i)).to.deep.equal(["GET /api/v1/orgs/MAIRIE", "GET /api/v1/orgs/mairie/repos?page=1&limit=50"]);
    expect(await forge.lookupAccount("")).to.deep.equal({ login: "", kind: "instance", name: null, publicRepositories: 5 });
    // With a token the forge may count private repositories too: the pages are read and filtered instead.
    const withToken = lookup("gitea", gitea.url, { token: "t0ken" });
    expect((await withToken.lookupAccount("mairie"))?.publicRepositories).to.equal(4);
  });

  it("answers null for an account the forge does not have (its 404 body), and refuses a limited organisation", async () => {
    const forge = lookup("forgejo", gitea.url);
    expect(await forge.lookupAccount("personne")).to.equal(null);
    expect(gitea.log()).to.deep.equal(["GET /api/v1/orgs/personne", "GET /api/v1/users/personne"]);
    const error = await rejection(forge.lookupAccount("limitee"));
    expect((error as ForgeError).reason).to.equal("unauthorized");
    expect(error.message).to.contain("is not public");
  });

  it("finds the challenge repository only when it is public and in the account itself", async () => {
    const forge = lookup("gitea", gitea.url);
    expect(await forge.hasPublicRepository("mairie", "code-commun-public")).to.equal(true);
    expect(await forge.hasPublicRepository("Mairie", "CODE-COMMUN-PUBLIC")).to.equal(true);
    expect(await forge.hasPublicRepository("mairie", "code-commun-absent")).to.equal(false);
    expect(await forge.hasPublicRepository("mairie", "code-commun-secret")).to.equal(false);
    expect(await forge.hasPublicRepository("agent", "code-commun-public")).to.equal(false);
    // A token sees private and internal repositories: they prove nothing to everyone.
    const withToken = lookup("gitea", gitea.url, { token: "t0ken" });
    expect(await withToken.hasPublicRepository("mairie", "code-commun-secret")).to.equal(false);
    expect(await withToken.hasPublicRepository("stagiaire", "code-commun-interne")).to.equal(false);
    expect(await forge.hasPublicRepository("stagiaire", "code-commun-interne")).to.equal(false);
    expect(await withToken.hasPublicRepository("mairie", "code-commun-public")).to.equal(true);
    // A whole instance: any account's public repository of that exact name.
    expect(await forge.hasPublicRepository("", "code-commun-public")).to.equal(true);
    expect(await forge.hasPublicRepository("", "code-commun-secret")).to.equal(false);
    expect(await forge.hasPublicRepository("", "code-commun")).to.equal(false);
  });

  it("rides out a 5xx or two, but tells the person after a few attempts", async () => {
    const forge = lookup("gitea", gitea.url);
    gitea.inject("/api/v1/repos/mairie/code-commun-public", { kind: "status", status: 502, body: "Bad Gateway" }, 2);
    expect(await forge.hasPublicRepository("mairie", "code-commun-public")).to.equal(true);
    expect(gitea.log(/code-commun-public/)).to.have.length(3);
    gitea.clearLog();
    gitea.inject("/api/v1/orgs/mairie", { kind: "status", status: 503 }, 3);
    const error = await rejection(forge.lookupAccount("mairie"));
    expect((error as ForgeError).reason).to.equal("server_error");
    // A look-up retries twice at most, whatever the harvest's policy (4 here).
    expect(gitea.log(/^\/api\/v1\/orgs\/mairie$/)).to.have.length(3);
  });

  it("says what Gogs cannot tell: no count without a token, no whole instance; finds the challenge through the search when a repository needs a token", async () => {
    const anonymous = lookup("gogs", gogs.url);
    expect(await anonymous.lookupAccount("ville")).to.deep.equal({ login: "ville", kind: "organization", name: null, publicRepositories: null });
    const withToken = lookup("gogs", gogs.url, { token: "t0ken" });
    expect((await withToken.lookupAccount("ville"))?.publicRepositories).to.equal(3);
    const error = await rejection(anonymous.lookupAccount(""));
    expect((error as ForgeError).reason).to.equal("unsupported");
    expect(error.message).to.contain("Gogs cannot list all the repositories of an instance");
    expect(await anonymous.hasPublicRepository("ville", "code-commun-abc")).to.equal(true);
    // A server that shows a single repository only to a token holder: the public search answers instead.
    gogs.inject(/^\/api\/v1\/repos\/ville\//, { kind: "status", status: 401, body: { message: "token required" } }, 2);
    expect(await anonymous.hasPublicRepository("ville", "code-commun-abc")).to.equal(true);
    expect(await anonymous.hasPublicRepository("ville", "code-commun-cache")).to.equal(false);
    expect(gogs.log(/search/)).to.deep.equal(["GET /api/v1/repos/search?q=code-commun-abc&private=false&limit=50", "GET /api/v1/repos/search?q=code-commun-cache&private=false&limit=50"]);
  });

  describe("through the declaration service", () => {
    let temp: TempDatabase;
    let service: DeclarationService;
    let harvests: HarvestSelection[];
    let file: ForgeSource[];

    beforeEach(() => {
      temp = tempDatabase();
      harvests = [];
      file = [{ host: "git.example.fr", type: "gitea", api: gitea.url, owners: [{ login: "listed", line: 3 }], line: 1 }];
      service = new DeclarationService({
        db: temp.db,
        registry: defaultRegistry(),
        config: { tokens: {}, httpTimeoutMs: 3000 },
        fileSources: () => file,
        publicBodies,
        harvester: recordingHarvester(harvests),
        allowInsecureApi: true,
        declarationsPerDay: 5,
      });
    });
    afterEach(() => temp.close());

    const input = (fields: Partial<DeclarationInput>): DeclarationInput => ({
      host: "git.example.fr",
      forge: "",
      api: "",
      account: "mairie",
      wholeInstance: false,
      publicBody: "Commune d'Exemple",
      contact: "dsi@exemple.fr",
      ...fields,
    });

    it("offers the three types for a new host", () => {
      expect(service.declarableTypes()).to.include.members(["gitea", "forgejo", "gogs"]);
      expect(service.knownHosts()).to.deep.equal([{ host: "git.example.fr", type: "gitea" }]);
    });

    it("declares a Gitea organisation, verifies its challenge repository and approves it", async () => {
      const preview = await service.preview(agent, input({}));
      expect(preview.account).to.deep.equal({ login: "mairie", kind: "organization", name: "Mairie d'Exemple", publicRepositories: 4 });
      const row = await service.declare(agent, input({}));
      expect(row).to.include({ host: "git.example.fr", forgeType: "gitea", login: "mairie", accountKind: "organization", status: "pending" });
      const missing = await rejection(service.verify(agent, row.id));
      expect((missing as DeclarationError).reason).to.equal("challenge_missing");
      // A private challenge repository proves nothing.
      const challenge = gitea.addRepo("mairie", { name: `code-commun-${row.token}`, private: true });
      expect(((await rejection(service.verify(agent, row.id))) as DeclarationError).reason).to.equal("challenge_missing");
      gitea.updateRepo(challenge.id, { private: false });
      expect((await service.verify(agent, row.id)).status).to.equal("verified");
      expect(service.approve(moderator, row.id, "ok").status).to.equal("approved");
      await new Promise((resolve) => setImmediate(resolve));
      expect(harvests).to.deep.equal([{ accounts: [{ host: "git.example.fr", login: "mairie" }] }]);
      gitea.removeRepo(challenge.id);
    });

    it("checks a new host by calling its API, and refuses what the Gitea family cannot give", async () => {
      const preview = await service.preview(agent, input({ host: "forge.ville.fr", forge: "forgejo", api: `${gitea.url}/api/v1`, account: "agent" }));
      expect(preview).to.deep.include({ host: "forge.ville.fr", forgeType: "forgejo", apiUrl: `${gitea.url}/api/v1` });
      expect(preview.account).to.deep.include({ kind: "user", publicRepositories: 1 });
      const gitlab = await new FakeGitLab().start();
      try {
        const refused = (await rejection(service.preview(agent, input({ host: "forge.ville.fr", forge: "gitea", api: gitlab.url })))) as DeclarationError;
        expect(refused.reason).to.equal("forge_unreachable");
      } finally {
        await gitlab.stop();
      }
      const instance = (await rejection(service.preview(agent, input({ host: "gogs.ville.fr", forge: "gogs", api: gogs.url, account: "", wholeInstance: true })))) as DeclarationError;
      expect(instance.reason).to.equal("instance_not_supported");
      expect(((await rejection(service.preview(agent, input({ account: "personne" })))) as DeclarationError).reason).to.equal("account_not_found");
      expect(((await rejection(service.preview(agent, input({ account: "listed" })))) as DeclarationError).reason).to.equal("already_listed");
    });
  });

  describe("through the declaration form over HTTP", () => {
    let setting: DeclarationsSetting;
    before(async () => (setting = await startDeclarationsSetting()));
    after(async () => setting?.close());

    it("offers Gitea, Forgejo and Gogs for a new host, checks it through its API and declares a Forgejo user", async () => {
      const client = new CookieClient();
      const page = await signIn(client, setting.url, "agent", "/declarations/new");
      expect(page.status).to.equal(200);
      for (const type of ["gitea", "forgejo", "gogs"]) expect(page.html).to.contain(`<option value="${type}">${type}</option>`);
      const csrf = formsOf(page).map((form) => form.fields._csrf).find(Boolean)!;
      const form = { _csrf: csrf, host: "forge.ville.test", forge: "forgejo", api: gitea.url, account: "agent", public_body: "Commune de Test", contact: "dsi@ville.test" };
      const preview = await client.request(`${setting.url}/declarations/new`, { form });
      expect(preview.status, preview.html.slice(0, 2000)).to.equal(200);
      expect(preview.html).to.contain('id="preview-count">1<');
      const declared = await client.request(`${setting.url}/declarations/new`, { form: { ...form, confirm: "1" } });
      expect(declared.url).to.match(/\/declarations\/\d+\?done=declared$/);
      // A host whose API does not answer as the Gitea family is refused with the field named.
      const refused = await client.request(`${setting.url}/declarations/new`, { form: { ...form, host: "autre.ville.test", forge: "gitea", api: setting.gitlab.url } });
      expect(refused.status).to.be.within(400, 499);
      expect(refused.html).to.contain("Aucune API de forge n’a répondu à cette adresse.");
    });
  });
});
