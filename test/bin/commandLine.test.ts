// The command line as an operator runs it: child processes, a fake GitHub on
// 127.0.0.1, a real database file, exit codes and outputs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("command line", function () {
  this.timeout(60_000);
  let fake: FakeGitHub;
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    fake = await new FakeGitHub().start();
    fake.addOrg("etalab", { name: "Etalab" });
    fake.addRepo("etalab", { name: "udata", description: "Plateforme =open data=", license: "AGPL-3.0", topics: ["open-data", "python"] });
    fake.addRepo("etalab", { name: "api-adresse", description: "API de géocodage", license: "MIT" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-cli-"));
    env = { DATABASE_PATH: path.join(dir, "catalog.db"), SOURCES_PATH: path.join(dir, "sources.yml"), HTTP_TIMEOUT_MS: "2000" };
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sources = (...owners: string[]) =>
    fs.writeFileSync(env.SOURCES_PATH as string, ["github.com:", "  forge: github", `  api: ${fake.url}`, "  owners:", ...owners.map((o) => `    ${o}:`), ""].join("\n"));

  it("harvest exits 0 when every account succeeded, then export writes JSON and CSV", async () => {
    sources("etalab");
    const harvest = await run("src/bin/harvest.ts", [], env);
    expect(harvest.code, harvest.stderr).to.equal(0);
    expect(harvest.stderr).to.match(/harvest run 1 succeeded/).and.match(/repositories: 2 seen, 2 added/);

    const json = await run("src/bin/export.ts", ["--format", "json"], env);
    expect(json.code, json.stderr).to.equal(0);
    const records = JSON.parse(json.stdout) as { id: string; license: string; topics: string[] }[];
    expect(records.map((r) => r.id)).to.deep.equal(["github.com/etalab/api-adresse", "github.com/etalab/udata"]);
    expect(records[1]).to.include({ license: "AGPL-3.0" });

    const out = path.join(dir, "export.csv");
    const csv = await run("src/bin/export.ts", ["--format", "csv", "--out", out], env);
    expect(csv.code, csv.stderr).to.equal(0);
    const lines = fs.readFileSync(out, "utf8").trim().split("\r\n");
    expect(lines).to.have.length(3);
    expect(lines[0]).to.match(/^id,forge,host,owner,name,full_name,url,description,/);
    expect(lines[2]).to.include('github.com/etalab/udata').and.include('"open-data,python"');
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp-"))).to.deep.equal([]);
  });

  it("harvest exits 2 when some accounts failed, keeping the others' data", async () => {
    sources("etalab", "ghost");
    const harvest = await run("src/bin/harvest.ts", [], env);
    expect(harvest.code).to.equal(2);
    expect(harvest.stderr).to.match(/failed github\.com\/ghost: not_found/);
    // The summary groups failures by host and reason, with an example.
    expect(harvest.stderr).to.match(/failures by host and reason:\n {4}github\.com: not_found × 1 \(ghost\)\n {6}e\.g\. github\.com\/ghost: GitHub answered 404/);
    const json = await run("src/bin/export.ts", [], env);
    expect((JSON.parse(json.stdout) as unknown[]).length).to.equal(2);
  });

  it("harvest --account harvests one account of the sources, then rebuilds the index; an account not listed exits 1", async () => {
    fake.addOrg("other");
    fake.addRepo("other", { name: "elsewhere" });
    sources("etalab", "other");
    const harvest = await run("src/bin/harvest.ts", ["--account", "github.com/etalab"], env);
    expect(harvest.code, harvest.stderr).to.equal(0);
    expect(harvest.stderr).to.match(/harvest run 1: 1 accounts to harvest/).and.match(/search index built: 2 repositories/);
    expect(fake.log(/other/)).to.deep.equal([]);
    expect(fs.existsSync(path.join(dir, "index", "search-index.bin"))).to.equal(true);

    const forge = await run("src/bin/harvest.ts", ["--forge", "github.com"], env);
    expect(forge.code, forge.stderr).to.equal(0);
    expect(forge.stderr).to.match(/harvest run 2: 2 accounts to harvest/);

    const unknown = await run("src/bin/harvest.ts", ["--account", "github.com/ghost"], env);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/harvest failed: not in the sources: account github\.com\/ghost/);
    const usage = await run("src/bin/harvest.ts", ["--forge", "github.com/etalab"], env);
    expect(usage.code).to.equal(1);
    expect(usage.stderr).to.match(/--forge must be a forge host/);
  });

  it("harvest exits 1 on a malformed sources file, naming the line", async () => {
    fs.writeFileSync(env.SOURCES_PATH as string, "github.com:\n  forge: github\n  owners:\n    etalab:\n      pso: 1\n");
    const harvest = await run("src/bin/harvest.ts", [], env);
    expect(harvest.code).to.equal(1);
    expect(harvest.stderr).to.match(/sources\.yml:5: unknown key "pso" in owner etalab of github\.com/);
  });

  it("export refuses an unknown format", async () => {
    const result = await run("src/bin/export.ts", ["--format", "xml"], env);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/--format must be one of json, csv, jsonl\b.*, got "xml"/);
  });
});

describe("server process", function () {
  this.timeout(60_000);

  it("serves, harvests an empty catalogue at start, and stops cleanly on SIGTERM mid-harvest", async () => {
    const fake = await new FakeGitHub().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-serve-"));
    try {
      fake.addOrg("etalab");
      fake.addOrg("slow");
      fake.addRepo("etalab", { name: "udata" });
      fake.addRepo("slow", { name: "tortue" });
      // The slow organisation's repositories never answer: SIGTERM lands while they are awaited.
      fake.inject("/orgs/slow/repos", { kind: "hang" });
      const sources = path.join(dir, "sources.yml");
      fs.writeFileSync(sources, ["github.com:", "  forge: github", `  api: ${fake.url}`, "  owners:", "    etalab:", "    slow:", ""].join("\n"));
      const child = spawn(process.execPath, ["--import", "tsx", "src/bin/serve.ts"], {
        env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: path.join(dir, "catalog.db"), SOURCES_PATH: sources, HARVEST_CONCURRENCY: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      // Wait until the slow account's listing is being awaited.
      // A bound on polling, not a timing assertion: a loaded machine builds the index and starts slowly.
      for (let i = 0; i < 1200 && !fake.requests.some((r) => r.path === "/orgs/slow/repos"); i++) await new Promise((r) => setTimeout(r, 50));
      // Logs are buffered and written within a second (issue 13, observability/logger.ts).
      for (let i = 0; i < 100 && !/the catalogue is empty: harvesting now/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).to.match(/the catalogue is empty: harvesting now/);
      child.kill("SIGTERM");
      const code = await exited;
      expect(code, output).to.equal(0);
      expect(output).to.match(/SIGTERM: stopping/).and.match(/stopped/);

      const { openDatabase } = await import("../../src/store/database.ts");
      const db = openDatabase(path.join(dir, "catalog.db"));
      try {
        const runs = db.$client.prepare("SELECT trigger, status FROM harvest_runs").all();
        // The harvest of an empty catalogue at start is logged as such.
        expect(runs).to.deep.equal([{ trigger: "startup", status: "interrupted" }]);
        // The account finished before SIGTERM is saved whole; nothing of the interrupted one is half-written.
        const names = db.$client.prepare("SELECT full_name FROM repositories ORDER BY full_name").all();
        expect(names).to.deep.equal([{ full_name: "etalab/udata" }]);
        expect(db.$client.prepare("SELECT count(*) AS n FROM locks").get()).to.deep.equal({ n: 0 });
      } finally {
        db.$client.close();
      }
    } finally {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
