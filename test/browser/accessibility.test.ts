// axe-core on every page, in both languages: no serious or critical violation
// of WCAG 2.1 A/AA. axe is evaluated through the DevTools protocol, which the
// pages' Content-Security-Policy does not govern (a <script> tag it would block).
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { seedProfiles } from "../helpers/profileFixture.ts";
import { rootDir } from "../helpers/webServer.ts";
import { browserSession } from "./browser.ts";

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

const paths = [
  "/",
  "/repositories",
  "/repositories?q=outil&language=Python&archived=false&sort=stars",
  "/repositories?q=zzzzqqq&license=MIT",
  "/repositories?q=outil&page=2",
  "/repositories?more=language&more=topic", // issue 13: facets unfolded
  "/repositories/github.com/etalab/udata",
  "/repositories/gitlab.com/dinum/outils/gabarit",
  "/owners/github.com/etalab",
  "/owners/gitlab.com/dinum/outils/sous-groupe",
  // issue 9: checks, invalid publiccode.yml, the owner's "what to improve"
  "/repositories/github.com/ville-exemple/budget",
  "/owners/github.com/ville-exemple",
  "/public-bodies",
  "/statistics",
  // issue 10: the reuse pages (before any rebuild here; test/browser/reuse.test.ts audits them with a graph)
  "/reuse/external",
  "/reuse/shared",
  "/status",
  "/status?status=failed",
  "/status/runs/2",
  "/about",
  "/publiccode",
  "/accessibility",
  "/repositories?q=%F0%9F%9A%80",
  "/nowhere",
];

describe("accessibility (axe-core)", function () {
  this.timeout(120_000);
  const axeSource = fs.readFileSync(path.join(rootDir, "node_modules", "axe-core", "axe.min.js"), "utf8");

  const session = browserSession((database) => {
    seedCatalogue(database.db);
    seedProfiles(database.db); // issue 9: README, publiccode.yml and checks on the pages audited
  });

  /** Runs axe on the page open in `page`. */
  async function audit(page: Page): Promise<AxeResult> {
    await page.evaluate(axeSource);
    return (await page.evaluate(() =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      }),
    )) as AxeResult;
  }

  it("sees a violation when there is one (the audit itself works)", async () => {
    const page = await session.browser.newPage();
    try {
      await page.goto(`${session.web.url}/about`);
      await page.evaluate(() => document.querySelector("main")!.insertAdjacentHTML("beforeend", '<input type="text">'));
      const ids = (await audit(page)).violations.map((violation) => violation.id);
      expect(ids).to.include("label");
    } finally {
      await page.close();
    }
  });

  for (const lang of ["fr", "en"] as const) {
    it(`finds no serious or critical violation on any page in ${lang === "fr" ? "French" : "English"}`, async () => {
      const context = await session.browser.newContext({ locale: lang === "fr" ? "fr-FR" : "en-GB", viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const found: string[] = [];
      try {
        for (const pathname of paths) {
          await page.goto(`${session.web.url}${pathname}${pathname.includes("?") ? "&" : "?"}lang=${lang}`);
          const result = await audit(page);
          for (const violation of result.violations) {
            if (violation.impact === "serious" || violation.impact === "critical") {
              found.push(`${pathname}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ")}`);
            }
          }
        }
      } finally {
        await context.close();
      }
      expect(found).to.deep.equal([]);
    });
  }
});
