// The GitHub adapter (github.com and GitHub Enterprise Server): for each
// account of the sources, its owner, then its public repositories.
import { ForgeError, type AdapterOptions, type ForgeAdapter, type HarvestContext, type HarvestEvent } from "../forge.ts";
import type { ForgeType } from "../registry.ts";
import type { Account } from "../../sources/sources.ts";
import { createGitHubClient, type GitHubClient, type GitHubTuning } from "./client.ts";
import { resolveOwner } from "./owner.ts";
import { GitHubLookup } from "./lookup.ts";
import { GitHubProfileReader } from "./profiles.ts";
import { listRepositories } from "./repositories.ts";

export class GitHubAdapter implements ForgeAdapter {
  private readonly api: GitHubClient;
  /** Profile files (issue 9). */
  readonly profiles: GitHubProfileReader;

  constructor(
    private readonly options: AdapterOptions,
    tuning: GitHubTuning = {},
  ) {
    this.api = createGitHubClient(options, tuning);
    this.profiles = new GitHubProfileReader(this.api, { host: options.host, graphql: Boolean(options.token), log: options.log });
  }

  async *harvestAccount(account: Account, context: HarvestContext): AsyncGenerator<HarvestEvent> {
    if (!account.login) {
      throw new ForgeError("internal_error", `${this.options.host} is a GitHub forge: list its organisations under "owners", a whole GitHub instance cannot be harvested`);
    }
    const { owner, cache } = await resolveOwner(this.api, this.options.host, account.login, context);
    // Yielded even when unchanged (from the cache), so that the owner row
    // follows the sources (pso_id, floss_policy...) and its last sighting.
    yield { type: "owner", owner, ...(cache.length ? { cache } : {}) };
    yield* listRepositories(this.api, { host: this.options.host, login: account.login, owner }, context);
  }
}

export const githubForgeType: ForgeType = {
  create: (options) => new GitHubAdapter(options),
  defaultApiUrl: (host) => (host === "github.com" ? "https://api.github.com" : `https://${host}/api/v3`),
  lookup: (options) => new GitHubLookup(options),
};
