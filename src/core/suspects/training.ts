// Turning labelled cases into a shipped model: which features are fitted, how strongly they are
// regularised, and the temperature that calibrates the probabilities on held-out repositories.
// Used by scripts/fit-suspects.ts and the benchmark's cross-validation, so both fit the same way.

import { FEATURE_NAMES, type CandidateFeatures, type FeatureName } from "./features.js";
import { fitConditionalLogit, fitTemperature, type ChoiceGroup } from "./fit.js";
import { FIXED_PRIORS, type SuspectModel } from "./model.js";

/** A case's features and the culprit's PR number. */
export interface LabelledFeatures {
  /** Held out together in cross-validation (the repository). */
  group: string;
  features: CandidateFeatures[];
  truth: number;
}

/**
 * The fitted features, every feature without a fixed prior: few and generic, since the model is also judged on repositories it never saw.
 * Tried and left out because they lowered leave-one-repository-out top-1 or did nothing (README, "How
 * suspects are ranked", has the table): "fix" and re-land words in titles, changed lines (files is
 * steadier), deploy order, the latest deploy, the case-relative size of the service change (largest,
 * rank, share of the case's service lines), log minutes and hour buckets, PRs in the same deploy,
 * distinct top-level folders, deletion share and pure deletions, template/static/config shares, an
 * author with several suspects, touches-service × recency, dependency files and upgrade words.
 * A later suspect touching the same files helped a little but is left out: reverts are chosen when
 * nothing was built on the culprit, so in revert data it mirrors how the truth was picked.
 */
export const FITTED_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter(
  (name) => !(name in FIXED_PRIORS),
);

/** L2 penalty on standardised coefficients. */
export const DEFAULT_L2 = 10;
export const MODEL_VERSION = 3;

/**
 * The outside option ("no listed PR caused the alert"). The dev set holds only alerts a listed PR
 * caused, so this cannot be fitted; it is set by hand: the option is worth as much as a PR with
 * REFERENCE_PROFILE minus log(9), so a lone suspect with that profile (the clearest case the fitted
 * features can describe: every change in the alert's service, the latest change to it, one file,
 * deployed 10 minutes before the alert) gets 0.9, and 10 % stays with causes outside the list
 * (traffic, infrastructure, upstream outages, commits that are not PRs). Computed from the fitted
 * weights, so it keeps its meaning when the model is refitted.
 */
export const OUTSIDE_CHANCE_FOR_REFERENCE = 0.1;
export const REFERENCE_PROFILE: Readonly<Partial<Record<FeatureName, number>>> = Object.freeze({
  touchesService: 1,
  mainService: 1,
  serviceShare: 1,
  laterServiceChanges: 0,
  laterPulls: 0,
  timeSinceDeploy: Math.log1p(1),
  files: Math.log1p(1),
});

export interface TrainOptions {
  features?: readonly FeatureName[];
  l2?: number;
  /** Fit a temperature by leave-one-group-out inside the training cases (default true). */
  calibrate?: boolean;
}

function toGroups(cases: readonly LabelledFeatures[], names: readonly FeatureName[]): ChoiceGroup[] {
  const groups: ChoiceGroup[] = [];
  for (const c of cases) {
    const chosen = c.features.findIndex((f) => f.candidate.pull.number === c.truth);
    // One candidate teaches nothing (its probability is 1 whatever the weights).
    if (chosen < 0 || c.features.length < 2) continue;
    groups.push({ chosen, x: c.features.map((f) => names.map((n) => f.values[n])) });
  }
  return groups;
}

function coefficientsFor(cases: readonly LabelledFeatures[], names: readonly FeatureName[], l2: number) {
  const w = fitConditionalLogit(toGroups(cases, names), { l2 });
  return Object.fromEntries(names.map((n, k) => [n, round6(w[k]!)])) as Partial<Record<FeatureName, number>>;
}

/** Fits a model on the cases; with `calibrate`, its temperature comes from held-out groups. */
export function trainModel(cases: readonly LabelledFeatures[], opts: TrainOptions = {}): SuspectModel {
  const names = opts.features ?? FITTED_FEATURES;
  const l2 = opts.l2 ?? DEFAULT_L2;
  const coefficients = coefficientsFor(cases, names, l2);
  let temperature = 1;
  if (opts.calibrate !== false) {
    const held: { logits: number[]; chosen: number }[] = [];
    for (const g of groupsOf(cases)) {
      const w = coefficientsFor(
        cases.filter((c) => c.group !== g),
        names,
        l2,
      );
      for (const grp of toGroups(
        cases.filter((c) => c.group === g),
        names,
      )) {
        held.push({
          chosen: grp.chosen,
          logits: grp.x.map((row) => row.reduce((s, v, k) => s + v * w[names[k]!]!, 0)),
        });
      }
    }
    if (held.length > 0) temperature = round6(fitTemperature(held));
  }
  const reference = names.reduce(
    (sum, n) => sum + (coefficients[n]! * (REFERENCE_PROFILE[n] ?? 0)) / temperature,
    0,
  );
  const outside = round6(
    reference + Math.log(OUTSIDE_CHANCE_FOR_REFERENCE / (1 - OUTSIDE_CHANCE_FOR_REFERENCE)),
  );
  return {
    version: MODEL_VERSION,
    kind: "conditional-logit",
    features: [...names],
    coefficients,
    temperature,
    priors: { ...FIXED_PRIORS },
    outside,
    l2,
    cases: cases.length,
  };
}

export function groupsOf(cases: readonly LabelledFeatures[]): string[] {
  return [...new Set(cases.map((c) => c.group))].sort();
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
