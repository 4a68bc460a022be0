// A reader's journeys through the site in a real browser: search, filter,
// sort, paginate, open a repository, switch language, the keyboard only,
// and without JavaScript.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { browserSession, screenshotsDir, watchedPage, type Watched } from "./browser.ts";

/** Stars shown by each result, in order ("1 250 étoiles" → 1250). */
async function starsOf(page: Page): Promise<number[]> {
  const texts = await page.locator(".cc-result__figures").allTextContents();
  return texts.map((text) => Number(/^([\d\s\u202f,]+)/.exec(text)![1]!.replace(/\D/g, "")));
}

describe("site in a browser", function () {
  this.timeout(60_000);
  let context: BrowserContext;
  let watched: Watched;

  const session = browserSession((database) => seedCatalogue(database.db));
  beforeEach(async () => {
    context = await session.browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
    watched = await watchedPage(context);
  });
  afterEach(async function () {
    if (!context) return;
    if (this.currentTest?.state === "passed") {
      expect(watched.problems, "console errors, failed requests, dialogs").to.deep.equal([]);
      expect(await watched.violations(), "CSP violations").to.deep.equal([]);
    }
    await context.close();
  });

  it("searches from the home page, filters, sorts, paginates and opens a repository", async () => {
    const { page } = watched;
    await page.goto(`${session.web.url}/`);
    await page.locator("#home-search").fill("outil");
    await page.locator("#home-search").press("Enter");
    await page.waitForURL(`${session.web.url}/repositories?q=outil`);
    expect(await page.locator("h1").textContent()).to.equal("Dépôts pour «\u00a0outil\u00a0»");
    expect(await page.locator("#results-title").textContent()).to.equal("30 dépôts");

    // Filter: with JavaScript a checkbox applies at once (issue 14); the URL carries the filter.
    // A reader clicks the label: DSFR draws the box there, over the input.
    expect(await page.getByRole("button", { name: "Appliquer les filtres" }).isVisible()).to.equal(false);
    // Five values a facet (issue 13): Python, the sixth language for "outil", is one link away, and stays shown.
    expect(await page.locator("label", { hasText: /^Python/ }).count()).to.equal(0);
    await Promise.all([page.waitForURL(/more=language/), page.getByRole("link", { name: /valeurs les plus fréquentes de « Langage »/ }).click()]);
    await Promise.all([page.waitForURL(/language=Python/), page.locator("label", { hasText: /^Python/ }).click()]);
    expect(new URL(page.url()).searchParams.get("more")).to.equal("language");
    expect(await page.getByRole("checkbox", { name: /^Python/ }).isChecked()).to.equal(true);
    // Empty fields stay out of the address.
    expect(new URL(page.url()).searchParams.has("archived")).to.equal(false);
    const badges = await page.locator(".cc-result").evaluateAll((items) => items.map((item) => Array.from(item.querySelectorAll(".fr-badge")).map((badge) => badge.textContent)));
    expect(badges.length).to.be.greaterThan(0);
    for (const list of badges) expect(list).to.include("Python");

    // Sort by stars.
    await Promise.all([page.waitForURL(/sort=stars/), page.locator("#sort").selectOption("stars")]);
    expect(new URL(page.url()).searchParams.getAll("language")).to.deep.equal(["Python"]);
    const stars = await starsOf(page);
    expect(stars).to.deep.equal([...stars].sort((a, b) => b - a));

    // Remove the filter with its tag, then go to page 2.
    await page.getByRole("link", { name: "Retirer le filtre Langage\u00a0: Python" }).click();
    await page.waitForURL(`${session.web.url}/repositories?q=outil&sort=stars&more=language`);
    const firstPage = await starsOf(page);
    await page.getByRole("link", { name: "Page suivante" }).first().click();
    await page.waitForURL(`${session.web.url}/repositories?q=outil&sort=stars&page=2&more=language`);
    expect(await page.locator('.fr-pagination a[aria-current="page"]').textContent()).to.equal("2");
    const secondPage = await starsOf(page);
    expect(secondPage.length).to.equal(10);
    expect(Math.max(...secondPage)).to.be.at.most(Math.min(...firstPage));

    // Open the first result.
    const title = await page.locator(".cc-result__title a").first().textContent();
    await page.locator(".cc-result__title a").first().click();
    expect(await page.locator("h1").textContent()).to.equal(title);
    expect(await page.getByRole("link", { name: "Voir sur la forge" }).getAttribute("href")).to.equal(`https://github.com/${title}`);
  });

  it("switches to English and stays in English from page to page", async () => {
    const { page } = watched;
    await page.goto(`${session.web.url}/repositories/github.com/etalab/udata`);
    expect(await page.locator("html").getAttribute("lang")).to.equal("fr");
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator("html").getAttribute("lang")).to.equal("en");
    expect(await page.locator("h1").textContent()).to.equal("etalab/udata");
    expect(await page.getByRole("heading", { name: "Similar repositories" }).count()).to.equal(1);
    await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Statistics" }).click();
    await page.waitForURL(`${session.web.url}/statistics`);
    expect(await page.locator("h1").textContent()).to.equal("Statistics");
    expect((await context.cookies()).find((cookie) => cookie.name === "lang")?.value).to.equal("en");
    await page.getByRole("link", { name: "Français", exact: true }).click();
    expect(await page.locator("h1").textContent()).to.equal("Statistiques");
  });

  it("works with the keyboard only: skip link, search, results, repository", async () => {
    const { page } = watched;
    await page.goto(`${session.web.url}/`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal("Contenu");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("content");

    const tabTo = async (test: () => boolean, limit: number) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(test)) return;
      }
      throw new Error("never reached the element with Tab");
    };
    await tabTo(() => document.activeElement?.id === "home-search", 10);
    await page.keyboard.type("carte");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${session.web.url}/repositories?q=carte`);

    await tabTo(() => document.activeElement?.closest(".cc-result__title") !== null, 120);
    // Where the focus is must show: DSFR draws an outline on :focus-visible.
    const focus = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { outline: style.outlineStyle, width: style.outlineWidth, text: document.activeElement!.textContent };
    });
    expect(focus.outline).to.equal("solid");
    expect(focus.width).to.not.equal("0px");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/repositories\/github\.com\//);
    expect(await page.locator("h1").textContent()).to.equal(focus.text);
  });

  it("searches and filters without JavaScript", async () => {
    await context.close();
    context = await session.browser.newContext({ locale: "fr-FR", javaScriptEnabled: false });
    watched = { page: await context.newPage(), problems: [], violations: async () => [] };
    const { page } = watched;
    await page.goto(`${session.web.url}/repositories?q=outil`);
    await page.locator("label", { hasText: /^TypeScript/ }).click();
    expect(await page.getByRole("checkbox", { name: /^TypeScript/ }).isChecked()).to.equal(true);
    await page.locator("#filter-archived").selectOption("false");
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).to.equal("outil");
    expect(url.searchParams.getAll("language")).to.deep.equal(["TypeScript"]);
    expect(url.searchParams.get("archived")).to.equal("false");
    expect(await page.locator(".cc-result").count()).to.be.greaterThan(0);
  });

  it("loads every main page in both languages without error or CSP violation (screenshots saved)", async () => {
    const { page } = watched;
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const pages = {
      home: "/",
      search: "/repositories?q=outil&language=Python",
      repository: "/repositories/github.com/etalab/udata",
      owner: "/owners/github.com/etalab",
      "public-bodies": "/public-bodies",
      statistics: "/statistics",
      status: "/status",
      about: "/about",
    };
    for (const lang of ["fr", "en"]) {
      for (const [name, pathname] of Object.entries(pages)) {
        const response = await page.goto(`${session.web.url}${pathname}${pathname.includes("?") ? "&" : "?"}lang=${lang}`);
        expect(response?.status(), pathname).to.equal(200);
        // DSFR's script ran (it marks the document), so the policy let our own scripts through.
        await page.waitForFunction(() => document.documentElement.hasAttribute("data-fr-js"));
        await page.screenshot({ path: path.join(screenshotsDir, `${name}-${lang}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${session.web.url}/?lang=fr`);
    await page.screenshot({ path: path.join(screenshotsDir, "home-fr-mobile.png"), fullPage: true });
    // On a phone the menu is behind a button that DSFR's script opens.
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Statistiques" }).click();
    await page.waitForURL(`${session.web.url}/statistics`);
  });
});
