// The harvest log: one row a run, one row per account and run.
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "./database.ts";
import { harvestRunAccounts, harvestRuns } from "./schema.ts";

export type RunStatus = "running" | "succeeded" | "partial" | "failed" | "interrupted";
export type RunTrigger = "cli" | "schedule" | "startup" | "demo" | "on_demand";

export interface AccountResult {
  host: string;
  login: string;
  status: "ok" | "failed" | "skipped";
  reason: string | null;
  message: string | null;
  repositories: number;
  durationMs: number;
  /** 2 when the run tried the account again after a transient failure. Default 1. */
  attempts?: number;
  /** The first attempt's reason, when there were two. */
  firstReason?: string | null;
  /** Requests retried after a transient failure. */
  retries?: number;
  rateLimitWaits?: number;
}

export interface RunTotals {
  accountsTotal: number;
  accountsFailed: number;
  accountsSkipped: number;
  repositoriesSeen: number;
  repositoriesAdded: number;
  repositoriesUpdated: number;
  repositoriesRemoved: number;
  requests: number;
  notModified: number;
  rateLimitWaits: number;
}

export function startRun(db: Db, trigger: RunTrigger, now: string): number {
  return db.insert(harvestRuns).values({ trigger, status: "running", startedAt: now }).returning({ id: harvestRuns.id }).get().id;
}

export function recordRunAccount(db: Db, runId: number, result: AccountResult): void {
  db.insert(harvestRunAccounts)
    .values({ runId, ...result })
    .onConflictDoUpdate({
      target: [harvestRunAccounts.runId, harvestRunAccounts.host, harvestRunAccounts.login],
      set: {
        status: result.status,
        reason: result.reason,
        message: result.message,
        repositories: result.repositories,
        durationMs: result.durationMs,
        attempts: result.attempts ?? 1,
        firstReason: result.firstReason ?? null,
        retries: result.retries ?? 0,
        rateLimitWaits: result.rateLimitWaits ?? 0,
      },
    })
    .run();
}

export function finishRun(db: Db, runId: number, status: RunStatus, totals: RunTotals, now: string, error: string | null = null): void {
  db.update(harvestRuns).set({ status, finishedAt: now, error, ...totals }).where(eq(harvestRuns.id, runId)).run();
}

/**
 * A process killed mid-run (power cut, SIGKILL) leaves a run "running":
 * the next process to take the harvest lock closes it as interrupted.
 */
export function closeAbandonedRuns(db: Db, now: string): number {
  return db
    .update(harvestRuns)
    .set({ status: "interrupted", finishedAt: now, error: "the process stopped before the run finished" })
    .where(eq(harvestRuns.status, "running"))
    .run().changes;
}

export function listRuns(db: Db, limit = 20) {
  return db.select().from(harvestRuns).orderBy(desc(harvestRuns.id)).limit(limit).all();
}

export function getRun(db: Db, runId: number) {
  return db.select().from(harvestRuns).where(eq(harvestRuns.id, runId)).get();
}

export function listRunAccounts(db: Db, runId: number) {
  return db
    .select()
    .from(harvestRunAccounts)
    .where(eq(harvestRunAccounts.runId, runId))
    .orderBy(sql`${harvestRunAccounts.status} = 'ok'`, harvestRunAccounts.host, harvestRunAccounts.login)
    .all();
}
