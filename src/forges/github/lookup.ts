// Look-ups for declarations (issue 11) on GitHub and GitHub Enterprise: who an
// account is, and whether the challenge repository exists in it.
import { ForgeError, type AccountLookup, type AdapterOptions, type ForgeLookup } from "../forge.ts";
import { cleanText, count } from "../normalise.ts";
import { createGitHubClient, type GitHubClient } from "./client.ts";
import { hasStatus, toForgeError } from "./errors.ts";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export class GitHubLookup implements ForgeLookup {
  private readonly api: GitHubClient;
  // A look-up answers a person waiting on a page: no long rate-limit waits, few retries.
  private readonly signal = new AbortController().signal;

  constructor(options: AdapterOptions) {
    this.api = createGitHubClient(options, { retry: { retries: 1, baseMs: 200, maxMs: 2_000 }, maxRateLimitWaits: 0 });
  }

  async checkApi(): Promise<void> {
    // /meta answers without a token on github.com and GitHub Enterprise Server alike.
    const what = "the API description (/meta)";
    try {
      const { data } = await this.api.request("GET /meta", { request: { signal: this.signal } });
      if (!isObject(data)) throw new ForgeError("invalid_response", "GET /meta did not answer a JSON object: not a GitHub API");
    } catch (error) {
      if (hasStatus(error, 404)) throw new ForgeError("invalid_response", "GET /meta answered 404: not a GitHub API", { cause: error });
      throw toForgeError(error, what, this.signal);
    }
  }

  async lookupAccount(login: string): Promise<AccountLookup | null> {
    // A whole GitHub instance cannot be harvested (the adapter needs owners).
    if (!login || login.includes("/")) return null;
    try {
      // /users/{login} answers for organisations too, with `type` and `public_repos`.
      const { data } = await this.api.rest.users.getByUsername({ username: login, request: { signal: this.signal } });
      const raw: unknown = data;
      if (!isObject(raw) || typeof raw.login !== "string") throw new ForgeError("invalid_response", `GitHub described '${login}' without a login`);
      return {
        login: cleanText(raw.login, 200) ?? login,
        kind: raw.type === "Organization" ? "organization" : "user",
        name: cleanText(raw.name, 300),
        publicRepositories: typeof raw.public_repos === "number" ? count(raw.public_repos) : null,
      };
    } catch (error) {
      if (hasStatus(error, 404)) return null;
      throw toForgeError(error, `organisation or user '${login}'`, this.signal);
    }
  }

  async hasPublicRepository(login: string, name: string): Promise<boolean> {
    if (!login) return false;
    try {
      const { data } = await this.api.rest.repos.get({ owner: login, repo: name, request: { signal: this.signal } });
      const raw: unknown = data;
      if (!isObject(raw) || !isObject(raw.owner)) return false;
      // GET /repos follows a renamed or transferred repository: the owner and name must still be these.
      const ownerLogin = typeof raw.owner.login === "string" ? raw.owner.login : "";
      const repoName = typeof raw.name === "string" ? raw.name : "";
      return raw.private === false && ownerLogin.toLowerCase() === login.toLowerCase() && repoName.toLowerCase() === name.toLowerCase();
    } catch (error) {
      // A private repository answers 404 to whoever may not see it.
      if (hasStatus(error, 404)) return false;
      throw toForgeError(error, `repository '${login}/${name}'`, this.signal);
    }
  }
}
