// Hostile READMEs and publiccode.yml files (issue 9) in a real browser: script,
// iframe, event handlers, javascript: and data: URLs, SVG, remote images. The
// README is rendered at harvest and sanitised; on the page nothing may run,
// nothing may be fetched from elsewhere, with the Content-Security-Policy and
// with the browser told to ignore it.
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { seedCatalogue, seedOwner } from "../helpers/catalogueFixture.ts";
import { profileFrom } from "../helpers/profileFixture.ts";
import { saveProfile } from "../../src/store/profiles.ts";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { hasChromium, launchBrowser, watchedPage } from "./browser.ts";

const pwn = "window.__pwned=1;alert(1)";
export const hostileReadme = [
  "# Hostile <script>window.__pwned=1</script>",
  `<script>${pwn}</script>`,
  `<SCRIPT SRC=https://evil.example/x.js></SCRIPT>`,
  `<iframe src="javascript:parent.__pwned=1"></iframe><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<img src=x onerror="${pwn}"> <img src="https://evil.example/pixel.png"> <img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+">`,
  `<svg onload="${pwn}"><script>${pwn}</script><a xlink:href="javascript:${pwn}">svg link</a></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${pwn}"></style></mglyph></table></mtext></math>`,
  `<p onclick="${pwn}" onmouseover="${pwn}" style="background:url(javascript:alert(1))">handlers</p>`,
  `<a href="javascript:${pwn}">js link</a> <a href="JaVaScRiPt:${pwn}">mixed case</a> <a href="jav&#x61;script:${pwn}">entity</a> <a href="  javascript:${pwn}">spaces</a>`,
  `<a href="data:text/html,<script>parent.__pwned=1</script>">data link</a> <a href="vbscript:msgbox(1)">vb</a>`,
  `[markdown js](javascript:${pwn}) [markdown data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <javascript:alert(1)>`,
  `![tracker](https://evil.example/tracker.gif) ![data image](data:image/png;base64,iVBORw0KGgo=)`,
  `<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><form action="javascript:${pwn}"><button>go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${pwn}"><base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css"><style>body{background:url(https://evil.example/bg.png)}</style>`,
  `<details open ontoggle="${pwn}"><summary>toggle</summary>inside</details>`,
  `<video src=x onerror="${pwn}"></video><audio src=x onerror="${pwn}"></audio><input autofocus onfocus="${pwn}">`,
  "",
  "A [relative link](docs/guide.md) and a [safe one](https://example.org/) and [mail](mailto:a@example.org).",
  "",
  ...Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of a long README, folded beyond the first part.\n`),
  `<script>${pwn}</script> the end`,
].join("\n\n");

const hostilePubliccode = `publiccodeYmlVersion: "0.4"
name: "<script>window.__pwned=1</script>"
url: "javascript:window.__pwned=1"
landingURL: "javascript:window.__pwned=1"
isBasedOn: ["javascript:window.__pwned=1", "data:text/html,<script>parent.__pwned=1</script>"]
categories: ["<img src=x onerror=window.__pwned=1>"]
usedBy: ["<svg onload=window.__pwned=1>"]
description:
  en:
    shortDescription: "<img src=x onerror=window.__pwned=1>"
    longDescription: "<script>window.__pwned=1</script>"
    documentation: "javascript:window.__pwned=1"
    features: ["<iframe src=javascript:parent.__pwned=1></iframe>"]
maintenance:
  type: "<b onmouseover=window.__pwned=1>x</b>"
  contacts: [{ name: "<script>window.__pwned=1</script>", email: "javascript:alert(1)" }]
`;

describe("hostile READMEs and publiccode.yml in a browser", function () {
  this.timeout(120_000);
  let web: WebServer;
  let browser: Browser;
  const path = "/repositories/github.com/mechant/readme";

  before(async function () {
    if (!hasChromium()) this.skip();
    web = await startWebServer(({ db }) => {
      seedCatalogue(db);
      seedOwner(db, { host: "github.com", login: "mechant", repositories: [{ name: "readme", description: "A hostile README", license: "MIT" }] });
      const { pk } = db.$client.prepare("SELECT pk FROM repositories WHERE full_name = 'mechant/readme'").get() as { pk: number };
      saveProfile(db, pk, profileFrom("https://github.com/mechant/readme", { "README.md": hostileReadme, "publiccode.yml": hostilePubliccode }), null, "2025-06-14T03:20:00Z");
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const bypassCSP of [false, true]) {
    it(`renders them inert ${bypassCSP ? "even with the CSP ignored: sanitising alone holds" : "with the CSP"}`, async () => {
      const context = await browser.newContext({ bypassCSP, locale: "en-GB" });
      const { page, problems, violations } = await watchedPage(context);
      const foreign: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(web.url)) foreign.push(request.url());
      });
      try {
        const response = await page.goto(`${web.url}${path}`, { waitUntil: "load" });
        expect(response?.status()).to.equal(200);
        // Open the fold, then give every element the events an injected handler would wait for.
        await page.evaluate(() => {
          for (const details of Array.from(document.querySelectorAll("details"))) details.open = true;
          for (const element of Array.from(document.querySelectorAll("body *"))) {
            for (const type of ["mouseover", "mouseenter", "focus", "click", "toggle", "error", "load"]) {
              if (type === "click" && element.closest("a, button, form, summary")) continue;
              element.dispatchEvent(new Event(type, { bubbles: true }));
            }
          }
        });
        await page.waitForTimeout(200);
        const state = await page.evaluate(() => {
          const readme = document.querySelector(".cc-readme");
          return {
            pwned: (window as unknown as { __pwned?: unknown }).__pwned,
            readmeShown: readme !== null,
            folded: document.querySelectorAll(".cc-readme details.cc-readme__more").length,
            dangerous: readme ? Array.from(readme.querySelectorAll("script, iframe, object, embed, svg, math, img, video, audio, style, link, meta, base, form, input, button")).map((e) => e.tagName) : ["no readme"],
            readmeLinks: readme ? Array.from(readme.querySelectorAll("a[href]")).map((a) => a.getAttribute("href")!) : [],
            scriptLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) => !/^(https?:|mailto:|\/|#)/i.test(a.getAttribute("href")!.trim())).length,
            handlers: Array.from(document.querySelectorAll("*")).flatMap((element) => Array.from(element.attributes).filter((attribute) => attribute.name.startsWith("on") || attribute.name === "style" || attribute.name === "srcdoc").map((attribute) => `${element.tagName} ${attribute.name}`)),
            text: document.body.innerText,
          };
        });
        expect(state.readmeShown).to.equal(true);
        expect(state.pwned).to.equal(undefined);
        expect(state.dangerous).to.deep.equal([]);
        expect(state.handlers).to.deep.equal([]);
        expect(state.scriptLinks).to.equal(0);
        for (const href of state.readmeLinks) expect(href).to.match(/^(https:|mailto:|#)/);
        expect(state.readmeLinks).to.include("https://github.com/mechant/readme/blob/main/docs/guide.md");
        expect(state.readmeLinks).to.include("https://evil.example/tracker.gif"); // a link the reader may follow, never loaded by the page
        expect(state.folded).to.equal(1);
        expect(state.text).to.include("[image: tracker]");
        expect(state.text).to.include("the end");
        // The publiccode.yml's markup is shown as text.
        expect(state.text).to.include("<img src=x onerror=window.__pwned=1>");
        expect(foreign, "nothing fetched from another site").to.deep.equal([]);
        expect(problems.filter((problem) => problem.startsWith("dialog"))).to.deep.equal([]);
        if (!bypassCSP) expect(await violations(), "nothing even tried to run or load").to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }
});
