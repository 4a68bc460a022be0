// npm start: the catalogue's web server and its harvest schedule. How the
// processes are arranged (web workers, one primary that harvests) is
// src/server/run.ts's business; this file wires the app and the jobs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { backupJob } from "../backup/backupJob.ts";
import { loadConfig } from "../config/config.ts";
import { declaredSources } from "../declarations/declaredSources.ts";
import { defaultRegistry } from "../forges/forgeTypes.ts";
import { HarvestBusyError, harvestLockName, harvestPlanReader, harvestWithLock, type HarvestSelection } from "../harvest/harvestJob.ts";
import { createOnDemandHarvester } from "../harvest/onDemand.ts";
import { createReporter } from "../harvest/progress.ts";
import { createLogger, lineLogger } from "../observability/logger.ts";
import { combineReporters, metricsReporter } from "../observability/metrics.ts";
import { startScheduler } from "../schedule/scheduler.ts";
import { publicBodiesFile, runServer } from "../server/run.ts";
import { countLiveRepositories } from "../store/catalog.ts";
import { readLock } from "../store/lock.ts";
import type { RunTrigger } from "../store/runs.ts";
import { warmPublicRecords } from "../web/api/present.ts";
import { createApp } from "../web/app.ts";

type OnDemandRequest = (selection: HarvestSelection) => Promise<import("../harvest/harvester.ts").RunSummary>;

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, sync: config.logSync });
  const registry = defaultRegistry();
  await runServer({
    config,
    rootDir,
    // Workers run this file even when another script (npm run demo) imported it.
    workerEntry: fileURLToPath(import.meta.url),
    logger,
    // Issue 13: the API's record JSON made with the rows a serving process warms.
    onRowsWarmed: warmPublicRecords,
    // In every web worker (or the only process).
    createWebApp: ({ db, search, logger, metrics, gatherMetrics, callPrimary }) =>
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
        // Issue 13: the layout's stylesheets and scripts compressed once per process, at the first visit.
        precompressStaticFiles: true,
        onStaticFilesCompressed: (files, ms) => logger.info(`static files compressed for every next visit: ${files} in ${ms} ms`),
        // Who runs the site and how to reach them (issue 14).
        operator: { name: config.operatorName, email: config.contactEmail, sourcesUrl: config.sourcesUrl },
        // Absolute links of feeds, MCP answers and llms.txt; the hosts /mcp answers (issue 12).
        publicUrl: config.publicUrl,
        mcpAllowedHosts: config.mcpAllowedHosts,
        // Issue 8: harvests on demand run in the primary process (the one that harvests), and the
        // plan of the current sources for the status page and API.
        harvester: { request: (selection) => callPrimary("harvest", selection) as ReturnType<OnDemandRequest> },
        harvestPlan: harvestPlanReader(config.sourcesPath, registry, undefined, () => declaredSources(db)),
        // Declarations (issue 11): sign-in, the forge look-ups of declared accounts, the sources they must not repeat.
        auth: config.auth,
        registry,
        forgeConfig: config,
        sourcesPath: config.sourcesPath,
      }),
    // Once per machine: the primary process (or the only one).
    startBackground: ({ db, search, logger, metrics }) => {
      const log = lineLogger(logger);
      const harvestMetrics = metricsReporter(metrics);
      const reporter = () => combineReporters(createReporter({ write: (chunk: string) => log(chunk.trimEnd()) }, { interactive: false }), harvestMetrics);
      const harvest = async (signal: AbortSignal, trigger: RunTrigger): Promise<void> => {
        try {
          const summary = await harvestWithLock({ db, sourcesPath: config.sourcesPath, registry, config, trigger, lockStaleMs: config.lockStaleMs, profiles: config.harvestProfiles, publicBodiesFile: publicBodiesFile(rootDir), signal, reporter: reporter() });
          harvestMetrics.runFinished(summary);
          log(`harvest run ${summary.runId} ${summary.status}: ${summary.repositoriesSeen} repositories, ${summary.accountsFailed} failed accounts`);
          // Stopping: the next start finds the index stale (its fingerprint of the store) and rebuilds it.
          if (signal.aborted) return;
          await search.rebuild().catch((error: unknown) => logger.error(`search index rebuild failed, the previous index stays: ${error instanceof Error ? error.message : String(error)}`));
        } catch (error) {
          if (error instanceof HarvestBusyError) log("harvest skipped: another harvest is running");
          else throw error;
        }
      };
      // Issue 8: harvests on demand (C1), e.g. an account just approved; they wait for a running harvest.
      const onDemandStop = new AbortController();
      const harvester = createOnDemandHarvester({
        job: { db, sourcesPath: config.sourcesPath, registry, config, lockStaleMs: config.lockStaleMs, profiles: config.harvestProfiles, publicBodiesFile: publicBodiesFile(rootDir), reporter: reporter() },
        rebuildIndex: () => search.rebuild(),
        signal: onDemandStop.signal,
        log,
      });
      const scheduler = startScheduler(
        [
          { name: "harvest", cron: config.harvestCron, run: (signal) => harvest(signal, "schedule") },
          // The harvest of an empty catalogue at start, logged as such (trigger "startup"); never on a schedule.
          { name: "harvest-at-start", cron: "", run: (signal) => harvest(signal, "startup") },
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
        void scheduler.trigger("harvest-at-start");
      }
      return {
        stop: async () => {
          onDemandStop.abort();
          await scheduler.stop();
          await harvester.settled();
        },
        handlers: { harvest: (selection) => harvester.request(selection as HarvestSelection) },
      };
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Code Commun failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
