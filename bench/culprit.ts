// `npm run bench:culprit [-- --cases DIR]` (default ../shared/datasets/culprit-dev): how well the
// suspect ranker finds the culprit of real reverts, leave-one-repository-out. For each repository
// the model is fitted on the other five (temperature by leave-one-out among those five) and ranks the
// held-out cases through the same parsing, validation and rankSuspects as `aftershock suspects`.
// Beside it, the dataset's reference rankers (score.mjs: recency, size, path+recency) in the same
// run; then everything again with the service maps removed (service paths inferred from the label,
// the changed paths and, as the app does, the culprits of the repository's earlier incidents of the
// service within the default history look-back: the earlier cases; --no-past-culprits leaves those
// out); then a reliability table of the top suspect's confidence.

import { parseArgs } from "node:util";
import type { CorrelationCase } from "../src/core/suspects/correlation-types.js";
import { caseFeatures, rankSuspects } from "../src/core/suspects/scoring.js";
import { probabilities, type SuspectModel } from "../src/core/suspects/model.js";
import { groupsOf, trainModel, type LabelledFeatures } from "../src/core/suspects/training.js";
import {
  DEFAULT_CASES_DIR,
  DEFAULT_HISTORY_LOOKBACK_MS,
  loadDataset,
  toCorrelationCase,
  withPastCulprits,
  type DatasetCase,
} from "../scripts/culprit-cases.js";
import { markdownTable } from "./table.js";
import { errorMessage } from "../src/core/errors.js";

interface Evaluated {
  id: string;
  repo: string;
  /** Candidates touching the alert's service, by the case's service map (as score.mjs counts). */
  serviceMatches: number;
  /** Ranking per ranker, best first (PR numbers). */
  rankings: Record<string, number[]>;
  truth: number;
  /** The model's chance for its top suspect given that a listed PR is the culprit (no outside option). */
  topConfidence: number;
  /** The shipped confidence of the top suspect (with the outside option "no listed PR"). */
  topShipped: number;
}

const MODEL = "aftershock (LORO)";

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      cases: { type: "string", default: DEFAULT_CASES_DIR },
      "no-past-culprits": { type: "boolean", default: false },
      // How far back earlier incidents count (the app's history.lookback; 90 days by default).
      "past-culprit-days": {
        type: "string",
        // The app's default `history.lookback`, so the bench follows it.
        default: String(DEFAULT_HISTORY_LOOKBACK_MS / 86_400_000),
      },
    },
  });
  const dataset = await loadDataset(values.cases);
  const pastDays = Number(values["past-culprit-days"]);
  if (!(pastDays >= 0))
    throw new Error(`--past-culprit-days: expected a number of days, got "${values["past-culprit-days"]}"`);
  const withMap = dataset.map((d) => toCorrelationCase(d, { serviceMap: true }));
  // Without a map the app infers the service's paths, among others from the culprits of the
  // repository's earlier incidents of the service within the history look-back (90 days by default);
  // the earlier cases are those incidents. --no-past-culprits leaves them out.
  const withoutMap = dataset.map((d, i) =>
    values["no-past-culprits"]
      ? toCorrelationCase(d, { serviceMap: false })
      : withPastCulprits(toCorrelationCase(d, { serviceMap: false }), dataset, i, pastDays * 86_400_000),
  );
  // The shipped model is fitted on cases with their service maps; so is each fold.
  const labelled: LabelledFeatures[] = dataset.map((d, i) => ({
    group: d.repo,
    features: caseFeatures(withMap[i]!),
    truth: d.truth,
  }));
  const folds = new Map<string, SuspectModel>();
  for (const repo of groupsOf(labelled))
    folds.set(repo, trainModel(labelled.filter((c) => c.group !== repo)));

  const contest = labelled.map((c) => c.features.filter((f) => f.values.touchesService).length);
  const run = (cases: CorrelationCase[]) =>
    dataset.map((d, i) => evaluate(d, cases[i]!, folds.get(d.repo)!, contest[i]!));
  const mapped = run(withMap);
  const unmapped = run(withoutMap);

  const out: string[] = [
    `# Culprit ranking, leave-one-repository-out (${dataset.length} cases, ${values.cases})`,
  ];
  out.push("", "## With the service maps", "", ...report(mapped, "path+recency"));
  out.push(
    "",
    values["no-past-culprits"]
      ? "## With the service maps removed (service paths inferred from the alert's label and the changed paths)"
      : `## With the service maps removed (service paths inferred from the alert's label, the changed paths and the culprits of earlier cases of the service in the last ${pastDays} days)`,
    "",
    ...report(unmapped, "path+recency"),
  );
  out.push(
    "",
    "## Reliability of the top suspect's confidence (with the service maps, held-out)",
    "",
    "Every case here has its culprit among the listed PRs, so the table checks the chance given that",
    "one listed PR is the culprit (the softmax without the outside option). The shipped confidence",
    "also leaves room for an alert no listed PR caused, and is lower.",
    "",
  );
  out.push(reliability(mapped), "", "## Floor", "", ...floor(mapped));
  console.log(out.join("\n"));
  return 0;
}

function evaluate(
  d: DatasetCase,
  c: CorrelationCase,
  model: SuspectModel,
  serviceMatches: number,
): Evaluated {
  const ranked = rankSuspects(c, { model });
  const features = caseFeatures(c);
  const given = probabilities(model, features);
  const topIndex = features.findIndex((f) => f.candidate.pull.number === ranked[0]?.number);
  const recency = [...features].sort(
    (a, b) =>
      Date.parse(b.candidate.pull.mergedAt) - Date.parse(a.candidate.pull.mergedAt) ||
      b.candidate.pull.number - a.candidate.pull.number,
  );
  const lines = (f: (typeof features)[number]) => f.candidate.pull.additions + f.candidate.pull.deletions;
  const order = (list: typeof features) => list.map((f) => f.candidate.pull.number);
  return {
    id: d.id,
    repo: d.repo,
    serviceMatches,
    truth: d.truth,
    topConfidence: topIndex < 0 ? 0 : given[topIndex]!,
    topShipped: ranked[0]?.confidence ?? 0,
    rankings: {
      [MODEL]: ranked.map((s) => s.number),
      recency: order(recency),
      size: order([...recency].sort((a, b) => lines(b) - lines(a))),
      // Stable sort over the recency order: touching the service first, then the most recent.
      "path+recency": order([...recency].sort((a, b) => b.values.touchesService - a.values.touchesService)),
    },
  };
}

interface Score {
  n: number;
  top1: number;
  top3: number;
  mrr: number;
}

function score(rows: readonly Evaluated[], ranker: string): Score {
  let top1 = 0;
  let top3 = 0;
  let mrr = 0;
  for (const r of rows) {
    const k = (r.rankings[ranker] ?? []).indexOf(r.truth) + 1;
    if (k === 1) top1 += 1;
    if (k >= 1 && k <= 3) top3 += 1;
    if (k >= 1) mrr += 1 / k;
  }
  const n = rows.length || 1;
  return { n: rows.length, top1: top1 / n, top3: top3 / n, mrr: mrr / n };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const cell = (s: Score) => `${pct(s.top1)} / ${pct(s.top3)} / ${s.mrr.toFixed(3)}`;

function report(rows: readonly Evaluated[], pathName: string): string[] {
  const rankers = [MODEL, "recency", "size", pathName];
  const subsets: [string, Evaluated[]][] = [
    ["2+ PRs touch the service", rows.filter((r) => r.serviceMatches >= 2)],
    ["1 PR touches it", rows.filter((r) => r.serviceMatches <= 1)],
  ];
  const overall = markdownTable(
    [
      "ranker",
      "top-1",
      "top-3",
      "MRR",
      ...subsets.map(([name, rs]) => `top-1 where ${name} (n=${rs.length})`),
    ],
    rankers.map((k) => {
      const s = score(rows, k);
      return [
        k,
        pct(s.top1),
        pct(s.top3),
        s.mrr.toFixed(3),
        ...subsets.map(([, rs]) => pct(score(rs, k).top1)),
      ];
    }),
  );
  const repos = [...new Set(rows.map((r) => r.repo))].sort();
  const byRepo = markdownTable(
    [
      "ranker (top-1 / top-3 / MRR)",
      ...repos.map((r) => `${r.split("/")[1]} (${rows.filter((x) => x.repo === r).length})`),
    ],
    rankers.map((k) => [
      k,
      ...repos.map((repo) =>
        cell(
          score(
            rows.filter((r) => r.repo === repo),
            k,
          ),
        ),
      ),
    ]),
  );
  return [overall, "", "By repository:", "", byRepo];
}

/** Top suspects binned by confidence: how often the top suspect was the culprit in each bin. */
function reliability(rows: readonly Evaluated[]): string {
  const edges = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
  const table: string[][] = [];
  let brier = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const inBin = rows.filter((r) => r.topConfidence >= edges[b]! && r.topConfidence < edges[b + 1]!);
    if (inBin.length === 0) continue;
    const predicted = inBin.reduce((s, r) => s + r.topConfidence, 0) / inBin.length;
    const hits = inBin.filter((r) => r.rankings[MODEL]![0] === r.truth).length;
    table.push([
      `${edges[b]!.toFixed(1)}–${Math.min(1, edges[b + 1]!).toFixed(1)}`,
      String(inBin.length),
      pct(predicted),
      pct(hits / inBin.length),
    ]);
  }
  for (const r of rows) brier += (r.topConfidence - (r.rankings[MODEL]![0] === r.truth ? 1 : 0)) ** 2;
  return (
    markdownTable(
      ["confidence of the top suspect", "cases", "mean confidence", "top suspect was the culprit"],
      table,
    ) +
    `\n\nBrier score of the top suspect's confidence (given a listed culprit): ${(brier / rows.length).toFixed(3)}` +
    `\n\nMean confidence of the top suspect: ${pct(mean(rows.map((r) => r.topConfidence)))} given a listed culprit, ` +
    `${pct(mean(rows.map((r) => r.topShipped)))} as shipped (with the outside option)`
  );
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
}

/** The floor: top-1 ≥ 80 % overall, ≥ 70 % contested, no repository > 5 points below path+recency. */
function floor(rows: readonly Evaluated[]): string[] {
  const all = score(rows, MODEL).top1;
  const contested = score(
    rows.filter((r) => r.serviceMatches >= 2),
    MODEL,
  ).top1;
  const lines = [
    `- top-1 overall ${pct(all)} (floor 80 %): ${all >= 0.8 ? "met" : "NOT met"}`,
    `- top-1 where 2+ PRs touch the service ${pct(contested)} (floor 70 %): ${contested >= 0.7 ? "met" : "NOT met"}`,
  ];
  for (const repo of [...new Set(rows.map((r) => r.repo))].sort()) {
    const rs = rows.filter((r) => r.repo === repo);
    const gap = score(rs, MODEL).top1 - score(rs, "path+recency").top1;
    lines.push(
      `- ${repo}: ${gap >= 0 ? "+" : ""}${(100 * gap).toFixed(1)} points against path+recency: ${gap >= -0.05 ? "met" : "NOT met"}`,
    );
  }
  return lines;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:culprit: ${errorMessage(err)}`);
    process.exit(2);
  },
);
