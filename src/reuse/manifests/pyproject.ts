// Python pyproject.toml: the standard [project] table (PEP 621), dependency
// groups (PEP 735), and Poetry's own [tool.poetry] tables, parsed with smol-toml.
import { parse as parseToml } from "smol-toml";
import { quoteForMessage } from "../names.ts";
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, isTable, oversized, parserMessage } from "./collect.ts";
import { parsePep508 } from "./pep508.ts";

function addSpecifiers(out: Collector, where: string, list: unknown, scope: DependencyScope): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.error(`${where} is not an array`);
    return;
  }
  for (const item of list) {
    // PEP 735 groups may include other groups: {include-group = "test"}, not a package.
    if (isTable(item)) continue;
    if (typeof item !== "string") {
      out.error(`${where}: an entry is not a string`);
      continue;
    }
    const parsed = parsePep508(item);
    if (!parsed.ok) out.error(`${where}: not a requirement (${parsed.error}): ${quoteForMessage(item)}`);
    else out.depend(parsed.name, scope, parsed.requirement);
  }
}

/**
 * Poetry's table of dependencies: name = "^1.2" | {version = "^1.2", optional = true, ...}
 * | [several such tables, one per platform]. "python" is the interpreter, not a package.
 */
function addPoetryTable(out: Collector, where: string, table: unknown, scope: DependencyScope): void {
  if (table === undefined) return;
  if (!isTable(table)) {
    out.error(`${where} is not a table`);
    return;
  }
  for (const [name, value] of Object.entries(table)) {
    if (name.toLowerCase() === "python") continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out.depend(name, scope, first);
    else if (isTable(first)) {
      const requirement = first.version ?? first.git ?? first.url ?? first.path ?? null;
      out.depend(name, first.optional === true ? "optional" : scope, requirement);
    } else out.error(`${where}: the requirement of ${quoteForMessage(name)} is neither a string nor a table`);
  }
}

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("pypi");
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    out.error(`pyproject.toml is not valid TOML: ${parserMessage(error)}`);
    return out.result();
  }
  const project = toml.project;
  const poetry = isTable(toml.tool) && isTable(toml.tool.poetry) ? toml.tool.poetry : undefined;
  if (project !== undefined && !isTable(project)) out.error("[project] is not a table");
  if (isTable(project)) {
    if (project.name !== undefined) out.publish(project.name);
    addSpecifiers(out, "project.dependencies", project.dependencies, "runtime");
    const optional = project["optional-dependencies"];
    if (optional !== undefined) {
      if (!isTable(optional)) out.error("project.optional-dependencies is not a table");
      else for (const [extra, list] of Object.entries(optional)) addSpecifiers(out, `project.optional-dependencies.${extra}`, list, "optional");
    }
  }
  const groups = toml["dependency-groups"];
  if (isTable(groups)) for (const [group, list] of Object.entries(groups)) addSpecifiers(out, `dependency-groups.${group}`, list, "dev");
  if (poetry) {
    // Poetry 2 reads [project] first; its own name is the fallback of older projects.
    if (!(isTable(project) && project.name !== undefined) && poetry.name !== undefined) out.publish(poetry.name);
    addPoetryTable(out, "tool.poetry.dependencies", poetry.dependencies, "runtime");
    addPoetryTable(out, "tool.poetry.dev-dependencies", poetry["dev-dependencies"], "dev");
    if (isTable(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isTable(body)) addPoetryTable(out, `tool.poetry.group.${group}.dependencies`, body.dependencies, group === "main" ? "runtime" : "dev");
      }
    }
  }
  return out.result();
}
