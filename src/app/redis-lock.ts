// A KeyLock shared by every replica through Redis: SET NX PX with a random token to acquire, a
// compare-and-delete script to release (only the owner may), and a watchdog that extends the lease
// while `fn` runs, so a slow GitHub call does not let another replica in. Redis trouble fails the
// delivery at once with 503 (Alertmanager retries) rather than hanging it.
import { redactUrl } from "../core/text/urls.js";
import { randomBytes } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { HttpError } from "./http.js";
import { DEFAULT_MAX_WAITERS, LockQueueFull, type KeyLock, type LockOptions } from "./lock.js";
import { errorMessage } from "../core/errors.js";

export const LOCK_PREFIX = "aftershock:lock:";

export interface RedisKeyLockOptions {
  /** Lease length; the watchdog renews it every third of this while `fn` runs. Default 30 s. */
  ttlMs?: number;
  /** How long to wait for a held key before answering 503. Default 30 s. */
  waitMs?: number;
  /** The watchdog stops renewing after this long, so a stuck `fn` cannot hold a group forever. Default 5 min. */
  maxHoldMs?: number;
  /** Callers of this replica waiting for one key at most; the next gets 503 at once. Default 20. */
  maxWaiters?: number;
  /** First retry delay while waiting (doubles, jittered, up to 500 ms). Default 20 ms. */
  retryMinMs?: number;
  /** Told about problems that do not fail the delivery: a lost lease, a failed release, connection errors. */
  onError?: (err: Error, key?: string) => void;
}

/** Acquire: the holder's random token is the value, so only the holder can renew or release it. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** Options that make a Redis outage fail commands at once instead of queueing them. */
export const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  commandTimeout: 2000,
  // Keep reconnecting in the background (at most every 2 s) so the lock serves again once Redis is back.
  retryStrategy: (times) => Math.min(times * 100, 2000),
};

/** The URL without credentials, for logs and error messages. */
export function describeRedisUrl(url: string): string {
  return redactUrl(url);
}

export class RedisKeyLock implements KeyLock {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #maxHoldMs: number;
  readonly #retryMinMs: number;
  readonly #maxWaiters: number;
  readonly #waiting = new Map<string, number>();
  readonly #onError: (err: Error, key?: string) => void;
  readonly #where: string;

  /** Uses `redis` as given; prefer `RedisKeyLock.connect`, which sets the fail-fast options. */
  constructor(redis: Redis, options: RedisKeyLockOptions = {}, where = "Redis") {
    this.#redis = redis;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#waitMs = options.waitMs ?? 30_000;
    this.#maxHoldMs = options.maxHoldMs ?? 5 * 60_000;
    this.#retryMinMs = options.retryMinMs ?? 20;
    this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
    this.#onError = options.onError ?? (() => undefined);
    this.#where = where;
    if (!(this.#ttlMs >= 100)) throw new Error(`the lock TTL must be at least 100 ms, got ${this.#ttlMs}`);
  }

  /**
   * The lock's Redis connection, for state the replicas share beside it (the write budget), once a
   * connection attempt under way has had its outcome.
   */
  async connection(): Promise<Redis> {
    await this.#connected();
    return this.#redis;
  }

  /** A lock on its own connection to `url` (redis:// or rediss://), with commands failing fast when Redis is down. */
  static connect(url: string, options: RedisKeyLockOptions = {}): RedisKeyLock {
    const redis = new Redis(url, FAIL_FAST);
    const lock = new RedisKeyLock(redis, options, describeRedisUrl(url));
    // Without a listener ioredis prints every reconnect failure; the app logs them instead.
    redis.on("error", (err: Error) => options.onError?.(err));
    return lock;
  }

  async withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const redisKey = LOCK_PREFIX + key;
    const token = randomBytes(16).toString("hex");
    // Each waiter may hold a 1 MB delivery for up to waitMs: bound how many pile up per key here.
    const waiting = this.#waiting.get(key) ?? 0;
    if (waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
    this.#waiting.set(key, waiting + 1);
    try {
      await this.#acquire(redisKey, token, key);
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left > 0) this.#waiting.set(key, left);
      else this.#waiting.delete(key);
    }
    const stop = this.#watchdog(redisKey, token, key);
    try {
      return await fn();
    } finally {
      stop();
      await this.#release(redisKey, token, key);
    }
  }

  /** Readiness: resolves when Redis answers PING, else rejects with why. */
  async ping(): Promise<void> {
    try {
      await this.#connected();
      await this.#redis.ping();
    } catch (err) {
      throw this.#unreachable(err);
    }
  }

  /** Closes the connection (pending lock waits then fail). */
  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  async #acquire(redisKey: string, token: string, key: string): Promise<void> {
    const deadline = Date.now() + this.#waitMs;
    let delay = this.#retryMinMs;
    for (;;) {
      let reply: string | null;
      try {
        await this.#connected();
        reply = await this.#redis.set(redisKey, token, "PX", this.#ttlMs, "NX");
      } catch (err) {
        throw this.#unreachable(err);
      }
      if (reply === "OK") return;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new HttpError(
          503,
          `another delivery of ${key} held the lock for over ${this.#waitMs} ms; try again later`,
          undefined,
          { "retry-after": String(Math.ceil(this.#ttlMs / 1000)) },
        );
      }
      // Full jitter keeps replicas that woke together from retrying in step.
      await sleep(Math.min(left, delay / 2 + (Math.random() * delay) / 2));
      delay = Math.min(delay * 2, 500);
    }
  }

  /** Renews the lease every ttl/3 until stopped, the lease is lost, or maxHoldMs has passed. */
  #watchdog(redisKey: string, token: string, key: string): () => void {
    const started = Date.now();
    const timer = setInterval(
      () => {
        if (Date.now() - started > this.#maxHoldMs) {
          clearInterval(timer);
          this.#onError(
            new Error(`held ${key} for over ${this.#maxHoldMs} ms: no longer renewing the lease`),
            key,
          );
          return;
        }
        this.#redis.eval(EXTEND, 1, redisKey, token, this.#ttlMs).then(
          (renewed) => {
            if (renewed !== 1) {
              clearInterval(timer);
              this.#onError(new Error(`lost the lock on ${key}: its lease expired while the work ran`), key);
            }
          },
          // The lease may still be alive: keep trying until it expires.
          (err: Error) => this.#onError(err, key),
        );
      },
      Math.floor(this.#ttlMs / 3),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The work is done either way: a failed release is reported, and the lease expires on its own. */
  async #release(redisKey: string, token: string, key: string): Promise<void> {
    try {
      await this.#redis.eval(RELEASE, 1, redisKey, token);
    } catch (err) {
      this.#onError(err as Error, key);
    }
  }

  /** While a (re)connection attempt is under way, wait for its outcome (bounded by connectTimeout). */
  async #connected(): Promise<void> {
    const redis = this.#redis;
    if (!["wait", "connecting", "connect"].includes(redis.status)) return;
    if (redis.status === "wait") void redis.connect().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off("ready", done).off("error", done).off("close", done);
        resolve();
      };
      const timer = setTimeout(done, 3000);
      redis.once("ready", done).once("error", done).once("close", done);
    });
  }

  #unreachable(err: unknown): HttpError {
    return new HttpError(
      503,
      `the shared lock in Redis (${this.#where}) is unreachable: ${errorMessage(err)}. ` +
        `Check that Redis is up and REDIS_URL is right; Alertmanager will retry`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
