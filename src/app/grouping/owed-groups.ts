// The alert groups owed their incident (AlertGrouping.refused): a firing delivery was answered 5xx
// and none of the group's deliveries has been written since, so a resolved delivery of the group
// opens the incident it never got. Alertmanager's retry may land on another replica: with the Redis
// lock the record is shared through the lock's Redis (one key per group, with an expiry); else it is
// this process's. Either way an entry lasts OWED_TTL_MS at most and the in-process one is bounded.
import type { Redis } from "ioredis";
import type { KeyLock } from "../lock.js";
import { RedisKeyLock } from "../redis-lock.js";

/**
 * How long a refused group stays owed: Alertmanager retries a notification until it succeeds or the
 * group's next notification replaces it (repeat_interval, 4 h by default), so a few hours covers the
 * retries of a storm without keeping a record forever.
 */
export const OWED_TTL_MS = 6 * 3_600_000;
/** Groups remembered in-process at most (oldest forgotten first). */
export const MAX_OWED = 10_000;
export const OWED_PREFIX = "aftershock:owed:";

/** The owed groups, by lock key (incidentLockKey of the repository and group key). */
export interface OwedGroups {
  add(key: string): Promise<void>;
  delete(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

export class InProcessOwedGroups implements OwedGroups {
  /** Key → when it stops being owed (ms), oldest first. */
  readonly #until = new Map<string, number>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = OWED_TTL_MS,
    private readonly max = MAX_OWED,
  ) {}

  async add(key: string): Promise<void> {
    this.#until.delete(key);
    this.#until.set(key, this.clock() + this.ttlMs);
    while (this.#until.size > this.max) this.#until.delete(this.#until.keys().next().value!);
  }

  async delete(key: string): Promise<void> {
    this.#until.delete(key);
  }

  async has(key: string): Promise<boolean> {
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.#until.delete(key);
    return false;
  }

  get size(): number {
    return this.#until.size;
  }
}

/** Shared by the replicas: one key per owed group, expiring after `ttlMs` (Redis bounds it). */
export class RedisOwedGroups implements OwedGroups {
  constructor(
    /** The Redis connection, when ready (RedisKeyLock.connection). */
    private readonly redis: () => Promise<Redis>,
    private readonly ttlMs = OWED_TTL_MS,
    /** Prefixes the keys (tests give each run its own). */
    private readonly prefix = OWED_PREFIX,
  ) {}

  async add(key: string): Promise<void> {
    await (await this.redis()).set(this.prefix + key, "1", "PX", this.ttlMs);
  }

  async delete(key: string): Promise<void> {
    await (await this.redis()).del(this.prefix + key);
  }

  async has(key: string): Promise<boolean> {
    return (await (await this.redis()).exists(this.prefix + key)) === 1;
  }
}

/** Through the lock's Redis when the lock is a RedisKeyLock (several replicas), else in-process. */
export function owedGroupsFor(lock: KeyLock, clock: () => number = Date.now): OwedGroups {
  return lock instanceof RedisKeyLock
    ? new RedisOwedGroups(() => lock.connection())
    : new InProcessOwedGroups(clock);
}
