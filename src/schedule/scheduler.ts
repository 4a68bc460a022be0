// Jobs declared as data, run by node-cron. A job never overlaps itself in this
// process; the harvest job also takes the database lock against other processes.
import { schedule, type ScheduledTask } from "node-cron";

export interface Job {
  name: string;
  /** node-cron expression; "" disables the job. */
  cron: string;
  /** Should stop at a clean point when `signal` is aborted. */
  run(signal: AbortSignal): Promise<void>;
}

export interface Scheduler {
  /** Runs a job now, unless it is already running (then returns the running one). */
  trigger(name: string): Promise<void>;
  /** Stops the timers, aborts running jobs and waits for them to reach a clean point. */
  stop(): Promise<void>;
}

export function startScheduler(jobs: Job[], log: (message: string) => void): Scheduler {
  const controller = new AbortController();
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];

  const trigger = (name: string): Promise<void> => {
    const job = jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    const current = running.get(name);
    if (current) return current;
    if (controller.signal.aborted) return Promise.resolve();
    const promise = job
      .run(controller.signal)
      .catch((error: unknown) => log(`job ${name} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => running.delete(name));
    running.set(name, promise);
    return promise;
  };

  for (const job of jobs) {
    if (job.cron === "") continue;
    tasks.push(schedule(job.cron, () => void trigger(job.name), { name: job.name }));
  }

  return {
    trigger,
    stop: async () => {
      for (const task of tasks) await task.stop();
      controller.abort();
      await Promise.all(running.values());
    },
  };
}
