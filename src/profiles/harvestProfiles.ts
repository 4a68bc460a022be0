// The profile step of an account's harvest: after its listing completed, the
// repositories that are new or were pushed since their profile was fetched get
// their profile fetched, a few at a time. A failing repository keeps its
// previous profile, its failure is recorded against it, and the account goes
// on: a profile never fails an account. Only an interruption stops the step
// (and a rate limit, which would fail every following request alike: the
// rest waits for the next run).
import { setMaxListeners } from "node:events";
import { ForgeError, type ProfileReader } from "../forges/forge.ts";
import type { Db } from "../store/database.ts";
import { saveForkParent } from "../store/manifests.ts";
import { findProfile, listProfileCandidates, recordProfileFailure, saveProfile, type ProfileCandidate } from "../store/profiles.ts";
import { fetchProfile } from "./fetchProfile.ts";

/** Repositories whose profile is fetched at once, per account: 3 or 4 requests each, in sequence. */
export const profileConcurrency = 4;

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

  const one = async (candidate: ProfileCandidate): Promise<void> => {
    const previous = findProfile(db, candidate.pk)?.profile ?? null;
    try {
      const profile = await fetchProfile(reader, candidate, previous, { signal, ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}) });
      // Issue 10: a fork's parent, where the listing does not carry it (GitHub): one request, only for a fork new or pushed.
      const parent = candidate.fork && reader.forkParent ? { found: await reader.forkParent(candidate, signal) } : null;
      if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
      db.$client.transaction(() => {
        saveProfile(db, candidate.pk, profile, candidate.marker, deps.now());
        if (parent !== null) saveForkParent(db, candidate.pk, parent.found);
      })();
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
    while (next < candidates.length && stop === null && !signal.aborted) await one(candidates[next++] as ProfileCandidate);
  };
  await Promise.all(Array.from({ length: Math.min(profileConcurrency, candidates.length) }, worker));
  if (signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
  if (stop !== null) deps.log(`profiles: ${candidates.length - next} left for the next run (rate limited)`);
  return totals;
}
