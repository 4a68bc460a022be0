// npm run demo: a full catalogue offline in one command. Starts fictional
// forges on 127.0.0.1, points a fresh catalogue at them, and runs the real
// server, which harvests them at start because the catalogue is empty.
//
//   npm run demo [-- --port 3000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startDemoForges } from "./lib/demoForges.ts";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "3000" } } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-demo-"));
const forges = await startDemoForges();
fs.writeFileSync(path.join(dir, "sources.yml"), forges.sources);

// The server reads its configuration from the environment, once: set it before it loads.
Object.assign(process.env, {
  PORT: values.port,
  DATABASE_PATH: path.join(dir, "catalog.db"),
  SOURCES_PATH: path.join(dir, "sources.yml"),
  HARVEST_ON_START: "true",
  HARVEST_CRON: "",
  // A fictional operator, so that the demo shows where contact details appear (issue 14).
  OPERATOR_NAME: process.env.OPERATOR_NAME ?? "Démonstration Code Commun",
  CONTACT_EMAIL: process.env.CONTACT_EMAIL ?? "contact@code-commun.example",
});
process.stdout.write(`demo: fictional forges on ${forges.github.url} (GitHub), ${forges.gitlab.url} (GitLab) and ${forges.gitea.url} (Gitea); catalogue in ${dir}\n`);

// The fake forges do not keep the process alive: it ends when the server has stopped (SIGINT, SIGTERM).
process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
await import("../src/bin/serve.ts");
