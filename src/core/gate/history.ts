// The metric's own history as the judge of a watch window. Every stretch of the past week (a
// baseline followed by a watch window, one per step) moved some way from its own baseline; the
// deploy's window fails when it moves further than HISTORY_LEVEL of those stretches ever did. The
// bar so learnt already holds the metric's noise, its serial correlation, its bursts and its
// cycles, which a z-score from one short baseline can only guess at, and it lets a clear shift fail
// on its first sample instead of after a streak. Deviations are measured in the larger of the
// baseline's spread and the metric's typical one, so a quiet half hour does not make the metric's
// ordinary wandering look like a regression.
import { formatDays } from "../text/duration.js";
import { effectLargeEnough, fmt, worse, type Baseline } from "./judge.js";
import { finite, median, quantile, robustScale } from "./stats.js";
import { referenceUse } from "./references.js";
import { HISTORY_LEVEL, HISTORY_LEVEL_TEXT, MIN_HISTORY_STRETCHES } from "./defaults.js";
import type { CheckSpec, GateSpec, ReferenceUse, Sample } from "./types.js";

/** At most this many points in the one history read (Prometheus refuses more than 11,000). */
export const MAX_HISTORY_POINTS = 10_000;

/** What the past says about how far a window moves from its baseline. */
export interface HistoryBar {
  /** Robust deviations (window median so far against the baseline) a window must exceed. */
  bar: number;
  /** The past stretches' baseline spreads by level: the least spread a deviation is measured in. */
  spreads: LevelSpreads;
  stretches: number;
  spanSeconds: number;
}

/**
 * The spreads of past baselines grouped by their level (the baseline median), in buckets a factor of
 * two wide. The typical spread at a level is the median spread of the past baselines within about a
 * factor of two of it: a metric at 20/s at night and 1,000/s by day is judged at night by its nights.
 */
export class LevelSpreads {
  private readonly buckets = new Map<string, number[]>();
  private readonly typical = new Map<string, number>();

  add(level: number, spread: number): void {
    const key = levelBucket(level);
    this.typical.clear();
    const list = this.buckets.get(key);
    if (list) list.push(spread);
    else this.buckets.set(key, [spread]);
  }

  /** The median spread of past baselines near `level`, or 0 when fewer than MIN_SIMILAR_STRETCHES are. */
  at(level: number): number {
    const key = levelBucket(level);
    let typical = this.typical.get(key);
    if (typical === undefined) {
      const near = this.neighbours(key).flatMap((k) => this.buckets.get(k) ?? []);
      typical = near.length >= MIN_SIMILAR_STRETCHES ? median(near) : 0;
      this.typical.set(key, typical);
    }
    return typical;
  }

  /**
   * The bucket and the ones a factor of two either side. 0 has no factor of two: its neighbours are
   * the levels closest to it the metric has (a count at 0 is judged with its quietest nonzero hours).
   */
  private neighbours(key: string): string[] {
    if (key !== "0") {
      const sign = key[0]!;
      const e = Number(key.slice(1));
      return [`${sign}${e - 1}`, key, `${sign}${e + 1}`];
    }
    const out = [key];
    for (const sign of ["+", "-"]) {
      const exps = [...this.buckets.keys()].filter((k) => k[0] === sign).map((k) => Number(k.slice(1)));
      if (exps.length) out.push(`${sign}${Math.min(...exps)}`);
    }
    return out;
  }
}

/** Fewer past baselines at a level than this and the level has no typical spread (no floor). */
const MIN_SIMILAR_STRETCHES = 30;

/** "0" for 0, else the sign and the power of two below |level|: one bucket per factor of two. */
function levelBucket(level: number): string {
  if (level === 0 || !Number.isFinite(level)) return "0";
  return `${level < 0 ? "-" : "+"}${Math.floor(Math.log2(Math.abs(level)))}`;
}

/** The history span a setting asks for, capped so one read stays under MAX_HISTORY_POINTS. */
export function historySpan(spec: GateSpec): number {
  if (spec.history === "off") return 0;
  const cap = MAX_HISTORY_POINTS * spec.stepSeconds - spec.baselineSeconds;
  return Math.max(0, Math.min(spec.history, cap));
}

/** The range to read: `span` of stretch starts, each with its baseline, all before the deploy. */
export function historyRange(spec: GateSpec, spanSeconds: number): [number, number] {
  return [spec.deployTime - spanSeconds - spec.baselineSeconds, spec.deployTime - spec.stepSeconds];
}

/** Past stretches learnt from at most; more are taken every few steps. */
const MAX_STRETCHES = 4000;

/**
 * How far the window's median so far is from the baseline median, in robust deviations (`spreadOf`),
 * in the bad direction: the statistic the bar is learnt on and the deploy is judged by.
 */
export function windowDeviation(
  check: CheckSpec,
  baseline: Baseline,
  windowMedian: number,
  typicalSpread: number,
): number {
  if (Number.isNaN(windowMedian) || Number.isNaN(baseline.median)) return NaN;
  const delta = worse(check.direction, windowMedian - baseline.median);
  return delta === 0 ? 0 : delta / spreadOf(baseline.scale, typicalSpread);
}

/**
 * The spread a deviation is measured in: the baseline's own, but never less than the metric's
 * typical spread at that level. A quiet half hour (a count at 0, a flat CPU) has a tiny spread
 * against which the metric's ordinary wandering looks enormous; its past says how much it usually
 * wanders there.
 */
export function spreadOf(baselineScale: number, typicalSpread: number): number {
  return Math.max(baselineScale, typicalSpread);
}

/**
 * Learns the bar from the history read: for each past stretch, the furthest its window got from its
 * baseline over the watch window's steps; the bar is the HISTORY_LEVEL quantile of those.
 */
export function learnHistory(
  check: CheckSpec,
  spec: GateSpec,
  samples: readonly Sample[],
  spanSeconds: number,
): { bar: HistoryBar | null; use: ReferenceUse } {
  const name = `the past ${formatDays(spanSeconds)}`;
  const { stepSeconds: step } = spec;
  const [start, end] = historyRange(spec, spanSeconds);
  const n = Math.floor((end - start) / step) + 1;
  const x = new Float64Array(n).fill(NaN);
  for (const s of samples) {
    const i = Math.round((s.t - start) / step);
    if (i >= 0 && i < n && Number.isFinite(s.v)) x[i] = s.v;
  }
  const B = Math.floor(spec.baselineSeconds / step);
  const W = Math.floor(spec.windowSeconds / step);
  const needBase = Math.max(check.minSamples, Math.ceil(B / 2));
  const stretches: Array<{ most: number; level: number; scale: number }> = [];
  const spreads = new LevelSpreads();
  // Stretches overlap almost entirely from one step to the next: past MAX_STRETCHES, every few steps
  // is as good a sample of them, and keeps a long window at a short step cheap.
  const stride = Math.max(1, Math.ceil((n - B - W) / MAX_STRETCHES));
  for (let p = B; p + W < n; p += stride) {
    const base = finite(Array.from(x.subarray(p - B, p)));
    if (base.length < needBase) continue;
    const m = median(base);
    let most = -Infinity; // the running median's furthest move from the baseline, in the bad direction
    const win: number[] = []; // kept sorted: the running median without sorting at every step
    for (let k = 1; k <= W; k++) {
      const v = x[p + k]!;
      if (!Number.isFinite(v)) continue;
      insertSorted(win, v);
      most = Math.max(most, worse(check.direction, sortedMedian(win) - m));
    }
    if (win.length < Math.min(check.minSamples, W)) continue;
    const scale = robustScale(base, m);
    stretches.push({ most, level: m, scale });
    spreads.add(m, scale);
  }
  const furthest = stretches.map((s) => s.most / spreadOf(s.scale, spreads.at(s.level)));
  if (furthest.length < MIN_HISTORY_STRETCHES) {
    return {
      bar: null,
      use: referenceUse(
        name,
        spanSeconds,
        false,
        `the source has ${furthest.length} past stretches with data, fewer than ${MIN_HISTORY_STRETCHES}`,
      ),
    };
  }
  const bar = quantile(furthest, HISTORY_LEVEL);
  return {
    bar: { bar, spreads, stretches: furthest.length, spanSeconds },
    use: referenceUse(
      name,
      spanSeconds,
      true,
      `${furthest.length} past stretches: ${HISTORY_LEVEL_TEXT} moved at most ${fmt(bar)} robust deviations from their baselines (one robust deviation is at least the typical spread of past baselines at the same level)`,
    ),
  };
}

/**
 * Why the window so far moves further than the past did (and past the z-threshold and the effect
 * floors), or null.
 */
export function historyBreach(
  check: CheckSpec,
  history: HistoryBar,
  baseline: Baseline,
  /** The median of the window's samples so far, and how many there are. */
  windowMedian: number,
  samples: number,
  /** windowDeviation of the window median, when the caller has it already. */
  d = windowDeviation(check, baseline, windowMedian, history.spreads.at(baseline.median)),
): string | null {
  if (baseline.values.length < check.minSamples || samples === 0) return null;
  const bar = Math.max(history.bar, check.zThreshold);
  if (!(d > bar) || !effectLargeEnough(check, windowMedian, baseline.median)) return null;
  const what = samples === 1 ? `${fmt(windowMedian)}` : `the window median ${fmt(windowMedian)}`;
  return `${what} is ${fmt(d)} robust deviations ${check.direction === "increase" ? "above" : "below"} the baseline ${fmt(baseline.median)}, further than ${HISTORY_LEVEL_TEXT} of ${history.stretches} stretches of the past ${formatDays(history.spanSeconds)} went (${fmt(history.bar)})`;
}

export function insertSorted(xs: number[], v: number): void {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  xs.splice(lo, 0, v);
}

export function sortedMedian(xs: readonly number[]): number {
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}
