import { expect } from "chai";
import { computeReuseScore, reuseWeights, type ReuseCriterionName, type ReuseScoreInput } from "../../src/reuse/score.ts";

const now = Date.parse("2026-11-20T00:00:00Z");
const daysAgo = (days: number): string => new Date(now - days * 86_400_000).toISOString();

/** A repository with nothing: every criterion at zero. */
const nothing: ReuseScoreInput = {
  reusers: 0,
  declaredUsers: 0,
  stars: 0,
  activityAt: null,
  license: null,
  hasReadme: false,
  publiccode: "absent",
  hasContributing: false,
};

function criterion(input: Partial<ReuseScoreInput>, name: ReuseCriterionName) {
  const result = computeReuseScore({ ...nothing, ...input }, now);
  const found = result.criteria.find((c) => c.name === name)!;
  return { ...found, score: result.score };
}

describe("reuse score", () => {
  it("weighs eight criteria that sum to 100", () => {
    expect(Object.values(reuseWeights).reduce((a, b) => a + b, 0)).to.equal(100);
    const result = computeReuseScore(nothing, now);
    expect(result.criteria.map((c) => c.name)).to.deep.equal(["reused_by", "declared_users", "stars", "recent_activity", "licence", "readme", "publiccode", "contributing"]);
    expect(result.score).to.equal(0);
    expect(result.criteria.every((c) => c.points === 0 && c.weight === reuseWeights[c.name])).to.equal(true);
  });

  it("reused_by: r / (r + 2) of 35", () => {
    expect(criterion({ reusers: 1 }, "reused_by")).to.include({ value: 1, weight: 35, points: 11.7, score: 11.7 });
    expect(criterion({ reusers: 2 }, "reused_by")).to.include({ points: 17.5 });
    expect(criterion({ reusers: 8 }, "reused_by")).to.include({ points: 28 });
    expect(criterion({ reusers: -3 }, "reused_by")).to.include({ value: 0, points: 0 });
  });

  it("declared_users: u / (u + 2) of 10", () => {
    expect(criterion({ declaredUsers: 2 }, "declared_users")).to.include({ value: 2, weight: 10, points: 5 });
    expect(criterion({ declaredUsers: 3 }, "declared_users")).to.include({ points: 6 });
  });

  it("stars: log10(1 + stars) / 3 of 15, full from 999 stars", () => {
    expect(criterion({ stars: 9 }, "stars")).to.include({ value: 9, points: 5 });
    expect(criterion({ stars: 99 }, "stars")).to.include({ points: 10 });
    expect(criterion({ stars: 999 }, "stars")).to.include({ points: 15 });
    expect(criterion({ stars: 50_000 }, "stars")).to.include({ points: 15 });
    expect(criterion({ stars: Number.NaN }, "stars")).to.include({ value: 0, points: 0 });
  });

  it("recent_activity: halved each year without a push, nothing when unknown", () => {
    expect(criterion({ activityAt: daysAgo(0) }, "recent_activity")).to.include({ value: 0, points: 15 });
    expect(criterion({ activityAt: daysAgo(365) }, "recent_activity")).to.include({ value: 365, points: 7.5 });
    expect(criterion({ activityAt: daysAgo(730) }, "recent_activity")).to.include({ value: 730, points: 3.8 });
    expect(criterion({ activityAt: "2030-01-01T00:00:00Z" }, "recent_activity"), "a date in the future counts as today").to.include({ value: 0, points: 15 });
    expect(criterion({ activityAt: null }, "recent_activity")).to.include({ value: null, points: 0 });
    expect(criterion({ activityAt: "not a date" }, "recent_activity")).to.include({ value: null, points: 0 });
  });

  it("licence: 10 for a known licence, nothing for none or 'other'", () => {
    expect(criterion({ license: "EUPL-1.2" }, "licence")).to.include({ value: "EUPL-1.2", points: 10 });
    expect(criterion({ license: "other" }, "licence")).to.include({ value: null, points: 0 });
    expect(criterion({ license: "  " }, "licence")).to.include({ value: null, points: 0 });
  });

  it("readme, contributing: 5 each when present, nothing when absent or unknown", () => {
    expect(criterion({ hasReadme: true }, "readme")).to.include({ value: true, points: 5 });
    expect(criterion({ hasReadme: null }, "readme")).to.include({ value: null, points: 0 });
    expect(criterion({ hasContributing: true }, "contributing")).to.include({ value: true, points: 5 });
    expect(criterion({ hasContributing: false }, "contributing")).to.include({ value: false, points: 0 });
  });

  it("publiccode: 5 when valid, 2 when present but invalid", () => {
    expect(criterion({ publiccode: "valid" }, "publiccode")).to.include({ value: "valid", points: 5 });
    expect(criterion({ publiccode: "invalid" }, "publiccode")).to.include({ value: "invalid", points: 2 });
    expect(criterion({ publiccode: null }, "publiccode")).to.include({ value: null, points: 0 });
  });

  it("sums the rounded points of a full case, and ranks reuse by others above popularity alone", () => {
    const shared = computeReuseScore(
      { reusers: 4, declaredUsers: 1, stars: 20, activityAt: daysAgo(30), license: "MIT", hasReadme: true, publiccode: "valid", hasContributing: false },
      now,
    );
    const points = shared.criteria.map((c) => c.points);
    expect(points).to.deep.equal([23.3, 3.3, 6.6, 14.2, 10, 5, 5, 0]);
    expect(shared.score).to.equal(67.4);
    const popularAlone = computeReuseScore({ ...nothing, stars: 5_000, activityAt: daysAgo(30), license: "MIT", hasReadme: true }, now);
    expect(popularAlone.score).to.be.below(shared.score);
  });
});
