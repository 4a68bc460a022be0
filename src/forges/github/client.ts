// The octokit client of one GitHub host: the throttling plugin, retries and a
// per-request timeout in its fetch, and the request counters of the run.
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { AdapterOptions, RequestStats } from "../forge.ts";
import { backoffMs, defaultRetryPolicy, isPermanentNetworkFailure, isRetriableStatus, noteRateLimitWait, noteRetry, retryAfterHeaderMs, type RetryPolicy } from "../retry.ts";
import { RequestTimeout } from "./errors.ts";

// Retries of transient failures happen in countingFetch, below octokit; plugin-throttling handles rate limits above it.
const GitHubOctokit = Octokit.plugin(throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface GitHubTuning {
  /** Overrides the options' retry policy (AdapterOptions.retry). */
  retry?: RetryPolicy;
  /** Rate-limit waits allowed for one request before giving up: a limit that does not lift at its announced reset is not fought. Default 3. */
  maxRateLimitWaits?: number;
}

/**
 * Every attempt, retries included, goes through this fetch: it is where the
 * requests are counted, where the timeout covers the whole exchange, body
 * included (a forge that sends headers then stalls must time out too), and
 * where transient failures are retried (src/forges/retry.ts): 5xx, 408,
 * timeouts and connection failures, with backoff and jitter, honouring
 * Retry-After. plugin-retry is not used: it ignores Retry-After on a 5xx,
 * has no jitter and never retries a timeout. Rate limits (403/429) are left to
 * plugin-throttling, which sits above this fetch.
 */
export function countingFetch(timeoutMs: number, stats: RequestStats, policy: RetryPolicy = defaultRetryPolicy, onResponse: () => void = () => {}): typeof fetch {
  const once = async (input: Parameters<typeof fetch>[0], init: RequestInit): Promise<Response> => {
    const parent = init.signal ?? undefined;
    const controller = new AbortController();
    const onAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted) onAbort();
    else parent?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new RequestTimeout(timeoutMs)), timeoutMs);
    stats.requests++;
    try {
      const response = await fetch(input, { ...init, signal: controller.signal });
      onResponse();
      if (response.status === 304) stats.notModified++;
      // The Response constructor refuses a body, even empty, for these statuses.
      const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      // undici rejects with the abort reason: our RequestTimeout when the timer fired.
      if (controller.signal.reason instanceof RequestTimeout && !parent?.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    }
  };
  return async (input, init = {}) => {
    const signal = init.signal ?? undefined;
    for (let retry = 1; ; retry++) {
      let wait: number | null;
      try {
        const response = await once(input, init);
        if (!isRetriableStatus(response.status) || retry > policy.retries) return response;
        wait = backoffMs(policy, retry, retryAfterHeaderMs(response.headers.get("retry-after")));
        if (wait === null) return response;
      } catch (error) {
        if (signal?.aborted || retry > policy.retries || isPermanentNetworkFailure(error)) throw error;
        wait = backoffMs(policy, retry);
        if (wait === null) throw error;
      }
      noteRetry(signal);
      stats.retries = (stats.retries ?? 0) + 1;
      await sleep(wait, signal);
    }
  };
}

/** Resolves after `ms`; rejects at once when the harvest stops. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function createGitHubClient(options: AdapterOptions, tuning: GitHubTuning = {}): GitHubClient {
  const maxWaits = tuning.maxRateLimitWaits ?? 3;
  // plugin-throttling calls these when GitHub refuses a request for its rate
  // limits; `retryAfter` is in seconds (primary: until x-ratelimit-reset, plus
  // one; secondary: the retry-after header, or 60 without one). Returning true
  // makes the plugin wait that long and send the request again.
  const limitHandler = (reason: string) => (retryAfter: number, request: { request?: { signal?: AbortSignal | null } }, _octokit: unknown, retryCount: number): boolean => {
    const waitMs = retryAfter * 1000;
    if (request.request?.signal?.aborted) return false;
    if (waitMs > options.maxRateLimitWaitMs) {
      options.log(`${reason}: GitHub asks to wait ${Math.ceil(retryAfter / 60)} min, more than the ${Math.round(options.maxRateLimitWaitMs / 60_000)} min allowed`);
      return false;
    }
    if (retryCount >= maxWaits) {
      options.log(`${reason}: still refused after ${retryCount} waits, giving up`);
      return false;
    }
    options.stats.rateLimitWaits++;
    noteRateLimitWait(request.request?.signal);
    options.onRateLimitWait?.(waitMs, reason);
    return true;
  };

  return new GitHubOctokit({
    baseUrl: options.apiUrl,
    ...(options.token ? { auth: options.token } : {}),
    userAgent: "code-commun-harvester",
    request: { fetch: countingFetch(options.timeoutMs, options.stats, tuning.retry ?? options.retry ?? defaultRetryPolicy, options.onResponse) },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => options.log(message),
      // @octokit/rest's request-log plugin reports every 304 and 404 here; the
      // adapter turns failures into ForgeErrors, which the run log records.
      error: () => {},
    },
    throttle: {
      // plugin-throttling keeps its request queues in module-wide groups keyed by this id:
      // one per host, so two forges never share a queue (10 concurrent requests each).
      id: `code-commun:${options.host}`,
      onRateLimit: limitHandler("waiting for the rate-limit reset"),
      onSecondaryRateLimit: limitHandler("waiting for GitHub's secondary rate limit"),
    },
  });
}
