// The profile step of an account's harvest: after its listing completed, the
// repositories that are new or were pushed since their profile was fetched get
// their profile fetched, a few at a time. A failing repository keeps its
// previous profile, its failure is recorded against it, and the account goes
// on: a profile never fails an account. Only an interruption stops the step
// (and a rate limit, which would fail every following request alike: the
// rest waits for the next run).
import { setMaxListeners } from "node:events";
import { ForgeError, type CacheWrite, type ProfileCache, type ProfileReader, type ReleaseBatch } from "../forges/forge.ts";
import type { Db } from "../store/database.ts";
import { saveForkParent } from "../store/manifests.ts";
import { readCache, writeCache } from "../store/harvestStore.ts";
import { findProfile, listProfileCandidates, recordProfileFailure, saveProfile, type ProfileCandidate } from "../store/profiles.ts";
import { fetchProfile } from "./fetchProfile.ts";

/** Repositories whose profile is fetched at once, per account: 3 or 4 requests each, in sequence. */
export const profileConcurrency = 4;

/**
 * Repositories whose latest releases are asked at once where the reader can
 * batch them (GraphQL): on GitHub 50 aliased repositories cost one request and
 * one point of its GraphQL budget instead of 50 requests; GitLab splits them
 * into queries of 20.
 */
export const releaseBatchSize = 50;

export interface ProfileTotals {
  /** Profiles fetched and saved. */
  fetched: number;
  /** Repositories whose profile fetch failed (the previous profile kept). */
  failed: number;
}

export interface ProfileHarvestDeps {
  db: Db;
  reader: ProfileReader;
  accountId: number;
  signal: AbortSignal;
  now: () => string;
  log: (message: string) => void;
  maxBytes?: number;
}

export async function harvestProfiles(deps: ProfileHarvestDeps): Promise<ProfileTotals> {
  const { db, reader } = deps;
  // One listener on the run-long harvest signal per account, however many
  // requests are in flight: each request listens to this account's own signal
  // (octokit's fetch and the abort race each add one), up to 4 per fetch.
  const scope = new AbortController();
  const onAbort = () => scope.abort(deps.signal.reason);
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener("abort", onAbort, { once: true });
  setMaxListeners(profileConcurrency * 4 + 10, scope.signal);
  try {
    return await harvestWithin(deps, reader, db, scope.signal);
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
  }
}

async function harvestWithin(deps: ProfileHarvestDeps, reader: ProfileReader, db: Db, signal: AbortSignal): Promise<ProfileTotals> {
  const totals: ProfileTotals = { fetched: 0, failed: 0 };
  const candidates = listProfileCandidates(db, deps.accountId);
  let next = 0;
  let stop: ForgeError | null = null;

  // Latest releases in batches, each asked when the first of its repositories is reached (never all up front:
  // a large account's profiles start at once). A failed batch is an empty map: each repository then asks alone.
  // GitHub's batch carries the forks' parents too (issue 10).
  const batches = new Map<number, Promise<ReleaseBatch>>();
  const releasesFor = (index: number): Promise<ReleaseBatch> | null => {
    if (!reader.latestReleases) return null;
    const batch = Math.floor(index / releaseBatchSize);
    let pending = batches.get(batch);
    if (!pending) {
      pending = reader.latestReleases(candidates.slice(batch * releaseBatchSize, (batch + 1) * releaseBatchSize), signal);
      // Rejections (an interruption) are seen by the workers that await it.
      pending.catch(() => {});
      batches.set(batch, pending);
      batches.delete(batch - 2);
    }
    return pending;
  };

  const one = async (candidate: ProfileCandidate, index: number): Promise<void> => {
    const previous = findProfile(db, candidate.pk)?.profile ?? null;
    // ETags written with the profile they stand for, never alone: a failed fetch sends unconditional requests next time.
    const writes: CacheWrite[] = [];
    const cache: ProfileCache = { cached: (key) => readCache(db, key), store: (write) => writes.push(write) };
    try {
      const batched = await releasesFor(index);
      const known = batched?.has(candidate.forgeId) ? { latestRelease: batched.get(candidate.forgeId) ?? null } : {};
      const profile = await fetchProfile(reader, candidate, previous, { signal, cache, ...known, ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}) });
      // Issue 10: a fork's parent, where the listing does not carry it (GitHub), only for a fork new or pushed:
      // from the batch when it answered for this fork (GraphQL), else one request.
      const batchedParent = candidate.fork ? batched?.forkParents?.get(candidate.forgeId) : undefined;
      const parent = batchedParent !== undefined
        ? { found: batchedParent }
        : candidate.fork && reader.forkParent ? { found: await reader.forkParent(candidate, signal) } : null;
      if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
      const now = deps.now();
      db.transaction(() => {
        saveProfile(db, candidate.pk, profile, candidate.marker, now);
        if (parent !== null) saveForkParent(db, candidate.pk, parent.found);
        writeCache(db, writes, now);
      });
      totals.fetched++;
    } catch (error) {
      const forgeError = error instanceof ForgeError ? error : null;
      if (forgeError?.reason === "interrupted" || signal.aborted) throw forgeError ?? new ForgeError("interrupted", "the harvest was stopped");
      const reason = forgeError?.reason ?? "internal_error";
      const message = error instanceof Error ? error.message : String(error);
      recordProfileFailure(db, candidate.pk, { reason, message }, deps.now());
      totals.failed++;
      deps.log(`${candidate.fullName}: profile not fetched (${reason}: ${message}); the previous one is kept`);
      if (reason === "rate_limited") stop = forgeError;
    }
  };

  const worker = async () => {
    while (next < candidates.length && stop === null && !signal.aborted) {
      const index = next++;
      await one(candidates[index] as ProfileCandidate, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(profileConcurrency, candidates.length) }, worker));
  if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
  if (stop !== null) deps.log(`profiles: ${candidates.length - next} left for the next run (rate limited)`);
  return totals;
}
