// Seasonal references: the same clock window (baseline and watch window together) shifted back by a
// day or a week. A metric that ramps up every morning at 09:00 ramped up yesterday too; judging the
// change since the baseline against yesterday's change since its own baseline (seasonal
// differencing: x(t) − x(t − offset)) takes the ramp out and leaves what is new.
import { formatDuration } from "../text/duration.js";
import { comparison, referenceUse, type Comparison } from "./references.js";
import type { CheckSpec, GateSpec, ReferenceUse, Sample } from "./types.js";

export const DAY_SECONDS = 86_400;
export const WEEK_SECONDS = 7 * DAY_SECONDS;

/** The offsets a seasonality setting asks for: "auto" is a day and a week. */
export function seasonalOffsets(setting: GateSpec["seasonality"]): number[] {
  if (setting === "off") return [];
  if (setting === "auto") return [DAY_SECONDS, WEEK_SECONDS];
  return [...new Set(setting)].sort((a, b) => a - b);
}

export function offsetName(offsetSeconds: number): string {
  if (offsetSeconds === DAY_SECONDS) return "a day earlier";
  if (offsetSeconds === WEEK_SECONDS) return "a week earlier";
  return `${formatDuration(offsetSeconds)} earlier`;
}

/** The range to read for one offset: the baseline and the watch window, shifted back. */
export function seasonalRange(spec: GateSpec, offsetSeconds: number): [number, number] {
  return [
    spec.deployTime - spec.baselineSeconds - offsetSeconds,
    spec.deployTime + spec.windowSeconds - offsetSeconds,
  ];
}

/**
 * The comparison for one offset, or why it cannot be used. It needs at least half of the expected
 * samples (and min-samples) in both the shifted baseline and the shifted window, and as many
 * residuals over the baseline: "where the source has the data".
 */
export function seasonalComparison(
  check: CheckSpec,
  spec: GateSpec,
  offsetSeconds: number,
  earlier: readonly Sample[],
  baseline: readonly Sample[],
  /** The least serial correlation to assume (overlapping rate windows). */
  rhoFloor = 0,
): { comparison: Comparison | null; use: ReferenceUse } {
  const name = offsetName(offsetSeconds);
  const shifted = new Map<number, number>();
  for (const s of earlier) if (Number.isFinite(s.v)) shifted.set(s.t + offsetSeconds, s.v);
  const baselineSteps = Math.floor(spec.baselineSeconds / spec.stepSeconds);
  const windowSteps = Math.floor(spec.windowSeconds / spec.stepSeconds);
  let inBaseline = 0;
  let inWindow = 0;
  for (const t of shifted.keys()) {
    if (t < spec.deployTime) inBaseline++;
    else if (t > spec.deployTime) inWindow++;
  }
  // Differences, not ratios: on nab-dev ratios cost clear-shift recall (0.69 → 0.63) for 1.9 → 1.6 %
  // false positives (bench/tune-gate.ts); a control, hit by the same incident at the same time, uses ratios.
  const residuals: number[] = [];
  for (const s of baseline) {
    const e = shifted.get(s.t);
    if (e !== undefined && Number.isFinite(s.v)) residuals.push(s.v - e);
  }
  const need = (steps: number) => Math.max(check.minSamples, Math.ceil(steps / 2));
  let why: string | null = null;
  if (inBaseline < need(baselineSteps) || inWindow < need(windowSteps)) {
    why = `the source has ${inBaseline} baseline and ${inWindow} window samples then, fewer than half`;
  } else if (residuals.length < check.minSamples) {
    why = `only ${residuals.length} baseline samples line up with it`;
  }
  if (why) return { comparison: null, use: referenceUse(name, offsetSeconds, false, why) };
  return {
    comparison: comparison(name, residuals, (t) => shifted.get(t) ?? NaN, false, false, rhoFloor),
    use: referenceUse(
      name,
      offsetSeconds,
      true,
      `the change since the baseline is judged against the change ${name} (${inWindow} window samples)`,
    ),
  };
}
