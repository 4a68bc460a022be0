// View models of a repository's profile (issue 9): README, publiccode.yml in
// the page's language, community files, latest release, how to reuse it, and
// the checks for its publisher. The publiccode.yml document is untrusted YAML:
// every value is read through the typed readers below, and links go through
// safeHttpUrl.
import { checkTexts, runChecks, type Check, type CheckLevel } from "../../profiles/checks.ts";
import type { ProfileFileKind } from "../../profiles/files.ts";
import type { StoredProfile } from "../../profiles/profile.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import type { MessageKey, Translator } from "../i18n/index.ts";
import { safeHttpUrl } from "../present.ts";
import { repositoryPath, withQuery } from "../urls.ts";

export interface CheckView {
  code: string;
  level: CheckLevel;
  levelLabel: string;
  /** DSFR badge modifier of the level. */
  badge: string;
  title: string;
  fix: string;
  details: string[];
}

export interface LinkView {
  label: string;
  href: string | null;
}

export interface PubliccodeView {
  fileName: string;
  valid: boolean;
  version: string | null;
  errors: string[];
  warnings: string[];
  name: string | null;
  /** The language of the description shown, when it is not the page's. */
  descriptionLanguage: string | null;
  genericName: string | null;
  shortDescription: string | null;
  /** Paragraphs of the long description, as text. */
  longDescription: string[];
  features: string[];
  documentation: string | null;
  developmentStatus: string | null;
  softwareType: string | null;
  softwareVersion: string | null;
  releaseDate: string | null;
  categories: LinkView[];
  platforms: string[];
  landingUrl: string | null;
  maintenanceType: string | null;
  contractors: string[];
  contacts: { name: string; email: string | null; affiliation: string | null }[];
  license: string | null;
  mainCopyrightOwner: string | null;
  repoOwner: string | null;
  usedBy: string[];
  dependsOn: string[];
  isBasedOn: LinkView[];
}

export interface ProfileView {
  /** False until the harvest fetched the profile once. */
  fetched: boolean;
  fetchedAt: string | null;
  readme: { name: string; html: string; moreHtml: string | null; sourceUrl: string | null } | null;
  /** Name of a README over the size limit, not shown. */
  readmeTooLarge: string | null;
  publiccode: PubliccodeView | null;
  files: { label: string; name: string }[];
  missingFiles: string[];
  release: { name: string; kind: string; date: string | null; url: string | null } | null;
  reuse: { https: string | null; ssh: string | null };
  checks: CheckView[];
}

const fileKinds: ProfileFileKind[] = ["readme", "license", "contributing", "codeOfConduct", "security", "changelog", "publiccode"];
const badges: Record<CheckLevel, string> = { error: "fr-badge--error", warning: "fr-badge--warning", info: "fr-badge--info" };

// ---- untrusted YAML readers ----
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
function text(value: unknown, max = 500): string | null {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
function texts(value: unknown, max = 50): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map((item) => text(item)).filter((item): item is string => item !== null).slice(0, max);
}

/** The description in the page's language, else English, else the first given: [language, description]. */
function pickDescription(description: unknown, locale: string): [string, Json] | null {
  if (!isObject(description)) return null;
  const languages = Object.keys(description).filter((key) => isObject(description[key]));
  const chosen =
    languages.find((key) => key.toLowerCase() === locale) ??
    languages.find((key) => key.toLowerCase().startsWith(`${locale}-`)) ??
    languages.find((key) => key.toLowerCase() === "en" || key.toLowerCase().startsWith("en-")) ??
    languages[0];
  return chosen === undefined ? null : [chosen, description[chosen] as Json];
}

function translated(i18n: Translator, prefix: string, value: string | null): string | null {
  if (value === null) return null;
  const key = `${prefix}.${value}`;
  try {
    return i18n.t(key as MessageKey);
  } catch {
    return value;
  }
}

function issueLine(issue: { key: string; line: number | null; column: number | null; message: string }): string {
  return `${issue.key || "/"}${issue.line !== null ? ` (${issue.line}:${issue.column ?? 0})` : ""}: ${issue.message}`;
}

export function toPubliccodeView(stored: NonNullable<NonNullable<StoredProfile["profile"]>["publiccode"]>, i18n: Translator): PubliccodeView {
  const { result } = stored;
  const doc: Json = result.document ?? {};
  const picked = pickDescription(doc.description, i18n.locale);
  const description = picked?.[1] ?? {};
  const maintenance = isObject(doc.maintenance) ? doc.maintenance : {};
  const legal = isObject(doc.legal) ? doc.legal : {};
  const dependsOn = isObject(doc.dependsOn) ? doc.dependsOn : {};
  const dependencies = ["open", "proprietary", "hardware"].flatMap((kind) =>
    (Array.isArray(dependsOn[kind]) ? (dependsOn[kind] as unknown[]) : []).flatMap((item) => {
      if (!isObject(item)) return [];
      const name = text(item.name, 200);
      if (!name) return [];
      const version = text(item.version, 50) ?? [text(item.versionMin, 50) && `≥ ${text(item.versionMin, 50)}`, text(item.versionMax, 50) && `≤ ${text(item.versionMax, 50)}`].filter(Boolean).join(" ");
      return [`${name}${version ? ` ${version}` : ""}${item.optional === true ? ` (${i18n.t("publiccode.optional")})` : ""}`];
    }),
  );
  const isBasedOn = texts(doc.isBasedOn, 20).map((value) => ({ label: value, href: safeHttpUrl(value) }));
  const long = text(description.longDescription, 10_000);
  return {
    fileName: stored.name,
    valid: result.valid,
    version: result.version,
    errors: result.errors.slice(0, 50).map(issueLine),
    warnings: result.warnings.slice(0, 50).map(issueLine),
    name: text(description.localisedName, 200) ?? text(doc.name, 200),
    descriptionLanguage: picked && picked[0].toLowerCase().split("-")[0] !== i18n.locale ? picked[0] : null,
    genericName: text(description.genericName, 200),
    shortDescription: text(description.shortDescription, 500),
    longDescription: long ? long.split(/\n\s*\n/).map((part) => part.trim()).filter(Boolean).slice(0, 40) : [],
    features: texts(description.features, 50),
    documentation: safeHttpUrl(text(description.documentation, 2_000)),
    developmentStatus: translated(i18n, "publiccode.status", text(doc.developmentStatus, 50)),
    softwareType: translated(i18n, "publiccode.type", text(doc.softwareType, 50)),
    softwareVersion: text(doc.softwareVersion, 100),
    releaseDate: text(doc.releaseDate, 30),
    categories: texts(doc.categories, 30).map((category) => ({ label: category, href: withQuery("/repositories", { category }) })),
    platforms: texts(doc.platforms, 20),
    landingUrl: safeHttpUrl(text(doc.landingURL, 2_000)),
    maintenanceType: translated(i18n, "publiccode.maintenance", text(maintenance.type, 50)),
    contractors: (Array.isArray(maintenance.contractors) ? maintenance.contractors : []).flatMap((item: unknown) => {
      if (!isObject(item)) return [];
      const name = text(item.name, 200);
      const until = text(item.until, 30);
      return name ? [until ? `${name} (${i18n.t("publiccode.until", { date: until })})` : name] : [];
    }).slice(0, 20),
    contacts: (Array.isArray(maintenance.contacts) ? maintenance.contacts : []).flatMap((item: unknown) => {
      if (!isObject(item)) return [];
      const name = text(item.name, 200);
      return name ? [{ name, email: text(item.email, 200), affiliation: text(item.affiliation, 200) }] : [];
    }).slice(0, 20),
    license: text(legal.license, 200),
    mainCopyrightOwner: text(legal.mainCopyrightOwner, 300),
    repoOwner: text(legal.repoOwner, 300),
    usedBy: texts(doc.usedBy, 50),
    dependsOn: dependencies.slice(0, 50),
    isBasedOn,
  };
}

export function toCheckViews(checks: Check[], i18n: Translator): CheckView[] {
  return checks.map((check) => ({
    code: check.code,
    level: check.level,
    levelLabel: i18n.t(`check.level.${check.level}` as MessageKey),
    badge: badges[check.level],
    title: i18n.t(`check.${check.code}.title` as MessageKey),
    fix: i18n.t(`check.${check.code}.fix` as MessageKey),
    details: check.details,
  }));
}

/** Clone URLs: https always; ssh where the forge's ssh address is known (github.com, gitlab.com). */
function cloneUrls(row: RepositoryRow): { https: string | null; ssh: string | null } {
  const web = safeHttpUrl(row.url);
  const https = web && web.startsWith("https://") ? `${web.replace(/\/+$/, "")}.git` : null;
  const ssh = row.host === "github.com" || row.host === "gitlab.com" ? `git@${row.host}:${row.fullName}.git` : null;
  return { https, ssh };
}

export function toProfileView(row: RepositoryRow, stored: StoredProfile | undefined, i18n: Translator, now = new Date()): ProfileView {
  const profile = stored?.profile ?? null;
  const readme = profile?.readme ?? null;
  const files = profile
    ? fileKinds.flatMap((kind) => (profile.files[kind] ? [{ label: i18n.t(`profile.file.${kind}` as MessageKey), name: profile.files[kind] as string }] : []))
    : [];
  const release = profile?.latestRelease ?? null;
  return {
    fetched: profile !== null,
    fetchedAt: stored?.fetchedAt ?? null,
    readme: readme ? { name: readme.name, html: readme.html, moreHtml: readme.moreHtml, sourceUrl: safeHttpUrl(row.url) } : null,
    readmeTooLarge: profile && !readme && profile.files.readme && profile.tooLarge.includes(profile.files.readme) ? profile.files.readme : null,
    publiccode: profile?.publiccode ? toPubliccodeView(profile.publiccode, i18n) : null,
    files,
    missingFiles: profile ? fileKinds.filter((kind) => !profile.files[kind]).map((kind) => i18n.t(`profile.file.${kind}` as MessageKey)) : [],
    release: release ? { name: release.name, kind: i18n.t(release.kind === "tag" ? "profile.release.tag" : "profile.release.release"), date: release.date, url: safeHttpUrl(release.url) } : null,
    reuse: cloneUrls(row),
    checks: toCheckViews(runChecks(row, stored, now), i18n),
  };
}

/** The checks of a repository for the API: codes and levels, with English words. */
export function checksForApi(row: RepositoryRow, stored: StoredProfile | undefined, now = new Date()): { code: string; level: CheckLevel; message: string; fix: string; details: string[] }[] {
  return runChecks(row, stored, now).map((check) => ({ code: check.code, level: check.level, ...checkTexts[check.code], details: check.details }));
}

// ---- the owner page's "what to improve" (issue 9) ----

export interface OwnerImprovements {
  rows: { href: string; fullName: string; checks: CheckView[] }[];
  /** Repositories with points beyond those listed. */
  more: number;
}

/** Repositories with an error or a warning, those with the most errors first; `limit` listed. */
export function toOwnerImprovements(
  rows: { pk: number; host: string; fullName: string; license: string | null; description: string | null; archived: boolean; pushedAt: string | null; updatedAt: string | null }[],
  profiles: Map<number, StoredProfile>,
  i18n: Translator,
  now: Date,
  limit = 50,
): OwnerImprovements {
  const weight = (checks: Check[]) => checks.reduce((sum, check) => sum + (check.level === "error" ? 100 : check.level === "warning" ? 1 : 0), 0);
  const scored = rows
    .map((row) => ({ row, checks: runChecks(row, profiles.get(row.pk), now).filter((check) => check.level !== "info") }))
    .filter((item) => item.checks.length > 0)
    .sort((a, b) => weight(b.checks) - weight(a.checks) || i18n.compare(a.row.fullName, b.row.fullName));
  return {
    rows: scored.slice(0, limit).map(({ row, checks }) => ({ href: repositoryPath(row.host, row.fullName), fullName: row.fullName, checks: toCheckViews(checks, i18n) })),
    more: Math.max(0, scored.length - limit),
  };
}
