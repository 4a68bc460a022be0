// One harvest run: every account of the sources, each on its own. A failing
// account is recorded with its reason and never stops the others, nor erases
// what earlier runs harvested for it.
import { setMaxListeners } from "node:events";
import type { Config } from "../config/config.ts";
import { ForgeError, type FailureReason, type ForgeAdapter, type HarvestEvent, type RequestStats } from "../forges/forge.ts";
import { isChallengeRepository } from "../declarations/challenge.ts";

import type { ForgeRegistry } from "../forges/registry.ts";
import { withAccountCounters, type AccountCounters, type RetryPolicy } from "../forges/retry.ts";
import { harvestProfiles, type ProfileTotals } from "../profiles/harvestProfiles.ts";
import type { Account, ForgeSource } from "../sources/sources.ts";
import { planHarvest } from "../sources/sources.ts";
import { selectFromPlan, type HarvestSelection } from "./selection.ts";
import type { Db } from "../store/database.ts";
import {
  ensureAccount,
  findKnownRepository,
  findOwnerId,
  loadKnownRepositories,
  markRemoved,
  readCache,
  recordAccountResult,
  upsertForge,
  upsertOwner,
  upsertRepositories,
  writeCache,
} from "../store/harvestStore.ts";
import { finishRun, recordRunAccount, startRun, type AccountResult, type RunStatus, type RunTotals, type RunTrigger } from "../store/runs.ts";

export interface HarvestReporter {
  runStarted?(info: { runId: number; accounts: number; skipped: number }): void;
  accountStarted?(account: { host: string; login: string }): void;
  accountFinished?(result: AccountResult, totals: RunTotals): void;
  rateLimitWait?(info: { host: string; waitMs: number; reason: string }): void;
  /** Every account has been tried; `accounts` that failed for a transient reason are tried once more. */
  secondPass?(info: { accounts: number }): void;
  log?(message: string): void;
  /** Issue 10: the reuse graph was rebuilt after the run (harvestJob.ts). */
  reuseRebuilt?(result: { repositories: number; edges: number; durationMs: number; loadMs: number }): void;
}

export interface HarvestDeps {
  db: Db;
  sources: ForgeSource[];
  registry: ForgeRegistry;
  config: Pick<Config, "tokens" | "httpTimeoutMs" | "harvestConcurrency" | "maxRateLimitWaitMs">;
  trigger: RunTrigger;
  /** Aborting stops the run at a clean point: no new account starts, running ones stop between writes. */
  signal?: AbortSignal;
  reporter?: HarvestReporter;
  now?: () => Date;
  /** Only these accounts or hosts (a harvest on demand); absent: every account of the sources. */
  selection?: HarvestSelection;
  /** Retries of a request that failed for a transient reason; default: defaultRetryPolicy. Tests use a 1 ms base. */
  retryPolicy?: RetryPolicy;
  /**
   * Pause before the second pass over transiently failed accounts, in
   * milliseconds (default 30 s): a forge restarting or behind a flapping
   * proxy gets that much more time than the retries of one request give it.
   */
  secondPassDelayMs?: number;
  /** Fetch repository profiles (README, publiccode.yml...) where the adapter can (issue 9). Default true. */
  profiles?: boolean;
}

/** Failures that may well not happen again a few seconds later: worth a second pass in the same run (rate_limited: only when the limit lifts within the allowed wait). */
export const transientReasons: ReadonlySet<string> = new Set<FailureReason>(["server_error", "timeout", "network_error", "rate_limited"]);

export interface RunSummary extends RunTotals {
  runId: number;
  status: RunStatus;
  failures: AccountResult[];
  /** Requests retried after a transient failure, over the run. */
  retries: number;
  /** Repository profiles fetched and failed in this run (issue 9). */
  profiles: ProfileTotals;
}

export function describeAccount(host: string, login: string): string {
  return login ? `${host}/${login}` : `${host} (whole instance)`;
}

export async function runHarvest(deps: HarvestDeps): Promise<RunSummary> {
  const { db, registry, reporter = {} } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const signal = deps.signal ?? new AbortController().signal;
  // Each running account listens to the signal (one listener per adapter walk): allow as many, with margin.
  setMaxListeners(Math.max(10, deps.config.harvestConcurrency * 2 + 10), signal);
  const fullPlan = planHarvest(deps.sources, new Set(registry.types()), now().slice(0, 10));
  // Throws SelectionError, before the run is logged, when the selection names what the sources do not list.
  const plan = deps.selection ? selectFromPlan(fullPlan, deps.selection) : fullPlan;
  const runId = startRun(db, deps.trigger, now());
  const stats: RequestStats = { requests: 0, notModified: 0, rateLimitWaits: 0, retries: 0 };
  const totals: RunTotals = {
    accountsTotal: plan.accounts.length + plan.skipped.length,
    accountsFailed: 0,
    accountsSkipped: plan.skipped.length,
    repositoriesSeen: 0,
    repositoriesAdded: 0,
    repositoriesUpdated: 0,
    repositoriesRemoved: 0,
    requests: 0,
    notModified: 0,
    rateLimitWaits: 0,
  };
  const syncStats = () => Object.assign(totals, { requests: stats.requests, notModified: stats.notModified, rateLimitWaits: stats.rateLimitWaits });
  /** The latest result of each account, by host/login. */
  const results = new Map<string, AccountResult>();
  const resultKey = (host: string, login: string) => `${host}/${login.toLowerCase()}`;
  const profileTotals: ProfileTotals = { fetched: 0, failed: 0 };
  reporter.runStarted?.({ runId, accounts: plan.accounts.length, skipped: plan.skipped.length });

  for (const skipped of plan.skipped) {
    const result: AccountResult = { host: skipped.host, login: skipped.login, status: "skipped", reason: skipped.reason, message: skipped.message, repositories: 0, durationMs: 0 };
    recordRunAccount(db, runId, result);
    if (skipped.reason === "unsupported_forge") reporter.log?.(`skipped ${describeAccount(skipped.host, skipped.login)}: ${skipped.message}`);
  }

  /** The hosts of the current pass: reachable, being probed, or down. */
  let hostGate = new HostGate();
  const adapters = new Map<string, ForgeAdapter>();
  const adapterFor = (forge: ForgeSource): ForgeAdapter => {
    let adapter = adapters.get(forge.host);
    if (!adapter) {
      const apiUrl = forge.api ?? registry.defaultApiUrl(forge.type, forge.host);
      upsertForge(db, { host: forge.host, type: forge.type, apiUrl, psoId: forge.psoId }, now());
      adapter = registry.create(forge.type, {
        apiUrl,
        host: forge.host,
        ...(deps.config.tokens[forge.host] ? { token: deps.config.tokens[forge.host] } : {}),
        timeoutMs: deps.config.httpTimeoutMs,
        maxRateLimitWaitMs: deps.config.maxRateLimitWaitMs,
        stats,
        log: (message) => reporter.log?.(`${forge.host}: ${message}`),
        onRateLimitWait: (waitMs, reason) => reporter.rateLimitWait?.({ host: forge.host, waitMs, reason }),
        ...(deps.retryPolicy ? { retry: deps.retryPolicy } : {}),
        onResponse: () => hostGate.answered(forge.host),
      });
      adapters.set(forge.host, adapter);
    }
    return adapter;
  };

  /** Accounts tried so far in this run: the second pass adds its attempt to the first one's counters. */
  const previous = new Map<string, AccountResult>();
  /** Accounts refused by a rate limit that lifts within the allowed wait: worth the second pass. */
  const rateLimitLifts = new Set<string>();

  const finishAccount = (account: Account, accountId: number, outcome: AccountResult): AccountResult => {
    const earlier = previous.get(resultKey(account.forge.host, account.login));
    const result: AccountResult = earlier
      ? {
          ...outcome,
          attempts: (earlier.attempts ?? 1) + 1,
          firstReason: earlier.reason,
          retries: (earlier.retries ?? 0) + (outcome.retries ?? 0),
          rateLimitWaits: (earlier.rateLimitWaits ?? 0) + (outcome.rateLimitWaits ?? 0),
        }
      : outcome;
    totals.repositoriesSeen += result.repositories - (earlier?.repositories ?? 0);
    results.set(resultKey(account.forge.host, account.login), result);
    recordRunAccount(db, runId, result);
    recordAccountResult(db, accountId, { runId, status: result.status, reason: result.reason, error: result.message, at: now() });
    syncStats();
    reporter.accountFinished?.(result, currentTotals());
    return result;
  };

  /** An account of a host known to be down in this pass: failed at once, without a request. */
  const failAtOnce = (account: Account, down: AccountResult): AccountResult => {
    const { host } = account.forge;
    const accountId = ensureAccount(db, host, account.login);
    return finishAccount(account, accountId, {
      host,
      login: account.login,
      status: "failed",
      reason: down.reason,
      message: `not tried: ${host} could not be reached for ${describeAccount(host, down.login)} in this pass (${down.message ?? down.reason})`,
      repositories: 0,
      durationMs: 0,
      retries: 0,
      rateLimitWaits: 0,
    });
  };

  const harvestOne = async (account: Account): Promise<AccountResult> => {
    const { host } = account.forge;
    const started = Date.now();
    reporter.accountStarted?.({ host, login: account.login });
    const accountId = ensureAccount(db, host, account.login);
    const known = loadKnownRepositories(db, host, accountId);
    const present = new Set<string>();
    const ownerIds = new Map<string, number | null>();
    const ownerId = (login: string): number | null => {
      const key = login.toLowerCase();
      if (!ownerIds.has(key)) ownerIds.set(key, findOwnerId(db, host, login));
      return ownerIds.get(key) ?? null;
    };
    const counters: AccountCounters = { retries: 0, rateLimitWaits: 0 };
    let result: AccountResult;
    try {
      // The account's own scope: retries and rate-limit waits count against it wherever its requests are queued.
      // AbortSignal.any adds no listener to the harvest signal: no MaxListeners warning however many accounts.
      const accountSignal = AbortSignal.any([signal]);
      await withAccountCounters(counters, accountSignal, async () => {
        const events = adapterFor(account.forge).harvestAccount(account, {
          signal: accountSignal,
          cached: (key) => readCache(db, key),
          known: (forgeId) => known.get(forgeId) ?? findKnownRepository(db, host, forgeId),
          log: (message) => reporter.log?.(`${describeAccount(host, account.login)}: ${message}`),
        });
        for await (const event of events) {
          if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
          applyEvent(event);
        }
      });
      // Only a complete listing tells what disappeared.
      const removed = db.transaction(() => markRemoved(db, accountId, present, known, now()));
      totals.repositoriesRemoved += removed;
      // Profiles (issue 9): only after a complete listing, and never failing the account.
      const reader = adapterFor(account.forge).profiles;
      if (reader && deps.profiles !== false) {
        const fetched = await harvestProfiles({
          db,
          reader,
          accountId,
          signal,
          now,
          log: (message) => reporter.log?.(`${describeAccount(host, account.login)}: ${message}`),
        });
        profileTotals.fetched += fetched.fetched;
        profileTotals.failed += fetched.failed;
        syncStats();
      }
      result = { host, login: account.login, status: "ok", reason: null, message: null, repositories: present.size, durationMs: Date.now() - started, ...counters };
    } catch (error) {
      const forgeError = error instanceof ForgeError ? error : null;
      const reason = signal.aborted ? "interrupted" : (forgeError?.reason ?? "internal_error");
      const message = error instanceof Error ? error.message : String(error);
      if (forgeError?.retryAfterMs !== undefined && forgeError.retryAfterMs <= deps.config.maxRateLimitWaitMs) rateLimitLifts.add(resultKey(host, account.login));
      result = { host, login: account.login, status: "failed", reason, message, repositories: present.size, durationMs: Date.now() - started, ...counters };
    }
    return finishAccount(account, accountId, result);

    function applyEvent(event: HarvestEvent): void {
      const at = now();
      db.transaction(() => {
        if (event.type === "owner") {
          const id = upsertOwner(db, host, event.owner, account, at);
          ownerIds.set(event.owner.login.toLowerCase(), id);
        } else {
          for (const forgeId of event.unchanged) present.add(forgeId);
          // A declaration's proof repository (issue 11) is never catalogued: left out, it counts as gone.
          const repositories = event.repositories.filter((repository) => !isChallengeRepository(repository.name));
          for (const repository of repositories) present.add(repository.forgeId);
          const counts = upsertRepositories(db, { host, forge: account.forge.type, accountId, ownerIds: ownerId }, repositories, known, at);
          totals.repositoriesAdded += counts.added;
          totals.repositoriesUpdated += counts.updated;
        }
        if (event.cache) writeCache(db, event.cache, at);
      });
    }
  };

  let status: RunStatus;
  let fatal: string | null = null;
  try {
    await runPool(plan.accounts, deps.config.harvestConcurrency, signal, hostGate, harvestOne, failAtOnce);
    // Once every account has been tried, one more pass over those that failed for a transient reason.
    const again = plan.accounts.filter((account) => {
      const result = results.get(resultKey(account.forge.host, account.login));
      if (result?.status !== "failed") return false;
      // A rate limit is only worth another try when it lifts within the wait a run allows.
      return result.reason === "rate_limited" ? rateLimitLifts.has(resultKey(account.forge.host, account.login)) : transientReasons.has(result.reason ?? "");
    });
    if (again.length > 0 && !signal.aborted) {
      for (const account of again) previous.set(resultKey(account.forge.host, account.login), results.get(resultKey(account.forge.host, account.login)) as AccountResult);
      reporter.secondPass?.({ accounts: again.length });
      reporter.log?.(`trying again ${again.length} account${again.length > 1 ? "s" : ""} that failed for a transient reason`);
      await pause(deps.secondPassDelayMs ?? 30_000, signal);
      // Hosts found down in the first pass are tried again: each is probed by one account first.
      hostGate = new HostGate();
      await runPool(again, deps.config.harvestConcurrency, signal, hostGate, harvestOne, failAtOnce);
    }
    syncStats();
    const failed = currentTotals().accountsFailed;
    status = signal.aborted ? "interrupted" : failed > 0 ? (failed === plan.accounts.length ? "failed" : "partial") : "succeeded";
  } catch (error) {
    fatal = error instanceof Error ? error.message : String(error);
    status = "failed";
  }
  const final = currentTotals();
  finishRun(db, runId, status, final, now(), fatal);
  if (fatal !== null) throw new Error(`harvest run ${runId} failed: ${fatal}`);
  return { runId, status, failures: failuresOf(), ...final, retries: stats.retries ?? 0, profiles: profileTotals };

  function failuresOf(): AccountResult[] {
    return [...results.values()].filter((r) => r.status === "failed" && r.reason !== "interrupted");
  }

  function currentTotals(): RunTotals {
    totals.accountsFailed = failuresOf().length;
    return totals;
  }
}

/** Resolves after `ms`, or at once when the harvest stops. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * What a pass knows of each host. The first account of a host probes it while
 * the host's other accounts wait (other hosts go on); as soon as the host
 * answers anything (any HTTP status), it is "up" and they start. A host that
 * could not be reached at all (DNS failure, connection refused: reason
 * network_error) is "down", and its remaining accounts fail at once, with
 * that reason, instead of each spending its own retries on the same failure
 * (the official list, offline: 369 accounts, 1,107 requests, 6 minutes).
 */
type HostState = "probing" | "up" | { down: AccountResult };

class HostGate {
  private readonly states = new Map<string, HostState>();
  private waiting: Array<() => void> = [];

  get(host: string): HostState | undefined {
    return this.states.get(host);
  }

  set(host: string, state: HostState): void {
    const wasProbing = this.states.get(host) === "probing";
    this.states.set(host, state);
    if (wasProbing && state !== "probing") this.wakeUp();
  }

  /** The host sent an HTTP answer: its accounts need not wait for the probe to finish. */
  answered(host: string): void {
    if (this.states.get(host) === "probing") this.set(host, "up");
  }

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  wakeUp(): void {
    const sleepers = this.waiting;
    this.waiting = [];
    for (const wake of sleepers) wake();
  }
}

/**
 * Runs `work` over `accounts`, `concurrency` at a time, starting no new one
 * once `signal` is aborted; accounts of a host found down go to `failAtOnce`.
 */
async function runPool(
  accounts: Account[],
  concurrency: number,
  signal: AbortSignal,
  hosts: HostGate,
  work: (account: Account) => Promise<AccountResult>,
  failAtOnce: (account: Account, down: AccountResult) => AccountResult,
): Promise<void> {
  const queue = [...accounts];
  /** The next account whose host is not being probed; "wait" when every one left is. */
  const take = (): Account | "wait" | null => {
    for (let i = 0; i < queue.length; i++) {
      if (hosts.get((queue[i] as Account).forge.host) === "probing") continue;
      return queue.splice(i, 1)[0] as Account;
    }
    return queue.length > 0 ? "wait" : null;
  };
  const worker = async () => {
    while (!signal.aborted) {
      const account = take();
      if (account === null) return;
      if (account === "wait") {
        await hosts.wait();
        continue;
      }
      const host = account.forge.host;
      const state = hosts.get(host);
      if (typeof state === "object") {
        failAtOnce(account, state.down);
        continue;
      }
      if (state === undefined) hosts.set(host, "probing");
      const result = await work(account);
      if (result.reason === "network_error") hosts.set(host, { down: result });
      else if (hosts.get(host) === "probing") hosts.set(host, "up");
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  hosts.wakeUp();
}
