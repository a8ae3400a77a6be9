// The suspect model: a conditional logit whose fitted coefficients ship in model.json (written by
// `npm run fit:suspects`), plus fixed priors for signals the training data cannot show. It turns
// features into a calibrated probability per suspect and says, in odds, why.

import { z } from "zod";
import modelJson from "./model.json" with { type: "json" };
import { formatAge } from "./format.js";
import { FEATURE_NAMES, type CandidateFeatures, type FeatureName } from "./features.js";
import { softmax } from "./fit.js";
import { SOURCE_CONFIG } from "./service-scope.js";

/**
 * Log-odds for signals absent from the training data, set by hand and documented as such:
 * - alertEvidence: the alert's stack or annotations name a file the PR changed. Error trackers treat
 *   this as the strongest signal (Sentry's suspect commits); odds ×20.
 * - beingVerified: the deployment is still in_progress/queued/pending: the release the gate is
 *   watching; odds ×2.7 on top of being the latest deploy.
 * - checkFailed: aftershock's deploy check failed for the deployment; odds ×4.5.
 */
export const FIXED_PRIORS: Readonly<Partial<Record<FeatureName, number>>> = Object.freeze({
  alertEvidence: 3,
  beingVerified: 1,
  checkFailed: 1.5,
});

const modelSchema = z.object({
  version: z.number().int().positive(),
  kind: z.literal("conditional-logit"),
  features: z.array(z.enum(FEATURE_NAMES)),
  coefficients: z.record(z.string(), z.number()),
  temperature: z.number().positive(),
  priors: z.record(z.string(), z.number()),
  outside: z.number().optional(),
});

export interface SuspectModel {
  version: number;
  kind: "conditional-logit";
  /** The fitted features, in the order the fit used. */
  features: FeatureName[];
  coefficients: Partial<Record<FeatureName, number>>;
  /** Divides the fitted log-odds; fitted on held-out cases so the probabilities are calibrated. */
  temperature: number;
  priors: Partial<Record<FeatureName, number>>;
  /**
   * Log-odds of the outside option, "no listed PR caused the alert", on the scale of logitsOf (set
   * by hand, see OUTSIDE_CHANCE_FOR_REFERENCE in training.ts). Without it, confidences are
   * conditional on one listed PR being the culprit.
   */
  outside?: number;
  [extra: string]: unknown;
}

/** Checks a model object (the shipped one, or one under test). */
export function parseModel(json: unknown): SuspectModel {
  const r = modelSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(
      `invalid suspect model: ${first?.path.join(".") || "(model)"}: ${first?.message}; rerun npm run fit:suspects`,
    );
  }
  return { ...(json as object), ...r.data } as SuspectModel;
}

export const DEFAULT_MODEL: SuspectModel = parseModel(modelJson);

/** The log-odds weight of a feature: fitted ones scaled by the temperature, plus a fixed prior. */
export function weightOf(model: SuspectModel, f: FeatureName): number {
  return (model.coefficients[f] ?? 0) / model.temperature + (model.priors[f] ?? 0);
}

export function logitsOf(model: SuspectModel, features: readonly CandidateFeatures[]): number[] {
  return features.map((c) => FEATURE_NAMES.reduce((s, f) => s + weightOf(model, f) * c.values[f], 0));
}

/** Calibrated chance that each candidate is the culprit, given one of them is (sums to 1). */
export function probabilities(model: SuspectModel, features: readonly CandidateFeatures[]): number[] {
  return features.length === 0 ? [] : softmax(logitsOf(model, features));
}

/**
 * The shipped confidence: the chance that each candidate is the culprit, with the model's outside
 * option ("no listed PR") in the softmax, so a lone suspect is not certain; `none` is the outside
 * option's share. The order is that of probabilities(); without an outside option they are equal.
 */
export function confidences(
  model: SuspectModel,
  /** The candidates' logits (logitsOf), computed once by the caller. */
  logits: readonly number[],
): { chances: number[]; none: number } {
  if (logits.length === 0) return { chances: [], none: 1 };
  if (model.outside === undefined) return { chances: softmax(logits), none: 0 };
  const all = softmax([...logits, model.outside]);
  return { chances: all.slice(0, -1), none: all[all.length - 1]! };
}

// The features grouped into factors a responder can read; a reason per factor.
const FACTORS = {
  service: ["touchesService", "mainService", "serviceShare", "laterServiceChanges"],
  timing: ["laterPulls", "timeSinceDeploy"],
  size: ["files"],
  risky: ["riskyPaths"],
  kind: ["nonProductionOnly", "dependencyBump", "cosmeticOnly"],
  evidence: ["alertEvidence"],
  verifying: ["beingVerified"],
  checkFailed: ["checkFailed"],
} as const satisfies Record<string, readonly FeatureName[]>;
type Factor = keyof typeof FACTORS;

/** Factors whose reason is shown whenever they apply, however small their weight. */
const ALWAYS_SHOWN: ReadonlySet<Factor> = new Set([
  "timing",
  "risky",
  "evidence",
  "verifying",
  "checkFailed",
]);
/** Reasons per suspect: the top factors, by how far they move the odds. */
export const MAX_REASONS = 5;

/**
 * Why each candidate ranks where it does, in the model's terms: each factor's odds multiplier against
 * the average suspect of this list (the conditional logit only compares candidates with one another).
 */
export function explainAll(model: SuspectModel, all: readonly CandidateFeatures[]): string[][] {
  const means = Object.fromEntries(
    FEATURE_NAMES.map((f) => [f, all.reduce((s, c) => s + c.values[f], 0) / (all.length || 1)]),
  ) as Record<FeatureName, number>;
  return all.map((me) => explainOne(model, me, means, all.length));
}

function explainOne(
  model: SuspectModel,
  me: CandidateFeatures,
  means: Record<FeatureName, number>,
  n: number,
): string[] {
  const scored = (Object.keys(FACTORS) as Factor[]).map((factor) => {
    const logOdds = FACTORS[factor].reduce((s, f) => s + weightOf(model, f) * (me.values[f] - means[f]), 0);
    return { factor, logOdds, text: describe(factor, me, n) };
  });
  const shown = scored
    .filter((s) => s.text !== undefined)
    .filter((s) => ALWAYS_SHOWN.has(s.factor) || Math.abs(s.logOdds) >= Math.log(1.1))
    .sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds) || a.factor.localeCompare(b.factor))
    .slice(0, MAX_REASONS);
  return shown.map((s) => `${s.text}: odds ${formatOdds(s.logOdds)}`);
}

/** "×4.1", "×0.25", "×120". */
export function formatOdds(logOdds: number): string {
  const x = Math.exp(logOdds);
  const digits = x >= 10 ? 0 : x >= 0.1 ? (x >= 1 ? 1 : 2) : 3;
  return `×${x.toFixed(digits)}`;
}

function describe(factor: Factor, c: CandidateFeatures, n: number): string | undefined {
  const { facts, values, candidate } = c;
  const d = candidate.deployment;
  switch (factor) {
    case "service": {
      if (values.touchesService === 0)
        return facts.service === undefined
          ? undefined
          : `touches none of the paths of ${facts.service} (the alert's service)`;
      const g = facts.serviceGlobs[0]!;
      const where =
        g.source === SOURCE_CONFIG
          ? `touches ${g.glob} (the alert's service)`
          : `matches ${g.glob} (${g.source})`;
      const more = facts.serviceGlobs.length > 1 ? ` and ${facts.serviceGlobs.length - 1} more` : "";
      const share = `${Math.round(values.serviceShare * 100)} % of its changes there`;
      const later =
        facts.laterServicePulls === 0
          ? "the latest change to the service"
          : `${facts.laterServicePulls} later change${facts.laterServicePulls === 1 ? "" : "s"} to the service`;
      return `${where}${more}, ${share}, ${later}`;
    }
    case "timing": {
      const order =
        facts.deploysAfter === 0
          ? "the latest deploy"
          : `${facts.deploysAfter} deploy${facts.deploysAfter === 1 ? "" : "s"} since`;
      const after =
        n === 1
          ? ", the only suspect"
          : facts.laterPulls === 0
            ? ", the last PR shipped"
            : `, ${facts.laterPulls} PR${facts.laterPulls === 1 ? "" : "s"} shipped after it`;
      return `deployed ${formatAge(facts.ageMs)} before the alert in deploy ${d.id} (${order}${after})`;
    }
    case "size": {
      const files = `${candidate.pull.files.length} file${candidate.pull.files.length === 1 ? "" : "s"}`;
      return `change size: ${facts.totalLines} lines in ${files}`;
    }
    case "risky":
      return facts.riskyFiles.length > 0
        ? `touches risky paths: ${listSome(facts.riskyFiles, 3)}`
        : undefined;
    case "kind": {
      const kinds = [
        values.nonProductionOnly && "changes only tests, docs or CI",
        values.dependencyBump && "a dependency bump",
        values.cosmeticOnly && "changes only styles, images, fonts or translations",
      ].filter((k): k is string => typeof k === "string");
      return kinds.length > 0 ? kinds.join("; ") : undefined;
    }
    case "evidence":
      return facts.frame
        ? `the alert names ${facts.frame.frame.text}, and this PR changed ${facts.frame.file}`
        : undefined;
    case "verifying":
      return values.beingVerified
        ? `deployment ${d.id} is still ${facts.status} (the gate is verifying it)`
        : undefined;
    case "checkFailed":
      return values.checkFailed ? `the deploy check failed for deploy ${d.id}` : undefined;
  }
}

function listSome(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
