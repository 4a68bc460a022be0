// What a publiccode.yml says about reuse, from the document parsed by the
// profile harvest (issue 9): usedBy, isBasedOn and dependsOn. Shapes as in the
// standard (v0.7, schema.core): usedBy an array of strings; isBasedOn a string
// or an array of strings (URLs); dependsOn a section of open, proprietary and
// hardware lists of {name, version...}. Anything else is ignored: the document
// is untrusted and may be invalid; graph.ts cleans and bounds the strings.
import type { Declarations } from "./graph.ts";

const dependsOnKinds = ["open", "proprietary", "hardware"] as const;

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The declarations of a parsed publiccode.yml; null when it declares none. */
export function declarationsFromPubliccode(document: unknown): Declarations | null {
  if (!isObject(document)) return null;
  const usedBy = Array.isArray(document.usedBy) ? strings(document.usedBy) : [];
  const isBasedOn = strings(document.isBasedOn);
  const dependsOn: string[] = [];
  if (isObject(document.dependsOn)) {
    for (const kind of dependsOnKinds) {
      const list = document.dependsOn[kind];
      if (!Array.isArray(list)) continue;
      for (const item of list) if (isObject(item) && typeof item.name === "string") dependsOn.push(item.name);
    }
  }
  if (usedBy.length === 0 && isBasedOn.length === 0 && dependsOn.length === 0) return null;
  return { usedBy, isBasedOn, dependsOn };
}
