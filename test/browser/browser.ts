// Debian's Chromium driven by playwright-core. Browser tests skip when it is
// absent (a developer machine without it); CI installs it (.ci/run).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { rootDir, startWebServer, type WebServer } from "../helpers/webServer.ts";

export const chromiumPath = "/usr/bin/chromium";
export const screenshotsDir = path.join(rootDir, "artifacts", "screenshots");

export function hasChromium(): boolean {
  return fs.existsSync(chromiumPath);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export interface Watched {
  page: Page;
  /** Console errors, page errors, failed requests and dialogs: a clean page has none. */
  problems: string[];
  /** CSP violations the page reported. */
  violations(): Promise<string[]>;
}

/**
 * A page that records what went wrong. The listener of CSP violations is
 * installed by the DevTools protocol, which the page's policy does not govern.
 */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  await context.addInitScript(() => {
    const found: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = found;
    document.addEventListener("securitypolicyviolation", (event) => found.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A request the browser cancelled because the page went on to another
    // document (the favicon of a page a filter replaced at once) failed on
    // neither side; every other failure is a problem.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "unknown"})`);
  });
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, problems, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations ?? []) };
}

export interface BrowserSession {
  readonly web: WebServer;
  readonly browser: Browser;
}

/**
 * Registers mocha hooks that serve a seeded catalogue and launch Chromium for
 * the enclosing describe(); skips it when Chromium is not installed.
 */
export function browserSession(seed: Parameters<typeof startWebServer>[0]): BrowserSession {
  const session = {} as { web: WebServer; browser: Browser };
  before(async function () {
    if (!hasChromium()) this.skip();
    session.web = await startWebServer(seed);
    session.browser = await launchBrowser();
  });
  after(async () => {
    await session.browser?.close();
    await session.web?.close();
  });
  return session;
}
