// Declared accounts and their audit log (issue 11). The rules (who may do
// what, when) live in src/declarations/; this layer only reads and writes.
import { and, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./database.ts";
import { accounts, declarationEvents, declarations, repositories } from "./schema.ts";

export type DeclarationRow = typeof declarations.$inferSelect;
export type NewDeclaration = Omit<typeof declarations.$inferInsert, "id">;
export type DeclarationEventRow = typeof declarationEvents.$inferSelect;
export type DeclarationStatus = "pending" | "verified" | "approved" | "rejected" | "withdrawn";

/** Statuses that hold an account: a second declaration of it is refused. */
export const activeStatuses: DeclarationStatus[] = ["pending", "verified", "approved"];

export function insertDeclaration(db: Db, row: NewDeclaration): DeclarationRow {
  return db.insert(declarations).values(row).returning().get();
}

export function getDeclaration(db: Db, id: number): DeclarationRow | undefined {
  return db.select().from(declarations).where(eq(declarations.id, id)).get();
}

export function updateDeclaration(db: Db, id: number, fields: Partial<NewDeclaration>): void {
  db.update(declarations).set(fields).where(eq(declarations.id, id)).run();
}

/** The active declaration of an account (host, login compared without case), if any. */
export function findActiveDeclaration(db: Db, host: string, login: string): DeclarationRow | undefined {
  return db
    .select()
    .from(declarations)
    .where(and(eq(declarations.host, host), sql`lower(${declarations.login}) = lower(${login})`, inArray(declarations.status, activeStatuses)))
    .get();
}

export function listDeclarationsBy(db: Db, subject: string): DeclarationRow[] {
  return db.select().from(declarations).where(eq(declarations.declarerSubject, subject)).orderBy(desc(declarations.id)).all();
}

export function listDeclarationsWithStatus(db: Db, statuses: DeclarationStatus[], limit = 200): DeclarationRow[] {
  return db.select().from(declarations).where(inArray(declarations.status, statuses)).orderBy(desc(declarations.id)).limit(limit).all();
}

export function listApprovedDeclarations(db: Db): DeclarationRow[] {
  return db.select().from(declarations).where(eq(declarations.status, "approved")).orderBy(declarations.id).all();
}

/** Declarations a user made since `since`: the per-user rate limit. */
export function countDeclarationsSince(db: Db, subject: string, since: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(declarations)
      .where(and(eq(declarations.declarerSubject, subject), gte(declarations.createdAt, since)))
      .get()?.n ?? 0
  );
}

export function insertDeclarationEvent(db: Db, row: Omit<typeof declarationEvents.$inferInsert, "id">): void {
  db.insert(declarationEvents).values(row).run();
}

export function listDeclarationEvents(db: Db, declarationId: number): DeclarationEventRow[] {
  return db.select().from(declarationEvents).where(eq(declarationEvents.declarationId, declarationId)).orderBy(declarationEvents.id).all();
}

export interface AuditEntry extends DeclarationEventRow {
  host: string;
  login: string;
}

/** The latest actions on every declaration, newest first. */
export function listRecentDeclarationEvents(db: Db, limit = 100): AuditEntry[] {
  return db
    .select({
      id: declarationEvents.id,
      declarationId: declarationEvents.declarationId,
      action: declarationEvents.action,
      actorSubject: declarationEvents.actorSubject,
      actorEmail: declarationEvents.actorEmail,
      detail: declarationEvents.detail,
      at: declarationEvents.at,
      host: declarations.host,
      login: declarations.login,
    })
    .from(declarationEvents)
    .innerJoin(declarations, eq(declarations.id, declarationEvents.declarationId))
    .orderBy(desc(declarationEvents.id))
    .limit(limit)
    .all();
}

/**
 * A withdrawn account's repositories leave the catalogue the way vanished ones
 * do: marked removed, kept in the store. Returns how many were live.
 */
export function retireAccountRepositories(db: Db, host: string, login: string, now: string): number {
  const account = db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.host, host), sql`lower(${accounts.login}) = lower(${login})`))
    .get();
  if (!account) return 0;
  return db
    .update(repositories)
    .set({ removedAt: now })
    .where(and(eq(repositories.accountId, account.id), isNull(repositories.removedAt)))
    .run().changes;
}
