// POST /api/v1/publiccode/validate through real HTTP: answers, bad bodies, CORS.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { servedFixture } from "../helpers/httpApp.ts";

const fixture = fs.readFileSync(path.join(import.meta.dirname, "..", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");

describe("API: publiccode.yml validation", () => {
  const served = servedFixture();
  const post = (body: BodyInit | undefined, headers: Record<string, string> = { "Content-Type": "text/yaml" }) =>
    fetch(`${served.app.url}/api/v1/publiccode/validate`, { method: "POST", body, headers });

  it("answers valid, the version, no error and the parsed document for a valid file (text/yaml or application/yaml)", async () => {
    for (const type of ["text/yaml", "application/yaml; charset=utf-8"]) {
      const response = await post(fixture, { "Content-Type": type });
      expect(response.status, type).to.equal(200);
      expect(response.headers.get("cache-control")).to.equal("no-store");
      const body = (await response.json()) as { valid: boolean; version: string; errors: unknown[]; warnings: unknown[]; document: { name: string } };
      expect(body).to.include({ valid: true, version: "0" });
      expect(body.errors).to.deep.equal([]);
      expect(body.warnings).to.deep.equal([]);
      expect(body.document.name).to.equal("Registre des arrêtés");
    }
  });

  it("answers 200 with the errors and their key, line and column for an invalid file", async () => {
    const response = await post(fixture.replace("license: EUPL-1.2 OR AGPL-3.0-or-later", "license: Licence Ouverte").replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.4"'));
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { valid: boolean; version: string; errors: unknown[]; warnings: Array<{ key: string }> };
    expect(body).to.include({ valid: false, version: "0.4" });
    expect(body.errors).to.deep.equal([{ key: "legal.license", line: 61, column: 3, message: "license must be a valid license (see https://spdx.org/licenses)" }]);
    expect(body.warnings.map((warning) => warning.key)).to.deep.equal(["publiccodeYmlVersion"]);
  });

  it("reports bytes that are not UTF-8 as an invalid file, like the reference", async () => {
    const response = await post(Buffer.from(fixture, "latin1"));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.include({ valid: false, errors: [{ key: "", line: null, column: null, message: "Invalid UTF-8" }] });
  });

  it("refuses a body that is not YAML (415), an empty one (400) and one over 1 MB (413), with a reason", async () => {
    const cases: Array<[BodyInit | undefined, Record<string, string>, number, string]> = [
      [fixture, { "Content-Type": "application/json" }, 415, "unsupported_media_type"],
      [new URLSearchParams({ yaml: fixture }), {}, 415, "unsupported_media_type"],
      ["", { "Content-Type": "text/yaml" }, 400, "empty_body"],
      [undefined, { "Content-Type": "application/yaml" }, 400, "empty_body"],
      [`${fixture}#${"x".repeat(1024 * 1024)}`, { "Content-Type": "text/yaml" }, 413, "payload_too_large"],
    ];
    for (const [body, headers, status, reason] of cases) {
      const response = await post(body, headers);
      expect(response.status, reason).to.equal(status);
      const answer = (await response.json()) as { error: string; reason: string };
      expect(answer.reason).to.equal(reason);
      expect(answer.error).to.be.a("string").and.not.equal("");
    }
    expect(served.app.logged).to.deep.equal([]);
  });

  it("answers 405 with Allow to other methods, and lets other sites POST (CORS preflight)", async () => {
    const get = await fetch(`${served.app.url}/api/v1/publiccode/validate`);
    expect(get.status).to.equal(405);
    expect(get.headers.get("allow")).to.equal("POST, OPTIONS");
    expect(((await get.json()) as { reason: string }).reason).to.equal("method_not_allowed");
    const preflight = await fetch(`${served.app.url}/api/v1/publiccode/validate`, {
      method: "OPTIONS",
      headers: { Origin: "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-methods")).to.equal("POST, OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).to.match(/Content-Type/);
    const cross = await post(fixture, { "Content-Type": "text/yaml", Origin: "https://example.org" });
    expect(cross.headers.get("access-control-allow-origin")).to.equal("*");
    // Every other route still only reads.
    const other = await fetch(`${served.app.url}/api/v1/repositories`, { method: "POST", body: "x", headers: { "Content-Type": "text/yaml" } });
    expect(other.status).to.equal(405);
  });

  it("is described in the OpenAPI document and on the reference page", async () => {
    const document = (await (await fetch(`${served.app.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const operation = document.paths["/publiccode/validate"]!.post!;
    expect(Object.keys(operation.requestBody.content)).to.have.members(["text/yaml", "application/yaml"]);
    expect(Object.keys(operation.responses)).to.have.members(["200", "400", "413", "415"]);
    const answer = (await (await post(fixture)).json()) as object;
    expect(Object.keys(answer)).to.have.members(document.components.schemas.PubliccodeValidation!.required!);
    const page = await (await fetch(`${served.app.url}/api`)).text();
    expect(page).to.include("POST /api/v1/publiccode/validate");
  });
});
