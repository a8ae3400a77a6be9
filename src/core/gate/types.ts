// Shared vocabulary of the check engine. Pure types: no I/O, no imports from other folders.

export type Direction = "increase" | "decrease";
export type Verdict = "pass" | "fail" | "inconclusive";
export type NoDataPolicy = "inconclusive" | "pass" | "fail";
export type Severity = "P1" | "P2" | "P3";
/** How several series returned by one query are folded into one. */
export type Aggregation = "sum" | "avg" | "max" | "min";

/** One point of a series. `t` is Unix time in seconds; `v` may be NaN (0/0) or ±Inf. */
export interface Sample {
  t: number;
  v: number;
}

export interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}

export interface RangeResult {
  series: Series[];
  /** Prometheus warnings, verbatim. */
  warnings: string[];
}

/** Where a check's metrics come from. */
export type SourceKind = "prometheus" | "datadog" | "cloudwatch" | "newrelic" | "json" | "file";

/** One source of metrics (Prometheus over HTTP, a file, ...), the way Argo Rollouts keeps one provider per module. */
export interface MetricSource {
  /** A human-readable name for progress lines and reports. */
  readonly name: string;
  /** Evaluate `query` over [start, end] (Unix seconds, inclusive) every `step` seconds. */
  queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult>;
  /** A set of sources hands a check with its own `source` the one of that kind. */
  forKind?(kind: SourceKind): MetricSource;
}

/** A severity band for failed error-rate checks: `severity` applies when the value is >= `min` (> when `exclusive`). */
export interface SeverityBand {
  severity: Severity;
  min: number;
  exclusive?: boolean;
}

export interface CheckSpec {
  name: string;
  /** PromQL, templated with {{service}}, {{environment}}, {{version}}. */
  query: string;
  /** Where the query runs; the gate's default source when unset. */
  source?: SourceKind;
  /** The stable version, or the part of the fleet not yet deployed, read over the same window (canary vs control). */
  controlQuery?: string;
  /** `increase`: a rise is bad (errors, latency); `decrease`: a fall is bad (orders, throughput). */
  direction: Direction;
  /** Fail when the watch value crosses this absolute limit (in the bad direction). */
  absoluteLimit?: number;
  /** Fail when the watch value moves more than this fraction from the baseline (0.5 = +50 %). */
  relativeLimit?: number;
  /** A failed critical check fails the gate; a failed non-critical one is reported but only warns. */
  critical: boolean;
  /** How to fold several series into one; without it, several series are an error. */
  aggregate?: Aggregation;
  /** Marks an error-ratio check: its failure gets a severity from the bands. */
  errorRate: boolean;
  /** Fewer numeric samples than this in a window means "no data". */
  minSamples: number;
  /** Optional query for request rate; below `minTraffic` a sample counts as no data. */
  trafficQuery?: string;
  minTraffic: number;
  /** One-sided Mann–Whitney significance level. */
  alpha: number;
  /** Effect-size floor: a significant shift smaller than this fraction of the baseline is ignored. */
  minEffect: number;
  /** Absolute floor for the shift (in the query's unit): the one that speaks over a zero baseline. */
  minDelta: number;
  /** Robust z-score (median/MAD) above which a single sample breaches. */
  zThreshold: number;
}

export interface GateSpec {
  checks: CheckSpec[];
  /** Unix seconds. */
  deployTime: number;
  baselineSeconds: number;
  windowSeconds: number;
  stepSeconds: number;
  /** Fail early after this many consecutive breaching samples of a critical check. */
  failureLimit: number;
  /**
   * How long after a step's time to read it (a live gate): backends that ingest late (remote write)
   * need a moment before their newest point is complete.
   */
  queryDelaySeconds: number;
  onNoData: NoDataPolicy;
  /** Same clock window earlier in time as extra references: "auto" (a day and a week, where the source has data), "off", or offsets in seconds. */
  seasonality: "auto" | "off" | number[];
  /**
   * How much of the metric's past (seconds) to learn the bar from, or "off": a window fails when it
   * moves further from its baseline than almost every past stretch did (history.ts).
   */
  history: "off" | number;
  vars: TemplateVars;
  severityBands: SeverityBand[];
}

export interface TemplateVars {
  service?: string;
  environment?: string;
  version?: string;
}

/** Statistics of one check once the window is judged. */
export interface CheckStats {
  baselineMedian: number | null;
  windowMedian: number | null;
  /** (window − baseline) / |baseline|, or null when the baseline is 0 or missing. */
  change: number | null;
  pValue: number | null;
  /** Robust z-score of the window median against the baseline. */
  zScore: number | null;
  baselineSamples: number;
  windowSamples: number;
}

/** One reference a check was compared with, and whether it could be used (and why not). */
export interface ReferenceUse {
  /** "baseline", "a day earlier", "a week earlier", "<duration> earlier", "control". */
  name: string;
  /** How far back the reference's clock window is (0 for the baseline and the control). */
  offsetSeconds: number;
  used: boolean;
  why: string;
}

export interface CheckResult {
  name: string;
  query: string;
  critical: boolean;
  verdict: Verdict;
  /** True when the verdict comes from the no-data policy rather than from data. */
  noData: boolean;
  reason: string;
  severity: Severity | null;
  stats: CheckStats;
  /** Unix seconds of the sample that completed `failureLimit` consecutive breaches, if any. */
  detectedAt: number | null;
  baseline: Sample[];
  window: Sample[];
  absoluteLimit?: number;
  /** The check's relative limit (a fraction of the baseline), for the summary's limit line. */
  relativeLimit?: number;
  /** An error-ratio check: shown in percent. */
  errorRate?: boolean;
  direction: Direction;
  warnings: string[];
  /** The control query as sent (templated), when the check has one. */
  controlQuery?: string;
  /** The references the window was compared with: the baseline, seasonal windows, the control. */
  references: ReferenceUse[];
  /** The figure that set the severity (the window median up to detection), when there is one. */
  severityValue: number | null;
}

export interface GateReport {
  verdict: Verdict;
  severity: Severity | null;
  /** Unix seconds when the live gate failed (or would have, when backtesting). */
  detectedAt: number | null;
  deployTime: number;
  baselineSeconds: number;
  windowSeconds: number;
  stepSeconds: number;
  backtest: boolean;
  reason: string;
  checks: CheckResult[];
}
