import { describe, expect, it } from "vitest";
import { makeCheck } from "../../../src/core/gate/defaults.js";
import {
  judgeWindow,
  limitBreach,
  sampleBreach,
  serialCorrelationInflation,
  summarizeBaseline,
  unusual,
  overlapCorrelation,
  effectiveSize,
  noiseInflation,
} from "../../../src/core/gate/judge.js";

const q = "up";
// Median 10, MAD 1 (robust sigma 1.4826): z(20) ≈ 6.7, z(15) ≈ 3.4, z(2) ≈ −5.4.
// Forty samples (the pattern four times): enough independent ones that a z-score means what it says.
const noisy = summarizeBaseline(Array(4).fill([10, 11, 9, 10, 12, 8, 10, 11, 9, 10]).flat());
const flat = summarizeBaseline(Array(20).fill(0.01));

describe("summarizeBaseline", () => {
  it("drops NaN and infinities before taking the median", () => {
    expect(summarizeBaseline([1, NaN, 3, Infinity, 2, -Infinity])).toMatchObject({
      values: [1, 3, 2],
      median: 2,
    });
  });
});

describe("limitBreach", () => {
  it("increase: breaches only strictly above the absolute limit", () => {
    const check = makeCheck({ query: q, absoluteLimit: 0.05 });
    expect(limitBreach(check, 0.06, noisy)).toBe("0.06 is above the limit 0.05");
    expect(limitBreach(check, 0.05, noisy)).toBeNull();
    expect(limitBreach(check, 0.01, noisy)).toBeNull();
  });

  it("decrease: breaches only strictly below the absolute limit", () => {
    const check = makeCheck({ query: q, direction: "decrease", absoluteLimit: 10 });
    expect(limitBreach(check, 9, noisy)).toBe("9 is below the limit 10");
    expect(limitBreach(check, 10, noisy)).toBeNull();
    expect(limitBreach(check, 1000, noisy)).toBeNull();
  });

  it("increase: breaches when the value rises more than the relative limit over the baseline median", () => {
    const check = makeCheck({ query: q, relativeLimit: 0.5 });
    expect(limitBreach(check, 15.1, noisy)).toBe("15.1 is 51 % above the baseline 10 (limit 50 %)");
    expect(limitBreach(check, 15, noisy)).toBeNull();
    expect(limitBreach(check, 1, noisy)).toBeNull(); // a fall is good for an increase check
  });

  it("decrease: breaches when the value falls more than the relative limit", () => {
    const check = makeCheck({ query: q, direction: "decrease", relativeLimit: 0.3 });
    expect(limitBreach(check, 6.9, noisy)).toBe("6.9 is 31 % below the baseline 10 (limit 30 %)");
    expect(limitBreach(check, 7, noisy)).toBeNull();
    expect(limitBreach(check, 100, noisy)).toBeNull();
  });

  it("has no relative limit without a baseline or over a zero baseline", () => {
    const check = makeCheck({ query: q, relativeLimit: 0.1 });
    expect(limitBreach(check, 5, summarizeBaseline([]))).toBeNull();
    expect(limitBreach(check, 5, summarizeBaseline([0, 0, 0]))).toBeNull();
  });

  it("checks the absolute limit first", () => {
    const check = makeCheck({ query: q, absoluteLimit: 12, relativeLimit: 0.1 });
    expect(limitBreach(check, 13, noisy)).toMatch(/above the limit 12/);
  });
});

describe("sampleBreach", () => {
  const check = makeCheck({ query: q, zThreshold: 4, minEffect: 0.2 });

  it("breaches on a robust z-score beyond the threshold in the bad direction", () => {
    // Raw z 6.7, over √((1 + 1/40) / (1 − 1/40)): a new sample is noisier than the baseline shows.
    expect(sampleBreach(check, 20, noisy)).toBe("20 is 6.6 robust deviations from the baseline 10");
    expect(sampleBreach(check, 15, noisy)).toBeNull(); // z ≈ 3.4
    expect(sampleBreach(check, 0, noisy)).toBeNull(); // far, but in the good direction
  });

  it("decrease: a large fall breaches, a large rise does not", () => {
    const down = makeCheck({ query: q, direction: "decrease" });
    expect(sampleBreach(down, 2, noisy)).toBe("2 is 5.3 robust deviations from the baseline 10");
    expect(sampleBreach(down, 20, noisy)).toBeNull();
  });

  it("follows the check's z threshold", () => {
    expect(sampleBreach(makeCheck({ query: q, zThreshold: 3 }), 15, noisy)).not.toBeNull();
    expect(sampleBreach(makeCheck({ query: q, zThreshold: 7 }), 20, noisy)).toBeNull();
  });

  it("a flat baseline and a tiny wobble do not breach (effect floor), a real move does", () => {
    expect(sampleBreach(check, 0.0105, flat)).toBeNull(); // +5 %: huge z, below the 20 % floor
    expect(sampleBreach(check, 0.0119, flat)).toBeNull(); // +19 %
    expect(sampleBreach(check, 0.013, flat)).toMatch(/robust deviations from the baseline 0\.01$/); // +30 %
    expect(sampleBreach(check, 0.01, flat)).toBeNull(); // equal to the baseline: z = 0
  });

  it("follows the check's effect floor", () => {
    expect(sampleBreach(makeCheck({ query: q, minEffect: 0.01 }), 0.0105, flat)).not.toBeNull();
  });

  it("over a zero baseline any rise far beyond the noise breaches (no relative effect exists)", () => {
    const zero = summarizeBaseline(Array(10).fill(0));
    expect(sampleBreach(check, 0.02, zero)).not.toBeNull();
    expect(sampleBreach(check, 0, zero)).toBeNull();
  });

  it("without a baseline only limits can breach", () => {
    const none = summarizeBaseline([]);
    expect(sampleBreach(check, 1e9, none)).toBeNull();
    expect(sampleBreach(makeCheck({ query: q, absoluteLimit: 1 }), 2, none)).toBe("2 is above the limit 1");
  });

  it("reports a limit before the z-score", () => {
    expect(sampleBreach(makeCheck({ query: q, absoluteLimit: 19 }), 20, noisy)).toBe(
      "20 is above the limit 19",
    );
  });
});

describe("judgeWindow", () => {
  const check = makeCheck({ query: q }); // minSamples 5, alpha 0.01, minEffect 0.2
  // 20 baseline values around 100 (99.0 … 100.9) and windows built from them.
  const base = Array.from({ length: 20 }, (_, i) => 99 + (i % 10) * 0.2 + Math.floor(i / 10) * 0.1);
  const baseline = summarizeBaseline(base);
  const shifted = (factor: number) => base.map((v) => v * factor);

  describe("no data", () => {
    it("an empty window", () => {
      const j = judgeWindow(check, baseline, []);
      expect(j.verdict).toBe("no-data");
      expect(j.reason).toBe(
        "no data: the watch window has 0 usable samples, fewer than min-samples 5 (empty result, NaN from zero traffic, or traffic below the minimum)",
      );
      expect(j.stats).toMatchObject({
        windowMedian: null,
        windowSamples: 0,
        baselineSamples: 20,
        pValue: null,
      });
    });

    it("a window of NaN (0/0: zero traffic)", () => {
      const j = judgeWindow(check, baseline, Array(20).fill(NaN));
      expect(j.verdict).toBe("no-data");
      expect(j.reason).toMatch(/^no data: the watch window has 0 usable samples/);
    });

    it("a window with fewer usable samples than minSamples", () => {
      const j = judgeWindow(check, baseline, [500, 500, 500, 500, NaN, NaN]);
      expect(j.verdict).toBe("no-data");
      expect(j.reason).toMatch(/the watch window has 4 usable samples, fewer than min-samples 5/);
    });

    it("a baseline with fewer usable samples than minSamples, even when the window is awful", () => {
      const j = judgeWindow(check, summarizeBaseline([1, 1, NaN, 1, 1]), Array(20).fill(500));
      expect(j.verdict).toBe("no-data");
      expect(j.reason).toMatch(/^no data: the baseline has 4 usable samples, fewer than min-samples 5/);
      expect(j.stats.baselineSamples).toBe(4);
    });

    it("follows the check's minSamples (exactly minSamples is enough)", () => {
      expect(judgeWindow(makeCheck({ query: q, minSamples: 3 }), baseline, [100, 100, 100]).verdict).toBe(
        "pass",
      );
      expect(judgeWindow(makeCheck({ query: q, minSamples: 4 }), baseline, [100, 100, 100]).verdict).toBe(
        "no-data",
      );
    });
  });

  it("passes an unchanged window, with its statistics", () => {
    const j = judgeWindow(check, baseline, base);
    expect(j.verdict).toBe("pass");
    expect(j.reason).toMatch(/^no significant increase \(p=/);
    expect(j.stats.baselineMedian).toBeCloseTo(99.95, 9);
    expect(j.stats.windowMedian).toBeCloseTo(99.95, 9);
    expect(j.stats.change).toBe(0);
    expect(j.stats.pValue).toBeGreaterThan(0.4);
    expect(j.stats.zScore).toBe(0);
    expect(j.stats).toMatchObject({ baselineSamples: 20, windowSamples: 20 });
  });

  it("fails a significant increase beyond the effect floor", () => {
    const j = judgeWindow(check, baseline, shifted(1.5));
    expect(j.verdict).toBe("fail");
    expect(j.reason).toMatch(
      /^significant increase \(Mann–Whitney p=\S+, shift 5\d(\.\d+)? % of the baseline, floor 20 %\)$/,
    );
    // The sawtooth baseline is serially correlated, so the test is deliberately less sure than 1e-6.
    expect(j.stats.pValue).toBeLessThan(check.alpha);
    expect(j.stats.change).toBeCloseTo(0.5, 9);
  });

  it("passes a significant shift below the effect floor, and says so", () => {
    const j = judgeWindow(check, baseline, shifted(1.05));
    expect(j.stats.pValue).toBeLessThan(0.01);
    expect(j.verdict).toBe("pass");
    expect(j.reason).toMatch(/^a significant but small shift \([45](\.\d+)? %, below the floor 20 %\)$/);
  });

  it("decrease: fails a significant fall and passes a rise", () => {
    const down = makeCheck({ query: q, direction: "decrease" });
    const fall = judgeWindow(down, baseline, shifted(0.5));
    expect(fall.verdict).toBe("fail");
    expect(fall.reason).toMatch(/^significant decrease/);
    expect(judgeWindow(down, baseline, shifted(1.5)).verdict).toBe("pass");
  });

  it("increase: passes a fall", () => {
    expect(judgeWindow(check, baseline, shifted(0.5)).verdict).toBe("pass");
  });

  it("fails when the window median crosses an absolute limit, even without a shift", () => {
    const j = judgeWindow(makeCheck({ query: q, absoluteLimit: 99.5 }), baseline, base);
    expect(j.verdict).toBe("fail");
    expect(j.reason).toBe("window median 99.9 is above the limit 99.5"); // median 99.95, shown with 3 digits
  });

  it("fails when the window median crosses the relative limit even if the test is not significant", () => {
    // Few samples: the U test cannot reach alpha 0.01 with 5 vs 5, the relative limit still applies.
    const small = summarizeBaseline([10, 10, 10, 10, 10]);
    const j = judgeWindow(makeCheck({ query: q, relativeLimit: 0.1 }), small, [9, 9, 12, 12, 12]);
    expect(j.verdict).toBe("fail");
    expect(j.reason).toBe("window median 12 is 20 % above the baseline 10 (limit 10 %)");
  });

  it("a rise over a zero baseline has an infinite effect", () => {
    const zero = summarizeBaseline(Array(20).fill(0));
    const j = judgeWindow(check, zero, Array(20).fill(0.02));
    expect(j.verdict).toBe("fail");
    expect(j.reason).toMatch(/shift ∞ % of the baseline/);
    expect(j.stats.change).toBeNull();
  });
});

describe("serialCorrelationInflation", () => {
  it("inflates for a drifting (positively correlated) baseline and not for an alternating one", () => {
    const ramp = Array.from({ length: 20 }, (_, i) => i);
    expect(serialCorrelationInflation(ramp)).toBeGreaterThan(3);
    expect(serialCorrelationInflation(ramp)).toBeLessThanOrEqual(19); // ρ capped at 0.9
    expect(serialCorrelationInflation([1, 2, 1, 2, 1, 2, 1, 2])).toBe(1);
    expect(serialCorrelationInflation([5, 5, 5])).toBe(1);
  });
});

describe("honest noise: effective size and the per-sample bar", () => {
  it("a z of 4.5 is unusual over many independent samples, not over a handful", () => {
    expect(unusual(4.5, 1000, 4)).toBe(true);
    expect(unusual(4.5, 5, 4)).toBe(false);
    expect(unusual(3.9, 1000, 4)).toBe(false);
    expect(unusual(50, 1, 4)).toBe(false); // no degrees of freedom left
  });

  it("judges the z-score as Student's t with nEff degrees of freedom (bench/tune-gate.ts, README)", () => {
    // A baseline worth 4 independent samples: t with 4 degrees of freedom reaches the normal tail of 3
    // at z ≈ 6.62 (with nEff − 1 = 3 it would take z ≈ 9.22).
    expect(unusual(6.7, 4, 3)).toBe(true);
    expect(unusual(6.5, 4, 3)).toBe(false);
    expect(unusual(9, 3, 3)).toBe(false);
    expect(unusual(9.3, 3, 3)).toBe(true);
  });

  it("strong serial correlation shrinks the effective size; white noise keeps it", () => {
    const smooth = Array.from({ length: 48 }, (_, i) => Math.sin(i / 8));
    const alternating = Array.from({ length: 48 }, (_, i) => (i % 2 ? 1 : -1) + 0.01 * i);
    expect(effectiveSize(smooth)).toBeLessThan(3);
    expect(effectiveSize(alternating)).toBe(48);
    expect(effectiveSize(Array(20).fill(0.01))).toBe(20); // flat: nothing to correct
    expect(noiseInflation(smooth)).toBeGreaterThan(noiseInflation(alternating));
  });
});

describe("infinities on the better side (issue 11, finding 11)", () => {
  const check = makeCheck({ query: q });
  const base = Array.from({ length: 20 }, (_, i) => 99 + (i % 10) * 0.2);
  const baseline = summarizeBaseline(base);

  it("-Inf in the window of an increase check is not a pass", () => {
    const j = judgeWindow(check, baseline, [...base.slice(0, 10), -Infinity, -Infinity]);
    expect(j.verdict).toBe("inconclusive");
    expect(j.reason).toMatch(/-Inf/);
  });

  it("+Inf in the window of a decrease check is not a pass", () => {
    const down = makeCheck({ query: q, direction: "decrease" });
    const j = judgeWindow(down, baseline, [...base.slice(0, 10), Infinity]);
    expect(j.verdict).toBe("inconclusive");
    expect(j.reason).toMatch(/\+Inf/);
  });
});

describe("overlapCorrelation: what a query's range windows force on adjacent samples", () => {
  it("is 1 − step / range for the longest range selector or subquery range", () => {
    expect(overlapCorrelation("sum(rate(x[30s]))", 5)).toBeCloseTo(5 / 6);
    expect(overlapCorrelation("rate(x[1m]) / rate(y[2m])", 30)).toBeCloseTo(0.75);
    expect(overlapCorrelation("max_over_time(rate(x[1m])[10m:30s])", 30)).toBeCloseTo(0.95);
    expect(overlapCorrelation("rate(x[1h30m])", 60)).toBeCloseTo(1 - 60 / 5400);
  });

  it("is 0 without a range longer than the step, and a label regex in brackets is not a range", () => {
    expect(overlapCorrelation("up", 30)).toBe(0);
    expect(overlapCorrelation("rate(x[1m])", 60)).toBe(0);
    expect(overlapCorrelation('sum(x{code=~"[45].."})', 30)).toBe(0);
  });

  it("keeps a short, seemingly uncorrelated baseline from counting as many independent samples", () => {
    const white = [1.4, 1.5, 1.33, 1.67, 1.3, 1.43, 1.33, 1.17, 1.43, 1.2, 1.4, 1.37];
    expect(effectiveSize(white)).toBeGreaterThan(5);
    expect(effectiveSize(white, 5 / 6)).toBeLessThan(2);
    expect(summarizeBaseline(white, 5 / 6).noise).toBe(Infinity);
    expect(serialCorrelationInflation(white, 5 / 6)).toBeCloseTo((1 + 5 / 6) / (1 - 5 / 6));
  });
});
