// Messages between the primary process and the web workers of the cluster:
//   - the primary tells workers that it swapped to a new search index;
//   - a worker asked for /metrics gets the whole cluster's, aggregated by the
//     primary with prom-client's AggregatorRegistry;
//   - a worker calls a function that only the primary may run (an on-demand
//     harvest: harvests and index builds happen in the primary only).
// Every message carries a `cc` type, so that prom-client's or Node's own
// messages on the same channel are left alone.
import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

type metric = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>[number];
import type { Metrics } from "../observability/metrics.ts";

type Message =
  | { cc: "index-swapped"; generation: string }
  | { cc: "metrics-request"; id: string }
  | { cc: "metrics-collect"; id: string }
  | { cc: "metrics-json"; id: string; metrics: metric[] }
  | { cc: "metrics-text"; id: string; text: string; contentType: string }
  | { cc: "call"; id: string; name: string; argument: unknown }
  | { cc: "call-result"; id: string; value?: unknown; error?: string };

function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as { cc?: unknown }).cc === "string";
}

/** Longest wait for a worker's metrics or a call's answer, in milliseconds (a call may be a whole harvest: none). */
const metricsTimeoutMs = 3_000;

/** Between two workers' index reloads, in milliseconds. */
const reloadStaggerMs = 1_500;

export type PrimaryHandlers = Record<string, (argument: unknown) => Promise<unknown>>;

/** The primary's side. */
export class ClusterPrimary {
  private readonly collecting = new Map<string, { pending: number; results: metric[][]; done: () => void }>();

  constructor(
    private readonly metrics: Metrics,
    private readonly handlers: () => PrimaryHandlers,
  ) {
    cluster.on("message", (worker, message: unknown) => {
      if (isMessage(message)) void this.onMessage(worker, message);
    });
  }

  /**
   * Tells every worker to reload the index file, one after the other: loading
   * blocks a worker for a moment (about 0.3 s at 50,000 repositories), and the
   * others keep answering meanwhile.
   */
  indexSwapped(generation: string): void {
    const workers = Object.values(cluster.workers ?? {});
    workers.forEach((worker, i) => {
      setTimeout(() => {
        if (worker?.isConnected()) worker.send({ cc: "index-swapped", generation } satisfies Message);
      }, i * reloadStaggerMs).unref();
    });
  }

  /** The whole cluster's metrics: the primary's own and every worker's, aggregated. */
  async gather(): Promise<{ contentType: string; text: string }> {
    const id = randomUUID();
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && worker.isConnected());
    const results: metric[][] = [await this.metrics.registry.getMetricsAsJSON()];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, metricsTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.collecting.set(id, { pending: workers.length, results, done });
      if (workers.length === 0) done();
      for (const worker of workers) worker.send({ cc: "metrics-collect", id } satisfies Message);
    });
    this.collecting.delete(id);
    const registry = AggregatorRegistry.aggregate(results);
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  private async onMessage(worker: Worker, message: Message): Promise<void> {
    if (message.cc === "metrics-json") {
      const collecting = this.collecting.get(message.id);
      if (!collecting) return;
      collecting.results.push(message.metrics);
      if (--collecting.pending <= 0) collecting.done();
    } else if (message.cc === "metrics-request") {
      const { text, contentType } = await this.gather();
      if (worker.isConnected()) worker.send({ cc: "metrics-text", id: message.id, text, contentType } satisfies Message);
    } else if (message.cc === "call") {
      const handler = this.handlers()[message.name];
      let answer: Message;
      try {
        if (!handler) throw new Error(`the primary process has no function ${message.name}`);
        answer = { cc: "call-result", id: message.id, value: await handler(message.argument) };
      } catch (error) {
        answer = { cc: "call-result", id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      if (worker.isConnected()) worker.send(answer);
    }
  }
}

/** A web worker's side. */
export class ClusterWorker {
  private readonly waiting = new Map<string, { resolve: (message: Message) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly metrics: Metrics,
    onIndexSwapped: (generation: string) => void,
  ) {
    process.on("message", (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.cc === "index-swapped") onIndexSwapped(message.generation);
      else if (message.cc === "metrics-collect") void this.metrics.registry.getMetricsAsJSON().then((metrics) => process.send?.({ cc: "metrics-json", id: message.id, metrics } satisfies Message));
      else if (message.cc === "metrics-text" || message.cc === "call-result") {
        this.waiting.get(message.id)?.resolve(message);
        this.waiting.delete(message.id);
      }
    });
    process.on("disconnect", () => {
      for (const { reject } of this.waiting.values()) reject(new Error("the primary process went away"));
      this.waiting.clear();
    });
  }

  /** The cluster's metrics, from the primary. */
  async gatherMetrics(): Promise<{ contentType: string; text: string }> {
    const answer = await this.ask({ cc: "metrics-request", id: randomUUID() }, metricsTimeoutMs * 2);
    if (answer.cc !== "metrics-text") throw new Error("unexpected answer");
    return { contentType: answer.contentType, text: answer.text };
  }

  /** Runs `name` in the primary process (see PrimaryHandlers) and returns its result. */
  async call(name: string, argument: unknown): Promise<unknown> {
    const answer = await this.ask({ cc: "call", id: randomUUID(), name, argument }, null);
    if (answer.cc !== "call-result") throw new Error("unexpected answer");
    if (answer.error !== undefined) throw new Error(answer.error);
    return answer.value;
  }

  private ask(message: Message & { id: string }, timeoutMs: number | null): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === null ? null : setTimeout(() => {
        this.waiting.delete(message.id);
        reject(new Error("the primary process did not answer"));
      }, timeoutMs);
      this.waiting.set(message.id, {
        resolve: (answer) => {
          if (timer) clearTimeout(timer);
          resolve(answer);
        },
        reject,
      });
      process.send?.(message);
    });
  }
}
