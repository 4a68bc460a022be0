// HTTP manners of the API: open CORS for reads, validators and cache lifetimes.
import crypto, { createHash } from "node:crypto";
import { gzip, gzipSync } from "node:zlib";
import type { Request, RequestHandler, Response } from "express";
import { HttpError } from "../errors.ts";

/** Data changes once a harvest (nightly): five minutes of reuse is invisible, and ETags make revalidation cheap. */
export const dataMaxAge = 300;
/** The API description changes with a deployment only. */
export const documentMaxAge = 3600;

/**
 * Any site may read the API from a browser: it is public data, without
 * cookies or credentials, so `*` is safe. Preflights (a client sending
 * If-None-Match triggers one) are answered here.
 */
export const cors: RequestHandler = (req, res, next) => {
  // Node's setHeader rather than Express's res.set (issue 13: it normalises each value on every request).
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", "ETag, Content-Disposition");
  // Helmet's default (same-origin) would stop other sites from embedding a response.
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  if (req.method === "OPTIONS") {
    res.set({
      // publiccode.yml validation is the one POST (issue 9); everything else only reads.
      "Access-Control-Allow-Methods": req.path === "/publiccode/validate" ? "POST, OPTIONS" : "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "Accept, If-None-Match, Content-Type",
      "Access-Control-Max-Age": "86400", // a day: browsers cap it lower anyway
    });
    res.status(204).end();
    return;
  }
  next();
};

/**
 * A middleware that only sets fixed headers (helmet's, with a static policy),
 * replaced by one that sets the headers it was seen to set, computed once
 * (issue 13, API latency: helmet runs a dozen middlewares and rebuilds the
 * Content-Security-Policy string on every request). Headers it removes are
 * removed too. Only for middlewares whose headers never depend on the request.
 */
export function precomputedHeaders(middleware: RequestHandler): RequestHandler {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
    getHeader: () => undefined,
    hasHeader: () => false,
  };
  let called = false;
  middleware({ method: "GET", url: "/", headers: {} } as Request, recorder as unknown as Response, () => (called = true));
  // A middleware that answers, fails or waits is no fixed set of headers.
  if (!called) throw new Error("precomputedHeaders: the middleware did not call next() at once");
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** The API only reads: other methods get 405 with the methods it allows. */
export const readOnly: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  res.set("Allow", "GET, HEAD, OPTIONS");
  next(new HttpError(405, "method_not_allowed", `the API only answers GET, not ${req.method}`));
};

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object: half the cost on a page of results.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "base64url") => string }).hash;

/** The SHA-1 of a text (or of its UTF-8 bytes: the same), base64url: what validators (ETags) are made of. */
export function contentHash(text: string | Buffer): string {
  return oneShotHash ? oneShotHash("sha1", text, "base64url") : createHash("sha1").update(text).digest("base64url");
}

/** A weak validator from the bytes of a body: equal bodies, equal ETags, whatever produced them. */
export function bodyEtag(body: string): string {
  return `W/"${contentHash(body)}"`;
}

/**
 * Bodies up to this size are gzipped here, at once and at the fastest level;
 * larger ones on the thread pool. For a
 * page of results (about 10 KB) the pool's round trip cost more than the
 * compression itself (profiled: 0.4 ms against 0.05 ms), and level 1 keeps
 * most of the gain on JSON (10 KB to about 2.5 KB).
 */
const inlineGzipMaxBytes = 64 * 1024;
/**
 * Inline gzip: the fastest level, with a 4 KB window and a smaller hash table
 * (issue 13). zlib's defaults (32 KB window, memLevel 8) allocate and clear
 * some 260 KB for each answer; at 7,700 repositories, the same fresh searches
 * sent to both settings in one process, interleaved, this one answered 0.04 to
 * 0.05 ms sooner at the median, for 6.6 % more bytes (a 24.8 KB answer: 6.0 ->
 * 6.4 KB). JSON repeats itself within a record, which a small window sees.
 * (memLevel 9 and Huffman-only or RLE strategies were tried: no faster in the app.)
 */
const gzipOptions = { level: 1, windowBits: 12, memLevel: 7 } as const;
const inlineGzipMinBytes = 1024;

/**
 * Does the request's If-None-Match name `etag`? Weak comparison, as RFC 9110
 * (13.1.2) asks for GET. Express's req.fresh is not used: it answers "stale"
 * whenever the request says Cache-Control: no-cache, which fetch() adds to
 * every request that sets If-None-Match itself; that directive is for caches,
 * an origin server still answers the condition.
 */
export function notModified(req: Request, etag: string): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const header = req.get("if-none-match");
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Sends `value` as JSON with an ETag and a cache lifetime, or 304 when the
 * client's If-None-Match already names this body.
 */
export function sendJson(req: Request, res: Response, value: unknown, maxAgeSeconds = dataMaxAge): void {
  sendJsonText(req, res, JSON.stringify(value), maxAgeSeconds);
}

/** sendJson for a body already serialised (a search answer assembled from cached records: present.ts). */
export function sendJsonText(req: Request, res: Response, body: string, maxAgeSeconds = dataMaxAge): void {
  sendJsonTagged(req, res, bodyEtag(body), () => body, maxAgeSeconds);
}

/**
 * sendJsonText with an ETag known without the body (issue 13: a search answer's
 * comes from what makes it, present.ts searchResponseEtag): a 304 never
 * serialises, and a 200 hashes no body. `etag` must change whenever the body would.
 * The body may come as UTF-8 bytes already (present.ts searchResponseBytes).
 */
export function sendJsonTagged(req: Request, res: Response, etag: string, body: () => string | Buffer, maxAgeSeconds = dataMaxAge, gzipped?: GzippedAnswers): void {
  // Node's setHeader rather than Express's res.set/res.type/res.vary: they
  // parse and normalise on every call, a visible share of an API answer (profiled).
  res.setHeader("Cache-Control", `public, max-age=${maxAgeSeconds}`);
  res.setHeader("ETag", etag);
  if (notModified(req, etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const type = "application/json; charset=utf-8";
  if (gzipped && acceptsGzip(req)) {
    let zipped = gzipped.get(etag);
    if (zipped === undefined) {
      const text = body();
      if (text.length < inlineGzipMinBytes || text.length > inlineGzipMaxBytes) return sendText(req, res, text, type);
      gzipped.set(etag, (zipped = gzipSync(text, gzipOptions)));
    }
    res.setHeader("Content-Type", type);
    res.setHeader("Vary", "Accept-Encoding");
    return sendGzipped(req, res, zipped);
  }
  sendText(req, res, body(), type);
}

/**
 * Gzipped answers by ETag, the least recently used dropped past a budget
 * (issue 13: the same search asked again, by an agent paging back or another
 * client, is sent without serialising or compressing it again). Only for
 * ETags that change whenever the body would (sendJsonTagged's contract).
 */
export class GzippedAnswers {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  /** `maxBytes`: about 4 MB by default, some 1,300 gzipped search answers of 3 KB. */
  constructor(private readonly maxBytes = 4 * 1024 * 1024) {}

  get(etag: string): Buffer | undefined {
    const zipped = this.entries.get(etag);
    if (zipped !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.entries.delete(etag);
      this.entries.set(etag, zipped);
    }
    return zipped;
  }

  set(etag: string, zipped: Buffer): void {
    if (zipped.length > this.maxBytes / 16 || this.entries.has(etag)) return;
    this.entries.set(etag, zipped);
    this.bytes += zipped.length;
    while (this.bytes > this.maxBytes) {
      const [oldest, dropped] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.bytes -= dropped.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Does the request take gzip (and not refuse it with q=0)? */
function acceptsGzip(req: Request): boolean {
  return /\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && req.acceptsEncodings("gzip", "identity") === "gzip";
}

function sendGzipped(req: Request, res: Response, gzipped: Buffer): void {
  // compression() leaves a response that already has a Content-Encoding alone.
  res.setHeader("Content-Encoding", "gzip");
  res.setHeader("Content-Length", gzipped.length);
  res.end(req.method === "HEAD" ? undefined : gzipped);
}

/**
 * Ends `res` with a text body of at most a few tens of KB, gzipped here at once
 * when the client takes gzip; no ETag of its own. The JSON answers of the API
 * and of /mcp (issue 12: Express's res.send hashed each tool answer for an
 * ETag nobody revalidates a POST with, and compression() deflated it on the
 * thread pool, a round trip that profiled as idle time) go through it.
 */
export function sendText(req: Request, res: Response, body: string | Buffer, contentType: string): void {
  res.setHeader("Content-Type", contentType);
  res.setHeader("Vary", "Accept-Encoding");
  if (body.length >= inlineGzipMinBytes && acceptsGzip(req)) {
    const send = (gzipped: Buffer) => sendGzipped(req, res, gzipped);
    // Issue 13: large bodies too, on the thread pool, so that the API needs no
    // compression() in front of it (its wrapper cost every answer a little).
    if (body.length <= inlineGzipMaxBytes) send(gzipSync(body, gzipOptions));
    else gzip(body, { level: 1 }, (error, gzipped) => (error ? res.destroy(error) : send(gzipped)));
    return;
  }
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(req.method === "HEAD" ? undefined : body);
}
