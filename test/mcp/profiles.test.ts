// get_repository answers the API's detail record (issue 12 after issue 9):
// README, publiccode.yml, files, latest release and checks, from the same
// presenter as GET /api/v1/repositories/{id}, plus the catalogue's links.
import { expect } from "chai";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { seedProfiles } from "../helpers/profileFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { call, httpClient, text } from "./mcpClient.ts";

/** What get_repository adds to the API's record: links and the owner. */
const mcpOnly = ["catalogue_url", "forge_url", "owner_id", "owner_catalogue_url", "public_body", "public_body_name", "owner_feed_url"];

describe("MCP get_repository: the repository's profile", function () {
  let server: WebServer;
  let client: Client;
  before(async () => {
    server = await startWebServer(({ db }) => {
      seedCatalogue(db);
      seedProfiles(db);
    });
    client = await httpClient(server.url);
  });
  after(async () => {
    await client?.close();
    await server?.close();
    expect(server.logged).to.deep.equal([]);
  });

  /** The tool's answer and the API's record for the same id. */
  async function both(id: string): Promise<{ mcp: Record<string, any>; api: Record<string, any>; summary: string }> {
    const result = await call(client, "get_repository", { id });
    expect(result.isError, id).to.not.equal(true);
    const response = await fetch(`${server.url}/api/v1/repositories/${id}`);
    expect(response.status, id).to.equal(200);
    return { mcp: result.structuredContent as Record<string, any>, api: (await response.json()) as Record<string, any>, summary: text(result) };
  }

  function withoutLinks(record: Record<string, any>): Record<string, any> {
    const copy = { ...record };
    for (const key of mcpOnly) delete copy[key];
    return copy;
  }

  it("gives README, publiccode.yml, files, latest release and checks: the API's record, field for field", async () => {
    const { mcp, api, summary } = await both("github.com/etalab/udata");
    expect(withoutLinks(mcp)).to.deep.equal(api);
    expect(Object.keys(mcp)).to.include.members([...Object.keys(api), ...mcpOnly]);
    expect(mcp.readme.name).to.equal("README.md");
    expect(mcp.readme.excerpt).to.match(/^udata Customizable open data portal/);
    expect(mcp.readme.html).to.include("<strong>open data</strong>");
    expect(mcp.publiccode).to.deep.include({ file: "publiccode.yml", valid: true, version: "0", errors: [], warnings: [] });
    expect(mcp.publiccode.document).to.include({ name: "udata", developmentStatus: "stable" });
    expect(mcp.files).to.include({ readme: "README.md", publiccode: "publiccode.yml", license: "LICENSE", contributing: "CONTRIBUTING.md", changelog: "CHANGELOG.md" });
    expect(mcp.latest_release).to.deep.equal({ kind: "release", name: "v9.1.0", tag: "v9.1.0", date: "2025-05-01T10:00:00.000Z", url: "https://github.com/etalab/udata/releases/tag/v9.1.0" });
    expect(mcp.checks).to.deep.equal([]);
    expect(mcp.profile).to.deep.equal({ fetched_at: "2025-06-14T03:20:00Z", error: null });
    expect(mcp).to.include({ catalogue_url: `${server.url}/repositories/github.com/etalab/udata`, forge_url: "https://github.com/etalab/udata", owner_id: "github.com/etalab" });
    expect(summary).to.contain("publiccode.yml valid").and.contain("latest release v9.1.0").and.match(/README: udata Customizable open data portal/);
  });

  it("gives an invalid publiccode.yml with its errors, and the checks", async () => {
    const { mcp, api, summary } = await both("github.com/ville-exemple/budget");
    expect(withoutLinks(mcp)).to.deep.equal(api);
    expect(mcp.publiccode.valid).to.equal(false);
    expect(mcp.publiccode.errors).to.have.length.above(0);
    expect(mcp.readme).to.equal(null);
    expect(mcp.checks.map((check: { code: string }) => check.code)).to.include("invalid_publiccode");
    expect(summary).to.contain("publiccode.yml invalid");
  });

  it("gives nulls and the checks for a repository whose files were never read", async () => {
    const { mcp, api, summary } = await both("github.com/MTES-MCT/carte-eau");
    expect(withoutLinks(mcp)).to.deep.equal(api);
    expect(mcp).to.include({ readme: null, publiccode: null, files: null, latest_release: null });
    expect(mcp.files_too_large).to.deep.equal([]);
    expect(mcp.profile).to.deep.equal({ fetched_at: null, error: null });
    expect(mcp.checks).to.be.an("array");
    expect(summary).not.to.contain("README:").and.not.to.contain("publiccode.yml");
  });

  it("says why the files could not be read", async () => {
    const { mcp, api } = await both("github.com/inconnu/script");
    expect(withoutLinks(mcp)).to.deep.equal(api);
    expect(mcp.profile.error).to.deep.equal({ reason: "timeout", message: "GitHub did not answer within 30 s" });
    expect(mcp.readme).to.equal(null);
  });

  it("serves the same record as the repository resource", async () => {
    const read = await client.readResource({ uri: "codecommun://repositories/github.com/etalab/udata" });
    const record = JSON.parse((read.contents[0] as { text: string }).text) as Record<string, any>;
    expect(record.publiccode.document.name).to.equal("udata");
    expect(record.readme.name).to.equal("README.md");
  });

  it("describes the profile fields in the tool's description", async () => {
    const { tools } = await client.listTools();
    const description = tools.find((tool) => tool.name === "get_repository")!.description!;
    for (const field of ["readme", "publiccode", "files", "latest_release", "checks", "GET /api/v1/repositories/{id}"]) expect(description).to.contain(field);
  });
});
