// A lock in the database, so that two harvests never overlap, even from two
// processes (the server's schedule and a `npm run harvest` beside it).
// The holder renews a heartbeat; a lock whose heartbeat is older than the
// stale timeout belongs to a dead process and may be taken over.
import { randomUUID } from "node:crypto";
import type { Db } from "./database.ts";

export interface Lock {
  holder: string;
  /** Renews the heartbeat; false if the lock was lost (taken over as stale). */
  renew(): boolean;
  release(): void;
}

export function tryAcquireLock(db: Db, name: string, staleMs: number, now = new Date()): Lock | null {
  const holder = `${process.pid}:${randomUUID()}`;
  const client = db.$client;
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - staleMs).toISOString();
  // IMMEDIATE: the read and the write happen under one write lock across processes.
  const acquired = client.transaction(() => {
    client.prepare("DELETE FROM locks WHERE name = ? AND heartbeat_at < ?").run(name, staleBefore);
    const inserted = client
      .prepare("INSERT INTO locks (name, holder, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")
      .run(name, holder, nowIso, nowIso);
    return inserted.changes === 1;
  }).immediate();
  if (!acquired) return null;
  return {
    holder,
    renew: () =>
      client.prepare("UPDATE locks SET heartbeat_at = ? WHERE name = ? AND holder = ?").run(new Date().toISOString(), name, holder).changes === 1,
    release: () => {
      client.prepare("DELETE FROM locks WHERE name = ? AND holder = ?").run(name, holder);
    },
  };
}

export function readLock(db: Db, name: string): { holder: string; acquiredAt: string; heartbeatAt: string } | undefined {
  return db.$client
    .prepare("SELECT holder, acquired_at AS acquiredAt, heartbeat_at AS heartbeatAt FROM locks WHERE name = ?")
    .get(name) as { holder: string; acquiredAt: string; heartbeatAt: string } | undefined;
}
