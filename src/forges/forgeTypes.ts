// The forge types Code Commun harvests. A forge of any other type in the
// sources is reported as unsupported and skipped, never fatal.
import { githubForgeType } from "./github/githubAdapter.ts";
import { gitlabForgeType } from "./gitlab/index.ts";
import { ForgeRegistry, type ForgeType } from "./registry.ts";

export const forgeTypes: Record<string, ForgeType> = {
  github: githubForgeType,
  gitlab: gitlabForgeType,
};

export function defaultRegistry(): ForgeRegistry {
  return new ForgeRegistry(forgeTypes);
}
