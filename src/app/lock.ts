// Serializes work per key (an alert group), so concurrent deliveries of one group open one incident.
// In-process only; a Redis implementation of the same interface lets several replicas share it.
import { HttpError } from "./http.js";

export interface KeyLock {
  /**
   * Runs `fn` once no other `fn` holds `key`; returns (or throws) what `fn` does. Refused with
   * LockQueueFull, before `fn` runs, when `maxWaiters` callers already wait for the key.
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
}

export interface LockOptions {
  /** This caller is refused when this many already wait for the key (default: the lock's own bound). */
  maxWaiters?: number;
}

/** Waiters per key beyond the holder; each may hold a 1 MB delivery, so the queue is bounded. */
export const DEFAULT_MAX_WAITERS = 20;

/**
 * The bound for work GitHub does not send again (a webhook, a slash command): it waits behind a
 * queue of Alertmanager deliveries that refuses the next delivery (Alertmanager retries), and only
 * a far longer queue, one that cannot drain soon, refuses it.
 */
export const WEBHOOK_MAX_WAITERS = 100;

/** `waiting` callers already wait for the key: 503 with retry-after, so Alertmanager comes back later. */
export class LockQueueFull extends HttpError {
  constructor(readonly waiting: number) {
    super(
      503,
      `${waiting} deliveries are already waiting for this alert group; Alertmanager will retry`,
      undefined,
      { "retry-after": "5" },
    );
    this.name = "LockQueueFull";
  }
}

/** A webhook's or slash command's work was not done: too many updates were waiting for the incident. */
export class IncidentBusyError extends Error {
  constructor(readonly waiting: number) {
    super(
      `the incident is busy: ${waiting} updates were already waiting for its lock, so this one was not ` +
        "applied; GitHub does not resend it, so send it again (redeliver the webhook, post the command again)",
    );
    this.name = "IncidentBusyError";
  }
}

/**
 * Runs `fn` under `key`'s lock for a webhook or a slash command: it queues up to WEBHOOK_MAX_WAITERS
 * (where an Alertmanager delivery is refused at the lock's own bound), and a queue longer still
 * fails it with IncidentBusyError, which says the event was not applied, rather than the
 * Alertmanager 503. A LockQueueFull from a lock `fn` itself takes is not translated.
 */
export async function withIncidentLock<T>(lock: KeyLock, key: string, fn: () => Promise<T>): Promise<T> {
  let started = false;
  try {
    return await lock.withLock(
      key,
      () => {
        started = true;
        return fn();
      },
      { maxWaiters: WEBHOOK_MAX_WAITERS },
    );
  } catch (err) {
    if (!started && err instanceof LockQueueFull) throw new IncidentBusyError(err.waiting);
    throw err;
  }
}

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

  async withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const previous = this.#tails.get(key);
    const waiting = this.#waiting.get(key) ?? 0;
    if (previous && waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
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
