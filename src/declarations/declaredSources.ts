// Contract C2: the approved declarations as sources, in the shape of the
// sources file, and their merge with the file (the file wins where both name
// the same account). harvestWithLock and the sources export both go through here.
import { listApprovedDeclarations } from "../store/declarations.ts";
import type { Db } from "../store/database.ts";
import type { ForgeSource, OwnerSource } from "../sources/sources.ts";

/** Approved declarations grouped by host, one ForgeSource per host (line 0: not from a file). */
export function declaredSources(db: Db): ForgeSource[] {
  const byHost = new Map<string, ForgeSource>();
  const instances: ForgeSource[] = [];
  for (const row of listApprovedDeclarations(db)) {
    const psoId = row.psoId ?? undefined;
    if (row.login === "") {
      instances.push({ host: row.host, type: row.forgeType, ...(row.apiUrl ? { api: row.apiUrl } : {}), owners: null, line: 0, ...(psoId ? { psoId } : {}) });
      continue;
    }
    let forge = byHost.get(row.host);
    if (!forge) {
      forge = { host: row.host, type: row.forgeType, ...(row.apiUrl ? { api: row.apiUrl } : {}), owners: [], line: 0 };
      byHost.set(row.host, forge);
    }
    const owner: OwnerSource = { login: row.login, line: 0, ...(psoId ? { psoId } : {}) };
    forge.owners!.push(owner);
  }
  return [...byHost.values(), ...instances];
}

/**
 * The file's sources plus the declared accounts it does not name. A declared
 * account on a host of the file takes the file's forge type and API URL; one
 * on a host the file harvests whole adds nothing.
 */
export function mergeSources(file: ForgeSource[], declared: ForgeSource[]): ForgeSource[] {
  const fileHosts = new Map<string, ForgeSource[]>();
  for (const forge of file) fileHosts.set(forge.host, [...(fileHosts.get(forge.host) ?? []), forge]);
  const merged = [...file];
  for (const forge of declared) {
    const known = fileHosts.get(forge.host) ?? [];
    if (known.some((entry) => entry.owners === null)) continue;
    const base = known[0];
    const settings = base ? { type: base.type, ...(base.api ? { api: base.api } : {}) } : { type: forge.type, ...(forge.api ? { api: forge.api } : {}) };
    if (forge.owners === null) {
      const { api: _declaredApi, type: _declaredType, ...rest } = forge;
      merged.push({ ...rest, ...settings });
      continue;
    }
    const named = new Set(known.flatMap((entry) => entry.owners ?? []).map((owner) => owner.login.toLowerCase()));
    const owners = forge.owners.filter((owner) => !named.has(owner.login.toLowerCase()));
    if (owners.length > 0) merged.push({ host: forge.host, ...settings, owners, line: 0 });
  }
  return merged;
}
