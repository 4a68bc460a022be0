// A transport of the SDK's public Transport interface for the stateless /mcp
// endpoint (issue 12's benchmark): it takes JSON-RPC messages Express already
// parsed and checked (src/mcp/http.ts), hands them to the McpServer it is
// connected to, and gives back the responses to write as one JSON answer.
//
// Why not the SDK's WebStandardStreamableHTTPServerTransport: per call it built
// a web Request and Response, JSON.stringify'd the answer into a body we read
// back, zod-parsed each response it sent (isJSONRPCResultResponse), and, a
// transport being single-use in stateless mode, connect()/close() cost a server
// a fresh McpError each time (profiled: about 0.8 ms of CPU a tool call beside
// the API's search). This one stays connected to its pooled server; the
// protocol itself (initialize, tools/list, tools/call, validation of the
// arguments) remains the SDK's McpServer.
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from "@modelcontextprotocol/sdk/types.js";

/** A response, told apart without a schema: the protocol sends requests, notifications and responses, and only responses carry result or error. */
function responseId(message: JSONRPCMessage): RequestId | undefined {
  return "id" in message && ("result" in message || "error" in message) ? message.id : undefined;
}

interface Exchange {
  /** The requests' ids still waiting for their response. */
  pending: Set<RequestId>;
  responses: Map<RequestId, JSONRPCMessage>;
  settle: (error?: Error) => void;
}

export class JsonResponseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private exchange: Exchange | null = null;
  private closed = false;

  async start(): Promise<void> {}

  /**
   * Hands `messages` to the server and resolves with the responses to its
   * requests, in the order of the requests (ids as given; an id repeated in a
   * batch is answered once, as the SDK's transport does). Notifications and
   * responses alone are dispatched and resolve with nothing: HTTP answers 202.
   * One exchange at a time: the caller holds the transport (and its server)
   * until this settles, so request ids never mix between clients.
   */
  async handle(messages: JSONRPCMessage[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    if (this.closed) throw new Error("the transport is closed");
    if (this.exchange) throw new Error("the transport is already serving a request");
    const order: RequestId[] = [];
    for (const message of messages) if ("method" in message && "id" in message && !order.includes(message.id)) order.push(message.id);
    if (order.length === 0) {
      for (const message of messages) this.onmessage?.(message, extra);
      return [];
    }
    const responses = new Map<RequestId, JSONRPCMessage>();
    const answered = new Promise<void>((resolve, reject) => {
      this.exchange = { pending: new Set(order), responses, settle: (error) => (error ? reject(error) : resolve()) };
    });
    try {
      for (const message of messages) this.onmessage?.(message, extra);
    } catch (error) {
      this.exchange = null;
      throw error;
    }
    await answered;
    return order.map((id) => responses.get(id)!);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const id = responseId(message);
    const exchange = this.exchange;
    // Server-initiated requests and notifications (progress, logging, list
    // changes) have no stream to go to in a stateless JSON answer: the SDK's
    // transport drops them too. Our tools send none.
    if (id === undefined || !exchange || !exchange.pending.has(id)) return;
    exchange.pending.delete(id);
    exchange.responses.set(id, message);
    if (exchange.pending.size === 0) {
      this.exchange = null;
      exchange.settle();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.exchange?.settle(new Error("the transport closed before the server answered"));
    this.exchange = null;
    this.onclose?.();
  }
}
