// The harvest status of the catalogue (issue 8): per forge host, its type,
// when it was last harvested successfully, which accounts fail and why, the
// retries and rate-limit waits it cost; per account, its last result. Only
// the accounts of the current sources count: an account dropped from them no
// longer shows as failing, and skipped accounts are listed with the reason the
// sources give today (unsupported forge, ignored_since).
import type { HarvestPlan } from "../sources/sources.ts";
import type { Db } from "../store/database.ts";
import { listForgeTypes, listLatestAccountResults, type AccountResultRow } from "../store/status.ts";

/** "pending": in the sources, not harvested yet. */
export type AccountState = "ok" | "failed" | "skipped" | "pending";
export const accountStates: readonly AccountState[] = ["failed", "skipped", "pending", "ok"];

export interface AccountStatusEntry {
  host: string;
  /** "" for a whole instance. */
  login: string;
  forge: string | null;
  status: AccountState;
  reason: string | null;
  message: string | null;
  /** Attempts in its last run: 2 when the run's second pass tried it again. */
  attempts: number;
  firstReason: string | null;
  retries: number;
  rateLimitWaits: number;
  lastSuccessAt: string | null;
  /** Start of the run that gave the last result; null when never harvested. */
  lastRunAt: string | null;
  runId: number | null;
  /** Repositories seen by that run. */
  repositories: number;
  /** Repositories of the account in the catalogue now. */
  liveRepositories: number;
}

export interface HostStatusEntry {
  host: string;
  forge: string | null;
  accounts: number;
  counts: Record<AccountState, number>;
  /** The latest complete harvest of any account of the host. */
  lastSuccessAt: string | null;
  /** Failing accounts by reason, most frequent first. */
  failures: Array<{ reason: string; count: number }>;
  retries: number;
  rateLimitWaits: number;
}

export interface HarvestStatusReport {
  /** "sources": the accounts of the current sources; "history": every account ever harvested (no sources at hand). */
  scope: "sources" | "history";
  hosts: HostStatusEntry[];
  /** Failures first, then skipped, pending and succeeded; by host and login. */
  accounts: AccountStatusEntry[];
}

const key = (host: string, login: string) => `${host}/${login.toLowerCase()}`;

function fromRow(row: AccountResultRow, forge: string | null): AccountStatusEntry {
  return {
    host: row.host,
    login: row.login,
    forge,
    status: row.status,
    reason: row.reason,
    message: row.message,
    attempts: row.attempts,
    firstReason: row.firstReason,
    retries: row.retries,
    rateLimitWaits: row.rateLimitWaits,
    lastSuccessAt: row.lastSuccessAt,
    lastRunAt: row.runStartedAt,
    runId: row.runId,
    repositories: row.repositories,
    liveRepositories: row.liveRepositories,
  };
}

export function buildStatusReport(db: Db, plan: HarvestPlan | null): HarvestStatusReport {
  const types = listForgeTypes(db);
  const latest = new Map(listLatestAccountResults(db).map((row) => [key(row.host, row.login), row]));
  let accounts: AccountStatusEntry[];
  if (!plan) {
    accounts = [...latest.values()].map((row) => fromRow(row, types.get(row.host) ?? null));
  } else {
    accounts = [];
    for (const account of plan.accounts) {
      const row = latest.get(key(account.forge.host, account.login));
      // A result "skipped" from the days its forge was not supported says nothing of it now.
      if (row && row.status !== "skipped") accounts.push({ ...fromRow(row, account.forge.type), login: account.login });
      else accounts.push(pending(account.forge.host, account.login, account.forge.type, row));
    }
    for (const skipped of plan.skipped) {
      const row = latest.get(key(skipped.host, skipped.login));
      accounts.push({
        ...pending(skipped.host, skipped.login, skipped.type, row),
        status: "skipped",
        reason: skipped.reason,
        message: skipped.message,
        // The run that last skipped it, when one did.
        ...(row?.status === "skipped" ? { runId: row.runId, lastRunAt: row.runStartedAt } : {}),
      });
    }
  }
  const rank = (state: AccountState) => accountStates.indexOf(state);
  accounts.sort((a, b) => rank(a.status) - rank(b.status) || a.host.localeCompare(b.host) || a.login.toLowerCase().localeCompare(b.login.toLowerCase()));
  return { scope: plan ? "sources" : "history", hosts: hostsOf(accounts), accounts };
}

function pending(host: string, login: string, forge: string | null, row: AccountResultRow | undefined): AccountStatusEntry {
  return {
    host,
    login,
    forge,
    status: "pending",
    reason: null,
    message: null,
    attempts: 0,
    firstReason: null,
    retries: 0,
    rateLimitWaits: 0,
    lastSuccessAt: row?.lastSuccessAt ?? null,
    lastRunAt: null,
    runId: null,
    repositories: 0,
    liveRepositories: row?.liveRepositories ?? 0,
  };
}

function hostsOf(accounts: AccountStatusEntry[]): HostStatusEntry[] {
  const hosts = new Map<string, HostStatusEntry & { reasons: Map<string, number> }>();
  for (const account of accounts) {
    let host = hosts.get(account.host);
    if (!host) {
      host = { host: account.host, forge: account.forge, accounts: 0, counts: { ok: 0, failed: 0, skipped: 0, pending: 0 }, lastSuccessAt: null, failures: [], retries: 0, rateLimitWaits: 0, reasons: new Map() };
      hosts.set(account.host, host);
    }
    host.accounts++;
    host.counts[account.status]++;
    host.forge ??= account.forge;
    host.retries += account.retries;
    host.rateLimitWaits += account.rateLimitWaits;
    if (account.lastSuccessAt && (!host.lastSuccessAt || account.lastSuccessAt > host.lastSuccessAt)) host.lastSuccessAt = account.lastSuccessAt;
    if (account.status === "failed") host.reasons.set(account.reason ?? "unknown", (host.reasons.get(account.reason ?? "unknown") ?? 0) + 1);
  }
  return [...hosts.values()]
    .map(({ reasons, ...host }) => ({ ...host, failures: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)) }))
    .sort((a, b) => b.counts.failed - a.counts.failed || a.host.localeCompare(b.host));
}

export interface AccountFilter {
  host?: string | undefined;
  status?: AccountState | undefined;
  reason?: string | undefined;
  /** Words found in the host, login, reason or message, case-insensitively. */
  q?: string | undefined;
}

export function filterAccounts(accounts: AccountStatusEntry[], filter: AccountFilter): AccountStatusEntry[] {
  const words = (filter.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return accounts.filter((account) => {
    if (filter.host && account.host !== filter.host) return false;
    if (filter.status && account.status !== filter.status) return false;
    if (filter.reason && account.reason !== filter.reason) return false;
    if (words.length === 0) return true;
    const text = `${account.host}/${account.login} ${account.reason ?? ""} ${account.message ?? ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
