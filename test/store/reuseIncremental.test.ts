// The reuse graph's incremental write (issue 10, store/reuse.ts
// replaceReuseGraph): a rebuild writes only the rows that changed, in one
// transaction, and leaves the store exactly as a rebuild from an empty graph.
import Database from "better-sqlite3";
import { expect } from "chai";
import type { ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import { rebuildReuse } from "../../src/reuse/rebuild.ts";
import type { Db } from "../../src/store/database.ts";
import { findRepositoryReuse, lastReuseBuild, listReuseEdges, packageUsage, reuseDirections } from "../../src/store/reuse.ts";
import { reuseIds, reuseInputs, reuseNow, seedReuse, seedReuseRepositories } from "../helpers/reuseFixture.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const graphTables = ["repository_reuse", "reuse_edges", "reuse_packages", "reuse_package_uses"] as const;

/** Every row of every graph table, sorted, without what only says when or in which order a row was written (edge ids, built_at). */
function dump(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const columns: Record<string, string> = {
    repository_reuse: "id, repository_pk, owner_key, public_body_id, reuser_key, reuse, reusers, reused_by_count, reuse_score, criteria",
    reuse_edges: "kind, from_id, to_id, ecosystem, package_name, scope, across_bodies",
    reuse_packages: "ecosystem, name, publisher_id, ambiguous",
    reuse_package_uses: "ecosystem, name, repository_id, scope",
    reuse_external_packages: "rank, ecosystem, name, dependents, reusers",
    reuse_external_upstreams: "rank, upstream, forks, reusers",
  };
  for (const [table, list] of Object.entries(columns)) {
    out[table] = (db.$client.prepare(`SELECT ${list} FROM ${table}`).raw().all() as unknown[][]).map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

/** Row ids and contents of the graph tables: a row rewritten (even to the same content) gets a new id or shows as changed. */
function rowVersions(db: Db): string[] {
  return graphTables.flatMap((table) => (db.$client.prepare(`SELECT rowid, * FROM ${table} ORDER BY rowid`).raw().all() as unknown[][]).map((row) => `${table} ${JSON.stringify(row)}`));
}

/** What the read API answers for every repository of the fixture. */
function readAll(db: Db, ids: readonly string[]): unknown {
  return ids.map((id) => ({
    reuse: findRepositoryReuse(db, id),
    edges: reuseDirections.map((direction) => listReuseEdges(db, id, direction, { limit: 100, offset: 0 })),
  }));
}

/** alpha/app now needs alpha-lib as a dev dependency only (it needed it at run time). */
function withAppDevOnly(inputs: ReuseRepositoryInput[]): ReuseRepositoryInput[] {
  return inputs.map((input) =>
    input.id !== reuseIds.app ? input : { ...input, dependencies: input.dependencies.map((d) => (d.name === "alpha-lib" ? { ...d, scope: "dev" as const } : d)) },
  );
}

describe("reuse store: incremental rebuild", () => {
  let temp: TempDatabase;
  beforeEach(() => {
    temp = tempDatabase();
  });
  afterEach(() => temp.close());

  it("writes no graph row when nothing changed, and still records the build", () => {
    const first = seedReuse(temp.db);
    expect(first.changes.inserted).to.be.greaterThan(10);
    expect(first.changes.deleted).to.equal(0);
    const before = rowVersions(temp.db);
    const again = rebuildReuse(temp.db, reuseInputs(), new Date(reuseNow.getTime() + 60_000));
    expect(again.changes).to.deep.equal({ deleted: 0, inserted: 0, updated: 0 });
    expect(again.writeMs).to.be.a("number");
    expect(rowVersions(temp.db)).to.deep.equal(before);
    // The unchanged rows belong to the last build.
    expect(lastReuseBuild(temp.db)!.builtAt).to.equal(new Date(reuseNow.getTime() + 60_000).toISOString());
    expect(findRepositoryReuse(temp.db, reuseIds.lib)!.builtAt).to.equal(new Date(reuseNow.getTime() + 60_000).toISOString());
  });

  it("rewrites only what one changed dependency touches", () => {
    seedReuse(temp.db);
    const before = new Set(rowVersions(temp.db));
    const result = rebuildReuse(temp.db, withAppDevOnly(reuseInputs()), reuseNow);
    // The edge app -> lib (its scope is in its key: one delete, one insert) and app's package use
    // (scope updated); no repository's reuse facts carry a scope, so none is rewritten.
    const changed = rowVersions(temp.db).filter((row) => !before.has(row));
    expect(changed.map((row) => row.split(" ")[0]).sort()).to.deep.equal(["reuse_edges", "reuse_package_uses"]);
    expect(result.changes).to.deep.equal({ deleted: 1, inserted: 1, updated: 1 });
    expect(packageUsage(temp.db, { ecosystem: "npm", name: "alpha-lib" }, { limit: 10, offset: 0 }).dependents.items).to.deep.include({ id: reuseIds.app, scope: "dev" });
    expect(listReuseEdges(temp.db, reuseIds.app, "dependencies", { limit: 10, offset: 0 }).items.find((e) => e.to === reuseIds.lib)!.scope).to.equal("dev");
  });

  it("removes every row of a repository gone from the harvest", () => {
    seedReuse(temp.db);
    const result = rebuildReuse(temp.db, reuseInputs([reuseIds.tool]), reuseNow);
    expect(result.changes.deleted).to.be.greaterThan(0);
    expect(findRepositoryReuse(temp.db, reuseIds.tool)).to.equal(null);
    for (const [table, column] of [
      ["repository_reuse", "id"],
      ["reuse_edges", "from_id"],
      ["reuse_edges", "to_id"],
      ["reuse_packages", "publisher_id"],
      ["reuse_package_uses", "repository_id"],
    ] as const) {
      expect((temp.db.$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(reuseIds.tool) as { n: number }).n, `${table}.${column}`).to.equal(0);
    }
  });

  it("leaves every table as a rebuild from an empty graph would, through a series of harvests", () => {
    seedReuse(temp.db);
    const steps = [reuseInputs([reuseIds.tool]), withAppDevOnly(reuseInputs()), reuseInputs([reuseIds.site, reuseIds.libFork]), reuseInputs()];
    const fresh = tempDatabase();
    try {
      seedReuseRepositories(fresh.db);
      for (const [i, inputs] of steps.entries()) {
        const at = new Date(reuseNow.getTime() + (i + 1) * 3_600_000);
        rebuildReuse(temp.db, inputs, at);
        fresh.db.$client.exec(graphTables.map((table) => `DELETE FROM ${table};`).join(""));
        rebuildReuse(fresh.db, inputs, at);
        expect(dump(temp.db), `step ${i}`).to.deep.equal(dump(fresh.db));
        expect(readAll(temp.db, Object.values(reuseIds)), `step ${i}`).to.deep.equal(readAll(fresh.db, Object.values(reuseIds)));
      }
    } finally {
      fresh.close();
    }
  });

  it("diffs hostile package names exactly: quotes, control characters, names outside the BMP", () => {
    const names = ["😀-emoji", "\uE000-private", "quote\"d", "new\nline", "nul\u0000in", "é-accent"];
    const hostile = (scope: "runtime" | "dev", skip = ""): ReuseRepositoryInput[] =>
      reuseInputs().map((input) =>
        input.id !== reuseIds.site
          ? input
          : { ...input, dependencies: [...input.dependencies, ...names.filter((name) => name !== skip).map((name) => ({ ecosystem: "npm" as const, name, scope, requirement: null }))] },
      );
    seedReuseRepositories(temp.db);
    rebuildReuse(temp.db, hostile("runtime"), reuseNow);
    const before = rowVersions(temp.db);
    expect(rebuildReuse(temp.db, hostile("runtime"), reuseNow).changes).to.deep.equal({ deleted: 0, inserted: 0, updated: 0 });
    expect(rowVersions(temp.db)).to.deep.equal(before);
    // Every scope changed (6 updates), then one name gone (its use deleted; beta/site's reuse facts count one external dependency fewer).
    expect(rebuildReuse(temp.db, hostile("dev"), reuseNow).changes).to.deep.equal({ deleted: 0, inserted: 0, updated: 6 });
    expect(rebuildReuse(temp.db, hostile("dev", "nul\u0000in"), reuseNow).changes).to.deep.equal({ deleted: 1, inserted: 0, updated: 1 });
    expect(packageUsage(temp.db, { ecosystem: "npm", name: "nul\u0000in" }, { limit: 10, offset: 0 }).dependents.total).to.equal(0);
    expect(packageUsage(temp.db, { ecosystem: "npm", name: "😀-emoji" }, { limit: 10, offset: 0 }).dependents.items).to.deep.equal([{ id: reuseIds.site, scope: "dev" }]);
    const fresh = tempDatabase();
    try {
      seedReuseRepositories(fresh.db);
      rebuildReuse(fresh.db, hostile("dev", "nul\u0000in"), reuseNow);
      expect(dump(temp.db)).to.deep.equal(dump(fresh.db));
    } finally {
      fresh.close();
    }
  });

  it("shows a reader on another connection the old graph or the new one, never half", () => {
    seedReuse(temp.db);
    const reader = new Database(temp.file, { readonly: true });
    try {
      const count = (): number => (reader.prepare("SELECT (SELECT count(*) FROM reuse_edges) + (SELECT count(*) FROM repository_reuse) AS n").get() as { n: number }).n;
      const before = count();
      // Called by SQLite from inside the write transaction, after each row written: the reader must still see the old graph.
      const seen: number[] = [];
      temp.db.$client.function("peek", () => {
        seen.push(count());
        return 0;
      });
      temp.db.$client.exec(`
        CREATE TEMP TRIGGER peek_edges_in AFTER INSERT ON reuse_edges BEGIN SELECT peek(); END;
        CREATE TEMP TRIGGER peek_edges_out AFTER DELETE ON reuse_edges BEGIN SELECT peek(); END;
        CREATE TEMP TRIGGER peek_repositories AFTER DELETE ON repository_reuse BEGIN SELECT peek(); END;`);
      rebuildReuse(temp.db, reuseInputs([reuseIds.tool]), reuseNow);
      expect(seen.length).to.be.greaterThan(2);
      expect(seen.every((n) => n === before)).to.equal(true);
      const after = count();
      expect(after).to.be.lessThan(before);
      expect(findRepositoryReuse(temp.db, reuseIds.tool)).to.equal(null);
    } finally {
      reader.close();
    }
  });
});
