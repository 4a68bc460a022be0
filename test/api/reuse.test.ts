// Reuse in the API (issue 10), through real HTTP on a real store: the record's
// reuse_score and reused_by_count, the detail's reuse, the dependents,
// dependencies and forks of a repository, and GET /api/v1/packages.
import { expect } from "chai";
import { reuseIds, seedReuse } from "../helpers/reuseFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { call, httpClient } from "../mcp/mcpClient.ts";

describe("API: reuse", function () {
  let server: WebServer;
  const get = (path: string) => fetch(`${server.url}/api/v1${path}`);
  const json = async <T>(path: string, status = 200): Promise<T> => {
    const response = await get(path);
    expect(response.status, path).to.equal(status);
    return (await response.json()) as T;
  };

  before(async function () {
    server = await startWebServer(({ db }) => {
      seedReuse(db);
    });
  });
  after(async function () {
    await server.close();
  });
  afterEach(() => expect(server.logged).to.deep.equal([]));

  it("gives reuse_score and reused_by_count in the record of lists and exports", async () => {
    const list = await json<{ items: Record<string, unknown>[] }>("/repositories?per_page=100");
    const lib = list.items.find((item) => item.id === reuseIds.lib)!;
    expect(lib).to.deep.include({ reuse_score: 60, reused_by_count: 2 });
    expect(list.items.find((item) => item.id === reuseIds.app)).to.deep.include({ reused_by_count: 0 });
    const csv = await (await get("/repositories.csv")).text();
    const [header, ...lines] = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    const columns = header!.split(",");
    const row = lines.map((line) => line.split(",")).find((cells) => cells[0] === reuseIds.lib)!;
    expect(row[columns.indexOf("reuse_score")]).to.equal("60");
    expect(row[columns.indexOf("reused_by_count")]).to.equal("2");
    const lines2 = (await (await get("/repositories.jsonl")).text()).trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines2.find((item) => item.id === reuseIds.libFork)).to.deep.include({ reused_by_count: 0 });
  });

  it("details a repository's reuse: score and criteria, who reuses it, what it builds on", async () => {
    const detail = await json<{ reuse: Record<string, unknown> }>(`/repositories/${reuseIds.lib}`);
    expect(detail.reuse).to.deep.include({ score: 60, built_at: "2025-06-15T10:00:00.000Z" });
    expect((detail.reuse.criteria as unknown[])[0]).to.deep.equal({ name: "reused_by", value: 2, weight: 35, points: 17.5 });
    expect(detail.reuse.reused_by).to.deep.equal({ count: 2, public_bodies: ["body-b"], owners: ["gitlab.com/gamma"], declared_users: [], forks: 1, dependents: 3, based_on_by: 1 });
    const fork = await json<{ reuse: { builds_on: Record<string, unknown> } }>(`/repositories/${reuseIds.libFork}`);
    expect(fork.reuse.builds_on).to.include({ fork_of: reuseIds.lib, depends_on: 0 });
    const linux = await json<{ reuse: { builds_on: Record<string, unknown> } }>(`/repositories/${reuseIds.linux}`);
    expect(linux.reuse.builds_on).to.include({ fork_of: null, upstream: "github.com/torvalds/linux" });
  });

  it("lists dependents, dependencies and forks by page, other bodies first", async () => {
    const first = await json<{ total: number; page: number; per_page: number; items: Record<string, unknown>[] }>(`/repositories/${reuseIds.lib}/dependents?per_page=1`);
    // gamma/tool is not in the repositories table: its edges are there all the same, as the graph has them.
    expect(first).to.deep.equal({ total: 4, page: 1, per_page: 1, items: [{ id: reuseIds.site, kind: "dependency", package: { ecosystem: "npm", name: "alpha-lib" }, scope: "runtime", across_bodies: true }] });
    const last = await json<{ items: Record<string, unknown>[] }>(`/repositories/${reuseIds.lib}/dependents?per_page=1&page=4`);
    expect(last.items).to.deep.equal([{ id: reuseIds.app, kind: "dependency", package: { ecosystem: "npm", name: "alpha-lib" }, scope: "runtime", across_bodies: false }]);
    // Case-insensitive ids, as for the record.
    const dependencies = await json<{ items: Record<string, unknown>[] }>(`/repositories/GITHUB.COM/Beta/Site/dependencies`);
    expect(dependencies.items.map((item) => item.id)).to.deep.equal([reuseIds.lib]);
    const forks = await json<{ total: number; items: Record<string, unknown>[] }>(`/repositories/${reuseIds.lib}/forks`);
    expect(forks.items).to.deep.equal([{ id: reuseIds.libFork, kind: "fork", package: null, scope: null, across_bodies: true }]);
    expect(await json(`/repositories/${reuseIds.site}/forks`)).to.deep.equal({ total: 0, page: 1, per_page: 20, items: [] });
  });

  it("answers 404 with a reason for an unknown repository, 400 for a bad page or parameter", async () => {
    expect(await json("/repositories/github.com/nobody/nothing/dependents", 404)).to.deep.equal({ error: "no repository github.com/nobody/nothing", reason: "not_found" });
    expect(await json("/repositories/github.com/alpha/dependents", 404)).to.include({ reason: "not_found" });
    expect(await json(`/repositories/${reuseIds.lib}/forks?per_page=1000`, 400)).to.include({ reason: "invalid_parameter" });
    expect(await json(`/repositories/${reuseIds.lib}/forks?sort=stars`, 400)).to.include({ reason: "unknown_parameter" });
    // The record route still refuses parameters.
    expect(await json(`/repositories/${reuseIds.lib}?page=2`, 400)).to.include({ reason: "unknown_parameter" });
  });

  it("says which repositories use a package and which publishes it", async () => {
    expect(await json("/packages?ecosystem=npm&name=alpha-lib&per_page=2")).to.deep.equal({
      ecosystem: "npm",
      name: "alpha-lib",
      publishers: [reuseIds.lib],
      ambiguous: false,
      dependents: { total: 3, page: 1, per_page: 2, items: [{ id: reuseIds.app, scope: "runtime" }, { id: reuseIds.site, scope: "runtime" }] },
    });
    expect(await json("/packages?ecosystem=npm&name=dup")).to.deep.include({ publishers: [reuseIds.site, reuseIds.tool], ambiguous: true });
    const lodash = await json<{ publishers: string[]; dependents: { total: number } }>("/packages?ecosystem=npm&name=lodash");
    expect([lodash.publishers, lodash.dependents.total]).to.deep.equal([[], 2]);
    // Compared as the registry does: PyPI names are normalised.
    expect(await json("/packages?ecosystem=pypi&name=Some_Package")).to.deep.include({ name: "some-package", publishers: [] });
  });

  it("refuses a bad ecosystem or name with 400 and a reason", async () => {
    for (const query of ["", "ecosystem=npm", "ecosystem=nuget&name=x", "name=x", "ecosystem=npm&name=%3Cscript%3E", "ecosystem=npm&name=a&name=b", `ecosystem=npm&name=${"a".repeat(300)}`]) {
      const body = await json<{ error: string; reason: string }>(`/packages?${query}`, 400);
      expect(body.reason, query).to.equal("invalid_parameter");
      expect(body.error, query).to.match(/ecosystem|name/);
    }
    expect(await json("/packages?ecosystem=npm&name=a&q=b", 400)).to.include({ reason: "unknown_parameter" });
  });

  it("filters and sorts by reuse through the API's parameters", async () => {
    // The test engine follows the contract: reused and sort=reuse are accepted and applied.
    const reused = await json<{ items: { id: string }[]; facets: Record<string, unknown> }>("/repositories?reused=true&sort=reuse");
    expect(reused.items.map((item) => item.id)).to.deep.equal([reuseIds.lib]);
    expect(reused.facets).to.have.property("reused");
    expect(await json("/repositories?reused=maybe", 400)).to.include({ reason: "invalid_parameter" });
  });

  it("gives the same reuse in MCP's get_repository, and MCP's search takes reused and sort reuse", async () => {
    const client = await httpClient(server.url);
    try {
      const result = await call(client, "get_repository", { id: reuseIds.lib });
      const api = await json<{ reuse: unknown }>(`/repositories/${reuseIds.lib}`);
      expect((result.structuredContent as { reuse: unknown }).reuse).to.deep.equal(api.reuse);
      const found = await call(client, "search_repositories", { reused: true, sort: "reuse" });
      expect((found.structuredContent as { items: { id: string }[] }).items.map((item) => item.id)).to.deep.equal([reuseIds.lib]);
    } finally {
      await client.close();
    }
  });
});
