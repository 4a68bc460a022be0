// Walks the YAML tree of a publiccode.yml along the schema (schema.ts): types,
// unknown keys, required keys, value rules. Every issue carries the key path in
// the reference validator's naming (`description.en.shortDescription`,
// `fundedBy[0].uri`) and the line and column of the node it is about.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";
import type { Field } from "./schema.ts";
import type { PubliccodeIssue } from "./validate.ts";
import { isLanguageTag } from "./checks.ts";

/** One step of a key path: a map key or a list index. */
export type Segment = string | number;

/** Nodes visited at most, aliases expanded: a bound on the work a hostile file can ask for. */
const maxVisits = 200_000;

export class TooComplexError extends Error {
  override name = "TooComplexError";
}

export function keyPath(path: readonly Segment[]): string {
  let key = "";
  for (const segment of path) {
    if (typeof segment === "number") key += `[${segment}]`;
    else key += key === "" ? segment : `.${segment}`;
  }
  return key;
}

/** The field's name as messages show it: `shortDescription`, `categories[0]`. */
export function label(path: readonly Segment[]): string {
  const last = path.at(-1);
  if (typeof last !== "number") return last ?? "";
  return `${label(path.slice(0, -1))}[${last}]`;
}

/** The issues of one file, with positions from the source. */
export class Report {
  readonly errors: PubliccodeIssue[] = [];
  readonly warnings: PubliccodeIssue[] = [];
  private visits = 0;

  constructor(
    private readonly doc: Document.Parsed | null,
    private readonly lines: LineCounter,
  ) {}

  private issue(path: readonly Segment[] | string, message: string, at: Node | null | undefined): PubliccodeIssue {
    const key = typeof path === "string" ? path : keyPath(path);
    const offset = at?.range?.[0];
    if (offset === undefined) return { key, line: null, column: null, message };
    const { line, col } = this.lines.linePos(offset);
    return { key, line, column: col, message };
  }

  error(path: readonly Segment[] | string, message: string, at: Node | null | undefined): void {
    this.errors.push(this.issue(path, message, at));
  }

  warn(path: readonly Segment[] | string, message: string, at: Node | null | undefined): void {
    this.warnings.push(this.issue(path, message, at));
  }

  /** The node an alias points at; every visit counts against the bound. */
  resolve(node: unknown): Node | null {
    if (++this.visits > maxVisits) throw new TooComplexError("the YAML is too complex (too many nodes once aliases are expanded)");
    let current = node;
    for (let hops = 0; isAlias(current) && this.doc && hops < 10; hops++) current = current.resolve(this.doc);
    if (isAlias(current)) return null;
    return (current as Node | null | undefined) ?? null;
  }
}

/** A float as Go's fmt prints it (%v): shortest digits, exponent form below 1e-4 and from 1e6 on ("1e+06"). */
function goFloat(value: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const power = Number(exponent);
  if (power < -4 || power >= 6) return `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  return String(value);
}

/**
 * The text of a scalar as the reference's string fields read it: go-yaml casts
 * a number or a boolean to its Go string form, so an unquoted `1.0` is "1"
 * (and `countryExtensionVersion: 1.0` is refused there as here). Literals Go
 * would read otherwise (leading zeros, hexadecimal, too large) keep their
 * source text. Null for null.
 */
export function scalarText(node: Node | null): string | null {
  if (!isScalar(node) || node.value === null || node.value === undefined) return null;
  const { value, source } = node;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && source !== undefined) {
    if (/^[-+]?(0|[1-9]\d*)$/.test(source) && Number.isSafeInteger(value)) return String(value);
    if (/^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/.test(source)) return goFloat(value);
  }
  return source ?? String(value);
}

/** A present value, YAML null counting as absent (a Go nil). */
export function present(node: Node | null): node is Node {
  return node !== null && !(isScalar(node) && (node.value === null || node.value === undefined));
}

export interface Entry {
  key: Node;
  value: Node | null;
}

/** The entries of a mapping whose keys are strings, aliases resolved. */
export function entries(report: Report, map: Node): Map<string, Entry> {
  const result = new Map<string, Entry>();
  if (!isMap(map)) return result;
  for (const pair of map.items as Pair<unknown, unknown>[]) {
    const key = report.resolve(pair.key);
    const name = scalarText(key);
    if (key === null || name === null) continue;
    result.set(name, { key, value: report.resolve(pair.value) });
  }
  return result;
}

/** Where to point for a key missing from `map`: its first key (as the reference does), or the map itself. */
function missingAnchor(report: Report, map: Node): Node {
  if (isMap(map) && map.items.length > 0) return report.resolve(map.items[0]!.key) ?? map;
  return map;
}

/**
 * Checks `node` (null: absent) against `field`. `at` is where issues about the
 * value point (its key, or the list item); `missingAt` where "required" issues point.
 */
export function walk(
  report: Report,
  field: Field,
  node: Node | null,
  path: Segment[],
  at: Node | null,
  missingAt: Node | null,
): void {
  const name = label(path);
  const has = present(node);
  // A key written with no value (`name:`) is pointed at; a key not written at all, at its map.
  if (!has && node !== null && at) missingAt = at;
  switch (field.type) {
    case "string": {
      if (!has) {
        if (field.required) report.error(path, `${name} is a required field`, missingAt);
        return;
      }
      if (!isScalar(node)) return report.error(path, "wrong type for this field", at);
      const value = scalarText(node) ?? "";
      if (field.required && value === "") return report.error(path, `${name} is a required field`, at);
      for (const rule of field.rules ?? []) {
        const message = rule(value, name);
        // An unquoted 1.0 is the number 1 to YAML: say so, the message alone would puzzle.
        const hint = typeof node.value === "number" && node.source !== value ? ` (unquoted, ${node.source} is the number ${value}: write "${node.source}")` : "";
        if (message) return report.error(path, message + hint, at);
      }
      return;
    }
    case "bool": {
      if (!has) {
        if (field.required) report.error(path, `${name} is a required field`, missingAt);
        return;
      }
      if (!isScalar(node) || typeof node.value !== "boolean") report.error(path, "wrong type for this field", at);
      return;
    }
    case "list": {
      if (!has) {
        if (field.required) report.error(path, `${name} is a required field`, missingAt);
        else if (field.nonEmpty) report.error(path, `${name} must contain more than 0 items`, missingAt);
        return;
      }
      if (!isSeq(node)) return report.error(path, "wrong type for this field", at);
      if (field.nonEmpty && node.items.length === 0) return report.error(path, `${name} must contain more than 0 items`, at);
      node.items.forEach((item, index) => {
        const element = report.resolve(item);
        walk(report, field.items, element, [...path, index], element ?? at, element ?? at);
      });
      return;
    }
    case "stringOrList": {
      if (!has) return;
      if (isScalar(node)) return walk(report, field.items, node, [...path, 0], at, at);
      if (!isSeq(node)) return report.error(path, "wrong type for this field", at);
      node.items.forEach((item, index) => {
        const element = report.resolve(item);
        walk(report, field.items, element, [...path, index], element ?? at, element ?? at);
      });
      return;
    }
    case "map": {
      if (!has || !isMap(node)) {
        if (has) report.error(path, "wrong type for this field", at);
        // A Go struct (not a pointer) is validated even when absent or mistyped: its required keys are missing.
        if (field.always) {
          const anchor = has ? node : at;
          for (const [key, child] of Object.entries(field.fields)) walk(report, child, null, [...path, key], null, anchor);
        }
        return;
      }
      const found = entries(report, node);
      for (const pair of node.items as Pair<unknown, unknown>[]) {
        const key = report.resolve(pair.key);
        const keyName = scalarText(key);
        if (keyName === null) report.error(path, "keys must be strings", key ?? node);
        else if (!Object.hasOwn(field.fields, keyName)) report.error([...path, keyName], `unknown field "${keyName}"`, key);
      }
      const anchor = missingAnchor(report, node);
      for (const [key, child] of Object.entries(field.fields)) {
        const entry = found.get(key);
        walk(report, child, entry?.value ?? null, [...path, key], entry?.key ?? null, anchor);
      }
      return;
    }
    case "languages": {
      if (!has) {
        if (field.nonEmpty) report.error(path, `${name} must contain more than 0 items`, missingAt);
        return;
      }
      if (!isMap(node)) return report.error(path, "wrong type for this field", at);
      const found = entries(report, node);
      if (field.nonEmpty && found.size === 0) return report.error(path, `${name} must contain more than 0 items`, at);
      for (const [language, entry] of found) {
        if (!isLanguageTag(language)) {
          report.error([...path, language], `${name} must be a valid BCP 47 language`, entry.key);
          continue;
        }
        walk(report, field.items, entry.value, [...path, language], entry.key, entry.key);
      }
      return;
    }
  }
}
