// Puts a vendor's points onto the gate's step grid. Datadog, CloudWatch and New Relic answer in
// buckets of their own size (a rollup, a period, a TIMESERIES bucket) stamped at the bucket's start;
// the gate compares values at start, start+step, ... <= end, as Prometheus does.

import type { Sample } from "../core/gate/types.js";
import { MetricSourceError } from "./errors.js";

export interface GridOptions {
  start: number;
  end: number;
  step: number;
  /** The vendor's bucket length in seconds (0 or undefined: estimated from the timestamps). */
  interval?: number;
  /**
   * True when a point's timestamp is its bucket's start: the point is moved to the bucket's end, the
   * moment its value is complete, so a live gate never reads a bucket that is still filling.
   */
  stampedAtStart: boolean;
}

export interface GridResult {
  samples: Sample[];
  /** The bucket length used, in seconds. */
  interval: number;
}

/**
 * The value at grid time t is the mean of the points whose (end) time falls in (t − w, t], with
 * w = max(step, interval): with buckets at least a step long that is the latest complete bucket;
 * with shorter buckets it is their mean over the step. Grid times with no such point are left out.
 */
export function onStepGrid(points: Sample[], options: GridOptions): GridResult {
  const { start, end, step } = options;
  const sorted = points.filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const interval = options.interval && options.interval > 0 ? options.interval : medianGap(sorted, step);
  const shift = options.stampedAtStart ? interval : 0;
  const stamped = sorted.map((p) => ({ t: p.t + shift, v: p.v }));
  const width = Math.max(step, interval);
  const out: Sample[] = [];
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < count; i++) {
    const t = start + i * step;
    while (hi < stamped.length && (stamped[hi]?.t ?? Infinity) <= t + 1e-9) hi++;
    while (lo < hi && (stamped[lo]?.t ?? Infinity) <= t - width + 1e-9) lo++;
    const inWindow = stamped.slice(lo, hi).filter((p) => !Number.isNaN(p.v));
    if (inWindow.length === 0) continue;
    out.push({ t, v: inWindow.reduce((sum, p) => sum + p.v, 0) / inWindow.length });
  }
  return { samples: out, interval };
}

/** The typical spacing of the points, or `fallback` with fewer than two. */
function medianGap(sorted: Sample[], fallback: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const gap = (sorted[i]?.t ?? 0) - (sorted[i - 1]?.t ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return fallback;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? fallback;
}

/** The warning a source adds when the vendor's resolution differs from the step. */
export function resampleWarning(vendor: string, interval: number, step: number, fix: string): string | null {
  if (Math.abs(interval - step) < 1e-9) return null;
  const how =
    interval > step
      ? "each step takes the latest complete bucket"
      : "each step takes the mean of the buckets that ended in it";
  return `${vendor} answered in ${interval}s buckets while the step is ${step}s: resampled onto the step grid (${how}). ${fix}`;
}

/** Limits on what one answer may hold, so a runaway query cannot exhaust memory. */
export const LIMITS = {
  maxSeries: 500,
  maxPointsPerSeries: 20_000,
  maxPoints: 500_000,
} as const;

/** Throws (permanently: the same query gets the same answer) when an answer is beyond the limits. */
export function enforceLimits(vendor: string, seriesCount: number, pointCounts: number[]): void {
  if (seriesCount > LIMITS.maxSeries) {
    throw new MetricSourceError(
      `${vendor} answered ${seriesCount} series, more than the ${LIMITS.maxSeries} a check reads; aggregate in the query (sum, avg) or narrow its filter.`,
    );
  }
  let total = 0;
  for (const n of pointCounts) {
    total += n;
    if (n > LIMITS.maxPointsPerSeries || total > LIMITS.maxPoints) {
      throw new MetricSourceError(
        `${vendor} answered more points than a check reads (${LIMITS.maxPointsPerSeries} a series, ${LIMITS.maxPoints} in all); use a larger step or a shorter baseline.`,
      );
    }
  }
}
