// Writes the bundled demo scenarios (examples/scenarios/*.json) as Prometheus query_range responses.
// Deterministic: the same files every run. Run with `npx tsx scripts/make-scenarios.ts`.
import { mkdirSync, writeFileSync } from "node:fs";

export const DEPLOY = Date.parse("2026-11-26T14:00:00Z") / 1000;
const STEP = 30;

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scenarios: Record<string, { description: string; value: (offset: number, r: () => number) => number }> =
  {
    "clean-deploy": {
      description: "error ratio around 0.4 % with noise; the deploy changes nothing",
      value: (_o, r) => 0.004 * (0.8 + 0.4 * r()),
    },
    "step-regression": {
      description: "error ratio jumps from 0.4 % to 7 % right after the deploy",
      value: (o, r) => (o > 0 ? 0.07 : 0.004) * (0.8 + 0.4 * r()),
    },
    "spike-that-recovers": {
      description: "a one-sample restart blip at the deploy, then back to normal",
      value: (o, r) => (o === STEP ? 0.03 : 0.004) * (0.8 + 0.4 * r()),
    },
    "zero-traffic": {
      description: "no requests after the deploy: 0/0 is NaN, which is no data, not a pass",
      value: (o, r) => (o > 0 ? NaN : 0.004 * (0.8 + 0.4 * r())),
    },
  };

mkdirSync("examples/scenarios", { recursive: true });
for (const [name, s] of Object.entries(scenarios)) {
  const r = rng(name.length * 7919);
  const values: [number, string][] = [];
  for (let t = DEPLOY - 30 * 60; t <= DEPLOY + 10 * 60; t += STEP) {
    const v = s.value(t - DEPLOY, r);
    values.push([t, Number.isNaN(v) ? "NaN" : v.toFixed(6)]);
  }
  const body = {
    status: "success",
    description: s.description,
    data: { resultType: "matrix", result: [{ metric: { service: "checkout" }, values }] },
  };
  writeFileSync(`examples/scenarios/${name}.json`, JSON.stringify(body) + "\n");
}
