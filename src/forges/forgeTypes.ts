// The forge types Code Commun harvests. A forge of any other type in the
// sources is reported as unsupported and skipped, never fatal.
import { forgejoForgeType, giteaForgeType, gogsForgeType } from "./gitea/index.ts";
import { githubForgeType } from "./github/githubAdapter.ts";
import { gitlabForgeType } from "./gitlab/index.ts";
import { ForgeRegistry, type ForgeType } from "./registry.ts";

export const forgeTypes: Record<string, ForgeType> = {
  github: githubForgeType,
  gitlab: gitlabForgeType,
  gitea: giteaForgeType,
  forgejo: forgejoForgeType,
  gogs: gogsForgeType,
};

export function defaultRegistry(): ForgeRegistry {
  return new ForgeRegistry(forgeTypes);
}
