// The octokit client of one GitHub host: throttling and retry plugins, a
// per-request timeout, and the request counters of the run.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { AdapterOptions, RequestStats } from "../forge.ts";
import { RequestTimeout } from "./errors.ts";

// plugin-retry first, so that plugin-throttling wraps it, the order octokit.js itself uses.
const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface GitHubTuning {
  /** Retries of a 5xx or of a connection failure (not of a timeout), after the first attempt. Default 2. */
  retries?: number;
  /**
   * plugin-retry waits retryBaseMs × n² before the n-th retry: 1 s then 4 s by
   * default. Tests set 1 ms.
   */
  retryBaseMs?: number;
  /** Rate-limit waits allowed for one request before giving up: a limit that does not lift at its announced reset is not fought. Default 3. */
  maxRateLimitWaits?: number;
}

/**
 * Every attempt, retries included, goes through this fetch: it is where the
 * requests are counted, and where the timeout covers the whole exchange,
 * body included (a forge that sends headers then stalls must time out too).
 */
export function countingFetch(timeoutMs: number, stats: RequestStats): typeof fetch {
  return async (input, init = {}) => {
    const parent = init.signal ?? undefined;
    const controller = new AbortController();
    const onAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted) onAbort();
    else parent?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new RequestTimeout(timeoutMs)), timeoutMs);
    stats.requests++;
    try {
      const response = await fetch(input, { ...init, signal: controller.signal });
      if (response.status === 304) stats.notModified++;
      // The Response constructor refuses a body, even empty, for these statuses.
      const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    }
  };
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
    options.onRateLimitWait?.(waitMs, reason);
    return true;
  };

  return new GitHubOctokit({
    baseUrl: options.apiUrl,
    ...(options.token ? { auth: options.token } : {}),
    userAgent: "code-commun-harvester",
    request: { fetch: countingFetch(options.timeoutMs, options.stats) },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => options.log(message),
      // @octokit/rest's request-log plugin reports every 304 and 404 here; the
      // adapter turns failures into ForgeErrors, which the run log records.
      error: () => {},
    },
    retry: {
      retries: tuning.retries ?? 2,
      retryAfterBaseValue: tuning.retryBaseMs ?? 1000,
      // plugin-retry retries every 4xx but these by default; 429 is a rate
      // limit, plugin-throttling's business alone, so it is never retried blindly.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
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
