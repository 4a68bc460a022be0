// loadReuseInputs (issue 10, contract R1) on a real SQLite store filled by a
// real harvest (octokit against FakeGitHub): the inputs of the reuse graph,
// and an edge of buildReuseGraph end to end.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { GitHubAdapter, githubForgeType } from "../../src/forges/github/githubAdapter.ts";
import { ForgeRegistry } from "../../src/forges/registry.ts";
import { runHarvest } from "../../src/harvest/harvester.ts";
import { buildReuseGraph, reuseOf, type ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import { parseSources } from "../../src/sources/sources.ts";
import { loadReuseInputs } from "../../src/store/reuseInputs.ts";
import { refreshReuse } from "../../src/reuse/refresh.ts";
import { listReuseEdges } from "../../src/store/reuse.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const registry = new ForgeRegistry({
  github: { ...githubForgeType, create: (options) => new GitHubAdapter(options, { retry: { retries: 2, baseMs: 1, maxMs: 100 } }) },
});

describe("loadReuseInputs", function () {
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

  /** A harvest of `owners` (the sources file's owners block; default: DINUM, Lyon and a user) on FakeGitHub. */
  async function harvest(owners = "    DINUM:\n      pso_id: dinum-pso\n    ville-de-lyon:\n      pso_id: lyon-pso\n    agent:\n"): Promise<void> {
    const summary = await runHarvest({
      db: temp.db,
      sources: parseSources(`github.com:\n  forge: github\n  api: ${fake.url}\n  owners:\n${owners}`),
      registry,
      config: { tokens: {}, httpTimeoutMs: 5_000, harvestConcurrency: 2, maxRateLimitWaitMs: 10_000 },
      trigger: "cli",
    });
    expect(summary.status).to.equal("succeeded");
  }

  /** Two unrelated communes carrying the same pso_id, one's repository a fork of the other's, harvested. */
  async function communesSharing(psoId: string): Promise<void> {
    fake.addOrg("commune-a");
    fake.addOrg("commune-b");
    const tool = fake.addRepo("commune-a", { name: "outil" }).id;
    fake.addRepo("commune-b", { name: "outil", fork: true, parent: { id: tool } });
    await harvest(`    commune-a:\n      pso_id: ${psoId}\n    commune-b:\n      pso_id: ${psoId}\n`);
  }

  it("gives one input per live repository: owner and body, fork parent, manifests together, publiccode declarations; and the graph's edges from them", async function () {
    fake.addOrg("DINUM");
    fake.addOrg("ville-de-lyon");
    fake.addUser("agent");
    const uiKit = fake.addRepo("DINUM", { name: "ui-kit" }).id;
    fake.setFiles(uiKit, {
      "package.json": JSON.stringify({ name: "@dinum/ui-kit", dependencies: { react: "^18" } }),
      // Invalid (required keys missing), yet its declarations are read.
      "publiccode.yml": "publiccodeYmlVersion: '0.4'\nname: ui-kit\nusedBy: [Ville de Lyon, Région Bretagne]\nisBasedOn: https://github.com/upstream/design\n",
    });
    const portail = fake.addRepo("ville-de-lyon", { name: "portail" }).id;
    fake.setFiles(portail, {
      "package.json": JSON.stringify({ name: "portail", private: true, dependencies: { "@dinum/ui-kit": "^2" }, devDependencies: { mocha: "10" } }),
      "requirements.txt": "Flask>=2\n",
    });
    const lyonFork = fake.addRepo("ville-de-lyon", { name: "ui-kit", fork: true, parent: { id: uiKit } }).id;
    // A fork names its upstream's package: it publishes nothing.
    fake.setFiles(lyonFork, { "package.json": JSON.stringify({ name: "@dinum/ui-kit" }) });
    fake.addRepo("DINUM", { name: "ui-kit-v2", fork: true, parent: { id: uiKit } });
    fake.addRepo("agent", { name: "outside", fork: true, parent: { id: 99, fullName: "upstream/design" } });
    const gone = fake.addRepo("DINUM", { name: "old" }).id;
    await harvest();
    fake.removeRepo(gone);
    await harvest();

    const inputs = loadReuseInputs(temp.db);
    const byId = new Map<string, ReuseRepositoryInput>(inputs.map((input) => [input.id, input]));
    expect([...byId.keys()].sort()).to.deep.equal([
      "github.com/DINUM/ui-kit", "github.com/DINUM/ui-kit-v2", "github.com/agent/outside", "github.com/ville-de-lyon/portail", "github.com/ville-de-lyon/ui-kit",
    ]);

    const kit = byId.get("github.com/DINUM/ui-kit")!;
    expect(kit).to.deep.include({ host: "github.com", forgeId: String(uiKit), fullName: "DINUM/ui-kit", ownerId: "github.com/dinum", publicBodyId: "dinum-pso", fork: false, forkParent: null });
    expect(kit.publishes).to.deep.equal([{ ecosystem: "npm", name: "@dinum/ui-kit" }]);
    expect(kit.dependencies).to.deep.equal([{ ecosystem: "npm", name: "react", scope: "runtime", requirement: "^18" }]);
    expect(kit.declared).to.deep.equal({ usedBy: ["Ville de Lyon", "Région Bretagne"], isBasedOn: ["https://github.com/upstream/design"], dependsOn: [] });

    const portailInput = byId.get("github.com/ville-de-lyon/portail")!;
    expect(portailInput).to.deep.include({ ownerId: "github.com/ville-de-lyon", publicBodyId: "lyon-pso", fork: false, forkParent: null, declared: null });
    // "private": true in package.json: published nowhere.
    expect(portailInput.publishes).to.deep.equal([]);
    // Both manifests' dependencies, whatever their ecosystem.
    expect(portailInput.dependencies.map((d) => `${d.ecosystem}:${d.name}:${d.scope}`).sort()).to.deep.equal(["npm:@dinum/ui-kit:runtime", "npm:mocha:dev", "pypi:flask:runtime"]);

    expect(byId.get("github.com/ville-de-lyon/ui-kit")).to.deep.include({ fork: true, forkParent: { host: "github.com", forgeId: String(uiKit), fullName: "DINUM/ui-kit" } });
    expect(byId.get("github.com/DINUM/ui-kit-v2")).to.deep.include({ fork: true, ownerId: "github.com/dinum", forkParent: { host: "github.com", forgeId: String(uiKit), fullName: "DINUM/ui-kit" } });
    expect(byId.get("github.com/agent/outside")).to.deep.include({ ownerId: "github.com/agent", publicBodyId: null, forkParent: { host: "github.com", forgeId: "99", fullName: "upstream/design" } });

    const graph = buildReuseGraph(inputs);
    const edges = graph.edges.map((e) => `${e.kind} ${e.from} -> ${e.to} ${e.acrossBodies ? "across" : "within"}`).sort();
    expect(edges).to.deep.equal([
      "dependency github.com/ville-de-lyon/portail -> github.com/DINUM/ui-kit across",
      "fork github.com/DINUM/ui-kit-v2 -> github.com/DINUM/ui-kit within",
      "fork github.com/ville-de-lyon/ui-kit -> github.com/DINUM/ui-kit across",
    ]);
    // The fork does not publish the package: no ambiguity, one publisher.
    expect(graph.ambiguous).to.deep.equal([]);
    const reuse = reuseOf(graph, "github.com/DINUM/ui-kit");
    expect(reuse.dependents).to.deep.equal(["github.com/ville-de-lyon/portail"]);
    expect(reuse.declaredUsers).to.include("Ville de Lyon");
    expect(reuseOf(graph, "github.com/agent/outside").upstream).to.match(/upstream\/design/);

    // A repository deleted from the store takes its manifests with it.
    const manifestsOf = () => (temp.db.$client.prepare("SELECT count(*) AS n FROM repository_manifests m JOIN repositories r ON r.pk = m.repository_pk WHERE r.forge_id = ?").get(String(portail)) as { n: number }).n;
    const allManifests = () => (temp.db.$client.prepare("SELECT count(*) AS n FROM repository_manifests").get() as { n: number }).n;
    expect(manifestsOf()).to.equal(2);
    const before = allManifests();
    temp.db.$client.prepare("DELETE FROM repositories WHERE forge_id = ?").run(String(portail));
    expect(allManifests()).to.equal(before - 2);
  });

  it("treats a placeholder pso_id as no public body: two owners carrying it are not one body", async function () {
    const nil = "00000000-0000-0000-0000-000000000000";
    await communesSharing(nil);
    const inputs = loadReuseInputs(temp.db);
    expect(inputs.map((input) => input.publicBodyId)).to.deep.equal([null, null]);
    const graph = buildReuseGraph(inputs);
    expect(graph.edges.map((e) => `${e.kind} ${e.from} -> ${e.to} ${e.acrossBodies ? "across" : "within"}`)).to.deep.equal(["fork github.com/commune-b/outil -> github.com/commune-a/outil across"]);
    // The directory's own placeholders, when the caller gives them.
    expect(loadReuseInputs(temp.db, { isUnidentified: () => false }).map((input) => input.publicBodyId)).to.deep.equal([nil, nil]);
  });

  it("takes the placeholders from the public-body directory when the rebuild is given it, and falls back to the nil UUID when it cannot be read", async function () {
    // A placeholder of the directory's own that is not the nil UUID: two unrelated accounts carry it.
    const placeholder = "11111111-1111-4111-8111-111111111111";
    await communesSharing(placeholder);
    const directory = path.join(temp.dir, "public-bodies.yml");
    fs.writeFileSync(directory, `ministries: {}\nbodies: {}\nunidentified:\n  - ${placeholder}\n`);
    const forkEdge = () => listReuseEdges(temp.db, "github.com/commune-a/outil", "forks", { limit: 10, offset: 0 }).items.map((e) => `${e.kind} ${e.from} ${e.acrossBodies ? "across" : "within"}`);
    const logged: string[] = [];
    // Without the directory, the shared placeholder reads as one body: the fork stays within it.
    expect(refreshReuse(temp.db, { log: (line) => logged.push(line) })).to.not.equal(null);
    expect(forkEdge()).to.deep.equal(["fork github.com/commune-b/outil within"]);
    // With it, the placeholder means "not known": the fork crosses bodies.
    expect(refreshReuse(temp.db, { publicBodiesFile: directory, log: (line) => logged.push(line) })).to.not.equal(null);
    expect(forkEdge()).to.deep.equal(["fork github.com/commune-b/outil across"]);
    // An unreadable directory is said, and the rebuild goes on with the nil UUID alone.
    expect(refreshReuse(temp.db, { publicBodiesFile: `${directory}.missing`, log: (line) => logged.push(line) })).to.not.equal(null);
    expect(forkEdge()).to.deep.equal(["fork github.com/commune-b/outil within"]);
    expect(logged.some((line) => line.includes("public-body directory cannot be read"))).to.equal(true);
  });

  it("gives nothing for an empty catalogue", function () {
    expect(loadReuseInputs(temp.db)).to.deep.equal([]);
  });
});
