// The forge-independent parts of profiles (issue 9): which root files count,
// how a README is rendered, and the checks for publishers.
import { expect } from "chai";
import { runChecks } from "../../src/profiles/checks.ts";
import { classifyRoot, readmeFormat } from "../../src/profiles/files.ts";
import type { StoredProfile } from "../../src/profiles/profile.ts";
import { renderReadme } from "../../src/profiles/readme.ts";
import { profileFrom, udataPubliccode } from "../helpers/profileFixture.ts";

const links = { blob: (path: string) => `https://forge.example/o/r/blob/main/${path}`, raw: (path: string) => `https://forge.example/o/r/raw/main/${path}` };
const file = (name: string) => ({ name, type: "file" as const, size: 10, sha: null });

describe("profile files", () => {
  it("picks the README (Markdown first, untranslated first), licence, community files and publiccode.yml by name; folders never", () => {
    const { files } = classifyRoot([
      file("README.fr.md"), file("readme.txt"), file("README.md"), { name: "LICENSE", type: "dir", size: 0, sha: null }, file("COPYING.LESSER"),
      file("CONTRIBUTING.rst"), file("code_of_conduct.md"), file("SECURITY.md"), file("CHANGES.txt"), file("publiccode.yaml"), file("publiccode.yml"), file("main.go"),
    ]);
    expect(files).to.deep.equal({
      readme: "README.md", publiccode: "publiccode.yml", license: "COPYING.LESSER", contributing: "CONTRIBUTING.rst",
      codeOfConduct: "code_of_conduct.md", security: "SECURITY.md", changelog: "CHANGES.txt",
    });
    expect(classifyRoot([file("LISEZMOI.md"), file("publiccode.yaml")]).files).to.include({ readme: "LISEZMOI.md", publiccode: "publiccode.yaml", license: null });
    expect(classifyRoot([file("README-dev.md")]).files.readme).to.equal(null);
    expect(readmeFormat("README")).to.equal("markdown");
    expect(readmeFormat("README.rst")).to.equal("text");
  });
});

describe("README rendering", () => {
  it("points relative links and images at the forge, keeps only http(s) and mailto, moves headings down two levels", () => {
    const { html } = renderReadme("README.md", "# Title\n\n[a](./docs/a%20b.md#part) [b](/c/d.png) [up](../../x) [js](javascript:alert(1)) [m](mailto:x@example.org) ![i](img/i.png) [anchor](#usage)", links);
    expect(html).to.include("<h3>Title</h3>");
    expect(html).to.include('href="https://forge.example/o/r/blob/main/docs/a b.md#part"');
    expect(html).to.include('href="https://forge.example/o/r/blob/main/c/d.png"');
    expect(html).to.include('href="https://forge.example/o/r/blob/main/x"');
    expect(html).to.include('href="mailto:x@example.org"');
    expect(html).to.include('href="#usage"');
    expect(html).to.include('<a href="https://forge.example/o/r/raw/main/img/i.png" rel="nofollow noopener ugc">[image: i]</a>');
    expect(html).not.to.match(/href="\s*javascript/i);
    for (const link of html.match(/<a [^>]*>/g) ?? []) expect(link).to.include('rel="nofollow noopener ugc"');
  });

  it("folds a long README after a top-level block, and keeps a plain-text excerpt", () => {
    const source = ["# Big", "Intro **bold** text.", ...Array.from({ length: 100 }, (_, i) => `Line ${i}.`)].join("\n\n");
    const rendered = renderReadme("README.md", source, links);
    expect(rendered.html).to.include("<p>Intro <strong>bold</strong> text.</p>");
    expect(rendered.moreHtml).to.include("<p>Line 99.</p>");
    expect(rendered.html).not.to.include("Line 99.");
    expect(rendered.excerpt.startsWith("Big Intro bold text. Line 0.")).to.equal(true);
    expect(rendered.excerpt.length).to.be.at.most(300);
    expect(renderReadme("README.md", "Short.", links).moreHtml).to.equal(null);
  });

  it("shows a non-Markdown README as escaped text", () => {
    const rendered = renderReadme("README.rst", "Title\n=====\n\n<script>alert(1)</script>", links);
    expect(rendered.html).to.equal("<pre>Title\n=====\n\n&lt;script&gt;alert(1)&lt;/script&gt;</pre>");
  });
});

describe("checks for publishers", () => {
  const now = new Date("2025-06-15T00:00:00Z");
  const repository = { license: "MIT", description: "A tool", archived: false, pushedAt: "2025-01-01T00:00:00Z", updatedAt: null };
  const stored = (files: Record<string, string>): StoredProfile => ({ profile: profileFrom("https://forge.example/o/r", files), marker: null, fetchedAt: "2025-06-14T00:00:00Z", attemptedAt: "2025-06-14T00:00:00Z", failure: null });
  const codes = (checks: { code: string; level: string }[]) => checks.map((check) => `${check.level}:${check.code}`);

  it("finds nothing wrong with a well-described repository, and says nothing of files not read yet", () => {
    expect(codes(runChecks(repository, stored({ "README.md": "x", "publiccode.yml": udataPubliccode }), now))).to.deep.equal([]);
    expect(codes(runChecks(repository, undefined, now))).to.deep.equal([]);
  });

  it("levels each problem, most serious first", () => {
    const checks = runChecks({ license: null, description: null, archived: false, pushedAt: "2022-01-01T00:00:00Z", updatedAt: null }, stored({ "publiccode.yml": "name: x\n" }), now);
    expect(codes(checks)).to.deep.equal(["error:no_license", "error:invalid_publiccode", "warning:no_description", "warning:no_readme", "warning:inactive"]);
    expect(checks[1]!.details[0]).to.match(/publiccodeYmlVersion/);
  });

  it("tells a licence file the forge could not name from no licence, and reports archived and unreadable profiles", () => {
    expect(codes(runChecks({ ...repository, license: null }, stored({ "README.md": "x", LICENSE: "custom" }), now))).to.deep.equal(["warning:license_not_recognised", "info:no_publiccode"]);
    expect(codes(runChecks({ ...repository, license: "other" }, undefined, now))).to.deep.equal(["warning:license_not_recognised"]);
    const failed: StoredProfile = { profile: null, marker: null, fetchedAt: null, attemptedAt: "2025-06-14T00:00:00Z", failure: { reason: "timeout", message: "no answer" } };
    expect(codes(runChecks({ ...repository, archived: true, pushedAt: "2015-01-01T00:00:00Z" }, failed, now))).to.deep.equal(["warning:profile_unreadable", "info:archived"]);
  });

  it("warns of a package manifest that could not be read, with its first error (issue 10)", () => {
    const withManifests = stored({ "README.md": "x", "publiccode.yml": udataPubliccode });
    const manifest = { ecosystem: "npm" as const, sha: null, publishes: [], dependencies: [], warnings: [] };
    withManifests.profile!.manifests = [{ ...manifest, file: "package.json", errors: ["invalid JSON: Unexpected token", "another"] }, { ...manifest, file: "go.mod", ecosystem: "go" as const, errors: [] }];
    const checks = runChecks(repository, withManifests, now);
    expect(codes(checks)).to.deep.equal(["warning:manifest_unreadable"]);
    expect(checks[0]!.details).to.deep.equal(["package.json: invalid JSON: Unexpected token (+1)"]);
    withManifests.profile!.manifests = [{ ...manifest, file: "package.json", errors: [] }];
    expect(codes(runChecks(repository, withManifests, now))).to.deep.equal([]);
  });
});
