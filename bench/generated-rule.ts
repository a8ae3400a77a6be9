// aftershock on one generated deploy (bench/scenarios.ts) as a user would configure it: one check on
// the metric, defaults for the rest, backtested after the window. Shared by `npm run bench:gate` and
// `bench/tune-gate.ts`, so the grid judges the suite exactly as the bench prints it; `backtest` is
// also how bench/real.ts runs the real series.
import { makeCheck, makeGate } from "../src/core/gate/defaults.js";
import { runGate } from "../src/core/gate/gate.js";
import type { CheckSpec, GateSpec, MetricSource, Verdict } from "../src/core/gate/types.js";
import { scenarioSource } from "./memory-source.js";
import type { Scenario } from "./scenarios.js";

export interface GeneratedOutcome {
  verdict: Verdict;
  detectedAt: number | null;
  reason: string;
}

export async function judgeScenario(
  s: Scenario,
  check: Partial<CheckSpec> = {},
  gate: Partial<GateSpec> = {},
  minTraffic?: number,
): Promise<GeneratedOutcome> {
  const useTraffic = minTraffic !== undefined && s.trafficQuery !== undefined;
  const spec = makeGate({
    ...gate,
    checks: [
      makeCheck({
        ...check,
        name: s.metric,
        query: s.query,
        direction: s.direction,
        errorRate: s.metric === "error-ratio",
        ...(useTraffic ? { trafficQuery: s.trafficQuery, minTraffic } : {}),
      }),
    ],
    deployTime: s.deployTime,
  });
  return backtest(spec, scenarioSource(s));
}

/** Runs a gate as a backtest (the clock past the window; it must never wait) and keeps the outcome. */
export async function backtest(spec: GateSpec, source: MetricSource): Promise<GeneratedOutcome> {
  const report = await runGate(spec, source, {
    now: () => spec.deployTime + spec.windowSeconds + spec.stepSeconds,
    sleep: () => Promise.reject(new Error("the bench backtests; the gate must not sleep")),
  });
  return {
    verdict: report.verdict,
    detectedAt: report.verdict === "fail" ? report.detectedAt : null,
    reason: report.reason,
  };
}
