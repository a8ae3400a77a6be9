// The tables of `npm run bench:gate -- --real`: the gate and the two reference rules on the same
// real deploy cases, overall, per seed and per folder, and the floors the issue sets.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckSpec, GateSpec } from "../src/core/gate/types.js";
import { loadDataset } from "./nab-cases.js";
import {
  REAL_REFERENCES,
  SCORE_HEADER,
  gateRule,
  runReal,
  score,
  scoreCells,
  type RealOutcome,
} from "./real.js";
import { markdownTable, plainTable } from "./table.js";

export const DEFAULT_REAL_DIR = fileURLToPath(new URL("../../shared/datasets/nab-dev", import.meta.url));

export async function realBench(
  dir: string,
  seeds: readonly number[],
  check: Partial<CheckSpec>,
  gate: Partial<GateSpec>,
  markdown: boolean,
): Promise<void> {
  if (!existsSync(dir)) throw new Error(`no dataset at ${dir}: give its folder after --real`);
  const dataset = loadDataset(dir);
  const rules = [gateRule(check, gate), ...REAL_REFERENCES];
  const runs: Array<{ name: string; outcomes: RealOutcome[] }> = [];
  for (const rule of rules) runs.push({ name: rule.name, outcomes: await runReal(rule, dataset, seeds) });
  const table = (header: string[], body: string[][]) =>
    markdown ? markdownTable(header, body) : plainTable(header, body);

  const first = runs[0]!.outcomes;
  const bad = first.filter((o) => o.case.label === "bad").length / seeds.length;
  const clean = first.filter((o) => o.case.label === "clean").length / seeds.length;
  console.log(
    `${dataset.length} series from ${dir}; per seed ${bad} bad and ${clean} clean deploys (48 baseline, 12 watch steps); seeds ${seeds.join(", ")}\n`,
  );
  console.log(
    table(
      ["", ...SCORE_HEADER],
      runs.map((r) => [r.name, ...scoreCells(score(r.outcomes))]),
    ),
  );

  console.log("\nper seed\n");
  const perSeed: string[][] = [];
  for (const seed of seeds)
    for (const r of runs)
      perSeed.push([`${seed}`, r.name, ...scoreCells(score(r.outcomes.filter((o) => o.seed === seed)))]);
  console.log(table(["seed", "rule", ...SCORE_HEADER], perSeed));

  console.log("\nper folder (all seeds)\n");
  const folders = [...new Set(dataset.map((s) => s.folder))];
  const perFolder: string[][] = [];
  for (const folder of folders)
    for (const r of runs)
      perFolder.push([
        folder,
        r.name,
        ...scoreCells(score(r.outcomes.filter((o) => o.case.series.folder === folder))),
      ]);
  console.log(table(["folder", "rule", ...SCORE_HEADER], perFolder));
  console.log(`\n${floors(runs)}`);
  console.log(
    "A fail on a bad deploy is a true positive, on a clean one a false positive; inconclusive is a miss and not a false positive. Clear shifts: bad deploys whose window median moved ≥ 2 × 1.4826 MAD from the baseline median. Delay: steps from the deploy to the failing sample (the first watch sample is 1).",
  );
}

function floors(runs: Array<{ name: string; outcomes: RealOutcome[] }>): string {
  const [ours, ...refs] = runs;
  if (!ours) return "";
  const seeds = [...new Set(ours.outcomes.map((o) => o.seed))];
  const bySeed = seeds.map((seed) => score(ours.outcomes.filter((o) => o.seed === seed)));
  const all = score(ours.outcomes);
  const worstFp = Math.max(...bySeed.map((s) => s.fpr));
  const worstClear = Math.min(...bySeed.map((s) => s.clearRecall));
  const worstDelay = Math.max(...bySeed.map((s) => s.delayP50));
  const beats = refs.every((r) => all.f1 > score(r.outcomes).f1);
  const yes = (ok: boolean) => (ok ? "yes" : "no");
  return [
    `floors for ${ours.name} (every seed): false positives ≤ 2 %: ${yes(worstFp <= 0.02)} (worst ${(100 * worstFp).toFixed(1)} %)`,
    `clear-shift recall ≥ 0.90: ${yes(worstClear >= 0.9)} (worst ${worstClear.toFixed(3)})`,
    `median delay ≤ 2 steps: ${yes(worstDelay <= 2)} (worst ${worstDelay})`,
    `F1 ahead of both reference rules: ${yes(beats)}`,
  ].join("; ");
}
