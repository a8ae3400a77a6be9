// Storm settings from the environment (documented in .env.example and the README).
import type { WriteBudgetLimits } from "./write-budget.js";
import { DEFAULT_WRITE_BUDGET, PROBOT_THROTTLING_SPACING } from "./write-budget.js";

export interface PacingSettings {
  /** Content-creating GitHub requests per installation (with the Redis lock, of every replica together). */
  budget: WriteBudgetLimits;
  /** Longest a delivery waits for its incident's queue or a write slot before answering 503. */
  waitMs: number;
  /** The budget's clock (ms since the epoch); tests move it. Default Date.now. */
  clock?: () => number;
}

/** Alertmanager gives a notification at least 10 s (max(group_interval, 10 s)): answer before that. */
export const DEFAULT_WAIT_MS = 8_000;

/**
 * `throttled`: the app runs with Probot's throttling (npm start), so the budget spaces writes as it
 * does and knows when each will really go.
 */
export function readPacingSettings(env: NodeJS.ProcessEnv = process.env, throttled = false): PacingSettings {
  const whole = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  const perMinute = whole("AFTERSHOCK_WRITES_PER_MINUTE", DEFAULT_WRITE_BUDGET.perMinute, 1);
  const perHour = whole(
    "AFTERSHOCK_WRITES_PER_HOUR",
    Math.max(perMinute, DEFAULT_WRITE_BUDGET.perHour),
    perMinute,
  );
  const waitSeconds = whole("ALERTMANAGER_WAIT_SECONDS", DEFAULT_WAIT_MS / 1000, 1);
  const spacing = throttled ? PROBOT_THROTTLING_SPACING : {};
  return { budget: { perMinute, perHour, ...spacing }, waitMs: waitSeconds * 1000 };
}
