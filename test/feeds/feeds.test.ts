// The Atom feeds, read by a real feed parser and checked entry by entry
// against the API's records, over the whole app on 127.0.0.1.
import { expect } from "chai";
import { parseFeed } from "@rowanmanning/feed-parser";
import type { PublicRepository } from "../../src/records/repository.ts";
import type { SearchResponse } from "../../src/web/api/present.ts";
import { bodies, fixtureRepositories } from "../fixtures/catalogue.ts";
import { servedFixture } from "../helpers/httpApp.ts";
import { seedHostileCatalogue, payloads } from "../helpers/hostileFixture.ts";
import { startWebServer } from "../helpers/webServer.ts";

type ParsedFeed = ReturnType<typeof parseFeed>;

const encodedPath = (id: string) => id.split("/").map(encodeURIComponent).join("/");

describe("Atom feeds", () => {
  const served = servedFixture();
  const base = () => served.app.url;

  async function feedAt(path: string, headers: Record<string, string> = {}): Promise<{ response: Response; feed: ParsedFeed; xml: string }> {
    const response = await fetch(`${base()}${path}`, { headers });
    expect(response.status, path).to.equal(200);
    expect(response.headers.get("content-type"), path).to.equal("application/atom+xml; charset=utf-8");
    const xml = await response.text();
    return { response, feed: parseFeed(xml), xml };
  }

  async function apiRecord(id: string): Promise<PublicRepository> {
    return (await (await fetch(`${base()}/api/v1/repositories/${encodedPath(id)}`)).json()) as PublicRepository;
  }

  /** Every entry says what the API says of its repository; `updated` is the feed's date of an entry. */
  async function checkEntries(feed: ParsedFeed, { lang = "fr", updated = (record: PublicRepository) => record.pushed_at ?? record.updated_at ?? record.first_seen_at } = {}): Promise<void> {
    const labels = lang === "fr" ? { none: "Sans licence", other: "Autre licence" } : { none: "No licence", other: "Other licence" };
    expect(feed.meta.type).to.equal("atom");
    for (const item of feed.items) {
      const id = item.title!;
      const record = await apiRecord(id);
      expect(record.id, id).to.equal(id);
      const catalogueUrl = `${base()}/repositories/${encodedPath(id)}`;
      expect([item.id, item.url], id).to.deep.equal([catalogueUrl, catalogueUrl]);
      expect(item.description ?? null, id).to.equal(record.description);
      expect(item.content, id).to.contain(`href="${record.url}"`);
      expect(item.content, id).to.contain(record.license === null ? labels.none : record.license === "other" ? labels.other : record.license);
      if (record.language) expect(item.content, id).to.contain(record.language);
      const categories = item.categories.map((category) => category.term);
      expect(categories, id).to.have.members([...(record.language ? [record.language] : []), ...(record.license ? [record.license] : []), ...record.topics]);
      expect(item.updated?.toISOString(), id).to.equal(new Date(updated(record)).toISOString());
      expect(item.authors[0]?.url, id).to.equal(`${base()}/owners/${encodeURIComponent(record.host)}/${encodedPath(record.owner)}`);
    }
  }

  it("lists the newest repositories of the catalogue", async () => {
    const { feed } = await feedAt("/feeds/new.atom");
    expect(feed.title).to.equal("Code Commun : nouveaux dépôts");
    expect(feed.self).to.equal(`${base()}/feeds/new.atom`);
    expect(feed.url).to.equal(`${base()}/`);
    const live = fixtureRepositories.filter((repository) => !repository.removed).length;
    expect(feed.items).to.have.length(Math.min(50, live));
    await checkEntries(feed, { updated: (record) => record.first_seen_at });
  });

  it("gives every search its feed: the API's results, the most recently active first", async () => {
    const { feed } = await feedAt("/feeds/repositories.atom?q=donn%C3%A9es&language=Python&lang=en");
    expect(feed.title).to.equal("Code Commun: repositories for “données”");
    expect(feed.url).to.equal(`${base()}/repositories?q=donn%C3%A9es&language=Python&lang=en`);
    const api = (await (await fetch(`${base()}/api/v1/repositories?q=donn%C3%A9es&language=Python&sort=activity`)).json()) as SearchResponse;
    expect(api.total).to.be.above(1);
    expect(feed.items.map((item) => item.title)).to.deep.equal(api.items.map((item) => item.id));
    await checkEntries(feed, { lang: "en" });
    // An explicit sort and per_page are the API's.
    const { feed: byStars } = await feedAt("/feeds/repositories.atom?topic=open-data&sort=stars&per_page=5");
    const starred = (await (await fetch(`${base()}/api/v1/repositories?topic=open-data&sort=stars&per_page=5`)).json()) as SearchResponse;
    expect(byStars.items.map((item) => item.title)).to.deep.equal(starred.items.map((item) => item.id));
  });

  it("refuses the parameters the API refuses", async () => {
    const response = await fetch(`${base()}/feeds/repositories.atom?sort=popularity`, { headers: { Accept: "application/json" } });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.include({ reason: "invalid_parameter" });
  });

  it("has a feed per owner, nested GitLab groups included", async () => {
    const { feed } = await feedAt("/feeds/owners/github.com/etalab.atom");
    expect(feed.title).to.equal("Code Commun : dépôts de Etalab");
    expect(feed.url).to.equal(`${base()}/owners/github.com/etalab`);
    const api = (await (await fetch(`${base()}/api/v1/repositories?owner=github.com/etalab&sort=activity&per_page=50`)).json()) as SearchResponse;
    expect(feed.items.map((item) => item.title)).to.deep.equal(api.items.map((item) => item.id));
    await checkEntries(feed);
    const { feed: nested } = await feedAt("/feeds/owners/gitlab.com/incubateur-territoires/communs.atom");
    expect(nested.items.length).to.be.above(0);
    for (const item of nested.items) expect(item.title).to.match(/^gitlab\.com\/incubateur-territoires\/communs\//);
    expect((await fetch(`${base()}/feeds/owners/github.com/nobody-at-all.atom`)).status).to.equal(404);
    expect((await fetch(`${base()}/feeds/owners/github.com/etalab`)).status).to.equal(404);
  });

  it("has a feed per public body", async () => {
    const { feed } = await feedAt(`/feeds/public-bodies/${bodies.primeMinister}.atom`);
    expect(feed.title).to.equal("Code Commun : dépôts de Premier ministre");
    const api = (await (await fetch(`${base()}/api/v1/repositories?public_body=${bodies.primeMinister}&sort=activity&per_page=50`)).json()) as SearchResponse;
    expect(api.total).to.be.above(0);
    expect(feed.items.map((item) => item.title)).to.deep.equal(api.items.map((item) => item.id));
    await checkEntries(feed);
    expect((await fetch(`${base()}/feeds/public-bodies/${bodies.placeholder}.atom`)).status).to.equal(404);
    expect((await fetch(`${base()}/feeds/public-bodies/not-a-body.atom`)).status).to.equal(404);
  });

  it("is cached with an ETag: an unchanged feed answers 304", async () => {
    const first = await fetch(`${base()}/feeds/new.atom`);
    const body = await first.text();
    const etag = first.headers.get("etag")!;
    expect(etag).to.match(/^W\//);
    expect(first.headers.get("cache-control")).to.equal("public, max-age=300");
    const again = await fetch(`${base()}/feeds/new.atom`, { headers: { "If-None-Match": etag } });
    expect(again.status).to.equal(304);
    expect(await (await fetch(`${base()}/feeds/new.atom`)).text()).to.equal(body);
    // The English feed is another document.
    const english = await fetch(`${base()}/feeds/new.atom?lang=en`, { headers: { "If-None-Match": etag } });
    expect(english.status).to.equal(200);
  });

  it("is linked from the search, owner and public bodies pages", async () => {
    const search = await (await fetch(`${base()}/repositories?q=transport&language=Elixir&page=1`)).text();
    const decode = (href: string) => href.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
    const head = /<link rel="alternate" type="application\/atom\+xml" title="Suivre cette recherche \(flux Atom\)" href="([^"]+)">/.exec(search);
    const visible = /<a class="fr-link fr-link--sm" id="search-feed" href="([^"]+)" type="application\/atom\+xml">Suivre cette recherche/.exec(search);
    expect(decode(head![1]!)).to.equal("/feeds/repositories.atom?q=transport&language=Elixir");
    expect(decode(visible![1]!)).to.equal("/feeds/repositories.atom?q=transport&language=Elixir");
    const owner = await (await fetch(`${base()}/owners/github.com/etalab`)).text();
    expect(owner).to.contain('href="/feeds/owners/github.com/etalab.atom"');
    const publicBodies = await (await fetch(`${base()}/public-bodies`)).text();
    expect(publicBodies).to.contain(`href="/feeds/public-bodies/${bodies.primeMinister}.atom"`);
    // The linked feeds answer.
    await feedAt("/feeds/repositories.atom?q=transport&language=Elixir");
  });

  it("carries hostile forge data as text, and stays a valid feed", async () => {
    const server = await startWebServer((database) => seedHostileCatalogue(database.db));
    try {
      const response = await fetch(`${server.url}/feeds/new.atom`);
      const xml = await response.text();
      const feed = parseFeed(xml);
      expect(feed.items.length).to.be.above(0);
      // Markup stays escaped inside the type="html" fields, and script URLs never become links.
      expect(xml).not.to.match(/<script|<img|<svg|href="\s*javascript:|href="data:/i);
      // Read back, the text is what the forge said.
      expect(feed.items.some((item) => (item.description ?? "").includes(payloads.img))).to.equal(true);
      expect(server.logged).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });

  it("dates an empty feed at the epoch and keeps it valid", async () => {
    const server = await startWebServer(() => {});
    try {
      const feed = parseFeed(await (await fetch(`${server.url}/feeds/new.atom`)).text());
      expect(feed.items).to.deep.equal([]);
      expect(feed.updated?.toISOString()).to.equal(new Date(0).toISOString());
    } finally {
      await server.close();
    }
  });
});
