// Maven pom.xml: the project's groupId:artifactId (groupId inherited from
// <parent> when absent) and its <dependencies> with their scope. Validated then
// parsed with fast-xml-parser. Properties (${...}) are not resolved: a
// coordinate that needs one is skipped with a warning; a version that needs one
// is kept as written.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { quoteForMessage } from "../names.ts";
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, isTable, oversized, parserMessage } from "./collect.ts";

/** Maven scope → our scope. "import" only exists in <dependencyManagement>, which declares versions, not dependencies. */
const scopes: Record<string, DependencyScope> = {
  compile: "runtime",
  runtime: "runtime",
  test: "test",
  provided: "provided",
  system: "provided",
};

const parser = new XMLParser({
  ignoreAttributes: true,
  // Versions are text: "1.10" must not become 1.1.
  parseTagValue: false,
  trimValues: true,
  // No DOCTYPE entities: a pom has no use for them and they are the billion-laughs door.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  isArray: (tagName) => tagName === "dependency",
});

function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  return null;
}

function hasProperty(value: string): boolean {
  return value.includes("${");
}

export function parse(xml: string): ManifestResult {
  const tooBig = oversized(xml);
  if (tooBig) return tooBig;
  const out = new Collector("maven");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    out.error(`pom.xml is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
    return out.result();
  }
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    out.error(`pom.xml could not be read: ${parserMessage(error)}`);
    return out.result();
  }
  const project = isTable(document) ? document.project : undefined;
  if (!isTable(project)) {
    out.error("pom.xml has no <project> element");
    return out.result();
  }
  const parent = isTable(project.parent) ? project.parent : {};
  const groupId = text(project.groupId) ?? text(parent.groupId);
  const artifactId = text(project.artifactId);
  if (groupId && artifactId) {
    if (hasProperty(groupId) || hasProperty(artifactId)) out.warn("the project's coordinates use a property: not resolved, nothing published");
    else out.publish(`${groupId}:${artifactId}`);
  } else out.error("the project has no groupId (nor a parent's) or no artifactId");

  const dependencies = isTable(project.dependencies) ? project.dependencies.dependency : undefined;
  if (project.dependencies !== undefined && project.dependencies !== "" && !isTable(project.dependencies)) {
    out.error("<dependencies> is not a list of <dependency>");
  }
  if (Array.isArray(dependencies)) {
    for (const dependency of dependencies) {
      if (!isTable(dependency)) continue;
      const group = text(dependency.groupId);
      const artifact = text(dependency.artifactId);
      if (!group || !artifact) {
        out.error("a <dependency> has no groupId or no artifactId");
        continue;
      }
      if (hasProperty(group) || hasProperty(artifact)) {
        out.warn(`a dependency's coordinates use a property, not resolved: ${quoteForMessage(`${group}:${artifact}`)}`);
        continue;
      }
      const mavenScope = text(dependency.scope) ?? "compile";
      const scope = scopes[mavenScope];
      if (!scope) {
        out.warn(`dependency ${quoteForMessage(`${group}:${artifact}`)} has scope ${quoteForMessage(mavenScope)}: ignored`);
        continue;
      }
      const optional = text(dependency.optional) === "true";
      out.depend(`${group}:${artifact}`, optional && scope === "runtime" ? "optional" : scope, text(dependency.version));
    }
  }
  return out.result();
}
