import { expect } from "chai";
import { openDatabase } from "../../src/store/database.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("store migrations", () => {
  let temp: TempDatabase;
  afterEach(() => temp?.close());

  it("run every migration on an empty database, in WAL mode", () => {
    temp = tempDatabase();
    const client = temp.db.$client;
    const tables = (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).to.include.members(["forges", "accounts", "owners", "repositories", "http_cache", "harvest_runs", "harvest_run_accounts", "locks"]);
    expect(client.pragma("journal_mode", { simple: true })).to.equal("wal");
    expect(client.pragma("foreign_keys", { simple: true })).to.equal(1);
    // Issue 13: a file is read through a memory map (pages of the store without a read() call each).
    expect(client.pragma("mmap_size", { simple: true })).to.equal(256 * 1024 * 1024);
  });

  it("are applied once: opening again changes nothing and keeps the data", () => {
    temp = tempDatabase();
    temp.db.$client.prepare("INSERT INTO forges (host, type, updated_at) VALUES ('github.com', 'github', '2026-01-01')").run();
    const applied = temp.db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    temp.db.$client.close();
    const again = openDatabase(temp.file);
    try {
      expect(again.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).to.deep.equal(applied);
      expect(again.$client.prepare("SELECT host FROM forges").all()).to.deep.equal([{ host: "github.com" }]);
    } finally {
      again.$client.close();
      temp.db = openDatabase(temp.file);
    }
  });

  it("keep one repository per forge id and host", () => {
    temp = tempDatabase();
    const client = temp.db.$client;
    client.prepare("INSERT INTO accounts (host, login) VALUES ('github.com', 'etalab')").run();
    const insert = client.prepare(
      "INSERT INTO repositories (host, forge, forge_id, account_id, owner, name, full_name, url, first_seen_at, last_seen_at, content_hash) VALUES ('github.com', 'github', '42', 1, 'etalab', ?, ?, 'https://github.com/x', 'now', 'now', 'h')",
    );
    insert.run("a", "etalab/a");
    expect(() => insert.run("b", "etalab/b")).to.throw(/UNIQUE/);
  });
});
