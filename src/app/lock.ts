// Serializes work per key (an alert group), so concurrent deliveries of one group open one incident.
// In-process only; a Redis implementation of the same interface lets several replicas share it.
import { HttpError } from "./http.js";

export interface KeyLock {
  /** Runs `fn` once no other `fn` holds `key`; returns (or throws) what `fn` does. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Waiters per key beyond the holder; each may hold a 1 MB delivery, so the queue is bounded. */
export const DEFAULT_MAX_WAITERS = 20;

/**
 * A per-key FIFO of promises; a key is forgotten once its queue drains, so memory stays bounded.
 * A key with `maxWaiters` callers already waiting refuses the next with 503 (Alertmanager retries).
 */
export class InProcessKeyLock implements KeyLock {
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #waiting = new Map<string, number>();
  readonly #maxWaiters: number;

  constructor(options: { maxWaiters?: number } = {}) {
    this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const waiting = this.#waiting.get(key) ?? 0;
    if (previous && waiting >= this.#maxWaiters) {
      throw new HttpError(
        503,
        `${waiting} deliveries are already waiting for this alert group; Alertmanager will retry`,
        undefined,
        { "retry-after": "5" },
      );
    }
    if (previous) this.#waiting.set(key, waiting + 1);
    const started = previous ? previous.then(() => this.#leaveQueue(key)) : Promise.resolve();
    // The next caller waits for this one whatever its outcome; errors go to this caller only.
    const run = started.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  #leaveQueue(key: string): void {
    const left = (this.#waiting.get(key) ?? 1) - 1;
    if (left > 0) this.#waiting.set(key, left);
    else this.#waiting.delete(key);
  }

  /** How many keys are held or waited on (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }
}
