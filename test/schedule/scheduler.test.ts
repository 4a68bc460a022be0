import { expect } from "chai";
import { startScheduler } from "../../src/schedule/scheduler.ts";

describe("scheduler", () => {
  it("never runs a job twice at once, and stop() waits for it to reach a clean point", async () => {
    let runs = 0;
    let sawAbort = false;
    const scheduler = startScheduler(
      [
        {
          name: "slow",
          cron: "",
          run: (signal) =>
            new Promise<void>((resolve) => {
              runs++;
              signal.addEventListener("abort", () => {
                sawAbort = true;
                resolve();
              });
            }),
        },
      ],
      () => {},
    );
    const first = scheduler.trigger("slow");
    const second = scheduler.trigger("slow");
    expect(second).to.equal(first);
    expect(runs).to.equal(1);
    await scheduler.stop();
    await first;
    expect(sawAbort).to.equal(true);
  });

  it("logs a failing job instead of crashing, and can run it again", async () => {
    const messages: string[] = [];
    let calls = 0;
    const scheduler = startScheduler(
      [{ name: "flaky", cron: "", run: async () => { calls++; throw new Error("forge down"); } }],
      (m) => messages.push(m),
    );
    await scheduler.trigger("flaky");
    await scheduler.trigger("flaky");
    expect(calls).to.equal(2);
    expect(messages).to.deep.equal(["job flaky failed: forge down", "job flaky failed: forge down"]);
    await scheduler.stop();
  });

  it("rejects an unknown job name", async () => {
    const scheduler = startScheduler([], () => {});
    let error: unknown;
    await scheduler.trigger("nope").catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/no job named nope/);
    await scheduler.stop();
  });
});
