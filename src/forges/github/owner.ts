// Who an account is. The sources give a bare login: GitHub alone knows
// whether it is an organisation or a user, and the two list their
// repositories at different endpoints.
import type { CacheWrite, HarvestContext, HarvestedOwner } from "../forge.ts";
import type { GitHubClient } from "./client.ts";
import { cacheKey, conditionalGet } from "./conditional.ts";
import { hasStatus, toForgeError } from "./errors.ts";
import { mapOwner } from "./mapping.ts";

/** Cached with the ETag of /orgs/{org} or /users/{login}: a 304 still tells who the owner is. */
interface OwnerPayload {
  owner: HarvestedOwner;
}

function parseOwnerPayload(value: unknown): OwnerPayload | undefined {
  const owner = (value as Partial<OwnerPayload> | null)?.owner;
  return owner && typeof owner.login === "string" && (owner.kind === "organization" || owner.kind === "user") ? { owner } : undefined;
}

export interface ResolvedOwner {
  owner: HarvestedOwner;
  /** Empty when GitHub answered 304: the owner is the one cached. */
  cache: CacheWrite[];
}

/**
 * Asks /orgs/{login} first, as most accounts of public bodies are
 * organisations, and /users/{login} on a 404. Once the kind is cached, the
 * next runs ask the right endpoint straight away, conditionally: an unchanged
 * owner costs one request answered 304.
 */
export async function resolveOwner(api: GitHubClient, host: string, login: string, context: HarvestContext): Promise<ResolvedOwner> {
  const what = `organisation or user '${login}'`;
  const orgKey = cacheKey(host, `/orgs/${login}`);
  const userKey = cacheKey(host, `/users/${login}`);
  const request = { signal: context.signal };
  const cachedKind = (key: string) => {
    const entry = context.cached(key);
    try {
      return entry ? parseOwnerPayload(JSON.parse(entry.payload))?.owner.kind : undefined;
    } catch {
      return undefined;
    }
  };

  /** The organisation, or null when GitHub has no organisation of that login. */
  const organization = async (): Promise<ResolvedOwner | null> => {
    try {
      const outcome = await conditionalGet(context, orgKey, parseOwnerPayload, (headers) => api.rest.orgs.get({ org: login, headers, request }));
      if (!outcome.modified) return { owner: outcome.payload.owner, cache: [] };
      const owner = { ...mapOwner(outcome.data, what), kind: "organization" as const };
      return { owner, cache: outcome.cache({ owner }) };
    } catch (error) {
      if (hasStatus(error, 404)) return null;
      throw error;
    }
  };

  try {
    // A known user skips the /orgs request that would answer 404.
    const knownUser = cachedKind(orgKey) !== "organization" && cachedKind(userKey) === "user";
    if (!knownUser) {
      const found = await organization();
      if (found) return found;
    }
    const outcome = await conditionalGet(context, userKey, parseOwnerPayload, (headers) => api.rest.users.getByUsername({ username: login, headers, request }));
    if (!outcome.modified) return { owner: outcome.payload.owner, cache: [] };
    const owner = mapOwner(outcome.data, what);
    const cache = outcome.cache({ owner });
    if (owner.kind === "organization") {
      // A user turned into an organisation since the last run: /orgs has the
      // fuller record (description, verified domain). If it still says 404,
      // what /users gave is enough.
      const found = await organization();
      if (found) return { owner: found.owner, cache: [...cache, ...found.cache] };
    }
    return { owner, cache };
  } catch (error) {
    throw toForgeError(error, what, context.signal);
  }
}
