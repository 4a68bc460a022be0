// The harvest log as pages: runs, and the latest result of every account.
import type { AccountStatusEntry, HostStatusEntry } from "../../harvest/statusReport.ts";
import type { harvestRuns } from "../../store/schema.ts";
import type { AccountResultRow } from "../../store/status.ts";
import { isMessageKey, type MessageKey, type Translator } from "../i18n/index.ts";
import { ownerPath, runPath, withQuery } from "../urls.ts";

type RunRow = typeof harvestRuns.$inferSelect;

/** DSFR badge variant of each state. */
type Tone = "success" | "error" | "warning" | "info";

const runTones: Record<string, Tone> = { succeeded: "success", partial: "warning", failed: "error", interrupted: "warning", running: "info" };
const accountTones: Record<string, Tone> = { ok: "success", failed: "error", skipped: "info" };

export interface RunView {
  id: number;
  href: string;
  label: string;
  trigger: string;
  status: string;
  tone: Tone;
  startedAt: string;
  finishedAt: string | null;
  duration: string | null;
  accountsTotal: number;
  accountsFailed: number;
  accountsSkipped: number;
  repositoriesSeen: number;
  repositoriesAdded: number;
  repositoriesUpdated: number;
  repositoriesRemoved: number;
  error: string | null;
  totals: string;
}

export interface AccountResultView {
  anchor: string;
  host: string;
  label: string;
  wholeInstance: boolean;
  /** The owner's page, or the forge's repositories for a whole instance; null when nothing is in the catalogue. */
  href: string | null;
  status: string;
  tone: Tone;
  reason: string | null;
  message: string | null;
  lastSuccessAt: string | null;
  liveRepositories: number;
  runId: number;
  runLabel: string;
  runHref: string;
  /** Issue 8: "2 (8 requests retried)". */
  attempts: string | null;
  /** Said when the run's second pass tried the account again. */
  secondAttempt: string | null;
}

/** A label for a state or reason code; a code we do not know yet is shown as it is. */
function label(i18n: Translator, key: string, fallback: () => string): string {
  return isMessageKey(key) ? i18n.t(key as MessageKey) : fallback();
}

function duration(startedAt: string, finishedAt: string | null, i18n: Translator): string | null {
  if (!finishedAt) return null;
  const seconds = Math.max(0, Math.round((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000));
  if (!Number.isFinite(seconds)) return null;
  return seconds < 60 ? i18n.t("status.seconds", { count: seconds }) : i18n.t("status.minutes", { minutes: Math.floor(seconds / 60), seconds: seconds % 60 });
}

export function toRunView(run: RunRow, i18n: Translator): RunView {
  return {
    id: run.id,
    href: runPath(run.id),
    label: i18n.t("status.runNumber", { id: String(run.id) }),
    trigger: label(i18n, `run.trigger.${run.trigger}`, () => run.trigger),
    status: label(i18n, `run.status.${run.status}`, () => run.status),
    tone: runTones[run.status] ?? "info",
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    duration: duration(run.startedAt, run.finishedAt, i18n),
    accountsTotal: run.accountsTotal,
    accountsFailed: run.accountsFailed,
    accountsSkipped: run.accountsSkipped,
    repositoriesSeen: run.repositoriesSeen,
    repositoriesAdded: run.repositoriesAdded,
    repositoriesUpdated: run.repositoriesUpdated,
    repositoriesRemoved: run.repositoriesRemoved,
    error: run.error,
    // Each count is its own message so that it takes its plural form.
    totals: i18n.t("status.runTotals", {
      accounts: i18n.t("status.runTotals.accounts", { count: run.accountsTotal }),
      failed: i18n.t("status.runTotals.failed", { count: run.accountsFailed }),
      skipped: i18n.t("status.runTotals.skipped", { count: run.accountsSkipped }),
      seen: i18n.t("status.runTotals.seen", { count: run.repositoriesSeen }),
      added: i18n.t("status.runTotals.added", { count: run.repositoriesAdded }),
      updated: i18n.t("status.runTotals.updated", { count: run.repositoriesUpdated }),
      removed: i18n.t("status.runTotals.removed", { count: run.repositoriesRemoved }),
      requests: i18n.t("status.runTotals.requests", { count: run.requests }),
      notModified: i18n.t("status.runTotals.notModified", { count: run.notModified }),
      waits: i18n.t("status.runTotals.waits", { count: run.rateLimitWaits }),
    }),
  };
}

export function toAccountResultView(row: AccountResultRow, i18n: Translator): AccountResultView {
  const wholeInstance = row.login === "";
  return {
    anchor: `account-${row.host}/${row.login}`.replace(/\s+/g, "-"),
    host: row.host,
    label: wholeInstance ? i18n.t("status.wholeInstance") : row.login,
    wholeInstance,
    href: row.liveRepositories === 0 ? null : wholeInstance ? withQuery("/repositories", { host: row.host }) : ownerPath(row.host, row.login),
    status: label(i18n, `account.status.${row.status}`, () => row.status),
    tone: accountTones[row.status] ?? "info",
    reason: row.reason === null ? null : label(i18n, `reason.${row.reason}`, () => i18n.t("reason.other", { reason: row.reason ?? "" })),
    message: row.message,
    lastSuccessAt: row.lastSuccessAt,
    liveRepositories: row.liveRepositories,
    runId: row.runId,
    runLabel: i18n.t("status.runNumber", { id: String(row.runId) }),
    runHref: runPath(row.runId),
    attempts: row.status === "skipped" ? null : i18n.t("status.attemptsValue", { attempts: row.attempts, retries: i18n.t("status.retriesValue", { count: row.retries }) }),
    secondAttempt: secondAttemptNote(row.status, row.attempts, row.firstReason, i18n),
  };
}

function secondAttemptNote(status: string, attempts: number, firstReason: string | null, i18n: Translator): string | null {
  if (attempts < 2 || !firstReason) return null;
  const reason = label(i18n, `reason.${firstReason}`, () => i18n.t("reason.other", { reason: firstReason }));
  return status === "ok" ? i18n.t("status.secondAttempt", { reason }) : i18n.t("status.secondAttemptFailed", { reason });
}

// ---- Issue 8: the status of the current sources, per host and per account ----

const stateTones: Record<string, Tone> = { ok: "success", failed: "error", skipped: "info", pending: "info" };

export interface HostView {
  host: string;
  href: string;
  forge: string | null;
  accounts: number;
  failed: number;
  failures: string[];
  lastSuccessAt: string | null;
  retries: number;
  rateLimitWaits: number;
}

export interface StatusAccountView extends Omit<AccountResultView, "runId" | "runLabel" | "runHref"> {
  runLabel: string | null;
  runHref: string | null;
}

function reasonLabel(i18n: Translator, reason: string): string {
  return label(i18n, `reason.${reason}`, () => i18n.t("reason.other", { reason }));
}

export function toHostView(host: HostStatusEntry, i18n: Translator): HostView {
  return {
    host: host.host,
    href: withQuery("/status", { host: host.host }),
    forge: host.forge,
    accounts: host.accounts,
    failed: host.counts.failed,
    failures: host.failures.map((f) => i18n.t("status.failureCount", { reason: reasonLabel(i18n, f.reason), count: f.count })),
    lastSuccessAt: host.lastSuccessAt,
    retries: host.retries,
    rateLimitWaits: host.rateLimitWaits,
  };
}

export function toStatusAccountView(account: AccountStatusEntry, i18n: Translator): StatusAccountView {
  const wholeInstance = account.login === "";
  const secondAttempt = secondAttemptNote(account.status, account.attempts, account.firstReason, i18n);
  return {
    anchor: `account-${account.host}/${account.login}`.replace(/\s+/g, "-"),
    host: account.host,
    label: wholeInstance ? i18n.t("status.wholeInstance") : account.login,
    wholeInstance,
    href: account.liveRepositories === 0 ? null : wholeInstance ? withQuery("/repositories", { host: account.host }) : ownerPath(account.host, account.login),
    status: label(i18n, `account.status.${account.status}`, () => account.status),
    tone: stateTones[account.status] ?? "info",
    reason: account.reason === null ? null : reasonLabel(i18n, account.reason),
    message: account.message,
    lastSuccessAt: account.lastSuccessAt,
    liveRepositories: account.liveRepositories,
    runLabel: account.runId === null ? null : i18n.t("status.runNumber", { id: String(account.runId) }),
    runHref: account.runId === null ? null : runPath(account.runId),
    attempts: account.runId === null || account.status === "skipped" ? null : i18n.t("status.attemptsValue", { attempts: account.attempts, retries: i18n.t("status.retriesValue", { count: account.retries }) }),
    secondAttempt,
  };
}
