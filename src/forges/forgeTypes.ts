// The forge types Code Commun harvests. A forge of any other type in the
// sources is reported as unsupported and skipped, never fatal.
import { ForgeRegistry, type ForgeType } from "./registry.ts";

export const forgeTypes: Record<string, ForgeType> = {};

export function defaultRegistry(): ForgeRegistry {
  return new ForgeRegistry(forgeTypes);
}
