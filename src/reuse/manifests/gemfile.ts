// RubyGems Gemfile. A Gemfile is Ruby: we do not evaluate it. We read it one
// statement a line, as Bundler's own documentation writes them:
//   gem "rails", "~> 7.1", require: false
//   gem("pg", ">= 1.1", group: :production)
//   group :development, :test do ... end
// and follow do/end nesting to know which group a gem line is in. Gems added by
// Ruby code (loops, conditions that compute names) are not seen: acceptable for
// a statistic of reuse, and safe. A gemspec is not read (not needed here).
import type { DependencyScope, ManifestResult } from "../types.ts";
import { Collector, oversized } from "./collect.ts";

/** Groups whose gems are development tooling. */
const devGroups = new Set(["development", "test", "dev", "lint", "ci", "doc", "docs"]);

type Token = { kind: "string"; value: string } | { kind: "symbol"; value: string } | { kind: "key"; value: string } | { kind: "other"; value: string };

/** The arguments of one call, split at top-level commas, each reduced to the token kinds we use. */
function tokens(args: string): Token[] | null {
  const result: Token[] = [];
  let i = 0;
  while (i < args.length) {
    const c = args[i]!;
    if (c === " " || c === "\t" || c === "," || c === "(" || c === ")" || c === "[" || c === "]") {
      i += 1;
    } else if (c === "#") {
      break;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < args.length && args[j] !== c) {
        // An escape is kept as written (backslash included): gem names need none, and the name check rejects it.
        if (args[j] === "\\" && j + 1 < args.length) {
          value += args[j];
          j += 1;
        }
        value += args[j];
        j += 1;
      }
      if (j >= args.length) return null;
      result.push({ kind: "string", value });
      i = j + 1;
    } else {
      let j = i;
      while (j < args.length && !" \t,()[]#".includes(args[j]!)) j += 1;
      const word = args.slice(i, j);
      i = j;
      if (word.startsWith(":") && word.length > 1) result.push({ kind: "symbol", value: word.slice(1) });
      else if (word.endsWith(":") && word.length > 1) result.push({ kind: "key", value: word.slice(0, -1) });
      else if (word === "=>") {
        // Hash-rocket style, `:group => :test`: the symbol before it is a key.
        const last = result[result.length - 1];
        if (last?.kind === "symbol") result[result.length - 1] = { kind: "key", value: last.value };
      }
      else result.push({ kind: "other", value: word });
    }
  }
  return result;
}

function isDevGroupList(list: Token[]): boolean {
  const groups = list.filter((token) => token.kind === "symbol" || token.kind === "string").map((token) => token.value);
  return groups.length > 0 && groups.every((group) => devGroups.has(group));
}

/**
 * The line without its trailing `do` (and block parameters `|x|`) when it opens a
 * do-block; null otherwise. Written by hand: the obvious regular expression (a word
 * boundary, "do", optional spaces, optional |params|, optional spaces, end of line)
 * backtracks quadratically on a long run of spaces.
 */
function beforeDo(line: string): string | null {
  let text = line.trimEnd();
  if (text.endsWith("|")) {
    const open = text.lastIndexOf("|", text.length - 2);
    if (open < 0) return null;
    text = text.slice(0, open).trimEnd();
  }
  if (!text.endsWith("do")) return null;
  const before = text.length > 2 ? text[text.length - 3]! : " ";
  return /[A-Za-z0-9_]/.test(before) ? null : text.slice(0, -2);
}

/** Lines that open a block closed by `end`, besides those ending in `do`. */
const blockOpeners = /^(if|unless|case|while|until|begin|def|class|module)\b/;

export function parse(text: string): ManifestResult {
  const tooBig = oversized(text);
  if (tooBig) return tooBig;
  const out = new Collector("rubygems");
  // One entry per open block: whether it is a development group; devBlocks counts the true ones,
  // so that a line's group costs O(1) however deep the nesting.
  const blocks: boolean[] = [];
  let devBlocks = 0;
  const open = (dev: boolean): void => {
    blocks.push(dev);
    if (dev) devBlocks += 1;
  };
  const lines = text.split(/\r\n|\n|\r/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const at = `line ${n + 1}`;
    const inDev = devBlocks > 0;
    const statement = /^(gem|group)\b\s*\(?/.exec(line);
    if (statement && statement[1] === "gem") {
      const list = tokens(line.slice(statement[0].length));
      if (!list || list[0]?.kind !== "string") {
        out.error(`${at}: a gem line whose name is not a string literal`);
        continue;
      }
      const [name, ...rest] = list;
      const versions: string[] = [];
      let scope: DependencyScope = inDev ? "dev" : "runtime";
      for (let k = 0; k < rest.length; k++) {
        const token = rest[k]!;
        if (token.kind === "string" && versions.length === k) versions.push(token.value);
        if (token.kind === "key") {
          // group: :test, groups: [:development, :test]: the values up to the next key.
          if (token.value === "group" || token.value === "groups") {
            const values: Token[] = [];
            for (let v = k + 1; v < rest.length && rest[v]!.kind !== "key"; v++) values.push(rest[v]!);
            if (isDevGroupList(values)) scope = "dev";
          }
        }
      }
      out.depend(name.value, scope, versions.length > 0 ? versions.join(", ") : null);
      if (beforeDo(line) !== null) open(false);
      continue;
    }
    const groupArgs = statement && statement[1] === "group" ? beforeDo(line.slice(statement[0].length)) : null;
    if (groupArgs !== null) {
      const list = tokens(groupArgs);
      open(list !== null && isDevGroupList(list.filter((token) => token.kind !== "key")));
      continue;
    }
    if (line === "end" || line.startsWith("end ") || line.startsWith("end#")) {
      const closed = blocks.pop();
      if (closed === undefined) out.error(`${at}: end without an open block`);
      else if (closed) devBlocks -= 1;
      continue;
    }
    if (beforeDo(line) !== null || blockOpeners.test(line)) open(false);
  }
  if (blocks.length > 0) out.error(`${blocks.length} block(s) never closed with end`);
  return out.result();
}
