// The owner filter of the API takes "<host>/<login>"; a login alone is what
// people type first (?owner=etalab). It is completed with its host when one
// host has that login, and refused with the hosts that have it otherwise.
import type { SearchFilters } from "../../search/types.ts";
import type { Db } from "../../store/database.ts";
import { hostsWithLogin, listHosts } from "../../store/owners.ts";
import { HttpError } from "../errors.ts";

export function resolveOwnerFilter(db: Db, filters: SearchFilters): SearchFilters {
  const owners = filters.owner;
  if (!owners || owners.length === 0) return filters;
  const hosts = new Set(listHosts(db).map((host) => host.toLowerCase()));
  const resolved = owners.map((value) => {
    const slash = value.indexOf("/");
    if (slash > 0 && hosts.has(value.slice(0, slash).toLowerCase())) return value;
    const found = hostsWithLogin(db, value);
    if (found.length === 1) return `${found[0]}/${value}`;
    if (found.length === 0) {
      throw new HttpError(400, "unknown_owner", `owner "${value}" names no known host and no harvested owner has that login; give it as <host>/<login>, e.g. github.com/etalab`, { parameter: "owner", value, hosts: [] });
    }
    throw new HttpError(400, "ambiguous_owner", `owner "${value}" exists on several hosts: ${found.join(", ")}; give it as <host>/<login>, e.g. ${found[0]}/${value}`, { parameter: "owner", value, hosts: found });
  });
  return { ...filters, owner: resolved };
}
