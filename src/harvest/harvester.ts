// One harvest run: every account of the sources, each on its own. A failing
// account is recorded with its reason and never stops the others, nor erases
// what earlier runs harvested for it.
import { setMaxListeners } from "node:events";
import type { Config } from "../config/config.ts";
import { ForgeError, type ForgeAdapter, type HarvestEvent, type RequestStats } from "../forges/forge.ts";
import type { ForgeRegistry } from "../forges/registry.ts";
import { harvestProfiles, type ProfileTotals } from "../profiles/harvestProfiles.ts";
import type { Account, ForgeSource } from "../sources/sources.ts";
import { planHarvest } from "../sources/sources.ts";
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
  log?(message: string): void;
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
  /** Fetch repository profiles (README, publiccode.yml...) where the adapter can (issue 9). Default true. */
  profiles?: boolean;
}

export interface RunSummary extends RunTotals {
  runId: number;
  status: RunStatus;
  failures: AccountResult[];
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
  const plan = planHarvest(deps.sources, new Set(registry.types()), now().slice(0, 10));
  const runId = startRun(db, deps.trigger, now());
  const stats: RequestStats = { requests: 0, notModified: 0, rateLimitWaits: 0 };
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
  const failures: AccountResult[] = [];
  const profileTotals: ProfileTotals = { fetched: 0, failed: 0 };
  reporter.runStarted?.({ runId, accounts: plan.accounts.length, skipped: plan.skipped.length });

  for (const skipped of plan.skipped) {
    const result: AccountResult = { host: skipped.host, login: skipped.login, status: "skipped", reason: skipped.reason, message: skipped.message, repositories: 0, durationMs: 0 };
    recordRunAccount(db, runId, result);
    if (skipped.reason === "unsupported_forge") reporter.log?.(`skipped ${describeAccount(skipped.host, skipped.login)}: ${skipped.message}`);
  }

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
      });
      adapters.set(forge.host, adapter);
    }
    return adapter;
  };

  const harvestOne = async (account: Account): Promise<void> => {
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
    let result: AccountResult;
    try {
      const events = adapterFor(account.forge).harvestAccount(account, {
        signal,
        cached: (key) => readCache(db, key),
        known: (forgeId) => known.get(forgeId) ?? findKnownRepository(db, host, forgeId),
        log: (message) => reporter.log?.(`${describeAccount(host, account.login)}: ${message}`),
      });
      for await (const event of events) {
        if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
        applyEvent(event);
      }
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
      result = { host, login: account.login, status: "ok", reason: null, message: null, repositories: present.size, durationMs: Date.now() - started };
    } catch (error) {
      const forgeError = error instanceof ForgeError ? error : null;
      const reason = forgeError?.reason ?? (signal.aborted ? "interrupted" : "internal_error");
      const message = error instanceof Error ? error.message : String(error);
      result = { host, login: account.login, status: "failed", reason, message, repositories: present.size, durationMs: Date.now() - started };
      if (reason !== "interrupted") {
        totals.accountsFailed++;
        failures.push(result);
      }
    }
    recordRunAccount(db, runId, result);
    recordAccountResult(db, accountId, { runId, status: result.status, reason: result.reason, error: result.message, at: now() });
    totals.repositoriesSeen += present.size;
    syncStats();
    reporter.accountFinished?.(result, totals);

    function applyEvent(event: HarvestEvent): void {
      const at = now();
      db.transaction(() => {
        if (event.type === "owner") {
          const id = upsertOwner(db, host, event.owner, account, at);
          ownerIds.set(event.owner.login.toLowerCase(), id);
        } else {
          for (const forgeId of event.unchanged) present.add(forgeId);
          for (const repository of event.repositories) present.add(repository.forgeId);
          const counts = upsertRepositories(db, { host, forge: account.forge.type, accountId, ownerIds: ownerId }, event.repositories, known, at);
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
    await runPool(plan.accounts, deps.config.harvestConcurrency, signal, harvestOne);
    syncStats();
    status = signal.aborted ? "interrupted" : totals.accountsFailed > 0 ? (totals.accountsFailed === plan.accounts.length ? "failed" : "partial") : "succeeded";
  } catch (error) {
    fatal = error instanceof Error ? error.message : String(error);
    status = "failed";
  }
  finishRun(db, runId, status, totals, now(), fatal);
  if (fatal !== null) throw new Error(`harvest run ${runId} failed: ${fatal}`);
  return { runId, status, failures, ...totals, profiles: profileTotals };
}

/** Runs `work` over `items`, `concurrency` at a time, starting no new item once `signal` is aborted. */
async function runPool<T>(items: T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
