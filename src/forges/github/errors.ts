// Turns what octokit throws into a ForgeError with a stable reason and a
// message a person can act on.
import { ForgeError } from "../forge.ts";

/** The shape of @octokit/request-error's RequestError (name "HttpError"), without depending on that package. */
export interface HttpError extends Error {
  status: number;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof Error && error.name === "HttpError" && typeof (error as { status?: unknown }).status === "number";
}

export function hasStatus(error: unknown, status: number): boolean {
  return isHttpError(error) && error.response !== undefined && error.status === status;
}

/**
 * Our per-request timeout. Its name is "AbortError" on purpose: octokit's
 * fetch wrapper passes an AbortError through untouched, while any other fetch
 * failure becomes a "500" without response. countingFetch retries a timeout
 * like a 5xx before it gets that far.
 */
export class RequestTimeout extends Error {
  override name = "AbortError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

/** A 403 or 429 that is GitHub's primary or secondary rate limit, not a refusal. */
export function isRateLimit(error: HttpError): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  return header(error, "x-ratelimit-remaining") === "0" || header(error, "retry-after") !== undefined || /rate limit/i.test(error.message);
}

/** Milliseconds until GitHub takes requests again, from retry-after or x-ratelimit-reset. */
function rateLimitWait(error: HttpError): number | undefined {
  const retryAfter = Number(header(error, "retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(header(error, "x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

function rateLimitMessage(error: HttpError, what: string): string {
  const retryAfter = Number(header(error, "retry-after"));
  const reset = Number(header(error, "x-ratelimit-reset")); // epoch seconds
  const until = Number.isFinite(retryAfter) && retryAfter > 0
    ? ` for ${Math.ceil(retryAfter / 60)} min`
    : Number.isFinite(reset) && reset > 0
      ? ` until ${new Date(reset * 1000).toISOString()}`
      : "";
  return `GitHub's rate limit stopped ${what}: the API refuses requests${until}, longer than we are allowed to wait`;
}

/**
 * `what` names the resource in words, e.g. "organisation or user 'etalab'".
 * `signal` is the harvest's: an abort it caused is an interruption, not a failure.
 */
export function toForgeError(error: unknown, what: string, signal: AbortSignal): ForgeError {
  if (error instanceof ForgeError) return error;
  if (error instanceof RequestTimeout) {
    return new ForgeError("timeout", `GitHub did not answer within ${error.timeoutMs / 1000} s for ${what}`, { cause: error });
  }
  if (signal.aborted) return new ForgeError("interrupted", "the harvest was stopped", { cause: error });
  if (!isHttpError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ForgeError("internal_error", `harvesting ${what} failed: ${message}`, { cause: error });
  }
  if (!error.response) {
    // octokit reports a fetch that failed without any answer (refused, reset, DNS) as a 500 without response.
    return new ForgeError("network_error", `could not reach GitHub for ${what}: ${error.message}`, { cause: error });
  }
  const { status } = error;
  if (status === 404 || status === 410) return new ForgeError("not_found", `GitHub answered ${status} for ${what}`, { cause: error });
  if (isRateLimit(error)) {
    const wait = rateLimitWait(error);
    return new ForgeError("rate_limited", rateLimitMessage(error, what), { cause: error, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
  }
  if (status === 401) return new ForgeError("unauthorized", `GitHub answered 401 for ${what}: the token is missing its rights, expired or revoked`, { cause: error });
  if (status === 403 || status === 451) {
    return new ForgeError("unauthorized", `GitHub answered ${status} for ${what}: access refused (${error.message})`, { cause: error });
  }
  if (status >= 500) return new ForgeError("server_error", `GitHub answered ${status} for ${what}, again after retrying`, { cause: error });
  if (status === 304) return new ForgeError("invalid_response", `GitHub answered 304 for ${what} to a request that was not conditional`, { cause: error });
  return new ForgeError("invalid_response", `GitHub answered an unexpected ${status} for ${what}: ${error.message}`, { cause: error });
}
