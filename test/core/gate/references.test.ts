// The references a watch window is judged against (seasonal windows, a control series), severity
// from the window median, a query that matches nothing, and a short overlapping baseline.
import { describe, expect, it } from "vitest";
import { makeCheck, makeGate } from "../../../src/core/gate/defaults.js";
import { ConfigError } from "../../../src/core/errors.js";
import { runGate } from "../../../src/core/gate/gate.js";
import { effectiveSize, noiseInflation } from "../../../src/core/gate/judge.js";
import type { CheckSpec, GateSpec, Series } from "../../../src/core/gate/types.js";
import { MemorySource, samplesFrom, series } from "../../helpers/memory-source.js";

const STEP = 30;
const DAY = 86_400;
/** 2026-03-10 09:00 UTC: the deploy sits at the start of the morning ramp. */
const D = Date.UTC(2026, 2, 10, 9, 0, 0) / 1000;
const END = D + 600;

/** Deterministic noise in [-1, 1], unrelated from one timestamp to the next (and from day to day). */
function jitter(t: number): number {
  const x = Math.sin(t * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** Latency that is flat at 200 ms until 09:00 every day, then ramps to 400 ms by 09:10 and stays. */
function ramp(t: number): number {
  const sinceNine = (((t - D) % DAY) + DAY) % DAY;
  const base = sinceNine < 600 ? 0.2 + 0.2 * (sinceNine / 600) : sinceNine < 3600 ? 0.4 : 0.2;
  return base * (1 + 0.03 * jitter(t));
}

/** Samples every 30 s over the gate's range `daysBack` days earlier up to today's window. */
function history(f: (t: number) => number, daysBack: number): Series[] {
  const ranges: Series["samples"] = [];
  for (let d = daysBack; d >= 0; d--)
    ranges.push(...samplesFrom(D - d * DAY - 3600, END - d * DAY + 600, STEP, f));
  return [series(ranges)];
}

const LATENCY = "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))";
const backtest = (spec: GateSpec, data: Record<string, Series[]>) =>
  runGate(spec, new MemorySource(data), { now: () => END + 3600 });
// History off: these prove what each reference does alone (history.test.ts covers the learnt bar).
const gate = (checks: CheckSpec[], over: Partial<GateSpec> = {}) =>
  makeGate({ checks, deployTime: D, history: "off", ...over });
const latency = (over: Partial<CheckSpec> = {}) => makeCheck({ name: "latency", query: LATENCY, ...over });

describe("seasonality: the same clock window a day and a week earlier", () => {
  const data = { [LATENCY]: history(ramp, 7) };

  it("a daily ramp at 09:00 passes with auto and fails with off", async () => {
    const auto = await backtest(gate([latency()], { seasonality: "auto" }), data);
    const off = await backtest(gate([latency()], { seasonality: "off" }), data);
    expect(off.verdict).toBe("fail");
    expect(auto.verdict).toBe("pass");
    expect(auto.checks[0]!.reason).toMatch(/\[references: baseline, a day earlier, a week earlier\]$/);
  });

  it("a regression of +60 % on top of the ramp fails with auto, against every reference", async () => {
    const worse = (t: number) => (t > D && t <= END ? 1.6 * ramp(t) : ramp(t));
    const report = await backtest(gate([latency()], { seasonality: "auto" }), {
      [LATENCY]: history(worse, 7),
    });
    expect(report.verdict).toBe("fail");
    expect(report.checks[0]!.reason).toContain("against a day earlier");
    expect(report.checks[0]!.reason).toContain("against a week earlier");
  });

  it("lists the references in the result, and says why one could not be used", async () => {
    // Two days of history: a day earlier exists, a week earlier does not.
    const report = await backtest(gate([latency()], { seasonality: "auto" }), {
      [LATENCY]: history(ramp, 1),
    });
    const refs = report.checks[0]!.references;
    expect(refs.map((r) => [r.name, r.offsetSeconds, r.used])).toEqual([
      ["baseline", 0, true],
      ["a day earlier", DAY, true],
      ["a week earlier", 7 * DAY, false],
    ]);
    expect(refs[2]!.why).toMatch(/has 0 baseline and 0 window samples/);
    expect(report.verdict).toBe("pass");
  });

  it("explicit offsets are read as given", async () => {
    const source = new MemorySource(data);
    const report = await runGate(gate([latency()], { seasonality: [2 * DAY] }), source, {
      now: () => END + 3600,
    });
    expect(report.checks[0]!.references.map((r) => r.name)).toEqual(["baseline", "48h earlier"]);
    expect(source.calls.some((c) => c.start === D - 1800 - 2 * DAY && c.end === END - 2 * DAY)).toBe(true);
    expect(report.verdict).toBe("pass");
  });
});

describe("control: the canary judged against the stable version at the same time", () => {
  const CANARY =
    'sum(rate(errors_total{track="canary"}[1m])) / sum(rate(requests_total{track="canary"}[1m]))';
  const STABLE =
    'sum(rate(errors_total{track="stable"}[1m])) / sum(rate(requests_total{track="stable"}[1m]))';
  const calm = (t: number) => 0.01 * (1 + 0.1 * jitter(t));
  /** `value` after the deploy with ±10 % noise of its own (`seed` keeps two series' noise apart). */
  const after =
    (value: number, seed = 7) =>
    (t: number) =>
      t > D ? value * (1 + 0.1 * jitter(t + seed)) : calm(t);
  const today = (f: (t: number) => number) => [series(samplesFrom(D - 1800, END, STEP, f))];
  const check = () => makeCheck({ name: "errors", query: CANARY, controlQuery: STABLE, errorRate: true });
  const run = (canary: (t: number) => number, control: (t: number) => number) =>
    backtest(gate([check()], { seasonality: "off" }), { [CANARY]: today(canary), [STABLE]: today(control) });

  it("a canary six times worse than its control fails", async () => {
    const report = await run(after(0.06), calm);
    expect(report.verdict).toBe("fail");
    expect(report.checks[0]!.reason).toContain("against control");
    expect(report.checks[0]!.controlQuery).toBe(STABLE);
  });

  it("a canary equal to its control passes", async () => {
    const report = await run(calm, (t) => calm(t + 3));
    expect(report.verdict).toBe("pass");
  });

  it("an upstream incident that raises both passes: the baseline alone would fail it", async () => {
    // Independent noise on both sides: at six times the level, the noise is six times larger too.
    const both = await run(after(0.06), after(0.06, 11));
    expect(both.verdict).toBe("pass");
    expect(both.checks[0]!.reason).toMatch(/against control/);
    const alone = await backtest(
      gate([makeCheck({ name: "errors", query: CANARY, errorRate: true })], { seasonality: "off" }),
      {
        [CANARY]: today(after(0.06)),
      },
    );
    expect(alone.verdict).toBe("fail");
  });

  it("a control with no data (0/0) is a no-data verdict whose reason names the control query", async () => {
    const report = await run(after(0.06), (t) => (t > D ? NaN : calm(t)));
    expect(report.verdict).toBe("inconclusive");
    expect(report.checks[0]!.noData).toBe(true);
    expect(report.checks[0]!.reason).toContain(STABLE);
    expect(report.checks[0]!.reason).toMatch(/→ inconclusive \(on-no-data policy\)$/);
  });

  it("a control query that matches nothing at all is a ConfigError naming it", async () => {
    const promise = backtest(gate([check()], { seasonality: "off" }), {
      [CANARY]: today(calm),
      [STABLE]: [],
    });
    await expect(promise).rejects.toThrow(ConfigError);
    await expect(promise).rejects.toThrow(
      `the control query returned no series at all over the baseline and the window: ${STABLE}`,
    );
  });

  it("a canary without a baseline of its own is judged against the control's window (Kayenta)", async () => {
    const newOnly = (f: (t: number) => number) => [series(samplesFrom(D + STEP, END, STEP, f))];
    const bad = await backtest(gate([check()], { seasonality: "off" }), {
      [CANARY]: newOnly(after(0.06)),
      [STABLE]: today(calm),
    });
    expect(bad.verdict).toBe("fail");
    const good = await backtest(gate([check()], { seasonality: "off" }), {
      [CANARY]: newOnly(calm),
      [STABLE]: today(calm),
    });
    expect(good.verdict).toBe("pass");
    expect(good.checks[0]!.references.find((r) => r.name === "baseline")!.used).toBe(false);
  });
});

describe("severity from what is shown", () => {
  const ERRORS = 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))';
  it("a window whose median error ratio is 6.5 % is P1, and the reason names the value", async () => {
    // The first watch sample is the partial rate() of the first half-minute (3.4 %): the mildest of
    // the failing streak, which used to set the level (P2).
    const f = (t: number) => (t <= D ? 0.005 * (1 + 0.1 * jitter(t)) : t === D + STEP ? 0.034 : 0.065);
    const report = await backtest(
      gate([makeCheck({ name: "errors", query: ERRORS, errorRate: true })], { seasonality: "off" }),
      {
        [ERRORS]: [series(samplesFrom(D - 1800, END, STEP, f))],
      },
    );
    expect(report.verdict).toBe("fail");
    expect(report.severity).toBe("P1");
    expect(report.checks[0]!.severityValue).toBe(0.065);
    expect(report.checks[0]!.reason).toContain("P1 from the window median 0.065 up to detection");
  });
});

describe("a query that matches nothing is a configuration error", () => {
  it("no series at all over the baseline and the window: ConfigError naming the query and what to check", async () => {
    const typo = "sum(rate(http_requets_total[1m]))";
    const promise = backtest(
      gate([makeCheck({ name: "traffic", query: typo })], {
        seasonality: "off",
        vars: { service: "checkout" },
      }),
      { [typo]: [] },
    );
    await expect(promise).rejects.toThrow(ConfigError);
    await expect(promise).rejects.toThrow(typo);
    await expect(promise).rejects.toThrow(
      /metric name \(a typo\?\), the label matchers and the template values \(service="checkout"\)/,
    );
  });

  it("a metric that exists but has zero traffic (NaN) stays inconclusive", async () => {
    const q = "errors / requests";
    const report = await backtest(gate([makeCheck({ name: "errors", query: q })], { seasonality: "off" }), {
      [q]: [series(samplesFrom(D - 1800, END, STEP, () => NaN))],
    });
    expect(report.verdict).toBe("inconclusive");
  });
});

describe("honest noise: a short baseline of overlapping rates", () => {
  /**
   * Poisson counts (1.5 a second) read as a 30 s rate every 5 s: each sample shares 25 s with the
   * last, so a minute of them holds about two independent windows and a tiny spread.
   */
  function overlappingRates(seed: number, from: number, to: number): Series[] {
    let state = seed * 7919;
    const uniform = () => {
      const x = Math.sin(++state * 12.9898 + 78.233) * 43758.5453;
      return x - Math.floor(x);
    };
    const poisson = (mean: number) => {
      let k = 0;
      for (let p = uniform(); p > Math.exp(-mean); p *= uniform()) k++;
      return k;
    };
    const perSecond = new Map<number, number>();
    for (let t = from - 30; t <= to; t++) perSecond.set(t, poisson(1.5));
    const samples = [];
    for (let t = from; t <= to; t += 5) {
      let sum = 0;
      for (let s = t - 29; s <= t; s++) sum += perSecond.get(s)!;
      samples.push({ t, v: sum / 30 });
    }
    return [series(samples)];
  }

  it("a minute of 30 s rates every 5 s is worth about one independent sample: no per-sample z-test", () => {
    const values = overlappingRates(1, D - 60, D - 5)[0]!.samples.map((s) => s.v);
    expect(values).toHaveLength(12);
    expect(effectiveSize(values)).toBeLessThan(2);
    expect(noiseInflation(values)).toBe(Infinity);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("a clean deploy passes (seed %i)", async (seed) => {
    const q = "sum(rate(requests_total[30s]))";
    const spec = gate([makeCheck({ name: "requests", query: q })], {
      seasonality: "off",
      baselineSeconds: 60,
      windowSeconds: 120,
      stepSeconds: 5,
    });
    const report = await runGate(spec, new MemorySource({ [q]: overlappingRates(seed, D - 60, D + 120) }), {
      now: () => D + 3600,
    });
    expect(report.verdict).toBe("pass");
  });
});
