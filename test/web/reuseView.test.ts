// The reuse presenters on their own (issue 10): lists cut with a link to the
// API, links only to catalogue pages or http(s) URLs, the score's table, and
// the statistics' history and ecosystems.
import { expect } from "chai";
import { computeReuseScore } from "../../src/reuse/score.ts";
import type { RepositoryReuse } from "../../src/reuse/graph.ts";
import type { ReuseEdgeView, ReuseHistoryPoint } from "../../src/store/reuse.ts";
import { createTranslator } from "../../src/web/i18n/index.ts";
import { repositoryHref, reuseApiHref, reuseListShown, toRepositoryReuseSection, toReuseStatistics, upstreamLink } from "../../src/web/presenters/reuseView.ts";

const en = createTranslator("en");
const fr = createTranslator("fr");

function reuse(partial: Partial<RepositoryReuse>): RepositoryReuse {
  return {
    forks: [], dependents: [], basedOnBy: [], reusers: [], declaredUsers: [], reusedByCount: 0, forkOf: null, upstream: null,
    basedOn: [], basedOnExternal: [], dependsOn: [], externalDependencies: 0, declaredDependencies: [], ...partial,
  };
}

const score = computeReuseScore({ reusers: 2, declaredUsers: 1, stars: 99, activityAt: "2025-06-01T00:00:00Z", license: "MIT", hasReadme: true, publiccode: "invalid", hasContributing: null }, Date.parse("2025-06-15T00:00:00Z"));

function edges(count: number, make: (i: number) => ReuseEdgeView) {
  return { total: count, items: Array.from({ length: Math.min(count, reuseListShown) }, (_, i) => make(i)) };
}

describe("reuse presenters", () => {
  it("links catalogue ids to their pages, each segment encoded, and the API lists the same way", () => {
    expect(repositoryHref("gitlab.com/dinum/outils/gabarit")).to.equal("/repositories/gitlab.com/dinum/outils/gabarit");
    expect(repositoryHref("github.com/h4ck<b>/x?y")).to.equal("/repositories/github.com/h4ck%3Cb%3E/x%3Fy");
    expect(reuseApiHref("github.com/etalab/ui kit", "dependents")).to.equal("/api/v1/repositories/github.com/etalab/ui%20kit/dependents");
  });

  it("links an outside upstream over https only when its host is a host name", () => {
    expect(upstreamLink("github.com/torvalds/linux")).to.deep.equal({ text: "github.com/torvalds/linux", href: "https://github.com/torvalds/linux" });
    expect(upstreamLink("github.com#12345")).to.deep.equal({ text: "github.com#12345", href: null });
    expect(upstreamLink("javascript:alert(1)//x/y").href).to.equal(null);
    expect(upstreamLink("ev il.com/a/b").href).to.equal(null);
  });

  it("cuts long lists, links the whole list in the API, and keeps only http(s) links of declarations", () => {
    const id = "github.com/etalab/ui-kit";
    const section = toRepositoryReuseSection(
      id,
      { reuse: reuse({ basedOnExternal: ["https://example.org/a/b", "javascript:alert(1)"], declaredUsers: ["Ville de Lyon"], externalDependencies: 3 }), score, reusedByCount: 3, builtAt: "2025-06-15T00:00:00Z" },
      {
        forks: edges(2, (i) => ({ kind: "fork", from: `github.com/b${i}/ui-kit`, to: id, package: null, scope: null, acrossBodies: true })),
        dependents: edges(25, (i) => ({ kind: "dependency", from: `github.com/app/a${i}`, to: id, package: { ecosystem: "npm", name: "@etalab/ui-kit" }, scope: "runtime", acrossBodies: true })),
        dependencies: edges(0, () => { throw new Error("none"); }),
      },
      (other) => (other === "github.com/b0/ui-kit" ? { name: "Beta" } : null),
      en,
    )!;
    expect(section.reusedBy.forks.items.map((item) => [item.href, item.by])).to.deep.equal([["/repositories/github.com/b0/ui-kit", "Beta"], ["/repositories/github.com/b1/ui-kit", null]]);
    expect(section.reusedBy.forks.moreHref).to.equal(null);
    expect(section.reusedBy.dependents.items).to.have.length(reuseListShown);
    expect(section.reusedBy.dependents.items[0]!.package).to.equal("npm · @etalab/ui-kit");
    expect(section.reusedBy.dependents.moreHref).to.equal("/api/v1/repositories/github.com/etalab/ui-kit/dependents");
    expect(section.buildsOn.basedOnExternal).to.deep.equal([{ text: "https://example.org/a/b", href: "https://example.org/a/b" }, { text: "javascript:alert(1)", href: null }]);
    expect(section.buildsOn.empty).to.equal(false);
    expect(section.reusedBy.empty).to.equal(false);
    // The build time as the reader's language writes it (kept per language and time: the same on every page).
    expect(section.builtAtText).to.equal(en.dateTime("2025-06-15T00:00:00Z")).and.match(/2025/);
    const again = toRepositoryReuseSection(id, { reuse: reuse({}), score, reusedByCount: 0, builtAt: "2025-06-15T00:00:00Z" }, { forks: edges(0, () => { throw new Error("none"); }), dependents: edges(0, () => { throw new Error("none"); }), dependencies: edges(0, () => { throw new Error("none"); }) }, () => null, fr)!;
    expect(again.builtAtText).to.equal(fr.dateTime("2025-06-15T00:00:00Z")).and.not.equal(section.builtAtText);
  });

  it("gives each criterion its value, weight and points, and totals the weights to 100", () => {
    const view = { reuse: reuse({}), score, reusedByCount: 0, builtAt: "2025-06-15T00:00:00Z" };
    const none = { total: 0, items: [] };
    const rows = (i18n: typeof en) => toRepositoryReuseSection("a/b/c", view, { forks: none, dependents: none, dependencies: none }, () => null, i18n)!.score;
    const english = rows(en);
    expect(english.total).to.equal(100);
    expect(english.score).to.equal(score.score);
    const byName = Object.fromEntries(english.rows.map((row) => [row.name, row]));
    expect(byName.reused_by).to.deep.include({ label: "Reused by other public bodies", value: "2", weight: 35, points: 17.5 });
    expect(byName.recent_activity!.value).to.equal("last push 14 days ago");
    expect(byName.publiccode!.value).to.equal("Present but invalid");
    expect(byName.contributing!.value).to.equal("Not known");
    expect(byName.licence!.value).to.equal("MIT");
    expect(rows(fr).rows.find((row) => row.name === "recent_activity")!.value).to.equal("dernier push il y a 14 jours");
    // Nothing to show before the first rebuild.
    expect(toRepositoryReuseSection("a/b/c", null, { forks: none, dependents: none, dependencies: none }, () => null, en)).to.equal(null);
  });

  it("draws the history from the 'all' points and the ecosystems from the latest rebuild", () => {
    const point = (builtAt: string, ecosystem: ReuseHistoryPoint["ecosystem"], dependencies: number, edgesAcrossBodies = 0, reusedRepositories = 0): ReuseHistoryPoint => ({ builtAt, ecosystem, dependencies, internal: Math.floor(dependencies / 10), edgesAcrossBodies, reusedRepositories });
    const stats = toReuseStatistics(
      [
        point("2025-06-01T03:00:00Z", "all", 100, 4, 2),
        point("2025-06-01T03:00:00Z", "npm", 100),
        point("2025-06-02T03:00:00Z", "all", 150, 8, 3),
        point("2025-06-02T03:00:00Z", "npm", 90),
        point("2025-06-02T03:00:00Z", "pypi", 60),
        point("2025-06-02T03:00:00Z", "cargo", 0),
      ],
      en,
    );
    expect(stats.history.map((row) => [row.edgesAcrossBodies, row.reusedRepositories, row.edgesWidth])).to.deep.equal([[4, 2, "50.0%"], [8, 3, "100.0%"]]);
    expect(stats.ecosystemRows).to.deep.equal([{ ecosystem: "npm", dependencies: 90, internal: 9 }, { ecosystem: "pypi", dependencies: 60, internal: 6 }]);
    expect(stats.ecosystems.rows.map((row) => [row.label, row.value])).to.deep.equal([["npm", 90], ["pypi", 60]]);
    expect(stats.latest).to.deep.include({ edgesAcrossBodies: 8, reusedRepositories: 3, dependencies: 150 });
    expect(toReuseStatistics([], en)).to.deep.include({ history: [], ecosystemRows: [], latest: null });
  });

  it("writes French with non-breaking spaces before two-part punctuation", () => {
    for (const key of ["reuseView.score", "reuseView.formula", "reuseView.forkOfOutside", "reuseView.notBuilt"] as const) {
      const text = fr.t(key, { score: 1, count: 2 });
      expect(text, key).to.not.match(/ [:;?!]/);
      expect(text, key).to.match(/\u00a0[:;?!]/);
    }
  });
});
