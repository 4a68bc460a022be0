// What the Streamable HTTP specification asks of a stateless server answering
// JSON, as /mcp's own transport (src/mcp/http.ts, jsonTransport.ts) applies it:
// each rule through real HTTP, its status and its JSON-RPC error.
import { expect } from "chai";
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { servedFixture } from "../helpers/httpApp.ts";

interface RpcError {
  jsonrpc: string;
  id: null;
  error: { code: number; message: string; data: { reason: string } };
}

describe("MCP over HTTP: the transport's rules", () => {
  const served = servedFixture();
  const accept = "application/json, text/event-stream";
  const send = (body: string, headers: Record<string, string> = {}, method = "POST") =>
    fetch(`${served.app.url}/mcp`, { method, body: method === "POST" ? body : undefined, headers: { "Content-Type": "application/json", Accept: accept, ...headers } });
  const rpc = (id: number | string, method: string, params?: object) => ({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
  const initialize = (protocolVersion: string) => rpc(0, "initialize", { protocolVersion, capabilities: {}, clientInfo: { name: "rules-test", version: "1.0.0" } });

  /** A refusal: the status, and the transport's error shape (id null, code, our stable reason). */
  async function refused(response: Response, status: number, code: number, reason: string): Promise<RpcError> {
    expect(response.status, reason).to.equal(status);
    expect(response.headers.get("content-type")).to.match(/^application\/json/);
    const body = (await response.json()) as RpcError;
    expect(body.jsonrpc).to.equal("2.0");
    expect(body.id).to.equal(null);
    expect([body.error.code, body.error.data.reason]).to.deep.equal([code, reason]);
    expect(body.error.message).to.be.a("string").and.not.equal("");
    return body;
  }

  after(() => {
    expect(served.app.logged).to.deep.equal([]);
  });

  it("answers POST only: GET, DELETE and other methods get 405 with Allow: POST", async () => {
    for (const method of ["GET", "DELETE", "PUT", "PATCH"]) {
      const response = await send("", {}, method);
      expect(response.headers.get("allow"), method).to.equal("POST");
      await refused(response, 405, -32000, "method_not_allowed");
    }
  });

  it("wants an Accept listing both application/json and text/event-stream (406)", async () => {
    const ping = JSON.stringify(rpc(1, "ping"));
    for (const value of ["application/json", "text/event-stream", "*/*", "text/html"]) {
      await refused(await send(ping, { Accept: value }), 406, -32000, "not_acceptable");
    }
    expect((await send(ping, { Accept: "text/event-stream, application/json;q=0.9" })).status).to.equal(200);
  });

  it("wants a JSON body (415), whatever its parameters", async () => {
    const ping = JSON.stringify(rpc(1, "ping"));
    for (const value of ["text/plain", "application/x-www-form-urlencoded", "text/plain; a=application/json"]) {
      await refused(await send(ping, { "Content-Type": value }), 415, -32000, "unsupported_media_type");
    }
    const withCharset = await send(ping, { "Content-Type": "application/json; charset=utf-8" });
    expect([withCharset.status, await withCharset.json()]).to.deep.equal([200, { jsonrpc: "2.0", id: 1, result: {} }]);
  });

  it("answers a body that is not JSON with a parse error (-32700), and one that is not JSON-RPC with an invalid request (-32600)", async () => {
    await refused(await send("{not json"), 400, -32700, "parse_error");
    for (const body of [{ hello: 1 }, { jsonrpc: "1.0", id: 1, method: "ping" }, { jsonrpc: "2.0", id: 1.5, method: "ping" }, { jsonrpc: "2.0", id: null, method: "ping" }, { jsonrpc: "2.0", id: 1, method: "ping", params: 5 }, [{ jsonrpc: "2.0", id: 1, method: "ping" }, 7], []]) {
      await refused(await send(JSON.stringify(body)), 400, -32600, "invalid_request");
    }
  });

  it("reads the body however it comes: in chunks, with a BOM, gzipped, in another charset; 413 past 64 KB even without a length", async () => {
    const { request } = await import("node:http");
    const { gzipSync } = await import("node:zlib");
    const port = new URL(served.app.url).port;
    /** A raw POST: the chunks as given (chunked transfer when there are several), and its status and body. */
    const raw = (chunks: Buffer[], headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { "Content-Type": "application/json", Accept: accept, ...headers } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on("error", reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    const ping = JSON.stringify(rpc(3, "ping"));
    const pong = { jsonrpc: "2.0", id: 3, result: {} };
    const inPieces = await raw([Buffer.from(ping.slice(0, 10)), Buffer.from(ping.slice(10))]);
    expect([inPieces.status, JSON.parse(inPieces.body)]).to.deep.equal([200, pong]);
    const withBom = await raw([Buffer.from(`\uFEFF${ping}`)]);
    expect([withBom.status, JSON.parse(withBom.body)]).to.deep.equal([200, pong]);
    const gzipped = await raw([gzipSync(ping)], { "Content-Encoding": "gzip" });
    expect([gzipped.status, JSON.parse(gzipped.body)]).to.deep.equal([200, pong]);
    const search = JSON.stringify(rpc(4, "tools/call", { name: "search_repositories", arguments: { query: "données", limit: 1 } }));
    const latin1 = await raw([Buffer.from(search, "latin1")], { "Content-Type": "application/json; charset=iso-8859-1" });
    // JSON is UTF-8 (RFC 8259), as body-parser's answer says; and an unknown compression.
    expect([latin1.status, (JSON.parse(latin1.body) as RpcError).error.data.reason]).to.deep.equal([415, "unsupported_media_type"]);
    const packed = await raw([Buffer.from(ping)], { "Content-Encoding": "zstd-or-else" });
    expect([packed.status, (JSON.parse(packed.body) as RpcError).error.data.reason]).to.deep.equal([415, "unsupported_media_type"]);
    const utf8 = await raw([Buffer.from(search.slice(0, 150)), Buffer.from(search.slice(150))], { "Content-Type": "application/json; charset=UTF-8" });
    expect((JSON.parse(utf8.body) as { result: { structuredContent: { api_url: string } } }).result.structuredContent.api_url).to.contain("q=donn%C3%A9es");
    const chunked = await raw(Array.from({ length: 70 }, () => Buffer.from(" ".repeat(1024))));
    expect([chunked.status, (JSON.parse(chunked.body) as RpcError).error.data.reason]).to.deep.equal([413, "too_large"]);
    for (const body of ["", "   ", "5", '"ping"', "null"]) {
      const answer = await raw([Buffer.from(body)]);
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      expect((JSON.parse(answer.body) as RpcError).error.code, JSON.stringify(body)).to.equal(body.trim() === "" ? -32600 : -32700);
    }
  });

  it("answers a batch: each request's response in order, one alone as an object, more than 100 messages refused", async () => {
    const both = await send(JSON.stringify([rpc("b", "tools/list"), rpc(1, "ping"), { jsonrpc: "2.0", method: "notifications/initialized" }]));
    expect(both.status).to.equal(200);
    const answers = (await both.json()) as Array<{ id: string | number; result: { tools?: unknown[] } }>;
    expect(answers.map((answer) => answer.id)).to.deep.equal(["b", 1]);
    expect(answers[0]!.result.tools).to.have.length(6);
    expect(answers[1]!.result).to.deep.equal({});
    // A single response is written alone, as the SDK's transport does.
    const one = await send(JSON.stringify([rpc(9, "ping"), { jsonrpc: "2.0", method: "notifications/initialized" }]));
    expect(await one.json()).to.deep.equal({ jsonrpc: "2.0", id: 9, result: {} });
    const calls = Array.from({ length: 3 }, (_, i) => rpc(i + 1, "tools/call", { name: "search_repositories", arguments: { query: ["données", "api", "transport"][i], limit: 2 } }));
    const searched = (await (await send(JSON.stringify(calls))).json()) as Array<{ id: number; result: { structuredContent: { items: unknown[] } } }>;
    expect(searched.map((answer) => answer.id)).to.deep.equal([1, 2, 3]);
    for (const answer of searched) expect(answer.result.structuredContent.items).to.have.length(2);
    await refused(await send(JSON.stringify([rpc(1, "ping"), rpc(1, "tools/list")])), 400, -32600, "duplicate_id");
    // A request the batch itself cancels gets no response; the others do, and the next request is answered as usual.
    const cancelled = await send(JSON.stringify([rpc(1, "ping"), calls[1], { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2 } }]));
    expect([cancelled.status, await cancelled.json()]).to.deep.equal([200, { jsonrpc: "2.0", id: 1, result: {} }]);
    const alone = await send(JSON.stringify([calls[1], { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2 } }]));
    expect([alone.status, await alone.text()]).to.deep.equal([202, ""]);
    const after = (await (await send(JSON.stringify(calls[1]))).json()) as { id: number; result: { structuredContent: { items: unknown[] } } };
    expect([after.id, after.result.structuredContent.items.length]).to.deep.equal([2, 2]);
    await refused(await send(JSON.stringify(Array.from({ length: 101 }, (_, i) => rpc(i, "ping")))), 400, -32600, "batch_too_large");
    expect((await send(JSON.stringify(Array.from({ length: 100 }, (_, i) => rpc(i, "ping"))))).status).to.equal(200);
  });

  it("accepts notifications and responses alone with 202 and no body", async () => {
    for (const body of [{ jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 5, result: {} }, { jsonrpc: "2.0", id: 6, error: { code: -32601, message: "no" } }, [{ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3 } }, { jsonrpc: "2.0", method: "notifications/initialized" }]]) {
      const response = await send(JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).to.equal(202);
      expect(await response.text()).to.equal("");
    }
  });

  it("checks MCP-Protocol-Version against the SDK's supported versions (400), but not on initialize", async () => {
    const ping = JSON.stringify(rpc(1, "ping"));
    const wrong = await refused(await send(ping, { "MCP-Protocol-Version": "1999-01-01" }), 400, -32000, "unsupported_protocol_version");
    expect(wrong.error.message).to.contain(SUPPORTED_PROTOCOL_VERSIONS[0]);
    for (const version of SUPPORTED_PROTOCOL_VERSIONS) expect((await send(ping, { "MCP-Protocol-Version": version })).status, version).to.equal(200);
    expect((await send(ping)).status).to.equal(200);
    // initialize negotiates in its body: the server answers with a version it supports.
    const init = await send(JSON.stringify(initialize("1999-01-01")), { "MCP-Protocol-Version": "1999-01-01" });
    expect(init.status).to.equal(200);
    expect(((await init.json()) as { result: { protocolVersion: string } }).result.protocolVersion).to.equal(LATEST_PROTOCOL_VERSION);
  });

  it("answers initialize statelessly: no session, and only alone", async () => {
    const response = await send(JSON.stringify(initialize("2025-06-18")));
    expect(response.status).to.equal(200);
    expect(response.headers.get("mcp-session-id")).to.equal(null);
    const { result } = (await response.json()) as { result: { protocolVersion: string; serverInfo: { name: string }; capabilities: Record<string, unknown> } };
    expect(result.protocolVersion).to.equal("2025-06-18");
    expect(result.serverInfo.name).to.equal("code-commun");
    expect(result.capabilities).to.have.keys("tools", "resources", "completions");
    // No session to hold: a tool call needs no initialize before it, nor a session id.
    const call = await send(JSON.stringify(rpc(2, "tools/call", { name: "catalogue_statistics", arguments: {} })));
    expect(((await call.json()) as { result: { isError?: boolean } }).result.isError).to.not.equal(true);
    await refused(await send(JSON.stringify([initialize("2025-06-18"), rpc(1, "ping")])), 400, -32600, "invalid_request");
  });

  it("answers protocol errors of the server itself as JSON-RPC responses to the request", async () => {
    const unknown = await send(JSON.stringify(rpc(4, "no/such/method")));
    expect(unknown.status).to.equal(200);
    const answer = (await unknown.json()) as { id: number; error: { code: number } };
    expect([answer.id, answer.error.code]).to.deep.equal([4, -32601]);
    const badParams = (await (await send(JSON.stringify(rpc(5, "tools/call", { name: "search_repositories", arguments: { limit: 500 } })))).json()) as { id: number; result: { isError: boolean } };
    expect([badParams.id, badParams.result.isError]).to.deep.equal([5, true]);
  });
});
