// The stored reuse graph (issue 10): rebuildReuse writes it whole on real
// SQLite, the read functions of contract R2 read it back.
import { expect } from "chai";
import { rebuildReuse } from "../../src/reuse/rebuild.ts";
import {
  findRepositoryReuse,
  hasReuseGraph,
  lastReuseBuild,
  listExternalPackages,
  listExternalUpstreams,
  listReuseEdges,
  listSharedProjects,
  ownerReuseSummary,
  packageUsage,
  publicBodyReuseSummary,
  reuseHistory,
} from "../../src/store/reuse.ts";
import { reuseIds, reuseInputs, reuseNow, seedReuse } from "../helpers/reuseFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("reuse store", () => {
  let temp: TempDatabase;
  beforeEach(() => {
    temp = tempDatabase();
  });
  afterEach(() => temp.close());

  it("writes every repository with its reuse facts and its score from the repositories and profiles tables", () => {
    expect(hasReuseGraph(temp.db)).to.equal(false);
    const result = seedReuse(temp.db);
    expect(result).to.include({ repositories: 6, builtAt: reuseNow.toISOString() });
    // alpha-lib by app, site, tool; tool based on lib; lib-fork forks lib.
    expect(result.edges).to.equal(5);
    expect(hasReuseGraph(temp.db)).to.equal(true);
    expect(lastReuseBuild(temp.db)).to.deep.include({ builtAt: reuseNow.toISOString(), repositories: 6, edges: 5 });

    const lib = findRepositoryReuse(temp.db, reuseIds.lib)!;
    expect(lib.builtAt).to.equal(reuseNow.toISOString());
    expect(lib.reuse.reusers).to.deep.equal(["body:body-b", "owner:gitlab.com/gamma"]);
    expect(lib.reusedByCount).to.equal(2);
    expect(lib.reuse.forks).to.deep.equal([reuseIds.libFork]);
    const points = Object.fromEntries(lib.score.criteria.map((c) => [c.name, [c.value, c.points]]));
    expect(points).to.deep.equal({
      reused_by: [2, 17.5],
      declared_users: [0, 0],
      stars: [1000, 15],
      recent_activity: [365, 7.5],
      licence: ["MIT", 10],
      readme: [true, 5],
      publiccode: ["absent", 0],
      contributing: [true, 5],
    });
    expect(lib.score.score).to.equal(60);

    // Not in the repositories table: scored on its reuse alone, profile criteria unknown.
    const tool = findRepositoryReuse(temp.db, reuseIds.tool)!;
    expect(tool.reuse.declaredUsers).to.deep.equal(["Ville de Lyon"]);
    expect(tool.reusedByCount).to.equal(1);
    expect(tool.score.criteria.find((c) => c.name === "readme")!.value).to.equal(null);
    expect(tool.score.score).to.equal(3.3);
    expect(findRepositoryReuse(temp.db, "github.com/nobody/nothing")).to.equal(null);
  });

  it("joins a repository row's score and \"reused by\" figure from the covering index, not the wide row (issue 13)", () => {
    seedReuse(temp.db);
    const join = "SELECT rr.reuse_score, rr.reused_by_count FROM repositories r LEFT JOIN repository_reuse rr ON rr.repository_pk = r.pk WHERE r.pk = ?";
    const plan = (temp.db.$client.prepare(`EXPLAIN QUERY PLAN ${join}`).all(1) as { detail: string }[]).map((step) => step.detail);
    expect(plan.join("\n")).to.include("COVERING INDEX repository_reuse_pk");
    // And the figures read through it are the stored ones.
    const lib = findRepositoryReuse(temp.db, reuseIds.lib)!;
    const pk = (temp.db.$client.prepare("SELECT repository_pk FROM repository_reuse WHERE id = ?").pluck().get(reuseIds.lib)) as number;
    expect(temp.db.$client.prepare(join).get(pk)).to.deep.equal({ reuse_score: lib.score.score, reused_by_count: lib.reusedByCount });
  });

  it("lists dependents, dependencies and forks, reuse by other bodies first, by page", () => {
    seedReuse(temp.db);
    const first = listReuseEdges(temp.db, reuseIds.lib, "dependents", { limit: 3, offset: 0 });
    expect(first.total).to.equal(4);
    expect(first.items.map((e) => [e.kind, e.from, e.acrossBodies])).to.deep.equal([
      ["dependency", reuseIds.site, true],
      ["based_on", reuseIds.tool, true],
      ["dependency", reuseIds.tool, true],
    ]);
    const rest = listReuseEdges(temp.db, reuseIds.lib, "dependents", { limit: 3, offset: 3 });
    expect(rest).to.deep.equal({ total: 4, items: [{ kind: "dependency", from: reuseIds.app, to: reuseIds.lib, package: { ecosystem: "npm", name: "alpha-lib" }, scope: "runtime", acrossBodies: false }] });
    // The strongest scope of the two entries of beta/site.
    expect(listReuseEdges(temp.db, reuseIds.site, "dependencies", { limit: 10, offset: 0 }).items).to.deep.equal([
      { kind: "dependency", from: reuseIds.site, to: reuseIds.lib, package: { ecosystem: "npm", name: "alpha-lib" }, scope: "runtime", acrossBodies: true },
    ]);
    expect(listReuseEdges(temp.db, reuseIds.lib, "forks", { limit: 10, offset: 0 }).items.map((e) => e.from)).to.deep.equal([reuseIds.libFork]);
    expect(listReuseEdges(temp.db, reuseIds.lib, "dependencies", { limit: 10, offset: 0 })).to.deep.equal({ total: 0, items: [] });
  });

  it("sums up an owner and a public body: what others reuse of theirs and what they reuse", () => {
    seedReuse(temp.db);
    expect(ownerReuseSummary(temp.db, { host: "github.com", login: "Alpha" })).to.deep.equal({
      repositories: 2,
      reusedRepositories: 1,
      reusers: 2,
      reusedByOthers: [{ id: reuseIds.lib, reusedByCount: 2 }],
      reusesFrom: [],
    });
    expect(publicBodyReuseSummary(temp.db, "body-b")).to.deep.equal({
      repositories: 3,
      reusedRepositories: 0,
      reusers: 0,
      reusedByOthers: [],
      reusesFrom: [
        { id: reuseIds.lib, kind: "dependency", count: 1 },
        { id: reuseIds.lib, kind: "fork", count: 1 },
      ],
    });
    expect(ownerReuseSummary(temp.db, { host: "gitlab.com", login: "gamma" }).reusedByOthers).to.deep.equal([{ id: reuseIds.tool, reusedByCount: 1 }]);
  });

  it("ranks external packages and upstreams, lists shared projects and package usage", () => {
    seedReuse(temp.db);
    expect(listExternalPackages(temp.db, { limit: 10 })).to.deep.equal([{ ecosystem: "npm", name: "lodash", dependents: 2, reusers: 2 }]);
    expect(listExternalPackages(temp.db, { ecosystem: "pypi", limit: 10 })).to.deep.equal([]);
    expect(listExternalUpstreams(temp.db, 10)).to.deep.equal([{ upstream: "github.com/torvalds/linux", forks: 1, reusers: 1 }]);
    expect(listSharedProjects(temp.db, { minReusers: 2, limit: 10, offset: 0 })).to.deep.equal({ total: 1, items: [{ id: reuseIds.lib, reusers: 2, score: 60 }] });
    expect(listSharedProjects(temp.db, { minReusers: 3, limit: 10, offset: 0 })).to.deep.equal({ total: 0, items: [] });

    expect(packageUsage(temp.db, { ecosystem: "npm", name: "alpha-lib" }, { limit: 2, offset: 0 })).to.deep.equal({
      publishers: [reuseIds.lib],
      ambiguous: false,
      dependents: { total: 3, items: [{ id: reuseIds.app, scope: "runtime" }, { id: reuseIds.site, scope: "runtime" }] },
    });
    const dup = packageUsage(temp.db, { ecosystem: "npm", name: "dup" }, { limit: 10, offset: 0 });
    expect(dup).to.deep.equal({ publishers: [reuseIds.site, reuseIds.tool], ambiguous: true, dependents: { total: 1, items: [{ id: reuseIds.app, scope: "runtime" }] } });
    expect(packageUsage(temp.db, { ecosystem: "npm", name: "lodash" }, { limit: 10, offset: 0 }).publishers).to.deep.equal([]);
  });

  it("replaces the previous graph, and keeps one history point per day and ecosystem", () => {
    seedReuse(temp.db);
    const later = new Date("2025-06-16T08:00:00Z");
    const latest = new Date("2025-06-16T20:00:00Z");
    rebuildReuse(temp.db, reuseInputs(), later);
    // gamma/tool gone in the last harvest: its edges and its reuse go with it.
    rebuildReuse(temp.db, reuseInputs([reuseIds.tool]), latest);
    expect(findRepositoryReuse(temp.db, reuseIds.tool)).to.equal(null);
    expect(findRepositoryReuse(temp.db, reuseIds.lib)!.reuse.reusers).to.deep.equal(["body:body-b"]);
    expect(listReuseEdges(temp.db, reuseIds.lib, "dependents", { limit: 10, offset: 0 }).total).to.equal(2);

    const history = reuseHistory(temp.db);
    expect(history).to.have.length(16);
    const all = history.filter((point) => point.ecosystem === "all");
    expect(all).to.deep.equal([
      { builtAt: reuseNow.toISOString(), ecosystem: "all", dependencies: 6, internal: 4, edgesAcrossBodies: 4, reusedRepositories: 1 },
      // Without gamma/tool, beta/site alone publishes dup: alpha/app now depends on it.
      { builtAt: latest.toISOString(), ecosystem: "all", dependencies: 4, internal: 3, edgesAcrossBodies: 3, reusedRepositories: 2 },
    ]);
    expect(history.find((point) => point.ecosystem === "npm" && point.builtAt === reuseNow.toISOString())).to.deep.include({ edgesAcrossBodies: 2, reusedRepositories: 1 });
  });

  it("keeps the previous graph whole when the write fails half-way", () => {
    seedReuse(temp.db);
    // Without gamma/tool first, so that the next rebuild inserts its edges again.
    const previous = new Date("2025-06-15T12:00:00Z");
    rebuildReuse(temp.db, reuseInputs([reuseIds.tool]), previous);
    const before = listReuseEdges(temp.db, reuseIds.lib, "dependents", { limit: 10, offset: 0 });
    const libBefore = findRepositoryReuse(temp.db, reuseIds.lib);
    // A real SQLite failure in the middle of the transaction, after the repository rows are written.
    temp.db.$client.exec(`CREATE TEMP TRIGGER fail_edges BEFORE INSERT ON reuse_edges WHEN NEW.from_id = '${reuseIds.tool}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    expect(() => rebuildReuse(temp.db, reuseInputs(), new Date("2025-06-20T00:00:00Z"))).to.throw(/disk on fire/);
    expect(listReuseEdges(temp.db, reuseIds.lib, "dependents", { limit: 10, offset: 0 })).to.deep.equal(before);
    expect(findRepositoryReuse(temp.db, reuseIds.lib)).to.deep.equal(libBefore);
    expect(findRepositoryReuse(temp.db, reuseIds.tool)).to.equal(null);
    expect(lastReuseBuild(temp.db)!.builtAt).to.equal(previous.toISOString());
    expect(reuseHistory(temp.db).every((point) => point.builtAt !== "2025-06-20T00:00:00.000Z")).to.equal(true);
  });
});
