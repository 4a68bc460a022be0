import { expect } from "chai";
import { buildReuseGraph, cleanDeclaredText, repositoryUrlKey, reuseOf, sharedProjects, topExternalPackages, type ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import type { Dependency, Ecosystem, PackageRef } from "../../src/reuse/types.ts";

/** A repository on github.com: id "github.com/owner/name", forge id from a counter. */
let nextForgeId = 1;
function repo(fullName: string, publicBodyId: string | null, extra: Partial<ReuseRepositoryInput> = {}): ReuseRepositoryInput {
  const owner = fullName.split("/")[0]!;
  return {
    id: `github.com/${fullName}`,
    host: "github.com",
    forgeId: String(nextForgeId++),
    fullName,
    ownerId: `github.com/${owner}`,
    publicBodyId,
    fork: false,
    forkParent: null,
    publishes: [],
    dependencies: [],
    declared: null,
    ...extra,
  };
}
const pkg = (name: string, ecosystem: Ecosystem = "npm"): PackageRef => ({ ecosystem, name });
const dep = (name: string, scope: Dependency["scope"] = "runtime", ecosystem: Ecosystem = "npm"): Dependency => ({ ecosystem, name, scope, requirement: null });
const forkOf = (parent: ReuseRepositoryInput, byName = true) => ({ host: parent.host, forgeId: byName ? null : parent.forgeId, fullName: byName ? parent.fullName : null });

describe("reuse graph: published packages", () => {
  it("maps a package to the repository publishing it, and a dependency on it to an edge", () => {
    const lib = repo("dinum/ui-kit", "body-dinum", { publishes: [pkg("@dinum/ui-kit")] });
    const app = repo("city/portal", "body-city", { dependencies: [dep("@dinum/ui-kit"), dep("react")] });
    const graph = buildReuseGraph([lib, app]);
    expect(graph.publishers.get("npm\u0000@dinum/ui-kit")).to.equal(lib.id);
    expect(graph.edges).to.deep.equal([{ kind: "dependency", from: app.id, to: lib.id, package: pkg("@dinum/ui-kit"), scope: "runtime", acrossBodies: true }]);
    expect(reuseOf(graph, lib.id)).to.include({ reusedByCount: 1 });
    expect(reuseOf(graph, lib.id).dependents).to.deep.equal([app.id]);
    expect(reuseOf(graph, lib.id).reusers).to.deep.equal(["body:body-city"]);
    expect(reuseOf(graph, app.id).dependsOn).to.deep.equal([lib.id]);
    expect(reuseOf(graph, app.id).externalDependencies).to.equal(1);
    expect(graph.externalPackages).to.deep.equal([{ ecosystem: "npm", name: "react", dependents: 1, reusers: 1 }]);
  });

  it("gives forks no package: the upstream stays the publisher and no ambiguity arises", () => {
    const lib = repo("dinum/ui-kit", "body-dinum", { publishes: [pkg("ui-kit")] });
    const fork = repo("city/ui-kit", "body-city", { fork: true, forkParent: forkOf(lib), publishes: [pkg("ui-kit")] });
    const app = repo("region/app", "body-region", { dependencies: [dep("ui-kit")] });
    const graph = buildReuseGraph([fork, lib, app]);
    expect(graph.ambiguous).to.deep.equal([]);
    expect(graph.publishers.get("npm\u0000ui-kit")).to.equal(lib.id);
    expect(reuseOf(graph, lib.id).dependents).to.deep.equal([app.id]);
    expect(reuseOf(graph, fork.id).dependents).to.deep.equal([]);
  });

  it("reports a package published by several repositories that are not forks, and guesses no edge", () => {
    const a = repo("dept-a/utils", "body-a", { publishes: [pkg("gov-utils", "pypi")] });
    const b = repo("dept-b/utils", "body-b", { publishes: [pkg("gov-utils", "pypi")] });
    const c = repo("dept-c/app", "body-c", { dependencies: [dep("gov-utils", "runtime", "pypi")] });
    const d = repo("dept-d/app", "body-d", { dependencies: [dep("gov-utils", "dev", "pypi")] });
    const graph = buildReuseGraph([b, a, c, d]);
    expect(graph.ambiguous).to.deep.equal([{ package: pkg("gov-utils", "pypi"), publishers: [a.id, b.id], dependents: 2 }]);
    expect(graph.publishers.has("pypi\u0000gov-utils")).to.equal(false);
    expect(graph.edges).to.deep.equal([]);
    expect(graph.externalPackages, "an ambiguous package is inside the catalogue, not external").to.deep.equal([]);
    expect(graph.byEcosystem.pypi).to.deep.equal({ dependencies: 2, internal: 2, published: 0 });
  });

  it("keeps the same name in two ecosystems apart", () => {
    const npmLib = repo("a/lib", "body-a", { publishes: [pkg("geo")] });
    const pyLib = repo("b/lib", "body-b", { publishes: [pkg("geo", "pypi")] });
    const app = repo("c/app", "body-c", { dependencies: [dep("geo", "runtime", "pypi")] });
    const graph = buildReuseGraph([npmLib, pyLib, app]);
    expect(graph.ambiguous).to.deep.equal([]);
    expect(graph.edges.map((edge) => edge.to)).to.deep.equal([pyLib.id]);
  });

  it("makes no edge for a dependency on a repository's own package, and one per package with its strongest scope", () => {
    const mono = repo("a/mono", "body-a", { publishes: [pkg("core"), pkg("cli")], dependencies: [dep("core")] });
    const app = repo("b/app", "body-b", { dependencies: [dep("core", "dev"), dep("core", "runtime"), dep("cli", "dev")] });
    const graph = buildReuseGraph([mono, app]);
    expect(graph.edges.map((edge) => [edge.from, edge.package?.name, edge.scope])).to.deep.equal([
      [app.id, "core", "runtime"],
      [app.id, "cli", "dev"],
    ]);
    expect(reuseOf(graph, mono.id).dependents, "one dependent, however many packages").to.deep.equal([app.id]);
    expect(reuseOf(graph, mono.id).reusedByCount).to.equal(1);
  });
});

describe("reuse graph: forks across and within owners", () => {
  const upstream = repo("dinum/forms", "body-dinum");
  const otherBody = repo("city/forms", "body-city", { fork: true, forkParent: forkOf(upstream) });
  const otherBodySecondFork = repo("city/forms-2", "body-city", { fork: true, forkParent: forkOf(upstream) });
  const sameOwner = repo("dinum/forms-test", "body-dinum", { fork: true, forkParent: forkOf(upstream) });
  const sameBodyOtherAccount = repo("dinum-labs/forms", "body-dinum", { fork: true, forkParent: forkOf(upstream) });
  const ownerWithoutBody = repo("someone/forms", null, { fork: true, forkParent: forkOf(upstream) });
  const graph = buildReuseGraph([upstream, otherBody, otherBodySecondFork, sameOwner, sameBodyOtherAccount, ownerWithoutBody]);

  it("records every fork, and marks as reuse only those by another body or owner", () => {
    expect(graph.edges.map((edge) => [edge.kind, edge.from, edge.acrossBodies])).to.deep.equal([
      ["fork", otherBody.id, true],
      ["fork", otherBodySecondFork.id, true],
      ["fork", sameOwner.id, false],
      ["fork", sameBodyOtherAccount.id, false],
      ["fork", ownerWithoutBody.id, true],
    ]);
    expect(reuseOf(graph, upstream.id).forks).to.have.length(5);
  });

  it("counts distinct reusers: two forks by one body count once", () => {
    expect(reuseOf(graph, upstream.id).reusers).to.deep.equal(["body:body-city", "owner:github.com/someone"]);
    expect(reuseOf(graph, upstream.id).reusedByCount).to.equal(2);
    expect(reuseOf(graph, otherBody.id).forkOf).to.equal(upstream.id);
  });

  it("lists as shared projects the repositories reused by at least two other bodies", () => {
    const single = repo("x/lib", "body-x");
    const oneFork = repo("y/lib", "body-y", { fork: true, forkParent: forkOf(single) });
    const g = buildReuseGraph([upstream, otherBody, otherBodySecondFork, sameOwner, ownerWithoutBody, single, oneFork]);
    expect(sharedProjects(g)).to.deep.equal([{ id: upstream.id, reusers: 2 }]);
    expect(sharedProjects(g, 1)).to.deep.equal([{ id: upstream.id, reusers: 2 }, { id: single.id, reusers: 1 }]);
  });

  it("counts nothing for a same-owner fork when two owners have no body", () => {
    const a = repo("solo/app", null);
    const own = repo("solo/app-fork", null, { fork: true, forkParent: forkOf(a) });
    const other = repo("other/app", null, { fork: true, forkParent: forkOf(a) });
    const g = buildReuseGraph([a, own, other]);
    expect(reuseOf(g, a.id).reusers).to.deep.equal(["owner:github.com/other"]);
  });

  it("finds a renamed parent by its forge id, and a parent by name whatever the case", () => {
    const renamed = repo("dinum/new-name", "body-dinum");
    const fork = repo("city/old-name", "body-city", { fork: true, forkParent: { host: "github.com", forgeId: renamed.forgeId, fullName: "dinum/old-name" } });
    const byCase = repo("region/x", "body-region", { fork: true, forkParent: { host: "GitHub.com", forgeId: null, fullName: "DINUM/New-Name" } });
    const g = buildReuseGraph([renamed, fork, byCase]);
    expect(reuseOf(g, renamed.id).forks).to.deep.equal([fork.id, byCase.id]);
  });

  it("ranks the upstream projects outside the catalogue by the bodies that fork them", () => {
    const ext = (fullName: string, body: string | null, parent: string) => repo(fullName, body, { fork: true, forkParent: { host: "github.com", forgeId: null, fullName: parent } });
    const g = buildReuseGraph([
      ext("a/decidim", "body-a", "decidim/decidim"),
      ext("b/decidim", "body-b", "decidim/decidim"),
      ext("b/decidim-2", "body-b", "Decidim/Decidim"),
      ext("c/moodle", "body-c", "moodle/moodle"),
      ext("c/moodle-2", "body-c", "moodle/moodle"),
      ext("c/moodle-3", "body-c", "moodle/moodle"),
      repo("d/nothing", "body-d", { fork: true, forkParent: null }),
    ]);
    expect(g.externalUpstreams).to.deep.equal([
      { upstream: "github.com/decidim/decidim", forks: 3, reusers: 2 },
      { upstream: "github.com/moodle/moodle", forks: 3, reusers: 1 },
    ]);
    expect(reuseOf(g, "github.com/a/decidim").upstream).to.equal("github.com/decidim/decidim");
  });
});

describe("reuse graph: declarations and external packages", () => {
  it("links isBasedOn URLs of catalogue repositories, keeps the others, cleans usedBy and dependsOn", () => {
    const base = repo("dinum/Signal", "body-dinum");
    const derived = repo("city/signal-city", "body-city", {
      declared: {
        usedBy: ["Ville de Lyon", "ville de lyon", "  Métropole\u0000 de\nNantes ", "<script>x</script>", "", "x".repeat(500)],
        isBasedOn: ["https://github.com/dinum/signal.git/", "https://gitlab.com/other/project", "javascript:alert(1)", "not a url", "https://github.com/dinum/Signal"],
        dependsOn: ["PostgreSQL", "PostgreSQL", "Redis\u202e"],
      },
    });
    const graph = buildReuseGraph([base, derived]);
    expect(graph.edges).to.deep.equal([{ kind: "based_on", from: derived.id, to: base.id, package: null, scope: null, acrossBodies: true }]);
    const own = reuseOf(graph, derived.id);
    expect(own.basedOn).to.deep.equal([base.id]);
    expect(own.basedOnExternal).to.deep.equal(["https://gitlab.com/other/project", "javascript:alert(1)", "not a url"]);
    expect(own.declaredUsers).to.deep.equal(["Ville de Lyon", "Métropole de Nantes", "<script>x</script>", `${"x".repeat(200)}…`]);
    expect(own.declaredDependencies).to.deep.equal(["PostgreSQL", "Redis"]);
    expect(own.reusedByCount, "declared users are counted for the declaring repository").to.equal(4);
    expect(reuseOf(graph, base.id).basedOnBy).to.deep.equal([derived.id]);
    expect(reuseOf(graph, base.id).reusers).to.deep.equal(["body:body-city"]);
  });

  it("ranks external packages by distinct reusers, then dependents, per ecosystem", () => {
    const repos = [
      repo("a/one", "body-a", { dependencies: [dep("lodash"), dep("react"), dep("django", "runtime", "pypi")] }),
      repo("a/two", "body-a", { dependencies: [dep("lodash"), dep("react")] }),
      repo("a/three", "body-a", { dependencies: [dep("lodash")] }),
      repo("b/one", "body-b", { dependencies: [dep("react"), dep("django", "runtime", "pypi")] }),
      repo("c/one", null, { dependencies: [dep("express")] }),
    ];
    const graph = buildReuseGraph(repos);
    expect(graph.externalPackages).to.deep.equal([
      { ecosystem: "npm", name: "react", dependents: 3, reusers: 2 },
      { ecosystem: "pypi", name: "django", dependents: 2, reusers: 2 },
      { ecosystem: "npm", name: "lodash", dependents: 3, reusers: 1 },
      { ecosystem: "npm", name: "express", dependents: 1, reusers: 1 },
    ]);
    expect(topExternalPackages(graph, 2, "npm").map((p) => p.name)).to.deep.equal(["react", "lodash"]);
    expect(topExternalPackages(graph, 10, "pypi").map((p) => p.name)).to.deep.equal(["django"]);
    expect(topExternalPackages(graph, 1).map((p) => p.name)).to.deep.equal(["react"]);
    expect(graph.byEcosystem.npm).to.deep.equal({ dependencies: 7, internal: 0, published: 0 });
  });

  it("answers empty facts for a repository without any, and ignores a repeated id", () => {
    const a = repo("a/x", "body-a", { publishes: [pkg("x")] });
    const graph = buildReuseGraph([a, { ...a, publishes: [pkg("y")] }]);
    expect(reuseOf(graph, "github.com/nobody/nothing")).to.include({ reusedByCount: 0, forkOf: null, externalDependencies: 0 });
    expect([...graph.publishers.values()]).to.deep.equal([a.id]);
    expect(graph.publishers.has("npm\u0000x")).to.equal(true);
  });
});

describe("reuse graph: helpers", () => {
  it("keys repository URLs as host and path, only for http(s)", () => {
    expect(repositoryUrlKey("https://GitHub.com/Etalab/udata.git/")).to.equal("github.com\u0000etalab/udata");
    expect(repositoryUrlKey("https://gitlab.example.fr/group/sub/project")).to.equal("gitlab.example.fr\u0000group/sub/project");
    expect(repositoryUrlKey("ftp://github.com/a/b")).to.equal(null);
    expect(repositoryUrlKey("https://github.com/onlyowner")).to.equal(null);
    expect(repositoryUrlKey("https://github.com/a/%E0%A4%A")).to.equal(null);
    expect(repositoryUrlKey(`https://github.com/a/b${"/".repeat(1_500)}`)).to.equal("github.com\u0000a/b");
    expect(repositoryUrlKey(`https://github.com/a/${"b".repeat(3_000)}`), "longer than any repository URL").to.equal(null);
  });

  it("cleans declared text of control and bidirectional characters", () => {
    expect(cleanDeclaredText("a\u200bb\u2066c\td")).to.equal("a b c d");
    expect(cleanDeclaredText(" \n ")).to.equal(null);
    expect(cleanDeclaredText(42)).to.equal(null);
  });
});
