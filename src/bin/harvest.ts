// npm run harvest: one harvest now. Exit 0 when every account succeeded,
// 2 when some failed (the others' data saved), 1 on a fatal error.
//
//   npm run harvest                                  every account of the sources
//   npm run harvest -- --account github.com/etalab   one account (repeatable); host alone: a whole instance
//   npm run harvest -- --forge gitlab.example.fr     every account of one host (repeatable)
//
// A harvest of some accounts rebuilds the search index after it, so that they
// show at once (a running server picks the new index up on its next refresh).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { harvestWithLock, type HarvestSelection } from "../harvest/harvestJob.ts";
import { createReporter } from "../harvest/progress.ts";
import { parseAccountArgument } from "../harvest/selection.ts";
import { openSearchEngine } from "../search/engine.ts";
import { openDatabase } from "../store/database.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

class UsageError extends Error {}

function selectionFromArguments(): HarvestSelection | undefined {
  let values: { account?: string[]; forge?: string[] };
  try {
    ({ values } = parseArgs({ options: { account: { type: "string", multiple: true }, forge: { type: "string", multiple: true } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: npm run harvest [-- --account <host>/<login>] [-- --forge <host>]`);
  }
  if (!values.account && !values.forge) return undefined;
  const accounts = (values.account ?? []).map((value) => {
    const account = parseAccountArgument(value);
    if (!account) throw new UsageError(`--account must read <host>/<login> (or <host> for a whole instance), got "${value}"`);
    return account;
  });
  const hosts = (values.forge ?? []).map((value) => {
    const account = parseAccountArgument(value);
    if (!account || account.login !== "") throw new UsageError(`--forge must be a forge host, got "${value}"`);
    return account.host;
  });
  return { accounts, hosts };
}

async function main(): Promise<number> {
  const selection = selectionFromArguments();
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  const controller = new AbortController();
  const stop = (signal: string) => {
    process.stderr.write(`\n${signal}: stopping at the next clean point...\n`);
    controller.abort();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  const reporter = createReporter(process.stderr);
  try {
    const summary = await harvestWithLock({
      db,
      sourcesPath: config.sourcesPath,
      registry: defaultRegistry(),
      config,
      trigger: "cli",
      lockStaleMs: config.lockStaleMs,
      profiles: config.harvestProfiles, // issue 9
      publicBodiesFile: path.join(rootDir, "data", "public-bodies.yml"), // issue 10: the reuse graph's placeholder pso_ids
      signal: controller.signal,
      reporter,
      ...(selection ? { selection } : {}),
    });
    reporter.finish(summary);
    if (selection && summary.status !== "interrupted") {
      // Opening the engine rebuilds the index file when the catalogue changed since it was built.
      const search = await openSearchEngine({
        db,
        indexDir: path.join(path.dirname(config.databasePath), "index"),
        publicBodiesFile: path.join(rootDir, "data", "public-bodies.yml"),
        log: (message) => process.stderr.write(`${message}\n`),
      });
      await search.close();
    }
    // "failed" here means every account failed: still account failures, not a fatal error.
    return summary.status === "succeeded" ? 0 : summary.status === "interrupted" ? 1 : 2;
  } finally {
    db.$client.close();
  }
}

// Exit explicitly: a rate-limit wait timer of the throttling plugin cannot be
// cancelled, and would keep an interrupted process alive until it fires.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`harvest failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
