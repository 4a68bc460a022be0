// The index's vocabulary (issue 13): every word the build analysed, with its
// term, kept in the index file, so that a query's words are looked up rather
// than sent through both stemmers again (some 30 µs a word the process had
// not met yet). It must give exactly the analyzer's terms, and be checked on
// reading like the rest of the file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { createAnalyzer, queryAnalyzer, queryWords } from "../../src/search/analyzer.ts";
import { IndexFileError, readIndexFile, writeIndexFile } from "../../src/search/indexFile.ts";
import { SearchIndex } from "../../src/search/searchIndex.ts";
import { iterateLiveRepositories } from "../../src/store/catalog.ts";
import { query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

describe("the index's vocabulary", () => {
  let fixture: SearchFixture;
  let dir: string;
  before(async () => {
    fixture = await searchFixture();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-vocabulary-"));
  });
  after(() => {
    fixture.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives every word the term a fresh analyzer gives it, stop words and stems included", () => {
    const { vocabulary, terms, arrays } = fixture.engine.current.data;
    expect(vocabulary.length, "the fixture's words").to.be.greaterThan(200);
    const analyzer = createAnalyzer();
    let stopWords = 0;
    let stemmed = 0;
    vocabulary.forEach((word, i) => {
      const id = arrays.vocabularyTerms[i]!;
      const expected = analyzer.term(word);
      expect(id < 0 ? null : terms[id], word).to.equal(expected);
      if (expected === null) stopWords++;
      else if (expected !== word) stemmed++;
    });
    expect(stopWords, "stop words (« de », « the »...)").to.be.greaterThan(0);
    expect(stemmed, "words the stemmers change").to.be.greaterThan(0);
    // Every word a user can type of a name or a description is in it, as queryWords gives it (lower-cased, accents kept).
    const known = new Set(vocabulary);
    for (const row of iterateLiveRepositories(fixture.db)) {
      for (const word of queryWords(`${row.name} ${row.description ?? ""}`)) expect(known.has(word), `${word} (${row.fullName})`).to.equal(true);
    }
  });

  it("answers a query's words without the stemmers, and a word it lacks still goes through them", () => {
    const engine = fixture.engine;
    const { vocabulary } = engine.current.data;
    const shared = queryAnalyzer();
    const inProcessMemo = () => new Set([...shared.analysed()].map(([word]) => word));
    // A word of the catalogue that no other test of this process has sent through the shared analyzer.
    const before = inProcessMemo();
    const word = vocabulary.find((candidate) => candidate.length >= 6 && /^[a-z]+$/.test(candidate) && !before.has(candidate));
    expect(word, "a catalogue word the process has not stemmed").to.be.a("string");
    const found = engine.search(query(word!));
    expect(found.total, `repositories with « ${word} »`).to.be.greaterThan(0);
    expect(inProcessMemo().has(word!), "the vocabulary answered, not the stemmers").to.equal(false);
    // The same answer as an index without a vocabulary, which stems the word.
    const data = engine.current.data;
    const bare = new SearchIndex({ ...data, vocabulary: [], arrays: { ...data.arrays, vocabularyTerms: new Int32Array(0) } });
    expect(bare.run(query(word!)).docs).to.deep.equal(engine.current.run(query(word!)).docs);
    expect(inProcessMemo().has(word!), "without a vocabulary, the stemmers").to.equal(true);
    // Outside the vocabulary, the shared analyzer still stems (and remembers) the word.
    expect(engine.search(query("zyxwvutsrqponmlkj")).total).to.equal(0);
    expect(inProcessMemo().has("zyxwvutsrqponmlkj")).to.equal(true);
  });

  it("is read back as written, and a file whose vocabulary does not add up is refused", () => {
    const data = fixture.engine.current.data;
    const read = readIndexFile(writeIndexFile(dir, data));
    expect(read.vocabulary).to.deep.equal(data.vocabulary);
    expect([...read.arrays.vocabularyTerms]).to.deep.equal([...data.arrays.vocabularyTerms]);
    const ids = Int32Array.from(data.arrays.vocabularyTerms);
    ids[0] = data.terms.length;
    expect(() => readIndexFile(writeIndexFile(dir, { ...data, arrays: { ...data.arrays, vocabularyTerms: ids } }))).to.throw(IndexFileError, /names no term/);
    ids[0] = -2;
    expect(() => readIndexFile(writeIndexFile(dir, { ...data, arrays: { ...data.arrays, vocabularyTerms: ids } }))).to.throw(IndexFileError, /names no term/);
    expect(() => readIndexFile(writeIndexFile(dir, { ...data, vocabulary: data.vocabulary.slice(1) }))).to.throw(IndexFileError, /do not match its words/);
    const { vocabulary: _dropped, ...older } = data;
    expect(() => readIndexFile(writeIndexFile(dir, older as typeof data))).to.throw(IndexFileError, /vocabulary is missing/);
  });
});
