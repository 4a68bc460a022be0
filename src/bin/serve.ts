// npm start: the catalogue's web server and its harvest schedule. How the
// processes are arranged (web workers, one primary that harvests) is
// src/server/run.ts's business; this file wires the app and the jobs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { backupJob } from "../backup/backupJob.ts";
import { loadConfig } from "../config/config.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { HarvestBusyError, harvestLockName, harvestWithLock } from "../harvest/harvestJob.ts";
import { createReporter } from "../harvest/progress.ts";
import { createLogger, lineLogger } from "../observability/logger.ts";
import { combineReporters, metricsReporter } from "../observability/metrics.ts";
import { startScheduler } from "../schedule/scheduler.ts";
import { runServer } from "../server/run.ts";
import { countLiveRepositories } from "../store/catalog.ts";
import { readLock } from "../store/lock.ts";
import { createApp } from "../web/app.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  await runServer({
    config,
    rootDir,
    logger,
    // In every web worker (or the only process). Harvests run in the primary
    // only: a web worker asks for one through `callPrimary(name, argument)`,
    // answered by the `handlers` that startBackground returns, e.g. an
    // on-demand harvester (contract C1): here
    //   harvester: { request: (selection) => callPrimary("harvest", selection) as Promise<RunSummary> }
    // and below   handlers: { harvest: (selection) => onDemand.request(selection as HarvestSelection) }.
    createWebApp: ({ db, search, logger, metrics, gatherMetrics }) =>
      createApp({
        db,
        search,
        rootDir,
        log: lineLogger(logger, "error"),
        harvestCron: config.harvestCron,
        logger,
        metrics,
        gatherMetrics,
        metricsToken: config.metricsToken,
        rateLimits: config.rateLimits,
        trustProxy: config.trustProxy,
        exportConcurrency: config.exportConcurrency,
      }),
    // Once per machine: the primary process (or the only one).
    startBackground: ({ db, search, logger, metrics }) => {
      const log = lineLogger(logger);
      const harvestMetrics = metricsReporter(metrics);
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
                  signal,
                  reporter: combineReporters(createReporter({ write: (chunk: string) => log(chunk.trimEnd()) }, { interactive: false }), harvestMetrics),
                });
                harvestMetrics.runFinished(summary);
                log(`harvest run ${summary.runId} ${summary.status}: ${summary.repositoriesSeen} repositories, ${summary.accountsFailed} failed accounts`);
                // Stopping: the next start finds the index stale (its fingerprint of the store) and rebuilds it.
                if (signal.aborted) return;
                await search.rebuild().catch((error: unknown) => logger.error(`search index rebuild failed, the previous index stays: ${error instanceof Error ? error.message : String(error)}`));
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
          backupJob({ connection: db.$client, cron: config.backupCron, dir: config.backupDir, keep: config.backupKeep, log, metrics }),
        ],
        log,
      );
      if (config.harvestOnStart && countLiveRepositories(db) === 0) {
        log("the catalogue is empty: harvesting now");
        void scheduler.trigger("harvest");
      }
      return { stop: () => scheduler.stop() };
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Code Commun failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
