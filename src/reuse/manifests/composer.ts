// Composer composer.json: the package it publishes, require and require-dev.
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, isTable, jsonObject, oversized } from "./collect.ts";

const lists: [field: string, scope: DependencyScope][] = [
  ["require", "runtime"],
  ["require-dev", "dev"],
];

/**
 * Platform requirements are not packages: the PHP version, its extensions
 * (ext-*), system libraries (lib-*) and Composer itself.
 * https://getcomposer.org/doc/01-basic-usage.md#platform-packages
 */
export function isPlatformPackage(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === "php" ||
    lower.startsWith("php-") ||
    lower === "hhvm" ||
    lower.startsWith("ext-") ||
    lower.startsWith("lib-") ||
    lower === "composer" ||
    lower === "composer-plugin-api" ||
    lower === "composer-runtime-api"
  );
}

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("packagist");
  const json = jsonObject(text, "composer.json", out);
  if (json === null) return out.result();
  if (json.name !== undefined) out.publish(json.name);
  for (const [field, scope] of lists) {
    const list = json[field];
    if (list === undefined) continue;
    if (!isTable(list)) {
      out.error(`${field} is not an object`);
      continue;
    }
    for (const [name, requirement] of Object.entries(list)) {
      if (isPlatformPackage(name)) continue;
      if (typeof requirement !== "string") {
        out.error(`${field}: the requirement of a dependency is not a string`);
        continue;
      }
      out.depend(name, scope, requirement);
    }
  }
  return out.result();
}
