// The whole declaration flow in Chromium (issue 11): sign in at a real OpenID
// provider, declare, create the proof repository on the fake forge, verify,
// approve as the moderator, the on-demand harvest asked for; the strict CSP
// holds on every page of ours, which axe-core finds accessible.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { startDeclarationsSetting, type DeclarationsSetting } from "../helpers/declarationsApp.ts";
import { rootDir } from "../helpers/webServer.ts";
import { hasChromium, launchBrowser, screenshotsDir, watchedPage, type Watched } from "./browser.ts";

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

describe("declarations in a browser", function () {
  this.timeout(120_000);
  let s: DeclarationsSetting;
  let browser: Browser;
  const axeSource = fs.readFileSync(path.join(rootDir, "node_modules", "axe-core", "axe.min.js"), "utf8");

  before(async function () {
    if (!hasChromium()) this.skip();
    s = await startDeclarationsSetting();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Our pages only: the provider's development pages are not ours to judge. */
  async function check(watched: Watched, page: Page, name: string): Promise<void> {
    expect(page.url().startsWith(s.url), page.url()).to.equal(true);
    expect(await watched.violations(), `CSP violations on ${name}`).to.deep.equal([]);
    await page.evaluate(axeSource);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    )) as AxeResult;
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, `axe on ${name}`).to.deep.equal([]);
    fs.mkdirSync(screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotsDir, `declarations-${name}.png`), fullPage: true });
  }

  /** Our answers of 400 and more, and script errors anywhere (the provider's pages load fonts from the internet: not ours). */
  function ourFailures(watched: Watched): string[] {
    const failures: string[] = [];
    watched.page.on("response", (response) => {
      if (response.url().startsWith(s.url) && response.status() >= 400) failures.push(`${response.status()} ${response.url().slice(s.url.length)}`);
    });
    watched.page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
    return failures;
  }

  async function providerSignIn(page: Page, login: string): Promise<void> {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    // The development consent page.
    await page.locator('button[type="submit"]').click();
  }

  it("signs in, declares, proves control, and a moderator approves", async () => {
    const agentContext = await browser.newContext({ locale: "fr-FR" });
    const agent = await watchedPage(agentContext);
    const page = agent.page;
    const agentFailures = ourFailures(agent);
    await page.goto(`${s.url}/declarations`);
    await check(agent, page, "index");
    await page.getByRole("link", { name: "Se connecter avec ProConnect" }).click();
    await providerSignIn(page, "agent");
    await page.waitForURL(`${s.url}/declarations/new`);
    await check(agent, page, "new");
    expect(await page.locator("#field-contact").inputValue()).to.equal("agent@demo.gouv.fr");
    await page.locator("#field-host").fill("github.test");
    await page.locator("#field-account").fill("compte-inexistant");
    await page.getByRole("button", { name: "Voir ce qui serait collecté" }).click();
    // Refused, with what was typed still there.
    await page.locator("#problem").waitFor();
    expect(await page.locator("#field-account").inputValue()).to.equal("compte-inexistant");
    await check(agent, page, "new-error");
    await page.locator("#field-account").fill("ville-exemple");
    await page.getByRole("button", { name: "Voir ce qui serait collecté" }).click();
    expect(await page.locator("#preview-count").textContent()).to.equal("3");
    await check(agent, page, "confirm");
    await page.getByRole("button", { name: "Confirmer la déclaration" }).click();
    const challenge = (await page.locator("#challenge-name").textContent())!;
    expect(challenge).to.match(/^code-commun-[0-9a-f]{16}$/);
    await check(agent, page, "pending");
    s.github.addRepo("ville-exemple", { name: challenge });
    await page.getByRole("button", { name: "Vérifier" }).click();
    expect(await page.locator("#declaration-status").textContent()).to.equal("À modérer");
    // The one refusal above, and nothing else.
    expect(agentFailures).to.deep.equal(["400 /declarations/new"]);

    const moderatorContext = await browser.newContext({ locale: "en-GB" });
    const moderator = await watchedPage(moderatorContext);
    const moderatorFailures = ourFailures(moderator);
    await moderator.page.goto(`${s.url}/moderation`);
    await providerSignIn(moderator.page, "moderator");
    await moderator.page.waitForURL(`${s.url}/moderation`);
    await check(moderator, moderator.page, "moderation-en");
    const card = moderator.page.locator("article", { hasText: "github.test/ville-exemple" });
    expect(await card.textContent()).to.contain(`Repository ${challenge} found`);
    await card.getByRole("button", { name: "Approve" }).click();
    await moderator.page.waitForURL(`${s.url}/moderation?done=approved`);
    expect(await moderator.page.locator("#audit-log").textContent()).to.contain("Approved").and.to.contain("moderateur@demo.gouv.fr");
    expect(s.harvestRequests).to.deep.equal([{ accounts: [{ host: "github.test", login: "ville-exemple" }] }]);
    expect(moderatorFailures).to.deep.equal([]);

    // Back on the declarer's side: approved, in French.
    await page.reload();
    expect(await page.locator("#declaration-status").textContent()).to.equal("Validée");
    await agentContext.close();
    await moderatorContext.close();
  });
});
