import { describe, expect, it } from "vitest";
import { scenarioSource } from "../../bench/memory-source.js";
import { gridSource } from "../helpers/memory-source.js";
import { rollingZScore, staticThreshold } from "../../bench/reference-rules.js";
import {
  BASELINE_STEPS,
  STEP_SECONDS,
  WATCH_STEPS,
  generateScenarios,
  splitAtDeploy,
  type Scenario,
} from "../../bench/scenarios.js";
import { median } from "../../src/core/gate/stats.js";
import type { Sample } from "../../src/core/gate/types.js";

const scenarios = generateScenarios(7);

/** A series around deploy time 0: `before` for the baseline, `after` for the watch window. */
function series(
  before: (i: number) => number,
  after: (k: number) => number,
): { baseline: Sample[]; watch: Sample[] } {
  const baseline = Array.from({ length: BASELINE_STEPS }, (_, i) => ({
    t: (i - BASELINE_STEPS) * STEP_SECONDS,
    v: before(i),
  }));
  const watch = Array.from({ length: WATCH_STEPS }, (_, k) => ({
    t: (k + 1) * STEP_SECONDS,
    v: after(k + 1),
  }));
  return { baseline, watch };
}

describe("generateScenarios", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    expect(generateScenarios(7)).toEqual(scenarios);
    const other = generateScenarios(8);
    expect(other.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
    expect(other[0]!.samples).not.toEqual(scenarios[0]!.samples);
  });

  it("has at least 240 deploys, about half clean, with the three labels", () => {
    const count = (label: Scenario["label"]) => scenarios.filter((s) => s.label === label).length;
    expect(scenarios.length).toBeGreaterThanOrEqual(240);
    expect(count("clean") / scenarios.length).toBeGreaterThan(0.4);
    expect(count("clean") / scenarios.length).toBeLessThan(0.6);
    expect(count("regression")).toBeGreaterThan(100);
    expect(count("low-traffic")).toBeGreaterThan(0);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });

  it("covers [deploy − 30 min, deploy + 10 min] every 30 s", () => {
    for (const s of scenarios) {
      expect(s.samples).toHaveLength(BASELINE_STEPS + 1 + WATCH_STEPS);
      expect(s.samples[0]!.t).toBe(s.deployTime - BASELINE_STEPS * STEP_SECONDS);
      expect(s.samples.at(-1)!.t).toBe(s.deployTime + WATCH_STEPS * STEP_SECONDS);
    }
  });

  it("puts a real step into a step regression, in the bad direction", () => {
    const steps = scenarios.filter((s) => s.kind === "step" && s.magnitude === 10);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      const { baseline, watch } = splitAtDeploy(s);
      // From the second watch sample on, the whole 1 m rate window is after the step.
      const ratio = median(watch.slice(1).map((x) => x.v)) / median(baseline.map((x) => x.v));
      if (s.direction === "increase") expect(ratio).toBeGreaterThan(4);
      else expect(ratio).toBeLessThan(1 / 4);
    }
  });

  it("keeps clean deploys near their baseline and gives low traffic NaN samples", () => {
    for (const s of scenarios.filter((x) => x.kind === "noise")) {
      const { baseline, watch } = splitAtDeploy(s);
      const ratio = median(watch.map((x) => x.v)) / median(baseline.map((x) => x.v));
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
    const nan = scenarios.filter((s) => s.kind === "nan-traffic").flatMap((s) => s.samples);
    expect(nan.filter((x) => Number.isNaN(x.v)).length).toBeGreaterThan(nan.length / 10);
  });
});

describe("MemorySource", () => {
  it("serves a scenario's range on the step grid and rejects unknown queries", async () => {
    const s = scenarios[0]!;
    const source = scenarioSource(s);
    const { series: out } = await source.queryRange(s.query, s.deployTime - 120, s.deployTime, STEP_SECONDS);
    expect(out[0]!.samples.map((x) => x.t)).toEqual([-120, -90, -60, -30, 0].map((d) => s.deployTime + d));
    expect(out[0]!.samples.at(-1)!.v).toBe(s.samples.find((x) => x.t === s.deployTime)!.v);
    await expect(source.queryRange("nope", 0, 1, 1)).rejects.toThrow(/no series for query "nope"/);
  });

  it("returns no series past the data instead of inventing points", async () => {
    const source = gridSource("m", { q: [{ t: 0, v: 1 }] });
    expect((await source.queryRange("q", 60, 120, 30)).series).toEqual([]);
  });
});

describe("reference rules", () => {
  const wobble = (i: number) => 100 + (i % 5);

  it("static p99 detects an obvious step three samples after it starts", () => {
    const { baseline, watch } = series(wobble, (k) => (k >= 4 ? 300 : wobble(k)));
    const out = staticThreshold().evaluate(baseline, watch, "increase");
    expect(out).toEqual({ verdict: "fail", detectedAt: 6 * STEP_SECONDS });
  });

  it("static p99 ignores a flat series and a two-sample blip", () => {
    const flat = series(wobble, wobble);
    expect(staticThreshold().evaluate(flat.baseline, flat.watch, "increase").verdict).toBe("pass");
    const blip = series(wobble, (k) => (k <= 2 ? 500 : wobble(k)));
    expect(staticThreshold().evaluate(blip.baseline, blip.watch, "increase").verdict).toBe("pass");
  });

  it("static p99 looks down for a decrease and is inconclusive without numbers", () => {
    const { baseline, watch } = series(wobble, (k) => (k >= 1 ? 10 : 100));
    expect(staticThreshold().evaluate(baseline, watch, "decrease").verdict).toBe("fail");
    expect(staticThreshold().evaluate(baseline, watch, "increase").verdict).toBe("pass");
    const empty = series(
      () => NaN,
      () => NaN,
    );
    expect(staticThreshold().evaluate(empty.baseline, empty.watch, "increase").verdict).toBe("inconclusive");
  });

  it("rolling 3σ fails on a single sample and not on a flat series", () => {
    const spike = series(wobble, (k) => (k === 5 ? 150 : wobble(k)));
    expect(rollingZScore().evaluate(spike.baseline, spike.watch, "increase")).toEqual({
      verdict: "fail",
      detectedAt: 5 * STEP_SECONDS,
    });
    const flat = series(wobble, wobble);
    expect(rollingZScore().evaluate(flat.baseline, flat.watch, "increase").verdict).toBe("pass");
  });
});
