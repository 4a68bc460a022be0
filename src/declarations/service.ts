// Self-service declarations (issue 11): a signed-in person declares a forge
// account for a public body, proves control of it with a challenge
// repository, and a moderator approves or rejects it. Approved accounts are
// harvested with those of the sources file (declaredSources.ts). Every action
// is written to the audit log in the same transaction as its effect.
import { randomBytes } from "node:crypto";
import type { Config } from "../config/config.ts";
import { ForgeError, type AccountLookup, type ForgeLookup, type RequestStats } from "../forges/forge.ts";
import type { ForgeRegistry } from "../forges/registry.ts";
import type { PublicBodyDirectory } from "../sources/publicBodies.ts";
import type { ForgeSource } from "../sources/sources.ts";
import type { Db } from "../store/database.ts";
import {
  countDeclarationsSince,
  findActiveDeclaration,
  getDeclaration,
  insertDeclaration,
  insertDeclarationEvent,
  listDeclarationEvents,
  listDeclarationsBy,
  listDeclarationsWithStatus,
  listRecentDeclarationEvents,
  retireAccountRepositories,
  updateDeclaration,
  type AuditEntry,
  type DeclarationEventRow,
  type DeclarationRow,
} from "../store/declarations.ts";
import { challengePrefix } from "./challenge.ts";
import { declaredSources } from "./declaredSources.ts";
import { DeclarationError, type Actor, type DeclarationHarvester, type DeclarationInput, type FieldProblem } from "./types.ts";

/** A challenge token is valid this long; a new one can be asked for at any time. */
export const tokenLifetimeMs = 7 * 24 * 3600 * 1000;
/** Declarations one person may make in a day: enough for a body's few accounts, not for flooding moderators. */
export const defaultDeclarationsPerDay = 10;
const dayMs = 24 * 3600 * 1000;


const hostPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
// Logins and group paths of every supported forge: GitHub's are a subset, GitLab's have "/" between levels.
const loginPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export interface DeclarationServiceDeps {
  db: Db;
  registry: ForgeRegistry;
  config: Pick<Config, "tokens" | "httpTimeoutMs">;
  /** The sources file as it is now (read at each call: it may be edited while the server runs). */
  fileSources: () => ForgeSource[];
  publicBodies: PublicBodyDirectory;
  /** The on-demand harvest (C1); absent: approved accounts wait for the next scheduled harvest. */
  harvester?: DeclarationHarvester | undefined;
  /** Told when repositories left the catalogue (a withdrawal): the search index must be rebuilt. */
  catalogueChanged?: () => void;
  log?: (message: string) => void;
  /** Accept http:// API URLs for new hosts (tests and the demo on 127.0.0.1); production wants https. */
  allowInsecureApi?: boolean;
  declarationsPerDay?: number;
  now?: () => Date;
}

/** What the declarer is shown before confirming. */
export interface DeclarationPreview {
  host: string;
  forgeType: string;
  /** Set for a host the catalogue did not know. */
  apiUrl: string | null;
  account: AccountLookup;
  psoId: string | null;
  siret: string | null;
  bodyName: string | null;
  contact: string;
}

interface ResolvedForge {
  host: string;
  type: string;
  /** The API to call. */
  apiUrl: string;
  /** Stored only for a host that neither the file nor an approved declaration knows. */
  newApiUrl: string | null;
}

export class DeclarationService {
  private readonly now: () => Date;
  private readonly stats: RequestStats = { requests: 0, notModified: 0, rateLimitWaits: 0 };

  constructor(private readonly deps: DeclarationServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Hosts offered in the form: the file's and those of approved declarations. */
  knownHosts(): Array<{ host: string; type: string }> {
    const seen = new Map<string, string>();
    for (const forge of [...this.deps.fileSources(), ...declaredSources(this.deps.db)]) {
      if (!seen.has(forge.host) && this.deps.registry.types().includes(forge.type)) seen.set(forge.host, forge.type);
    }
    return [...seen].map(([host, type]) => ({ host, type })).sort((a, b) => a.host.localeCompare(b.host));
  }

  /** Forge types whose accounts can be declared (they have look-ups). */
  declarableTypes(): string[] {
    return this.deps.registry.types().filter((type) => this.deps.registry.hasLookup(type));
  }

  /**
   * Checks every field, then asks the forge about the account. Throws a
   * DeclarationError; never writes anything.
   */
  async preview(actor: Actor, input: DeclarationInput): Promise<DeclarationPreview> {
    const problems: FieldProblem[] = [];
    const host = input.host.trim().toLowerCase();
    const login = input.wholeInstance ? "" : input.account.trim().replace(/^\/+|\/+$/g, "");
    const contact = input.contact.trim();
    const body = this.publicBody(input.publicBody);
    if (!host) problems.push({ field: "host", reason: "required" });
    else if (host.length > 253 || !hostPattern.test(host)) problems.push({ field: "host", reason: "invalid" });
    if (!input.wholeInstance) {
      if (!login) problems.push({ field: "account", reason: "required" });
      else if (login.length > 255 || !loginPattern.test(login)) problems.push({ field: "account", reason: "invalid" });
    }
    if (body === "required" || body === "invalid") problems.push({ field: "public_body", reason: body });
    if (!contact) problems.push({ field: "contact", reason: "required" });
    else if (contact.length > 254 || !emailPattern.test(contact)) problems.push({ field: "contact", reason: "invalid" });
    if (problems.length > 0) throw new DeclarationError("invalid", "some fields are missing or invalid", { fields: problems });

    this.checkRateLimit(actor);
    const forge = this.resolveForge(host, input);
    this.checkNotListed(forge.host, login);
    const lookup = this.lookupFor(forge);
    if (forge.newApiUrl !== null) {
      try {
        await lookup.checkApi();
      } catch (error) {
        throw new DeclarationError("forge_unreachable", `no ${forge.type} API answered at ${forge.apiUrl}: ${describe(error)}`, { fields: [{ field: "api", reason: "forge_unreachable" }] });
      }
    }
    if (login === "" && forge.type === "github") {
      throw new DeclarationError("instance_not_supported", "a whole GitHub instance cannot be harvested: declare its organisations", { fields: [{ field: "account", reason: "instance_not_supported" }] });
    }
    // Gogs' search needs a keyword, so a whole Gogs instance cannot be listed (the adapter says so too).
    if (login === "" && forge.type === "gogs") {
      throw new DeclarationError("instance_not_supported", "a whole Gogs instance cannot be harvested: declare its organisations", { fields: [{ field: "account", reason: "instance_not_supported" }] });
    }
    let account: AccountLookup | null;
    try {
      account = await lookup.lookupAccount(login);
    } catch (error) {
      throw new DeclarationError("forge_error", `${forge.host} could not be asked about "${login}": ${describe(error)}`);
    }
    if (!account) throw new DeclarationError("account_not_found", `${forge.host} has no organisation, user or group "${login}"`, { fields: [{ field: "account", reason: "account_not_found" }] });
    const { psoId, siret, bodyName } = body as Exclude<typeof body, string>;
    return { host: forge.host, forgeType: forge.type, apiUrl: forge.newApiUrl, account, psoId, siret, bodyName, contact };
  }

  /** Looks the account up again (nothing from the confirmation form is trusted) and records the declaration. */
  async declare(actor: Actor, input: DeclarationInput): Promise<DeclarationRow> {
    const preview = await this.preview(actor, input);
    const at = this.now();
    return this.deps.db.transaction(() => {
      // Checked again inside the write transaction: two declarations of one account cannot both pass.
      this.checkNotListed(preview.host, preview.account.login);
      this.checkRateLimit(actor);
      const row = insertDeclaration(this.deps.db, {
        host: preview.host,
        forgeType: preview.forgeType,
        apiUrl: preview.apiUrl,
        login: preview.account.login,
        accountKind: preview.account.kind,
        accountName: preview.account.name,
        publicRepositories: preview.account.publicRepositories,
        psoId: preview.psoId,
        siret: preview.siret,
        bodyName: preview.bodyName,
        contact: preview.contact,
        declarerSubject: actor.subject,
        declarerEmail: actor.email,
        declarerName: actor.name,
        token: newToken(),
        tokenExpiresAt: new Date(at.getTime() + tokenLifetimeMs).toISOString(),
        verifiedAt: null,
        status: "pending",
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      });
      this.audit(row.id, "declared", actor, `${row.accountKind} ${describeAccount(row.host, row.login)}`, at);
      return row;
    });
  }

  /** A declaration its declarer or a moderator may see. */
  get(actor: Actor, id: number): DeclarationRow {
    const row = getDeclaration(this.deps.db, id);
    if (!row) throw new DeclarationError("not_found", `no declaration ${id}`);
    if (row.declarerSubject !== actor.subject && !actor.moderator) throw new DeclarationError("not_found", `no declaration ${id}`);
    return row;
  }

  events(actor: Actor, id: number): DeclarationEventRow[] {
    this.get(actor, id);
    return listDeclarationEvents(this.deps.db, id);
  }

  listMine(actor: Actor): DeclarationRow[] {
    return listDeclarationsBy(this.deps.db, actor.subject);
  }

  /** Verifies the challenge repository through the forge API. */
  async verify(actor: Actor, id: number): Promise<DeclarationRow> {
    const row = this.get(actor, id);
    if (row.status !== "pending") throw new DeclarationError("wrong_status", `declaration ${id} is ${row.status}, not waiting for its proof`);
    if (row.tokenExpiresAt <= this.now().toISOString()) throw new DeclarationError("token_expired", `the token of declaration ${id} expired: ask for a new one`);
    const name = challengeName(row);
    let found: boolean;
    try {
      found = await this.lookupFor(this.forgeOf(row)).hasPublicRepository(row.login, name);
    } catch (error) {
      throw new DeclarationError("forge_error", `${row.host} could not be asked about ${name}: ${describe(error)}`);
    }
    if (!found) throw new DeclarationError("challenge_missing", `no public repository ${name} in ${describeAccount(row.host, row.login)}`);
    return this.change(row, actor, { status: "verified", verifiedAt: this.now().toISOString() }, "verified", name, ["pending"]);
  }

  /** A new token, valid 7 days from now, for a declaration still waiting for its proof. */
  renewToken(actor: Actor, id: number): DeclarationRow {
    const row = this.get(actor, id);
    const at = this.now();
    return this.change(row, actor, { token: newToken(), tokenExpiresAt: new Date(at.getTime() + tokenLifetimeMs).toISOString() }, "renewed", null, ["pending"]);
  }

  approve(moderator: Actor, id: number, note: string): DeclarationRow {
    this.requireModerator(moderator);
    const row = this.get(moderator, id);
    const approved = this.change(row, moderator, { status: "approved", decidedAt: this.now().toISOString(), decidedBy: moderator.email, reason: cleanReason(note) }, "approved", cleanReason(note), ["verified"]);
    // Harvested at once, without holding the moderator's page: a failure is logged and the next harvest catches up.
    const harvester = this.deps.harvester;
    if (harvester) {
      void Promise.resolve()
        .then(() => harvester.request({ accounts: [{ host: approved.host, login: approved.login }] }))
        .catch((error: unknown) => this.deps.log?.(`on-demand harvest of ${describeAccount(approved.host, approved.login)} failed: ${describe(error)}`));
    }
    return approved;
  }

  reject(moderator: Actor, id: number, reason: string): DeclarationRow {
    this.requireModerator(moderator);
    const text = cleanReason(reason);
    if (!text) throw new DeclarationError("reason_required", "a rejection needs its reason, for the declarer", { fields: [] });
    const row = this.get(moderator, id);
    return this.change(row, moderator, { status: "rejected", decidedAt: this.now().toISOString(), decidedBy: moderator.email, reason: text }, "rejected", text, ["pending", "verified"]);
  }

  /**
   * The declarer or a moderator withdraws an account: it is no longer
   * harvested, and its repositories leave the catalogue (kept, marked removed).
   */
  withdraw(actor: Actor, id: number, reason: string): DeclarationRow {
    const row = this.get(actor, id);
    const wasApproved = row.status === "approved";
    const at = this.now().toISOString();
    let retired = 0;
    const withdrawn = this.deps.db.transaction(() => {
      const changed = this.change(row, actor, { status: "withdrawn", decidedAt: at, decidedBy: actor.email, reason: cleanReason(reason) }, "withdrawn", cleanReason(reason), ["pending", "verified", "approved"]);
      // The sources file may name the account too (added since): then it stays harvested and listed.
      if (wasApproved && !this.fileNames(row.host, row.login)) retired = retireAccountRepositories(this.deps.db, row.host, row.login, at);
      return changed;
    });
    if (retired > 0) this.deps.catalogueChanged?.();
    return withdrawn;
  }

  /** Declarations waiting for a moderator, the verified first. */
  pendingModeration(moderator: Actor): DeclarationRow[] {
    this.requireModerator(moderator);
    const rows = listDeclarationsWithStatus(this.deps.db, ["verified", "pending"]);
    return [...rows.filter((row) => row.status === "verified"), ...rows.filter((row) => row.status === "pending")];
  }

  approvedDeclarations(moderator: Actor): DeclarationRow[] {
    this.requireModerator(moderator);
    return listDeclarationsWithStatus(this.deps.db, ["approved"]);
  }

  auditLog(moderator: Actor, limit = 100): AuditEntry[] {
    this.requireModerator(moderator);
    return listRecentDeclarationEvents(this.deps.db, limit);
  }

  // ---- rules ----

  private requireModerator(actor: Actor): void {
    if (!actor.moderator) throw new DeclarationError("forbidden", "moderators only");
  }

  private checkRateLimit(actor: Actor): void {
    const since = new Date(this.now().getTime() - dayMs).toISOString();
    const limit = this.deps.declarationsPerDay ?? defaultDeclarationsPerDay;
    if (countDeclarationsSince(this.deps.db, actor.subject, since) >= limit) {
      throw new DeclarationError("rate_limited", `at most ${limit} declarations a day per person: try again tomorrow`);
    }
  }

  private fileNames(host: string, login: string): boolean {
    return this.deps.fileSources().some((forge) => forge.host === host && (forge.owners === null || forge.owners.some((owner) => owner.login.toLowerCase() === login.toLowerCase())));
  }

  /** Refuses an account the file lists or that an active declaration holds, with a link to its page. */
  private checkNotListed(host: string, login: string): void {
    if (this.fileNames(host, login)) {
      const link = login ? ownerLink(host, login) : `/repositories?host=${encodeURIComponent(host)}`;
      throw new DeclarationError("already_listed", `${describeAccount(host, login)} is already in the sources`, { link, fields: [{ field: "account", reason: "already_listed" }] });
    }
    const active = findActiveDeclaration(this.deps.db, host, login);
    if (active) {
      throw new DeclarationError("already_declared", `${describeAccount(host, login)} is already declared`, { link: active.status === "approved" && login ? ownerLink(host, login) : `/declarations/${active.id}`, fields: [{ field: "account", reason: "already_declared" }] });
    }
  }

  /** The host's forge type and API: from the file, an approved declaration, or the form for a new host. */
  private resolveForge(host: string, input: DeclarationInput): ResolvedForge {
    const known = [...this.deps.fileSources(), ...declaredSources(this.deps.db)].find((forge) => forge.host === host);
    if (known) {
      if (!this.deps.registry.types().includes(known.type) || !this.hasLookup(known.type)) {
        throw new DeclarationError("unsupported_forge", `accounts of ${host} (${known.type}) cannot be declared yet`, { fields: [{ field: "host", reason: "unsupported_forge" }] });
      }
      return { host, type: known.type, apiUrl: known.api ?? this.deps.registry.defaultApiUrl(known.type, host), newApiUrl: null };
    }
    const type = input.forge.trim().toLowerCase();
    if (!type) throw new DeclarationError("unknown_host", `${host} is not a known forge: give its type and API URL`, { fields: [{ field: "forge", reason: "unknown_host" }] });
    if (!this.deps.registry.types().includes(type) || !this.hasLookup(type)) {
      throw new DeclarationError("unsupported_forge", `forge type "${type}" cannot be declared yet`, { fields: [{ field: "forge", reason: "unsupported_forge" }] });
    }
    const raw = input.api.trim().replace(/\/+$/, "");
    const apiUrl = raw || this.deps.registry.defaultApiUrl(type, host);
    let url: URL;
    try {
      url = new URL(apiUrl);
    } catch {
      throw new DeclarationError("invalid", "the API URL is not a URL", { fields: [{ field: "api", reason: "invalid" }] });
    }
    if (url.username || url.password || url.search || url.hash || apiUrl.length > 500) throw new DeclarationError("invalid", "the API URL must be a plain http(s) URL", { fields: [{ field: "api", reason: "invalid" }] });
    if (url.protocol !== "https:" && !(url.protocol === "http:" && this.deps.allowInsecureApi)) {
      throw new DeclarationError("insecure_api", "the API URL must start with https://", { fields: [{ field: "api", reason: "insecure_api" }] });
    }
    return { host, type, apiUrl, newApiUrl: apiUrl };
  }

  private hasLookup(type: string): boolean {
    return this.deps.registry.hasLookup(type);
  }

  private forgeOf(row: DeclarationRow): ResolvedForge {
    const known = this.deps.fileSources().find((forge) => forge.host === row.host);
    const type = known?.type ?? row.forgeType;
    const apiUrl = known ? (known.api ?? this.deps.registry.defaultApiUrl(type, row.host)) : (row.apiUrl ?? this.deps.registry.defaultApiUrl(type, row.host));
    return { host: row.host, type, apiUrl, newApiUrl: null };
  }

  private lookupFor(forge: ResolvedForge): ForgeLookup {
    const lookup = this.deps.registry.lookup(forge.type, this.adapterOptions(forge.host, forge.apiUrl));
    if (!lookup) throw new DeclarationError("unsupported_forge", `forge type "${forge.type}" cannot be declared yet`);
    return lookup;
  }

  private adapterOptions(host: string, apiUrl: string) {
    const token = this.deps.config.tokens[host];
    return {
      apiUrl,
      host,
      ...(token ? { token } : {}),
      // A person waits for the answer: at most 15 s a request.
      timeoutMs: Math.min(this.deps.config.httpTimeoutMs, 15_000),
      maxRateLimitWaitMs: 0,
      stats: this.stats,
      log: (message: string) => this.deps.log?.(`declarations: ${host}: ${message}`),
    };
  }

  private publicBody(raw: string): "required" | "invalid" | { psoId: string | null; siret: string | null; bodyName: string | null } {
    const value = raw.trim();
    if (!value) return "required";
    if (value.length > 200) return "invalid";
    const known = this.deps.publicBodies.body(value.toLowerCase());
    if (known) return { psoId: known.id, siret: null, bodyName: known.name };
    const digits = value.replace(/\s/g, "");
    if (/^\d+$/.test(digits)) return digits.length === 14 ? { psoId: null, siret: digits, bodyName: null } : "invalid";
    if (value.length < 2 || /[\u0000-\u001f<>]/.test(value)) return "invalid";
    return { psoId: null, siret: null, bodyName: value };
  }

  /** Applies a status change if the declaration is still in one of `from`, with its audit entry. */
  private change(row: DeclarationRow, actor: Actor, fields: Partial<DeclarationRow>, action: string, detail: string | null, from: string[]): DeclarationRow {
    const at = this.now();
    return this.deps.db.transaction(() => {
      const current = getDeclaration(this.deps.db, row.id);
      if (!current || !from.includes(current.status)) throw new DeclarationError("wrong_status", `declaration ${row.id} is ${current?.status ?? "gone"}: it cannot be ${action}`);
      const { id: _id, ...rest } = fields as DeclarationRow;
      updateDeclaration(this.deps.db, row.id, { ...rest, updatedAt: at.toISOString() });
      this.audit(row.id, action, actor, detail, at);
      return getDeclaration(this.deps.db, row.id)!;
    });
  }

  private audit(declarationId: number, action: string, actor: Actor, detail: string | null, at: Date): void {
    insertDeclarationEvent(this.deps.db, { declarationId, action, actorSubject: actor.subject, actorEmail: actor.email, detail, at: at.toISOString() });
  }
}

export function challengeName(row: Pick<DeclarationRow, "token">): string {
  return `${challengePrefix}${row.token}`;
}

/** The catalogue page of an owner (the web layer's ownerPath, which this layer may not import). */
function ownerLink(host: string, login: string): string {
  return `/owners/${encodeURIComponent(host)}/${login.split("/").map(encodeURIComponent).join("/")}`;
}

export function describeAccount(host: string, login: string): string {
  return login ? `${host}/${login}` : `${host} (whole instance)`;
}

/** 64 random bits in lower-case hex: a valid repository name on every forge. */
function newToken(): string {
  return randomBytes(8).toString("hex");
}

function cleanReason(text: string): string | null {
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim().slice(0, 1000);
  return clean || null;
}

function describe(error: unknown): string {
  if (error instanceof ForgeError) return `${error.reason}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
