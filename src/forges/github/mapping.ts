// GitHub payloads to canonical records. Payloads are untrusted: every field is
// checked, and only a missing identity (id, name, login) rejects the payload.
import { ForgeError, type HarvestedOwner, type HarvestedRepository } from "../forge.ts";
import { cleanText, count, httpUrl, isoDate, topicList } from "../normalise.ts";
import { licenceOf } from "./licence.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** GitHub ids are numbers; the string form is what the store keys on. */
function idOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  return null;
}

export function invalid(what: string, detail: string): ForgeError {
  return new ForgeError("invalid_response", `GitHub sent an unexpected answer for ${what}: ${detail}`);
}

/**
 * One item of /orgs/{org}/repos or /users/{user}/repos. Returns null for a
 * private repository: we ask for public ones only, but a token with more
 * rights, or a GitHub Enterprise quirk, must never leak one into the catalogue.
 */
export function mapRepository(raw: unknown, context: { webUrl: string; owner: string; what: string }): HarvestedRepository | null {
  if (!isObject(raw)) throw invalid(context.what, "a repository is not a JSON object");
  const forgeId = idOf(raw.id);
  if (!forgeId) throw invalid(context.what, "a repository has no id");
  if (raw.private !== false && raw.private !== undefined) return null;
  if (raw.visibility !== undefined && raw.visibility !== "public") return null;
  const name = cleanText(raw.name, 200);
  if (!name) throw invalid(context.what, `repository ${forgeId} has no name`);
  const owner = (isObject(raw.owner) ? cleanText(raw.owner.login, 200) : null) ?? context.owner;
  const fullName = cleanText(raw.full_name, 400) ?? `${owner}/${name}`;
  return {
    forgeId,
    owner,
    name,
    fullName,
    url: httpUrl(raw.html_url) ?? `${context.webUrl}/${fullName}`,
    description: cleanText(raw.description),
    homepage: httpUrl(raw.homepage),
    language: cleanText(raw.language, 100),
    license: licenceOf(raw.license),
    topics: topicList(raw.topics),
    stars: count(raw.stargazers_count),
    forks: count(raw.forks_count),
    openIssues: count(raw.open_issues_count),
    archived: raw.archived === true,
    fork: raw.fork === true,
    template: raw.is_template === true,
    defaultBranch: cleanText(raw.default_branch, 255),
    createdAt: isoDate(raw.created_at),
    updatedAt: isoDate(raw.updated_at),
    pushedAt: isoDate(raw.pushed_at),
  };
}

/**
 * /orgs/{org} or /users/{login}. The kind comes from the payload's `type`
 * ("Organization" | "User" | "Bot"), not from the endpoint: /users/{login}
 * answers for organisations too, with fewer fields.
 */
export function mapOwner(raw: unknown, what: string): HarvestedOwner {
  if (!isObject(raw)) throw invalid(what, "the account is not a JSON object");
  const login = cleanText(raw.login, 200);
  if (!login) throw invalid(what, "the account has no login");
  const organization = raw.type === "Organization";
  return {
    login,
    forgeId: idOf(raw.id),
    kind: organization ? "organization" : "user",
    name: cleanText(raw.name, 300),
    // An organisation has a description, a user a bio.
    description: cleanText(organization ? raw.description : raw.bio),
    website: httpUrl(raw.blog),
    email: cleanText(raw.email, 300),
    location: cleanText(raw.location, 300),
    avatarUrl: httpUrl(raw.avatar_url),
    // Only /orgs/{org} says whether GitHub verified the organisation's domain.
    verified: typeof raw.is_verified === "boolean" ? raw.is_verified : null,
    createdAt: isoDate(raw.created_at),
  };
}
