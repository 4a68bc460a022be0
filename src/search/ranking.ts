// The relevance formula. Text decides first; reuse signals reorder repositories
// that match about equally well, and order the catalogue when there is no text.
//
//   relevance = text × exact × reuse
//
//   text  = lunr score of the query terms over every field (BM25 per field,
//           k1 = 1.2, b = 0.75, times the field's boost, summed over fields),
//           divided by the best score among the matches: in (0, 1].
//           1 for every repository when q has no searchable word.
//   exact = 2 when q is the repository's name, ignoring case, accents and
//           separators ("udata" for udata, "Udata Front" for udata-front), else 1
//   reuse = (1 + 1.2 × reuse score / 100) × (archived ? 0.5 : 1) × (fork ? 0.6 : 1)
//   reuse score  = the repository's reuse score, 0 to 100 (src/reuse/score.ts, issue 10):
//                  reuse by other public bodies (35), declared users (10), stars (15),
//                  recent activity (15), licence (10), README, publiccode.yml and
//                  contributing guide (5 each), as stored by the last reuse graph
//                  rebuild; before the first rebuild, the same formula on the row
//                  alone (no reusers, profile criteria unknown), at the index build.
//
// reuse lies between 0.3 (an archived fork scoring 0) and 2.2 (a score of 100),
// the range of the factor it replaces (stars, forks, freshness, licence), so a
// repository that matches by its name (name boost 4) keeps ahead of a popular
// one that only mentions the word once in its description. The forge's fork
// count is no longer a signal: forks by other public bodies are, in the score.
// Archived repositories and forks stay penalised: a search should lead to the
// living original, whatever its score.
import { computeReuseScore } from "../reuse/score.ts";
import type { RepositoryRow } from "../store/catalog.ts";

/** `exact` of the formula: the project people name beats those that mention it. */
export const exactNameBonus = 2;

const dayMs = 86_400_000;

export function freshness(activityMs: number, builtAtMs: number): number {
  if (Number.isNaN(activityMs)) return 0;
  const days = Math.max(0, (builtAtMs - activityMs) / dayMs);
  return 0.5 ** (days / 365);
}

/** A licence we can name: the forge detected one and it is not the catch-all "other". */
export function isKnownLicence(license: string | null): boolean {
  return license !== null && license.toLowerCase() !== "other";
}

/** The last push, or update when the forge gives no push date, in epoch ms; NaN when unknown. */
export function activityTime(row: Pick<RepositoryRow, "pushedAt" | "updatedAt">): number {
  const date = row.pushedAt ?? row.updatedAt;
  return date ? Date.parse(date) : Number.NaN;
}

/** Weight of the reuse score (0 to 100) in the relevance factor. */
export const reuseScoreWeight = 1.2;

type RankedRow = Pick<RepositoryRow, "stars" | "license" | "archived" | "fork" | "pushedAt" | "updatedAt" | "hasPubliccode" | "publiccodeValid" | "reuseScore">;

/** The stored reuse score, else (no graph built yet) the score of what the row says, at `builtAtMs`. */
export function reuseScoreOf(row: RankedRow, builtAtMs: number): number {
  if (row.reuseScore !== undefined && row.reuseScore !== null) return row.reuseScore;
  return computeReuseScore(
    {
      reusers: 0,
      declaredUsers: 0,
      stars: row.stars,
      activityAt: row.pushedAt ?? row.updatedAt,
      license: row.license,
      hasReadme: null,
      publiccode: row.hasPubliccode ? (row.publiccodeValid ? "valid" : "invalid") : null,
      hasContributing: null,
    },
    builtAtMs,
  ).score;
}

export function reuseSignal(row: RankedRow, builtAtMs: number): number {
  const base = 1 + (reuseScoreWeight * reuseScoreOf(row, builtAtMs)) / 100;
  return base * (row.archived ? 0.5 : 1) * (row.fork ? 0.6 : 1);
}
