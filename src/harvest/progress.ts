// How a harvest reports itself: a redrawn progress line on a terminal, plain
// log lines otherwise (cron mail, CI logs, the server's output).
import type { AccountResult, RunTotals } from "../store/runs.ts";
import { describeAccount, type HarvestReporter, type RunSummary } from "./harvester.ts";

interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

export function createReporter(out: Output, options: { interactive?: boolean } = {}): HarvestReporter & { finish(summary: RunSummary): void } {
  const interactive = options.interactive ?? Boolean(out.isTTY);
  let total = 0;
  let done = 0;
  let waiting: string | null = null;
  let last: RunTotals | null = null;
  let drawn = false;

  const bar = () => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const counts = last ? `${last.repositoriesSeen} repositories, ${last.requests} requests (${last.notModified} not modified), ${last.rateLimitWaits} rate-limit waits` : "";
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} accounts  ${counts}${waiting ? `  ${waiting}` : ""}`;
    const columns = out.columns ?? 120;
    out.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    drawn = true;
  };
  const line = (message: string) => {
    if (interactive && drawn) out.write("\r\x1b[2K");
    out.write(`${message}\n`);
    if (interactive) bar();
  };

  return {
    runStarted: ({ runId, accounts, skipped }) => {
      total = accounts;
      line(`harvest run ${runId}: ${accounts} accounts to harvest${skipped ? `, ${skipped} skipped` : ""}`);
    },
    accountFinished: (result: AccountResult, totals: RunTotals) => {
      done++;
      last = { ...totals };
      waiting = null;
      const name = describeAccount(result.host, result.login);
      if (result.status === "failed") line(`failed ${name}: ${result.reason}: ${result.message}`);
      else if (!interactive) line(`ok ${name}: ${result.repositories} repositories in ${duration(result.durationMs)}`);
      else bar();
    },
    secondPass: ({ accounts }) => {
      total += accounts;
      line(`second pass: trying again ${accounts} account${accounts > 1 ? "s" : ""} that failed for a transient reason`);
    },
    rateLimitWait: ({ host, waitMs, reason }) => {
      const until = new Date(Date.now() + waitMs).toISOString().slice(11, 19);
      waiting = `waiting ${duration(waitMs)} for ${host} (${reason}) until ${until} UTC`;
      if (interactive) bar();
      else line(waiting);
    },
    log: (message) => line(message),
    finish: (summary) => {
      if (interactive && drawn) out.write("\r\x1b[2K");
      out.write(
        [
          `harvest run ${summary.runId} ${summary.status}:`,
          `  accounts: ${summary.accountsTotal} (${summary.accountsFailed} failed, ${summary.accountsSkipped} skipped)`,
          `  repositories: ${summary.repositoriesSeen} seen, ${summary.repositoriesAdded} added, ${summary.repositoriesUpdated} updated, ${summary.repositoriesRemoved} removed`,
          `  requests: ${summary.requests} (${summary.notModified} answered 304), rate-limit waits: ${summary.rateLimitWaits}`,
          ...failureGroups(summary.failures),
          "",
        ].join("\n"),
      );
    },
  };
}

/** Logins named per group of failures; the rest are counted. */
const loginsShown = 5;

/**
 * Failures grouped by host and reason, with one example message: an offline
 * forge of 100 accounts is one line, not a hundred.
 */
export function failureGroups(failures: AccountResult[]): string[] {
  const groups = new Map<string, AccountResult[]>();
  for (const failure of failures) {
    const key = `${failure.host}\u0000${failure.reason ?? "unknown"}`;
    const group = groups.get(key);
    if (group) group.push(failure);
    else groups.set(key, [failure]);
  }
  if (groups.size === 0) return [];
  const lines = ["  failures by host and reason:"];
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || (a[0] as AccountResult).host.localeCompare((b[0] as AccountResult).host));
  for (const group of sorted) {
    const first = group[0] as AccountResult;
    const names = group.slice(0, loginsShown).map((f) => (f.login === "" ? "(whole instance)" : f.login));
    const more = group.length > loginsShown ? ` and ${group.length - loginsShown} more` : "";
    // The example is an account that was really tried, not one failed at once because its host was down.
    const example = group.find((f) => !f.message?.startsWith("not tried:")) ?? first;
    lines.push(`    ${first.host}: ${first.reason} × ${group.length} (${names.join(", ")}${more})`);
    if (example.message) lines.push(`      e.g. ${describeAccount(example.host, example.login)}: ${example.message}`);
  }
  return lines;
}
