// npm package.json: the package it publishes and its four dependency lists.
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, isTable, jsonObject, oversized } from "./collect.ts";

const lists: [field: string, scope: DependencyScope][] = [
  ["dependencies", "runtime"],
  ["devDependencies", "dev"],
  ["peerDependencies", "peer"],
  ["optionalDependencies", "optional"],
];

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("npm");
  const json = jsonObject(text, "package.json", out);
  if (json === null) return out.result();
  // `private: true` makes npm refuse to publish: such names (an application's
  // "frontend", "api") are not packages anyone can depend on, and would only
  // collide across the catalogue.
  if (json.name !== undefined && json.private !== true) out.publish(json.name);
  for (const [field, scope] of lists) {
    const list = json[field];
    if (list === undefined) continue;
    if (!isTable(list)) {
      out.error(`${field} is not an object`);
      continue;
    }
    for (const [name, requirement] of Object.entries(list)) {
      if (typeof requirement !== "string") {
        out.error(`${field}: the requirement of a dependency is not a string`);
        continue;
      }
      // An alias ("my-lodash": "npm:lodash@^4") installs another package under a local name.
      const alias = requirement.startsWith("npm:") ? requirement.slice(4) : null;
      if (alias !== null) {
        const at = alias.lastIndexOf("@");
        const realName = at > 0 ? alias.slice(0, at) : alias;
        out.depend(realName, scope, at > 0 ? alias.slice(at + 1) : null);
      } else {
        out.depend(name, scope, requirement);
      }
    }
  }
  return out.result();
}
