// The engine's life: persisted after a build, loaded at start when current,
// rebuilt when stale or damaged, rebuilt on a worker thread and swapped whole.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import lunr from "lunr";
import { createAnalyzer } from "../../src/search/analyzer.ts";
import { buildIndexData, createLunrBuilder, searchTexts } from "../../src/search/buildIndex.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { indexFileName } from "../../src/search/indexFile.ts";
import { SearchIndex } from "../../src/search/searchIndex.ts";
import { iterateLiveRepositories } from "../../src/store/catalog.ts";
import { openDatabase } from "../../src/store/database.ts";
import { fixtureNow, type FixtureOwner, type FixtureRepository } from "../fixtures/catalogue.ts";
import { loadFixtureCatalogue } from "../helpers/fixtureCatalogue.ts";
import { ids, publicBodies, query, searchFixture, type SearchFixture } from "../helpers/searchFixture.ts";

const newOwner: FixtureOwner = { host: "github.com", login: "nouvelle-agence", kind: "organization", name: "Nouvelle agence" };
const newRepository = (name: string): FixtureRepository => ({ host: "github.com", owner: "nouvelle-agence", name, description: "Registre des ruches et des apiculteurs", language: "Go", license: "MIT" });

/** Adds a repository to the store, as a later harvest would. */
function harvestMore(fixture: SearchFixture, name: string): void {
  loadFixtureCatalogue(fixture.db, [newOwner], [newRepository(name)], new Date(fixtureNow.getTime() + 86_400_000).toISOString());
}

function logger() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

const snapshot = (fixture: SearchFixture, q: string) => {
  const result = fixture.engine.search(query(q, {}, { perPage: 20 }));
  return { total: result.total, ids: ids(result.items), facets: result.facets };
};

describe("search engine: persistence and swaps", () => {
  let fixture: SearchFixture;
  beforeEach(async () => {
    fixture = await searchFixture();
  });
  afterEach(async () => {
    await fixture.engine.close();
    fixture.close();
  });

  const indexFile = () => path.join(fixture.indexDir, indexFileName);

  it("persists the index and loads it at the next start instead of building", async () => {
    expect(fs.existsSync(indexFile())).to.equal(true);
    const written = fs.statSync(indexFile()).mtimeMs;
    const { lines, log } = logger();
    const reopened = await openSearchEngine({ ...fixture.options, log });
    expect(lines.join("\n")).to.match(/search index loaded: \d+ repositories/);
    expect(lines.join("\n")).not.to.match(/built|rebuilding/);
    expect(fs.statSync(indexFile()).mtimeMs).to.equal(written);
    expect(reopened.generation).to.equal(fixture.engine.generation);
    for (const q of ["", "données", "udata", "kubernetes gtfs"]) {
      const loaded = reopened.search(query(q, { archived: false }, { perPage: 20 }));
      const built = fixture.engine.search(query(q, { archived: false }, { perPage: 20 }));
      expect({ ...loaded, items: ids(loaded.items) }, q).to.deep.equal({ ...built, items: ids(built.items) });
    }
  });

  it("rebuilds at start when the store changed since the index was written", async () => {
    harvestMore(fixture, "ruches");
    const { lines, log } = logger();
    const reopened = await openSearchEngine({ ...fixture.options, log });
    expect(lines.join("\n")).to.match(/stale/);
    expect(ids(reopened.search(query("ruches")).items)).to.deep.equal(["github.com/nouvelle-agence/ruches"]);
  });

  const damages: [string, (file: string) => void][] = [
    ["truncated", (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
    ["with a byte changed in its body", (file) => {
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256;
      fs.writeFileSync(file, bytes);
    }],
    ["empty", (file) => fs.writeFileSync(file, "")],
    ["not an index at all", (file) => fs.writeFileSync(file, "{\"invertedIndex\": []}")],
    ["of another format version", (file) => {
      const bytes = fs.readFileSync(file);
      bytes.write("CCSIDX99", 0, "latin1");
      fs.writeFileSync(file, bytes);
    }],
    ["with a header that lies about its arrays", (file) => {
      const bytes = fs.readFileSync(file);
      const length = bytes.readUInt32LE(8);
      const header = bytes.toString("utf8", 12, 12 + length).replace(/"documentCount":\d+/, "\"documentCount\":999999");
      fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, 8), (() => { const b = Buffer.alloc(4); b.writeUInt32LE(Buffer.byteLength(header)); return b; })(), Buffer.from(header), bytes.subarray(12 + length)]));
    }],
  ];
  for (const [what, damage] of damages) {
    it(`rebuilds at start from a file ${what}, and writes a good one`, async () => {
      const expected = snapshot(fixture, "données");
      damage(indexFile());
      const { lines, log } = logger();
      const reopened = await openSearchEngine({ ...fixture.options, log });
      expect(lines.join("\n")).to.match(/unreadable|stale/);
      const result = reopened.search(query("données", {}, { perPage: 20 }));
      expect({ total: result.total, ids: ids(result.items), facets: result.facets }).to.deep.equal(expected);
      const again = logger();
      await openSearchEngine({ ...fixture.options, log: again.log });
      expect(again.lines.join("\n")).to.match(/loaded/);
    });
  }

  it("rebuilds on a worker thread and swaps only when the new index is whole", async () => {
    const { lines, log } = logger();
    const engine = await openSearchEngine({ ...fixture.options, buildIn: "worker", log });
    const before = { generation: engine.generation, total: engine.search(query("")).total };
    harvestMore(fixture, "ruches");

    let done = false;
    const rebuilt = engine.rebuild().finally(() => (done = true));
    // The event loop stays free while the worker builds: every query meanwhile sees the old index, whole.
    let queriesDuringBuild = 0;
    while (!done) {
      const result = engine.search(query("", {}, { perPage: 1 }));
      if (!done) {
        expect(engine.generation).to.equal(before.generation);
        expect(result.total).to.equal(before.total);
        queriesDuringBuild++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await rebuilt;
    expect(queriesDuringBuild, "queries answered during the build").to.be.greaterThan(0);
    expect(engine.generation).not.to.equal(before.generation);
    expect(engine.search(query("")).total).to.equal(before.total + 1);
    expect(ids(engine.search(query("ruches")).items)).to.deep.equal(["github.com/nouvelle-agence/ruches"]);
    expect(lines.join("\n")).to.match(/search index rebuilt/);
    expect(fs.readdirSync(fixture.indexDir), "no temporary file left").to.deep.equal([indexFileName]);
    await engine.close();
  });

  it("runs one build for the rebuilds asked before it starts, and one more for those asked during it", async () => {
    const { lines, log } = logger();
    const engine = await openSearchEngine({ ...fixture.options, log });
    const first = engine.rebuild();
    expect(engine.rebuild()).to.equal(first);
    expect(engine.rebuild()).to.equal(first);
    await first;
    expect(lines.filter((line) => line.startsWith("search index rebuilt"))).to.have.length(1);
    await Promise.all([engine.rebuild(), engine.rebuild()]);
    expect(lines.filter((line) => line.startsWith("search index rebuilt"))).to.have.length(2);
  });

  it("keeps serving the current index when a rebuild fails", async () => {
    const before = snapshot(fixture, "données");
    const generation = fixture.engine.generation;
    // The index folder becomes a file: the build cannot write.
    fs.rmSync(fixture.indexDir, { recursive: true });
    fs.writeFileSync(fixture.indexDir, "not a folder");
    harvestMore(fixture, "ruches");
    let failure: unknown;
    await fixture.engine.rebuild().catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    expect(fixture.engine.generation).to.equal(generation);
    expect(snapshot(fixture, "données")).to.deep.equal(before);
    fs.rmSync(fixture.indexDir);
  });

  // Issue 13: a serving process reads the rows of its best-ranked repositories ahead, after each load or rebuild.
  it("warms the store's row cache after a load and after a rebuild when asked, and only then", async () => {
    const live = () => [...iterateLiveRepositories(fixture.db)].length;
    expect(await fixture.engine.warming, "not asked").to.equal(0);
    const handed: string[] = [];
    const engine = await openSearchEngine({ ...fixture.options, warmRowCache: true, onRowsWarmed: (rows) => handed.push(...ids(rows)) });
    try {
      // The fixture is smaller than the warm-up: every live row is read, and handed over once (for the API's records).
      expect(await engine.warming).to.equal(live());
      expect([...handed].sort()).to.deep.equal(ids([...iterateLiveRepositories(fixture.db)]).sort());
      // A harvest changes the store (the cache starts again), the rebuild warms it again with the newcomer.
      harvestMore(fixture, "ruches");
      await engine.rebuild();
      expect(await engine.warming).to.equal(live());
      expect(ids(engine.search(query("ruches")).items)).to.deep.equal(["github.com/nouvelle-agence/ruches"]);
    } finally {
      await engine.close();
    }
  });

  it("stops warming when the engine closes, and when the store cannot be read, without failing", async () => {
    const closed = await openSearchEngine({ ...fixture.options, warmRowCache: true });
    await closed.close();
    expect(await closed.warming).to.equal(0);
    // Another connection, closed before the first slice is read.
    const { lines, log } = logger();
    const db = openDatabase(fixture.file);
    const engine = await openSearchEngine({ ...fixture.options, db, warmRowCache: true, log });
    db.$client.close();
    expect(await engine.warming).to.equal(0);
    expect(lines.join("\n")).to.match(/row cache warm-up stopped: .*not open/);
  });

  it("refreshes only when the store changed", async () => {
    expect(await fixture.engine.refreshIfStale()).to.equal(false);
    harvestMore(fixture, "ruches");
    expect(await fixture.engine.refreshIfStale()).to.equal(true);
    expect(fixture.engine.search(query("ruches")).total).to.equal(1);
    expect(await fixture.engine.refreshIfStale()).to.equal(false);
  });
});

describe("search index: scores equal to lunr's", () => {
  let fixture: SearchFixture;
  before(async () => {
    fixture = await searchFixture();
  });
  after(() => fixture.close());

  it("matches the same repositories with the same relative scores as lunr.Index#query", () => {
    const rows = [...iterateLiveRepositories(fixture.db)];
    const index = new SearchIndex(buildIndexData(rows, { publicBodies, builtAt: fixtureNow, fingerprint: "test" }));
    const builder = createLunrBuilder(createAnalyzer());
    rows.forEach((row, doc) => builder.add(searchTexts(row, doc, publicBodies)));
    const reference = builder.build();

    for (const q of ["données", "udata front", "base adresse nationale", "gestion factures communes", "kubernetes", "python client api", "kubernetes gtfs"]) {
      const terms = index.queryTerms(q);
      const ours = index.matchText(terms);
      const presence = ours.mode === "all" ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL;
      const theirs = reference.query((builderQuery) => {
        for (const term of terms) builderQuery.term(term, { usePipeline: false, presence });
      });
      expect(theirs.length, q).to.be.greaterThan(0);
      const best = Math.max(...theirs.map((match) => match.score));
      const expected = new Map(theirs.map((match) => [Number(match.ref), match.score / best]));
      expect([...ours.docs], q).to.have.members([...expected.keys()]);
      ours.docs.forEach((doc, i) => expect(ours.scores[i], `${q}: doc ${doc}`).to.be.closeTo(expected.get(doc)!, 1e-5));
    }
  });
});
