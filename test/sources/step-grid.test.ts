import { describe, expect, it } from "vitest";
import { onStepGrid } from "../../src/sources/step-grid.js";
import { T0 } from "./helpers.js";

describe("onStepGrid", () => {
  it("buckets longer than the step: each grid point takes the latest bucket that has ended", () => {
    // 60 s buckets stamped at their start; the one starting at T0+120 is still filling at T0+120.
    const points = [-60, 0, 60, 120].map((d, i) => ({ t: T0 + d, v: i + 1 }));
    const { samples, interval } = onStepGrid(points, {
      start: T0,
      end: T0 + 120,
      step: 30,
      interval: 60,
      stampedAtStart: true,
    });
    expect(interval).toBe(60);
    expect(samples).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 30, v: 1 },
      { t: T0 + 60, v: 2 },
      { t: T0 + 90, v: 2 },
      { t: T0 + 120, v: 3 },
    ]);
  });

  it("buckets shorter than the step: each grid point is the mean of the buckets that ended in its step", () => {
    const points = [-30, -20, -10, 0, 10, 20].map((d, i) => ({ t: T0 + d, v: i + 1 }));
    const { samples } = onStepGrid(points, {
      start: T0,
      end: T0 + 30,
      step: 30,
      interval: 10,
      stampedAtStart: true,
    });
    expect(samples).toEqual([
      { t: T0, v: 2 },
      { t: T0 + 30, v: 5 },
    ]);
  });

  it("estimates the interval from the timestamps, skips NaN and leaves gaps out", () => {
    const points = [
      { t: T0, v: 1 },
      { t: T0 + 60, v: NaN },
      { t: T0 + 120, v: 3 },
      { t: T0 + 240, v: 5 },
    ];
    const { samples, interval } = onStepGrid(points, {
      start: T0,
      end: T0 + 240,
      step: 60,
      stampedAtStart: false,
    });
    expect(interval).toBe(60);
    expect(samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 1],
      [120, 3],
      [240, 5],
    ]);
  });
});
