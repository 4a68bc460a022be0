// GitLab v4 payloads → canonical records. Payloads are untrusted: every field
// goes through the normalise helpers, and a record without an id, a path or a
// web URL is refused (null) rather than stored half-known.
import type { HarvestedOwner, HarvestedRepository } from "../forge.ts";
import { cleanText, count, httpUrl, isoDate, topicList } from "../normalise.ts";

type Payload = Record<string, unknown>;

/** A project of a list, with what the adapter needs to complete it. */
export interface ListedProject {
  /** Numeric id, for the per-project calls. */
  id: number;
  /** License and language are null here: lists never carry them. */
  repository: HarvestedRepository;
  /** The namespace object of the project, to make an owner of it if no list did. */
  namespace: Payload | null;
}

export function isPayload(value: unknown): value is Payload {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** GitLab ids are positive integers; some proxies and old versions send them as strings. */
export function numericId(value: unknown): number | null {
  const id = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function projectFromPayload(raw: unknown): ListedProject | null {
  if (!isPayload(raw)) return null;
  const id = numericId(raw.id);
  const fullName = cleanText(raw.path_with_namespace, 500);
  const url = httpUrl(raw.web_url);
  if (id === null || !fullName || !url) return null;
  const namespace = isPayload(raw.namespace) ? raw.namespace : null;
  const slash = fullName.lastIndexOf("/");
  const activity = isoDate(raw.last_activity_at);
  const topics = topicList(raw.topics);
  const repository: HarvestedRepository = {
    forgeId: String(id),
    owner: cleanText(namespace?.full_path, 500) ?? fullName.slice(0, Math.max(0, slash)),
    // The URL slug, as GitHub's name is; GitLab's display `name` may hold spaces and accents.
    name: cleanText(raw.path, 255) ?? fullName.slice(slash + 1),
    fullName,
    url,
    description: cleanText(raw.description),
    // GitLab projects have no homepage field.
    homepage: null,
    language: null,
    license: null,
    // `tag_list` is the name `topics` had before GitLab 14.0, still sent by old instances.
    topics: topics.length > 0 ? topics : topicList(raw.tag_list),
    stars: count(raw.star_count),
    forks: count(raw.forks_count),
    // Absent when the project disabled its issues.
    openIssues: count(raw.open_issues_count),
    archived: raw.archived === true,
    // Lists carry forked_from_project only for forks the caller may see; a fork
    // of a private project still has it, reduced to a few fields.
    fork: isPayload(raw.forked_from_project),
    // GitLab templates are a group setting, not a project flag the API exposes.
    template: false,
    defaultBranch: cleanText(raw.default_branch, 255),
    createdAt: isoDate(raw.created_at),
    // updated_at exists since GitLab 15.x; before, last activity is the best there is.
    updatedAt: isoDate(raw.updated_at) ?? activity,
    // GitLab has no push date: last_activity_at moves with pushes, issues and merge requests.
    pushedAt: activity,
    changeMarker: activity,
  };
  // Issue 10: the parent of a fork, from the list itself (no request more).
  const parent = isPayload(raw.forked_from_project) ? raw.forked_from_project : null;
  const parentId = parent === null ? null : numericId(parent.id);
  repository.parentForgeId = parentId === null ? null : String(parentId);
  repository.parent = parent === null ? null : cleanText(parent.path_with_namespace, 500);
  return { id, repository, namespace };
}

export function groupOwner(raw: unknown): HarvestedOwner | null {
  if (!isPayload(raw)) return null;
  const login = cleanText(raw.full_path, 500);
  if (!login) return null;
  return {
    login,
    forgeId: numericId(raw.id) === null ? null : String(raw.id),
    kind: "group",
    name: cleanText(raw.name, 255),
    description: cleanText(raw.description),
    // GitLab groups have no website field today; taken should an instance send one, as it does for users.
    website: httpUrl(raw.website_url),
    email: null,
    location: null,
    avatarUrl: httpUrl(raw.avatar_url),
    verified: null,
    createdAt: isoDate(raw.created_at),
  };
}

export function userOwner(raw: unknown): HarvestedOwner | null {
  if (!isPayload(raw)) return null;
  const login = cleanText(raw.username, 255);
  if (!login) return null;
  return {
    login,
    forgeId: numericId(raw.id) === null ? null : String(raw.id),
    kind: "user",
    name: cleanText(raw.name, 255),
    description: cleanText(raw.bio),
    website: httpUrl(raw.website_url),
    email: cleanText(raw.public_email, 255),
    location: cleanText(raw.location, 255),
    avatarUrl: httpUrl(raw.avatar_url),
    verified: null,
    createdAt: isoDate(raw.created_at),
  };
}

/**
 * An owner from the namespace object a project carries, for the namespaces no
 * list gave (user namespaces of a whole instance). A user namespace's id is
 * not the user's id, so forgeId stays unknown for those.
 */
export function namespaceOwner(namespace: Payload): HarvestedOwner | null {
  const login = cleanText(namespace.full_path, 500);
  if (!login) return null;
  const isUser = namespace.kind === "user";
  return {
    login,
    forgeId: !isUser && numericId(namespace.id) !== null ? String(namespace.id) : null,
    kind: isUser ? "user" : "group",
    name: cleanText(namespace.name, 255),
    description: null,
    website: null,
    email: null,
    location: null,
    avatarUrl: httpUrl(namespace.avatar_url),
    verified: null,
    createdAt: null,
  };
}

/** The language with the largest share of /projects/:id/languages ({"Python": 71.3, ...}), or null. */
export function mainLanguage(raw: unknown): string | null {
  if (!isPayload(raw)) return null;
  let best: string | null = null;
  let bestShare = 0;
  for (const [name, share] of Object.entries(raw)) {
    const language = cleanText(name, 100);
    if (language && typeof share === "number" && share > bestShare) {
      best = language;
      bestShare = share;
    }
  }
  return best;
}
