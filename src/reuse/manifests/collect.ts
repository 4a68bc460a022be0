// What every manifest parser shares: the bounds, the name checks, the messages.
// A parser reads its format and hands each name it finds to a Collector, which
// normalises or rejects it, removes duplicates and stops at the limits.
import { normalisePackageName, quoteForMessage } from "../names.ts";
import { manifestLimits, type Dependency, type DependencyScope, type Ecosystem, type ManifestResult, type PackageRef } from "../types.ts";

export class Collector {
  private readonly publishes: PackageRef[] = [];
  private readonly dependencies: Dependency[] = [];
  private readonly seen = new Set<string>();
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  private droppedErrors = 0;
  private droppedWarnings = 0;
  private droppedDependencies = 0;

  constructor(readonly ecosystem: Ecosystem) {}

  publish(raw: unknown): void {
    const checked = normalisePackageName(this.ecosystem, raw);
    if (!checked.ok) return this.error(`published name rejected: ${checked.error}`);
    if (this.publishes.some((ref) => ref.name === checked.name)) return;
    if (this.publishes.length >= manifestLimits.maxPublishes) return;
    this.publishes.push({ ecosystem: this.ecosystem, name: checked.name });
  }

  depend(raw: unknown, scope: DependencyScope, requirement: unknown): void {
    const checked = normalisePackageName(this.ecosystem, raw);
    if (!checked.ok) return this.error(`dependency rejected: ${checked.error}`);
    const key = `${scope}\u0000${checked.name}`;
    if (this.seen.has(key)) return;
    if (this.dependencies.length >= manifestLimits.maxDependencies) {
      this.droppedDependencies += 1;
      return;
    }
    this.seen.add(key);
    this.dependencies.push({ ecosystem: this.ecosystem, name: checked.name, scope, requirement: this.requirement(requirement, checked.name) });
  }

  error(message: string): void {
    if (this.errors.length < manifestLimits.maxMessages) this.errors.push(message);
    else this.droppedErrors += 1;
  }

  warn(message: string): void {
    if (this.warnings.length < manifestLimits.maxMessages) this.warnings.push(message);
    else this.droppedWarnings += 1;
  }

  /** The result; call once, at the end. */
  result(): ManifestResult {
    if (this.droppedDependencies > 0) {
      this.error(`more than ${manifestLimits.maxDependencies} dependencies: ${this.droppedDependencies} ignored`);
    }
    const errors = this.droppedErrors > 0 ? [...this.errors, `${this.droppedErrors} more errors`] : this.errors;
    const warnings = this.droppedWarnings > 0 ? [...this.warnings, `${this.droppedWarnings} more warnings`] : this.warnings;
    return { publishes: this.publishes, dependencies: this.dependencies, errors, warnings };
  }

  /** A requirement as written, or null when absent, not text, too long or not printable. */
  private requirement(raw: unknown, name: string): string | null {
    if (typeof raw !== "string") return null;
    const text = raw.trim();
    if (text === "") return null;
    if (text.length > manifestLimits.maxRequirementLength || /[\u0000-\u001f\u007f]/.test(text)) {
      this.warn(`requirement of ${quoteForMessage(name)} ignored: too long or not printable`);
      return null;
    }
    return text;
  }
}

/** The refusal of a file over the size limit, before any parsing; null when the size is fine. */
export function oversized(text: string): ManifestResult | null {
  // Cheap bound first: a UTF-8 byte is at most one UTF-16 unit, and a unit at most 3 bytes.
  if (text.length <= manifestLimits.maxBytes / 3) return null;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= manifestLimits.maxBytes) return null;
  return { publishes: [], dependencies: [], errors: [`file larger than 1 MB (${bytes} bytes): not read`], warnings: [] };
}

/** A plain object (not an array, not null), as JSON and TOML tables are. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON manifest's top-level object; null (with the error recorded in `out`) when it is not valid JSON or not an object. */
export function jsonObject(text: string, fileName: string, out: Collector): Record<string, unknown> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    out.error(`${fileName} is not valid JSON: ${parserMessage(error)}`);
    return null;
  }
  if (!isTable(json)) {
    out.error(`${fileName} is not a JSON object`);
    return null;
  }
  return json;
}

/** The message of a parser's exception, one line, bounded. */
export function parserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
