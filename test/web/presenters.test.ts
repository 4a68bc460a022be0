// Presenters on their own: the pieces of pages whose rules are easy to get wrong.
import { expect } from "chai";
import { parsePublicBodies } from "../../src/sources/publicBodies.ts";
import type { OwnerSummary } from "../../src/store/owners.ts";
import { createTranslator } from "../../src/web/i18n/index.ts";
import { barChart } from "../../src/web/presenters/charts.ts";
import { paginate } from "../../src/web/presenters/pagination.ts";
import { groupByPublicBody } from "../../src/web/presenters/publicBodies.ts";
import { emptySearchState, facetOptionsExpanded, facetOptionsShown, parseSearchState, presentSearch, searchDownloads, searchHref } from "../../src/web/presenters/search.ts";
import type { SearchResult } from "../../src/search/types.ts";
import { toRunView, toStatusAccountView } from "../../src/web/presenters/status.ts";
import type { AccountStatusEntry } from "../../src/harvest/statusReport.ts";
import { ownerPath, repositoryPath, withQuery } from "../../src/web/urls.ts";

describe("presenters", () => {
  describe("pagination", () => {
    const href = (page: number) => `/p/${page}`;
    const shape = (page: number, pages: number) =>
      paginate(page, pages, href)!.items.map((item) => (item.kind === "gap" ? "…" : item.current ? `[${item.page}]` : String(item.page))).join(" ");

    it("shows the first, the last and two pages around the current one, with gaps", () => {
      expect(shape(1, 20)).to.equal("[1] 2 3 … 20");
      expect(shape(10, 20)).to.equal("1 … 8 9 [10] 11 12 … 20");
      expect(shape(20, 20)).to.equal("1 … 18 19 [20]");
      expect(shape(4, 7)).to.equal("1 2 3 [4] 5 6 7");
    });

    it("links neighbours only where they exist, and nothing for a single page", () => {
      expect(paginate(1, 3, href)).to.deep.include({ first: null, previous: null, next: "/p/2", last: "/p/3" });
      expect(paginate(3, 3, href)).to.deep.include({ first: "/p/1", previous: "/p/2", next: null, last: null });
      expect(paginate(1, 1, href)).to.equal(null);
    });
  });

  describe("bar charts", () => {
    it("scales bars to the longest, sums the tail into one row, and keeps shares of the whole", () => {
      const chart = barChart([{ label: "a", value: 50 }, { label: "b", value: 25 }, { label: "c", value: 15 }, { label: "d", value: 10 }, { label: "e", value: 0 }], 2, "others");
      expect(chart.rows.map((row) => [row.label, row.value, row.width, row.share])).to.deep.equal([
        ["a", 50, "100.0%", 50],
        ["b", 25, "50.0%", 25],
        ["others", 25, "50.0%", 25],
      ]);
      expect(chart.distinct).to.equal(5);
      expect(barChart([{ label: "z", value: 0 }], 5, "others").rows[0]!.width).to.equal("0%");
    });
  });

  describe("search state", () => {
    it("reads repeated parameters as several values, trimmed, without duplicates", () => {
      const state = parseSearchState({ q: "  carte  ", language: ["Python", " Python ", "", "Go"], archived: "true" });
      expect(state.q).to.equal("carte");
      expect(state.lists.language).to.deep.equal(["Python", "Go"]);
      expect(state.bools).to.deep.equal({ archived: true });
    });

    it("bounds what a URL may ask", () => {
      const state = parseSearchState({ q: "x".repeat(2000), topic: Array.from({ length: 100 }, (_, i) => `t${i}`) });
      expect(state.q).to.have.length(500);
      expect(state.lists.topic).to.have.length(20);
    });

    it("writes a state back to the same URL, without defaults", () => {
      const url = "/repositories?q=carte&language=Python&language=Go&public_body=abc&archived=false&active_since=2024-01-31&sort=stars&page=3";
      const query = Object.fromEntries(new URL(url, "http://x").searchParams.entries());
      const state = parseSearchState({ ...query, language: ["Python", "Go"] });
      expect(searchHref(state)).to.equal(url);
      expect(searchHref(emptySearchState())).to.equal("/repositories");
    });

    // Issue 13: five values a facet, a link to the others, the chosen ones always there.
    describe("facets", () => {
      const languages = Array.from({ length: 150 }, (_, i) => ({ value: `L${i}`, count: 1000 - i }));
      const result = { total: 0, page: 1, perPage: 20, items: [], facets: { language: languages, host: [{ value: "github.com", count: 3 }] } } as unknown as SearchResult;
      const i18n = createTranslator("en");
      const directory = parsePublicBodies("ministries: {}\nbodies: {}\n");
      const facetOf = (query: Record<string, unknown>) => presentSearch(parseSearchState(query), result, directory, i18n, new Date("2025-06-20T00:00:00Z")).listFacets.find((facet) => facet.param === "language")!;

      it("offers the most frequent values and a link to the others, keeping the search and coming back to the facet", () => {
        const facet = facetOf({ q: "carte", page: "2" });
        expect(facet.options.map((option) => option.value)).to.deep.equal(["L0", "L1", "L2", "L3", "L4"]);
        expect(facetOptionsShown).to.equal(5);
        expect(facet.toggle).to.deep.equal({ href: "/repositories?q=carte&page=2&more=language#facet-language", label: `Show the ${facetOptionsExpanded} most frequent values of “Language”`, expanded: false });
        expect(facet.capped).to.equal(false);
        // A facet with few values has no link.
        expect(presentSearch(parseSearchState({}), result, directory, i18n, new Date()).listFacets.find((f) => f.param === "host")!.toggle).to.equal(null);
      });

      it("shows as many values as the engine counts when asked, says the rest need a search, and links back", () => {
        const facet = facetOf({ q: "carte", more: "language" });
        expect(facet.options).to.have.length(facetOptionsExpanded);
        expect(facet.capped).to.equal(true);
        // Fewer values than the engine lists: all of them are there, nothing is said to be missing.
        const few = { ...result, facets: { language: languages.slice(0, facetOptionsExpanded - 10) } } as unknown as SearchResult;
        const whole = presentSearch(parseSearchState({ q: "carte", more: "language" }), few, directory, i18n, new Date()).listFacets.find((f) => f.param === "language")!;
        expect([whole.options.length, whole.capped]).to.deep.equal([facetOptionsExpanded - 10, false]);
        expect(facet.toggle).to.deep.include({ href: "/repositories?q=carte#facet-language", expanded: true });
        const page = presentSearch(parseSearchState({ q: "carte", more: "language" }), result, directory, i18n, new Date());
        expect(page.moreParams).to.deep.equal(["language"]);
        // Unfolding a facet changes no result: exports leave it out.
        expect(searchDownloads(parseSearchState({ q: "carte", more: "language" }), i18n).every((link) => !link.href.includes("more="))).to.equal(true);
      });

      it("always shows the chosen values, even rare ones", () => {
        const facet = facetOf({ language: ["L120", "L2"] });
        expect(facet.options.map((option) => `${option.value}${option.checked ? "*" : ""}`)).to.deep.equal(["L0", "L1", "L2*", "L3", "L4", "L120*"]);
      });

      // Issue 13: page links and facet toggles come from a prefix encoded once; they must be the URLs of their states.
      it("links every page and every facet toggle to exactly the URL of its state", () => {
        const many = { ...result, total: 400, facets: { ...result.facets, host: languages, owner: languages } } as unknown as SearchResult;
        const queries: Record<string, unknown>[] = [
          {},
          { page: "7" },
          { q: "carte & co=1 é", language: ["C++", "Go"], archived: "false", sort: "stars", page: "3", more: ["host", "language"] },
          { active_since: "2024-01-31", more: "owner", page: "20" },
        ];
        let links = 0;
        for (const query of queries) {
          const state = parseSearchState(query);
          const page = presentSearch(state, many, directory, i18n, new Date("2025-06-20T00:00:00Z"));
          for (const item of page.pagination!.items) {
            if (item.kind !== "page") continue;
            expect(item.href).to.equal(searchHref({ ...state, page: item.page }));
            links++;
          }
          expect(page.pagination!.last).to.equal(state.page < 20 ? searchHref({ ...state, page: 20 }) : null);
          expect(page.pagination!.first).to.equal(state.page > 1 ? searchHref({ ...state, page: 1 }) : null);
          for (const facet of page.listFacets.filter((f) => f.toggle)) {
            const name = facet.legendId.replace("facet-", "") as (typeof state.more)[number];
            const more = facet.toggle!.expanded ? state.more.filter((f) => f !== name) : [...state.more, name];
            expect(facet.toggle!.href).to.equal(`${searchHref({ ...state, more })}#facet-${name}`);
            links++;
          }
        }
        expect(links).to.be.greaterThan(20);
      });

      it("links the downloads to the API with exactly the search's parameters", () => {
        for (const query of [{}, { q: "carte & co", language: ["C++", "Go"], page: "3", more: "language" }, { archived: "true", sort: "name" }]) {
          const state = parseSearchState(query);
          const params = { ...Object.fromEntries(Object.entries({ q: state.q, language: state.lists.language, archived: state.bools.archived === undefined ? null : String(state.bools.archived) })) };
          const asked = Object.keys(query).length > 0;
          const expected = withQuery("/api/v1/repositories.csv", { ...params, sort: asked ? (state.sort ?? (state.q ? "relevance" : "activity")) : null });
          const [semicolon, csv, json] = searchDownloads(state, i18n).map((link) => link.href);
          expect(csv).to.equal(expected);
          expect(json).to.equal(expected.replace(".csv", ".json"));
          expect(semicolon).to.equal(withQuery("/api/v1/repositories.csv", { ...params, sort: asked ? (state.sort ?? (state.q ? "relevance" : "activity")) : null, sep: "semicolon" }));
        }
      });

      it("labels the filter panel in the page's language, the same from one page to the next", () => {
        const options = (lang: "fr" | "en") =>
          presentSearch(parseSearchState({}), { ...result, facets: { archived: [{ value: "true", count: 1234 }] } } as unknown as SearchResult, directory, createTranslator(lang), new Date())
            .selects.find((select) => select.param === "archived")!.options.map((option) => option.label);
        expect(options("en")).to.deep.equal(["All", "Archived only (1,234)", "Without archived (0)"]);
        expect(options("fr")[1]).to.match(/^Seulement les archivés \(1\s234\)$/u);
        expect(options("en")).to.deep.equal(["All", "Archived only (1,234)", "Without archived (0)"]);
        const sorts = (lang: "fr" | "en", sort: string) => presentSearch(parseSearchState({ sort }), result, directory, createTranslator(lang), new Date()).sortSelect;
        expect(sorts("en", "stars").options.filter((o) => o.selected).map((o) => o.label)).to.deep.equal(["Stars"]);
        expect(sorts("en", "name").options.filter((o) => o.selected).map((o) => o.value)).to.deep.equal(["name"]);
        expect(sorts("fr", "stars").label).to.not.equal(sorts("en", "stars").label);
      });

      it("refuses to unfold a facet that does not exist", () => {
        expect(() => parseSearchState({ more: "nothing" })).to.throw(/more must name filters/);
      });
    });
  });

  describe("public bodies grouping", () => {
    const ministry = "a515667c-6dc0-4544-a1a8-2cf13d7da23b";
    const body = "d1a97841-b4bf-46df-a089-1003e4e266b4";
    const directory = parsePublicBodies(
      `ministries:\n  ${ministry}: { fr: Premier ministre, en: Prime Minister }\n` +
        `bodies:\n  ${body}: { name: Direction interministérielle du numérique, acronym: DINUM, ministry: ${ministry} }\n` +
        `unidentified: [00000000-0000-0000-0000-000000000000]\n`,
    );
    const owner = (login: string, psoId: string | null, repositories: number): OwnerSummary => ({
      id: 0, host: "github.com", login, kind: "organization", name: null, psoId, repositories, stars: repositories * 2, forks: 0, lastActivityAt: null,
    });

    it("groups owners by body under their ministry, and keeps the rest apart", () => {
      const page = groupByPublicBody(
        [owner("a", body, 3), owner("b", body.toUpperCase(), 5), owner("c", "99999999-9999-4999-8999-999999999999", 1), owner("d", null, 1), owner("e", "00000000-0000-0000-0000-000000000000", 2)],
        directory,
        createTranslator("en"),
      );
      expect(page.ministries.map((m) => [m.name, m.figures])).to.deep.equal([["Prime Minister", { bodies: 1, owners: 2, repositories: 8, stars: 16 }]]);
      expect(page.ministries[0]!.bodies[0]!.owners.map((o) => o.label)).to.deep.equal(["b", "a"]);
      expect(page.others.map((b) => b.name)).to.deep.equal(["Unlisted public body (99999999-9999-4999-8999-999999999999)"]);
      expect(page.unattached.map((o) => o.label)).to.deep.equal(["d", "e"]);
    });

    it("puts a ministry's own accounts under its heading, not in a card repeating its name (issue 14)", () => {
      const page = groupByPublicBody([owner("pm", ministry, 4), owner("a", body, 3)], directory, createTranslator("fr"));
      const [group] = page.ministries;
      expect(group!.name).to.equal("Premier ministre");
      expect(group!.bodies.map((b) => b.name)).to.deep.equal(["Direction interministérielle du numérique (DINUM)"]);
      expect(group!.own!.owners.map((o) => o.label)).to.deep.equal(["pm"]);
      expect(group!.figures).to.deep.equal({ bodies: 2, owners: 2, repositories: 7, stars: 14 });
    });
  });

  describe("URLs", () => {
    it("encodes each segment of nested paths", () => {
      expect(repositoryPath("gitlab.example.fr:8443", "a group/sub/x#y")).to.equal("/repositories/gitlab.example.fr%3A8443/a%20group/sub/x%23y");
      expect(ownerPath("gitlab.com", "dinum/outils")).to.equal("/owners/gitlab.com/dinum/outils");
    });

    // Issue 13: names that need no encoding are taken as they are; every other name is encoded as before.
    it("encodes a segment exactly as encodeURIComponent does, with or without characters to encode", () => {
      const names = ["etalab/udata", "a_b.c-d~e!f*g'h(i)", "Dinum/Outils-2", "données/carte", "a b/c", "x%41/y", "q?a=b&c", "a#b", "../x", "a+b", "a:b@c", "a;b,c", "emoji🗺", "tab\tx", "<x>\"y\""];
      for (const name of names) {
        const expected = name.split("/").map(encodeURIComponent).join("/");
        expect(repositoryPath("github.com", name), name).to.equal(`/repositories/github.com/${expected}`);
        expect(ownerPath("github.com", name), name).to.equal(`/owners/github.com/${expected}`);
      }
    });
  });

  describe("status counts", () => {
    const run = (count: number) => ({
      id: 7, trigger: "cli", status: "succeeded", startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:01:00Z", error: null,
      accountsTotal: count, accountsFailed: count, accountsSkipped: count, repositoriesSeen: count, repositoriesAdded: count,
      repositoriesUpdated: count, repositoriesRemoved: count, requests: count, notModified: count, rateLimitWaits: count,
    });
    const account = (retries: number): AccountStatusEntry => ({
      host: "github.com", login: "etalab", forge: "github", status: "ok", reason: null, message: null, attempts: 1, firstReason: null,
      retries, rateLimitWaits: 0, lastSuccessAt: null, lastRunAt: "2026-01-01T00:00:00Z", runId: 7, repositories: 3, liveRepositories: 3,
    });
    const fr = createTranslator("fr");
    const en = createTranslator("en");

    it("gives each count of a run's totals its plural form", () => {
      expect(toRunView(run(1), fr).totals).to.equal("1 compte, dont 1 en échec et 1 ignoré\u00a0; 1 dépôt vu, 1 ajouté, 1 modifié, 1 retiré\u00a0; 1 requête (1 sans changement), 1 attente de quota.");
      expect(toRunView(run(2), fr).totals).to.equal("2 comptes, dont 2 en échec et 2 ignorés\u00a0; 2 dépôts vus, 2 ajoutés, 2 modifiés, 2 retirés\u00a0; 2 requêtes (2 sans changement), 2 attentes de quota.");
      expect(toRunView(run(1), en).totals).to.equal("1 account, 1 failed and 1 skipped; 1 repository seen, 1 added, 1 updated, 1 removed; 1 request (1 unchanged), 1 rate-limit wait.");
      expect(toRunView(run(0), en).totals).to.equal("0 accounts, 0 failed and 0 skipped; 0 repositories seen, 0 added, 0 updated, 0 removed; 0 requests (0 unchanged), 0 rate-limit waits.");
    });

    it("gives an account's retried requests their plural form", () => {
      expect(toStatusAccountView(account(1), fr).attempts).to.equal("1 (1 nouvelle requête)");
      expect(toStatusAccountView(account(3), fr).attempts).to.equal("1 (3 nouvelles requêtes)");
      expect(toStatusAccountView(account(1), en).attempts).to.equal("1 (1 request retried)");
      expect(toStatusAccountView(account(0), en).attempts).to.equal("1 (0 requests retried)");
    });
  });
});
