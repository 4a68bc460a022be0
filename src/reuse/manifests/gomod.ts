// Go go.mod: the module path it publishes and its require directives, with
// `// indirect` marked. go.mod is a line grammar (golang.org/x/mod/modfile): a
// directive a line, or a `verb (` block of lines closed by `)`, tokens being
// bare words or Go strings, `//` comments to the end of the line. This is a
// small lexer for it, one line at a time.
import { quoteForMessage } from "../names.ts";
import type { ManifestResult } from "../types.ts";
import { Collector, oversized } from "./collect.ts";

interface Line {
  tokens: string[];
  comment: string;
}

/** Tokens and trailing comment of one line; null when a string is not closed. */
function lex(line: string): Line | null {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === "\t") {
      i += 1;
    } else if (line.startsWith("//", i)) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === '"' || c === "`") {
      let j = i + 1;
      let value = "";
      while (j < line.length && line[j] !== c) {
        // Interpreted strings may escape; raw strings may not. Module paths need no
        // escapes: one is kept as written (backslash included), so that the name check rejects it.
        if (c === '"' && line[j] === "\\" && j + 1 < line.length) {
          value += line[j];
          j += 1;
        }
        value += line[j];
        j += 1;
      }
      if (j >= line.length) return null;
      tokens.push(value);
      i = j + 1;
    } else if (c === "(" || c === ")") {
      tokens.push(c);
      i += 1;
    } else {
      let j = i;
      while (j < line.length && !" \t()\"`".includes(line[j]!) && !line.startsWith("//", j)) j += 1;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment: "" };
}

const knownVerbs = new Set(["module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore"]);

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("go");
  let block: string | null = null;
  let blockLine = 0;
  const lines = text.split(/\r\n|\n|\r/);
  const require = (tokens: string[], comment: string, at: string): void => {
    if (tokens.length !== 2) {
      out.error(`${at}: a requirement is a module path and a version`);
      return;
    }
    // The go command writes "// indirect" (possibly after other comment text, separated by ";").
    const indirect = comment.split(";").some((part) => part.trim() === "indirect");
    out.depend(tokens[0], indirect ? "indirect" : "runtime", tokens[1]);
  };
  for (let n = 0; n < lines.length; n++) {
    const at = `line ${n + 1}`;
    const lexed = lex(lines[n]!);
    if (!lexed) {
      out.error(`${at}: unterminated string`);
      continue;
    }
    const { tokens, comment } = lexed;
    if (tokens.length === 0) continue;
    if (block !== null) {
      if (tokens.length === 1 && tokens[0] === ")") {
        block = null;
        continue;
      }
      if (block === "require") require(tokens, comment, at);
      else if (block === "module") out.publish(tokens[0]);
      continue;
    }
    const [verb = "", ...args] = tokens;
    if (!knownVerbs.has(verb)) {
      out.error(`${at}: unknown directive ${quoteForMessage(verb)}`);
      continue;
    }
    if (args.length === 1 && args[0] === "(") {
      block = verb;
      blockLine = n + 1;
      continue;
    }
    if (verb === "module") {
      if (args.length !== 1) out.error(`${at}: module takes one path`);
      else out.publish(args[0]);
    } else if (verb === "require") require(args, comment, at);
  }
  if (block !== null) out.error(`line ${blockLine}: ${block} ( is never closed`);
  return out.result();
}
