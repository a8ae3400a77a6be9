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

/** The deadline of the work running now, if it has one. */
export function currentDeadline(): number | undefined {
  return current.getStore();
}

/** A 503 that tells Alertmanager (and people) when to try again. */
export function busy(message: string, retryAfterMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(503, message, undefined, { "retry-after": String(seconds) });
}
