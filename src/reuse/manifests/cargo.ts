// Rust Cargo.toml: the crate it publishes, its three dependency tables (also
// per target: [target.'cfg(unix)'.dependencies]) and, for a workspace root,
// [workspace.dependencies], which its members inherit. Parsed with smol-toml.
import { parse as parseToml } from "smol-toml";
import { quoteForMessage } from "../names.ts";
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, isTable, oversized, parserMessage } from "./collect.ts";

const tables: [key: string, scope: DependencyScope][] = [
  ["dependencies", "runtime"],
  ["dev-dependencies", "dev"],
  ["build-dependencies", "build"],
];

function addTable(out: Collector, where: string, table: unknown, scope: DependencyScope): void {
  if (table === undefined) return;
  if (!isTable(table)) {
    out.error(`${where} is not a table`);
    return;
  }
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === "string") out.depend(key, scope, value);
    else if (isTable(value)) {
      // `package = "real-name"` renames a crate locally: the dependency is on the real one.
      const name = typeof value.package === "string" ? value.package : key;
      const requirement = value.version ?? value.git ?? value.path ?? null;
      out.depend(name, value.optional === true ? "optional" : scope, requirement);
    } else out.error(`${where}: the requirement of ${quoteForMessage(key)} is neither a string nor a table`);
  }
}

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("cargo");
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    out.error(`Cargo.toml is not valid TOML: ${parserMessage(error)}`);
    return out.result();
  }
  const pkg = toml.package;
  if (pkg !== undefined && !isTable(pkg)) out.error("[package] is not a table");
  // `publish = false` (or an empty list of registries) keeps the crate off crates.io:
  // nobody can depend on it by name, so it publishes nothing.
  if (isTable(pkg) && pkg.name !== undefined && pkg.publish !== false && !(Array.isArray(pkg.publish) && pkg.publish.length === 0)) {
    out.publish(pkg.name);
  }
  for (const [key, scope] of tables) addTable(out, key, toml[key], scope);
  if (isTable(toml.target)) {
    for (const [target, body] of Object.entries(toml.target)) {
      if (!isTable(body)) continue;
      for (const [key, scope] of tables) addTable(out, `target.${target}.${key}`, body[key], scope);
    }
  }
  // A virtual workspace has no [package]; its members (other Cargo.toml files,
  // not read) inherit [workspace.dependencies]: what the workspace needs to run.
  if (isTable(toml.workspace)) addTable(out, "workspace.dependencies", toml.workspace.dependencies, "runtime");
  return out.result();
}
