// npm run demo: a full catalogue offline in one command. Starts fictional
// forges on 127.0.0.1, points a fresh catalogue at them, and runs the real
// server, which harvests them at start because the catalogue is empty.
//
//   npm run demo [-- --port 3000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { startDemoForges } from "./lib/demoForges.ts";
import { startFakeIdp } from "../test/fake-idp/oidcProvider.ts";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "3000" } } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-demo-"));
const forges = await startDemoForges();
fs.writeFileSync(path.join(dir, "sources.yml"), forges.sources);

// ---- Declarations (issue 11): a real OpenID provider with two users, and an
// account that is not in the sources, for a newcomer to declare.
const publicUrl = `http://localhost:${values.port}`;
const idp = await startFakeIdp({ redirectUris: () => ({ redirect: [`${publicUrl}/auth/callback`], postLogout: [`${publicUrl}/`] }) });
idp.unref();
const declarable = "demo-ville-exemple";
forges.github.addOrg(declarable, { name: "Ville d'Exemple (démo)", description: "Une commune qui déclare elle-même son compte" });
for (const name of ["portail-citoyen", "budget-participatif", "cartographie-voirie"]) forges.github.addRepo(declarable, { name, description: `${name.replace(/-/g, " ")} de la Ville d'Exemple (démo)`, license: "EUPL-1.2", language: "TypeScript" });
forges.github.acceptDemoWrites = true;
Object.assign(process.env, {
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: idp.clientId,
  OIDC_CLIENT_SECRET: idp.clientSecret,
  PUBLIC_URL: publicUrl,
  SESSION_SECRET: randomBytes(32).toString("hex"),
  MODERATORS: idp.users.moderator!.email,
});

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
process.stdout.write(
  [
    "",
    `demo: declarations, signed in through the OpenID provider at ${idp.issuer} (any password):`,
    `  1. open ${publicUrl}/declarations and sign in as "agent";`,
    `  2. declare host "github.com", account "${declarable}", any public body and contact, then confirm;`,
    "  3. create the challenge repository that the declaration page names, as if on the forge:",
    `       curl -X POST ${forges.github.url}/_demo/repos/${declarable}/code-commun-<token>`,
    "     then press \"Verify\";",
    `  4. sign out, sign in as "moderator", open ${publicUrl}/moderation and approve;`,
    `  5. once the harvest has run, the repositories appear: ${publicUrl}/owners/github.com/${declarable}`,
    "",
    "demo: also to try:",
    `  ${publicUrl}/repositories (search, filters, downloads), ${publicUrl}/status (the harvest per forge and account),`,
    `  ${publicUrl}/publiccode (validate a publiccode.yml), ${publicUrl}/api (the API reference), ${publicUrl}/llms.txt,`,
    `  ${publicUrl}/feeds/new.atom (Atom), and the MCP server at ${publicUrl}/mcp (or npm run mcp with DATABASE_PATH set as above).`,
    `  reuse across public bodies: ${publicUrl}/repositories/github.com/demo-dinum/kit-interface (reused by, builds on, the reuse score,`,
    `  similar repositories and why; for programs ${publicUrl}/api/v1/repositories/github.com/demo-dinum/kit-interface/similar),`,
    `  ${publicUrl}/reuse/shared (shared projects), ${publicUrl}/reuse/external (outside software) and ${publicUrl}/statistics.`,
    "",
  ].join("\n"),
);

// The fake forges do not keep the process alive: it ends when the server has stopped (SIGINT, SIGTERM).
process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
await import("../src/bin/serve.ts");
