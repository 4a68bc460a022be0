// The search page's own share of an uncached request (issue 13): the
// presenter, the templates and gzip, timed in process on bench:web's distinct
// searches over a catalogue that profile-web filled (--dir), the searches run
// beforehand so that the engine's time is not counted. Steadier than a load
// test on a shared machine: compare two versions of the code on the same data.
//
//   npx tsx scripts/bench-render.ts --dir /tmp/prof [--rounds 3] [--pages 600]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openSearchEngine } from "../src/search/engine.ts";
import { readPublicBodies } from "../src/sources/publicBodies.ts";
import { openDatabase } from "../src/store/database.ts";
import { registerHelpers } from "../src/web/helpers.ts";
import { createTranslator } from "../src/web/i18n/index.ts";
import { compressPage } from "../src/web/pageCache.ts";
import { parseSearchState, presentSearch, toSearchQuery } from "../src/web/presenters/search.ts";
import { createViews } from "../src/web/views.ts";
import { distinctSearches } from "./lib/webScenarios.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { dir: { type: "string" }, rounds: { type: "string", default: "3" }, pages: { type: "string", default: "600" } } });
if (!values.dir) throw new Error("--dir: a catalogue filled by scripts/profile-web.ts");
const db = openDatabase(path.join(values.dir, "catalog.db"));
const publicBodiesFile = path.join(rootDir, "data", "public-bodies.yml");
const engine = await openSearchEngine({ db, indexDir: path.join(values.dir, "index"), publicBodiesFile, readOnly: true });
const directory = readPublicBodies(publicBodiesFile);
const views = createViews(path.join(rootDir, "views"), registerHelpers);
const i18n = createTranslator("fr");
const now = new Date();
const searches = distinctSearches()
  .slice(0, Number(values.pages))
  .map((url) => {
    const state = parseSearchState(Object.fromEntries([...new URL(url, "http://x").searchParams].map(([k, v]) => [k, v])));
    return { state, result: engine.search(toSearchQuery(state)) };
  });
const layoutContext = {
  lang: "fr",
  assets: { dsfr: "/static/dsfr/1.12.1", css: "/static/app.css?v=0123456789", searchJs: "/static/search.js?v=0123456789" },
  // As layoutMiddleware gives it: labels translated (issue 13).
  nav: (["nav.home", "nav.repositories", "nav.about"] as const).map((key, i) => ({ href: ["/", "/repositories", "/about"][i]!, key, label: i18n.t(key), current: i === 1 })),
  langSwitch: { href: "/repositories?lang=en", lang: "en" },
  operator: {},
  pageScript: true,
};
const file = path.join(rootDir, "views", "pages", "search.hbs");
let bytes = 0;
let gzipped = 0;
for (let round = 1; round <= Number(values.rounds); round++) {
  let presentNs = 0n;
  let renderNs = 0n;
  let gzipNs = 0n;
  bytes = 0;
  gzipped = 0;
  for (const { state, result } of searches) {
    const t0 = process.hrtime.bigint();
    const page = presentSearch(state, result, directory, i18n, now);
    const t1 = process.hrtime.bigint();
    let html = "";
    views.engine(file, { ...layoutContext, ...page, downloads: [], filtersToggle: "Filtres", unsearchable: false, catalogueNotice: null }, (error, out) => {
      if (error) throw error;
      html = out!;
    });
    const t2 = process.hrtime.bigint();
    // As pageDelivery gzips a page (issue 13: from a reused buffer).
    const gz = compressPage(html, "gzip");
    const t3 = process.hrtime.bigint();
    presentNs += t1 - t0;
    renderNs += t2 - t1;
    gzipNs += t3 - t2;
    bytes += html.length;
    gzipped += gz.length;
  }
  const us = (ns: bigint) => (Number(ns) / searches.length / 1000).toFixed(0);
  console.log(`round ${round}: presenter ${us(presentNs)} µs, templates ${us(renderNs)} µs, gzip ${us(gzipNs)} µs a page; ${Math.round(bytes / searches.length)} characters, ${Math.round(gzipped / searches.length)} bytes gzipped`);
}
await engine.close();
