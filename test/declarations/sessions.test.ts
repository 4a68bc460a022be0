// Server-side sessions and their cookies (issue 11).
import { expect } from "chai";
import { SessionStore, hashId, sessionLifetimeMs } from "../../src/auth/sessions.ts";
import { sessions } from "../../src/store/schema.ts";
import { cookieOptions, type AccountSite } from "../../src/web/account.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const identity = { subject: "sub-1", email: "a@b.fr", emailVerified: true, name: "A", siret: null, idToken: null };

describe("sessions", () => {
  let temp: TempDatabase;
  let now: Date;
  beforeEach(() => {
    temp = tempDatabase();
    now = new Date("2026-01-01T08:00:00Z");
  });
  afterEach(() => temp.close());

  it("keeps only the hash of the id, refuses a tampered or foreign cookie, and ends", () => {
    const store = new SessionStore(temp.db, "a".repeat(32), () => now);
    const { cookie, session } = store.create(identity);
    const rows = temp.db.select().from(sessions).all();
    expect(rows.map((row) => row.idHash)).to.deep.equal([hashId(session.id)]);
    expect(JSON.stringify(rows)).not.to.contain(session.id);
    expect(store.read(cookie)?.email).to.equal("a@b.fr");
    expect(store.read(`${session.id}.forged`)).to.equal(null);
    expect(store.read(cookie.replace(/^./, (c) => (c === "A" ? "B" : "A")))).to.equal(null);
    expect(new SessionStore(temp.db, "b".repeat(32), () => now).read(cookie)).to.equal(null);
    expect(store.checkCsrf(session, store.csrfToken(session))).to.equal(true);
    expect(store.checkCsrf(session, "x")).to.equal(false);
    now = new Date(now.getTime() + sessionLifetimeMs + 1);
    expect(store.read(cookie)).to.equal(null);
    now = new Date("2026-01-01T08:00:00Z");
    store.destroy(session);
    expect(store.read(cookie)).to.equal(null);
  });

  it("marks cookies Secure when PUBLIC_URL is https", () => {
    const site = (publicUrl: string) => ({ auth: { config: { publicUrl } } }) as unknown as AccountSite;
    expect(cookieOptions(site("https://code-commun.example.fr"), 1000)).to.deep.equal({ httpOnly: true, sameSite: "lax", secure: true, path: "/", maxAge: 1000 });
    expect(cookieOptions(site("http://localhost:3000"), 1000).secure).to.equal(false);
  });
});
