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

/** The id of the request a notifications/cancelled names, if the message is one. */
function cancelledId(message: JSONRPCMessage): RequestId | undefined {
  if (!("method" in message) || "id" in message || message.method !== "notifications/cancelled") return undefined;
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

export class JsonResponseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private exchange: Exchange | null = null;
  private closed = false;
  /**
   * False once an exchange ended with a response possibly still to come (a
   * request its batch cancelled): a later exchange could take that response
   * for one of its own with the same id, so the server should not be reused.
   */
  reusable = true;

  /**
   * @param answerWithinMs how long an exchange may wait for the server's
   * responses: past it, handle() rejects and the caller drops the server
   * rather than let a request hang on an answer that will not come (our tools
   * answer at once; this is a backstop).
   */
  constructor(private readonly answerWithinMs = 60_000) {}

  async start(): Promise<void> {}

  /**
   * Hands `messages` to the server and resolves with the responses to its
   * requests, in the order of the requests (ids as given, each once in a batch;
   * a request the batch also cancels is not waited for). Notifications and
   * responses alone are dispatched and resolve with nothing: HTTP answers 202.
   * One exchange at a time: the caller holds the transport (and its server)
   * until this settles, so request ids never mix between clients.
   */
  async handle(messages: JSONRPCMessage[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    if (this.closed) throw new Error("the transport is closed");
    if (this.exchange) throw new Error("the transport is already serving a request");
    const order: RequestId[] = [];
    for (const message of messages) {
      if (!("method" in message) || !("id" in message)) continue;
      // Request ids are how responses find their request: a batch repeating one is refused by http.ts.
      if (order.includes(message.id)) throw new Error(`request id ${String(message.id)} is repeated`);
      order.push(message.id);
    }
    // A request the same batch cancels gets no response (the protocol drops it): nothing to wait for.
    for (const message of messages) {
      const cancelled = cancelledId(message);
      if (cancelled !== undefined && order.includes(cancelled)) {
        order.splice(order.indexOf(cancelled), 1);
        this.reusable = false;
      }
    }
    if (order.length === 0) {
      for (const message of messages) this.onmessage?.(message, extra);
      return [];
    }
    const responses = new Map<RequestId, JSONRPCMessage>();
    const answered = new Promise<void>((resolve, reject) => {
      this.exchange = { pending: new Set(order), responses, settle: (error) => (error ? reject(error) : resolve()) };
    });
    const exchange = this.exchange!;
    const timer = setTimeout(() => {
      if (this.exchange === exchange) this.exchange = null;
      exchange.settle(new Error(`the server did not answer within ${this.answerWithinMs} ms`));
    }, this.answerWithinMs);
    timer.unref();
    try {
      for (const message of messages) this.onmessage?.(message, extra);
      await answered;
    } finally {
      clearTimeout(timer);
      if (this.exchange === exchange) this.exchange = null;
    }
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
