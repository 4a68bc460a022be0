// Sign-in sessions and sign-ins under way (issue 11). Ids arrive already
// hashed: this layer never sees a cookie value.
import { eq, lt } from "drizzle-orm";
import type { Db } from "./database.ts";
import { loginAttempts, sessions } from "./schema.ts";

export type SessionRow = typeof sessions.$inferSelect;
export type LoginAttemptRow = typeof loginAttempts.$inferSelect;

export function insertSession(db: Db, row: SessionRow): void {
  db.insert(sessions).values(row).run();
}

/** The session of this id hash, if it has not expired. */
export function findSession(db: Db, idHash: string, now: string): SessionRow | undefined {
  const row = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
  return row && row.expiresAt > now ? row : undefined;
}

export function deleteSession(db: Db, idHash: string): void {
  db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
}

/** Forgets expired sessions and sign-ins abandoned before `attemptsBefore`. */
export function purgeSessions(db: Db, now: string, attemptsBefore: string): void {
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  db.delete(loginAttempts).where(lt(loginAttempts.createdAt, attemptsBefore)).run();
}

export function purgeLoginAttempts(db: Db, before: string): void {
  db.delete(loginAttempts).where(lt(loginAttempts.createdAt, before)).run();
}

export function insertLoginAttempt(db: Db, row: LoginAttemptRow): void {
  db.insert(loginAttempts).values(row).run();
}

/** Reads and deletes in one step: a sign-in attempt serves one callback only. */
export function takeLoginAttempt(db: Db, stateHash: string): LoginAttemptRow | undefined {
  return db.delete(loginAttempts).where(eq(loginAttempts.stateHash, stateHash)).returning().get();
}
