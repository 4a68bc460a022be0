// pip requirements files (requirements.txt, requirements-dev.txt...): one PEP 508
// specifier a line, plus pip's own options. The format is defined line by line
// (https://pip.pypa.io/en/stable/reference/requirements-file-format/), so it is
// read line by line: continuations joined, comments cut, options recognised.
import { quoteForMessage } from "../names.ts";
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, oversized } from "./collect.ts";
import { parsePep508 } from "./pep508.ts";

/** The package named by a URL's `#egg=name` fragment, as pip reads it; null without one. */
function eggName(url: string): string | null {
  const hash = url.indexOf("#");
  if (hash < 0) return null;
  for (const part of url.slice(hash + 1).split("&")) {
    if (part.startsWith("egg=")) return part.slice(4).split("[")[0] ?? null;
  }
  return null;
}

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** Logical lines: a line ending with a backslash continues on the next one. Line numbers are the first physical line's. */
function* logicalLines(text: string): Generator<[line: number, content: string]> {
  const physical = text.split(/\r\n|\n|\r/);
  let buffer = "";
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    const line = physical[i]!;
    if (buffer === "") start = i + 1;
    if (line.endsWith("\\")) {
      buffer += `${line.slice(0, -1)} `;
      continue;
    }
    yield [start, buffer + line];
    buffer = "";
  }
  if (buffer !== "") yield [start, buffer];
}

/** Cut a comment: `#` at the start of a line or after whitespace (a URL's `#egg=` fragment is not one). */
function withoutComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/**
 * @param scope the scope of every line: "dev" for requirements-dev.txt and the like
 *   (the dispatcher, index.ts, decides from the file name), "runtime" otherwise.
 */
export function parse(text: string, scope: DependencyScope = "runtime"): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("pypi");
  for (const [lineNumber, raw] of logicalLines(text)) {
    const line = withoutComment(raw).trim();
    if (line === "") continue;
    const at = `line ${lineNumber}`;
    if (line.startsWith("-")) {
      // "-r file", "--requirement file" or "--requirement=file": the option ends at the first space or "=".
      const end = line.search(/[\s=]/);
      const option = end < 0 ? line : line.slice(0, end);
      const value = end < 0 ? "" : line.slice(end + 1).trim();
      if (option === "-r" || option === "--requirement" || option === "-c" || option === "--constraint") {
        out.warn(`${at}: ${option} ${quoteForMessage(value)} ignored: only the manifests at the root of the repository are read`);
      } else if (option === "-e" || option === "--editable") {
        const name = eggName(value);
        if (name) out.depend(name, scope, value.split("#")[0] ?? null);
        else out.warn(`${at}: editable requirement without #egg= name ignored`);
      }
      // Other options (--index-url, --find-links, --hash on its own line...) say where
      // to download from, not what: nothing to record.
      continue;
    }
    // Per-requirement options (`--hash=sha256:...`, `--config-settings`) follow the specifier.
    const optionAt = line.search(/\s--?[a-z]/i);
    const spec = optionAt < 0 ? line : line.slice(0, optionAt).trim();
    if (isUrl(spec)) {
      const name = eggName(spec);
      if (name) out.depend(name, scope, spec.split("#")[0] ?? null);
      else out.warn(`${at}: URL without #egg= name ignored`);
      continue;
    }
    if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("~")) {
      out.warn(`${at}: local path ignored`);
      continue;
    }
    const parsed = parsePep508(spec);
    if (!parsed.ok) {
      out.error(`${at}: not a requirement (${parsed.error}): ${quoteForMessage(spec)}`);
      continue;
    }
    out.depend(parsed.name, scope, parsed.requirement);
  }
  return out.result();
}
