import { expect } from "chai";
import { openDatabase } from "../../src/store/database.ts";
import { readLock, tryAcquireLock } from "../../src/store/lock.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("harvest lock", () => {
  let temp: TempDatabase;
  beforeEach(() => (temp = tempDatabase()));
  afterEach(() => temp.close());

  it("is held by one holder at a time, also across connections", () => {
    const other = openDatabase(temp.file); // a second process would open its own connection
    try {
      const lock = tryAcquireLock(temp.db, "harvest", 60_000);
      expect(lock).to.not.equal(null);
      expect(tryAcquireLock(other, "harvest", 60_000)).to.equal(null);
      lock?.release();
      const next = tryAcquireLock(other, "harvest", 60_000);
      expect(next).to.not.equal(null);
      expect(readLock(temp.db, "harvest")?.holder).to.equal(next?.holder);
    } finally {
      other.$client.close();
    }
  });

  it("is taken over when stale, and the old holder learns it lost it", () => {
    const old = tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:00:00Z"));
    expect(old).to.not.equal(null);
    expect(tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:00:30Z"))).to.equal(null);
    const taker = tryAcquireLock(temp.db, "harvest", 60_000, new Date("2026-01-01T00:05:00Z"));
    expect(taker).to.not.equal(null);
    expect(old?.renew()).to.equal(false);
    expect(taker?.renew()).to.equal(true);
    old?.release(); // must not release the new holder's lock
    expect(readLock(temp.db, "harvest")?.holder).to.equal(taker?.holder);
  });
});
