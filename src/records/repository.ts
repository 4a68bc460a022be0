// The public repository record: the one shape of every export and of the API.
import type { RepositoryRow } from "../store/catalog.ts";

export interface PublicRepository {
  id: string;
  forge: string;
  host: string;
  owner: string;
  name: string;
  full_name: string;
  url: string;
  description: string | null;
  homepage: string | null;
  language: string | null;
  license: string | null;
  topics: string[];
  stars: number;
  forks: number;
  open_issues: number;
  archived: boolean;
  fork: boolean;
  template: boolean;
  default_branch: string | null;
  created_at: string | null;
  updated_at: string | null;
  pushed_at: string | null;
  first_seen_at: string;
  last_seen_at: string;
  /** issue 9: a publiccode.yml at the root of the default branch (false until the profile is fetched). */
  has_publiccode: boolean;
  /** issue 9: whether that publiccode.yml is valid; null without one. */
  publiccode_valid: boolean | null;
  /** issue 10: the reuse score, 0 to 100 (src/reuse/score.ts); null until a reuse graph includes the repository. */
  reuse_score: number | null;
  /** issue 10: distinct other public bodies (or owners without one) reusing it, plus its publiccode.yml usedBy names; null likewise. */
  reused_by_count: number | null;
}

/** Field order of the record, also the CSV columns. */
export const publicRepositoryFields = [
  "id", "forge", "host", "owner", "name", "full_name", "url", "description", "homepage", "language", "license",
  "topics", "stars", "forks", "open_issues", "archived", "fork", "template", "default_branch",
  "created_at", "updated_at", "pushed_at", "first_seen_at", "last_seen_at",
  "has_publiccode", "publiccode_valid", // issue 9
  "reuse_score", "reused_by_count", // issue 10
] as const satisfies readonly (keyof PublicRepository)[];

export function repositoryId(host: string, fullName: string): string {
  return `${host}/${fullName}`;
}

export function toPublicRepository(row: RepositoryRow): PublicRepository {
  return {
    id: repositoryId(row.host, row.fullName),
    forge: row.forge,
    host: row.host,
    owner: row.owner,
    name: row.name,
    full_name: row.fullName,
    url: row.url,
    description: row.description,
    homepage: row.homepage,
    language: row.language,
    license: row.license,
    topics: row.topics,
    stars: row.stars,
    forks: row.forks,
    open_issues: row.openIssues,
    archived: row.archived,
    fork: row.fork,
    template: row.template,
    default_branch: row.defaultBranch,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    pushed_at: row.pushedAt,
    first_seen_at: row.firstSeenAt,
    last_seen_at: row.lastSeenAt,
    has_publiccode: row.hasPubliccode === true,
    publiccode_valid: row.publiccodeValid ?? null,
    reuse_score: row.reuseScore ?? null,
    reused_by_count: row.reusedByCount ?? null,
  };
}
