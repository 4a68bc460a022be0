// The MCP endpoint over Streamable HTTP, at /mcp in the web server: stateless
// (pooled servers, each serving one request at a time through a transport of
// its own, jsonTransport.ts; no session to keep or steal) with
// plain JSON answers. Open without sign-in, as the data is public; rate limits
// are the web server's (src/web/, C6). What it guards against is DNS
// rebinding: a page on another site making a visitor's browser call a
// catalogue running on their machine, hence the Host and Origin checks.
import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from "express";
import { isInitializeRequest, JSONRPCMessageSchema, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { LookupDeps } from "../web/api/lookups.ts";
import { requestBaseUrl } from "../web/baseUrl.ts";
import { sendText } from "../web/api/http.ts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CatalogueToolsDeps } from "./catalogueTools.ts";
import { JsonResponseTransport } from "./jsonTransport.ts";
import { stringifyKnown } from "./knownJson.ts";
import { createMcpServer } from "./server.ts";

export const mcpPath = "/mcp";
/** A JSON-RPC request of a tool call is a few hundred bytes; a batch of them stays far below this. */
const maxBodyBytes = 64 * 1024;
const localHosts = ["localhost", "127.0.0.1", "[::1]"];
/** Idle MCP servers kept for reuse (issue 13); more concurrent requests make more, dropped afterwards. */
const idleServersKept = 16;
/** Messages in one batch: the SDK's Streamable HTTP transport allows 100 (server/requestBody.js, not exported). */
const maxBatchMessages = 100;

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

/** The media type of a Content-Type header, lower-case, without its parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

/**
 * What the Streamable HTTP specification asks of a POST before its body is
 * read, in the SDK transport's order and with its codes: the client accepts
 * both a JSON answer and an event stream (406), and sends JSON (415).
 */
const negotiation: RequestHandler = (req, res, next) => {
  const accept = req.get("accept") ?? "";
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) {
    rpcError(res, 406, -32000, "not_acceptable", "Not Acceptable: Client must accept both application/json and text/event-stream");
    return;
  }
  if (mediaType(req.get("content-type")) !== "application/json") {
    rpcError(res, 415, -32000, "unsupported_media_type", "Unsupported Media Type: Content-Type must be application/json");
    return;
  }
  next();
};

/** An initialize request: the method first (cheap), then the SDK's own schema, as its transport decides. */
function isInitialize(message: JSONRPCMessage): boolean {
  return "method" in message && message.method === "initialize" && isInitializeRequest(message);
}

/**
 * The body's JSON-RPC messages, each checked against the SDK's schema, or the
 * refusal to answer (status, code, reason, message) when the body is not a
 * message or a batch the server may take.
 */
export function readMessages(body: unknown, protocolVersion: string | undefined): { messages: JSONRPCMessage[] } | { refusal: [number, number, string, string] } {
  const raw: unknown[] = Array.isArray(body) ? body : [body];
  if (raw.length === 0) return { refusal: [400, -32600, "invalid_request", "Invalid Request: an empty batch"] };
  if (raw.length > maxBatchMessages) return { refusal: [400, -32600, "batch_too_large", `Invalid Request: Batch must not exceed ${maxBatchMessages} messages`] };
  const messages: JSONRPCMessage[] = [];
  for (const each of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(each);
    if (!parsed.success) return { refusal: [400, -32600, "invalid_request", "Invalid Request: not a JSON-RPC 2.0 message"] };
    messages.push(parsed.data);
  }
  // Responses find their request by id: a batch naming one twice could not be answered (and the SDK's transport answers it once).
  const ids = messages.flatMap((message) => ("method" in message && "id" in message ? [message.id] : []));
  if (new Set(ids).size < ids.length) return { refusal: [400, -32600, "duplicate_id", "Invalid Request: a batch names a request id twice"] };
  const initializing = messages.some(isInitialize);
  if (initializing && messages.length > 1) return { refusal: [400, -32600, "invalid_request", "Invalid Request: Only one initialization request is allowed"] };
  // Stateless: initialize is answered, but creates no session; every later request says its version (or none: the default).
  if (!initializing && protocolVersion !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)) {
    return { refusal: [400, -32000, "unsupported_protocol_version", `Bad Request: Unsupported protocol version: ${protocolVersion.slice(0, 40)} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`] };
  }
  return { messages };
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
  if (type === "charset.unsupported" || type === "encoding.unsupported") return rpcError(res, 415, -32000, "unsupported_media_type", "Unsupported Media Type: the body must be JSON in UTF-8, plain or compressed with gzip, deflate or br");
  if (type === "request.aborted") return rpcError(res, 400, -32600, "aborted", "the body was not received whole");
  next(error);
};

/** Express's JSON parser, for the bodies the fast reader below leaves to it. */
const jsonParser = express.json({ limit: maxBodyBytes });

/**
 * The JSON body of a POST, read here when it is plain UTF-8 JSON (what MCP
 * clients send): body-parser's machinery (type checks, raw-body, a decoder)
 * profiled at about 50 µs of a tool call. A compressed body or another
 * charset goes to express.json(), which inflates and decodes. Same answers as
 * body-parser's: 413 past the limit (bodyErrors), a parse error when the text
 * is not a JSON object or array (strict mode), {} for an empty body.
 */
const readJsonBody: RequestHandler = (req, res, next) => {
  const encoding = req.headers["content-encoding"];
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers["content-type"] ?? "")?.[1]?.toLowerCase();
  if ((encoding !== undefined && encoding.toLowerCase() !== "identity") || (charset !== undefined && charset !== "utf-8" && charset !== "utf8")) {
    jsonParser(req, res, next);
    return;
  }
  const tooLarge = () => Object.assign(new Error("request entity too large"), { type: "entity.too.large" });
  if (Number(req.headers["content-length"] ?? 0) > maxBodyBytes) {
    req.resume(); // drained, so that the connection can carry the answer
    next(tooLarge());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (error: Error | null) => {
    if (done) return;
    done = true;
    req.off("data", onData);
    if (error) {
      req.resume();
      next(error);
      return;
    }
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8").replace(/^\uFEFF/, "");
    if (text.trim() === "") {
      req.body = {};
      next();
      return;
    }
    // body-parser's strict mode: the first character after JSON's whitespace opens an object or an array.
    const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
    try {
      if (first !== "{" && first !== "[") throw new SyntaxError("not a JSON object or array");
      req.body = JSON.parse(text) as unknown;
    } catch {
      next(Object.assign(new Error("invalid JSON"), { type: "entity.parse.failed" }));
      return;
    }
    next();
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) finish(tooLarge());
    else chunks.push(chunk);
  };
  req.on("data", onData);
  req.once("end", () => finish(null));
  req.once("error", () => finish(Object.assign(new Error("request aborted"), { type: "request.aborted" })));
};

export function mcpRoutes(options: McpHttpOptions): Router {
  const router = Router();
  const guard = dnsRebindingGuard(options.publicUrl, options.allowedHosts);

  /**
   * Servers not serving a request, kept for the next ones (issue 13: building
   * one, its six tools and their schemas, was a visible share of a tool call),
   * each connected once to a transport of its own (jsonTransport.ts). A request
   * holds its server alone until its answer is ready: concurrent requests take
   * different servers, and never share request ids, as the SDK asks of
   * stateless servers. The tools read `deps.baseUrl`, set for the request that
   * holds the server.
   */
  type Pooled = { server: McpServer; transport: JsonResponseTransport; deps: CatalogueToolsDeps };
  const idle: Pooled[] = [];
  const take = async (baseUrl: string): Promise<Pooled> => {
    let pooled = idle.pop();
    if (!pooled) {
      const deps: CatalogueToolsDeps = { ...options.deps, baseUrl };
      pooled = { server: createMcpServer(deps), transport: new JsonResponseTransport(), deps };
      await pooled.server.connect(pooled.transport);
    }
    pooled.deps.baseUrl = baseUrl;
    return pooled;
  };

  const handle: RequestHandler = async (req, res) => {
    const read = readMessages(req.body, req.get("mcp-protocol-version"));
    if ("refusal" in read) return rpcError(res, ...read.refusal);
    let pooled: Pooled | null = null;
    let reusable = false;
    try {
      pooled = await take(requestBaseUrl(req, options.publicUrl));
      const responses = await pooled.transport.handle(read.messages, { requestInfo: { headers: req.headers } });
      reusable = pooled.transport.reusable;
      // Notifications and responses only: accepted, nothing to answer.
      if (responses.length === 0) res.status(202).end();
      // One response alone, several as an array, as the SDK's transport answers.
      // The API's writer: gzipped inline, no ETag (profiled: a third of a tool call with facets went to both).
      // The records' JSON is written once per repository, not once per answer (knownJson.ts).
      else sendText(req, res, stringifyKnown(responses.length === 1 ? responses[0]! : responses), "application/json");
    } catch (error) {
      options.log(`MCP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, "internal_error", "internal error");
    } finally {
      // A server that failed is dropped; a burst leaves a few, not one per request of the burst.
      if (pooled && reusable && idle.length < idleServersKept) idle.push(pooled);
      else if (pooled) void pooled.server.close();
    }
  };
  router.post(mcpPath, guard, negotiation, readJsonBody, bodyErrors, handle);
  // Stateless: no event stream to open with GET, no session to end with DELETE.
  router.all(mcpPath, guard, (_req, res) => {
    res.set("Allow", "POST");
    rpcError(res, 405, -32000, "method_not_allowed", "this MCP endpoint is stateless: send JSON-RPC requests with POST");
  });
  return router;
}
