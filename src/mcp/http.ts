// The MCP endpoint over Streamable HTTP, at /mcp in the web server: stateless
// (a transport per request, and a server that serves one request at a time,
// no session to keep or steal) with
// plain JSON answers. Open without sign-in, as the data is public; rate limits
// are the web server's (src/web/, C6). What it guards against is DNS
// rebinding: a page on another site making a visitor's browser call a
// catalogue running on their machine, hence the Host and Origin checks.
import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from "express";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { LookupDeps } from "../web/api/lookups.ts";
import { requestBaseUrl } from "../web/baseUrl.ts";
import { sendText } from "../web/api/http.ts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CatalogueToolsDeps } from "./catalogueTools.ts";
import { createMcpServer } from "./server.ts";

export const mcpPath = "/mcp";
/** A JSON-RPC request of a tool call is a few hundred bytes; a batch of them stays far below this. */
const maxBodyBytes = 64 * 1024;
const localHosts = ["localhost", "127.0.0.1", "[::1]"];
/** Idle MCP servers kept for reuse (issue 13); more concurrent requests make more, dropped afterwards. */
const idleServersKept = 16;
/** What the transport reads of a request: content negotiation and the protocol's own headers. */
const forwardedHeaders = ["accept", "content-type", "mcp-protocol-version", "mcp-session-id", "last-event-id"];

export interface McpHttpOptions {
  deps: LookupDeps;
  /** PUBLIC_URL: its host is allowed, and links in answers start with it. */
  publicUrl: string | null;
  /** MCP_ALLOWED_HOSTS: more host names allowed besides localhost and the public URL's. */
  allowedHosts: readonly string[];
  log: (message: string) => void;
}

/** A JSON-RPC error outside any request (the transport's own convention): id null, our stable reason in data. */
function rpcError(res: Response, status: number, code: number, reason: string, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code, message, data: { reason } }, id: null });
}

/** The host name of a Host header or an origin, lower-case, without its port; null when unreadable. */
function hostName(value: string): string | null {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Refuses a request whose Host is not one of ours (a rebound DNS name points
 * at us under another name), and a browser request whose Origin is another
 * site's. Clients outside browsers send no Origin and pass on their Host.
 */
export function dnsRebindingGuard(publicUrl: string | null, allowedHosts: readonly string[]): RequestHandler {
  const allowed = new Set([...localHosts, ...allowedHosts.map((host) => host.toLowerCase())]);
  if (publicUrl) allowed.add(new URL(publicUrl).hostname.toLowerCase());
  return (req, res, next) => {
    const host = hostName(req.get("host") ?? "");
    if (!host || !allowed.has(host)) {
      rpcError(res, 403, -32000, "host_not_allowed", `this MCP server does not answer for host ${JSON.stringify((req.get("host") ?? "").slice(0, 100))}`);
      return;
    }
    const origin = req.get("origin");
    if (origin !== undefined) {
      const originHost = origin === "null" ? null : hostName(origin);
      if (!originHost || !allowed.has(originHost)) {
        rpcError(res, 403, -32000, "origin_not_allowed", `requests from origin ${JSON.stringify(origin.slice(0, 100))} are not allowed`);
        return;
      }
    }
    next();
  };
}

/** Malformed or oversized JSON gets the JSON-RPC error a client expects, not an HTML page. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const type = (error as { type?: string } | null)?.type;
  if (type === "entity.parse.failed") return rpcError(res, 400, -32700, "parse_error", "the body is not valid JSON");
  if (type === "entity.too.large") return rpcError(res, 413, -32600, "too_large", `the body is larger than ${maxBodyBytes} bytes`);
  next(error);
};

export function mcpRoutes(options: McpHttpOptions): Router {
  const router = Router();
  const guard = dnsRebindingGuard(options.publicUrl, options.allowedHosts);

  /**
   * The SDK's web-standard transport, fed the body Express already parsed and
   * answered in one write: its Node wrapper adapts the whole request and
   * response through @hono/node-server, which profiled as a large share of a
   * tool call, and its chunked writes defeated compression.
   */
  /**
   * Servers not serving a request, kept for the next ones (issue 13: building
   * one, its six tools and their schemas, was a visible share of a tool call).
   * A request holds its server alone from connect() to close(), with a
   * transport of its own, as the SDK asks of stateless servers: concurrent
   * requests take different servers, and never share request ids. The tools
   * read `deps.baseUrl`, set for the request that holds the server; they answer
   * synchronously, before close().
   */
  const idle: Array<{ server: McpServer; deps: CatalogueToolsDeps }> = [];
  const take = (baseUrl: string) => {
    const pooled = idle.pop() ?? (() => {
      const deps: CatalogueToolsDeps = { ...options.deps, baseUrl };
      return { server: createMcpServer(deps), deps };
    })();
    pooled.deps.baseUrl = baseUrl;
    return pooled;
  };

  const handle: RequestHandler = async (req, res) => {
    const pooled = take(requestBaseUrl(req, options.publicUrl));
    const { server } = pooled;
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    let reusable = false;
    try {
      await server.connect(transport);
      const headers = new Headers();
      for (const name of forwardedHeaders) {
        const value = req.get(name);
        if (value !== undefined) headers.set(name, value);
      }
      const response = await transport.handleRequest(new Request(`http://localhost${mcpPath}`, { method: "POST", headers }), { parsedBody: req.body });
      res.status(response.status);
      let contentType = "application/json";
      response.headers.forEach((value, name) => {
        if (name === "content-type") contentType = value;
        else res.setHeader(name, value);
      });
      const body = await response.text();
      if (body === "") res.end();
      // The API's writer: gzipped inline, no ETag (profiled: a third of a tool call with facets went to both).
      else sendText(req, res, body, contentType);
      reusable = true;
    } catch (error) {
      options.log(`MCP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, "internal_error", "internal error");
    } finally {
      await transport.close();
      await server.close();
      // A server that failed is dropped; a burst leaves a few, not one per request of the burst.
      if (reusable && idle.length < idleServersKept) idle.push(pooled);
    }
  };
  router.post(mcpPath, guard, express.json({ limit: maxBodyBytes }), bodyErrors, handle);
  // Stateless: no event stream to open with GET, no session to end with DELETE.
  router.all(mcpPath, guard, (_req, res) => {
    res.set("Allow", "POST");
    rpcError(res, 405, -32000, "method_not_allowed", "this MCP endpoint is stateless: send JSON-RPC requests with POST");
  });
  return router;
}
