// The exports for other catalogues and pipelines (issue 12): code.json,
// validated with ajv against the code.gov schema, and JSON Lines.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { PublicRepository } from "../../src/records/repository.ts";
import { exportRecordFields } from "../../src/records/exportRecord.ts";
import { fixtureRepositories } from "../fixtures/catalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";
import { seedHostileCatalogue } from "../helpers/hostileFixture.ts";
import { rootDir } from "../helpers/searchFixture.ts";
import { startWebServer } from "../helpers/webServer.ts";

const liveIds = fixtureRepositories.filter((repository) => !repository.removed).map((repository) => `${repository.host}/${repository.owner}/${repository.name}`);
const sharedSchema = path.resolve(rootDir, "..", "shared", "data", "codejson", "GSA-code-gov-data__schemas_schema-2.0.0.json");
const essentials = path.join(rootDir, "test", "fixtures", "codejson-schema-essentials.json");

// ajv-formats is CommonJS: its default export arrives wrapped under Node's ESM loader.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function validator(schemaFile: string): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  // The code.gov schema is draft-04; its keywords mean the same in ajv's default draft.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

interface Release {
  name: string;
  organization: string;
  description: string;
  repositoryURL: string;
  homepageURL?: string;
  permissions: { licenses: Array<{ name: string; URL?: string }> | null; usageType: string };
  tags: string[];
  languages: string[];
  status?: string;
  contact: { email: string; URL?: string };
  date: { created?: string; lastModified?: string; metadataLastUpdated?: string };
}

describe("API: exports for other catalogues", () => {
  const served = servedFixture();
  const get = (path: string) => fetch(`${served.app.url}${path}`);

  describe("/api/v1/code.json", () => {
    let inventory: { version: string; agency: string; measurementType: { method: string }; releases: Release[] };
    before(async () => {
      const response = await get("/api/v1/code.json");
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal("application/json; charset=utf-8");
      expect(response.headers.get("etag")).to.match(/^W\/"codejson-/);
      inventory = (await response.json()) as typeof inventory;
    });

    it("is valid against the essentials of the code.gov 2.0.0 schema", () => {
      const validate = validator(essentials);
      expect(validate(inventory), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
      // The check can fail: a release without its repository URL is refused.
      const broken = structuredClone(inventory);
      delete (broken.releases[0] as Partial<Release>).repositoryURL;
      expect(validate(broken)).to.equal(false);
    });

    it("is valid against the code.gov schema in ../shared", function () {
      if (!fs.existsSync(sharedSchema)) this.skip();
      const validate = validator(sharedSchema);
      expect(validate(inventory), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
    });

    it("has one release per live repository, with what the catalogue knows of it", () => {
      expect(inventory).to.include({ version: "2.0.0", agency: "Code Commun" });
      expect(inventory.measurementType).to.deep.equal({ method: "projects" });
      expect(inventory.releases).to.have.length(liveIds.length);
      expect(inventory.releases.map((release) => release.repositoryURL)).to.have.members(liveIds.map((id) => `https://${id}`));
      const udata = inventory.releases.find((release) => release.repositoryURL === "https://github.com/etalab/udata")!;
      expect(udata).to.deep.include({
        name: "udata",
        organization: "Premier ministre",
        permissions: { licenses: [{ name: "AGPL-3.0", URL: "https://spdx.org/licenses/AGPL-3.0.html" }], usageType: "openSource" },
        tags: ["open-data", "python", "flask"],
        languages: ["Python"],
        vcs: "git",
        laborHours: 0,
      });
      expect(udata.date.lastModified).to.equal("2026-10-28");
      expect(udata.status).to.equal(undefined);
      const archived = inventory.releases.find((release) => release.repositoryURL === "https://github.com/etalab/legi-parser")!;
      expect(archived.status).to.equal("Archival");
      const other = inventory.releases.find((release) => release.repositoryURL === "https://github.com/etalab/doc.data.gouv.fr")!;
      expect(other.permissions.licenses).to.deep.equal([{ name: "other" }]);
      const unlicensed = inventory.releases.find((release) => release.permissions.licenses === null);
      expect(unlicensed, "a repository without a licence").to.not.equal(undefined);
    });

    it("is a valid inventory with no release for an empty catalogue", async () => {
      const server = await startWebServer(() => {});
      try {
        const empty = (await (await fetch(`${server.url}/api/v1/code.json`)).json()) as typeof inventory;
        expect(empty).to.deep.equal({ version: "2.0.0", agency: "Code Commun", measurementType: { method: "projects" }, releases: [] });
        expect(validator(essentials)(empty)).to.equal(true);
        expect(await (await fetch(`${server.url}/api/v1/repositories.jsonl`)).text()).to.equal("");
      } finally {
        await server.close();
      }
    });

    it("stays valid with hostile forge data", async () => {
      const server = await startWebServer((database) => seedHostileCatalogue(database.db));
      try {
        const hostile = (await (await fetch(`${server.url}/api/v1/code.json`)).json()) as typeof inventory;
        expect(hostile.releases.length).to.be.above(0);
        const validate = validator(essentials);
        expect(validate(hostile), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
        for (const release of hostile.releases) {
          expect(release.repositoryURL).to.match(/^https?:\/\//);
          if (release.homepageURL) expect(release.homepageURL).to.match(/^https?:\/\//);
        }
        expect(server.logged).to.deep.equal([]);
      } finally {
        await server.close();
      }
    });
  });

  describe("/api/v1/repositories.jsonl", () => {
    it("has one record a line, the same records as the JSON export (the public record and the public body)", async () => {
      const response = await get("/api/v1/repositories.jsonl");
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal("application/jsonl; charset=utf-8");
      expect(response.headers.get("content-disposition")).to.equal('attachment; filename="code-commun-repositories.jsonl"');
      expect(response.headers.get("etag")).to.match(/^W\/"jsonl-/);
      const text = await response.text();
      expect(text.endsWith("\n")).to.equal(true);
      const records = text.trimEnd().split("\n").map((line) => JSON.parse(line) as PublicRepository);
      expect(records.map((record) => record.id)).to.have.members(liveIds);
      for (const record of records) expect(Object.keys(record)).to.deep.equal([...exportRecordFields]);
      const json = (await (await get("/api/v1/repositories.json")).json()) as PublicRepository[];
      expect(records).to.deep.equal(json);
    });
  });

  it("documents both in the OpenAPI document and lists them at the API's root", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(document.paths).to.include.keys("/repositories.jsonl", "/code.json");
    const root = (await (await get("/api/v1/")).json()) as { exports: string[] };
    expect(root.exports).to.include.members(["/api/v1/repositories.jsonl", "/api/v1/code.json"]);
  });
});
