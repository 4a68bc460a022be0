import { expect } from "chai";
import { createAnalyzer, foldAccents, nameKey, words } from "../../src/search/analyzer.ts";

describe("text analysis", () => {
  const analyzer = createAnalyzer();
  const terms = (text: string) => words(text, "index").map((word) => analyzer.term(word));

  it("folds accents, ligatures and case", () => {
    expect(foldAccents("Équipements ŒUVRE Cœur naïve Ærø")).to.equal("equipements oeuvre coeur naive aero");
  });

  it("splits on punctuation, apostrophes and control characters", () => {
    expect(words("l'application, (données)\u0000ouvertes! a/b", "index")).to.deep.equal(["l", "application", "données", "ouvertes", "a", "b"]);
  });

  it("gives the parts of compounds, and on the index side the joined forms", () => {
    expect(words("udata-front", "index")).to.deep.equal(["udata", "front", "udatafront"]);
    expect(words("udata-front", "query")).to.deep.equal(["udata", "front"]);
    expect(words("dataGouvClient", "index")).to.deep.equal(["data", "gouv", "client", "datagouvclient", "datagouv", "gouvclient"]);
    expect(words("data.gouv.fr snake_case XMLParser", "query")).to.deep.equal(["data", "gouv", "fr", "snake", "case", "xml", "parser"]);
  });

  it("splits a letter/digit boundary only when there is one, so identifiers stay whole", () => {
    expect(words("python3 covid19", "query")).to.deep.equal(["python", "3", "covid", "19"]);
    expect(words("a515667c-2cf13d7da23b", "query")).to.deep.equal(["a515667c", "2cf13d7da23b"]);
  });

  it("gives the same term to singular and plural, with and without accents, in French and English", () => {
    const pairs = [
      ["équipements", "equipement"], ["données", "donnee"], ["collectivités", "collectivite"], ["marchés", "marche"],
      ["élections", "election"], ["cartographies", "cartographie"], ["bibliothèques", "bibliotheque"], ["Santé", "sante"],
      ["libraries", "library"], ["maps", "map"], ["applications", "application"], ["cœur", "coeur"],
    ];
    for (const [a, b] of pairs) expect(analyzer.term(words(a!, "query")[0]!), `${a} ~ ${b}`).to.equal(analyzer.term(b!)).and.not.equal(null);
  });

  it("drops French and English stop words", () => {
    expect(terms("le la les des du de l d the of and")).to.deep.equal(Array(11).fill(null));
    expect(analyzer.queryTerms("la base des adresses", 32)).to.have.length(2);
  });

  it("gives each query term once, at most `limit` of them", () => {
    expect(analyzer.queryTerms("adresse adresses Adresse", 32)).to.have.length(1);
    expect(analyzer.queryTerms("un deux trois quatre cinq six", 3)).to.have.length(3);
  });

  it("makes name keys without case, accents or separators", () => {
    expect(nameKey("Udata-Front")).to.equal("udatafront");
    expect(nameKey("udata front")).to.equal("udatafront");
    expect(nameKey("Équipe_Données")).to.equal("equipedonnees");
  });
});
