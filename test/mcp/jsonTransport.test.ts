// The stateless JSON transport (src/mcp/jsonTransport.ts) on its own, with a
// stand-in server: what http.ts relies on when it pools servers.
import { expect } from "chai";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { JsonResponseTransport } from "../../src/mcp/jsonTransport.ts";

const request = (id: number | string, method = "ping"): JSONRPCMessage => ({ jsonrpc: "2.0", id, method });

/** A transport whose "server" answers each request with its id and method, later, in reverse order of arrival. */
function echoing(answerWithinMs?: number): { transport: JsonResponseTransport; seen: JSONRPCMessage[] } {
  const transport = new JsonResponseTransport(answerWithinMs);
  const seen: JSONRPCMessage[] = [];
  let queue: Array<() => void> = [];
  transport.onmessage = (message) => {
    seen.push(message);
    if ("method" in message && "id" in message && message.method !== "hang") {
      queue.unshift(() => void transport.send({ jsonrpc: "2.0", id: message.id, result: { method: message.method } }));
      setImmediate(() => {
        const due = queue;
        queue = [];
        for (const answer of due) answer();
      });
    }
  };
  return { transport, seen };
}

describe("MCP JSON transport", () => {
  it("gives the responses in the order of the requests, whatever order the server answers in", async () => {
    const { transport, seen } = echoing();
    const notification: JSONRPCMessage = { jsonrpc: "2.0", method: "notifications/initialized" };
    const answers = await transport.handle([request("a", "tools/list"), notification, request(2), request(3, "tools/call")], {});
    expect(answers).to.deep.equal([
      { jsonrpc: "2.0", id: "a", result: { method: "tools/list" } },
      { jsonrpc: "2.0", id: 2, result: { method: "ping" } },
      { jsonrpc: "2.0", id: 3, result: { method: "tools/call" } },
    ]);
    expect(seen).to.have.length(4);
    expect(transport.reusable).to.equal(true);
    // The next exchange on the same transport is answered alone.
    expect(await transport.handle([request(2)], {})).to.deep.equal([{ jsonrpc: "2.0", id: 2, result: { method: "ping" } }]);
  });

  it("dispatches notifications and responses alone and resolves with nothing to answer", async () => {
    const { transport, seen } = echoing();
    expect(await transport.handle([{ jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 9, result: {} }], {})).to.deep.equal([]);
    expect(seen).to.have.length(2);
  });

  it("drops what the server sends outside the requests of the exchange", async () => {
    const transport = new JsonResponseTransport();
    transport.onmessage = (message) => {
      if (!("id" in message)) return;
      void transport.send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1 } });
      void transport.send({ jsonrpc: "2.0", id: "someone else's", result: {} });
      void transport.send({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
    };
    expect(await transport.handle([request(1)], {})).to.deep.equal([{ jsonrpc: "2.0", id: 1, error: { code: -32601, message: "Method not found" } }]);
  });

  it("refuses a batch naming a request id twice, and a second exchange while one is under way", async () => {
    const { transport } = echoing();
    let refusal: unknown = null;
    await transport.handle([request(1), request(1)], {}).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.contain("repeated");
    const first = transport.handle([request(1)], {});
    let busy: unknown = null;
    await transport.handle([request(2)], {}).catch((error: unknown) => (busy = error));
    expect(String(busy)).to.contain("already serving");
    expect(await first).to.have.length(1);
  });

  it("does not wait for a request its batch cancels, and is then not to be reused", async () => {
    const { transport } = echoing();
    const cancel: JSONRPCMessage = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2 } };
    expect(await transport.handle([request(1), request(2, "hang"), cancel], {})).to.deep.equal([{ jsonrpc: "2.0", id: 1, result: { method: "ping" } }]);
    expect(transport.reusable).to.equal(false);
  });

  it("gives up on a server that does not answer, and on a closed transport", async () => {
    const { transport } = echoing(20);
    let error: unknown = null;
    await transport.handle([request(1, "hang")], {}).catch((caught: unknown) => (error = caught));
    expect(String(error)).to.contain("did not answer");
    const closing = echoing();
    let closed = false;
    closing.transport.onclose = () => (closed = true);
    const pending = closing.transport.handle([request(1, "hang")], {}).catch((caught: unknown) => caught);
    await closing.transport.close();
    expect(String(await pending)).to.contain("closed before");
    expect(closed).to.equal(true);
    expect(String(await closing.transport.handle([request(2)], {}).catch((caught: unknown) => caught))).to.contain("closed");
  });
});
