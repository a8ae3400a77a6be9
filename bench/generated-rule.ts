// aftershock on one generated deploy (bench/scenarios.ts) as a user would configure it: one check on
// the metric, defaults for the rest, backtested after the window. Shared by `npm run bench:gate` and
// `bench/tune-gate.ts`, so the grid judges the suite exactly as the bench prints it.
import { makeCheck, makeGate } from "../src/core/gate/defaults.js";
import { runGate } from "../src/core/gate/gate.js";
import type { CheckSpec, GateSpec, Verdict } from "../src/core/gate/types.js";
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
  const report = await runGate(spec, scenarioSource(s), {
    // After the window: a backtest, which must never wait.
    now: () => s.deployTime + spec.windowSeconds + spec.stepSeconds,
    sleep: () => Promise.reject(new Error("the bench backtests; the gate must not sleep")),
  });
  return {
    verdict: report.verdict,
    detectedAt: report.verdict === "fail" ? report.detectedAt : null,
    reason: report.reason,
  };
}
