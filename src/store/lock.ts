// A lock in the database, so that two harvests never overlap, even from two
// processes (the server's schedule and a `npm run harvest` beside it).
// The holder renews a heartbeat; a lock whose heartbeat is older than the
// stale timeout belongs to a dead process and may be taken over.
//
// The lock also records its holder's host name and pid (issue 13): a harvest
// killed with `kill -9` cannot release it, and waiting out the stale timeout
// (10 minutes) for a process that is known to be gone blocked the next
// harvest for nothing. A lock whose holder ran on this machine and is no
// longer alive is taken over at once. A holder on another machine (two
// servers sharing a database over a network file system) cannot be checked:
// its lock goes stale as before.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "./database.ts";

export interface Lock {
  holder: string;
  /** The holder this lock replaced, when it was taken over from a dead process of this machine. */
  tookOverFrom: LockHolder | null;
  /** Renews the heartbeat; false if the lock was lost (taken over as stale). */
  renew(): boolean;
  release(): void;
}

export interface LockHolder {
  holder: string;
  hostname: string | null;
  pid: number | null;
  acquiredAt: string;
  heartbeatAt: string;
}

/** Who asks for the lock: this process, unless a test says otherwise. */
export interface LockClaimant {
  hostname: string;
  pid: number;
}

/** Whether a process of this machine is alive: signal 0 checks without sending anything. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function tryAcquireLock(
  db: Db,
  name: string,
  staleMs: number,
  now = new Date(),
  claimant: LockClaimant = { hostname: os.hostname(), pid: process.pid },
): Lock | null {
  const holder = `${claimant.pid}:${randomUUID()}`;
  const client = db.$client;
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - staleMs).toISOString();
  // IMMEDIATE: the read and the write happen under one write lock across processes.
  const outcome = client.transaction((): { acquired: boolean; tookOverFrom: LockHolder | null } => {
    client.prepare("DELETE FROM locks WHERE name = ? AND heartbeat_at < ?").run(name, staleBefore);
    const current = readLock(db, name);
    let tookOverFrom: LockHolder | null = null;
    if (current && current.hostname === claimant.hostname && current.pid !== null && current.pid !== claimant.pid && !processAlive(current.pid)) {
      client.prepare("DELETE FROM locks WHERE name = ? AND holder = ?").run(name, current.holder);
      tookOverFrom = current;
    }
    const inserted = client
      .prepare("INSERT INTO locks (name, holder, acquired_at, heartbeat_at, hostname, pid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")
      .run(name, holder, nowIso, nowIso, claimant.hostname, claimant.pid);
    return { acquired: inserted.changes === 1, tookOverFrom };
  }).immediate();
  if (!outcome.acquired) return null;
  return {
    holder,
    tookOverFrom: outcome.tookOverFrom,
    renew: () =>
      client.prepare("UPDATE locks SET heartbeat_at = ? WHERE name = ? AND holder = ?").run(new Date().toISOString(), name, holder).changes === 1,
    release: () => {
      client.prepare("DELETE FROM locks WHERE name = ? AND holder = ?").run(name, holder);
    },
  };
}

export function readLock(db: Db, name: string): LockHolder | undefined {
  return db.$client
    .prepare("SELECT holder, hostname, pid, acquired_at AS acquiredAt, heartbeat_at AS heartbeatAt FROM locks WHERE name = ?")
    .get(name) as LockHolder | undefined;
}
