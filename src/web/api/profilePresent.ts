// The profile part of GET /api/v1/repositories/{id} (issue 9): README excerpt
// and HTML, publiccode.yml document and validation, community files, latest
// release, checks, and when the files were read. snake_case like the record.
import { checkTexts, runChecks, type CheckLevel } from "../../profiles/checks.ts";
import type { StoredProfile } from "../../profiles/profile.ts";
import type { PubliccodeIssue } from "../../publiccode/validate.ts";
import { toPublicRepository, type PublicRepository } from "../../records/repository.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import type { Db } from "../../store/database.ts";
import { findProfile } from "../../store/profiles.ts";
import { repositoryId } from "../../records/repository.ts";
import { toPublicReuse, type PublicReuse } from "./reusePresent.ts";

export interface RepositoryProfileFields {
  readme: { name: string; excerpt: string; html: string } | null;
  publiccode: { file: string; valid: boolean; version: string | null; errors: PubliccodeIssue[]; warnings: PubliccodeIssue[]; document: Record<string, unknown> | null } | null;
  files: Record<"readme" | "publiccode" | "license" | "contributing" | "code_of_conduct" | "security" | "changelog", string | null> | null;
  files_too_large: string[];
  latest_release: { kind: "release" | "tag"; name: string; tag: string | null; date: string | null; url: string | null } | null;
  checks: { code: string; level: CheckLevel; message: string; fix: string; details: string[] }[];
  profile: { fetched_at: string | null; error: { reason: string; message: string } | null };
}

export function toRepositoryProfileFields(row: RepositoryRow, stored: StoredProfile | undefined, now: Date): RepositoryProfileFields {
  const profile = stored?.profile ?? null;
  const readme = profile?.readme ?? null;
  const publiccode = profile?.publiccode ?? null;
  const release = profile?.latestRelease ?? null;
  return {
    readme: readme ? { name: readme.name, excerpt: readme.excerpt, html: readme.moreHtml ? `${readme.html}${readme.moreHtml}` : readme.html } : null,
    publiccode: publiccode
      ? { file: publiccode.name, valid: publiccode.result.valid, version: publiccode.result.version, errors: publiccode.result.errors, warnings: publiccode.result.warnings, document: publiccode.result.document }
      : null,
    files: profile
      ? {
          readme: profile.files.readme ?? null,
          publiccode: profile.files.publiccode ?? null,
          license: profile.files.license ?? null,
          contributing: profile.files.contributing ?? null,
          code_of_conduct: profile.files.codeOfConduct ?? null,
          security: profile.files.security ?? null,
          changelog: profile.files.changelog ?? null,
        }
      : null,
    files_too_large: profile?.tooLarge ?? [],
    latest_release: release ? { kind: release.kind, name: release.name, tag: release.tag, date: release.date, url: release.url } : null,
    checks: runChecks(row, stored, now).map((check) => ({ code: check.code, level: check.level, ...checkTexts[check.code], details: check.details })),
    profile: { fetched_at: stored?.fetchedAt ?? null, error: stored?.failure ?? null },
  };
}

/** GET /api/v1/repositories/{id}: the public record with its profile. The MCP's get_repository answers it too (issue 12). */
export type RepositoryDetail = PublicRepository & RepositoryProfileFields & { /** issue 10: null until a reuse graph includes it. */ reuse: PublicReuse | null };

export function toRepositoryDetail(db: Db, row: RepositoryRow, now: Date): RepositoryDetail {
  // Onto the fresh record (a spread followed by properties is slow on Node 20: see toRepositoryPage).
  return Object.assign(toPublicRepository(row), toRepositoryProfileFields(row, findProfile(db, row.pk), now), { reuse: toPublicReuse(db, repositoryId(row.host, row.fullName)) });
}
