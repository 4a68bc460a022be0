// The daily backup as a job of the scheduler (src/schedule/): in the process
// that harvests, through the connection the harvest writes with, so SQLite
// never has to restart the copy.
import type Database from "better-sqlite3";
import type { Metrics } from "../observability/metrics.ts";
import type { Job } from "../schedule/scheduler.ts";
import { backupToDirectory } from "./backup.ts";

export interface BackupJobDeps {
  connection: Database.Database;
  cron: string;
  dir: string;
  keep: number;
  log: (message: string) => void;
  metrics?: Metrics;
}

export function backupJob(deps: BackupJobDeps): Job {
  return {
    name: "backup",
    cron: deps.cron,
    run: async () => {
      try {
        const result = await backupToDirectory(deps.connection, deps.dir, deps.keep);
        deps.metrics?.backups.inc({ status: "ok" });
        deps.metrics?.backupBytes.set(result.bytes);
        deps.log(`backup written to ${result.file}: ${(result.bytes / 1024 / 1024).toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s${result.removed.length ? `, ${result.removed.length} old backups removed` : ""}`);
      } catch (error) {
        deps.metrics?.backups.inc({ status: "failed" });
        throw error;
      }
    },
  };
}
