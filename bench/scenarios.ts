// A seeded generator of labeled deploys for `npm run bench:gate`.
//
// Each scenario is one metric around one deploy: samples every 30 s over [deploy − 30 min,
// deploy + 10 min]. Metrics are built the way Prometheus would compute them: per-30 s counts
// (Poisson) or per-30 s p99s, read through a 1 m rate window. That window is why a step change
// shows up half-way in its first sample and a 30 s blip spans two samples.
//
// Noise is multiplicative and autocorrelated (AR(1) in log space), with occasional single
// spikes in the bad direction (GC pauses, error bursts, dips) and a 24 h sinusoid. Nothing here
// is tuned to any rule: the parameters are what services look like, and they are the same for
// every rule the bench compares.
import type { Direction, Sample } from "../src/core/gate/types.js";
import { mulberry32, type Rng } from "../test/helpers/mulberry32.js";

export type MetricKind = "error-ratio" | "latency-p99" | "orders-rate";
export type ScenarioKind =
  | "noise" // clean: noise, spikes, a mild daily pattern
  | "daily" // clean: the deploy sits on the steepest part of the day, sloping the bad way
  | "blip" // clean: a restart blip for one 30 s interval right after the deploy
  | "step" // regression: a step at the deploy
  | "ramp" // regression: a linear ramp from the deploy to `magnitude` at the window's end
  | "delayed" // regression: a step 2–4 min after the deploy
  | "nan-traffic" // low traffic: an error ratio that is 0/0 in many samples
  | "tiny-counts"; // low traffic: a business counter of a few events a minute
export type ScenarioLabel = "regression" | "clean" | "low-traffic";

export interface Scenario {
  id: string;
  kind: ScenarioKind;
  label: ScenarioLabel;
  metric: MetricKind;
  /** The query the memory source answers with `samples`. */
  query: string;
  /** The query answering `traffic` (requests per second), for error ratios. */
  trafficQuery?: string;
  /** How much worse the metric gets (×, or ÷ for a decrease); 1 when clean. */
  magnitude: number;
  /** The first watch step touched by the regression (1 = deploy + 30 s); null when clean. */
  onsetStep: number | null;
  /** The bad direction of the metric (a regression moves this way). */
  direction: Direction;
  deployTime: number;
  stepSeconds: number;
  samples: Sample[];
  traffic?: Sample[];
}

export const STEP_SECONDS = 30;
export const BASELINE_STEPS = 60; // 30 min
export const WATCH_STEPS = 20; // 10 min
export const DEFAULT_SEED = 20260126;

export const STEP_MAGNITUDES = [1.3, 1.5, 2, 3, 5, 10] as const;
export const RAMP_MAGNITUDES = [2, 3] as const;
export const DELAYED_MAGNITUDES = [1.5, 2, 3, 5] as const;
const METRICS: readonly MetricKind[] = ["error-ratio", "latency-p99", "orders-rate"];
const COUNTS = { stepReps: 4, rampReps: 3, delayedReps: 3, cleanPerKind: 14, lowTraffic: 12 };

const QUERY: Record<MetricKind, string> = {
  "error-ratio": "error_ratio",
  "latency-p99": "latency_p99_seconds",
  "orders-rate": "orders_per_second",
};
const DAY = 86_400;
const FIRST_DAY = 1_767_225_600; // 2026-01-01T00:00:00Z

// ---------------------------------------------------------------------------------------------
// Randomness: mulberry32 seeded per scenario, so adding a scenario never shifts the others.

/** FNV-1a of the text, mixed with the seed: one independent stream per scenario id. */
function streamSeed(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const logUniform = (rng: Rng, lo: number, hi: number) => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));
const intBetween = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function normal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the log finite.
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  // Knuth: multiply uniforms until the product drops below e^-lambda.
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// Shapes

interface Shape {
  kind: ScenarioKind;
  magnitude: number;
  onsetStep: number | null;
  /** Blip factor (in the bad direction) for the first 30 s interval after the deploy. */
  blip: number;
}

/**
 * How much worse (>= 1) interval `k` is: interval k ends at deploy + k·30 s, so the sample at
 * deploy + k·30 s reads intervals k − 1 and k through its 1 m window.
 */
function effectAt(shape: Shape, k: number): number {
  if (k === 1 && shape.blip > 1) return shape.blip;
  const onset = shape.onsetStep;
  if (onset === null || k < onset) return 1;
  if (shape.kind === "ramp") return 1 + ((shape.magnitude - 1) * k) / WATCH_STEPS;
  return shape.magnitude;
}

interface Noise {
  sigma: number;
  phi: number;
  /** A slow wander (traffic mix, cache warmth, neighbours): sd and 30 s autocorrelation. */
  slowSigma: number;
  slowPhi: number;
  spikeProb: number;
  spikeLo: number;
  spikeHi: number;
}

/**
 * Two AR(1) processes in log space (a fast one with a correlation time of a minute or two and a
 * slow wander over tens of minutes) plus rare single-interval spikes: one log-multiplier per
 * interval.
 */
function noiseSeries(rng: Rng, n: number, noise: Noise): number[] {
  const fast = ar1(rng, noise.sigma, noise.phi);
  const slow = ar1(rng, noise.slowSigma, noise.slowPhi);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const spike = rng() < noise.spikeProb ? Math.log(uniform(rng, noise.spikeLo, noise.spikeHi)) : 0;
    out.push(fast() + slow() + spike);
  }
  return out;
}

/** A stationary AR(1) with standard deviation `sigma`. */
function ar1(rng: Rng, sigma: number, phi: number): () => number {
  const innovation = sigma * Math.sqrt(1 - phi * phi);
  let z = sigma * normal(rng);
  return () => (z = phi * z + innovation * normal(rng));
}

/** A 24 h sinusoid in log space; `phase` places the deploy on the curve. */
function daily(amplitude: number, phase: number) {
  return (t: number) => amplitude * Math.sin((2 * Math.PI * t) / DAY + phase);
}

/** The phase that puts the deploy near the steepest point of the day in the given sense. */
function steepPhase(rng: Rng, deployTime: number, rising: boolean): number {
  const target = (rising ? 0 : Math.PI) + uniform(rng, -0.4, 0.4);
  return target - (2 * Math.PI * deployTime) / DAY;
}

// ---------------------------------------------------------------------------------------------
// Metrics

interface Built {
  samples: Sample[];
  traffic?: Sample[];
}

/** Interval times: index 0 is the interval before the first sample (the 1 m window needs it). */
function grid(deployTime: number): { intervals: number[]; k: (j: number) => number } {
  const n = BASELINE_STEPS + 1 + WATCH_STEPS + 1;
  const first = deployTime - (BASELINE_STEPS + 1) * STEP_SECONDS;
  const intervals = Array.from({ length: n }, (_, j) => first + j * STEP_SECONDS);
  return { intervals, k: (j) => (intervals[j]! - deployTime) / STEP_SECONDS };
}

/** Samples at interval ends 1..n-1, each over the interval and the one before it (rate[1m]). */
function window2<T>(values: T[], intervals: number[], fold: (a: T, b: T) => number): Sample[] {
  const out: Sample[] = [];
  for (let j = 1; j < values.length; j++) out.push({ t: intervals[j]!, v: fold(values[j - 1]!, values[j]!) });
  return out;
}

function errorRatio(rng: Rng, shape: Shape, deployTime: number, low: boolean): Built {
  const { intervals, k } = grid(deployTime);
  const p0 = low ? logUniform(rng, 0.01, 0.05) : logUniform(rng, 0.001, 0.02);
  // Enough traffic that a minute holds a few expected errors; low traffic holds a few requests.
  const rps = low ? logUniform(rng, 0.005, 0.05) : logUniform(rng, Math.max(5, 4 / (60 * p0)), 500);
  const trafficDay = daily(uniform(rng, 0.2, 0.6), uniform(rng, 0, 2 * Math.PI));
  const errorDay =
    shape.kind === "daily"
      ? daily(uniform(rng, 0.15, 0.3), steepPhase(rng, deployTime, true))
      : daily(uniform(rng, 0, 0.15), uniform(rng, 0, 2 * Math.PI));
  const noise = noiseSeries(rng, intervals.length, {
    sigma: uniform(rng, 0.05, 0.3),
    phi: uniform(rng, 0.3, 0.8),
    slowSigma: uniform(rng, 0, 0.15),
    slowPhi: uniform(rng, 0.95, 0.99),
    spikeProb: uniform(rng, 0.005, 0.02),
    spikeLo: 2,
    spikeHi: 6,
  });
  const counts = intervals.map((t, j) => {
    const requests = poisson(rng, rps * STEP_SECONDS * Math.exp(trafficDay(t)));
    const p = Math.min(1, p0 * Math.exp(errorDay(t) + noise[j]!) * effectAt(shape, k(j)));
    return { requests, errors: Math.min(requests, poisson(rng, requests * p)) };
  });
  return {
    // 0/0 is NaN, as Prometheus returns it for a window without requests.
    samples: window2(counts, intervals, (a, b) => (a.errors + b.errors) / (a.requests + b.requests)),
    traffic: window2(counts, intervals, (a, b) => (a.requests + b.requests) / (2 * STEP_SECONDS)),
  };
}

function latencyP99(rng: Rng, shape: Shape, deployTime: number): Built {
  const { intervals, k } = grid(deployTime);
  const base = logUniform(rng, 0.1, 0.8); // seconds
  const day =
    shape.kind === "daily"
      ? daily(uniform(rng, 0.15, 0.35), steepPhase(rng, deployTime, true))
      : daily(uniform(rng, 0, 0.15), uniform(rng, 0, 2 * Math.PI));
  const noise = noiseSeries(rng, intervals.length, {
    sigma: uniform(rng, 0.05, 0.25),
    phi: uniform(rng, 0.3, 0.8),
    slowSigma: uniform(rng, 0, 0.12),
    slowPhi: uniform(rng, 0.95, 0.99),
    spikeProb: uniform(rng, 0.01, 0.03),
    spikeLo: 1.5,
    spikeHi: 4,
  });
  const logP99 = intervals.map(
    (t, j) => Math.log(base) + day(t) + noise[j]! + Math.log(effectAt(shape, k(j))),
  );
  // The p99 over two intervals lies between theirs: the geometric mean is close enough.
  return { samples: window2(logP99, intervals, (a, b) => Math.exp((a + b) / 2)) };
}

function ordersRate(rng: Rng, shape: Shape, deployTime: number, low: boolean): Built {
  const { intervals, k } = grid(deployTime);
  const perSecond = low ? logUniform(rng, 0.01, 0.08) : logUniform(rng, 1, 50);
  const day =
    shape.kind === "daily"
      ? daily(uniform(rng, 0.5, 0.8), steepPhase(rng, deployTime, false))
      : daily(uniform(rng, 0.2, 0.5), uniform(rng, 0, 2 * Math.PI));
  const noise = noiseSeries(rng, intervals.length, {
    sigma: uniform(rng, 0.02, 0.08),
    phi: uniform(rng, 0.3, 0.8),
    slowSigma: uniform(rng, 0, 0.06),
    slowPhi: uniform(rng, 0.95, 0.99),
    spikeProb: uniform(rng, 0.005, 0.02),
    spikeLo: 1 / 0.85, // dips to 50–85 % (noise is applied as a divisor below)
    spikeHi: 2,
  });
  const counts = intervals.map((t, j) =>
    poisson(rng, (perSecond * STEP_SECONDS * Math.exp(day(t) - noise[j]!)) / effectAt(shape, k(j))),
  );
  return { samples: window2(counts, intervals, (a, b) => (a + b) / (2 * STEP_SECONDS)) };
}

// ---------------------------------------------------------------------------------------------
// The set

interface Plan {
  id: string;
  metric: MetricKind;
  kind: ScenarioKind;
  label: ScenarioLabel;
  magnitude: number;
}

function plans(): Plan[] {
  const out: Plan[] = [];
  const add = (
    metric: MetricKind,
    kind: ScenarioKind,
    label: ScenarioLabel,
    magnitude: number,
    rep: number,
  ) =>
    out.push({
      id: `${metric}/${kind}${magnitude === 1 ? "" : `-${magnitude}x`}/${rep}`,
      metric,
      kind,
      label,
      magnitude,
    });
  for (const metric of METRICS) {
    for (const kind of ["noise", "daily", "blip"] as const)
      for (let r = 0; r < COUNTS.cleanPerKind; r++) add(metric, kind, "clean", 1, r);
    for (const m of STEP_MAGNITUDES)
      for (let r = 0; r < COUNTS.stepReps; r++) add(metric, "step", "regression", m, r);
    for (const m of RAMP_MAGNITUDES)
      for (let r = 0; r < COUNTS.rampReps; r++) add(metric, "ramp", "regression", m, r);
    for (const m of DELAYED_MAGNITUDES)
      for (let r = 0; r < COUNTS.delayedReps; r++) add(metric, "delayed", "regression", m, r);
  }
  for (let r = 0; r < COUNTS.lowTraffic; r++) add("error-ratio", "nan-traffic", "low-traffic", 1, r);
  for (let r = 0; r < COUNTS.lowTraffic; r++) add("orders-rate", "tiny-counts", "low-traffic", 1, r);
  return out;
}

const DIRECTION: Record<MetricKind, Direction> = {
  "error-ratio": "increase",
  "latency-p99": "increase",
  "orders-rate": "decrease",
};

function build(seed: number, plan: Plan, index: number): Scenario {
  const rng = mulberry32(streamSeed(seed, plan.id));
  // One deploy a day at a random time of day (on the 30 s grid), so daily phases differ.
  const deployTime = FIRST_DAY + index * DAY + intBetween(rng, 0, DAY / STEP_SECONDS - 1) * STEP_SECONDS;
  const onsetStep =
    plan.kind === "step" || plan.kind === "ramp" ? 1 : plan.kind === "delayed" ? intBetween(rng, 5, 9) : null;
  const blipFactor: Record<MetricKind, [number, number]> = {
    "error-ratio": [5, 20], // connections dropped while pods restart
    "latency-p99": [3, 6], // cold caches and JIT
    "orders-rate": [1.5, 3], // a dip to a third to two thirds
  };
  const [blipLo, blipHi] = blipFactor[plan.metric];
  const shape: Shape = {
    kind: plan.kind,
    magnitude: plan.magnitude,
    onsetStep,
    blip: plan.kind === "blip" ? uniform(rng, blipLo, blipHi) : 1,
  };
  const low = plan.label === "low-traffic";
  const built =
    plan.metric === "error-ratio"
      ? errorRatio(rng, shape, deployTime, low)
      : plan.metric === "latency-p99"
        ? latencyP99(rng, shape, deployTime)
        : ordersRate(rng, shape, deployTime, low);
  return {
    id: plan.id,
    kind: plan.kind,
    label: plan.label,
    metric: plan.metric,
    query: QUERY[plan.metric],
    ...(built.traffic ? { trafficQuery: "requests_per_second" } : {}),
    magnitude: plan.magnitude,
    onsetStep,
    direction: DIRECTION[plan.metric],
    deployTime,
    stepSeconds: STEP_SECONDS,
    samples: built.samples,
    ...(built.traffic ? { traffic: built.traffic } : {}),
  };
}

/** All labeled deploys for a seed; the same seed always gives the same scenarios. */
export function generateScenarios(seed: number = DEFAULT_SEED): Scenario[] {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  return plans().map((plan, i) => build(seed, plan, i));
}

/** Baseline samples [deploy − 30 min, deploy) and watch samples (deploy, deploy + 10 min]. */
export function splitAtDeploy(s: Scenario): { baseline: Sample[]; watch: Sample[] } {
  return {
    baseline: s.samples.filter((x) => x.t < s.deployTime),
    watch: s.samples.filter((x) => x.t > s.deployTime),
  };
}
