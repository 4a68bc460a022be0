// The status page over 400 accounts in Chromium (issue 14): the tables never
// overflow their container, on a desktop as on a phone; search, filters and
// pages work without JavaScript. Screenshots saved under artifacts/screenshots/.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { rootDir, startWebServer, type WebServer } from "../helpers/webServer.ts";
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

  it("has no serious or critical axe-core violation, filtered or not, on a desktop and a phone", async () => {
    const axeSource = fs.readFileSync(path.join(rootDir, "node_modules", "axe-core", "axe.min.js"), "utf8");
    const found: string[] = [];
    for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 812 }]) {
      const context = await browser.newContext({ viewport });
      try {
        const page = await context.newPage();
        for (const pathname of ["/status?lang=fr", "/status?host=gitlab.example.fr&status=failed&page=1&lang=en", "/status/runs/2?lang=en"]) {
          await page.goto(`${web.url}${pathname}`);
          await page.evaluate(axeSource);
          const result = (await page.evaluate(() =>
            (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
          )) as { violations: Array<{ id: string; impact: string }> };
          for (const violation of result.violations) if (violation.impact === "serious" || violation.impact === "critical") found.push(`${viewport.width} ${pathname}: ${violation.id}`);
        }
      } finally {
        await context.close();
      }
    }
    expect(found).to.deep.equal([]);
  });

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
