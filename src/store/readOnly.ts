// Extra read-only connections to the catalogue file, for long reads that must
// not hold the main connection: better-sqlite3 refuses every write on a
// connection while one of its statements is being iterated, so an export
// streaming for minutes over the server's connection would fail the harvest.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { Db } from "./database.ts";
import * as schema from "./schema.ts";

/** A read-only connection to a database file. */
export function openReadOnlyDatabase(file: string): Db {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  // WAL readers never block the writer nor wait for it; this only covers a checkpoint in progress.
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema }) as Db;
}

/** The file behind a connection, or null when it is in memory. */
export function databaseFile(db: Db): string | null {
  return db.$client.memory || db.$client.name === "" ? null : db.$client.name;
}
