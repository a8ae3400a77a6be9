// The app's own budget of content-creating GitHub requests per installation, so a storm stays under
// GitHub's secondary rate limits by design (about 80 a minute and 500 an hour) instead of retrying
// into them. Each write takes the next free slot of a sliding minute and hour window, in arrival
// order; a write whose slot would come after its delivery's deadline is refused with 503 before it is
// sent, and a delivery arriving when the budget has no slot before its deadline is refused before
// any work (admit). In-process; with the Redis lock the replicas share one (redis-budget.ts).
import type { ProbotOctokit } from "probot";
import { HttpError } from "../http.js";
import { busy } from "./deadline.js";

export interface WriteBudgetLimits {
  perMinute: number;
  perHour: number;
  /**
   * Least time between two writes, and between two that notify people (issues, comments, PRs):
   * Probot's throttling spaces them 1 s and 3 s apart per installation (as `npm start` runs). The
   * budget hands out slots the same way, so it knows when a write will really go. Default 0.
   */
  writeSpacingMs?: number;
  notifySpacingMs?: number;
}

/**
 * The default: a margin under GitHub's documented secondary limits for content-creating requests
 * (80 a minute, 500 an hour), for the app's other writers (commands, PRs).
 */
export const DEFAULT_WRITE_BUDGET: WriteBudgetLimits = { perMinute: 60, perHour: 450 };
/** The spacing of Probot's production throttling (@octokit/plugin-throttling's write and notification groups). */
export const PROBOT_THROTTLING_SPACING = { writeSpacingMs: 1000, notifySpacingMs: 3000 };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Installations remembered at most; the least recently used is forgotten first. */
const MAX_KEYS = 10_000;

/** Content-creating: every REST write. GraphQL queries (POST /graphql) read. */
export function isContentCreating(method: string | undefined, url: string | undefined): boolean {
  const m = (method ?? "GET").toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return path !== "/graphql" && !/^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}

/** Writes that notify people, which Probot's throttling spaces furthest apart. */
export function notifies(method: string | undefined, url: string | undefined): boolean {
  if ((method ?? "").toUpperCase() !== "POST") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return /^\/repos\/[^/]+\/[^/]+\/(issues|pulls)(\/[^/]+\/comments)?$/.test(path);
}

/** What the alert path asks of a write budget: in-process (WriteBudget) or shared (RedisWriteBudget). */
export interface WriteSlots {
  readonly limits: WriteBudgetLimits;
  /** Refuses (BudgetRefusal) a delivery when the minute or hour has no room before `deadline`. */
  admit(key: string, deadline: number): void | Promise<void>;
  /** Resolves when `key`'s next write slot has come (takes nothing). */
  untilFree(key: string): Promise<void>;
  /** Takes the next slot and waits for it; BudgetRefusal (nothing taken) when it is past `deadline`. */
  take(key: string, deadline?: number, notify?: boolean): Promise<void>;
}

export class WriteBudget implements WriteSlots {
  /** Slot times (ms) taken per installation within the last hour, ascending. */
  readonly #slots = new Map<string, number[]>();
  /** The last notifying slot per installation. */
  readonly #notified = new Map<string, number>();

  constructor(
    readonly limits: WriteBudgetLimits = DEFAULT_WRITE_BUDGET,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
      throw new Error(`a write budget needs 1 ≤ perMinute ≤ perHour, got ${JSON.stringify(limits)}`);
  }

  /** When the next write for `key` could be sent (ms since the epoch); `notify`: one that notifies. */
  nextSlot(key: string, notify = false): number {
    const now = this.now();
    const slots = this.#live(key, now);
    const { writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
    const lastNotified = this.#notified.get(key);
    return Math.max(
      this.#windowSlot(slots, now),
      slots.length > 0 ? slots.at(-1)! + writeSpacingMs : now,
      notify && lastNotified !== undefined ? lastNotified + notifySpacingMs : now,
    );
  }

  /** Resolves when `key`'s next write slot has come (takes nothing). */
  async untilFree(key: string): Promise<void> {
    const wait = this.nextSlot(key) - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Refuses (503) a delivery when the budget has no room before `deadline`; takes nothing. */
  admit(key: string, deadline: number): void {
    // Only an exhausted minute or hour refuses here: a delivery may need no write at all (an
    // identical redelivery), and a short queue of spaced writes is left to the incident's batch.
    const now = this.now();
    const slot = this.#windowSlot(this.#live(key, now), now);
    if (slot > deadline) throw this.#refusal(slot);
  }

  /**
   * When the minute and hour windows next have room, spacing aside. Slots are handed out in order,
   * so the windows only look back from the last ones.
   */
  #windowSlot(slots: number[], now: number): number {
    const { perMinute, perHour } = this.limits;
    return Math.max(
      now,
      slots.length >= perMinute ? slots[slots.length - perMinute]! + MINUTE : now,
      slots.length >= perHour ? slots[slots.length - perHour]! + HOUR : now,
    );
  }

  /**
   * Takes the next slot and waits for it. Throws 503 (and takes nothing) when the slot comes after
   * `deadline`: the request is never sent.
   */
  async take(key: string, deadline?: number, notify = false): Promise<void> {
    const slot = this.nextSlot(key, notify);
    if (deadline !== undefined && slot > deadline) throw this.#refusal(slot);
    const slots = this.#live(key, this.now());
    slots.push(slot);
    // Map order is insertion order: re-inserting keeps the busiest installations.
    this.#slots.delete(key);
    this.#slots.set(key, slots);
    if (this.#slots.size > MAX_KEYS) this.#slots.delete(this.#slots.keys().next().value!);
    if (notify) {
      this.#notified.delete(key);
      this.#notified.set(key, slot);
      if (this.#notified.size > MAX_KEYS) this.#notified.delete(this.#notified.keys().next().value!);
    }
    const wait = slot - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Writes taken in the last minute and hour (metrics, tests). */
  used(key: string): { minute: number; hour: number } {
    const now = this.now();
    const slots = this.#live(key, now);
    return { minute: slots.filter((t) => t > now - MINUTE).length, hour: slots.length };
  }

  #live(key: string, now: number): number[] {
    const slots = this.#slots.get(key) ?? [];
    const first = slots.findIndex((t) => t > now - HOUR);
    return first < 0 ? [] : first === 0 ? slots : slots.slice(first);
  }

  #refusal(slot: number): BudgetRefusal {
    return budgetRefusal(this.limits, slot - this.now());
  }
}

/** The 503 for a slot `waitMs` away. */
export function budgetRefusal(limits: WriteBudgetLimits, waitMs: number): BudgetRefusal {
  return new BudgetRefusal(
    `the GitHub write budget of this installation (${limits.perMinute}/min, ${limits.perHour}/h) ` +
      `has no slot for ${Math.ceil(waitMs / 1000)} s; Alertmanager will retry`,
    waitMs,
  );
}

/**
 * A 503 from the budget: the request was never sent. A caller with something optional to write (a
 * comment that only notifies) can catch it and hold that back instead of failing the delivery.
 */
export class BudgetRefusal extends HttpError {
  constructor(message: string, retryAfterMs: number) {
    const refusal = busy(message, retryAfterMs);
    super(refusal.status, refusal.message, undefined, refusal.headers);
    this.name = "BudgetRefusal";
  }
}

/** Makes every content-creating request of `octokit` take a slot of `key`'s budget first. */
export function paceWrites<T extends ProbotOctokit>(
  octokit: T,
  budget: WriteSlots,
  key: string,
  deadline: () => number | undefined,
): T {
  octokit.hook.wrap("request", async (request, options) => {
    if (isContentCreating(options.method, options.url))
      await budget.take(key, deadline(), notifies(options.method, options.url));
    return request(options);
  });
  return octokit;
}
