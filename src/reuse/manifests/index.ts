// Which manifest a root file is, and its parse. The harvester lists a
// repository's root, keeps the files for which manifestKind is not null, and
// hands their text to parseManifest.
import type { DependencyScope, Ecosystem, ManifestResult } from "../types.ts";
import { parserMessage } from "./collect.ts";
import * as cargo from "./cargo.ts";
import * as composer from "./composer.ts";
import * as gemfile from "./gemfile.ts";
import * as gomod from "./gomod.ts";
import * as maven from "./maven.ts";
import * as npm from "./npm.ts";
import * as pyproject from "./pyproject.ts";
import * as requirements from "./requirements.ts";

export type ManifestKind = "package.json" | "composer.json" | "requirements.txt" | "pyproject.toml" | "pom.xml" | "go.mod" | "Gemfile" | "Cargo.toml";

export const manifestEcosystem: Record<ManifestKind, Ecosystem> = {
  "package.json": "npm",
  "composer.json": "packagist",
  "requirements.txt": "pypi",
  "pyproject.toml": "pypi",
  "pom.xml": "maven",
  "go.mod": "go",
  Gemfile: "rubygems",
  "Cargo.toml": "cargo",
};

/** Longest requirements file name we take (requirements-dev.txt, requirements_test.txt...). */
const maxRequirementsName = 64;

/**
 * The kind of manifest a root file name is, or null. Names are matched as the
 * tools match them: exactly (Gemfile, go.mod, Cargo.toml are case-sensitive for
 * their tools), except requirements files, any `requirements*.txt`.
 */
export function manifestKind(fileName: string): ManifestKind | null {
  if (Object.hasOwn(manifestEcosystem, fileName)) return fileName as ManifestKind;
  const lower = fileName.toLowerCase();
  if (lower.startsWith("requirements") && lower.endsWith(".txt") && fileName.length <= maxRequirementsName && !fileName.includes("/")) {
    return "requirements.txt";
  }
  return null;
}

/** requirements-dev.txt, requirements_test.txt, requirements-lint.txt: development tooling. */
export function requirementsScope(fileName: string): DependencyScope {
  return /(dev|test|lint|doc|ci|check|tox)/i.test(fileName.slice("requirements".length)) ? "dev" : "runtime";
}

/** The parse of a root file; null when the name is not a manifest's. Never throws. */
export function parseManifest(fileName: string, text: string): ManifestResult | null {
  const kind = manifestKind(fileName);
  try {
    return parseKind(kind, fileName, text);
  } catch (error) {
    // Each parser reports its input's defects itself; this is the net for a parser's own bug
    // (a stack overflow on absurd nesting), so that one file never stops a harvest.
    return { publishes: [], dependencies: [], errors: [`${fileName} could not be read: ${parserMessage(error)}`], warnings: [] };
  }
}

function parseKind(kind: ManifestKind | null, fileName: string, text: string): ManifestResult | null {
  switch (kind) {
    case null:
      return null;
    case "package.json":
      return npm.parse(text);
    case "composer.json":
      return composer.parse(text);
    case "requirements.txt":
      return requirements.parse(text, requirementsScope(fileName));
    case "pyproject.toml":
      return pyproject.parse(text);
    case "pom.xml":
      return maven.parse(text);
    case "go.mod":
      return gomod.parse(text);
    case "Gemfile":
      return gemfile.parse(text);
    case "Cargo.toml":
      return cargo.parse(text);
  }
}
