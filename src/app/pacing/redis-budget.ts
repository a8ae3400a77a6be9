// The write budget shared by every replica through Redis: with REDIS_URL several replicas answer
// Alertmanager, and GitHub's secondary limits count the installation's writes from all of them. The
// rule is WriteBudget's (a sliding minute and hour window, writes and notifying writes spaced as
// Probot's throttling spaces them, slots handed out in order); the slots live in a sorted set per
// installation and one Lua script reads and takes them atomically, so two replicas never get the
// same slot. Slot times are the replicas' clocks (ms since the epoch): keep them in sync (NTP).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { KeyLock } from "../lock.js";
import { RedisKeyLock } from "../redis-lock.js";
import type { WriteBudgetLimits, WriteSlots } from "./write-budget.js";
import { DEFAULT_WRITE_BUDGET, WriteBudget, budgetRefusal } from "./write-budget.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * KEYS: the slots (sorted set, score = slot time), the last notifying slot.
 * ARGV: now, perMinute, perHour, writeSpacingMs, notifySpacingMs, mode, deadline (-1: none), member.
 * mode: "window" (minute and hour only, takes nothing), "peek" (every rule, takes nothing),
 * "take" or "take-notify" (takes the slot when it is not past the deadline).
 * Returns { slot, taken (0/1) }.
 */
const SLOT = `
local now = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local perHour = tonumber(ARGV[3])
local mode = ARGV[6]
local deadline = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ${HOUR})
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local function at(index)
  return tonumber(redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')[2])
end
if n >= perMinute then slot = math.max(slot, at(n - perMinute) + ${MINUTE}) end
if n >= perHour then slot = math.max(slot, at(n - perHour) + ${HOUR}) end
if mode ~= 'window' then
  if n > 0 then slot = math.max(slot, at(n - 1) + tonumber(ARGV[4])) end
  if mode == 'take-notify' then
    local last = redis.call('GET', KEYS[2])
    if last then slot = math.max(slot, tonumber(last) + tonumber(ARGV[5])) end
  end
end
if (mode == 'take' or mode == 'take-notify') and (deadline < 0 or slot <= deadline) then
  redis.call('ZADD', KEYS[1], slot, ARGV[8])
  redis.call('PEXPIRE', KEYS[1], slot - now + ${HOUR})
  if mode == 'take-notify' then
    redis.call('SET', KEYS[2], slot, 'PX', slot - now + ${HOUR})
  end
  return { slot, 1 }
end
return { slot, 0 }
`;

type Mode = "window" | "peek" | "take" | "take-notify";

export class RedisWriteBudget implements WriteSlots {
  constructor(
    /** The Redis connection, when ready (RedisKeyLock.connection). */
    private readonly redis: () => Promise<Redis>,
    readonly limits: WriteBudgetLimits = DEFAULT_WRITE_BUDGET,
    private readonly now: () => number = Date.now,
    /** Prefixes the keys (tests give each run its own). */
    private readonly prefix = "aftershock:budget:",
  ) {
    if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
      throw new Error(`a write budget needs 1 ≤ perMinute ≤ perHour, got ${JSON.stringify(limits)}`);
  }

  /** When the next write for `key` could be sent, across replicas (takes nothing). */
  async nextSlot(key: string): Promise<number> {
    return (await this.#slot(key, "peek")).slot;
  }

  async admit(key: string, deadline: number): Promise<void> {
    const { slot } = await this.#slot(key, "window");
    if (slot > deadline) throw budgetRefusal(this.limits, slot - this.now());
  }

  async untilFree(key: string): Promise<void> {
    await sleep((await this.#slot(key, "peek")).slot - this.now());
  }

  async take(key: string, deadline?: number, notify = false): Promise<void> {
    const { slot, taken } = await this.#slot(key, notify ? "take-notify" : "take", deadline);
    if (!taken) throw budgetRefusal(this.limits, slot - this.now());
    await sleep(slot - this.now());
  }

  /** Writes taken in the last minute and hour by every replica (metrics, tests). */
  async used(key: string): Promise<{ minute: number; hour: number }> {
    const now = this.now();
    const slots = `${this.prefix}${key}:slots`;
    const redis = await this.redis();
    const [minute, hour] = await Promise.all([
      redis.zcount(slots, `(${now - MINUTE}`, "+inf"),
      redis.zcount(slots, `(${now - HOUR}`, "+inf"),
    ]);
    return { minute, hour };
  }

  async #slot(key: string, mode: Mode, deadline?: number): Promise<{ slot: number; taken: boolean }> {
    const { perMinute, perHour, writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
    const redis = await this.redis();
    const reply = (await redis.eval(
      SLOT,
      2,
      `${this.prefix}${key}:slots`,
      `${this.prefix}${key}:notified`,
      this.now(),
      perMinute,
      perHour,
      writeSpacingMs,
      notifySpacingMs,
      mode,
      deadline ?? -1,
      randomUUID(),
    )) as [number, number];
    return { slot: Number(reply[0]), taken: Number(reply[1]) === 1 };
  }
}

/**
 * The app's write budget: with the Redis lock (several replicas) shared through the same Redis, so
 * the replicas together stay under GitHub's limits; else this process's. One per app, used by every
 * path that creates content (alerts, failed deploy checks).
 */
export function writeBudgetFor(
  lock: KeyLock,
  limits: WriteBudgetLimits = DEFAULT_WRITE_BUDGET,
  clock: () => number = Date.now,
): WriteSlots {
  return lock instanceof RedisKeyLock
    ? new RedisWriteBudget(() => lock.connection(), limits, clock)
    : new WriteBudget(limits, clock);
}

const sleep = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
