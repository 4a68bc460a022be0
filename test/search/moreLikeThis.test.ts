// "More like this" without walking every posting (issue 13): SearchIndex's
// pruned path must give exactly what the full match-any query gives, same
// docs, same order, whatever the filters and the number asked, and it must
// actually prune on a catalogue whose common words have long lists.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { fillSyntheticCatalogue } from "../../scripts/lib/syntheticCatalogue.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { findSimilar, similarityReasons, similarityText } from "../../src/search/similar.ts";
import { buildIndexFromStore } from "../../src/search/storeBuild.ts";
import { IndexFileError, readIndexFile, writeIndexFile } from "../../src/search/indexFile.ts";
import { SearchIndex } from "../../src/search/searchIndex.ts";
import type { SearchEngine, SearchFilters } from "../../src/search/types.ts";
import { iterateLiveRepositories, type RepositoryRow } from "../../src/store/catalog.ts";
import { searchFixture, similarIds, type SearchFixture } from "../helpers/searchFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

/** The full union, ranked by run(): what moreLikeThis must reproduce. */
function fullAnswer(index: SearchIndex, q: string, filters: SearchFilters, limit: number): number[] {
  return index.run({ q, match: "any", filters, sort: "relevance", page: 1, perPage: limit, facets: false }).docs;
}

describe("more like this, pruned", () => {
  describe("on the fixture catalogue", () => {
    let fixture: SearchFixture;
    let rows: RepositoryRow[];
    before(async () => {
      fixture = await searchFixture();
      rows = [...iterateLiveRepositories(fixture.db)];
    });
    after(() => fixture.close());

    it("gives run()'s docs in run()'s order, for every repository, filter and size", () => {
      const index = fixture.engine.current;
      const variants: [SearchFilters, number][] = [
        [{ archived: false }, 7],
        [{}, 1],
        [{}, 30],
        [{ language: ["Python"], fork: false }, 5],
        [{ topic: ["open-data"] }, 7],
        [{ activeSince: "2023-01-01" }, 7],
      ];
      let compared = 0;
      for (const row of rows) {
        // Its similarity text, and its name alone (the exact-name bonus applies).
        for (const q of [similarityText(row), row.name]) {
          for (const [filters, limit] of variants) {
            const expected = fullAnswer(index, q, filters, limit);
            expect(index.moreLikeThis(q, filters, limit), `${row.fullName} ${q} ${JSON.stringify(filters)}`).to.deep.equal(expected);
            compared += expected.length;
          }
        }
      }
      expect(compared, "the comparisons found docs").to.be.greaterThan(rows.length);
    });

    it("answers nothing for text without a known word", () => {
      const index = fixture.engine.current;
      expect(index.moreLikeThis("", {}, 7)).to.deep.equal([]);
      expect(index.moreLikeThis("🚀 ✨", {}, 7)).to.deep.equal([]);
      expect(index.moreLikeThis("zzqxwv", {}, 7)).to.deep.equal([]);
    });

    it("is what findSimilar uses, with the same answer as through search()", () => {
      const engine = fixture.engine;
      // The same engine without its moreLikeThis: findSimilar falls back to search().
      const searchOnly: SearchEngine = { generation: engine.generation, search: (query) => engine.search(query), allMatches: (query) => engine.allMatches(query), rebuild: () => engine.rebuild() };
      for (const row of rows) expect(similarIds(findSimilar(engine, row)), row.fullName).to.deep.equal(similarIds(findSimilar(searchOnly, row)));
    });

    // Issue 13: the reasons stored at the build are those a page would work out.
    it("gives with the stored similar ones the reasons similarityReasons gives, and some", () => {
      let reasons = 0;
      for (const row of rows) {
        const stored = fixture.engine.storedSimilar(row)!;
        expect(stored, row.fullName).to.not.equal(null);
        for (const { row: other, reasons: given } of stored) {
          expect(given, `${row.fullName} / ${other.fullName}`).to.deep.equal(similarityReasons(row, other));
          reasons += given.sharedTopics.length + given.sharedWords.length;
        }
        expect(findSimilar(fixture.engine, row), "findSimilar answers with them").to.deep.equal(stored);
      }
      expect(reasons, "the catalogue's similar repositories share topics and words").to.be.greaterThan(rows.length);
    });

    it("leaves out a similar repository removed since the build, with its reasons and no other's", () => {
      const row = rows.find((candidate) => (fixture.engine.storedSimilar(candidate)?.length ?? 0) >= 3)!;
      const before = fixture.engine.storedSimilar(row)!;
      const removed = before[1]!.row;
      fixture.db.$client.prepare("UPDATE repositories SET removed_at = '2099-01-01T00:00:00.000Z' WHERE pk = ?").run(removed.pk);
      try {
        const after = fixture.engine.storedSimilar(row)!;
        expect(similarIds(after)).to.deep.equal(similarIds(before.filter((match) => match.row.pk !== removed.pk)));
        for (const { row: other, reasons } of after) expect(reasons, other.fullName).to.deep.equal(similarityReasons(row, other));
      } finally {
        fixture.db.$client.prepare("UPDATE repositories SET removed_at = NULL WHERE pk = ?").run(removed.pk);
      }
    });

    // Issue 13: each repository's similar ones, stored at the build.
    it("stores for every repository the similar ones its query gives, itself left out", () => {
      const index = fixture.engine.current;
      let stored = 0;
      for (const row of rows) {
        const doc = [...index.data.arrays.pk].indexOf(row.pk);
        const expected = fullAnswer(index, similarityText(row), { archived: false }, 7).filter((other) => other !== doc).slice(0, 6);
        expect(index.storedSimilar(row.pk), row.fullName).to.deep.equal(expected);
        stored += expected.length;
      }
      expect(stored).to.be.greaterThan(rows.length);
      expect(index.storedSimilar(-1), "not in the index").to.equal(null);
    });

    it("falls back to the query for a repository indexed after the build, and the file keeps the stored ones", async () => {
      const row = rows.find((candidate) => candidate.description && !candidate.archived)!;
      // A repository the index does not know yet: as if harvested after the build.
      const newcomer: RepositoryRow = { ...row, pk: 1_000_000 };
      expect(fixture.engine.storedSimilar(newcomer)).to.equal(null);
      const viaQuery = similarIds(findSimilar(fixture.engine, newcomer));
      expect(viaQuery).to.include(`${row.host}/${row.fullName}`);
      // Read back from the file by a second engine: the same stored answers.
      const reopened = await openSearchEngine({ ...fixture.options, readOnly: true });
      for (const other of rows) expect(reopened.storedSimilar(other)!, other.fullName).to.deep.equal(fixture.engine.storedSimilar(other)!);
    });
  });

  describe("the index file's similar reasons", () => {
    let fixture: SearchFixture;
    let dir: string;
    before(async () => {
      fixture = await searchFixture();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-reasons-"));
    });
    after(() => {
      fixture.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("are read back as written, and a file whose reasons do not add up is refused", () => {
      const data = fixture.engine.current.data;
      expect(data.arrays.similarReasonCodes.length, "the fixture has reasons").to.be.greaterThan(0);
      const file = writeIndexFile(dir, data);
      const read = readIndexFile(file);
      expect(read.reasonWords).to.deep.equal(data.reasonWords);
      expect([...read.arrays.similarReasonCodes]).to.deep.equal([...data.arrays.similarReasonCodes]);
      const codes = Int32Array.from(data.arrays.similarReasonCodes);
      codes[0] = data.reasonWords.length;
      expect(() => readIndexFile(writeIndexFile(dir, { ...data, arrays: { ...data.arrays, similarReasonCodes: codes } }))).to.throw(IndexFileError, /names no word/);
      codes[0] = -1 - data.reasonWords.length;
      expect(() => readIndexFile(writeIndexFile(dir, { ...data, arrays: { ...data.arrays, similarReasonCodes: codes } }))).to.throw(IndexFileError, /names no word/);
      expect(() => readIndexFile(writeIndexFile(dir, { ...data, arrays: { ...data.arrays, similarReasonCodes: codes.subarray(1) } }))).to.throw(IndexFileError, /reasons do not match/);
      const { reasonWords: _dropped, ...before } = data;
      expect(() => readIndexFile(writeIndexFile(dir, before as typeof data))).to.throw(IndexFileError, /reasons are missing/);
    });
  });

  describe("on a generated catalogue of 3,000 repositories", () => {
    let temp: TempDatabase;
    let index: SearchIndex;
    let rows: RepositoryRow[];
    before(function () {
      this.timeout(60_000);
      temp = tempDatabase();
      // Generated text (not ../shared's harvest): the same catalogue on every machine.
      fillSyntheticCatalogue(temp.db, { count: 3000, seed: 13, harvest: null, now: new Date("2026-01-01T00:00:00Z") });
      index = new SearchIndex(buildIndexFromStore(temp.db, { indexDir: path.join(temp.dir, "index"), builtAt: new Date("2026-01-01T00:00:00Z") }).data);
      rows = [...iterateLiveRepositories(temp.db)];
    });
    after(() => temp.close());

    it("prunes most queries and still gives the full answer", () => {
      let pruned = 0;
      let candidates = 0;
      const sample = rows.filter((_, i) => i % 5 === 0);
      for (const row of sample) {
        const q = similarityText(row);
        for (const [filters, limit] of [[{ archived: false }, 7], [{ fork: true }, 3], [{}, 50]] as [SearchFilters, number][]) {
          const expected = fullAnswer(index, q, filters, limit);
          expect(index.moreLikeThis(q, filters, limit), `${row.fullName} ${JSON.stringify(filters)} ${limit}`).to.deep.equal(expected);
          if (limit !== 7) continue;
          if (index.lastMoreLikeThis!.postingsWalked >= 0) pruned++;
          candidates += index.lastMoreLikeThis!.candidates;
        }
      }
      // Most similar-repository queries stop before their longest lists, and score few docs again.
      expect(pruned, "queries pruned").to.be.greaterThan(sample.length / 2);
      expect(candidates / sample.length, "docs scored again per query").to.be.lessThan(50);
    });

    it("keeps an answer per index", () => {
      const q = similarityText(rows[0]!);
      const first = index.moreLikeThis(q, { archived: false }, 7);
      index.lastMoreLikeThis = null;
      expect(index.moreLikeThis(q, { archived: false }, 7)).to.equal(first);
      expect(index.lastMoreLikeThis, "not worked out again").to.equal(null);
    });
  });
});
