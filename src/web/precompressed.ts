// The static files every first visit loads, compressed once per process
// (issue 13: fast under load). compression() compressed them again on every
// request: at 7,700 repositories a first visit's stylesheets and scripts
// (some 1.2 MB, DSFR's 717 KB stylesheet first) cost the server 37 ms of CPU
// with brotli (what browsers ask for) and 30 ms with gzip, as much as some
// twenty uncached pages. Here each listed file is compressed once, brotli at
// its best quality and gzip at level 9 (smaller than compression()'s level 1),
// then served from memory; what is not listed, or not ready, or asked for
// with a Range, goes on to compression() and express.static as before.
import fs from "node:fs";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { RequestHandler } from "express";
import { brotliOptions, preferredCoding } from "./contentCoding.ts";

const brotliCompress = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The types of the files listed (as express.static names them). */
const contentTypes: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

interface Compressed {
  file: string;
  type: string;
  size: number;
  mtimeMs: number;
  /** express.static's ETag of the same file (size and mtime), so that a client revalidates across both paths. */
  etag: string;
  lastModified: string;
  br: Buffer;
  gzip: Buffer;
}

export interface PrecompressedFiles {
  /** Serves a listed file from memory when ready; otherwise next(). Mount where the listed paths are relative to. */
  handler: RequestHandler;
  /**
   * Compresses every listed file (once; later calls return the same promise).
   * The handler starts it at the first request for a listed file: a process
   * that never serves a browser (a test, a worker of the bench's API runs)
   * spends nothing. Resolves with the files compressed.
   */
  compressAll(): Promise<number>;
}

/**
 * Files by the path they are asked at (relative to where the handler is
 * mounted, as req.path gives it) → the file on disk. Only css, js and svg
 * files (text that compresses); the list is the caller's, never a path from a
 * request, so nothing a client sends decides what is read or compressed.
 */
export interface PrecompressedOptions {
  maxAgeSeconds: number;
  /** Errors (a listed file missing or unreadable: it is then served as before). */
  log?: (message: string) => void;
  /** Called when every listed file has been tried: how many are served from memory, and the time it took (ms). */
  onCompressed?: (files: number, ms: number) => void;
}

export function precompressedFiles(files: Record<string, string>, options: PrecompressedOptions): PrecompressedFiles {
  const ready = new Map<string, Compressed>();
  const cacheControl = `public, max-age=${options.maxAgeSeconds}, immutable`;
  let compressing: Promise<number> | null = null;

  // One file after another on the thread pool: brotli's best quality takes
  // about a second for DSFR's stylesheet, and the pool also reads files and
  // compresses exports.
  const compressAll = (): Promise<number> =>
    (compressing ??= (async () => {
      const started = Date.now();
      let done = 0;
      for (const [urlPath, file] of Object.entries(files)) {
        try {
          const entry = await compressFile(file);
          if (entry) {
            ready.set(urlPath, entry);
            done++;
          }
        } catch (error) {
          options.log?.(`static file ${file} not precompressed: ${(error as Error).message}`);
        }
      }
      options.onCompressed?.(done, Date.now() - started);
      return done;
    })());

  const handler: RequestHandler = (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !Object.hasOwn(files, req.path)) return next();
    const entry = ready.get(req.path);
    if (!entry) {
      void compressAll();
      return next();
    }
    const coding = preferredCoding(req.headers["accept-encoding"]);
    // A Range is about the identity bytes: express.static answers it.
    if (!coding || req.headers.range) return next();
    // Still the file compressed? A developer editing static/ (or files replaced without a restart) is
    // served the new one, by express.static until it is compressed again.
    const stat = fs.statSync(entry.file, { throwIfNoEntry: false });
    if (!stat || stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs) {
      ready.delete(req.path);
      if (stat) void compressFile(entry.file).then((fresh) => fresh && ready.set(req.path, fresh), () => undefined);
      return next();
    }
    res.setHeader("Cache-Control", cacheControl);
    res.setHeader("Content-Type", entry.type);
    res.setHeader("ETag", entry.etag);
    res.setHeader("Last-Modified", entry.lastModified);
    res.setHeader("Vary", "Accept-Encoding");
    if (req.fresh) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const body = entry[coding];
    res.setHeader("Content-Encoding", coding);
    res.setHeader("Content-Length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
  };

  return { handler, compressAll };
}

async function compressFile(file: string): Promise<Compressed | null> {
  const type = contentTypes[file.slice(file.lastIndexOf(".") + 1)];
  if (!type) throw new Error("not a css, js or svg file");
  const stat = await fs.promises.stat(file);
  const body = await fs.promises.readFile(file);
  // Changed while read: the next request compresses it again.
  if (body.length !== stat.size) return null;
  const br = await brotliCompress(body, brotliOptions(body.length, zlib.constants.BROTLI_MAX_QUALITY));
  const gzipped = await gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION });
  return {
    file,
    type,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    etag: `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
    lastModified: stat.mtime.toUTCString(),
    br,
    gzip: gzipped,
  };
}
