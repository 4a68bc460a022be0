// The status page over 400 accounts in Chromium (issue 14): the tables never
// overflow their container, on a desktop as on a phone; search, filters and
// pages work without JavaScript. Screenshots saved under artifacts/screenshots/.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { seedStatus, statusPlan } from "../helpers/statusFixture.ts";
import { hasChromium, launchBrowser, screenshotsDir, watchedPage } from "./browser.ts";

/** Elements wider than their table's container, and whether the page scrolls sideways. */
async function overflow(page: Page): Promise<{ tables: string[]; pageScrolls: boolean }> {
  return page.evaluate(() => {
    const tables: string[] = [];
    for (const wrapper of Array.from(document.querySelectorAll<HTMLElement>(".cc-wrap-table"))) {
      const table = wrapper.querySelector("table");
      if (table && table.getBoundingClientRect().width > wrapper.getBoundingClientRect().width + 1) tables.push(wrapper.querySelector("caption")?.textContent ?? "a table");
    }
    return { tables, pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth };
  });
}

describe("status page in a browser, 400 accounts", function () {
  this.timeout(60_000);
  let web: WebServer;
  let browser: Browser;

  before(async function () {
    if (!hasChromium()) this.skip();
    web = await startWebServer((database) => seedStatus(database.db), { harvestPlan: () => statusPlan() });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const [device, viewport] of [
    ["desktop", { width: 1280, height: 900 }],
    ["mobile", { width: 375, height: 812 }],
  ] as const) {
    it(`never overflows its container (${device}, screenshot saved)`, async () => {
      const context = await browser.newContext({ viewport });
      try {
        const { page, problems } = await watchedPage(context);
        await page.goto(`${web.url}/status?lang=fr`);
        expect(await page.locator("tr[id^='account-']").count()).to.equal(50);
        expect(await overflow(page)).to.deep.equal({ tables: [], pageScrolls: false });
        fs.mkdirSync(screenshotsDir, { recursive: true });
        await page.screenshot({ path: path.join(screenshotsDir, `status-400-accounts-${device}.png`), fullPage: true });
        expect(problems).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it("searches, filters by host and result, and pages through the results with the form", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { page } = await watchedPage(context);
      await page.goto(`${web.url}/status?lang=en`);
      await page.getByLabel("Forge", { exact: true }).selectOption("github.com");
      await page.getByLabel("Result", { exact: true }).selectOption("ok");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/host=github.com/);
      expect(await page.locator(".cc-status-matching").textContent()).to.equal("288 accounts match");
      await page.getByRole("link", { name: "Next page" }).click();
      await page.waitForURL(/page=2/);
      expect(new URL(page.url()).searchParams.get("host")).to.equal("github.com");
      expect(await page.locator("tr[id^='account-github.com/']").count()).to.equal(50);

      await page.getByLabel("Words (account, forge, message)").fill("ENOTFOUND");
      await page.getByLabel("Forge", { exact: true }).selectOption("");
      await page.getByLabel("Result", { exact: true }).selectOption("");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/q=ENOTFOUND/);
      expect(await page.locator(".cc-status-matching").textContent()).to.equal("29 accounts match");
    } finally {
      await context.close();
    }
  });
});
