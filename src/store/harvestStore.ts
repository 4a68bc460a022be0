// What the harvester writes: forges, accounts, owners, repositories and the
// conditional-request cache. Only this layer touches those tables.
import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { CacheWrite, CachedResponse, HarvestedOwner, HarvestedRepository, KnownRepository } from "../forges/forge.ts";
import { prepared, type Db } from "./database.ts";
import { accounts, forges, httpCache, owners, repositories } from "./schema.ts";

export interface OwnerSourceFields {
  psoId?: string | undefined;
  flossPolicy?: string | undefined;
  ospoUrl?: string | undefined;
}

export interface WriteCounts {
  added: number;
  updated: number;
}

export function upsertForge(db: Db, forge: { host: string; type: string; apiUrl: string; psoId?: string | undefined }, now: string): void {
  db.insert(forges)
    .values({ host: forge.host, type: forge.type, apiUrl: forge.apiUrl, psoId: forge.psoId ?? null, updatedAt: now })
    .onConflictDoUpdate({ target: forges.host, set: { type: forge.type, apiUrl: forge.apiUrl, psoId: forge.psoId ?? null, updatedAt: now } })
    .run();
}

/** The id of the account row, created on first sight. */
export function ensureAccount(db: Db, host: string, login: string): number {
  const found = db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.host, host), sql`lower(${accounts.login}) = lower(${login})`))
    .get();
  if (found) return found.id;
  return db.insert(accounts).values({ host, login }).returning({ id: accounts.id }).get().id;
}

export function recordAccountResult(
  db: Db,
  accountId: number,
  result: { runId: number; status: string; reason: string | null; error: string | null; at: string },
): void {
  db.update(accounts)
    .set({
      lastRunId: result.runId,
      lastStatus: result.status,
      lastReason: result.reason,
      lastError: result.error,
      lastAttemptAt: result.at,
      ...(result.status === "ok" ? { lastSuccessAt: result.at } : {}),
    })
    .where(eq(accounts.id, accountId))
    .run();
}

/** Everything the store knows of an account's live and removed repositories, by forge id. */
export function loadKnownRepositories(db: Db, host: string, accountId: number): Map<string, KnownRepository & { contentHash: string; removed: boolean }> {
  const rows = db
    .select({
      forgeId: repositories.forgeId,
      changeMarker: repositories.changeMarker,
      license: repositories.license,
      language: repositories.language,
      contentHash: repositories.contentHash,
      removedAt: repositories.removedAt,
    })
    .from(repositories)
    .where(and(eq(repositories.host, host), eq(repositories.accountId, accountId)))
    .all();
  return new Map(rows.map((row) => [row.forgeId, { ...row, removed: row.removedAt !== null }]));
}

/** Looks up any repository of a host by forge id: a moved one may belong to another account. */
export function findKnownRepository(db: Db, host: string, forgeId: string): KnownRepository | undefined {
  return db
    .select({ forgeId: repositories.forgeId, changeMarker: repositories.changeMarker, license: repositories.license, language: repositories.language })
    .from(repositories)
    .where(and(eq(repositories.host, host), eq(repositories.forgeId, forgeId)))
    .get();
}

export function upsertOwner(db: Db, host: string, owner: HarvestedOwner, source: OwnerSourceFields, now: string): number {
  const fields = {
    forgeId: owner.forgeId,
    kind: owner.kind,
    name: owner.name,
    description: owner.description,
    website: owner.website,
    email: owner.email,
    location: owner.location,
    avatarUrl: owner.avatarUrl,
    verified: owner.verified,
    createdAt: owner.createdAt,
    psoId: source.psoId ?? null,
    flossPolicy: source.flossPolicy ?? null,
    ospoUrl: source.ospoUrl ?? null,
    lastSeenAt: now,
  };
  const existing = db
    .select({ id: owners.id })
    .from(owners)
    .where(and(eq(owners.host, host), sql`lower(${owners.login}) = lower(${owner.login})`))
    .get();
  if (existing) {
    db.update(owners).set({ login: owner.login, ...fields }).where(eq(owners.id, existing.id)).run();
    return existing.id;
  }
  return db.insert(owners).values({ host, login: owner.login, firstSeenAt: now, ...fields }).returning({ id: owners.id }).get().id;
}

/** The owner row id of a login on a host, if harvested. */
export function findOwnerId(db: Db, host: string, login: string): number | null {
  return (
    db
      .select({ id: owners.id })
      .from(owners)
      .where(and(eq(owners.host, host), sql`lower(${owners.login}) = lower(${login})`))
      .get()?.id ?? null
  );
}

/** Hash of every harvested field: equal hashes mean nothing to write. */
export function contentHash(repository: HarvestedRepository): string {
  return createHash("sha1").update(JSON.stringify(repository)).digest("base64url");
}

const repositoryColumns = [
  "forge", "account_id", "owner_id", "owner", "name", "full_name", "url", "description", "homepage", "language", "license",
  "topics", "stars", "forks", "open_issues", "archived", "fork", "template", "default_branch", "created_at", "updated_at",
  "pushed_at", "change_marker", "content_hash", "mirror", "parent", "parent_forge_id",
];

// Issue 10: a listing without parents (GitHub: parent_listed 0) keeps the parent the profile pass fetched, while the repository stays a fork.
const parentColumns = new Set(["parent", "parent_forge_id"]);
const updateColumn = (c: string) =>
  parentColumns.has(c) ? `${c} = CASE WHEN excluded.fork = 0 THEN NULL WHEN @parent_listed = 1 THEN excluded.${c} ELSE repositories.${c} END` : `${c} = excluded.${c}`;

// The harvest's hot path: drizzle would build the SQL again for each of 60,000 rows (profiled at half the CPU).
const upsertSql = `
  INSERT INTO repositories (host, forge_id, ${repositoryColumns.join(", ")}, first_seen_at, last_seen_at, removed_at)
  VALUES (@host, @forge_id, ${repositoryColumns.map((c) => `@${c}`).join(", ")}, @now, @now, NULL)
  ON CONFLICT (host, forge_id) DO UPDATE SET
    ${repositoryColumns.map(updateColumn).join(", ")}, last_seen_at = excluded.last_seen_at, removed_at = NULL
  RETURNING first_seen_at AS firstSeenAt`;

/**
 * Writes the repositories whose content changed, un-removes those that came
 * back, and re-attaches moved ones to this account. Returns what it wrote.
 */
export function upsertRepositories(
  db: Db,
  target: { host: string; forge: string; accountId: number; ownerIds: (login: string) => number | null },
  batch: HarvestedRepository[],
  known: Map<string, { contentHash: string; removed: boolean }>,
  now: string,
): WriteCounts {
  const counts: WriteCounts = { added: 0, updated: 0 };
  for (const repository of batch) {
    const hash = contentHash(repository);
    const previous = known.get(repository.forgeId);
    if (previous && previous.contentHash === hash && !previous.removed) continue;
    // The forge id decides identity, whichever account listed it before (a moved project).
    const result = prepared(db, upsertSql).get({
      host: target.host,
      forge_id: repository.forgeId,
      forge: target.forge,
      account_id: target.accountId,
      owner_id: target.ownerIds(repository.owner),
      owner: repository.owner,
      name: repository.name,
      full_name: repository.fullName,
      url: repository.url,
      description: repository.description,
      homepage: repository.homepage,
      language: repository.language,
      license: repository.license,
      topics: JSON.stringify(repository.topics),
      stars: repository.stars,
      forks: repository.forks,
      open_issues: repository.openIssues,
      archived: repository.archived ? 1 : 0,
      fork: repository.fork ? 1 : 0,
      template: repository.template ? 1 : 0,
      default_branch: repository.defaultBranch,
      created_at: repository.createdAt,
      updated_at: repository.updatedAt,
      pushed_at: repository.pushedAt,
      change_marker: repository.changeMarker ?? null,
      content_hash: hash,
      mirror: repository.mirror ? 1 : 0,
      parent: repository.parent ?? null,
      parent_forge_id: repository.parentForgeId ?? null,
      parent_listed: repository.parentForgeId === undefined ? 0 : 1,
      now,
    }) as { firstSeenAt: string };
    if (result.firstSeenAt === now && !previous) counts.added++;
    else counts.updated++;
    known.set(repository.forgeId, { contentHash: hash, removed: false });
  }
  return counts;
}

/**
 * Marks removed the live repositories of an account that its complete listing
 * no longer has, and drops the ETags of their profile endpoints (GitHub's root
 * listing and latest release, keyed `github:<host>:/repos/<owner>/<name>/...`
 * in lower case by src/forges/github/conditional.ts): a removed repository is
 * never asked again, and one that comes back is asked unconditionally once.
 */
export function markRemoved(db: Db, accountId: number, present: Set<string>, known: Map<string, { removed: boolean }>, now: string): number {
  const gone = [...known.entries()].filter(([forgeId, row]) => !row.removed && !present.has(forgeId)).map(([forgeId]) => forgeId);
  let removed = 0;
  for (let i = 0; i < gone.length; i += 500) {
    // A repository moved to another account since is no longer this account's to remove.
    const rows = db.update(repositories)
      .set({ removedAt: now })
      .where(and(eq(repositories.accountId, accountId), isNull(repositories.removedAt), inArray(repositories.forgeId, gone.slice(i, i + 500))))
      .returning({ host: repositories.host, fullName: repositories.fullName })
      .all();
    removed += rows.length;
    for (const row of rows) {
      // Keys from "<prefix>/" up to "<prefix>0" ("0" follows "/"): a range on the primary key, not a scan.
      const prefix = `github:${row.host}:/repos/${row.fullName.toLowerCase()}`;
      db.delete(httpCache).where(and(sql`${httpCache.key} > ${`${prefix}/`}`, sql`${httpCache.key} < ${`${prefix}0`}`)).run();
    }
  }
  return removed;
}

export function readCache(db: Db, key: string): CachedResponse | undefined {
  return db.select({ etag: httpCache.etag, payload: httpCache.payload }).from(httpCache).where(eq(httpCache.key, key)).get();
}

export function writeCache(db: Db, entries: CacheWrite[], now: string): void {
  for (const entry of entries) {
    db.insert(httpCache)
      .values({ ...entry, updatedAt: now })
      .onConflictDoUpdate({ target: httpCache.key, set: { etag: entry.etag, payload: entry.payload, updatedAt: now } })
      .run();
  }
}
