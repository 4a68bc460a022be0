// Look-ups for declarations (issue 11) on GitLab: a group, a user or a whole
// instance, and whether the challenge project exists in it. Through the same
// transport as the harvest (timeouts, retries, RateLimit headers).
import { ForgeError, notFoundAsNull, type AccountLookup, type AdapterOptions, type ForgeLookup } from "../forge.ts";
import { cleanText } from "../normalise.ts";
import { GitLabClient } from "./client.ts";
import { isPayload, numericId } from "./mapping.ts";
import { AbortScope, GitLabTransport } from "./transport.ts";

export class GitLabLookup implements ForgeLookup {
  private readonly client: GitLabClient;

  constructor(options: AdapterOptions) {
    // Look-ups answer a person waiting on a page: never wait long for a rate limit.
    const transport = new GitLabTransport({ ...options, maxRateLimitWaitMs: Math.min(options.maxRateLimitWaitMs, 5_000) });
    this.client = new GitLabClient(options, transport, new AbortScope(new AbortController().signal));
  }

  async checkApi(): Promise<void> {
    const { body } = await this.client.firstPage("projects", { per_page: 1, visibility: "public" });
    if (!Array.isArray(body)) throw new ForgeError("invalid_response", "GET /api/v4/projects did not answer a list: not a GitLab API");
  }

  async lookupAccount(login: string): Promise<AccountLookup | null> {
    if (login === "") {
      return { login: "", kind: "instance", name: null, publicRepositories: await this.count("projects", {}) };
    }
    const group = await notFoundAsNull(this.client.group(login));
    if (isPayload(group) && numericId(group.id) !== null) {
      return {
        login: cleanText(group.full_path, 500) ?? login,
        kind: "group",
        name: cleanText(group.name, 255),
        publicRepositories: await this.count(`groups/${numericId(group.id)}/projects`, { include_subgroups: true, with_shared: false }),
      };
    }
    const user = await this.client.userByUsername(login);
    if (!isPayload(user) || numericId(user.id) === null) return null;
    return {
      login: cleanText(user.username, 255) ?? login,
      kind: "user",
      name: cleanText(user.name, 255),
      publicRepositories: await this.count(`users/${numericId(user.id)}/projects`, {}),
    };
  }

  async hasPublicRepository(login: string, name: string): Promise<boolean> {
    if (login === "") {
      // A whole instance: the project may be in any namespace, found by its exact path.
      const { body } = await this.client.firstPage("projects", { search: name, visibility: "public", per_page: 100 });
      return Array.isArray(body) && body.some((project) => isPayload(project) && project.visibility === "public" && String(project.path).toLowerCase() === name.toLowerCase());
    }
    const project = await notFoundAsNull(this.client.project(`${login}/${name}`));
    if (!isPayload(project)) return false;
    const namespace = isPayload(project.namespace) ? String(project.namespace.full_path ?? "") : "";
    // A token may see internal and private projects: only a public one proves anything to everyone.
    return project.visibility === "public" && namespace.toLowerCase() === login.toLowerCase() && String(project.path).toLowerCase() === name.toLowerCase();
  }

  /** X-Total of a public list; null when the instance leaves it out (GitLab does beyond 10,000). */
  private async count(endpoint: string, query: Record<string, string | number | boolean>): Promise<number | null> {
    const { headers } = await this.client.firstPage(endpoint, { ...query, visibility: "public", per_page: 1 });
    const total = headers["x-total"]?.trim();
    return total && /^\d+$/.test(total) ? Number(total) : null;
  }
}

