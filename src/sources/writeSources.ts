// Writes sources in code.gouv.fr's comptes-organismes-publics.yml format, the
// one parseSources reads: `npm run export -- --format sources` publishes the
// full list of harvested accounts (the file's and the declared ones) as open data.
import { stringify } from "yaml";
import type { ForgeSource, SourceMetadata } from "./sources.ts";

function metadata(meta: SourceMetadata): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.psoId) out.pso_id = meta.psoId;
  if (meta.flossPolicy) out.floss_policy = meta.flossPolicy;
  if (meta.ospoUrl) out.ospo_url = meta.ospoUrl;
  if (meta.ignoredSince) out.ignored_since = meta.ignoredSince;
  return out;
}

/**
 * One key per host: entries of the same host (a file's and a declaration's)
 * are joined, owners in their order, the first entry's settings winning.
 */
export function formatSources(sources: ForgeSource[]): string {
  const hosts = new Map<string, Record<string, unknown>>();
  for (const forge of sources) {
    let entry = hosts.get(forge.host);
    if (!entry) {
      entry = { forge: forge.type, ...(forge.api ? { api: forge.api } : {}), ...metadata(forge) };
      hosts.set(forge.host, entry);
    }
    if (forge.owners === null) {
      // A whole instance: no owners key at all.
      entry.owners = null;
      continue;
    }
    if (entry.owners === null) continue;
    const owners = (entry.owners ??= {}) as Record<string, Record<string, string> | null>;
    for (const owner of forge.owners) {
      if (Object.keys(owners).some((login) => login.toLowerCase() === owner.login.toLowerCase())) continue;
      const meta = metadata(owner);
      owners[owner.login] = Object.keys(meta).length ? meta : null;
    }
  }
  const document: Record<string, Record<string, unknown>> = {};
  for (const [host, entry] of hosts) {
    const { owners, ...rest } = entry;
    document[host] = owners === null || owners === undefined ? rest : { ...rest, owners };
  }
  return stringify(document, { nullStr: "" });
}
