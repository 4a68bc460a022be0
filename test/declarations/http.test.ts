// Declarations through real HTTP (issue 11): sign-in against a real OpenID
// provider, the declaration form, proof of control on a fake forge,
// moderation, withdrawal, and every refusal the issue lists.
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { declarations, repositories } from "../../src/store/schema.ts";
import { ensureAccount, upsertRepositories } from "../../src/store/harvestStore.ts";
import { CookieClient, formsOf, signIn, type Page } from "../helpers/cookieClient.ts";
import { startDeclarationsSetting, type DeclarationsSetting } from "../helpers/declarationsApp.ts";

function csrfOf(page: Page): string {
  const token = formsOf(page).map((form) => form.fields._csrf).find(Boolean);
  if (!token) throw new Error(`no CSRF token on ${page.url}`);
  return token;
}

const declarationForm = (overrides: Record<string, string> = {}) => ({ host: "github.test", account: "ville-exemple", public_body: "13002526500013", contact: "dsi@ville-exemple.fr", forge: "", api: "", ...overrides });

describe("declarations over HTTP", function () {
  this.timeout(30_000);
  let s: DeclarationsSetting;
  before(async () => (s = await startDeclarationsSetting()));
  after(async () => s?.close());

  async function agent(login = "agent"): Promise<{ client: CookieClient; csrf: string }> {
    const client = new CookieClient();
    const page = await signIn(client, s.url, login, "/declarations/new");
    expect(page.status, page.html.slice(0, 500)).to.equal(200);
    return { client, csrf: csrfOf(page) };
  }

  async function declare(client: CookieClient, csrf: string, form: Record<string, string>): Promise<Page> {
    return client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...form, confirm: "1" } });
  }

  it("signs in with PKCE, state and nonce, and keeps the session server-side behind a signed HttpOnly SameSite=Lax cookie", async () => {
    const client = new CookieClient();
    const page = await signIn(client, s.url, "agent", "/declarations/new");
    expect(page.url).to.equal(`${s.url}/declarations/new`);
    const authorize = client.visited.find((url) => url.startsWith(`${s.idp.issuer}/auth?`))!;
    const params = new URL(authorize).searchParams;
    expect(params.get("code_challenge_method")).to.equal("S256");
    expect(params.get("code_challenge")).to.have.length.above(40);
    expect(params.get("state")).to.have.length.above(20);
    expect(params.get("nonce")).to.have.length.above(20);
    const cookie = client.setCookies.find((line) => line.startsWith("cc_session="))!;
    expect(cookie).to.match(/HttpOnly/i).and.to.match(/SameSite=Lax/i);
    expect(cookie).not.to.match(/Secure/i); // PUBLIC_URL is http here
    // The form is prefilled from the provider's claims: e-mail and SIRET.
    const form = formsOf(page).find((f) => f.action.endsWith("/declarations/new"))!;
    expect(form.fields.contact).to.equal("agent@demo.gouv.fr");
    expect(form.fields.public_body).to.equal("13002526500013");
    expect(page.headers.get("cache-control")).to.equal("no-store");
  });

  it("refuses a replayed callback, and a callback without this browser's sign-in cookie", async () => {
    const client = new CookieClient();
    const stopped = await signIn(client, s.url, "agent", "/declarations", { stopAtCallback: true });
    const callback = stopped.url;
    expect(callback).to.contain("/auth/callback?");
    // Another browser (no cc_login cookie) cannot use this callback.
    const stranger = await new CookieClient().request(callback);
    expect(stranger.status).to.equal(400);
    expect(stranger.html).to.contain("login_expired");
    const first = await client.request(callback);
    expect(first.url).to.equal(`${s.url}/declarations`);
    expect(first.status).to.equal(200);
    const replayed = await client.request(callback);
    expect(replayed.status).to.equal(400);
    expect(replayed.html).to.contain("login_expired");
  });

  it("only ever returns to a local path after signing in", async () => {
    for (const target of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const client = new CookieClient();
      const page = await signIn(client, s.url, "agent", target);
      expect(page.url, target).to.equal(`${s.url}/declarations`);
    }
  });

  it("refuses a form without the session's CSRF token", async () => {
    const { client } = await agent();
    const forged = await declare(client, "forged-token", declarationForm());
    expect(forged.status).to.equal(403);
    expect(forged.html).to.contain("csrf_invalid");
    const missing = await client.request(`${s.url}/declarations/new`, { form: declarationForm() });
    expect(missing.status).to.equal(403);
    // Another session's token is no better.
    const other = await agent();
    const crossed = await declare(client, other.csrf, declarationForm());
    expect(crossed.status).to.equal(403);
    expect(s.database.db.select().from(declarations).all()).to.have.length(0);
  });

  it("declares, proves control, is moderated and harvested at once, then is withdrawn", async () => {
    const { client, csrf } = await agent();
    // Preview: what would be harvested, looked up through the forge API.
    const preview = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...declarationForm() } });
    expect(preview.status).to.equal(200);
    expect(preview.html).to.contain("Ville d&#x27;Exemple").and.to.contain('id="preview-count">3<');
    expect(s.database.db.select().from(declarations).all()).to.have.length(0);
    const confirm = formsOf(preview).find((f) => f.fields.host === "github.test")!;
    let page = await client.request(confirm.action, { form: { ...confirm.fields, confirm: "1" } });
    expect(page.url).to.match(/\/declarations\/\d+\?done=declared$/);
    const id = Number(/declarations\/(\d+)/.exec(page.url)![1]);
    const challenge = />(code-commun-[0-9a-f]{16})</.exec(page.html)![1]!;

    // Verify before the repository exists: refused, nothing changes.
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("Le dépôt de preuve est introuvable");
    // A private repository of that name proves nothing.
    const repo = s.github.addRepo("ville-exemple", { name: challenge, private: true });
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.status).to.equal(400);
    s.github.updateRepo(repo.id, { private: false });
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.url).to.equal(`${s.url}/declarations/${id}?done=verified`);
    expect(page.html).to.contain("À modérer");

    // The declarer is no moderator; an address the provider does not vouch for is not one either.
    expect((await client.request(`${s.url}/moderation`)).status).to.equal(403);
    expect((await client.request(`${s.url}/moderation/${id}/approve`, { form: { _csrf: csrf } })).status).to.equal(403);
    const unverified = await agent("unverified");
    const refused = await unverified.client.request(`${s.url}/moderation`);
    expect(refused.status).to.equal(403);
    expect(refused.html).to.contain("Seule une adresse électronique que le fournisseur d’identité dit vérifiée");

    const moderator = await agent("moderator");
    const moderation = await moderator.client.request(`${s.url}/moderation`);
    expect(moderation.status).to.equal(200);
    expect(moderation.html).to.contain("github.test/ville-exemple").and.to.contain(challenge).and.to.contain("agent@demo.gouv.fr");
    expect(moderation.html).to.contain("– 3 dépôts publics<");
    const approved = await moderator.client.request(`${s.url}/moderation/${id}/approve`, { form: { _csrf: moderator.csrf, reason: "vérifié avec la DSI" } });
    expect(approved.url).to.equal(`${s.url}/moderation?done=approved`);
    expect(s.harvestRequests).to.deep.equal([{ accounts: [{ host: "github.test", login: "ville-exemple" }] }]);
    expect(approved.html).to.match(/Validée[\s\S]*github\.test\/ville-exemple/);
    // The audit log shows who did what.
    for (const action of ["Déclarée", "Contrôle prouvé", "Validée"]) expect(approved.html).to.contain(action);

    // The harvest wrote repositories for the account; withdrawing takes them out of the catalogue.
    const accountId = ensureAccount(s.database.db, "github.test", "ville-exemple");
    upsertRepositories(s.database.db, { host: "github.test", forge: "github", accountId, ownerIds: () => null }, [0, 1].map((i) => ({
      forgeId: `r${i}`, owner: "ville-exemple", name: `outil-${i}`, fullName: `ville-exemple/outil-${i}`, url: `https://github.test/ville-exemple/outil-${i}`,
      description: null, homepage: null, language: null, license: null, topics: [], stars: 0, forks: 0, openIssues: 0, archived: false, fork: false, template: false,
      defaultBranch: "main", createdAt: null, updatedAt: null, pushedAt: null,
    })), new Map(), new Date().toISOString());
    const rebuilds = s.search.rebuilds;
    page = await client.request(`${s.url}/declarations/${id}/withdraw`, { form: { _csrf: csrf, reason: "compte fermé" } });
    expect(page.url).to.equal(`${s.url}/declarations/${id}?done=withdrawn`);
    const rows = s.database.db.select().from(repositories).where(eq(repositories.accountId, accountId)).all();
    expect(rows).to.have.length(2);
    expect(rows.every((row) => row.removedAt !== null)).to.equal(true);
    expect(s.search.rebuilds).to.equal(rebuilds + 1);
    expect(page.html).to.contain("Retirée");
  });

  it("refuses an unknown host, an account that does not exist, one already listed, and keeps what was typed", async () => {
    const { client, csrf } = await agent();
    let page = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...declarationForm({ host: "forge.inconnue.test", account: "mon-compte" }) } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("Cette forge n’est pas encore connue");
    expect(page.html).to.contain('value="forge.inconnue.test"').and.to.contain('value="mon-compte"').and.to.contain('value="dsi@ville-exemple.fr"');

    // A new host whose API answers nothing like a forge.
    page = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...declarationForm({ host: "forge.inconnue.test", forge: "gitlab", api: "http://127.0.0.1:9" }) } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("Aucune API de forge n’a répondu");

    page = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...declarationForm({ account: "personne-de-ce-nom" }) } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("La forge n’a aucun compte");

    page = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...declarationForm({ account: "Listed-Org" }) } });
    expect(page.status).to.equal(409);
    expect(page.html).to.contain("déjà dans les sources").and.to.contain('href="/owners/github.test/Listed-Org"');

    page = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, host: "", account: "", public_body: "", contact: "pas-une-adresse" } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain('href="#field-host"').and.to.contain('href="#field-contact"').and.to.contain('value="pas-une-adresse"');
  });

  it("declares a GitLab group on a new host checked through its API, and refuses a second declaration of it", async () => {
    const { client, csrf } = await agent();
    const form = declarationForm({ host: "gitlab.nouvelle.test", forge: "gitlab", api: s.gitlab.url, account: "collectivite", public_body: "Commune de Test" });
    const preview = await client.request(`${s.url}/declarations/new`, { form: { _csrf: csrf, ...form } });
    expect(preview.status, preview.html.slice(0, 2000)).to.equal(200);
    expect(preview.html).to.contain('id="preview-count">2<').and.to.contain("Groupe");
    const page = await declare(client, csrf, form);
    expect(page.url).to.match(/\/declarations\/\d+\?done=declared$/);
    const other = await agent("moderator");
    const again = await declare(other.client, other.csrf, form);
    expect(again.status).to.equal(409);
    expect(again.html).to.contain("déjà été déclaré");
  });

  it("refuses an expired token and gives a new one that works", async () => {
    const { client, csrf } = await agent();
    s.github.addOrg("expire-org", { name: "Expire" });
    let page = await declare(client, csrf, declarationForm({ account: "expire-org" }));
    const id = Number(/declarations\/(\d+)/.exec(page.url)![1]);
    s.database.db.update(declarations).set({ tokenExpiresAt: "2020-01-01T00:00:00.000Z" }).where(eq(declarations.id, id)).run();
    const old = s.database.db.select().from(declarations).where(eq(declarations.id, id)).get()!;
    s.github.addRepo("expire-org", { name: `code-commun-${old.token}` });
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("a expiré");
    page = await client.request(`${s.url}/declarations/${id}/renew`, { form: { _csrf: csrf } });
    const renewed = s.database.db.select().from(declarations).where(eq(declarations.id, id)).get()!;
    expect(renewed.token).not.to.equal(old.token);
    expect(Date.parse(renewed.tokenExpiresAt) - Date.now()).to.be.within(6.9 * 86_400_000, 7 * 86_400_000);
    expect(page.html).to.contain(`code-commun-${renewed.token}`);
    // The old repository name no longer proves anything.
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.status).to.equal(400);
    s.github.addRepo("expire-org", { name: `code-commun-${renewed.token}` });
    page = await client.request(`${s.url}/declarations/${id}/verify`, { form: { _csrf: csrf } });
    expect(page.url).to.contain("done=verified");
  });

  it("keeps other people's declarations private", async () => {
    const { client, csrf } = await agent();
    s.github.addOrg("private-org", { name: "Private" });
    const page = await declare(client, csrf, declarationForm({ account: "private-org" }));
    const id = Number(/declarations\/(\d+)/.exec(page.url)![1]);
    const stranger = await agent("unverified");
    expect((await stranger.client.request(`${s.url}/declarations/${id}`)).status).to.equal(404);
    expect((await stranger.client.request(`${s.url}/declarations/${id}/withdraw`, { form: { _csrf: stranger.csrf } })).status).to.equal(404);
    // Signed out: sent to sign in, back here afterwards.
    const anonymous = await new CookieClient().request(`${s.url}/declarations/${id}`, { follow: false });
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.get("location")).to.equal(`/auth/login?return_to=%2Fdeclarations%2F${id}`);
  });

  it("lets a moderator reject with a reason the declarer reads, and withdraw an approved account", async () => {
    const { client, csrf } = await agent();
    s.github.addOrg("reject-org", { name: "Reject" });
    s.github.addOrg("withdraw-org", { name: "Withdraw" });
    let page = await declare(client, csrf, declarationForm({ account: "reject-org" }));
    const rejected = Number(/declarations\/(\d+)/.exec(page.url)![1]);
    page = await declare(client, csrf, declarationForm({ account: "withdraw-org" }));
    const withdrawn = Number(/declarations\/(\d+)/.exec(page.url)![1]);
    const moderator = await agent("moderator");
    page = await moderator.client.request(`${s.url}/moderation/${rejected}/reject`, { form: { _csrf: moderator.csrf, reason: " " } });
    expect(page.status).to.equal(400);
    expect(page.html).to.contain("Un refus doit être motivé");
    page = await moderator.client.request(`${s.url}/moderation/${rejected}/reject`, { form: { _csrf: moderator.csrf, reason: "Ce compte n’est pas celui d’un organisme public" } });
    expect(page.url).to.equal(`${s.url}/moderation?done=rejected`);
    page = await client.request(`${s.url}/declarations/${rejected}`);
    expect(page.html).to.contain("Refusée").and.to.contain("Ce compte n’est pas celui d’un organisme public");

    // Approving needs the proof first.
    page = await moderator.client.request(`${s.url}/moderation/${withdrawn}/approve`, { form: { _csrf: moderator.csrf } });
    expect(page.status).to.equal(409);
    const row = s.database.db.select().from(declarations).where(eq(declarations.id, withdrawn)).get()!;
    s.github.addRepo("withdraw-org", { name: `code-commun-${row.token}` });
    await client.request(`${s.url}/declarations/${withdrawn}/verify`, { form: { _csrf: csrf } });
    await moderator.client.request(`${s.url}/moderation/${withdrawn}/approve`, { form: { _csrf: moderator.csrf } });
    page = await moderator.client.request(`${s.url}/moderation/${withdrawn}/withdraw`, { form: { _csrf: moderator.csrf, reason: "" } });
    expect(page.url).to.equal(`${s.url}/moderation?done=withdrawn`);
    expect(s.database.db.select().from(declarations).where(eq(declarations.id, withdrawn)).get()!.status).to.equal("withdrawn");
  });

  it("signs out at the provider too", async () => {
    const { client, csrf } = await agent();
    const out = await client.request(`${s.url}/auth/logout`, { form: { _csrf: csrf }, follow: false });
    expect(out.status).to.equal(303);
    expect(out.headers.get("location")).to.match(new RegExp(`^${s.idp.issuer}/session/end\\?`));
    expect((await client.request(`${s.url}/declarations/new`, { follow: false })).status).to.equal(303);
  });
});

describe("declarations without an identity provider", function () {
  this.timeout(30_000);
  let s: DeclarationsSetting;
  before(async () => (s = await startDeclarationsSetting({ auth: false })));
  after(async () => s?.close());

  it("say that sign-in is not set up, while the catalogue works as before", async () => {
    const client = new CookieClient();
    const index = await client.request(`${s.url}/declarations`);
    expect(index.status).to.equal(200);
    expect(index.html).to.contain("La connexion n’est pas configurée");
    const english = await client.request(`${s.url}/declarations?lang=en`);
    expect(english.html).to.contain("Sign-in is not set up");
    for (const path of ["/declarations/new", "/auth/login", "/moderation"]) {
      const page = await client.request(`${s.url}${path}`, { follow: false });
      expect(page.status, path).to.equal(503);
      expect(page.html, path).to.contain("Sign-in is not set up");
    }
    expect((await client.request(`${s.url}/about`)).status).to.equal(200);
    expect((await client.request(`${s.url}/declarations/new`, { form: { host: "x" } })).status).to.equal(503);
  });
});
