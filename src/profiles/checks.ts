// What each publisher should fix: checks over a repository's record and
// profile, each with a level. Forge- and language-independent: codes and
// details here, words (title, fix) in the i18n dictionaries and the API.
import type { StoredProfile } from "./profile.ts";

export const checkCodes = [
  "no_license",
  "license_not_recognised",
  "no_description",
  "no_readme",
  "no_publiccode",
  "invalid_publiccode",
  "archived",
  "inactive",
  "profile_unreadable",
  // Issue 10: a package manifest the catalogue could not read (its dependencies then count for nothing).
  "manifest_unreadable",
] as const;
export type CheckCode = (typeof checkCodes)[number];

/** error: reuse is blocked or misleading; warning: reuse is hard; info: worth knowing. */
export type CheckLevel = "error" | "warning" | "info";
const levelOrder: Record<CheckLevel, number> = { error: 0, warning: 1, info: 2 };

export interface Check {
  code: CheckCode;
  level: CheckLevel;
  /** Specifics: a validator's errors ("key (line 3): message"), a failure's reason. */
  details: string[];
}

/** The fields of the record the checks read. */
export interface CheckedRepository {
  license: string | null;
  description: string | null;
  archived: boolean;
  pushedAt: string | null;
  updatedAt: string | null;
}

/** Two years without a push: the code may still work, but nobody says they maintain it. */
export const inactiveAfterMs = 2 * 365.25 * 24 * 3_600_000;
/** Validator errors listed per check; the API has them all in `publiccode.errors`. */
const maxDetails = 20;

export function runChecks(repository: CheckedRepository, stored: StoredProfile | undefined, now: Date): Check[] {
  const checks: Check[] = [];
  const add = (code: CheckCode, level: CheckLevel, details: string[] = []) => checks.push({ code, level, details });
  const profile = stored?.profile ?? null;

  if (repository.license === null) {
    // A licence file the forge could not name is a licence not recognised, not a missing one.
    if (profile?.files.license) add("license_not_recognised", "warning", [profile.files.license]);
    else add("no_license", "error");
  } else if (repository.license === "other") {
    add("license_not_recognised", "warning", profile?.files.license ? [profile.files.license] : []);
  }
  if (!repository.description) add("no_description", "warning");
  if (profile) {
    if (!profile.files.readme) add("no_readme", "warning");
    if (!profile.files.publiccode) add("no_publiccode", "info");
    else if (profile.publiccode && !profile.publiccode.result.valid) {
      add("invalid_publiccode", "error", profile.publiccode.result.errors.slice(0, maxDetails).map((e) => `${e.key || "/"}${e.line !== null ? ` (${e.line}:${e.column ?? 0})` : ""}: ${e.message}`));
    }
  }
  if (repository.archived) add("archived", "info");
  const activity = Date.parse(repository.pushedAt ?? repository.updatedAt ?? "");
  if (!repository.archived && Number.isFinite(activity) && now.getTime() - activity > inactiveAfterMs) add("inactive", "warning");
  if (stored?.failure) add("profile_unreadable", "warning", [`${stored.failure.reason}: ${stored.failure.message}`]);
  // Issue 10: each manifest with errors, its first one ("package.json: invalid JSON at line 3").
  const unreadable = (profile?.manifests ?? []).filter((manifest) => manifest.errors.length > 0);
  if (unreadable.length > 0) add("manifest_unreadable", "warning", unreadable.slice(0, maxDetails).map((manifest) => `${manifest.file}: ${manifest.errors[0]}${manifest.errors.length > 1 ? ` (+${manifest.errors.length - 1})` : ""}`));
  return checks.sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);
}

/** English words of each check, for the API (pages use the i18n dictionaries). */
export const checkTexts: Record<CheckCode, { message: string; fix: string }> = {
  no_license: { message: "No licence", fix: "Add a LICENSE file with an open licence (e.g. EUPL-1.2, MIT, Apache-2.0): without one, nobody may legally reuse the code." },
  license_not_recognised: { message: "Licence not recognised", fix: "Use the unmodified text of a standard licence in LICENSE, so that the forge can name it (SPDX)." },
  no_description: { message: "No description", fix: "Write a one-line description in the repository's settings on the forge." },
  no_readme: { message: "No README", fix: "Add a README.md at the root: what the software does, for whom, how to install and use it, who maintains it." },
  no_publiccode: { message: "No publiccode.yml", fix: "Add a publiccode.yml at the root (see publiccode.net): catalogues read it to describe the software." },
  invalid_publiccode: { message: "Invalid publiccode.yml", fix: "Fix the errors listed, then check the file with the validator." },
  archived: { message: "Archived", fix: "If the software is still in use, say where it moved or who maintains it in the README." },
  inactive: { message: "No activity for two years", fix: "Say in the README whether the software is still maintained, or archive the repository." },
  profile_unreadable: { message: "Profile not readable", fix: "The catalogue could not read the repository's files; it will try again at the next harvest." },
  manifest_unreadable: { message: "Package manifest not readable", fix: "Fix the errors listed in the manifest (package.json, pom.xml, requirements.txt...), so that the catalogue can tell what the code depends on and publishes." },
};
