// Warm-up before a web process takes traffic (issue 13).
//
// Measured at 50,000 repositories, two web workers, 1,000 distinct search
// pages a second: a server that had just started answered its first request
// in 130 ms of CPU and then spent 2 to 4.5 ms of CPU a page for two seconds
// and 1.5 to 1.8 ms for four more, against 1.1 to 1.3 ms once warm: V8 runs a
// function in its interpreter until the function has run often enough to be
// compiled, and the row and record caches fill as pages are asked for. Under
// that load the queue built in the first second took six to drain: a p95 of
// 248 ms over ten seconds. An orchestrator, a reverse proxy or a load test
// sends its traffic as soon as the port answers, so each web process first
// asks itself for pages like readers' (searches with filters, sorts and
// pages; repository pages; the API's searches and records), made from a
// sample of its own catalogue, through the real app and node's HTTP stack, on
// a private port of the loopback interface, and only then listens on the
// shared port. The requests carry the process's warm-up mark
// (web/warmupMark.ts): not logged, not counted (HTTP or search metrics), not rate limited.
import http from "node:http";
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { queryWords } from "../search/analyzer.ts";
import { sampleLiveRepositories, type RepositorySample } from "../store/catalog.ts";
import type { Db } from "../store/database.ts";
import { repositoryPath } from "../web/urls.ts";
import { duringWarmup, warmupHeader, warmupToken } from "../web/warmupMark.ts";
import { requestClasses } from "./requestShapes.ts";

export interface WarmupOptions {
  /** Stop sending after this long even if paths are left, in milliseconds. */
  maxMs: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export interface WarmupResult {
  /** Requests answered. */
  requests: number;
  /** Answers that were not 2xx, and requests that failed, with their path. */
  failures: string[];
  durationMs: number;
}

const sorts = ["relevance", "stars", "activity"] as const;

/** Words of a name or a description worth searching for, as a query splits them: 4 to 20 characters. */
function wordsOf(sample: RepositorySample): string[] {
  return queryWords(`${sample.name} ${sample.description ?? ""}`).filter((word) => word.length >= 4 && word.length <= 20);
}

/**
 * Up to `count` distinct paths like readers' (none asked twice, so that none
 * is answered from the page cache), from a sample of the live repositories:
 * search pages with words, a language, a sort and a page; repository pages;
 * the API's searches and records. None for an empty catalogue.
 */
export function warmupPaths(db: Db, count: number): string[] {
  if (count <= 0) return [];
  const samples = sampleLiveRepositories(db, Math.min(2_000, Math.max(50, Math.ceil(count / 4))));
  if (samples.length === 0) return [];
  const words = [...new Set(samples.flatMap(wordsOf))].slice(0, 500);
  const languageCounts = new Map<string, number>();
  for (const sample of samples) if (sample.language) languageCounts.set(sample.language, (languageCounts.get(sample.language) ?? 0) + 1);
  const languages = [...languageCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([language]) => language);
  const searchPage = (i: number) => {
    const word = words[i % words.length]!;
    const language = languages.length > 0 && i % 3 !== 0 ? `&language=${encodeURIComponent(languages[i % languages.length]!)}` : "";
    const sort = sorts[Math.floor(i / 2) % sorts.length]!;
    const page = i % 5 === 4 ? "&page=2" : "";
    return `/repositories?q=${encodeURIComponent(word)}${language}&sort=${sort}${page}`;
  };
  const repositoryPage = (i: number) => {
    const sample = samples[i % samples.length]!;
    return repositoryPath(sample.host, sample.fullName);
  };
  const apiSearch = (i: number) => `/api/v1/repositories?q=${encodeURIComponent(words[(i * 7) % words.length]!)}&per_page=10`;
  const apiRecord = (i: number) => `/api/v1${repositoryPage(i)}`;
  // In turn: search pages (half), repository pages, the API's searches and records; without words, pages and records only.
  const kinds = words.length > 0 ? [searchPage, repositoryPage, searchPage, apiSearch, searchPage, repositoryPage, searchPage, apiRecord] : [repositoryPage, apiRecord];
  const paths = new Set<string>(["/", "/repositories"]);
  for (let i = 0, stale = 0; paths.size < count && stale < 8 * count; i++) {
    const before = paths.size;
    paths.add(kinds[i % kinds.length]!(i));
    stale = paths.size === before ? stale + 1 : 0;
  }
  return [...paths].slice(0, count);
}

/** Asks `app` for each of `paths` over HTTP on a private loopback port, as browsers and programs do; resolves when all are answered or time is up. */
export async function warmUp(app: RequestListener, paths: readonly string[], options: WarmupOptions): Promise<WarmupResult> {
  const started = Date.now();
  if (paths.length === 0) return { requests: 0, failures: [], durationMs: 0 };
  // The classes the server will make (requestShapes.ts): the code warms up on the hidden classes it will meet.
  const server = http.createServer({ ...requestClasses(app) }, app);
  // exclusive: in a cluster worker, a port of its own rather than one shared through the primary.
  server.listen({ port: 0, host: "127.0.0.1", exclusive: true });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const concurrency = options.concurrency ?? 2;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const token = warmupToken();
  const failures: string[] = [];
  let requests = 0;
  let next = 0;
  const ask = (i: number, path: string) =>
    new Promise<void>((resolve) => {
      const api = path.startsWith("/api/");
      const request = http.get(
        {
          host: "127.0.0.1",
          port,
          path,
          agent,
          headers: {
            Accept: api ? "application/json" : "text/html,application/xhtml+xml",
            // Browsers' (brotli) mostly, and gzip, as proxies and programs ask.
            "Accept-Encoding": i % 4 === 3 ? "gzip" : "gzip, deflate, br, zstd",
            "Accept-Language": i % 2 === 0 ? "fr-FR,fr;q=0.9,en;q=0.8" : "en-GB,en;q=0.9",
            [warmupHeader]: token,
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            requests++;
            if ((response.statusCode ?? 0) >= 300) failures.push(`${path}: ${response.statusCode}`);
            resolve();
          });
          response.on("error", (error) => {
            failures.push(`${path}: ${error.message}`);
            resolve();
          });
        },
      );
      request.on("error", (error) => {
        failures.push(`${path}: ${error.message}`);
        resolve();
      });
    });
  const lane = async () => {
    while (next < paths.length && Date.now() - started < options.maxMs) {
      const i = next++;
      await ask(i, paths[i]!);
    }
  };
  try {
    await duringWarmup(() => Promise.all(Array.from({ length: concurrency }, lane)));
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { requests, failures, durationMs: Date.now() - started };
}
