// Judging one check: whether a single watch sample breaches (for fail-early), and the verdict
// over the whole watch window (thresholds, then a one-sided Mann–Whitney U test with an
// effect-size floor, the way Kayenta's judge does it, backed by a robust z-score).
import {
  finite,
  hodgesLehmannShift,
  lag1Autocorrelation,
  mannWhitneyGreater,
  median,
  normalSf,
  robustScale,
  robustZ,
  studentTSf,
} from "./stats.js";
import { MIN_EFFECTIVE_BASELINE, T_DEGREES_OF_FREEDOM } from "./defaults.js";
import { parseDuration } from "../text/duration.js";
import type { CheckSpec, CheckStats, Direction, Verdict } from "./types.js";

/** What the baseline tells about a check, computed once before the watch window. */
export interface Baseline {
  values: number[];
  median: number;
  /** The robust spread a z-score divides by (robustScale), computed once rather than per sample. */
  scale: number;
  /**
   * How much wider a new sample's noise is than the baseline's robust spread shows, given the
   * baseline's serial correlation (see `noiseInflation`); Infinity when the baseline holds too few
   * independent samples for a per-sample z-score to mean anything.
   */
  noise: number;
  /** Effectively independent samples (serial correlation considered): the z-score's degrees of freedom. */
  nEff: number;
  /**
   * The least lag-1 autocorrelation the query's own range windows force on its samples (see
   * `overlapCorrelation`): the estimate from a short baseline cannot go below it.
   */
  rhoFloor: number;
}

export function summarizeBaseline(values: readonly number[], rhoFloor = 0): Baseline {
  const clean = finite(values);
  return {
    values: clean,
    median: median(clean),
    scale: clean.length ? robustScale(clean) : NaN,
    noise: noiseInflation(clean, rhoFloor),
    nEff: effectiveSize(clean, rhoFloor),
    rhoFloor,
  };
}

/**
 * The lag-1 autocorrelation that overlapping range windows force on a query's samples: a rate over
 * `[W]` read every `step` < W shares (W − step) / W of its window with the previous sample, so
 * adjacent samples correlate at least that much whatever a dozen of them seem to show (a minute of
 * 30 s rates read every 5 s is worth about two independent samples, yet its lag-1 estimate can be
 * near 0). The longest range selector or subquery range counts; 0 when none is longer than the step.
 */
export function overlapCorrelation(query: string, stepSeconds: number): number {
  let longest = 0;
  for (const m of query.matchAll(/\[\s*((?:\d+(?:ms|s|m|h|d|w))+)\s*(?::[^\]]*)?\]/g)) {
    // Only a number with a unit is a range: "[45]" in a label matcher's regex is not one.
    longest = Math.max(longest, parseDuration(m[1]!));
  }
  return longest > stepSeconds ? 1 - stepSeconds / longest : 0;
}

/** Signed so that a positive number is always "worse", whatever the direction. */
export function worse(direction: Direction, delta: number): number {
  return direction === "increase" ? delta : -delta;
}

/** Relative change from the baseline median, or null when the baseline is 0. */
export function relativeChange(value: number, baselineMedian: number): number | null {
  if (!Number.isFinite(baselineMedian) || baselineMedian === 0) return null;
  return (value - baselineMedian) / Math.abs(baselineMedian);
}

/** Why a value crosses the check's absolute or relative limit, or null if it does not. */
export function limitBreach(check: CheckSpec, value: number, baseline: Baseline): string | null {
  const dir = check.direction;
  if (check.absoluteLimit !== undefined && worse(dir, value - check.absoluteLimit) > 0) {
    return `${fmt(value)} is ${dir === "increase" ? "above" : "below"} the limit ${fmt(check.absoluteLimit)}`;
  }
  const change = baseline.values.length ? relativeChange(value, baseline.median) : null;
  if (check.relativeLimit !== undefined && change !== null && worse(dir, change) > check.relativeLimit) {
    return `${fmt(value)} is ${pct(Math.abs(change))} ${dir === "increase" ? "above" : "below"} the baseline ${fmt(baseline.median)} (limit ${pct(check.relativeLimit)})`;
  }
  return null;
}

/**
 * Why a single watch sample breaches: a limit, or a robust z-score (median/MAD) beyond the
 * threshold together with the effect-size floor, so a very quiet baseline does not turn a
 * negligible wobble into a breach.
 */
export function sampleBreach(check: CheckSpec, value: number, baseline: Baseline): string | null {
  const limit = limitBreach(check, value, baseline);
  if (limit || baseline.values.length === 0) return limit;
  return deviationBreach(check, value, baseline, baseline.median);
}

/**
 * The statistical half of a sample breach, without the limits: a robust z-score beyond the
 * threshold, its spread widened for serial correlation, and the effect floors measured against
 * `level` (the metric's own baseline median, also when `value` is a residual against a reference).
 */
export function deviationBreach(
  check: CheckSpec,
  value: number,
  baseline: Baseline,
  level: number,
  /** The metric's value this deviation stands for (a residual's move applied to the level). */
  implied: number = level + (value - baseline.median),
): string | null {
  if (baseline.values.length === 0 || !Number.isFinite(baseline.noise)) return null;
  const z = worse(check.direction, zAgainst(value, baseline)) / baseline.noise;
  return unusual(z, baseline.nEff, check.zThreshold) && effectLargeEnough(check, implied, level)
    ? `${fmt(value)} is ${z.toFixed(1)} robust deviations from the baseline ${fmt(baseline.median)}`
    : null;
}

/** robustZ(value, baseline.values), from the baseline's precomputed median and spread. */
export function zAgainst(value: number, baseline: Baseline): number {
  if (Number.isNaN(value) || Number.isNaN(baseline.median)) return NaN;
  const dev = value - baseline.median;
  return dev === 0 ? 0 : dev / baseline.scale;
}

/**
 * Whether a z-score is as unlikely as `zThreshold` is under a normal distribution, once the spread
 * it was measured with is known to come from only `nEff` independent samples: Student's t with
 * T_DEGREES_OF_FREEDOM(nEff) degrees of freedom. With a long, quiet baseline this is the plain
 * z > zThreshold; with a short or strongly correlated one the bar rises (a z of 4 is 1 in 30 000 for
 * a normal, but 1 in 100 for t with 3 degrees of freedom).
 */
export function unusual(z: number, nEff: number, zThreshold: number): boolean {
  if (!(z > zThreshold)) return false;
  const df = T_DEGREES_OF_FREEDOM(nEff);
  if (!(df > 0)) return false;
  return studentTSf(z, df) < normalSf(zThreshold);
}

/**
 * The effect-size floors: at least `minEffect` relative to the baseline median and at least
 * `minDelta` in absolute terms. Over a zero baseline only the absolute floor can speak, so a service
 * with no errors at all does not fail on its first stray error.
 */
export function effectLargeEnough(check: CheckSpec, value: number, baselineMedian: number): boolean {
  const delta = worse(check.direction, value - baselineMedian);
  if (!(delta > 0) || delta < check.minDelta) return false;
  const change = relativeChange(value, baselineMedian);
  return change === null || worse(check.direction, change) >= check.minEffect;
}

export interface WindowJudgement {
  verdict: Verdict | "no-data";
  reason: string;
  stats: CheckStats;
}

/** The verdict over the watch window so far, given the baseline. */
export function judgeWindow(
  check: CheckSpec,
  baseline: Baseline,
  windowValues: readonly number[],
): WindowJudgement {
  // NaN is no data; ±Inf is data (histogram_quantile beyond the top bucket is a real blow-up).
  const win = windowValues.filter((v) => !Number.isNaN(v));
  const windowMedian = win.length ? median(win) : null;
  const baselineMedian = baseline.values.length ? baseline.median : null;
  const stats: CheckStats = {
    baselineMedian,
    windowMedian,
    change:
      windowMedian !== null && baselineMedian !== null ? relativeChange(windowMedian, baselineMedian) : null,
    pValue: null,
    zScore: null,
    baselineSamples: baseline.values.length,
    windowSamples: win.length,
  };
  if (baseline.values.length < check.minSamples || win.length < check.minSamples) {
    const which =
      baseline.values.length < check.minSamples
        ? `the baseline has ${baseline.values.length}`
        : `the watch window has ${win.length}`;
    return {
      verdict: "no-data",
      reason: `no data: ${which} usable samples, fewer than min-samples ${check.minSamples} (empty result, NaN from zero traffic, or traffic below the minimum)`,
      stats,
    };
  }
  const dir = check.direction;
  // An infinity on the "better" side (-Inf for an increase check) is a broken query, not an
  // improvement: the rank test would call it one, so it is never judged a pass.
  const better = dir === "increase" ? -Infinity : Infinity;
  if (win.includes(better)) {
    const shown = better > 0 ? "+Inf" : "-Inf";
    return {
      verdict: "inconclusive",
      reason: `the watch window has ${shown} values, which the query cannot mean as better: check the query (a division by zero, a log of 0)`,
      stats,
    };
  }
  const [worseSide, betterSide] = dir === "increase" ? [win, baseline.values] : [baseline.values, win];
  const { p } = mannWhitneyGreater(
    worseSide,
    betterSide,
    serialCorrelationInflation(baseline.values, baseline.rhoFloor),
  );
  stats.pValue = p;
  stats.zScore = robustZ(windowMedian!, baseline.values);

  const breach = limitBreach(check, windowMedian!, baseline);
  if (breach) return { verdict: "fail", reason: `window median ${breach}`, stats };
  // The effect is the Hodges–Lehmann shift relative to the baseline median (Kayenta's effect size).
  const shift = worse(dir, hodgesLehmannShift(win, baseline.values));
  const effect = baseline.median !== 0 ? shift / Math.abs(baseline.median) : shift > 0 ? Infinity : 0;
  if (p < check.alpha && effect >= check.minEffect && shift >= check.minDelta) {
    return {
      verdict: "fail",
      reason: `significant ${dir} (Mann–Whitney p=${p.toPrecision(2)}, shift ${pct(effect)} of the baseline, floor ${pct(check.minEffect)})`,
      stats,
    };
  }
  const why =
    p < check.alpha
      ? `a significant but small shift (${pct(Math.max(effect, 0))}, below the floor ${pct(check.minEffect)})`
      : `no significant ${dir} (p=${p.toPrecision(2)})`;
  return { verdict: "pass", reason: why, stats };
}

/**
 * How much serial correlation in the baseline inflates the variance of the rank test: adjacent
 * samples of a rate over an overlapping window are not independent, and treating them as such
 * turns slow drift into "significant" shifts (measured in bench:gate).
 */
export function serialCorrelationInflation(baseline: readonly number[], rhoFloor = 0): number {
  const raw = lag1Autocorrelation(baseline);
  const rho = Number.isFinite(raw) ? Math.max(raw, rhoFloor) : rhoFloor;
  if (!(rho > 0)) return 1;
  const r = Math.min(rho, 0.9);
  return (1 + r) / (1 - r);
}

/**
 * Samples of a baseline that are worth independent ones: n (1 − ρ) / (1 + ρ) for a lag-1
 * autocorrelation ρ (AR(1)), with ρ corrected for its downward bias in short series
 * (Marriott–Pope: + (1 + 4ρ) / n). A minute of 30 s rates read every 5 s is worth about one.
 */
export function effectiveSize(values: readonly number[], rhoFloor = 0): number {
  const n = values.length;
  // A flat baseline has no serial correlation to speak of (its "ρ" would be rounding noise).
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(hi)))) return n;
  const raw = lag1Autocorrelation(values);
  const estimate = Number.isFinite(raw) ? raw + (1 + 4 * raw) / n : -Infinity;
  // Never below what the query's overlapping windows force (overlapCorrelation). Capped at 0.9 like
  // the window test's inflation: a long baseline that wanders keeps a few samples' worth.
  const rho = Math.min(Math.max(estimate, rhoFloor), 0.9);
  return rho <= 0 ? n : (n * (1 - rho)) / (1 + rho);
}

/**
 * How much a new sample's spread exceeds the baseline's robust spread. The spread of n serially
 * correlated samples underestimates the noise by a factor √(1 − 1/n_eff), and a new sample also
 * carries the uncertainty of the baseline's centre (√(1 + 1/n_eff)). Below
 * MIN_EFFECTIVE_BASELINE the per-sample test is not used (Infinity): the window test, whose
 * variance is inflated for the same correlation, still judges.
 */
export function noiseInflation(values: readonly number[], rhoFloor = 0): number {
  if (values.length === 0) return 1;
  const nEff = effectiveSize(values, rhoFloor);
  if (nEff < MIN_EFFECTIVE_BASELINE) return Infinity;
  return Math.sqrt((1 + 1 / nEff) / (1 - 1 / nEff));
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

export function pct(fraction: number): string {
  if (!Number.isFinite(fraction)) return "∞ %";
  return `${Number((fraction * 100).toPrecision(3))} %`;
}
