// Similar repositories worked out once per index (issue 13): the same answer
// on each visit of a page, and a rebuilt index answers from its own data.
import { expect } from "chai";
import { findSimilar, similarityText } from "../../src/search/similar.ts";
import { iterateLiveRepositories, type RepositoryRow } from "../../src/store/catalog.ts";
import { ids, searchFixture, similarIds, type SearchFixture } from "../helpers/searchFixture.ts";

describe("similar repositories, once per index", () => {
  let fixture: SearchFixture;
  let rows: RepositoryRow[];
  before(async () => {
    fixture = await searchFixture();
    rows = [...iterateLiveRepositories(fixture.db)];
  });
  after(() => fixture.close());

  it("gives the same answer again, the one search() gives", () => {
    for (const row of rows) {
      const first = similarIds(findSimilar(fixture.engine, row));
      expect(similarIds(findSimilar(fixture.engine, row)), row.fullName).to.deep.equal(first);
      const searched = fixture.engine.search({ q: similarityText(row), match: "any", filters: { archived: false }, sort: "relevance", page: 1, perPage: 7 });
      expect(first, row.fullName).to.deep.equal(ids(searched.items.filter((item) => item.pk !== row.pk).slice(0, 6)));
    }
  });

  it("answers from the new index after a rebuild", async () => {
    const row = rows.find((candidate) => candidate.description && !candidate.archived)!;
    const before = similarIds(findSimilar(fixture.engine, row));
    // Another repository takes this one's words: after the rebuild it is among the similar ones.
    const other = rows.find((candidate) => candidate.pk !== row.pk && !candidate.archived && !before.includes(`${candidate.host}/${candidate.fullName}`))!;
    // As a harvest writes it: last_seen_at moves, so the catalogue's version (and the next index's generation) changes.
    fixture.db.$client
      .prepare("UPDATE repositories SET description = ?, topics = ?, last_seen_at = '2099-01-01T00:00:00.000Z' WHERE pk = ?")
      .run(`${row.name} ${row.description}`, JSON.stringify(row.topics), other.pk);
    expect(similarIds(findSimilar(fixture.engine, row)), "the same index, the same answer").to.deep.equal(before);
    const generation = fixture.engine.generation;
    await fixture.engine.rebuild();
    expect(fixture.engine.generation).not.to.equal(generation);
    expect(similarIds(findSimilar(fixture.engine, row))).to.include(`${other.host}/${other.fullName}`);
  });
});
