// Conditional requests: each GitHub resource we read is cached as its ETag and
// a small JSON payload holding what a 304 would otherwise hide from us.
import { ForgeError, type CacheWrite, type HarvestContext } from "../forge.ts";
import { hasStatus } from "./errors.ts";

export interface GitHubResponse {
  data: unknown;
  headers: Record<string, string | number | undefined>;
}

export type Outcome<P> =
  | { modified: true; data: unknown; headers: GitHubResponse["headers"]; cache(payload: P): CacheWrite[] }
  | { modified: false; payload: P };

/** Cache key of a resource: logins are case-insensitive on GitHub, so paths are lower-cased. */
export function cacheKey(host: string, pathAndQuery: string): string {
  return `github:${host}:${pathAndQuery.toLowerCase()}`;
}

/**
 * Sends `send` with If-None-Match when the cache holds a readable payload for
 * `key`. On 200, `cache(payload)` gives the write that stores the new ETag
 * (nothing when GitHub sent none); on 304, the cached payload comes back.
 * A payload that `parse` rejects (older format, corrupted) is as good as no
 * cache: the request goes unconditional and the next answer replaces it.
 */
export async function conditionalGet<P>(
  context: Pick<HarvestContext, "signal" | "cached">,
  key: string,
  parse: (payload: unknown) => P | undefined,
  send: (headers: Record<string, string>) => Promise<GitHubResponse>,
): Promise<Outcome<P>> {
  const cached = readPayload(context, key, parse);
  try {
    const response = await abortable(send(cached ? { "if-none-match": cached.etag } : {}), context.signal);
    const etag = response.headers.etag;
    return {
      modified: true,
      data: response.data,
      headers: response.headers,
      cache: (payload) => (typeof etag === "string" && etag ? [{ key, etag, payload: JSON.stringify(payload) }] : []),
    };
  } catch (error) {
    // octokit throws a RequestError for a 304, as for any status it does not call a success.
    if (cached && hasStatus(error, 304)) return { modified: false, payload: cached.payload };
    throw error;
  }
}

function readPayload<P>(context: Pick<HarvestContext, "cached">, key: string, parse: (payload: unknown) => P | undefined): { etag: string; payload: P } | undefined {
  const entry = context.cached(key);
  if (!entry) return undefined;
  let payload: P | undefined;
  try {
    payload = parse(JSON.parse(entry.payload));
  } catch {
    payload = undefined;
  }
  return payload === undefined ? undefined : { etag: entry.etag, payload };
}

/**
 * Settles with `promise`, or rejects as soon as the harvest is stopped: a
 * request held by plugin-throttling for a rate-limit reset (up to an hour)
 * cannot be cancelled, but the harvest need not wait for it.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ForgeError("interrupted", "the harvest was stopped"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    // Always handled, so the abandoned request's later failure is no unhandled rejection.
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
