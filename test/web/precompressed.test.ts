// Static files compressed once and served from memory (issue 13): real HTTP,
// the bytes on the wire decoded with zlib, express.static behind as in the app.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { expect } from "chai";
import express from "express";
import { preferredCoding } from "../../src/web/contentCoding.ts";
import { precompressedFiles, type PrecompressedFiles } from "../../src/web/precompressed.ts";
import { startWebServer } from "../helpers/webServer.ts";
import { seedCatalogue } from "../helpers/catalogueFixture.ts";
import { decode, get } from "./http.ts";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject)
      .end();
  });
}

function decoded(raw: Raw): Buffer {
  const coding = raw.headers["content-encoding"];
  if (coding === "br") return zlib.brotliDecompressSync(raw.body);
  if (coding === "gzip") return zlib.gunzipSync(raw.body);
  expect(coding, "content-encoding").to.equal(undefined);
  return raw.body;
}

describe("precompressed static files", function () {
  let dir: string;
  let server: http.Server;
  let base: string;
  let files: PrecompressedFiles;
  let logged: string[];
  const css = `.a{color:red}\n${Array.from({ length: 400 }, (_, i) => `.c${i}{margin:${i}px}`).join("\n")}`;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-precompressed-"));
    fs.writeFileSync(path.join(dir, "site.css"), css);
    fs.writeFileSync(path.join(dir, "other.css"), css);
    logged = [];
    files = precompressedFiles({ "/site.css": path.join(dir, "site.css"), "/gone.js": path.join(dir, "gone.js") }, { maxAgeSeconds: 31536000, log: (message) => logged.push(message) });
    const app = express();
    app.use("/static", files.handler);
    app.use("/static", express.static(dir, { maxAge: "1y", immutable: true, index: false }));
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/static`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers the first request as before and compresses the listed files for the next ones", async () => {
    const first = await request(`${base}/site.css`, { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(first.status).to.equal(200);
    expect(first.headers["content-encoding"]).to.equal(undefined);
    expect(first.body.toString()).to.equal(css);
    // The first request started it; a missing listed file is logged, not fatal.
    expect(await files.compressAll()).to.equal(1);
    expect(logged.join("\n")).to.include("gone.js");

    const br = await request(`${base}/site.css`, { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.status).to.equal(200);
    expect(br.headers["content-encoding"]).to.equal("br");
    expect(Number(br.headers["content-length"])).to.equal(br.body.length);
    expect(br.body.length).to.be.lessThan(css.length / 4);
    expect(decoded(br).toString()).to.equal(css);
    expect(br.headers["content-type"]).to.equal("text/css; charset=utf-8");
    expect(br.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(br.headers.vary).to.equal("Accept-Encoding");

    const gzip = await request(`${base}/site.css`, { "accept-encoding": "gzip, deflate" });
    expect(gzip.headers["content-encoding"]).to.equal("gzip");
    expect(decoded(gzip).toString()).to.equal(css);
    // The same validators as express.static gives the file, so a client revalidates whichever answered.
    expect(gzip.headers.etag).to.equal(first.headers.etag);
    expect(gzip.headers["last-modified"]).to.equal(first.headers["last-modified"]);
  });

  it("leaves to express.static what a client does not take compressed, ranges, other methods and unlisted files", async () => {
    await files.compressAll();
    for (const headers of [{} as Record<string, string>, { "accept-encoding": "identity" }, { "accept-encoding": "br;q=0, gzip;q=0" }, { "accept-encoding": "deflate" }]) {
      const plain = await request(`${base}/site.css`, headers);
      expect(plain.status, JSON.stringify(headers)).to.equal(200);
      expect(plain.headers["content-encoding"], JSON.stringify(headers)).to.equal(undefined);
      expect(plain.body.toString()).to.equal(css);
    }
    const range = await request(`${base}/site.css`, { "accept-encoding": "br", range: "bytes=0-3" });
    expect(range.status).to.equal(206);
    expect(range.body.toString()).to.equal(".a{c");
    const other = await request(`${base}/other.css`, { "accept-encoding": "br" });
    expect(other.headers["content-encoding"]).to.equal(undefined);
    expect(other.body.toString()).to.equal(css);
    const post = await request(`${base}/site.css`, { "accept-encoding": "br" }, "POST");
    expect(post.status).to.equal(404);
  });

  it("answers HEAD without a body and a matching If-None-Match with 304", async () => {
    await files.compressAll();
    const full = await request(`${base}/site.css`, { "accept-encoding": "br" });
    const head = await request(`${base}/site.css`, { "accept-encoding": "br" }, "HEAD");
    expect(head.status).to.equal(200);
    expect(head.body.length).to.equal(0);
    expect(head.headers["content-length"]).to.equal(String(full.body.length));
    const again = await request(`${base}/site.css`, { "accept-encoding": "br", "if-none-match": full.headers.etag! });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);
  });

  it("serves a file changed on disk as it is now, and compresses it again", async () => {
    await files.compressAll();
    const changed = `${css}\n.z{color:blue}`;
    fs.writeFileSync(path.join(dir, "site.css"), changed);
    // mtime granularity: make sure the change is seen even within the same millisecond.
    fs.utimesSync(path.join(dir, "site.css"), new Date(), new Date(Date.now() + 5_000));
    const next = await request(`${base}/site.css`, { "accept-encoding": "br" });
    expect(decoded(next).toString()).to.equal(changed);
    let later: Raw | null = null;
    for (let i = 0; i < 100 && later?.headers["content-encoding"] !== "br"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      later = await request(`${base}/site.css`, { "accept-encoding": "br" });
    }
    expect(later!.headers["content-encoding"]).to.equal("br");
    expect(decoded(later!).toString()).to.equal(changed);
  });
});

describe("preferredCoding", function () {
  it("prefers brotli when taken at least as readily as gzip, and honours q values", () => {
    const cases: Array<[string | undefined, string | null]> = [
      [undefined, null],
      ["", null],
      ["identity", null],
      ["gzip, deflate, br, zstd", "br"],
      ["gzip, deflate", "gzip"],
      ["br", "br"],
      ["gzip;q=1.0, br;q=0.5", "gzip"],
      ["br;q=0, gzip", "gzip"],
      ["BR;Q=0.8, GZIP;Q=0.8", "br"],
      ["*", "br"],
      ["*;q=0.5, br;q=0", "gzip"],
      ["gzip;q=0, *;q=0", null],
      ["deflate, compress", null],
    ];
    for (const [header, expected] of cases) expect(preferredCoding(header), String(header)).to.equal(expected);
  });
});

describe("the app's precompressed layout files", function () {
  this.timeout(30_000);

  it("serves every stylesheet, script and SVG icon the layout links from memory once compressed", async () => {
    let compressed: number | null = null;
    const web = await startWebServer((database) => seedCatalogue(database.db), { precompressStaticFiles: true, onStaticFilesCompressed: (files) => (compressed = files) });
    try {
      const { html } = await get(web.url, "/");
      const linked = [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => decode(match[1]!)).filter((asset) => /\.(css|js|svg)(\?|$)/.test(asset));
      expect(linked.length).to.be.greaterThan(5);
      // The first request for one starts the compression; the others are served as before meanwhile.
      expect((await request(`${web.url}${linked[0]}`, { "accept-encoding": "br" })).status).to.equal(200);
      for (let i = 0; i < 250 && compressed === null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(compressed).to.equal(10);
      for (const asset of linked) {
        const raw = await request(`${web.url}${asset}`, { "accept-encoding": "gzip, deflate, br, zstd" });
        expect(raw.status, asset).to.equal(200);
        // From memory: brotli with a length (compression() streams without one).
        expect(raw.headers["content-encoding"], asset).to.equal("br");
        expect(raw.headers["content-length"], asset).to.equal(String(raw.body.length));
        expect(raw.headers["cache-control"], asset).to.equal("public, max-age=31536000, immutable");
        // The app's security headers are on these answers too.
        expect(raw.headers["x-content-type-options"], asset).to.equal("nosniff");
        const plain = await request(`${web.url}${asset}`, { "accept-encoding": "identity" });
        expect(decoded(raw).equals(plain.body), asset).to.equal(true);
      }
      expect(web.logged).to.deep.equal([]);
    } finally {
      await web.close();
    }
  });
});
