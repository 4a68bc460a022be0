// The forge types of the Gitea family: Gitea, Forgejo and Gogs speak the same API v1.
import type { ForgeType } from "../registry.ts";
import { GiteaAdapter, type GiteaFlavour } from "./adapter.ts";
import { GiteaLookup } from "./lookup.ts";

function forgeType(flavour: GiteaFlavour): ForgeType {
  return {
    create: (options) => new GiteaAdapter(options, flavour),
    // The sources' `api` key may be the instance URL or its /api/v1 root: the adapter accepts both.
    defaultApiUrl: (host) => `https://${host}/api/v1`,
    // Declarations (issue 11): the same API answers who an account is and whether the challenge repository exists.
    lookup: (options) => new GiteaLookup(options, flavour),
  };
}

export const giteaForgeType = forgeType("gitea");
export const forgejoForgeType = forgeType("forgejo");
export const gogsForgeType = forgeType("gogs");
