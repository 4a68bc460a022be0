// Lookups shared by the API routes and the MCP tools (src/mcp/), so that both
// answer the same records for the same question: one implementation, two doors.
import { findLiveRepository, type RepositoryRow } from "../../store/catalog.ts";
import { countByPublicBody } from "../../store/bodyCounts.ts";
import { findOwner, ownerFigures } from "../../store/owners.ts";
import { catalogueFigures, countBy, topOwners } from "../../store/stats.ts";
import type { Site } from "../site.ts";
import { toPublicOwner, toPublicStats, type PublicOwner, type PublicStats } from "./present.ts";

export type LookupDeps = Pick<Site, "db" | "search" | "publicBodies" | "cached">;

/** Owners listed in /api/v1/stats: the rest are one /owners call away. */
const statsTopOwners = 100;

/** A live repository by "<host>/<full name>" segments; GitLab groups nest, so the full name has two segments or more. */
export function findRepositoryBySegments(deps: Pick<Site, "db">, segments: readonly string[]): RepositoryRow | undefined {
  const [host, ...path] = segments;
  return host && path.length >= 2 ? findLiveRepository(deps.db, host.toLowerCase(), path.join("/")) : undefined;
}

/** An owner with its figures; a namespace without an owner row (a user of a harvested GitLab instance) exists through its repositories. */
export function findPublicOwner(deps: Pick<Site, "db" | "publicBodies">, host: string, login: string): PublicOwner | undefined {
  const row = findOwner(deps.db, host, login);
  const figures = ownerFigures(deps.db, row ?? { host, login });
  if (!row && figures.repositories === 0) return undefined;
  return toPublicOwner(row ?? { host, login }, figures, deps.publicBodies);
}

/** The catalogue's statistics, computed once per index generation (a harvest). */
export function publicStats(deps: LookupDeps): PublicStats {
  return deps.cached(`api:stats:${deps.search.generation}`, () =>
    toPublicStats(
      catalogueFigures(deps.db),
      {
        language: countBy(deps.db, "language"),
        license: countBy(deps.db, "license"),
        host: countBy(deps.db, "host"),
        publicBody: countByPublicBody(deps.db),
        owners: topOwners(deps.db, statsTopOwners),
      },
      deps.publicBodies,
    ),
  );
}
