// Which content coding an answer goes in (issue 13). Browsers ask for
// brotli and gzip alike (Chrome: "gzip, deflate, br, zstd", all at q=1);
// agents mostly for gzip ("gzip, deflate" from Node's fetch). Brotli at
// quality 1 compresses a page in three quarters to seven eighths of gzip
// level 1's time, to about the same size; at its best quality, static files
// a third smaller than gzip's best.
import { constants } from "node:zlib";

export type ContentCoding = "br" | "gzip";

/**
 * The content coding to send for an Accept-Encoding header: brotli when the
 * client takes it at least as readily as gzip (browsers list gzip first, all
 * at q=1, and brotli is smaller), else gzip, else none (no header, identity
 * only, or both refused with q=0). "*" stands for codings not named.
 */
export function preferredCoding(header: string | undefined): ContentCoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(param)).find((match) => match !== null);
    weights.set(name, q ? Number(q[1]) : 1);
  }
  const weight = (coding: ContentCoding) => weights.get(coding) ?? weights.get("*") ?? 0;
  const br = weight("br");
  const gz = weight("gzip");
  if (br > 0 && br >= gz) return "br";
  return gz > 0 ? "gzip" : null;
}

/** Brotli options for `length` bytes of text at `quality` (0 to 11). */
export function brotliOptions(length: number, quality: number): { params: Record<number, number> } {
  return { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: length } };
}
