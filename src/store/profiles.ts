// Repository profiles (issue 9): what the profile harvest reads and writes,
// and what pages, checks, search and the API read. Only this layer touches
// the repository_profiles table.
import type { HarvestedRelease } from "../forges/forge.ts";
import type { ProfileFiles } from "../profiles/files.ts";
import type { RepositoryManifest } from "../profiles/manifests.ts";
import type { ProfileFailure, RepositoryProfile, StoredProfile } from "../profiles/profile.ts";
import type { PubliccodeResult } from "../publiccode/validate.ts";
import { prepared, type Db } from "./database.ts";
import { listManifests, listManifestsOf, replaceManifests } from "./manifests.ts";

/**
 * Issue 10: what a saved profile holds beyond issue 9's files: 1, the
 * manifests and (forks on GitHub) the fork parent. A profile saved by an
 * older version is fetched once more, whatever its marker, so that reuse
 * evidence covers the whole catalogue and not only repositories pushed since.
 */
export const profileEvidenceVersion = 1;

/** A live repository of an account whose profile is missing or older than its last push. */
export interface ProfileCandidate {
  pk: number;
  forgeId: string;
  fullName: string;
  url: string;
  defaultBranch: string | null;
  /** The repository's push marker now: GitLab's last_activity_at, else pushed_at, else updated_at. */
  marker: string | null;
  /** Issue 10: a fork (on GitHub, its parent is fetched in the profile pass). */
  fork: boolean;
}

// The marker a profile is compared with: change_marker is GitLab's last_activity_at; GitHub has pushed_at.
const markerSql = "coalesce(r.change_marker, r.pushed_at, r.updated_at)";

/**
 * The live repositories of an account that need a profile fetch: never
 * fetched, last fetch failed (marker null or old), or pushed since. A
 * repository whose marker did not move costs nothing, which is what makes an
 * unchanged run free of profile requests.
 */
export function listProfileCandidates(db: Db, accountId: number): ProfileCandidate[] {
  return (prepared(
    db,
    `SELECT r.pk, r.forge_id AS forgeId, r.full_name AS fullName, r.url, r.default_branch AS defaultBranch, ${markerSql} AS marker, r.fork
       FROM repositories r LEFT JOIN repository_profiles p ON p.repository_pk = r.pk
      WHERE r.account_id = ? AND r.removed_at IS NULL
        AND (p.repository_pk IS NULL OR p.marker IS NULL OR p.marker IS NOT ${markerSql} OR p.evidence_version IS NOT ${profileEvidenceVersion})
      ORDER BY r.pk`,
  ).all(accountId) as (Omit<ProfileCandidate, "fork"> & { fork: number })[]
  ).map((row) => ({ ...row, fork: row.fork === 1 }));
}

interface RawProfile {
  marker: string | null;
  fetchedAt: string | null;
  attemptedAt: string;
  errorReason: string | null;
  errorMessage: string | null;
  files: string | null;
  shas: string | null;
  tooLarge: string | null;
  readmeName: string | null;
  readmeHtml: string | null;
  readmeMoreHtml: string | null;
  readmeExcerpt: string | null;
  readmeText: string | null;
  publiccodeName: string | null;
  publiccodeText: string | null;
  publiccodeResult: string | null;
  latestRelease: string | null;
}

const profileSelect = `
  SELECT marker, fetched_at AS fetchedAt, attempted_at AS attemptedAt, error_reason AS errorReason, error_message AS errorMessage,
         files, shas, too_large AS tooLarge, readme_name AS readmeName, readme_html AS readmeHtml, readme_more_html AS readmeMoreHtml,
         readme_excerpt AS readmeExcerpt, readme_text AS readmeText, publiccode_name AS publiccodeName, publiccode_text AS publiccodeText,
         publiccode_result AS publiccodeResult, latest_release AS latestRelease
    FROM repository_profiles WHERE repository_pk = ?`;

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toStored(raw: RawProfile, manifests: RepositoryManifest[]): StoredProfile {
  const profile: RepositoryProfile | null = raw.fetchedAt === null
    ? null
    : {
        files: parse<ProfileFiles>(raw.files, {} as ProfileFiles),
        shas: parse<Record<string, string>>(raw.shas, {}),
        tooLarge: parse<string[]>(raw.tooLarge, []),
        readme: raw.readmeName !== null && raw.readmeHtml !== null
          ? { name: raw.readmeName, html: raw.readmeHtml, moreHtml: raw.readmeMoreHtml, excerpt: raw.readmeExcerpt ?? "", text: raw.readmeText ?? "" }
          : null,
        publiccode: raw.publiccodeName !== null && raw.publiccodeText !== null && raw.publiccodeResult !== null
          ? { name: raw.publiccodeName, text: raw.publiccodeText, result: parse<PubliccodeResult>(raw.publiccodeResult, { valid: false, version: null, errors: [], warnings: [], document: null }) }
          : null,
        latestRelease: parse<HarvestedRelease | null>(raw.latestRelease, null),
        manifests,
      };
  const failure: ProfileFailure | null = raw.errorReason !== null ? { reason: raw.errorReason, message: raw.errorMessage ?? "" } : null;
  return { profile, marker: raw.marker, fetchedAt: raw.fetchedAt, attemptedAt: raw.attemptedAt, failure };
}

/** The stored profile of a repository (by repositories.pk), or undefined when never attempted. */
export function findProfile(db: Db, repositoryPk: number): StoredProfile | undefined {
  const raw = prepared(db, profileSelect).get(repositoryPk) as RawProfile | undefined;
  return raw ? toStored(raw, listManifests(db, repositoryPk)) : undefined;
}

/** Profiles of several repositories at once (an owner's page), by pk. */
export function findProfiles(db: Db, repositoryPks: readonly number[]): Map<number, StoredProfile> {
  const result = new Map<number, StoredProfile>();
  if (repositoryPks.length === 0) return result;
  const rows = prepared(db, `${profileSelect.replace("WHERE repository_pk = ?", "WHERE repository_pk IN (SELECT value FROM json_each(?))").replace("SELECT marker", "SELECT repository_pk AS pk, marker")}`)
    .all(JSON.stringify(repositoryPks)) as (RawProfile & { pk: number })[];
  const manifests = listManifestsOf(db, rows.map((raw) => raw.pk));
  for (const raw of rows) result.set(raw.pk, toStored(raw, manifests.get(raw.pk) ?? []));
  return result;
}

/**
 * Writes a successful fetch, clearing any recorded failure; with its
 * manifests (issue 10), replaced as a whole, in the same transaction.
 */
export function saveProfile(db: Db, repositoryPk: number, profile: RepositoryProfile, marker: string | null, now: string): void {
  db.$client.transaction(() => {
    writeProfile(db, repositoryPk, profile, marker, now);
    if (profile.manifests !== undefined) replaceManifests(db, repositoryPk, profile.manifests);
  })();
}

function writeProfile(db: Db, repositoryPk: number, profile: RepositoryProfile, marker: string | null, now: string): void {
  const { readme, publiccode } = profile;
  prepared(
    db,
    `INSERT INTO repository_profiles (repository_pk, marker, fetched_at, attempted_at, error_reason, error_message, files, shas, too_large,
       readme_name, readme_html, readme_more_html, readme_excerpt, readme_text, publiccode_name, publiccode_text, publiccode_valid,
       publiccode_version, publiccode_result, latest_release, evidence_version)
     VALUES (@pk, @marker, @now, @now, NULL, NULL, @files, @shas, @tooLarge, @readmeName, @readmeHtml, @readmeMoreHtml, @readmeExcerpt,
       @readmeText, @publiccodeName, @publiccodeText, @publiccodeValid, @publiccodeVersion, @publiccodeResult, @latestRelease, @evidenceVersion)
     ON CONFLICT (repository_pk) DO UPDATE SET
       marker = excluded.marker, fetched_at = excluded.fetched_at, attempted_at = excluded.attempted_at, error_reason = NULL, error_message = NULL,
       files = excluded.files, shas = excluded.shas, too_large = excluded.too_large, readme_name = excluded.readme_name,
       readme_html = excluded.readme_html, readme_more_html = excluded.readme_more_html, readme_excerpt = excluded.readme_excerpt,
       readme_text = excluded.readme_text, publiccode_name = excluded.publiccode_name, publiccode_text = excluded.publiccode_text,
       publiccode_valid = excluded.publiccode_valid, publiccode_version = excluded.publiccode_version,
       publiccode_result = excluded.publiccode_result, latest_release = excluded.latest_release, evidence_version = excluded.evidence_version`,
  ).run({
    pk: repositoryPk,
    marker,
    now,
    files: JSON.stringify(profile.files),
    shas: JSON.stringify(profile.shas),
    tooLarge: JSON.stringify(profile.tooLarge),
    readmeName: readme?.name ?? null,
    readmeHtml: readme?.html ?? null,
    readmeMoreHtml: readme?.moreHtml ?? null,
    readmeExcerpt: readme?.excerpt ?? null,
    readmeText: readme?.text ?? null,
    publiccodeName: publiccode?.name ?? null,
    publiccodeText: publiccode?.text ?? null,
    publiccodeValid: publiccode ? (publiccode.result.valid ? 1 : 0) : null,
    publiccodeVersion: publiccode?.result.version ?? null,
    publiccodeResult: publiccode ? JSON.stringify(publiccode.result) : null,
    latestRelease: profile.latestRelease ? JSON.stringify(profile.latestRelease) : null,
    // A profile without manifests (written by a seed or an older caller) is fetched again for them.
    evidenceVersion: profile.manifests !== undefined ? profileEvidenceVersion : null,
  });
}

/** Records a failed fetch: the previous profile and its marker stay, so the next run tries again. */
export function recordProfileFailure(db: Db, repositoryPk: number, failure: ProfileFailure, now: string): void {
  prepared(
    db,
    `INSERT INTO repository_profiles (repository_pk, attempted_at, error_reason, error_message) VALUES (?, ?, ?, ?)
     ON CONFLICT (repository_pk) DO UPDATE SET attempted_at = excluded.attempted_at, error_reason = excluded.error_reason, error_message = excluded.error_message`,
  ).run(repositoryPk, now, failure.reason, failure.message.slice(0, 1_000));
}

/** What the search index reads of a profile (one point query per repository at build time). */
export interface ProfileSearchFields {
  readmeText: string | null;
  publiccodeValid: boolean | null;
  publiccodeDocument: Record<string, unknown> | null;
}

export function profileSearchFields(db: Db, repositoryPk: number): ProfileSearchFields | undefined {
  const raw = prepared(
    db,
    `SELECT readme_text AS readmeText, publiccode_valid AS publiccodeValid, json_extract(publiccode_result, '$.document') AS document
       FROM repository_profiles WHERE repository_pk = ? AND fetched_at IS NOT NULL`,
  ).get(repositoryPk) as { readmeText: string | null; publiccodeValid: number | null; document: string | null } | undefined;
  if (!raw) return undefined;
  return {
    readmeText: raw.readmeText,
    publiccodeValid: raw.publiccodeValid === null ? null : raw.publiccodeValid === 1,
    publiccodeDocument: parse<Record<string, unknown> | null>(raw.document, null),
  };
}

/** What the checks of an owner's repositories read: the record's checked fields, by repository. */
export interface CheckedRow {
  pk: number;
  host: string;
  fullName: string;
  license: string | null;
  description: string | null;
  archived: boolean;
  pushedAt: string | null;
  updatedAt: string | null;
}

/** Every live repository of an owner (by owner row, else by login as ownerFigures does), for the "what to improve" summary. */
export function listOwnerCheckedRows(db: Db, owner: { id: number } | { host: string; login: string }): CheckedRow[] {
  const where = "id" in owner ? "owner_id = ?" : "host = ? AND lower(owner) = lower(?)";
  const rows = db.$client
    .prepare(
      `SELECT pk, host, full_name AS fullName, license, description, archived, pushed_at AS pushedAt, updated_at AS updatedAt
         FROM repositories WHERE removed_at IS NULL AND ${where} ORDER BY lower(full_name) LIMIT 5000`,
    )
    .all(...("id" in owner ? [owner.id] : [owner.host, owner.login])) as (Omit<CheckedRow, "archived"> & { archived: number })[];
  return rows.map((row) => ({ ...row, archived: row.archived === 1 }));
}

// --- The publiccode.yml export (issue 12): the valid documents of live repositories ---

/** A live repository with a valid publiccode.yml: what GET /api/v1/publiccode.jsonl writes a line of. */
export interface PubliccodeEntry {
  host: string;
  fullName: string;
  url: string;
  document: Record<string, unknown>;
}

const publiccodeEntrySelect = `
  SELECT r.host, r.full_name AS fullName, r.url, json_extract(p.publiccode_result, '$.document') AS document
    FROM repositories r JOIN repository_profiles p ON p.repository_pk = r.pk
   WHERE r.removed_at IS NULL AND p.fetched_at IS NOT NULL AND p.publiccode_valid = 1`;

function toPubliccodeEntries(raws: Iterable<Omit<PubliccodeEntry, "document"> & { document: string | null }>): Generator<PubliccodeEntry> {
  return (function* () {
    for (const raw of raws) {
      const document = parse<Record<string, unknown> | null>(raw.document, null);
      // A valid file always has its document; a row written otherwise is left out rather than exported empty.
      if (document !== null && typeof document === "object" && !Array.isArray(document)) yield { host: raw.host, fullName: raw.fullName, url: raw.url, document };
    }
  })();
}

/** Every live repository with a valid publiccode.yml, in the order of iterateLiveRepositories, one row at a time. */
export function iterateValidPubliccode(db: Db): Generator<PubliccodeEntry> {
  return toPubliccodeEntries(db.$client.prepare(`${publiccodeEntrySelect} ORDER BY r.host, lower(r.full_name)`).iterate() as Iterable<Omit<PubliccodeEntry, "document"> & { document: string | null }>);
}

/** Those of the given repositories (by pk) with a valid publiccode.yml, in the order given. */
export function listValidPubliccode(db: Db, pks: readonly number[]): PubliccodeEntry[] {
  if (pks.length === 0) return [];
  const raws = prepared(db, `${publiccodeEntrySelect.replace("FROM repositories r", "FROM json_each(?) j JOIN repositories r ON r.pk = j.value")} ORDER BY j.key`)
    .all(JSON.stringify(pks)) as (Omit<PubliccodeEntry, "document"> & { document: string | null })[];
  return [...toPubliccodeEntries(raws)];
}
