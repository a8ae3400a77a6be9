// `npx tsx bench/tune-gate.ts [DIR]`: how the gate's defaults were chosen. Runs a small grid of
// engine settings over nab-dev (seeds 1–5) and the generated suite, keeps the settings whose false
// positives stay within the floors (nab-dev ≤ 2 %, generated ≤ 3 %), and picks the one that finds
// the most clear regressions (nab-dev clear-shift recall + generated recall), then the best F1. Leave-one-folder-out cross-validation repeats the choice without
// each nab-dev folder and scores it on that folder only, so the choice is shown to carry over to
// series it was not chosen on.
import type { CheckSpec, GateSpec } from "../src/core/gate/types.js";
import { judgeScenario } from "./generated-rule.js";
import { loadDataset } from "./nab-cases.js";
import { gateRule, runReal, score, type RealOutcome } from "./real.js";
import { generateScenarios, type Scenario } from "./scenarios.js";
import { markdownTable } from "./table.js";
import { errorMessage } from "../src/core/errors.js";

const SEEDS = [1, 2, 3, 4, 5];
const GRID = {
  zThreshold: [2.5, 3, 3.5, 4],
  minEffect: [0.1, 0.2, 0.3],
  alpha: [0.002, 0.005, 0.01, 0.02],
  // 1 and 2 were tried: on the generated suite a 30 s restart blip read through a 1 m rate spans
  // two samples, and either fails a third of the clean deploys (bench:gate --failure-limit 2). So
  // does an adaptive streak (fail after 2 breaches when both are 2x beyond the bar: 7.9 % generated
  // false positives; 3x: no faster than 3 steps). README, Benchmarks, lists the other ideas measured.
  failureLimit: [3],
};
const FP_REAL = 0.02;
const FP_GENERATED = 0.03;

interface Setting {
  check: Partial<CheckSpec>;
  gate: Partial<GateSpec>;
  label: string;
}

function settings(): Setting[] {
  const out: Setting[] = [];
  for (const zThreshold of GRID.zThreshold)
    for (const minEffect of GRID.minEffect)
      for (const alpha of GRID.alpha)
        for (const failureLimit of GRID.failureLimit)
          out.push({
            check: { zThreshold, minEffect, alpha },
            gate: { failureLimit },
            label: `z ${zThreshold}, effect ${minEffect}, alpha ${alpha}, failure-limit ${failureLimit}`,
          });
  return out;
}

/** The generated suite's clean false-positive rate and regression recall under one setting. */
async function generated(setting: Setting, scenarios: Scenario[]): Promise<{ fpr: number; recall: number }> {
  let fp = 0;
  let clean = 0;
  let tp = 0;
  let bad = 0;
  for (const s of scenarios) {
    if (s.label === "low-traffic") continue;
    const r = await judgeScenario(s, setting.check, setting.gate);
    const failed = r.verdict === "fail";
    if (s.label === "clean") {
      clean++;
      if (failed) fp++;
    } else {
      bad++;
      if (failed) tp++;
    }
  }
  return { fpr: fp / clean, recall: tp / bad };
}

interface Row {
  setting: Setting;
  real: RealOutcome[];
  gen: { fpr: number; recall: number };
}

function choose(rows: Row[], keep: (o: RealOutcome) => boolean): Row | undefined {
  const feasible = rows
    .map((r) => ({ r, s: score(r.real.filter(keep)) }))
    .filter(({ r, s }) => s.fpr <= FP_REAL && r.gen.fpr <= FP_GENERATED);
  const found = (x: { r: Row; s: ReturnType<typeof score> }) => x.s.clearRecall + x.r.gen.recall;
  feasible.sort((a, b) => found(b) - found(a) || b.s.f1 - a.s.f1);
  return feasible[0]?.r;
}

async function main(): Promise<void> {
  const dataset = loadDataset(process.argv[2] ?? "../shared/datasets/nab-dev");
  const scenarios = generateScenarios();
  const rows: Row[] = [];
  for (const setting of settings()) {
    const real = await runReal(gateRule(setting.check, setting.gate), dataset, SEEDS);
    rows.push({ setting, real, gen: await generated(setting, scenarios) });
    const s = score(real);
    console.error(
      `${setting.label}: FP ${(100 * s.fpr).toFixed(1)} %, clear ${s.clearRecall.toFixed(3)}, F1 ${s.f1.toFixed(3)}, generated FP ${(100 * rows.at(-1)!.gen.fpr).toFixed(1)} % recall ${rows.at(-1)!.gen.recall.toFixed(3)}`,
    );
  }
  const best = choose(rows, () => true);
  console.log(`chosen on everything: ${best?.setting.label ?? "none within the floors"}\n`);
  if (best) {
    // The same setting without seasonal references: what the day/week-earlier windows are worth.
    const off = await runReal(
      gateRule(best.setting.check, { ...best.setting.gate, seasonality: "off" }),
      dataset,
      SEEDS,
    );
    const [a, b] = [score(best.real), score(off)];
    const line = (name: string, s: typeof a) =>
      `${name}: FP ${(100 * s.fpr).toFixed(1)} %, clear-shift recall ${s.clearRecall.toFixed(3)}, F1 ${s.f1.toFixed(3)}`;
    console.log(`${line("seasonality auto", a)}\n${line("seasonality off", b)}\n`);
  }
  const folders = [...new Set(dataset.map((s) => s.folder))];
  const body: string[][] = [];
  const heldOut: RealOutcome[] = [];
  for (const folder of folders) {
    const pick = choose(rows, (o) => o.case.series.folder !== folder);
    if (!pick) {
      body.push([folder, "none within the floors", "–", "–", "–"]);
      continue;
    }
    const mine = pick.real.filter((o) => o.case.series.folder === folder);
    heldOut.push(...mine);
    const s = score(mine);
    body.push([
      folder,
      pick.setting.label,
      `${(100 * s.fpr).toFixed(1)} %`,
      `${s.clearShifts ? s.clearRecall.toFixed(3) : "–"} (${s.clearShifts})`,
      s.f1.toFixed(3),
    ]);
  }
  const all = score(heldOut);
  body.push([
    "all folders, held out",
    "",
    `${(100 * all.fpr).toFixed(1)} %`,
    `${all.clearRecall.toFixed(3)} (${all.clearShifts})`,
    all.f1.toFixed(3),
  ]);
  console.log(
    markdownTable(
      ["held-out folder", "chosen without it", "false positives", "clear-shift recall", "F1"],
      body,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(`tune-gate failed: ${errorMessage(err)}`);
  process.exit(1);
});
