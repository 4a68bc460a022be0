// A bounded cache of rendered pages, gzip included. The catalogue changes
// when a harvest writes and the search index is rebuilt, once a night; in
// between, a page is the same for every reader of a language. Rendering one
// costs a millisecond or two, a search over 50,000 repositories several more,
// and gzip another: a hit costs a map lookup and one write.
//
// Keyed on the index generation (a rebuilt index empties it in effect), the
// language and the URL; entries also expire after a TTL, which bounds how
// stale a page can be while a harvest is writing, before its rebuild.
// Only 200 HTML answers to GET are kept; errors and redirects never are.
//
// Issue 13 (uncached pages, traced with --trace-gc under bench:web's distinct
// searches at 50,000 repositories): every rendered page went into the cache,
// a string of 45 to 90 KB that the young generation's collector copied
// twice before moving it to the old one, where most were dropped unread
// (3,000 different searches walk past 500 entries). Each web worker spent
// about a tenth of its time in those collections, 5 to 50 ms a pause. Now:
// - a page is kept from its second request among the last misses (a
//   doorkeeper, as in TinyLFU): what readers ask for again is kept, the long
//   tail of searches asked once is not;
// - a kept page is held as UTF-8 bytes, outside the JavaScript heap, which
//   the collector does not copy (and a hit sends them as they are).
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { RequestHandler } from "express";
import { contentHash } from "./api/http.ts";
import { brotliOptions, preferredCoding, type ContentCoding } from "./contentCoding.ts";

export interface PageCacheOptions {
  /** Pages kept at most; the least recently used go first. About 50 KB each with gzip. */
  maxEntries: number;
  ttlMs: number;
  /** Changes whenever the data behind pages changes. */
  generation: () => string;
  /** Paths that must always be fresh (the harvest status, watched while a harvest runs). */
  bypass: (path: string) => boolean;
  now?: () => number;
}

/** Misses remembered per kept page: a page asked again within this many other misses is kept. */
const doorkeeperFactor = 4;

interface Entry {
  html: Buffer;
  etag: string;
  /** Compressed at the first hit that asks for each coding, at a better level than uncached pages: it is sent many times. */
  gzip: Buffer | null;
  br: Buffer | null;
  expiresAt: number;
}

export function pageCache(options: PageCacheOptions): RequestHandler {
  const entries = new Map<string, Entry>();
  /** Keys of pages rendered once and not kept, oldest first (only keys: some 100 bytes each). */
  const seenOnce = new Set<string>();
  const now = options.now ?? Date.now;
  /** Whether a page just rendered should be kept: on its second request among the last misses. */
  const admit = (key: string): boolean => {
    if (seenOnce.delete(key)) return true;
    seenOnce.add(key);
    if (seenOnce.size > options.maxEntries * doorkeeperFactor) seenOnce.delete(seenOnce.values().next().value!);
    return false;
  };

  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || options.bypass(req.path)) {
      next();
      return;
    }
    const key = `${options.generation()}\n${res.locals.lang}\n${req.originalUrl}`;
    const found = entries.get(key);
    // pageDelivery's ETag (when mounted before) also changes with time and the code: an entry made under another is stale.
    const expectedEtag = res.get("ETag");
    if (found && found.expiresAt > now() && (!expectedEtag || expectedEtag === found.etag)) {
      // Most recently used last: Map keeps insertion order, the oldest key is the first.
      entries.delete(key);
      entries.set(key, found);
      res.type("html");
      res.set("ETag", found.etag);
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.vary("Accept-Encoding");
      const coding = preferredCoding(req.headers["accept-encoding"]);
      if (coding) {
        const body = coding === "br" ? (found.br ??= brotliCompressSync(found.html, brotliOptions(found.html.length, 5))) : (found.gzip ??= gzipSync(found.html));
        res.set("Content-Encoding", coding);
        res.set("Content-Length", String(body.length));
        res.end(body);
      } else {
        res.send(found.html);
      }
      return;
    }
    if (found) entries.delete(key);
    // A kept page that expired (or whose validator moved on) is kept again at once: readers asked for it before.
    const keptBefore = found !== undefined;

    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const sent = send(body);
      const etag = res.get("ETag");
      if (res.statusCode === 200 && typeof body === "string" && etag && /^text\/html/.test(res.get("Content-Type") ?? "") && (keptBefore || admit(key))) {
        entries.set(key, { html: Buffer.from(body, "utf8"), etag, gzip: null, br: null, expiresAt: now() + options.ttlMs });
        if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
      }
      return sent;
    };
    next();
  };
}

// ---- Issue 13 (uncached pages): validators without hashing, gzip without a stream ----

export interface PageDeliveryOptions {
  /** What the HTML of every page depends on besides the data: the code, templates and assets (a hash of them). */
  version: string;
  /** Changes whenever the data behind pages changes (the search index generation). */
  generation: () => string;
  /** Paths whose pages change without a new generation (the harvest status): delivered as before. */
  bypass: (path: string) => boolean;
  /**
   * A validator lasts at most this long (default 10 minutes, a divisor of a day so that a new day is a new
   * validator: the search page's "active since" presets are dates). It bounds how long a browser may keep a page
   * that changed without a new generation, as while a harvest writes before its rebuild.
   */
  validForMs?: number;
  now?: () => number;
}

/** Below this, gzip saves less than it costs (compression()'s own threshold is 1 KB too). */
const gzipThreshold = 1024;

/**
 * UTF-8 bytes of the page being compressed, reused from page to page (issue 13,
 * measured on uncached search pages): `gzipSync(string)` first copies the
 * string into a new Buffer, and allocating that fresh memory for each page
 * cost a fifth of the gzip (about 50 µs of 250 for 30 KB of HTML). gzipSync
 * and brotliCompressSync read their input to the end before they return and keep no reference to it,
 * so the next page may overwrite it. 512 KB: a page of up to 170,000
 * characters (3 bytes each at most in UTF-8) fits; a larger one gets its own.
 */
const gzipInput = Buffer.allocUnsafe(512 * 1024);

/**
 * A page's HTML compressed in one synchronous call: gzip at level 1 (as
 * compression() was set to), or brotli at quality 1 (issue 13): on bench:web's
 * pages, in process, three quarters to seven eighths of gzip's time for about
 * the same bytes (a 45 KB search page: 75 against 101 µs, 8.2 against 8.5 KB;
 * a 21 KB repository page: 61 against 70 µs, 6.3 against 6.0 KB).
 */
export function compressPage(html: string, coding: ContentCoding): Buffer {
  const input = html.length * 3 > gzipInput.length ? Buffer.from(html, "utf8") : gzipInput.subarray(0, gzipInput.write(html, "utf8"));
  return coding === "br" ? brotliCompressSync(input, brotliOptions(input.length, 1)) : gzipSync(input, { level: 1 });
}

/**
 * How rendered pages leave (issue 13, profiled on uncached pages): before, each
 * rendered page was converted to a Buffer and hashed by Express for its ETag,
 * then gzipped through compression()'s stream, about a third of the server's
 * time per page outside rendering. Here:
 *
 * - the ETag is derived from what a page depends on (code version, index
 *   generation, language, URL, time bucket) before anything is rendered, so a
 *   browser's revalidation gets its 304 without the search or the template;
 *   the page routes are not personalised (sessions live on the declaration
 *   pages, outside this router), so no session state enters it;
 * - a page is compressed in one synchronous call, gzip at level 1 (as
 *   compression() was set to) or, for browsers, brotli at quality 1 (about
 *   the same bytes in less time: compressPage), and sent with its length.
 *
 * Error pages are gzipped the same way but lose the derived ETag (an error
 * page must not be validated as the page); redirects and non-HTML answers go
 * through Express's own send, uncompressed: compression() does not wrap
 * these requests (app.ts), and they are small.
 */
export function pageDelivery(options: PageDeliveryOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const validForMs = options.validForMs ?? 10 * 60_000;
  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || options.bypass(req.path)) {
      next();
      return;
    }
    const bucket = Math.floor(now() / validForMs);
    const hash = contentHash(`${options.version}\n${options.generation()}\n${bucket}\n${res.locals.lang}\n${req.originalUrl}`);
    const etag = `W/"${hash}"`;
    res.set("ETag", etag);
    res.vary("Accept-Encoding");
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const type = res.get("Content-Type");
      // An error page must not be validated as the page.
      if (res.statusCode !== 200) res.removeHeader("ETag");
      // compression() no longer wraps these requests (app.ts): every HTML page is gzipped here, error pages too.
      if (typeof body !== "string" || (type !== undefined && !/^text\/html/.test(type)) || res.statusCode === 204 || res.statusCode === 304) {
        return send(body);
      }
      res.set("Content-Type", "text/html; charset=utf-8");
      const coding = body.length >= gzipThreshold ? preferredCoding(req.headers["accept-encoding"]) : null;
      const payload = coding ? compressPage(body, coding) : Buffer.from(body, "utf8");
      if (coding) res.set("Content-Encoding", coding);
      res.set("Content-Length", String(payload.length));
      if (req.method === "HEAD") res.end();
      else res.end(payload);
      return res;
    };
    next();
  };
}
// ---- end issue 13 (uncached pages) ----
