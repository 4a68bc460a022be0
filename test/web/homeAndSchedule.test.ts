// The home page (issue 14): example searches from the catalogue's own frequent
// topics, each finding something; the real schedule in words, in both languages;
// and what is true of an empty catalogue while a harvest runs or after it failed.
import { expect } from "chai";
import { startRun } from "../../src/store/runs.ts";
import { describeCron } from "../../src/web/presenters/schedule.ts";
import { seedCatalogue, seedRun } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { decode, get, textById } from "./http.ts";

describe("home page: examples, schedule, empty catalogue", () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer((database) => seedCatalogue(database.db));
  });
  after(async () => {
    await web.close();
  });

  it("suggests searches taken from the catalogue's frequent topics, each of which finds repositories", async () => {
    const { html } = await get(web.url, "/");
    const links = [...html.matchAll(/<li><a class="fr-tag" href="([^"]*)">([^<]*)<\/a><\/li>/g)].map((match) => ({ href: decode(match[1]!), label: decode(match[2]!) }));
    expect(links.length).to.be.within(1, 5);
    const facets = (web.search.search({ q: "", filters: {}, sort: "relevance", page: 1, perPage: 1 }).facets.topic).map((value) => value.value.replace(/-/g, " "));
    for (const link of links) {
      expect(facets, link.label).to.include(link.label);
      expect(web.search.search({ q: link.label, filters: {}, sort: "relevance", page: 1, perPage: 1 }).total, link.label).to.be.greaterThan(0);
      expect(link.href).to.equal(`/repositories?q=${encodeURIComponent(link.label).replace(/%20/g, "+")}`);
    }
    expect(html).not.to.include("Par exemple");
  });

  it("says the harvest schedule in words, in both languages, never \"every night\" whatever the schedule", async () => {
    expect(textById((await get(web.url, "/", { "accept-language": "fr" })).html, "home-schedule")).to.equal("La collecte est planifiée chaque jour à 3 h 17 (heure du serveur).");
    expect(textById((await get(web.url, "/?lang=en")).html, "home-schedule")).to.equal("The harvest is scheduled every day at 03:17 (server time).");
    const weekly = await startWebServer((database) => seedCatalogue(database.db), { harvestCron: "0 2 * * 1" });
    const manual = await startWebServer((database) => seedCatalogue(database.db), { harvestCron: "" });
    try {
      const html = (await get(weekly.url, "/?lang=en")).html;
      expect(textById(html, "home-schedule")).to.equal("The harvest is scheduled every Monday at 02:00 (server time).");
      expect(html).not.to.match(/every night|chaque nuit/i);
      expect(textById((await get(manual.url, "/")).html, "home-schedule")).to.equal("La collecte est lancée à la demande par l’exploitant de ce site.");
    } finally {
      await weekly.close();
      await manual.close();
    }
  });

  it("puts common cron expressions into words, and leaves the others to the expression itself", () => {
    expect(describeCron("17 3 * * *", "fr")).to.equal("chaque jour à 3 h 17");
    expect(describeCron("0 3,15 * * *", "en")).to.equal("every day at 03:00 and 15:00");
    expect(describeCron("0 2 * * 1-5", "fr")).to.equal("chaque lundi, mardi, mercredi, jeudi et vendredi à 2 h 00");
    expect(describeCron("*/15 * * * *", "en")).to.equal("every 15 minutes");
    expect(describeCron("30 */6 * * *", "fr")).to.equal("toutes les 6 heures, à la minute 30");
    expect(describeCron("0 4 1 * *", "en")).to.equal("on day 1 of each month at 04:00");
    expect(describeCron("0 17 3 * * *", "en")).to.equal("every day at 03:17");
    expect(describeCron("0 0 * 1 *", "en")).to.equal(null);
    expect(describeCron("0 0 * * MON", "en")).to.equal(null);
  });

  it("says a harvest is running in an empty catalogue, and what the last run did", async () => {
    const running = await startWebServer((database) => {
      startRun(database.db, "startup", "2025-06-15T09:58:00Z");
    });
    const nothing = await startWebServer((database) => {
      seedRun(database.db, { status: "succeeded", startedAt: "2025-06-14T03:17:00Z", finishedAt: "2025-06-14T03:18:00Z", results: [{ host: "github.com", login: "vide", status: "ok", repositories: 0 }] });
    });
    const never = await startWebServer(() => {});
    try {
      const html = (await get(running.url, "/?lang=en")).html;
      expect(textById(html, "catalogue-notice")).to.include("A harvest is running").and.to.include("the catalogue fills when it ends");
      expect(html).not.to.include("may still be running");
      expect(textById((await get(running.url, "/repositories?q=carte&lang=en")).html, "catalogue-notice")).to.include("A harvest is running");
      expect(textById((await get(nothing.url, "/")).html, "catalogue-notice")).to.include("a réussi pour le seul compte déclaré, qui n’a aucun dépôt public");
      expect(textById((await get(never.url, "/?lang=en")).html, "catalogue-notice")).to.include("no harvest has run yet");
      // An empty search of an empty catalogue is no spelling mistake.
      const search = (await get(never.url, "/repositories?q=carte")).html;
      expect(search).not.to.include("vérifiez l’orthographe");
      expect(textById(search, "catalogue-notice")).to.include("aucune collecte n’a encore eu lieu");
    } finally {
      await running.close();
      await nothing.close();
      await never.close();
    }
  });
});
