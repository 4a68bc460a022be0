// ============================================================================
// PLACEHOLDER (branch h9b): the real validator is helper h9a's, contract C3.
// The lead replaces this whole file with h9a's at merge. It only parses the
// YAML and calls a mapping with publiccodeYmlVersion valid, so that h9b's
// harvest, pages, checks, search and API can be built against the signature.
// ============================================================================
import { isMap, parseDocument } from "yaml";

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

export function validatePubliccode(text: string): PubliccodeResult {
  const parsed = parseDocument(text, { prettyErrors: false });
  if (parsed.errors.length > 0 || !isMap(parsed.contents)) {
    const first = parsed.errors[0];
    return {
      valid: false,
      version: null,
      errors: [{ key: "", line: first?.linePos?.[0]?.line ?? null, column: first?.linePos?.[0]?.col ?? null, message: first?.message ?? "not a YAML mapping" }],
      warnings: [],
      document: null,
    };
  }
  const document = parsed.toJS() as Record<string, unknown>;
  const rawVersion = document.publiccodeYmlVersion;
  const version = typeof rawVersion === "string" || typeof rawVersion === "number" ? String(rawVersion) : null;
  if (version === null) {
    return { valid: false, version: null, errors: [{ key: "publiccodeYmlVersion", line: null, column: null, message: "publiccodeYmlVersion is required" }], warnings: [], document };
  }
  return { valid: true, version, errors: [], warnings: [], document };
}
