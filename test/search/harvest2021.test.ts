// Opt-in: the real 2021 harvest (9,157 French public-sector repositories) when
// ../shared/data is present; skipped on a fresh clone.
import path from "node:path";
import { expect } from "chai";
import { openSearchEngine, type IndexedSearchEngine } from "../../src/search/engine.ts";
import { loadHarvest2021, readHarvest2021 } from "../../scripts/lib/harvest2021.ts";
import { fixtureNow } from "../fixtures/catalogue.ts";
import { ids, publicBodiesFile, query } from "../helpers/searchFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("search over the 2021 harvest (opt-in)", function () {
  let temp: TempDatabase | null = null;
  let engine: IndexedSearchEngine;
  let loaded = 0;

  before(async function () {
    const harvest = readHarvest2021();
    if (!harvest) this.skip();
    this.timeout(120_000);
    temp = tempDatabase();
    loaded = loadHarvest2021(temp.db, harvest!, fixtureNow.toISOString());
    engine = await openSearchEngine({ db: temp.db, indexDir: path.join(temp.dir, "index"), publicBodiesFile, now: () => fixtureNow, buildIn: "process" });
  });
  after(() => temp?.close());

  it("indexes every repository", () => {
    expect(loaded).to.be.greaterThan(9_000);
    expect(engine.search(query("")).total).to.equal(loaded);
  });

  it("finds projects by name first", () => {
    expect(ids(engine.search(query("udata")).items)[0]).to.equal("github.com/opendatateam/udata");
    expect(ids(engine.search(query("tousanticovid verif")).items).slice(0, 2)).to.have.members([
      "gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-ios",
      "gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-android",
    ]);
  });

  it("ignores accents and plurals on real descriptions", () => {
    for (const [a, b] of [["données ouvertes", "donnees ouverte"], ["équipements", "equipement"], ["santé publique", "sante publique"], ["élèves", "eleve"]]) {
      const first = engine.search(query(a!));
      expect(first.total, a).to.be.greaterThan(0);
      expect(ids(engine.search(query(b!)).items), `${a} / ${b}`).to.deep.equal(ids(first.items));
    }
  });

  it("keeps facet counts consistent with the totals", () => {
    for (const q of ["", "données", "python", "simulation numérique"]) {
      const result = engine.search(query(q));
      const licensed = result.facets.hasLicense.find((entry) => entry.value === "true")?.count ?? 0;
      const unlicensed = result.facets.hasLicense.find((entry) => entry.value === "false")?.count ?? 0;
      expect(licensed + unlicensed, q).to.equal(result.total);
      expect(result.facets.license.reduce((sum, entry) => sum + entry.count, 0), q).to.equal(licensed);
      const archived = result.facets.archived.reduce((sum, entry) => sum + entry.count, 0);
      expect(archived, q).to.equal(result.total);
    }
  });

  it("answers hostile text on real data", () => {
    for (const q of ["*", "\"open", "a".repeat(10_000), "+python -java", "\u0000"]) expect(engine.search(query(q)).total).to.be.a("number");
  });
});
