// Package names: one canonical spelling per registry, so that the name a
// dependent writes and the name a publisher declares meet in one map key, and
// a strict check of the characters each registry accepts, so that hostile
// names (control characters, markup, megabyte strings) never get further than here.
//
// Every registry's valid names are ASCII; anything else is rejected, not repaired:
// a name we would have to repair is not a name the registry would serve.
import type { Ecosystem, PackageRef } from "./types.ts";

interface NameRule {
  /** Longest accepted name, in characters. */
  maxLength: number;
  /** The registry's naming rule, on the whole (already trimmed) name. */
  pattern: RegExp;
  /** The registry's equivalence of names, as a canonical spelling. */
  normalise: (name: string) => string;
}

const asIs = (name: string): string => name;

const rules: Record<Ecosystem, NameRule> = {
  // npm: scoped or not; new names are lower case but legacy ones (JSONStream) are not,
  // and the registry keeps them distinct, so the case is kept. 214: npm's limit.
  npm: {
    maxLength: 214,
    pattern: /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9_~-][a-z0-9._~-]*$/i,
    normalise: asIs,
  },
  // Composer: vendor/package, case-insensitive (Composer lower-cases on install).
  packagist: {
    maxLength: 214,
    pattern: /^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?\/[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/i,
    normalise: (name) => name.toLowerCase(),
  },
  // PyPI: PEP 508 names, compared after PEP 503 normalisation (runs of -_. become -, lower case).
  pypi: {
    maxLength: 214,
    pattern: /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i,
    normalise: (name) => name.replace(/[-_.]+/g, "-").toLowerCase(),
  },
  // Maven: groupId:artifactId, both case-sensitive in repositories.
  maven: {
    maxLength: 300,
    pattern: /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/,
    normalise: asIs,
  },
  // Go: module paths are case-sensitive (github.com/Sirupsen/logrus was a different module);
  // the characters of golang.org/x/mod/module.CheckPath, no empty or dot-dot element.
  go: {
    maxLength: 300,
    pattern: /^[A-Za-z0-9._~+-]+(?:\/[A-Za-z0-9._~+-]+)*$/,
    normalise: asIs,
  },
  // RubyGems: case-sensitive names of letters, digits, - _ and .
  rubygems: {
    maxLength: 214,
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    normalise: asIs,
  },
  // crates.io: 64 characters at most; it refuses names that differ only by case or by - versus _,
  // so those are one crate: lower case, _ as -.
  cargo: {
    maxLength: 64,
    pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
    normalise: (name) => name.toLowerCase().replace(/_/g, "-"),
  },
};

/** A bounded, printable rendering of an untrusted string for a message: at most 80 characters, non-ASCII escaped. */
export function quoteForMessage(raw: string): string {
  const head = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  const quoted = JSON.stringify(head);
  return quoted.replace(/[^\x20-\x7e]/g, (c) => (c === "…" ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** The canonical name of a package on its registry, or why the string is not one. */
export function normalisePackageName(ecosystem: Ecosystem, raw: unknown): NameCheck {
  if (typeof raw !== "string") return { ok: false, error: `${ecosystem} package name is not a string` };
  const rule = rules[ecosystem];
  const name = raw.trim();
  if (name === "") return { ok: false, error: `empty ${ecosystem} package name` };
  if (name.length > rule.maxLength) {
    return { ok: false, error: `${ecosystem} package name longer than ${rule.maxLength} characters: ${quoteForMessage(name)}` };
  }
  if (!rule.pattern.test(name) || (ecosystem === "go" && name.split("/").some((part) => part === "." || part === ".."))) {
    return { ok: false, error: `not a valid ${ecosystem} package name: ${quoteForMessage(name)}` };
  }
  return { ok: true, name: rule.normalise(name) };
}

/** One string key per package, for maps: "npm\u0000name". */
export function packageKey(ref: PackageRef): string {
  return `${ref.ecosystem}\u0000${ref.name}`;
}
