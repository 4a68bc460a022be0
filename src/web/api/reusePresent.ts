// The reuse shapes of the API (issue 10): the `reuse` part of
// GET /api/v1/repositories/{id} (also MCP's get_repository), the edge lists
// of /dependents, /dependencies and /forks, and GET /api/v1/packages.
// snake_case like the record; ids are public repository ids.
import type { RepositoryReuse } from "../../reuse/graph.ts";
import type { ReuseCriterion } from "../../reuse/score.ts";
import type { DependencyScope, Ecosystem, PackageRef } from "../../reuse/types.ts";
import type { Db } from "../../store/database.ts";
import { findRepositoryReuse, type ReuseDirection, type ReuseEdgeView, packageUsage } from "../../store/reuse.ts";

export interface PublicReuse {
  /** 0 to 100: the sum of the criteria's points. */
  score: number;
  criteria: ReuseCriterion[];
  /** When the reuse graph these figures come from was built. */
  built_at: string;
  reused_by: {
    /** public_bodies + owners + declared_users: the "reused by" figure (reused_by_count). */
    count: number;
    /** Other public bodies (pso_id) that fork it, depend on it or declare being based on it. */
    public_bodies: string[];
    /** Owners without a known public body that do ("<host>/<login>"). */
    owners: string[];
    /** publiccode.yml usedBy, as written (cleaned). */
    declared_users: string[];
    /** Catalogue repositories (any owner) that fork it, depend on a package it publishes, declare being based on it. */
    forks: number;
    dependents: number;
    based_on_by: number;
  };
  builds_on: {
    /** Its fork parent in the catalogue, or null. */
    fork_of: string | null;
    /** Its fork parent outside the catalogue ("<host>/<full name>"), or null. */
    upstream: string | null;
    /** Catalogue repositories its publiccode.yml isBasedOn names; the other URLs as written. */
    based_on: string[];
    based_on_external: string[];
    /** Catalogue repositories whose packages it needs (listed by /dependencies). */
    depends_on: number;
    /** Its dependencies on packages no catalogue repository publishes. */
    external_dependencies: number;
    /** publiccode.yml dependsOn names. */
    declared_dependencies: string[];
  };
}

function reusersOf(reuse: RepositoryReuse): { public_bodies: string[]; owners: string[] } {
  const public_bodies: string[] = [];
  const owners: string[] = [];
  for (const reuser of reuse.reusers) {
    if (reuser.startsWith("body:")) public_bodies.push(reuser.slice("body:".length));
    else if (reuser.startsWith("owner:")) owners.push(reuser.slice("owner:".length));
  }
  return { public_bodies, owners };
}

/** The reuse of a repository (public id) in the last graph; null before a graph included it. */
export function toPublicReuse(db: Db, id: string): PublicReuse | null {
  const view = findRepositoryReuse(db, id);
  if (!view) return null;
  const { reuse } = view;
  return {
    score: view.score.score,
    criteria: view.score.criteria.map((criterion) => ({ name: criterion.name, value: criterion.value, weight: criterion.weight, points: criterion.points })),
    built_at: view.builtAt,
    reused_by: {
      count: view.reusedByCount,
      ...reusersOf(reuse),
      declared_users: reuse.declaredUsers,
      forks: reuse.forks.length,
      dependents: reuse.dependents.length,
      based_on_by: reuse.basedOnBy.length,
    },
    builds_on: {
      fork_of: reuse.forkOf,
      upstream: reuse.upstream,
      based_on: reuse.basedOn,
      based_on_external: reuse.basedOnExternal,
      depends_on: reuse.dependsOn.length,
      external_dependencies: reuse.externalDependencies,
      declared_dependencies: reuse.declaredDependencies,
    },
  };
}

export interface PublicReuseEdge {
  /** The other repository: the dependent or the fork (dependents, forks), the one depended on (dependencies). */
  id: string;
  kind: ReuseEdgeView["kind"];
  package: PackageRef | null;
  scope: DependencyScope | null;
  /** Reuse by another public body (false within one owner or one body). */
  across_bodies: boolean;
}

export interface PublicReuseEdgePage {
  total: number;
  page: number;
  per_page: number;
  items: PublicReuseEdge[];
}

export function toPublicReuseEdges(direction: ReuseDirection, list: { total: number; items: ReuseEdgeView[] }, page: number, perPage: number): PublicReuseEdgePage {
  return {
    total: list.total,
    page,
    per_page: perPage,
    items: list.items.map((edge) => ({ id: direction === "dependencies" ? edge.to : edge.from, kind: edge.kind, package: edge.package, scope: edge.scope, across_bodies: edge.acrossBodies })),
  };
}

export interface PublicPackageUsage {
  ecosystem: Ecosystem;
  /** The name as the registry compares it (normalised: PyPI lower case with "-", Composer lower case...). */
  name: string;
  /** Catalogue repositories (not forks) declaring it in a manifest; several: ambiguous. */
  publishers: string[];
  /** Several repositories declare publishing it: none is taken as its source, and its dependents get no edge. */
  ambiguous: boolean;
  dependents: { total: number; page: number; per_page: number; items: Array<{ id: string; scope: DependencyScope }> };
}

export function toPublicPackageUsage(db: Db, ref: PackageRef, page: number, perPage: number): PublicPackageUsage {
  const usage = packageUsage(db, ref, { limit: perPage, offset: (page - 1) * perPage });
  return { ecosystem: ref.ecosystem, name: ref.name, publishers: usage.publishers, ambiguous: usage.ambiguous, dependents: { total: usage.dependents.total, page, per_page: perPage, items: usage.dependents.items } };
}
