// A web worker runs a function of the primary (an on-demand harvest, contract C1) through src/server/cluster.ts.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { openDatabase } from "../../src/store/database.ts";
import { buildIndexFromStore } from "../../src/search/storeBuild.ts";

describe("server: calls from web workers to the primary", function () {
  this.timeout(90_000);

  for (const workers of [2, 1]) {
    it(`runs the primary's handler and returns its value (${workers === 1 ? "one process" : "two web workers"})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-calls-"));
      const db = openDatabase(path.join(dir, "catalog.db"));
      buildIndexFromStore(db, { indexDir: path.join(dir, "index"), builtAt: new Date() });
      db.$client.close();
      const child = spawn(process.execPath, ["--import", "tsx", "test/server/fixtures/callsCluster.ts"], {
        env: { ...process.env, DATABASE_PATH: path.join(dir, "catalog.db"), WEB_WORKERS: String(workers), PORT: "0", HOST: "127.0.0.1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      try {
        for (let i = 0; i < 600 && !/listening on http:\/\/127\.0\.0\.1:\d+/.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
        expect(port, output).to.be.a("string");
        const answer = (await (await fetch(`http://127.0.0.1:${port}/call/echo?x=hello`)).json()) as { worker: number; value: { primary: number; argument: unknown } };
        expect(answer.value).to.deep.equal({ primary: child.pid, argument: { x: "hello" } });
        if (workers > 1) expect(answer.worker).to.not.equal(child.pid);
        const unknown = await fetch(`http://127.0.0.1:${port}/call/nothing`);
        expect(unknown.status).to.equal(500);
        expect(((await unknown.json()) as { error: string }).error).to.match(/no function nothing/);
      } finally {
        child.kill("SIGTERM");
        expect(await exited, output).to.equal(0);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
