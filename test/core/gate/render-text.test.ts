import { describe, expect, it } from "vitest";
import { renderText, sparkline } from "../../../src/core/gate/render-text.js";
import type { CheckResult, GateReport, Sample } from "../../../src/core/gate/types.js";

const DEPLOY = Date.UTC(2026, 10, 26, 14, 0, 0) / 1000;
const BARS = "▁▂▃▄▅▆▇█";

const at = (start: number, values: number[]): Sample[] => values.map((v, i) => ({ t: start + i * 30, v }));

function check(baseline: number[], window: number[], over: Partial<CheckResult> = {}): CheckResult {
  return {
    name: "errors",
    query: "errors",
    critical: true,
    verdict: "pass",
    noData: false,
    reason: "no significant increase (p=0.57)",
    severity: null,
    stats: {
      baselineMedian: 0.004,
      windowMedian: 0.0041,
      change: 0.025,
      pValue: 0.57,
      zScore: 0.3,
      baselineSamples: baseline.length,
      windowSamples: window.length,
    },
    detectedAt: null,
    baseline: at(DEPLOY - baseline.length * 30, baseline),
    window: at(DEPLOY + 30, window),
    direction: "increase",
    warnings: [],
    references: [],
    severityValue: null,
    ...over,
  };
}

/** The bars of a sparkline, without the range suffix. */
const bars = (line: string) => line.slice(0, line.lastIndexOf("  ("));

describe("sparkline", () => {
  it("scales values from the lowest to the highest bar, split at the deploy", () => {
    const line = sparkline(check([0, 1, 2, 3], [4, 5, 6, 7]));
    expect(bars(line)).toBe(`${BARS.slice(0, 4)}│${BARS.slice(4)}`);
    expect(line.endsWith("  (0…7)")).toBe(true);
  });

  it("shows no-data samples as gaps at their position, without shifting the others", () => {
    const line = sparkline(check([0, NaN, 7], [NaN, NaN, 7, Infinity]));
    expect(bars(line)).toBe("▁ █│  █ ");
    // The gaps do not count towards the range either.
    expect(line.endsWith("  (0…7)")).toBe(true);
  });

  it("puts exactly one separator at the deploy, even when one side is empty", () => {
    for (const [b, w] of [
      [[1, 2], []],
      [[], [1, 2]],
      [[1], [2, 3, 4]],
    ] as const) {
      const line = bars(sparkline(check([...b], [...w])));
      expect(line.split("│").map((s) => [...s].length)).toEqual([b.length, w.length]);
    }
  });

  it("draws a flat series with the lowest bar", () => {
    expect(bars(sparkline(check([5, 5], [5])))).toBe("▁▁│▁");
  });

  it('says "(no data)" when there is no finite value at all', () => {
    expect(sparkline(check([NaN], [NaN, NaN]))).toBe("(no data)");
    expect(sparkline(check([], []))).toBe("(no data)");
  });
});

describe("renderText", () => {
  const base = (over: Partial<GateReport>, checks: CheckResult[]): GateReport => ({
    verdict: "pass",
    severity: null,
    detectedAt: null,
    deployTime: DEPLOY,
    baselineSeconds: 1800,
    windowSeconds: 600,
    stepSeconds: 30,
    backtest: false,
    reason: "",
    checks,
    ...over,
  });

  it("prints the verdict, the detection time and a block per check", () => {
    const failed = check([0.004, 0.004], [0.07, 0.08, 0.07], {
      verdict: "fail",
      severity: "P1",
      reason: "3 consecutive samples breached",
      stats: {
        baselineMedian: 0.004,
        windowMedian: 0.07,
        change: 16.5,
        pValue: null,
        zScore: 40,
        baselineSamples: 2,
        windowSamples: 3,
      },
    });
    const quiet = check([NaN], [NaN], {
      name: "orders",
      critical: false,
      verdict: "inconclusive",
      reason: "no data",
      stats: {
        baselineMedian: null,
        windowMedian: null,
        change: null,
        pValue: null,
        zScore: null,
        baselineSamples: 0,
        windowSamples: 0,
      },
    });
    const text = renderText(
      base({ verdict: "fail", severity: "P1", detectedAt: DEPLOY + 90, backtest: true }, [failed, quiet]),
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("verdict: FAIL (P1)  [backtest]");
    expect(lines[1]).toBe("detected at: 2026-11-26T14:01:30.000Z (+1m30s)");
    expect(lines).toContain("● errors: fail P1");
    expect(lines).toContain("  baseline 0.004  window 0.07  change +1650 %  p –");
    expect(lines).toContain("  3 consecutive samples breached");
    expect(lines).toContain(`  ${sparkline(failed)}`);
    expect(lines).toContain("● orders (non-critical): inconclusive");
    expect(lines).toContain("  baseline –  window –  change –  p –");
    expect(lines).toContain("  (no data)");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("leaves out the detection line and the backtest tag when they do not apply", () => {
    const text = renderText(base({}, [check([1, 2], [1, 2])]));
    expect(text.split("\n")[0]).toBe("verdict: PASS");
    expect(text).not.toContain("detected at");
    expect(text).toContain("p 0.57");
  });
});
