// npm run harvest: one harvest now. Exit 0 when every account succeeded,
// 2 when some failed (the others' data saved), 1 on a fatal error.
import { loadConfig } from "../config/config.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { harvestWithLock } from "../harvest/harvestJob.ts";
import { createReporter } from "../harvest/progress.ts";
import { openDatabase } from "../store/database.ts";

async function main(): Promise<number> {
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
      signal: controller.signal,
      reporter,
    });
    reporter.finish(summary);
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
