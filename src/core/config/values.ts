// The value types of configuration options. Inputs and flags arrive as strings, checks YAML also as
// numbers and booleans; each type accepts both and says what it expects when the value is wrong.
import { z } from "zod";
import { formatDays, parseDuration } from "../text/duration.js";
import { parseSeverityBands } from "../gate/severity.js";
import type { SeverityBand } from "../gate/types.js";
import { errorMessage } from "../errors.js";

/** The most earlier windows a gate compares with: each costs queries and a little power. */
export const MAX_SEASONAL_OFFSETS = 4;
/** Five weeks back: beyond a typical Prometheus retention, and no longer "the same week". */
export const MAX_SEASONAL_OFFSET_SECONDS = 35 * 86_400;

export type Seasonality = "auto" | "off" | number[];

/** The most history a gate reads to learn its bar: as far back as a seasonal offset may reach. */
export const MAX_HISTORY_SECONDS = MAX_SEASONAL_OFFSET_SECONDS;

/** A non-empty string, e.g. a query. */
export const text = (missing = "must not be empty") => z.string(missing).min(1, missing);

/** One of a few words. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

/** A number, or a string holding one (a percentage like "50%" becomes 0.5). */
export const fraction = () =>
  z.union([z.number(), z.string()]).transform((raw, ctx) => {
    if (typeof raw === "number") return raw;
    const m = /^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)\s*$/i.exec(raw);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `expected a number or a percentage like 50%, got "${raw}"` });
      return z.NEVER;
    }
    return m[2] ? Number(m[1]) / 100 : Number(m[1]);
  });

/** true or false, as a boolean or a string. */
export const flag = () =>
  z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
    ctx.addIssue({ code: "custom", message: `expected true or false, got "${raw}"` });
    return z.NEVER;
  });

/** A whole number >= 0. */
export const count = () =>
  z.union([z.number(), z.string()]).transform((raw, ctx) => {
    const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: "custom", message: `expected a whole number, got "${raw}"` });
      return z.NEVER;
    }
    return n;
  });

// Gate-level values name their option in the message themselves ('window "10x" is not a duration'),
// the wording users and tests already know.

/** A duration like 30s or 1h30m, in seconds; `zero` also accepts 0 ("no delay"). */
export const duration = (name: string, { zero = false } = {}) =>
  z.string().transform((raw, ctx) => {
    if (zero && /^\s*0+(\.0*)?(ms|s|m|h|d|w)?\s*$/.test(raw)) return 0;
    try {
      return parseDuration(raw, name);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: errorMessage(err) });
      return z.NEVER;
    }
  });

/** One of a few words, with a message that lists them. */
export const namedChoice = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.string().transform((raw, ctx) => {
    if ((values as readonly string[]).includes(raw)) return raw as T[number];
    ctx.addIssue({ code: "custom", message: `${name} "${raw}" must be one of ${values.join(", ")}` });
    return z.NEVER;
  });

/** A whole number of at least 1. */
export const positiveCount = (name: string) =>
  z.string().transform((raw, ctx) => {
    if (/^[1-9]\d*$/.test(raw)) return Number(raw);
    ctx.addIssue({ code: "custom", message: `${name} "${raw}" must be a whole number of at least 1` });
    return z.NEVER;
  });

export const severityBands = () =>
  z.string().transform((raw, ctx): SeverityBand[] => {
    try {
      return parseSeverityBands(raw);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: errorMessage(err) });
      return z.NEVER;
    }
  });

/** `auto`, `off`, or earlier offsets like `1d,7d` (in seconds, ascending). */
export const seasonality = (name: string) =>
  z.string().transform((raw, ctx): Seasonality => {
    const v = raw.trim().toLowerCase();
    if (v === "auto" || v === "off") return v;
    const fail = (why: string) => {
      ctx.addIssue({ code: "custom", message: `${name} "${raw}" ${why}` });
      return z.NEVER;
    };
    const parts = v.split(",").map((p) => p.trim());
    if (parts.some((p) => p === ""))
      return fail("must be auto, off, or durations separated by commas like 1d,7d");
    const offsets: number[] = [];
    for (const part of parts) {
      try {
        offsets.push(parseDuration(part, "offset"));
      } catch (err) {
        return fail(`must be auto, off, or durations like 1d,7d: ${errorMessage(err)}`);
      }
    }
    if (offsets.length > MAX_SEASONAL_OFFSETS)
      return fail(`lists ${offsets.length} offsets: at most ${MAX_SEASONAL_OFFSETS}`);
    const tooFar = offsets.find((s) => s > MAX_SEASONAL_OFFSET_SECONDS);
    if (tooFar !== undefined)
      return fail(
        `reaches ${formatDays(tooFar)} back: at most ${formatDays(MAX_SEASONAL_OFFSET_SECONDS)} (5 weeks)`,
      );
    const sorted = [...offsets].sort((a, b) => a - b);
    if (sorted.some((s, i) => i > 0 && s === sorted[i - 1])) return fail("lists the same offset twice");
    return sorted;
  });

/** `off`, or how much of the past to learn the bar from, like 7d (at most 5 weeks). */
export const historySetting = (name: string) =>
  z.string().transform((raw, ctx): "off" | number => {
    const v = raw.trim().toLowerCase();
    if (v === "off") return v;
    const fail = (why: string) => {
      ctx.addIssue({ code: "custom", message: `${name} "${raw}" ${why}` });
      return z.NEVER;
    };
    let seconds: number;
    try {
      seconds = parseDuration(v, name);
    } catch (err) {
      return fail(`must be off or a duration like 7d: ${errorMessage(err)}`);
    }
    if (!(seconds > 0)) return fail("must be longer than 0s (or off)");
    if (seconds > MAX_HISTORY_SECONDS)
      return fail(
        `reaches ${formatDays(seconds)} back: at most ${formatDays(MAX_HISTORY_SECONDS)} (5 weeks)`,
      );
    return seconds;
  });
