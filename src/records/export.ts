// Bulk exports of the catalogue, written to a stream one record at a time:
// memory stays flat whatever the catalogue's size.
import { once } from "node:events";
import type { Writable } from "node:stream";
import { publicRepositoryFields, type PublicRepository } from "./repository.ts";

export type ExportFormat = "json" | "csv";

export const exportFormats: readonly ExportFormat[] = ["json", "csv"];

// --- CSV content (issue 14): separator, byte-order mark, formula injection ---

/** "," by default; ";" for spreadsheets of locales where the comma is the decimal mark (French Excel). */
export type CsvSeparator = "," | ";";

export interface CsvOptions {
  separator?: CsvSeparator;
  /** Starts the file with a UTF-8 byte-order mark, which Excel needs to read UTF-8 (else "Ã©" for "é"). */
  bom?: boolean;
  /** Columns, in order; default the public repository record's fields. */
  fields?: readonly string[];
}

export const utf8Bom = "\uFEFF";

/**
 * A CSV field per RFC 4180. A text a spreadsheet would run as a formula (it
 * starts with =, +, -, @, or a tab or carriage return that some strip first)
 * gets a leading apostrophe, as OWASP advises: harvested descriptions are
 * written by anyone. Fields holding the separator, a quote or a line break are quoted.
 */
export function csvField(value: unknown, separator: CsvSeparator = ","): string {
  if (value === null || value === undefined) return "";
  let text = Array.isArray(value) ? value.join(",") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  const needsQuotes = text.includes(separator) || /[",\r\n]/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(options: CsvOptions = {}): string {
  const separator = options.separator ?? ",";
  return `${options.bom ? utf8Bom : ""}${(options.fields ?? publicRepositoryFields).join(separator)}\r\n`;
}

export function csvRow(record: object, options: CsvOptions = {}): string {
  const separator = options.separator ?? ",";
  const values = record as Record<string, unknown>;
  return `${(options.fields ?? publicRepositoryFields).map((field) => csvField(values[field], separator)).join(separator)}\r\n`;
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
export async function writeExport(records: Iterable<PublicRepository>, format: ExportFormat, out: Writable, csvOptions: CsvOptions = {}): Promise<number> {
  let count = 0;
  const write = async (chunk: string) => {
    if (out.destroyed) throw new ExportAbortedError();
    if (!out.write(chunk)) await drained(out);
  };
  if (format === "csv") {
    await write(csvHeader(csvOptions));
    for (const record of records) {
      await write(csvRow(record, csvOptions));
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
