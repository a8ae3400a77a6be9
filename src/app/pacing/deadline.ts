// When the sender stops waiting for the delivery being handled. Alertmanager gives a notification
// max(group_interval, 10 s); an answer after that is lost and the same change is sent again. Work
// that would wait past the deadline (a queue, a write slot) answers 503 at once instead, so
// Alertmanager's retry comes back to a shorter queue. Carried with AsyncLocalStorage so the GitHub
// client's hook sees the deadline of the delivery that made the request.
import { AsyncLocalStorage } from "node:async_hooks";
import { HttpError } from "../http.js";

const current = new AsyncLocalStorage<number>();

/** Runs `fn` with `at` (ms since the epoch) as the deadline of everything it starts. */
export function withDeadline<T>(at: number, fn: () => Promise<T>): Promise<T> {
  return current.run(at, fn);
}

/**
 * Runs `fn` with no deadline: work that outlives the delivery that started it (an event's
 * listeners: the auto-rollback, the author note) must not inherit a deadline that has passed by the
 * time it writes, or every write slot it asks for is refused.
 */
export function withoutDeadline<T>(fn: () => T): T {
  return current.exit(fn);
}

/** The deadline of the work running now, if it has one. */
export function currentDeadline(): number | undefined {
  return current.getStore();
}

/** A 503 that tells Alertmanager (and people) when to try again. */
export function busy(message: string, retryAfterMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(503, message, undefined, { "retry-after": String(seconds) });
}

/**
 * Runs `fn` under `key`'s lock if the lock is had before `deadline`; else 503, and `fn` never runs
 * (when the lock comes later, the turn is passed on at once). A queue behind a slow holder then
 * answers Alertmanager before it gives up, with nothing half done.
 */
export async function withLockBefore<T>(
  lock: { withLock<R>(key: string, fn: () => Promise<R>): Promise<R> },
  key: string,
  deadline: number,
  clock: () => number,
  fn: () => Promise<T>,
): Promise<T> {
  let gaveUp = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        gaveUp = true;
        reject(busy("waited too long for this alert group's earlier delivery", 5_000));
      },
      Math.max(0, deadline - clock()),
    );
  });
  const run = lock.withLock(key, async () => {
    clearTimeout(timer);
    if (gaveUp) return undefined as T;
    return fn();
  });
  // After giving up, the turn's own outcome (even a failure to lock) has nobody to go to.
  run.catch(() => undefined);
  try {
    return await Promise.race([run, expired]);
  } finally {
    clearTimeout(timer);
  }
}
