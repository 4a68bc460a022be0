// The absolute address of the catalogue, for links that leave the site: feeds,
// MCP answers, llms.txt. PUBLIC_URL when configured; otherwise the request's
// own scheme and Host, which callers that cache must then put in their keys.
import type { Request } from "express";

/** A Host header we are willing to write into links: a name or address, an optional port. */
const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

export function requestBaseUrl(req: Request, publicUrl: string | null | undefined): string {
  if (publicUrl) return publicUrl;
  const host = req.get("host") ?? "";
  return `${req.protocol}://${hostPattern.test(host) ? host.toLowerCase() : "localhost"}`;
}
