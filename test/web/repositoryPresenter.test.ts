// The repository page's presenter (issue 13, h35): its search links are kept
// per value, and must stay exactly the links withQuery() makes, whatever the
// value, and never mix two filters sharing a value.
import { expect } from "chai";
import { parsePublicBodies } from "../../src/sources/publicBodies.ts";
import type { RepositoryRow } from "../../src/store/catalog.ts";
import { createTranslator } from "../../src/web/i18n/index.ts";
import { toRepositoryPage } from "../../src/web/presenters/repository.ts";
import { withQuery } from "../../src/web/urls.ts";

function row(fields: Partial<RepositoryRow>): RepositoryRow {
  return {
    pk: 1, host: "github.com", forge: "github", forgeId: "1", owner: "etalab", ownerId: null, name: "x", fullName: "etalab/x",
    url: "https://github.com/etalab/x", description: null, homepage: null, language: null, license: null, topics: [], stars: 0, forks: 0,
    openIssues: 0, archived: false, fork: false, template: false, defaultBranch: null, createdAt: null, updatedAt: null, pushedAt: null,
    firstSeenAt: "2025-01-01T00:00:00Z", lastSeenAt: "2025-01-01T00:00:00Z", ownerName: null, psoId: null, ...fields,
  } as RepositoryRow;
}

describe("repository page presenter", () => {
  const directory = parsePublicBodies("ministries: {}\nbodies: {}\n");
  const i18n = createTranslator("fr");

  it("links topics, language, licence and host as withQuery does, on first sight and when kept", () => {
    const values = ["python", "open data", "a&b=c", "données", "!'()~*", "C++", "#x"];
    for (let pass = 0; pass < 2; pass++) {
      for (const value of values) {
        const page = toRepositoryPage(row({ topics: [value, "python"], language: value, license: value, host: value }), directory, i18n);
        expect(page.topics).to.deep.equal([{ label: value, href: withQuery("/repositories", { topic: value }) }, { label: "python", href: "/repositories?topic=python" }]);
        expect(page.languageHref).to.equal(withQuery("/repositories", { language: value }));
        expect(page.licenseHref).to.equal(withQuery("/repositories", { license: value }));
        expect(page.hostHref).to.equal(withQuery("/repositories", { host: value }));
      }
    }
    // The same value under two filters: two links.
    const page = toRepositoryPage(row({ topics: ["python"], language: "python" }), directory, i18n);
    expect([page.topics[0]!.href, page.languageHref]).to.deep.equal(["/repositories?topic=python", "/repositories?language=python"]);
    expect(toRepositoryPage(row({}), directory, i18n)).to.include({ languageHref: null, licenseHref: null });
  });
});
