// A harvest log of 400 accounts over four forges, and the plan of the current
// sources, for the status page and GET /api/v1/status: failures of every kind,
// accounts tried twice, rate-limit waits, a skipped forge, an account ignored
// by the sources, and one dropped from them since its failure.
import { parseSources, planHarvest, type HarvestPlan } from "../../src/sources/sources.ts";
import type { Db } from "../../src/store/database.ts";
import { ensureAccount, recordAccountResult, upsertForge } from "../../src/store/harvestStore.ts";
import { finishRun, recordRunAccount, startRun, type AccountResult } from "../../src/store/runs.ts";

export const statusToday = "2026-03-02";
const githubLogins = Array.from({ length: 300 }, (_, i) => `organisme-${String(i).padStart(3, "0")}`);
const gitlabLogins = Array.from({ length: 90 }, (_, i) => `groupe-${String(i).padStart(2, "0")}/sous-groupe`);
const giteaLogins = Array.from({ length: 8 }, (_, i) => `mairie-${i}`);

export const statusSources = [
  "github.com:",
  "  forge: github",
  "  owners:",
  ...githubLogins.map((login) => `    ${login}:`),
  "gitlab.example.fr:",
  "  forge: gitlab",
  "  owners:",
  ...gitlabLogins.map((login) => `    ${login}:`),
  "    ancien-groupe:",
  "      ignored_since: 2025-01-01",
  "git.mairie.fr:",
  "  forge: gitea",
  "  owners:",
  ...giteaLogins.map((login) => `    ${login}:`),
  "forge.example.org:",
  "  forge: sourcehut",
  "",
].join("\n");

export function statusPlan(): HarvestPlan {
  return planHarvest(parseSources(statusSources), new Set(["github", "gitlab", "gitea", "forgejo", "gogs"]), statusToday);
}

/** A message as long and unbroken as real forges send: the table must wrap it, not overflow. */
const longMessage = `GET /api/v4/groups/groupe/projects: 502 Bad Gateway from https://gitlab.example.fr/${"very-long-path-segment-".repeat(12)}end`;

export function seedStatus(db: Db): void {
  const at = (day: string) => `${day}T03:17:00.000Z`;
  upsertForge(db, { host: "github.com", type: "github", apiUrl: "https://api.github.com" }, at("2026-03-01"));
  upsertForge(db, { host: "gitlab.example.fr", type: "gitlab", apiUrl: "https://gitlab.example.fr" }, at("2026-03-01"));
  upsertForge(db, { host: "git.mairie.fr", type: "gitea", apiUrl: "https://git.mairie.fr/api/v1" }, at("2026-03-01"));

  const record = (runId: number, day: string, result: AccountResult) => {
    recordRunAccount(db, runId, result);
    const accountId = ensureAccount(db, result.host, result.login);
    recordAccountResult(db, accountId, { runId, status: result.status, reason: result.reason, error: result.message, at: at(day) });
  };
  const base = { repositories: 0, durationMs: 800, attempts: 1, firstReason: null, retries: 0, rateLimitWaits: 0 };

  // An older run: every account succeeded, and an account since dropped from the sources failed.
  const first = startRun(db, "schedule", at("2026-02-28"));
  for (const login of githubLogins) record(first, "2026-02-28", { ...base, host: "github.com", login, status: "ok", reason: null, message: null, repositories: 3 });
  record(first, "2026-02-28", { ...base, host: "github.com", login: "ministere-supprime", status: "failed", reason: "not_found", message: "GitHub answered 404 for organisation or user 'ministere-supprime'" });
  finishRun(db, first, "partial", { accountsTotal: 301, accountsFailed: 1, accountsSkipped: 0, repositoriesSeen: 900, repositoriesAdded: 900, repositoriesUpdated: 0, repositoriesRemoved: 0, requests: 1200, notModified: 0, rateLimitWaits: 0 }, at("2026-02-28"));

  const second = startRun(db, "startup", at("2026-03-01"));
  githubLogins.forEach((login, i) => {
    if (i % 25 === 7) record(second, "2026-03-01", { ...base, host: "github.com", login, status: "failed", reason: "not_found", message: `GitHub answered 404 for organisation or user '${login}'` });
    else if (i % 40 === 3) record(second, "2026-03-01", { ...base, host: "github.com", login, status: "ok", reason: null, message: null, repositories: 3, attempts: 2, firstReason: "server_error", retries: 8 });
    else record(second, "2026-03-01", { ...base, host: "github.com", login, status: "ok", reason: null, message: null, repositories: 3, rateLimitWaits: i === 0 ? 1 : 0 });
  });
  gitlabLogins.forEach((login, i) => {
    if (i < 30) record(second, "2026-03-01", { ...base, host: "gitlab.example.fr", login, status: "failed", reason: "network_error", message: i === 0 ? longMessage : "not tried: gitlab.example.fr could not be reached in this pass (ENOTFOUND)", attempts: 2, firstReason: "network_error", retries: i === 0 ? 8 : 0 });
    else record(second, "2026-03-01", { ...base, host: "gitlab.example.fr", login, status: "ok", reason: null, message: null, repositories: 5 });
  });
  giteaLogins.forEach((login, i) => {
    if (i === 0) record(second, "2026-03-01", { ...base, host: "git.mairie.fr", login, status: "failed", reason: "rate_limited", message: "git.mairie.fr is rate limiting the harvest", rateLimitWaits: 5 });
    else record(second, "2026-03-01", { ...base, host: "git.mairie.fr", login, status: "ok", reason: null, message: null, repositories: 2, rateLimitWaits: 1 });
  });
  record(second, "2026-03-01", { ...base, host: "forge.example.org", login: "", status: "skipped", reason: "unsupported_forge", message: 'forge type "sourcehut" is not supported yet' });
  finishRun(db, second, "partial", { accountsTotal: 400, accountsFailed: 43, accountsSkipped: 2, repositoriesSeen: 1200, repositoriesAdded: 10, repositoriesUpdated: 5, repositoriesRemoved: 0, requests: 2000, notModified: 900, rateLimitWaits: 8 }, at("2026-03-01"));
}
