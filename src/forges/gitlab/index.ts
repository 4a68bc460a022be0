// The GitLab forge type: gitlab.com and self-hosted instances alike.
import type { ForgeType } from "../registry.ts";
import { createGitLabAdapter } from "./adapter.ts";
import { GitLabLookup } from "./lookup.ts";

export const gitlabForgeType: ForgeType = {
  create: createGitLabAdapter,
  // Gitbeaker's `host`: it appends /api/v4 itself (an `api` key ending in /api/v4 works too).
  defaultApiUrl: (host) => `https://${host}`,
  lookup: (options) => new GitLabLookup(options),
};
