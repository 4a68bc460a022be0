// OpenID Connect sign-in with openid-client: authorization code flow with
// PKCE (S256), state and nonce. The provider is ProConnect by default (it
// returns email, siret, given_name, usual_name); any certified provider works.
//
// What a sign-in must bring back is kept server-side (login_attempts), keyed
// on the state's hash, and deleted by the callback that uses it: a replayed
// callback finds nothing. The state also travels in a signed cookie, so a
// callback opened in another browser than the one that started is refused.
import { createHash } from "node:crypto";
import * as client from "openid-client";
import type { AuthConfig } from "../config/config.ts";
import type { Db } from "../store/database.ts";
import { insertLoginAttempt, purgeLoginAttempts, takeLoginAttempt } from "../store/sessions.ts";
import { loginAttemptLifetimeMs, type Identity } from "./sessions.ts";
import { safeReturnPath } from "./returnTo.ts";

export class AuthError extends Error {
  override name = "AuthError";
  constructor(
    /** login_expired (unknown, used or old state) | login_failed (the provider or the tokens) | provider_unavailable */
    readonly reason: "login_expired" | "login_failed" | "provider_unavailable",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);

export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly config: AuthConfig,
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}/auth/callback`;
  }

  /** Starts a sign-in: the provider's URL to redirect to, and the state for the browser-binding cookie. */
  async start(returnTo: unknown): Promise<{ url: string; state: string }> {
    const configuration = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    // Sign-ins abandoned at the provider are forgotten, so that the table stays small whoever calls /auth/login.
    purgeLoginAttempts(this.db, new Date(this.now().getTime() - loginAttemptLifetimeMs).toISOString());
    insertLoginAttempt(this.db, { stateHash: hashState(state), nonce, codeVerifier, returnTo: safeReturnPath(returnTo), createdAt: this.now().toISOString() });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Completes a sign-in from the callback's query string. `boundState` is the
   * state of this browser's cookie. Returns who signed in and where to go.
   */
  async finish(search: string, boundState: string | null): Promise<{ identity: Identity; returnTo: string }> {
    const params = new URLSearchParams(search);
    const state = params.get("state");
    if (!state || !boundState || state !== boundState) throw new AuthError("login_expired", "this sign-in was not started in this browser, or has already been used");
    const attempt = takeLoginAttempt(this.db, hashState(state));
    if (!attempt || Date.parse(attempt.createdAt) < this.now().getTime() - loginAttemptLifetimeMs) {
      throw new AuthError("login_expired", "this sign-in has expired or has already been used");
    }
    const providerError = params.get("error");
    if (providerError) throw new AuthError("login_failed", `the provider refused the sign-in: ${providerError.slice(0, 100)}`);
    const configuration = await this.discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, new URL(`${this.redirectUri}?${params}`), {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new AuthError("login_failed", `the sign-in could not be completed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new AuthError("login_failed", "the provider sent no ID token");
    // Providers that follow the spec strictly (oidc-provider, ProConnect) put the scopes' claims in userinfo only.
    let info: Record<string, unknown> = {};
    try {
      info = (await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)) as Record<string, unknown>;
    } catch {
      // The ID token's claims then stand alone.
    }
    const claims: Record<string, unknown> = { ...idClaims, ...info };
    const text = (value: unknown, max = 300): string | null => (typeof value === "string" && value.trim() ? value.trim().slice(0, max) : null);
    const name = [text(claims.given_name), text(claims.usual_name) ?? text(claims.family_name)].filter(Boolean).join(" ") || text(claims.name);
    const siret = text(claims.siret, 20);
    return {
      identity: {
        subject: idClaims.sub,
        email: text(claims.email, 254)?.toLowerCase() ?? null,
        // Only a boolean true counts: a provider that says nothing has not verified anything.
        emailVerified: claims.email_verified === true,
        name: name || null,
        siret: siret && /^\d{14}$/.test(siret) ? siret : null,
        idToken: tokens.id_token ?? null,
      },
      returnTo: safeReturnPath(attempt.returnTo),
    };
  }

  /** The provider's logout URL, or null when it has none. */
  async logoutUrl(idToken: string | null): Promise<string | null> {
    const configuration = await this.discover().catch(() => null);
    if (!configuration?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: `${this.config.publicUrl}/`,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }

  /** Discovery once; a failure is not kept, the next sign-in tries again. */
  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.config.issuer);
      // http is refused, except for a provider on this machine (the demo and the tests).
      const insecure = issuer.protocol === "http:" && loopback.has(issuer.hostname);
      this.configuration = client
        .discovery(issuer, this.config.clientId, undefined, client.ClientSecretPost(this.config.clientSecret), insecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((error: unknown) => {
          this.configuration = null;
          throw new AuthError("provider_unavailable", `the identity provider cannot be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        });
    }
    return this.configuration;
  }
}

function hashState(state: string): string {
  return createHash("sha256").update(state).digest("base64url");
}
