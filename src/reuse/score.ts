// The reuse score of a repository: 0 to 100 points, the sum of eight
// criteria, each shown with its value, weight and points, so that anyone can
// check a score by hand (repository page, API `reuse: {score, criteria}`).
//
//   score = Σ points, each criterion's points = weight × fraction, fraction in [0, 1]
//
//   criterion        weight  fraction
//   reused_by          35    r / (r + 2), r = distinct other public bodies (or owners
//                            without a known body) that fork it, depend on a package it
//                            publishes, or declare being based on it (publiccode isBasedOn):
//                            1 body → 1/3, 2 → 1/2, 8 → 4/5
//   declared_users     10    u / (u + 2), u = names in its publiccode.yml usedBy
//   stars              15    min(1, log10(1 + stars) / 3): 1,000 stars or more → 1
//   recent_activity    15    0.5 ^ (days since the last push, or update, / 365): a year → 1/2;
//                            0 when unknown
//   licence            10    1 when a licence is known (an SPDX id, not "other")
//   readme              5    1 when it has a README
//   publiccode          5    1 when its publiccode.yml is valid, 0.4 when present but invalid
//   contributing        5    1 when it has a contributing guide
//
// Reuse by others weighs most (45 of 100): it is the evidence the catalogue
// exists to show; stars and activity are the forge's signals of the same; the
// last four are what a publisher can fix in an afternoon. Saturating
// fractions keep one very popular repository from dwarfing the rest.
// Points are rounded to one decimal, and the score is the sum of the rounded points.
// An unknown value (profile files not harvested yet) is null and earns nothing.

export const reuseWeights = {
  reused_by: 35,
  declared_users: 10,
  stars: 15,
  recent_activity: 15,
  licence: 10,
  readme: 5,
  publiccode: 5,
  contributing: 5,
} as const;

export type ReuseCriterionName = keyof typeof reuseWeights;

/** r + reusedByHalf reaches half of reused_by's weight at r = reusedByHalf. */
export const reusedByHalf = 2;
export const declaredUsersHalf = 2;
/** Stars for the whole of the stars weight: 10^3. */
export const starsFullLog10 = 3;
/** Days of inactivity that halve recent_activity. */
export const activityHalfLifeDays = 365;
/** Share of the publiccode weight for a file that is present but invalid: the intent is there. */
export const invalidPubliccodeShare = 0.4;

export type PubliccodeState = "valid" | "invalid" | "absent";

export interface ReuseScoreInput {
  /** Distinct other public bodies (or owners) reusing it: graph.ts RepositoryReuse.reusers.length. */
  reusers: number;
  /** publiccode.yml usedBy names: RepositoryReuse.declaredUsers.length. */
  declaredUsers: number;
  stars: number;
  /** Last push, else last update (ISO 8601); null when unknown. */
  activityAt: string | null;
  license: string | null;
  /** null: the profile files were not harvested (yet). */
  hasReadme: boolean | null;
  publiccode: PubliccodeState | null;
  hasContributing: boolean | null;
}

export interface ReuseCriterion {
  name: ReuseCriterionName;
  value: number | string | boolean | null;
  weight: number;
  points: number;
}

export interface ReuseScore {
  score: number;
  criteria: ReuseCriterion[];
}

const dayMs = 86_400_000;

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A licence we can name: not null, not the forges' catch-all "other" (as search ranking says). */
function knownLicence(license: string | null): boolean {
  return license !== null && license.trim() !== "" && license.toLowerCase() !== "other";
}

function flag(value: boolean | null): number {
  return value === true ? 1 : 0;
}

/** The score at `nowMs` (the time of the graph's build, so that it does not drift between requests). */
export function computeReuseScore(input: ReuseScoreInput, nowMs: number): ReuseScore {
  const reusers = count(input.reusers);
  const declared = count(input.declaredUsers);
  const stars = count(input.stars);
  const activityMs = input.activityAt ? Date.parse(input.activityAt) : Number.NaN;
  const days = Number.isNaN(activityMs) ? null : Math.max(0, Math.floor((nowMs - activityMs) / dayMs));
  const publiccodeFraction = input.publiccode === "valid" ? 1 : input.publiccode === "invalid" ? invalidPubliccodeShare : 0;
  const fractions: [ReuseCriterionName, ReuseCriterion["value"], number][] = [
    ["reused_by", reusers, reusers / (reusers + reusedByHalf)],
    ["declared_users", declared, declared / (declared + declaredUsersHalf)],
    ["stars", stars, Math.min(1, Math.log10(1 + stars) / starsFullLog10)],
    ["recent_activity", days, days === null ? 0 : 0.5 ** (days / activityHalfLifeDays)],
    ["licence", knownLicence(input.license) ? input.license : null, knownLicence(input.license) ? 1 : 0],
    ["readme", input.hasReadme, flag(input.hasReadme)],
    ["publiccode", input.publiccode, publiccodeFraction],
    ["contributing", input.hasContributing, flag(input.hasContributing)],
  ];
  const criteria = fractions.map(([name, value, fraction]): ReuseCriterion => {
    const weight = reuseWeights[name];
    return { name, value, weight, points: round1(weight * fraction) };
  });
  return { score: round1(criteria.reduce((sum, criterion) => sum + criterion.points, 0)), criteria };
}
