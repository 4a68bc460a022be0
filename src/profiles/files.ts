// Which root files make a repository's profile, by name. Forge-independent:
// every adapter lists the root, this file picks what to read.
import type { RootEntry } from "../forges/forge.ts";

export const profileFileKinds = ["readme", "publiccode", "license", "contributing", "codeOfConduct", "security", "changelog"] as const;
export type ProfileFileKind = (typeof profileFileKinds)[number];

/** The name of the file found for each kind, or null. */
export type ProfileFiles = Record<ProfileFileKind, string | null>;

const readmeExtensions = ["md", "markdown", "mdown", "mkd", "mkdn", "rst", "txt", "adoc", "asciidoc", "org", "textile", "rdoc"];
// README.md, readme.markdown, README, README.fr.md, LISEZMOI.md...
const readmePattern = new RegExp(`^(readme|lisezmoi)(\\.[a-z]{2}(-[a-z]{2})?)?(\\.(${readmeExtensions.join("|")}))?$`, "i");
const patterns: Record<Exclude<ProfileFileKind, "readme" | "publiccode">, RegExp> = {
  // LICENSE, LICENCE.md, LICENSE-MIT, COPYING, COPYING.LESSER, UNLICENSE
  license: /^(licen[cs]es?|copying|unlicense)([.\-_][\w.\-]*)?$/i,
  contributing: /^contributing([.\-_][\w.\-]*)?$/i,
  codeOfConduct: /^code[-_]?of[-_]?conduct([.\-_][\w.\-]*)?$/i,
  security: /^security([.\-_][\w.\-]*)?$/i,
  changelog: /^(changelog|changes|history|releases?)([.\-_][\w.\-]*)?$/i,
};

/** The spelling the standard asks for; `publiccode.yaml` is read, with a warning. */
export const publiccodeFileName = "publiccode.yml";

/** Lower is preferred: Markdown first, a README without language before a translated one. */
function readmeRank(name: string): number {
  const lower = name.toLowerCase();
  const extension = /\.([a-z]+)$/.exec(lower)?.[1] ?? "";
  const markdown = ["md", "markdown", "mdown", "mkd", "mkdn"].includes(extension) ? 0 : extension === "" ? 1 : 2;
  const translated = /^(readme|lisezmoi)\.[a-z]{2}(-[a-z]{2})?\./.test(lower) ? 10 : 0;
  const french = lower.startsWith("lisezmoi") ? 20 : 0;
  return markdown + translated + french;
}

/** Picks the profile files among the root entries (files only; folders and links are not read). */
export function classifyRoot(entries: RootEntry[]): { files: ProfileFiles; entries: Partial<Record<ProfileFileKind, RootEntry>> } {
  const files = Object.fromEntries(profileFileKinds.map((kind) => [kind, null])) as ProfileFiles;
  const chosen: Partial<Record<ProfileFileKind, RootEntry>> = {};
  const candidates = entries.filter((entry) => entry.type === "file");
  const readmes = candidates.filter((entry) => readmePattern.test(entry.name)).sort((a, b) => readmeRank(a.name) - readmeRank(b.name) || a.name.localeCompare(b.name));
  if (readmes[0]) chosen.readme = readmes[0];
  const publiccode = candidates.find((entry) => entry.name === publiccodeFileName) ?? candidates.find((entry) => /^publiccode\.ya?ml$/i.test(entry.name));
  if (publiccode) chosen.publiccode = publiccode;
  for (const [kind, pattern] of Object.entries(patterns) as [keyof typeof patterns, RegExp][]) {
    const found = candidates.filter((entry) => pattern.test(entry.name)).sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name))[0];
    if (found) chosen[kind] = found;
  }
  for (const kind of profileFileKinds) files[kind] = chosen[kind]?.name ?? null;
  return { files, entries: chosen };
}

/** The README's format, from its extension: only Markdown (and an extension-less README) is rendered; others are shown as text. */
export function readmeFormat(name: string): "markdown" | "text" {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  if (/^(readme|lisezmoi)(\.[a-z]{2}(-[a-z]{2})?)?$/i.test(name)) return "markdown";
  return ["md", "markdown", "mdown", "mkd", "mkdn"].includes(extension) ? "markdown" : "text";
}
