// Structured logs with pino: one JSON object a line (what log collectors
// read), pretty-printed on a terminal when the optional pino-pretty is
// installed. The rest of the code base logs through plain `(message) => void`
// callbacks; `lineLogger` adapts a pino logger to them.
import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "../config/config.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; default standard output (pretty on a terminal when pino-pretty is there). */
  destination?: DestinationStream;
  /** Fields on every line, e.g. the worker's number. */
  base?: Record<string, unknown>;
}

/** pino-pretty is an optional dependency: production images may leave it out. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { pid: process.pid, ...options.base };
  if (options.destination) return pino({ level: options.level, base }, options.destination);
  if (process.stdout.isTTY && prettyAvailable()) {
    return pino({ level: options.level, base, transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } });
  }
  return pino({ level: options.level, base });
}

/** The `(message) => void` callbacks of the harvest, the search engine and the scheduler, on a pino logger. */
export function lineLogger(logger: Logger, level: "info" | "warn" | "error" = "info"): (message: string) => void {
  return (message) => logger[level](message);
}
