// A real SQLite file in a fresh temporary folder, migrated, for one test.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "../../src/store/database.ts";

export interface TempDatabase {
  db: Db;
  dir: string;
  file: string;
  close(): void;
}

export function tempDatabase(): TempDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-test-"));
  const file = path.join(dir, "catalog.db");
  const db = openDatabase(file);
  return {
    db,
    dir,
    file,
    close: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
