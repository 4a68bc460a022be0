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
import { gzipSync } from "node:zlib";
import type { RequestHandler } from "express";

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

interface Entry {
  html: string;
  etag: string;
  gzip: Buffer | null;
  expiresAt: number;
}

export function pageCache(options: PageCacheOptions): RequestHandler {
  const entries = new Map<string, Entry>();
  const now = options.now ?? Date.now;

  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || options.bypass(req.path)) {
      next();
      return;
    }
    const key = `${options.generation()}\n${res.locals.lang}\n${req.originalUrl}`;
    const found = entries.get(key);
    if (found && found.expiresAt > now()) {
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
      if (req.acceptsEncodings("gzip", "identity") === "gzip") {
        found.gzip ??= gzipSync(found.html);
        // compression() leaves a response that already has a Content-Encoding alone.
        res.set("Content-Encoding", "gzip");
        res.set("Content-Length", String(found.gzip.length));
        res.end(found.gzip);
      } else {
        res.send(found.html);
      }
      return;
    }
    if (found) entries.delete(key);

    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const sent = send(body);
      const etag = res.get("ETag");
      if (res.statusCode === 200 && typeof body === "string" && etag && /^text\/html/.test(res.get("Content-Type") ?? "")) {
        entries.set(key, { html: body, etag, gzip: null, expiresAt: now() + options.ttlMs });
        if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
      }
      return sent;
    };
    next();
  };
}
