// A bounded number of heavy requests at once (exports), the next ones queued,
// and a bounded queue: past it, clients are told to come back later instead of
// piling up sockets and memory.
import { HttpError } from "./errors.ts";

export interface Slots {
  /** Resolves with a release function once a slot is free; throws HttpError 503 when the queue is full. */
  acquire(): Promise<() => void>;
  readonly running: number;
  readonly queued: number;
}

export function createSlots(max: number, queueMax = max * 8): Slots {
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    acquire: () => {
      if (running < max) {
        running++;
        return Promise.resolve(once());
      }
      if (queue.length >= queueMax) return Promise.reject(new HttpError(503, "busy", `${running} exports are running and ${queue.length} waiting: try again in a minute`));
      // The slot passes straight from the releaser to the next in line: `running` does not change.
      return new Promise((resolve) => queue.push(() => resolve(once())));
    },
    get running() {
      return running;
    },
    get queued() {
      return queue.length;
    },
  };
}
