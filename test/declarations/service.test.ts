// The declaration service's rules against fake forges and a real SQLite file
// (issue 11): look-ups through the forge adapters, proofs, moderation rules,
// the per-user rate limit, the on-demand harvest and the audit log.
import { expect } from "chai";
import { DeclarationService } from "../../src/declarations/service.ts";
import { DeclarationError, type Actor, type DeclarationInput } from "../../src/declarations/types.ts";
import { defaultRegistry } from "../../src/forges/forgeTypes.ts";
import type { ForgeSource } from "../../src/sources/sources.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { publicBodies } from "../helpers/searchFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import type { HarvestSelection } from "../../src/harvest/harvestJob.ts";
import { recordingHarvester } from "../helpers/recordingHarvester.ts";

const agent: Actor = { subject: "agent-1", email: "agent@ville.fr", name: "Agent", siret: null, moderator: false };
const moderator: Actor = { subject: "mod-1", email: "mod@gouv.fr", name: "Mod", siret: null, moderator: true };

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<DeclarationError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (error instanceof DeclarationError) return error;
    throw error;
  }
  throw new Error("expected a DeclarationError");
}

describe("declaration service", function () {
  this.timeout(20_000);
  let temp: TempDatabase;
  let github: FakeGitHub;
  let gitlab: FakeGitLab;
  let harvests: HarvestSelection[];
  let logged: string[];
  let onLog: (message: string) => void = () => {};
  let harvestFails: boolean;
  let service: DeclarationService;
  let file: ForgeSource[];

  before(async () => {
    github = await new FakeGitHub().start();
    gitlab = await new FakeGitLab().start();
    github.addOrg("org-a", { name: "Org A" });
    github.addRepos("org-a", 2);
    github.addUser("person", { name: "A Person" });
    github.addRepo("person", { name: "public-one" });
    github.addRepo("person", { name: "hidden", private: true });
    gitlab.addGroup({ path: "grp", name: "Group" });
    gitlab.addProject({ namespace: "grp", path: "app" });
    gitlab.addProject({ namespace: "grp", path: "secret", visibility: "private" });
    gitlab.addUser({ username: "dev", name: "Dev" });
    gitlab.addProject({ namespace: "dev", path: "tool" });
  });
  after(async () => {
    await github.stop();
    await gitlab.stop();
  });
  beforeEach(() => {
    temp = tempDatabase();
    harvests = [];
    logged = [];
    harvestFails = false;
    file = [
      { host: "github.test", type: "github", api: github.url, owners: [{ login: "listed", line: 3 }], line: 1 },
      { host: "gitlab.test", type: "gitlab", api: gitlab.url, owners: [], line: 5 },
      // A forge type with no adapter, hence no look-ups (Gitea, Forgejo and Gogs have them: test/declarations/giteaLookup.test.ts).
      { host: "sourcehut.test", type: "sourcehut", owners: [], line: 8 },
    ];
    service = new DeclarationService({
      db: temp.db,
      registry: defaultRegistry(),
      config: { tokens: {}, httpTimeoutMs: 3000 },
      fileSources: () => file,
      publicBodies,
      harvester: recordingHarvester(harvests, () => harvestFails),
      log: (message) => {
        logged.push(message);
        onLog(message);
      },
      allowInsecureApi: true,
      declarationsPerDay: 3,
    });
  });
  afterEach(() => temp.close());

  const input = (fields: Partial<DeclarationInput>): DeclarationInput => ({ host: "github.test", forge: "", api: "", account: "org-a", wholeInstance: false, publicBody: "Commune d'Exemple", contact: "dsi@exemple.fr", ...fields });

  it("looks accounts up through the adapters: GitHub organisation and user, GitLab group, user and whole instance", async () => {
    expect((await service.preview(agent, input({}))).account).to.deep.equal({ login: "org-a", kind: "organization", name: "Org A", publicRepositories: 2 });
    expect((await service.preview(agent, input({ account: "PERSON" }))).account).to.deep.equal({ login: "person", kind: "user", name: "A Person", publicRepositories: 1 });
    expect((await service.preview(agent, input({ host: "gitlab.test", account: "grp" }))).account).to.deep.equal({ login: "grp", kind: "group", name: "Group", publicRepositories: 1 });
    expect((await service.preview(agent, input({ host: "gitlab.test", account: "dev" }))).account).to.deep.equal({ login: "dev", kind: "user", name: "Dev", publicRepositories: 1 });
    const instance = await service.preview(agent, input({ host: "gitlab.test", account: "", wholeInstance: true }));
    expect(instance.account).to.deep.include({ login: "", kind: "instance" });
    expect(instance.account.publicRepositories).to.equal(2);
  });

  it("finds the challenge repository only when it is public and in the account itself", async () => {
    const lookup = defaultRegistry().lookup("gitlab", { apiUrl: gitlab.url, host: "gitlab.test", timeoutMs: 3000, maxRateLimitWaitMs: 0, stats: { requests: 0, notModified: 0, rateLimitWaits: 0 }, log: () => {} })!;
    expect(await lookup.hasPublicRepository("grp", "app")).to.equal(true);
    expect(await lookup.hasPublicRepository("grp", "secret")).to.equal(false);
    expect(await lookup.hasPublicRepository("dev", "app")).to.equal(false);
    expect(await lookup.hasPublicRepository("", "tool")).to.equal(true);
    expect(await lookup.hasPublicRepository("", "secret")).to.equal(false);
    const gh = defaultRegistry().lookup("github", { apiUrl: github.url, host: "github.test", timeoutMs: 3000, maxRateLimitWaitMs: 0, stats: { requests: 0, notModified: 0, rateLimitWaits: 0 }, log: () => {} })!;
    expect(await gh.hasPublicRepository("person", "public-one")).to.equal(true);
    expect(await gh.hasPublicRepository("person", "hidden")).to.equal(false);
    expect(await gh.hasPublicRepository("org-a", "public-one")).to.equal(false);
    await gh.checkApi();
    await lookup.checkApi();
  });

  it("refuses what cannot be declared, with a stable reason", async () => {
    expect((await refusal(service.preview(agent, input({ account: "listed" })))).reason).to.equal("already_listed");
    expect((await refusal(service.preview(agent, input({ account: "nobody" })))).reason).to.equal("account_not_found");
    expect((await refusal(service.preview(agent, input({ account: "", wholeInstance: true })))).reason).to.equal("instance_not_supported");
    expect((await refusal(service.preview(agent, input({ host: "sourcehut.test" })))).reason).to.equal("unsupported_forge");
    expect((await refusal(service.preview(agent, input({ host: "new.test" })))).reason).to.equal("unknown_host");
    expect((await refusal(service.preview(agent, input({ host: "new.test", forge: "gitlab", api: "ftp://x" })))).reason).to.equal("insecure_api");
    const invalid = await refusal(service.preview(agent, input({ host: "bad host", account: "a b", publicBody: "12345", contact: "nope" })));
    expect(invalid.reason).to.equal("invalid");
    expect(invalid.extra.fields).to.deep.equal([
      { field: "host", reason: "invalid" },
      { field: "account", reason: "invalid" },
      { field: "public_body", reason: "invalid" },
      { field: "contact", reason: "invalid" },
    ]);
  });

  it("limits declarations per person and per day", async () => {
    github.addOrg("rl-1");
    github.addOrg("rl-2");
    github.addOrg("rl-3");
    github.addOrg("rl-4");
    for (const login of ["rl-1", "rl-2", "rl-3"]) await service.declare(agent, input({ account: login }));
    expect((await refusal(service.declare(agent, input({ account: "rl-4" })))).reason).to.equal("rate_limited");
    // Another person is not held by it.
    await service.declare(moderator, input({ account: "rl-4" }));
  });

  it("moderates: only moderators, only verified declarations approved, a rejection needs a reason; every action audited", async () => {
    const row = await service.declare(agent, input({ host: "gitlab.test", account: "grp", publicBody: "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8" }));
    expect(row.psoId).to.equal("db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8");
    expect((await refusal(() => service.approve(agent, row.id, ""))).reason).to.equal("forbidden");
    expect((await refusal(() => service.approve(moderator, row.id, ""))).reason).to.equal("wrong_status");
    gitlab.addProject({ namespace: "grp", path: `code-commun-${row.token}` });
    await service.verify(agent, row.id);
    expect((await refusal(() => service.reject(moderator, row.id, "  "))).reason).to.equal("reason_required");
    harvestFails = true;
    const failureLogged = new Promise<void>((resolve) => (onLog = (message) => message.includes("on-demand harvest") && resolve()));
    service.approve(moderator, row.id, "ok");
    // The approval does not wait for the harvest; its failure is logged when it comes.
    await failureLogged;
    expect(harvests).to.deep.equal([{ accounts: [{ host: "gitlab.test", login: "grp" }] }]);
    expect(logged.join("\n")).to.contain("on-demand harvest of gitlab.test/grp failed: harvester down");
    expect(service.auditLog(moderator).map((event) => [event.action, event.actorEmail])).to.deep.equal([
      ["approved", "mod@gouv.fr"],
      ["verified", "agent@ville.fr"],
      ["declared", "agent@ville.fr"],
    ]);
    expect((await refusal(() => service.auditLog(agent))).reason).to.equal("forbidden");
    // A rejected declaration frees the account for a new one.
    const second = await service.declare(agent, input({ account: "person" }));
    service.reject(moderator, second.id, "pas un organisme public");
    expect((await service.declare(agent, input({ account: "person" }))).status).to.equal("pending");
  });
});
