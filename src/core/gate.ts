// The deploy gate loop: take the baseline before the deploy, then poll the watch window every
// step, fail early after `failureLimit` consecutive breaching samples (Argo Rollouts'
// failureLimit), and decide at the end otherwise. When the window is already in the past the same
// loop replays history without sleeping (backtesting) and reports when it would have failed.
import { formatDuration } from "./duration.js";
import { ConfigError } from "./errors.js";
import { fmt, judgeWindow, sampleBreach, summarizeBaseline, type Baseline } from "./judge.js";
import { alignSeries } from "./series.js";
import { severityFor, worstSeverity } from "./severity.js";
import { renderQuery } from "./template.js";
import type { CheckResult, CheckSpec, GateReport, GateSpec, MetricSource, Sample, Verdict } from "./types.js";

export interface GateOptions {
  /** Unix seconds; injectable for tests and backtests. */
  now?: () => number;
  sleep?: (seconds: number) => Promise<void>;
  onProgress?: (line: string) => void;
}

interface CheckState {
  spec: CheckSpec;
  query: string;
  trafficQuery?: string;
  baseline: Baseline;
  baselineSamples: Sample[];
  window: Sample[];
  /** Values of the current run of consecutive breaching samples. */
  streak: number[];
  lastBreach: string | null;
  detectedAt: number | null;
  /** The mildest breaching value of the streak that failed the check (its severity). */
  detectedValue: number | null;
  /** The baseline read failure, kept apart: later window reads do not clear it. */
  baselineError: string | null;
  error: string | null;
  warnings: string[];
}

const realSleep = (s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000));

export async function runGate(
  spec: GateSpec,
  source: MetricSource,
  opts: GateOptions = {},
): Promise<GateReport> {
  validateGate(spec);
  const now = opts.now ?? (() => Date.now() / 1000);
  const sleep = opts.sleep ?? realSleep;
  const progress = opts.onProgress ?? (() => {});
  const { deployTime: deploy, stepSeconds: step } = spec;
  const end = deploy + spec.windowSeconds;
  const backtest = end <= now();
  const grid = watchGrid(spec);

  const states = await Promise.all(spec.checks.map((check) => prepare(check, spec, source)));
  progress(
    `${backtest ? "backtest" : "watching"} ${spec.checks.length} check(s) from ${iso(deploy)} for ${formatDuration(spec.windowSeconds)} every ${formatDuration(step)}, baseline ${formatDuration(spec.baselineSeconds)}`,
  );
  // A backtest reads the whole window once; a live gate reads what exists at each poll.
  if (backtest) await Promise.all(states.map((s) => fetchWindow(s, source, spec, end)));

  let stoppedAt = end;
  let detectedAt: number | null = null;
  for (const t of grid) {
    if (!backtest) {
      const wait = t + spec.queryDelaySeconds - now();
      if (wait > 0) await sleep(wait);
      await Promise.all(states.map((s) => fetchWindow(s, source, spec, t)));
    }
    for (const state of states) advance(state, t, spec.failureLimit);
    progress(progressLine(spec, states, t));
    const failed = states.find((s) => s.spec.critical && s.detectedAt !== null);
    if (failed) {
      detectedAt = t;
      stoppedAt = t;
      break;
    }
  }

  const checks = states.map((s) => finish(s, spec, stoppedAt));
  const verdict = gateVerdict(checks);
  if (verdict === "fail" && detectedAt === null) detectedAt = stoppedAt;
  return {
    verdict,
    severity:
      verdict === "fail"
        ? worstSeverity(checks.filter((c) => c.critical && c.verdict === "fail").map((c) => c.severity))
        : null,
    detectedAt,
    deployTime: deploy,
    baselineSeconds: spec.baselineSeconds,
    windowSeconds: spec.windowSeconds,
    stepSeconds: step,
    backtest,
    reason: gateReason(checks, verdict),
    checks,
  };
}

function validateGate(spec: GateSpec): void {
  if (spec.checks.length === 0) throw new ConfigError("no checks: give a query (--query) or a checks file");
  if (!(spec.stepSeconds > 0)) throw new ConfigError("step must be greater than zero");
  if (spec.windowSeconds < spec.stepSeconds)
    throw new ConfigError("the window must be at least one step long");
  if (spec.baselineSeconds < spec.stepSeconds)
    throw new ConfigError("the baseline must be at least one step long");
  if (!(spec.failureLimit >= 1)) throw new ConfigError("failure-limit must be at least 1");
  if (!Number.isFinite(spec.deployTime)) throw new ConfigError("deploy time is not a valid time");
  const names = new Set<string>();
  const watchSamples = Math.floor(spec.windowSeconds / spec.stepSeconds);
  const baselineSamples = Math.floor(spec.baselineSeconds / spec.stepSeconds);
  for (const c of spec.checks) {
    if (names.has(c.name))
      throw new ConfigError(`two checks are named "${c.name}": give each check its own name`);
    names.add(c.name);
    validateCheck(c, watchSamples, baselineSamples);
  }
}

/** Values that would make a check meaningless (always pass, always fail, never judged) are errors. */
function validateCheck(c: CheckSpec, watchSamples: number, baselineSamples: number): void {
  const bad = (what: string) => {
    throw new ConfigError(`check "${c.name}": ${what}`);
  };
  if (!Number.isInteger(c.minSamples) || c.minSamples < 1)
    bad("min-samples must be a whole number of at least 1");
  if (c.relativeLimit !== undefined && !(c.relativeLimit >= 0))
    bad("relative-limit must be 0 or more (it is a size of change, in the bad direction)");
  if (!(c.minEffect >= 0)) bad("min-effect must be 0 or more");
  if (!(c.minDelta >= 0)) bad("min-delta must be 0 or more");
  if (!(c.alpha > 0 && c.alpha < 1)) bad("alpha must be between 0 and 1, e.g. 0.01");
  if (!(c.zThreshold > 0)) bad("z-threshold must be greater than 0");
  if (watchSamples < c.minSamples) {
    bad(
      `the window holds ${watchSamples} samples (window / step), fewer than min-samples ${c.minSamples}: lengthen the window or shorten the step`,
    );
  }
  if (baselineSamples < c.minSamples) {
    bad(
      `the baseline holds ${baselineSamples} samples (baseline / step), fewer than min-samples ${c.minSamples}: lengthen the baseline or shorten the step`,
    );
  }
}

/** Watch samples sit on the step grid after the deploy: deploy+step … deploy+window. */
function watchGrid(spec: GateSpec): number[] {
  const n = Math.floor(spec.windowSeconds / spec.stepSeconds);
  return Array.from({ length: n }, (_, i) => spec.deployTime + (i + 1) * spec.stepSeconds);
}

async function prepare(check: CheckSpec, spec: GateSpec, source: MetricSource): Promise<CheckState> {
  const state: CheckState = {
    spec: check,
    query: render(check.query, spec, check.name),
    trafficQuery: check.trafficQuery ? render(check.trafficQuery, spec, check.name) : undefined,
    baseline: summarizeBaseline([]),
    baselineSamples: [],
    window: [],
    streak: [],
    lastBreach: null,
    detectedAt: null,
    detectedValue: null,
    baselineError: null,
    error: null,
    warnings: [],
  };
  await fetchBaseline(state, source, spec);
  return state;
}

/** The baseline is [deploy − baseline, deploy): its last point is one step before the deploy. */
async function fetchBaseline(state: CheckState, source: MetricSource, spec: GateSpec): Promise<void> {
  const start = spec.deployTime - spec.baselineSeconds;
  const samples = await read(state, source, start, spec.deployTime - spec.stepSeconds, spec.stepSeconds);
  if (samples) {
    state.baselineSamples = samples;
    state.baseline = summarizeBaseline(samples.map((s) => s.v));
    state.baselineError = null;
  } else {
    state.baselineError = state.error;
  }
}

function render(query: string, spec: GateSpec, name: string): string {
  try {
    return renderQuery(query, spec.vars);
  } catch (err) {
    throw new ConfigError(`check "${name}": ${(err as Error).message}`);
  }
}

async function fetchWindow(
  state: CheckState,
  source: MetricSource,
  spec: GateSpec,
  until: number,
): Promise<void> {
  // A baseline that failed to load is tried again at every poll rather than given up for the window.
  if (state.baselineError !== null) await fetchBaseline(state, source, spec);
  const samples = await read(state, source, spec.deployTime + spec.stepSeconds, until, spec.stepSeconds);
  if (samples) state.window = samples;
}

/**
 * Reads one range for a check, folding several series and masking low-traffic samples. A
 * transient failure is kept on the state (the check becomes inconclusive if it never recovers);
 * a configuration problem is thrown.
 */
async function read(state: CheckState, source: MetricSource, start: number, end: number, step: number) {
  const { spec } = state;
  try {
    // A check with its own `source:` reads from that one (a SourceSet creates it on first use).
    if (spec.source && source.forKind) source = source.forKind(spec.source);
    const result = await source.queryRange(state.query, start, end, step);
    addWarnings(state, result.warnings);
    let samples = alignSeries(result.series, spec.aggregate, spec.name);
    if (state.trafficQuery) {
      const traffic = await source.queryRange(state.trafficQuery, start, end, step);
      addWarnings(state, traffic.warnings);
      const rate = new Map(alignSeries(traffic.series, "sum", spec.name).map((s) => [s.t, s.v]));
      samples = samples.map((s) => {
        const r = rate.get(s.t);
        return r !== undefined && r >= spec.minTraffic ? s : { t: s.t, v: NaN };
      });
    }
    state.error = null;
    return samples;
  } catch (err) {
    // Sources mark errors that retrying cannot fix (a rejected query, a bad URL path).
    if (err instanceof ConfigError) throw err;
    const e = err as { permanent?: boolean; retryable?: boolean };
    if (e.permanent === true || e.retryable === false) {
      throw new ConfigError(`check "${spec.name}": ${(err as Error).message}`);
    }
    state.error = (err as Error).message;
    return null;
  }
}

function addWarnings(state: CheckState, warnings: readonly string[]): void {
  for (const w of warnings) if (!state.warnings.includes(w)) state.warnings.push(w);
}

/**
 * Rescans the window up to `t` for the breach streak. The whole window is re-read at every poll, and
 * a backend that ingests late (remote write) may have corrected its newest points since: the streak
 * is recomputed from the current data rather than kept from values that have changed.
 */
function advance(state: CheckState, t: number, failureLimit: number): void {
  state.streak = [];
  for (const sample of state.window) {
    if (sample.t > t) break;
    if (Number.isNaN(sample.v)) continue; // no data neither breaks nor extends a streak
    const why = sampleBreach(state.spec, sample.v, state.baseline);
    state.streak = why ? [...state.streak, sample.v] : [];
    if (why) state.lastBreach = why;
    if (state.detectedAt === null && state.streak.length >= failureLimit) {
      state.detectedAt = sample.t;
      // The mildest value of the streak: the lowest rise, or the highest fall.
      state.detectedValue =
        state.spec.direction === "decrease" ? Math.max(...state.streak) : Math.min(...state.streak);
    }
  }
}

function finish(state: CheckState, spec: GateSpec, stoppedAt: number): CheckResult {
  const check = state.spec;
  const window = state.window.filter((s) => s.t <= stoppedAt);
  const judged = judgeWindow(
    check,
    state.baseline,
    window.map((s) => s.v),
  );
  let verdict: Verdict;
  let reason: string;
  let noData = false;
  if (state.detectedAt !== null) {
    verdict = "fail";
    reason = `${spec.failureLimit} consecutive samples breached; last: ${state.lastBreach}`;
  } else if (judged.verdict === "no-data" && stoppedEarly(state, spec, stoppedAt)) {
    // Another check failed the gate early: this one had data, just not enough time to be judged.
    verdict = "inconclusive";
    reason = `not judged: the gate stopped at +${formatDuration(stoppedAt - spec.deployTime)} when another check failed (${judged.stats.windowSamples} window samples)`;
  } else if (judged.verdict === "no-data") {
    noData = true;
    verdict = spec.onNoData;
    const failure = state.baselineError ?? state.error;
    const cause = failure ? `query failed: ${failure}` : judged.reason;
    reason = `${cause} → ${spec.onNoData} (on-no-data policy)`;
  } else if (judged.verdict === "pass" && state.error !== null) {
    // Judged on what was read before Prometheus stopped answering: not enough to call it a pass.
    verdict = "inconclusive";
    reason = `${judged.reason} over ${judged.stats.windowSamples} samples only: the last query failed (${state.error})`;
  } else {
    verdict = judged.verdict;
    reason = judged.reason;
  }
  // Severity comes from the streak that failed the check, else from the window median; a decrease
  // check on a success ratio is rated by its error share (1 − value).
  const observed = state.detectedValue ?? judged.stats.windowMedian;
  const failedValue = observed !== null && check.direction === "decrease" ? 1 - observed : observed;
  return {
    name: check.name,
    query: state.query,
    critical: check.critical,
    verdict,
    noData,
    reason,
    severity:
      verdict === "fail" && !noData && check.errorRate && failedValue !== null
        ? severityFor(failedValue, spec.severityBands)
        : null,
    stats: judged.stats,
    detectedAt: state.detectedAt,
    baseline: state.baselineSamples,
    window,
    absoluteLimit: check.absoluteLimit,
    relativeLimit: check.relativeLimit,
    errorRate: check.errorRate,
    direction: check.direction,
    warnings: state.warnings,
  };
}

/** The gate stopped before the window ended, and this check's own samples were fine so far. */
function stoppedEarly(state: CheckState, spec: GateSpec, stoppedAt: number): boolean {
  const full = stoppedAt >= spec.deployTime + spec.windowSeconds;
  return !full && state.baseline.values.length >= state.spec.minSamples && state.error === null;
}

/** A critical failure fails the gate; a critical "inconclusive" makes it inconclusive; the rest only inform. */
function gateVerdict(checks: CheckResult[]): Verdict {
  const critical = checks.filter((c) => c.critical);
  if (critical.some((c) => c.verdict === "fail")) return "fail";
  if (critical.some((c) => c.verdict === "inconclusive")) return "inconclusive";
  return "pass";
}

function gateReason(checks: CheckResult[], verdict: Verdict): string {
  const lead = checks.filter((c) => c.critical && c.verdict === verdict);
  const warned = checks.filter((c) => !c.critical && c.verdict !== "pass");
  const parts = (lead.length ? lead : checks).map((c) => `${c.name}: ${c.reason}`);
  for (const c of warned) parts.push(`(non-critical) ${c.name}: ${c.verdict}: ${c.reason}`);
  return parts.join("; ");
}

function progressLine(spec: GateSpec, states: CheckState[], t: number): string {
  const parts = states.map((s) => {
    const last = [...s.window].reverse().find((x) => x.t <= t);
    const value = last === undefined ? "no data" : fmt(last.v);
    const base = s.baseline.values.length ? fmt(s.baseline.median) : "none";
    const err = s.error ? ` (query failed: ${s.error})` : "";
    return `${s.spec.name}=${value} (baseline ${base}) breaches ${s.streak.length}/${spec.failureLimit}${err}`;
  });
  return `[+${formatDuration(t - spec.deployTime)}] ${parts.join(" | ")}`;
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
