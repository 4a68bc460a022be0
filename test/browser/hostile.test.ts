// Hostile harvested data in a real browser: nothing it carries may run.
// Checked twice: with the Content-Security-Policy, and with the browser told
// to ignore it, so that escaping alone is proven to be enough.
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { repositoryPath, ownerPath } from "../../src/web/urls.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { hostileLogin, hostileRepository, payloads, seedHostileCatalogue } from "../helpers/hostileFixture.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { hasChromium, launchBrowser, watchedPage } from "./browser.ts";

const paths = [
  "/",
  "/repositories?q=script",
  `/repositories?topic=${encodeURIComponent(payloads.attribute)}`,
  repositoryPath("github.com", `${hostileLogin}/${hostileRepository}`),
  repositoryPath("github.com", `${hostileLogin}/plain`),
  ownerPath("github.com", hostileLogin),
  "/public-bodies",
  "/statistics",
  "/status",
  "/status/runs/3",
];

describe("hostile data in a browser", function () {
  this.timeout(120_000);
  let web: WebServer;
  let browser: Browser;

  before(async function () {
    if (!hasChromium()) this.skip();
    web = await startWebServer((database) => {
      seedCatalogue(database.db);
      seedHostileCatalogue(database.db);
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const bypassCSP of [false, true]) {
    it(`runs none of it ${bypassCSP ? "even with the CSP ignored: escaping alone holds" : "with the CSP"}`, async () => {
      const context = await browser.newContext({ bypassCSP, locale: "en-GB" });
      const { page, problems, violations } = await watchedPage(context);
      try {
        let payloadsShown = 0;
        for (const path of paths) {
          const response = await page.goto(`${web.url}${path}`, { waitUntil: "load" });
          expect(response?.status(), path).to.equal(200);
          // Give every element the events an injected handler would wait for.
          await page.evaluate(() => {
            for (const element of Array.from(document.querySelectorAll("body *"))) {
              for (const type of ["mouseover", "mouseenter", "focus", "click"]) {
                if (type === "click" && element.closest("a, button, form")) continue;
                element.dispatchEvent(new Event(type, { bubbles: true }));
              }
            }
          });
          const state = await page.evaluate(() => ({
            pwned: (window as unknown as { __pwned?: unknown }).__pwned,
            scriptLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) => !/^(https?:|\/|#)/i.test(a.getAttribute("href")!.trim())).length,
            handlers: Array.from(document.querySelectorAll("*")).flatMap((element) => Array.from(element.attributes).filter((attribute) => attribute.name.startsWith("on")).map((attribute) => attribute.name)),
            text: document.body.innerText,
          }));
          expect(state.pwned, path).to.equal(undefined);
          expect(state.scriptLinks, path).to.equal(0);
          expect(state.handlers, path).to.deep.equal([]);
          if (state.text.includes(payloads.script)) payloadsShown++;
        }
        // The payloads were on the pages, as text a reader can see.
        expect(payloadsShown).to.be.greaterThan(5);
        expect(problems.filter((problem) => problem.startsWith("dialog"))).to.deep.equal([]);
        if (!bypassCSP) expect(await violations(), "nothing even tried to run").to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }
});
