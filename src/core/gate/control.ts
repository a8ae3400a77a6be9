// The control reference (Kayenta's canary versus baseline): the stable version, or the part of the
// fleet not yet deployed, read over the same window. An upstream incident moves both and leaves
// their difference alone; a regression of the canary moves only the canary.
import { median, finite } from "./stats.js";
import { allPositive, comparison, referenceUse, type Comparison } from "./references.js";
import type { CheckSpec, ReferenceUse, Sample } from "./types.js";

export const CONTROL = "control";

/**
 * The control comparison at watch time `until`. With a baseline for both, the canary−control
 * difference after the deploy is judged against the same difference before it (a steady gap between
 * two fleets is not a regression). Without a canary baseline (a version that did not exist before
 * the deploy), the canary is judged directly against the control's samples of the window so far.
 */
export function controlComparison(
  check: CheckSpec,
  canaryBaseline: readonly Sample[],
  controlBaseline: readonly Sample[],
  controlWindow: readonly Sample[],
  until: number,
  /** The least serial correlation to assume (overlapping rate windows). */
  rhoFloor = 0,
): { comparison: Comparison | null; use: ReferenceUse } {
  const now = new Map<number, number>();
  for (const s of controlWindow) if (s.t <= until && Number.isFinite(s.v)) now.set(s.t, s.v);
  const before = new Map<number, number>();
  for (const s of controlBaseline) if (Number.isFinite(s.v)) before.set(s.t, s.v);
  const pairs: Array<[number, number]> = [];
  for (const s of canaryBaseline) {
    const c = before.get(s.t);
    if (c !== undefined && Number.isFinite(s.v)) pairs.push([s.v, c]);
  }
  const log = allPositive(pairs.flat()) && allPositive(now.values());
  const residuals = pairs.map(([x, c]) => (log ? Math.log(x / c) : x - c));
  const enough = now.size >= check.minSamples;
  const short = `the control has ${now.size} usable window samples`;
  if (residuals.length >= check.minSamples) {
    // Each watch sample meets the control's sample of the same time: usable from the first one.
    return {
      comparison: comparison(CONTROL, residuals, (t) => now.get(t) ?? NaN, true, log, rhoFloor),
      use: referenceUse(
        CONTROL,
        0,
        enough,
        enough ? "the canary − control difference against the same before the deploy" : short,
      ),
    };
  }
  if (!enough) return { comparison: null, use: referenceUse(CONTROL, 0, false, short) };
  return {
    comparison: comparison(CONTROL, [...now.values()], () => 0, true, false, rhoFloor),
    use: referenceUse(
      CONTROL,
      0,
      true,
      "the canary against the control's samples of the window (no paired baseline)",
    ),
  };
}

/** The control's level (for the effect floors) when the canary has no baseline of its own. */
export function controlLevel(controlBaseline: readonly Sample[], controlWindow: readonly Sample[]): number {
  const before = finite(controlBaseline.map((s) => s.v));
  return median(before.length ? before : finite(controlWindow.map((s) => s.v)));
}
