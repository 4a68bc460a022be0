// The one place that reads the environment. Everything else receives a Config.
import os from "node:os";
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
  // --- Production (issue 13): processes, logs, metrics, protection, backups ---
  /** Web worker processes (node cluster); 1: a single process. */
  webWorkers: number;
  /** Express's "trust proxy": which proxies' X-Forwarded-* headers are believed. */
  trustProxy: boolean | number | string;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: LogLevel;
  /** LOG_SYNC: each log line written at once (synchronously) instead of buffered (4 KB, flushed every second; issue 13). */
  logSync: boolean;
  /** When set, /metrics asks for "Authorization: Bearer <token>". */
  metricsToken: string | null;
  /** Requests per client and window on /api, /mcp and /feeds; 0 disables a limiter. */
  rateLimits: RateLimits;
  /** Exports (full catalogue downloads) streamed at the same time per process; more wait their turn. */
  exportConcurrency: number;
  /** Requests each web process sends itself before it takes traffic (WARMUP_REQUESTS); 0: none (src/server/warmup.ts). */
  warmupRequests: number;
  /** Longest time to receive a whole request, and its headers, in milliseconds (slow clients). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** node-cron schedule of the daily backup; "" disables it. */
  backupCron: string;
  backupDir: string;
  /** Backups kept in backupDir, the newest. */
  backupKeep: number;
  // --- end production ---
  // --- Operator and contact (issue 14) ---
  /** Who runs this site (OPERATOR_NAME), shown in the footer, the about page and the accessibility statement; null: not said. */
  operatorName: string | null;
  /** Where readers write (CONTACT_EMAIL): to be listed, to report an error or an accessibility problem; null: no contact. */
  contactEmail: string | null;
  /** Where the sources file is maintained and can be read (SOURCES_URL, http(s)), e.g. its Git repository; null: not public. */
  sourcesUrl: string | null;
  // --- agents (MCP server, feeds): issue 12 ---
  /** The catalogue's public address, e.g. https://code.example.fr: absolute links of feeds, MCP answers and llms.txt. null: taken from each request (and http://localhost:PORT for the stdio MCP server). */
  publicUrl: string | null;
  /** Host names /mcp answers besides localhost, 127.0.0.1, [::1] and the host of publicUrl: the DNS-rebinding check of the Host and Origin headers. */
  mcpAllowedHosts: string[];
  // --- end agents ---
  // ---- Declarations (issue 11) ----
  /** Sign-in for declarations; null: not set up (OIDC_CLIENT_ID unset), the catalogue works without it. */
  auth: AuthConfig | null;
  // ---- issue 9: repository profiles ----
  /** Fetch each repository's profile files (README, publiccode.yml...) when it is new or was pushed. */
  harvestProfiles: boolean;
}

// ---- Declarations (issue 11): OpenID Connect sign-in ----

/** ProConnect, the French State's sign-in for civil servants: the default provider. */
export const proConnectIssuer = "https://auth.proconnect.gouv.fr/api/v2";

export interface AuthConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The site's public base URL, without a trailing slash; the redirect URI is PUBLIC_URL/auth/callback. */
  publicUrl: string;
  /** Signs the session cookies (at least 32 characters). */
  sessionSecret: string;
  /** Lower-cased e-mail addresses of moderators (recognised only when the provider says the e-mail is verified). */
  moderators: string[];
  /** Scopes asked of the provider (ProConnect's by default). */
  scopes: string;
}

function authConfig(env: Env): AuthConfig | null {
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) return null;
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`${name} is required when OIDC_CLIENT_ID is set`);
    return value;
  };
  const issuer = env.OIDC_ISSUER?.trim() || proConnectIssuer;
  parseHttpUrl("OIDC_ISSUER", issuer);
  const publicUrl = publicUrlOf(env);
  if (!publicUrl) throw new ConfigError("PUBLIC_URL is required when OIDC_CLIENT_ID is set");
  const sessionSecret = need("SESSION_SECRET");
  if (sessionSecret.length < 32) throw new ConfigError("SESSION_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)");
  const moderators = (env.MODERATORS ?? "")
    .split(",")
    .map((email) => email.trim().toLowerCase())
    .filter(Boolean);
  for (const email of moderators) if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError(`MODERATORS must be comma-separated e-mail addresses, got "${email}"`);
  return {
    issuer,
    clientId,
    clientSecret: need("OIDC_CLIENT_SECRET"),
    publicUrl,
    sessionSecret,
    moderators,
    scopes: env.OIDC_SCOPES?.trim() || "openid email given_name usual_name siret",
  };
}

// --- Production (issue 13) ---
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

export interface RateLimits {
  windowMs: number;
  api: number;
  mcp: number;
  feeds: number;
}

/** TRUST_PROXY: true/false, a number of hops, or addresses and subnets ("loopback, 10.0.0.0/8"), as Express reads them. */
function trustProxy(env: Env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === "") return "loopback";
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[\w.:/,\s-]+$/.test(raw)) throw new ConfigError(`TRUST_PROXY must be true, false, a number of proxies or addresses and subnets, got "${raw}"`);
  return raw;
}

function cron(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() ?? fallback;
  if (value !== "" && !validateCron(value)) throw new ConfigError(`${name} is not a valid cron expression: "${value}"`);
  return value;
}

function productionConfig(env: Env, cwd: string, databasePath: string) {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!logLevels.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(", ")}, got "${env.LOG_LEVEL}"`);
  return {
    webWorkers: integer(env, "WEB_WORKERS", os.availableParallelism(), 1, 256),
    trustProxy: trustProxy(env),
    logLevel,
    logSync: boolean(env, "LOG_SYNC", false),
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    rateLimits: {
      windowMs: integer(env, "RATE_LIMIT_WINDOW_MS", 60_000, 1_000, 24 * 3_600_000),
      api: integer(env, "RATE_LIMIT_API", 300, 0, 1_000_000),
      mcp: integer(env, "RATE_LIMIT_MCP", 120, 0, 1_000_000),
      feeds: integer(env, "RATE_LIMIT_FEEDS", 60, 0, 1_000_000),
    },
    exportConcurrency: integer(env, "EXPORT_CONCURRENCY", 4, 1, 256),
    warmupRequests: integer(env, "WARMUP_REQUESTS", 1500, 0, 100_000),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 1_000, 3_600_000),
    headersTimeoutMs: integer(env, "HEADERS_TIMEOUT_MS", 10_000, 1_000, 600_000),
    backupCron: cron(env, "BACKUP_CRON", "47 4 * * *"),
    backupDir: path.resolve(cwd, env.BACKUP_DIR?.trim() || path.join(path.dirname(databasePath), "backups")),
    backupKeep: integer(env, "BACKUP_KEEP", 7, 1, 1000),
  };
}
// --- end production ---

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

/** Bounded free text: one line, at most `max` characters. */
function shortText(env: Env, name: string, max: number): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (raw.length > max || /[\r\n]/.test(raw)) throw new ConfigError(`${name} must be one line of at most ${max} characters`);
  return raw;
}

function email(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  // Deliberately simple: one @, no spaces, a dot in the domain. It becomes a mailto: link.
  if (raw.length > 254 || !/^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(raw)) throw new ConfigError(`${name} must be an e-mail address, got "${raw}"`);
  return raw;
}

/** An absolute http(s) URL, or a ConfigError naming the variable. */
function parseHttpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return url;
}

function httpUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? parseHttpUrl(name, raw).toString() : null;
}

// --- agents (MCP server, feeds): issue 12 ---
/** PUBLIC_URL: an http(s) origin, optionally with a path prefix; no trailing slash kept. */
function publicUrlOf(env: Env): string | null {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return null;
  const url = parseHttpUrl("PUBLIC_URL", raw);
  if (url.search || url.hash || url.username) throw new ConfigError(`PUBLIC_URL must be an http(s) URL without query or credentials, got "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function hostList(env: Env, name: string): string[] {
  const hosts = (env[name] ?? "").split(",").map((host) => host.trim().toLowerCase()).filter((host) => host !== "");
  const bad = hosts.find((host) => !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(host));
  if (bad !== undefined) throw new ConfigError(`${name} must list host names without ports, comma-separated, got "${bad}"`);
  return hosts;
}
// --- end agents ---

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const harvestCron = env.HARVEST_CRON?.trim() ?? "17 3 * * *";
  if (harvestCron !== "" && !validateCron(harvestCron)) {
    throw new ConfigError(`HARVEST_CRON is not a valid cron expression: "${harvestCron}"`);
  }
  const databasePath = path.resolve(cwd, env.DATABASE_PATH?.trim() || "data/catalog.db");
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    databasePath,
    sourcesPath: path.resolve(cwd, env.SOURCES_PATH?.trim() || "data/sources.yml"),
    harvestCron,
    harvestOnStart: boolean(env, "HARVEST_ON_START", true),
    tokens: tokens(env),
    httpTimeoutMs: integer(env, "HTTP_TIMEOUT_MS", 30_000, 100, 600_000),
    harvestConcurrency: integer(env, "HARVEST_CONCURRENCY", 4, 1, 64),
    lockStaleMs: integer(env, "HARVEST_LOCK_STALE_MS", 10 * 60_000, 1_000, 24 * 3_600_000),
    maxRateLimitWaitMs: integer(env, "MAX_RATE_LIMIT_WAIT_MS", 3_600_000 + 60_000, 0, 24 * 3_600_000),
    ...productionConfig(env, cwd, databasePath),
    operatorName: shortText(env, "OPERATOR_NAME", 200),
    contactEmail: email(env, "CONTACT_EMAIL"),
    sourcesUrl: httpUrl(env, "SOURCES_URL"),
    // agents (issue 12)
    publicUrl: publicUrlOf(env),
    mcpAllowedHosts: hostList(env, "MCP_ALLOWED_HOSTS"),
    auth: authConfig(env), // declarations (issue 11)
    // ---- issue 9: repository profiles ----
    harvestProfiles: boolean(env, "HARVEST_PROFILES", true),
  };
}
