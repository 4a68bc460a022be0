// The API's repository profiles (issue 9), through real HTTP: the detail of
// one repository, the two record fields, the exports and the OpenAPI schema.
import { expect } from "chai";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { seedProfiles } from "../helpers/profileFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";

interface OpenApi {
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>; parameters: Record<string, unknown> };
  paths: Record<string, { get: { parameters?: { $ref?: string }[] } }>;
}

describe("API: repository profiles", function () {
  let server: WebServer;
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status, path).to.equal(200);
    return response;
  };

  before(async function () {
    server = await startWebServer(({ db }) => {
      seedCatalogue(db);
      seedProfiles(db);
    });
  });
  after(async function () {
    await server.close();
  });

  it("gives one repository's README, publiccode.yml, files, latest release, checks and when its files were read", async function () {
    const body = (await (await get("/api/v1/repositories/github.com/etalab/udata")).json()) as Record<string, any>;
    expect(body.has_publiccode).to.equal(true);
    expect(body.publiccode_valid).to.equal(true);
    expect(body.readme.name).to.equal("README.md");
    expect(body.readme.excerpt).to.match(/^udata Customizable open data portal/);
    expect(body.readme.html).to.include("<strong>open data</strong>");
    expect(body.readme.html).not.to.include("<img");
    expect(body.publiccode).to.deep.include({ file: "publiccode.yml", valid: true, version: "0", errors: [], warnings: [] });
    expect(body.publiccode.document.developmentStatus).to.equal("stable");
    expect(body.files).to.deep.equal({ readme: "README.md", publiccode: "publiccode.yml", license: "LICENSE", contributing: "CONTRIBUTING.md", code_of_conduct: null, security: null, changelog: "CHANGELOG.md" });
    expect(body.files_too_large).to.deep.equal([]);
    expect(body.latest_release).to.deep.equal({ kind: "release", name: "v9.1.0", tag: "v9.1.0", date: "2025-05-01T10:00:00.000Z", url: "https://github.com/etalab/udata/releases/tag/v9.1.0" });
    expect(body.checks).to.deep.equal([]);
    expect(body.profile).to.deep.equal({ fetched_at: "2025-06-14T03:20:00Z", error: null });
  });

  it("lists the checks with a level, words and details; nulls where nothing was read", async function () {
    const budget = (await (await get("/api/v1/repositories/github.com/ville-exemple/budget")).json()) as Record<string, any>;
    expect(budget.publiccode_valid).to.equal(false);
    const codes = budget.checks.map((check: { code: string; level: string }) => `${check.level}:${check.code}`);
    expect(codes).to.include.members(["error:no_license", "error:invalid_publiccode", "warning:no_readme"]);
    const invalid = budget.checks.find((check: { code: string }) => check.code === "invalid_publiccode");
    expect(invalid.fix).to.be.a("string").and.not.equal("");
    expect(invalid.details.join()).to.match(/publiccodeYmlVersion/);

    const script = (await (await get("/api/v1/repositories/github.com/inconnu/script")).json()) as Record<string, any>;
    expect([script.readme, script.publiccode, script.files, script.latest_release]).to.deep.equal([null, null, null, null]);
    expect(script.profile).to.deep.equal({ fetched_at: null, error: { reason: "timeout", message: "GitHub did not answer within 30 s" } });
    expect(script.checks.map((check: { code: string }) => check.code)).to.include("profile_unreadable");
  });

  it("adds has_publiccode and publiccode_valid to the record of lists and exports", async function () {
    const list = (await (await get("/api/v1/repositories?q=udata&per_page=100")).json()) as { items: Record<string, unknown>[] };
    const udata = list.items.find((item) => item.id === "github.com/etalab/udata");
    expect(udata).to.deep.include({ has_publiccode: true, publiccode_valid: true });
    const other = list.items.find((item) => item.id !== "github.com/etalab/udata");
    if (other) expect(other).to.deep.include({ has_publiccode: false, publiccode_valid: null });
    const csv = await (await get("/api/v1/repositories.csv")).text();
    const header = csv.replace(/^\uFEFF/, "").split("\r\n")[0]!;
    // The public record's fields, then the public body's (issue 14).
    expect(header.split(",").slice(-6)).to.deep.equal(["has_publiccode", "publiccode_valid", "reuse_score", "reused_by_count", "public_body", "public_body_name"]);
    const json = (await (await get("/api/v1/repositories.json")).json()) as Record<string, unknown>[];
    expect(json.find((item) => item.id === "github.com/ville-exemple/budget")).to.deep.include({ has_publiccode: true, publiccode_valid: false });
  });

  it("documents every field and the new filters in the OpenAPI document", async function () {
    const document = (await (await get("/api/v1/openapi.json")).json()) as OpenApi;
    const detail = (await (await get("/api/v1/repositories/github.com/etalab/udata")).json()) as Record<string, unknown>;
    expect(Object.keys(detail)).to.have.members(document.components.schemas.RepositoryDetail!.required!);
    expect(document.components.schemas.Repository!.required).to.include.members(["has_publiccode", "publiccode_valid"]);
    const parameters = document.paths["/repositories"]!.get.parameters!.map((p) => p.$ref);
    for (const name of ["has_publiccode", "publiccode_valid", "category", "development_status", "software_type"]) {
      expect(parameters).to.include(`#/components/parameters/${name}`);
      expect(document.components.parameters).to.have.property(name);
    }
    expect(document.components.schemas.Facets!.required).to.include.members(["has_publiccode", "category"]);
  });
});
