// The one place that reads the environment. Everything else receives a Config.
import path from "node:path";
import { validate as validateCron } from "node-cron";

export interface Config {
  /** TCP port of the web server. */
  port: number;
  /** Interface the web server binds to. */
  host: string;
  /** SQLite file of the catalogue. */
  databasePath: string;
  /** The list of forge accounts to harvest (code.gouv.fr format). */
  sourcesPath: string;
  /** node-cron expression of the scheduled harvest; "" disables the schedule. */
  harvestCron: string;
  /** Harvest at start when the catalogue is empty. */
  harvestOnStart: boolean;
  /** API tokens by forge host: GITHUB_TOKEN, GITLAB_TOKEN and FORGE_TOKENS. */
  tokens: Record<string, string>;
  /** Per-request timeout towards forges, in milliseconds. */
  httpTimeoutMs: number;
  /** Accounts harvested at the same time. */
  harvestConcurrency: number;
  /** A harvest lock not renewed for this long is stale and may be taken over, in milliseconds. */
  lockStaleMs: number;
  /** Longest wait for a rate-limit reset before an account is given up for this run, in milliseconds. */
  maxRateLimitWaitMs: number;
  // ---- issue 9: repository profiles ----
  /** Fetch each repository's profile files (README, publiccode.yml...) when it is new or was pushed. */
  harvestProfiles: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/**
 * FORGE_TOKENS gives one token per host: "gitlab.example.fr=glpat-xxx,git.other.fr=yyy".
 * GITHUB_TOKEN and GITLAB_TOKEN are shorthands for github.com and gitlab.com.
 */
function tokens(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  const list = env.FORGE_TOKENS?.trim();
  if (list) {
    for (const pair of list.split(",")) {
      const at = pair.indexOf("=");
      const host = pair.slice(0, at).trim().toLowerCase();
      const token = pair.slice(at + 1).trim();
      if (at <= 0 || !host || !token) throw new ConfigError(`FORGE_TOKENS must read host=token[,host=token...], got "${pair.trim()}"`);
      result[host] = token;
    }
  }
  if (env.GITHUB_TOKEN?.trim()) result["github.com"] = env.GITHUB_TOKEN.trim();
  if (env.GITLAB_TOKEN?.trim()) result["gitlab.com"] = env.GITLAB_TOKEN.trim();
  return result;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const harvestCron = env.HARVEST_CRON?.trim() ?? "17 3 * * *";
  if (harvestCron !== "" && !validateCron(harvestCron)) {
    throw new ConfigError(`HARVEST_CRON is not a valid cron expression: "${harvestCron}"`);
  }
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    databasePath: path.resolve(cwd, env.DATABASE_PATH?.trim() || "data/catalog.db"),
    sourcesPath: path.resolve(cwd, env.SOURCES_PATH?.trim() || "data/sources.yml"),
    harvestCron,
    harvestOnStart: boolean(env, "HARVEST_ON_START", true),
    tokens: tokens(env),
    httpTimeoutMs: integer(env, "HTTP_TIMEOUT_MS", 30_000, 100, 600_000),
    harvestConcurrency: integer(env, "HARVEST_CONCURRENCY", 4, 1, 64),
    lockStaleMs: integer(env, "HARVEST_LOCK_STALE_MS", 10 * 60_000, 1_000, 24 * 3_600_000),
    maxRateLimitWaitMs: integer(env, "MAX_RATE_LIMIT_WAIT_MS", 3_600_000 + 60_000, 0, 24 * 3_600_000),
    // ---- issue 9: repository profiles ----
    harvestProfiles: boolean(env, "HARVEST_PROFILES", true),
  };
}
