// Sign-in configuration for declarations (issue 11).
import { expect } from "chai";
import { ConfigError, loadConfig, proConnectIssuer } from "../../src/config/config.ts";
import { safeReturnPath } from "../../src/auth/returnTo.ts";

const complete = {
  OIDC_CLIENT_ID: "code-commun",
  OIDC_CLIENT_SECRET: "secret",
  PUBLIC_URL: "https://code-commun.example.fr/",
  SESSION_SECRET: "s".repeat(32),
  MODERATORS: " Moderatrice@Gouv.fr, other@gouv.fr ,",
};

describe("sign-in configuration", () => {
  it("is off without OIDC_CLIENT_ID: the site works as before", () => {
    expect(loadConfig({}).auth).to.equal(null);
  });

  it("defaults to ProConnect, normalises PUBLIC_URL and the moderators", () => {
    expect(loadConfig(complete).auth).to.deep.equal({
      issuer: proConnectIssuer,
      clientId: "code-commun",
      clientSecret: "secret",
      publicUrl: "https://code-commun.example.fr",
      sessionSecret: "s".repeat(32),
      moderators: ["moderatrice@gouv.fr", "other@gouv.fr"],
      scopes: "openid email given_name usual_name siret",
    });
  });

  it("refuses an incomplete or weak setting with a clear message", () => {
    const { OIDC_CLIENT_SECRET: _secret, ...noSecret } = complete;
    expect(() => loadConfig(noSecret)).to.throw(ConfigError, "OIDC_CLIENT_SECRET is required");
    expect(() => loadConfig({ ...complete, SESSION_SECRET: "short" })).to.throw(ConfigError, "at least 32 characters");
    expect(() => loadConfig({ ...complete, PUBLIC_URL: "code-commun.example.fr" })).to.throw(ConfigError, "PUBLIC_URL must be an http(s) URL");
    expect(() => loadConfig({ ...complete, MODERATORS: "not-an-address" })).to.throw(ConfigError, "MODERATORS");
  });
});

describe("return address after sign-in", () => {
  it("keeps local paths and refuses everything else", () => {
    expect(safeReturnPath("/declarations/12?done=x")).to.equal("/declarations/12?done=x");
    for (const hostile of ["https://evil.example", "//evil.example", "/\\evil.example", "/\tevil", "javascript:alert(1)", "", 42, "/" + "a".repeat(600)]) {
      expect(safeReturnPath(hostile), String(hostile)).to.equal("/declarations");
    }
  });
});
