// `npm run bench:gate`: aftershock's deploy gate against two reference rules over the same
// labeled deploys (bench/scenarios.ts), as backtests. Prints recall, false-positive rate,
// inconclusive rate, detection delays and a per-class breakdown.
//
//   npm run bench:gate -- [--seed N] [--markdown] [--no-timing] [--misses]
//                         [--alpha A] [--min-effect E] [--z Z] [--failure-limit N] [--min-traffic R]
//                         [--step S] [--seasonality auto|off]
//   npm run bench:gate -- --real [DIR] [--seeds 1,2,3,4,5] [--markdown] [engine options]
//
// --real runs the gate on real labeled series (default ../shared/datasets/nab-dev, bench/real.ts)
// beside the two reference rules of the dataset's README, then the generated suite as before.
//
// The engine options override src/core/gate/defaults.ts for this run only, to try other defaults.
// Output is the same for the same seed and options, except the timing row (--no-timing drops it).
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { quantile } from "../src/core/gate/stats.js";
import type { CheckSpec, GateSpec } from "../src/core/gate/types.js";
import { judgeScenario } from "./generated-rule.js";
import { rollingZScore, staticThreshold, type ReferenceRule, type RuleOutcome } from "./reference-rules.js";
import {
  DEFAULT_SEED,
  DELAYED_MAGNITUDES,
  RAMP_MAGNITUDES,
  STEP_MAGNITUDES,
  WATCH_STEPS,
  generateScenarios,
  splitAtDeploy,
  type MetricKind,
  type Scenario,
} from "./scenarios.js";
import { markdownTable, plainTable } from "./table.js";
import { DEFAULT_REAL_DIR, realBench } from "./real-report.js";
import { parseDuration } from "../src/core/text/duration.js";
import { errorMessage } from "../src/core/errors.js";

interface Options {
  seed: number;
  markdown: boolean;
  timing: boolean;
  misses: boolean;
  check: Partial<CheckSpec>;
  gate: Partial<GateSpec>;
  minTraffic?: number;
  /** The real dataset's folder, when --real is given. */
  real: string | null;
  seeds: number[];
}

interface Rule {
  name: string;
  evaluate(s: Scenario): Promise<RuleOutcome & { reason?: string }>;
}

interface Outcome extends RuleOutcome {
  scenario: Scenario;
  /** Why the rule decided, when it says (shown by --misses). */
  reason?: string;
}

interface RuleRun {
  name: string;
  outcomes: Outcome[];
  msPerDeploy: number;
}

function parseOptions(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      seed: { type: "string" },
      markdown: { type: "boolean", default: false },
      "no-timing": { type: "boolean", default: false },
      misses: { type: "boolean", default: false },
      alpha: { type: "string" },
      "min-effect": { type: "string" },
      z: { type: "string" },
      "failure-limit": { type: "string" },
      "min-traffic": { type: "string" },
      step: { type: "string" },
      seasonality: { type: "string" },
      real: { type: "boolean", default: false },
      seeds: { type: "string" },
      help: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(
      "usage: npm run bench:gate -- [--real [DIR] [--seeds 1,2,3]] [--seed N] [--markdown] [--no-timing] [--misses] [--alpha A] [--min-effect E] [--z Z] [--failure-limit N] [--min-traffic R] [--step S] [--seasonality auto|off]",
    );
    process.exit(0);
  }
  const num = (flag: string, raw: string | undefined, integer = false): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new Error(`--${flag} needs a ${integer ? "whole " : ""}number, got "${raw}"`);
    }
    return n;
  };
  return {
    seed: num("seed", values.seed, true) ?? DEFAULT_SEED,
    markdown: values.markdown,
    timing: !values["no-timing"],
    misses: values.misses,
    check: {
      alpha: num("alpha", values.alpha),
      minEffect: num("min-effect", values["min-effect"]),
      zThreshold: num("z", values.z),
    },
    gate: {
      failureLimit: num("failure-limit", values["failure-limit"], true),
      stepSeconds: num("step", values.step, true),
      seasonality: parseSeasonality(values.seasonality),
    },
    minTraffic: num("min-traffic", values["min-traffic"]),
    real: values.real ? (positionals[0] ?? DEFAULT_REAL_DIR) : null,
    seeds: (values.seeds ?? "1,2,3,4,5").split(",").map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n)) throw new Error(`--seeds needs whole numbers, got "${x}"`);
      return n;
    }),
  };
}

function parseSeasonality(raw: string | undefined): GateSpec["seasonality"] | undefined {
  if (raw === undefined || raw === "auto" || raw === "off") return raw;
  return raw.split(",").map((x) => {
    const s = parseDuration(x.trim());
    if (!(s > 0)) throw new Error(`--seasonality needs auto, off or durations, got "${x}"`);
    return s;
  });
}

/** aftershock as a user would configure it: one check on the metric, defaults for the rest. */
function aftershock(opts: Options): Rule {
  return {
    name: "aftershock",
    evaluate: (s) => judgeScenario(s, opts.check, opts.gate, opts.minTraffic),
  };
}

function reference(rule: ReferenceRule): Rule {
  return {
    name: rule.name,
    evaluate: async (s) => {
      const { baseline, watch } = splitAtDeploy(s);
      return rule.evaluate(baseline, watch, s.direction);
    },
  };
}

async function run(rule: Rule, scenarios: Scenario[]): Promise<RuleRun> {
  const outcomes: Outcome[] = [];
  const start = performance.now();
  for (const scenario of scenarios) outcomes.push({ scenario, ...(await rule.evaluate(scenario)) });
  return { name: rule.name, outcomes, msPerDeploy: (performance.now() - start) / scenarios.length };
}

// ---------------------------------------------------------------------------------------------
// Metrics

const isRegression = (o: Outcome) => o.scenario.label === "regression";
const failed = (o: Outcome) => o.verdict === "fail";

function rate(outcomes: Outcome[], hit: (o: Outcome) => boolean): { n: number; of: number } {
  return { n: outcomes.filter(hit).length, of: outcomes.length };
}

function showRate({ n, of }: { n: number; of: number }): string {
  if (of === 0) return "–";
  return `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;
}

/** Steps from the regression's onset to the failing sample; negative if it failed before the onset. */
function delaySteps(o: Outcome): number | null {
  const s = o.scenario;
  if (!failed(o) || o.detectedAt === null || s.onsetStep === null) return null;
  return (o.detectedAt - (s.deployTime + s.onsetStep * s.stepSeconds)) / s.stepSeconds;
}

function delayStats(outcomes: Outcome[]): string {
  const d = outcomes.map(delaySteps).filter((x): x is number => x !== null && x >= 0);
  if (d.length === 0) return "–";
  return `${fmtNum(quantile(d, 0.5))} / ${fmtNum(quantile(d, 0.9))}`;
}

const fmtNum = (x: number) => String(Number(x.toFixed(1)));

/** Step and delayed-onset regressions of at least 2x: the ones with a sharp onset to time from. */
const sharp2x = (o: Outcome) => isRegression(o) && o.scenario.kind !== "ramp" && o.scenario.magnitude >= 2;

interface Row {
  label: string;
  cell(run: RuleRun): string;
}

function rows(opts: Options): Row[] {
  const of = (run: RuleRun, pick: (o: Outcome) => boolean) => run.outcomes.filter(pick);
  const recallOf = (pick: (o: Outcome) => boolean) => (run: RuleRun) =>
    showRate(
      rate(
        of(run, (o) => isRegression(o) && pick(o)),
        failed,
      ),
    );
  const out: Row[] = [
    { label: "recall", cell: recallOf(() => true) },
    { label: "recall, ≥ 2x", cell: recallOf((o) => o.scenario.magnitude >= 2) },
    {
      label: "false-positive rate (clean)",
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.label === "clean"),
            failed,
          ),
        ),
    },
    {
      label: "inconclusive (clean + regressions)",
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.label !== "low-traffic"),
            (o) => o.verdict === "inconclusive",
          ),
        ),
    },
    {
      label: "low traffic: inconclusive",
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.label === "low-traffic"),
            (o) => o.verdict === "inconclusive",
          ),
        ),
    },
    {
      label: "low traffic: fail",
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.label === "low-traffic"),
            failed,
          ),
        ),
    },
    { label: "delay, steps: median / p90", cell: (r) => delayStats(of(r, isRegression)) },
    { label: "delay ≥ 2x step+delayed: median / p90", cell: (r) => delayStats(of(r, sharp2x)) },
    {
      label: "failed before a delayed onset",
      cell: (r) => String(of(r, (o) => (delaySteps(o) ?? 0) < 0).length),
    },
  ];
  for (const m of STEP_MAGNITUDES) out.push({ label: `  step ${m}x`, cell: recallOf(kindMag("step", m)) });
  for (const m of RAMP_MAGNITUDES)
    out.push({ label: `  ramp to ${m}x over ${WATCH_STEPS} steps`, cell: recallOf(kindMag("ramp", m)) });
  for (const m of DELAYED_MAGNITUDES)
    out.push({ label: `  delayed ${m}x (onset 2–4 min)`, cell: recallOf(kindMag("delayed", m)) });
  for (const metric of ["error-ratio", "latency-p99", "orders-rate"] as MetricKind[]) {
    out.push({ label: `  recall, ${metric}`, cell: recallOf((o) => o.scenario.metric === metric) });
    out.push({
      label: `  false positives, ${metric}`,
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.label === "clean" && o.scenario.metric === metric),
            failed,
          ),
        ),
    });
  }
  for (const kind of ["noise", "daily", "blip"] as const)
    out.push({
      label: `  false positives, clean ${kind}`,
      cell: (r) =>
        showRate(
          rate(
            of(r, (o) => o.scenario.kind === kind),
            failed,
          ),
        ),
    });
  if (opts.timing) out.push({ label: "time per deploy, ms", cell: (r) => r.msPerDeploy.toFixed(2) });
  return out;
}

const kindMag = (kind: string, m: number) => (o: Outcome) =>
  o.scenario.kind === kind && o.scenario.magnitude === m;

function verdictLine(runs: RuleRun[]): string {
  const [ours, ...refs] = runs;
  if (!ours) return "";
  const recall = (r: RuleRun) => rate(r.outcomes.filter(isRegression), failed);
  const fpr = rate(
    ours.outcomes.filter((o) => o.scenario.label === "clean"),
    failed,
  );
  const delays = ours.outcomes
    .filter(sharp2x)
    .map(delaySteps)
    .filter((x): x is number => x !== null && x >= 0);
  const medianDelay = delays.length ? quantile(delays, 0.5) : Infinity;
  const beats = refs.every((r) => recall(ours).n > recall(r).n);
  const checks = [
    `beats both references on recall: ${beats ? "yes" : "no"}`,
    `FPR <= 2 %: ${fpr.n / fpr.of <= 0.02 ? "yes" : "no"} (${showRate(fpr)})`,
    `median delay <= 2 steps for >= 2x: ${medianDelay <= 2 ? "yes" : "no"} (${fmtNum(medianDelay)})`,
  ];
  return `targets for ${ours.name}: ${checks.join("; ")}`;
}

const isWrong = (o: Outcome) => (isRegression(o) ? !failed(o) : failed(o));

function missList(runs: RuleRun[]): string {
  const lines: string[] = [];
  for (const r of runs) {
    const missed = r.outcomes.filter((o) => isRegression(o) && !failed(o)).map((o) => o.scenario.id);
    const fps = r.outcomes.filter((o) => !isRegression(o) && failed(o)).map((o) => o.scenario.id);
    lines.push(`${r.name}: missed (${missed.length}): ${missed.join(" ")}`);
    lines.push(`${r.name}: failed clean or low-traffic (${fps.length}): ${fps.join(" ")}`);
    for (const o of r.outcomes.filter((o) => o.reason && isWrong(o)))
      lines.push(`  ${o.scenario.id}: ${o.verdict}: ${o.reason}`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.real !== null) {
    await realBench(opts.real, opts.seeds, opts.check, opts.gate, opts.markdown);
    console.log("\n## Generated suite\n");
  }
  const scenarios = generateScenarios(opts.seed);
  const rules = [aftershock(opts), reference(staticThreshold()), reference(rollingZScore())];
  const runs: RuleRun[] = [];
  for (const rule of rules) runs.push(await run(rule, scenarios));

  const count = (label: string) => scenarios.filter((s) => s.label === label).length;
  const overrides = [
    ...Object.entries(opts.check).filter(([, v]) => v !== undefined),
    ...Object.entries(opts.gate).filter(([, v]) => v !== undefined),
    ...(opts.minTraffic !== undefined ? [["minTraffic", opts.minTraffic]] : []),
  ]
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  console.log(
    `seed ${opts.seed}: ${scenarios.length} deploys (${count("regression")} regressions, ${count("clean")} clean, ${count("low-traffic")} low traffic); aftershock ${overrides ? `with ${overrides}` : "with the defaults"}\n`,
  );
  const header = ["", ...runs.map((r) => r.name)];
  const body = rows(opts).map((row) => [row.label, ...runs.map((r) => row.cell(r))]);
  console.log(opts.markdown ? markdownTable(header, body) : plainTable(header, body));
  console.log(`\n${verdictLine(runs)}`);
  console.log(
    "static p99: 3 consecutive samples beyond the baseline's 99th (1st) percentile; rolling 3σ: one sample > 3σ from the last 100 samples' mean.",
  );
  console.log(
    "Delays count steps (30 s) from the first sample the regression touches to the failing sample; 0 is the onset sample itself.",
  );
  if (opts.misses) console.log(`\n${missList(runs)}`);
}

// Piped into `head`: stop quietly instead of throwing EPIPE.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

main().catch((err: unknown) => {
  console.error(`bench:gate failed: ${errorMessage(err)}`);
  process.exit(1);
});
