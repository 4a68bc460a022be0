// Search over repository profiles (issue 9): publiccode.yml descriptions,
// features and categories and the start of the README are searched, with lower
// weights than names; new filters and facets; persisted with the index.
import path from "node:path";
import { expect } from "chai";
import { openSearchEngine, type IndexedSearchEngine } from "../../src/search/engine.ts";
import { parseSearchQuery } from "../../src/search/parseQuery.ts";
import { saveProfile } from "../../src/store/profiles.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { profileFrom, seedProfiles } from "../helpers/profileFixture.ts";
import { ids, publicBodiesFile, query } from "../helpers/searchFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("search over repository profiles", () => {
  let temp: TempDatabase;
  let engine: IndexedSearchEngine;

  before(async () => {
    temp = tempDatabase();
    seedCatalogue(temp.db);
    seedProfiles(temp.db);
    // A README that names another repository's subject: it must find this one, below the repository so named.
    const pk = (temp.db.$client.prepare("SELECT pk FROM repositories WHERE full_name = 'betagouv/mon-entreprise'").get() as { pk: number }).pk;
    saveProfile(temp.db, pk, profileFrom("https://github.com/betagouv/mon-entreprise", { "README.md": "Simulateur. Les données viennent de udata et du géocodage." }), null, "2025-06-14T03:20:00Z");
    engine = await openSearchEngine({ db: temp.db, indexDir: path.join(temp.dir, "index"), publicBodiesFile, now: () => new Date("2025-06-15T10:00:00Z"), buildIn: "process" });
  });

  after(() => temp.close());

  it("finds a repository by its publiccode.yml features, categories and description, in either language", () => {
    expect(ids(engine.search(query("moissonnage")).items)).to.deep.equal(["github.com/etalab/udata"]);
    expect(ids(engine.search(query("harvesting catalogue")).items)).to.include("github.com/etalab/udata");
    expect(ids(engine.search(query("portail")).items)).to.include("github.com/etalab/udata");
  });

  it("finds a repository by the start of its README, ranked below the repository named so", () => {
    expect(ids(engine.search(query("géocodage")).items)).to.include("github.com/betagouv/mon-entreprise");
    const udata = ids(engine.search(query("udata")).items);
    expect(udata[0]).to.equal("github.com/etalab/udata");
    expect(udata).to.include("github.com/betagouv/mon-entreprise");
    expect(udata.indexOf("github.com/betagouv/mon-entreprise")).to.be.greaterThan(udata.indexOf("github.com/etalab/udata"));
  });

  it("filters and counts has_publiccode, publiccode_valid, category, development_status and software_type", () => {
    const all = engine.search(query(""));
    expect(all.facets.hasPubliccode).to.deep.equal([{ value: "false", count: all.total - 2 }, { value: "true", count: 2 }]);
    expect(all.facets.publiccodeValid).to.have.deep.members([{ value: "true", count: 1 }, { value: "false", count: 1 }]);
    expect(all.facets.category).to.have.deep.members([{ value: "data-collection", count: 1 }, { value: "data-visualization", count: 1 }]);
    expect(all.facets.developmentStatus).to.deep.equal([{ value: "stable", count: 1 }]);
    expect(all.facets.softwareType).to.deep.equal([{ value: "standalone/web", count: 1 }]);

    const withFile = engine.search(parseSearchQuery({ has_publiccode: "true" }));
    expect(ids(withFile.items)).to.have.members(["github.com/etalab/udata", "github.com/ville-exemple/budget"]);
    // Invalid means a publiccode.yml with errors: repositories without one are in neither value.
    expect(ids(engine.search(parseSearchQuery({ publiccode_valid: "false" })).items)).to.deep.equal(["github.com/ville-exemple/budget"]);
    expect(ids(engine.search(parseSearchQuery({ publiccode_valid: "true" })).items)).to.deep.equal(["github.com/etalab/udata"]);
    expect(ids(engine.search(parseSearchQuery({ category: "DATA-VISUALIZATION" })).items)).to.deep.equal(["github.com/etalab/udata"]);
    expect(ids(engine.search(parseSearchQuery({ development_status: "stable", software_type: "standalone/web" })).items)).to.deep.equal(["github.com/etalab/udata"]);
    expect(engine.search(parseSearchQuery({ development_status: "obsolete" })).total).to.equal(0);
  });

  it("refuses a malformed boolean filter with invalid_parameter", () => {
    expect(() => parseSearchQuery({ has_publiccode: "maybe" })).to.throw(/has_publiccode must be true or false/);
  });

  it("keeps the profile fields in the persisted index", async () => {
    const reopened = await openSearchEngine({ db: temp.db, indexDir: path.join(temp.dir, "index"), publicBodiesFile, now: () => new Date("2025-06-15T10:00:00Z"), buildIn: "process" });
    expect(ids(reopened.search(query("moissonnage")).items)).to.deep.equal(["github.com/etalab/udata"]);
    expect(reopened.search(query("")).facets.category).to.have.length(2);
  });
});
