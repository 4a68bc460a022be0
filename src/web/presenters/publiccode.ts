// The view model of the /publiccode page: the pasted file with its line
// numbers, each line carrying the errors and warnings about it.
import type { PubliccodeIssue, PubliccodeResult } from "../../publiccode/validate.ts";

/** Lines shown with their issues; past them only the lines that have issues (a pasted file may be 1 MB). */
export const maxShownLines = 2000;

export interface IssueView {
  level: "error" | "warning";
  key: string;
  line: number | null;
  column: number | null;
  message: string;
  /** Anchor of its line in the listing, or null for an issue about the whole file. */
  href: string | null;
}

export interface SourceLineView {
  lineNumber: number;
  text: string;
  issues: IssueView[];
  level: "error" | "warning" | null;
}

export interface PubliccodeView {
  valid: boolean;
  version: string | null;
  errors: number;
  warnings: number;
  issues: IssueView[];
  lines: SourceLineView[];
  /** Lines left out of the listing (past maxShownLines, without issues). */
  hiddenLines: number;
}

const lineAnchor = (line: number) => `line-${line}`;

function toIssue(level: IssueView["level"], issue: PubliccodeIssue, lineCount: number): IssueView {
  const line = issue.line !== null && issue.line >= 1 && issue.line <= lineCount ? issue.line : null;
  return { level, key: issue.key, line, column: line === null ? null : issue.column, message: issue.message, href: line === null ? null : `#${lineAnchor(line)}` };
}

export function presentPubliccode(text: string, result: PubliccodeResult): PubliccodeView {
  const sourceLines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  const issues = [
    ...result.errors.map((issue) => toIssue("error", issue, sourceLines.length)),
    ...result.warnings.map((issue) => toIssue("warning", issue, sourceLines.length)),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.level === b.level ? 0 : a.level === "error" ? -1 : 1));
  const byLine = new Map<number, IssueView[]>();
  for (const issue of issues) if (issue.line !== null) byLine.set(issue.line, [...(byLine.get(issue.line) ?? []), issue]);
  const lines: SourceLineView[] = [];
  sourceLines.forEach((lineText, index) => {
    const lineNumber = index + 1;
    const lineIssues = byLine.get(lineNumber) ?? [];
    if (lineNumber > maxShownLines && lineIssues.length === 0) return;
    const level = lineIssues.some((issue) => issue.level === "error") ? "error" : lineIssues.length > 0 ? "warning" : null;
    lines.push({ lineNumber, text: lineText, issues: lineIssues, level });
  });
  return {
    valid: result.valid,
    version: result.version,
    errors: result.errors.length,
    warnings: result.warnings.length,
    issues,
    lines,
    hiddenLines: sourceLines.length - lines.length,
  };
}
