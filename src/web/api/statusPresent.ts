// The shape of GET /api/v1/status: snake_case, no internal ids beyond run numbers.
import type { AccountStatusEntry, HarvestStatusReport, HostStatusEntry } from "../../harvest/statusReport.ts";
import type { harvestRuns } from "../../store/schema.ts";

type RunRow = typeof harvestRuns.$inferSelect;

export function toPublicHostStatus(host: HostStatusEntry) {
  return {
    host: host.host,
    forge: host.forge,
    accounts: host.accounts,
    ok: host.counts.ok,
    failed: host.counts.failed,
    skipped: host.counts.skipped,
    pending: host.counts.pending,
    last_success_at: host.lastSuccessAt,
    failures: host.failures,
    retries: host.retries,
    rate_limit_waits: host.rateLimitWaits,
  };
}

export function toPublicAccountStatus(account: AccountStatusEntry) {
  return {
    host: account.host,
    login: account.login,
    forge: account.forge,
    status: account.status,
    reason: account.reason,
    message: account.message,
    attempts: account.attempts,
    first_reason: account.firstReason,
    retries: account.retries,
    rate_limit_waits: account.rateLimitWaits,
    last_success_at: account.lastSuccessAt,
    last_run_at: account.lastRunAt,
    run_id: account.runId,
    repositories: account.repositories,
    live_repositories: account.liveRepositories,
  };
}

export function toPublicRun(run: RunRow) {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    accounts: run.accountsTotal,
    accounts_failed: run.accountsFailed,
    accounts_skipped: run.accountsSkipped,
    repositories_seen: run.repositoriesSeen,
    requests: run.requests,
    rate_limit_waits: run.rateLimitWaits,
  };
}

export function toPublicStatus(report: HarvestStatusReport, lastRun: RunRow | undefined, accounts: { items: AccountStatusEntry[]; total: number; page: number; perPage: number }) {
  return {
    scope: report.scope,
    last_run: lastRun ? toPublicRun(lastRun) : null,
    hosts: report.hosts.map(toPublicHostStatus),
    accounts: { total: accounts.total, page: accounts.page, per_page: accounts.perPage, items: accounts.items.map(toPublicAccountStatus) },
  };
}
