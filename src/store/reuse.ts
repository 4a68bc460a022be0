// The reuse graph in the store (issue 10): written whole by rebuildReuse
// (src/reuse/rebuild.ts) after each harvest, read by the pages, the API and
// search. Only this layer touches the reuse_* tables and repository_reuse.
//
// The write replaces the previous graph in one transaction: with WAL, a
// reader sees the old graph or the new one, never half of one.
import type { ReuseEdge, ReuseEdgeKind, ReuseGraph, RepositoryReuse, ExternalPackage, ExternalUpstream } from "../reuse/graph.ts";
import type { PubliccodeState, ReuseCriterion, ReuseScore } from "../reuse/score.ts";
import { ecosystems, type DependencyScope, type Ecosystem, type PackageRef } from "../reuse/types.ts";
import { prepared, type Db } from "./database.ts";

// ---- Write side ---------------------------------------------------------------

/** What the score reads of a live repository (repositories row and its profile). */
export interface ReuseScoreFacts {
  pk: number;
  stars: number;
  /** pushed_at, else updated_at. */
  activityAt: string | null;
  license: string | null;
  /** null: no profile fetched yet. */
  hasReadme: boolean | null;
  publiccode: PubliccodeState | null;
  hasContributing: boolean | null;
}

/** The score facts of every live repository, by public id ("host/owner/name"). */
export function listReuseScoreFacts(db: Db): Map<string, ReuseScoreFacts> {
  const rows = db.$client
    .prepare(
      `SELECT r.pk, r.host, r.full_name AS fullName, r.stars, coalesce(r.pushed_at, r.updated_at) AS activityAt, r.license,
              p.fetched_at IS NOT NULL AS profiled, p.readme_name IS NOT NULL AS hasReadme, p.publiccode_valid AS publiccodeValid,
              p.publiccode_name IS NOT NULL AS hasPubliccode, json_extract(p.files, '$.contributing') IS NOT NULL AS hasContributing
         FROM repositories r LEFT JOIN repository_profiles p ON p.repository_pk = r.pk
        WHERE r.removed_at IS NULL`,
    )
    .all() as {
    pk: number;
    host: string;
    fullName: string;
    stars: number;
    activityAt: string | null;
    license: string | null;
    profiled: number | null;
    hasReadme: number;
    publiccodeValid: number | null;
    hasPubliccode: number;
    hasContributing: number;
  }[];
  const facts = new Map<string, ReuseScoreFacts>();
  for (const row of rows) {
    const profiled = row.profiled === 1;
    facts.set(`${row.host}/${row.fullName}`, {
      pk: row.pk,
      stars: row.stars,
      activityAt: row.activityAt,
      license: row.license,
      hasReadme: profiled ? row.hasReadme === 1 : null,
      publiccode: !profiled ? null : row.hasPubliccode !== 1 ? "absent" : row.publiccodeValid === 1 ? "valid" : "invalid",
      hasContributing: profiled ? row.hasContributing === 1 : null,
    });
  }
  return facts;
}

/** One repository of the graph as written. */
export interface ReuseRow {
  id: string;
  repositoryPk: number | null;
  ownerKey: string;
  publicBodyId: string | null;
  reuserKey: string;
  reuse: RepositoryReuse;
  score: ReuseScore;
}

/** One dependency as read in the manifests, after de-duplication. */
export interface PackageUse {
  repositoryId: string;
  ecosystem: Ecosystem;
  name: string;
  scope: DependencyScope;
}

export interface ReuseWrite {
  builtAt: string;
  graph: ReuseGraph;
  rows: Iterable<ReuseRow>;
  packageUses: Iterable<PackageUse>;
  /** Milliseconds since the rebuild began, asked just before the build row is written. */
  elapsedMs: () => number;
}

/** How many rebuilds are remembered in reuse_builds. */
const keptBuilds = 1_000;

function edgeHistory(edges: readonly ReuseEdge[], rows: readonly { reusers: number }[]): Map<Ecosystem | "all", { across: number; reused: Set<string> | number }> {
  const out = new Map<Ecosystem | "all", { across: number; reused: Set<string> | number }>();
  for (const ecosystem of ecosystems) out.set(ecosystem, { across: 0, reused: new Set() });
  let across = 0;
  for (const edge of edges) {
    if (!edge.acrossBodies) continue;
    across += 1;
    if (edge.package) {
      const figures = out.get(edge.package.ecosystem)!;
      figures.across += 1;
      (figures.reused as Set<string>).add(edge.to);
    }
  }
  out.set("all", { across, reused: rows.filter((row) => row.reusers > 0).length });
  return out;
}

/** Replaces the stored graph with this one, in one transaction; returns the duration written. */
export function replaceReuseGraph(db: Db, write: ReuseWrite): { repositories: number; edges: number; durationMs: number } {
  const client = db.$client;
  const { graph, builtAt } = write;
  let repositories = 0;
  let durationMs = 0;
  const summary: { reusers: number }[] = [];
  client.transaction(() => {
    for (const table of ["repository_reuse", "reuse_edges", "reuse_packages", "reuse_package_uses", "reuse_external_packages", "reuse_external_upstreams"]) {
      client.prepare(`DELETE FROM ${table}`).run();
    }
    const insertRepository = client.prepare(
      `INSERT INTO repository_reuse (id, repository_pk, owner_key, public_body_id, reuser_key, reuse, reusers, reused_by_count, reuse_score, criteria, built_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of write.rows) {
      insertRepository.run(
        row.id,
        row.repositoryPk,
        row.ownerKey,
        row.publicBodyId,
        row.reuserKey,
        JSON.stringify(row.reuse),
        row.reuse.reusers.length,
        row.reuse.reusedByCount,
        row.score.score,
        JSON.stringify(row.score.criteria),
        builtAt,
      );
      summary.push({ reusers: row.reuse.reusers.length });
      repositories += 1;
    }
    const insertEdge = client.prepare("INSERT INTO reuse_edges (kind, from_id, to_id, ecosystem, package_name, scope, across_bodies) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const edge of graph.edges) {
      insertEdge.run(edge.kind, edge.from, edge.to, edge.package?.ecosystem ?? null, edge.package?.name ?? null, edge.scope, edge.acrossBodies ? 1 : 0);
    }
    const insertPackage = client.prepare("INSERT OR IGNORE INTO reuse_packages (ecosystem, name, publisher_id, ambiguous) VALUES (?, ?, ?, ?)");
    for (const [key, publisher] of graph.publishers) {
      const [ecosystem, name] = key.split("\u0000") as [string, string];
      insertPackage.run(ecosystem, name, publisher, 0);
    }
    for (const ambiguous of graph.ambiguous) {
      for (const publisher of ambiguous.publishers) insertPackage.run(ambiguous.package.ecosystem, ambiguous.package.name, publisher, 1);
    }
    const insertUse = client.prepare("INSERT INTO reuse_package_uses (ecosystem, name, repository_id, scope) VALUES (?, ?, ?, ?)");
    for (const use of write.packageUses) insertUse.run(use.ecosystem, use.name, use.repositoryId, use.scope);
    const insertExternal = client.prepare("INSERT INTO reuse_external_packages (rank, ecosystem, name, dependents, reusers) VALUES (?, ?, ?, ?, ?)");
    graph.externalPackages.forEach((item, rank) => insertExternal.run(rank + 1, item.ecosystem, item.name, item.dependents, item.reusers));
    const insertUpstream = client.prepare("INSERT INTO reuse_external_upstreams (rank, upstream, forks, reusers) VALUES (?, ?, ?, ?)");
    graph.externalUpstreams.forEach((item, rank) => insertUpstream.run(rank + 1, item.upstream, item.forks, item.reusers));

    // History: the last rebuild of a day stands for that day.
    const history = edgeHistory(graph.edges, summary);
    const insertHistory = client.prepare(
      `INSERT OR REPLACE INTO reuse_history (day, ecosystem, built_at, dependencies, internal, edges_across_bodies, reused_repositories)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const day = builtAt.slice(0, 10);
    let dependencies = 0;
    let internal = 0;
    for (const ecosystem of ecosystems) {
      const figures = graph.byEcosystem[ecosystem];
      const edges = history.get(ecosystem)!;
      dependencies += figures.dependencies;
      internal += figures.internal;
      insertHistory.run(day, ecosystem, builtAt, figures.dependencies, figures.internal, edges.across, (edges.reused as Set<string>).size);
    }
    const all = history.get("all")!;
    insertHistory.run(day, "all", builtAt, dependencies, internal, all.across, all.reused as number);

    durationMs = Math.round(write.elapsedMs());
    client.prepare("INSERT INTO reuse_builds (built_at, repositories, edges, duration_ms) VALUES (?, ?, ?, ?)").run(builtAt, repositories, graph.edges.length, durationMs);
    client.prepare("DELETE FROM reuse_builds WHERE id <= (SELECT max(id) FROM reuse_builds) - ?").run(keptBuilds);
  })();
  return { repositories, edges: graph.edges.length, durationMs };
}

// ---- Read side (contract R2: the pages and the API use exactly these) ----------

export interface RepositoryReuseView {
  reuse: RepositoryReuse;
  score: ReuseScore;
  reusedByCount: number;
  builtAt: string;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The reuse facts and score of a repository (public id) in the last build; null when it was not in it. */
export function findRepositoryReuse(db: Db, id: string): RepositoryReuseView | null {
  const row = prepared(db, "SELECT reuse, reused_by_count AS reusedByCount, reuse_score AS score, criteria, built_at AS builtAt FROM repository_reuse WHERE id = ?").get(id) as
    | { reuse: string; reusedByCount: number; score: number; criteria: string; builtAt: string }
    | undefined;
  if (!row) return null;
  return {
    reuse: parseJson<RepositoryReuse>(row.reuse, emptyReuse()),
    score: { score: row.score, criteria: parseJson<ReuseCriterion[]>(row.criteria, []) },
    reusedByCount: row.reusedByCount,
    builtAt: row.builtAt,
  };
}

function emptyReuse(): RepositoryReuse {
  return { forks: [], dependents: [], basedOnBy: [], reusers: [], declaredUsers: [], reusedByCount: 0, forkOf: null, upstream: null, basedOn: [], basedOnExternal: [], dependsOn: [], externalDependencies: 0, declaredDependencies: [] };
}

/** Whether a graph was ever built (the server builds one on start when not). */
export function hasReuseGraph(db: Db): boolean {
  return prepared(db, "SELECT 1 FROM reuse_builds LIMIT 1").get() !== undefined;
}

/** The last rebuild, or null. */
export function lastReuseBuild(db: Db): { builtAt: string; repositories: number; edges: number; durationMs: number } | null {
  return (
    (prepared(db, "SELECT built_at AS builtAt, repositories, edges, duration_ms AS durationMs FROM reuse_builds ORDER BY id DESC LIMIT 1").get() as
      | { builtAt: string; repositories: number; edges: number; durationMs: number }
      | undefined) ?? null
  );
}

/**
 * dependents: edges to the repository of kind dependency or based_on (who builds on it);
 * dependencies: edges from it of those kinds (what it builds on);
 * forks: fork edges to it. Its own fork parent is RepositoryReuse.forkOf.
 */
export type ReuseDirection = "dependents" | "dependencies" | "forks";
export const reuseDirections: readonly ReuseDirection[] = ["dependents", "dependencies", "forks"];

export interface ReuseEdgeView {
  kind: ReuseEdgeKind;
  from: string;
  to: string;
  package: PackageRef | null;
  scope: DependencyScope | null;
  acrossBodies: boolean;
}

const directionSql: Record<ReuseDirection, { where: string; order: string }> = {
  dependents: { where: "to_id = ? AND kind IN ('dependency', 'based_on')", order: "from_id" },
  dependencies: { where: "from_id = ? AND kind IN ('dependency', 'based_on')", order: "to_id" },
  forks: { where: "to_id = ? AND kind = 'fork'", order: "from_id" },
};

interface RawEdge {
  kind: ReuseEdgeKind;
  from: string;
  to: string;
  ecosystem: Ecosystem | null;
  name: string | null;
  scope: DependencyScope | null;
  acrossBodies: number;
}

/** One page of a repository's edges in a direction: reuse by other bodies first, then by id. */
export function listReuseEdges(db: Db, id: string, direction: ReuseDirection, page: { limit: number; offset: number }): { total: number; items: ReuseEdgeView[] } {
  const { where, order } = directionSql[direction];
  const total = (prepared(db, `SELECT count(*) AS n FROM reuse_edges WHERE ${where}`).get(id) as { n: number }).n;
  const raws = prepared(
    db,
    `SELECT kind, from_id AS "from", to_id AS "to", ecosystem, package_name AS name, scope, across_bodies AS acrossBodies
       FROM reuse_edges WHERE ${where} ORDER BY across_bodies DESC, ${order}, id LIMIT ? OFFSET ?`,
  ).all(id, page.limit, page.offset) as RawEdge[];
  return {
    total,
    items: raws.map((raw) => ({
      kind: raw.kind,
      from: raw.from,
      to: raw.to,
      package: raw.ecosystem !== null && raw.name !== null ? { ecosystem: raw.ecosystem, name: raw.name } : null,
      scope: raw.scope,
      acrossBodies: raw.acrossBodies === 1,
    })),
  };
}

export interface ReuseSummary {
  /** Repositories of the owner / body. */
  repositories: number;
  /** Of which reused by at least one other body. */
  reusedRepositories: number;
  /** Distinct other bodies (or owners) reusing them. */
  reusers: number;
  /** Top 20, most reused first. */
  reusedByOthers: Array<{ id: string; reusedByCount: number }>;
  /** Top 20 other bodies' repositories it reuses; count = how many of its repositories do. */
  reusesFrom: Array<{ id: string; kind: ReuseEdgeKind; count: number }>;
}

const summaryLimit = 20;

function reuseSummary(db: Db, column: "owner_key" | "public_body_id", value: string): ReuseSummary {
  const figures = prepared(db, `SELECT count(*) AS repositories, count(*) FILTER (WHERE reusers > 0) AS reused FROM repository_reuse WHERE ${column} = ?`).get(value) as {
    repositories: number;
    reused: number;
  };
  const reusers = prepared(
    db,
    `SELECT count(DISTINCT f.reuser_key) AS n
       FROM repository_reuse t JOIN reuse_edges e ON e.to_id = t.id AND e.across_bodies = 1 JOIN repository_reuse f ON f.id = e.from_id
      WHERE t.${column} = ?`,
  ).get(value) as { n: number };
  const reusedByOthers = prepared(
    db,
    `SELECT id, reused_by_count AS reusedByCount FROM repository_reuse WHERE ${column} = ? AND reused_by_count > 0
      ORDER BY reused_by_count DESC, reuse_score DESC, id LIMIT ${summaryLimit}`,
  ).all(value) as Array<{ id: string; reusedByCount: number }>;
  const reusesFrom = prepared(
    db,
    `SELECT e.to_id AS id, e.kind, count(DISTINCT e.from_id) AS count
       FROM repository_reuse f JOIN reuse_edges e ON e.from_id = f.id AND e.across_bodies = 1
      WHERE f.${column} = ?
      GROUP BY e.to_id, e.kind ORDER BY count DESC, e.to_id, e.kind LIMIT ${summaryLimit}`,
  ).all(value) as Array<{ id: string; kind: ReuseEdgeKind; count: number }>;
  return { repositories: figures.repositories, reusedRepositories: figures.reused, reusers: reusers.n, reusedByOthers, reusesFrom };
}

/** How much of an owner's code others reuse, and what it reuses from others. */
export function ownerReuseSummary(db: Db, owner: { host: string; login: string }): ReuseSummary {
  return reuseSummary(db, "owner_key", `${owner.host}/${owner.login}`.toLowerCase());
}

/** The same for every repository of a public body (its pso_id). */
export function publicBodyReuseSummary(db: Db, psoId: string): ReuseSummary {
  return reuseSummary(db, "public_body_id", psoId);
}

/** The packages outside the catalogue most depended on (most reusers first), of one ecosystem or all. */
export function listExternalPackages(db: Db, options: { ecosystem?: Ecosystem; limit: number }): ExternalPackage[] {
  const where = options.ecosystem !== undefined ? "WHERE ecosystem = ?" : "";
  const args: unknown[] = options.ecosystem !== undefined ? [options.ecosystem, options.limit] : [options.limit];
  return prepared(db, `SELECT ecosystem, name, dependents, reusers FROM reuse_external_packages ${where} ORDER BY rank LIMIT ?`).all(...args) as ExternalPackage[];
}

/** The fork parents outside the catalogue most forked (most reusers first). */
export function listExternalUpstreams(db: Db, limit: number): ExternalUpstream[] {
  return prepared(db, "SELECT upstream, forks, reusers FROM reuse_external_upstreams ORDER BY rank LIMIT ?").all(limit) as ExternalUpstream[];
}

/** Repositories reused by at least `minReusers` other bodies, most reused first. */
export function listSharedProjects(db: Db, options: { minReusers: number; limit: number; offset: number }): { total: number; items: Array<{ id: string; reusers: number; score: number }> } {
  const total = (prepared(db, "SELECT count(*) AS n FROM repository_reuse WHERE reusers >= ?").get(options.minReusers) as { n: number }).n;
  const items = prepared(
    db,
    "SELECT id, reusers, reuse_score AS score FROM repository_reuse WHERE reusers >= ? ORDER BY reusers DESC, reuse_score DESC, id LIMIT ? OFFSET ?",
  ).all(options.minReusers, options.limit, options.offset) as Array<{ id: string; reusers: number; score: number }>;
  return { total, items };
}

export interface ReuseHistoryPoint {
  builtAt: string;
  ecosystem: Ecosystem | "all";
  dependencies: number;
  internal: number;
  edgesAcrossBodies: number;
  reusedRepositories: number;
}

/** One point per day (its last rebuild) and ecosystem, oldest first; "all" after the ecosystems of a day. */
export function reuseHistory(db: Db): ReuseHistoryPoint[] {
  const rows = prepared(
    db,
    `SELECT built_at AS builtAt, ecosystem, dependencies, internal, edges_across_bodies AS edgesAcrossBodies, reused_repositories AS reusedRepositories
       FROM reuse_history ORDER BY day`,
  ).all() as ReuseHistoryPoint[];
  const order = (ecosystem: string): number => (ecosystem === "all" ? ecosystems.length : ecosystems.indexOf(ecosystem as Ecosystem));
  return rows.sort((a, b) => (a.builtAt < b.builtAt ? -1 : a.builtAt > b.builtAt ? 1 : order(a.ecosystem) - order(b.ecosystem)));
}

/** Who publishes a package (several: ambiguous) and which repositories depend on it (a page, by id). `ref.name` must be normalised (names.ts). */
export function packageUsage(
  db: Db,
  ref: PackageRef,
  page: { limit: number; offset: number },
): { publishers: string[]; ambiguous: boolean; dependents: { total: number; items: Array<{ id: string; scope: DependencyScope }> } } {
  const publishers = prepared(db, "SELECT publisher_id AS id, ambiguous FROM reuse_packages WHERE ecosystem = ? AND name = ? ORDER BY publisher_id").all(ref.ecosystem, ref.name) as {
    id: string;
    ambiguous: number;
  }[];
  const total = (prepared(db, "SELECT count(*) AS n FROM reuse_package_uses WHERE ecosystem = ? AND name = ?").get(ref.ecosystem, ref.name) as { n: number }).n;
  const items = prepared(db, "SELECT repository_id AS id, scope FROM reuse_package_uses WHERE ecosystem = ? AND name = ? ORDER BY repository_id LIMIT ? OFFSET ?").all(
    ref.ecosystem,
    ref.name,
    page.limit,
    page.offset,
  ) as Array<{ id: string; scope: DependencyScope }>;
  return { publishers: publishers.map((row) => row.id), ambiguous: publishers.some((row) => row.ambiguous === 1), dependents: { total, items } };
}
