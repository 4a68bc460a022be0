// Rebuilds the stored reuse graph from what the harvest stored: the graph
// (graph.ts) of every repository, the reuse score (score.ts) of each, written
// by the store in one transaction that replaces the previous graph. Called
// after each harvest, before the search index is built (the index reads the
// score), and on start when the store has repositories but no graph yet.
import { performance } from "node:perf_hooks";
import type { Db } from "../store/database.ts";
import { listReuseScoreFacts, replaceReuseGraph, type PackageUse, type ReuseRow } from "../store/reuse.ts";
import { buildReuseGraph, reuseOf, type ReuseRepositoryInput } from "./graph.ts";
import { computeReuseScore } from "./score.ts";
import { dependencyScopes, type DependencyScope } from "./types.ts";

export interface ReuseRebuildResult {
  repositories: number;
  edges: number;
  durationMs: number;
  /** How long the write transaction (SQLite's write lock) lasted. */
  writeMs: number;
  /** Graph rows deleted, inserted, updated: none when nothing changed. */
  changes: { deleted: number; inserted: number; updated: number };
  builtAt: string;
}

const scopeRank = new Map<DependencyScope, number>(dependencyScopes.map((scope, rank) => [scope, rank]));

/** One use per repository and package, its strongest scope (as graph.ts counts them), in manifest order. */
function* packageUses(inputs: readonly ReuseRepositoryInput[]): Generator<PackageUse> {
  for (const repo of inputs) {
    if (repo.dependencies.length === 0) continue;
    const best = new Map<string, { ecosystem: PackageUse["ecosystem"]; name: string; rank: number }>();
    for (const dependency of repo.dependencies) {
      const key = `${dependency.ecosystem}\u0000${dependency.name}`;
      const rank = scopeRank.get(dependency.scope)!;
      const found = best.get(key);
      if (!found) best.set(key, { ecosystem: dependency.ecosystem, name: dependency.name, rank });
      else if (rank < found.rank) found.rank = rank;
    }
    for (const use of best.values()) yield { repositoryId: repo.id, ecosystem: use.ecosystem, name: use.name, scope: dependencyScopes[use.rank]! };
  }
}

/**
 * Builds the graph of `inputs` (one per live repository, loadReuseInputs),
 * scores every repository at `now` and writes over the stored graph the
 * rows that changed (store/reuse.ts replaceReuseGraph). A
 * repository the repositories table does not hold (hand-made inputs) is
 * scored on its reuse alone. Throws on a store failure: the transaction is
 * rolled back and the previous graph stays.
 */
export function rebuildReuse(db: Db, inputs: Iterable<ReuseRepositoryInput>, now: Date): ReuseRebuildResult {
  const started = performance.now();
  const builtAt = now.toISOString();
  const list: ReuseRepositoryInput[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    // The graph keeps the first of two inputs with one id; so do the rows.
    if (seen.has(input.id)) continue;
    seen.add(input.id);
    list.push(input);
  }
  const graph = buildReuseGraph(list);
  const facts = listReuseScoreFacts(db);
  const nowMs = now.getTime();
  function* rows(): Generator<ReuseRow> {
    for (const input of list) {
      const reuse = reuseOf(graph, input.id);
      const fact = facts.get(input.id);
      const score = computeReuseScore(
        {
          reusers: reuse.reusers.length,
          declaredUsers: reuse.declaredUsers.length,
          stars: fact?.stars ?? 0,
          activityAt: fact?.activityAt ?? null,
          license: fact?.license ?? null,
          hasReadme: fact?.hasReadme ?? null,
          publiccode: fact?.publiccode ?? null,
          hasContributing: fact?.hasContributing ?? null,
        },
        nowMs,
      );
      yield {
        id: input.id,
        repositoryPk: fact?.pk ?? null,
        ownerKey: input.ownerId.toLowerCase(),
        publicBodyId: input.publicBodyId,
        reuserKey: input.publicBodyId ? `body:${input.publicBodyId}` : `owner:${input.ownerId}`,
        reuse,
        score,
      };
    }
  }
  const written = replaceReuseGraph(db, { builtAt, graph, rows: rows(), packageUses: packageUses(list), elapsedMs: () => performance.now() - started });
  return { ...written, builtAt };
}
