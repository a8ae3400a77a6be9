import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CorrelationCase } from "../../../src/core/suspects/correlation-types.js";
import { caseFeatures, rankSuspects, validateCase } from "../../../src/core/suspects/scoring.js";
import { FEATURE_NAMES } from "../../../src/core/suspects/features.js";
import {
  fitConditionalLogit,
  fitTemperature,
  softmax,
  type ChoiceGroup,
} from "../../../src/core/suspects/fit.js";
import { DEFAULT_MODEL, FIXED_PRIORS, formatOdds, parseModel } from "../../../src/core/suspects/model.js";
import {
  FITTED_FEATURES,
  OUTSIDE_CHANCE_FOR_REFERENCE,
  REFERENCE_PROFILE,
  trainModel,
  type LabelledFeatures,
} from "../../../src/core/suspects/training.js";
import { mulberry32 as rng } from "../../helpers/mulberry32.js";

/** Choices drawn from a conditional logit with known weights. */
function synthetic(weights: number[], cases: number, seed: number): ChoiceGroup[] {
  const rand = rng(seed);
  return Array.from({ length: cases }, () => {
    const x = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => weights.map(() => rand() * 2 - 1));
    const p = softmax(x.map((row) => row.reduce((s, v, k) => s + v * weights[k]!, 0)));
    let u = rand();
    let chosen = 0;
    while (chosen < p.length - 1 && u > p[chosen]!) u -= p[chosen++]!;
    return { x, chosen };
  });
}

describe("fitConditionalLogit", () => {
  it("recovers known weights from enough choices, and is deterministic", () => {
    const truth = [2, -1, 0];
    const groups = synthetic(truth, 3000, 7);
    const w = fitConditionalLogit(groups, { l2: 0.01 });
    expect(w[0]).toBeCloseTo(2, 0);
    expect(w[1]).toBeCloseTo(-1, 0);
    expect(Math.abs(w[2]!)).toBeLessThan(0.25);
    expect(fitConditionalLogit(groups, { l2: 0.01 })).toEqual(w);
  });

  it("shrinks towards zero as the L2 penalty grows, and stays finite on separable data", () => {
    const groups = synthetic([2, -1], 300, 3);
    const loose = fitConditionalLogit(groups, { l2: 0.1 });
    const tight = fitConditionalLogit(groups, { l2: 100 });
    expect(Math.abs(tight[0]!)).toBeLessThan(Math.abs(loose[0]!));
    // The chosen candidate always has the 1: unpenalised, the weight would run off to infinity.
    const separable: ChoiceGroup[] = [0, 1, 2].map(() => ({ x: [[1], [0], [0]], chosen: 0 }));
    const [w] = fitConditionalLogit(separable, { l2: 1 });
    expect(Number.isFinite(w)).toBe(true);
    expect(w).toBeGreaterThan(0);
  });

  it("ignores constant columns", () => {
    const groups = synthetic([1, 0], 200, 5).map((g) => ({ ...g, x: g.x.map((r) => [r[0]!, 3]) }));
    const w = fitConditionalLogit(groups, { l2: 1 });
    expect(w[1]).toBeCloseTo(0, 10);
  });
});

describe("fitTemperature", () => {
  it("cools over-confident logits and sharpens timid ones", () => {
    const groups = synthetic([1.5, -1], 1000, 11);
    const logits = (scale: number) =>
      groups.map((g) => ({ chosen: g.chosen, logits: g.x.map((r) => scale * (1.5 * r[0]! - r[1]!)) }));
    expect(fitTemperature(logits(1))).toBeCloseTo(1, 0);
    expect(fitTemperature(logits(3))).toBeGreaterThan(2);
    expect(fitTemperature(logits(0.3))).toBeLessThan(0.5);
  });
});

describe("the shipped model", () => {
  it("is a valid, versioned model over known features, with the documented fixed priors", () => {
    expect(DEFAULT_MODEL.version).toBeGreaterThanOrEqual(2);
    expect(DEFAULT_MODEL.features).toEqual([...FITTED_FEATURES]);
    for (const f of DEFAULT_MODEL.features) expect(FEATURE_NAMES).toContain(f);
    expect(DEFAULT_MODEL.priors).toEqual(FIXED_PRIORS);
    expect(DEFAULT_MODEL.temperature).toBeGreaterThan(0);
    // The shipped confidence leaves room for "no listed PR" (see training.ts).
    expect(DEFAULT_MODEL.outside).toBeDefined();
    // The signals the issue names as strongest carry positive weight; test-only changes negative.
    expect(DEFAULT_MODEL.coefficients.touchesService).toBeGreaterThan(0);
    expect(DEFAULT_MODEL.coefficients.laterServiceChanges).toBeLessThan(0);
    expect(DEFAULT_MODEL.coefficients.nonProductionOnly).toBeLessThan(0);
  });

  it("rejects a malformed model with a message that says how to fix it", () => {
    expect(() => parseModel({ ...DEFAULT_MODEL, features: ["nope"] })).toThrow(
      /invalid suspect model: features\.0: .*rerun npm run fit:suspects/,
    );
    expect(() => parseModel({ ...DEFAULT_MODEL, temperature: 0 })).toThrow(/temperature/);
  });

  it("formats odds readably", () => {
    expect(formatOdds(Math.log(4.123))).toBe("×4.1");
    expect(formatOdds(Math.log(0.2468))).toBe("×0.25");
    expect(formatOdds(Math.log(123.4))).toBe("×123");
  });
});

describe("trainModel", () => {
  const cases: LabelledFeatures[] = [];
  const T = Date.parse("2024-05-01T12:00:00Z");
  const rand = rng(42);
  for (let i = 0; i < 60; i++) {
    // The culprit touches the service and is the newest PR doing so; noise PRs elsewhere are newer.
    const c: CorrelationCase = {
      alert: { startsAt: new Date(T).toISOString(), labels: { service: "checkout" } },
      deployments: [0, 1, 2].map((k) => ({
        id: k,
        sha: `s${k}`,
        environment: "p",
        createdAt: new Date(T - (3 - k) * 3_600_000).toISOString(),
        status: "success",
      })),
      pulls: [0, 1, 2].map((k) => ({
        number: k + 1,
        title: "t",
        author: "a",
        mergedAt: new Date(T - (3 - k) * 3_600_000 - 60_000).toISOString(),
        deploymentId: k,
        additions: 1 + Math.floor(rand() * 50),
        deletions: 0,
        files: [
          {
            path: k === 1 || (k === 0 && i % 2) ? "src/checkout/a.ts" : "src/other/b.ts",
            additions: 1,
            deletions: 0,
          },
        ],
      })),
      config: { services: { checkout: ["src/checkout/**"] } },
    };
    cases.push({ group: `g${i % 3}`, features: caseFeatures(c), truth: 2 });
  }

  it("is deterministic and learns what the cases show", () => {
    const a = trainModel(cases);
    expect(trainModel(cases)).toEqual(a);
    expect(a.coefficients.touchesService).toBeGreaterThan(0);
    expect(a.coefficients.laterServiceChanges ?? 0).toBeLessThanOrEqual(0);
    expect(a.temperature).toBeGreaterThan(0);
  });

  it("sets the outside option so a lone suspect with the reference profile gets 1 − OUTSIDE_CHANCE_FOR_REFERENCE", () => {
    const m = trainModel(cases);
    const logit = m.features.reduce(
      (s, f) => s + ((m.coefficients[f] ?? 0) / m.temperature) * (REFERENCE_PROFILE[f] ?? 0),
      0,
    );
    expect(m.outside).toBeDefined();
    expect(softmax([logit, m.outside!])[0]).toBeCloseTo(1 - OUTSIDE_CHANCE_FOR_REFERENCE, 4);
  });
});

describe("real cases from the dev set", () => {
  // Four cases of test/fixtures/culprit/, copied from shared/datasets/culprit-dev (real reverts of
  // public repositories: metadata only). Each has 2+ PRs touching the alert's service.
  const dir = fileURLToPath(new URL("../../fixtures/culprit/", import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

  it.each(files)("%s: the reverted PR is the top suspect, with reasons", (file) => {
    const json = JSON.parse(readFileSync(dir + file, "utf8")) as { truth: number };
    const c = validateCase(json);
    const ranked = rankSuspects(c);
    expect(ranked[0]!.number).toBe(json.truth);
    expect(ranked[0]!.reasons[0]).toMatch(/odds ×/);
    expect(caseFeatures(c).filter((f) => f.values.touchesService).length).toBeGreaterThanOrEqual(2);
  });
});
