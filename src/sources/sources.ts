// The list of forge accounts to harvest, in the format of code.gouv.fr's
// comptes-organismes-publics.yml, so that the official French list works as it is:
//
//   gitlab.example.fr:          # forge host
//     forge: gitlab             # github | gitlab | gitea | gogs | sourcehut ...
//     api: https://...          # optional, ours: API base URL (mirror, test server, GHE)
//     pso_id: ...               # optional, also per owner
//     owners:                   # optional: without it, the whole instance is public code
//       some-group:
//         pso_id: ...
//         floss_policy: https://...
//         ospo_url: https://...
//         ignored_since: 2024-08-09
import fs from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";

export interface SourceMetadata {
  psoId?: string;
  flossPolicy?: string;
  ospoUrl?: string;
  /** YYYY-MM-DD: the account is not harvested from this date on. */
  ignoredSince?: string;
}

export interface OwnerSource extends SourceMetadata {
  login: string;
  line: number;
}

export interface ForgeSource extends SourceMetadata {
  host: string;
  type: string;
  /** API base URL; undefined: the forge type's default for this host. */
  api?: string;
  /** null: the whole instance is harvested. */
  owners: OwnerSource[] | null;
  line: number;
}

export class SourcesError extends Error {
  override name = "SourcesError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
  }
}

const metadataKeys: Record<string, keyof SourceMetadata> = {
  pso_id: "psoId",
  floss_policy: "flossPolicy",
  ospo_url: "ospoUrl",
  ignored_since: "ignoredSince",
};

const hostPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?$/i;

/**
 * Largest sources file accepted, in bytes. The official French list (about
 * 1,800 accounts) is under 300 KB; YAML parsing is synchronous and costs about
 * 50 times the file in memory (a 50 MB file: 53 s and 2.7 GB before its error,
 * 100 MB crashed the server), so a bigger file is refused before it is read.
 */
export const maxSourcesBytes = 4 * 1024 * 1024;

function tooLarge(file: string, bytes: number): SourcesError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new SourcesError(file, undefined, `the sources file is too large (${mb(bytes)}; at most ${mb(maxSourcesBytes)}): is it the right file?`);
}

export function readSources(file: string): ForgeSource[] {
  let text: string;
  try {
    const { size } = fs.statSync(file);
    if (size > maxSourcesBytes) throw tooLarge(file, size);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof SourcesError) throw error;
    throw new SourcesError(file, undefined, `cannot read the sources file: ${(error as Error).message}`);
  }
  return parseSources(text, file);
}

export function parseSources(text: string, file = "sources.yml"): ForgeSource[] {
  // A UTF-8 character is 1 to 4 bytes: the length bounds the size from below.
  if (text.length > maxSourcesBytes || Buffer.byteLength(text) > maxSourcesBytes) throw tooLarge(file, Buffer.byteLength(text));
  const lineCounter = new LineCounter();
  // Duplicate keys are accepted, the last one winning, as code.gouv.fr's own reader does:
  // the official list has some (gitlab.mim-libre.fr has two pso_id).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const fail = (node: Node | null | undefined, reason: string): never => {
    throw new SourcesError(file, lineOf(node), reason);
  };

  const first = doc.errors[0];
  if (first) {
    throw new SourcesError(file, lineCounter.linePos(first.pos[0]).line, first.message.split("\n")[0] ?? "invalid YAML");
  }
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) fail(doc.contents, "the file must map forge hosts to their settings");
  const root = doc.contents as YAMLMap;

  const scalarString = (node: unknown, what: string): string => {
    if (!isScalar(node)) return fail(node as Node, `${what} must be a text value`);
    const value = node.value;
    // A bare date (ignored_since: 2024-08-09) is read as a string by the default YAML 1.2 schema.
    if (typeof value !== "string" && typeof value !== "number") return fail(node, `${what} must be a text value`);
    return String(value).trim();
  };

  const metadata = (map: YAMLMap, where: string, allowed: Set<string>): SourceMetadata => {
    const result: SourceMetadata = {};
    for (const pair of map.items) {
      const key = scalarString(pair.key, `a key of ${where}`);
      if (!allowed.has(key)) fail(pair.key as Node, `unknown key "${key}" in ${where}`);
      const field = metadataKeys[key];
      if (!field || isEmpty(pair.value)) continue;
      const value = scalarString(pair.value, `${key} of ${where}`);
      if (field === "ignoredSince" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        fail(pair.value as Node, `ignored_since of ${where} must be a date YYYY-MM-DD, got "${value}"`);
      }
      if ((field === "flossPolicy" || field === "ospoUrl") && !/^https?:\/\/\S+$/i.test(value)) {
        fail(pair.value as Node, `${key} of ${where} must be an http(s) URL, got "${value}"`);
      }
      if (value) result[field] = value;
    }
    return result;
  };

  const forgeKeys = new Set(["forge", "api", "owners", ...Object.keys(metadataKeys)]);
  const ownerKeys = new Set(Object.keys(metadataKeys));
  const result: ForgeSource[] = [];
  for (const pair of root.items) {
    const host = scalarString(pair.key, "a forge host").toLowerCase();
    const keyNode = pair.key as Node;
    if (!hostPattern.test(host)) fail(keyNode, `"${host}" is not a host name`);
    if (!isMap(pair.value)) fail(keyNode, `forge ${host} must have settings (at least "forge: github" or "forge: gitlab")`);
    const settings = pair.value as YAMLMap;
    const typeNode = settings.get("forge", true);
    if (typeNode === undefined) fail(keyNode, `forge ${host} has no "forge" key (github, gitlab...)`);
    const type = scalarString(typeNode, `forge of ${host}`).toLowerCase();
    if (!/^[a-z][a-z0-9_-]*$/.test(type)) fail(typeNode as Node, `forge of ${host} must be a forge software name, got "${type}"`);

    let api: string | undefined;
    const apiNode = settings.get("api", true);
    if (!isEmpty(apiNode)) {
      api = scalarString(apiNode, `api of ${host}`).replace(/\/+$/, "");
      if (!/^https?:\/\/[^\s/]+/i.test(api)) fail(apiNode as Node, `api of ${host} must be an http(s) URL, got "${api}"`);
    }

    const forgeMetadata = metadata(settings, `forge ${host}`, forgeKeys);
    let owners: OwnerSource[] | null = null;
    const ownersPair = settings.items.find((item) => isScalar(item.key) && item.key.value === "owners");
    if (ownersPair && !isEmpty(ownersPair.value)) {
      if (!isMap(ownersPair.value)) fail(ownersPair.key as Node, `owners of ${host} must map logins to their settings`);
      owners = [];
      for (const ownerPair of (ownersPair.value as YAMLMap).items) {
        const login = scalarString(ownerPair.key, `an owner of ${host}`);
        const ownerNode = ownerPair.key as Node;
        if (!login || /[\s?#]/.test(login)) fail(ownerNode, `"${login}" is not an account login or group path`);
        let ownerMetadata: SourceMetadata = {};
        if (!isEmpty(ownerPair.value)) {
          if (!isMap(ownerPair.value)) fail(ownerNode, `owner ${login} of ${host} must have settings (pso_id...) or none`);
          ownerMetadata = metadata(ownerPair.value as YAMLMap, `owner ${login} of ${host}`, ownerKeys);
        }
        owners.push({ login: login.replace(/^\/+|\/+$/g, ""), line: lineOf(ownerNode) ?? 0, ...ownerMetadata });
      }
    }
    result.push({ host, type, ...(api ? { api } : {}), owners, line: lineOf(keyNode) ?? 0, ...forgeMetadata });
  }
  return result;
}

/** A key with nothing after its colon. */
function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ""));
}

/** One unit of harvest: an owner on a forge, or a whole instance (login ""). */
export interface Account {
  forge: ForgeSource;
  login: string;
  psoId?: string;
  flossPolicy?: string;
  ospoUrl?: string;
}

export interface SkippedAccount {
  host: string;
  login: string;
  /** The forge software the sources name. */
  type: string;
  reason: "unsupported_forge" | "ignored";
  message: string;
}

export interface HarvestPlan {
  accounts: Account[];
  skipped: SkippedAccount[];
}

/** Which accounts to harvest today, and which to skip with their reason. */
export function planHarvest(sources: ForgeSource[], supported: ReadonlySet<string>, today: string): HarvestPlan {
  const plan: HarvestPlan = { accounts: [], skipped: [] };
  const planned = new Set<string>();
  for (const forge of sources) {
    const targets = forge.owners ?? [{ login: "", line: forge.line }];
    for (const owner of targets) {
      const key = `${forge.host}/${owner.login.toLowerCase()}`;
      if (planned.has(key)) continue;
      planned.add(key);
      const ignoredSince = ("ignoredSince" in owner ? owner.ignoredSince : undefined) ?? forge.ignoredSince;
      if (!supported.has(forge.type)) {
        plan.skipped.push({
          host: forge.host,
          login: owner.login,
          type: forge.type,
          reason: "unsupported_forge",
          message: `forge type "${forge.type}" is not supported yet`,
        });
      } else if (ignoredSince && ignoredSince <= today) {
        plan.skipped.push({ host: forge.host, login: owner.login, type: forge.type, reason: "ignored", message: `ignored since ${ignoredSince}` });
      } else {
        const meta = owner as SourceMetadata;
        plan.accounts.push({
          forge,
          login: owner.login,
          ...pick("psoId", meta.psoId ?? forge.psoId),
          ...pick("flossPolicy", meta.flossPolicy ?? forge.flossPolicy),
          ...pick("ospoUrl", meta.ospoUrl ?? forge.ospoUrl),
        });
      }
    }
  }
  return plan;
}

function pick<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
