// The bar learnt from the metric's own past (history.ts): bursts the metric always has pass, a clear
// shift fails on its first sample, a daily ramp stays usual against yesterday, and too little or
// failed history leaves the baseline tests to judge.
import { describe, expect, it } from "vitest";
import { MIN_HISTORY_STRETCHES, makeCheck, makeGate } from "../../../src/core/gate/defaults.js";
import { LevelSpreads, historyBreach, learnHistory } from "../../../src/core/gate/history.js";
import { runGate } from "../../../src/core/gate/gate.js";
import { summarizeBaseline } from "../../../src/core/gate/judge.js";
import type { CheckSpec, GateSpec, Series } from "../../../src/core/gate/types.js";
import { MemorySource, samplesFrom, series } from "../../helpers/memory-source.js";

const STEP = 60;
const DAY = 86_400;
/** 2026-03-10 09:00 UTC. */
const D = Date.UTC(2026, 2, 10, 9, 0, 0) / 1000;
const END = D + 600;
const Q = "latency";

/** Deterministic noise in [-1, 1], unrelated from one timestamp to the next. */
function jitter(t: number): number {
  const x = Math.sin(t * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}
const calm = (t: number) => 100 * (1 + 0.05 * jitter(t));
/** Every 40 minutes, a 4-minute burst to 3x: the metric's own habit (a cron job, a cache flush). */
const bursty = (t: number) => ((((t - D) % 2400) + 2400) % 2400 < 240 ? 3 * calm(t) : calm(t));

/** `days` of samples every STEP up to the end of the watch window, `f` before the deploy and `after` after. */
function data(
  days: number,
  f: (t: number) => number,
  after: (t: number) => number = f,
): Record<string, Series[]> {
  return { [Q]: [series(samplesFrom(D - days * DAY, END, STEP, (t) => (t > D ? after(t) : f(t))))] };
}
const backtest = (spec: GateSpec, d: Record<string, Series[]>, source = new MemorySource(d)) =>
  runGate(spec, source, { now: () => END + 3600 });
const gate = (over: Partial<GateSpec> = {}, check: Partial<CheckSpec> = {}) =>
  makeGate({
    checks: [makeCheck({ name: "latency", query: Q, ...check })],
    deployTime: D,
    baselineSeconds: 1800,
    windowSeconds: 600,
    stepSeconds: STEP,
    seasonality: "off",
    ...over,
  });

describe("the bar learnt from the metric's past", () => {
  it("passes a burst the metric has every 40 minutes, which the baseline alone fails", async () => {
    // The deploy lands at the start of a burst: 2.5x for four minutes, as every 40 minutes before.
    const d = data(2, bursty, (t) => (t - D <= 240 ? 2.5 * calm(t) : calm(t)));
    const withHistory = await backtest(gate({ history: DAY }), d);
    const without = await backtest(gate({ history: "off" }), d);
    expect(without.verdict).toBe("fail");
    expect(withHistory.verdict).toBe("pass");
    expect(withHistory.checks[0]!.reason).toMatch(/within what 98.5 % of \d+ stretches of the past 1d did/);
  });

  it("fails a clear shift on its first sample, where the streak needs failure-limit samples", async () => {
    const d = data(2, calm, (t) => 2 * calm(t));
    const withHistory = await backtest(gate({ history: DAY }), d);
    const without = await backtest(gate({ history: "off" }), d);
    expect(withHistory.verdict).toBe("fail");
    expect(withHistory.detectedAt).toBe(D + STEP);
    expect(withHistory.checks[0]!.reason).toMatch(
      /robust deviations above the baseline 100, further than 98.5 %/,
    );
    expect(without.verdict).toBe("fail");
    expect(without.detectedAt).toBe(D + 3 * STEP);
  });

  it("keeps the effect floor: a tiny shift on a very quiet metric passes", async () => {
    const quiet = (t: number) => 100 * (1 + 0.001 * jitter(t));
    const d = data(2, quiet, (t) => 1.05 * quiet(t));
    const report = await backtest(gate({ history: DAY }), d);
    expect(report.verdict).toBe("pass");
  });

  it("lets a daily ramp pass when it is usual against yesterday (seasonality auto), not with seasonality off", async () => {
    // Flat until 09:00 every day, then up to 2x by 09:10: rare in the past few days, usual against
    // the same time yesterday.
    const ramp = (t: number) => {
      const since = (((t - D) % DAY) + DAY) % DAY;
      return calm(t) * (since < 600 ? 1 + since / 600 : since < 3600 ? 2 : 1);
    };
    const d = data(4, ramp);
    const auto = await backtest(gate({ history: 3 * DAY, seasonality: "auto" }), d);
    const off = await backtest(gate({ history: 3 * DAY, seasonality: "off" }), d);
    expect(off.verdict).toBe("fail");
    expect(off.checks[0]!.reason).toMatch(/further than 98.5 % of \d+ stretches of the past 3d/);
    expect(auto.verdict).toBe("pass");
    // A regression on top of the ramp is unusual against yesterday too.
    const worse = await backtest(
      gate({ history: 3 * DAY, seasonality: "auto" }),
      data(4, ramp, (t) => 1.6 * ramp(t)),
    );
    expect(worse.verdict).toBe("fail");
  });

  it("without enough past stretches, says so and judges by the baseline", async () => {
    const d = data(0.1, calm, (t) => 2 * calm(t));
    const report = await backtest(gate({ history: DAY }), d);
    const use = report.checks[0]!.references.find((r) => r.name === "the past 1d")!;
    expect(use.used).toBe(false);
    expect(use.why).toMatch(new RegExp(`fewer than ${MIN_HISTORY_STRETCHES}`));
    expect(report.verdict).toBe("fail");
    expect(report.checks[0]!.reason).toMatch(/^3 consecutive samples breached/);
  });

  it("a failed history read is not a failed gate: the baseline judges, and the reference says why", async () => {
    const d = data(2, calm, (t) => 2 * calm(t));
    const source = new MemorySource(d, {
      // Only the long read fails (a backend that refuses a range this long).
      fail: (call) => (call.end - call.start > 6 * 3600 ? new Error("range too long") : undefined),
    });
    const report = await backtest(gate({ history: DAY }), d, source);
    const use = report.checks[0]!.references.find((r) => r.name === "the past 1d")!;
    expect(use).toMatchObject({ used: false, why: "query failed: range too long" });
    expect(report.verdict).toBe("fail");
    expect(report.detectedAt).toBe(D + 3 * STEP);
  });

  it("reads the past once, capped at 10,000 steps", async () => {
    const d = data(2, calm);
    const source = new MemorySource(d);
    await backtest(gate({ history: 30 * DAY }), d, source);
    const long = source.calls.filter((c) => c.end - c.start > DAY);
    expect(long).toHaveLength(1);
    expect((long[0]!.end - long[0]!.start) / STEP).toBeLessThanOrEqual(10_000);
  });
});

describe("learnHistory and historyBreach", () => {
  const check = makeCheck({ name: "x", query: Q, minEffect: 0 });
  const spec = gate({ history: DAY });

  it("learns the bar as the 98.5th percentile of how far each past stretch got", () => {
    // Quiet past with one level step up to 1.5x half a day before: the ten or so stretches whose
    // window climbs the step move far, fewer than 1.5 % of 1,440.
    const samples = samplesFrom(D - DAY - 1800, D - STEP, STEP, (t) =>
      t < D - DAY / 2 ? calm(t) : 1.5 * calm(t),
    );
    const { bar, use } = learnHistory(check, spec, samples, DAY);
    expect(bar).not.toBeNull();
    expect(bar!.stretches).toBeGreaterThan(1000);
    expect(use.used).toBe(true);
    // The bar is the noise's, well below the step (about 13 robust deviations).
    expect(bar!.bar).toBeGreaterThan(1);
    expect(bar!.bar).toBeLessThan(10);
  });

  it("needs the window beyond the bar and beyond z-threshold", () => {
    const baseline = summarizeBaseline(samplesFrom(D - 1800, D - STEP, STEP, calm).map((s) => s.v));
    const bar = { bar: 1, spreads: new LevelSpreads(), stretches: 500, spanSeconds: DAY };
    // 2 robust deviations: beyond the bar 1 but not beyond z-threshold 3.
    const sd = 1.4826 * 100 * 0.05 * 0.5;
    expect(historyBreach(check, bar, baseline, baseline.median + 2 * sd, 1)).toBeNull();
    expect(historyBreach(check, bar, baseline, baseline.median + 20 * sd, 1)).toMatch(
      /robust deviations above/,
    );
    const down = makeCheck({ name: "x", query: Q, direction: "decrease", minEffect: 0 });
    expect(historyBreach(down, bar, baseline, baseline.median + 20 * sd, 1)).toBeNull();
  });

  it("measures a move in the metric's typical spread when the baseline is quieter than usual", () => {
    // The past wanders ±40 %; the deploy's baseline happens to be a quiet half hour (±1 %).
    const noisy = (t: number) => 100 * (1 + 0.4 * jitter(t));
    const samples = samplesFrom(D - DAY - 1800, D - STEP, STEP, noisy);
    const { bar } = learnHistory(check, spec, samples, DAY);
    // 1.4826 × the MAD of a uniform ±40 is about 29.7.
    expect(bar!.spreads.at(100)).toBeGreaterThan(25);
    expect(bar!.spreads.at(100)).toBeLessThan(35);
    const quiet = summarizeBaseline(
      samplesFrom(D - 1800, D - STEP, STEP, (t) => 100 * (1 + 0.01 * jitter(t))).map((s) => s.v),
    );
    // +30: dozens of the quiet baseline's deviations, one of the metric's usual ones.
    expect(historyBreach(check, { ...bar!, spreads: new LevelSpreads() }, quiet, 130, 1)).toMatch(
      /robust deviations above/,
    );
    expect(historyBreach(check, bar!, quiet, 130, 1)).toBeNull();
    // A real shift is still far beyond the usual spread.
    expect(historyBreach(check, bar!, quiet, 400, 1)).toMatch(/robust deviations above/);
  });

  it("learns the bar in the same spreads it judges in: quiet hours do not inflate it", () => {
    // One hour in four is quiet (±1 %), the rest wander ±40 % around the same level. Measured in
    // their own spread, the stretches that start quiet and end noisy move dozens of deviations, more
    // than 2 % of them: the bar would be theirs.
    const mixed = (t: number) => 100 * (1 + (Math.floor((t - D) / 3600) % 4 === 0 ? 0.01 : 0.4) * jitter(t));
    const samples = samplesFrom(D - DAY - 1800, D - STEP, STEP, mixed);
    const { bar } = learnHistory(check, spec, samples, DAY);
    expect(bar!.spreads.at(100)).toBeGreaterThan(20);
    expect(bar!.bar).toBeLessThan(5);
  });
});

describe("LevelSpreads", () => {
  it("gives the median spread of past baselines within about a factor of two of the level", () => {
    const spreads = new LevelSpreads();
    for (let i = 0; i < 40; i++) spreads.add(1000 + i, 60); // days
    for (let i = 0; i < 40; i++) spreads.add(20 + i / 10, 1.5); // nights
    expect(spreads.at(1010)).toBe(60);
    expect(spreads.at(21)).toBe(1.5);
    // Nothing near 150: no floor rather than another level's.
    expect(spreads.at(150)).toBe(0);
  });

  it("needs 30 past baselines near a level, and judges 0 with the quietest nonzero levels", () => {
    const spreads = new LevelSpreads();
    for (let i = 0; i < 29; i++) spreads.add(0, 0.1);
    expect(spreads.at(0)).toBe(0);
    for (let i = 0; i < 11; i++) spreads.add(1.5, 1);
    for (let i = 0; i < 50; i++) spreads.add(500, 40);
    // 29 at 0 and 11 at 1.5 (the lowest nonzero level): median of 40 spreads.
    expect(spreads.at(0)).toBe(0.1);
    expect(spreads.at(-3)).toBe(0);
  });
});

describe("a metric with a day and a night", () => {
  // 1,000/s from 07:00 to 19:00 UTC, 20/s otherwise, ±10 %; the deploy at 03:00.
  const NIGHT = D - 6 * 3600;
  const level = (t: number) => {
    const hour = new Date(t * 1000).getUTCHours();
    return hour >= 7 && hour < 19 ? 1000 : 20;
  };
  const diurnal = (t: number) => level(t) * (1 + 0.1 * jitter(t));
  const at = (after: (t: number) => number) => ({
    [Q]: [
      series(samplesFrom(NIGHT - 3 * DAY, NIGHT + 600, STEP, (t) => (t > NIGHT ? after(t) : diurnal(t)))),
    ],
  });
  const night = (over: Partial<GateSpec> = {}) => gate({ deployTime: NIGHT, history: 2 * DAY, ...over });
  const run = (spec: GateSpec, d: Record<string, Series[]>) =>
    runGate(spec, new MemorySource(d), { now: () => NIGHT + 3600 });

  it("fails a night regression the day's spread would hide, and passes a clean night deploy", async () => {
    const doubled = await run(
      night(),
      at((t) => 2 * diurnal(t)),
    );
    expect(doubled.verdict).toBe("fail");
    expect(doubled.checks[0]!.reason).toMatch(/further than 98.5 % of \d+ stretches/);
    const clean = await run(night(), at(diurnal));
    expect(clean.verdict).toBe("pass");
  });
});
