// An open-loop load generator for bench:web's latency runs (issue 13).
//
// autocannon's overallRate is not a steady rate: each connection sends as
// fast as its answers come back until it has made rate/connections requests
// in the current second, then waits for the next second (its setInterval of
// 1 s, started at the same moment on every connection). So at 200 req/s over
// 10 connections the server saw, at the top of every second, 10 requests at
// once and a closed loop at saturation until the 200 were served, then
// nothing: a p50 of 14-20 ms at "200 req/s" was the queue of that burst, not
// the cost of a page. Measured on the same server (one worker, 50,000
// repositories, distinct searches, loaded machine): autocannon at 200 req/s
// sent each second's requests within its first 500 ms (222 202 179 204 169 34
// 0 0 0 0 per 100 ms), p50/p95 25/39 ms, the server's own request durations
// 16/29 ms (queued behind the burst); this open loop at 200 req/s: 3.4/12 ms,
// the server's 2/9 ms.
//
// Here request i is due at start + i / rate, whatever happened to the
// previous ones (as independent readers arrive), on a pool of keep-alive
// connections large enough never to be the limit; its latency is counted from
// the moment it was due, not from when it could be sent, so a client or a
// server that falls behind is charged for it (no coordinated omission).
import net from "node:net";

export interface OpenLoopOptions {
  baseUrl: string;
  /** The path of the i-th request. */
  path: (i: number) => string;
  /** Requests a second, evenly spaced. */
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  /** Connections at most (default 100): requests beyond wait for one, and that wait counts. */
  maxConnections?: number;
}

export interface OpenLoopResult {
  /** Latencies in milliseconds, from when each request was due to its last byte, sorted. */
  latencies: number[];
  errors: number;
  non2xx: number;
  /** Bytes of the bodies as sent (compressed, chunk framing included). */
  bytes: number;
  /** How late the schedule ran at worst (the generator's own lag), in ms. */
  maxLagMs: number;
  /** The generator's own CPU time per request, in ms: what it takes from the cores the server shares. */
  clientCpuMs: number;
}

const crlf = Buffer.from("\r\n");
const headEnd = Buffer.from("\r\n\r\n");

/**
 * One HTTP/1.1 response read off a keep-alive socket: the status line and
 * headers, then a body by Content-Length, chunked, or up to the close. A
 * reader of its own rather than node:http's client: on two cores shared with
 * the server the generator must stay cheap. Measured on the shared machine
 * (500 req/s, 6 KB answers): node:http 0.26-0.42 ms of CPU a request, this
 * reader 0.18-0.31, autocannon 0.06-0.12 in its bursts (which batch system
 * calls; an even schedule needs a wake-up per request, as real readers do).
 * bench:web prints the generator's CPU a request beside its figures.
 */
class ResponseReader {
  status = 0;
  bodyBytes = 0;
  private state: "head" | "length" | "size" | "data" | "last" | "close" | "done" = "head";
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;

  constructor(private readonly noBody: boolean) {}

  /** Takes bytes; true once the response is complete. */
  push(chunk: Buffer): boolean {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      switch (this.state) {
        case "head": {
          const end = data.indexOf(headEnd);
          if (end < 0) {
            this.pending = data;
            return false;
          }
          const lines = data.subarray(0, end).toString("latin1").split("\r\n");
          this.status = Number(lines[0]!.split(" ")[1]);
          let length: number | null = null;
          let chunked = false;
          for (const line of lines.slice(1)) {
            const colon = line.indexOf(":");
            const name = line.slice(0, colon).trim().toLowerCase();
            const value = line.slice(colon + 1).trim().toLowerCase();
            if (name === "content-length") length = Number(value);
            else if (name === "transfer-encoding" && value.includes("chunked")) chunked = true;
          }
          data = data.subarray(end + headEnd.length);
          if (this.noBody || this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) this.state = "done";
          else if (chunked) this.state = "size";
          else if (length !== null) {
            this.state = "length";
            this.remaining = length;
          } else this.state = "close";
          break;
        }
        case "length":
          data = this.take(data);
          if (this.remaining === 0) this.state = "done";
          else return false;
          break;
        case "size": {
          const end = data.indexOf(crlf);
          if (end < 0) {
            this.pending = data;
            return false;
          }
          const size = Number.parseInt(data.subarray(0, end).toString("latin1").split(";")[0]!, 16);
          this.bodyBytes += end + 2;
          data = data.subarray(end + 2);
          if (size === 0) this.state = "last";
          else {
            this.state = "data";
            this.remaining = size + 2;
          }
          break;
        }
        case "data":
          data = this.take(data);
          if (this.remaining === 0) this.state = "size";
          else return false;
          break;
        case "last": {
          // Trailers (none expected) up to the empty line.
          const end = data.indexOf(crlf);
          if (end < 0) {
            this.pending = data;
            return false;
          }
          data = data.subarray(end + 2);
          if (end === 0) this.state = "done";
          break;
        }
        case "close":
          this.bodyBytes += data.length;
          return false;
        case "done":
          return true;
      }
    }
  }

  /** Counts up to `remaining` bytes of body from `data`; what follows them. */
  private take(data: Buffer): Buffer {
    const taken = Math.min(this.remaining, data.length);
    this.remaining -= taken;
    this.bodyBytes += taken;
    return data.subarray(taken);
  }

  /** The server closed the connection: complete only when the body ran to the close. */
  closed(): boolean {
    return this.state === "close" || this.state === "done";
  }
}

interface Connection {
  socket: net.Socket;
  /** The request being answered on it: its due time and reader. */
  current: { due: number; reader: ResponseReader } | null;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.baseUrl);
  const port = Number(url.port || 80);
  const maxConnections = options.maxConnections ?? 100;
  const extraHeaders = Object.entries(options.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const requestOf = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${extraHeaders}Connection: keep-alive\r\n\r\n`, "latin1");
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  let maxLagMs = 0;
  let sent = 0;
  let finished = 0;
  const idle: Connection[] = [];
  const queue: { due: number; request: Buffer }[] = [];
  let open = 0;
  const cpuBefore = process.cpuUsage();

  await new Promise<void>((resolve) => {
    const start = performance.now();
    const settle = () => {
      finished++;
      if (finished === total) resolve();
    };
    const dispatch = (connection: Connection, job: { due: number; request: Buffer }) => {
      connection.current = { due: job.due, reader: new ResponseReader(false) };
      connection.socket.write(job.request);
    };
    const release = (connection: Connection) => {
      connection.current = null;
      const job = queue.shift();
      if (job) dispatch(connection, job);
      else idle.push(connection);
    };
    const connect = (job: { due: number; request: Buffer }) => {
      open++;
      const connection: Connection = { socket: net.connect(port, url.hostname), current: null };
      connection.socket.setNoDelay(true);
      connection.socket.on("data", (chunk: Buffer) => {
        const current = connection.current;
        if (!current || !current.reader.push(chunk)) return;
        latencies.push(performance.now() - current.due);
        bytes += current.reader.bodyBytes;
        if (current.reader.status < 200 || current.reader.status >= 300) non2xx++;
        settle();
        release(connection);
      });
      const lost = () => {
        const current = connection.current;
        connection.current = null;
        open--;
        const at = idle.indexOf(connection);
        if (at >= 0) idle.splice(at, 1);
        if (current) {
          if (current.reader.closed()) {
            latencies.push(performance.now() - current.due);
            bytes += current.reader.bodyBytes;
          } else errors++;
          settle();
        }
        // Whoever waits gets a new connection.
        const job = queue.shift();
        if (job) connect(job);
      };
      connection.socket.on("error", () => connection.socket.destroy());
      connection.socket.on("close", lost);
      dispatch(connection, job);
    };
    const send = (i: number) => {
      const job = { due: start + i * intervalMs, request: requestOf(options.path(i)) };
      const connection = idle.pop();
      if (connection) dispatch(connection, job);
      else if (open < maxConnections) connect(job);
      else queue.push(job);
    };
    // Wakes when the next request is due (timers have a 1 ms grain: at 1,000 req/s and more, what is due
    // goes out together) and sends everything due; a timer per millisecond cost more CPU than the requests.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        maxLagMs = Math.max(maxLagMs, now - (start + sent * intervalMs));
        send(sent++);
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    if (total === 0) resolve();
    else tick();
  });
  for (const connection of idle) connection.socket.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return { latencies, errors, non2xx, bytes, maxLagMs, clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, total) };
}
