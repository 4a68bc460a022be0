// The base of the fake forges: an HTTP server on 127.0.0.1 with a request log
// and scripted faults, so tests drive the real octokit and gitbeaker clients
// through every path a real forge can take (304, 403/429, 5xx, hangs, garbage).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  /** Path without the query string, e.g. "/orgs/etalab/repos". */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The request body as text (POST /graphql), at most 1 MB; "" when none. */
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON value (serialised), or a string sent as it is. */
  body?: unknown;
}

/**
 * A scripted fault for requests whose path matches. `times` is how many
 * matching requests it applies to (default 1), then normal service resumes.
 */
export type Fault =
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: "hang" } // never answers: the client's timeout must fire
  | { kind: "garbage" } // 200 with a body that is not JSON
  | { kind: "html" } // 200 with an HTML page, as a misconfigured proxy sends
  | { kind: "delay"; ms: number }; // answers normally, late

interface ScriptedFault {
  match: (request: FakeRequest) => boolean;
  fault: Fault;
  remaining: number;
}

export interface LoggedRequest extends FakeRequest {
  status: number;
}

export abstract class FakeHttpServer {
  readonly requests: LoggedRequest[] = [];
  private readonly server = http.createServer((req, res) => this.dispatch(req, res));
  private readonly faults: ScriptedFault[] = [];
  private readonly rules: Array<(request: FakeRequest) => Fault | null> = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private origin = "";

  /** The base URL, e.g. http://127.0.0.1:43210. */
  get url(): string {
    return this.origin;
  }

  /** Listens on `port` (default: any free one); a stopped fake may start again on its old port. */
  async start(port = 0): Promise<this> {
    // Longer than undici's own keep-alive (4 s), so clients reuse connections as with a real forge.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    const address = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
    return this;
  }

  /** Lets the process exit while the fake still listens (the demo stops with the server it feeds). */
  unref(): this {
    this.server.unref();
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The port it listens on (0 before start). */
  get port(): number {
    return this.origin ? Number(new URL(this.origin).port) : 0;
  }

  /** Applies `fault` to the next `times` requests whose path matches (or that `match` accepts, query included). */
  inject(match: RegExp | string | ((request: FakeRequest) => boolean), fault: Fault, times = 1): void {
    const test =
      typeof match === "function"
        ? match
        : (() => {
            const pattern = typeof match === "string" ? new RegExp(`^${match.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : match;
            return (request: FakeRequest) => pattern.test(request.path);
          })();
    this.faults.push({ match: test, fault, remaining: times });
  }

  /** A standing rule, asked about every request that met no scripted fault (the benchmark's bursts of 502). */
  injectWhen(rule: (request: FakeRequest) => Fault | null): void {
    this.rules.push(rule);
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  /** Requests whose path matches, as "METHOD path?query" lines: handy in assertions. */
  log(match?: RegExp): string[] {
    return this.requests
      .filter((r) => !match || match.test(r.path))
      .map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ""}`);
  }

  /** Answers a request that met no fault. */
  protected abstract handle(request: FakeRequest): FakeResponse | Promise<FakeResponse>;

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? "/", "http://fake");
    const body = req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req);
    const request: FakeRequest = { method: req.method ?? "GET", path: decodeURIComponent(parsed.pathname), query: parsed.searchParams, headers: req.headers, body };
    const scripted = this.faults.find((f) => f.remaining > 0 && f.match(request));
    if (scripted) scripted.remaining--;
    let fault = scripted?.fault;
    for (const rule of this.rules) fault ??= rule(request) ?? undefined;
    try {
      if (fault?.kind === "hang") {
        this.requests.push({ ...request, status: 0 });
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        return;
      }
      if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
      let response: FakeResponse;
      if (fault?.kind === "status") response = { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? { message: `fake fault ${fault.status}` } };
      else if (fault?.kind === "garbage") response = { status: 200, headers: { "content-type": "application/json" }, body: "{\"id\": 1, \"name\": tr" };
      else if (fault?.kind === "html") response = { status: 200, headers: { "content-type": "text/html" }, body: "<!doctype html><html><body><h1>Maintenance</h1></body></html>" };
      else response = await this.handle(request);
      this.requests.push({ ...request, status: response.status });
      const body = response.body === undefined ? "" : typeof response.body === "string" ? response.body : JSON.stringify(response.body);
      const headers: Record<string, string> = { ...(typeof response.body === "string" ? {} : { "content-type": "application/json; charset=utf-8" }), ...response.headers };
      res.writeHead(response.status, headers);
      res.end(response.status === 304 ? undefined : body);
    } catch (error) {
      this.requests.push({ ...request, status: 500 });
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake forge bug: ${(error as Error).stack}`);
    }
  }
}

/** The body of a request, as text, cut at 1 MB (the fakes read small JSON bodies only). */
async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < 1_000_000) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, 1_000_000);
}
