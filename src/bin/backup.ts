// npm run backup -- [--out FILE]: a consistent copy of the catalogue while the
// server and a harvest run (SQLite's online backup API). Without --out, a
// dated file in BACKUP_DIR, keeping the newest BACKUP_KEEP. Restore: README.
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.ts";
import { backupDatabase, backupToDirectory } from "../backup/backup.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const config = loadConfig();
  const result = values.out ? await backupDatabase(config.databasePath, values.out) : await backupToDirectory(config.databasePath, config.backupDir, config.backupKeep);
  process.stderr.write(`backup of ${config.databasePath} written to ${result.file}: ${(result.bytes / 1024 / 1024).toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s, integrity checked\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
