// Group commit: changes for one incident that queue while its lock is held are applied together,
// in one read and one write, and each caller is answered only after the write that holds its
// change. Items still queued when their deadline passes are answered 503 (never half-applied), and a
// full queue refuses new items at once, so a storm cannot queue work past Alertmanager's timeout.
import type { KeyLock } from "../lock.js";
import { busy, withDeadline } from "../pacing/deadline.js";

export interface GroupCommitOptions<T = unknown> {
  /** Items applied in one batch at most. Default 200. */
  maxBatch?: number;
  /** Items queued for one key at most; past it, 503. Default 1000. */
  maxQueued?: number;
  /** The clock deadlines are read on (ms since the epoch). Default Date.now. */
  clock?: () => number;
  /**
   * Waited for under the lock before a batch is taken (the next write slot): changes that arrive
   * meanwhile join the batch, and those whose deadline passes leave it with 503, unwritten.
   */
  ready?: (key: string, first: T) => Promise<void>;
}

/** Applies a batch under the key's lock; returns one result per item, in order. */
export type CommitBatch<T, R> = (key: string, items: T[]) => Promise<R[]>;

interface Pending<T, R> {
  item: T;
  deadline: number;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

export class GroupCommit<T, R> {
  readonly #queues = new Map<string, Array<Pending<T, R>>>();
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  readonly #clock: () => number;
  readonly #ready: ((key: string, first: T) => Promise<void>) | undefined;

  constructor(
    private readonly lock: KeyLock,
    private readonly commit: CommitBatch<T, R>,
    options: GroupCommitOptions<T> = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxQueued = options.maxQueued ?? 1000;
    this.#clock = options.clock ?? Date.now;
    this.#ready = options.ready;
  }

  /** Queues `item` for `key`; resolves after the write that contains it. */
  submit(key: string, item: T, deadline: number): Promise<R> {
    let queue = this.#queues.get(key);
    const draining = queue !== undefined;
    queue ??= [];
    if (queue.length >= this.#maxQueued) {
      return Promise.reject(busy(`${queue.length} changes are already queued for this incident`, 5_000));
    }
    this.#queues.set(key, queue);
    const result = new Promise<R>((resolve, reject) => {
      const pending: Pending<T, R> = {
        item,
        deadline,
        resolve,
        reject,
        // Still queued at the deadline: nothing of it is written, so 503 loses nothing.
        timer: setTimeout(
          () => {
            const q = this.#queues.get(key);
            const at = q?.indexOf(pending) ?? -1;
            if (at < 0) return;
            q!.splice(at, 1);
            reject(busy("this incident's earlier changes are still being written", 5_000));
          },
          Math.max(0, deadline - this.#clock()),
        ),
      };
      queue.push(pending);
    });
    if (!draining) void this.#drain(key);
    return result;
  }

  /** Items waiting for `key` (tests, metrics). */
  queued(key: string): number {
    return this.#queues.get(key)?.length ?? 0;
  }

  async #drain(key: string): Promise<void> {
    const queue = this.#queues.get(key)!;
    while (queue.length > 0) {
      let batch: Array<Pending<T, R>> = [];
      try {
        await this.lock.withLock(key, async () => {
          if (this.#ready && queue.length > 0) await this.#ready(key, queue[0]!.item);
          // Taken once the lock is ours: everything that queued while we waited joins this batch.
          batch = queue.splice(0, this.#maxBatch);
          for (const p of batch) clearTimeout(p.timer);
          if (batch.length === 0) return;
          const deadline = Math.max(...batch.map((p) => p.deadline));
          const results = await withDeadline(deadline, () =>
            this.commit(
              key,
              batch.map((p) => p.item),
            ),
          );
          batch.forEach((p, i) => p.resolve(results[i]!));
        });
      } catch (err) {
        // The lock or the write failed: the batch is retried by its senders (5xx); when the lock
        // itself could not be had, so are the items that queued behind it.
        const failed = batch.length > 0 ? batch : queue.splice(0, queue.length);
        for (const p of failed) {
          clearTimeout(p.timer);
          p.reject(err);
        }
      }
    }
    this.#queues.delete(key);
  }
}
