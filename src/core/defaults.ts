import { DEFAULT_SEVERITY_BANDS } from "./severity.js";
import type { CheckSpec, GateSpec } from "./types.js";

/** Defaults for one check: tuned on `npm run bench:gate` (see the README's table). */
export const CHECK_DEFAULTS = {
  direction: "increase",
  critical: true,
  errorRate: false,
  minSamples: 5,
  minTraffic: 0,
  alpha: 0.01,
  minEffect: 0.2,
  zThreshold: 4,
} as const satisfies Partial<CheckSpec>;

export const GATE_DEFAULTS = {
  baselineSeconds: 30 * 60,
  windowSeconds: 10 * 60,
  stepSeconds: 30,
  failureLimit: 3,
  onNoData: "inconclusive",
} as const satisfies Partial<GateSpec>;

/** A full check from the fields a user gave; everything else from the defaults. */
export function makeCheck(partial: Partial<CheckSpec> & Pick<CheckSpec, "query">): CheckSpec {
  return { name: partial.name ?? "check", ...CHECK_DEFAULTS, ...stripUndefined(partial) } as CheckSpec;
}

/** A full gate from the fields a user gave; everything else from the defaults. */
export function makeGate(partial: Partial<GateSpec> & Pick<GateSpec, "checks" | "deployTime">): GateSpec {
  return {
    ...GATE_DEFAULTS,
    vars: {},
    severityBands: [...DEFAULT_SEVERITY_BANDS],
    ...stripUndefined(partial),
  } as GateSpec;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
