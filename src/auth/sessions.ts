// Server-side sessions: the cookie holds a random id, signed; the store holds
// its SHA-256 with who signed in. Signing out deletes the row: a stolen cookie
// dies with it. CSRF tokens derive from the session id, so a form from another
// session (or another site) is refused.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../store/database.ts";
import { deleteSession, findSession, insertSession, purgeSessions, type SessionRow } from "../store/sessions.ts";
import { hmac, sameText, sign, unsign } from "./cookies.ts";

/** A signed-in session lasts a working day, then the person signs in again. */
export const sessionLifetimeMs = 8 * 3600 * 1000;
/** A sign-in left at the provider for longer than this is forgotten. */
export const loginAttemptLifetimeMs = 15 * 60 * 1000;

export const sessionCookie = "cc_session";

export interface Identity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  siret: string | null;
  idToken: string | null;
}

export interface Session extends Identity {
  /** The raw id (only in memory): what the CSRF token derives from. */
  id: string;
  expiresAt: string;
}

export function hashId(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens a session; returns the signed cookie value. */
  create(identity: Identity): { cookie: string; session: Session } {
    const id = randomBytes(32).toString("base64url");
    const at = this.now();
    const expiresAt = new Date(at.getTime() + sessionLifetimeMs).toISOString();
    purgeSessions(this.db, at.toISOString(), new Date(at.getTime() - loginAttemptLifetimeMs).toISOString());
    insertSession(this.db, { idHash: hashId(id), ...identity, createdAt: at.toISOString(), expiresAt });
    return { cookie: sign(this.secret, "session", id), session: { id, ...identity, expiresAt } };
  }

  /** The live session of a signed cookie value, or null. */
  read(cookie: string | undefined): Session | null {
    const id = unsign(this.secret, "session", cookie);
    if (!id) return null;
    const row: SessionRow | undefined = findSession(this.db, hashId(id), this.now().toISOString());
    if (!row) return null;
    return { id, subject: row.subject, email: row.email, emailVerified: row.emailVerified, name: row.name, siret: row.siret, idToken: row.idToken, expiresAt: row.expiresAt };
  }

  destroy(session: Session): void {
    deleteSession(this.db, hashId(session.id));
  }

  csrfToken(session: Session): string {
    return hmac(this.secret, "csrf", session.id);
  }

  checkCsrf(session: Session, token: unknown): boolean {
    return typeof token === "string" && token.length < 200 && sameText(token, this.csrfToken(session));
  }
}
