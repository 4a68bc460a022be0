// The /publiccode page in Chromium: a publisher pastes a file and submits the
// form (with and without JavaScript), sees the error under its line, keeps the
// text; no CSP violation, no console error, no serious axe violation.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { rootDir } from "../helpers/webServer.ts";
import { browserSession, watchedPage } from "./browser.ts";

const fixture = fs.readFileSync(path.join(rootDir, "test", "publiccode", "fixtures", "valid.publiccode.yml"), "utf8");
const broken = fixture.replace("developmentStatus: stable", "developmentStatus: finished");

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

describe("publiccode.yml validation page in Chromium", function () {
  this.timeout(120_000);
  const axeSource = fs.readFileSync(path.join(rootDir, "node_modules", "axe-core", "axe.min.js"), "utf8");
  const session = browserSession((database) => seedCatalogue(database.db));

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      }),
    )) as AxeResult;
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ")}`);
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`shows the error under its line and keeps the text${javaScriptEnabled ? "" : ", without JavaScript"}`, async () => {
      const context = await session.browser.newContext({ javaScriptEnabled, locale: "fr-FR", viewport: { width: 1280, height: 900 } });
      try {
        const { page, problems, violations } = await watchedPage(context);
        await page.goto(`${session.web.url}/publiccode?lang=fr`);
        await page.getByLabel("Contenu du fichier publiccode.yml").fill(broken);
        await Promise.all([page.waitForURL(`${session.web.url}/publiccode`), page.getByRole("button", { name: "Valider", exact: true }).click()]);
        expect(await page.getByRole("heading", { name: "Fichier invalide" }).count()).to.equal(1);
        const line = page.locator("#line-18");
        expect(await line.getAttribute("class")).to.contain("cc-source__line--error");
        expect(await line.innerText()).to.contain("developmentStatus: finished").and.contain("developmentStatus must be one of the following");
        expect(await line.isVisible()).to.equal(true);
        // The link of the summary leads to the line.
        await page.getByRole("link", { name: "ligne 18, colonne 1" }).click();
        expect(new URL(page.url()).hash).to.equal("#line-18");
        expect(await page.getByLabel("Contenu du fichier publiccode.yml").inputValue()).to.equal(broken);
        if (javaScriptEnabled) {
          expect(problems).to.deep.equal([]);
          expect(await violations()).to.deep.equal([]);
        }
      } finally {
        await context.close();
      }
    });
  }

  it("finds no serious or critical axe violation on the form and on a result, in both languages", async () => {
    const found: string[] = [];
    for (const lang of ["fr", "en"] as const) {
      const context = await session.browser.newContext({ locale: lang === "fr" ? "fr-FR" : "en-GB", viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto(`${session.web.url}/publiccode?lang=${lang}`);
        found.push(...(await seriousViolations(page)).map((violation) => `form ${lang}: ${violation}`));
        await page.locator("#publiccode-yaml").fill(broken.replace("    - FR", "    - fr"));
        await Promise.all([page.waitForURL(`${session.web.url}/publiccode`), page.locator("form[action='/publiccode'] button[type=submit]").click()]);
        expect(await page.locator(".cc-source__line--warning").count()).to.equal(1);
        found.push(...(await seriousViolations(page)).map((violation) => `result ${lang}: ${violation}`));
      } finally {
        await context.close();
      }
    }
    expect(found).to.deep.equal([]);
  });
});
