// The mark of the requests a web process sends itself before it takes
// traffic (issue 13, src/server/warmup.ts). They run the real app, so that
// what they warm (V8's compiled code and type feedback, the row and record
// caches) is what readers' requests use, but they are no readers: they are not
// logged, not counted in the HTTP or search metrics, and not charged to a rate limit.
// The mark is a header holding a secret drawn once per process, so that a
// client cannot hide its requests from the logs or the limits by sending it.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const warmupHeader = "x-code-commun-warmup";

const token = randomBytes(24).toString("base64url");

/** The value of warmupHeader that marks this process's own warm-up requests. */
export function warmupToken(): string {
  return token;
}

export function isWarmupRequest(req: IncomingMessage): boolean {
  return req.headers[warmupHeader] === token;
}

let warmups = 0;

/**
 * Runs `work`, this process's warm-up. It runs before the process listens, so
 * every search meanwhile is the warm-up's: the search metrics
 * (codecommun_search_duration_seconds, web/operations.ts timedSearch) leave
 * them out, as a search does not see the request that asked for it.
 */
export async function duringWarmup<T>(work: () => Promise<T>): Promise<T> {
  warmups++;
  try {
    return await work();
  } finally {
    warmups--;
  }
}

/** Is this process warming up (duringWarmup)? */
export function warmingUp(): boolean {
  return warmups > 0;
}
