// Read side of owners (organisations, users, groups) with their figures.
import { prepared, type Db } from "./database.ts";

export interface OwnerRow {
  id: number;
  host: string;
  login: string;
  kind: string;
  name: string | null;
  description: string | null;
  website: string | null;
  email: string | null;
  location: string | null;
  verified: boolean | null;
  createdAt: string | null;
  psoId: string | null;
  flossPolicy: string | null;
  ospoUrl: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** An owner with the figures of its live repositories. */
export interface OwnerSummary {
  id: number;
  host: string;
  login: string;
  kind: string;
  name: string | null;
  psoId: string | null;
  repositories: number;
  stars: number;
  forks: number;
  /** Latest push (or update) among its live repositories, ISO. */
  lastActivityAt: string | null;
}

export interface OwnerFigures {
  repositories: number;
  stars: number;
  forks: number;
  archived: number;
  lastActivityAt: string | null;
}

const ownerColumns = `o.id, o.host, o.login, o.kind, o.name, o.description, o.website, o.email, o.location, o.verified,
  o.created_at AS createdAt, o.pso_id AS psoId, o.floss_policy AS flossPolicy, o.ospo_url AS ospoUrl,
  o.first_seen_at AS firstSeenAt, o.last_seen_at AS lastSeenAt`;

export function findOwner(db: Db, host: string, login: string): OwnerRow | undefined {
  // Prepared once: every repository page asks for its owner (issue 13).
  const row = prepared(db, `SELECT ${ownerColumns} FROM owners o WHERE o.host = ? AND lower(o.login) = lower(?)`)
    .get(host, login) as (Omit<OwnerRow, "verified"> & { verified: number | null }) | undefined;
  return row ? { ...row, verified: row.verified === null ? null : row.verified === 1 } : undefined;
}

/**
 * Figures of the live repositories of an owner: by owner row when there is one
 * (indexed), else by login, as a GitLab instance's user namespaces have
 * repositories but no owner row.
 */
export function ownerFigures(db: Db, owner: { id: number } | { host: string; login: string }): OwnerFigures {
  const where = "id" in owner ? "owner_id = ?" : "host = ? AND lower(owner) = lower(?)";
  return db.$client
    .prepare(
      `SELECT count(*) AS repositories, coalesce(sum(stars), 0) AS stars, coalesce(sum(forks), 0) AS forks,
              coalesce(sum(archived), 0) AS archived, max(coalesce(pushed_at, updated_at)) AS lastActivityAt
         FROM repositories
        WHERE removed_at IS NULL AND ${where}`,
    )
    .get(...("id" in owner ? [owner.id] : [owner.host, owner.login])) as OwnerFigures;
}

/** Every harvested owner with its figures, for the public bodies page. */
export function listOwnerSummaries(db: Db): OwnerSummary[] {
  return db.$client
    .prepare(
      `SELECT o.id, o.host, o.login, o.kind, o.name, o.pso_id AS psoId,
              count(r.pk) AS repositories, coalesce(sum(r.stars), 0) AS stars, coalesce(sum(r.forks), 0) AS forks,
              max(coalesce(r.pushed_at, r.updated_at)) AS lastActivityAt
         FROM owners o
         LEFT JOIN repositories r ON r.owner_id = o.id AND r.removed_at IS NULL
        GROUP BY o.id
        ORDER BY o.host, lower(o.login)`,
    )
    .all() as OwnerSummary[];
}

/**
 * The hosts on which a login names an owner (a row of its own, or the
 * namespace of live repositories, as a GitLab instance's users have no owner
 * row), for an owner filter given without its host.
 */
export function hostsWithLogin(db: Db, login: string): string[] {
  const rows = db.$client
    .prepare(
      `SELECT host FROM owners WHERE lower(login) = lower(?)
        UNION
       SELECT DISTINCT host FROM repositories WHERE removed_at IS NULL AND lower(owner) = lower(?)
        ORDER BY host`,
    )
    .all(login, login) as { host: string }[];
  return rows.map((row) => row.host);
}

/** Every forge host of the catalogue. */
export function listHosts(db: Db): string[] {
  return (db.$client.prepare("SELECT host FROM forges ORDER BY host").all() as { host: string }[]).map((row) => row.host);
}
