// The real app on an ephemeral port of 127.0.0.1, over a temporary database.
import type http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SearchEngine } from "../../src/search/types.ts";
import { listen, type HttpLimits } from "../../src/server/httpServer.ts";
import { createApp, type AppDeps } from "../../src/web/app.ts";
import { fixtureNow } from "./catalogueFixture.ts";
import { fixtureSearchEngine } from "./fixtureSearchEngine.ts";
import { tempDatabase, type TempDatabase } from "./tempDatabase.ts";

/** The production defaults (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS). */
export const testHttpLimits: HttpLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 };

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface WebServer {
  url: string;
  /** The HTTP server itself (its events, for tests of what it makes). */
  server: http.Server;
  database: TempDatabase;
  search: SearchEngine;
  /** Errors the app logged (500s): tests assert there were none. */
  logged: string[];
  close(): Promise<void>;
}

export interface WebServerOptions extends Partial<AppDeps> {
  /** Builds the search engine over the seeded database (the real one, for instance); default: the test engine. */
  searchFor?: (database: TempDatabase) => Promise<SearchEngine>;
}

export async function startWebServer(seed: (database: TempDatabase) => void, { searchFor, ...deps }: WebServerOptions = {}): Promise<WebServer> {
  const database = tempDatabase();
  seed(database);
  const logged: string[] = [];
  const search = deps.search ?? (searchFor ? await searchFor(database) : fixtureSearchEngine(database.db));
  const app = createApp({
    db: database.db,
    search,
    rootDir,
    log: (message) => logged.push(message),
    harvestCron: "17 3 * * *",
    figuresTtlMs: 0,
    // Tests read the store as they left it; the page cache has its own test.
    pageCacheTtlMs: 0,
    now: () => fixtureNow,
    ...deps,
  });
  // As the production server listens (src/server/httpServer.ts): its limits, its request and response classes, its client-error answers.
  const server = await listen(app, 0, "127.0.0.1", testHttpLimits);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    database,
    search,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    },
  };
}
