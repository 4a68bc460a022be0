// What people type, and what they should find first: French and English,
// with and without accents, singular and plural, names, owners, public bodies.
import { expect } from "chai";
import { ids, query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

interface Expectation {
  q: string;
  /** The first result. */
  first?: string;
  /** All of these, in any order, within the first `within` results (default: their number). */
  top?: string[];
  within?: number;
  /** Every one of the first `count` results belongs to this owner ("<host>/<login>"). */
  ownedBy?: { owner: string; count: number };
  /** Queries that must give exactly the same ranking. */
  sameAs?: string[];
}

const gh = "github.com";

const expectations: Expectation[] = [
  { q: "udata", first: `${gh}/etalab/udata`, sameAs: ["UDATA", "Udata"] },
  { q: "udata front", first: `${gh}/etalab/udata-front`, sameAs: ["udata-front", "udata_front"] },
  { q: "front", top: [`${gh}/etalab/udata-front`], within: 2 },
  { q: "gouv client", first: `${gh}/etalab/dataGouvClient` },
  { q: "datagouv", first: `${gh}/etalab/dataGouvClient`, sameAs: ["DATAGOUV", "datagouv"] },
  // Typed in camelCase, the parts are asked for: "data.gouv.fr" repositories come too.
  { q: "dataGouv", first: `${gh}/etalab/dataGouvClient`, top: [`${gh}/etalab/doc.data.gouv.fr`], within: 4 },
  { q: "équipement", first: `${gh}/MTES-MCT/res-sportives`, sameAs: ["equipement", "Équipements", "EQUIPEMENTS"] },
  { q: "équipements sportifs", first: `${gh}/MTES-MCT/res-sportives`, sameAs: ["equipement sportif"] },
  { q: "déchets dangereux", first: `${gh}/MTES-MCT/trackdechets`, sameAs: ["dechets dangereux", "déchet dangereux"] },
  { q: "dechet", first: `${gh}/MTES-MCT/trackdechets` },
  { q: "base adresse nationale", top: [`${gh}/BaseAdresseNationale/ban-plateforme`], within: 3, ownedBy: { owner: `${gh}/BaseAdresseNationale`, count: 3 } },
  { q: "code du travail", first: `${gh}/SocialGouv/code-du-travail-numerique`, sameAs: ["code travail", "Code-du-Travail"] },
  { q: "accessibilité", top: [`${gh}/MTES-MCT/acceslibre`, `${gh}/DISIC/rgaa`], sameAs: ["accessibilite", "ACCESSIBILITÉ"] },
  { q: "public transport", first: `${gh}/etalab/transport-site` },
  { q: "transports publics", first: `${gh}/etalab/transport-site` },
  { q: "identity federation", first: `${gh}/france-connect/sources` },
  { q: "cartographie", top: [`${gh}/IGNF/cartes.gouv.fr`, `${gh}/IGNF/geoportal-extensions`], within: 3, sameAs: ["cartographies"] },
  { q: "maps", first: `${gh}/IGNF/itowns`, sameAs: ["map"] },
  { q: "python client", top: [`${gh}/betagouv/ds-python-client`, `${gh}/etalab/dataGouvClient`] },
  { q: "armées", ownedBy: { owner: "gitlab.com/fabnum-minarm", count: 5 }, sameAs: ["armees", "Ministère des Armées"] },
  { q: "anct", ownedBy: { owner: "gitlab.com/incubateur-territoires", count: 3 } },
  { q: "etalab", ownedBy: { owner: `${gh}/etalab`, count: 10 } },
  { q: "santé", top: ["gitlab.com/healthdatahub/pseudonymisation", "gitlab.com/healthdatahub/schema-snds"], sameAs: ["sante"] },
  { q: "élections", first: `${gh}/etalab/elections-resultats`, top: ["git.unistra.fr/jdupont/analyse-electorale"], within: 2, sameAs: ["elections", "élection"] },
  { q: "résultats des élections", first: `${gh}/etalab/elections-resultats`, sameAs: ["resultats elections"] },
  { q: "subventions", top: [`${gh}/betagouv/aides-territoires`, `${gh}/betagouv/compte-asso`], sameAs: ["subvention"] },
  { q: "kubernetes", first: `${gh}/InseeFrLab/onyxia`, top: [`${gh}/SocialGouv/kosko-charts`], within: 2 },
  { q: "gtfs", first: `${gh}/etalab/transport-site` },
  { q: "libraries", top: [`${gh}/InseeFr/Lunatic`, `${gh}/IGNF/geoportal-access-lib`], sameAs: ["library"] },
  { q: "bibliothèque", first: "forge.apps.education.fr/apps-education/cartable/bibliotheques-scolaires", sameAs: ["bibliotheques"] },
  { q: "covid", top: ["gitlab.com/healthdatahub/dashboards-covid", "gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-android", "gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-ios", "gitlab.inria.fr/stopcovid19/robert-server"] },
  { q: "pass sanitaire", top: ["gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-android", "gitlab.inria.fr/tousanticovid-verif/tousanticovid-verif-ios"] },
];

describe("search relevance on the fixture catalogue", () => {
  let fixture: SearchFixture;
  before(async () => {
    fixture = await searchFixture();
  });
  after(() => fixture.close());

  const ranking = (q: string) => ids(fixture.engine.search(query(q)).items);

  for (const expectation of expectations) {
    it(`"${expectation.q}"`, () => {
      const results = ranking(expectation.q);
      if (expectation.first) expect(results[0], `first result of "${expectation.q}"`).to.equal(expectation.first);
      if (expectation.top) {
        const within = expectation.within ?? expectation.top.length;
        expect(results.slice(0, within), `first ${within} of "${expectation.q}"`).to.include.members(expectation.top);
      }
      if (expectation.ownedBy) {
        const { owner, count } = expectation.ownedBy;
        expect(results.length).to.be.at.least(count);
        for (const id of results.slice(0, count)) expect(id.startsWith(`${owner}/`), `${id} in the first ${count} of "${expectation.q}"`).to.equal(true);
      }
      for (const other of expectation.sameAs ?? []) expect(ranking(other), `"${other}" ranks like "${expectation.q}"`).to.deep.equal(results);
    });
  }

  it("ranks an archived fork below the original it copies word for word", () => {
    const results = ranking("plateforme open data");
    expect(results.indexOf(`${gh}/etalab/udata`)).to.be.below(results.indexOf(`${gh}/codeursenliberte/udata`));
  });

  it("ranks a fork below a non-fork that matches about as well", () => {
    const results = ranking("tchap matrix");
    expect(results.slice(0, 2)).to.deep.equal([`${gh}/tchapgouv/tchap-android`, `${gh}/tchapgouv/tchap-web`]);
  });

  it("falls back to any of the words when no repository has them all, best matches first", () => {
    const result = fixture.engine.search(query("kubernetes zzzunknownword"));
    expect(ids(result.items).slice(0, 2)).to.have.members([`${gh}/InseeFrLab/onyxia`, `${gh}/SocialGouv/kosko-charts`]);
    // With both words known but never together: the docs of each, those with both first (none here).
    const either = ids(fixture.engine.search(query("kubernetes gtfs")).items);
    expect(either).to.include.members([`${gh}/InseeFrLab/onyxia`, `${gh}/etalab/transport-site`]);
  });

  it("finds nothing for a word that no repository has", () => {
    expect(fixture.engine.search(query("zzzunknownword")).total).to.equal(0);
  });

  it("orders the empty query by the reuse score alone", () => {
    const { items } = fixture.engine.search(query("", {}, { perPage: 5 }));
    // Issue 10: udata is reused by two others (a fork, a dependent: 17.5 points), has 250 stars, a
    // licence and a recent push; itowns, first by the old factor (1,000 stars, 300 forks), has no
    // known licence and no reuse by other bodies in the catalogue.
    expect(ids(items)[0]).to.equal(`${gh}/etalab/udata`);
    expect(ids(items)).not.to.include(`${gh}/IGNF/itowns`);
  });

  it("sorts by reuse score and filters the repositories reused by other public bodies", () => {
    const reused = fixture.engine.search(query("", { reused: true }, { sort: "reuse" }));
    expect(ids(reused.items)).to.deep.equal([`${gh}/etalab/udata`, `${gh}/IGNF/geoportal-access-lib`, "gitlab.com/incubateur-territoires/communs/decidim-app"]);
    expect(reused.items.map((row) => row.reusedByCount)).to.deep.equal([2, 1, 2]);
    expect(fixture.engine.search(query("", {}, { perPage: 1 })).facets.reused).to.deep.equal([
      { value: "false", count: fixture.engine.search(query("", { reused: false })).total },
      { value: "true", count: 3 },
    ]);
    const byScore = fixture.engine.search(query("", {}, { sort: "reuse" })).items.map((row) => row.reuseScore!);
    expect(byScore).to.deep.equal([...byScore].sort((a, b) => b - a));
  });
});
