// The search page as a reader meets it (issue 14), on a desktop and on a
// 375-pixel phone, with and without JavaScript; and an empty catalogue after
// failed harvests. Screenshots go to artifacts/screenshots/.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, BrowserContext } from "playwright-core";
import { seedCatalogue, seedRun } from "../helpers/catalogueFixture.ts";
import { openSearchEngine } from "../../src/search/engine.ts";
import { fixtureNow } from "../helpers/catalogueFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { hasChromium, launchBrowser, screenshotsDir, watchedPage, type Watched } from "./browser.ts";

const phone = { width: 375, height: 740 };
const desktop = { width: 1280, height: 900 };

describe("search page in a browser", function () {
  this.timeout(60_000);
  let web: WebServer;
  let empty: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let watched: Watched;

  before(async function () {
    if (!hasChromium()) this.skip();
    // The real search engine: what it cannot search for (emoji) is part of what is tested.
    web = await startWebServer((database) => seedCatalogue(database.db), {
      searchFor: (database) => openSearchEngine({ db: database.db, indexDir: path.join(database.dir, "index"), now: () => fixtureNow, buildIn: "process" }),
    });
    // Every forge unreachable, three runs in a row: an empty catalogue that must say so.
    empty = await startWebServer((database) => {
      for (const day of ["12", "13", "14"]) {
        seedRun(database.db, {
          startedAt: `2025-06-${day}T03:17:00Z`,
          finishedAt: `2025-06-${day}T03:18:00Z`,
          status: "failed",
          results: [
            { host: "github.com", login: "etalab", status: "failed", reason: "network_error", message: "getaddrinfo ENOTFOUND api.github.com" },
            { host: "gitlab.com", login: "incubateur-territoires", status: "failed", reason: "network_error", message: "getaddrinfo ENOTFOUND gitlab.com" },
          ],
        });
      }
    });
    browser = await launchBrowser();
    fs.mkdirSync(screenshotsDir, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await empty?.close();
  });
  async function open(viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<Watched> {
    context = await browser.newContext({ locale: "fr-FR", viewport, javaScriptEnabled });
    watched = await watchedPage(context);
    return watched;
  }
  afterEach(async function () {
    if (!context) return;
    if (this.currentTest?.state === "passed") {
      expect(watched.problems, "console errors, failed requests, dialogs").to.deep.equal([]);
      if (context.pages()[0] && (await context.pages()[0]!.evaluate(() => "__violations" in window).catch(() => false))) {
        expect(await watched.violations(), "CSP violations").to.deep.equal([]);
      }
    }
    await context.close();
  });

  it("on a phone, shows results first and folds the filters into an accordion counting the active ones", async () => {
    const { page } = await open(phone);
    await page.goto(`${web.url}/repositories?q=outil&language=Python&archived=false`);
    const toggle = page.locator("#filters-toggle");
    expect(await toggle.isVisible()).to.equal(true);
    expect((await toggle.textContent())?.trim()).to.equal("Filtres (2 actifs)");
    expect(await toggle.getAttribute("aria-expanded")).to.equal("false");
    // The first result is on the first screen; the folded filters take no room.
    const first = await page.locator(".cc-result").first().boundingBox();
    expect(first!.y + 40).to.be.lessThan(phone.height);
    expect(await page.locator("#facet-language").isVisible()).to.equal(false);
    // No horizontal overflow on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(phone.width);
    await page.screenshot({ path: path.join(screenshotsDir, "search-phone.png"), fullPage: false });

    // Opening the accordion shows the filters; ticking one applies at once and the panel stays open.
    await toggle.click();
    await page.locator("#facet-language").waitFor({ state: "visible" });
    expect(await toggle.getAttribute("aria-expanded")).to.equal("true");
    await page.screenshot({ path: path.join(screenshotsDir, "search-phone-filters.png"), fullPage: false });
    await Promise.all([page.waitForURL(/language=JavaScript/), page.locator("label", { hasText: /^JavaScript/ }).click()]);
    await page.waitForFunction(() => document.getElementById("filters-toggle")?.getAttribute("aria-expanded") === "true");
    expect((await page.locator("#filters-toggle").textContent())?.trim()).to.equal("Filtres (3 actifs)");
  });

  it("on a phone without JavaScript, lists results before the filters and keeps the apply button in view", async () => {
    const { page } = await open(phone, false);
    await page.goto(`${web.url}/repositories?q=outil`);
    const first = await page.locator(".cc-result").first().boundingBox();
    const filters = await page.locator(".cc-filters").boundingBox();
    expect(first!.y).to.be.lessThan(filters!.y);
    expect(first!.y + 40).to.be.lessThan(phone.height);
    // Scrolled into the filters, the apply button is on screen.
    await page.locator("#facet-language").scrollIntoViewIfNeeded();
    await page.locator("label", { hasText: /^TypeScript/ }).click();
    const apply = await page.locator("#apply-filters").boundingBox();
    expect(apply!.y).to.be.within(0, phone.height - apply!.height);
    await page.locator("#apply-filters").click();
    await page.waitForURL(/language=TypeScript/);
  });

  // Issue 13: five values a facet, the others one link away, with or without JavaScript.
  it("without JavaScript, shows a facet's other values through a link, and keeps them shown while filtering", async () => {
    const { page } = await open(desktop, false);
    await page.goto(`${web.url}/repositories`);
    const boxes = page.locator('fieldset[aria-labelledby="facet-language"] input[type=checkbox]');
    const toggle = page.locator('fieldset[aria-labelledby="facet-language"] .cc-facet__more a');
    expect(await boxes.count()).to.equal(5);
    const label = (await toggle.textContent())!.trim();
    expect(label).to.match(/^Afficher les \d+ valeurs les plus fréquentes de « Langage »$/);
    const all = Number(/\d+/.exec(label)![0]);
    expect(all).to.be.greaterThan(5);
    await Promise.all([page.waitForURL(/more=language#facet-language$/), toggle.click()]);
    expect(await boxes.count()).to.equal(all);
    // The rarest value, ticked and applied: the facet stays unfolded and the value ticked.
    const rarest = (await boxes.last().getAttribute("value"))!;
    await page.locator(`label[for="${await boxes.last().getAttribute("id")}"]`).click();
    await Promise.all([page.waitForURL((url) => url.searchParams.get("language") === rarest && url.searchParams.get("more") === "language"), page.locator("#apply-filters").click()]);
    expect(await boxes.count()).to.equal(all);
    expect(await page.locator(`fieldset[aria-labelledby="facet-language"] input[value="${rarest}"]`).isChecked()).to.equal(true);
    // Folded again, the chosen value is still there besides the five.
    expect((await toggle.textContent())?.trim()).to.equal("N’afficher que les 5 valeurs les plus fréquentes de « Langage »");
    await Promise.all([page.waitForURL((url) => !url.searchParams.has("more")), toggle.click()]);
    expect(await boxes.count()).to.equal(6);
    expect(await page.locator(`fieldset[aria-labelledby="facet-language"] input[value="${rarest}"]`).isChecked()).to.equal(true);
  });

  it("on a desktop without JavaScript, keeps the apply button in view while the filters scroll", async () => {
    const { page } = await open(desktop, false);
    await page.goto(`${web.url}/repositories`);
    const apply = page.locator("#apply-filters");
    expect(await apply.isVisible()).to.equal(true);
    for (const scroll of [0, 600, 1200]) {
      await page.evaluate((y) => window.scrollTo(0, y), scroll);
      const box = await apply.boundingBox();
      expect(box!.y, `scrolled ${scroll}`).to.be.within(0, desktop.height - box!.height);
    }
  });

  it("on a desktop with JavaScript, applies a filter at once, and offers the results for download", async () => {
    const { page } = await open(desktop);
    await page.goto(`${web.url}/repositories?q=outil`);
    expect(await page.locator("#filters-toggle").isVisible()).to.equal(false);
    expect(await page.locator("#facet-language").isVisible()).to.equal(true);
    expect(await page.locator("#apply-filters").isVisible()).to.equal(false);
    await Promise.all([page.waitForURL(/has_license=true/), page.locator("#filter-has_license").selectOption("true")]);
    const links = await page.locator("#downloads a").evaluateAll((items) => items.map((item) => item.getAttribute("href")));
    expect(links).to.have.length(3);
    for (const href of links) {
      const url = new URL(href!, web.url);
      expect(url.pathname).to.match(/^\/api\/v1\/repositories\.(csv|json)$/);
      expect([url.searchParams.get("q"), url.searchParams.get("has_license"), url.searchParams.get("sort")]).to.deep.equal(["outil", "true", "relevance"]);
    }
    // The JSON download holds the results the page counts.
    const total = Number((await page.locator("#results-title").textContent())!.replace(/\D/g, ""));
    const records = (await (await fetch(new URL(links[2]!, web.url))).json()) as unknown[];
    expect(records).to.have.length(total);
  });

  it("says that nothing could be searched for in a text of emoji or unindexed script", async () => {
    const { page } = await open(phone);
    await page.goto(`${web.url}/repositories?q=${encodeURIComponent("🚀 日本")}`);
    expect(await page.locator("#unsearchable").textContent()).to.include("Rien à chercher dans");
    expect(await page.locator(".cc-result").count()).to.equal(0);
    expect(await page.locator("#no-results").count()).to.equal(0);
  });

  it("says why an empty catalogue is empty, on the home and search pages (screenshots)", async () => {
    for (const [name, viewport] of [["desktop", desktop], ["phone", phone]] as const) {
      const { page } = await open(viewport);
      await page.goto(`${empty.url}/`);
      const notice = await page.locator("#catalogue-notice").textContent();
      expect(notice).to.include("la dernière collecte a échoué").and.to.include("a échoué pour 2 comptes sur 2");
      expect(notice).not.to.include("peut-être en cours");
      expect(await page.locator("#catalogue-notice a").getAttribute("href")).to.equal("/status");
      await page.screenshot({ path: path.join(screenshotsDir, `empty-catalogue-home-${name}.png`), fullPage: true });
      await page.goto(`${empty.url}/repositories?q=carte`);
      expect(await page.locator("#catalogue-notice").textContent()).to.include("a échoué pour 2 comptes sur 2");
      expect(await page.locator("#no-results").count(), "no spelling advice in an empty catalogue").to.equal(0);
      await page.screenshot({ path: path.join(screenshotsDir, `empty-catalogue-search-${name}.png`), fullPage: true });
      await context.close();
    }
    context = await browser.newContext();
    watched = await watchedPage(context);
  });
});
