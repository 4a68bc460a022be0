// Bulk exports of the catalogue, written to a stream one record at a time:
// memory stays flat whatever the catalogue's size.
import type { Writable } from "node:stream";
import { publicRepositoryFields, type PublicRepository } from "./repository.ts";

// "jsonl" (JSON Lines: one public record a line, for data pipelines): issue 12.
export type ExportFormat = "json" | "csv" | "jsonl";

export const exportFormats: readonly ExportFormat[] = ["json", "csv", "jsonl"];

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
 * Records written between two turns of the event loop. A client that reads as
 * fast as we write (Accept-Encoding: identity on loopback, behind a proxy)
 * never makes write() return false, so without this an export of 50,000
 * repositories ran to its end in one turn and stalled every other request
 * for seconds. A hundred records is well under a millisecond of work.
 */
export const recordsPerTurn = 100;

/**
 * Backpressure of `out`, with ONE "drain" listener for the whole export.
 * Adding and removing one per wait is not enough: compression() forwards
 * res.on("drain") to its gzip stream but not res.removeListener, so listeners
 * piled up there and every compressed export logged MaxListenersExceededWarning.
 * A destroyed stream never emits "drain" (a client that disconnected
 * mid-download): "close" ends the wait with an error, so the caller's source
 * (a database cursor) is released instead of waiting for ever.
 */
function backpressure(out: Writable): { wait(): Promise<void>; dispose(): void } {
  let pending: { resolve: () => void; reject: (error: Error) => void } | null = null;
  let closed = false;
  const onDrain = () => {
    const waiting = pending;
    pending = null;
    waiting?.resolve();
  };
  const onClose = () => {
    closed = true;
    const waiting = pending;
    pending = null;
    waiting?.reject(new ExportAbortedError());
  };
  out.on("drain", onDrain);
  out.once("close", onClose);
  return {
    wait: () => {
      if (closed || out.destroyed) return Promise.reject(new ExportAbortedError());
      return new Promise<void>((resolve, reject) => (pending = { resolve, reject }));
    },
    dispose: () => {
      out.removeListener("drain", onDrain);
      out.removeListener("close", onClose);
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How a stream of records is framed: what comes before them, each one, what comes after. */
interface Framing<T> {
  head: string;
  item(record: T, index: number): string;
  tail(count: number): string;
}

/** A JSON array of records: "[", one per line, "]". */
const jsonArray = (open: string, close: string): Framing<object> => ({
  head: open,
  item: (record, index) => `${index === 0 ? "\n" : ",\n"}${JSON.stringify(record)}`,
  tail: (count) => (count === 0 ? `${close}\n` : `\n${close}\n`),
});

const jsonLines: Framing<object> = { head: "", item: (record) => `${JSON.stringify(record)}\n`, tail: () => "" };

/**
 * Writes `records` to `out` framed as asked, waiting for the stream to drain
 * and letting other work run every `recordsPerTurn` records. Returns the count.
 * Every export goes through here, so the backpressure and the fairness are written once.
 */
async function writeFramed<T>(records: Iterable<T>, framing: Framing<T>, out: Writable): Promise<number> {
  let count = 0;
  const room = backpressure(out);
  const write = async (chunk: string) => {
    if (chunk === "") return;
    if (out.destroyed) throw new ExportAbortedError();
    if (!out.write(chunk)) await room.wait();
    else if (count % recordsPerTurn === recordsPerTurn - 1) await nextTurn();
  };
  try {
    await write(framing.head);
    for (const record of records) {
      await write(framing.item(record, count));
      count++;
    }
    await write(framing.tail(count));
  } finally {
    room.dispose();
  }
  return count;
}

/** Writes `records` to `out` in `format`. Returns the count. */
export function writeExport(records: Iterable<PublicRepository>, format: ExportFormat, out: Writable, csvOptions: CsvOptions = {}): Promise<number> {
  if (format === "jsonl") return writeJsonLines(records, out);
  if (format === "csv") return writeFramed(records, { head: csvHeader(csvOptions), item: (record) => csvRow(record, csvOptions), tail: () => "" }, out);
  return writeFramed(records, jsonArray("[", "]"), out);
}

// --- JSON Lines of any records (issue 12): the public records, and the publiccode.yml documents ---

/** Writes `records` one JSON object a line. Returns the count. */
export function writeJsonLines(records: Iterable<object>, out: Writable): Promise<number> {
  return writeFramed(records, jsonLines, out);
}

// --- code.json (issue 12): the US inventory format, one object whose "releases" are streamed ---

/** Writes a code.json inventory: `header`'s fields, then `releases` one at a time. Returns the count. */
export function writeCodeJson(header: object, releases: Iterable<object>, out: Writable): Promise<number> {
  const head = JSON.stringify(header);
  return writeFramed(releases, jsonArray(`${head.slice(0, -1)}${head === "{}" ? "" : ","}"releases":[`, "]}"), out);
}
