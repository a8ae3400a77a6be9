// The one configuration schema of the deploy gate. Every option is declared here once, with its
// kebab-case name (Action input, CLI flag and checks-YAML key alike), its description, its default
// (taken from core/defaults.ts, never restated) and where it may be given. The CLI's flags and help,
// the Action's inputs (checked against action.yml by a test) and the checks-YAML keys derive from it.
import { z } from "zod";
import {
  CHECK_DEFAULTS,
  DEFAULT_SEASONALITY,
  ERROR_RATE_MIN_DELTA,
  GATE_DEFAULTS,
  HISTORY_LEVEL_TEXT,
  makeCheck,
  SOURCE_DEFAULTS,
  SOURCE_KINDS,
} from "../gate/defaults.js";
import { formatDays, formatDuration } from "../text/duration.js";
import { DEFAULT_SEVERITY_BANDS } from "../gate/severity.js";
import type { SeverityBand } from "../gate/types.js";
import {
  choice,
  count,
  duration,
  flag,
  fraction,
  namedChoice,
  positiveCount,
  seasonality,
  historySetting,
  severityBands,
  text,
} from "./values.js";

/**
 * - `source`: where the metrics come from (CLI flag and Action input, not part of the gate);
 * - `check`: one check's setting: a checks-YAML key, and an input/flag for the single-check form;
 * - `gate`: applies to every check of the gate: an input/flag, never a checks-YAML key.
 */
export type OptionLevel = "source" | "check" | "gate";
/** Where an option can be given. */
export type Surface = "cli" | "action" | "yaml";
/** Sections of `aftershock check --help`. */
export type HelpGroup = "source" | "check" | "checks" | "timing" | "policy";

export interface OptionMeta {
  level: OptionLevel;
  /** One or two sentences for the help and action.yml. */
  description: string;
  /** The default as a user would write it, derived from core/defaults.ts; absent when there is none. */
  default?: string;
  surfaces: readonly Surface[];
  /** The CLI flag's value placeholder (PROMQL, DURATION, …); absent for a boolean switch. */
  arg?: string;
  /** The CLI's wording when it differs from the Action's (the CLI's --checks names a file). */
  cliDescription?: string;
  help: HelpGroup;
}

/** The metadata of every option, keyed by its zod type (zod 4's typed registry). */
export const optionMeta = z.registry<OptionMeta>();

const ALL: readonly Surface[] = ["cli", "action", "yaml"];
const FLAG_AND_INPUT: readonly Surface[] = ["cli", "action"];
const YAML_ONLY: readonly Surface[] = ["yaml"];

function option<T extends z.ZodType>(type: T, meta: OptionMeta): T {
  optionMeta.add(type as z.ZodType, meta);
  return type;
}
// The level follows from the group an option is declared in, so the two cannot disagree.
const sourceOption = <T extends z.ZodType>(type: T, meta: Omit<OptionMeta, "level">) =>
  option(type, { ...meta, level: "source" });
const checkOption = <T extends z.ZodType>(type: T, meta: Omit<OptionMeta, "level">) =>
  option(type, { ...meta, level: "check" });
const gateOption = <T extends z.ZodType>(type: T, meta: Omit<OptionMeta, "level">) =>
  option(type, { ...meta, level: "gate" });

const num = (n: number) => String(n);
const bool = (b: boolean) => String(b);

/** "P1:>5%,P2:1%,P3:0": the bands the way `severity-bands` takes them. */
export function formatSeverityBands(bands: readonly SeverityBand[]): string {
  const pct = (min: number) => (min === 0 ? "0" : `${Number((min * 100).toPrecision(12))}%`);
  return bands.map((b) => `${b.severity}:${b.exclusive ? ">" : ""}${pct(b.min)}`).join(",");
}

/** Where the metrics come from: not part of the gate, but a flag and an input alike. */
export const SOURCE_OPTIONS = {
  "prometheus-url": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "URL",
    help: "source",
    description:
      "Prometheus (or any Prometheus-compatible API) base URL, e.g. https://prometheus.example.com",
  }),
  "metrics-file": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "FILE",
    help: "source",
    description: "offline source instead of Prometheus: a query_range JSON response or OpenMetrics text",
  }),
  timeout: sourceOption(duration("timeout"), {
    surfaces: FLAG_AND_INPUT,
    arg: "DURATION",
    help: "source",
    description: "per-request timeout",
    default: formatDuration(SOURCE_DEFAULTS.timeoutSeconds),
  }),
  "prometheus-sigv4": sourceOption(flag(), {
    surfaces: FLAG_AND_INPUT,
    help: "source",
    description:
      "sign Prometheus requests with AWS SigV4 (Amazon Managed Service for Prometheus; automatic for aps-workspaces URLs)",
  }),
  "datadog-site": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "SITE",
    help: "source",
    description:
      "Datadog site: datadoghq.com (the default), datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com or ddog-gov.com; keys from DD_API_KEY and DD_APPLICATION_KEY",
  }),
  "datadog-endpoint": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "URL",
    help: "source",
    description: "Datadog API URL instead of https://api.<site> (a proxy)",
  }),
  "aws-region": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "REGION",
    help: "source",
    description:
      "AWS region of CloudWatch or Managed Prometheus (else AWS_REGION); credentials from the AWS chain: environment, web identity (GitHub OIDC), profile, role",
  }),
  "cloudwatch-endpoint": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "URL",
    help: "source",
    description: "CloudWatch endpoint instead of https://monitoring.<region>.amazonaws.com (a VPC endpoint)",
  }),
  "newrelic-account-id": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "ID",
    help: "source",
    description: "New Relic account the NRQL runs in; the user key (NRAK-…) from NEW_RELIC_API_KEY",
  }),
  "newrelic-region": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "R",
    help: "source",
    description: "New Relic data region: us (the default) or eu",
  }),
  "newrelic-endpoint": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "URL",
    help: "source",
    description: "NerdGraph URL instead of the region's (a proxy)",
  }),
  "json-url": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "TEMPLATE",
    help: "source",
    description:
      "JSON source URL with {{query}}, {{start}}, {{end}}, {{step}}, {{startMs}}, {{endMs}}, {{startIso}}, {{endIso}} (URL-encoded)",
  }),
  "json-method": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "M",
    help: "source",
    description: "JSON source method: GET, or POST (the default with a body)",
  }),
  "json-body": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "TEMPLATE",
    help: "source",
    description: "JSON source body, with the same variables (JSON-escaped)",
  }),
  "json-timestamps": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "SELECTOR",
    help: "source",
    description: "JSON source selector of the timestamps (Unix s or ms, ISO 8601), e.g. $.points[*][0]",
  }),
  "json-values": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "SELECTOR",
    help: "source",
    description: "JSON source selector of the values, e.g. $.points[*][1]",
  }),
  "json-series": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "SELECTOR",
    help: "source",
    description: "JSON source selector of several series; json-timestamps and json-values then start at each",
  }),
  "json-label": sourceOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "SELECTOR",
    help: "source",
    description: "JSON source selector of a series' name, with json-series",
  }),
} as const;

/** One check's settings: every one is a checks-YAML key; most are also a flag and an input for the single check. */
export const CHECK_OPTIONS = {
  query: checkOption(text("a check needs a query (PromQL)"), {
    surfaces: ALL,
    arg: "PROMQL",
    help: "check",
    description: "the query; {{service}}, {{environment}} and {{version}} are filled in (escaped)",
  }),
  source: checkOption(choice(SOURCE_KINDS), {
    surfaces: ALL,
    arg: "KIND",
    help: "check",
    description:
      "where the query runs: prometheus (the default), datadog, cloudwatch, newrelic, json or file; as a flag or input with checks, the source of every check that names none",
  }),
  "control-query": checkOption(text(), {
    surfaces: ALL,
    arg: "PROMQL",
    help: "check",
    description:
      "the control read over the same window (the stable version, or the part of the fleet not yet deployed): the check is judged canary versus control; templated like the query",
  }),
  name: checkOption(text(), {
    surfaces: ALL,
    arg: "NAME",
    help: "check",
    description: "the check's name",
    default: makeCheck({ query: "" }).name,
  }),
  direction: checkOption(choice(["increase", "decrease"]), {
    surfaces: ALL,
    arg: "D",
    help: "check",
    description: "increase: a rise is bad (errors, latency); decrease: a fall is bad (orders, throughput)",
    default: CHECK_DEFAULTS.direction,
  }),
  "absolute-limit": checkOption(fraction(), {
    surfaces: ALL,
    arg: "N",
    help: "check",
    description: "fail beyond this value, e.g. 0.05 for a 5 % error ratio",
  }),
  "relative-limit": checkOption(fraction(), {
    surfaces: ALL,
    arg: "N",
    help: "check",
    description: "fail beyond this change from the baseline, e.g. 50% or 0.5",
  }),
  "error-rate": checkOption(flag(), {
    surfaces: ALL,
    help: "check",
    description: "the query is an error ratio: a failure gets a severity P1-P3 from severity-bands",
    default: bool(CHECK_DEFAULTS.errorRate),
  }),
  aggregate: checkOption(choice(["sum", "avg", "max", "min"]), {
    surfaces: ALL,
    arg: "F",
    help: "check",
    description: "fold several series with sum, avg, max or min (otherwise several series are an error)",
  }),
  "traffic-query": checkOption(text(), {
    surfaces: ALL,
    arg: "PROMQL",
    help: "check",
    description: "request rate; samples below min-traffic count as no data",
  }),
  "min-traffic": checkOption(fraction(), {
    surfaces: ALL,
    arg: "N",
    help: "check",
    description: "minimum traffic for a sample to count",
    default: num(CHECK_DEFAULTS.minTraffic),
  }),
  "min-samples": checkOption(count(), {
    surfaces: ALL,
    arg: "N",
    help: "check",
    description: 'fewer usable samples than this in a window is "no data"',
    default: num(CHECK_DEFAULTS.minSamples),
  }),
  critical: checkOption(flag(), {
    surfaces: YAML_ONLY,
    help: "checks",
    description: "false: a failure of this check is reported but does not fail the gate",
    default: bool(CHECK_DEFAULTS.critical),
  }),
  alpha: checkOption(fraction(), {
    surfaces: YAML_ONLY,
    help: "checks",
    description: "significance level of the window-versus-baseline test",
    default: num(CHECK_DEFAULTS.alpha),
  }),
  "min-effect": checkOption(fraction(), {
    surfaces: YAML_ONLY,
    help: "checks",
    description: "a significant shift smaller than this fraction of the baseline is ignored",
    default: num(CHECK_DEFAULTS.minEffect),
  }),
  "min-delta": checkOption(fraction(), {
    surfaces: YAML_ONLY,
    help: "checks",
    description: `a shift smaller than this, in the query's unit, is ignored (${ERROR_RATE_MIN_DELTA} for an error-rate check)`,
    default: num(CHECK_DEFAULTS.minDelta),
  }),
  "z-threshold": checkOption(fraction(), {
    surfaces: YAML_ONLY,
    help: "checks",
    description: "robust z-score above which a single sample breaches",
    default: num(CHECK_DEFAULTS.zThreshold),
  }),
} as const;

/** Settings of the whole gate: flags and inputs, never per check. */
export const GATE_OPTIONS = {
  checks: gateOption(z.string(), {
    surfaces: FLAG_AND_INPUT,
    arg: "FILE",
    help: "checks",
    description: "several checks as a YAML list, with the single-check keys plus the per-check keys below",
    cliDescription: "YAML file with a list of checks: the single-check keys above, plus",
  }),

  "deploy-time": gateOption(z.string(), {
    surfaces: FLAG_AND_INPUT,
    arg: "TIME",
    help: "timing",
    description: 'when the deploy happened: ISO 8601, Unix seconds or "now"',
    default: "now",
  }),
  baseline: gateOption(duration("baseline"), {
    surfaces: FLAG_AND_INPUT,
    arg: "DURATION",
    help: "timing",
    description: "baseline before the deploy",
    default: formatDuration(GATE_DEFAULTS.baselineSeconds),
  }),
  window: gateOption(duration("window"), {
    surfaces: FLAG_AND_INPUT,
    arg: "DURATION",
    help: "timing",
    description: "watch window after the deploy",
    default: formatDuration(GATE_DEFAULTS.windowSeconds),
  }),
  step: gateOption(duration("step"), {
    surfaces: FLAG_AND_INPUT,
    arg: "DURATION",
    help: "timing",
    description: "poll interval and query step",
    default: formatDuration(GATE_DEFAULTS.stepSeconds),
  }),
  "failure-limit": gateOption(positiveCount("failure-limit"), {
    surfaces: FLAG_AND_INPUT,
    arg: "N",
    help: "timing",
    description: "fail early after this many consecutive breaching samples",
    default: num(GATE_DEFAULTS.failureLimit),
  }),
  "query-delay": gateOption(duration("query-delay", { zero: true }), {
    surfaces: FLAG_AND_INPUT,
    arg: "DURATION",
    help: "timing",
    description: "read each step this long after its time, for backends that ingest late (remote write)",
    default: formatDuration(GATE_DEFAULTS.queryDelaySeconds),
  }),
  seasonality: gateOption(seasonality("seasonality"), {
    surfaces: FLAG_AND_INPUT,
    arg: "S",
    help: "timing",
    description:
      "also compare with the same clock window earlier: auto (a day and a week back, where the source has data), off, or offsets like 1d,7d (at most 4, at most 5 weeks back)",
    default: DEFAULT_SEASONALITY,
  }),

  history: gateOption(historySetting("history"), {
    surfaces: FLAG_AND_INPUT,
    arg: "D",
    help: "timing",
    description: `how much of the metric's past to learn the bar from: a window fails when it moves further from its baseline than ${HISTORY_LEVEL_TEXT} of the past stretches did, and not usual against an earlier day or week; off to judge by the baseline alone (at most 5 weeks; capped at 10,000 steps)`,
    default: formatDays(GATE_DEFAULTS.history),
  }),

  "on-no-data": gateOption(namedChoice("on-no-data", ["inconclusive", "pass", "fail"]), {
    surfaces: FLAG_AND_INPUT,
    arg: "P",
    help: "policy",
    description: "what no data means: inconclusive, pass or fail",
    default: GATE_DEFAULTS.onNoData,
  }),
  "severity-bands": gateOption(severityBands(), {
    surfaces: FLAG_AND_INPUT,
    arg: "B",
    help: "policy",
    description: "severity of a failed error-rate check by its value",
    default: formatSeverityBands(DEFAULT_SEVERITY_BANDS),
  }),
  service: gateOption(z.string(), {
    surfaces: FLAG_AND_INPUT,
    arg: "S",
    help: "policy",
    description: "template value for {{service}}",
  }),
  environment: gateOption(z.string(), {
    surfaces: FLAG_AND_INPUT,
    arg: "E",
    help: "policy",
    description: "template value for {{environment}}; the Action also picks the deployment to mark by it",
  }),
  version: gateOption(z.string(), {
    surfaces: FLAG_AND_INPUT,
    arg: "V",
    help: "policy",
    description: "template value for {{version}}",
  }),
  "dashboard-url": gateOption(text(), {
    surfaces: FLAG_AND_INPUT,
    arg: "URL",
    help: "policy",
    description:
      "a dashboard linked from the job summary (and the CLI's report); {{service}}, {{environment}} and {{version}} are filled in URL-encoded, {{from}} and {{to}} with the baseline's start and the window's end in Unix milliseconds (as Grafana takes them)",
  }),
} as const;

/** Every option, in the order of the help and of action.yml. */
export const OPTIONS = { ...SOURCE_OPTIONS, ...CHECK_OPTIONS, ...GATE_OPTIONS };
export type OptionName = keyof typeof OPTIONS;
export type CheckOptionName = keyof typeof CHECK_OPTIONS;
export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

/** The metadata of one option (every option is registered, so this never misses). */
export function metaOf(name: OptionName): OptionMeta {
  return optionMeta.get(OPTIONS[name])!;
}

/** The options that can be given on a surface, in schema order. */
export function optionsOn(surface: Surface, level?: OptionLevel): OptionName[] {
  return OPTION_NAMES.filter(
    (n) => metaOf(n).surfaces.includes(surface) && (level === undefined || metaOf(n).level === level),
  );
}

/** The keys of one check in checks YAML. */
export const CHECK_KEYS = Object.keys(CHECK_OPTIONS) as CheckOptionName[];
/** The single check's inputs and flags besides `query` (the Action reads them when `query` is set). */
export const SINGLE_CHECK_INPUTS = optionsOn("action", "check").filter(
  (n) => n !== "query",
) as CheckOptionName[];
/** The gate's inputs besides the metric source, in action.yml's order: the Action reads exactly these. */
export const GATE_INPUT_NAMES = OPTION_NAMES.filter(
  (n) => metaOf(n).level !== "source" && metaOf(n).surfaces.includes("action"),
);

const optionalShape = <T extends Record<string, z.ZodType>>(options: T) =>
  Object.fromEntries(Object.entries(options).map(([k, t]) => [k, t.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };

/** One check of a checks YAML file: every check key optional but the query; unknown keys are refused. */
export const checkSchema = z.object({ ...optionalShape(CHECK_OPTIONS), query: CHECK_OPTIONS.query }).strict();
export type CheckInput = z.infer<typeof checkSchema>;

/** The gate-level settings, parsed from their raw strings; each message names its setting. */
export const gateSchema = z.object(optionalShape(GATE_OPTIONS)).strict();
export type GateValues = z.output<typeof gateSchema>;

/** Every option's raw value as it arrives from an input or a flag (empty means unset). */
export type GateInputs = { [K in OptionName]?: string };
