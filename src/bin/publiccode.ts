// npm run publiccode -- validate [--json] FILE...: validates publiccode.yml files
// as the reference validator does, offline, for publishers' CI. Exit 0 when
// every file is valid, 1 when any is invalid, 2 on a usage error or a file
// that cannot be read.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { maxPubliccodeBytes, validatePubliccodeBytes, type LocalFiles, type PubliccodeIssue, type PubliccodeResult } from "../publiccode/validate.ts";

const usage = "usage: npm run publiccode -- validate [--json] FILE...";
/** Enough of a logo or screenshot to recognise it. */
const headBytes = 64 * 1024;

class UsageError extends Error {}

/** At most `limit` bytes of a file: a file larger than that is refused without being read whole. */
function readHead(file: string, limit: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    for (let read = -1; read !== 0 && length < limit; length += read) read = fs.readSync(fd, buffer, length, limit - length, null);
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** The files of the publiccode.yml's folder (its repository), never outside it. */
function filesBeside(file: string): LocalFiles {
  const folder = path.resolve(path.dirname(file));
  return {
    read(relative) {
      const target = path.resolve(folder, relative);
      if (!target.startsWith(folder + path.sep)) return null;
      try {
        return fs.statSync(target).isFile() ? readHead(target, headBytes) : null;
      } catch {
        return null;
      }
    },
  };
}

interface FileResult {
  file: string;
  valid: boolean;
  errors: PubliccodeIssue[];
  warnings: PubliccodeIssue[];
}

function validateFile(file: string): FileResult {
  // One byte more than allowed: enough to know the file is too large.
  const bytes = readHead(file, maxPubliccodeBytes + 1);
  const result: PubliccodeResult = validatePubliccodeBytes(bytes, { files: filesBeside(file) });
  return { file, valid: result.valid, errors: result.errors, warnings: result.warnings };
}

function describe(file: string, kind: "error" | "warning", issue: PubliccodeIssue): string {
  const where = issue.line === null ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${kind}: ${issue.key ? `${issue.key}: ` : ""}${issue.message}`;
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const [command, ...files] = parsed.positionals;
  if (command !== "validate") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  if (files.length === 0) throw new UsageError("no file given");

  const results: FileResult[] = [];
  let unreadable = false;
  for (const file of files) {
    try {
      results.push(validateFile(file));
    } catch (error) {
      unreadable = true;
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as NodeJS.ErrnoException).code === "EISDIR" ? "is a directory" : (error as Error).message;
      process.stderr.write(`${file}: cannot be read: ${reason}\n`);
    }
  }

  if (parsed.values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else
    for (const result of results) {
      const lines = [...result.errors.map((issue) => describe(result.file, "error", issue)), ...result.warnings.map((issue) => describe(result.file, "warning", issue))];
      const summary = result.valid ? "valid" : `invalid (${result.errors.length} error${result.errors.length > 1 ? "s" : ""})`;
      const warnings = result.warnings.length ? `, ${result.warnings.length} warning${result.warnings.length > 1 ? "s" : ""}` : "";
      process.stdout.write([`${result.file}: ${summary}${warnings}`, ...lines.map((line) => `  ${line}`), ""].join("\n"));
    }
  if (unreadable) return 2;
  return results.every((result) => result.valid) ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n${usage}\n`);
  process.exitCode = 2;
}
