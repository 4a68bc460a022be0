// publiccode.yml validation, as complete as the reference validator
// (italia/publiccode-parser-go) for the versions it accepts, offline: the YAML
// is parsed once, with positions, then walked along the schema (schema.ts) and
// the cross-field rules (rules.ts). Syntax only: no network, no file unless the
// caller gives access to the files beside the publiccode.yml.
import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { checkRules, type LocalFiles } from "./rules.ts";
import { publiccodeSchema } from "./schema.ts";
import { supportedVersions } from "./vocabulary.ts";
import { entries, Report, TooComplexError, walk } from "./walk.ts";

export type { LocalFiles } from "./rules.ts";

/** One error or warning: the key path as the reference validator names it, and where it is (1-based; null: the whole file). */
export interface PubliccodeIssue {
  key: string;
  line: number | null;
  column: number | null;
  message: string;
}

export interface PubliccodeResult {
  valid: boolean;
  version: string | null;
  errors: PubliccodeIssue[];
  warnings: PubliccodeIssue[];
  /** The parsed YAML (null when it does not parse as a mapping). */
  document: Record<string, unknown> | null;
}

export interface ValidateOptions {
  /** The files beside the publiccode.yml, to check relative logos, screenshots and authorsFile. */
  files?: LocalFiles;
}

/** Larger files are refused unread: a publiccode.yml is a few kilobytes. */
export const maxPubliccodeBytes = 1024 * 1024;
/** Aliases YAML may expand when building the document: more is an alias bomb ("billion laughs"). */
const maxAliasCount = 100;

function failure(key: string, message: string, line: number | null = null, column: number | null = null): PubliccodeResult {
  return { valid: false, version: null, errors: [{ key, line, column, message }], warnings: [], document: null };
}

function byPosition(a: PubliccodeIssue, b: PubliccodeIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function unique(issues: PubliccodeIssue[]): PubliccodeIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.key}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Validates a publiccode.yml given as text. Never throws on bad input: every problem is an issue. */
export function validatePubliccode(text: string, options: ValidateOptions = {}): PubliccodeResult {
  if (Buffer.byteLength(text, "utf8") > maxPubliccodeBytes)
    return failure("", `the file is larger than ${maxPubliccodeBytes / 1024 / 1024} MB`);

  const lines = new LineCounter();
  // logLevel "error": warnings about odd keys are issues of the file, not lines in the server's log.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2", logLevel: "error" });
  const firstError = doc.errors[0];
  if (firstError) {
    if (firstError.code === "MULTIPLE_DOCS") return failure("", "multiple YAML documents in one file are not supported");
    const { line, col } = lines.linePos(firstError.pos[0]);
    // The parser survives hostile nesting by catching its own stack overflow: say what it means.
    if (/call stack/i.test(firstError.message)) return failure("", "the YAML is nested too deeply", line, col);
    return failure("", firstError.message.replace(/ at line \d+, column \d+.*$/s, ""), line, col);
  }

  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount });
  } catch (error) {
    return failure("", `the YAML could not be read: ${(error as Error).message}`);
  }

  const report = new Report(doc, lines);
  try {
    const root = report.resolve(doc.contents);
    if (!root || !isMap(root)) return failure("publiccodeYmlVersion", "publiccodeYmlVersion is a required field");
    // From here the file is a mapping: refusals about the version still give the document (a page can show its name).
    const refuse = (message: string, at?: Node, version: string | null = null): PubliccodeResult => {
      const position = at?.range ? lines.linePos(at.range[0]) : null;
      return { ...failure("publiccodeYmlVersion", message, position?.line ?? null, position?.col ?? null), version, document: document as Record<string, unknown> };
    };
    const versionEntry = entries(report, root).get("publiccodeYmlVersion");
    if (!versionEntry || versionEntry.value === null || (isScalar(versionEntry.value) && versionEntry.value.value === null))
      return refuse("publiccodeYmlVersion is a required field");
    // The version must be written as a string ("0", '0.7'): an unquoted 0.7 is a number, refused as the reference does.
    const versionNode: Node = versionEntry.value;
    if (!isScalar(versionNode) || typeof versionNode.value !== "string") return refuse("wrong type for this field", versionEntry.key);
    const version = versionNode.value;
    if (!supportedVersions.includes(version))
      return refuse(`unsupported version: '${version}'. Supported versions: ${supportedVersions.join(", ")}`, versionEntry.key, version);
    if (version !== "0" && !version.startsWith("0.7"))
      report.warn(
        "publiccodeYmlVersion",
        `v${version} is not the latest version, use '0'. Parsing this file as v${supportedVersions.at(-1)}.`,
        versionEntry.key,
      );

    walk(report, publiccodeSchema, root, [], null, root);
    checkRules(report, root, options.files);

    const errors = unique(report.errors).sort(byPosition);
    return {
      valid: errors.length === 0,
      version,
      errors,
      warnings: unique(report.warnings).sort(byPosition),
      document: document as Record<string, unknown>,
    };
  } catch (error) {
    if (error instanceof TooComplexError) return failure("", error.message);
    throw error;
  }
}

/**
 * Validates a publiccode.yml given as bytes (a file, a request body): refuses
 * more than 1 MB and bytes that are not UTF-8, as the reference does.
 */
export function validatePubliccodeBytes(bytes: Uint8Array, options: ValidateOptions = {}): PubliccodeResult {
  if (bytes.length > maxPubliccodeBytes) return failure("", `the file is larger than ${maxPubliccodeBytes / 1024 / 1024} MB`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return failure("", "Invalid UTF-8");
  }
  return validatePubliccode(text, options);
}
