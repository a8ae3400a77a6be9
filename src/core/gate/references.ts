// What a watch sample is compared with. The plain reference is the baseline before the deploy; a
// seasonal reference is the same clock window a day or a week earlier; a control reference is the
// stable version at the same time. Each one turns a watch value into a residual (the value minus
// what the reference expected at that time) and holds the residuals of the baseline, so one test
// (robust z per sample, Mann–Whitney over the window) judges every reference alike. A breach must be
// unusual against every reference available: a daily ramp is usual against yesterday, an upstream
// incident is usual against the control.
import {
  deviationBreach,
  worse,
  pct,
  serialCorrelationInflation,
  summarizeBaseline,
  type Baseline,
} from "./judge.js";
import { hodgesLehmannShift, mannWhitneyGreater } from "./stats.js";
import type { CheckSpec, ReferenceUse } from "./types.js";

export interface Comparison {
  /** "baseline", "a day earlier", "a week earlier", "3h earlier", "control". */
  name: string;
  /** Residuals over the baseline: what the test takes as normal. */
  base: Baseline;
  /** What the reference expects at watch time `t` (NaN: it has no value then). */
  expected(t: number): number;
  /**
   * Without a value at t, a required reference (the baseline, the control) keeps the sample from
   * breaching; a seasonal window with a gap abstains instead.
   */
  required: boolean;
  /**
   * Residuals as log ratios (x / expected) rather than differences: when both sides are positive,
   * noise grows with the level (an upstream incident that multiplies both fleets' errors multiplies
   * their noise too), and a ratio keeps the baseline's spread meaningful at the new level.
   */
  log: boolean;
}

/**
 * A comparison from residual baseline values and an expectation over the window. `rhoFloor`: the
 * least serial correlation to assume (residuals of overlapping rate windows are correlated too).
 */
export function comparison(
  name: string,
  residuals: readonly number[],
  expected: (t: number) => number,
  required = false,
  log = false,
  rhoFloor = 0,
): Comparison {
  return { name, base: summarizeBaseline(residuals, rhoFloor), expected, required, log };
}

/** A watch value's residual against what the reference expected. */
export function residual(c: Comparison, value: number, expected: number): number {
  return c.log ? Math.log(value) - Math.log(expected) : value - expected;
}

/** Whether every value is positive: the condition for log-ratio residuals. */
export function allPositive(values: Iterable<number>): boolean {
  for (const v of values) if (!(v > 0)) return false;
  return true;
}

/** The metric value a residual's move from the reference's centre stands for, at the metric's level. */
function implied(c: Comparison, r: number, level: number): number {
  const d = r - c.base.median;
  return c.log ? level * Math.exp(d) : level + d;
}

/**
 * Why the watch sample (t, value) is unusual against every comparison that can speak at t, or null.
 * Comparisons without a value at t abstain; when all abstain, nothing breaches.
 */
export function breachAgainstAll(
  check: CheckSpec,
  comparisons: readonly Comparison[],
  t: number,
  value: number,
  level: number,
): string | null {
  const reasons: string[] = [];
  for (const c of comparisons) {
    const expected = c.expected(t);
    if (!Number.isFinite(expected)) {
      if (c.required) return null;
      continue;
    }
    const r = residual(c, value, expected);
    if (Number.isNaN(r)) continue;
    const why = deviationBreach(check, r, c.base, level, implied(c, r, level));
    if (!why) return null;
    reasons.push(c.name === "baseline" ? why : `against ${c.name}: ${why}`);
  }
  return reasons.length ? reasons.join("; ") : null;
}

/**
 * The first comparison that has a value at t and finds the watch value usual (a daily ramp against
 * yesterday), or null when none can speak or every one that speaks finds it unusual.
 */
export function explainedBy(
  check: CheckSpec,
  comparisons: readonly Comparison[],
  t: number,
  value: number,
  level: number,
): Comparison | null {
  for (const c of comparisons) {
    const expected = c.expected(t);
    if (!Number.isFinite(expected)) continue;
    const r = residual(c, value, expected);
    if (Number.isNaN(r)) continue;
    if (!deviationBreach(check, r, c.base, level, implied(c, r, level))) return c;
  }
  return null;
}

export interface WindowTest {
  name: string;
  p: number;
  /** Hodges–Lehmann shift of the residuals, in the bad direction, relative to the level. */
  effect: number;
  shift: number;
  significant: boolean;
  large: boolean;
}

/** Mann–Whitney and the Hodges–Lehmann effect of the window's residuals against one comparison. */
export function windowTest(
  check: CheckSpec,
  c: Comparison,
  window: ReadonlyArray<{ t: number; v: number }>,
  level: number,
): WindowTest | null {
  const residuals = window
    .map((s) => residual(c, s.v, c.expected(s.t)))
    .filter((r) => !Number.isNaN(r) && Number.isFinite(r));
  if (residuals.length < check.minSamples || c.base.values.length < check.minSamples) return null;
  const base = c.base.values;
  const [hi, lo] = check.direction === "increase" ? [residuals, base] : [base, residuals];
  const { p } = mannWhitneyGreater(hi, lo, serialCorrelationInflation(base, c.base.rhoFloor));
  const hl = hodgesLehmannShift(residuals, base);
  // On a log scale the shift is a ratio: exp(hl) − 1 of the level.
  const shift = worse(check.direction, c.log ? Math.abs(level) * (Math.exp(hl) - 1) : hl);
  const effect = level !== 0 ? shift / Math.abs(level) : shift > 0 ? Infinity : 0;
  return {
    name: c.name,
    p,
    effect,
    shift,
    significant: p < check.alpha,
    large: effect >= check.minEffect && shift >= check.minDelta,
  };
}

export function describeTest(t: WindowTest): string {
  return `${t.name}: p=${t.p.toPrecision(2)}, shift ${pct(Math.max(t.effect, 0))}`;
}

export function referenceUse(name: string, offsetSeconds: number, used: boolean, why: string): ReferenceUse {
  return { name, offsetSeconds, used, why };
}

export interface ReferenceJudgement {
  verdict: "pass" | "fail";
  reason: string;
  /** The least significant test: under "unusual against every reference" it is the one that decides. */
  p: number | null;
}

/**
 * The window verdict over the comparisons (limits are judged before): a fail needs a significant and
 * large enough shift against every comparison that has enough residuals; a pass names the reference
 * that explains the window.
 */
export function judgeAgainstAll(
  check: CheckSpec,
  comparisons: readonly Comparison[],
  window: ReadonlyArray<{ t: number; v: number }>,
  level: number,
): ReferenceJudgement {
  const tests = comparisons
    .map((c) => windowTest(check, c, window, level))
    .filter((t): t is WindowTest => t !== null);
  const dir = check.direction;
  if (tests.length === 0) return { verdict: "pass", reason: `no reference could judge the window`, p: null };
  const p = Math.max(...tests.map((t) => t.p));
  const explained = tests.find((t) => !(t.significant && t.large));
  const only = tests.length === 1 && tests[0]!.name === "baseline";
  if (!explained) {
    const t = tests[0]!;
    const reason = only
      ? `significant ${dir} (Mann–Whitney p=${t.p.toPrecision(2)}, shift ${pct(t.effect)} of the baseline, floor ${pct(check.minEffect)})`
      : `significant ${dir} against ${tests.map(describeTest).join("; ")} (Mann–Whitney, floor ${pct(check.minEffect)})`;
    return { verdict: "fail", reason, p };
  }
  const against = only ? "" : ` against ${explained.name}`;
  const reason = explained.significant
    ? `a significant but small shift${against} (${pct(Math.max(explained.effect, 0))}, below the floor ${pct(check.minEffect)})`
    : `no significant ${dir}${against} (p=${explained.p.toPrecision(2)})`;
  return { verdict: "pass", reason, p };
}
