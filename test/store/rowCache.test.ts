// Rows of result pages are reused between requests while the store does not
// change (issue 13); any commit, by this connection or another, is seen at once.
import { expect } from "chai";
import { cachedRowCount, iterateLiveRepositories, listRepositoriesByPk, repositorySelect } from "../../src/store/catalog.ts";
import { openDatabase } from "../../src/store/database.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("store: rows of result pages", () => {
  let database: TempDatabase;
  beforeEach(() => {
    database = tempDatabase();
    seedCatalogue(database.db);
  });
  afterEach(() => database.close());

  const pkOf = (name: string) => (database.db.$client.prepare("SELECT pk FROM repositories WHERE name = ?").get(name) as { pk: number }).pk;

  it("sees a change written through the same connection", () => {
    const pk = pkOf("udata");
    expect(listRepositoriesByPk(database.db, [pk])[0]!.stars).to.equal(1250);
    database.db.$client.prepare("UPDATE repositories SET stars = 7 WHERE pk = ?").run(pk);
    expect(listRepositoriesByPk(database.db, [pk])[0]!.stars).to.equal(7);
  });

  it("sees a change committed by another connection (a harvest in another process), and a removal", () => {
    const [udata, adresse] = [pkOf("udata"), pkOf("api-adresse")];
    expect(listRepositoriesByPk(database.db, [udata, adresse]).map((row) => row.name)).to.deep.equal(["udata", "api-adresse"]);
    const other = openDatabase(database.file);
    try {
      other.$client.prepare("UPDATE repositories SET description = 'nouvelle' WHERE pk = ?").run(udata);
      other.$client.prepare("UPDATE repositories SET removed_at = '2026-11-30T00:00:00Z' WHERE pk = ?").run(adresse);
    } finally {
      other.$client.close();
    }
    const rows = listRepositoriesByPk(database.db, [udata, adresse]);
    expect(rows.map((row) => [row.name, row.description])).to.deep.equal([["udata", "nouvelle"]]);
  });

  it("keeps the order asked for and skips unknown keys", () => {
    const [udata, adresse] = [pkOf("udata"), pkOf("api-adresse")];
    listRepositoriesByPk(database.db, [udata]);
    expect(listRepositoriesByPk(database.db, [adresse, 999_999, udata]).map((row) => row.name)).to.deep.equal(["api-adresse", "udata"]);
  });

  // Issue 13: pages of rows are read as arrays and made into objects by hand; the same rows as the other readers give.
  it("reads every column as the catalogue's other readers do", () => {
    const pk = pkOf("udata");
    // Every kind of value: a publiccode.yml (valid), a reuse score, booleans both ways, nulls.
    database.db.$client.prepare("INSERT INTO repository_profiles (repository_pk, attempted_at, publiccode_valid) VALUES (?, '2026-11-30T00:00:00Z', 1)").run(pk);
    database.db.$client.prepare("UPDATE repositories SET archived = 1, topics = '[\"a\",\"b\"]' WHERE pk = ?").run(pk);
    const everyRow = [...iterateLiveRepositories(database.db)];
    expect(everyRow.length).to.be.greaterThan(2);
    expect(listRepositoriesByPk(database.db, everyRow.map((row) => row.pk))).to.deep.equal(everyRow);
    // Both go through the one column mapping: checked here against the table's own columns, read by name.
    const stored = database.db.$client
      .prepare("SELECT pk, host, forge, forge_id AS forgeId, owner, owner_id AS ownerId, name, full_name AS fullName, url, description, homepage, language, license, stars, forks, open_issues AS openIssues, default_branch AS defaultBranch, created_at AS createdAt, updated_at AS updatedAt, pushed_at AS pushedAt, first_seen_at AS firstSeenAt FROM repositories WHERE removed_at IS NULL")
      .all() as Record<string, unknown>[];
    expect(stored.length).to.equal(everyRow.length);
    for (const columns of stored) {
      const row = everyRow.find((candidate) => candidate.pk === columns.pk)! as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(columns)) expect(row[name], `${String(columns.name)} ${name}`).to.equal(value);
    }
    const udata = listRepositoriesByPk(database.db, [pk])[0]!;
    expect([udata.archived, udata.hasPubliccode, udata.publiccodeValid, udata.topics]).to.deep.equal([true, true, true, ["a", "b"]]);
  });

  // Issue 13: the join of publiccode_valid reads the covering index, not the profile row with its README.
  it("joins a row's publiccode.yml validity from the covering index, not the profile row", () => {
    const [udata, adresse] = [pkOf("udata"), pkOf("api-adresse")];
    const longReadme = "<p>lorem ipsum</p>".repeat(2000);
    const profile = database.db.$client.prepare("INSERT INTO repository_profiles (repository_pk, attempted_at, readme_html, publiccode_valid) VALUES (?, '2026-11-30T00:00:00Z', ?, ?)");
    profile.run(udata, longReadme, 0);
    profile.run(adresse, longReadme, null);
    const plan = (database.db.$client.prepare(`EXPLAIN QUERY PLAN ${repositorySelect}`).all() as { detail: string }[]).map((step) => step.detail);
    expect(plan.join("\n")).to.include("SEARCH p USING COVERING INDEX repository_profiles_valid");
    const rows = listRepositoriesByPk(database.db, [udata, adresse]);
    expect(rows.map((row) => [row.name, row.hasPubliccode, row.publiccodeValid])).to.deep.equal([
      ["udata", true, false],
      ["api-adresse", false, null],
    ]);
  });

  // Issue 13: a full cache drops the quarter read first, not everything.
  it("drops the rows read first when full, and keeps the rest", function () {
    this.timeout(20_000);
    const client = database.db.$client;
    const account = (client.prepare("SELECT account_id FROM repositories LIMIT 1").pluck().get()) as number;
    client
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20100)
         INSERT INTO repositories (host, forge, forge_id, account_id, owner, name, full_name, url, first_seen_at, last_seen_at, content_hash)
         SELECT 'bulk.example', 'gitea', 'r' || i, ?, 'bulk', 'r' || i, 'bulk/r' || i, 'https://bulk.example/bulk/r' || i, '2026-11-30', '2026-11-30', 'h' FROM n`,
      )
      .run(account);
    const pks = client.prepare("SELECT pk FROM repositories WHERE host = 'bulk.example' ORDER BY pk").pluck().all() as number[];
    /** Reads `some` rows and says how many rows the cache then keeps. */
    const read = (some: number[]) => {
      listRepositoriesByPk(database.db, some);
      return cachedRowCount(database.db);
    };
    expect(read(pks.slice(0, 20_000))).to.equal(20_000);
    // Past the limit: the next read finds the cache full and drops the first rows read, down to three quarters.
    expect(read(pks.slice(20_000))).to.equal(20_100);
    const after = read(pks.slice(-10));
    expect(after).to.equal(15_000);
    // The last rows read are still there (nothing read again), the first ones are not.
    expect(read(pks.slice(-5_000))).to.equal(after);
    expect(read(pks.slice(0, 10))).to.equal(after + 10);
    expect(listRepositoriesByPk(database.db, [pks[0]!, pks.at(-1)!]).map((row) => row.name)).to.deep.equal(["r1", "r20100"]);
  });
});
