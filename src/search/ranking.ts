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
//   reuse = (1 + 0.15 × log10(1 + stars)
//              + 0.10 × log10(1 + forks)
//              + 0.25 × freshness
//              + 0.10 × knownLicence)
//           × (archived ? 0.5 : 1) × (fork ? 0.6 : 1)
//   freshness    = 0.5 ^ (days from the last push, or update, to the index build / 365):
//                  1 when pushed the day of the build, 0.5 a year before, 0 when unknown
//   knownLicence = 1 when the licence is an SPDX id (not null, not "other")
//
// reuse lies between 0.3 (an archived fork) and about 2.2 (1,000 stars, 300
// forks, pushed this week, MIT), so a repository that matches by its name
// (name boost 4) keeps ahead of a popular one that only mentions the word once
// in its description. Freshness is measured from the build of the index, not
// the request: the index is rebuilt after each harvest, and the data is as of then.
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

export function reuseSignal(
  row: Pick<RepositoryRow, "stars" | "forks" | "license" | "archived" | "fork" | "pushedAt" | "updatedAt">,
  builtAtMs: number,
): number {
  const base =
    1 +
    0.15 * Math.log10(1 + row.stars) +
    0.1 * Math.log10(1 + row.forks) +
    0.25 * freshness(activityTime(row), builtAtMs) +
    0.1 * (isKnownLicence(row.license) ? 1 : 0);
  return base * (row.archived ? 0.5 : 1) * (row.fork ? 0.6 : 1);
}
