// npm run mcp: the catalogue's MCP server over stdio, for assistants running
// on this machine, on the same store (DATABASE_PATH) and search index as the
// web server. stdout carries the protocol: every log line goes to stderr.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { loadConfig } from "../config/config.ts";
import { createMcpServer } from "../mcp/server.ts";
import { openSearchEngine } from "../search/engine.ts";
import { readPublicBodies } from "../sources/publicBodies.ts";
import { openDatabase } from "../store/database.ts";
import { createCache } from "../web/cache.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
/** A harvest run by the web server or the CLI writes from another process: look for its changes this often. */
const refreshEveryMs = 10 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  const publicBodiesFile = path.join(rootDir, "data", "public-bodies.yml");
  const search = await openSearchEngine({ db, indexDir: path.join(path.dirname(config.databasePath), "index"), publicBodiesFile, log });
  const server = createMcpServer({
    db,
    search,
    publicBodies: readPublicBodies(publicBodiesFile),
    cached: createCache(60_000),
    // Links point at the web server: its public address, else the local one on PORT.
    baseUrl: config.publicUrl ?? `http://localhost:${config.port}`,
  });
  const refresh = setInterval(() => {
    search.refreshIfStale().catch((error: unknown) => log(`search index refresh failed: ${error instanceof Error ? error.message : String(error)}`));
  }, refreshEveryMs);
  refresh.unref();

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    clearInterval(refresh);
    await server.close();
    await search.close();
    db.$client.close();
  };
  // The client closing our stdin ends the session.
  process.stdin.once("end", () => void close());
  process.once("SIGTERM", () => void close());
  process.once("SIGINT", () => void close());
  await server.connect(new StdioServerTransport());
  log(`Code Commun MCP server on stdio (${config.databasePath})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Code Commun MCP server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
