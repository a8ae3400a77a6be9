// The gate on real labeled series (`npm run bench:gate -- --real [DIR]`): the deploy cases of
// bench/nab-cases.ts, the gate run through `runGate` (the code behind `aftershock check`) over a
// memory source that serves the whole series (so a day or a week earlier exists), and the two
// reference rules of the dataset's README on the same cases in the same run.
import { makeCheck, makeGate } from "../src/core/gate/defaults.js";
import { backtest } from "./generated-rule.js";
import { quantile } from "../src/core/gate/stats.js";
import type { CheckSpec, GateSpec, Verdict } from "../src/core/gate/types.js";
import { gridSource, type MemorySource } from "../test/helpers/memory-source.js";
import {
  REAL_BASELINE_STEPS,
  REAL_WATCH_STEPS,
  buildCases,
  caseRanges,
  type RealCase,
  type RealSeries,
} from "./nab-cases.js";
import { rollingZScore, staticThreshold, type ReferenceRule } from "./reference-rules.js";

export const REAL_QUERY = "value";

export interface RealOutcome {
  case: RealCase;
  seed: number;
  verdict: Verdict;
  detectedAt: number | null;
  reason?: string;
}

export interface RealRule {
  name: string;
  evaluate(c: RealCase): Promise<Omit<RealOutcome, "case" | "seed">>;
}

/** One memory source per series, built once: sorting 20 000 samples per case would dominate the run. */
const sources = new WeakMap<RealSeries, MemorySource>();
function sourceFor(series: RealSeries): MemorySource {
  let source = sources.get(series);
  if (!source) {
    source = gridSource(series.key, { [REAL_QUERY]: series.samples });
    sources.set(series, source);
  }
  return source;
}

/** aftershock as `aftershock check` would run it on the case, with optional engine overrides. */
export function gateRule(check: Partial<CheckSpec> = {}, gate: Partial<GateSpec> = {}): RealRule {
  return {
    name: "aftershock",
    async evaluate(c) {
      const step = c.series.step;
      const spec = makeGate({
        ...gate,
        checks: [makeCheck({ ...check, name: "value", query: REAL_QUERY, direction: c.direction })],
        deployTime: c.deployTime,
        baselineSeconds: REAL_BASELINE_STEPS * step,
        windowSeconds: REAL_WATCH_STEPS * step,
        stepSeconds: step,
      });
      return backtest(spec, sourceFor(c.series));
    },
  };
}

function referenceRule(rule: ReferenceRule): RealRule {
  return {
    name: rule.name,
    async evaluate(c) {
      const { baseline, watch } = caseRanges(c.series, c.deployTime, true);
      return rule.evaluate(baseline, watch, c.direction);
    },
  };
}

/** The two reference rules exactly as nab-dev's README describes them. */
export const REAL_REFERENCES: readonly RealRule[] = [
  referenceRule(rollingZScore(3, 100, 50, true)),
  referenceRule(staticThreshold(3, 0.99)),
];

export async function runReal(
  rule: RealRule,
  dataset: readonly RealSeries[],
  seeds: readonly number[],
): Promise<RealOutcome[]> {
  const out: RealOutcome[] = [];
  for (const seed of seeds) {
    for (const c of buildCases(dataset, seed)) out.push({ case: c, seed, ...(await rule.evaluate(c)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scores

export interface RealScore {
  bad: number;
  clean: number;
  recall: number;
  fpr: number;
  precision: number;
  f1: number;
  clearShifts: number;
  clearRecall: number;
  delayP50: number;
  delayP90: number;
}

/** Steps from the deploy to the failing sample: the first watch sample is 1. */
export function delaySteps(o: RealOutcome): number | null {
  if (o.verdict !== "fail" || o.detectedAt === null) return null;
  return Math.round((o.detectedAt - o.case.deployTime) / o.case.series.step);
}

export function score(outcomes: readonly RealOutcome[]): RealScore {
  const bad = outcomes.filter((o) => o.case.label === "bad");
  const clean = outcomes.filter((o) => o.case.label === "clean");
  const clear = bad.filter((o) => o.case.clearShift);
  const tp = bad.filter((o) => o.verdict === "fail").length;
  const fp = clean.filter((o) => o.verdict === "fail").length;
  const recall = bad.length ? tp / bad.length : NaN;
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const delays = bad.map(delaySteps).filter((d): d is number => d !== null);
  return {
    bad: bad.length,
    clean: clean.length,
    recall,
    fpr: clean.length ? fp / clean.length : NaN,
    precision,
    f1: tp ? (2 * precision * recall) / (precision + recall) : 0,
    clearShifts: clear.length,
    clearRecall: clear.length ? clear.filter((o) => o.verdict === "fail").length / clear.length : NaN,
    delayP50: delays.length ? quantile(delays, 0.5) : NaN,
    delayP90: delays.length ? quantile(delays, 0.9) : NaN,
  };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");
const pct1 = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : "–");
const f1d = (x: number) => (Number.isFinite(x) ? String(Number(x.toFixed(1))) : "–");

export const SCORE_HEADER = [
  "recall",
  "false positives",
  "precision",
  "F1",
  "clear-shift recall",
  "delay p50 / p90",
] as const;

export function scoreCells(s: RealScore): string[] {
  return [
    f3(s.recall),
    pct1(s.fpr),
    f3(s.precision),
    f3(s.f1),
    `${f3(s.clearRecall)} (${s.clearShifts})`,
    `${f1d(s.delayP50)} / ${f1d(s.delayP90)}`,
  ];
}
