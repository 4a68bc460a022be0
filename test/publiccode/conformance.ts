// Agreement with the reference validator on its own test files
// (../shared/data/publiccode/parser-testdata, see its README): verdicts, and
// the reference's error keys found among ours. Used by conformance.test.ts.
import fs from "node:fs";
import path from "node:path";
import { validatePubliccodeBytes, type PubliccodeResult } from "../../src/publiccode/validate.ts";

export const conformanceDir = path.resolve(import.meta.dirname, "../../../shared/data/publiccode/parser-testdata");

interface ExpectedError {
  key: string;
  artifact?: boolean;
  alsoAccept?: string[];
}
interface ExpectedCase {
  path: string;
  valid: boolean;
  errors: ExpectedError[];
}

/** The data's own normalisation: lower case, [x] as .x, numeric segments dropped. */
export function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/\[([^\]]*)\]/g, ".$1")
    .split(".")
    .filter((segment) => segment !== "" && !/^\d+$/.test(segment))
    .join(".");
}

export interface CaseOutcome {
  path: string;
  expectedValid: boolean;
  valid: boolean;
  missingKeys: string[];
  result: PubliccodeResult;
}

export interface Conformance {
  cases: number;
  verdictAgreement: number;
  invalidCases: number;
  invalidWithKeys: number;
  outcomes: CaseOutcome[];
}

/** The files beside a case, for its relative logos and screenshots, confined to the case's folder. */
function filesBeside(file: string) {
  const folder = path.dirname(file);
  return {
    read(relative: string): Uint8Array | null {
      const target = path.resolve(folder, relative);
      if (!target.startsWith(folder + path.sep)) return null;
      try {
        return fs.readFileSync(target);
      } catch {
        return null;
      }
    },
  };
}

/** withFiles: the cases' relative logos and screenshots are read beside them (as the command line does); else the text alone (as the API). */
export function runConformance(withFiles = true): Conformance {
  const expected = JSON.parse(fs.readFileSync(path.join(conformanceDir, "expected.json"), "utf8")) as { cases: ExpectedCase[] };
  const outcomes: CaseOutcome[] = [];
  for (const entry of expected.cases) {
    const file = path.join(conformanceDir, "cases", entry.path);
    const result = validatePubliccodeBytes(fs.readFileSync(file), withFiles ? { files: filesBeside(file) } : {});
    const ours = new Set(result.errors.map((error) => normaliseKey(error.key)));
    const missingKeys = entry.valid
      ? []
      : entry.errors
          .filter((error) => !error.artifact && error.key !== "")
          .filter((error) => ![error.key, ...(error.alsoAccept ?? [])].some((key) => ours.has(normaliseKey(key))))
          .map((error) => error.key);
    // A reference key "" (a YAML-level error) is matched by any error of ours.
    if (!entry.valid && entry.errors.some((error) => error.key === "") && result.errors.length === 0) missingKeys.push("(any)");
    outcomes.push({ path: entry.path, expectedValid: entry.valid, valid: result.valid, missingKeys, result });
  }
  const invalid = outcomes.filter((outcome) => !outcome.expectedValid);
  return {
    cases: outcomes.length,
    verdictAgreement: outcomes.filter((outcome) => outcome.valid === outcome.expectedValid).length,
    invalidCases: invalid.length,
    invalidWithKeys: invalid.filter((outcome) => outcome.missingKeys.length === 0).length,
    outcomes,
  };
}
