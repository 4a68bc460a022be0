// Backups of the catalogue with SQLite's online backup API (better-sqlite3's
// db.backup): a consistent copy while the server reads and a harvest writes.
// The copy is written beside its destination under a temporary name, checked
// (PRAGMA integrity_check) and renamed, so a backup file is always whole.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface BackupResult {
  file: string;
  bytes: number;
  durationMs: number;
}

export class BackupError extends Error {
  override name = "BackupError";
  constructor(
    readonly reason: "source_missing" | "integrity_failed" | "write_failed",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Pages copied per step; between steps other work runs. SQLite restarts a
 * backup whose source another connection modified (a harvest run from the
 * command line): after a few restarts the rest is copied in one step, which
 * holds a read snapshot and cannot be restarted.
 */
const pagesPerStep = 4096;
const restartsBeforeOneStep = 3;

/** Copies the database `source` (a file, or an open connection) to `out`. */
export async function backupDatabase(source: string | Database.Database, out: string): Promise<BackupResult> {
  const started = Date.now();
  const connection = typeof source === "string" ? openSource(source) : source;
  const target = path.resolve(out);
  const partial = `${target}.partial-${process.pid}`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let previousRemaining = Number.POSITIVE_INFINITY;
  let restarts = 0;
  try {
    await connection.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > previousRemaining) restarts++;
        previousRemaining = remainingPages;
        return restarts >= restartsBeforeOneStep ? Math.max(totalPages, 1) : pagesPerStep;
      },
    });
    // One self-contained file: the copy inherits WAL mode, which would leave -wal and -shm files beside it.
    const copy = new Database(partial);
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    const problems = integrityProblems(partial);
    if (problems.length > 0) throw new BackupError("integrity_failed", `the backup failed its integrity check: ${problems.slice(0, 3).join("; ")}`);
    fs.renameSync(partial, target);
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${partial}${suffix}`, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError("write_failed", `backup to ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (typeof source === "string") connection.close();
  }
  return { file: target, bytes: fs.statSync(target).size, durationMs: Date.now() - started };
}

function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new BackupError("source_missing", `no database at ${file}`);
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  connection.pragma("busy_timeout = 5000");
  return connection;
}

/** What PRAGMA integrity_check finds wrong in a database file; empty when it is sound. */
export function integrityProblems(file: string): string[] {
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = connection.pragma("integrity_check") as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).filter((text) => text !== "ok");
  } finally {
    connection.close();
  }
}

const backupPattern = /^catalog-\d{8}T\d{6}Z\.db$/;

/** catalog-20261130T044700Z.db: sorts by date. */
export function backupFileName(at: Date): string {
  return `catalog-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}.db`;
}

/** Deletes the oldest backups of `dir` beyond the newest `keep`; returns the files deleted. Other files are left alone. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!fs.existsSync(dir)) return [];
  const backups = fs
    .readdirSync(dir)
    .filter((name) => backupPattern.test(name))
    .sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep)).map((name) => path.join(dir, name));
  for (const file of removed) fs.rmSync(file, { force: true });
  return removed;
}

/** The daily backup: a new file in `dir`, then only the newest `keep` stay. */
export async function backupToDirectory(source: string | Database.Database, dir: string, keep: number, now = new Date()): Promise<BackupResult & { removed: string[] }> {
  const result = await backupDatabase(source, path.join(dir, backupFileName(now)));
  return { ...result, removed: pruneBackups(dir, keep) };
}
