// The deploy gate loop: take the baseline before the deploy, then poll the watch window every
// step, fail early after `failureLimit` consecutive breaching samples (Argo Rollouts'
// failureLimit), and decide at the end otherwise. When the window is already in the past the same
// loop replays history without sleeping (backtesting) and reports when it would have failed.
import { formatDays, formatDuration } from "../text/duration.js";
import { ConfigError, errorMessage } from "../errors.js";
import { CONTROL, controlComparison, controlLevel } from "./control.js";
import { HISTORY_LEVEL_TEXT } from "./defaults.js";
import {
  fmt,
  judgeWindow,
  limitBreach,
  overlapCorrelation,
  summarizeBaseline,
  type Baseline,
} from "./judge.js";
import {
  breachAgainstAll,
  explainedBy,
  judgeAgainstAll,
  referenceUse,
  type Comparison,
} from "./references.js";
import { offsetName, seasonalComparison, seasonalOffsets, seasonalRange } from "./seasonality.js";
import {
  historyBreach,
  historyRange,
  insertSorted,
  sortedMedian,
  historySpan,
  learnHistory,
  windowDeviation,
  type HistoryBar,
} from "./history.js";
import { alignSeries } from "./series.js";
import { severityFor, worstSeverity } from "./severity.js";
import { finite, median } from "./stats.js";
import { renderQuery } from "./template.js";
import type {
  CheckResult,
  CheckSpec,
  GateReport,
  GateSpec,
  MetricSource,
  ReferenceUse,
  Sample,
  Verdict,
} from "./types.js";

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
  /** Length of the current run of consecutive breaching samples. */
  streak: number;
  lastBreach: string | null;
  detectedAt: number | null;
  /** The baseline read failure, kept apart: later window reads do not clear it. */
  baselineError: string | null;
  error: string | null;
  warnings: string[];
  /** Whether the query returned any series at all (even NaN): none over baseline and window is a typo. */
  seen: boolean;
  /** The lag-1 correlation the query's overlapping range windows force at this step (overlapCorrelation). */
  overlap: number;
  control: ControlState | null;
  /** The same range a day/week earlier, per offset: samples, or why there are none. */
  seasonal: Array<{ offsetSeconds: number; samples: Sample[]; error: string | null }>;
  /** The seasonal comparisons, built once for the baseline they were built on. */
  seasonalRefs: SeasonalReferences | null;
  /** The bar learnt from the metric's past (history.ts), when there was enough of it. */
  history: HistoryBar | null;
  historyUse: ReferenceUse | null;
  /** The furthest the window got from the baseline, in robust deviations (with a history bar). */
  historyMost: number;
  /** Whether the history's bar (rather than a streak) failed the check. */
  failedOnHistory: boolean;
}

interface SeasonalReferences {
  baseline: Sample[];
  comparisons: Comparison[];
  uses: ReferenceUse[];
}

interface ControlState {
  query: string;
  baseline: Sample[];
  window: Sample[];
  seen: boolean;
  error: string | null;
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
    for (const state of states) advance(state, spec, t);
    progress(progressLine(spec, states, t));
    const failed = states.find((s) => s.spec.critical && s.detectedAt !== null);
    if (failed) {
      detectedAt = t;
      stoppedAt = t;
      break;
    }
  }

  if (stoppedAt === end) for (const s of states) assertSeriesExist(s, spec);
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
  if (Array.isArray(spec.seasonality) && !spec.seasonality.every((o) => Number.isFinite(o) && o > 0))
    throw new ConfigError("seasonality offsets must be durations greater than zero, e.g. 1d,7d");
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
    streak: 0,
    lastBreach: null,
    detectedAt: null,
    baselineError: null,
    error: null,
    warnings: [],
    seen: false,
    overlap: 0,
    control: check.controlQuery
      ? {
          query: render(check.controlQuery, spec, check.name),
          baseline: [],
          window: [],
          seen: false,
          error: null,
        }
      : null,
    seasonal: [],
    seasonalRefs: null,
    history: null,
    historyUse: null,
    historyMost: -Infinity,
    failedOnHistory: false,
  };
  state.overlap = overlapCorrelation(state.query, spec.stepSeconds);
  await fetchBaseline(state, source, spec);
  // The earlier windows are history: read once, each on its own (one missing is not a failure).
  state.seasonal = await Promise.all(
    seasonalOffsets(spec.seasonality).map(async (offsetSeconds) => {
      const [start, end] = seasonalRange(spec, offsetSeconds);
      try {
        const r = await readRange(state, state.query, source, start, end, spec.stepSeconds, true);
        return { offsetSeconds, samples: r.samples, error: null };
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        return { offsetSeconds, samples: [], error: errorMessage(err) };
      }
    }),
  );
  await learnFromHistory(state, spec, source);
  return state;
}

/**
 * Reads the metric's past once and learns the bar a window must pass (history.ts). History is
 * optional: any failure (a backend that refuses a long range, a timeout) leaves the baseline tests
 * to judge. A canary with a control is judged against the control instead.
 */
async function learnFromHistory(state: CheckState, spec: GateSpec, source: MetricSource): Promise<void> {
  // Nor while the backend fails the baseline read: an optional read would only add retries.
  const span = state.control || state.baselineError !== null ? 0 : historySpan(spec);
  if (span <= 0) return;
  const [start, end] = historyRange(spec, span);
  try {
    const r = await readRange(state, state.query, source, start, end, spec.stepSeconds, true);
    const learnt = learnHistory(state.spec, spec, r.samples, span);
    state.history = learnt.bar;
    state.historyUse = learnt.use;
  } catch (err) {
    state.historyUse = referenceUse(
      `the past ${formatDays(span)}`,
      span,
      false,
      `query failed: ${errorMessage(err)}`,
    );
  }
}

/** The baseline is [deploy − baseline, deploy): its last point is one step before the deploy. */
async function fetchBaseline(state: CheckState, source: MetricSource, spec: GateSpec): Promise<void> {
  const start = spec.deployTime - spec.baselineSeconds;
  const last = spec.deployTime - spec.stepSeconds;
  const samples = await read(state, source, start, last, spec.stepSeconds);
  if (samples) {
    state.baselineSamples = samples;
    state.baseline = summarizeBaseline(
      samples.map((s) => s.v),
      state.overlap,
    );
    state.baselineError = null;
  } else {
    state.baselineError = state.error;
  }
  if (state.control) {
    const control = await read(state, source, start, last, spec.stepSeconds, state.control);
    if (control) state.control.baseline = control;
  }
}

function render(query: string, spec: GateSpec, name: string): string {
  try {
    return renderQuery(query, spec.vars);
  } catch (err) {
    throw new ConfigError(`check "${name}": ${errorMessage(err)}`);
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
  const first = spec.deployTime + spec.stepSeconds;
  const samples = await read(state, source, first, until, spec.stepSeconds);
  if (samples) state.window = samples;
  if (state.control) {
    const control = await read(state, source, first, until, spec.stepSeconds, state.control);
    if (control) state.control.window = control;
  }
}

/** What a read updates: the check's own query, or its control's. */
type ReadTarget = Pick<ControlState, "query" | "seen" | "error">;

/**
 * Reads one range of the check's own query (`target` the check) or of its control query. A
 * transient failure is kept on the target (the check becomes inconclusive if it never recovers; a
 * failed control is the check's failure too); a configuration problem is thrown.
 */
async function read(
  state: CheckState,
  source: MetricSource,
  start: number,
  end: number,
  step: number,
  target: ReadTarget = state,
): Promise<Sample[] | null> {
  try {
    // Low-traffic samples are masked on the check's own query only.
    const r = await readRange(state, target.query, source, start, end, step, target === state);
    if (r.series > 0) target.seen = true;
    target.error = null;
    return r.samples;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    target.error = errorMessage(err);
    return null;
  }
}

/**
 * One range of `query`, its series folded into one and (for the check's own query) low-traffic
 * samples masked. Errors the source marks as permanent (a rejected query, a bad URL) become
 * ConfigError; the rest are thrown as they are, for the caller to keep.
 */
async function readRange(
  state: CheckState,
  query: string,
  source: MetricSource,
  start: number,
  end: number,
  step: number,
  withTraffic: boolean,
): Promise<{ samples: Sample[]; series: number }> {
  const { spec } = state;
  try {
    // A check with its own `source:` reads from that one (a SourceSet creates it on first use).
    if (spec.source && source.forKind) source = source.forKind(spec.source);
    const result = await source.queryRange(query, start, end, step);
    addWarnings(state, result.warnings);
    let samples = alignSeries(result.series, spec.aggregate, spec.name);
    if (withTraffic && state.trafficQuery) {
      const traffic = await source.queryRange(state.trafficQuery, start, end, step);
      addWarnings(state, traffic.warnings);
      const rate = new Map(alignSeries(traffic.series, "sum", spec.name).map((s) => [s.t, s.v]));
      samples = samples.map((s) => {
        const r = rate.get(s.t);
        return r !== undefined && r >= spec.minTraffic ? s : { t: s.t, v: NaN };
      });
    }
    return { samples, series: result.series.length };
  } catch (err) {
    // Sources mark errors that retrying cannot fix (a rejected query, a bad URL path).
    if (err instanceof ConfigError) throw err;
    const e = err as { permanent?: boolean; retryable?: boolean };
    if (e.permanent === true || e.retryable === false) {
      throw new ConfigError(`check "${spec.name}": ${errorMessage(err)}`);
    }
    throw err;
  }
}

/**
 * A query that matched no series at all, over the whole baseline and window, is a typo or wrong
 * labels, not "no data": zero traffic on a metric that exists still returns its series (as NaN).
 */
function assertSeriesExist(state: CheckState, spec: GateSpec): void {
  const vars = Object.entries(spec.vars)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}="${v}"`);
  const values = vars.length ? `the template values (${vars.join(", ")})` : "the template values";
  const what = `check the metric name (a typo?), the label matchers and ${values}`;
  const failed = state.error !== null || state.baselineError !== null;
  if (!state.seen && !failed) {
    throw new ConfigError(
      `check "${state.spec.name}": the query returned no series at all over the baseline and the window: ${state.query}: ${what}`,
    );
  }
  const control = state.control;
  if (control && !control.seen && control.error === null) {
    throw new ConfigError(
      `check "${state.spec.name}": the control query returned no series at all over the baseline and the window: ${control.query}: ${what}`,
    );
  }
}

function addWarnings(state: CheckState, warnings: readonly string[]): void {
  for (const w of warnings) if (!state.warnings.includes(w)) state.warnings.push(w);
}

interface References {
  comparisons: Comparison[];
  uses: ReferenceUse[];
  /** The metric's level, for the effect floors: the baseline median, else the control's. */
  level: number;
}

/** The references a check can be compared with at watch time `t`, and why the others cannot. */
function referencesAt(state: CheckState, spec: GateSpec, t: number): References {
  const check = state.spec;
  const n = state.baseline.values.length;
  const hasBaseline = n >= check.minSamples;
  const comparisons: Comparison[] = [];
  const uses: ReferenceUse[] = [
    referenceUse(
      "baseline",
      0,
      hasBaseline,
      hasBaseline
        ? `${n} samples before the deploy`
        : `${n} usable samples, fewer than min-samples ${check.minSamples}`,
    ),
  ];
  if (hasBaseline)
    comparisons.push({
      name: "baseline",
      base: state.baseline,
      expected: () => 0,
      required: true,
      log: false,
    });
  const seasonal = seasonalReferences(state, spec, hasBaseline);
  comparisons.push(...seasonal.comparisons);
  uses.push(...seasonal.uses);
  if (state.historyUse) uses.push(state.historyUse);
  let level = state.baseline.median;
  if (state.control) {
    const c = state.control;
    // Residuals against the control are differences of overlapping windows too.
    const r = controlComparison(check, state.baselineSamples, c.baseline, c.window, t, state.overlap);
    uses.push(r.use);
    if (r.comparison) comparisons.push(r.comparison);
    if (!hasBaseline) level = controlLevel(c.baseline, c.window);
  }
  return { comparisons, uses, level };
}

/**
 * The seasonal comparisons: they depend only on the baseline and the earlier windows, both read
 * before the watch window, so they are built once per baseline rather than at every poll.
 */
function seasonalReferences(state: CheckState, spec: GateSpec, hasBaseline: boolean): SeasonalReferences {
  if (state.seasonalRefs?.baseline === state.baselineSamples) return state.seasonalRefs;
  const comparisons: Comparison[] = [];
  const uses: ReferenceUse[] = [];
  for (const earlier of state.seasonal) {
    if (!hasBaseline || earlier.error !== null) {
      const why =
        earlier.error !== null ? `query failed: ${earlier.error}` : "no baseline to line it up with";
      uses.push(referenceUse(offsetName(earlier.offsetSeconds), earlier.offsetSeconds, false, why));
      continue;
    }
    const r = seasonalComparison(
      state.spec,
      spec,
      earlier.offsetSeconds,
      earlier.samples,
      state.baselineSamples,
      // Residuals against an earlier window are differences of overlapping windows too.
      state.overlap,
    );
    uses.push(r.use);
    if (r.comparison) comparisons.push(r.comparison);
  }
  state.seasonalRefs = { baseline: state.baselineSamples, comparisons, uses };
  return state.seasonalRefs;
}

/**
 * Rescans the window up to `t` for the breach streak. The whole window is re-read at every poll, and
 * a backend that ingests late (remote write) may have corrected its newest points since: the streak
 * is recomputed from the current data rather than kept from values that have changed. A sample
 * breaches a limit, or is unusual against every reference available.
 */
function advance(state: CheckState, spec: GateSpec, t: number): void {
  const refs = referencesAt(state, spec, t);
  const seasonal = refs.comparisons.filter((c) => c.name !== "baseline");
  state.streak = 0;
  const seen: number[] = []; // the window's values so far, sorted: its running median
  for (const sample of state.window) {
    if (sample.t > t) break;
    if (Number.isNaN(sample.v)) continue; // no data neither breaks nor extends a streak
    insertSorted(seen, sample.v);
    const limit = limitBreach(state.spec, sample.v, state.baseline);
    if (state.history && !limit && state.baseline.values.length >= state.spec.minSamples) {
      // With a bar learnt from the past, it replaces the per-sample z-score and its streak: the
      // past already says how far a window wanders, so the first sample beyond it fails.
      const windowMedian = sortedMedian(seen);
      const d = windowDeviation(
        state.spec,
        state.baseline,
        windowMedian,
        state.history.spreads.at(state.baseline.median),
      );
      state.historyMost = Math.max(state.historyMost, d);
      // Still unusual against every seasonal reference: a daily ramp is in the past week only a
      // few times, but it is usual against yesterday.
      let why = historyBreach(state.spec, state.history, state.baseline, windowMedian, seen.length, d);
      if (why && explainedBy(state.spec, seasonal, sample.t, sample.v, refs.level)) why = null;
      state.streak = 0;
      if (why) {
        state.lastBreach = why;
        if (state.detectedAt === null) {
          state.detectedAt = sample.t;
          state.failedOnHistory = true;
        }
      }
      continue;
    }
    const why = limit ?? breachAgainstAll(state.spec, refs.comparisons, sample.t, sample.v, refs.level);
    state.streak = why ? state.streak + 1 : 0;
    if (why) state.lastBreach = why;
    if (state.detectedAt === null && state.streak >= spec.failureLimit) state.detectedAt = sample.t;
  }
}

function finish(state: CheckState, spec: GateSpec, stoppedAt: number): CheckResult {
  const check = state.spec;
  const window = state.window.filter((s) => s.t <= stoppedAt);
  const refs = referencesAt(state, spec, stoppedAt);
  const judged = judgeWindow(
    check,
    state.baseline,
    window.map((s) => s.v),
  );
  const control = state.control;
  const controlUse = refs.uses.find((u) => u.name === CONTROL);
  let verdict: Verdict;
  let reason: string;
  let noData = false;
  const windowShort = judged.stats.windowSamples < check.minSamples;
  // With a control, the canary needs no baseline of its own (Kayenta): the control can judge alone.
  const cannotJudge =
    windowShort || refs.comparisons.length === 0 || (control !== null && controlUse?.used !== true);
  if (state.detectedAt !== null) {
    verdict = "fail";
    reason = state.failedOnHistory
      ? `${state.lastBreach}`
      : `${spec.failureLimit} consecutive samples breached; last: ${state.lastBreach}`;
  } else if (cannotJudge && stoppedEarly(state, spec, stoppedAt)) {
    // Another check failed the gate early: this one had data, just not enough time to be judged.
    verdict = "inconclusive";
    reason = `not judged: the gate stopped at +${formatDuration(stoppedAt - spec.deployTime)} when another check failed (${judged.stats.windowSamples} window samples)`;
  } else if (cannotJudge) {
    noData = true;
    verdict = spec.onNoData;
    let cause: string;
    const failure = state.baselineError ?? state.error;
    if (failure) cause = `query failed: ${failure}`;
    else if (!windowShort && control && controlUse?.used !== true) {
      cause = control.error
        ? `the control query failed: ${control.error} (${control.query})`
        : `no data: ${controlUse?.why ?? "no control samples"}, fewer than min-samples ${check.minSamples}, from the control query ${control.query}`;
    } else if (!windowShort && judged.verdict !== "no-data") {
      cause = `no data: no reference could judge the window`;
    } else cause = judged.reason;
    reason = `${cause} → ${spec.onNoData} (on-no-data policy)`;
  } else if (judged.verdict === "inconclusive") {
    // ±Inf on the better side is a broken query (judgeWindow's guard): no reference can call it a pass.
    verdict = "inconclusive";
    reason = judged.reason;
  } else {
    const limit = window.length ? limitBreach(check, judged.stats.windowMedian!, state.baseline) : null;
    const j = limit
      ? { verdict: "fail" as const, reason: `window median ${limit}`, p: judged.stats.pValue }
      : state.history
        ? { verdict: "pass" as const, reason: historyPass(state), p: judged.stats.pValue }
        : judgeAgainstAll(check, refs.comparisons, window, refs.level);
    judged.stats.pValue = j.p;
    verdict = j.verdict;
    reason = j.reason;
    if (verdict === "pass" && (state.error !== null || control?.error != null)) {
      // Judged on what was read before Prometheus stopped answering: not enough to call it a pass.
      verdict = "inconclusive";
      reason = `${reason} over ${judged.stats.windowSamples} samples only: the last query failed (${state.error ?? control?.error})`;
    }
  }
  const used = refs.uses.filter((u) => u.used).map((u) => u.name);
  if (!noData && used.length > 1) reason = `${reason} [references: ${used.join(", ")}]`;

  // Severity from what is shown: the median of the window samples up to detection (a robust figure
  // of the window, not the partial first sample of a streak); a decrease check on a success ratio
  // is rated by its error share (1 − value).
  let severity: CheckResult["severity"] = null;
  let severityValue: number | null = null;
  if (verdict === "fail" && !noData && check.errorRate) {
    const upTo = state.detectedAt ?? stoppedAt;
    const shown = median(finite(window.filter((s) => s.t <= upTo).map((s) => s.v)));
    if (Number.isFinite(shown)) {
      severityValue = check.direction === "decrease" ? 1 - shown : shown;
      severity = severityFor(severityValue, spec.severityBands);
      reason = `${reason}; ${severity} from the window median ${check.direction === "decrease" ? "error share " : ""}${fmt(severityValue)} up to detection`;
    }
  }
  return {
    name: check.name,
    query: state.query,
    critical: check.critical,
    verdict,
    noData,
    reason,
    severity,
    stats: judged.stats,
    detectedAt: state.detectedAt,
    baseline: state.baselineSamples,
    window,
    absoluteLimit: check.absoluteLimit,
    relativeLimit: check.relativeLimit,
    errorRate: check.errorRate,
    direction: check.direction,
    warnings: state.warnings,
    ...(control ? { controlQuery: control.query } : {}),
    references: refs.uses,
    severityValue,
  };
}

/** Why a window judged by the history's bar passes. */
function historyPass(state: CheckState): string {
  const h = state.history!;
  const most = Number.isFinite(state.historyMost) ? fmt(Math.max(state.historyMost, 0)) : "0";
  return `the window moved at most ${most} robust deviations from the baseline, within what ${HISTORY_LEVEL_TEXT} of ${h.stretches} stretches of the past ${formatDays(h.spanSeconds)} did (${fmt(h.bar)}, z-threshold ${fmt(state.spec.zThreshold)})`;
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
    return `${s.spec.name}=${value} (baseline ${base}) breaches ${s.streak}/${spec.failureLimit}${err}`;
  });
  return `[+${formatDuration(t - spec.deployTime)}] ${parts.join(" | ")}`;
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
