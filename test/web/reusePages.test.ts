// The reuse pages through real HTTP (issue 10), over a hand-made graph built by
// the real rebuild (te../helpers/reusePagesFixture.ts): the right lists on the
// repository, owner, public body, external software, shared projects and
// statistics pages, in French and English, with harvested names escaped.
import { expect } from "chai";
import { bodies } from "../helpers/catalogueFixture.ts";
import { payloads } from "../helpers/hostileFixture.ts";
import { hostilePackage, hostileUser, reuseIds, seedReuse, udataDependents } from "../helpers/reusePagesFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, hrefs, textOf } from "./http.ts";

/** The inner HTML of the element with this id (its first closing tag of the same name ends it: no nesting in these lists). */
function byId(html: string, id: string): string {
  const match = new RegExp(`<(\\w+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!match) throw new Error(`no element #${id}`);
  return match[2]!;
}

function texts(fragment: string): string[] {
  return [...fragment.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((match) => decode(match[1]!.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim());
}

const page = (id: string) => `/repositories/${id.split("/").map(encodeURIComponent).join("/")}`;

describe("reuse pages (HTTP)", function () {
  this.timeout(30_000);
  let web: WebServer;
  before(async () => {
    web = await startWebServer((database) => seedReuse(database.db));
  });
  after(async () => {
    expect(web.logged, "no server error").to.deep.equal([]);
    await web.close();
  });

  describe("repository page", () => {
    it("lists who reuses a repository: forks by any owner, dependents with the package, linked to their pages", async () => {
      const { status, html } = await get(web.url, `${page(reuseIds.uiKit)}?lang=en`);
      expect(status).to.equal(200);
      const forks = byId(html, "reused-by-forks");
      expect(hrefs(forks)).to.have.members([page(reuseIds.betaFork), page(reuseIds.labsFork)]);
      expect(texts(forks)).to.include("github.com/betagouv/ui-kit (Incubateur de services numériques beta.gouv.fr)");
      const dependents = byId(html, "reused-by-dependents");
      expect(hrefs(dependents)).to.have.members([page(reuseIds.appB), page(reuseIds.appC), page(reuseIds.hostile)]);
      expect(texts(dependents)[0]).to.contain("through the package npm · @etalab/ui-kit");
      // Three other reusers: beta.gouv.fr, the DINUM, the hostile account without a body; etalab-labs is etalab's own.
      expect(textOf(byId(html, "reused-by"), "p")).to.equal("Reused by 3 other public bodies or declared users.");
      // A short list: no link to the API's.
      expect(html).to.not.contain("/dependents\"");
    });

    it("shows what a repository builds on: the packages' publishers, declared bases inside and outside, http(s) links only", async () => {
      const { html } = await get(web.url, `${page(reuseIds.appC)}?lang=en`);
      expect(hrefs(byId(html, "builds-on-dependencies"))).to.deep.equal([page(reuseIds.uiKit)]);
      expect(texts(byId(html, "builds-on-dependencies"))[0]).to.match(/^npm · @etalab\/ui-kit, published by github\.com\/etalab\/ui-kit/);
      const basedOn = byId(html, "builds-on-based-on");
      expect(hrefs(basedOn)).to.deep.equal([page(reuseIds.udata), "https://example.org/other/project"]);
      expect(texts(basedOn)).to.include("javascript:alert(1)");
      expect(html).to.not.match(/href="\s*javascript:/i);
      expect(texts(byId(html, "reused-by-declared"))).to.deep.equal(["Ville de Lyon", hostileUser]);
      expect(html).to.not.contain(hostileUser);
      expect(texts(byId(html, "builds-on-declared"))).to.deep.equal(["PostgreSQL"]);
      expect(html).to.contain("2 packages it needs come from outside the catalogue.");
    });

    it("cuts a long list of dependents and links the whole list in the API; declared bases stay apart", async () => {
      const { html } = await get(web.url, `${page(reuseIds.udata)}?lang=en`);
      const dependents = byId(html, "reused-by-dependents");
      expect(hrefs(dependents)).to.have.length(10).and.to.deep.equal(udataDependents.slice(0, 10).map(page));
      expect(html).to.contain('<a class="fr-link fr-link--sm" href="/api/v1/repositories/github.com/etalab/udata/dependents" type="application/json">The whole list (12) in the API</a>');
      expect(decode(html)).to.contain("12 public repositories depend on it");
      // The link leads to the API's list: the same 12 dependencies (and, of its own kind, the declared base shown apart here).
      const api = await fetch(`${web.url}/api/v1/repositories/github.com/etalab/udata/dependents?per_page=50`);
      expect(api.status).to.equal(200);
      const body = (await api.json()) as { items: { id: string; kind: string }[] };
      expect(body.items.filter((item) => item.kind === "dependency").map((item) => item.id)).to.have.members(udataDependents);
      expect(body.items.filter((item) => item.kind === "based_on").map((item) => item.id)).to.deep.equal([reuseIds.appC]);
      expect(hrefs(byId(html, "reused-by-based-on"))).to.deep.equal([page(reuseIds.appC)]);
    });

    it("shows a fork's parent in the catalogue and outside it", async () => {
      expect(hrefs(byId((await get(web.url, `${page(reuseIds.betaFork)}?lang=en`)).html, "builds-on-fork"))).to.deep.equal([page(reuseIds.uiKit)]);
      const outside = byId((await get(web.url, `${page(reuseIds.dinumLinux)}?lang=en`)).html, "builds-on-upstream");
      expect(hrefs(outside)).to.deep.equal(["https://github.com/torvalds/linux"]);
    });

    it("explains the score: each criterion with its value, weight and points, in both languages", async () => {
      for (const [lang, heading, criterion] of [["en", "Reuse score: ", "Reused by other public bodies"], ["fr", "Score de réutilisation\u00a0: ", "Réutilisé par d’autres organismes publics"]] as const) {
        const { html } = await get(web.url, `${page(reuseIds.uiKit)}?lang=${lang}`);
        const section = byId(html, "reuse-score");
        expect(decode(/<h3\b[^>]*>([^<]*)<\/h3>/.exec(section)![1]!)).to.match(new RegExp(`^${heading}\\d`));
        const rows = [...section.matchAll(/<tr data-criterion="(\w+)"><th scope="row">([^<]*)<\/th><td[^>]*>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)];
        expect(rows.map((row) => row[1])).to.deep.equal(["reused_by", "declared_users", "stars", "recent_activity", "licence", "readme", "publiccode", "contributing"]);
        expect(decode(rows[0]![2]!)).to.equal(criterion);
        // reused_by: 3 reusers, weight 35, 35 × 3/5 = 21 points.
        expect(rows[0]!.slice(3)).to.deep.equal(["3", "35", "21"]);
        expect(rows.find((row) => row[1] === "licence")![3]).to.equal("MIT");
      }
    });

    it("escapes a hostile repository's reuse and still renders", async () => {
      const { status, html } = await get(web.url, `${page(reuseIds.hostile)}?lang=en`);
      expect(status).to.equal(200);
      expect(texts(byId(html, "builds-on-dependencies"))[0]).to.contain("@etalab/ui-kit");
      expect(html).to.not.contain(payloads.script);
    });
  });

  describe("owner and public body pages", () => {
    it("says how much of an owner's code others reuse, and what it reuses", async () => {
      const etalab = (await get(web.url, "/owners/github.com/etalab?lang=en")).html;
      const reused = texts(byId(etalab, "owner-reused"));
      expect(reused[0]).to.match(/^github\.com\/etalab\/ui-kit .*· reused by 3 other bodies or declared users$/);
      expect(reused[1]).to.match(/^github\.com\/etalab\/udata .*· reused by 1 other body or declared user$/);
      const beta = (await get(web.url, "/owners/github.com/betagouv?lang=fr")).html;
      expect(texts(byId(beta, "owner-reuses"))[0]).to.match(/^github\.com\/etalab\/ui-kit \(Etalab \(DINUM\)\) · /);
      expect(textOf(byId(beta, "owner-reuse"), "h2")).to.equal("Réutilisation");
    });

    it("serves a public body's page with its accounts and reuse, and 404 for an unknown body", async () => {
      const { status, html } = await get(web.url, `/public-bodies/${bodies.etalab}?lang=en`);
      expect(status).to.equal(200);
      expect(textOf(html, "h1")).to.equal("Etalab (DINUM)");
      expect(hrefs(byId(html, "body-accounts"))).to.have.members(["/owners/github.com/etalab", "/owners/github.com/etalab-apps", "/owners/github.com/etalab-labs"]);
      expect(hrefs(byId(html, "owner-reused"))).to.include(page(reuseIds.uiKit));
      expect((await get(web.url, "/public-bodies/not-a-body")).status).to.equal(404);
      expect((await get(web.url, `/public-bodies/${bodies.nil}`)).status).to.equal(404);
      const list = (await get(web.url, "/public-bodies?lang=en")).html;
      expect(hrefs(list)).to.include(`/public-bodies/${bodies.etalab}`);
    });
  });

  describe("external software and shared projects", () => {
    it("ranks outside packages by ecosystem and the most forked outside projects, with counts", async () => {
      for (const lang of ["fr", "en"] as const) {
        const { status, html } = await get(web.url, `/reuse/external?lang=${lang}`);
        expect(status).to.equal(200);
        const npm = byId(html, "packages-npm");
        const rows = [...npm.matchAll(/<tr><th scope="row"[^>]*>([^<]*)<\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((row) => [decode(row[1]!), row[2], row[3]]);
        expect(rows[0]).to.deep.equal(["react", "3", "3"]);
        expect(rows.map((row) => row[0])).to.include.members(["left-pad", hostilePackage]);
        expect(rows.map((row) => row[0])).to.not.include("@etalab/ui-kit");
        expect(byId(html, "packages-pypi")).to.contain("requests");
        expect(html).to.not.contain(hostilePackage);
        const upstreams = byId(html, "upstreams");
        expect(hrefs(upstreams)).to.deep.equal(["https://github.com/torvalds/linux"]);
        expect(upstreams).to.match(/torvalds\/linux<\/a>\s*<\/th><td>2<\/td><td>2<\/td>/);
        // A package two repositories (not forks) declare: said, with both publishers, and no reuse guessed.
        const ambiguous = byId(html, "ambiguous");
        expect(decode(ambiguous)).to.contain("npm · formulaires-communs");
        expect(hrefs(ambiguous)).to.deep.equal([page(reuseIds.twinA), page(reuseIds.twinB)]);
      }
      expect(textOf((await get(web.url, "/reuse/external?lang=fr")).html, "h1")).to.equal("Les logiciels libres sur lesquels s’appuie le secteur public");
    });

    it("lists the repositories reused by at least two other public bodies, paginated, with clear errors", async () => {
      const { html } = await get(web.url, "/reuse/shared?lang=en");
      expect(textOf(html, "h1")).to.equal("Shared projects");
      const list = byId(html, "shared-projects");
      expect(hrefs(list)).to.deep.equal([page(reuseIds.uiKit)]);
      expect(decode(list)).to.contain("reused by 3 other public bodies");
      expect((await get(web.url, "/reuse/shared?page=zero")).status).to.equal(400);
      expect((await get(web.url, "/reuse/shared?page=9")).status).to.equal(404);
    });
  });

  describe("statistics", () => {
    it("charts reuse over time and by ecosystem, each with its table", async () => {
      const { html } = await get(web.url, "/statistics?lang=en");
      const history = byId(html, "reuse-history-table");
      const rows = [...history.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((row) => row.slice(1));
      expect(rows).to.have.length(2);
      expect(rows[0]![0]).to.equal("13 June 2025");
      // dinum's application arrives with the second rebuild: more links across bodies.
      expect(Number(rows[1]![1])).to.be.greaterThan(Number(rows[0]![1]));
      const ecosystems = byId(html, "reuse-ecosystems-table");
      expect(ecosystems).to.match(/<th scope="row">npm<\/th><td>\d+<\/td><td>[1-9]\d*<\/td>/);
      expect(ecosystems).to.contain(">pypi<");
      expect(hrefs(html)).to.include.members(["/reuse/external", "/reuse/shared"]);
      const french = (await get(web.url, "/statistics?lang=fr")).html;
      expect(textOf(byId(french, "reuse"), "h2")).to.equal("Réutilisation");
    });
  });
});
