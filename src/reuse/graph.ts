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
import { dependencyScopes, ecosystems, type Dependency, type DependencyScope, type Ecosystem, type PackageRef } from "./types.ts";

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
const maxUrlLength = 2_000;

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
  // No repository URL is this long; the bound also keeps the work below small.
  if (raw.length > maxUrlLength) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  // Trailing slashes trimmed by hand: /\/+$/ backtracks quadratically on a long run of slashes.
  let end = url.pathname.length;
  while (end > 0 && url.pathname[end - 1] === "/") end -= 1;
  const path = url.pathname.slice(0, end).replace(/\.git$/i, "").replace(/^\/+/, "");
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

function compareRanked(a: { reusers: number; count: number; name: string }, b: { reusers: number; count: number; name: string }): number {
  return b.reusers - a.reusers || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// Implementation note: at 50,000 repositories and 500,000 dependencies the cost
// is in per-dependency work, so packages, repositories and reusers are interned
// once to integers, and the per-dependency loop touches arrays and numeric
// sets only (scripts/bench-reuse.ts measures it).
export function buildReuseGraph(input: Iterable<ReuseRepositoryInput>): ReuseGraph {
  const repos: ReuseRepositoryInput[] = [];
  const indexById = new Map<string, number>();
  const byForgeId = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const repo of input) {
    if (indexById.has(repo.id)) continue;
    const index = repos.length;
    repos.push(repo);
    indexById.set(repo.id, index);
    if (repo.forgeId !== null) byForgeId.set(`${repo.host.toLowerCase()}\u0000${repo.forgeId}`, index);
    byName.set(nameKey(repo.host, repo.fullName), index);
  }
  // Reusers as small integers: repository index → reuser number.
  const reuserIds = new Map<string, number>();
  const reuserNames: string[] = [];
  const reuserOfIndex = new Int32Array(repos.length);
  for (let i = 0; i < repos.length; i++) {
    const key = reuserOf(repos[i]!);
    let id = reuserIds.get(key);
    if (id === undefined) {
      id = reuserNames.length;
      reuserIds.set(key, id);
      reuserNames.push(key);
    }
    reuserOfIndex[i] = id;
  }

  // Per repository index, made on first use; the map by id is built at the end.
  const entries: (RepositoryReuse | null)[] = new Array<RepositoryReuse | null>(repos.length).fill(null);
  const entry = (index: number): RepositoryReuse => (entries[index] ??= emptyReuse());
  const reusersOf = new Map<number, Set<number>>();
  const edges: ReuseEdge[] = [];
  const addEdge = (kind: ReuseEdgeKind, from: number, to: number, pkg: PackageRef | null, scope: DependencyScope | null): void => {
    const a = repos[from]!;
    const b = repos[to]!;
    const acrossBodies = a.ownerId !== b.ownerId && reuserOfIndex[from] !== reuserOfIndex[to];
    edges.push({ kind, from: a.id, to: b.id, package: pkg, scope, acrossBodies });
    if (acrossBodies) {
      let set = reusersOf.get(to);
      if (!set) reusersOf.set(to, (set = new Set()));
      set.add(reuserOfIndex[from]!);
    }
  };

  // Packages as integers: key → id, with their ref and who publishes them.
  // One map per ecosystem, keyed by the name itself: no key string to build and hash per dependency.
  const packageIds = Object.fromEntries(ecosystems.map((ecosystem) => [ecosystem, new Map<string, number>()])) as Record<Ecosystem, Map<string, number>>;
  const packageRefs: PackageRef[] = [];
  /** Per package id: the publishing repository index, NONE, or AMBIGUOUS. */
  const publisherOf: number[] = [];
  const NONE = -1;
  const AMBIGUOUS = -2;
  // Per package id too, kept dense (one push per new package) so that they stay fast arrays:
  // seenBy = the repository index that last named it, so that de-duplication is an array read;
  // bestScope = its strongest scope in that repository; the external counts.
  const seenBy: number[] = [];
  const bestScope: number[] = [];
  const externalDependents: number[] = [];
  const externalReusers: (Set<number> | null)[] = [];
  const internPackage = (ref: PackageRef): number => {
    const ids = packageIds[ref.ecosystem];
    let id = ids.get(ref.name);
    if (id === undefined) {
      id = packageRefs.length;
      ids.set(ref.name, id);
      packageRefs.push({ ecosystem: ref.ecosystem, name: ref.name });
      publisherOf.push(NONE);
      seenBy.push(NONE);
      bestScope.push(0);
      externalDependents.push(0);
      externalReusers.push(null);
    }
    return id;
  };

  // 1. Who publishes what: forks never; two or more publishers make a package ambiguous.
  const ambiguousPublishers = new Map<number, Set<number>>();
  for (let i = 0; i < repos.length; i++) {
    const repo = repos[i]!;
    if (repo.fork) continue;
    for (const ref of repo.publishes) {
      const id = internPackage(ref);
      const current = publisherOf[id]!;
      if (current === NONE) publisherOf[id] = i;
      else if (current === AMBIGUOUS) ambiguousPublishers.get(id)!.add(i);
      else if (current !== i) {
        publisherOf[id] = AMBIGUOUS;
        ambiguousPublishers.set(id, new Set([current, i]));
      }
    }
  }
  const byEcosystem = Object.fromEntries(ecosystems.map((ecosystem) => [ecosystem, { dependencies: 0, internal: 0, published: 0 }])) as Record<Ecosystem, EcosystemFigures>;
  const publishers = new Map<string, string>();
  for (let id = 0; id < packageRefs.length; id++) {
    const publisher = publisherOf[id]!;
    if (publisher >= 0) {
      publishers.set(packageKey(packageRefs[id]!), repos[publisher]!.id);
      byEcosystem[packageRefs[id]!.ecosystem].published += 1;
    }
  }

  // 2. Forks, and what publiccode.yml declares.
  const upstreams = new Map<string, { upstream: string; forks: number; reusers: Set<number> }>();
  for (let i = 0; i < repos.length; i++) {
    const repo = repos[i]!;
    if (repo.fork && repo.forkParent) {
      const parentRef = repo.forkParent;
      const parent =
        (parentRef.forgeId !== null ? byForgeId.get(`${parentRef.host.toLowerCase()}\u0000${parentRef.forgeId}`) : undefined) ??
        (parentRef.fullName !== null ? byName.get(nameKey(parentRef.host, parentRef.fullName)) : undefined);
      if (parent !== undefined && parent !== i) {
        addEdge("fork", i, parent, null, null);
        entry(i).forkOf = repos[parent]!.id;
        entry(parent).forks.push(repo.id);
      } else if (parent === undefined) {
        const upstream = parentRef.fullName !== null ? `${parentRef.host.toLowerCase()}/${parentRef.fullName}` : parentRef.forgeId !== null ? `${parentRef.host.toLowerCase()}#${parentRef.forgeId}` : null;
        if (upstream !== null) {
          entry(i).upstream = upstream;
          const key = upstream.toLowerCase();
          let found = upstreams.get(key);
          if (!found) upstreams.set(key, (found = { upstream, forks: 0, reusers: new Set() }));
          found.forks += 1;
          found.reusers.add(reuserOfIndex[i]!);
        }
      }
    }
    if (repo.declared) {
      const users = cleanDeclaredList(repo.declared.usedBy);
      const needs = cleanDeclaredList(repo.declared.dependsOn);
      if (users.length > 0) entry(i).declaredUsers = users;
      if (needs.length > 0) entry(i).declaredDependencies = needs;
      for (const url of repo.declared.isBasedOn.slice(0, maxDeclared)) {
        if (typeof url !== "string") continue;
        const key = repositoryUrlKey(url);
        const base = key !== null ? byName.get(key) : undefined;
        if (base !== undefined && base !== i) {
          const own = entry(i);
          const baseId = repos[base]!.id;
          if (own.basedOn.includes(baseId)) continue;
          addEdge("based_on", i, base, null, null);
          own.basedOn.push(baseId);
          entry(base).basedOnBy.push(repo.id);
        } else if (base === undefined) {
          const text = cleanDeclaredText(url);
          const own = entry(i);
          if (text !== null && !own.basedOnExternal.includes(text)) own.basedOnExternal.push(text);
        }
      }
    }
  }

  // 3. Dependencies: one per repository and package (its strongest scope), then an
  //    edge to the publisher, nothing for an ambiguous package, a count outside.
  const ambiguousDependents = new Map<number, number>();
  const order: number[] = [];
  for (let i = 0; i < repos.length; i++) {
    const repo = repos[i]!;
    if (repo.dependencies.length === 0) continue;
    order.length = 0;
    for (const dependency of repo.dependencies) {
      const id = internPackage(dependency);
      const rank = scopeRank.get(dependency.scope)!;
      if (seenBy[id] !== i) {
        seenBy[id] = i;
        bestScope[id] = rank;
        order.push(id);
      } else if (rank < bestScope[id]!) bestScope[id] = rank;
    }
    const reuser = reuserOfIndex[i]!;
    let dependsOn: Set<number> | null = null;
    let externalCount = 0;
    for (const id of order) {
      const ref = packageRefs[id]!;
      const figures = byEcosystem[ref.ecosystem];
      figures.dependencies += 1;
      const publisher = publisherOf[id]!;
      if (publisher >= 0) {
        figures.internal += 1;
        if (publisher === i) continue;
        addEdge("dependency", i, publisher, ref, dependencyScopes[bestScope[id]!]!);
        dependsOn ??= new Set();
        if (!dependsOn.has(publisher)) {
          dependsOn.add(publisher);
          entry(publisher).dependents.push(repo.id);
        }
      } else if (publisher === AMBIGUOUS) {
        figures.internal += 1;
        ambiguousDependents.set(id, (ambiguousDependents.get(id) ?? 0) + 1);
      } else {
        externalCount += 1;
        externalDependents[id] = externalDependents[id]! + 1;
        let set = externalReusers[id];
        if (!set) externalReusers[id] = set = new Set();
        set.add(reuser);
      }
    }
    if (dependsOn || externalCount > 0) {
      const own = entry(i);
      if (dependsOn) own.dependsOn = [...dependsOn].map((index) => repos[index]!.id);
      own.externalDependencies = externalCount;
    }
  }

  // 4. The figures per repository and the rankings.
  for (const [index, set] of reusersOf) entry(index).reusers = [...set].map((id) => reuserNames[id]!).sort();
  const repositories = new Map<string, RepositoryReuse>();
  for (let i = 0; i < repos.length; i++) {
    const reuse = entries[i];
    if (!reuse) continue;
    reuse.reusedByCount = reuse.reusers.length + reuse.declaredUsers.length;
    repositories.set(repos[i]!.id, reuse);
  }

  const externalRanked: { item: ExternalPackage; reusers: number; count: number; name: string }[] = [];
  for (let id = 0; id < packageRefs.length; id++) {
    const dependents = externalDependents[id]!;
    if (dependents === 0) continue;
    const ref = packageRefs[id]!;
    const reusers = externalReusers[id]!.size;
    externalRanked.push({ item: { ...ref, dependents, reusers }, reusers, count: dependents, name: `${ref.ecosystem}\u0000${ref.name}` });
  }
  const externalPackages = externalRanked.sort(compareRanked).map((ranked) => ranked.item);
  const externalUpstreams = [...upstreams.values()]
    .map(({ upstream, forks, reusers }) => ({ item: { upstream, forks, reusers: reusers.size }, reusers: reusers.size, count: forks, name: upstream }))
    .sort(compareRanked)
    .map((ranked) => ranked.item);

  const ambiguous: AmbiguousPackage[] = [...ambiguousPublishers.entries()]
    .map(([id, set]) => ({ key: packageKey(packageRefs[id]!), value: { package: packageRefs[id]!, publishers: [...set].map((index) => repos[index]!.id).sort(), dependents: ambiguousDependents.get(id) ?? 0 } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ value }) => value);
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

/** Shared projects: repositories reused by at least `minReusers` other bodies (forks, dependents, based-on), most reused first. */
export function sharedProjects(graph: ReuseGraph, minReusers = 2): { id: string; reusers: number }[] {
  const out: { id: string; reusers: number }[] = [];
  for (const [id, reuse] of graph.repositories) if (reuse.reusers.length >= minReusers) out.push({ id, reusers: reuse.reusers.length });
  return out.sort((a, b) => b.reusers - a.reusers || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
