// The similar path's own text analysis (issue 13, h35): queryWords() and
// queryAnalyzer().termsOfWords() are faster spellings of words(text, "query") and
// Analyzer.queryTerms(), and must give word for word the same, or the similar
// repositories and their reasons would drift from what a search finds.
import { expect } from "chai";
import { fillSyntheticCatalogue } from "../../scripts/lib/syntheticCatalogue.ts";
import { createAnalyzer, foldAccents, nameKey, queryAnalyzer, queryWords, words } from "../../src/search/analyzer.ts";
import { similarityReasons, similarityText } from "../../src/search/similar.ts";
import { iterateLiveRepositories, type RepositoryRow } from "../../src/store/catalog.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// Plain words and every kind of boundary words() knows, with letters whose case mapping is unusual.
const tricky = [
  "données ouvertes Application API",
  "udata-front dataGouvClient data.gouv.fr snake_case XMLParser",
  "python3 covid19 covid-19 a515667c-2cf13d7da23b 2024 ½ Ⅻ",
  "l'état, (Santé)\u0000ÉCOLE Éducation e\u0301cole naïve Cœur",
  "İstanbul ǅemal ǈubljana Straße ΣΊΣΥΦΟΣ σίσυφος Ab AB aB",
  "東京 مرحبا 🚀 ✨ -- __ .. ",
  "",
];

describe("the similar path's text analysis", () => {
  let temp: TempDatabase;
  let rows: RepositoryRow[];
  before(() => {
    temp = tempDatabase();
    fillSyntheticCatalogue(temp.db, { count: 400, seed: 3 });
    rows = [...iterateLiveRepositories(temp.db)];
  });
  after(() => temp.close());

  it("splits text into exactly the words words(text, \"query\") gives", () => {
    const texts = [...tricky, ...rows.map((row) => `${row.name} ${row.description ?? ""} ${row.topics.join(" ")} ${row.fullName}`)];
    for (const text of texts) expect(queryWords(text), text).to.deep.equal(words(text, "query"));
    // The fast path was taken for most of them: plain words are the common case, and must not be skipped.
    expect(queryWords("Données ouvertes")).to.deep.equal(["données", "ouvertes"]);
  });

  it("gives the terms, in order and bounded, that an analyzer's queryTerms gives, and the same name key", () => {
    const reference = createAnalyzer();
    for (const text of [...tricky, ...rows.map(similarityText)]) {
      for (const limit of [32, 3]) expect(queryAnalyzer().termsOfWords(queryWords(text), limit), text).to.deep.equal(reference.queryTerms(text, limit));
      expect(foldAccents(queryWords(text).join("")), text).to.equal(nameKey(text));
    }
    expect(queryAnalyzer(), "one analyzer for the whole process").to.equal(queryAnalyzer());
  });

  it("gives the same reasons for a row object seen before (its analysis is kept) as for a fresh copy", () => {
    const row = rows.find((candidate) => candidate.description && candidate.description.split(" ").length > 3)!;
    // Another repository sharing two of its words, and one sharing none.
    const words = row.description!.split(" ").filter((word) => word.length > 4).slice(0, 2);
    const other = { ...rows.find((candidate) => candidate.pk !== row.pk)!, topics: [], description: `${words.join(" ")} zzqx` };
    const first = similarityReasons(row, other);
    expect(first.sharedWords.length, `${row.description} / ${other.description}`).to.be.greaterThan(0);
    expect(similarityReasons(row, other)).to.deep.equal(first);
    expect(similarityReasons({ ...row }, { ...other })).to.deep.equal(first);
    const unrelated = { ...other, name: "qqqq", description: "zzzz wwww" };
    expect(similarityReasons(row, unrelated)).to.deep.equal({ sharedTopics: [], sharedWords: [] });
  });
});
