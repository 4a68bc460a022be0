// npm start: the catalogue's web server and its harvest schedule.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config/config.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { HarvestBusyError, harvestLockName, harvestWithLock } from "../harvest/harvestJob.ts";
import { createReporter } from "../harvest/progress.ts";
import { startScheduler } from "../schedule/scheduler.ts";
import { openSearchEngine } from "../search/engine.ts";
import { countLiveRepositories } from "../store/catalog.ts";
import { openDatabase } from "../store/database.ts";
import { readLock } from "../store/lock.ts";
import { createApp } from "../web/app.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  // The index lives beside the database (data/index/): loaded if current, else built before listening.
  const search = await openSearchEngine({
    db,
    indexDir: path.join(path.dirname(config.databasePath), "index"),
    publicBodiesFile: path.join(rootDir, "data", "public-bodies.yml"),
    log,
  });
  const app = createApp({ db, search, rootDir, log, harvestCron: config.harvestCron });
  const server = app.listen(config.port, config.host, () => log(`Code Commun listening on http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`));

  const scheduler = startScheduler(
    [
      {
        name: "harvest",
        cron: config.harvestCron,
        run: async (signal) => {
          try {
            const summary = await harvestWithLock({
              db,
              sourcesPath: config.sourcesPath,
              registry: defaultRegistry(),
              config,
              trigger: "schedule",
              lockStaleMs: config.lockStaleMs,
              profiles: config.harvestProfiles, // issue 9
              signal,
              reporter: createReporter({ write: (chunk: string) => process.stdout.write(chunk) }, { interactive: false }),
            });
            log(`harvest run ${summary.runId} ${summary.status}: ${summary.repositoriesSeen} repositories, ${summary.accountsFailed} failed accounts`);
            // Stopping: the next start finds the index stale (its fingerprint of the store) and rebuilds it.
            if (signal.aborted) return;
            await search.rebuild().catch((error: unknown) => log(`search index rebuild failed, the previous index stays: ${error instanceof Error ? error.message : String(error)}`));
          } catch (error) {
            if (error instanceof HarvestBusyError) log("harvest skipped: another harvest is running");
            else throw error;
          }
        },
      },
      {
        // A harvest run from the command line writes from another process: pick its changes up.
        name: "search-index",
        cron: "*/10 * * * *",
        run: async () => {
          // Not while a harvest is writing (a live heartbeat): the index would be stale again at once.
          const lock = readLock(db, harvestLockName);
          if (lock && Date.parse(lock.heartbeatAt) > Date.now() - config.lockStaleMs) return;
          await search.refreshIfStale();
        },
      },
    ],
    log,
  );
  if (config.harvestOnStart && countLiveRepositories(db) === 0) {
    log("the catalogue is empty: harvesting now");
    void scheduler.trigger("harvest");
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (a running harvest stops at its next clean point)`);
    server.close();
    server.closeIdleConnections();
    await scheduler.stop();
    await search.close();
    db.$client.close();
    log("stopped");
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Code Commun failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
