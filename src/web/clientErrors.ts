// Errors Node's HTTP parser raises before Express sees a request: an address
// or headers over the server's limit (431), a malformed request (400). Node
// answers them with an empty body by default; here the API answers its JSON
// error shape and the website a small page in the reader's language, like
// every other error.
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { negotiateLocale, translate } from "./i18n/index.ts";

interface ParserError extends Error {
  code?: string;
  /** What the parser had read of the request when it gave up (Node ≥ 12). */
  rawPacket?: Buffer;
}

/** The path and Accept-Language of the partial request, as far as they can be read. */
function readHead(raw: Buffer | undefined): { path: string; acceptLanguage: string | undefined } {
  // The request line and a few headers are enough; never decode megabytes.
  const text = raw ? raw.subarray(0, 64 * 1024).toString("latin1") : "";
  const path = /^[A-Z]+ (\S+)/.exec(text)?.[1] ?? "/";
  const acceptLanguage = /\r\naccept-language:[ \t]*([^\r\n]{0,200})/i.exec(text)?.[1];
  return { path, acceptLanguage };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The response to a request the parser refused, as raw HTTP/1.1 bytes. */
export function clientErrorResponse(error: ParserError): string {
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const statusText = tooLarge ? "Request Header Fields Too Large" : "Bad Request";
  const { path, acceptLanguage } = readHead(error.rawPacket);
  const locale = negotiateLocale(acceptLanguage);
  let type: string;
  let body: string;
  if (path.startsWith("/api/") || path === "/api") {
    type = "application/json; charset=utf-8";
    body = JSON.stringify(
      tooLarge
        ? { error: "the address or the headers of the request are too long", reason: "headers_too_large" }
        : { error: "the request could not be parsed", reason: "bad_request" },
    );
  } else {
    type = "text/html; charset=utf-8";
    const title = translate(locale, tooLarge ? "error.title.431" : "error.title.400");
    const text = translate(locale, tooLarge ? "error.text.431" : "error.text.other");
    // No stylesheet: the page must not depend on a second request that could fail the same way.
    body = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} – Code Commun</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/">${escapeHtml(translate(locale, "error.home"))}</a></p></main></body></html>`;
  }
  const length = Buffer.byteLength(body);
  return `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\nContent-Language: ${locale}\r\nConnection: close\r\n\r\n${body}`;
}

/** Answers parser errors of `server` in the site's error shapes instead of Node's empty 400/431. */
export function handleClientErrors(server: Server): void {
  server.on("clientError", (error: ParserError, socket: Duplex) => {
    // A connection reset or a timeout leaves nobody to answer.
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      socket.end("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
      return;
    }
    socket.end(clientErrorResponse(error));
  });
}
