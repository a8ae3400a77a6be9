// Serializes work per key (an alert group), so concurrent deliveries of one group open one incident.
// In-process only; a Redis implementation of the same interface lets several replicas share it.

export interface KeyLock {
  /** Runs `fn` once no other `fn` holds `key`; returns (or throws) what `fn` does. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** A per-key FIFO of promises; a key is forgotten once its queue drains, so memory stays bounded. */
export class InProcessKeyLock implements KeyLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    // The next caller waits for this one whatever its outcome; errors go to this caller only.
    const run = previous.then(fn, fn);
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

  /** How many keys are held or waited on (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }
}
