// Gitea, Forgejo and Gogs payloads (API v1) to canonical records. The three
// share the shapes below; Gogs sends fewer fields (no topics, licences,
// template, language on old versions), which then read as absent, never as
// an error. Only a missing identity (id, name, login) rejects a payload.
import { ForgeError, type HarvestedOwner, type HarvestedRepository } from "../forge.ts";
import { cleanText, count, httpUrl, isoDate, topicList } from "../normalise.ts";

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  return null;
}

export function invalid(host: string, what: string, detail: string): ForgeError {
  return new ForgeError("invalid_response", `${host} sent an unexpected answer for ${what}: ${detail}`);
}

// SPDX ids and expressions use letters, digits, ".", "-" and "+" only.
const spdxId = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/**
 * Recent Gitea (1.22+) and Forgejo detect licence files and report
 * `licenses`: a list of SPDX ids. The catalogue writes licences as GitHub's
 * licensee does ("GPL-3.0", not "GPL-3.0-only" or "GPL-3.0-or-later"), so that
 * one licence reads the same whichever forge hosts the code.
 *   - field absent (older Gitea, Gogs): null, nothing is known of a licence;
 *   - an empty list: null, no licence file;
 *   - one id: that id; several (a dual licence, AND or OR we cannot tell) or an unreadable one: "other".
 */
export function licenceOf(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  if (value.length > 1) return "other";
  const id = cleanText(value[0], 100);
  if (!id || !spdxId.test(id) || id.toUpperCase() === "NOASSERTION") return "other";
  return id.replace(/-(only|or-later)$/, "");
}

/**
 * One repository of a listing or of /repos/search. Returns null for a
 * repository that is not public (private, or "internal": visible to signed-in
 * users only), whatever a token with more rights lets the forge list.
 */
export function mapRepository(raw: unknown, context: { host: string; webUrl: string; owner: string | null; what: string }): HarvestedRepository | null {
  if (!isObject(raw)) throw invalid(context.host, context.what, "a repository is not a JSON object");
  const forgeId = idOf(raw.id);
  if (!forgeId) throw invalid(context.host, context.what, "a repository has no id");
  if (raw.private === true || raw.internal === true) return null;
  const name = cleanText(raw.name, 200);
  if (!name) throw invalid(context.host, context.what, `repository ${forgeId} has no name`);
  const ownerObject = isObject(raw.owner) ? raw.owner : {};
  // Gitea writes the owner's login as "login"; Gogs' and old Gitea's as "username".
  const owner = cleanText(ownerObject.login, 200) ?? cleanText(ownerObject.username, 200) ?? context.owner;
  if (!owner) throw invalid(context.host, context.what, `repository ${forgeId} has no owner`);
  const fullName = cleanText(raw.full_name, 400) ?? `${owner}/${name}`;
  const parent = isObject(raw.parent) ? cleanText(raw.parent.full_name, 400) : null;
  // Gitea bumps updated_at on every push and has no pushed_at: the best "last activity" it gives.
  const updatedAt = isoDate(raw.updated_at);
  return {
    forgeId,
    owner,
    name,
    fullName,
    url: httpUrl(raw.html_url) ?? `${context.webUrl}/${fullName}`,
    description: cleanText(raw.description),
    homepage: httpUrl(raw.website),
    language: cleanText(raw.language, 100),
    license: licenceOf(raw.licenses),
    topics: topicList(raw.topics),
    stars: count(raw.stars_count),
    forks: count(raw.forks_count),
    openIssues: count(raw.open_issues_count),
    archived: raw.archived === true,
    fork: raw.fork === true,
    template: raw.template === true,
    defaultBranch: cleanText(raw.default_branch, 255),
    createdAt: isoDate(raw.created_at),
    updatedAt,
    pushedAt: updatedAt,
    mirror: raw.mirror === true,
    parent: raw.fork === true ? parent : null,
    // Issue 10: the parent's id too, which survives its renames.
    parentForgeId: raw.fork === true && isObject(raw.parent) ? idOf(raw.parent.id) : null,
  };
}

/**
 * /orgs/{org} (kind organisation) or /users/{user}. An organisation names
 * itself in `name` (Gitea; `username` on Gogs and old Gitea), its display
 * name in `full_name`; a user in `login`.
 */
export function mapOwner(raw: unknown, kind: "organization" | "user", context: { host: string; what: string }): HarvestedOwner {
  if (!isObject(raw)) throw invalid(context.host, context.what, "the account is not a JSON object");
  const login = kind === "organization" ? (cleanText(raw.name, 200) ?? cleanText(raw.username, 200)) : (cleanText(raw.login, 200) ?? cleanText(raw.username, 200));
  if (!login) throw invalid(context.host, context.what, "the account has no login");
  return {
    login,
    forgeId: idOf(raw.id),
    kind,
    name: cleanText(raw.full_name, 300),
    description: cleanText(raw.description),
    website: httpUrl(raw.website),
    email: cleanText(raw.email, 300),
    location: cleanText(raw.location, 300),
    avatarUrl: httpUrl(raw.avatar_url),
    verified: null,
    createdAt: isoDate(raw.created),
  };
}

/** Only public organisations are owners of the catalogue ("limited" ones need an account to be seen). */
export function isPublicOrganisation(raw: unknown): boolean {
  return isObject(raw) && (raw.visibility === undefined || raw.visibility === "public");
}
