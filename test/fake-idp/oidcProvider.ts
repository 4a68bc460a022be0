// A real OpenID provider (panva's oidc-provider, the certified one) on
// 127.0.0.1, for the tests and `npm run demo`: the sign-in of the declaration
// pages runs the whole authorization code flow against it, with PKCE, state
// and nonce, as with ProConnect. Its development login page accepts the login
// of one of the users below with any password, then asks for consent.
import type { AddressInfo } from "node:net";
import http from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface FakeUser {
  email: string;
  email_verified: boolean;
  given_name: string;
  usual_name: string;
  siret?: string;
}

/** Logins of the development login page → their claims. */
export const defaultUsers: Record<string, FakeUser> = {
  agent: { email: "agent@demo.gouv.fr", email_verified: true, given_name: "Camille", usual_name: "Agent", siret: "13002526500013" },
  moderator: { email: "moderateur@demo.gouv.fr", email_verified: true, given_name: "Dominique", usual_name: "Modératrice" },
  // Listed as a moderator below, but the provider does not vouch for the address.
  unverified: { email: "unverified@demo.gouv.fr", email_verified: false, given_name: "Eve", usual_name: "Unverified" },
};

export interface FakeIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Record<string, FakeUser>;
  /** Lets the process exit while the provider still listens (the demo stops with its server). */
  unref(): void;
  stop(): Promise<void>;
}

export async function startFakeIdp(options: { redirectUris: (issuer: string) => { redirect: string[]; postLogout: string[] }; port?: number; users?: Record<string, FakeUser> }): Promise<FakeIdp> {
  const users = options.users ?? defaultUsers;
  // Listen first: the issuer URL carries the port.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "fake-idp" };
  const clientId = "code-commun";
  const clientSecret = "fake-client-secret-0123456789abcdef";
  const uris = options.redirectUris(issuer);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: uris.redirect,
        post_logout_redirect_uris: uris.postLogout,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["fake-idp-cookie-key-0123456789"] },
    // ProConnect's scopes, each naming its claim.
    claims: { openid: ["sub"], email: ["email", "email_verified"], given_name: ["given_name"], usual_name: ["usual_name"], siret: ["siret"] },
    scopes: ["openid", "email", "given_name", "usual_name", "siret"],
    pkce: { required: () => true },
    // Lifetimes in seconds; set so that the provider does not warn about its defaults.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const user = users[id];
      if (!user) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...user }) };
    },
  });
  // Quiet: the provider reports dev interactions and such on the console.
  provider.on("server_error", () => {});
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    users,
    unref: () => void server.unref(),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
