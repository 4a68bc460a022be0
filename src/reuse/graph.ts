// The reuse graph of the catalogue: who forks, depends on and declares using
// whose code. A pure function of what the harvest stored for each repository
// (its fork parent, the packages its manifests publish and need, its
// publiccode.yml declarations); the store writes the result, the web shows it.
//
// Rules, each for a reason:
// - A fork publishes nothing: its manifest still names its upstream's package,
//   and the applications using that package do not depend on the fork.
// - A package declared by several repositories that are not forks is
//   ambiguous: reported, and no edge guessed (dependents of it get none).
// - Reuse is between public bodies: an edge is reuse (`acrossBodies`) only when
//   the two repositories have different owners and different reusers, a
//   reuser being the owner's public body when known, else the owner. A fork by
//   the same owner, or by another account of the same body, is not reuse.
// - A repository depending on a package it publishes itself is no edge.
// - Forks' dependencies count: the body that forked runs that code too.
// - Declared users (publiccode.yml usedBy) are free-text names: kept as
//   written (cleaned), counted on their own, never matched to bodies by guess.
import { packageKey } from "./names.ts";
import { dependencyScopes, type Dependency, type DependencyScope, type Ecosystem, type PackageRef } from "./types.ts";

/** The fork parent as the forge gave it: its id on the same host, its full name, or both. */
export interface ForkParent {
  host: string;
  forgeId: string | null;
  fullName: string | null;
}

/** What a repository's publiccode.yml declares (issue 9 parses and validates it). */
export interface Declarations {
  /** usedBy: names of the bodies that use the software. */
  usedBy: readonly string[];
  /** isBasedOn: URLs of the repositories it derives from. */
  isBasedOn: readonly string[];
  /** dependsOn (open, proprietary, hybrid): names of software it needs. */
  dependsOn: readonly string[];
}

export interface ReuseRepositoryInput {
  /** The caller's stable id of the repository (the public id "host/owner/name" works). */
  id: string;
  host: string;
  /** The forge's own id, to find fork parents that were renamed; null when unknown. */
  forgeId: string | null;
  /** "owner/name" on its host. */
  fullName: string;
  /** The owner's key ("github.com/etalab"): same owner, no reuse. */
  ownerId: string;
  /** The owner's public body (pso_id), when known. */
  publicBodyId: string | null;
  fork: boolean;
  forkParent: ForkParent | null;
  publishes: readonly PackageRef[];
  dependencies: readonly Dependency[];
  declared: Declarations | null;
}

export type ReuseEdgeKind = "fork" | "dependency" | "based_on";

/** `from` reuses `to`: forks it, depends on a package it publishes, or declares being based on it. */
export interface ReuseEdge {
  kind: ReuseEdgeKind;
  from: string;
  to: string;
  /** The package of a dependency edge; null for the other kinds. */
  package: PackageRef | null;
  scope: DependencyScope | null;
  /** Reuse by another public body (see the rules above); false within one owner or one body. */
  acrossBodies: boolean;
}

export interface RepositoryReuse {
  /** Catalogue repositories that fork it, depend on it, declare being based on it (any owner). */
  forks: string[];
  dependents: string[];
  basedOnBy: string[];
  /** Distinct other reusers (public bodies, or owners without one) over those three. */
  reusers: string[];
  /** publiccode.yml usedBy, cleaned. */
  declaredUsers: string[];
  /** reusers + declared users: the "reused by" figure. */
  reusedByCount: number;
  /** Its fork parent in the catalogue, or outside it ("host/full name"), or null. */
  forkOf: string | null;
  upstream: string | null;
  /** Catalogue repositories it declares being based on; URLs of the others. */
  basedOn: string[];
  basedOnExternal: string[];
  /** Distinct catalogue repositories whose packages it needs. */
  dependsOn: string[];
  /** Its dependencies on packages no catalogue repository publishes. */
  externalDependencies: number;
  /** publiccode.yml dependsOn, cleaned. */
  declaredDependencies: string[];
}

export interface AmbiguousPackage {
  package: PackageRef;
  /** The repositories (not forks) that all declare publishing it, sorted. */
  publishers: string[];
  /** Repositories depending on it, left without an edge. */
  dependents: number;
}

export interface ExternalPackage extends PackageRef {
  /** Catalogue repositories depending on it. */
  dependents: number;
  /** Distinct public bodies (or owners without one) among them. */
  reusers: number;
}

export interface ExternalUpstream {
  /** "host/full name" of the parent, or "host#forge id" when only its id is known. */
  upstream: string;
  forks: number;
  reusers: number;
}

export interface EcosystemFigures {
  /** Dependencies read in manifests (after de-duplication per repository and package). */
  dependencies: number;
  /** Of which on a package a catalogue repository publishes (an edge, or none when that repository is the dependent itself). */
  internal: number;
  /** Packages published by one catalogue repository. */
  published: number;
}

export interface ReuseGraph {
  /** packageKey(package) → the one repository publishing it. */
  publishers: Map<string, string>;
  ambiguous: AmbiguousPackage[];
  edges: ReuseEdge[];
  /** Per repository with any reuse fact; absent means none (see reuseOf). */
  repositories: Map<string, RepositoryReuse>;
  /** Packages outside the catalogue, most reusers first. */
  externalPackages: ExternalPackage[];
  /** Fork parents outside the catalogue, most reusers first. */
  externalUpstreams: ExternalUpstream[];
  byEcosystem: Record<Ecosystem, EcosystemFigures>;
}

/** Bounds on declarations: publiccode.yml is the publisher's free text. */
const maxDeclared = 100;
const maxDeclaredLength = 200;

const scopeRank = new Map<DependencyScope, number>(dependencyScopes.map((scope, rank) => [scope, rank]));

function emptyReuse(): RepositoryReuse {
  return {
    forks: [],
    dependents: [],
    basedOnBy: [],
    reusers: [],
    declaredUsers: [],
    reusedByCount: 0,
    forkOf: null,
    upstream: null,
    basedOn: [],
    basedOnExternal: [],
    dependsOn: [],
    externalDependencies: 0,
    declaredDependencies: [],
  };
}

/** The reuse facts of one repository; all empty when it has none. */
export function reuseOf(graph: ReuseGraph, id: string): RepositoryReuse {
  return graph.repositories.get(id) ?? emptyReuse();
}

/** Free text of a declaration: printable, spaces collapsed, bounded; null when nothing is left. */
export function cleanDeclaredText(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const text = raw
    .slice(0, maxDeclaredLength * 4)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return null;
  return text.length > maxDeclaredLength ? `${text.slice(0, maxDeclaredLength)}…` : text;
}

function cleanDeclaredList(list: readonly unknown[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list ?? []) {
    if (out.length >= maxDeclared) break;
    const text = cleanDeclaredText(raw);
    if (text === null || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push(text);
  }
  return out;
}

/** "host\0owner/name" of an http(s) repository URL (".git" and trailing slashes dropped), lower case; null otherwise. */
export function repositoryUrlKey(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const path = url.pathname.replace(/\/+$/, "").replace(/\.git$/i, "").replace(/^\/+/, "");
  if (!path.includes("/")) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  return `${url.hostname.toLowerCase()}\u0000${decoded.toLowerCase()}`;
}

function nameKey(host: string, fullName: string): string {
  return `${host.toLowerCase()}\u0000${fullName.toLowerCase()}`;
}

/** The reuser a repository counts as: its public body when known, else its owner. */
function reuserOf(repo: ReuseRepositoryInput): string {
  return repo.publicBodyId ? `body:${repo.publicBodyId}` : `owner:${repo.ownerId}`;
}

function isReuse(from: ReuseRepositoryInput, to: ReuseRepositoryInput): boolean {
  return from.ownerId !== to.ownerId && reuserOf(from) !== reuserOf(to);
}

function byReusersThenCount<T extends { reusers: number }>(count: (item: T) => number, name: (item: T) => string) {
  return (a: T, b: T): number => b.reusers - a.reusers || count(b) - count(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

export function buildReuseGraph(input: Iterable<ReuseRepositoryInput>): ReuseGraph {
  const repos: ReuseRepositoryInput[] = [];
  const byId = new Map<string, ReuseRepositoryInput>();
  const byForgeId = new Map<string, ReuseRepositoryInput>();
  const byName = new Map<string, ReuseRepositoryInput>();
  for (const repo of input) {
    if (byId.has(repo.id)) continue;
    repos.push(repo);
    byId.set(repo.id, repo);
    if (repo.forgeId !== null) byForgeId.set(`${repo.host.toLowerCase()}\u0000${repo.forgeId}`, repo);
    byName.set(nameKey(repo.host, repo.fullName), repo);
  }

  const repositories = new Map<string, RepositoryReuse>();
  const entry = (id: string): RepositoryReuse => {
    let found = repositories.get(id);
    if (!found) {
      found = emptyReuse();
      repositories.set(id, found);
    }
    return found;
  };
  const reusers = new Map<string, Set<string>>();
  const edges: ReuseEdge[] = [];
  const addEdge = (kind: ReuseEdgeKind, from: ReuseRepositoryInput, to: ReuseRepositoryInput, pkg: PackageRef | null, scope: DependencyScope | null): void => {
    const acrossBodies = isReuse(from, to);
    edges.push({ kind, from: from.id, to: to.id, package: pkg, scope, acrossBodies });
    if (acrossBodies) {
      let set = reusers.get(to.id);
      if (!set) reusers.set(to.id, (set = new Set()));
      set.add(reuserOf(from));
    }
  };

  // 1. Who publishes what: forks never; two or more publishers make a package ambiguous.
  const candidates = new Map<string, { ref: PackageRef; ids: string[] }>();
  for (const repo of repos) {
    if (repo.fork) continue;
    for (const ref of repo.publishes) {
      const key = packageKey(ref);
      const found = candidates.get(key);
      if (!found) candidates.set(key, { ref, ids: [repo.id] });
      else if (!found.ids.includes(repo.id)) found.ids.push(repo.id);
    }
  }
  const publishers = new Map<string, string>();
  const ambiguousByKey = new Map<string, AmbiguousPackage>();
  const byEcosystem = Object.fromEntries(
    (["npm", "packagist", "pypi", "maven", "go", "rubygems", "cargo"] as const).map((ecosystem) => [ecosystem, { dependencies: 0, internal: 0, published: 0 }]),
  ) as Record<Ecosystem, EcosystemFigures>;
  for (const [key, { ref, ids }] of candidates) {
    if (ids.length === 1) {
      publishers.set(key, ids[0]!);
      byEcosystem[ref.ecosystem].published += 1;
    } else ambiguousByKey.set(key, { package: ref, publishers: [...ids].sort(), dependents: 0 });
  }

  // 2. Forks, and what publiccode.yml declares.
  const upstreams = new Map<string, { upstream: string; forks: number; reusers: Set<string> }>();
  for (const repo of repos) {
    if (repo.fork && repo.forkParent) {
      const parentRef = repo.forkParent;
      const parent =
        (parentRef.forgeId !== null ? byForgeId.get(`${parentRef.host.toLowerCase()}\u0000${parentRef.forgeId}`) : undefined) ??
        (parentRef.fullName !== null ? byName.get(nameKey(parentRef.host, parentRef.fullName)) : undefined);
      if (parent && parent.id !== repo.id) {
        addEdge("fork", repo, parent, null, null);
        entry(repo.id).forkOf = parent.id;
        entry(parent.id).forks.push(repo.id);
      } else if (!parent) {
        const upstream = parentRef.fullName !== null ? `${parentRef.host.toLowerCase()}/${parentRef.fullName}` : parentRef.forgeId !== null ? `${parentRef.host.toLowerCase()}#${parentRef.forgeId}` : null;
        if (upstream !== null) {
          entry(repo.id).upstream = upstream;
          const key = upstream.toLowerCase();
          let found = upstreams.get(key);
          if (!found) upstreams.set(key, (found = { upstream, forks: 0, reusers: new Set() }));
          found.forks += 1;
          found.reusers.add(reuserOf(repo));
        }
      }
    }
    if (repo.declared) {
      const users = cleanDeclaredList(repo.declared.usedBy);
      const needs = cleanDeclaredList(repo.declared.dependsOn);
      if (users.length > 0) entry(repo.id).declaredUsers = users;
      if (needs.length > 0) entry(repo.id).declaredDependencies = needs;
      for (const url of repo.declared.isBasedOn.slice(0, maxDeclared)) {
        if (typeof url !== "string") continue;
        const key = repositoryUrlKey(url);
        const base = key !== null ? byName.get(key) : undefined;
        if (base && base.id !== repo.id) {
          const own = entry(repo.id);
          if (own.basedOn.includes(base.id)) continue;
          addEdge("based_on", repo, base, null, null);
          own.basedOn.push(base.id);
          entry(base.id).basedOnBy.push(repo.id);
        } else if (!base) {
          const text = cleanDeclaredText(url);
          const own = entry(repo.id);
          if (text !== null && !own.basedOnExternal.includes(text)) own.basedOnExternal.push(text);
        }
      }
    }
  }

  // 3. Dependencies: one per repository and package (its strongest scope), then an
  //    edge to the publisher, nothing for an ambiguous package, a count outside.
  const external = new Map<string, { ref: PackageRef; dependents: number; reusers: Set<string> }>();
  const strongest = new Map<string, Dependency>();
  for (const repo of repos) {
    if (repo.dependencies.length === 0) continue;
    strongest.clear();
    for (const dependency of repo.dependencies) {
      const key = packageKey(dependency);
      const seen = strongest.get(key);
      if (!seen || scopeRank.get(dependency.scope)! < scopeRank.get(seen.scope)!) strongest.set(key, dependency);
    }
    const reuser = reuserOf(repo);
    let dependsOn: Set<string> | null = null;
    let externalCount = 0;
    for (const [key, dependency] of strongest) {
      const figures = byEcosystem[dependency.ecosystem];
      figures.dependencies += 1;
      const publisherId = publishers.get(key);
      if (publisherId !== undefined) {
        figures.internal += 1;
        if (publisherId === repo.id) continue;
        const publisher = byId.get(publisherId)!;
        addEdge("dependency", repo, publisher, { ecosystem: dependency.ecosystem, name: dependency.name }, dependency.scope);
        dependsOn ??= new Set();
        if (!dependsOn.has(publisherId)) {
          dependsOn.add(publisherId);
          entry(publisherId).dependents.push(repo.id);
        }
        continue;
      }
      const ambiguous = ambiguousByKey.get(key);
      if (ambiguous) {
        figures.internal += 1;
        ambiguous.dependents += 1;
        continue;
      }
      externalCount += 1;
      let found = external.get(key);
      if (!found) external.set(key, (found = { ref: { ecosystem: dependency.ecosystem, name: dependency.name }, dependents: 0, reusers: new Set() }));
      found.dependents += 1;
      found.reusers.add(reuser);
    }
    if (dependsOn || externalCount > 0) {
      const own = entry(repo.id);
      if (dependsOn) own.dependsOn = [...dependsOn];
      own.externalDependencies = externalCount;
    }
  }

  // 4. The figures per repository.
  for (const [id, set] of reusers) entry(id).reusers = [...set].sort();
  for (const reuse of repositories.values()) reuse.reusedByCount = reuse.reusers.length + reuse.declaredUsers.length;

  const externalPackages: ExternalPackage[] = [];
  for (const { ref, dependents, reusers: set } of external.values()) externalPackages.push({ ...ref, dependents, reusers: set.size });
  externalPackages.sort(byReusersThenCount<ExternalPackage>((p) => p.dependents, (p) => `${p.ecosystem}\u0000${p.name}`));
  const externalUpstreams: ExternalUpstream[] = [];
  for (const { upstream, forks, reusers: set } of upstreams.values()) externalUpstreams.push({ upstream, forks, reusers: set.size });
  externalUpstreams.sort(byReusersThenCount<ExternalUpstream>((u) => u.forks, (u) => u.upstream));

  const ambiguous = [...ambiguousByKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
  return { publishers, ambiguous, edges, repositories, externalPackages, externalUpstreams, byEcosystem };
}

/** The most used packages outside the catalogue, of one ecosystem or all. */
export function topExternalPackages(graph: ReuseGraph, limit: number, ecosystem?: Ecosystem): ExternalPackage[] {
  const out: ExternalPackage[] = [];
  for (const item of graph.externalPackages) {
    if (out.length >= limit) break;
    if (ecosystem === undefined || item.ecosystem === ecosystem) out.push(item);
  }
  return out;
}
