// The server on several cores (issue 13): web workers share the port, the
// store and the index file; the primary harvests and rebuilds the index, and
// every worker then serves the new one; a worker that dies is replaced.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";

/** A request on a connection of its own, so that the cluster hands it to the next worker. */
function getFresh(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface LogLine {
  pid: number;
  msg: string;
  req?: { path: string };
}

describe("server: web workers on every core", function () {
  this.timeout(120_000);
  let fake: FakeGitHub;
  let dir: string;
  let child: ChildProcess | null = null;
  let output = "";
  const lines = (): LogLine[] =>
    output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LogLine);

  before(async () => {
    fake = await new FakeGitHub().start();
    fake.addOrg("etalab");
    fake.addRepo("etalab", { name: "udata", description: "Plateforme de données ouvertes" });
    fake.addRepo("etalab", { name: "api-adresse" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-cluster-"));
    fs.writeFileSync(path.join(dir, "sources.yml"), ["github.com:", "  forge: github", `  api: ${fake.url}`, "  owners:", "    etalab:", ""].join("\n"));
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("harvests in the primary, serves the rebuilt index from every worker, replaces a dead worker, stops on SIGTERM", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "src/bin/serve.ts"], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", WEB_WORKERS: "2", LOG_LEVEL: "debug", DATABASE_PATH: path.join(dir, "catalog.db"), SOURCES_PATH: path.join(dir, "sources.yml"), METRICS_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on("close", resolve));

    const port = await until("the cluster to listen", () => /listening on http:\/\/127\.0\.0\.1:(\d+) \(2 web workers\)/.exec(output)?.[1] ?? null);
    const base = `http://127.0.0.1:${port}`;
    // The catalogue was empty: the primary harvests, rebuilds, and tells the workers.
    // Workers reload one after the other: wait until four new connections in a row (both workers) see it.
    await until("the harvested repositories to be searchable on every worker", async () => {
      for (let i = 0; i < 4; i++) {
        const { body } = await getFresh(`${base}/api/v1/repositories?q=udata`);
        if ((JSON.parse(body) as { total: number }).total < 1) return null;
      }
      return true;
    });
    const totals: number[] = [];
    for (let i = 0; i < 8; i++) totals.push((JSON.parse((await getFresh(`${base}/api/v1/repositories?q=udata`)).body) as { total: number }).total);
    expect(totals.every((total) => total === 1), String(totals)).to.equal(true);
    // Request logs are buffered and written within a second (observability/logger.ts): wait for them.
    const answeredBy = () => new Set(lines().filter((line) => line.req?.path === "/api/v1/repositories").map((line) => line.pid));
    const servers = await until("request lines from both workers", () => (answeredBy().size >= 2 ? answeredBy() : null), 10_000);
    expect(servers.size, "requests answered by both workers").to.equal(2);
    const primaryPid = child.pid!;
    expect(servers.has(primaryPid)).to.equal(false);

    // One /metrics for the whole cluster: the primary's harvest and every worker's requests.
    const metrics = (await getFresh(`${base}/metrics`)).body;
    expect(metrics).to.match(/codecommun_harvest_runs_total\{status="succeeded"\} 1/);
    const count = /codecommun_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/repositories",status="200"\} (\d+)/.exec(metrics);
    expect(Number(count?.[1])).to.be.at.least(9);
    expect(metrics).to.match(/codecommun_search_index_documents 2/);

    // A worker killed outright is replaced; the service goes on meanwhile.
    const victim = [...servers][0]!;
    process.kill(victim, "SIGKILL");
    await until("a new worker", () => (/web worker \d+ stopped \(SIGKILL\): starting another/.test(output) ? true : null));
    await until("the replacement to listen", () => (lines().filter((line) => /^web worker \d+ listening$/.test(line.msg)).length >= 3 ? true : null));
    for (let i = 0; i < 4; i++) expect((await getFresh(`${base}/readyz`)).status).to.equal(200);

    child.kill("SIGTERM");
    expect(await exited, output).to.equal(0);
    expect(output).to.match(/SIGTERM: stopping/).and.match(/"msg":"stopped"/);
  });
});
