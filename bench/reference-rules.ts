// The rules aftershock is compared with, as people usually write them. Both see the same
// baseline (the 30 min before the deploy) and then the watch samples one at a time, as a live
// analysis would, and stop at the first failure.
//
// Shared conventions (the same as aftershock's, so only the detection logic differs):
// - a NaN sample (0/0 from no traffic) neither breaches nor breaks a streak;
// - fewer than MIN_SAMPLES numeric samples in the baseline or the watch window, without a
//   failure, is "inconclusive".
import { finite, mean, quantile, stddev } from "../src/core/gate/stats.js";
import type { Direction, Sample, Verdict } from "../src/core/gate/types.js";

export const MIN_SAMPLES = 5;

export interface RuleOutcome {
  verdict: Verdict;
  /** Unix seconds of the watch sample that failed the rule; null unless it failed. */
  detectedAt: number | null;
}

export interface ReferenceRule {
  name: string;
  /** How the rule decides, for the report. */
  description: string;
  evaluate(baseline: readonly Sample[], watch: readonly Sample[], direction: Direction): RuleOutcome;
}

/** Signed so that positive is always "worse". */
const bad = (direction: Direction, delta: number) => (direction === "increase" ? delta : -delta);

/** Pass or inconclusive, for a rule that never failed. */
function undecided(baselineCount: number, watch: readonly Sample[]): RuleOutcome {
  const enough = baselineCount >= MIN_SAMPLES && finite(watch.map((s) => s.v)).length >= MIN_SAMPLES;
  return { verdict: enough ? "pass" : "inconclusive", detectedAt: null };
}

/**
 * A static threshold, as an Argo Rollouts AnalysisTemplate is usually written: the limit is the
 * baseline's 99th percentile (1st for a decrease) and the analysis fails after `failureLimit`
 * consecutive samples beyond it.
 */
export function staticThreshold(failureLimit = 3, q = 0.99): ReferenceRule {
  return {
    name: "static p99",
    description: `fail after ${failureLimit} consecutive samples beyond the baseline's ${Math.round(q * 100)}th percentile (${Math.round((1 - q) * 100)}th for a decrease)`,
    evaluate(baseline, watch, direction) {
      const base = finite(baseline.map((s) => s.v));
      if (base.length < MIN_SAMPLES) return undecided(base.length, watch);
      const limit = quantile(base, direction === "increase" ? q : 1 - q);
      let streak = 0;
      for (const s of watch) {
        if (!Number.isFinite(s.v)) continue;
        streak = bad(direction, s.v - limit) > 0 ? streak + 1 : 0;
        if (streak >= failureLimit) return { verdict: "fail", detectedAt: s.t };
      }
      return undecided(base.length, watch);
    },
  };
}

/**
 * A rolling 3-sigma z-score, as usually written: the mean and standard deviation of the last
 * `window` numeric samples (baseline, then the watch samples seen so far), at least `minHistory`
 * of them; a single sample more than `sigmas` deviations away in the bad direction fails. A flat
 * history (sd 0) fails on any move the bad way, as the division by zero would.
 */
export function rollingZScore(
  sigmas = 3,
  window = 100,
  minHistory = 50,
  /** nab-dev's README specifies the population standard deviation (n in the denominator). */
  population = false,
): ReferenceRule {
  return {
    name: "rolling 3σ",
    description: `fail on one sample > ${sigmas}σ from the mean of the last ${window} samples (baseline + watch, >= ${minHistory})`,
    evaluate(baseline, watch, direction) {
      const base = finite(baseline.map((s) => s.v));
      const history = base.slice(-window);
      for (const s of watch) {
        if (!Number.isFinite(s.v)) continue;
        if (history.length >= minHistory) {
          const m = mean(history);
          const n = history.length;
          const sd = population ? stddev(history) * Math.sqrt((n - 1) / n) : stddev(history);
          const dev = bad(direction, s.v - m);
          const breach = sd > 0 ? dev / sd > sigmas : dev > 0;
          if (breach) return { verdict: "fail", detectedAt: s.t };
        }
        history.push(s.v);
        if (history.length > window) history.shift();
      }
      return undecided(base.length >= minHistory ? base.length : 0, watch);
    },
  };
}
