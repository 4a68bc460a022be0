// Bulk exports of the catalogue, written to a stream one record at a time:
// memory stays flat whatever the catalogue's size.
import { once } from "node:events";
import type { Writable } from "node:stream";
import { publicRepositoryFields, type PublicRepository } from "./repository.ts";

// "jsonl" (JSON Lines: one public record a line, for data pipelines): issue 12.
export type ExportFormat = "json" | "csv" | "jsonl";

export const exportFormats: readonly ExportFormat[] = ["json", "csv", "jsonl"];

/** A CSV field per RFC 4180; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = Array.isArray(value) ? value.join(",") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${publicRepositoryFields.join(",")}\r\n`;
}

export function csvRow(record: PublicRepository): string {
  return `${publicRepositoryFields.map((field) => csvField(record[field])).join(",")}\r\n`;
}

/** The destination closed before the end: an HTTP client that went away. */
export class ExportAbortedError extends Error {
  override name = "ExportAbortedError";
  constructor() {
    super("the export's destination closed before the end");
  }
}

/**
 * Waits for room in `out`. A destroyed stream never emits "drain" (a client
 * that disconnected mid-download): its "close" ends the wait with an error, so
 * the caller's source (a database cursor) is released instead of waiting for ever.
 */
async function drained(out: Writable): Promise<void> {
  const controller = new AbortController();
  try {
    await Promise.race([
      once(out, "drain", { signal: controller.signal }),
      once(out, "close", { signal: controller.signal }).then(() => {
        throw new ExportAbortedError();
      }),
    ]);
  } finally {
    controller.abort();
  }
}

/** Writes `records` to `out` in `format`, waiting for the stream to drain. Returns the count. */
export async function writeExport(records: Iterable<PublicRepository>, format: ExportFormat, out: Writable): Promise<number> {
  let count = 0;
  const write = async (chunk: string) => {
    if (out.destroyed) throw new ExportAbortedError();
    if (!out.write(chunk)) await drained(out);
  };
  if (format === "jsonl") {
    for (const record of records) {
      await write(`${JSON.stringify(record)}\n`);
      count++;
    }
  } else if (format === "csv") {
    await write(csvHeader());
    for (const record of records) {
      await write(csvRow(record));
      count++;
    }
  } else {
    await write("[");
    for (const record of records) {
      await write(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(record)}`);
      count++;
    }
    await write(count === 0 ? "]\n" : "\n]\n");
  }
  return count;
}

// --- code.json (issue 12): the US inventory format, one object whose "releases" are streamed ---

/** Writes a code.json inventory: `header`'s fields, then `releases` one at a time. Returns the count. */
export async function writeCodeJson(header: object, releases: Iterable<object>, out: Writable): Promise<number> {
  let count = 0;
  const write = async (chunk: string) => {
    if (out.destroyed) throw new ExportAbortedError();
    if (!out.write(chunk)) await drained(out);
  };
  const head = JSON.stringify(header);
  await write(`${head.slice(0, -1)}${head === "{}" ? "" : ","}"releases":[`);
  for (const release of releases) {
    await write(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(release)}`);
    count++;
  }
  await write(count === 0 ? "]}\n" : "\n]}\n");
  return count;
}
