// The reuse graph in the store (issue 10): written by rebuildReuse
// (src/reuse/rebuild.ts) after each harvest, read by the pages, the API and
// search. Only this layer touches the reuse_* tables and repository_reuse.
//
// The write turns the previous graph into the new one in one transaction:
// with WAL, a reader sees the old graph or the new one, never half of one.
// It writes only the rows that changed (diffed before the write lock is
// taken), so a rebuild after a small harvest holds the lock briefly. Edges
// are listed in an order that does not depend on their row ids, so an
// incremental rebuild reads exactly as a rebuild from an empty graph.
import type { ReuseEdge, ReuseEdgeKind, ReuseGraph, RepositoryReuse, ExternalPackage, ExternalUpstream } from "../reuse/graph.ts";
import type { ReuseCriterion, ReuseScore, ReuseScoreInput } from "../reuse/score.ts";
import { ecosystems, type DependencyScope, type Ecosystem, type PackageRef } from "../reuse/types.ts";
import { performance } from "node:perf_hooks";
import type { Statement } from "better-sqlite3";
import { prepared, type Db } from "./database.ts";

// ---- Write side ---------------------------------------------------------------

/** What the score reads of a live repository (repositories row and its profile). */
export interface ReuseScoreFacts extends Omit<ReuseScoreInput, "reusers" | "declaredUsers"> {
  pk: number;
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

/** How the write went: rows of the graph tables deleted, inserted, updated; how long the write transaction lasted. */
export interface ReuseWriteResult {
  repositories: number;
  edges: number;
  durationMs: number;
  /** Milliseconds the write transaction (SQLite's write lock) lasted. */
  writeMs: number;
  /** Graph rows touched (repository_reuse, reuse_edges, reuse_packages, reuse_package_uses); the small external tables, replaced whole, are not counted. */
  changes: { deleted: number; inserted: number; updated: number };
}

const sep = "\u0000";

/** A repository_reuse row as stored, every column but built_at (which only says when the row last changed). */
type RepositoryTuple = [id: string, pk: number | null, ownerKey: string, publicBodyId: string | null, reuserKey: string, reuse: string, reusers: number, reusedByCount: number, score: number, criteria: string];

/** The graph as stored, keyed as the diff compares it; read in one snapshot. */
interface StoredGraph {
  lastBuildId: number | null;
  repositories: Map<string, RepositoryTuple>;
  /** edge key -> ids of the rows with that key (a key may repeat). */
  edges: Map<string, number[]>;
  /** (ecosystem, name, publisher) -> the row. */
  packages: Map<string, [ecosystem: string, name: string, publisher: string, ambiguous: number]>;
  /** repository -> its uses as JSON [[ecosystem, name, scope], ...], by ecosystem then name (SQLite's json_group_array). */
  uses: Map<string, string>;
}

function lastBuildId(client: Db["$client"]): number | null {
  return (client.prepare("SELECT max(id) AS id FROM reuse_builds").get() as { id: number | null }).id;
}

function edgeKey(kind: string, from: string, to: string, ecosystem: string | null, name: string | null, scope: string | null, across: number): string {
  return `${kind}${sep}${from}${sep}${to}${sep}${ecosystem ?? ""}${sep}${name ?? ""}${sep}${scope ?? ""}${sep}${across}`;
}

function readStoredGraph(client: Db["$client"]): StoredGraph {
  const stored: StoredGraph = { lastBuildId: lastBuildId(client), repositories: new Map(), edges: new Map(), packages: new Map(), uses: new Map() };
  const repositories = client
    .prepare("SELECT id, repository_pk, owner_key, public_body_id, reuser_key, reuse, reusers, reused_by_count, reuse_score, criteria FROM repository_reuse")
    .raw()
    .iterate() as IterableIterator<RepositoryTuple>;
  for (const row of repositories) stored.repositories.set(row[0], row);
  const edges = client.prepare("SELECT id, kind, from_id, to_id, ecosystem, package_name, scope, across_bodies FROM reuse_edges").raw().iterate() as IterableIterator<
    [number, string, string, string, string | null, string | null, string | null, number]
  >;
  for (const [id, ...rest] of edges) {
    const key = edgeKey(...rest);
    const ids = stored.edges.get(key);
    if (ids) ids.push(id);
    else stored.edges.set(key, [id]);
  }
  for (const row of client.prepare("SELECT ecosystem, name, publisher_id, ambiguous FROM reuse_packages").raw().iterate() as IterableIterator<[string, string, string, number]>) {
    stored.packages.set(`${row[0]}${sep}${row[1]}${sep}${row[2]}`, row);
  }
  // Grouped by repository in SQLite: 50,000 strings to compare rather than 500,000 keys to build.
  const uses = client
    .prepare("SELECT repository_id, json_group_array(json_array(ecosystem, name, scope) ORDER BY ecosystem, name) FROM reuse_package_uses GROUP BY repository_id")
    .raw()
    .iterate() as IterableIterator<[string, string]>;
  for (const [repository, json] of uses) stored.uses.set(repository, json);
  return stored;
}

/** The new graph as rows, every JSON string made before any lock is taken. */
interface PreparedGraph {
  repositories: RepositoryTuple[];
  edges: Array<[kind: string, from: string, to: string, ecosystem: string | null, name: string | null, scope: string | null, across: number]>;
  /** (ecosystem, name, publisher) -> ambiguous; the first of two rows with one key wins (as INSERT OR IGNORE did). */
  packages: Map<string, [ecosystem: string, name: string, publisher: string, ambiguous: number]>;
  /** repository -> its uses, by ecosystem then name, one per package. */
  uses: Map<string, UseTuple[]>;
}

type UseTuple = [ecosystem: string, name: string, scope: string];

function compareUses(a: UseTuple, b: UseTuple): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function prepareGraph(write: ReuseWrite, summary: { reusers: number }[]): PreparedGraph {
  const repositories: RepositoryTuple[] = [];
  for (const row of write.rows) {
    repositories.push([
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
    ]);
    summary.push({ reusers: row.reuse.reusers.length });
  }
  const edges = write.graph.edges.map((edge): PreparedGraph["edges"][number] => [
    edge.kind,
    edge.from,
    edge.to,
    edge.package?.ecosystem ?? null,
    edge.package?.name ?? null,
    edge.scope,
    edge.acrossBodies ? 1 : 0,
  ]);
  const packages: PreparedGraph["packages"] = new Map();
  for (const [key, publisher] of write.graph.publishers) {
    const [ecosystem, name] = key.split(sep) as [string, string];
    const rowKey = `${ecosystem}${sep}${name}${sep}${publisher}`;
    if (!packages.has(rowKey)) packages.set(rowKey, [ecosystem, name, publisher, 0]);
  }
  for (const ambiguous of write.graph.ambiguous) {
    for (const publisher of ambiguous.publishers) {
      const rowKey = `${ambiguous.package.ecosystem}${sep}${ambiguous.package.name}${sep}${publisher}`;
      if (!packages.has(rowKey)) packages.set(rowKey, [ambiguous.package.ecosystem, ambiguous.package.name, publisher, 1]);
    }
  }
  const uses: PreparedGraph["uses"] = new Map();
  for (const use of write.packageUses) {
    const list = uses.get(use.repositoryId);
    if (list) list.push([use.ecosystem, use.name, use.scope]);
    else uses.set(use.repositoryId, [[use.ecosystem, use.name, use.scope]]);
  }
  for (const [repository, list] of uses) {
    // The order SQLite's json_group_array gives (a name outside the BMP may sort otherwise:
    // the repository then merely goes through the row-by-row diff); the first of a package kept.
    list.sort(compareUses);
    uses.set(
      repository,
      list.filter((use, i) => i === 0 || compareUses(list[i - 1]!, use) !== 0),
    );
  }
  return { repositories, edges, packages, uses };
}

/** What the transaction must do to turn `stored` into `next`. */
interface GraphDiff {
  repositories: { delete: string[]; upsert: RepositoryTuple[] };
  edges: { delete: number[]; insert: PreparedGraph["edges"] };
  packages: { delete: Array<[string, string, string]>; insert: Array<[string, string, string, number]>; update: Array<[string, string, string, number]> };
  /** [ecosystem, name, repository] and [ecosystem, name, repository, scope]. */
  uses: { delete: Array<[string, string, string]>; insert: Array<[string, string, string, string]>; update: Array<[string, string, string, string]> };
}

function diffGraph(stored: StoredGraph, next: PreparedGraph): GraphDiff {
  const diff: GraphDiff = {
    repositories: { delete: [], upsert: [] },
    edges: { delete: [], insert: [] },
    packages: { delete: [], insert: [], update: [] },
    uses: { delete: [], insert: [], update: [] },
  };
  const ids = new Set<string>();
  for (const tuple of next.repositories) {
    ids.add(tuple[0]);
    const was = stored.repositories.get(tuple[0]);
    if (!was || was.some((value, i) => value !== tuple[i])) diff.repositories.upsert.push(tuple);
  }
  for (const id of stored.repositories.keys()) if (!ids.has(id)) diff.repositories.delete.push(id);

  // Edges as a multiset: each new edge consumes one stored row of its key. Consumes
  // stored.edges (the transaction, when it diffs again, reads the graph again).
  const remaining = stored.edges;
  for (const edge of next.edges) {
    const rowIds = remaining.get(edgeKey(...edge));
    if (rowIds && rowIds.length > 0) rowIds.pop();
    else diff.edges.insert.push(edge);
  }
  for (const rowIds of remaining.values()) diff.edges.delete.push(...rowIds);

  for (const [key, row] of next.packages) {
    const was = stored.packages.get(key);
    if (was === undefined) diff.packages.insert.push(row);
    else if (was[3] !== row[3]) diff.packages.update.push(row);
  }
  for (const [key, row] of stored.packages) if (!next.packages.has(key)) diff.packages.delete.push([row[0], row[1], row[2]]);

  // Package uses by repository: one string comparison each; row by row only for a repository whose uses differ.
  for (const [repository, list] of next.uses) {
    const was = stored.uses.get(repository);
    if (was === JSON.stringify(list)) continue;
    const scopes = new Map<string, string>();
    for (const [ecosystem, name, scope] of was === undefined ? [] : (JSON.parse(was) as UseTuple[])) scopes.set(`${ecosystem}${sep}${name}`, scope);
    for (const [ecosystem, name, scope] of list) {
      const key = `${ecosystem}${sep}${name}`;
      const wasScope = scopes.get(key);
      if (wasScope === undefined) diff.uses.insert.push([ecosystem, name, repository, scope]);
      else if (wasScope !== scope) diff.uses.update.push([ecosystem, name, repository, scope]);
      scopes.delete(key);
    }
    for (const key of scopes.keys()) {
      // An ecosystem has no NUL; a hostile name might.
      const at = key.indexOf(sep);
      diff.uses.delete.push([key.slice(0, at), key.slice(at + 1), repository]);
    }
  }
  for (const [repository, was] of stored.uses) {
    if (next.uses.has(repository)) continue;
    for (const [ecosystem, name] of JSON.parse(was) as UseTuple[]) diff.uses.delete.push([ecosystem, name, repository]);
  }
  return diff;
}

/**
 * Writes this graph over the stored one in one transaction (readers see the
 * old graph or the new, never half), touching only the rows that changed:
 * the new graph is turned into rows and diffed against the stored graph
 * before the write lock is taken (a WAL read takes no lock), so the
 * transaction holds SQLite's write lock only for the changes, the small
 * external tables, the history and the build row. If another rebuild wrote
 * in between (the build id moved), the diff is made again inside the
 * transaction.
 */
export function replaceReuseGraph(db: Db, write: ReuseWrite): ReuseWriteResult {
  const client = db.$client;
  const { graph, builtAt } = write;
  const summary: { reusers: number }[] = [];
  const next = prepareGraph(write, summary);
  // One read snapshot: a deferred transaction that only reads takes no write lock.
  let stored = client.transaction(() => readStoredGraph(client)).deferred();
  let diff = diffGraph(stored, next);
  let durationMs = 0;
  let writeMs = 0;
  const changes = { deleted: 0, inserted: 0, updated: 0 };
  const writeStarted = performance.now();
  // IMMEDIATE: the write lock from the start (waiting busy_timeout for it), so the
  // first read below cannot leave a snapshot another writer's commit would make stale.
  client.transaction(() => {
    if (lastBuildId(client) !== stored.lastBuildId) {
      stored = readStoredGraph(client);
      diff = diffGraph(stored, next);
    }
    const run = (statement: Statement, args: unknown[], count: "deleted" | "inserted" | "updated"): void => {
      changes[count] += statement.run(...args).changes;
    };
    const deleteRepository = client.prepare("DELETE FROM repository_reuse WHERE id = ?");
    for (const id of diff.repositories.delete) run(deleteRepository, [id], "deleted");
    const upsertRepository = client.prepare(
      `INSERT INTO repository_reuse (id, repository_pk, owner_key, public_body_id, reuser_key, reuse, reusers, reused_by_count, reuse_score, criteria, built_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET repository_pk = excluded.repository_pk, owner_key = excluded.owner_key, public_body_id = excluded.public_body_id,
         reuser_key = excluded.reuser_key, reuse = excluded.reuse, reusers = excluded.reusers, reused_by_count = excluded.reused_by_count,
         reuse_score = excluded.reuse_score, criteria = excluded.criteria, built_at = excluded.built_at`,
    );
    for (const tuple of diff.repositories.upsert) run(upsertRepository, [...tuple, builtAt], stored.repositories.has(tuple[0]) ? "updated" : "inserted");

    const deleteEdge = client.prepare("DELETE FROM reuse_edges WHERE id = ?");
    for (const id of diff.edges.delete) run(deleteEdge, [id], "deleted");
    const insertEdge = client.prepare("INSERT INTO reuse_edges (kind, from_id, to_id, ecosystem, package_name, scope, across_bodies) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const edge of diff.edges.insert) run(insertEdge, edge, "inserted");

    const deletePackage = client.prepare("DELETE FROM reuse_packages WHERE ecosystem = ? AND name = ? AND publisher_id = ?");
    for (const key of diff.packages.delete) run(deletePackage, key, "deleted");
    const insertPackage = client.prepare("INSERT INTO reuse_packages (ecosystem, name, publisher_id, ambiguous) VALUES (?, ?, ?, ?)");
    for (const row of diff.packages.insert) run(insertPackage, row, "inserted");
    const updatePackage = client.prepare("UPDATE reuse_packages SET ambiguous = ? WHERE ecosystem = ? AND name = ? AND publisher_id = ?");
    for (const [ecosystem, name, publisher, ambiguous] of diff.packages.update) run(updatePackage, [ambiguous, ecosystem, name, publisher], "updated");

    const deleteUse = client.prepare("DELETE FROM reuse_package_uses WHERE ecosystem = ? AND name = ? AND repository_id = ?");
    for (const key of diff.uses.delete) run(deleteUse, key, "deleted");
    const insertUse = client.prepare("INSERT INTO reuse_package_uses (ecosystem, name, repository_id, scope) VALUES (?, ?, ?, ?)");
    for (const row of diff.uses.insert) run(insertUse, row, "inserted");
    const updateUse = client.prepare("UPDATE reuse_package_uses SET scope = ? WHERE ecosystem = ? AND name = ? AND repository_id = ?");
    for (const [ecosystem, name, repository, scope] of diff.uses.update) run(updateUse, [scope, ecosystem, name, repository], "updated");

    // Small (a few thousand ranked rows at most): replaced whole.
    client.prepare("DELETE FROM reuse_external_packages").run();
    client.prepare("DELETE FROM reuse_external_upstreams").run();
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
    client.prepare("INSERT INTO reuse_builds (built_at, repositories, edges, duration_ms) VALUES (?, ?, ?, ?)").run(builtAt, next.repositories.length, graph.edges.length, durationMs);
    client.prepare("DELETE FROM reuse_builds WHERE id <= (SELECT max(id) FROM reuse_builds) - ?").run(keptBuilds);
  }).immediate();
  writeMs = Math.round(performance.now() - writeStarted);
  return { repositories: next.repositories.length, edges: graph.edges.length, durationMs, writeMs, changes };
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
  // A row unchanged by later rebuilds keeps its built_at: the build it belongs to is the last one.
  const row = prepared(
    db,
    `SELECT reuse, reused_by_count AS reusedByCount, reuse_score AS score, criteria,
            coalesce((SELECT built_at FROM reuse_builds ORDER BY id DESC LIMIT 1), built_at) AS builtAt
       FROM repository_reuse WHERE id = ?`,
  ).get(id) as
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

/** An edge as stored: the graph's own shape. */
export type ReuseEdgeView = ReuseEdge;

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
       FROM reuse_edges WHERE ${where} ORDER BY across_bodies DESC, ${order}, kind, ecosystem, package_name, scope, id LIMIT ? OFFSET ?`,
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

/**
 * Packages that several catalogue repositories (not forks) declare publishing:
 * no edge is guessed for them, so their publishers should say which is the
 * source. Most depended on first, then by name.
 */
export function listAmbiguousPackages(db: Db, limit: number): Array<PackageRef & { publishers: string[]; dependents: number }> {
  const rows = prepared(
    db,
    `SELECT p.ecosystem, p.name, json_group_array(p.publisher_id) AS publishers,
            (SELECT count(DISTINCT u.repository_id) FROM reuse_package_uses u WHERE u.ecosystem = p.ecosystem AND u.name = p.name) AS dependents
       FROM reuse_packages p WHERE p.ambiguous = 1
      GROUP BY p.ecosystem, p.name
      ORDER BY dependents DESC, p.ecosystem, p.name LIMIT ?`,
  ).all(limit) as Array<{ ecosystem: Ecosystem; name: string; publishers: string; dependents: number }>;
  return rows.map((row) => ({ ecosystem: row.ecosystem, name: row.name, publishers: (JSON.parse(row.publishers) as string[]).sort(), dependents: row.dependents }));
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
