// Logs on standard output are buffered and written asynchronously (issue 13:
// no write system call per request line). What operators rely on: nothing is
// lost at a stop or on a crash, and a quiet server still shows its lines.
import { spawn } from "node:child_process";
import { expect } from "chai";

const fixture = "test/observability/fixtures/bufferedLogger.ts";

/** Runs the fixture; resolves with its standard output once `done` says so, or it exits. */
function run(mode: string, done: (stdout: string) => boolean = () => false, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture, mode], { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, ...env } });
    let stdout = "";
    let settled = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (!settled && done(stdout)) {
        settled = true;
        child.kill("SIGKILL");
        resolve({ stdout, code: null });
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (!settled) resolve({ stdout, code });
    });
  });
}

const messages = (stdout: string): string[] =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe("observability: buffered logs", function () {
  this.timeout(30_000);

  it("buffers lines, and writes them when flushLogger is awaited", async () => {
    const { stdout, code } = await run("flush");
    expect(code).to.equal(0);
    expect(stdout.indexOf('"msg":"line before flush"')).to.be.within(0, stdout.indexOf("MARKER") - 1);
    // Not written at once: the marker written straight after the line comes first.
    expect(stdout.indexOf("SECOND MARKER")).to.be.within(0, stdout.indexOf('"msg":"line after flush"') - 1);
    expect(messages(stdout)).to.deep.equal(["line before flush", "line after flush"]);
  });

  it("writes its last lines when the process dies of an uncaught exception", async () => {
    const { stdout, code } = await run("crash");
    expect(code).to.equal(1);
    expect(messages(stdout)).to.deep.equal(["line before crash"]);
  });

  it("shows a quiet process's lines without waiting for the buffer to fill", async () => {
    const { stdout } = await run("wait", (text) => text.includes("\n"));
    expect(messages(stdout)).to.deep.equal(["line before wait"]);
  });

  it("loses a buffered line to SIGKILL, and none with LOG_SYNC", async () => {
    expect(messages((await run("kill")).stdout)).to.deep.equal([]);
    expect(messages((await run("kill", undefined, { LOG_SYNC: "true" })).stdout)).to.deep.equal(["line before kill"]);
  });
});
