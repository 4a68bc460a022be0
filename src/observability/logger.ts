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
  /**
   * Standard output written line by line, synchronously (LOG_SYNC): nothing lost when the process is
   * killed outright, for one write system call a line. Default: buffered (bufferedStdout).
   */
  sync?: boolean;
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

/**
 * Issue 13 (fixed cost of a request): standard output is written
 * asynchronously, in chunks of at least this many bytes (about 20 request
 * lines), instead of one write system call per line on the event loop.
 */
export const logBufferBytes = 4096;
/** A quiet server still shows its lines within this time (a periodic flush). */
export const logFlushMs = 1000;

export function createLogger(options: LoggerOptions): Logger {
  const base = { pid: process.pid, ...options.base };
  if (options.destination) return pino({ level: options.level, base }, options.destination);
  if (process.stdout.isTTY && prettyAvailable()) {
    return pino({ level: options.level, base, transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } });
  }
  return pino({ level: options.level, base }, options.sync ? pino.destination({ dest: 1, sync: true }) : bufferedStdout());
}

/**
 * Standard output through pino's asynchronous destination (sonic-boom), with
 * a buffer. What is buffered is written: every second (a timer that keeps no
 * process alive), at a stop (flushLogger, src/server/run.ts), and on exit,
 * uncaught exceptions included (pino registers a synchronous flush on the
 * process's "exit"). Only a process killed outright (SIGKILL, the kernel's
 * OOM killer, a native crash) loses its last buffer: at most logBufferBytes.
 * fatal() writes synchronously.
 */
function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: logBufferBytes });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // closed at exit: nothing left to write
    }
  }, logFlushMs).unref();
  return destination;
}

/** Writes what the logger still buffers; resolves once written (or at once when it buffers nothing). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** The `(message) => void` callbacks of the harvest, the search engine and the scheduler, on a pino logger. */
export function lineLogger(logger: Logger, level: "info" | "warn" | "error" = "info"): (message: string) => void {
  return (message) => logger[level](message);
}
