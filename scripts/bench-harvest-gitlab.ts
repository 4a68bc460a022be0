// GitLab harvest benchmark, on FakeGitLab:
//   (a) the top-level groups of an instance as group accounts, each with two
//       levels of subgroups;
//   (b) the same instance harvested whole (keyset pagination).
// Each on a fresh database: a first run, an unchanged incremental run, and an
// incremental run after 1% of the projects had activity. Reports wall time,
// requests per project, projects per second and the harvester's peak RSS.
//
//   npx tsx scripts/bench-harvest-gitlab.ts [--projects 20000] [--groups 20]
//                                           [--concurrency 4] [--out file.json]
//
// The fake runs in a child process, so that its data and rendering stay out
// of the memory figures and it gets the second core, as a real forge would.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gitlabForgeType } from "../src/forges/gitlab/index.ts";
import { ForgeRegistry } from "../src/forges/registry.ts";
import { runHarvest, type RunSummary } from "../src/harvest/harvester.ts";
import type { ForgeSource } from "../src/sources/sources.ts";
import { openDatabase } from "../src/store/database.ts";
import { FakeGitLab, populateInstance, type GeneratedInstance, type InstanceShape } from "../test/fake-forge/fakeGitLab.ts";

type Command = { type: "populate"; shape: InstanceShape } | { type: "touch"; share: number } | { type: "stop" };
type Reply = { type: "ready"; url: string; instance: Omit<GeneratedInstance, "projectIds"> & { projects: number } } | { type: "touched"; count: number };

const host = "gitlab.bench.example";

// ---- child: the fake forge ----------------------------------------------------

async function serve(): Promise<void> {
  const fake = await new FakeGitLab().start();
  let projectIds: number[] = [];
  const send = (reply: Reply) => process.send?.(reply);
  process.on("message", async (command: Command) => {
    if (command.type === "populate") {
      const { projectIds: ids, ...instance } = populateInstance(fake, command.shape);
      projectIds = ids;
      send({ type: "ready", url: fake.url, instance: { ...instance, projects: ids.length } });
    } else if (command.type === "touch") {
      // Every n-th project: spread over groups and pages, as real activity is.
      const step = Math.max(1, Math.round(1 / command.share));
      let count = 0;
      for (let i = 0; i < projectIds.length; i += step, count++) fake.touchProject(projectIds[i] as number, { stars: count });
      fake.clearLog();
      send({ type: "touched", count });
    } else {
      await fake.stop();
      process.exit(0);
    }
  });
}

// ---- parent: the harvests --------------------------------------------------

interface RunFigures {
  scenario: string;
  run: string;
  status: string;
  wallMs: number;
  projects: number;
  projectsPerSecond: number;
  requests: number;
  requestsPerProject: number;
  written: number;
  peakRssMb: number;
}

class FakeProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): FakeProcess {
    // The child inherits tsx's loader through execArgv.
    return new FakeProcess(fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: "inherit" }));
  }

  request<T extends Reply["type"]>(command: Command, expected: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.type !== expected) return;
        this.child.off("message", onMessage);
        resolve(reply as Extract<Reply, { type: T }>);
      };
      this.child.on("message", onMessage);
      this.child.once("exit", (code) => reject(new Error(`the fake GitLab exited (${code})`)));
      this.child.send(command);
    });
  }

  stop(): void {
    this.child.send({ type: "stop" } satisfies Command);
  }
}

/** Peak RSS during `work`, sampled every 50 ms (process.resourceUsage().maxRSS only grows over the whole process). */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, wallMs: performance.now() - started, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

async function scenario(
  name: string,
  fake: FakeProcess,
  source: ForgeSource,
  concurrency: number,
): Promise<RunFigures[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-gitlab-"));
  const db = openDatabase(path.join(dir, "catalog.db"));
  const registry = new ForgeRegistry({ gitlab: gitlabForgeType });
  const figures: RunFigures[] = [];
  const run = async (label: string) => {
    const { result, wallMs, peakRssMb } = await measure<RunSummary>(() =>
      runHarvest({
        db,
        sources: [source],
        registry,
        config: { tokens: {}, httpTimeoutMs: 30_000, harvestConcurrency: concurrency, maxRateLimitWaitMs: 60_000 },
        trigger: "cli",
      }),
    );
    const row: RunFigures = {
      scenario: name,
      run: label,
      status: result.status,
      wallMs: Math.round(wallMs),
      projects: result.repositoriesSeen,
      projectsPerSecond: Math.round(result.repositoriesSeen / (wallMs / 1000)),
      requests: result.requests,
      requestsPerProject: Math.round((result.requests / Math.max(1, result.repositoriesSeen)) * 1000) / 1000,
      written: result.repositoriesAdded + result.repositoriesUpdated,
      peakRssMb: Math.round(peakRssMb),
    };
    figures.push(row);
    console.log(JSON.stringify(row));
  };
  try {
    await run("first");
    await run("incremental, unchanged");
    const { count } = await fake.request({ type: "touch", share: 0.01 }, "touched");
    await run(`incremental, ${count} projects with new activity`);
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      projects: { type: "string", default: "20000" },
      groups: { type: "string", default: "20" },
      concurrency: { type: "string", default: "4" },
      out: { type: "string" },
    },
  });
  const shape: InstanceShape = { projects: Number(values.projects), topGroups: Number(values.groups), subgroupsPerGroup: 3, depth: 2, users: 50, userShare: 0.05 };
  const concurrency = Number(values.concurrency);
  const all: RunFigures[] = [];
  // What the process holds before any harvest (tsx, gitbeaker, drizzle, SQLite loaded): the floor of the peaks below.
  const info: Record<string, unknown> = { node: process.version, cpus: os.cpus().length, shape, concurrency, baselineRssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024) };

  // A fresh fake per scenario, so that (b) starts from the same data as (a).
  for (const kind of ["groups", "instance"] as const) {
    const fake = FakeProcess.start();
    try {
      const { url, instance } = await fake.request({ type: "populate", shape }, "ready");
      info.groups = instance.groups.length;
      const source: ForgeSource = {
        host,
        type: "gitlab",
        api: url,
        owners: kind === "groups" ? instance.topGroups.map((login) => ({ login, line: 0 })) : null,
        line: 0,
      };
      const name = kind === "groups" ? `(a) ${instance.topGroups.length} group accounts, ${instance.groups.length} groups in all` : `(b) whole instance, ${instance.projects} projects`;
      console.error(`${name}…`);
      all.push(...(await scenario(name, fake, source, concurrency)));
    } finally {
      fake.stop();
    }
  }

  console.log();
  console.log(`baseline RSS before any harvest: ${info.baselineRssMb} MB; ${info.groups} groups; node ${process.version}, ${os.cpus().length} cores`);
  console.table(all.map(({ scenario: s, run, wallMs, projects, projectsPerSecond, requests, requestsPerProject, written, peakRssMb, status }) => ({
    scenario: s.slice(0, 3), run, status, "wall s": wallMs / 1000, projects, "projects/s": projectsPerSecond, requests, "req/project": requestsPerProject, written, "peak RSS MB": peakRssMb,
  })));
  if (values.out) {
    fs.mkdirSync(path.dirname(values.out), { recursive: true });
    fs.writeFileSync(values.out, `${JSON.stringify({ ...info, runs: all }, null, 2)}\n`);
  }
}

if (process.argv.includes("--serve")) await serve();
else await main();
