// The vocabulary of reuse: packages, dependencies, and what one manifest says.
// Forge- and store-independent: the harvester fills these from files it read,
// the graph (graph.ts) joins them across the catalogue.

/** Package registries whose manifests we read, named after the registry, not the language. */
export const ecosystems = ["npm", "packagist", "pypi", "maven", "go", "rubygems", "cargo"] as const;
export type Ecosystem = (typeof ecosystems)[number];

/** A package on a registry, its name normalised for that registry (names.ts). */
export interface PackageRef {
  ecosystem: Ecosystem;
  name: string;
}

/**
 * How a manifest needs a package. One vocabulary across ecosystems:
 * - runtime: needed to run (npm dependencies, composer require, Maven compile/runtime, Go require, Cargo dependencies)
 * - dev: development and test tooling (devDependencies, require-dev, Gemfile :development/:test, Cargo dev-dependencies)
 * - optional: npm optionalDependencies, Python extras, Poetry optional, Maven <optional>, Cargo optional
 * - peer: npm peerDependencies
 * - build: Cargo build-dependencies
 * - test: Maven test scope
 * - provided: Maven provided and system scopes (supplied by the platform)
 * - indirect: go.mod `// indirect` (needed by a dependency, recorded for reproducibility)
 */
export const dependencyScopes = ["runtime", "peer", "optional", "build", "provided", "dev", "test", "indirect"] as const;
export type DependencyScope = (typeof dependencyScopes)[number];

export interface Dependency extends PackageRef {
  scope: DependencyScope;
  /** The version requirement as written (">=1.2,<2", "^4.0.0", a URL, a Maven property), or null when none. */
  requirement: string | null;
}

/** What one manifest says. Never throws: a malformed file gives `errors` and whatever could be read. */
export interface ManifestResult {
  /** Packages this repository publishes (usually zero or one). */
  publishes: PackageRef[];
  /** One entry per package and scope, in file order. */
  dependencies: Dependency[];
  /** Why the file, or an entry of it, could not be read. Bounded (limits.maxMessages). */
  errors: string[];
  /** What was read but deliberately ignored (a `-r` include, an unresolved Maven property). Bounded too. */
  warnings: string[];
}

/** Bounds on what one manifest may cost us: manifests come from any repository on any forge. */
export const manifestLimits = {
  /** Bytes of UTF-8: a larger file is refused unread (same limit as the profile files). */
  maxBytes: 1_048_576,
  /** Dependencies kept per manifest; the biggest real manifests have a few hundred. */
  maxDependencies: 2_000,
  /** Published packages kept per manifest. */
  maxPublishes: 10,
  /** Messages kept per manifest, plus one saying how many more there were. */
  maxMessages: 50,
  /** Characters of a requirement string; a longer one is recorded as null. */
  maxRequirementLength: 500,
} as const;
