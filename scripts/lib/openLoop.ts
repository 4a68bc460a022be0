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
import http from "node:http";

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
  bytes: number;
  /** How late the schedule ran at worst (the generator's own lag), in ms. */
  maxLagMs: number;
  /** The generator's own CPU time per request, in ms: what it takes from the cores the server shares. */
  clientCpuMs: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 100, maxFreeSockets: options.maxConnections ?? 100 });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  let maxLagMs = 0;
  let pending = 0;
  let sent = 0;
  const cpuBefore = process.cpuUsage();

  await new Promise<void>((resolve) => {
    const start = performance.now();
    const finish = () => {
      if (sent === total && pending === 0) resolve();
    };
    const send = (i: number) => {
      const due = start + i * intervalMs;
      pending++;
      const request = http.get(
        { host: url.hostname, port: url.port, path: options.path(i), agent, headers: options.headers },
        (response) => {
          response.on("data", (chunk: Buffer) => (bytes += chunk.length));
          response.on("end", () => {
            latencies.push(performance.now() - due);
            if (response.statusCode! < 200 || response.statusCode! >= 300) non2xx++;
            pending--;
            finish();
          });
        },
      );
      request.on("error", () => {
        errors++;
        pending--;
        finish();
      });
    };
    // A timer every millisecond sends what is due: at 1,000 req/s, one request a tick.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        maxLagMs = Math.max(maxLagMs, now - (start + sent * intervalMs));
        send(sent++);
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * intervalMs - performance.now())));
      else finish();
    };
    tick();
  });
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return { latencies, errors, non2xx, bytes, maxLagMs, clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, total) };
}
