// Read side of the harvest log for the status page: what happened to each
// account the last time it was harvested, so an administration can see why
// its repositories are missing.
import type { Db } from "./database.ts";

export interface AccountResultRow {
  host: string;
  /** "" for a whole instance. */
  login: string;
  runId: number;
  runStartedAt: string;
  status: "ok" | "failed" | "skipped";
  reason: string | null;
  message: string | null;
  /** Repositories seen by that run. */
  repositories: number;
  durationMs: number;
  /** Last complete harvest of the account, ISO; null if never. */
  lastSuccessAt: string | null;
  /** Repositories of the account in the catalogue now. */
  liveRepositories: number;
  /** 2 when the run tried the account again in its second pass. */
  attempts: number;
  /** The first attempt's reason, when there were two. */
  firstReason: string | null;
  /** Requests retried after a transient failure. */
  retries: number;
  rateLimitWaits: number;
}

export type AccountStatus = AccountResultRow["status"];

const resultColumns = `h.host, h.login, h.run_id AS runId, hr.started_at AS runStartedAt, h.status, h.reason, h.message,
       h.repositories, h.duration_ms AS durationMs, a.last_success_at AS lastSuccessAt,
       h.attempts, h.first_reason AS firstReason, h.retries, h.rate_limit_waits AS rateLimitWaits,
       (SELECT count(*) FROM repositories x WHERE x.account_id = a.id AND x.removed_at IS NULL) AS liveRepositories`;

// Failures first: they are what a visitor of the status page comes for.
const resultOrder = `CASE h.status WHEN 'failed' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END, h.host, lower(h.login)`;

/** The latest result of every account ever harvested, optionally of one status. */
export function listLatestAccountResults(db: Db, status?: AccountStatus): AccountResultRow[] {
  return db.$client
    .prepare(
      `WITH latest AS (SELECT host, lower(login) AS key, max(run_id) AS runId FROM harvest_run_accounts GROUP BY host, lower(login))
       SELECT ${resultColumns}
         FROM latest l
         JOIN harvest_run_accounts h ON h.run_id = l.runId AND h.host = l.host AND lower(h.login) = l.key
         JOIN harvest_runs hr ON hr.id = h.run_id
         LEFT JOIN accounts a ON a.host = h.host AND lower(a.login) = l.key
        WHERE ? IS NULL OR h.status = ?
        ORDER BY ${resultOrder}`,
    )
    .all(status ?? null, status ?? null) as AccountResultRow[];
}

/** The results of every account in one run. */
export function listRunResults(db: Db, runId: number): AccountResultRow[] {
  return db.$client
    .prepare(
      `SELECT ${resultColumns}
         FROM harvest_run_accounts h
         JOIN harvest_runs hr ON hr.id = h.run_id
         LEFT JOIN accounts a ON a.host = h.host AND lower(a.login) = lower(h.login)
        WHERE h.run_id = ?
        ORDER BY ${resultOrder}`,
    )
    .all(runId) as AccountResultRow[];
}

/** How many accounts are in each status, over their latest results. */
export function countLatestAccountStatuses(db: Db): Record<AccountStatus, number> {
  const rows = db.$client
    .prepare(
      `WITH latest AS (SELECT host, lower(login) AS key, max(run_id) AS runId FROM harvest_run_accounts GROUP BY host, lower(login))
       SELECT h.status, count(*) AS n FROM latest l
         JOIN harvest_run_accounts h ON h.run_id = l.runId AND h.host = l.host AND lower(h.login) = l.key
        GROUP BY h.status`,
    )
    .all() as { status: AccountStatus; n: number }[];
  const counts: Record<AccountStatus, number> = { ok: 0, failed: 0, skipped: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** The forge software of each host harvested so far (the forges table). */
export function listForgeTypes(db: Db): Map<string, string> {
  const rows = db.$client.prepare("SELECT host, type FROM forges").all() as { host: string; type: string }[];
  return new Map(rows.map((row) => [row.host, row.type]));
}
