// The one place where a GitLab or Gitea request is sent, retried, throttled
// and judged. Every call those adapters make, through gitbeaker or not, ends
// here, so the policy below is written once:
//   - one timeout per HTTP attempt (body included), combined with the harvest signal;
//   - 429 (and 403 with RateLimit-Remaining: 0) waits for Retry-After or
//     RateLimit-Reset when that is within maxRateLimitWaitMs, else rate_limited;
//   - a response saying RateLimit-Remaining: 0 pauses every request of the host
//     until the reset, instead of spending one more request on a 429;
//   - 5xx, 408, timeouts and dropped connections are retried as src/forges/retry.ts
//     says (4 times, exponential backoff with jitter, Retry-After honoured);
//   - anything but JSON (an HTML maintenance or login page) is invalid_response.
import { ForgeError, type AdapterOptions } from "./forge.ts";
import { cleanText } from "./normalise.ts";
import { backoffMs, defaultRetryPolicy, isPermanentNetworkFailure, isRetriableStatus, noteRateLimitWait, noteRetry, retryAfterHeaderMs } from "./retry.ts";

export interface JsonResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
}

type TransportOptions = Pick<AdapterOptions, "host" | "timeoutMs" | "maxRateLimitWaitMs" | "stats" | "log" | "onRateLimitWait" | "retry" | "onResponse"> & {
  /** The header that carries the token, to tell a refused token from a missing one. */
  tokenHeader?: string;
};
/** 429s in a row for one request before giving up, even when each wait is acceptable. */
const maxRateLimitRetries = 5;
/** Wait when a 429 says nothing of when to come back, in milliseconds: GitLab's throttles count per minute. */
const defaultRateLimitWaitMs = 60_000;
/** RateLimit-Reset above this is a Unix time (GitLab), below it a delay in seconds (the IETF draft). */
const epochThresholdSeconds = 1_000_000_000;

export class JsonTransport {
  /** Epoch ms before which no request of this host is sent (a rate limit is exhausted). */
  private pausedUntil = 0;
  /** The pause already counted in stats and reported, so concurrent requests report it once. */
  private reportedPause = 0;
  private pauseReason = "";

  constructor(private readonly options: TransportOptions) {}

  async get(url: URL, headers: Record<string, string>, scope: AbortScope): Promise<JsonResponse> {
    const what = `GET ${decodeURIComponent(url.pathname)}`;
    const { status, headers: responseHeaders, text } = await this.exchange(url, headers, scope, null);
    if (status === 304) return { status, headers: responseHeaders, body: null };
    return { status, headers: responseHeaders, body: parseJson(text ?? "", responseHeaders["content-type"] ?? "", this.options.host, what) };
  }

  /**
   * A POST of a JSON body answered in JSON: GitLab's GraphQL endpoint (issue 9),
   * read-only queries only, with the same retries and rate limits as a GET.
   */
  async postJson(url: URL, headers: Record<string, string>, body: unknown, scope: AbortScope): Promise<JsonResponse> {
    const what = `POST ${decodeURIComponent(url.pathname)}`;
    const init = { method: "POST", body: JSON.stringify(body) };
    const { status, headers: responseHeaders, text } = await this.exchange(url, { ...headers, "content-type": "application/json" }, scope, null, init);
    return { status, headers: responseHeaders, body: parseJson(text ?? "", responseHeaders["content-type"] ?? "", this.options.host, what) };
  }

  /**
   * A raw file (repository profiles, issue 9), with the same retries and rate
   * limits as JSON, its body read up to maxBytes: beyond, the exchange stops
   * and `text` is null.
   */
  async getRaw(url: URL, headers: Record<string, string>, scope: AbortScope, maxBytes: number): Promise<{ status: number; headers: Record<string, string>; text: string | null }> {
    return this.exchange(url, headers, scope, maxBytes);
  }

  private async exchange(
    url: URL,
    headers: Record<string, string>,
    scope: AbortScope,
    maxBytes: number | null,
    init: { method: string; body: string } | null = null,
  ): Promise<{ status: number; headers: Record<string, string>; text: string | null }> {
    const what = `${init?.method ?? "GET"} ${decodeURIComponent(url.pathname)}`;
    const policy = this.options.retry ?? defaultRetryPolicy;
    let retries = 0;
    let rateLimited = 0;
    /** The wait before the next attempt after a transient failure, or null when the retries are spent. */
    const retryWait = (retryAfterMs: number | null = null): number | null => (retries >= policy.retries ? null : backoffMs(policy, retries + 1, retryAfterMs));
    const retryAfter = async (wait: number) => {
      retries++;
      noteRetry(scope.signal);
      this.options.stats.retries = (this.options.stats.retries ?? 0) + 1;
      await sleep(wait, scope);
    };
    for (;;) {
      await this.waitForPause(scope);
      const outcome = await this.attempt(url, headers, scope, what, maxBytes, init);

      if (outcome.kind === "network" || outcome.kind === "timeout") {
        const wait = outcome.kind === "network" && isPermanentNetworkFailure(outcome.error) ? null : retryWait();
        if (wait !== null) {
          await retryAfter(wait);
          continue;
        }
        if (outcome.kind === "timeout") throw outcome.error;
        throw new ForgeError("network_error", `${this.options.host} cannot be reached (${outcome.detail}) on ${what}${attemptsNote(retries)}`, { cause: outcome.error });
      }

      const { response, text } = outcome;
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (responseHeaders[name] = value));
      this.notePause(responseHeaders);
      const status = response.status;

      if (status === 429 || (status === 403 && responseHeaders["ratelimit-remaining"] === "0")) {
        const waitMs = rateLimitWaitMs(responseHeaders) ?? defaultRateLimitWaitMs;
        if (waitMs > this.options.maxRateLimitWaitMs) {
          throw new ForgeError(
            "rate_limited",
            `${this.options.host} is rate limiting the harvest (${status} on ${what}); the limit resets in ${seconds(waitMs)}, ` +
              `beyond the ${seconds(this.options.maxRateLimitWaitMs)} a run waits`,
            { retryAfterMs: waitMs },
          );
        }
        if (++rateLimited > maxRateLimitRetries) {
          throw new ForgeError("rate_limited", `${this.options.host} still answers ${status} to ${what} after ${maxRateLimitRetries} waits for its rate limit`, { retryAfterMs: waitMs });
        }
        this.pause(Date.now() + waitMs, `${status} on ${what}`);
        continue;
      }
      if (isRetriableStatus(status)) {
        const wait = retryWait(retryAfterHeaderMs(responseHeaders["retry-after"]));
        if (wait !== null) {
          await retryAfter(wait);
          continue;
        }
        throw new ForgeError("server_error", `${this.options.host} answered ${status} ${response.statusText} to ${what}, ${retries + 1} times${errorDetail(text)}`);
      }
      if (status === 401 || status === 403) {
        const hint = (this.options.tokenHeader ?? "private-token") in headers ? "is the token for this host valid?" : "the instance may require a token (FORGE_TOKENS)";
        throw new ForgeError("unauthorized", `${this.options.host} refused access (${status}) to ${what}${errorDetail(text)}: ${hint}`);
      }
      if (status === 404) {
        throw new ForgeError("not_found", `${this.options.host} answered 404 to ${what}${errorDetail(text)}`);
      }
      // An answer to If-None-Match (Gitea, Forgejo): the caller has the cached payload.
      if (status === 304 && "if-none-match" in headers) {
        this.options.stats.notModified++;
        return { status, headers: responseHeaders, text: null };
      }
      if (status < 200 || status >= 300) {
        throw new ForgeError("invalid_response", `${this.options.host} answered an unexpected ${status} to ${what}${errorDetail(text)}`);
      }
      return { status, headers: responseHeaders, text };
    }
  }

  /** One HTTP exchange, body read included, under its own timeout. */
  private async attempt(
    url: URL,
    headers: Record<string, string>,
    scope: AbortScope,
    what: string,
    maxBytes: number | null = null,
    init: { method: string; body: string } | null = null,
  ): Promise<
    { kind: "response"; response: Response; text: string | null } | { kind: "network"; detail: string; error: unknown } | { kind: "timeout"; error: ForgeError }
  > {
    if (scope.aborted) throw interrupted();
    // A controller per attempt, tied to the harvest through the account's scope
    // rather than AbortSignal.any(harvest, AbortSignal.timeout()): no listener
    // added to the run-long harvest signal per request, and a timer cleared as
    // soon as the body is read instead of one pending per request made.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const unwatch = scope.watch(() => controller.abort());
    this.options.stats.requests++;
    try {
      const response = await fetch(url, { headers, signal: controller.signal, ...(init ?? {}) });
      this.options.onResponse?.();
      const text = maxBytes === null || !response.ok ? await response.text() : await boundedText(response, maxBytes, controller);
      return { kind: "response", response, text };
    } catch (error) {
      if (scope.aborted) throw interrupted();
      if (timedOut) {
        return { kind: "timeout", error: new ForgeError("timeout", `${this.options.host} did not answer within ${seconds(this.options.timeoutMs)} (${what})`, { cause: error }) };
      }
      return { kind: "network", detail: networkDetail(error), error };
    } finally {
      clearTimeout(timer);
      unwatch();
    }
  }

  /** Waits out a pause set by a 429 or an exhausted RateLimit-Remaining, reporting it once. */
  private async waitForPause(scope: AbortScope): Promise<void> {
    const waitMs = this.pausedUntil - Date.now();
    if (waitMs <= 0) return;
    if (waitMs > this.options.maxRateLimitWaitMs) {
      throw new ForgeError(
        "rate_limited",
        `${this.options.host} rate limit is exhausted (${this.pauseReason}) and resets in ${seconds(waitMs)}, beyond the ${seconds(this.options.maxRateLimitWaitMs)} a run waits`,
        { retryAfterMs: waitMs },
      );
    }
    if (this.reportedPause !== this.pausedUntil) {
      this.reportedPause = this.pausedUntil;
      this.options.stats.rateLimitWaits++;
      noteRateLimitWait(scope.signal);
      this.options.onRateLimitWait?.(waitMs, this.pauseReason);
      this.options.log(`rate limited (${this.pauseReason}): waiting ${seconds(waitMs)}`);
    }
    await sleep(waitMs, scope);
  }

  private pause(until: number, reason: string): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.pauseReason = reason;
  }

  /** GitLab.com sends RateLimit-* on every response: at 0 left, hold further requests until the reset. */
  private notePause(headers: Record<string, string>): void {
    if (headers["ratelimit-remaining"] !== "0") return;
    const waitMs = rateLimitWaitMs(headers);
    if (waitMs !== null && waitMs > 0) this.pause(Date.now() + waitMs, "RateLimit-Remaining: 0");
  }
}

/**
 * Milliseconds until the forge accepts requests again, from Retry-After
 * (seconds or an HTTP date), RateLimit-Reset or GitLab's RateLimit-ResetTime;
 * null when none says. Never below 1 s: a reset already past by our clock is
 * clock skew, and retrying at once would spend a request on another 429.
 */
export function rateLimitWaitMs(headers: Record<string, string>, now = Date.now()): number | null {
  const retryAfter = headers["retry-after"]?.trim();
  let at: number | null = null;
  if (retryAfter) at = /^\d+$/.test(retryAfter) ? now + Number(retryAfter) * 1000 : dateOrNull(retryAfter);
  const reset = headers["ratelimit-reset"]?.trim();
  if (at === null && reset && /^\d+$/.test(reset)) {
    const value = Number(reset);
    at = value > epochThresholdSeconds ? value * 1000 : now + value * 1000;
  }
  if (at === null && headers["ratelimit-resettime"]) at = dateOrNull(headers["ratelimit-resettime"]);
  return at === null ? null : Math.max(1_000, at - now);
}

function dateOrNull(text: string): number | null {
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : time;
}

function parseJson(text: string, contentType: string, host: string, what: string): unknown {
  if (text === "") return null;
  if (/html/i.test(contentType) || /^\s*</.test(text)) {
    throw new ForgeError("invalid_response", `${host} sent an HTML page instead of JSON to ${what}: a maintenance page, a login wall or a proxy error?`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ForgeError("invalid_response", `${host} sent malformed JSON to ${what} (${(error as Error).message})`, { cause: error });
  }
}

/** GitLab's own explanation of an error ({"message": ...} or {"error": ...}), when it gives one. */
/** The body as UTF-8 text, or null (and the exchange cancelled) as soon as it passes maxBytes. */
async function boundedText(response: Response, maxBytes: number, controller: AbortController): Promise<string | null> {
  // Stop reading, then drop the connection: what an abandoned body throws while closing is of no interest.
  const abandon = async (reader?: ReadableStreamDefaultReader<Uint8Array>) => {
    await (reader ? reader.cancel() : response.body?.cancel())?.catch(() => {});
    controller.abort();
    return null;
  };
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return abandon();
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) return abandon(reader);
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function errorDetail(text: string | null): string {
  if (text === null) return "";
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const detail = cleanText(typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : null, 200);
    return detail ? `: "${detail}"` : "";
  } catch {
    return "";
  }
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND...) in error.cause. */
function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function attemptsNote(retries: number): string {
  return retries > 0 ? `, ${retries + 1} times` : "";
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function interrupted(): ForgeError {
  return new ForgeError("interrupted", "the harvest was stopped");
}

/**
 * The harvest signal of one account walk, watched by a single listener however
 * many requests and waits are pending: Node warns from 11 listeners on one
 * signal, and accounts × detail requests in flight go well beyond.
 */
export class AbortScope {
  private readonly pending = new Set<() => void>();
  private readonly onAbort = () => {
    for (const abort of [...this.pending]) abort();
  };

  constructor(readonly signal: AbortSignal) {
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** Calls `abort` if the harvest stops before the returned function is called. */
  watch(abort: () => void): () => void {
    this.pending.add(abort);
    return () => this.pending.delete(abort);
  }

  close(): void {
    this.signal.removeEventListener("abort", this.onAbort);
    this.pending.clear();
  }
}

/** Resolves after `ms`, or rejects as interrupted as soon as the harvest stops. */
function sleep(ms: number, scope: AbortScope): Promise<void> {
  if (scope.aborted) return Promise.reject(interrupted());
  return new Promise((resolve, reject) => {
    const unwatch = scope.watch(() => {
      clearTimeout(timer);
      reject(interrupted());
    });
    const timer = setTimeout(() => {
      unwatch();
      resolve();
    }, ms);
  });
}
