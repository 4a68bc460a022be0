// How a request that failed for a transient reason is tried again, for every
// forge: the policy (how many times, how long to wait) lives here, once; each
// transport applies it around its own HTTP exchange.
//
// A forge in trouble answers 500/502/503, times out or drops connections for
// a while (issue 8: a first harvest lost a whole account of 150 repositories
// to a page that answered 502 three times in a row). So a request is retried
// at least 4 times, with exponential backoff and jitter (many accounts failing
// together must not come back together), honouring Retry-After; never for
// 400/401/403/404/422, which another attempt will not change.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** The n-th retry waits between baseMs × 2^(n-1) / 2 and baseMs × 2^(n-1), in milliseconds. Tests set 1. */
  baseMs: number;
  /** Longest single wait, in milliseconds: a Retry-After beyond it ends the retries (the forge asks for longer than a run waits on a 5xx). */
  maxMs: number;
}

/** 4 retries: about 0.5 + 1 + 2 + 4 s of backoff at most 15 s, per request. */
export const defaultRetryPolicy: RetryPolicy = { retries: 4, baseMs: 1_000, maxMs: 60_000 };

/** Statuses worth another attempt: server errors and the request timeout. */
export function isRetriableStatus(status: number): boolean {
  return status >= 500 || status === 408;
}

/**
 * Milliseconds to wait before retry number `retry` (1-based): "equal jitter",
 * half of the exponential step fixed and half random, so that it never
 * collapses to zero; a Retry-After of the forge is a floor. null: do not
 * retry, the forge asks for more than maxMs.
 */
export function backoffMs(policy: RetryPolicy, retry: number, retryAfterMs: number | null = null, random: () => number = Math.random): number | null {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = step / 2 + random() * (step / 2);
  if (retryAfterMs !== null) {
    if (retryAfterMs > policy.maxMs) return null;
    return Math.max(retryAfterMs, jittered);
  }
  return Math.round(jittered);
}

/** Retry-After as milliseconds from now: seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterHeaderMs(value: string | null | undefined, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * What one account cost, counted wherever its requests go (octokit's queues,
 * a transport shared by the accounts of a host) without threading a counter
 * through every call: the harvester runs each account in its own scope.
 */
export interface AccountCounters {
  /** Requests sent again after a transient failure. */
  retries: number;
  /** Waits for a rate limit. */
  rateLimitWaits: number;
}

const accountScope = new AsyncLocalStorage<AccountCounters>();
/**
 * The account's own abort signal, which every request of the account carries
 * down to fetch, is the reliable key: octokit's queues (Bottleneck) may run a
 * request from another account's async context. The async context is the
 * fallback for code that has no signal at hand.
 */
const countersBySignal = new WeakMap<AbortSignal, AccountCounters>();

/** Runs one account's walk: `signal` (derived from the harvest's) must be the one its requests carry. */
export function withAccountCounters<T>(counters: AccountCounters, signal: AbortSignal, run: () => T): T {
  countersBySignal.set(signal, counters);
  return accountScope.run(counters, run);
}

function countersOf(signal: AbortSignal | null | undefined): AccountCounters | undefined {
  return (signal ? countersBySignal.get(signal) : undefined) ?? accountScope.getStore();
}

export function noteRetry(signal?: AbortSignal | null): void {
  const counters = countersOf(signal);
  if (counters) counters.retries++;
}

export function noteRateLimitWait(signal?: AbortSignal | null): void {
  const counters = countersOf(signal);
  if (counters) counters.rateLimitWaits++;
}

/**
 * A connection failure that another attempt a few seconds later will not
 * change: the name does not exist in the DNS (ENOTFOUND; EAI_AGAIN, a DNS
 * server that did not answer, is retried). The run's second pass still tries
 * the host again. Saves the official list, with forges long gone, four
 * backoffs per vanished host.
 */
export function isPermanentNetworkFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if ((current as { code?: unknown }).code === "ENOTFOUND") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
