// The reuse pages in Chromium (issue 10): axe-core finds no serious or critical
// WCAG 2.1 A/AA violation on the repository page's reuse sections, the
// external software page, the shared projects page and the statistics' reuse
// charts (their tables open), a public body's and an owner's reuse, in French and English, at 1280 and 375 pixels;
// nothing overflows the phone's width, no CSP violation, no hostile name runs.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { bodies } from "../helpers/catalogueFixture.ts";
import { reuseIds, seedReuse } from "../helpers/reusePagesFixture.ts";
import { rootDir } from "../helpers/webServer.ts";
import { browserSession, watchedPage } from "./browser.ts";

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

const repository = (id: string) => `/repositories/${id.split("/").map(encodeURIComponent).join("/")}`;

/** Each page, and the part of it that is ours to audit. */
const audited = [
  { path: repository(reuseIds.uiKit), include: "#reuse-graph" },
  { path: repository(reuseIds.appC), include: "#reuse-graph" },
  { path: repository(reuseIds.hostile), include: "#reuse-graph" },
  { path: "/reuse/external", include: "main" },
  { path: "/reuse/shared", include: "main" },
  { path: "/statistics", include: "#reuse" },
  { path: `/public-bodies/${bodies.etalab}`, include: "main" },
  { path: "/owners/github.com/betagouv", include: "#owner-reuse" },
] as const;

const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
] as const;

describe("reuse pages in Chromium (axe-core)", function () {
  this.timeout(180_000);
  const axeSource = fs.readFileSync(path.join(rootDir, "node_modules", "axe-core", "axe.min.js"), "utf8");
  const session = browserSession((database) => seedReuse(database.db));

  async function audit(page: Page, include: string): Promise<AxeResult> {
    await page.evaluate(axeSource);
    return (await page.evaluate(
      (selector) =>
        (window as unknown as { axe: { run(context: object, options: object): Promise<unknown> } }).axe.run(
          { include: [selector] },
          { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } },
        ),
      include,
    )) as AxeResult;
  }

  it("sees a violation in a reuse section when there is one (the audit itself works)", async () => {
    const page = await session.browser.newPage();
    try {
      await page.goto(`${session.web.url}${repository(reuseIds.uiKit)}`);
      await page.evaluate(() => document.querySelector("#reuse-graph")!.insertAdjacentHTML("beforeend", '<a href="/x"></a>'));
      expect((await audit(page, "#reuse-graph")).violations.map((violation) => violation.id)).to.include("link-name");
    } finally {
      await page.close();
    }
  });

  for (const viewport of viewports) {
    for (const lang of ["fr", "en"] as const) {
      it(`finds no serious or critical violation, overflow or script at ${viewport.width} px in ${lang === "fr" ? "French" : "English"}`, async () => {
        const context = await session.browser.newContext({ locale: lang === "fr" ? "fr-FR" : "en-GB", viewport: { width: viewport.width, height: viewport.height } });
        const { page, problems, violations } = await watchedPage(context);
        const found: string[] = [];
        try {
          for (const { path: pathname, include } of audited) {
            const response = await page.goto(`${session.web.url}${pathname}?lang=${lang}`);
            expect(response?.status(), pathname).to.equal(200);
            expect(await page.locator(include).count(), `${pathname} ${include}`).to.equal(1);
            // The charts' data tables are audited open.
            await page.evaluate(() => document.querySelectorAll("details").forEach((details) => (details.open = true)));
            for (const violation of (await audit(page, include)).violations) {
              if (violation.impact === "serious" || violation.impact === "critical") {
                found.push(`${pathname}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ")}`);
              }
            }
            // Long names and tables wrap or scroll inside their own box, never the page.
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            if (overflow > 0) found.push(`${pathname}: the page is ${overflow} px wider than the ${viewport.name} viewport`);
            expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), pathname).to.equal(undefined);
          }
          expect(await violations()).to.deep.equal([]);
          expect(problems).to.deep.equal([]);
        } finally {
          await context.close();
        }
        expect(found).to.deep.equal([]);
      });
    }
  }

  it("shows the score table and the history chart's rows to a reader", async () => {
    const context = await session.browser.newContext({ locale: "en-GB", viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    try {
      await page.goto(`${session.web.url}${repository(reuseIds.uiKit)}?lang=en`);
      expect(await page.getByRole("table", { name: "The reuse score, criterion by criterion" }).getByRole("row").count()).to.equal(10);
      await page.goto(`${session.web.url}/statistics?lang=en`);
      await page.locator("#reuse details").first().locator("summary").click();
      expect(await page.getByRole("table", { name: /Reuse links between public bodies/ }).getByRole("row").count()).to.equal(3);
      expect(await page.locator("#reuse .cc-bars rect").count()).to.be.greaterThan(0);
    } finally {
      await context.close();
    }
  });
});
