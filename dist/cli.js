#!/usr/bin/env node
import { createRequire as __aftershockCreateRequire } from 'node:module'; const require = __aftershockCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/core/text/duration.ts
function parseDuration(text3, what = "duration") {
  const s = String(text3).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return positive(Number(s), what, text3);
  if (/^-\d/.test(s)) throw new Error(`${what} "${text3}" must be greater than zero`);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(
      `${what} "${text3}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`
    );
  }
  return positive(total, what, text3);
}
function positive(seconds, what, text3) {
  if (!(seconds > 0)) throw new Error(`${what} "${text3}" must be greater than zero`);
  return seconds;
}
function formatDuration(seconds) {
  const sign = seconds < 0 ? "-" : "";
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return "0s";
  const parts = [];
  for (const [unit, size] of [
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ]) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return sign + parts.join("");
}
function formatDays(seconds) {
  return seconds % 86400 === 0 ? `${seconds / 86400}d` : formatDuration(seconds);
}
var UNITS;
var init_duration = __esm({
  "src/core/text/duration.ts"() {
    "use strict";
    UNITS = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  }
});

// src/core/gate/severity.ts
function severityFor(value, bands = DEFAULT_SEVERITY_BANDS) {
  const sorted2 = [...bands].sort((a, b) => b.min - a.min || Number(!!b.exclusive) - Number(!!a.exclusive));
  for (const band of sorted2) if (band.exclusive ? value > band.min : value >= band.min) return band.severity;
  return sorted2.at(-1)?.severity ?? "P3";
}
function worstSeverity(severities) {
  let worst = null;
  for (const s of severities) if (s && (!worst || SEVERITY_RANK[s] < SEVERITY_RANK[worst])) worst = s;
  return worst;
}
function parseSeverityBands(text3) {
  const bands = text3.split(",").map((part) => {
    const m = /^\s*(P[123])\s*:\s*(>?)\s*([0-9.eE+-]+%?)\s*$/.exec(part);
    if (!m) throw new Error(`severity band "${part.trim()}" must look like P1:>0.05, P2:0.01 or P2:1%`);
    const raw = m[3];
    const min = raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(min) || min < 0)
      throw new Error(`severity band "${part.trim()}" needs a number >= 0`);
    return { severity: m[1], min, exclusive: m[2] === ">" };
  });
  return bands;
}
var DEFAULT_SEVERITY_BANDS, SEVERITY_RANK;
var init_severity = __esm({
  "src/core/gate/severity.ts"() {
    "use strict";
    DEFAULT_SEVERITY_BANDS = [
      { severity: "P1", min: 0.05, exclusive: true },
      { severity: "P2", min: 0.01 },
      { severity: "P3", min: 0 }
    ];
    SEVERITY_RANK = { P1: 1, P2: 2, P3: 3 };
  }
});

// src/core/gate/defaults.ts
function makeCheck(partial) {
  const check = { name: partial.name ?? "check", ...CHECK_DEFAULTS, ...stripUndefined(partial) };
  if (partial.minDelta === void 0 && check.errorRate) check.minDelta = ERROR_RATE_MIN_DELTA;
  return check;
}
function makeGate(partial) {
  return {
    ...GATE_DEFAULTS,
    vars: {},
    severityBands: [...DEFAULT_SEVERITY_BANDS],
    ...stripUndefined(partial)
  };
}
function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0));
}
var SOURCE_KINDS, CHECK_DEFAULTS, ERROR_RATE_MIN_DELTA, MIN_EFFECTIVE_BASELINE, T_DEGREES_OF_FREEDOM, DEFAULT_HISTORY_SECONDS, HISTORY_LEVEL, HISTORY_LEVEL_TEXT, MIN_HISTORY_STRETCHES, DEFAULT_SEASONALITY, GATE_DEFAULTS, SOURCE_DEFAULTS;
var init_defaults = __esm({
  "src/core/gate/defaults.ts"() {
    "use strict";
    init_severity();
    SOURCE_KINDS = [
      "prometheus",
      "datadog",
      "cloudwatch",
      "newrelic",
      "json",
      "file"
    ];
    CHECK_DEFAULTS = {
      direction: "increase",
      critical: true,
      errorRate: false,
      minSamples: 5,
      minTraffic: 0,
      alpha: 5e-3,
      minEffect: 0.2,
      minDelta: 0,
      zThreshold: 3
    };
    ERROR_RATE_MIN_DELTA = 1e-3;
    MIN_EFFECTIVE_BASELINE = 2;
    T_DEGREES_OF_FREEDOM = (nEff) => nEff;
    DEFAULT_HISTORY_SECONDS = 7 * 86400;
    HISTORY_LEVEL = 0.985;
    HISTORY_LEVEL_TEXT = `${Number((HISTORY_LEVEL * 100).toFixed(1))} %`;
    MIN_HISTORY_STRETCHES = 300;
    DEFAULT_SEASONALITY = "auto";
    GATE_DEFAULTS = {
      baselineSeconds: 30 * 60,
      windowSeconds: 10 * 60,
      stepSeconds: 30,
      failureLimit: 3,
      queryDelaySeconds: 0,
      onNoData: "inconclusive",
      seasonality: DEFAULT_SEASONALITY,
      history: DEFAULT_HISTORY_SECONDS
    };
    SOURCE_DEFAULTS = {
      /** Per request to Prometheus; a slow query is retried, then the gate is inconclusive. */
      timeoutSeconds: 10
    };
  }
});

// src/core/errors.ts
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
var ConfigError;
var init_errors = __esm({
  "src/core/errors.ts"() {
    "use strict";
    ConfigError = class extends Error {
      name = "ConfigError";
    };
  }
});

// src/core/config/values.ts
import { z } from "zod";
var MAX_SEASONAL_OFFSETS, MAX_SEASONAL_OFFSET_SECONDS, MAX_HISTORY_SECONDS, text, choice, fraction, flag, count, duration, namedChoice, positiveCount, severityBands, seasonality, historySetting;
var init_values = __esm({
  "src/core/config/values.ts"() {
    "use strict";
    init_duration();
    init_severity();
    init_errors();
    MAX_SEASONAL_OFFSETS = 4;
    MAX_SEASONAL_OFFSET_SECONDS = 35 * 86400;
    MAX_HISTORY_SECONDS = MAX_SEASONAL_OFFSET_SECONDS;
    text = (missing = "must not be empty") => z.string(missing).min(1, missing);
    choice = (values) => z.enum(values);
    fraction = () => z.union([z.number(), z.string()]).transform((raw, ctx) => {
      if (typeof raw === "number") return raw;
      const m = /^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)\s*$/i.exec(raw);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `expected a number or a percentage like 50%, got "${raw}"` });
        return z.NEVER;
      }
      return m[2] ? Number(m[1]) / 100 : Number(m[1]);
    });
    flag = () => z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      ctx.addIssue({ code: "custom", message: `expected true or false, got "${raw}"` });
      return z.NEVER;
    });
    count = () => z.union([z.number(), z.string()]).transform((raw, ctx) => {
      const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: "custom", message: `expected a whole number, got "${raw}"` });
        return z.NEVER;
      }
      return n;
    });
    duration = (name, { zero = false } = {}) => z.string().transform((raw, ctx) => {
      if (zero && /^\s*0+(\.0*)?(ms|s|m|h|d|w)?\s*$/.test(raw)) return 0;
      try {
        return parseDuration(raw, name);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: errorMessage(err) });
        return z.NEVER;
      }
    });
    namedChoice = (name, values) => z.string().transform((raw, ctx) => {
      if (values.includes(raw)) return raw;
      ctx.addIssue({ code: "custom", message: `${name} "${raw}" must be one of ${values.join(", ")}` });
      return z.NEVER;
    });
    positiveCount = (name) => z.string().transform((raw, ctx) => {
      if (/^[1-9]\d*$/.test(raw)) return Number(raw);
      ctx.addIssue({ code: "custom", message: `${name} "${raw}" must be a whole number of at least 1` });
      return z.NEVER;
    });
    severityBands = () => z.string().transform((raw, ctx) => {
      try {
        return parseSeverityBands(raw);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: errorMessage(err) });
        return z.NEVER;
      }
    });
    seasonality = (name) => z.string().transform((raw, ctx) => {
      const v = raw.trim().toLowerCase();
      if (v === "auto" || v === "off") return v;
      const fail = (why) => {
        ctx.addIssue({ code: "custom", message: `${name} "${raw}" ${why}` });
        return z.NEVER;
      };
      const parts = v.split(",").map((p) => p.trim());
      if (parts.some((p) => p === ""))
        return fail("must be auto, off, or durations separated by commas like 1d,7d");
      const offsets = [];
      for (const part of parts) {
        try {
          offsets.push(parseDuration(part, "offset"));
        } catch (err) {
          return fail(`must be auto, off, or durations like 1d,7d: ${errorMessage(err)}`);
        }
      }
      if (offsets.length > MAX_SEASONAL_OFFSETS)
        return fail(`lists ${offsets.length} offsets: at most ${MAX_SEASONAL_OFFSETS}`);
      const tooFar = offsets.find((s) => s > MAX_SEASONAL_OFFSET_SECONDS);
      if (tooFar !== void 0)
        return fail(
          `reaches ${formatDays(tooFar)} back: at most ${formatDays(MAX_SEASONAL_OFFSET_SECONDS)} (5 weeks)`
        );
      const sorted2 = [...offsets].sort((a, b) => a - b);
      if (sorted2.some((s, i) => i > 0 && s === sorted2[i - 1])) return fail("lists the same offset twice");
      return sorted2;
    });
    historySetting = (name) => z.string().transform((raw, ctx) => {
      const v = raw.trim().toLowerCase();
      if (v === "off") return v;
      const fail = (why) => {
        ctx.addIssue({ code: "custom", message: `${name} "${raw}" ${why}` });
        return z.NEVER;
      };
      let seconds;
      try {
        seconds = parseDuration(v, name);
      } catch (err) {
        return fail(`must be off or a duration like 7d: ${errorMessage(err)}`);
      }
      if (!(seconds > 0)) return fail("must be longer than 0s (or off)");
      if (seconds > MAX_HISTORY_SECONDS)
        return fail(
          `reaches ${formatDays(seconds)} back: at most ${formatDays(MAX_HISTORY_SECONDS)} (5 weeks)`
        );
      return seconds;
    });
  }
});

// src/core/config/schema.ts
import { z as z2 } from "zod";
function option(type, meta) {
  optionMeta.add(type, meta);
  return type;
}
function formatSeverityBands(bands) {
  const pct2 = (min) => min === 0 ? "0" : `${Number((min * 100).toPrecision(12))}%`;
  return bands.map((b) => `${b.severity}:${b.exclusive ? ">" : ""}${pct2(b.min)}`).join(",");
}
function metaOf(name) {
  return optionMeta.get(OPTIONS[name]);
}
function optionsOn(surface, level) {
  return OPTION_NAMES.filter(
    (n) => metaOf(n).surfaces.includes(surface) && (level === void 0 || metaOf(n).level === level)
  );
}
var optionMeta, ALL, FLAG_AND_INPUT, YAML_ONLY, sourceOption, checkOption, gateOption, num, bool, SOURCE_OPTIONS, CHECK_OPTIONS, GATE_OPTIONS, OPTIONS, OPTION_NAMES, CHECK_KEYS, SINGLE_CHECK_INPUTS, GATE_INPUT_NAMES, optionalShape, checkSchema, gateSchema;
var init_schema = __esm({
  "src/core/config/schema.ts"() {
    "use strict";
    init_defaults();
    init_duration();
    init_severity();
    init_values();
    optionMeta = z2.registry();
    ALL = ["cli", "action", "yaml"];
    FLAG_AND_INPUT = ["cli", "action"];
    YAML_ONLY = ["yaml"];
    sourceOption = (type, meta) => option(type, { ...meta, level: "source" });
    checkOption = (type, meta) => option(type, { ...meta, level: "check" });
    gateOption = (type, meta) => option(type, { ...meta, level: "gate" });
    num = (n) => String(n);
    bool = (b) => String(b);
    SOURCE_OPTIONS = {
      "prometheus-url": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "URL",
        help: "source",
        description: "Prometheus (or any Prometheus-compatible API) base URL, e.g. https://prometheus.example.com"
      }),
      "metrics-file": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "FILE",
        help: "source",
        description: "offline source instead of Prometheus: a query_range JSON response or OpenMetrics text"
      }),
      timeout: sourceOption(duration("timeout"), {
        surfaces: FLAG_AND_INPUT,
        arg: "DURATION",
        help: "source",
        description: "per-request timeout",
        default: formatDuration(SOURCE_DEFAULTS.timeoutSeconds)
      }),
      "prometheus-sigv4": sourceOption(flag(), {
        surfaces: FLAG_AND_INPUT,
        help: "source",
        description: "sign Prometheus requests with AWS SigV4 (Amazon Managed Service for Prometheus; automatic for aps-workspaces URLs)"
      }),
      "datadog-site": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "SITE",
        help: "source",
        description: "Datadog site: datadoghq.com (the default), datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com or ddog-gov.com; keys from DD_API_KEY and DD_APPLICATION_KEY"
      }),
      "datadog-endpoint": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "URL",
        help: "source",
        description: "Datadog API URL instead of https://api.<site> (a proxy)"
      }),
      "aws-region": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "REGION",
        help: "source",
        description: "AWS region of CloudWatch or Managed Prometheus (else AWS_REGION); credentials from the AWS chain: environment, web identity (GitHub OIDC), profile, role"
      }),
      "cloudwatch-endpoint": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "URL",
        help: "source",
        description: "CloudWatch endpoint instead of https://monitoring.<region>.amazonaws.com (a VPC endpoint)"
      }),
      "newrelic-account-id": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "ID",
        help: "source",
        description: "New Relic account the NRQL runs in; the user key (NRAK-\u2026) from NEW_RELIC_API_KEY"
      }),
      "newrelic-region": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "R",
        help: "source",
        description: "New Relic data region: us (the default) or eu"
      }),
      "newrelic-endpoint": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "URL",
        help: "source",
        description: "NerdGraph URL instead of the region's (a proxy)"
      }),
      "json-url": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "TEMPLATE",
        help: "source",
        description: "JSON source URL with {{query}}, {{start}}, {{end}}, {{step}}, {{startMs}}, {{endMs}}, {{startIso}}, {{endIso}} (URL-encoded)"
      }),
      "json-method": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "M",
        help: "source",
        description: "JSON source method: GET, or POST (the default with a body)"
      }),
      "json-body": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "TEMPLATE",
        help: "source",
        description: "JSON source body, with the same variables (JSON-escaped)"
      }),
      "json-timestamps": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "SELECTOR",
        help: "source",
        description: "JSON source selector of the timestamps (Unix s or ms, ISO 8601), e.g. $.points[*][0]"
      }),
      "json-values": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "SELECTOR",
        help: "source",
        description: "JSON source selector of the values, e.g. $.points[*][1]"
      }),
      "json-series": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "SELECTOR",
        help: "source",
        description: "JSON source selector of several series; json-timestamps and json-values then start at each"
      }),
      "json-label": sourceOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "SELECTOR",
        help: "source",
        description: "JSON source selector of a series' name, with json-series"
      })
    };
    CHECK_OPTIONS = {
      query: checkOption(text("a check needs a query (PromQL)"), {
        surfaces: ALL,
        arg: "PROMQL",
        help: "check",
        description: "the query; {{service}}, {{environment}} and {{version}} are filled in (escaped)"
      }),
      source: checkOption(choice(SOURCE_KINDS), {
        surfaces: ALL,
        arg: "KIND",
        help: "check",
        description: "where the query runs: prometheus (the default), datadog, cloudwatch, newrelic, json or file; as a flag or input with checks, the source of every check that names none"
      }),
      "control-query": checkOption(text(), {
        surfaces: ALL,
        arg: "PROMQL",
        help: "check",
        description: "the control read over the same window (the stable version, or the part of the fleet not yet deployed): the check is judged canary versus control; templated like the query"
      }),
      name: checkOption(text(), {
        surfaces: ALL,
        arg: "NAME",
        help: "check",
        description: "the check's name",
        default: makeCheck({ query: "" }).name
      }),
      direction: checkOption(choice(["increase", "decrease"]), {
        surfaces: ALL,
        arg: "D",
        help: "check",
        description: "increase: a rise is bad (errors, latency); decrease: a fall is bad (orders, throughput)",
        default: CHECK_DEFAULTS.direction
      }),
      "absolute-limit": checkOption(fraction(), {
        surfaces: ALL,
        arg: "N",
        help: "check",
        description: "fail beyond this value, e.g. 0.05 for a 5 % error ratio"
      }),
      "relative-limit": checkOption(fraction(), {
        surfaces: ALL,
        arg: "N",
        help: "check",
        description: "fail beyond this change from the baseline, e.g. 50% or 0.5"
      }),
      "error-rate": checkOption(flag(), {
        surfaces: ALL,
        help: "check",
        description: "the query is an error ratio: a failure gets a severity P1-P3 from severity-bands",
        default: bool(CHECK_DEFAULTS.errorRate)
      }),
      aggregate: checkOption(choice(["sum", "avg", "max", "min"]), {
        surfaces: ALL,
        arg: "F",
        help: "check",
        description: "fold several series with sum, avg, max or min (otherwise several series are an error)"
      }),
      "traffic-query": checkOption(text(), {
        surfaces: ALL,
        arg: "PROMQL",
        help: "check",
        description: "request rate; samples below min-traffic count as no data"
      }),
      "min-traffic": checkOption(fraction(), {
        surfaces: ALL,
        arg: "N",
        help: "check",
        description: "minimum traffic for a sample to count",
        default: num(CHECK_DEFAULTS.minTraffic)
      }),
      "min-samples": checkOption(count(), {
        surfaces: ALL,
        arg: "N",
        help: "check",
        description: 'fewer usable samples than this in a window is "no data"',
        default: num(CHECK_DEFAULTS.minSamples)
      }),
      critical: checkOption(flag(), {
        surfaces: YAML_ONLY,
        help: "checks",
        description: "false: a failure of this check is reported but does not fail the gate",
        default: bool(CHECK_DEFAULTS.critical)
      }),
      alpha: checkOption(fraction(), {
        surfaces: YAML_ONLY,
        help: "checks",
        description: "significance level of the window-versus-baseline test",
        default: num(CHECK_DEFAULTS.alpha)
      }),
      "min-effect": checkOption(fraction(), {
        surfaces: YAML_ONLY,
        help: "checks",
        description: "a significant shift smaller than this fraction of the baseline is ignored",
        default: num(CHECK_DEFAULTS.minEffect)
      }),
      "min-delta": checkOption(fraction(), {
        surfaces: YAML_ONLY,
        help: "checks",
        description: `a shift smaller than this, in the query's unit, is ignored (${ERROR_RATE_MIN_DELTA} for an error-rate check)`,
        default: num(CHECK_DEFAULTS.minDelta)
      }),
      "z-threshold": checkOption(fraction(), {
        surfaces: YAML_ONLY,
        help: "checks",
        description: "robust z-score above which a single sample breaches",
        default: num(CHECK_DEFAULTS.zThreshold)
      })
    };
    GATE_OPTIONS = {
      checks: gateOption(z2.string(), {
        surfaces: FLAG_AND_INPUT,
        arg: "FILE",
        help: "checks",
        description: "several checks as a YAML list, with the single-check keys plus the per-check keys below",
        cliDescription: "YAML file with a list of checks: the single-check keys above, plus"
      }),
      "deploy-time": gateOption(z2.string(), {
        surfaces: FLAG_AND_INPUT,
        arg: "TIME",
        help: "timing",
        description: 'when the deploy happened: ISO 8601, Unix seconds or "now"',
        default: "now"
      }),
      baseline: gateOption(duration("baseline"), {
        surfaces: FLAG_AND_INPUT,
        arg: "DURATION",
        help: "timing",
        description: "baseline before the deploy",
        default: formatDuration(GATE_DEFAULTS.baselineSeconds)
      }),
      window: gateOption(duration("window"), {
        surfaces: FLAG_AND_INPUT,
        arg: "DURATION",
        help: "timing",
        description: "watch window after the deploy",
        default: formatDuration(GATE_DEFAULTS.windowSeconds)
      }),
      step: gateOption(duration("step"), {
        surfaces: FLAG_AND_INPUT,
        arg: "DURATION",
        help: "timing",
        description: "poll interval and query step",
        default: formatDuration(GATE_DEFAULTS.stepSeconds)
      }),
      "failure-limit": gateOption(positiveCount("failure-limit"), {
        surfaces: FLAG_AND_INPUT,
        arg: "N",
        help: "timing",
        description: "fail early after this many consecutive breaching samples",
        default: num(GATE_DEFAULTS.failureLimit)
      }),
      "query-delay": gateOption(duration("query-delay", { zero: true }), {
        surfaces: FLAG_AND_INPUT,
        arg: "DURATION",
        help: "timing",
        description: "read each step this long after its time, for backends that ingest late (remote write)",
        default: formatDuration(GATE_DEFAULTS.queryDelaySeconds)
      }),
      seasonality: gateOption(seasonality("seasonality"), {
        surfaces: FLAG_AND_INPUT,
        arg: "S",
        help: "timing",
        description: "also compare with the same clock window earlier: auto (a day and a week back, where the source has data), off, or offsets like 1d,7d (at most 4, at most 5 weeks back)",
        default: DEFAULT_SEASONALITY
      }),
      history: gateOption(historySetting("history"), {
        surfaces: FLAG_AND_INPUT,
        arg: "D",
        help: "timing",
        description: `how much of the metric's past to learn the bar from: a window fails when it moves further from its baseline than ${HISTORY_LEVEL_TEXT} of the past stretches did, and not usual against an earlier day or week; off to judge by the baseline alone (at most 5 weeks; capped at 10,000 steps)`,
        default: formatDays(GATE_DEFAULTS.history)
      }),
      "on-no-data": gateOption(namedChoice("on-no-data", ["inconclusive", "pass", "fail"]), {
        surfaces: FLAG_AND_INPUT,
        arg: "P",
        help: "policy",
        description: "what no data means: inconclusive, pass or fail",
        default: GATE_DEFAULTS.onNoData
      }),
      "severity-bands": gateOption(severityBands(), {
        surfaces: FLAG_AND_INPUT,
        arg: "B",
        help: "policy",
        description: "severity of a failed error-rate check by its value",
        default: formatSeverityBands(DEFAULT_SEVERITY_BANDS)
      }),
      service: gateOption(z2.string(), {
        surfaces: FLAG_AND_INPUT,
        arg: "S",
        help: "policy",
        description: "template value for {{service}}"
      }),
      environment: gateOption(z2.string(), {
        surfaces: FLAG_AND_INPUT,
        arg: "E",
        help: "policy",
        description: "template value for {{environment}}; the Action also picks the deployment to mark by it"
      }),
      version: gateOption(z2.string(), {
        surfaces: FLAG_AND_INPUT,
        arg: "V",
        help: "policy",
        description: "template value for {{version}}"
      }),
      "dashboard-url": gateOption(text(), {
        surfaces: FLAG_AND_INPUT,
        arg: "URL",
        help: "policy",
        description: "a dashboard linked from the job summary (and the CLI's report); {{service}}, {{environment}} and {{version}} are filled in URL-encoded, {{from}} and {{to}} with the baseline's start and the window's end in Unix milliseconds (as Grafana takes them)"
      })
    };
    OPTIONS = { ...SOURCE_OPTIONS, ...CHECK_OPTIONS, ...GATE_OPTIONS };
    OPTION_NAMES = Object.keys(OPTIONS);
    CHECK_KEYS = Object.keys(CHECK_OPTIONS);
    SINGLE_CHECK_INPUTS = optionsOn("action", "check").filter(
      (n) => n !== "query"
    );
    GATE_INPUT_NAMES = OPTION_NAMES.filter(
      (n) => metaOf(n).level !== "source" && metaOf(n).surfaces.includes("action")
    );
    optionalShape = (options) => Object.fromEntries(Object.entries(options).map(([k, t]) => [k, t.optional()]));
    checkSchema = z2.object({ ...optionalShape(CHECK_OPTIONS), query: CHECK_OPTIONS.query }).strict();
    gateSchema = z2.object(optionalShape(GATE_OPTIONS)).strict();
  }
});

// src/core/gate/template.ts
function escapePromQLString(value) {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
function listNames(names) {
  const quoted = names.map((n) => `{{${n}}}`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : quoted[0] ?? "";
}
function fillPlaceholders(text3, what, values, names, encode, makeError = (m) => new Error(m)) {
  return text3.replace(PLACEHOLDER, (_, name) => {
    if (!names.includes(name))
      throw makeError(`${what} uses {{${name}}}, which is not known: use ${listNames(names)}`);
    const value = values[name];
    if (value === void 0 || value === "") {
      throw makeError(`${what} uses {{${name}}} but no ${name} was given: set the ${name} input (--${name})`);
    }
    return encode(value);
  });
}
function renderQuery(query, vars) {
  return fillPlaceholders(query, "query", { ...vars }, TEMPLATE_VAR_NAMES, escapePromQLString);
}
var PLACEHOLDER, TEMPLATE_VAR_NAMES;
var init_template = __esm({
  "src/core/gate/template.ts"() {
    "use strict";
    PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;
    TEMPLATE_VAR_NAMES = [
      "service",
      "environment",
      "version"
    ];
  }
});

// src/core/config/did-you-mean.ts
function editDistance(a, b) {
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_2, j) => i === 0 ? j : j === 0 ? i : 0)
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}
function closest(word, valid) {
  const w = word.toLowerCase();
  let best;
  let bestDistance = Infinity;
  for (const name of valid) {
    const distance = editDistance(w, name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  if (best !== void 0 && bestDistance <= Math.max(1, Math.floor(w.length / 3))) return best;
  return w.length >= 4 ? valid.find((name) => name.toLowerCase().includes(w)) : void 0;
}
var init_did_you_mean = __esm({
  "src/core/config/did-you-mean.ts"() {
    "use strict";
  }
});

// src/core/config/gate-config.ts
import { parse as parseYaml } from "yaml";
import { z as z3 } from "zod";
function unknownCheckKey(key) {
  const known = OPTION_NAMES.find((n) => n === key);
  if (known && metaOf(known).level !== "check") {
    return `"${key}" is a setting of the whole gate, not of one check: give it as an input or flag`;
  }
  const near = closest(key, CHECK_KEYS);
  const hint = near === void 0 ? "" : ` (did you mean "${near}"?)`;
  return `unknown key "${key}"${hint}; the keys of a check are ${CHECK_KEYS.join(", ")}`;
}
function explain(error, where) {
  return error.issues.flatMap((i) => {
    const path = i.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("");
    if (i.code === "unrecognized_keys") return i.keys.map((k) => `${where}${path}: ${unknownCheckKey(k)}`);
    return [`${where}${path}: ${i.message}`];
  }).join("\n");
}
function toCheck(input, index) {
  return makeCheck({
    name: input.name ?? (index === 0 ? void 0 : `check-${index + 1}`),
    query: input.query,
    source: input.source,
    controlQuery: input["control-query"],
    direction: input.direction,
    absoluteLimit: input["absolute-limit"],
    relativeLimit: input["relative-limit"],
    critical: input.critical,
    errorRate: input["error-rate"],
    aggregate: input.aggregate,
    trafficQuery: input["traffic-query"],
    minTraffic: input["min-traffic"],
    minSamples: input["min-samples"],
    alpha: input.alpha,
    minEffect: input["min-effect"],
    minDelta: input["min-delta"],
    zThreshold: input["z-threshold"]
  });
}
function parseChecksYaml(text3, where = "checks") {
  let doc;
  try {
    doc = parseYaml(text3);
  } catch (err) {
    throw new ConfigError(`${where} is not valid YAML: ${errorMessage(err)}`);
  }
  const top = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? doc : null;
  const extra = top && "checks" in top ? Object.keys(top).filter((k) => k !== "checks") : [];
  if (extra.length) {
    throw new ConfigError(
      `${where}: unknown key(s) ${extra.map((k) => `"${k}"`).join(", ")}: only "checks" is allowed at the top (gate settings such as window are inputs or flags, not YAML keys)`
    );
  }
  const typo = top && !("checks" in top) ? Object.keys(top).find((k) => closest(k, ["checks"])) : void 0;
  if (typo !== void 0) throw new ConfigError(`${where}: unknown key "${typo}" (did you mean "checks"?)`);
  const parsed = checkList.safeParse(top && "checks" in top ? top.checks : doc);
  if (!parsed.success) throw new ConfigError(explain(parsed.error, where));
  return parsed.data.map(toCheck);
}
function set(v) {
  return v === void 0 || v.trim() === "" ? void 0 : v.trim();
}
function parseTime(text3, now) {
  const v = set(text3);
  if (!v || v === "now") return Math.floor(now());
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError(
      `deploy-time "${v}" is not a time: use ISO 8601 like 2026-11-26T14:05:00Z, Unix seconds, or "now"`
    );
  }
  return ms / 1e3;
}
function gateValues(inputs) {
  const raw = Object.fromEntries(
    Object.keys(GATE_OPTIONS).flatMap((k) => {
      const v = set(inputs[k]);
      return v === void 0 ? [] : [[k, v]];
    })
  );
  const parsed = gateSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join("\n"));
  return parsed.data;
}
function buildGate(inputs, now = () => Date.now() / 1e3, nameOf = (key) => `input ${key}`) {
  const single = set(inputs.query);
  const many = set(inputs.checks);
  if (single && many) throw new ConfigError("give either a single query or checks, not both");
  if (!single && !many)
    throw new ConfigError("no check given: set query (one check) or checks (YAML list of checks)");
  let checks;
  if (many) {
    checks = parseChecksYaml(many);
  } else {
    const raw = Object.fromEntries(
      SINGLE_CHECK_INPUTS.map((k) => [k, set(inputs[k])]).filter(([, v]) => v !== void 0)
    );
    const parsed = checkSchema.safeParse({ ...raw, query: single });
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((i) => `${nameOf(String(i.path[0] ?? "query"))}: ${i.message}`).join("\n")
      );
    }
    checks = [toCheck(parsed.data, 0)];
  }
  const values = gateValues(inputs);
  const windowSeconds = values.window ?? GATE_DEFAULTS.windowSeconds;
  const tooClose = Array.isArray(values.seasonality) ? values.seasonality.find((s) => s < windowSeconds) : void 0;
  if (tooClose !== void 0) {
    throw new ConfigError(
      `seasonality offset ${formatDuration(tooClose)} is shorter than the window ${formatDuration(windowSeconds)}: the earlier window would overlap the deploy`
    );
  }
  const deployTime = parseTime(inputs["deploy-time"], now);
  if (deployTime > now() + MAX_CLOCK_SKEW_SECONDS) {
    const ahead = deployTime > 1e11 ? " (Unix time must be in seconds, not milliseconds)" : "";
    throw new ConfigError(
      `deploy-time ${new Date(Math.min(deployTime, 864e10) * 1e3).toISOString()} is in the future${ahead}: give the time the deploy happened`
    );
  }
  return makeGate({
    checks,
    deployTime,
    baselineSeconds: values.baseline,
    windowSeconds: values.window,
    stepSeconds: values.step,
    failureLimit: values["failure-limit"],
    queryDelaySeconds: values["query-delay"],
    onNoData: values["on-no-data"],
    seasonality: values.seasonality,
    history: values.history,
    severityBands: values["severity-bands"],
    vars: {
      service: set(inputs.service),
      environment: set(inputs.environment),
      version: set(inputs.version)
    }
  });
}
var checkList, MAX_CLOCK_SKEW_SECONDS;
var init_gate_config = __esm({
  "src/core/config/gate-config.ts"() {
    "use strict";
    init_defaults();
    init_did_you_mean();
    init_schema();
    init_duration();
    init_errors();
    checkList = z3.array(checkSchema, "expected a list of checks (or an object with a checks: list)");
    MAX_CLOCK_SKEW_SECONDS = 300;
  }
});

// src/core/gate/stats.ts
function finite(xs) {
  return xs.filter((x) => Number.isFinite(x));
}
function sorted(xs) {
  return Float64Array.from(xs).sort();
}
function hasNaN(xs) {
  return xs.some((x) => Number.isNaN(x));
}
function medianOfSorted(s) {
  const n = s.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
function median(xs) {
  if (xs.length === 0 || hasNaN(xs)) return NaN;
  return medianOfSorted(sorted(xs));
}
function quantile(xs, q) {
  if (!(q >= 0 && q <= 1)) {
    throw new RangeError(
      `quantile: q must be a number in [0, 1], got ${q}; pass 0.95 for the 95th percentile.`
    );
  }
  if (xs.length === 0 || hasNaN(xs)) return NaN;
  const s = sorted(xs);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  const t = pos - lo;
  const a = s[lo];
  const b = s[hi];
  if (t === 0 || a === b) return a;
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}
function mean(xs) {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}
function erfc(x) {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - 2 / SQRT_PI * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0;
  const tiny = 1e-300;
  let f2 = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f2 *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f2;
}
function normalSf(z11) {
  return 0.5 * erfc(z11 / SQRT2);
}
function mannWhitneyGreater(x, y, varianceInflation = 1) {
  const n1 = x.length;
  const n2 = y.length;
  const exactOk = n1 * n2 <= MWU_EXACT_MAX_CELLS && varianceInflation <= 1;
  if (n1 === 0 || n2 === 0 || hasNaN(x) || hasNaN(y)) {
    return { u: NaN, p: NaN, method: exactOk ? "exact" : "asymptotic" };
  }
  const xs = sorted(x);
  const ys = sorted(y);
  let u = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = Math.min(i < n1 ? xs[i] : Infinity, j < n2 ? ys[j] : Infinity);
    let a = 0;
    while (i < n1 && xs[i] === v) {
      i++;
      a++;
    }
    const yBelow = j;
    let b = 0;
    while (j < n2 && ys[j] === v) {
      j++;
      b++;
    }
    u += a * yBelow + a * b / 2;
    const t = a + b;
    tieTerm += t * t * t - t;
  }
  if (tieTerm === 0 && exactOk) {
    return { u, p: clamp01(exactSf(u, n1, n2)), method: "exact" };
  }
  const n = n1 + n2;
  const sd = Math.sqrt(n1 * n2 / 12 * (n + 1 - tieTerm / (n * (n - 1))) * Math.max(1, varianceInflation));
  if (!(sd > 0)) return { u, p: 1, method: "asymptotic" };
  const z11 = (u - n1 * n2 / 2 - 0.5) / sd;
  return { u, p: clamp01(normalSf(z11)), method: "asymptotic" };
}
function clamp01(p) {
  return Math.min(1, Math.max(0, p));
}
function exactSf(u, n1, n2) {
  const cells = n1 * n2;
  if (u <= 0) return 1;
  if (u > cells) return 0;
  const m = Math.min(n1, n2);
  const nb = Math.max(n1, n2);
  const upperViaLower = cells - u < u;
  const K = upperViaLower ? cells - u : u - 1;
  const c = new Float64Array(K + 1);
  c[0] = 1;
  for (let j = 1; j <= m; j++) {
    const big = nb + j;
    for (let k = K; k >= big; k--) c[k] -= c[k - big];
    for (let k = j; k <= K; k++) c[k] += c[k - j];
  }
  let below = 0;
  for (let k = 0; k <= K; k++) below += c[k];
  let total = 1;
  for (let k = 1; k <= m; k++) total = total * (nb + k) / k;
  const cdf = below / total;
  return upperViaLower ? cdf : 1 - cdf;
}
function hodgesLehmannShift(x, y) {
  if (x.length === 0 || y.length === 0 || hasNaN(x) || hasNaN(y)) return NaN;
  const d = new Float64Array(x.length * y.length);
  let k = 0;
  for (const xi of x) for (const yj of y) d[k++] = xi - yj;
  return medianOfSorted(d.sort());
}
function robustZ(value, baseline) {
  const m = median(baseline);
  if (Number.isNaN(m) || Number.isNaN(value)) return NaN;
  const dev = value - m;
  if (dev === 0) return 0;
  return dev / robustScale(baseline, m);
}
function robustScale(baseline, m = median(baseline)) {
  const absDev = baseline.map((b) => Math.abs(b - m));
  const scale = MAD_TO_SD * median(absDev);
  if (scale > 0) return scale;
  const meanAd = MEAN_AD_TO_SD * mean(absDev);
  return meanAd > 0 && Number.isFinite(meanAd) ? meanAd : 1e-9 * Math.max(1, Math.abs(m));
}
function lag1Autocorrelation(xs) {
  if (xs.length < 3) return NaN;
  const m = mean(xs);
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i] - m;
    den += d * d;
    if (i > 0) num2 += d * (xs[i - 1] - m);
  }
  return den > 0 ? num2 / den : NaN;
}
function logGamma(x) {
  const c = [
    0.9999999999998099,
    676.5203681218851,
    -1259.1392167224028,
    771.3234287776531,
    -176.6150291621406,
    12.507343278686905,
    -0.13857109526572012,
    9984369578019572e-21,
    15056327351493116e-23
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z11 = x - 1;
  let a = c[0];
  const t = z11 + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z11 + i);
  return 0.5 * Math.log(2 * Math.PI) + (z11 + 0.5) * Math.log(t) - t + Math.log(a);
}
function betaContinuedFraction(a, b, x) {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}
function incompleteBeta(x, a, b) {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? front * betaContinuedFraction(a, b, x) / a : 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}
function studentTSf(t, df) {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}
var MAD_TO_SD, MEAN_AD_TO_SD, SQRT2, SQRT_PI, MWU_EXACT_MAX_CELLS;
var init_stats = __esm({
  "src/core/gate/stats.ts"() {
    "use strict";
    MAD_TO_SD = 1.4826;
    MEAN_AD_TO_SD = 1.253314;
    SQRT2 = Math.SQRT2;
    SQRT_PI = Math.sqrt(Math.PI);
    MWU_EXACT_MAX_CELLS = 2500;
  }
});

// src/core/gate/judge.ts
function summarizeBaseline(values, rhoFloor = 0) {
  const clean = finite(values);
  return {
    values: clean,
    median: median(clean),
    scale: clean.length ? robustScale(clean) : NaN,
    noise: noiseInflation(clean, rhoFloor),
    nEff: effectiveSize(clean, rhoFloor),
    rhoFloor
  };
}
function overlapCorrelation(query, stepSeconds) {
  let longest = 0;
  for (const m of query.matchAll(/\[\s*((?:\d+(?:ms|s|m|h|d|w))+)\s*(?::[^\]]*)?\]/g)) {
    longest = Math.max(longest, parseDuration(m[1]));
  }
  return longest > stepSeconds ? 1 - stepSeconds / longest : 0;
}
function worse(direction, delta) {
  return direction === "increase" ? delta : -delta;
}
function relativeChange(value, baselineMedian) {
  if (!Number.isFinite(baselineMedian) || baselineMedian === 0) return null;
  return (value - baselineMedian) / Math.abs(baselineMedian);
}
function limitBreach(check, value, baseline) {
  const dir = check.direction;
  if (check.absoluteLimit !== void 0 && worse(dir, value - check.absoluteLimit) > 0) {
    return `${fmt(value)} is ${dir === "increase" ? "above" : "below"} the limit ${fmt(check.absoluteLimit)}`;
  }
  const change = baseline.values.length ? relativeChange(value, baseline.median) : null;
  if (check.relativeLimit !== void 0 && change !== null && worse(dir, change) > check.relativeLimit) {
    return `${fmt(value)} is ${pct(Math.abs(change))} ${dir === "increase" ? "above" : "below"} the baseline ${fmt(baseline.median)} (limit ${pct(check.relativeLimit)})`;
  }
  return null;
}
function deviationBreach(check, value, baseline, level, implied2 = level + (value - baseline.median)) {
  if (baseline.values.length === 0 || !Number.isFinite(baseline.noise)) return null;
  const z11 = worse(check.direction, zAgainst(value, baseline)) / baseline.noise;
  return unusual(z11, baseline.nEff, check.zThreshold) && effectLargeEnough(check, implied2, level) ? `${fmt(value)} is ${z11.toFixed(1)} robust deviations from the baseline ${fmt(baseline.median)}` : null;
}
function zAgainst(value, baseline) {
  if (Number.isNaN(value) || Number.isNaN(baseline.median)) return NaN;
  const dev = value - baseline.median;
  return dev === 0 ? 0 : dev / baseline.scale;
}
function unusual(z11, nEff, zThreshold) {
  if (!(z11 > zThreshold)) return false;
  const df = T_DEGREES_OF_FREEDOM(nEff);
  if (!(df > 0)) return false;
  return studentTSf(z11, df) < normalSf(zThreshold);
}
function effectLargeEnough(check, value, baselineMedian) {
  const delta = worse(check.direction, value - baselineMedian);
  if (!(delta > 0) || delta < check.minDelta) return false;
  const change = relativeChange(value, baselineMedian);
  return change === null || worse(check.direction, change) >= check.minEffect;
}
function judgeWindow(check, baseline, windowValues) {
  const win = windowValues.filter((v) => !Number.isNaN(v));
  const windowMedian = win.length ? median(win) : null;
  const baselineMedian = baseline.values.length ? baseline.median : null;
  const stats = {
    baselineMedian,
    windowMedian,
    change: windowMedian !== null && baselineMedian !== null ? relativeChange(windowMedian, baselineMedian) : null,
    pValue: null,
    zScore: null,
    baselineSamples: baseline.values.length,
    windowSamples: win.length
  };
  if (baseline.values.length < check.minSamples || win.length < check.minSamples) {
    const which = baseline.values.length < check.minSamples ? `the baseline has ${baseline.values.length}` : `the watch window has ${win.length}`;
    return {
      verdict: "no-data",
      reason: `no data: ${which} usable samples, fewer than min-samples ${check.minSamples} (empty result, NaN from zero traffic, or traffic below the minimum)`,
      stats
    };
  }
  const dir = check.direction;
  const better = dir === "increase" ? -Infinity : Infinity;
  if (win.includes(better)) {
    const shown3 = better > 0 ? "+Inf" : "-Inf";
    return {
      verdict: "inconclusive",
      reason: `the watch window has ${shown3} values, which the query cannot mean as better: check the query (a division by zero, a log of 0)`,
      stats
    };
  }
  const [worseSide, betterSide] = dir === "increase" ? [win, baseline.values] : [baseline.values, win];
  const { p } = mannWhitneyGreater(
    worseSide,
    betterSide,
    serialCorrelationInflation(baseline.values, baseline.rhoFloor)
  );
  stats.pValue = p;
  stats.zScore = robustZ(windowMedian, baseline.values);
  const breach = limitBreach(check, windowMedian, baseline);
  if (breach) return { verdict: "fail", reason: `window median ${breach}`, stats };
  const shift = worse(dir, hodgesLehmannShift(win, baseline.values));
  const effect = baseline.median !== 0 ? shift / Math.abs(baseline.median) : shift > 0 ? Infinity : 0;
  if (p < check.alpha && effect >= check.minEffect && shift >= check.minDelta) {
    return {
      verdict: "fail",
      reason: `significant ${dir} (Mann\u2013Whitney p=${p.toPrecision(2)}, shift ${pct(effect)} of the baseline, floor ${pct(check.minEffect)})`,
      stats
    };
  }
  const why = p < check.alpha ? `a significant but small shift (${pct(Math.max(effect, 0))}, below the floor ${pct(check.minEffect)})` : `no significant ${dir} (p=${p.toPrecision(2)})`;
  return { verdict: "pass", reason: why, stats };
}
function serialCorrelationInflation(baseline, rhoFloor = 0) {
  const raw = lag1Autocorrelation(baseline);
  const rho = Number.isFinite(raw) ? Math.max(raw, rhoFloor) : rhoFloor;
  if (!(rho > 0)) return 1;
  const r = Math.min(rho, 0.9);
  return (1 + r) / (1 - r);
}
function effectiveSize(values, rhoFloor = 0) {
  const n = values.length;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(hi)))) return n;
  const raw = lag1Autocorrelation(values);
  const estimate = Number.isFinite(raw) ? raw + (1 + 4 * raw) / n : -Infinity;
  const rho = Math.min(Math.max(estimate, rhoFloor), 0.9);
  return rho <= 0 ? n : n * (1 - rho) / (1 + rho);
}
function noiseInflation(values, rhoFloor = 0) {
  if (values.length === 0) return 1;
  const nEff = effectiveSize(values, rhoFloor);
  if (nEff < MIN_EFFECTIVE_BASELINE) return Infinity;
  return Math.sqrt((1 + 1 / nEff) / (1 - 1 / nEff));
}
function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}
function pct(fraction2) {
  if (!Number.isFinite(fraction2)) return "\u221E %";
  return `${Number((fraction2 * 100).toPrecision(3))} %`;
}
var init_judge = __esm({
  "src/core/gate/judge.ts"() {
    "use strict";
    init_stats();
    init_defaults();
    init_duration();
  }
});

// src/core/gate/references.ts
function comparison(name, residuals, expected, required = false, log = false, rhoFloor = 0) {
  return { name, base: summarizeBaseline(residuals, rhoFloor), expected, required, log };
}
function residual(c, value, expected) {
  return c.log ? Math.log(value) - Math.log(expected) : value - expected;
}
function allPositive(values) {
  for (const v of values) if (!(v > 0)) return false;
  return true;
}
function implied(c, r, level) {
  const d = r - c.base.median;
  return c.log ? level * Math.exp(d) : level + d;
}
function breachAgainstAll(check, comparisons, t, value, level) {
  const reasons = [];
  for (const c of comparisons) {
    const expected = c.expected(t);
    if (!Number.isFinite(expected)) {
      if (c.required) return null;
      continue;
    }
    const r = residual(c, value, expected);
    if (Number.isNaN(r)) continue;
    const why = deviationBreach(check, r, c.base, level, implied(c, r, level));
    if (!why) return null;
    reasons.push(c.name === "baseline" ? why : `against ${c.name}: ${why}`);
  }
  return reasons.length ? reasons.join("; ") : null;
}
function explainedBy(check, comparisons, t, value, level) {
  for (const c of comparisons) {
    const expected = c.expected(t);
    if (!Number.isFinite(expected)) continue;
    const r = residual(c, value, expected);
    if (Number.isNaN(r)) continue;
    if (!deviationBreach(check, r, c.base, level, implied(c, r, level))) return c;
  }
  return null;
}
function windowTest(check, c, window, level) {
  const residuals = window.map((s) => residual(c, s.v, c.expected(s.t))).filter((r) => !Number.isNaN(r) && Number.isFinite(r));
  if (residuals.length < check.minSamples || c.base.values.length < check.minSamples) return null;
  const base = c.base.values;
  const [hi, lo] = check.direction === "increase" ? [residuals, base] : [base, residuals];
  const { p } = mannWhitneyGreater(hi, lo, serialCorrelationInflation(base, c.base.rhoFloor));
  const hl = hodgesLehmannShift(residuals, base);
  const shift = worse(check.direction, c.log ? Math.abs(level) * (Math.exp(hl) - 1) : hl);
  const effect = level !== 0 ? shift / Math.abs(level) : shift > 0 ? Infinity : 0;
  return {
    name: c.name,
    p,
    effect,
    shift,
    significant: p < check.alpha,
    large: effect >= check.minEffect && shift >= check.minDelta
  };
}
function describeTest(t) {
  return `${t.name}: p=${t.p.toPrecision(2)}, shift ${pct(Math.max(t.effect, 0))}`;
}
function referenceUse(name, offsetSeconds, used, why) {
  return { name, offsetSeconds, used, why };
}
function judgeAgainstAll(check, comparisons, window, level) {
  const tests = comparisons.map((c) => windowTest(check, c, window, level)).filter((t) => t !== null);
  const dir = check.direction;
  if (tests.length === 0) return { verdict: "pass", reason: `no reference could judge the window`, p: null };
  const p = Math.max(...tests.map((t) => t.p));
  const explained = tests.find((t) => !(t.significant && t.large));
  const only = tests.length === 1 && tests[0].name === "baseline";
  if (!explained) {
    const t = tests[0];
    const reason2 = only ? `significant ${dir} (Mann\u2013Whitney p=${t.p.toPrecision(2)}, shift ${pct(t.effect)} of the baseline, floor ${pct(check.minEffect)})` : `significant ${dir} against ${tests.map(describeTest).join("; ")} (Mann\u2013Whitney, floor ${pct(check.minEffect)})`;
    return { verdict: "fail", reason: reason2, p };
  }
  const against = only ? "" : ` against ${explained.name}`;
  const reason = explained.significant ? `a significant but small shift${against} (${pct(Math.max(explained.effect, 0))}, below the floor ${pct(check.minEffect)})` : `no significant ${dir}${against} (p=${explained.p.toPrecision(2)})`;
  return { verdict: "pass", reason, p };
}
var init_references = __esm({
  "src/core/gate/references.ts"() {
    "use strict";
    init_judge();
    init_stats();
  }
});

// src/core/gate/control.ts
function controlComparison(check, canaryBaseline, controlBaseline, controlWindow, until, rhoFloor = 0) {
  const now = /* @__PURE__ */ new Map();
  for (const s of controlWindow) if (s.t <= until && Number.isFinite(s.v)) now.set(s.t, s.v);
  const before = /* @__PURE__ */ new Map();
  for (const s of controlBaseline) if (Number.isFinite(s.v)) before.set(s.t, s.v);
  const pairs = [];
  for (const s of canaryBaseline) {
    const c = before.get(s.t);
    if (c !== void 0 && Number.isFinite(s.v)) pairs.push([s.v, c]);
  }
  const log = allPositive(pairs.flat()) && allPositive(now.values());
  const residuals = pairs.map(([x, c]) => log ? Math.log(x / c) : x - c);
  const enough = now.size >= check.minSamples;
  const short = `the control has ${now.size} usable window samples`;
  if (residuals.length >= check.minSamples) {
    return {
      comparison: comparison(CONTROL, residuals, (t) => now.get(t) ?? NaN, true, log, rhoFloor),
      use: referenceUse(
        CONTROL,
        0,
        enough,
        enough ? "the canary \u2212 control difference against the same before the deploy" : short
      )
    };
  }
  if (!enough) return { comparison: null, use: referenceUse(CONTROL, 0, false, short) };
  return {
    comparison: comparison(CONTROL, [...now.values()], () => 0, true, false, rhoFloor),
    use: referenceUse(
      CONTROL,
      0,
      true,
      "the canary against the control's samples of the window (no paired baseline)"
    )
  };
}
function controlLevel(controlBaseline, controlWindow) {
  const before = finite(controlBaseline.map((s) => s.v));
  return median(before.length ? before : finite(controlWindow.map((s) => s.v)));
}
var CONTROL;
var init_control = __esm({
  "src/core/gate/control.ts"() {
    "use strict";
    init_stats();
    init_references();
    CONTROL = "control";
  }
});

// src/core/gate/seasonality.ts
function seasonalOffsets(setting) {
  if (setting === "off") return [];
  if (setting === "auto") return [DAY_SECONDS, WEEK_SECONDS];
  return [...new Set(setting)].sort((a, b) => a - b);
}
function offsetName(offsetSeconds) {
  if (offsetSeconds === DAY_SECONDS) return "a day earlier";
  if (offsetSeconds === WEEK_SECONDS) return "a week earlier";
  return `${formatDuration(offsetSeconds)} earlier`;
}
function seasonalRange(spec, offsetSeconds) {
  return [
    spec.deployTime - spec.baselineSeconds - offsetSeconds,
    spec.deployTime + spec.windowSeconds - offsetSeconds
  ];
}
function seasonalComparison(check, spec, offsetSeconds, earlier, baseline, rhoFloor = 0) {
  const name = offsetName(offsetSeconds);
  const shifted = /* @__PURE__ */ new Map();
  for (const s of earlier) if (Number.isFinite(s.v)) shifted.set(s.t + offsetSeconds, s.v);
  const baselineSteps = Math.floor(spec.baselineSeconds / spec.stepSeconds);
  const windowSteps = Math.floor(spec.windowSeconds / spec.stepSeconds);
  let inBaseline = 0;
  let inWindow = 0;
  for (const t of shifted.keys()) {
    if (t < spec.deployTime) inBaseline++;
    else if (t > spec.deployTime) inWindow++;
  }
  const residuals = [];
  for (const s of baseline) {
    const e = shifted.get(s.t);
    if (e !== void 0 && Number.isFinite(s.v)) residuals.push(s.v - e);
  }
  const need = (steps) => Math.max(check.minSamples, Math.ceil(steps / 2));
  let why = null;
  if (inBaseline < need(baselineSteps) || inWindow < need(windowSteps)) {
    why = `the source has ${inBaseline} baseline and ${inWindow} window samples then, fewer than half`;
  } else if (residuals.length < check.minSamples) {
    why = `only ${residuals.length} baseline samples line up with it`;
  }
  if (why) return { comparison: null, use: referenceUse(name, offsetSeconds, false, why) };
  return {
    comparison: comparison(name, residuals, (t) => shifted.get(t) ?? NaN, false, false, rhoFloor),
    use: referenceUse(
      name,
      offsetSeconds,
      true,
      `the change since the baseline is judged against the change ${name} (${inWindow} window samples)`
    )
  };
}
var DAY_SECONDS, WEEK_SECONDS;
var init_seasonality = __esm({
  "src/core/gate/seasonality.ts"() {
    "use strict";
    init_duration();
    init_references();
    DAY_SECONDS = 86400;
    WEEK_SECONDS = 7 * DAY_SECONDS;
  }
});

// src/core/gate/history.ts
function levelBucket(level) {
  if (level === 0 || !Number.isFinite(level)) return "0";
  return `${level < 0 ? "-" : "+"}${Math.floor(Math.log2(Math.abs(level)))}`;
}
function historySpan(spec) {
  if (spec.history === "off") return 0;
  const cap = MAX_HISTORY_POINTS * spec.stepSeconds - spec.baselineSeconds;
  return Math.max(0, Math.min(spec.history, cap));
}
function historyRange(spec, spanSeconds) {
  return [spec.deployTime - spanSeconds - spec.baselineSeconds, spec.deployTime - spec.stepSeconds];
}
function windowDeviation(check, baseline, windowMedian, typicalSpread) {
  if (Number.isNaN(windowMedian) || Number.isNaN(baseline.median)) return NaN;
  const delta = worse(check.direction, windowMedian - baseline.median);
  return delta === 0 ? 0 : delta / spreadOf(baseline.scale, typicalSpread);
}
function spreadOf(baselineScale, typicalSpread) {
  return Math.max(baselineScale, typicalSpread);
}
function learnHistory(check, spec, samples, spanSeconds) {
  const name = `the past ${formatDays(spanSeconds)}`;
  const { stepSeconds: step } = spec;
  const [start, end] = historyRange(spec, spanSeconds);
  const n = Math.floor((end - start) / step) + 1;
  const x = new Float64Array(n).fill(NaN);
  for (const s of samples) {
    const i = Math.round((s.t - start) / step);
    if (i >= 0 && i < n && Number.isFinite(s.v)) x[i] = s.v;
  }
  const B = Math.floor(spec.baselineSeconds / step);
  const W = Math.floor(spec.windowSeconds / step);
  const needBase = Math.max(check.minSamples, Math.ceil(B / 2));
  const stretches = [];
  const spreads = new LevelSpreads();
  const stride = Math.max(1, Math.ceil((n - B - W) / MAX_STRETCHES));
  for (let p = B; p + W < n; p += stride) {
    const base = finite(Array.from(x.subarray(p - B, p)));
    if (base.length < needBase) continue;
    const m = median(base);
    let most = -Infinity;
    const win = [];
    for (let k = 1; k <= W; k++) {
      const v = x[p + k];
      if (!Number.isFinite(v)) continue;
      insertSorted(win, v);
      most = Math.max(most, worse(check.direction, sortedMedian(win) - m));
    }
    if (win.length < Math.min(check.minSamples, W)) continue;
    const scale = robustScale(base, m);
    stretches.push({ most, level: m, scale });
    spreads.add(m, scale);
  }
  const furthest = stretches.map((s) => s.most / spreadOf(s.scale, spreads.at(s.level)));
  if (furthest.length < MIN_HISTORY_STRETCHES) {
    return {
      bar: null,
      use: referenceUse(
        name,
        spanSeconds,
        false,
        `the source has ${furthest.length} past stretches with data, fewer than ${MIN_HISTORY_STRETCHES}`
      )
    };
  }
  const bar = quantile(furthest, HISTORY_LEVEL);
  return {
    bar: { bar, spreads, stretches: furthest.length, spanSeconds },
    use: referenceUse(
      name,
      spanSeconds,
      true,
      `${furthest.length} past stretches: ${HISTORY_LEVEL_TEXT} moved at most ${fmt(bar)} robust deviations from their baselines (one robust deviation is at least the typical spread of past baselines at the same level)`
    )
  };
}
function historyBreach(check, history, baseline, windowMedian, samples, d = windowDeviation(check, baseline, windowMedian, history.spreads.at(baseline.median))) {
  if (baseline.values.length < check.minSamples || samples === 0) return null;
  const bar = Math.max(history.bar, check.zThreshold);
  if (!(d > bar) || !effectLargeEnough(check, windowMedian, baseline.median)) return null;
  const what = samples === 1 ? `${fmt(windowMedian)}` : `the window median ${fmt(windowMedian)}`;
  return `${what} is ${fmt(d)} robust deviations ${check.direction === "increase" ? "above" : "below"} the baseline ${fmt(baseline.median)}, further than ${HISTORY_LEVEL_TEXT} of ${history.stretches} stretches of the past ${formatDays(history.spanSeconds)} went (${fmt(history.bar)})`;
}
function insertSorted(xs, v) {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  xs.splice(lo, 0, v);
}
function sortedMedian(xs) {
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}
var MAX_HISTORY_POINTS, LevelSpreads, MIN_SIMILAR_STRETCHES, MAX_STRETCHES;
var init_history = __esm({
  "src/core/gate/history.ts"() {
    "use strict";
    init_duration();
    init_judge();
    init_stats();
    init_references();
    init_defaults();
    MAX_HISTORY_POINTS = 1e4;
    LevelSpreads = class {
      buckets = /* @__PURE__ */ new Map();
      typical = /* @__PURE__ */ new Map();
      add(level, spread) {
        const key = levelBucket(level);
        this.typical.clear();
        const list = this.buckets.get(key);
        if (list) list.push(spread);
        else this.buckets.set(key, [spread]);
      }
      /** The median spread of past baselines near `level`, or 0 when fewer than MIN_SIMILAR_STRETCHES are. */
      at(level) {
        const key = levelBucket(level);
        let typical = this.typical.get(key);
        if (typical === void 0) {
          const near = this.neighbours(key).flatMap((k) => this.buckets.get(k) ?? []);
          typical = near.length >= MIN_SIMILAR_STRETCHES ? median(near) : 0;
          this.typical.set(key, typical);
        }
        return typical;
      }
      /**
       * The bucket and the ones a factor of two either side. 0 has no factor of two: its neighbours are
       * the levels closest to it the metric has (a count at 0 is judged with its quietest nonzero hours).
       */
      neighbours(key) {
        if (key !== "0") {
          const sign = key[0];
          const e = Number(key.slice(1));
          return [`${sign}${e - 1}`, key, `${sign}${e + 1}`];
        }
        const out = [key];
        for (const sign of ["+", "-"]) {
          const exps = [...this.buckets.keys()].filter((k) => k[0] === sign).map((k) => Number(k.slice(1)));
          if (exps.length) out.push(`${sign}${Math.min(...exps)}`);
        }
        return out;
      }
    };
    MIN_SIMILAR_STRETCHES = 30;
    MAX_STRETCHES = 4e3;
  }
});

// src/core/gate/series.ts
function alignSeries(series, aggregate, check) {
  if (series.length === 0) return [];
  if (series.length === 1) return series[0].samples;
  if (!aggregate) {
    const shown3 = series.slice(0, MAX_LABELS_SHOWN).map((s) => labelText(s.labels));
    const more2 = series.length > MAX_LABELS_SHOWN ? ` and ${series.length - MAX_LABELS_SHOWN} more` : "";
    throw new ConfigError(
      `check "${check}": the query returned ${series.length} series (${shown3.join(", ")}${more2}); aggregate them in PromQL (e.g. sum(...)) or set aggregate: sum|avg|max|min on the check`
    );
  }
  const byTime = /* @__PURE__ */ new Map();
  for (const s of series) {
    for (const { t, v } of s.samples) {
      const values = byTime.get(t) ?? [];
      values.push(v);
      byTime.set(t, values);
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, values]) => ({ t, v: fold(values, aggregate) }));
}
function fold(values, how) {
  switch (how) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    // Like PromQL's max()/min(): NaN (0/0 from an idle series) is skipped unless every value is
    // NaN, so one idle pod cannot hide another pod's errors; sum/avg propagate NaN as PromQL does.
    case "max":
    case "min": {
      const numbers = values.filter((v) => !Number.isNaN(v));
      if (numbers.length === 0) return NaN;
      return how === "max" ? Math.max(...numbers) : Math.min(...numbers);
    }
  }
}
function labelText(labels2) {
  const body = Object.entries(labels2).map(([k, v]) => `${k}="${v}"`).join(", ");
  return `{${body}}`;
}
var MAX_LABELS_SHOWN;
var init_series = __esm({
  "src/core/gate/series.ts"() {
    "use strict";
    init_errors();
    MAX_LABELS_SHOWN = 3;
  }
});

// src/core/gate/gate.ts
async function runGate(spec, source, opts = {}) {
  validateGate(spec);
  const now = opts.now ?? (() => Date.now() / 1e3);
  const sleep3 = opts.sleep ?? realSleep;
  const progress = opts.onProgress ?? (() => {
  });
  const { deployTime: deploy, stepSeconds: step } = spec;
  const end = deploy + spec.windowSeconds;
  const backtest = end <= now();
  const grid = watchGrid(spec);
  const states = await Promise.all(spec.checks.map((check) => prepare(check, spec, source)));
  progress(
    `${backtest ? "backtest" : "watching"} ${spec.checks.length} check(s) from ${iso(deploy)} for ${formatDuration(spec.windowSeconds)} every ${formatDuration(step)}, baseline ${formatDuration(spec.baselineSeconds)}`
  );
  if (backtest) await Promise.all(states.map((s) => fetchWindow(s, source, spec, end)));
  let stoppedAt = end;
  let detectedAt = null;
  for (const t of grid) {
    if (!backtest) {
      const wait = t + spec.queryDelaySeconds - now();
      if (wait > 0) await sleep3(wait);
      await Promise.all(states.map((s) => fetchWindow(s, source, spec, t)));
    }
    for (const state of states) advance(state, spec, t);
    progress(progressLine(spec, states, t));
    const failed2 = states.find((s) => s.spec.critical && s.detectedAt !== null);
    if (failed2) {
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
    severity: verdict === "fail" ? worstSeverity(checks.filter((c) => c.critical && c.verdict === "fail").map((c) => c.severity)) : null,
    detectedAt,
    deployTime: deploy,
    baselineSeconds: spec.baselineSeconds,
    windowSeconds: spec.windowSeconds,
    stepSeconds: step,
    backtest,
    reason: gateReason(checks, verdict),
    checks
  };
}
function validateGate(spec) {
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
  const names = /* @__PURE__ */ new Set();
  const watchSamples = Math.floor(spec.windowSeconds / spec.stepSeconds);
  const baselineSamples = Math.floor(spec.baselineSeconds / spec.stepSeconds);
  for (const c of spec.checks) {
    if (names.has(c.name))
      throw new ConfigError(`two checks are named "${c.name}": give each check its own name`);
    names.add(c.name);
    validateCheck(c, watchSamples, baselineSamples);
  }
}
function validateCheck(c, watchSamples, baselineSamples) {
  const bad = (what) => {
    throw new ConfigError(`check "${c.name}": ${what}`);
  };
  if (!Number.isInteger(c.minSamples) || c.minSamples < 1)
    bad("min-samples must be a whole number of at least 1");
  if (c.relativeLimit !== void 0 && !(c.relativeLimit >= 0))
    bad("relative-limit must be 0 or more (it is a size of change, in the bad direction)");
  if (!(c.minEffect >= 0)) bad("min-effect must be 0 or more");
  if (!(c.minDelta >= 0)) bad("min-delta must be 0 or more");
  if (!(c.alpha > 0 && c.alpha < 1)) bad("alpha must be between 0 and 1, e.g. 0.01");
  if (!(c.zThreshold > 0)) bad("z-threshold must be greater than 0");
  if (watchSamples < c.minSamples) {
    bad(
      `the window holds ${watchSamples} samples (window / step), fewer than min-samples ${c.minSamples}: lengthen the window or shorten the step`
    );
  }
  if (baselineSamples < c.minSamples) {
    bad(
      `the baseline holds ${baselineSamples} samples (baseline / step), fewer than min-samples ${c.minSamples}: lengthen the baseline or shorten the step`
    );
  }
}
function watchGrid(spec) {
  const n = Math.floor(spec.windowSeconds / spec.stepSeconds);
  return Array.from({ length: n }, (_, i) => spec.deployTime + (i + 1) * spec.stepSeconds);
}
async function prepare(check, spec, source) {
  const state = {
    spec: check,
    query: render(check.query, spec, check.name),
    trafficQuery: check.trafficQuery ? render(check.trafficQuery, spec, check.name) : void 0,
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
    control: check.controlQuery ? {
      query: render(check.controlQuery, spec, check.name),
      baseline: [],
      window: [],
      seen: false,
      error: null
    } : null,
    seasonal: [],
    seasonalRefs: null,
    history: null,
    historyUse: null,
    historyMost: -Infinity,
    failedOnHistory: false
  };
  state.overlap = overlapCorrelation(state.query, spec.stepSeconds);
  await fetchBaseline(state, source, spec);
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
    })
  );
  await learnFromHistory(state, spec, source);
  return state;
}
async function learnFromHistory(state, spec, source) {
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
      `query failed: ${errorMessage(err)}`
    );
  }
}
async function fetchBaseline(state, source, spec) {
  const start = spec.deployTime - spec.baselineSeconds;
  const last = spec.deployTime - spec.stepSeconds;
  const samples = await read(state, source, start, last, spec.stepSeconds);
  if (samples) {
    state.baselineSamples = samples;
    state.baseline = summarizeBaseline(
      samples.map((s) => s.v),
      state.overlap
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
function render(query, spec, name) {
  try {
    return renderQuery(query, spec.vars);
  } catch (err) {
    throw new ConfigError(`check "${name}": ${errorMessage(err)}`);
  }
}
async function fetchWindow(state, source, spec, until) {
  if (state.baselineError !== null) await fetchBaseline(state, source, spec);
  const first = spec.deployTime + spec.stepSeconds;
  const samples = await read(state, source, first, until, spec.stepSeconds);
  if (samples) state.window = samples;
  if (state.control) {
    const control = await read(state, source, first, until, spec.stepSeconds, state.control);
    if (control) state.control.window = control;
  }
}
async function read(state, source, start, end, step, target = state) {
  try {
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
async function readRange(state, query, source, start, end, step, withTraffic) {
  const { spec } = state;
  try {
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
        return r !== void 0 && r >= spec.minTraffic ? s : { t: s.t, v: NaN };
      });
    }
    return { samples, series: result.series.length };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err;
    if (e.permanent === true || e.retryable === false) {
      throw new ConfigError(`check "${spec.name}": ${errorMessage(err)}`);
    }
    throw err;
  }
}
function assertSeriesExist(state, spec) {
  const vars = Object.entries(spec.vars).filter(([, v]) => v !== void 0 && v !== "").map(([k, v]) => `${k}="${v}"`);
  const values = vars.length ? `the template values (${vars.join(", ")})` : "the template values";
  const what = `check the metric name (a typo?), the label matchers and ${values}`;
  const failed2 = state.error !== null || state.baselineError !== null;
  if (!state.seen && !failed2) {
    throw new ConfigError(
      `check "${state.spec.name}": the query returned no series at all over the baseline and the window: ${state.query}: ${what}`
    );
  }
  const control = state.control;
  if (control && !control.seen && control.error === null) {
    throw new ConfigError(
      `check "${state.spec.name}": the control query returned no series at all over the baseline and the window: ${control.query}: ${what}`
    );
  }
}
function addWarnings(state, warnings2) {
  for (const w of warnings2) if (!state.warnings.includes(w)) state.warnings.push(w);
}
function referencesAt(state, spec, t) {
  const check = state.spec;
  const n = state.baseline.values.length;
  const hasBaseline = n >= check.minSamples;
  const comparisons = [];
  const uses = [
    referenceUse(
      "baseline",
      0,
      hasBaseline,
      hasBaseline ? `${n} samples before the deploy` : `${n} usable samples, fewer than min-samples ${check.minSamples}`
    )
  ];
  if (hasBaseline)
    comparisons.push({
      name: "baseline",
      base: state.baseline,
      expected: () => 0,
      required: true,
      log: false
    });
  const seasonal = seasonalReferences(state, spec, hasBaseline);
  comparisons.push(...seasonal.comparisons);
  uses.push(...seasonal.uses);
  if (state.historyUse) uses.push(state.historyUse);
  let level = state.baseline.median;
  if (state.control) {
    const c = state.control;
    const r = controlComparison(check, state.baselineSamples, c.baseline, c.window, t, state.overlap);
    uses.push(r.use);
    if (r.comparison) comparisons.push(r.comparison);
    if (!hasBaseline) level = controlLevel(c.baseline, c.window);
  }
  return { comparisons, uses, level };
}
function seasonalReferences(state, spec, hasBaseline) {
  if (state.seasonalRefs?.baseline === state.baselineSamples) return state.seasonalRefs;
  const comparisons = [];
  const uses = [];
  for (const earlier of state.seasonal) {
    if (!hasBaseline || earlier.error !== null) {
      const why = earlier.error !== null ? `query failed: ${earlier.error}` : "no baseline to line it up with";
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
      state.overlap
    );
    uses.push(r.use);
    if (r.comparison) comparisons.push(r.comparison);
  }
  state.seasonalRefs = { baseline: state.baselineSamples, comparisons, uses };
  return state.seasonalRefs;
}
function advance(state, spec, t) {
  const refs2 = referencesAt(state, spec, t);
  const seasonal = refs2.comparisons.filter((c) => c.name !== "baseline");
  state.streak = 0;
  const seen = [];
  for (const sample of state.window) {
    if (sample.t > t) break;
    if (Number.isNaN(sample.v)) continue;
    insertSorted(seen, sample.v);
    const limit = limitBreach(state.spec, sample.v, state.baseline);
    if (state.history && !limit && state.baseline.values.length >= state.spec.minSamples) {
      const windowMedian = sortedMedian(seen);
      const d = windowDeviation(
        state.spec,
        state.baseline,
        windowMedian,
        state.history.spreads.at(state.baseline.median)
      );
      state.historyMost = Math.max(state.historyMost, d);
      let why2 = historyBreach(state.spec, state.history, state.baseline, windowMedian, seen.length, d);
      if (why2 && explainedBy(state.spec, seasonal, sample.t, sample.v, refs2.level)) why2 = null;
      state.streak = 0;
      if (why2) {
        state.lastBreach = why2;
        if (state.detectedAt === null) {
          state.detectedAt = sample.t;
          state.failedOnHistory = true;
        }
      }
      continue;
    }
    const why = limit ?? breachAgainstAll(state.spec, refs2.comparisons, sample.t, sample.v, refs2.level);
    state.streak = why ? state.streak + 1 : 0;
    if (why) state.lastBreach = why;
    if (state.detectedAt === null && state.streak >= spec.failureLimit) state.detectedAt = sample.t;
  }
}
function finish(state, spec, stoppedAt) {
  const check = state.spec;
  const window = state.window.filter((s) => s.t <= stoppedAt);
  const refs2 = referencesAt(state, spec, stoppedAt);
  const judged = judgeWindow(
    check,
    state.baseline,
    window.map((s) => s.v)
  );
  const control = state.control;
  const controlUse = refs2.uses.find((u) => u.name === CONTROL);
  let verdict;
  let reason;
  let noData = false;
  const windowShort = judged.stats.windowSamples < check.minSamples;
  const cannotJudge = windowShort || refs2.comparisons.length === 0 || control !== null && controlUse?.used !== true;
  if (state.detectedAt !== null) {
    verdict = "fail";
    reason = state.failedOnHistory ? `${state.lastBreach}` : `${spec.failureLimit} consecutive samples breached; last: ${state.lastBreach}`;
  } else if (cannotJudge && stoppedEarly(state, spec, stoppedAt)) {
    verdict = "inconclusive";
    reason = `not judged: the gate stopped at +${formatDuration(stoppedAt - spec.deployTime)} when another check failed (${judged.stats.windowSamples} window samples)`;
  } else if (cannotJudge) {
    noData = true;
    verdict = spec.onNoData;
    let cause;
    const failure = state.baselineError ?? state.error;
    if (failure) cause = `query failed: ${failure}`;
    else if (!windowShort && control && controlUse?.used !== true) {
      cause = control.error ? `the control query failed: ${control.error} (${control.query})` : `no data: ${controlUse?.why ?? "no control samples"}, fewer than min-samples ${check.minSamples}, from the control query ${control.query}`;
    } else if (!windowShort && judged.verdict !== "no-data") {
      cause = `no data: no reference could judge the window`;
    } else cause = judged.reason;
    reason = `${cause} \u2192 ${spec.onNoData} (on-no-data policy)`;
  } else if (judged.verdict === "inconclusive") {
    verdict = "inconclusive";
    reason = judged.reason;
  } else {
    const limit = window.length ? limitBreach(check, judged.stats.windowMedian, state.baseline) : null;
    const j = limit ? { verdict: "fail", reason: `window median ${limit}`, p: judged.stats.pValue } : state.history ? { verdict: "pass", reason: historyPass(state), p: judged.stats.pValue } : judgeAgainstAll(check, refs2.comparisons, window, refs2.level);
    judged.stats.pValue = j.p;
    verdict = j.verdict;
    reason = j.reason;
    if (verdict === "pass" && (state.error !== null || control?.error != null)) {
      verdict = "inconclusive";
      reason = `${reason} over ${judged.stats.windowSamples} samples only: the last query failed (${state.error ?? control?.error})`;
    }
  }
  const used = refs2.uses.filter((u) => u.used).map((u) => u.name);
  if (!noData && used.length > 1) reason = `${reason} [references: ${used.join(", ")}]`;
  let severity2 = null;
  let severityValue = null;
  if (verdict === "fail" && !noData && check.errorRate) {
    const upTo = state.detectedAt ?? stoppedAt;
    const shown3 = median(finite(window.filter((s) => s.t <= upTo).map((s) => s.v)));
    if (Number.isFinite(shown3)) {
      severityValue = check.direction === "decrease" ? 1 - shown3 : shown3;
      severity2 = severityFor(severityValue, spec.severityBands);
      reason = `${reason}; ${severity2} from the window median ${check.direction === "decrease" ? "error share " : ""}${fmt(severityValue)} up to detection`;
    }
  }
  return {
    name: check.name,
    query: state.query,
    critical: check.critical,
    verdict,
    noData,
    reason,
    severity: severity2,
    stats: judged.stats,
    detectedAt: state.detectedAt,
    baseline: state.baselineSamples,
    window,
    absoluteLimit: check.absoluteLimit,
    relativeLimit: check.relativeLimit,
    errorRate: check.errorRate,
    direction: check.direction,
    warnings: state.warnings,
    ...control ? { controlQuery: control.query } : {},
    references: refs2.uses,
    severityValue
  };
}
function historyPass(state) {
  const h = state.history;
  const most = Number.isFinite(state.historyMost) ? fmt(Math.max(state.historyMost, 0)) : "0";
  return `the window moved at most ${most} robust deviations from the baseline, within what ${HISTORY_LEVEL_TEXT} of ${h.stretches} stretches of the past ${formatDays(h.spanSeconds)} did (${fmt(h.bar)}, z-threshold ${fmt(state.spec.zThreshold)})`;
}
function stoppedEarly(state, spec, stoppedAt) {
  const full = stoppedAt >= spec.deployTime + spec.windowSeconds;
  return !full && state.baseline.values.length >= state.spec.minSamples && state.error === null;
}
function gateVerdict(checks) {
  const critical = checks.filter((c) => c.critical);
  if (critical.some((c) => c.verdict === "fail")) return "fail";
  if (critical.some((c) => c.verdict === "inconclusive")) return "inconclusive";
  return "pass";
}
function gateReason(checks, verdict) {
  const lead = checks.filter((c) => c.critical && c.verdict === verdict);
  const warned = checks.filter((c) => !c.critical && c.verdict !== "pass");
  const parts = (lead.length ? lead : checks).map((c) => `${c.name}: ${c.reason}`);
  for (const c of warned) parts.push(`(non-critical) ${c.name}: ${c.verdict}: ${c.reason}`);
  return parts.join("; ");
}
function progressLine(spec, states, t) {
  const parts = states.map((s) => {
    const last = [...s.window].reverse().find((x) => x.t <= t);
    const value = last === void 0 ? "no data" : fmt(last.v);
    const base = s.baseline.values.length ? fmt(s.baseline.median) : "none";
    const err = s.error ? ` (query failed: ${s.error})` : "";
    return `${s.spec.name}=${value} (baseline ${base}) breaches ${s.streak}/${spec.failureLimit}${err}`;
  });
  return `[+${formatDuration(t - spec.deployTime)}] ${parts.join(" | ")}`;
}
function iso(unixSeconds) {
  return new Date(unixSeconds * 1e3).toISOString();
}
var realSleep;
var init_gate = __esm({
  "src/core/gate/gate.ts"() {
    "use strict";
    init_duration();
    init_errors();
    init_control();
    init_defaults();
    init_judge();
    init_references();
    init_seasonality();
    init_history();
    init_series();
    init_severity();
    init_stats();
    init_template();
    realSleep = (s) => new Promise((resolve3) => setTimeout(resolve3, s * 1e3));
  }
});

// src/core/gate/render-text.ts
function renderText(report) {
  const lines = [
    `verdict: ${report.verdict.toUpperCase()}${report.severity ? ` (${report.severity})` : ""}${report.backtest ? "  [backtest]" : ""}`
  ];
  if (report.detectedAt !== null) {
    lines.push(
      `detected at: ${new Date(report.detectedAt * 1e3).toISOString()} (+${formatDuration(report.detectedAt - report.deployTime)})`
    );
  }
  for (const c of report.checks) {
    const s = c.stats;
    lines.push(
      "",
      `\u25CF ${c.name}${c.critical ? "" : " (non-critical)"}: ${c.verdict}${c.severity ? ` ${c.severity}` : ""}`,
      `  baseline ${s.baselineMedian === null ? "\u2013" : fmt(s.baselineMedian)}  window ${s.windowMedian === null ? "\u2013" : fmt(s.windowMedian)}  change ${s.change === null ? "\u2013" : `${s.change >= 0 ? "+" : "\u2212"}${pct(Math.abs(s.change))}`}  p ${s.pValue === null ? "\u2013" : s.pValue.toPrecision(2)}`,
      `  ${c.reason}`,
      `  ${sparkline(c)}`
    );
  }
  return lines.join("\n") + "\n";
}
function sparkline(check) {
  const all = [...check.baseline, ...check.window].map((s) => s.v).filter(Number.isFinite);
  if (all.length === 0) return "(no data)";
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const bar = (v) => {
    if (!Number.isFinite(v)) return " ";
    const i = hi === lo ? 0 : Math.round((v - lo) / (hi - lo) * (BARS.length - 1));
    return BARS[i];
  };
  return `${check.baseline.map((s) => bar(s.v)).join("")}\u2502${check.window.map((s) => bar(s.v)).join("")}  (${fmt(lo)}\u2026${fmt(hi)})`;
}
var BARS;
var init_render_text = __esm({
  "src/core/gate/render-text.ts"() {
    "use strict";
    init_duration();
    init_judge();
    BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
  }
});

// src/core/text/markdown.ts
function truncate(text3, maxLength) {
  const chars = Array.from(text3);
  if (chars.length <= maxLength) return text3;
  if (maxLength <= 0) return "";
  return chars.slice(0, maxLength - 1).join("") + ELLIPSIS;
}
function defuseMentions(text3) {
  return text3.replace(/@/g, `@${ZWJ}`);
}
function escapeHtml(text3) {
  return text3.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function escapeMarkdown(text3, maxLength = 500) {
  const plain = truncate(String(text3 ?? "").replace(CONTROL2, ""), maxLength);
  const escaped = escapeHtml(plain).replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  return defuseMentions(escaped).replace(NEWLINES, "<br>");
}
function code(text3, maxLength = 200, options = {}) {
  let body = truncate(String(text3 ?? "").replace(CONTROL2, ""), maxLength).replace(NEWLINES, " ").replace(/<!--/g, `<!${ZWJ}--`);
  if (options.table) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}
function oneLine(text3, maxLength = 200) {
  const collapsed = String(text3 ?? "").replace(CONTROL2, "").replace(/\s+/g, " ").trim();
  return defuseMentions(truncate(collapsed, maxLength));
}
function safeUrl(url) {
  if (typeof url !== "string" || url === "") return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return parsed.href.replace(
    /[()<>\s"'`|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
  );
}
function link(text3, url, maxLength = 200) {
  const label2 = escapeMarkdown(text3, maxLength);
  const target = safeUrl(url);
  return target ? `[${label2}](${target})` : label2;
}
var ZWJ, ELLIPSIS, CONTROL2, NEWLINES, MARKDOWN_SPECIALS;
var init_markdown = __esm({
  "src/core/text/markdown.ts"() {
    "use strict";
    ZWJ = "\u200D";
    ELLIPSIS = "\u2026";
    CONTROL2 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
    NEWLINES = /\r\n|\r|\n/g;
    MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-!|~]/g;
  }
});

// src/core/text/urls.ts
function redactUrl(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, "redacted");
    return u.toString();
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "?redacted");
  }
}
function isHttpUrl(url) {
  return safeUrl(url) !== null;
}
var init_urls = __esm({
  "src/core/text/urls.ts"() {
    "use strict";
    init_markdown();
  }
});

// src/sources/errors.ts
function networkError(url, cause) {
  const codes = causeCodes(cause);
  if (codes.includes("ENOTFOUND")) return new PrometheusHostNotFoundError(url, cause);
  const tls = codes.find(isTlsConfigCode);
  if (tls !== void 0) return new PrometheusTlsError(url, tls, cause);
  if (isPermanentNetworkCause(cause))
    return new MetricSourceError(
      `${url} is not a URL fetch() can use (${describeCause(cause)}): check the Prometheus URL.`,
      {
        retryable: false,
        cause
      }
    );
  return new PrometheusNetworkError(url, cause);
}
function isPermanentNetworkCause(cause) {
  const codes = causeCodes(cause);
  return codes.includes("ENOTFOUND") || codes.includes("ERR_INVALID_URL") || codes.some(isTlsConfigCode);
}
function isTlsConfigCode(code2) {
  if (/ALERT_INTERNAL_ERROR|BAD_RECORD_MAC|DECRYPTION_FAILED/.test(code2)) return false;
  return /^(CERT_|UNABLE_TO_(GET|VERIFY|DECRYPT)_|ERR_SSL_)/.test(code2) || ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"].includes(code2) || code2.startsWith("ERR_TLS_") && code2 !== "ERR_TLS_HANDSHAKE_TIMEOUT";
}
function causeCodes(cause) {
  const codes = [];
  let current3 = cause;
  for (let depth2 = 0; typeof current3 === "object" && current3 !== null && depth2 < 4; depth2++) {
    const { code: code2 } = current3;
    if (typeof code2 === "string") codes.push(code2);
    current3 = current3.cause;
  }
  return codes;
}
function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
function isRetryableStatus(status) {
  return status === 429 || status >= 500;
}
function describeCause(cause) {
  const parts = [];
  let current3 = cause;
  for (let depth2 = 0; typeof current3 === "object" && current3 !== null && depth2 < 3; depth2++) {
    const { message, code: code2 } = current3;
    let text3 = typeof message === "string" ? message : "";
    if (typeof code2 === "string" && !text3.includes(code2)) text3 = text3 ? `${text3} (${code2})` : code2;
    if (text3 && !parts.includes(text3)) parts.push(text3);
    current3 = current3.cause;
  }
  return parts.length > 0 ? parts.join(": ") : String(cause);
}
var MetricSourceError, PrometheusError, PrometheusResponseError, PrometheusTimeoutError, PrometheusNetworkError, PrometheusHostNotFoundError, PrometheusTlsError, FileSourceError;
var init_errors2 = __esm({
  "src/sources/errors.ts"() {
    "use strict";
    init_urls();
    MetricSourceError = class extends Error {
      /** True when the same request may succeed later (5xx, 429, network error, timeout). */
      retryable;
      /** How many requests were made before giving up (set by the retry loop). */
      attempts = 1;
      /** The server's Retry-After, in ms, when it sent one. */
      retryAfterMs;
      constructor(message, options = {}) {
        super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
        this.name = new.target.name;
        this.retryable = options.retryable ?? false;
      }
    };
    PrometheusError = class extends MetricSourceError {
      constructor(errorType, error, query, status) {
        super(`Prometheus rejected the query (HTTP ${status}, ${errorType}): ${error}
  query: ${query}`, {
          retryable: isRetryableStatus(status)
        });
        this.errorType = errorType;
        this.error = error;
        this.query = query;
        this.status = status;
      }
      errorType;
      error;
      query;
      status;
    };
    PrometheusResponseError = class extends MetricSourceError {
      constructor(message, status) {
        super(message, { retryable: isRetryableStatus(status) });
        this.status = status;
      }
      status;
    };
    PrometheusTimeoutError = class extends MetricSourceError {
      constructor(url, timeoutMs2) {
        super(
          `Request to ${url} timed out after ${timeoutMs2} ms; raise the timeout or make the query cheaper (a larger step or a shorter range).`,
          { retryable: true }
        );
      }
    };
    PrometheusNetworkError = class extends MetricSourceError {
      constructor(url, cause) {
        super(
          `Could not reach ${url}: ${describeCause(cause)}; check the Prometheus URL and that it is reachable.`,
          {
            retryable: true,
            cause
          }
        );
      }
    };
    PrometheusHostNotFoundError = class extends MetricSourceError {
      constructor(url, cause) {
        const host = hostOf(url);
        super(
          `The host ${host} of ${url} does not resolve (${describeCause(cause)}): check the hostname in the Prometheus URL; a name private to a cluster or VPN does not resolve on a GitHub-hosted runner.`,
          { retryable: false, cause }
        );
      }
    };
    PrometheusTlsError = class extends MetricSourceError {
      constructor(url, code2, cause) {
        const host = hostOf(url);
        const what = code2 === "ERR_TLS_CERT_ALTNAME_INVALID" ? `the certificate is not issued for ${host}: check the hostname in the Prometheus URL (use the name on the certificate)` : code2.startsWith("ERR_SSL_") ? "the server does not speak TLS there: check the scheme and port of the Prometheus URL (http:// or https://)" : "the certificate is not trusted: if Prometheus uses a private or self-signed CA, give its certificate to Node with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise check the certificate has not expired and the hostname is right";
        super(`TLS failure talking to ${url} (${describeCause(cause)}): ${what}.`, { retryable: false, cause });
      }
    };
    FileSourceError = class extends MetricSourceError {
    };
  }
});

// src/sources/aws-sigv4.ts
import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { SignatureV4 } from "@smithy/signature-v4";
function resolveRegion(given, env, what) {
  const region = given?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new MetricSourceError(
      `${what} needs an AWS region: set the aws-region input (--aws-region) or AWS_REGION.`
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new MetricSourceError(`"${region}" is not an AWS region name (e.g. us-east-1, eu-west-2).`);
  }
  return region;
}
function createSigner(options) {
  const credentials = options.credentials ?? defaultCredentials();
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: () => loadCredentials(credentials),
    sha256: Sha256,
    // Only S3 needs x-amz-content-sha256; leaving it out keeps the canonical request AWS's documented one.
    applyChecksum: false
  });
  return async (request) => {
    const headers = { host: request.url.host };
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const query = {};
    for (const key of new Set(request.url.searchParams.keys())) {
      const values = request.url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0] ?? "" : values;
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        port: request.url.port ? Number(request.url.port) : void 0,
        path: request.url.pathname,
        query,
        headers,
        body: request.body
      },
      { signingDate: options.now?.() }
    );
    const out = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      const lower = name.toLowerCase();
      if (lower === "authorization" || lower.startsWith("x-amz-")) out[lower] = value;
    }
    return out;
  };
}
function defaultCredentials() {
  chain ??= fromNodeProviderChain();
  return chain;
}
async function loadCredentials(provider) {
  try {
    return await provider();
  } catch (err) {
    throw new MetricSourceError(
      `No AWS credentials: ${errorMessage(err)}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE (in GitHub Actions, run aws-actions/configure-aws-credentials with id-token: write first).`
    );
  }
}
var chain;
var init_aws_sigv4 = __esm({
  "src/sources/aws-sigv4.ts"() {
    "use strict";
    init_errors2();
    init_errors();
  }
});

// src/sources/http.ts
import { setTimeout as delay } from "node:timers/promises";
async function readBounded(res, maxBytes, tooLarge2) {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge2();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge2();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function parseRetryAfter(value) {
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}
function tryJson(body) {
  try {
    return JSON.parse(body);
  } catch {
    return void 0;
  }
}
function snippet(body, max = SNIPPET_CHARS) {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat === "") return "(empty body)";
  return flat.length > max ? `${flat.slice(0, max)}\u2026` : flat;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, DEFAULT_MAX_BYTES, SNIPPET_CHARS, SourceTimeoutError, SourceNetworkError, VendorError, HttpClient;
var init_http = __esm({
  "src/sources/http.ts"() {
    "use strict";
    init_errors2();
    MAX_BACKOFF_MS = 3e4;
    MAX_RETRY_AFTER_MS = 6e4;
    DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
    SNIPPET_CHARS = 300;
    SourceTimeoutError = class extends MetricSourceError {
    };
    SourceNetworkError = class extends MetricSourceError {
    };
    VendorError = class extends MetricSourceError {
      constructor(message, status, options = {}) {
        super(message, { retryable: options.retryable ?? isRetryableStatus(status) });
        this.status = status;
      }
      status;
    };
    HttpClient = class {
      constructor(options) {
        this.options = options;
        this.vendor = options.vendor;
        this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
        this.timeoutMs = options.timeoutMs ?? 1e4;
        this.retries = options.retries ?? 3;
        this.backoffMs = options.backoffMs ?? 500;
        this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
        if (!(this.timeoutMs > 0)) throw new MetricSourceError(`timeoutMs must be > 0 (got ${this.timeoutMs}).`);
        if (!Number.isInteger(this.retries) || this.retries < 0) {
          throw new MetricSourceError(`retries must be a whole number >= 0 (got ${this.retries}).`);
        }
        if (!(this.backoffMs >= 0))
          throw new MetricSourceError(`backoffMs must be >= 0 (got ${this.backoffMs}).`);
        this.sleep = options.sleep ?? ((ms) => delay(ms));
        this.random = options.random ?? Math.random;
        this.maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
        this.maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
        this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
      }
      options;
      vendor;
      secrets;
      timeoutMs;
      retries;
      backoffMs;
      maxBytes;
      sleep;
      random;
      maxBackoffMs;
      maxRetryAfterMs;
      fetch;
      /**
       * Sends the request and hands the answer to `parse`, which returns the result or throws a
       * MetricSourceError (retryable or not). Retries until `retries` is spent; the error that ends it
       * says how many attempts were made, with every secret scrubbed.
       */
      async send(request, parse) {
        for (let attempt = 1; ; attempt++) {
          try {
            const answer = await this.once(request);
            try {
              return parse(answer);
            } catch (err) {
              if (err instanceof MetricSourceError) err.retryAfterMs ??= this.retryAfter(answer.headers);
              throw err;
            }
          } catch (err) {
            const e = this.scrubbed(err);
            if (!(e instanceof MetricSourceError)) throw e;
            if (!e.retryable || attempt > this.retries) {
              e.attempts = attempt;
              if (attempt > 1) e.message += ` (gave up after ${attempt} attempts)`;
              throw e;
            }
            await this.sleep(this.backoff(attempt, e));
          }
        }
      }
      /** The message with every secret replaced, for errors built outside `send`. */
      scrub(text3) {
        let out = text3;
        for (const s of this.secrets) out = out.split(s).join("[redacted]");
        return out;
      }
      scrubbed(err) {
        if (err instanceof Error) err.message = this.scrub(err.message);
        return err;
      }
      retryAfter(headers) {
        const own = this.options.retryAfterMs?.(headers);
        if (own !== void 0) return own;
        const value = headers.get("retry-after");
        return value === null ? void 0 : parseRetryAfter(value);
      }
      /** Exponential backoff with "equal jitter", never shorter than what the server asked for. */
      backoff(attempt, err) {
        const exp = Math.min(this.backoffMs * 2 ** (attempt - 1), this.maxBackoffMs);
        const jittered = exp / 2 + this.random() * exp / 2;
        return Math.max(jittered, Math.min(err.retryAfterMs ?? 0, this.maxRetryAfterMs));
      }
      async once(request) {
        const shown3 = redactUrl(request.url);
        const signal = AbortSignal.timeout(this.timeoutMs);
        const signed = this.options.sign ? await this.options.sign(request) : {};
        try {
          const res = await this.fetch(request.url, {
            method: request.method,
            headers: { ...request.headers, ...signed },
            body: request.body,
            signal
          });
          let body = "";
          if (this.options.readBody === false) await res.arrayBuffer().catch(() => void 0);
          else body = await readBounded(res, this.maxBytes, () => this.tooLarge(shown3, res.status));
          return { status: res.status, headers: res.headers, body };
        } catch (err) {
          if (err instanceof MetricSourceError) throw err;
          const own = this.options.errors;
          if (signal.aborted || err instanceof Error && err.name === "TimeoutError") {
            if (own?.timeout) throw own.timeout(shown3, this.timeoutMs);
            throw new SourceTimeoutError(
              `${this.vendor} did not answer ${shown3} within ${this.timeoutMs} ms; raise the timeout or query a shorter range.`,
              { retryable: true }
            );
          }
          if (own?.network) throw own.network(shown3, err);
          const permanent = !this.options.retryUnreachable && isPermanentNetworkCause(err);
          throw new SourceNetworkError(
            `Could not reach ${this.vendor} at ${shown3}: ${describeCause(err)}; check the endpoint (site/region) and the network.`,
            { retryable: !permanent, cause: err }
          );
        }
      }
      tooLarge(shown3, status) {
        const own = this.options.errors?.tooLarge;
        if (own) return own(shown3, this.maxBytes, status);
        return new MetricSourceError(
          `${this.vendor} answered with more than ${Math.round(this.maxBytes / 1024 / 1024)} MB; narrow the query (fewer series, a larger step).`
        );
      }
    };
  }
});

// src/sources/http-source.ts
function parseBaseUrl(raw) {
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new MetricSourceError(
      `The Prometheus URL "${redactUrl(raw)}" is not a valid URL; use e.g. http://prometheus:9090 or https://host/prometheus.`
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MetricSourceError(
      `The Prometheus URL "${redactUrl(url)}" must start with http:// or https:// (e.g. http://prometheus:9090).`
    );
  }
  url.pathname = url.pathname.replace(/\/api\/v1\/?$/, "");
  url.hash = "";
  return url;
}
function buildHeaders(extra, bearer, basicAuth) {
  const headers = { accept: "application/json" };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString("base64")}`;
  }
  for (const [name, value] of Object.entries(headers)) {
    try {
      new Headers([[name, value]]);
    } catch {
      throw new MetricSourceError(
        `The HTTP header "${name}" for Prometheus has an invalid name or value (a line break?).`
      );
    }
  }
  return headers;
}
function checkRange(start, end, step) {
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new MetricSourceError(`start and end must be finite Unix seconds (got ${start}, ${end}).`);
  }
  if (end < start) throw new MetricSourceError(`end (${end}) is before start (${start}).`);
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new MetricSourceError(`step must be a positive number of seconds (got ${step}).`);
  }
}
function parseApiResponse(body, status, query, where) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    const hint = isRetryableStatus(status) ? "so a proxy or load balancer in front of Prometheus answered instead of it" : "so it is not the Prometheus API (check the URL and its path prefix, and any proxy or login page in front of it)";
    throw new PrometheusResponseError(
      `${where} answered HTTP ${status} with a body that is not JSON, ${hint}: ${snippet(body, SNIPPET_CHARS2)}`,
      status
    );
  }
  const obj = isRecord(json) ? json : {};
  if (obj.status === "error") {
    throw new PrometheusError(String(obj.errorType ?? "unknown"), String(obj.error ?? ""), query, status);
  }
  if (status < 200 || status > 299 || obj.status !== "success") {
    throw new PrometheusResponseError(
      `${where} answered HTTP ${status} with something other than a Prometheus API response: ${snippet(body, SNIPPET_CHARS2)}`,
      status
    );
  }
  try {
    return { series: parseResultData(obj.data), warnings: stringList(obj.warnings) };
  } catch (err) {
    throw new PrometheusResponseError(`${where}: ${errorMessage(err)}
  query: ${query}`, status);
  }
}
function parseResultData(data) {
  if (!isRecord(data)) throw new Error("the answer has no `data` object");
  const { resultType, result } = data;
  switch (resultType) {
    case "matrix":
      return asArray(result, "matrix result").map((item) => {
        const entry2 = asRecord(item, "matrix series");
        if (entry2.values === void 0 && entry2.histograms !== void 0) throw nativeHistogramError();
        return {
          labels: parseLabels(entry2.metric),
          samples: asArray(entry2.values ?? [], "values").map(parsePair)
        };
      });
    case "vector":
      return asArray(result, "vector result").map((item) => {
        const entry2 = asRecord(item, "vector sample");
        if (entry2.value === void 0 && entry2.histogram !== void 0) throw nativeHistogramError();
        return { labels: parseLabels(entry2.metric), samples: [parsePair(entry2.value)] };
      });
    case "scalar":
      return [{ labels: {}, samples: [parsePair(result)] }];
    case "string":
      throw new Error(
        "the query returns a string, not numbers; use a query that returns a number per series"
      );
    default:
      throw new Error(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}
function parsePair(pair) {
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new Error(`a sample must be [timestamp, "value"], got ${JSON.stringify(pair)}`);
  }
  const t = typeof pair[0] === "string" && pair[0].trim() !== "" ? Number(pair[0]) : pair[0];
  if (typeof t !== "number" || !Number.isFinite(t)) {
    throw new Error(`a sample timestamp must be Unix seconds, got ${JSON.stringify(pair[0])}`);
  }
  const v = typeof pair[1] === "number" ? pair[1] : parseSampleValue(String(pair[1]));
  return { t, v };
}
function parseSampleValue(text3) {
  const s = text3.trim();
  switch (s.toLowerCase()) {
    case "nan":
      return NaN;
    case "+inf":
    case "inf":
      return Infinity;
    case "-inf":
      return -Infinity;
  }
  const v = s === "" ? NaN : Number(s);
  if (Number.isNaN(v)) throw new Error(`"${text3}" is not a sample value`);
  return v;
}
function parseLabels(metric) {
  if (metric === void 0) return {};
  const labels2 = {};
  for (const [k, v] of Object.entries(asRecord(metric, "metric labels"))) labels2[k] = String(v);
  return labels2;
}
function nativeHistogramError() {
  return new Error(
    "the query returns native histograms, which a check cannot compare; wrap it, e.g. histogram_quantile(0.99, sum(rate(x[5m]))) or histogram_count(rate(x[5m]))"
  );
}
function stringList(value) {
  return Array.isArray(value) ? value.map(String) : [];
}
function asRecord(value, what) {
  if (!isRecord(value)) throw new Error(`expected an object for the ${what}, got ${JSON.stringify(value)}`);
  return value;
}
function asArray(value, what) {
  if (!Array.isArray(value))
    throw new Error(`expected an array for the ${what}, got ${JSON.stringify(value)}`);
  return value;
}
var DEFAULT_MAX_RESPONSE_BYTES, SNIPPET_CHARS2, PROMETHEUS_ERRORS, PrometheusHttpSource;
var init_http_source = __esm({
  "src/sources/http-source.ts"() {
    "use strict";
    init_defaults();
    init_errors();
    init_errors2();
    init_http();
    DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
    SNIPPET_CHARS2 = 200;
    PROMETHEUS_ERRORS = {
      timeout: (shown3, timeoutMs2) => new PrometheusTimeoutError(shown3, timeoutMs2),
      network: (shown3, cause) => networkError(shown3, cause),
      tooLarge: (shown3, maxBytes, status) => new PrometheusResponseError(
        `${shown3} answered with an answer larger than ${maxBytes} bytes, which is refused: make the query cheaper (a larger step or a shorter range, or fewer series)`,
        status
      )
    };
    PrometheusHttpSource = class {
      name;
      base;
      shownBase;
      headers;
      http;
      constructor(options) {
        const base = parseBaseUrl(options.url);
        this.shownBase = redactUrl(base);
        this.name = `Prometheus at ${this.shownBase}`;
        let basicAuth = options.basicAuth;
        if (base.username || base.password) {
          basicAuth ??= {
            username: decodeURIComponent(base.username),
            password: decodeURIComponent(base.password)
          };
          base.username = "";
          base.password = "";
        }
        this.base = base;
        const bearer = options.bearerToken?.trim();
        if (bearer && basicAuth) {
          throw new MetricSourceError("Set either a bearer token or basic auth for Prometheus, not both.");
        }
        this.headers = buildHeaders(options.headers ?? {}, bearer, basicAuth);
        this.http = new HttpClient({
          vendor: "Prometheus",
          timeoutMs: options.timeoutMs ?? SOURCE_DEFAULTS.timeoutSeconds * 1e3,
          maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          retries: options.retries,
          backoffMs: options.backoffMs,
          sleep: options.sleep,
          random: options.random,
          fetch: options.fetch,
          errors: PROMETHEUS_ERRORS
        });
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        return this.call(
          "query_range",
          { query, start: String(start), end: String(end), step: String(step) },
          query
        );
      }
      /** Instant query: each series of the result holds one sample. `time` in Unix seconds, default now. */
      async query(query, time3) {
        const params = { query };
        if (time3 !== void 0) {
          if (!Number.isFinite(time3)) throw new MetricSourceError(`time must be a finite number (got ${time3}).`);
          params.time = String(time3);
        }
        return this.call("query", params, query);
      }
      async call(endpoint, params, query) {
        const url = new URL(this.base);
        url.pathname = `${this.base.pathname.replace(/\/+$/, "")}/api/v1/${endpoint}`;
        const shown3 = redactUrl(url);
        const request = {
          method: "POST",
          url,
          headers: { ...this.headers, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(params).toString()
        };
        return this.http.send(request, (answer) => parseApiResponse(answer.body, answer.status, query, shown3));
      }
    };
  }
});

// src/sources/amazon-prometheus.ts
function isAmazonPrometheusUrl(url) {
  return /^https:\/\/aps-workspaces\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(url.trim());
}
function createAmazonPrometheusSource(options) {
  const fromHost = /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com/.exec(options.url.trim())?.[1];
  const region = resolveRegion(
    options.region || fromHost,
    options.env ?? process.env,
    "Amazon Managed Prometheus"
  );
  if (fromHost && fromHost !== region) {
    throw new MetricSourceError(
      `The workspace URL is in ${fromHost} but the region is ${region}; SigV4 signatures are per region, so use the same one.`
    );
  }
  const sign = createSigner({ service: "aps", region, credentials: options.credentials });
  const source = new PrometheusHttpSource({ ...options, fetch: signingFetch(sign) });
  return source;
}
function signingFetch(sign) {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init.body === void 0 || init.body === null ? void 0 : String(init.body);
    const headers = {};
    new Headers(init.headers).forEach((value, name) => headers[name] = value);
    const method = (init.method ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
    const signed = await sign({ method, url, headers, body });
    return fetch(url, { ...init, body, headers: { ...headers, ...signed } });
  };
}
var init_amazon_prometheus = __esm({
  "src/sources/amazon-prometheus.ts"() {
    "use strict";
    init_aws_sigv4();
    init_errors2();
    init_http_source();
  }
});

// src/sources/step-grid.ts
function onStepGrid(points, options) {
  const { start, end, step } = options;
  const sorted2 = points.filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const interval = options.interval && options.interval > 0 ? options.interval : medianGap(sorted2, step);
  const shift = options.stampedAtStart ? interval : 0;
  const stamped = sorted2.map((p) => ({ t: p.t + shift, v: p.v }));
  const width = Math.max(step, interval);
  const out = [];
  const count3 = Math.floor((end - start) / step + 1e-9) + 1;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < count3; i++) {
    const t = start + i * step;
    while (hi < stamped.length && (stamped[hi]?.t ?? Infinity) <= t + 1e-9) hi++;
    while (lo < hi && (stamped[lo]?.t ?? Infinity) <= t - width + 1e-9) lo++;
    const inWindow = stamped.slice(lo, hi).filter((p) => !Number.isNaN(p.v));
    if (inWindow.length === 0) continue;
    out.push({ t, v: inWindow.reduce((sum, p) => sum + p.v, 0) / inWindow.length });
  }
  return { samples: out, interval };
}
function medianGap(sorted2, fallback) {
  const gaps = [];
  for (let i = 1; i < sorted2.length; i++) {
    const gap = (sorted2[i]?.t ?? 0) - (sorted2[i - 1]?.t ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return fallback;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? fallback;
}
function resampleWarning(vendor, interval, step, fix) {
  if (Math.abs(interval - step) < 1e-9) return null;
  const how = interval > step ? "each step takes the latest complete bucket" : "each step takes the mean of the buckets that ended in it";
  return `${vendor} answered in ${interval}s buckets while the step is ${step}s: resampled onto the step grid (${how}). ${fix}`;
}
function enforceLimits(vendor, seriesCount, pointCounts) {
  if (seriesCount > LIMITS.maxSeries) {
    throw new MetricSourceError(
      `${vendor} answered ${seriesCount} series, more than the ${LIMITS.maxSeries} a check reads; aggregate in the query (sum, avg) or narrow its filter.`
    );
  }
  let total = 0;
  for (const n of pointCounts) {
    total += n;
    if (n > LIMITS.maxPointsPerSeries || total > LIMITS.maxPoints) {
      throw new MetricSourceError(
        `${vendor} answered more points than a check reads (${LIMITS.maxPointsPerSeries} a series, ${LIMITS.maxPoints} in all); use a larger step or a shorter baseline.`
      );
    }
  }
}
var LIMITS;
var init_step_grid = __esm({
  "src/sources/step-grid.ts"() {
    "use strict";
    init_errors2();
    LIMITS = {
      maxSeries: 500,
      maxPointsPerSeries: 2e4,
      maxPoints: 5e5
    };
  }
});

// src/sources/cloudwatch.ts
function toSeconds(value) {
  if (typeof value === "number") return value > 1e11 ? value / 1e3 : value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? void 0 : ms / 1e3;
  }
  return void 0;
}
function cloudWatchPeriod(step) {
  for (const p of [1, 5, 10, 30]) if (step <= p) return p;
  return Math.ceil(step / 60) * 60;
}
function metricDataQueries(query, period) {
  const q = query.trim();
  if (!q.startsWith("[")) return [{ Id: "q", Expression: q, Period: period, ReturnData: true }];
  const parsed = tryJson(q);
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 500 || !parsed.every(isRecord)) {
    throw new MetricSourceError(
      "A CloudWatch query starting with [ must be a JSON list of MetricDataQuery objects (Id, Expression or MetricStat, ReturnData), at most 500."
    );
  }
  return parsed.map((entry2) => {
    if (typeof entry2.Id !== "string" || !/^[a-z][a-zA-Z0-9_]*$/.test(entry2.Id)) {
      throw new MetricSourceError(
        `Each MetricDataQuery needs an Id that starts with a lower-case letter (letters, digits, _), got ${JSON.stringify(entry2.Id)}.`
      );
    }
    const out = { ...entry2 };
    if (typeof out.Expression === "string" && out.Period === void 0) out.Period = period;
    if (isRecord(out.MetricStat) && out.MetricStat.Period === void 0)
      out.MetricStat = { ...out.MetricStat, Period: period };
    return out;
  });
}
var TARGET, MAX_PAGES, THROTTLING, AUTH, CloudWatchSource;
var init_cloudwatch = __esm({
  "src/sources/cloudwatch.ts"() {
    "use strict";
    init_aws_sigv4();
    init_errors2();
    init_http();
    init_http_source();
    init_step_grid();
    TARGET = "GraniteServiceVersion20100801.GetMetricData";
    MAX_PAGES = 10;
    THROTTLING = /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|LimitExceeded|ServiceUnavailable|InternalFailure)$/;
    AUTH = /^(UnrecognizedClientException|InvalidClientTokenId|AccessDenied|AccessDeniedException|ExpiredToken|ExpiredTokenException|SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignature|MissingAuthenticationToken)$/;
    CloudWatchSource = class {
      name;
      url;
      region;
      http;
      constructor(options) {
        this.region = resolveRegion(options.region, options.env ?? process.env, "CloudWatch");
        this.url = new URL(options.endpoint?.trim() || `https://monitoring.${this.region}.amazonaws.com/`);
        this.name = `CloudWatch (${this.region})`;
        const sign = createSigner({
          service: "monitoring",
          region: this.region,
          credentials: options.credentials
        });
        this.http = new HttpClient({ ...options, vendor: "CloudWatch", sign });
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const period = cloudWatchPeriod(step);
        const queries = metricDataQueries(query, period);
        const warnings2 = [];
        const byId = /* @__PURE__ */ new Map();
        let nextToken;
        for (let page = 0; page < MAX_PAGES; page++) {
          const body = JSON.stringify({
            MetricDataQueries: queries,
            // One period before start, so the first grid point has a complete period behind it.
            StartTime: Math.floor((start - period) / period) * period,
            EndTime: Math.ceil(end),
            ScanBy: "TimestampAscending",
            ...nextToken ? { NextToken: nextToken } : {}
          });
          const answer = await this.http.send(
            {
              method: "POST",
              url: this.url,
              headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": TARGET },
              body
            },
            (a) => this.parse(a, query)
          );
          for (const m of answer.messages) if (!warnings2.includes(m)) warnings2.push(m);
          for (const r of answer.results) {
            const known = byId.get(r.id);
            if (known) known.points.push(...r.points);
            else byId.set(r.id, r);
          }
          enforceLimits(
            "CloudWatch",
            byId.size,
            [...byId.values()].map((r) => r.points.length)
          );
          nextToken = answer.nextToken;
          if (!nextToken) break;
        }
        if (nextToken)
          warnings2.push(`CloudWatch had more than ${MAX_PAGES} pages of data; the rest was not read.`);
        const series = [];
        for (const r of byId.values()) {
          const { samples } = onStepGrid(r.points, { start, end, step, interval: period, stampedAtStart: true });
          if (samples.length > 0) series.push({ labels: { id: r.id, label: r.label }, samples });
        }
        const w = resampleWarning(
          "CloudWatch",
          period,
          step,
          "CloudWatch periods are 1, 5, 10, 30 s or multiples of 60 s: choose such a step."
        );
        if (w) warnings2.push(w);
        return { series, warnings: warnings2 };
      }
      parse(answer, query) {
        const json = tryJson(answer.body);
        const obj = isRecord(json) ? json : void 0;
        if (answer.status < 200 || answer.status > 299 || !obj) {
          const rawType = String(obj?.__type ?? answer.headers.get("x-amzn-query-error")?.split(";")[0] ?? "");
          const code2 = rawType.split("#").pop() ?? "";
          const message = String(obj?.message ?? obj?.Message ?? (obj ? "" : snippet(answer.body)));
          const said = `${code2 ? `${code2}: ` : ""}${message}`;
          if (AUTH.test(code2) || answer.status === 401 || answer.status === 403) {
            throw new VendorError(
              `CloudWatch refused the request (HTTP ${answer.status}, ${said}): the AWS credentials must be valid for ${this.region} and allow cloudwatch:GetMetricData (check the role assumed, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE).`,
              answer.status,
              { retryable: false }
            );
          }
          const transient = THROTTLING.test(code2) || answer.status === 429 || answer.status >= 500;
          throw new VendorError(
            `CloudWatch answered HTTP ${answer.status}: ${said}
  query: ${query}
  ${transient ? "CloudWatch is throttling or unavailable; fewer checks or a larger step make fewer requests." : "fix the metric math expression (try it in CloudWatch's metrics console, Source tab)."}`,
            answer.status,
            { retryable: transient }
          );
        }
        const results = [];
        const messages = [];
        for (const m of Array.isArray(obj.Messages) ? obj.Messages.filter(isRecord) : []) {
          messages.push(`CloudWatch: ${String(m.Code ?? "")} ${String(m.Value ?? "")}`.trim());
        }
        for (const r of Array.isArray(obj.MetricDataResults) ? obj.MetricDataResults.filter(isRecord) : []) {
          const id2 = String(r.Id ?? "");
          if (r.StatusCode === "InternalError" || r.StatusCode === "Forbidden") {
            const why = Array.isArray(r.Messages) ? r.Messages.filter(isRecord).map((m) => String(m.Value ?? "")).join("; ") : "";
            throw new VendorError(
              `CloudWatch could not compute ${id2} (${String(r.StatusCode)}${why ? `: ${why}` : ""})
  query: ${query}`,
              answer.status,
              { retryable: r.StatusCode === "InternalError" }
            );
          }
          const times = Array.isArray(r.Timestamps) ? r.Timestamps : [];
          const values = Array.isArray(r.Values) ? r.Values : [];
          const points = [];
          for (let i = 0; i < Math.min(times.length, values.length); i++) {
            const t = toSeconds(times[i]);
            const v = values[i];
            if (t !== void 0 && typeof v === "number") points.push({ t, v });
          }
          results.push({ id: id2, label: String(r.Label ?? id2), points });
        }
        const nextToken = typeof obj.NextToken === "string" && obj.NextToken ? obj.NextToken : void 0;
        return { results, messages, nextToken };
      }
    };
  }
});

// src/sources/datadog.ts
function parseSeries(item, index) {
  if (!isRecord(item)) throw new MetricSourceError(`Datadog's series #${index + 1} is not an object.`);
  const labels2 = {};
  if (typeof item.metric === "string") labels2.__name__ = item.metric;
  const tags = Array.isArray(item.tag_set) ? item.tag_set : [];
  for (const tag of tags.map(String)) {
    const colon = tag.indexOf(":");
    if (colon > 0) labels2[tag.slice(0, colon)] = tag.slice(colon + 1);
    else labels2[tag] = "";
  }
  if (tags.length === 0 && typeof item.scope === "string" && item.scope !== "*") labels2.scope = item.scope;
  const points = [];
  for (const pair of Array.isArray(item.pointlist) ? item.pointlist : []) {
    if (!Array.isArray(pair) || typeof pair[0] !== "number") continue;
    if (typeof pair[1] !== "number") continue;
    points.push({ t: pair[0] / 1e3, v: pair[1] });
  }
  const interval = typeof item.interval === "number" && item.interval > 0 ? item.interval : void 0;
  return { labels: labels2, points, interval };
}
function vendorErrors(obj) {
  if (!obj) return "";
  const errors = Array.isArray(obj.errors) ? obj.errors.map(String) : [];
  if (typeof obj.error === "string" && obj.error) errors.push(obj.error);
  return errors.length ? `, ${errors.join("; ")}` : "";
}
var DATADOG_SITES, LEAD_SECONDS, DatadogSource;
var init_datadog = __esm({
  "src/sources/datadog.ts"() {
    "use strict";
    init_errors2();
    init_http();
    init_http_source();
    init_step_grid();
    DATADOG_SITES = [
      "datadoghq.com",
      "datadoghq.eu",
      "us3.datadoghq.com",
      "us5.datadoghq.com",
      "ap1.datadoghq.com",
      "ddog-gov.com"
    ];
    LEAD_SECONDS = 600;
    DatadogSource = class {
      name;
      base;
      site;
      headers;
      http;
      constructor(options) {
        const site = (options.site?.trim() || "datadoghq.com").replace(/^(https?:\/\/)?(app\.|api\.)?/, "");
        if (!DATADOG_SITES.includes(site)) {
          throw new MetricSourceError(
            `Datadog site "${site}" is not one of ${DATADOG_SITES.join(", ")}; use the site in your Datadog URL (app.datadoghq.eu \u2192 datadoghq.eu).`
          );
        }
        this.site = site;
        const apiKey = options.apiKey?.trim();
        const applicationKey = options.applicationKey?.trim();
        if (!apiKey || !applicationKey) {
          const missing = [!apiKey && "DD_API_KEY", !applicationKey && "DD_APPLICATION_KEY"].filter(Boolean);
          throw new MetricSourceError(
            `Datadog needs an API key and an application key: set ${missing.join(" and ")} (in the Action, the datadog-api-key and datadog-application-key inputs from secrets).`
          );
        }
        this.base = new URL(options.endpoint?.trim() || `https://api.${this.site}`);
        this.name = `Datadog (${this.site})`;
        this.headers = { accept: "application/json", "dd-api-key": apiKey, "dd-application-key": applicationKey };
        this.http = new HttpClient({
          ...options,
          vendor: "Datadog",
          secrets: [apiKey, applicationKey],
          // Datadog's 429 says when the window resets in X-RateLimit-Reset (seconds), not Retry-After.
          retryAfterMs: (headers) => {
            const reset = Number(headers.get("x-ratelimit-reset") ?? NaN);
            return Number.isFinite(reset) && reset >= 0 ? reset * 1e3 : void 0;
          }
        });
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const url = new URL("/api/v1/query", this.base);
        url.searchParams.set("from", String(Math.floor(start - Math.max(2 * step, LEAD_SECONDS))));
        url.searchParams.set("to", String(Math.ceil(end)));
        url.searchParams.set("query", query);
        const raw = await this.http.send(
          { method: "GET", url, headers: this.headers },
          (answer) => this.parse(answer, query)
        );
        const series = [];
        const warnings2 = [];
        for (const s of raw) {
          const { samples, interval } = onStepGrid(s.points, {
            start,
            end,
            step,
            interval: s.interval,
            stampedAtStart: true
          });
          const warning = resampleWarning(
            "Datadog",
            interval,
            step,
            `Add .rollup(avg, ${step}) to the query for one point per step.`
          );
          if (warning && !warnings2.includes(warning)) warnings2.push(warning);
          if (samples.length > 0) series.push({ labels: s.labels, samples });
        }
        return { series, warnings: warnings2 };
      }
      parse(answer, query) {
        const json = tryJson(answer.body);
        const obj = isRecord(json) ? json : void 0;
        if (answer.status === 401 || answer.status === 403) {
          throw new VendorError(
            `Datadog refused the keys (HTTP ${answer.status}${vendorErrors(obj)}): check that DD_API_KEY and DD_APPLICATION_KEY belong to the organisation on ${this.site} (the site must match) and that the application key may query timeseries (timeseries_query).`,
            answer.status
          );
        }
        if (answer.status < 200 || answer.status > 299 || !obj) {
          const said = obj ? vendorErrors(obj).replace(/^, /, "") : snippet(answer.body);
          const fix = answer.status === 429 ? "Datadog's rate limit for metric queries was reached; fewer checks or a larger step make fewer queries." : answer.status >= 500 || answer.status === 0 ? "Datadog had a problem answering; try again later." : "fix the query (try it in Datadog's Metrics Explorer).";
          throw new VendorError(
            `Datadog answered HTTP ${answer.status}: ${said}
  query: ${query}
  ${fix}`,
            answer.status
          );
        }
        if (obj.status === "error" || typeof obj.error === "string" && obj.error !== "") {
          throw new VendorError(
            `Datadog rejected the query: ${String(obj.error)}
  query: ${query}
  fix the query (try it in Datadog's Metrics Explorer).`,
            answer.status,
            { retryable: false }
          );
        }
        const list = Array.isArray(obj.series) ? obj.series : [];
        const out = list.map((item, i) => parseSeries(item, i));
        enforceLimits(
          "Datadog",
          out.length,
          out.map((s) => s.points.length)
        );
        return out;
      }
    };
  }
});

// src/sources/file-source.ts
import { readFileSync } from "node:fs";
function resample(samples, start, end, step) {
  const out = [];
  const points = Math.floor((end - start) / step + 1e-9) + 1;
  let next = 0;
  for (let i = 0; i < points; i++) {
    const t = start + i * step;
    while (next < samples.length && (samples[next]?.t ?? Infinity) <= t) next++;
    const last = samples[next - 1];
    if (last && last.t > t - LOOKBACK_SECONDS) out.push({ t, v: last.v });
  }
  return out;
}
function parseContent(content, label2) {
  const text3 = content.replace(/^\uFEFF/, "");
  if (text3.trim() === "") throw new FileSourceError(`The metrics file ${label2} is empty.`);
  const data = text3.trimStart().startsWith("{") ? parseJson(text3, label2) : parseExposition(text3, label2);
  const all = data.kind === "map" ? [...data.entries.values()].flat() : data.series;
  for (const s of all) s.samples = sortDedupe(s.samples);
  return data;
}
function parseJson(text3, label2) {
  let json;
  try {
    json = JSON.parse(text3);
  } catch (err) {
    throw new FileSourceError(`The metrics file ${label2} is not valid JSON: ${errorMessage(err)}`);
  }
  if (isRecord2(json) && isRecord2(json.series)) {
    const entries = /* @__PURE__ */ new Map();
    for (const [key, value] of Object.entries(json.series)) {
      entries.set(key, parseEntry(value, `${label2}, series "${key}"`).series);
    }
    if (entries.size === 0)
      throw new FileSourceError(`The metrics file ${label2} has an empty "series" object.`);
    return { kind: "map", entries };
  }
  if (isRecord2(json) && (json.status !== void 0 || json.resultType !== void 0)) {
    return { kind: "response", ...parseEntry(json, label2) };
  }
  throw new FileSourceError(
    `The metrics file ${label2} is JSON but neither a Prometheus query_range response ({"status":"success","data":{...}}) nor {"series": {"<query>": ...}}.`
  );
}
function parseEntry(value, where) {
  try {
    if (Array.isArray(value))
      return { series: [{ labels: {}, samples: value.map(parsePair) }], warnings: [] };
    if (isRecord2(value) && value.status === "error") {
      throw new Error(`it holds a Prometheus error (${String(value.errorType)}): ${String(value.error)}`);
    }
    if (isRecord2(value) && value.status === "success") {
      const warnings2 = Array.isArray(value.warnings) ? value.warnings.map(String) : [];
      return { series: parseResultData(value.data), warnings: warnings2 };
    }
    if (isRecord2(value) && value.resultType !== void 0)
      return { series: parseResultData(value), warnings: [] };
    throw new Error('expected a query_range response or a list of [timestamp, "value"] pairs');
  } catch (err) {
    if (err instanceof FileSourceError) throw err;
    throw new FileSourceError(`The metrics file ${where}: ${errorMessage(err)}`);
  }
}
function parseExposition(text3, label2) {
  const lines = text3.split(/\r?\n/);
  const openMetrics = lines.some((l) => l.trim() === "# EOF");
  const byKey = /* @__PURE__ */ new Map();
  let maxAbsTs = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "# EOF") break;
    if (line === "" || line.startsWith("#")) continue;
    let parsed;
    try {
      parsed = parseSampleLine(line);
    } catch (err) {
      throw new FileSourceError(`The metrics file ${label2}, line ${i + 1}: ${errorMessage(err)}
  ${line}`);
    }
    maxAbsTs = Math.max(maxAbsTs, Math.abs(parsed.ts));
    const key = seriesKey(parsed.labels);
    let series = byKey.get(key);
    if (!series) byKey.set(key, series = { labels: parsed.labels, samples: [] });
    series.samples.push({ t: parsed.ts, v: parsed.value });
  }
  if (byKey.size === 0) throw new FileSourceError(`The metrics file ${label2} holds no samples.`);
  if (!openMetrics && maxAbsTs >= MS_THRESHOLD) {
    for (const s of byKey.values()) for (const p of s.samples) p.t /= 1e3;
  }
  return { kind: "exposition", series: [...byKey.values()] };
}
function parseSampleLine(line) {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error("expected a metric name at the start of the line");
  const labels2 = { __name__: name };
  let pos = name.length;
  if (line[pos] === "{") {
    const parsed = parseBraces(line, pos, false);
    for (const m of parsed.matchers) labels2[m.name] = m.value;
    pos = parsed.end;
  }
  const rest = line.slice(pos).split("#")[0] ?? "";
  const fields = rest.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) throw new Error("expected a value after the metric");
  if (fields.length === 1) {
    throw new Error(
      "the sample has no timestamp; the file source needs `metric{labels} value timestamp` lines"
    );
  }
  if (fields.length > 2) throw new Error(`unexpected text after the timestamp: ${fields.slice(2).join(" ")}`);
  const value = parseSampleValue(fields[0] ?? "");
  const ts = Number(fields[1]);
  if (!Number.isFinite(ts)) throw new Error(`"${fields[1]}" is not a timestamp`);
  return { labels: labels2, value, ts };
}
function parseSelector(query) {
  const q = query.trim();
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(q)?.[0] ?? "";
  let pos = name.length;
  const matchers = name ? [{ name: "__name__", op: "=", value: name }] : [];
  if (q.slice(pos).trimStart().startsWith("{")) {
    pos = q.indexOf("{", pos);
    let parsed;
    try {
      parsed = parseBraces(q, pos, true);
    } catch {
      return null;
    }
    matchers.push(...parsed.matchers);
    pos = parsed.end;
  }
  if (matchers.length === 0 || q.slice(pos).trim() !== "") return null;
  for (const m of matchers) {
    if (m.op === "=~" || m.op === "!~") {
      try {
        m.re = new RegExp(`^(?:${m.value})$`);
      } catch (err) {
        throw new FileSourceError(
          `Invalid regular expression in ${m.name}${m.op}"${m.value}": ${errorMessage(err)}`
        );
      }
    }
  }
  return matchers;
}
function matches(m, labels2) {
  const value = labels2[m.name] ?? "";
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return m.re?.test(value) ?? false;
    case "!~":
      return !(m.re?.test(value) ?? false);
  }
}
function parseBraces(text3, start, selector2) {
  const matchers = [];
  let pos = start + 1;
  const skipSpace = () => {
    while (pos < text3.length && /\s/.test(text3[pos] ?? "")) pos++;
  };
  for (; ; ) {
    skipSpace();
    if (text3[pos] === "}") return { matchers, end: pos + 1 };
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text3.slice(pos))?.[0];
    if (!name) throw new Error(`expected a label name at column ${pos + 1}`);
    pos += name.length;
    skipSpace();
    const op = (selector2 ? /^(=~|!~|!=|=)/ : /^=/).exec(text3.slice(pos))?.[0];
    if (!op) throw new Error(`expected ${selector2 ? "=, !=, =~ or !~" : "="} after the label ${name}`);
    pos += op.length;
    skipSpace();
    const str = readString(text3, pos, selector2);
    matchers.push({ name, op, value: str.value });
    pos = str.end;
    skipSpace();
    if (text3[pos] === ",") pos++;
    else if (text3[pos] !== "}") throw new Error(`expected , or } after the label ${name}`);
  }
}
function readString(text3, start, selector2) {
  const quote2 = text3[start];
  const quotes = selector2 ? ['"', "'", "`"] : ['"'];
  if (quote2 === void 0 || !quotes.includes(quote2))
    throw new Error(`expected a quoted label value at column ${start + 1}`);
  let value = "";
  for (let pos = start + 1; pos < text3.length; pos++) {
    const c = text3[pos];
    if (c === quote2) return { value, end: pos + 1 };
    if (c === "\\" && quote2 !== "`") {
      const e = text3[++pos];
      value += e === "n" ? "\n" : e === "t" ? "	" : e ?? "";
    } else {
      value += c;
    }
  }
  throw new Error("unterminated label value");
}
function normalizeQuery(query) {
  let out = "";
  let quote2 = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] ?? "";
    if (quote2) {
      out += c;
      if (c === "\\" && quote2 !== "`") out += query[++i] ?? "";
      else if (c === quote2) quote2 = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote2 = c;
      out += c;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}
function sortDedupe(samples) {
  const sorted2 = samples.map((s, i) => ({ s, i })).sort((a, b) => a.s.t - b.s.t || a.i - b.i);
  const out = [];
  for (const { s } of sorted2) {
    if (out.length > 0 && out[out.length - 1]?.t === s.t) out[out.length - 1] = s;
    else out.push(s);
  }
  return out;
}
function seriesKey(labels2) {
  return JSON.stringify(Object.entries(labels2).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function metricNames(series) {
  return [...new Set(series.map((s) => s.labels.__name__ ?? "(unnamed)"))];
}
function listSome(items, max = 10) {
  const shown3 = items.slice(0, max).join(", ");
  return items.length > max ? `${shown3} and ${items.length - max} more` : shown3;
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var LOOKBACK_SECONDS, MS_THRESHOLD, FileSource;
var init_file_source = __esm({
  "src/sources/file-source.ts"() {
    "use strict";
    init_errors2();
    init_http_source();
    init_errors();
    LOOKBACK_SECONDS = 300;
    MS_THRESHOLD = 1e11;
    FileSource = class {
      name;
      label;
      data;
      constructor(options) {
        if (options.path === void 0 === (options.content === void 0)) {
          throw new FileSourceError("FileSource needs either a path or a content, and not both.");
        }
        this.label = options.name ?? options.path ?? "inline metrics";
        this.name = `file ${this.label}`;
        let content = options.content;
        if (options.path !== void 0) {
          try {
            content = readFileSync(options.path, "utf8");
          } catch (err) {
            throw new FileSourceError(`Cannot read the metrics file ${options.path}: ${errorMessage(err)}`, {
              cause: err
            });
          }
        }
        this.data = parseContent(content ?? "", this.label);
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const { series, warnings: warnings2 } = this.select(query);
        const out = [];
        for (const s of series) {
          const samples = resample(s.samples, start, end, step);
          if (samples.length > 0) out.push({ labels: { ...s.labels }, samples });
        }
        return { series: out, warnings: [...warnings2] };
      }
      select(query) {
        const data = this.data;
        if (data.kind === "response") return data;
        if (data.kind === "map") {
          const key = normalizeQuery(query);
          for (const [name, series2] of data.entries) {
            if (name === query || normalizeQuery(name) === key) return { series: series2, warnings: [] };
          }
          const [only] = data.entries.values();
          if (data.entries.size === 1 && only) return { series: only, warnings: [] };
          throw new FileSourceError(
            `The metrics file ${this.label} has no entry for the query ${query}; its entries are: ${listSome([...data.entries.keys()])}. Add the query, exactly as the check sends it, under "series".`
          );
        }
        const matchers = parseSelector(query);
        if (!matchers) {
          const [only] = data.series;
          if (data.series.length === 1 && only) return { series: [only], warnings: [] };
          throw new FileSourceError(
            `The metrics file ${this.label} can only answer plain selectors like name{label="value"}, not ${query}. Use a selector over its metrics (${listSome(metricNames(data.series))}), or save the query's answer from Prometheus as a query_range JSON file.`
          );
        }
        const series = data.series.filter((s) => matchers.every((m) => matches(m, s.labels)));
        const warnings2 = series.length > 0 ? [] : [`No series in ${this.label} match ${query}; it holds ${listSome(metricNames(data.series))}.`];
        return { series, warnings: warnings2 };
      }
    };
  }
});

// src/sources/json-selector.ts
function parseSelector2(text3) {
  const s = text3.trim();
  if (s.length > MAX_SELECTOR_CHARS)
    throw new SelectorError(`the selector is longer than ${MAX_SELECTOR_CHARS} characters`);
  if (!s.startsWith("$"))
    throw new SelectorError(`a selector starts with $, e.g. $.data[*].value (got "${s}")`);
  const steps = [];
  let i = 1;
  while (i < s.length) {
    if (steps.length >= MAX_STEPS) throw new SelectorError(`the selector has more than ${MAX_STEPS} steps`);
    const c = s[i];
    if (c === ".") {
      if (s[i + 1] === "*") {
        steps.push({ kind: "all" });
        i += 2;
        continue;
      }
      const name = /^[A-Za-z_$][\w$-]*/.exec(s.slice(i + 1))?.[0];
      if (!name) throw new SelectorError(`expected a name after "." at position ${i + 1} of "${s}"`);
      steps.push({ kind: "key", key: name });
      i += 1 + name.length;
    } else if (c === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) throw new SelectorError(`unclosed [ at position ${i + 1} of "${s}"`);
      const inner = s.slice(i + 1, close).trim();
      if (inner === "*") steps.push({ kind: "all" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) steps.push({ kind: "key", key: inner.slice(1, -1) });
      else throw new SelectorError(`[${inner}] at position ${i + 1} of "${s}" must be [n], [*] or ["name"]`);
      i = close + 1;
    } else {
      throw new SelectorError(`unexpected "${c}" at position ${i + 1} of "${s}"`);
    }
  }
  return steps;
}
function select(root, steps) {
  let current3 = [root];
  for (const step of steps) {
    const next = [];
    for (const node of current3) {
      if (step.kind === "key") {
        if (isObject(node) && Object.hasOwn(node, step.key)) next.push(node[step.key]);
      } else if (step.kind === "index") {
        if (Array.isArray(node)) {
          const item = node[step.index < 0 ? node.length + step.index : step.index];
          if (item !== void 0) next.push(item);
        }
      } else {
        const children = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
        if (next.length + children.length > MAX_MATCHES) {
          throw new SelectorError(`the selector matches more than ${MAX_MATCHES} values`);
        }
        for (const child of children) next.push(child);
      }
    }
    current3 = next;
  }
  return current3;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var MAX_STEPS, MAX_SELECTOR_CHARS, MAX_MATCHES, SelectorError;
var init_json_selector = __esm({
  "src/sources/json-selector.ts"() {
    "use strict";
    MAX_STEPS = 32;
    MAX_SELECTOR_CHARS = 256;
    MAX_MATCHES = 1e5;
    SelectorError = class extends Error {
    };
  }
});

// src/sources/json-source.ts
function pairUp(times, values) {
  if (times.length !== values.length) {
    throw new MetricSourceError(
      `json-timestamps selects ${times.length} values but json-values selects ${values.length}; they must select one each per point.`
    );
  }
  const points = [];
  for (let i = 0; i < times.length; i++) {
    const t = toSeconds2(times[i]);
    const v = toNumber(values[i]);
    if (t === void 0)
      throw new MetricSourceError(
        `json-timestamps selected ${JSON.stringify(times[i])}, which is not a time.`
      );
    if (v !== void 0) points.push({ t, v });
  }
  return points;
}
function toSeconds2(value) {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isFinite(n)) return n >= MS_THRESHOLD2 ? n / 1e3 : n;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms / 1e3;
  }
  return void 0;
}
function toNumber(value) {
  if (value === null) return void 0;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  throw new MetricSourceError(
    `json-values selected ${JSON.stringify(value)?.slice(0, 80)}, which is not a number.`
  );
}
function selector(text3, input) {
  try {
    return parseSelector2(text3);
  } catch (err) {
    throw new MetricSourceError(`${input}: ${errorMessage(err)}`);
  }
}
function checkTemplate(template, input) {
  for (const m of template.matchAll(TEMPLATE)) {
    if (!VARIABLES.includes(m[1] ?? "")) {
      throw new MetricSourceError(
        `${input} uses {{${m[1]}}}; the variables are ${VARIABLES.map((v) => `{{${v}}}`).join(", ")}.`
      );
    }
  }
}
function variables(query, start, end, step) {
  return {
    query,
    start: String(Math.floor(start)),
    end: String(Math.ceil(end)),
    step: String(step),
    startMs: String(Math.floor(start * 1e3)),
    endMs: String(Math.ceil(end * 1e3)),
    startIso: new Date(start * 1e3).toISOString(),
    endIso: new Date(end * 1e3).toISOString()
  };
}
function fill(template, vars, escape) {
  return template.replace(TEMPLATE, (_, name) => escape(vars[name]));
}
var VARIABLES, TEMPLATE, ENV_REF, MS_THRESHOLD2, JsonSource;
var init_json_source = __esm({
  "src/sources/json-source.ts"() {
    "use strict";
    init_errors2();
    init_http();
    init_http_source();
    init_json_selector();
    init_step_grid();
    init_errors();
    VARIABLES = ["query", "start", "end", "step", "startMs", "endMs", "startIso", "endIso"];
    TEMPLATE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
    ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;
    MS_THRESHOLD2 = 1e11;
    JsonSource = class {
      constructor(options) {
        this.options = options;
        const method = (options.method?.trim() || (options.body ? "POST" : "GET")).toUpperCase();
        if (method !== "GET" && method !== "POST")
          throw new MetricSourceError(`json-method "${method}" must be GET or POST.`);
        this.method = method;
        checkTemplate(options.url, "json-url");
        if (options.body !== void 0) checkTemplate(options.body, "json-body");
        let probe;
        try {
          probe = new URL(options.url.replace(TEMPLATE, "0"));
        } catch {
          throw new MetricSourceError(
            `json-url "${redactUrl(options.url)}" is not a URL, e.g. https://host/api?q={{query}}.`
          );
        }
        if (probe.protocol !== "http:" && probe.protocol !== "https:") {
          throw new MetricSourceError("json-url must start with http:// or https://.");
        }
        if (options.url.includes("${")) {
          throw new MetricSourceError(
            "json-url must not hold ${\u2026} secrets: URLs end up in logs; send the secret in a header."
          );
        }
        const env = options.env ?? process.env;
        const secrets = [];
        this.headers = { accept: "application/json" };
        if (method === "POST") this.headers["content-type"] = "application/json";
        for (const [name, template] of Object.entries(options.headers ?? {})) {
          this.headers[name.toLowerCase()] = template.replace(ENV_REF, (_, ref) => {
            const value = env[ref];
            if (!value)
              throw new MetricSourceError(
                `The json-headers ${name} needs the environment variable ${ref}, which is not set.`
              );
            secrets.push(value);
            return value;
          });
        }
        this.selectors = {
          timestamps: selector(options.timestamps, "json-timestamps"),
          values: selector(options.values, "json-values"),
          series: options.series ? selector(options.series, "json-series") : void 0,
          label: options.label ? selector(options.label, "json-label") : void 0
        };
        this.name = `JSON at ${probe.host}`;
        this.http = new HttpClient({ ...options, vendor: `The JSON endpoint ${probe.host}`, secrets });
      }
      options;
      name;
      method;
      headers;
      selectors;
      http;
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const vars = variables(query, start - step, end, step);
        const url = new URL(fill(this.options.url, vars, encodeURIComponent));
        const body = this.method === "POST" && this.options.body !== void 0 ? fill(this.options.body, vars, (v) => JSON.stringify(v).slice(1, -1)) : void 0;
        const raw = await this.http.send(
          { method: this.method, url, headers: this.headers, body },
          (answer) => this.parse(answer, query)
        );
        const series = [];
        const warnings2 = [];
        for (const s of raw) {
          const { samples, interval } = onStepGrid(s.points, { start, end, step, stampedAtStart: false });
          const w = resampleWarning(
            "The JSON endpoint",
            interval,
            step,
            "Ask the endpoint for one point per step ({{step}})."
          );
          if (w && !warnings2.includes(w)) warnings2.push(w);
          if (samples.length > 0) series.push({ labels: s.labels, samples });
        }
        return { series, warnings: warnings2 };
      }
      parse(answer, query) {
        const json = tryJson(answer.body);
        if (answer.status < 200 || answer.status > 299) {
          const auth = answer.status === 401 || answer.status === 403 ? " Check the credentials in json-headers (the ${ENV_NAME} they read)." : "";
          throw new VendorError(
            `${this.http.vendor} answered HTTP ${answer.status}: ${snippet(answer.body)}
  query: ${query}${auth}`,
            answer.status
          );
        }
        if (json === void 0) {
          throw new VendorError(
            `${this.http.vendor} answered with a body that is not JSON: ${snippet(answer.body)}`,
            answer.status
          );
        }
        try {
          const roots = this.selectors.series ? select(json, this.selectors.series) : [json];
          const out = roots.map((root, i) => {
            const label2 = this.selectors.label ? select(root, this.selectors.label)[0] : void 0;
            const labels2 = this.selectors.series ? { series: label2 === void 0 || label2 === null ? String(i) : String(label2) } : {};
            return {
              labels: labels2,
              points: pairUp(select(root, this.selectors.timestamps), select(root, this.selectors.values))
            };
          });
          enforceLimits(
            this.http.vendor,
            out.length,
            out.map((s) => s.points.length)
          );
          return out;
        } catch (err) {
          if (err instanceof SelectorError) throw new MetricSourceError(`${this.http.vendor}: ${err.message}`);
          throw err;
        }
      }
    };
  }
});

// src/sources/newrelic.ts
function timeseriesNrql(query, start, end, step) {
  const q = query.trim().replace(/;\s*$/, "");
  const own = OWN_CLAUSES.exec(q);
  if (own) {
    throw new MetricSourceError(
      `The NRQL has ${own[1]?.toUpperCase()}, which the gate sets itself (SINCE/UNTIL from the baseline and window, TIMESERIES from the step); remove it: ${q}`
    );
  }
  const since = start - step;
  const buckets = Math.ceil((end - since) / step);
  if (buckets > MAX_BUCKETS) {
    return `${q} SINCE ${Math.floor(since * 1e3)} UNTIL ${Math.ceil(end * 1e3)} TIMESERIES MAX`;
  }
  return `${q} SINCE ${Math.floor(since * 1e3)} UNTIL ${Math.ceil(end * 1e3)} TIMESERIES ${step} seconds`;
}
function groupRows(rows) {
  const out = /* @__PURE__ */ new Map();
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const begin = Number(row.beginTimeSeconds);
    const end = Number(row.endTimeSeconds);
    if (!Number.isFinite(begin)) continue;
    const valueKeys = Object.keys(row).filter((k) => !ROW_META.has(k) && !isFacetAttribute(k, row));
    if (valueKeys.length !== 1) {
      throw new MetricSourceError(
        `New Relic answered ${valueKeys.length} values per bucket (${valueKeys.join(", ")}); a check reads one: SELECT a single function.`
      );
    }
    const value = numberIn(row[valueKeys[0] ?? ""]);
    const labels2 = facetLabels(row);
    const key = JSON.stringify(labels2);
    let series = out.get(key);
    if (!series)
      out.set(key, series = { labels: labels2, points: [], interval: end > begin ? end - begin : void 0 });
    if (value !== void 0) series.points.push({ t: begin, v: value });
  }
  return out;
}
function isFacetAttribute(key, row) {
  if (row.facet === void 0) return false;
  const facets = Array.isArray(row.facet) ? row.facet.map(String) : [String(row.facet)];
  return typeof row[key] === "string" && facets.includes(row[key]);
}
function facetLabels(row) {
  if (row.facet === void 0) return {};
  const labels2 = {
    facet: Array.isArray(row.facet) ? row.facet.map(String).join(", ") : String(row.facet)
  };
  for (const [k, v] of Object.entries(row)) if (isFacetAttribute(k, row)) labels2[k] = String(v);
  return labels2;
}
function numberIn(value) {
  if (typeof value === "number") return value;
  if (value === null) return void 0;
  if (isRecord(value)) {
    const nums = Object.values(value).filter((v) => typeof v === "number");
    if (nums.length === 1) return nums[0];
  }
  return void 0;
}
function dig(obj, path) {
  let cur = obj;
  for (const key of path) {
    if (!isRecord(cur)) return void 0;
    cur = cur[key];
  }
  return cur;
}
var NEW_RELIC_ENDPOINTS, OWN_CLAUSES, ROW_META, MAX_BUCKETS, TRANSIENT_CLASSES, NewRelicSource;
var init_newrelic = __esm({
  "src/sources/newrelic.ts"() {
    "use strict";
    init_errors2();
    init_http();
    init_http_source();
    init_step_grid();
    NEW_RELIC_ENDPOINTS = {
      us: "https://api.newrelic.com/graphql",
      eu: "https://api.eu.newrelic.com/graphql"
    };
    OWN_CLAUSES = /\b(SINCE|UNTIL|TIMESERIES|COMPARE\s+WITH)\b/i;
    ROW_META = /* @__PURE__ */ new Set(["beginTimeSeconds", "endTimeSeconds", "facet"]);
    MAX_BUCKETS = 366;
    TRANSIENT_CLASSES = /* @__PURE__ */ new Set(["TIMEOUT", "SERVER_ERROR", "TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR"]);
    NewRelicSource = class {
      name;
      url;
      accountId;
      headers;
      http;
      constructor(options) {
        const accountId = options.accountId?.trim() ?? "";
        if (!/^\d{1,12}$/.test(accountId)) {
          throw new MetricSourceError(
            `New Relic needs the numeric account id (newrelic-account-id), got "${accountId}"; it is in the URL of one.newrelic.com (?account=\u2026).`
          );
        }
        const apiKey = options.apiKey?.trim();
        if (!apiKey) {
          throw new MetricSourceError(
            "New Relic needs a user API key (NRAK-\u2026): set NEW_RELIC_API_KEY (in the Action, the newrelic-api-key input from a secret)."
          );
        }
        const region = (options.region?.trim() || "us").toLowerCase();
        if (region !== "us" && region !== "eu") {
          throw new MetricSourceError(`New Relic region "${region}" must be us or eu.`);
        }
        this.url = new URL(options.endpoint?.trim() || NEW_RELIC_ENDPOINTS[region]);
        this.accountId = Number(accountId);
        this.name = `New Relic (account ${accountId}, ${region.toUpperCase()})`;
        this.headers = { "content-type": "application/json", accept: "application/json", "api-key": apiKey };
        this.http = new HttpClient({ ...options, vendor: "New Relic", secrets: [apiKey] });
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const nrql = timeseriesNrql(query, start, end, step);
        const body = JSON.stringify({
          query: "query($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql, timeout: 60) { results } } } }",
          variables: { accountId: this.accountId, nrql }
        });
        const rows = await this.http.send(
          { method: "POST", url: this.url, headers: this.headers, body },
          (answer) => this.parse(answer, nrql)
        );
        const bySeries = groupRows(rows);
        enforceLimits(
          "New Relic",
          bySeries.size,
          [...bySeries.values()].map((s) => s.points.length)
        );
        const series = [];
        const warnings2 = [];
        for (const s of bySeries.values()) {
          const { samples, interval } = onStepGrid(s.points, {
            start,
            end,
            step,
            interval: s.interval,
            stampedAtStart: true
          });
          const w = resampleWarning("New Relic", interval, step, "NRQL widens buckets over long ranges.");
          if (w && !warnings2.includes(w)) warnings2.push(w);
          if (samples.length > 0) series.push({ labels: s.labels, samples });
        }
        return { series, warnings: warnings2 };
      }
      parse(answer, nrql) {
        const json = tryJson(answer.body);
        const obj = isRecord(json) ? json : void 0;
        const errors = obj && Array.isArray(obj.errors) ? obj.errors.filter(isRecord) : [];
        const messages = errors.map((e) => String(e.message ?? "")).filter(Boolean);
        const classes = errors.map((e) => isRecord(e.extensions) ? String(e.extensions.errorClass ?? "") : "");
        if (answer.status === 401 || answer.status === 403 || messages.some((m) => /api[- ]key/i.test(m))) {
          throw new VendorError(
            `New Relic refused the key (HTTP ${answer.status}${messages.length ? `: ${messages.join("; ")}` : ""}): NEW_RELIC_API_KEY must be a user key (NRAK-\u2026) with access to account ${this.accountId}, and the region (us/eu) must be the account's.`,
            answer.status,
            { retryable: false }
          );
        }
        if (answer.status < 200 || answer.status > 299 || !obj) {
          throw new VendorError(
            `New Relic answered HTTP ${answer.status}: ${messages.length ? messages.join("; ") : snippet(answer.body)}`,
            answer.status
          );
        }
        if (messages.length > 0) {
          const transient = classes.some((c) => TRANSIENT_CLASSES.has(c));
          throw new VendorError(
            `New Relic rejected the NRQL: ${messages.join("; ")}
  nrql: ${nrql}
  ${transient ? "New Relic could not answer in time; try again or query less." : "fix the query (try it in the New Relic query builder)."}`,
            answer.status,
            { retryable: transient }
          );
        }
        const results = dig(obj, ["data", "actor", "account", "nrql", "results"]);
        if (results === null || results === void 0) {
          throw new VendorError(
            `New Relic answered without results for account ${this.accountId} (no access to it?): ${snippet(answer.body)}`,
            answer.status,
            { retryable: false }
          );
        }
        if (!Array.isArray(results))
          throw new VendorError("New Relic's nrql.results is not a list.", answer.status);
        return results;
      }
    };
  }
});

// src/sources/index.ts
function createSource(a, b) {
  if (typeof a === "string") return createOne(a, b ?? {});
  return createLegacy(a);
}
function createOne(kind, settings) {
  const { timeoutMs: timeoutMs2, retries, backoffMs, sleep: sleep3, random } = settings;
  const retry = { timeoutMs: timeoutMs2, retries, backoffMs, sleep: sleep3, random };
  const env = settings.env ?? process.env;
  switch (kind) {
    case "prometheus": {
      const { url, sigv4, ...http } = settings.prometheus ?? {};
      if (!url?.trim()) {
        throw new MetricSourceError(
          "The prometheus source needs a URL: set prometheus-url (--prometheus-url), e.g. http://prometheus:9090."
        );
      }
      if (sigv4 || isAmazonPrometheusUrl(url)) {
        return createAmazonPrometheusSource({ ...http, ...retry, url, env, ...settings.aws });
      }
      return new PrometheusHttpSource({ ...http, ...retry, url });
    }
    case "file":
      if (!settings.file?.trim()) {
        throw new MetricSourceError(
          "The file source needs a metrics file: set metrics-file (--metrics-file)."
        );
      }
      return new FileSource({ path: settings.file.trim() });
    case "datadog":
      return new DatadogSource({ ...retry, ...settings.datadog });
    case "cloudwatch":
      return new CloudWatchSource({ ...retry, ...settings.aws, env });
    case "newrelic":
      return new NewRelicSource({ ...retry, ...settings.newrelic });
    case "json":
      if (!settings.json?.url) {
        throw new MetricSourceError("The json source needs json-url, json-timestamps and json-values.");
      }
      return new JsonSource({ ...retry, ...settings.json, env });
    default:
      throw new MetricSourceError(`Unknown source "${String(kind)}"; use one of ${SOURCE_KINDS.join(", ")}.`);
  }
}
function defaultKindOf(settings) {
  return settings.file?.trim() && !settings.prometheus?.url?.trim() ? "file" : "prometheus";
}
function createLegacy(options) {
  const { prometheusUrl, file: filePath, ...http } = options;
  const url = prometheusUrl?.trim() || void 0;
  const file = filePath?.trim() || void 0;
  if (url && file) {
    throw new MetricSourceError(
      "Both prometheus-url (--prometheus-url) and metrics-file (--metrics-file) are set; use the URL for live checks or the file for offline runs, not both."
    );
  }
  if (file) return new FileSource({ path: file });
  if (url) {
    return new PrometheusHttpSource({ ...http, url });
  }
  throw new MetricSourceError(
    "No metric source: set prometheus-url (--prometheus-url) to a Prometheus URL, e.g. http://prometheus:9090, or metrics-file (--metrics-file) for offline runs, or source (--source) for another backend."
  );
}
var SourceSet;
var init_sources = __esm({
  "src/sources/index.ts"() {
    "use strict";
    init_defaults();
    init_amazon_prometheus();
    init_cloudwatch();
    init_datadog();
    init_errors2();
    init_file_source();
    init_http_source();
    init_json_source();
    init_newrelic();
    init_errors2();
    init_file_source();
    init_cloudwatch();
    init_datadog();
    init_newrelic();
    init_json_source();
    init_amazon_prometheus();
    init_aws_sigv4();
    init_http();
    init_step_grid();
    init_http_source();
    SourceSet = class {
      constructor(settings, defaultKind = defaultKindOf(settings)) {
        this.settings = settings;
        this.defaultKind = defaultKind;
        this.name = defaultKind;
      }
      settings;
      defaultKind;
      name;
      made = /* @__PURE__ */ new Map();
      forKind(kind) {
        let source = this.made.get(kind);
        if (!source) this.made.set(kind, source = createOne(kind, this.settings));
        return source;
      }
      queryRange(query, start, end, step) {
        return this.forKind(this.defaultKind).queryRange(query, start, end, step);
      }
    };
  }
});

// src/cli/io.ts
import { Octokit } from "octokit";
function githubToken(env) {
  return env.GITHUB_TOKEN || env.GH_TOKEN || void 0;
}
function cliOctokit(env, githubUrl, needs) {
  const token = githubToken(env);
  if (!token)
    throw new ConfigError(`GITHUB_TOKEN (or GH_TOKEN) is not set; export a token that can ${needs}`);
  const baseUrl = (githubUrl ?? "https://api.github.com").replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`--github-url must be a URL, got "${githubUrl}"`);
  }
  return new Octokit({ auth: token, baseUrl, retry: { enabled: false }, throttle: { enabled: false } });
}
function wantsJson(argv) {
  return argv.some((a, i) => a === "--format=json" || a === "--format" && argv[i + 1] === "json");
}
function writeFailure(command, message, exitCode, io, argv = []) {
  if (wantsJson(argv)) {
    const error = {
      command: command || null,
      kind: exitCode === EXIT.usage ? "usage" : "runtime",
      message,
      exitCode
    };
    io.stdout(`${JSON.stringify({ error })}
`);
  }
  io.stderr(`aftershock${command ? ` ${command}` : ""}: ${message}
`);
  return exitCode;
}
function explainParseError(err, flags) {
  if (err.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return err.message;
  const option2 = /'(-{1,2}[^']+)'/.exec(err.message)?.[1] ?? "";
  const name = option2.replace(/^-+/, "").split("=")[0] ?? "";
  const near = closest(name, flags);
  return `unknown option ${option2}${near === void 0 ? "" : `; did you mean --${near}?`} (see --help)`;
}
function reportFailure(command, err, io, context = {}) {
  const code2 = err?.code;
  const usage = err instanceof ConfigError || typeof code2 === "string" && code2.startsWith("ERR_PARSE_ARGS");
  const text3 = err instanceof Error ? usage ? explainParseError(err, context.flags ?? []) : err.message : String(err);
  const message = usage ? text3 : text3.split("\n")[0] ?? "";
  const { secret } = context;
  const shown3 = secret ? message.split(secret).join("***") : message;
  return writeFailure(command, shown3, usage ? EXIT.usage : EXIT.fail, io, context.argv);
}
var EXIT;
var init_io = __esm({
  "src/cli/io.ts"() {
    "use strict";
    init_errors();
    init_did_you_mean();
    EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 };
  }
});

// src/core/incident/related-group-schema.ts
import { z as z4 } from "zod";
var RelatedAlertSchema, RelatedGroupSchema;
var init_related_group_schema = __esm({
  "src/core/incident/related-group-schema.ts"() {
    "use strict";
    RelatedAlertSchema = z4.object({
      fingerprint: z4.string(),
      status: z4.enum(["firing", "resolved"]),
      alertname: z4.string(),
      summary: z4.string().optional()
    });
    RelatedGroupSchema = z4.object({
      groupKey: z4.string(),
      /** The group's alert name, as a title would show it. */
      name: z4.string(),
      service: z4.string(),
      severity: z4.enum(["P1", "P2", "P3"]),
      status: z4.enum(["firing", "resolved"]),
      joinedAt: z4.string(),
      /** A bounded sample of the group's alerts (see MAX_RELATED_ALERTS); `count` says how many there are. */
      alerts: z4.array(RelatedAlertSchema),
      count: z4.number().int().min(0),
      firing: z4.number().int().min(0),
      /** A digest of every alert's fingerprint and status: an identical redelivery changes nothing. */
      digest: z4.string()
    });
  }
});

// src/core/incident/response-state.ts
import { z as z5 } from "zod";
function emptyResponseState() {
  return { actionItems: [], rollbacks: [], handled: [] };
}
function readResponseState(record2) {
  const parsed = IncidentResponseStateSchema.safeParse(record2.response ?? {});
  return parsed.success ? parsed.data : emptyResponseState();
}
function isHandled(state, key) {
  return state.handled.includes(key);
}
function markHandled(state, key, max = MAX_HANDLED_KEYS) {
  if (isHandled(state, key)) return state;
  return { ...state, handled: [...state.handled, key].slice(-max) };
}
var ActionItemSchema, RollbackSchema, IncidentResponseStateSchema, MAX_HANDLED_KEYS;
var init_response_state = __esm({
  "src/core/incident/response-state.ts"() {
    "use strict";
    ActionItemSchema = z5.object({
      text: z5.string(),
      /** When it was recorded (ISO 8601). */
      at: z5.string(),
      /** The issue filed for it, once filed. */
      issue: z5.number().int().positive().optional()
    });
    RollbackSchema = z5.object({
      /** The suspect PR being reverted. */
      pr: z5.number().int().positive(),
      /** The revert PR aftershock opened. */
      revertPr: z5.number().int().positive().optional(),
      url: z5.string().optional(),
      state: z5.enum(["opened", "merged", "closed"]),
      at: z5.string()
    });
    IncidentResponseStateSchema = z5.object({
      acknowledgedAt: z5.string().optional(),
      mitigatedAt: z5.string().optional(),
      resolvedAt: z5.string().optional(),
      /** The /resolve summary. */
      resolution: z5.string().optional(),
      /** The cause as responders know it; without it the post-mortem names the top suspect as suspected. */
      rootCause: z5.object({ pr: z5.number().int().positive().optional(), confirmed: z5.boolean().default(false) }).optional(),
      actionItems: z5.array(ActionItemSchema).default([]),
      rollbacks: z5.array(RollbackSchema).default([]),
      postmortem: z5.object({ path: z5.string(), pr: z5.number().int().positive().optional(), url: z5.string().optional() }).optional(),
      /** `commandKey`s already run, newest last, bounded (see `markHandled`). */
      handled: z5.array(z5.string()).default([])
    });
    MAX_HANDLED_KEYS = 200;
  }
});

// src/core/incident/incident-record.ts
import { createHash } from "node:crypto";
import { z as z6 } from "zod";
function boundedKey(key, max = MAX_KEY_LENGTH) {
  if (key.length <= max) return key;
  const digest2 = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 32);
  return `${key.slice(0, max - 41)}\u2026sha256:${digest2}`;
}
function boundedWarnings(warnings2) {
  const cut = (w) => w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 1)}\u2026` : w;
  if (warnings2.length <= MAX_WARNINGS) return warnings2.map(cut);
  const rest = warnings2.length - (MAX_WARNINGS - 1);
  return [...warnings2.slice(0, MAX_WARNINGS - 1).map(cut), `\u2026 and ${rest} more warnings`];
}
function serializeRecord(record2) {
  const json = JSON.stringify(record2);
  return `<!-- ${MARKER} ${Buffer.from(json, "utf8").toString("base64")} -->`;
}
function parseRecord(body) {
  const match = [...(body ?? "").matchAll(new RegExp(BLOCK.source, "g"))].at(-1);
  if (!match) return null;
  let json;
  try {
    json = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  } catch {
    return null;
  }
  const result = IncidentRecordSchema.safeParse(json);
  if (!result.success) return null;
  const raw = json.fingerprints;
  const fingerprints = Object.fromEntries(
    Object.entries(raw).flatMap(([fp, alert]) => {
      const parsed = AlertStateSchema.safeParse(alert);
      return parsed.success ? [[fp, parsed.data]] : [];
    })
  );
  return { ...result.data, fingerprints };
}
function boundAlerts(alerts) {
  const entries = Object.entries(alerts);
  const fingerprints = Object.fromEntries(entries.slice(0, MAX_FINGERPRINTS));
  const unlisted = unlistedOf(entries.slice(MAX_FINGERPRINTS));
  return { fingerprints, ...unlisted ? { unlisted } : {} };
}
function unlistedOf(entries) {
  if (entries.length === 0) return void 0;
  return {
    count: entries.length,
    firing: entries.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(entries)
  };
}
function alertsDigest(entries) {
  const lines = entries.map(([fp, a]) => `${fp} ${a.status}`).sort();
  return createHash("sha256").update(lines.join("\n"), "utf8").digest("hex").slice(0, 32);
}
function mergeDelivery(record2, delivery, at2, actor) {
  const changes = [];
  const kept = new Map(Object.entries(record2.fingerprints));
  const beyond = [];
  for (const [fingerprint, alert] of Object.entries(delivery.alerts)) {
    const before = kept.get(fingerprint);
    if (!before && kept.size >= MAX_FINGERPRINTS) {
      beyond.push([fingerprint, alert]);
      continue;
    }
    if (!before) changes.push({ kind: "alert-added", fingerprint, alert });
    else if (before.status !== alert.status)
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint,
        alert
      });
    else if (before.endsAt === alert.endsAt && before.summary === alert.summary) continue;
    kept.set(fingerprint, { ...alert, startsAt: before?.startsAt ?? alert.startsAt });
  }
  const unlisted = unlistedOf(beyond);
  if (unlisted && unlisted.digest !== record2.unlisted?.digest)
    changes.push({ kind: "alerts-unlisted", count: unlisted.count, firing: unlisted.firing });
  if (delivery.status !== record2.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  const { unlisted: _previous, ...rest } = record2;
  const next = {
    ...rest,
    fingerprints: Object.fromEntries(kept),
    ...unlisted ? { unlisted } : {},
    status: delivery.status,
    timeline: [...record2.timeline, ...timelineEntries(changes, at2, actor)]
  };
  return { record: next, changes };
}
function timelineEntry(change, at2, actor) {
  return { at: at2, actor, kind: change.kind, text: describeChange(change) };
}
function timelineEntries(changes, at2, actor) {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c,
    (change) => timelineEntry(change, at2, actor),
    at2,
    actor
  );
}
function cappedTimeline(items, isAlertChange, entryOf, at2, actor) {
  const perAlert = items.filter(isAlertChange);
  const listed = new Set(perAlert.slice(0, MAX_TIMELINE_CHANGES));
  const entries = items.filter((i) => !isAlertChange(i) || listed.has(i)).map(entryOf);
  const more2 = perAlert.length - listed.size;
  if (more2 > 0) entries.push({ at: at2, actor, kind: "alerts-changed", text: `\u2026 and ${more2} more alert changes` });
  return entries;
}
function describeChange(change) {
  switch (change.kind) {
    case "alert-added":
      return `New alert ${change.alert.alertname} (${change.fingerprint}) is ${change.alert.status}`;
    case "alert-resolved":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) resolved`;
    case "alert-refired":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) fired again`;
    case "resolved":
      return "The alert group resolved";
    case "refired":
      return "The alert group fired again";
    case "alerts-unlisted":
      return `${change.count} more alerts (${change.firing} firing) beyond the ${MAX_FINGERPRINTS} listed`;
  }
}
function serializedSize(record2) {
  return serializeRecord(record2).length;
}
function compactRecord(full, budget = 3e4) {
  if (serializedSize(full) <= budget) return full;
  const record2 = { ...full, warnings: boundedWarnings(full.warnings) };
  const withoutAnnotations = {
    ...record2,
    fingerprints: Object.fromEntries(
      Object.entries(record2.fingerprints).map(([fp, { annotations: _dropped, ...alert }]) => [fp, alert])
    )
  };
  if (serializedSize(withoutAnnotations) <= budget) return withoutAnnotations;
  const steps = [
    { detailed: Infinity, summary: 200, timeline: 200, name: 200 },
    { detailed: 50, summary: 200, timeline: 100, name: 100 },
    { detailed: 10, summary: 100, timeline: 30, name: 60 },
    { detailed: 0, summary: 0, timeline: 10, name: 40 },
    // Last resort (hundreds of alerts): only fingerprint and status, which deduplication needs.
    { detailed: 0, summary: 0, timeline: 10, name: 0 }
  ];
  let compacted = record2;
  for (const step of steps) {
    compacted = {
      ...record2,
      fingerprints: Object.fromEntries(
        Object.entries(record2.fingerprints).map(([fp, alert], i) => {
          const { summary: summary3, url, labels: labels2, annotations: _dropped, ...rest } = alert;
          const kept = { ...rest, alertname: alert.alertname.slice(0, step.name) };
          if (step.name === 0) kept.startsAt = "";
          if (i >= step.detailed) return [fp, kept];
          return [
            fp,
            {
              ...kept,
              ...summary3 ? { summary: summary3.slice(0, step.summary) } : {},
              ...url ? { url } : {},
              // Labels stay with the detailed alerts, cut like summaries, and go when summaries do.
              ...labels2 && step.summary > 0 ? { labels: cutValues(labels2, step.summary) } : {}
            }
          ];
        })
      ),
      timeline: record2.timeline.slice(-step.timeline)
    };
    if (serializedSize(compacted) <= budget) return compacted;
  }
  return lastResort(compacted);
}
function lastResort(record2) {
  const cut = (text3) => text3.slice(0, 100);
  return {
    ...record2,
    name: cut(record2.name),
    service: cut(record2.service),
    environment: cut(record2.environment),
    warnings: record2.warnings.slice(0, 3).map(cut),
    deploys: record2.deploys.slice(0, 5),
    suspects: record2.suspects.slice(0, 5).map(({ files: _files, ...s }) => ({
      ...s,
      title: cut(s.title),
      reasons: s.reasons.slice(0, 3).map(cut)
    })),
    timeline: record2.timeline.slice(-3).map((e) => ({ ...e, text: cut(e.text) })),
    ...record2.similar ? { similar: record2.similar.slice(0, 2) } : {}
  };
}
function cutValues(values, max) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.slice(0, max)]));
}
var RECORD_VERSION, MARKER, BLOCK, AlertStateSchema, TimelineEntrySchema, DeploySchema, SuspectSchema, SimilarSchema, UnlistedSchema, MAX_FINGERPRINTS, MAX_KEY_LENGTH, MAX_WARNINGS, MAX_WARNING_LENGTH, MAX_TIMELINE_CHANGES, IncidentRecordSchema;
var init_incident_record = __esm({
  "src/core/incident/incident-record.ts"() {
    "use strict";
    init_related_group_schema();
    init_response_state();
    RECORD_VERSION = 1;
    MARKER = "aftershock:incident";
    BLOCK = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;
    AlertStateSchema = z6.object({
      status: z6.enum(["firing", "resolved"]),
      alertname: z6.string(),
      summary: z6.string().optional(),
      startsAt: z6.string(),
      endsAt: z6.string().optional(),
      url: z6.string().optional(),
      /** The alert's labels and annotations, bounded when described (at most 30 each, values cut to 300). */
      labels: z6.record(z6.string(), z6.string()).optional(),
      annotations: z6.record(z6.string(), z6.string()).optional()
    });
    TimelineEntrySchema = z6.object({
      at: z6.string(),
      actor: z6.string(),
      kind: z6.string(),
      text: z6.string()
    });
    DeploySchema = z6.object({
      id: z6.union([z6.number(), z6.string()]),
      sha: z6.string(),
      environment: z6.string(),
      createdAt: z6.string(),
      status: z6.string(),
      url: z6.string().optional()
    });
    SuspectSchema = z6.object({
      number: z6.number(),
      title: z6.string(),
      author: z6.string(),
      url: z6.string().optional(),
      deploymentId: z6.union([z6.number(), z6.string()]),
      score: z6.number(),
      /** Calibrated chance (0..1) that this PR is the culprit, when the ranker gives one. */
      confidence: z6.number().optional(),
      reasons: z6.array(z6.string()),
      /** Paths the PR changed (bounded), so a later incident can match an earlier culprit's files. */
      files: z6.array(z6.string()).optional()
    });
    SimilarSchema = z6.object({
      number: z6.number(),
      url: z6.string(),
      /** One sentence per match, raw (escaped when rendered). */
      why: z6.array(z6.string()),
      /** How it ended: "rolled back", "fixed forward", "flaky", "open" (a string, so new outcomes still parse). */
      outcome: z6.string()
    });
    UnlistedSchema = z6.object({
      count: z6.number(),
      firing: z6.number(),
      digest: z6.string()
    });
    MAX_FINGERPRINTS = 200;
    MAX_KEY_LENGTH = 200;
    MAX_WARNINGS = 10;
    MAX_WARNING_LENGTH = 500;
    MAX_TIMELINE_CHANGES = 10;
    IncidentRecordSchema = z6.object({
      version: z6.literal(RECORD_VERSION),
      groupKey: z6.string(),
      /**
       * Alerts seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`), at most
       * MAX_FINGERPRINTS. A Map-free record: `__proto__` and other keys are own properties (see parseRecord).
       */
      fingerprints: z6.record(z6.string(), AlertStateSchema),
      /** The latest delivery's alerts that did not fit in `fingerprints`. */
      unlisted: UnlistedSchema.optional(),
      status: z6.enum(["firing", "resolved"]),
      severity: z6.enum(["P1", "P2", "P3"]),
      /** The alert name (or "Deploy check failed") shown in the title. */
      name: z6.string(),
      service: z6.string(),
      environment: z6.string(),
      source: z6.enum(["alert", "deploy-check"]),
      deploys: z6.array(DeploySchema),
      suspects: z6.array(SuspectSchema),
      timeline: z6.array(TimelineEntrySchema),
      openedAt: z6.string(),
      /** Problems worth showing in the issue (a bad config file, suspects that could not be ranked). */
      warnings: z6.array(z6.string()).default([]),
      externalURL: z6.string().optional(),
      /** Why the severity is what it is, raw: `alert HighErrorRate: label severity="critical" → P1`. */
      severityRule: z6.string().optional(),
      /** Where responders look first: the alert's runbook/dashboard, else the repository config's. */
      runbook: z6.string().optional(),
      dashboard: z6.string().optional(),
      /** What responders did: acknowledgement, rollbacks, action items, post-mortem, handled commands. */
      response: IncidentResponseStateSchema.optional(),
      /** Similar past incidents, at most 5, best first. */
      similar: z6.array(SimilarSchema).optional(),
      /** Alert groups that joined this incident because they share its cause (see related-groups.ts). */
      related: z6.array(RelatedGroupSchema).optional(),
      /** The first group's own status once others joined: `status` is then the whole incident's. */
      groupStatus: z6.enum(["firing", "resolved"]).optional()
    });
  }
});

// src/core/incident/response-metrics.ts
function computeResponseMetrics(record2, state = emptyResponseState()) {
  const timeline = record2.timeline;
  const alertStarts = Object.values(record2.fingerprints).map((a) => a.startsAt);
  const start = earliest([
    ...alertStarts,
    ...timeline.filter((e) => START_KINDS.has(e.kind)).map((e) => e.at),
    record2.openedAt
  ]) ?? record2.openedAt;
  const detected = record2.openedAt;
  const acknowledged = state.acknowledgedAt ?? firstOf(timeline, /* @__PURE__ */ new Set([TIMELINE_KINDS.ack]));
  const resolved = state.resolvedAt ?? firstOf(timeline, /* @__PURE__ */ new Set([TIMELINE_KINDS.incidentResolved]));
  const mitigated = state.mitigatedAt ?? firstOf(timeline, MITIGATION_KINDS) ?? resolved;
  const milestones = { start, detected };
  if (acknowledged) milestones.acknowledged = acknowledged;
  if (mitigated) milestones.mitigated = mitigated;
  if (resolved) milestones.resolved = resolved;
  const ms = {};
  const set2 = (key, from, to) => {
    const d = between(from, to);
    if (d !== void 0) ms[key] = d;
  };
  set2("detect", start, detected);
  set2("acknowledge", detected, acknowledged);
  set2("mitigate", start, mitigated);
  set2("resolve", start, resolved);
  const formatted = {};
  for (const [key, value] of Object.entries(ms))
    formatted[key] = formatElapsed(value);
  return { milestones, ms, formatted };
}
function time(iso4) {
  return iso4 === void 0 || iso4 === "" ? NaN : Date.parse(iso4);
}
function earliest(isos) {
  let best;
  for (const iso4 of isos)
    if (!Number.isNaN(time(iso4)) && (best === void 0 || time(iso4) < time(best))) best = iso4;
  return best;
}
function firstOf(timeline, kinds) {
  return earliest(timeline.filter((e) => kinds.has(e.kind)).map((e) => e.at));
}
function between(from, to) {
  const d = time(to) - time(from);
  return Number.isNaN(d) ? void 0 : Math.max(0, d);
}
function formatElapsed(ms) {
  let rest = Math.floor(Math.max(0, ms) / 1e3);
  const parts = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ]) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  const shown3 = parts.filter((p, i) => i === 0 || !p.startsWith("0"));
  return shown3.length === 0 ? "0s" : shown3.join(" ");
}
function formatTime(iso4) {
  const t = time(iso4);
  if (Number.isNaN(t)) return escapeMarkdown(iso4, 40);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
function actorRole(actor) {
  const a = actor.trim().toLowerCase();
  if (a.endsWith("[bot]")) return a.slice(0, -"[bot]".length);
  return SYSTEM_ACTORS.has(a) ? a : "responder";
}
function renderTimeline(entries, maxEntries = 200) {
  const sorted2 = entries.map((e, i) => ({ e, i })).sort((a, b) => (time(a.e.at) || 0) - (time(b.e.at) || 0) || a.i - b.i).map(({ e }) => e);
  const shown3 = sorted2.slice(-maxEntries);
  const rows = shown3.map(
    (e) => `| ${formatTime(e.at)} | ${code(e.kind, 40, { table: true })} | ${escapeMarkdown(actorRole(e.actor), 40)} | ${escapeMarkdown(scrubMentions(e.text), 300)} |`
  );
  const skipped = sorted2.length - shown3.length;
  return [
    "| Time | Event | By | What happened |",
    "| --- | --- | --- | --- |",
    ...skipped > 0 ? [`| | | | \u2026${skipped} earlier entries |`] : [],
    ...rows
  ].join("\n");
}
function scrubMentions(text3) {
  return text3.replace(/(?<![\w.+-])@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9_.-]+)?/g, "a responder");
}
var TIMELINE_KINDS, START_KINDS, MITIGATION_KINDS, SYSTEM_ACTORS;
var init_response_metrics = __esm({
  "src/core/incident/response-metrics.ts"() {
    "use strict";
    init_markdown();
    init_response_state();
    init_response_state();
    TIMELINE_KINDS = Object.freeze({
      opened: "opened",
      alertAdded: "alert-added",
      alertResolved: "alert-resolved",
      alertRefired: "alert-refired",
      groupResolved: "resolved",
      groupRefired: "refired",
      deployCheckFailed: "deploy-check.failed",
      ack: "ack",
      severity: "severity",
      assign: "assign",
      note: "note",
      rollbackOpened: "rollback.opened",
      rollbackMerged: "rollback.merged",
      redeployRequested: "redeploy.requested",
      redeploySucceeded: "redeploy.succeeded",
      incidentResolved: "incident.resolved",
      actionItem: "action-item",
      postmortem: "postmortem"
    });
    START_KINDS = /* @__PURE__ */ new Set([TIMELINE_KINDS.alertAdded, TIMELINE_KINDS.deployCheckFailed]);
    MITIGATION_KINDS = /* @__PURE__ */ new Set([
      TIMELINE_KINDS.rollbackMerged,
      TIMELINE_KINDS.redeploySucceeded,
      TIMELINE_KINDS.groupResolved
    ]);
    SYSTEM_ACTORS = /* @__PURE__ */ new Set(["alertmanager", "aftershock", "github-actions", "deploy-gate"]);
  }
});

// src/core/learning/signature.ts
function normalizeMessage(text3, maxLength = MAX_SIGNATURE_LENGTH) {
  let s = String(text3 ?? "").slice(0, MAX_INPUT_LENGTH);
  for (const [re, placeholder] of RULES) s = s.replace(re, placeholder);
  s = s.replace(
    PATH,
    (path) => path.split("/").map((seg) => ID_SEGMENT.test(seg) && !/^<\w+>$/.test(seg) ? "<id>" : seg).join("/")
  );
  s = s.replace(NUMBER, "<n>");
  s = s.toLowerCase().replace(/\s+/g, " ").trim();
  return Array.from(s).slice(0, maxLength).join("").trimEnd();
}
function exceptionType(text3) {
  const s = String(text3 ?? "").slice(0, MAX_INPUT_LENGTH);
  const m = EXCEPTION.exec(s);
  if (m) return m[1];
  const p = GO_PANIC.exec(s);
  return p ? `panic: ${p[1].trim()}` : void 0;
}
function errorSignature(annotations) {
  if (!annotations) return null;
  const key = SIGNATURE_ANNOTATIONS.find((k) => (annotations[k] ?? "").trim() !== "");
  if (key === void 0) return null;
  const signature = normalizeMessage(annotations[key]);
  if (signature === "") return null;
  const out = { signature, annotation: key };
  for (const k of [key, ...SIGNATURE_ANNOTATIONS]) {
    const type = exceptionType(annotations[k] ?? "");
    if (type) {
      out.exceptionType = type;
      break;
    }
  }
  return out;
}
function recordSignatures(record2) {
  const seen = /* @__PURE__ */ new Map();
  for (const fp of Object.keys(record2.fingerprints).sort()) {
    const sig = errorSignature({ summary: record2.fingerprints[fp]?.summary });
    if (sig && !seen.has(sig.signature)) seen.set(sig.signature, sig);
  }
  return [...seen.values()];
}
var SIGNATURE_ANNOTATIONS, MAX_SIGNATURE_LENGTH, MAX_INPUT_LENGTH, RULES, ID_SEGMENT, PATH, NUMBER, EXCEPTION, GO_PANIC;
var init_signature = __esm({
  "src/core/learning/signature.ts"() {
    "use strict";
    SIGNATURE_ANNOTATIONS = ["error", "exception", "message", "description", "summary"];
    MAX_SIGNATURE_LENGTH = 160;
    MAX_INPUT_LENGTH = 4e3;
    RULES = [
      // ISO 8601 and common log timestamps: 2024-05-01T12:00:00.123Z, 2024-05-01 12:00:00, 12:00:00.5
      [/\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?\b/gi, "<ts>"],
      [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<ts>"],
      // Quoted values: 'abc', "abc", `abc` (the value varies, the shape of the message does not).
      [/"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`/g, "<str>"],
      [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
      [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
      [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<ip>"],
      [/\b0x[0-9a-f]+\b/gi, "<hex>"],
      // Hex runs of 8+ with at least one digit and one letter: commit SHAs, trace ids, object ids.
      [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"]
    ];
    ID_SEGMENT = /^(?=.*\d)[\w-]+$/;
    PATH = /(?:\/[^\s/?#"'`]*)+\/?/g;
    NUMBER = /\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi;
    EXCEPTION = /\b((?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Fault))\b/;
    GO_PANIC = /\bpanic: (runtime error|[a-z][\w .]{0,40}?)(?::|$)/m;
  }
});

// src/core/learning/similar.ts
function findSimilar(current3, past, options = {}) {
  const draft = toDraft(current3);
  const names = new Set([draft.name, ...draft.alertnames ?? []].map(norm));
  const signatures = new Set(draft.signatures ?? []);
  const openedAt = draft.openedAt === void 0 ? NaN : Date.parse(draft.openedAt);
  const out = [];
  for (const p of past) {
    const r = p.record;
    const pastOpened = Date.parse(r.openedAt);
    if (!Number.isNaN(openedAt)) {
      if (pastOpened > openedAt) continue;
      if (r.groupKey === draft.groupKey && r.openedAt === draft.openedAt) continue;
    }
    const matches2 = [];
    const why = [];
    const sameService = norm(r.service) === norm(draft.service);
    const sharedName = alertnamesOf(r).find((n) => names.has(norm(n)));
    if (sameService && sharedName !== void 0) {
      matches2.push("alert");
      why.push(`same alert ${sharedName} on service ${r.service}`);
    }
    const overlaps = culpritOverlaps(draft, r);
    if (overlaps.length > 0) {
      matches2.push("culprit-files");
      for (const o of overlaps)
        why.push(
          `#${o.suspect} touches ${listSome2(o.sharedFiles, 3)}, also changed by #${o.pr} (${o.how === "confirmed" ? "the confirmed culprit" : "rolled back"} in #${p.number})`
        );
    }
    if (draft.source === "deploy-check" && r.source === "deploy-check" && sameService && norm(r.environment) === norm(draft.environment)) {
      matches2.push("deploy-check");
      why.push(`the deploy check of ${r.service} in ${r.environment} failed before`);
    }
    const sharedSig = recordSignatures(r).find((s) => signatures.has(s.signature));
    if (sharedSig) {
      matches2.push("signature");
      why.push(`same error: ${sharedSig.signature}`);
    }
    if (matches2.length === 0) continue;
    out.push({
      number: p.number,
      url: p.url,
      state: p.state,
      name: r.name,
      service: r.service,
      environment: r.environment,
      openedAt: r.openedAt,
      matches: matches2,
      why,
      outcome: outcomeOf(p, options.flakyMs ?? DEFAULT_FLAKY_MS),
      overlaps
    });
  }
  const time3 = (s) => Date.parse(s.openedAt) || 0;
  return out.sort((a, b) => b.matches.length - a.matches.length || time3(b) - time3(a) || b.number - a.number).slice(0, options.limit ?? 5);
}
function culpritsOf(record2) {
  const response = readResponseState(record2);
  const byPr = /* @__PURE__ */ new Map();
  if (response.rootCause?.confirmed) {
    const pr = response.rootCause.pr ?? record2.suspects[0]?.number;
    if (pr !== void 0) byPr.set(pr, { pr, how: "confirmed", files: suspectFiles(record2, pr) });
  }
  for (const rb of response.rollbacks)
    if (rb.state === "merged" && !byPr.has(rb.pr))
      byPr.set(rb.pr, { pr: rb.pr, how: "rolled back", files: suspectFiles(record2, rb.pr) });
  return [...byPr.values()].sort((a, b) => a.pr - b.pr);
}
function outcomeOf(p, flakyMs = DEFAULT_FLAKY_MS) {
  const r = p.record;
  const response = readResponseState(r);
  if (response.rollbacks.some((rb) => rb.state === "merged")) return "rolled back";
  const resolved = response.resolvedAt ?? lastOf(r, ["incident.resolved", "resolved"]);
  const done = p.state === "closed" || r.status === "resolved" || response.resolvedAt !== void 0;
  if (!done) return "open";
  const acted = response.rootCause?.pr !== void 0 || response.rootCause?.confirmed === true || response.actionItems.length > 0 || r.timeline.some((e) => e.kind === "redeploy.succeeded" || e.kind === "redeploy.requested");
  const took = between(r.openedAt, resolved);
  return !acted && took !== void 0 && took <= flakyMs ? "flaky" : "fixed forward";
}
function recurrenceBoost(suspects2, similar, options = {}) {
  const boost = options.boost ?? DEFAULT_RECURRENCE_BOOST;
  const culprits = /* @__PURE__ */ new Map();
  for (const s of similar) for (const o of s.overlaps) if (!culprits.has(o.pr)) culprits.set(o.pr, o);
  const ordered = [...culprits.values()].sort((a, b) => a.pr - b.pr);
  const boosted = suspects2.map((s, i) => {
    const files = new Set(s.files ?? []);
    const byFile = /* @__PURE__ */ new Map();
    for (const c of ordered)
      for (const f2 of [...c.files].sort())
        if (files.has(f2)) byFile.set(f2, [...byFile.get(f2) ?? [], `#${c.pr}, ${c.how}`]);
    if (byFile.size === 0) return { s, i };
    const added = Math.min(1, s.score + boost) - s.score;
    const shown3 = [...byFile].sort(([a], [b]) => a.localeCompare(b));
    const detail = shown3.slice(0, 3).map(([f2, who]) => `${f2} (${listSome2(who, 3, "; ")})`).join(", ") + (shown3.length > 3 ? ` and ${shown3.length - 3} more` : "");
    const reason = `touches files of an earlier culprit: ${detail} (+${added.toFixed(2)})`;
    return { s: { ...s, score: round3(s.score + added), reasons: [...s.reasons, reason] }, i };
  });
  return boosted.sort((a, b) => b.s.score - a.s.score || a.i - b.i).map((x) => x.s);
}
function toDraft(current3) {
  if (!("fingerprints" in current3)) return current3;
  return {
    name: current3.name,
    service: current3.service,
    environment: current3.environment,
    source: current3.source,
    alertnames: alertnamesOf(current3),
    suspects: current3.suspects.map((s) => ({ number: s.number, files: suspectFiles(current3, s.number) })),
    signatures: recordSignatures(current3).map((s) => s.signature),
    openedAt: current3.openedAt,
    groupKey: current3.groupKey
  };
}
function alertnamesOf(r) {
  const names = [r.name, ...Object.values(r.fingerprints).map((a) => a.alertname)];
  return [...new Set(names.filter((n) => n !== ""))];
}
function suspectFiles(record2, pr) {
  return [...record2.suspects.find((x) => x.number === pr)?.files ?? []];
}
function culpritOverlaps(draft, past) {
  const out = [];
  const culprits = culpritsOf(past).filter((c) => c.files.length > 0);
  for (const s of draft.suspects ?? []) {
    const files = new Set(s.files ?? []);
    for (const c of culprits) {
      const sharedFiles = c.files.filter((f2) => files.has(f2)).sort();
      if (sharedFiles.length > 0) out.push({ ...c, suspect: s.number, sharedFiles });
    }
  }
  return out;
}
function lastOf(r, kinds) {
  const at2 = r.timeline.filter((e) => kinds.includes(e.kind)).map((e) => e.at);
  return at2.sort().at(-1);
}
function norm(s) {
  return s.trim().toLowerCase();
}
function round3(x) {
  return Math.round(x * 1e3) / 1e3;
}
function listSome2(items, max, sep = ", ") {
  const shown3 = items.slice(0, max).join(sep);
  return items.length > max ? `${shown3} and ${items.length - max} more` : shown3;
}
var DEFAULT_FLAKY_MS, DEFAULT_RECURRENCE_BOOST;
var init_similar = __esm({
  "src/core/learning/similar.ts"() {
    "use strict";
    init_response_metrics();
    init_response_state();
    init_signature();
    DEFAULT_FLAKY_MS = 30 * 6e4;
    DEFAULT_RECURRENCE_BOOST = 0.15;
  }
});

// src/core/learning/report.ts
function computeReport(input) {
  const since = toDate(input.since, "since");
  const until = toDate(input.until, "until");
  if (until.getTime() < since.getTime())
    throw new Error("the report period ends before it starts (until < since)");
  const now = input.now === void 0 ? until : toDate(input.now, "now");
  const inPeriod = input.incidents.filter((i) => {
    const t = Date.parse(i.record.openedAt);
    return t >= since.getTime() && t <= until.getTime();
  }).sort((a, b) => Date.parse(b.record.openedAt) - Date.parse(a.record.openedAt) || b.number - a.number);
  const rows = inPeriod.map((i) => {
    const metrics = computeResponseMetrics(i.record, readResponseState(i.record));
    return { i, metrics, cause: causeOf(i.record) };
  });
  const bySeverity = { P1: 0, P2: 0, P3: 0 };
  const byCause = { confirmed: 0, suspected: 0, none: 0 };
  const services = /* @__PURE__ */ new Map();
  for (const { i, cause } of rows) {
    bySeverity[i.record.severity] += 1;
    byCause[cause] += 1;
    services.set(i.record.service, (services.get(i.record.service) ?? 0) + 1);
  }
  const weeks = [];
  const weekCount = Math.max(1, Math.ceil((until.getTime() - since.getTime()) / WEEK_MS));
  for (let w = 0; w < weekCount; w++) {
    const from = since.getTime() + w * WEEK_MS;
    const inWeek = rows.filter(({ i }) => {
      const t = Date.parse(i.record.openedAt);
      return t >= from && (t < from + WEEK_MS || w === weekCount - 1 && t <= until.getTime());
    });
    weeks.push({
      start: new Date(from).toISOString().slice(0, 10),
      incidents: inWeek.length,
      mtta: stat(inWeek.map((r) => r.metrics.ms.acknowledge)),
      mttr: stat(inWeek.map((r) => r.metrics.ms.resolve))
    });
  }
  return {
    period: { since: since.toISOString(), until: until.toISOString() },
    totals: {
      incidents: rows.length,
      open: rows.filter(({ i }) => i.state === "open").length,
      closed: rows.filter(({ i }) => i.state === "closed").length
    },
    bySeverity,
    byService: [...services].map(([service, incidents]) => ({ service, incidents })).sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service)),
    byCause,
    mtta: stat(rows.map((r) => r.metrics.ms.acknowledge)),
    mttr: stat(rows.map((r) => r.metrics.ms.resolve)),
    weeks,
    deploys: deployTotals(
      mergeDeployChecks(deployChecksFromIncidents(inPeriod), input.deployChecks ?? []),
      since,
      until
    ),
    hotspots: hotspots(inPeriod),
    openActionItems: openActionItems(inPeriod, input.actionItemStates ?? {}, now),
    signatures: signatureCounts(inPeriod),
    incidents: rows.map(({ i, metrics, cause }) => ({
      number: i.number,
      url: i.url,
      state: i.state,
      name: i.record.name,
      service: i.record.service,
      severity: i.record.severity,
      openedAt: i.record.openedAt,
      cause,
      resolveMs: metrics.ms.resolve ?? null
    }))
  };
}
function causeOf(record2) {
  if (culpritsOf(record2).length > 0) return "confirmed";
  const response = readResponseState(record2);
  return record2.suspects.length > 0 || response.rootCause?.pr !== void 0 ? "suspected" : "none";
}
function stat(values) {
  const xs = values.filter((v) => v !== void 0 && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { n: 0, median: null, mean: null };
  const mid = Math.floor(xs.length / 2);
  const median2 = xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { n: xs.length, median: median2, mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}
function deployChecksFromIncidents(incidents) {
  const out = [];
  for (const { number, record: record2 } of incidents) {
    if (record2.source !== "deploy-check") continue;
    const id2 = /^deploy:(.+)$/.exec(record2.groupKey)?.[1] ?? `incident-${number}`;
    out.push({
      deploymentId: /^\d+$/.test(id2) ? Number(id2) : id2,
      environment: record2.environment,
      service: record2.service,
      at: record2.openedAt,
      verdict: "fail",
      stopped: true
    });
  }
  return out;
}
function deployChecksFromStatuses(statuses) {
  const latest = /* @__PURE__ */ new Map();
  for (const s of statuses) {
    const m = /^aftershock: (pass|fail|inconclusive)\b/.exec(s.description ?? "");
    if (!m) continue;
    const verdict = m[1];
    const key = `${s.environment}\0${s.deploymentId}`;
    const before = latest.get(key);
    if (before && Date.parse(before.at) >= Date.parse(s.createdAt)) continue;
    latest.set(key, {
      deploymentId: s.deploymentId,
      environment: s.environment,
      at: s.createdAt,
      verdict,
      stopped: s.state === "failure" || s.state === "error"
    });
  }
  return [...latest.values()];
}
function mergeDeployChecks(...lists) {
  const byKey = /* @__PURE__ */ new Map();
  for (const list of lists)
    for (const c of list) {
      const key = `${c.environment}\0${c.deploymentId}`;
      byKey.set(key, { ...byKey.get(key), ...c });
    }
  return [...byKey.values()];
}
function deployTotals(checks, since, until) {
  const inPeriod = checks.filter((c) => {
    const t = Date.parse(c.at);
    return t >= since.getTime() && t <= until.getTime();
  });
  return {
    checked: inPeriod.length,
    stopped: inPeriod.filter((c) => c.stopped).length,
    inconclusive: inPeriod.filter((c) => c.verdict === "inconclusive").length
  };
}
function hotspots(incidents) {
  const files = /* @__PURE__ */ new Map();
  const dirs = /* @__PURE__ */ new Map();
  const add = (map, key, n) => {
    if (!map.has(key)) map.set(key, /* @__PURE__ */ new Set());
    map.get(key).add(n);
  };
  for (const { number, record: record2 } of incidents)
    for (const c of culpritsOf(record2))
      for (const f2 of c.files) {
        add(files, f2, number);
        const slash = f2.lastIndexOf("/");
        add(dirs, slash > 0 ? f2.slice(0, slash + 1) : "./", number);
      }
  const ranked = (map) => [...map].map(([path, set2]) => ({ path, incidents: set2.size, numbers: [...set2].sort((a, b) => a - b) })).sort((a, b) => b.incidents - a.incidents || a.path.localeCompare(b.path)).slice(0, TOP);
  return { files: ranked(files), directories: ranked(dirs) };
}
function openActionItems(incidents, states, now) {
  const out = [];
  for (const { number, record: record2 } of incidents)
    for (const item of readResponseState(record2).actionItems) {
      if (item.issue !== void 0 && states[item.issue] === "closed") continue;
      const at2 = Date.parse(item.at);
      const entry2 = {
        incident: number,
        text: item.text,
        at: item.at,
        ageMs: Number.isNaN(at2) ? 0 : Math.max(0, now.getTime() - at2)
      };
      if (item.issue !== void 0) entry2.issue = item.issue;
      out.push(entry2);
    }
  return out.sort((a, b) => b.ageMs - a.ageMs || a.incident - b.incident);
}
function signatureCounts(incidents) {
  const bySig = /* @__PURE__ */ new Map();
  for (const { number, record: record2 } of incidents)
    for (const s of recordSignatures(record2)) {
      const entry2 = bySig.get(s.signature) ?? { signature: s.signature, incidents: 0, numbers: [] };
      if (s.exceptionType && !entry2.exceptionType) entry2.exceptionType = s.exceptionType;
      if (!entry2.numbers.includes(number)) {
        entry2.numbers.push(number);
        entry2.incidents += 1;
      }
      bySig.set(s.signature, entry2);
    }
  return [...bySig.values()].map((e) => ({ ...e, numbers: [...e.numbers].sort((a, b) => a - b) })).sort((a, b) => b.incidents - a.incidents || a.signature.localeCompare(b.signature)).slice(0, TOP);
}
function toDate(value, what) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new Error(`${what}: expected an ISO 8601 date, got "${String(value)}"`);
  return d;
}
function isEmptyReport(report) {
  return report.totals.incidents === 0 && report.deploys.checked === 0 && report.openActionItems.length === 0;
}
var WEEK_MS, TOP;
var init_report = __esm({
  "src/core/learning/report.ts"() {
    "use strict";
    init_response_metrics();
    init_response_state();
    init_similar();
    init_signature();
    WEEK_MS = 7 * 864e5;
    TOP = 10;
  }
});

// src/github/incident-history.ts
async function listIncidentHistory(octokit, query) {
  const out = { incidents: [], skipped: 0, requests: 0, truncated: false };
  const maxPages = query.maxPages ?? 20;
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      out.truncated = true;
      break;
    }
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: query.owner,
      repo: query.repo,
      state: "all",
      labels: query.label ?? "incident",
      since: query.since.toISOString(),
      sort: "created",
      direction: "desc",
      per_page: 100,
      page
    });
    out.requests += 1;
    const issues = data;
    let reachedBack = false;
    for (const issue2 of issues) {
      if (issue2.pull_request) continue;
      if (Date.parse(issue2.created_at) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      const record2 = parseRecord(issue2.body);
      if (!record2) {
        out.skipped += 1;
        continue;
      }
      out.incidents.push({
        number: issue2.number,
        url: issue2.html_url,
        state: issue2.state === "closed" ? "closed" : "open",
        record: record2
      });
    }
    if (reachedBack || issues.length < 100) break;
  }
  return out;
}
async function listActionItemStates(octokit, query) {
  const states = {};
  let requests = 0;
  for (let page = 1; page <= (query.maxPages ?? 10); page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: query.owner,
      repo: query.repo,
      state: "all",
      labels: query.label ?? "action-item",
      per_page: 100,
      page
    });
    requests += 1;
    const issues = data;
    for (const i of issues) if (!i.pull_request) states[i.number] = i.state === "closed" ? "closed" : "open";
    if (issues.length < 100) break;
  }
  return { states, requests };
}
async function listDeployChecks(octokit, query) {
  const statuses = [];
  let cursor = null;
  let requests = 0;
  for (let page = 0; page < (query.maxPages ?? 10); page++) {
    const data = await octokit.graphql(DEPLOYMENTS_QUERY, {
      owner: query.owner,
      repo: query.repo,
      cursor
    });
    requests += 1;
    const deployments = data.repository?.deployments;
    if (!deployments) break;
    let reachedBack = false;
    for (const d of deployments.nodes) {
      if (Date.parse(d.createdAt) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      for (const s of d.statuses.nodes)
        statuses.push({
          deploymentId: d.databaseId,
          environment: d.environment,
          state: s.state.toLowerCase(),
          description: s.description,
          createdAt: s.createdAt
        });
    }
    if (reachedBack || !deployments.pageInfo.hasNextPage) break;
    cursor = deployments.pageInfo.endCursor;
  }
  return { checks: deployChecksFromStatuses(statuses), requests };
}
var DEPLOYMENTS_QUERY;
var init_incident_history = __esm({
  "src/github/incident-history.ts"() {
    "use strict";
    init_incident_record();
    init_report();
    DEPLOYMENTS_QUERY = `
query($owner: String!, $repo: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    deployments(first: 100, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        environment
        createdAt
        statuses(first: 20) { nodes { state description createdAt } }
      }
    }
  }
}`;
  }
});

// src/core/suspects/evidence.ts
function parseEvidence(annotations) {
  if (annotations === void 0) return [];
  let budget = MAX_ANNOTATION_CHARS;
  const frames = [];
  const seen = /* @__PURE__ */ new Set();
  const push = (rawPath, line) => {
    const path = rawPath.replace(/^\.\//, "");
    if (path.length === 0 || path.length > 300 || NOT_SOURCE.test(path)) return;
    if (!path.includes("/") && line === void 0) return;
    if (LIBRARY_PATH.test(path) || seen.has(path) || frames.length >= MAX_FRAMES) return;
    seen.add(path);
    const frame = { path, text: line === void 0 ? path : `${path}:${line}` };
    if (line !== void 0) frame.line = Number(line);
    frames.push(frame);
  };
  for (const key of Object.keys(annotations).sort()) {
    if (budget <= 0) break;
    const text3 = String(annotations[key] ?? "").slice(0, budget);
    budget -= text3.length;
    for (const m of text3.matchAll(PYTHON_FRAME)) push(m[1] ?? "", m[2]);
    for (const m of text3.matchAll(PATH_TOKEN)) {
      push(m[1] ?? "", m[2]);
    }
  }
  return frames;
}
function frameFor(file, frames) {
  const rootFile = !file.includes("/");
  for (const f2 of frames) {
    if (f2.path === file) return f2;
    const shallow = f2.path.replace(/^\//, "").split("/").length <= 2;
    if (f2.path.endsWith(`/${file}`) && (!rootFile || shallow)) return f2;
    if (file.endsWith(`/${f2.path}`)) return f2;
  }
  return void 0;
}
var MAX_ANNOTATION_CHARS, MAX_FRAMES, PATH_TOKEN, PYTHON_FRAME, LIBRARY_PATH, NOT_SOURCE;
var init_evidence = __esm({
  "src/core/suspects/evidence.ts"() {
    "use strict";
    MAX_ANNOTATION_CHARS = 16e3;
    MAX_FRAMES = 50;
    PATH_TOKEN = /(?:^|[\s("'`[=,])(\/?[\w.@~+-]*(?:\/[\w.@~+-]+)*\.[A-Za-z][A-Za-z0-9]{0,7})(?::(\d{1,7}))?/g;
    PYTHON_FRAME = /File "([^"\n]{1,300})", line (\d{1,7})/g;
    LIBRARY_PATH = /(^|\/)(node_modules|site-packages|dist-packages|vendor|\.venv|venv|gems|go\/pkg\/mod|usr\/lib|usr\/local\/lib)\//;
    NOT_SOURCE = /\.(com|org|net|io|dev|app|cloud|local|internal|svc|html?)$/i;
  }
});

// src/core/suspects/paths.ts
import picomatch from "picomatch";
function compileGlob(glob) {
  if (glob.length === 0 || glob.length > MAX_PATTERN_LENGTH) return void 0;
  try {
    return picomatch(glob, GLOB_OPTIONS);
  } catch {
    return void 0;
  }
}
function isNonProductionPath(path) {
  const segments = path.split("/");
  const name = segments[segments.length - 1] ?? "";
  for (let i = 0; i < segments.length - 1; i++) {
    if (NON_PRODUCTION_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  }
  if (/^requirements.*\.txt$/i.test(name)) return false;
  return NON_PRODUCTION_FILE.test(name) || CI_FILE.test(name);
}
function isDependencyFile(path) {
  return DEPENDENCY_FILE.test(path.slice(path.lastIndexOf("/") + 1));
}
function isCosmeticPath(path) {
  if (COSMETIC_FILE.test(path)) return true;
  const segments = path.split("/");
  for (let i = 0; i < segments.length - 1; i++)
    if (COSMETIC_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  return false;
}
var GLOB_OPTIONS, MAX_PATTERN_LENGTH, NON_PRODUCTION_DIRS, NON_PRODUCTION_FILE, CI_FILE, DEPENDENCY_FILE, COSMETIC_FILE, COSMETIC_DIRS;
var init_paths = __esm({
  "src/core/suspects/paths.ts"() {
    "use strict";
    GLOB_OPTIONS = Object.freeze({ dot: true, noextglob: true });
    MAX_PATTERN_LENGTH = 200;
    NON_PRODUCTION_DIRS = /* @__PURE__ */ new Set([
      "test",
      "tests",
      "__tests__",
      "__mocks__",
      "spec",
      "specs",
      "e2e",
      "cypress",
      "playwright",
      "fixtures",
      "testdata",
      "docs",
      "doc",
      "examples",
      "example",
      ".github",
      ".circleci",
      ".gitlab",
      ".vscode",
      ".devcontainer",
      ".changeset"
    ]);
    NON_PRODUCTION_FILE = /(^|[._-])(test|tests|spec)\.[a-z0-9]+$|_test\.go$|^test_.*\.py$|\.(md|mdx|rst|txt|adoc)$|^(license|licence|codeowners|changelog|authors|contributing)(\.[a-z]+)?$|^\.(gitignore|gitattributes|editorconfig|prettierrc|prettierignore|eslintrc|eslintignore|pre-commit-config\.yaml)/i;
    CI_FILE = /^(\.travis\.yml|\.gitlab-ci\.yml|jenkinsfile|azure-pipelines\.yml|\.pre-commit-config\.yaml)$/i;
    DEPENDENCY_FILE = /^(package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|go\.mod|go\.sum|requirements.*\.(txt|in)|poetry\.lock|pyproject\.toml|pipfile(\.lock)?|uv\.lock|gemfile(\.lock)?|cargo\.(toml|lock)|composer\.(json|lock)|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|mix\.(exs|lock)|\.nvmrc|\.node-version|\.tool-versions|\.ruby-version|\.python-version)$/i;
    COSMETIC_FILE = /\.(css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|ico|woff2?|ttf|eot|otf|po|pot|mo|xliff)$/i;
    COSMETIC_DIRS = /* @__PURE__ */ new Set(["locale", "locales", "translations", "i18n", "lang"]);
  }
});

// src/core/suspects/features.ts
function isVerifying(d) {
  return VERIFYING_STATUSES.has(d.status.toLowerCase());
}
function extractFeatures(input, ctx) {
  const merged = new Map(input.map((c) => [c, Date.parse(c.pull.mergedAt)]));
  const candidates = [...input].sort(
    (a, b) => a.deployedAt - b.deployedAt || merged.get(a) - merged.get(b) || a.pull.number - b.pull.number
  );
  const deployTimes = [...new Set(candidates.map((c) => c.deployedAt))];
  const ownership = candidates.map((c) => serviceOwnership(c.pull, ctx.scope));
  const serviceFrom = new Array(candidates.length + 1).fill(0);
  for (let i = candidates.length - 1; i >= 0; i--)
    serviceFrom[i] = serviceFrom[i + 1] + (ownership[i].globs.length > 0 ? 1 : 0);
  return candidates.map((c, i) => {
    const own = ownership[i];
    const p = c.pull;
    const paths = p.files.map((f2) => f2.path);
    const lines = p.additions + p.deletions;
    const touches = own.globs.length > 0;
    const laterServicePulls = serviceFrom[i + 1];
    const deploysAfter = deployTimes.filter((t) => t > c.deployedAt).length;
    const laterPulls = candidates.length - 1 - i;
    const riskyFiles = paths.filter((path) => ctx.isRisky(path));
    const nonProduction = paths.length > 0 && paths.every(isNonProductionPath);
    const dependencyBump = BOT_AUTHOR.test(p.author) || BUMP_TITLE.test(p.title.slice(0, 300)) || paths.some(isDependencyFile) && paths.every((path) => isDependencyFile(path) || isNonProductionPath(path));
    let frame;
    if (ctx.frames.length > 0) {
      for (const file of paths) {
        const f2 = frameFor(file, ctx.frames);
        if (f2) {
          frame = { file, frame: f2 };
          break;
        }
      }
    }
    const ageMs = Math.max(0, ctx.alertAt - c.deployedAt);
    const values = {
      touchesService: touches ? 1 : 0,
      mainService: touches && mainServiceOf(p, ctx.scope) === ctx.scope.service ? 1 : 0,
      serviceShare: touches ? own.share : 0,
      laterServiceChanges: touches ? Math.log1p(laterServicePulls) : 0,
      laterPulls: Math.log1p(laterPulls),
      timeSinceDeploy: Math.log1p(ageMs / 6e5),
      files: Math.log1p(p.files.length),
      riskyPaths: riskyFiles.length > 0 ? 1 : 0,
      nonProductionOnly: nonProduction ? 1 : 0,
      dependencyBump: dependencyBump ? 1 : 0,
      cosmeticOnly: paths.length > 0 && paths.every(isCosmeticPath) ? 1 : 0,
      alertEvidence: frame ? 1 : 0,
      beingVerified: isVerifying(c.deployment) ? 1 : 0,
      checkFailed: c.deployment.checkFailed === true ? 1 : 0
    };
    const facts = {
      serviceGlobs: own.globs,
      totalLines: lines,
      laterServicePulls,
      laterPulls,
      deploysAfter,
      ageMs,
      riskyFiles,
      status: c.deployment.status
    };
    if (frame) facts.frame = frame;
    if (ctx.scope.service !== void 0 && ctx.scope.paths.length > 0) facts.service = ctx.scope.service;
    return { candidate: c, values, facts };
  });
}
function mainServiceOf(p, scope) {
  const votes = /* @__PURE__ */ new Map();
  for (const f2 of p.files) {
    const s = scope.serviceOf(f2.path);
    if (s === void 0) continue;
    const v = votes.get(s) ?? { files: 0, lines: 0 };
    v.files += 1;
    v.lines += f2.additions + f2.deletions;
    votes.set(s, v);
  }
  let best;
  for (const e of votes) {
    if (!best || e[1].files > best[1].files || e[1].files === best[1].files && e[1].lines > best[1].lines)
      best = e;
  }
  return best?.[0];
}
function serviceOwnership(p, scope) {
  const globs = [];
  let lines = 0;
  let files = 0;
  let total = 0;
  for (const f2 of p.files) {
    total += f2.additions + f2.deletions;
    const owner = scope.owner(f2.path);
    if (!owner) continue;
    files += 1;
    lines += f2.additions + f2.deletions;
    if (!globs.some((g) => g.glob === owner.glob)) globs.push(owner);
  }
  const share = total > 0 ? lines / total : p.files.length > 0 ? files / p.files.length : 0;
  return { globs, share };
}
var FEATURE_NAMES, VERIFYING_STATUSES, BUMP_TITLE, BOT_AUTHOR;
var init_features = __esm({
  "src/core/suspects/features.ts"() {
    "use strict";
    init_evidence();
    init_paths();
    FEATURE_NAMES = [
      // 1 when a changed file belongs to the alert's service.
      "touchesService",
      // 1 when most of its files that belong to any service belong to the alert's.
      "mainService",
      // Share of its changed lines (files, when no lines changed) in the alert's service.
      "serviceShare",
      // log(1 + PRs touching the service that shipped after it): the newest change to a service is the usual culprit.
      "laterServiceChanges",
      // log(1 + PRs that shipped after it).
      "laterPulls",
      // log(1 + tens of minutes from its deploy to the alert).
      "timeSinceDeploy",
      // log(1 + files changed).
      "files",
      // 1 when it touches migrations, manifests, deploy configuration (riskyPaths).
      "riskyPaths",
      // 1 when it changes only tests, docs or CI.
      "nonProductionOnly",
      // 1 for a dependency bump: a bot author, a "bump X from A to B" title, or only manifests.
      "dependencyBump",
      // 1 when it changes only stylesheets, images, fonts or translations.
      "cosmeticOnly",
      "alertEvidence",
      "beingVerified",
      "checkFailed"
    ];
    VERIFYING_STATUSES = /* @__PURE__ */ new Set(["in_progress", "queued", "pending"]);
    BUMP_TITLE = /\b(bump|bumps|upgrade|update)\b.*\bfrom\b.*\bto\b|^(chore|build)\(deps(-dev)?\)/i;
    BOT_AUTHOR = /\b(dependabot|renovate|greenkeeper|snyk-bot)\b/i;
  }
});

// src/core/suspects/model.json
var model_default;
var init_model = __esm({
  "src/core/suspects/model.json"() {
    model_default = {
      version: 3,
      kind: "conditional-logit",
      features: [
        "touchesService",
        "mainService",
        "serviceShare",
        "laterServiceChanges",
        "laterPulls",
        "timeSinceDeploy",
        "files",
        "riskyPaths",
        "nonProductionOnly",
        "dependencyBump",
        "cosmeticOnly"
      ],
      coefficients: {
        touchesService: 1.351434,
        mainService: 2.18124,
        serviceShare: 0.69313,
        laterServiceChanges: -0.366079,
        laterPulls: -0.444168,
        timeSinceDeploy: -0.239499,
        files: 0.267572,
        riskyPaths: 0.195571,
        nonProductionOnly: -1.449262,
        dependencyBump: 0.279958,
        cosmeticOnly: -2.648426
      },
      temperature: 0.748583,
      priors: {
        alertEvidence: 3,
        beingVerified: 1,
        checkFailed: 1.5
      },
      outside: 3.47384,
      l2: 10,
      cases: 153,
      trainedOn: "culprit-dev (real reverts, 6 repositories)"
    };
  }
});

// src/core/suspects/format.ts
function formatAge(ms) {
  const seconds = Math.max(0, Math.round(ms / 1e3));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
var init_format = __esm({
  "src/core/suspects/format.ts"() {
    "use strict";
  }
});

// src/core/suspects/fit.ts
function softmax(logits) {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}
var init_fit = __esm({
  "src/core/suspects/fit.ts"() {
    "use strict";
  }
});

// src/core/suspects/infer-paths.ts
function inferServicePaths(service, hints = {}, candidatePaths = []) {
  const tokens = tokenize(service);
  if (tokens.length === 0) return [];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  const add = (glob, source, budget) => {
    if (budget.left <= 0 || out.length >= MAX_INFERRED_PATHS || seen.has(glob)) return;
    if (compileGlob(glob) === void 0) return;
    seen.add(glob);
    out.push({ glob, source });
    budget.left -= 1;
  };
  const past = { left: MAX_PER_SOURCE };
  for (const glob of pastCulpritGlobs(hints.pastCulpritFiles ?? [])) add(glob, SOURCE_PAST_CULPRIT, past);
  const owners = { left: MAX_PER_SOURCE };
  for (const glob of codeownersGlobs(hints.codeowners ?? "", tokens)) add(glob, SOURCE_CODEOWNERS, owners);
  const folders = { left: MAX_PER_SOURCE };
  const all = [...hints.paths ?? [], ...candidatePaths].slice(0, MAX_HINT_PATHS);
  for (const folder of foldersNamedLike(tokens, all)) add(`${folder}/**`, SOURCE_FOLDER, folders);
  return out;
}
function tokenize(s) {
  return s.slice(0, MAX_PATTERN_LENGTH).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}
function foldersNamedLike(tokens, paths) {
  const folders = /* @__PURE__ */ new Set();
  for (const p of paths) {
    if (p.length > 4 * MAX_PATTERN_LENGTH) continue;
    const segments = p.replace(/\/+$/, "").split("/");
    for (let i = 1; i <= segments.length; i++) folders.add(segments.slice(0, i).join("/"));
  }
  const candidates = [...folders].filter(
    (f2) => !isNonProductionPath(`${f2}/x`) && !/[*?[\]{}()!+@\\]/.test(f2) && f2.length < MAX_PATTERN_LENGTH - 3
  );
  const joined = tokens.join("");
  const withoutRole = ROLE_WORDS.has(tokens[tokens.length - 1] ?? "") ? tokens.slice(0, -1) : [];
  const prefixless = tokens.slice(1);
  const tiers = [
    (s) => squash(s[s.length - 1] ?? "") === joined,
    (s) => {
      const lastTokens = tokenize(s[s.length - 1] ?? "");
      if (tokens.length >= 2 && s.length >= tokens.length && s.slice(-tokens.length).map(squash).join() === tokens.join())
        return true;
      const lastHasRole = lastTokens.length >= 2 && ROLE_WORDS.has(lastTokens[lastTokens.length - 1] ?? "");
      if (lastHasRole && lastTokens.slice(0, -1).join("") === joined) return true;
      return withoutRole.length > 0 && lastTokens.join("") === withoutRole.join("");
    },
    (s) => prefixless.length > 0 && !prefixless.every((t) => ROLE_WORDS.has(t)) && squash(s[s.length - 1] ?? "") === prefixless.join("")
  ];
  for (const matches2 of tiers) {
    const found = candidates.filter((f2) => matches2(f2.split("/")));
    if (found.length > 0) return found.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return [];
}
function squash(segment) {
  return segment.toLowerCase().replace(/[^a-z0-9]+/g, "");
}
function depth(folder) {
  return folder.split("/").length;
}
function pastCulpritGlobs(files) {
  const globs = [];
  for (const f2 of files.slice(0, 200)) {
    if (f2.length === 0 || f2.length > MAX_PATTERN_LENGTH || /[*?[\]{}()!+@\\]/.test(f2)) continue;
    if (isNonProductionPath(f2)) continue;
    const slash = f2.lastIndexOf("/");
    globs.push(slash > 0 ? `${f2.slice(0, slash)}/**` : f2);
  }
  const counts = /* @__PURE__ */ new Map();
  for (const g of globs) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1));
}
function codeownersGlobs(text3, tokens) {
  const out = [];
  let section4 = [];
  const lines = text3.slice(0, MAX_CODEOWNERS_CHARS).split(/\r?\n/).slice(0, MAX_CODEOWNERS_LINES);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      section4 = [];
      continue;
    }
    const header2 = /^\^?\[([^\]]{1,100})\]/.exec(line);
    if (header2) {
      section4 = tokenize(header2[1] ?? "");
      continue;
    }
    if (line.startsWith("#")) {
      section4 = tokenize(line.slice(1));
      continue;
    }
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern === void 0 || pattern.startsWith("!") || /^\/?\*[^/]*$/.test(pattern)) continue;
    const named = containsRun(section4, tokens) || owners.some((o) => o.startsWith("@") && containsRun(tokenize(o), tokens));
    if (!named) continue;
    const glob = codeownersPatternToGlob(pattern);
    if (glob !== void 0) out.push(glob);
  }
  return out;
}
function containsRun(haystack, run) {
  if (run.length === 0 || haystack.length < run.length) return false;
  for (let i = 0; i + run.length <= haystack.length; i++) {
    if (run.every((t, j) => haystack[i + j] === t)) return true;
  }
  return false;
}
function codeownersPatternToGlob(pattern) {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH || pattern.includes("\\")) return void 0;
  if (pattern === "*" || pattern === "/*" || pattern === "/**" || pattern === "**") return void 0;
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  let body = pattern.replace(/^\/+/, "");
  const folder = body.endsWith("/");
  body = body.replace(/\/+$/, "");
  if (body === "") return void 0;
  const base = anchored ? body : `**/${body}`;
  if (folder || body.endsWith("/**")) return body.endsWith("/**") ? base : `${base}/**`;
  return /\*|\.[A-Za-z0-9]+$/.test(body) ? base : `${base}{,/**}`;
}
var MAX_INFERRED_PATHS, MAX_PER_SOURCE, MAX_HINT_PATHS, MAX_CODEOWNERS_CHARS, MAX_CODEOWNERS_LINES, SOURCE_FOLDER, SOURCE_CODEOWNERS, SOURCE_PAST_CULPRIT, ROLE_WORDS;
var init_infer_paths = __esm({
  "src/core/suspects/infer-paths.ts"() {
    "use strict";
    init_paths();
    MAX_INFERRED_PATHS = 16;
    MAX_PER_SOURCE = 8;
    MAX_HINT_PATHS = 5e4;
    MAX_CODEOWNERS_CHARS = 64 * 1024;
    MAX_CODEOWNERS_LINES = 2e3;
    SOURCE_FOLDER = "a folder named like the service";
    SOURCE_CODEOWNERS = "CODEOWNERS assigns it to the service's owners";
    SOURCE_PAST_CULPRIT = "an earlier incident's culprit for the service changed it";
    ROLE_WORDS = /* @__PURE__ */ new Set([
      "api",
      "app",
      "apps",
      "web",
      "www",
      "ui",
      "core",
      "common",
      "lib",
      "libs",
      "main",
      "src",
      "server",
      "service",
      "services",
      "svc",
      "backend",
      "frontend",
      "client",
      "public",
      "graph",
      "v1",
      "v2",
      "v3",
      "prod",
      "config"
    ]);
  }
});

// src/core/suspects/service-scope.ts
function serviceScope(service, config, hints, candidatePaths) {
  const services = config?.services ?? {};
  const configuredGlobs = service === void 0 ? void 0 : services[service];
  if (service !== void 0 && configuredGlobs !== void 0 && configuredGlobs.length > 0) {
    const ordered = Object.entries(services).map(([name, globs]) => ({
      name,
      matchers: globs.flatMap((glob) => {
        const test = compileGlob(glob);
        return test ? [{ glob, test }] : [];
      })
    }));
    const paths2 = configuredGlobs.map((glob) => ({ glob, source: SOURCE_CONFIG }));
    const memo = /* @__PURE__ */ new Map();
    const serviceOf = (path) => {
      if (memo.has(path)) return memo.get(path);
      const name = ordered.find((s) => s.matchers.some((m) => m.test(path)))?.name;
      memo.set(path, name);
      return name;
    };
    return {
      service,
      configured: true,
      paths: paths2,
      owner: (path) => {
        const name = serviceOf(path);
        if (name !== service) return void 0;
        return {
          glob: ordered.find((s) => s.name === service).matchers.find((m) => m.test(path)).glob,
          source: SOURCE_CONFIG
        };
      },
      serviceOf
    };
  }
  const paths = service === void 0 ? [] : inferServicePaths(service, hints, candidatePaths);
  const matchers = paths.flatMap((p) => {
    const test = compileGlob(p.glob);
    return test ? [{ p, test }] : [];
  });
  return {
    service,
    configured: false,
    paths,
    owner: (path) => matchers.find((m) => m.test(path))?.p,
    serviceOf: (path) => matchers.some((m) => m.test(path)) ? service : void 0
  };
}
var SOURCE_CONFIG;
var init_service_scope = __esm({
  "src/core/suspects/service-scope.ts"() {
    "use strict";
    init_infer_paths();
    init_paths();
    SOURCE_CONFIG = "the alert's service";
  }
});

// src/core/suspects/model.ts
import { z as z7 } from "zod";
function parseModel(json) {
  const r = modelSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(
      `invalid suspect model: ${first?.path.join(".") || "(model)"}: ${first?.message}; rerun npm run fit:suspects`
    );
  }
  return { ...json, ...r.data };
}
function weightOf(model, f2) {
  return (model.coefficients[f2] ?? 0) / model.temperature + (model.priors[f2] ?? 0);
}
function logitsOf(model, features) {
  return features.map((c) => FEATURE_NAMES.reduce((s, f2) => s + weightOf(model, f2) * c.values[f2], 0));
}
function confidences(model, logits) {
  if (logits.length === 0) return { chances: [], none: 1 };
  if (model.outside === void 0) return { chances: softmax(logits), none: 0 };
  const all = softmax([...logits, model.outside]);
  return { chances: all.slice(0, -1), none: all[all.length - 1] };
}
function explainAll(model, all) {
  const means = Object.fromEntries(
    FEATURE_NAMES.map((f2) => [f2, all.reduce((s, c) => s + c.values[f2], 0) / (all.length || 1)])
  );
  return all.map((me) => explainOne(model, me, means, all.length));
}
function explainOne(model, me, means, n) {
  const scored = Object.keys(FACTORS).map((factor) => {
    const logOdds = FACTORS[factor].reduce((s, f2) => s + weightOf(model, f2) * (me.values[f2] - means[f2]), 0);
    return { factor, logOdds, text: describe(factor, me, n) };
  });
  const shown3 = scored.filter((s) => s.text !== void 0).filter((s) => ALWAYS_SHOWN.has(s.factor) || Math.abs(s.logOdds) >= Math.log(1.1)).sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds) || a.factor.localeCompare(b.factor)).slice(0, MAX_REASONS);
  return shown3.map((s) => `${s.text}: odds ${formatOdds(s.logOdds)}`);
}
function formatOdds(logOdds) {
  const x = Math.exp(logOdds);
  const digits = x >= 10 ? 0 : x >= 0.1 ? x >= 1 ? 1 : 2 : 3;
  return `\xD7${x.toFixed(digits)}`;
}
function describe(factor, c, n) {
  const { facts, values, candidate } = c;
  const d = candidate.deployment;
  switch (factor) {
    case "service": {
      if (values.touchesService === 0)
        return facts.service === void 0 ? void 0 : `touches none of the paths of ${facts.service} (the alert's service)`;
      const g = facts.serviceGlobs[0];
      const where = g.source === SOURCE_CONFIG ? `touches ${g.glob} (the alert's service)` : `matches ${g.glob} (${g.source})`;
      const more2 = facts.serviceGlobs.length > 1 ? ` and ${facts.serviceGlobs.length - 1} more` : "";
      const share = `${Math.round(values.serviceShare * 100)} % of its changes there`;
      const later = facts.laterServicePulls === 0 ? "the latest change to the service" : `${facts.laterServicePulls} later change${facts.laterServicePulls === 1 ? "" : "s"} to the service`;
      return `${where}${more2}, ${share}, ${later}`;
    }
    case "timing": {
      const order = facts.deploysAfter === 0 ? "the latest deploy" : `${facts.deploysAfter} deploy${facts.deploysAfter === 1 ? "" : "s"} since`;
      const after = n === 1 ? ", the only suspect" : facts.laterPulls === 0 ? ", the last PR shipped" : `, ${facts.laterPulls} PR${facts.laterPulls === 1 ? "" : "s"} shipped after it`;
      return `deployed ${formatAge(facts.ageMs)} before the alert in deploy ${d.id} (${order}${after})`;
    }
    case "size": {
      const files = `${candidate.pull.files.length} file${candidate.pull.files.length === 1 ? "" : "s"}`;
      return `change size: ${facts.totalLines} lines in ${files}`;
    }
    case "risky":
      return facts.riskyFiles.length > 0 ? `touches risky paths: ${listSome3(facts.riskyFiles, 3)}` : void 0;
    case "kind": {
      const kinds = [
        values.nonProductionOnly && "changes only tests, docs or CI",
        values.dependencyBump && "a dependency bump",
        values.cosmeticOnly && "changes only styles, images, fonts or translations"
      ].filter((k) => typeof k === "string");
      return kinds.length > 0 ? kinds.join("; ") : void 0;
    }
    case "evidence":
      return facts.frame ? `the alert names ${facts.frame.frame.text}, and this PR changed ${facts.frame.file}` : void 0;
    case "verifying":
      return values.beingVerified ? `deployment ${d.id} is still ${facts.status} (the gate is verifying it)` : void 0;
    case "checkFailed":
      return values.checkFailed ? `the deploy check failed for deploy ${d.id}` : void 0;
  }
}
function listSome3(items, max) {
  const shown3 = items.slice(0, max).join(", ");
  return items.length > max ? `${shown3} and ${items.length - max} more` : shown3;
}
var FIXED_PRIORS, modelSchema, DEFAULT_MODEL, FACTORS, ALWAYS_SHOWN, MAX_REASONS;
var init_model2 = __esm({
  "src/core/suspects/model.ts"() {
    "use strict";
    init_model();
    init_format();
    init_features();
    init_fit();
    init_service_scope();
    FIXED_PRIORS = Object.freeze({
      alertEvidence: 3,
      beingVerified: 1,
      checkFailed: 1.5
    });
    modelSchema = z7.object({
      version: z7.number().int().positive(),
      kind: z7.literal("conditional-logit"),
      features: z7.array(z7.enum(FEATURE_NAMES)),
      coefficients: z7.record(z7.string(), z7.number()),
      temperature: z7.number().positive(),
      priors: z7.record(z7.string(), z7.number()),
      outside: z7.number().optional()
    });
    DEFAULT_MODEL = parseModel(model_default);
    FACTORS = {
      service: ["touchesService", "mainService", "serviceShare", "laterServiceChanges"],
      timing: ["laterPulls", "timeSinceDeploy"],
      size: ["files"],
      risky: ["riskyPaths"],
      kind: ["nonProductionOnly", "dependencyBump", "cosmeticOnly"],
      evidence: ["alertEvidence"],
      verifying: ["beingVerified"],
      checkFailed: ["checkFailed"]
    };
    ALWAYS_SHOWN = /* @__PURE__ */ new Set([
      "timing",
      "risky",
      "evidence",
      "verifying",
      "checkFailed"
    ]);
    MAX_REASONS = 5;
  }
});

// src/core/suspects/scoring.ts
import picomatch2 from "picomatch";
import { z as z8 } from "zod";
function isShipped(d) {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}
function caseFeatures(c, opts = {}) {
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === void 0 ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
  const environment = c.alert.labels.environment;
  const inWindow = [];
  for (const d of c.deployments) {
    const at2 = Date.parse(d.createdAt);
    if (Number.isNaN(at2) || at2 > latest || at2 < alertAt - lookbackMs) continue;
    if (environment !== void 0 && d.environment !== environment) continue;
    inWindow.push({ d, at: at2 });
  }
  const newest = Math.max(-Infinity, ...inWindow.map((x) => x.at));
  const deployments = /* @__PURE__ */ new Map();
  for (const x of inWindow) {
    const neverLive = NEVER_LIVE_STATUSES.has(x.d.status.toLowerCase()) && x.d.checkFailed !== true;
    if (isShipped(x.d) || isVerifying(x.d) || x.at === newest && !neverLive)
      deployments.set(String(x.d.id), x);
  }
  const candidates = [];
  const seen = /* @__PURE__ */ new Set();
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    if (dep === void 0 || seen.has(p.number)) continue;
    seen.add(p.number);
    candidates.push({ pull: p, deployment: dep.d, deployedAt: dep.at });
  }
  const candidatePaths = candidates.flatMap((x) => x.pull.files.map((f2) => f2.path));
  const scope = serviceScope(c.alert.labels.service, c.config, c.hints, candidatePaths);
  const isRisky = c.config?.riskyPaths ? picomatch2([...c.config.riskyPaths], GLOB_OPTIONS) : isDefaultRisky;
  return extractFeatures(candidates, { alertAt, scope, isRisky, frames: parseEvidence(c.alert.annotations) });
}
function rankSuspects(c, opts = {}) {
  const model = opts.model ?? DEFAULT_MODEL;
  const features = caseFeatures(c, opts);
  const logits = logitsOf(model, features);
  const { chances } = confidences(model, logits);
  const reasons = explainAll(model, features);
  const ranked = features.map((f2, i) => ({
    f: f2,
    logit: logits[i],
    chance: chances[i],
    reasons: reasons[i]
  }));
  ranked.sort(
    (a, b) => b.logit - a.logit || b.f.candidate.deployedAt - a.f.candidate.deployedAt || a.f.candidate.pull.number - b.f.candidate.pull.number
  );
  return ranked.map(({ f: f2, chance, reasons: reasons2 }) => toSuspect(f2, round32(chance), reasons2, model));
}
function toSuspect(f2, confidence, reasons, model) {
  const { pull: p, deployment: d } = f2.candidate;
  const factors2 = {};
  for (const name of FEATURE_NAMES) {
    const v = round32(weightOf(model, name) * f2.values[name]);
    if (v !== 0) factors2[name] = v;
  }
  const suspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: confidence,
    confidence,
    reasons,
    files: p.files.map((x) => x.path),
    factors: factors2
  };
  if (p.url !== void 0) suspect.url = p.url;
  return suspect;
}
function round32(x) {
  return Math.round(x * 1e3) / 1e3;
}
function validateCase(json) {
  const dataset = isDatasetShape(json);
  const result = caseSchema.safeParse(dataset ? fromDatasetShape(json) : json, { reportInput: true });
  if (result.success) return result.data;
  const mapFromServiceMap = dataset && json.config?.services === void 0;
  const named = (path) => dataset ? datasetPath(path, mapFromServiceMap) : path;
  const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(named(i.path))}: ${describeIssue(i)}`);
  if (result.error.issues.length > 5) issues.push(`and ${result.error.issues.length - 5} more`);
  throw new CaseValidationError(issues);
}
function isDatasetShape(json) {
  return typeof json === "object" && json !== null && !("pulls" in json) && Array.isArray(json.candidates);
}
function fromDatasetShape({ candidates, serviceMap, config, ...rest }) {
  const pulls = candidates.map(
    (p) => typeof p === "object" && p !== null && !("deploymentId" in p) && "deployId" in p ? { ...p, deploymentId: p.deployId } : p
  );
  const services = config?.services ?? serviceMap;
  const merged = services === void 0 ? config : { ...typeof config === "object" ? config : {}, services };
  return { ...rest, pulls, ...merged === void 0 ? {} : { config: merged } };
}
function datasetPath(path, mapFromServiceMap) {
  if (mapFromServiceMap && path[0] === "config" && path[1] === "services")
    return ["serviceMap", ...path.slice(2)];
  const out = [...path];
  if (out[0] === "pulls") {
    out[0] = "candidates";
    if (out[2] === "deploymentId") out[2] = "deployId";
  }
  return out;
}
function formatPath(path) {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(case)" : out;
}
function describeIssue(issue2) {
  if (issue2.code === "invalid_type") {
    const expected = issue2.message.startsWith("expected") ? issue2.message : `expected ${issue2.expected}`;
    return issue2.input === void 0 ? `missing, ${expected}` : `${expected}, got ${JSON.stringify(issue2.input)?.slice(0, 40)}`;
  }
  return issue2.message;
}
var DEFAULT_RISKY_PATHS, isDefaultRisky, DEFAULT_LOOKBACK_SECONDS, SHIPPED_STATUSES, NEVER_LIVE_STATUSES, ISO_8601, isoDate, count2, id, stringRecord, fileSchema, caseSchema, CaseValidationError;
var init_scoring = __esm({
  "src/core/suspects/scoring.ts"() {
    "use strict";
    init_errors();
    init_evidence();
    init_features();
    init_model2();
    init_paths();
    init_service_scope();
    init_format();
    DEFAULT_RISKY_PATHS = Object.freeze([
      "**/migrations/**",
      "**/migrate/**",
      "**/*.sql",
      "**/package.json",
      "**/package-lock.json",
      "**/yarn.lock",
      "**/pnpm-lock.yaml",
      "**/go.mod",
      "**/go.sum",
      "**/requirements*.txt",
      "**/Gemfile",
      "**/Gemfile.lock",
      "**/Cargo.toml",
      "**/Cargo.lock",
      "**/config/**/*.{yaml,yml}",
      "**/deploy/**/*.{yaml,yml}",
      "**/Dockerfile",
      "**/Dockerfile.*",
      "**/helm/**",
      "**/terraform/**"
    ]);
    isDefaultRisky = picomatch2([...DEFAULT_RISKY_PATHS], GLOB_OPTIONS);
    DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;
    SHIPPED_STATUSES = /* @__PURE__ */ new Set(["success", "inactive"]);
    NEVER_LIVE_STATUSES = /* @__PURE__ */ new Set(["failure", "error"]);
    ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
    isoDate = z8.string({ error: "expected an ISO 8601 date" }).refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), {
      message: "expected an ISO 8601 date (e.g. 2024-05-01T12:00:00Z)"
    });
    count2 = z8.number({ error: "expected a number" }).int().nonnegative();
    id = z8.union([z8.number(), z8.string().min(1)], { error: "expected a number or a non-empty string" });
    stringRecord = z8.record(z8.string(), z8.string({ error: "expected a string" }));
    fileSchema = z8.object({
      path: z8.string().min(1),
      additions: count2.default(0),
      deletions: count2.default(0)
    });
    caseSchema = z8.object({
      alert: z8.object({
        startsAt: isoDate,
        labels: stringRecord.default({}),
        annotations: stringRecord.optional()
      }),
      deployments: z8.array(
        z8.object({
          id,
          sha: z8.string().min(1),
          environment: z8.string(),
          createdAt: isoDate,
          // A case file usually lists only the deployments that went out.
          status: z8.string().default("success"),
          checkFailed: z8.boolean().optional(),
          url: z8.string().optional()
        })
      ),
      pulls: z8.array(
        z8.object({
          number: z8.number().int().positive(),
          title: z8.string().default(""),
          author: z8.string().default(""),
          mergedAt: isoDate,
          deploymentId: id,
          additions: count2.optional(),
          deletions: count2.optional(),
          files: z8.array(fileSchema).default([]),
          url: z8.string().optional(),
          mergeCommitSha: z8.string().optional()
        }).transform(({ additions, deletions, ...p }) => ({
          ...p,
          additions: additions ?? p.files.reduce((n, f2) => n + f2.additions, 0),
          deletions: deletions ?? p.files.reduce((n, f2) => n + f2.deletions, 0)
        }))
      ),
      config: z8.object({
        services: z8.record(z8.string(), z8.array(z8.string())).optional(),
        riskyPaths: z8.array(z8.string()).optional(),
        lookbackSeconds: z8.number().positive().optional()
      }).optional(),
      hints: z8.object({
        paths: z8.array(z8.string()).optional(),
        codeowners: z8.string().optional(),
        pastCulpritFiles: z8.array(z8.string()).optional()
      }).optional()
    });
    CaseValidationError = class extends ConfigError {
      constructor(issues) {
        super(`invalid case: ${issues.join("; ")}`);
        this.issues = issues;
        this.name = "CaseValidationError";
      }
      issues;
    };
  }
});

// src/github/request-counter.ts
function countRequests(octokit) {
  const calls = [];
  const hook = (options) => {
    calls.push(`${options.method ?? "GET"} ${options.url ?? ""}`);
  };
  octokit.hook.before("request", hook);
  return {
    get count() {
      return calls.length;
    },
    calls,
    stop() {
      octokit.hook.remove("request", hook);
    }
  };
}
var init_request_counter = __esm({
  "src/github/request-counter.ts"() {
    "use strict";
  }
});

// src/github/history.ts
async function fetchHistory(octokit, opts) {
  const counter = countRequests(octokit);
  try {
    const all = await fetchDeployments(octokit, opts);
    const inRange = (d) => {
      const t = Date.parse(d.ref.createdAt);
      return t >= opts.since.getTime() && t <= opts.until.getTime();
    };
    const sorted2 = [...all].sort(byCreatedAt);
    const newest = sorted2.filter(inRange).at(-1);
    const walks = [];
    let base;
    for (const d of sorted2) {
      if (inRange(d) && (isShipped(d.ref) || isVerifying(d.ref) || d === newest))
        walks.push({ deployment: d, base, cursor: null, done: false, commits: [] });
      if (isShipped(d.ref)) base = d;
    }
    await walkHistories(octokit, opts, walks);
    const pulls = [];
    const attributed = /* @__PURE__ */ new Set();
    for (const walk of walks) {
      for (const commit of walk.commits) {
        for (const pr of commit.associatedPullRequests?.nodes ?? []) {
          if (pr === null || pr.mergedAt === null || attributed.has(pr.number)) continue;
          attributed.add(pr.number);
          pulls.push(toPullRef(pr, walk.deployment.ref.id));
        }
      }
    }
    return { deployments: walks.map((w) => w.deployment.ref), pulls, requests: counter.count };
  } finally {
    counter.stop();
  }
}
async function fetchDeployments(octokit, opts) {
  const out = [];
  let cursor = null;
  for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
    const res = await octokit.graphql(DEPLOYMENTS_QUERY2, {
      owner: opts.owner,
      repo: opts.repo,
      environment: opts.environment,
      cursor
    });
    if (res.repository === null) {
      throw new Error(`repository ${opts.owner}/${opts.repo} not found, or the token cannot read it`);
    }
    const { nodes, pageInfo } = res.repository.deployments;
    for (const node of nodes) if (node !== null) out.push(toShipped(node, opts.environment));
    const reachedBase = out.some(
      (d) => isShipped(d.ref) && Date.parse(d.ref.createdAt) < opts.since.getTime()
    );
    if (!pageInfo.hasNextPage || reachedBase) break;
    cursor = pageInfo.endCursor;
  }
  return out;
}
function toShipped(node, environment) {
  const state = node.latestStatus?.state.toLowerCase() ?? "pending";
  const ref = {
    id: node.databaseId ?? node.id,
    sha: node.commitOid,
    environment,
    createdAt: node.createdAt,
    status: state,
    // aftershock's gate marks a deployment failure when its check fails; other tools may too, so any failure counts.
    checkFailed: state === "failure" || state === "error"
  };
  const url = node.latestStatus?.logUrl ?? node.latestStatus?.environmentUrl;
  if (url) ref.url = url;
  return { ref, committedDate: node.commit?.committedDate };
}
async function walkHistories(octokit, opts, walks) {
  for (let round = 0; round < MAX_HISTORY_ROUNDS; round++) {
    const open = walks.filter((w) => !w.done);
    if (open.length === 0) return;
    for (let start = 0; start < open.length; start += ALIASES_PER_QUERY) {
      const chunk = open.slice(start, start + ALIASES_PER_QUERY);
      const { query, variables: variables2 } = historyQuery(chunk);
      const res = await octokit.graphql(query, {
        owner: opts.owner,
        repo: opts.repo,
        ...variables2
      });
      chunk.forEach((walk, i) => {
        const history = res.repository?.[`d${i}`]?.history;
        if (history === void 0) {
          walk.done = true;
          return;
        }
        for (const commit of history.nodes) {
          if (commit === null) continue;
          if (commit.oid === walk.base?.ref.sha) {
            walk.done = true;
            return;
          }
          walk.commits.push(commit);
        }
        if (!history.pageInfo.hasNextPage || walk.base === void 0) walk.done = true;
        else walk.cursor = history.pageInfo.endCursor;
      });
    }
  }
}
function historyQuery(walks) {
  const params = ["$owner: String!", "$repo: String!"];
  const variables2 = {};
  const aliases = walks.map((walk, i) => {
    params.push(`$oid${i}: GitObjectID!`, `$since${i}: GitTimestamp`, `$after${i}: String`);
    variables2[`oid${i}`] = walk.deployment.ref.sha;
    variables2[`since${i}`] = walk.base?.committedDate ?? null;
    variables2[`after${i}`] = walk.cursor;
    return `
    d${i}: object(oid: $oid${i}) {
      ... on Commit {
        history(first: ${PAGE}, since: $since${i}, after: $after${i}) {
          pageInfo { hasNextPage endCursor }
          nodes { oid associatedPullRequests(first: 1) { nodes { ...pullFields } } }
        }
      }
    }`;
  });
  const query = `query (${params.join(", ")}) {
  repository(owner: $owner, name: $repo) {${aliases.join("")}
  }
}
${PULL_FIELDS}`;
  return { query, variables: variables2 };
}
function toPullRef(pr, deploymentId) {
  const ref = {
    number: pr.number,
    title: pr.title,
    author: pr.author?.login ?? "ghost",
    mergedAt: pr.mergedAt ?? "",
    deploymentId,
    additions: pr.additions,
    deletions: pr.deletions,
    files: (pr.files?.nodes ?? []).flatMap(
      (f2) => f2 === null ? [] : [{ path: f2.path, additions: f2.additions, deletions: f2.deletions }]
    ),
    url: pr.url
  };
  if (pr.mergeCommit) ref.mergeCommitSha = pr.mergeCommit.oid;
  return ref;
}
function byCreatedAt(a, b) {
  return Date.parse(a.ref.createdAt) - Date.parse(b.ref.createdAt);
}
var PAGE, MAX_DEPLOYMENT_PAGES, MAX_HISTORY_ROUNDS, ALIASES_PER_QUERY, DEPLOYMENTS_QUERY2, PULL_FIELDS;
var init_history2 = __esm({
  "src/github/history.ts"() {
    "use strict";
    init_features();
    init_scoring();
    init_request_counter();
    PAGE = 100;
    MAX_DEPLOYMENT_PAGES = 10;
    MAX_HISTORY_ROUNDS = 10;
    ALIASES_PER_QUERY = 20;
    DEPLOYMENTS_QUERY2 = `
query ($owner: String!, $repo: String!, $environment: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: ${PAGE}, after: $cursor, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        createdAt
        commitOid
        commit { committedDate }
        latestStatus { state description logUrl environmentUrl }
      }
    }
  }
}`;
    PULL_FIELDS = `
fragment pullFields on PullRequest {
  number
  title
  url
  mergedAt
  additions
  deletions
  author { login }
  mergeCommit { oid }
  files(first: 100) { nodes { path additions deletions } }
}`;
  }
});

// src/core/gate/units.ts
function unitOf(check) {
  if (check.errorRate) return "ratio";
  if (/_seconds(_bucket|_sum|_count)?\b/.test(check.query)) return "seconds";
  if (/_(milliseconds|ms)(_bucket|_sum|_count)?\b/.test(check.query)) return "milliseconds";
  if (/_bytes(_bucket|_sum|_count|_total)?\b/.test(check.query)) return "bytes";
  return "none";
}
function scaleFor(unit, magnitude) {
  const m = Math.abs(magnitude);
  switch (unit) {
    case "ratio":
      return { factor: 100, suffix: "%" };
    case "seconds":
      return m !== 0 && m < 1 ? { factor: 1e3, suffix: "ms" } : { factor: 1, suffix: "s" };
    case "milliseconds":
      return m >= 1e3 ? { factor: 1 / 1e3, suffix: "s" } : { factor: 1, suffix: "ms" };
    case "bytes": {
      const step = BYTES.find(([size]) => m >= size);
      return step ? { factor: 1 / step[0], suffix: step[1] } : { factor: 1, suffix: "B" };
    }
    default:
      return { factor: 1, suffix: "" };
  }
}
function formatValue(value, unit, scale = scaleFor(unit, value)) {
  if (!Number.isFinite(value)) return String(value);
  const shown3 = fmt(value * scale.factor);
  return scale.suffix ? `${shown3} ${scale.suffix}` : shown3;
}
var BYTES;
var init_units = __esm({
  "src/core/gate/units.ts"() {
    "use strict";
    init_judge();
    BYTES = [
      [1024 ** 3, "GiB"],
      [1024 ** 2, "MiB"],
      [1024, "KiB"]
    ];
  }
});

// src/core/gate/summary-chart.ts
function relativeLimitValue(check) {
  const base = check.stats.baselineMedian;
  if (check.relativeLimit === void 0 || base === null) return void 0;
  const allowed = Math.abs(base) * check.relativeLimit;
  return check.direction === "increase" ? base + allowed : base - allowed;
}
function inferStep(samples) {
  let step = Infinity;
  for (let i = 1; i < samples.length; i++) {
    const gap = samples[i].t - samples[i - 1].t;
    if (gap > 0) step = Math.min(step, gap);
  }
  return Number.isFinite(step) ? step : 1;
}
function evenPoints(samples, deployTime, stepSeconds) {
  const usable = samples.filter((s) => Number.isFinite(s.v)).sort((a, b) => a.t - b.t);
  if (usable.length === 0) return [];
  const step = stepSeconds && stepSeconds > 0 ? stepSeconds : inferStep(usable);
  const span = usable.at(-1).t - usable[0].t;
  const slot = Math.max(1, Math.ceil((span / step + 1) / MAX_POINTS)) * step;
  const anchor = usable.find((s) => s.t >= deployTime)?.t ?? deployTime;
  const nearest = /* @__PURE__ */ new Map();
  for (const s of usable) {
    const k = Math.round((s.t - anchor) / slot);
    const held = nearest.get(k);
    const at2 = anchor + k * slot;
    if (!held || Math.abs(s.t - at2) < Math.abs(held.t - at2)) nearest.set(k, s);
  }
  return [...nearest.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}
function label(offset, first) {
  if (first) return offset === 0 ? "deploy" : `deploy +${formatDuration(offset)}`;
  return offset < 0 ? `-${formatDuration(-offset)}` : `+${formatDuration(offset)}`;
}
function quote(text3) {
  return text3.replace(/["\\\n\r`]/g, " ");
}
function shown(v, scale) {
  return Number((v * scale.factor).toPrecision(4));
}
function mermaidChart(check, deployTime, stepSeconds) {
  const points = evenPoints([...check.baseline, ...check.window], deployTime, stepSeconds);
  if (points.length === 0) return null;
  let deployMarked = false;
  const labels2 = points.map((p) => {
    const offset = p.t - deployTime;
    const first = !deployMarked && offset >= 0;
    if (first) deployMarked = true;
    return label(offset, first);
  });
  const unit = unitOf(check);
  const absolute = check.absoluteLimit;
  const relative2 = relativeLimitValue(check);
  const raw = points.map((p) => p.v);
  const limits = [absolute, relative2].filter((v) => v !== void 0 && Number.isFinite(v));
  const scale = scaleFor(unit, Math.max(...[...raw, ...limits].map(Math.abs)));
  const values = raw.map((v) => shown(v, scale));
  const limitValues = limits.map((v) => shown(v, scale));
  const top = Math.max(...values, ...limitValues);
  const bottom = Math.min(0, ...values, ...limitValues);
  const notes = [
    absolute !== void 0 ? `limit ${formatValue(absolute, unit, scale)}` : "",
    relative2 !== void 0 ? `${check.direction === "increase" ? "+" : "\u2212"}${pct(check.relativeLimit)} of baseline = ${formatValue(relative2, unit, scale)}` : ""
  ].filter(Boolean);
  const axis = scale.suffix ? `${quote(check.name)} (${scale.suffix})` : quote(check.name);
  const out = [
    "xychart-beta",
    `  title "${quote(check.name)}${notes.length ? ` (${notes.join(", ")})` : ""}"`,
    `  x-axis [${labels2.map((l) => `"${l}"`).join(", ")}]`,
    `  y-axis "${axis}" ${Number(bottom.toPrecision(3))} --> ${Number((top * 1.1 || 1).toPrecision(3))}`,
    `  line [${values.join(", ")}]`
  ];
  for (const limit of limitValues) out.push(`  line [${values.map(() => limit).join(", ")}]`);
  return out;
}
var MAX_POINTS;
var init_summary_chart = __esm({
  "src/core/gate/summary-chart.ts"() {
    "use strict";
    init_duration();
    init_judge();
    init_units();
    MAX_POINTS = 40;
  }
});

// src/core/gate/render-summary.ts
function cell(text3) {
  return defuseMentions(
    text3.replace(/\\/g, "\\\\").replace(/[[\]]/g, "\\$&").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|")
  ).replace(/\r?\n/g, " ");
}
function renderSummary(report, options = {}) {
  const { title = "aftershock deploy check", dashboardUrl } = typeof options === "string" ? { title: options } : options;
  const lines = [];
  const when = new Date(report.deployTime * 1e3).toISOString();
  lines.push(
    `## ${ICON[report.verdict]} ${cell(title)}: ${report.verdict}${report.severity ? ` (${report.severity})` : ""}`
  );
  lines.push("");
  lines.push(
    `Deploy at ${when}; baseline ${formatDuration(report.baselineSeconds)} before it, watched ${formatDuration(report.windowSeconds)} after it every ${formatDuration(report.stepSeconds)}${report.backtest ? " (backtest over history)" : ""}.`
  );
  if (report.detectedAt !== null) {
    lines.push(
      `Failed at ${new Date(report.detectedAt * 1e3).toISOString()} (+${formatDuration(report.detectedAt - report.deployTime)}).`
    );
  }
  if (dashboardUrl) lines.push("", `[Open the dashboard](${linkTarget(dashboardUrl)})`);
  lines.push("");
  lines.push("| check | baseline | window | limit | change | p-value | verdict | reason |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const c of report.checks) {
    const s = c.stats;
    const unit = unitOf(c);
    const scale = scaleFor(
      unit,
      Math.max(...[s.baselineMedian, s.windowMedian].map((v) => Math.abs(v ?? 0)))
    );
    const value = (v) => v === null ? "\u2013" : formatValue(v, unit, scale);
    lines.push(
      `| ${cell(c.name)}${c.critical ? "" : " (non-critical)"} | ${value(s.baselineMedian)} | ${value(s.windowMedian)} | ${limitCell(c, (v) => formatValue(v, unit, scale))} | ${s.change === null ? "\u2013" : signedPct(s.change)} | ${s.pValue === null ? "\u2013" : s.pValue.toPrecision(2)} | ${ICON[c.verdict]} ${c.verdict}${c.severity ? ` ${c.severity}` : ""} | ${cell(c.reason)} |`
    );
  }
  const attention = report.checks.filter((c) => c.verdict !== "pass");
  const passed = report.checks.filter((c) => c.verdict === "pass");
  for (const c of attention) lines.push("", `### ${cell(c.name)}`, "", ...checkDetail(c, report));
  for (const c of passed) {
    lines.push(
      "",
      `<details><summary>\u2705 ${cell(c.name)}: pass</summary>`,
      "",
      ...checkDetail(c, report),
      "",
      "</details>"
    );
  }
  return lines.join("\n") + "\n";
}
function checkDetail(c, report) {
  const chart = mermaidChart(c, report.deployTime, report.stepSeconds);
  const out = chart ? ["```mermaid", ...chart, "```"] : ["_No data to chart: the query returned no usable sample in the baseline or the window._"];
  out.push("", `<sub>${cell(c.query)}</sub>`);
  for (const w of c.warnings) out.push("", `> Prometheus warning: ${cell(w)}`);
  return out;
}
function limitCell(c, show) {
  const sign = c.direction === "increase" ? "\u2264" : "\u2265";
  const parts = [];
  if (c.absoluteLimit !== void 0) parts.push(`${sign} ${show(c.absoluteLimit)}`);
  if (c.relativeLimit !== void 0) {
    const allowed = relativeLimitValue(c);
    const rel = `${c.direction === "increase" ? "+" : "\u2212"}${pct(c.relativeLimit)}`;
    parts.push(allowed === void 0 ? rel : `${sign} ${show(allowed)} (${rel})`);
  }
  return parts.length ? parts.join(", ") : "\u2013";
}
function linkTarget(url) {
  return url.replace(/[ ()<>]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
function signedPct(f2) {
  return `${f2 >= 0 ? "+" : "\u2212"}${pct(Math.abs(f2))}`;
}
var ICON;
var init_render_summary = __esm({
  "src/core/gate/render-summary.ts"() {
    "use strict";
    init_duration();
    init_judge();
    init_markdown();
    init_summary_chart();
    init_units();
    ICON = { pass: "\u2705", fail: "\u274C", inconclusive: "\u26A0\uFE0F" };
  }
});

// src/demo/story-repo.ts
import { createHash as createHash2 } from "node:crypto";
function storyRepo() {
  const deployAt = Date.parse(STORY_DEPLOY_TIME);
  const commits = [];
  const pulls = /* @__PURE__ */ new Map();
  const deployments = [];
  for (let i = 0; i < 3; i++)
    commits.push({ sha: sha(`root-${i}`), committedDate: iso3(deployAt - (30 - i) * 36e5) });
  for (const d of PLAN) {
    const at2 = deployAt + d.at * 6e4;
    for (const p of [...d.pulls].sort((a, b) => b.mergedBefore - a.mergedBefore)) {
      const commit = {
        sha: sha(`pr-${p.number}`),
        committedDate: iso3(at2 - p.mergedBefore * 6e4),
        pull: p.number
      };
      commits.push(commit);
      pulls.set(p.number, {
        number: p.number,
        title: p.title,
        author: p.author,
        mergedAt: commit.committedDate,
        additions: p.files.reduce((s, x) => s + x.additions, 0),
        deletions: p.files.reduce((s, x) => s + x.deletions, 0),
        files: p.files,
        mergeCommitSha: commit.sha
      });
    }
    deployments.push({
      id: d.id,
      sha: commits.at(-1).sha,
      environment: STORY_ENVIRONMENT,
      createdAt: iso3(at2),
      state: d.state
    });
  }
  return { owner: STORY_OWNER, repo: STORY_REPO, commits, pulls, deployments, culprit: STORY_CULPRIT };
}
function checkedDeployment(repo) {
  const found = repo.deployments.find((d) => Date.parse(d.createdAt) === Date.parse(STORY_DEPLOY_TIME));
  if (!found) throw new Error(`the demo repository has no deployment at ${STORY_DEPLOY_TIME}`);
  return found;
}
var STORY_OWNER, STORY_REPO, STORY_SERVICE, STORY_ENVIRONMENT, STORY_DEPLOY_TIME, STORY_CULPRIT, STORY_REPO_CONFIG, f, PLAN, sha, iso3;
var init_story_repo = __esm({
  "src/demo/story-repo.ts"() {
    "use strict";
    STORY_OWNER = "acme";
    STORY_REPO = "shop";
    STORY_SERVICE = "checkout";
    STORY_ENVIRONMENT = "production";
    STORY_DEPLOY_TIME = "2026-11-26T14:00:00Z";
    STORY_CULPRIT = 418;
    STORY_REPO_CONFIG = `# aftershock's settings for acme/shop
services:
  checkout: ["services/checkout/**"]
  search: ["services/search/**"]
  billing: ["services/billing/**"]
rollback:
  draft: true
`;
    f = (path, additions, deletions) => ({ path, additions, deletions });
    PLAN = [
      // Before the 24 h lookback: the base the history walk starts from.
      { id: 7101, at: -27 * 60, state: "inactive", pulls: [] },
      {
        id: 7102,
        at: -15 * 60,
        state: "inactive",
        pulls: [
          {
            number: 409,
            title: "search: typo-tolerant product queries",
            author: "rin",
            mergedBefore: 95,
            files: [f("services/search/src/query.ts", 88, 21), f("services/search/src/query.test.ts", 64, 0)]
          },
          {
            number: 410,
            title: "docs: on-call runbook for payment timeouts",
            author: "sam",
            mergedBefore: 40,
            files: [f("docs/runbooks/payments.md", 120, 4)]
          }
        ]
      },
      {
        id: 7103,
        at: -4 * 60,
        state: "inactive",
        pulls: [
          {
            number: 412,
            title: "Bump pino to 10.4",
            author: "dependabot",
            mergedBefore: 30,
            files: [f("package.json", 1, 1), f("package-lock.json", 40, 38)]
          },
          {
            number: 414,
            title: "billing: retry invoice e-mails once",
            author: "ola",
            mergedBefore: 12,
            files: [f("services/billing/src/invoices.ts", 18, 3)]
          }
        ]
      },
      {
        id: 7104,
        at: 0,
        state: "success",
        pulls: [
          {
            number: STORY_CULPRIT,
            title: "checkout: batch order lookups behind a new orders index",
            author: "kim",
            mergedBefore: 50,
            files: [
              f("services/checkout/src/orders/lookup.ts", 212, 96),
              f("services/checkout/src/orders/batch.ts", 174, 0),
              f("services/checkout/migrations/0042_orders_customer_index.sql", 14, 0),
              f("services/checkout/src/orders/lookup.test.ts", 240, 31)
            ]
          },
          {
            number: 419,
            title: "checkout: clearer copy on the payment page",
            author: "ada",
            mergedBefore: 35,
            files: [f("services/checkout/web/payment.tsx", 6, 6)]
          },
          {
            number: 420,
            title: "search: cache facet counts for 60s",
            author: "rin",
            mergedBefore: 20,
            files: [f("services/search/src/facets.ts", 41, 9)]
          }
        ]
      }
    ];
    sha = (label2) => createHash2("sha1").update(`aftershock-demo:${label2}`).digest("hex");
    iso3 = (ms) => new Date(ms).toISOString();
  }
});

// src/demo/gate-step.ts
import { readFileSync as readFileSync3, readdirSync } from "node:fs";
import { join } from "node:path";
async function gateScenario(path) {
  const gate = buildGate({ ...CHECK }, replayNow, (key) => `--${key}`);
  return runGate(gate, createSource({ file: path }), { now: replayNow });
}
async function gateScenarios(dir) {
  let files;
  try {
    files = readdirSync(dir).filter((f2) => f2.endsWith(".json")).sort();
  } catch (err) {
    throw new Error(
      `the demo's scenarios are missing (${errorMessage(err)}); run it from the aftershock package, which ships examples/scenarios`,
      { cause: err }
    );
  }
  const runs = [];
  for (const file of files) {
    const path = join(dir, file);
    const { description } = JSON.parse(readFileSync3(path, "utf8"));
    runs.push({
      name: file.replace(/\.json$/, ""),
      description: description ?? "",
      report: await gateScenario(path)
    });
  }
  return runs;
}
var STORY_SCENARIO, CHECK, replayNow;
var init_gate_step = __esm({
  "src/demo/gate-step.ts"() {
    "use strict";
    init_gate_config();
    init_gate();
    init_sources();
    init_story_repo();
    init_errors();
    STORY_SCENARIO = "step-regression";
    CHECK = {
      name: "error-ratio",
      query: 'sum(rate(http_requests_total{service="{{service}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="{{service}}"}[1m]))',
      "error-rate": "true",
      "absolute-limit": "0.05",
      service: STORY_SERVICE,
      "deploy-time": STORY_DEPLOY_TIME
    };
    replayNow = () => Date.parse(STORY_DEPLOY_TIME) / 1e3 + 3600;
  }
});

// src/app/http.ts
function sendJson(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text3 = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text3),
    ...headers
  });
  res.end(text3);
}
var HttpError;
var init_http2 = __esm({
  "src/app/http.ts"() {
    "use strict";
    HttpError = class extends Error {
      constructor(status, message, field, headers = {}) {
        super(message);
        this.status = status;
        this.field = field;
        this.headers = headers;
        this.name = "HttpError";
      }
      status;
      field;
      headers;
    };
  }
});

// src/app/pacing/deadline.ts
import { AsyncLocalStorage } from "node:async_hooks";
function withDeadline(at2, fn) {
  return current.run(at2, fn);
}
function withoutDeadline(fn) {
  return current.exit(fn);
}
function currentDeadline() {
  return current.getStore();
}
function busy(message, retryAfterMs) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1e3));
  return new HttpError(503, message, void 0, { "retry-after": String(seconds) });
}
async function withLockBefore(lock, key, deadline, clock, fn) {
  let gaveUp = false;
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(
      () => {
        gaveUp = true;
        reject(busy("waited too long for this alert group's earlier delivery", 5e3));
      },
      Math.max(0, deadline - clock())
    );
  });
  const run = lock.withLock(key, async () => {
    clearTimeout(timer);
    if (gaveUp) return void 0;
    return fn();
  });
  run.catch(() => void 0);
  try {
    return await Promise.race([run, expired]);
  } finally {
    clearTimeout(timer);
  }
}
var current;
var init_deadline = __esm({
  "src/app/pacing/deadline.ts"() {
    "use strict";
    init_http2();
    current = new AsyncLocalStorage();
  }
});

// src/app/events.ts
var AppEvents;
var init_events = __esm({
  "src/app/events.ts"() {
    "use strict";
    init_deadline();
    AppEvents = class {
      #listeners = /* @__PURE__ */ new Map();
      #pending = /* @__PURE__ */ new Set();
      #onError = () => {
      };
      /** Where listener failures go (the app's logger). */
      setErrorHandler(onError) {
        this.#onError = onError;
      }
      on(name, listener) {
        const list = this.#listeners.get(name) ?? [];
        list.push(listener);
        this.#listeners.set(name, list);
      }
      /** Calls the listeners without waiting for them; a listener's failure is reported, never thrown. */
      emit(name, event) {
        for (const listener of this.#listeners.get(name) ?? []) {
          const run = withoutDeadline(async () => listener(event)).catch(
            (err) => this.#onError(err, name)
          );
          this.#pending.add(run);
          void run.finally(() => this.#pending.delete(run));
        }
      }
      /** Resolves once every listener started so far has finished (tests, graceful shutdown). */
      async idle() {
        while (this.#pending.size) await Promise.all([...this.#pending]);
      }
    };
  }
});

// src/github/deployment-status.ts
async function findDeployment(octokit, target) {
  if (target.deploymentId) return target.deploymentId;
  if (!target.sha) return null;
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    ...target.environment ? { environment: target.environment } : {},
    per_page: 1
  });
  const list = data;
  return list[0]?.id ?? null;
}
function deploymentState(verdict, failOnInconclusive) {
  if (verdict === "fail" || verdict === "inconclusive" && failOnInconclusive) return "failure";
  return verdict === "pass" ? "success" : null;
}
async function markDeployment(octokit, target, status) {
  await octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
    owner: target.owner,
    repo: target.repo,
    deployment_id: target.deploymentId,
    state: status.state,
    description: truncateChars(status.description, 140),
    ...status.logUrl ? { log_url: status.logUrl } : {},
    auto_inactive: false
  });
}
function truncateChars(text3, max) {
  const chars = [...text3];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}\u2026` : text3;
}
var init_deployment_status = __esm({
  "src/github/deployment-status.ts"() {
    "use strict";
  }
});

// src/core/ttl-cache.ts
var TtlCache;
var init_ttl_cache = __esm({
  "src/core/ttl-cache.ts"() {
    "use strict";
    TtlCache = class {
      constructor(ttlMs, now = Date.now, maxEntries = 1e3) {
        this.ttlMs = ttlMs;
        this.now = now;
        this.maxEntries = maxEntries;
      }
      ttlMs;
      now;
      maxEntries;
      #entries = /* @__PURE__ */ new Map();
      /** The cached value of `key`, or what `load` gives (a failed load is not kept). */
      get(key, load) {
        const hit = this.#entries.get(key);
        if (hit && hit.expires > this.now()) return hit.value;
        if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value);
        const value = load();
        this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
        value.catch(() => {
          if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
        });
        return value;
      }
      delete(key) {
        this.#entries.delete(key);
      }
      clear() {
        this.#entries.clear();
      }
    };
  }
});

// src/github/incidents/client.ts
function statusOf(error) {
  const status = error?.status;
  return typeof status === "number" ? status : void 0;
}
var init_client = __esm({
  "src/github/incidents/client.ts"() {
    "use strict";
  }
});

// src/github/incidents/limits.ts
function fitIssueBody(body, budget = TEXT_BUDGET) {
  if (body.length <= budget) return body;
  const block = BLOCK2.exec(body)?.[0] ?? "";
  const visible = body.slice(0, body.length - block.length);
  return `${cutAtLine(visible, budget - block.length - 120)}

${block}`.slice(0, budget);
}
function fitComment(text3, budget = TEXT_BUDGET) {
  return text3.length <= budget ? text3 : cutAtLine(text3, budget - 120);
}
function fitTitle(title) {
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}\u2026`;
}
function cutAtLine(text3, max) {
  const head = text3.slice(0, Math.max(0, max));
  const end = head.lastIndexOf("\n");
  const kept = end > 0 ? head.slice(0, end) : head;
  const dropped = text3.slice(kept.length).split("\n").filter((l) => l.trim() !== "").length;
  return `${kept}

\u2026 and ${dropped} more lines, cut to fit GitHub's ${GITHUB_TEXT_LIMIT}-character limit.`;
}
var GITHUB_TEXT_LIMIT, TEXT_BUDGET, TITLE_LIMIT, BLOCK2;
var init_limits = __esm({
  "src/github/incidents/limits.ts"() {
    "use strict";
    GITHUB_TEXT_LIMIT = 65536;
    TEXT_BUDGET = 65e3;
    TITLE_LIMIT = 256;
    BLOCK2 = /<!-- aftershock:incident [A-Za-z0-9+/=]+ -->\s*$/;
  }
});

// src/github/incidents/labels.ts
function mergeLabels(current3, wanted, resolvedLabel) {
  const kept = current3.filter((l) => !l.startsWith("severity:") && l !== resolvedLabel);
  return [.../* @__PURE__ */ new Set([...kept, ...wanted])];
}
function sameLabels(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}
function labelNames(labels2) {
  return labels2.map((l) => typeof l === "string" ? l : l.name ?? "").filter((l) => l !== "");
}
var init_labels = __esm({
  "src/github/incidents/labels.ts"() {
    "use strict";
  }
});

// src/github/incidents/store.ts
function incidentLockKey(repo, groupKey) {
  return `${repoKey(repo)}#${groupKey}`;
}
function causeLockKey(repo, environment, deployment) {
  return `cause:${repoKey(repo)}:${JSON.stringify([environment, deployment])}`;
}
async function refusedFor(what, write) {
  try {
    return await write();
  } catch (err) {
    if (statusOf(err) !== 422) throw err;
    const detail = errorMessage(err).slice(0, 300);
    throw new GitHubRefusedError(422, `GitHub refused to ${what} (422): ${detail}`);
  }
}
var GitHubRefusedError, MAX_PAGES2, repoKey, IncidentStore;
var init_store = __esm({
  "src/github/incidents/store.ts"() {
    "use strict";
    init_incident_record();
    init_client();
    init_labels();
    init_limits();
    init_errors();
    GitHubRefusedError = class extends Error {
      constructor(status, message) {
        super(message);
        this.status = status;
        this.name = "GitHubRefusedError";
      }
      status;
    };
    MAX_PAGES2 = 10;
    repoKey = (repo) => `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}`;
    IncidentStore = class {
      constructor(client, repo, trusts) {
        this.client = client;
        this.repo = repo;
        this.trusts = trusts;
      }
      client;
      repo;
      trusts;
      /** The key that serializes every write to the incident of `groupKey` (deliveries and commands). */
      lockKey(groupKey) {
        return incidentLockKey(this.repo, groupKey);
      }
      /** The key that serializes "find or create" for one cause's incident (grouping). */
      causeLockKey(environment, deployment) {
        return causeLockKey(this.repo, environment, deployment);
      }
      /** The open incident of `groupKey`, or null. The oldest wins if there are several (it was first). */
      async find(label2, groupKey) {
        for await (const issue2 of this.#openIssues(label2, { sort: "created", direction: "asc" })) {
          const incident = await this.#incident(issue2, (r) => r.groupKey === groupKey);
          if (incident) return incident;
        }
        return null;
      }
      /** Every open incident of the repository. */
      async list(label2) {
        const found = [];
        for await (const issue2 of this.#openIssues(label2, {})) {
          const incident = await this.#incident(issue2);
          if (incident) found.push(incident);
        }
        return found;
      }
      /** Issue `number` when it is an incident (a valid block, a trusted author); else null. */
      async read(number) {
        let data;
        try {
          ({ data } = await this.client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
            ...this.repo,
            issue_number: number
          }));
        } catch (err) {
          if (statusOf(err) === 404 || statusOf(err) === 410) return null;
          throw err;
        }
        return this.#incident(data);
      }
      /** Opens the issue. Assignees GitHub refuses (422) must not cost the incident: retry without them. */
      async create(issue2) {
        const fitted = { ...issue2, title: fitTitle(issue2.title), body: fitIssueBody(issue2.body) };
        const post = (assignees) => refusedFor(
          "open the incident issue",
          () => this.client.request("POST /repos/{owner}/{repo}/issues", { ...this.repo, ...fitted, assignees })
        );
        try {
          const { data } = await post(issue2.assignees);
          return { number: data.number, url: data.html_url };
        } catch (err) {
          if (!(err instanceof GitHubRefusedError) || issue2.assignees.length === 0) throw err;
          const { data } = await post([]);
          return {
            number: data.number,
            url: data.html_url,
            assigneeError: `GitHub refused the assignees ${issue2.assignees.join(", ")} (they must be collaborators with access to the repository)`
          };
        }
      }
      /** Applies one write: the issue first (one request, skipped when only comments), then each comment. */
      async write(number, change) {
        const { comments = [], ...issue2 } = change;
        if (issue2.body !== void 0) issue2.body = fitIssueBody(issue2.body);
        if (issue2.title !== void 0) issue2.title = fitTitle(issue2.title);
        if (Object.keys(issue2).length > 0) {
          await refusedFor(
            "update the incident issue",
            () => this.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
              ...this.repo,
              issue_number: number,
              ...issue2
            })
          );
        }
        for (const comment2 of comments) await this.comment(number, comment2);
      }
      async comment(number, text3) {
        await refusedFor(
          "comment on the incident issue",
          () => this.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            ...this.repo,
            issue_number: number,
            body: fitComment(text3)
          })
        );
      }
      async *#openIssues(label2, order) {
        for (let page = 1; page <= MAX_PAGES2; page++) {
          const { data } = await this.client.request("GET /repos/{owner}/{repo}/issues", {
            ...this.repo,
            state: "open",
            labels: label2,
            ...order,
            per_page: 100,
            ...page > 1 ? { page } : {}
          });
          const issues = data;
          yield* issues;
          if (issues.length < 100) return;
        }
      }
      async #incident(issue2, wanted = () => true) {
        if (issue2.pull_request) return null;
        const record2 = parseRecord(issue2.body);
        if (!record2 || !wanted(record2) || !await this.trusts(issue2.user)) return null;
        return {
          number: issue2.number,
          url: issue2.html_url,
          title: issue2.title ?? "",
          labels: labelNames(issue2.labels),
          state: issue2.state ?? "open",
          record: record2
        };
      }
    };
  }
});

// src/github/incidents/trust.ts
function onlyAuthors(logins) {
  return async (author) => {
    if (!author?.login) return false;
    const login = author.login.toLowerCase();
    return (await logins()).some((l) => l.toLowerCase() === login);
  };
}
var init_trust = __esm({
  "src/github/incidents/trust.ts"() {
    "use strict";
  }
});

// src/github/incidents/index.ts
var init_incidents = __esm({
  "src/github/incidents/index.ts"() {
    "use strict";
    init_client();
    init_limits();
    init_labels();
    init_store();
    init_trust();
  }
});

// src/core/incident/related-groups.ts
function topDeployment(record2) {
  const top = record2.suspects[0];
  return top ? String(top.deploymentId) : null;
}
function hasGroup(record2, groupKey) {
  return record2.groupKey === groupKey || (record2.related ?? []).some((g) => g.groupKey === groupKey);
}
function canJoin(record2, want) {
  const opened = Date.parse(record2.openedAt);
  return record2.environment === want.environment && topDeployment(record2) === want.deployment && !record2.response?.resolvedAt && (record2.related?.length ?? 0) < MAX_RELATED_GROUPS && Number.isFinite(opened) && want.now.getTime() - opened <= want.windowMs && want.now.getTime() - opened >= -6e4;
}
function groupName(group) {
  return `${group.name} \xB7 ${group.service}`;
}
function mergeGroupDelivery(record2, draft, at2, actor) {
  const related = record2.related ?? [];
  if (draft.groupKey === record2.groupKey) {
    if (related.length === 0) {
      const merged = mergeDelivery(record2, draft.delivery, at2, actor);
      return { record: merged.record, changes: merged.changes.map((change) => ({ group: "", change })) };
    }
    const own = mergeDelivery({ ...record2, status: firstGroupStatus(record2) }, draft.delivery, at2, actor);
    const next = { ...own.record, timeline: record2.timeline, groupStatus: draft.delivery.status };
    const name2 = groupName(record2);
    return finish2(
      record2,
      next,
      own.changes.map((change) => ({ group: name2, change })),
      at2,
      actor
    );
  }
  const index = related.findIndex((g) => g.groupKey === draft.groupKey);
  if (index < 0) throw new Error(`group ${draft.groupKey} is not in this incident`);
  const group = related[index];
  const { next: updated, changes } = mergeRelated(group, draft.delivery);
  if (changes.length === 0) return { record: record2, changes: [] };
  const nextRelated = related.map((g, i) => i === index ? updated : g);
  const name = groupName(group);
  return finish2(
    record2,
    { ...record2, related: boundRelated(nextRelated) },
    changes.map((change) => ({ group: name, change })),
    at2,
    actor
  );
}
function joinGroup(record2, draft, deployment, at2, actor) {
  const alerts = Object.entries(draft.delivery.alerts);
  const group = {
    groupKey: draft.groupKey,
    name: draft.name,
    service: draft.service,
    severity: draft.severity,
    status: draft.delivery.status,
    joinedAt: at2,
    alerts: alerts.slice(0, MAX_RELATED_ALERTS).map(([fp, a]) => relatedAlert(fp, a)),
    count: alerts.length,
    firing: alerts.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(alerts)
  };
  const severity2 = worstSeverity([record2.severity, draft.severity]) ?? record2.severity;
  const changes = [
    {
      group: groupName(group),
      change: { kind: "group-joined", deployment, count: group.count, firing: group.firing }
    }
  ];
  if (severity2 !== record2.severity)
    changes.push({ group: "", change: { kind: "severity-raised", from: record2.severity, to: severity2 } });
  const next = {
    ...record2,
    severity: severity2,
    groupStatus: firstGroupStatus(record2),
    related: boundRelated([...record2.related ?? [], group])
  };
  return finish2(record2, next, changes, at2, actor);
}
function splitOutRecord(record2, index, from, at2, actor) {
  const group = record2.related?.[index - 1];
  if (!group) return null;
  const fingerprints = {};
  for (const a of group.alerts) {
    fingerprints[a.fingerprint] = {
      status: a.status,
      alertname: a.alertname,
      ...a.summary ? { summary: a.summary } : {},
      startsAt: group.joinedAt
    };
  }
  const opened = {
    version: RECORD_VERSION,
    groupKey: group.groupKey,
    fingerprints,
    status: group.status,
    severity: group.severity,
    name: group.name,
    service: group.service,
    environment: record2.environment,
    source: "alert",
    deploys: record2.deploys,
    suspects: record2.suspects,
    timeline: [
      {
        at: group.joinedAt,
        actor: "alertmanager",
        kind: "opened",
        text: `Joined #${from.number} (same top suspect deploy)`
      },
      { at: at2, actor, kind: "split", text: `Split out of #${from.number} into its own incident` }
    ],
    openedAt: group.joinedAt,
    warnings: [],
    ...record2.externalURL ? { externalURL: record2.externalURL } : {}
  };
  return { group, record: opened };
}
function withoutGroup(record2, groupKey, to, at2, actor) {
  const group = (record2.related ?? []).find((g) => g.groupKey === groupKey);
  if (!group) return record2;
  const related = (record2.related ?? []).filter((g) => g.groupKey !== groupKey);
  const next = { ...record2, related };
  const entry2 = {
    at: at2,
    actor,
    kind: "split",
    text: `Alert group ${groupName(group)} split out into #${to.number}`
  };
  return finish2(record2, next, [], at2, actor, [entry2]).record;
}
function firstGroupStatus(record2) {
  return record2.groupStatus ?? record2.status;
}
function finish2(before, next, changes, at2, actor, extra = []) {
  const groups = [firstGroupStatus(next), ...(next.related ?? []).map((g) => g.status)];
  const status = groups.includes("firing") ? "firing" : "resolved";
  const all = [...changes];
  if (status !== before.status)
    all.push({
      group: "",
      change: { kind: status === "resolved" ? "incident-resolved" : "incident-refired" }
    });
  return {
    record: {
      ...next,
      status,
      timeline: [...next.timeline, ...timelineEntries2(all, at2, actor), ...extra]
    },
    changes: all
  };
}
function mergeRelated(group, delivery) {
  const alerts = Object.entries(delivery.alerts);
  const digest2 = alertsDigest(alerts);
  if (digest2 === group.digest && delivery.status === group.status) return { next: group, changes: [] };
  const listed = new Map(group.alerts.map((a) => [a.fingerprint, a]));
  const changes = [];
  for (const [fp, alert] of alerts) {
    const key = boundedKey(fp, MAX_FINGERPRINT);
    const before = listed.get(key);
    if (!before) {
      if (listed.size >= MAX_RELATED_ALERTS) continue;
      changes.push({ kind: "alert-added", fingerprint: fp, alert });
    } else if (before.status !== alert.status) {
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint: fp,
        alert
      });
    } else continue;
    listed.set(key, relatedAlert(fp, alert));
  }
  const firing = alerts.filter(([, a]) => a.status === "firing").length;
  if (changes.length === 0 && digest2 !== group.digest)
    changes.push({ kind: "alerts-changed", count: alerts.length, firing });
  if (delivery.status !== group.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  return {
    next: {
      ...group,
      status: delivery.status,
      alerts: [...listed.values()],
      count: alerts.length,
      firing,
      digest: digest2
    },
    changes
  };
}
function relatedAlert(fingerprint, alert) {
  return {
    fingerprint: boundedKey(fingerprint, MAX_FINGERPRINT),
    status: alert.status,
    alertname: alert.alertname.slice(0, 100),
    ...alert.summary ? { summary: alert.summary.slice(0, MAX_SUMMARY) } : {}
  };
}
function boundRelated(groups) {
  const size = (g) => JSON.stringify(g).length;
  if (size(groups) <= RELATED_JSON_BUDGET) return groups;
  const bare = groups.map((g) => ({ ...g, alerts: g.alerts.map(({ summary: _s, ...a }) => a) }));
  if (size(bare) <= RELATED_JSON_BUDGET) return bare;
  return bare.map((g) => ({ ...g, alerts: g.alerts.slice(0, 3) }));
}
function describeGroupedChange({ group, change }) {
  switch (change.kind) {
    case "group-joined":
      return `Alert group ${group} joined: same environment and top suspect deploy ${change.deployment} (${change.firing} of ${change.count} alerts firing)`;
    case "alerts-changed":
      return `${group}: alerts changed (${change.firing} of ${change.count} firing)`;
    case "severity-raised":
      return `Severity raised from ${change.from} to ${change.to} by a related alert group`;
    case "incident-resolved":
      return "Every alert group of this incident has resolved";
    case "incident-refired":
      return "The incident fired again";
    case "resolved":
      return group ? `Alert group ${group} resolved` : describeChange(change);
    case "refired":
      return group ? `Alert group ${group} fired again` : describeChange(change);
    default:
      return group ? `${group}: ${describeChange(change)}` : describeChange(change);
  }
}
function timelineEntries2(changes, at2, actor) {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c.change,
    (c) => ({ at: at2, actor, kind: c.change.kind, text: describeGroupedChange(c) }),
    at2,
    actor
  );
}
var MAX_RELATED_GROUPS, MAX_RELATED_ALERTS, RELATED_JSON_BUDGET, MAX_SUMMARY, MAX_FINGERPRINT;
var init_related_groups = __esm({
  "src/core/incident/related-groups.ts"() {
    "use strict";
    init_incident_record();
    init_severity();
    MAX_RELATED_GROUPS = 20;
    MAX_RELATED_ALERTS = 10;
    RELATED_JSON_BUDGET = 16e3;
    MAX_SUMMARY = 120;
    MAX_FINGERPRINT = 64;
  }
});

// src/core/incident/update-comment.ts
function renderUpdateLines(changes, line) {
  const listed = changes.slice(0, MAX_COMMENT_LINES);
  const lines = listed.map((change) => {
    const { icon, text: text3, summary: summary3 } = line(change);
    const detail = summary3 ? `: ${escapeMarkdown(summary3, 300)}` : "";
    return `- ${icon} ${escapeMarkdown(text3, 300)}${detail}`;
  });
  return [
    `**Update from Alertmanager** (${changes.length} change${changes.length === 1 ? "" : "s"})`,
    "",
    ...lines,
    ...changes.length > listed.length ? [`- \u2026 and ${changes.length - listed.length} more`] : []
  ].join("\n");
}
var MAX_COMMENT_LINES;
var init_update_comment = __esm({
  "src/core/incident/update-comment.ts"() {
    "use strict";
    init_markdown();
    MAX_COMMENT_LINES = 20;
  }
});

// src/core/incident/render-related.ts
function relatedSection(record2) {
  const groups = record2.related ?? [];
  if (groups.length === 0) return "";
  const rows = groups.map((g, i) => {
    const status = g.status === "resolved" ? "\u2705 resolved" : `\u{1F525} firing (${g.firing} of ${g.count})`;
    const names = [...new Set(g.alerts.map((a) => a.alertname))].slice(0, MAX_ALERT_NAMES);
    const alerts = names.map((n) => escapeMarkdown(n, 80)).join(", ");
    return `| ${i + 1} | ${escapeMarkdown(g.name, 120)} | ${escapeMarkdown(g.service, 80)} | ${g.severity} | ${status} | ${alerts} | ${escapeMarkdown(g.joinedAt, 40)} | ${code(g.groupKey, 60, { table: true })} |`;
  });
  return [
    "### Related alerts",
    "",
    "Alert groups that fired in the same environment, blaming the same deploy, joined this incident. It resolves when every group has resolved; `/split N` moves group N into its own incident.",
    "",
    "| # | Alert | Service | Severity | Status | Alerts | Joined | Group |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows
  ].join("\n");
}
function renderGroupedComment(changes) {
  return renderUpdateLines(changes, (c) => {
    const kind = c.change.kind;
    const resolved = kind === "resolved" || kind === "alert-resolved" || kind === "incident-resolved";
    return {
      icon: resolved ? "\u2705" : kind === "group-joined" ? "\u{1F517}" : "\u{1F525}",
      text: describeGroupedChange(c),
      summary: "alert" in c.change ? c.change.alert.summary : void 0
    };
  });
}
var MAX_ALERT_NAMES;
var init_render_related = __esm({
  "src/core/incident/render-related.ts"() {
    "use strict";
    init_markdown();
    init_related_groups();
    init_update_comment();
    MAX_ALERT_NAMES = 5;
  }
});

// src/core/incident/commands.ts
function proseLines(body) {
  const visible = body.replace(/<!--[\s\S]*?(?:-->|$)/g, (span) => span.replace(/[^\r\n]/g, ""));
  const lines = visible.split(/\r\n|\r|\n/);
  const out = [];
  let fence = null;
  lines.forEach((text3, i) => {
    if (fence) {
      const close = FENCE_OPEN.exec(text3);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && close[2].trim() === "")
        fence = null;
      return;
    }
    const open = FENCE_OPEN.exec(text3);
    if (open && !(open[1][0] === "`" && open[2].includes("`"))) {
      fence = { char: open[1][0], length: open[1].length };
      return;
    }
    const trimmed = text3.trimStart();
    if (trimmed.startsWith(">") || /^( {4}|\t| {0,3}\t)/.test(text3)) return;
    out.push({ text: text3, line: i + 1 });
  });
  return out;
}
function parseCommands(body) {
  const results = [];
  for (const { text: text3, line } of proseLines(body)) {
    const match = COMMAND_LINE.exec(text3);
    if (!match) continue;
    const raw = text3.trim();
    const name = match[1].toLowerCase();
    if (results.length === MAX_COMMANDS_PER_COMMENT) {
      results.push({
        ok: false,
        name,
        line,
        raw,
        error: `Only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment run; post the rest in another comment.`
      });
      break;
    }
    results.push(parseOne(name, match[2].trim(), line, raw));
  }
  return results;
}
function parseOne(name, args, line, raw) {
  const spec = SPEC_BY_NAME.get(name);
  if (!spec) {
    const known = COMMAND_SPECS.map((s) => `/${s.name}`).join(", ");
    return { ok: false, name, line, raw, error: `Unknown command /${name}. Known commands: ${known}.` };
  }
  const result = parseArgs4(spec.name, args);
  if ("error" in result) {
    return { ok: false, name, line, raw, error: `${result.error} Usage: \`${spec.usage}\`.` };
  }
  return { ok: true, command: result, line, raw };
}
function parseArgs4(name, args) {
  const words = args === "" ? [] : args.split(/\s+/);
  switch (name) {
    case "ack":
    case "suspects":
    case "postmortem":
    case "help":
      if (words.length > 0)
        return { error: `/${name} takes no arguments (got "${clip(args)}"); use /note for a comment.` };
      return { name };
    case "severity": {
      const level = words[0]?.toUpperCase();
      if (words.length !== 1 || level !== "P1" && level !== "P2" && level !== "P3")
        return {
          error: `/severity needs one of P1, P2 or P3${words.length ? ` (got "${clip(args)}")` : ""}.`
        };
      return { name, severity: level };
    }
    case "assign":
      return parseAssign(args);
    case "note":
    case "action-item": {
      const error = checkText(`/${name}`, args, true);
      return error ? { error } : { name, text: args };
    }
    case "resolve": {
      const error = checkText("/resolve", args, false);
      if (error) return { error };
      return args === "" ? { name } : { name, summary: args };
    }
    case "rollback": {
      if (words.length === 0) return { name };
      const m = /^#?(\d{1,9})$/.exec(words[0]);
      if (words.length > 1 || !m || Number(m[1]) === 0)
        return { error: `/rollback takes one pull request number like #42 (got "${clip(args)}").` };
      return { name, pr: Number(m[1]) };
    }
    case "split": {
      const m = /^#?(\d{1,3})$/.exec(words[0] ?? "");
      if (words.length !== 1 || !m || Number(m[1]) === 0)
        return {
          error: `/split takes the number of a related alert group, as the "Related alerts" table shows it (got "${clip(args)}").`
        };
      return { name, group: Number(m[1]) };
    }
    case "redeploy": {
      if (words.length === 0 || words.length === 1 && words[0].toLowerCase() === "previous")
        return { name, target: { kind: "previous" } };
      if (words.length === 1 && SHA.test(words[0]))
        return { name, target: { kind: "sha", sha: words[0].toLowerCase() } };
      return {
        error: `/redeploy takes "previous" or a commit SHA of 7 to 40 hex characters (got "${clip(args)}").`
      };
    }
  }
}
function parseAssign(args) {
  const words = args.split(/[\s,]+/).filter((w) => w !== "");
  if (words.length === 0) return { error: "/assign needs at least one GitHub login." };
  const logins = [];
  for (const word of words) {
    const login = word.startsWith("@") ? word.slice(1) : word;
    if (login.includes("/"))
      return { error: `"${clip(word)}" is a team; /assign takes user logins (teams cannot be assigned).` };
    if (!LOGIN.test(login))
      return {
        error: `"${clip(word)}" is not a GitHub login (1 to 39 letters, digits or inner hyphens).`
      };
    if (!logins.some((l) => l.toLowerCase() === login.toLowerCase())) logins.push(login);
  }
  if (logins.length > MAX_ASSIGNEES)
    return { error: `/assign takes at most ${MAX_ASSIGNEES} logins (got ${logins.length}).` };
  return { name: "assign", logins };
}
function checkText(command, text3, required) {
  if (required && text3 === "") return `${command} needs text.`;
  const length = Array.from(text3).length;
  if (length > MAX_TEXT_LENGTH)
    return `${command} text is ${length} characters; the limit is ${MAX_TEXT_LENGTH}.`;
  return null;
}
function clip(text3) {
  const chars = Array.from(text3);
  return chars.length > 40 ? `${chars.slice(0, 39).join("")}\u2026` : text3;
}
function mutates(command) {
  return command.name !== "help" && command.name !== "suspects";
}
function requiredPermission(command) {
  if (command.name === "help") return "none";
  return mutates(command) ? "write" : "read";
}
function commandKey(commentId, line) {
  return `comment:${commentId}:line:${line}`;
}
var COMMAND_SPECS, MAX_TEXT_LENGTH, MAX_COMMANDS_PER_COMMENT, MAX_ASSIGNEES, SPEC_BY_NAME, COMMAND_LINE, FENCE_OPEN, LOGIN, SHA, HELP_TEXT;
var init_commands = __esm({
  "src/core/incident/commands.ts"() {
    "use strict";
    COMMAND_SPECS = Object.freeze([
      { name: "ack", usage: "/ack", help: "acknowledge the incident: you are on it" },
      { name: "severity", usage: "/severity P1|P2|P3", help: "change the severity" },
      { name: "assign", usage: "/assign @user [@user2 \u2026]", help: "assign responders" },
      { name: "note", usage: "/note <text>", help: "add a note to the timeline" },
      {
        name: "rollback",
        usage: "/rollback [#PR]",
        help: "open a revert PR for the top suspect, or for the PR named"
      },
      {
        name: "redeploy",
        usage: "/redeploy [sha|previous]",
        help: "redeploy the previous good deploy (default) or a commit"
      },
      { name: "suspects", usage: "/suspects", help: "rank the suspect PRs again and post them" },
      { name: "resolve", usage: "/resolve [summary]", help: "mark the incident resolved" },
      { name: "postmortem", usage: "/postmortem", help: "open a PR with the blameless post-mortem draft" },
      { name: "action-item", usage: "/action-item <text>", help: "record a follow-up for the post-mortem" },
      { name: "split", usage: "/split N", help: "move related alert group N into its own incident" },
      { name: "help", usage: "/help", help: "list the commands" }
    ]);
    MAX_TEXT_LENGTH = 1e3;
    MAX_COMMANDS_PER_COMMENT = 20;
    MAX_ASSIGNEES = 10;
    SPEC_BY_NAME = new Map(COMMAND_SPECS.map((s) => [s.name, s]));
    COMMAND_LINE = /^ {0,3}\/([A-Za-z][A-Za-z-]*)(?=\s|$)(.*)$/;
    FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
    LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
    SHA = /^[0-9a-f]{7,40}$/i;
    HELP_TEXT = [
      "**aftershock commands** (one per line, at the start of the line):",
      "",
      "| Command | What it does |",
      "| --- | --- |",
      ...COMMAND_SPECS.map((s) => `| \`${s.usage.replace(/\|/g, "\\|")}\` | ${s.help} |`),
      "",
      "Commands inside code blocks and quotes are ignored. Changing commands need write access to the repository."
    ].join("\n");
  }
});

// src/core/incident/render-incident.ts
function severityFromLabel(value) {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "p1" || v === "critical") return "P1";
  if (v === "p2" || v === "warning") return "P2";
  if (v === "p3" || v === "info") return "P3";
  return null;
}
function ratioFrom(text3) {
  if (text3 === void 0) return null;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(%?)\s*$/i.exec(text3);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? n : null;
}
function alertSeveritySource(alert, bands = DEFAULT_SEVERITY_BANDS) {
  const label2 = alert.labels["severity"];
  const fromLabel = severityFromLabel(label2);
  if (fromLabel) return { severity: fromLabel, from: "label", label: label2.trim() };
  for (const annotation of RATIO_ANNOTATIONS) {
    const ratio = ratioFrom(alert.annotations?.[annotation]);
    if (ratio !== null) return { severity: severityFor(ratio, bands), from: "ratio", annotation, ratio };
  }
  return null;
}
function incidentTitle(record2) {
  return oneLine(`[${record2.severity}] ${record2.name}: ${record2.service} in ${record2.environment}`, 240);
}
function incidentLabels(record2, labels2) {
  const all = [
    labels2.incident,
    `severity:${record2.severity}`,
    `service:${record2.service}`,
    `env:${record2.environment}`,
    ...labels2.extra,
    ...record2.status === "resolved" ? [labels2.resolved] : []
  ];
  return [...new Set(all.map((l) => oneLine(l.replace(/,/g, " "), 50)))];
}
function renderIncidentBody(full) {
  const record2 = compactRecord(full, MAX_BLOCK);
  const generous = render2(record2, { alerts: 50, timeline: 100, deploys: 30, suspects: 10 });
  if (generous.length <= MAX_BODY) return generous;
  return render2(record2, { alerts: 10, timeline: 20, deploys: 10, suspects: 5 });
}
function render2(record2, limits) {
  return [
    summary(record2),
    warnings(record2),
    responseSection(record2),
    alertsTable(record2, limits.alerts),
    relatedSection(record2),
    suspectsSection(record2, limits.suspects),
    renderSimilar(record2),
    deploysSection(record2, limits.deploys),
    timelineSection(record2, limits.timeline),
    footer(),
    serializeRecord(record2)
  ].filter((part) => part !== "").join("\n\n");
}
function summary(record2) {
  const source = record2.source === "alert" ? "Alertmanager alert" : "failed deploy check";
  const status = record2.status === "resolved" ? "\u2705 resolved" : "\u{1F525} firing";
  const external = link("Alertmanager", record2.externalURL);
  const rule = record2.severityRule ? ` \u2014 set by ${escapeMarkdown(record2.severityRule, 300)}` : "";
  return [
    `## ${escapeMarkdown(record2.name, 120)}: ${escapeMarkdown(record2.service, 80)} in ${escapeMarkdown(record2.environment, 80)}`,
    "",
    `**Severity:** ${record2.severity}${rule} \xB7 **Status:** ${status} \xB7 **Source:** ${source} \xB7 **Opened:** ${record2.openedAt}`,
    `**Group:** ${code(record2.groupKey, 200)}${record2.externalURL ? ` \xB7 ${external}` : ""}`,
    ...record2.source === "alert" || record2.runbook || record2.dashboard ? [whereToLook(record2)] : []
  ].join("\n");
}
function whereToLook(record2) {
  const runbook = safeUrl(record2.runbook) ? link("open the runbook", record2.runbook) : "none (add a `runbook_url` annotation to the alert, or `runbooks:` to .github/aftershock.yml)";
  const dashboard = safeUrl(record2.dashboard) ? ` \xB7 **Dashboard:** ${link("open", record2.dashboard)}` : "";
  return `**Runbook:** ${runbook}${dashboard}`;
}
function warnings(record2) {
  if (record2.warnings.length === 0) return "";
  return ["> [!WARNING]", ...record2.warnings.map((w) => `> ${escapeMarkdown(w, 400)}`)].join("\n");
}
function responseSection(record2) {
  if (!record2.response) return "";
  const state = readResponseState(record2);
  const f2 = computeResponseMetrics(record2, state).formatted;
  const facts = [];
  if (state.acknowledgedAt)
    facts.push(
      `**Acknowledged:** ${formatTime(state.acknowledgedAt)}${f2.acknowledge ? ` (after ${f2.acknowledge})` : ""}`
    );
  if (state.mitigatedAt)
    facts.push(
      `**Mitigated:** ${formatTime(state.mitigatedAt)}${f2.mitigate ? ` (after ${f2.mitigate})` : ""}`
    );
  if (state.resolvedAt)
    facts.push(`**Resolved:** ${formatTime(state.resolvedAt)}${f2.resolve ? ` (after ${f2.resolve})` : ""}`);
  const lines = facts.length ? [facts.join(" \xB7 ")] : [];
  if (state.resolution) lines.push(`**Resolution:** ${escapeMarkdown(state.resolution, 500)}`);
  for (const r of state.rollbacks) {
    const revert = r.revertPr !== void 0 ? link(`#${r.revertPr}`, r.url, 40) : "by hand";
    lines.push(`**Rollback** of #${r.pr}: ${revert} (${r.state})`);
  }
  if (state.postmortem) {
    const pr = state.postmortem.pr !== void 0 ? `${link(`#${state.postmortem.pr}`, state.postmortem.url, 40)} \xB7 ` : "";
    lines.push(`**Post-mortem:** ${pr}${code(state.postmortem.path, 200)}`);
  }
  if (state.actionItems.length) {
    const items = state.actionItems.slice(0, 30).map((i) => `- ${escapeMarkdown(i.text, 200)}${i.issue !== void 0 ? ` (#${i.issue})` : ""}`);
    lines.push(["**Action items:**", "", ...items].join("\n"));
  }
  return lines.length ? ["### Response", ...lines].join("\n\n") : "";
}
function more(total, shown3, what) {
  return total > shown3 ? `

\u2026and ${total - shown3} more ${what}.` : "";
}
function alertsTable(record2, limit) {
  const rows = Object.entries(record2.fingerprints);
  const total = rows.length + (record2.unlisted?.count ?? 0);
  const lines = rows.slice(0, limit).map(([fingerprint, a]) => {
    const name = link(a.alertname, a.url, 120);
    return `| ${a.status} | ${name} | ${escapeMarkdown(a.summary ?? "", 300)} | ${escapeMarkdown(a.startsAt, 40)} | ${code(fingerprint, 40, { table: true })} |`;
  });
  return [
    "### Alerts",
    "",
    "| Status | Alert | Summary | Started | Fingerprint |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(total, lines.length, "alerts") + alertDetails(rows.slice(0, limit), limit > 10 ? 2e4 : 8e3);
}
function htmlText(text3, maxLength) {
  return oneLine(text3, maxLength).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function pairsTable(heading, values) {
  const entries = Object.entries(values ?? {}).slice(0, 30);
  if (entries.length === 0) return [];
  const rows = entries.map(([k, v]) => `| ${escapeMarkdown(k, 100)} | ${escapeMarkdown(v, 300)} |`);
  return ["", `| ${heading} | Value |`, "| --- | --- |", ...rows];
}
function alertDetails(rows, budget) {
  const blocks = [];
  let used = 0;
  let omitted = 0;
  for (const [i, [, alert]] of rows.entries()) {
    const tables = [...pairsTable("Label", alert.labels), ...pairsTable("Annotation", alert.annotations)];
    if (tables.length === 0) continue;
    const block = [
      `<details><summary>${i + 1}. ${htmlText(alert.alertname, 120)}: labels and annotations</summary>`,
      ...tables,
      "",
      "</details>"
    ].join("\n");
    if (used + block.length > budget) {
      omitted++;
      continue;
    }
    used += block.length;
    blocks.push(block);
  }
  const note2 = omitted ? [
    `\u2026labels and annotations of ${omitted} more alert${omitted === 1 ? "" : "s"} were left out for length.`
  ] : [];
  const all = [...blocks, ...note2];
  return all.length ? `

${all.join("\n\n")}` : "";
}
function suspectsSection(record2, limit) {
  if (record2.suspects.length === 0) {
    return "### Suspects\n\nNo merged pull request was deployed in the lookback window.";
  }
  const lines = record2.suspects.slice(0, limit).map((s, i) => {
    const pr = link(`#${s.number} ${s.title}`, s.url, 120) + (i === 0 ? likelihood(s.confidence) : "");
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${pr} | ${s.score.toFixed(2)} | ${code(s.author, 40, { table: true })} | ${reasons} |`;
  });
  return [
    "### Suspects",
    "",
    "| Rank | Pull request | Score | Author | Why |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(record2.suspects.length, lines.length, "suspects");
}
function likelihood(confidence) {
  if (confidence === void 0 || !Number.isFinite(confidence)) return "";
  return ` \xB7 **${percent(confidence)} likely**`;
}
function percent(confidence) {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)} %`;
}
function renderSimilar(record2) {
  const similar = record2.similar ?? [];
  if (similar.length === 0) return "";
  const lines = similar.slice(0, 5).map((s) => {
    const why = s.why.map((w) => escapeMarkdown(w, 300)).join("; ");
    return `- ${link(`#${s.number}`, s.url, 40)} (${escapeMarkdown(s.outcome, 40)}): ${why}`;
  });
  return ["### Similar incidents", "", ...lines].join("\n");
}
function deploysSection(record2, limit) {
  if (record2.deploys.length === 0) return "### Deploys considered\n\nNone in the lookback window.";
  const lines = record2.deploys.slice(0, limit).map((d) => {
    const id2 = link(String(d.id), d.url, 40);
    return `| ${id2} | ${code(d.sha.slice(0, 12), 12, { table: true })} | ${escapeMarkdown(d.environment, 60)} | ${escapeMarkdown(d.createdAt, 40)} | ${escapeMarkdown(d.status, 20)} |`;
  });
  return [
    "### Deploys considered",
    "",
    "| Deployment | SHA | Environment | Created | Status |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(record2.deploys.length, lines.length, "deploys");
}
function timelineSection(record2, limit) {
  const entries = record2.timeline.slice(-limit);
  const skipped = record2.timeline.length - entries.length;
  const lines = entries.map(
    (e) => `- ${escapeMarkdown(e.at, 40)} \xB7 ${code(e.actor, 60)} \xB7 ${escapeMarkdown(e.text, 300)}`
  );
  return ["### Timeline", "", ...skipped > 0 ? [`- \u2026${skipped} earlier entries`] : [], ...lines].join("\n");
}
function footer() {
  const commands = INCIDENT_COMMANDS.map((c) => `\`${c.command}\` ${c.help}`).join(" \xB7 ");
  return `---
<sub>Comment on this issue to respond: ${commands}.</sub>`;
}
function renderUpdateComment(changes) {
  return renderUpdateLines(changes, (change) => ({
    icon: change.kind === "resolved" || change.kind === "alert-resolved" ? "\u2705" : "\u{1F525}",
    text: describeChange(change),
    summary: "alert" in change ? change.alert.summary : void 0
  }));
}
var INCIDENT_COMMANDS, MAX_BODY, MAX_BLOCK, RATIO_ANNOTATIONS;
var init_render_incident = __esm({
  "src/core/incident/render-incident.ts"() {
    "use strict";
    init_incident_record();
    init_commands();
    init_markdown();
    init_response_metrics();
    init_render_related();
    init_update_comment();
    init_response_state();
    init_severity();
    INCIDENT_COMMANDS = COMMAND_SPECS.map((s) => ({
      command: s.usage,
      help: s.help
    }));
    MAX_BODY = 6e4;
    MAX_BLOCK = 3e4;
    RATIO_ANNOTATIONS = ["error_ratio", "value"];
  }
});

// src/app/pacing/write-budget.ts
function isContentCreating(method, url) {
  const m = (method ?? "GET").toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return path !== "/graphql" && !/^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}
function notifies(method, url) {
  if ((method ?? "").toUpperCase() !== "POST") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return /^\/repos\/[^/]+\/[^/]+\/(issues|pulls)(\/[^/]+\/comments)?$/.test(path);
}
function budgetRefusal(limits, waitMs) {
  return new BudgetRefusal(
    `the GitHub write budget of this installation (${limits.perMinute}/min, ${limits.perHour}/h) has no slot for ${Math.ceil(waitMs / 1e3)} s; Alertmanager will retry`,
    waitMs
  );
}
function paceWrites(octokit, budget, key, deadline) {
  octokit.hook.wrap("request", async (request, options) => {
    if (isContentCreating(options.method, options.url))
      await budget.take(key, deadline(), notifies(options.method, options.url));
    return request(options);
  });
  return octokit;
}
var DEFAULT_WRITE_BUDGET, PROBOT_THROTTLING_SPACING, MINUTE, HOUR, MAX_KEYS, WriteBudget, BudgetRefusal;
var init_write_budget = __esm({
  "src/app/pacing/write-budget.ts"() {
    "use strict";
    init_http2();
    init_deadline();
    DEFAULT_WRITE_BUDGET = { perMinute: 60, perHour: 450 };
    PROBOT_THROTTLING_SPACING = { writeSpacingMs: 1e3, notifySpacingMs: 3e3 };
    MINUTE = 6e4;
    HOUR = 60 * MINUTE;
    MAX_KEYS = 1e4;
    WriteBudget = class {
      constructor(limits = DEFAULT_WRITE_BUDGET, now = Date.now) {
        this.limits = limits;
        this.now = now;
        if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
          throw new Error(`a write budget needs 1 \u2264 perMinute \u2264 perHour, got ${JSON.stringify(limits)}`);
      }
      limits;
      now;
      /** Slot times (ms) taken per installation within the last hour, ascending. */
      #slots = /* @__PURE__ */ new Map();
      /** The last notifying slot per installation. */
      #notified = /* @__PURE__ */ new Map();
      /** When the next write for `key` could be sent (ms since the epoch); `notify`: one that notifies. */
      nextSlot(key, notify2 = false) {
        const now = this.now();
        const slots = this.#live(key, now);
        const { writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
        const lastNotified = this.#notified.get(key);
        return Math.max(
          this.#windowSlot(slots, now),
          slots.length > 0 ? slots.at(-1) + writeSpacingMs : now,
          notify2 && lastNotified !== void 0 ? lastNotified + notifySpacingMs : now
        );
      }
      /** Resolves when `key`'s next write slot has come (takes nothing). */
      async untilFree(key) {
        const wait = this.nextSlot(key) - this.now();
        if (wait > 0) await new Promise((resolve3) => setTimeout(resolve3, wait));
      }
      /** Refuses (503) a delivery when the budget has no room before `deadline`; takes nothing. */
      admit(key, deadline) {
        const now = this.now();
        const slot = this.#windowSlot(this.#live(key, now), now);
        if (slot > deadline) throw this.#refusal(slot);
      }
      /**
       * When the minute and hour windows next have room, spacing aside. Slots are handed out in order,
       * so the windows only look back from the last ones.
       */
      #windowSlot(slots, now) {
        const { perMinute, perHour } = this.limits;
        return Math.max(
          now,
          slots.length >= perMinute ? slots[slots.length - perMinute] + MINUTE : now,
          slots.length >= perHour ? slots[slots.length - perHour] + HOUR : now
        );
      }
      /**
       * Takes the next slot and waits for it. Throws 503 (and takes nothing) when the slot comes after
       * `deadline`: the request is never sent.
       */
      async take(key, deadline, notify2 = false) {
        const slot = this.nextSlot(key, notify2);
        if (deadline !== void 0 && slot > deadline) throw this.#refusal(slot);
        const slots = this.#live(key, this.now());
        slots.push(slot);
        this.#slots.delete(key);
        this.#slots.set(key, slots);
        if (this.#slots.size > MAX_KEYS) this.#slots.delete(this.#slots.keys().next().value);
        if (notify2) {
          this.#notified.delete(key);
          this.#notified.set(key, slot);
          if (this.#notified.size > MAX_KEYS) this.#notified.delete(this.#notified.keys().next().value);
        }
        const wait = slot - this.now();
        if (wait > 0) await new Promise((resolve3) => setTimeout(resolve3, wait));
      }
      /** Writes taken in the last minute and hour (metrics, tests). */
      used(key) {
        const now = this.now();
        const slots = this.#live(key, now);
        return { minute: slots.filter((t) => t > now - MINUTE).length, hour: slots.length };
      }
      #live(key, now) {
        const slots = this.#slots.get(key) ?? [];
        const first = slots.findIndex((t) => t > now - HOUR);
        return first < 0 ? [] : first === 0 ? slots : slots.slice(first);
      }
      #refusal(slot) {
        return budgetRefusal(this.limits, slot - this.now());
      }
    };
    BudgetRefusal = class extends HttpError {
      constructor(message, retryAfterMs) {
        const refusal2 = busy(message, retryAfterMs);
        super(refusal2.status, refusal2.message, void 0, refusal2.headers);
        this.name = "BudgetRefusal";
      }
    };
  }
});

// src/core/config/repo-config.ts
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import { z as z9 } from "zod";
function isDuration(text3) {
  try {
    parseDuration(text3);
    return true;
  } catch {
    return false;
  }
}
function lookbackSeconds(config) {
  return parseDuration(config.lookback, "lookback");
}
function historyLookbackSeconds(config) {
  return parseDuration(config.history.lookback, "history.lookback");
}
function globProblem(glob) {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (EXTGLOB.test(glob)) return "extglob patterns like *( ) and @( ) are not supported";
  return null;
}
function shown2(glob) {
  return glob.length > 60 ? `${glob.slice(0, 59)}\u2026` : glob;
}
function safeGlobs(where, globs, warnings2) {
  return globs.filter((glob) => {
    const problem = globProblem(glob);
    if (problem) warnings2.push(`${CONFIG_PATH}: ${where}: glob "${shown2(glob)}" was ignored: ${problem}`);
    return problem === null;
  });
}
function parseRepoConfig(text3) {
  if (Buffer.byteLength(text3, "utf8") > MAX_CONFIG_BYTES) {
    return defaultsBecause(`${CONFIG_PATH} is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text3, { lineCounter: lines });
  let raw;
  try {
    if (doc.errors[0]) throw doc.errors[0];
    raw = doc.toJS();
  } catch (err) {
    const first = errorMessage(err).split("\n")[0].replace(/:$/, "");
    return defaultsBecause(`${CONFIG_PATH} is not valid YAML: ${first}`);
  }
  if (raw === null || raw === void 0) return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return defaultsBecause(`${CONFIG_PATH} must be a mapping of settings (labels, assignees, services, ...)`);
  }
  const result = RepoConfigSchema.safeParse(raw);
  if (!result.success) {
    const { issues } = result.error;
    const problems = issues.map((issue2) => describeIssue2(issue2, raw, doc, lines)).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const rest2 = problems.length - 3;
    const more2 = rest2 > 0 ? ` (and ${rest2} more problem${rest2 === 1 ? "" : "s"})` : "";
    return defaultsBecause(
      `${CONFIG_PATH}: ${problems.slice(0, 3).map((p) => p.text).join("; ")}${more2}`
    );
  }
  const known = new Set(Object.keys(RepoConfigSchema.shape));
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  const topLines = topLevelLines(doc, lines);
  const warnings2 = unknown.slice(0, MAX_UNKNOWN_WARNINGS).map(
    (key) => `${CONFIG_PATH}: unknown setting "${key.slice(0, 60)}" (line ${topLines.get(key)}) was ignored (known: ${[...known].join(", ")})`
  );
  const rest = unknown.length - MAX_UNKNOWN_WARNINGS;
  if (rest > 0) warnings2.push(`${CONFIG_PATH}: and ${rest} more unknown settings were ignored`);
  const config = result.data;
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, globs]) => [
      name,
      safeGlobs(`services.${name.slice(0, 60)}`, globs, warnings2)
    ])
  );
  const riskyPaths = config.riskyPaths && safeGlobs("riskyPaths", config.riskyPaths, warnings2);
  return {
    config: { ...config, services, ...riskyPaths ? { riskyPaths } : {} },
    error: null,
    warnings: warnings2
  };
}
function topLevelLines(doc, lines) {
  const found = /* @__PURE__ */ new Map();
  if (!isMap(doc.contents)) return found;
  for (const pair of doc.contents.items) {
    const key = pair.key;
    if (isScalar(key) && key.range) found.set(String(key.value), lines.linePos(key.range[0]).line);
  }
  return found;
}
function yamlPath(path) {
  return path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("");
}
function kindOf(value) {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return "true or false";
  return `a ${typeof value}`;
}
function valueAt(raw, path) {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return void 0;
    value = value[part];
  }
  return value;
}
function describeIssue2(issue2, raw, doc, lines) {
  const where = issue2.path.length ? yamlPath(issue2.path) : "(top level)";
  let problem;
  if (issue2.code === "invalid_type") {
    const found = valueAt(raw, issue2.path);
    problem = found === void 0 ? "is required" : `must be ${NOUNS[issue2.expected] ?? issue2.expected}, not ${kindOf(found)}`;
  } else if (issue2.message.startsWith("must")) {
    problem = issue2.message;
  } else {
    problem = `is invalid: ${issue2.message.replace(/^Invalid input: /, "")}`;
  }
  const line = lineOf(doc, lines, issue2.path);
  return { text: `${where} ${problem}${line === void 0 ? "" : ` (line ${line})`}`, line };
}
function lineOf(doc, lines, path) {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    let node;
    if (isMap(parent)) {
      node = parent.items.find(
        (pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === String(last)
      )?.key;
    } else if (isSeq(parent) && typeof last === "number") {
      node = parent.items[last];
    }
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return void 0;
}
function defaultsBecause(error) {
  return { config: DEFAULT_REPO_CONFIG, error: `${error}; the defaults were used`, warnings: [] };
}
var labelName, LabelsSchema, secretEnvName, noInlineSecret, DEFAULT_SLACK_WEBHOOK_ENV, DEFAULT_PAGERDUTY_ROUTING_KEY_ENV, NotificationsSchema, RollbackSchema2, PostmortemsSchema, HistorySchema, AuthorNoteSchema, GroupingSchema, httpUrl, SeverityBandsSchema, PLACEHOLDER2, DashboardTemplateSchema, RepoConfigSchema, CONFIG_PATH, DEFAULT_REPO_CONFIG, MAX_CONFIG_BYTES, MAX_UNKNOWN_WARNINGS, MAX_GLOB_LENGTH, EXTGLOB, NOUNS;
var init_repo_config = __esm({
  "src/core/config/repo-config.ts"() {
    "use strict";
    init_duration();
    init_urls();
    init_severity();
    init_errors();
    labelName = z9.string().trim().min(1).max(50);
    LabelsSchema = z9.object({
      /** Marks an issue as an incident; also how open incidents are found again. */
      incident: labelName.default("incident"),
      /** Added when the alert group resolves. */
      resolved: labelName.default("resolved"),
      /** Added to every incident. */
      extra: z9.array(labelName).default([])
    });
    secretEnvName = (prefix) => z9.string().trim().regex(new RegExp(`^(AFTERSHOCK_)?${prefix}_[A-Z0-9_]+$`), {
      message: `must name an environment variable of the app starting with ${prefix}_ or AFTERSHOCK_${prefix}_`
    });
    noInlineSecret = (envKey) => z9.unknown().optional().refine((value) => value === void 0, {
      message: `must not be in the repository file (it is a secret): set it in the app's environment and name that variable with ${envKey}`
    });
    DEFAULT_SLACK_WEBHOOK_ENV = "SLACK_WEBHOOK_URL";
    DEFAULT_PAGERDUTY_ROUTING_KEY_ENV = "PAGERDUTY_ROUTING_KEY";
    NotificationsSchema = z9.strictObject({
      /** Slack incoming webhook: the app's environment variable holding the webhook URL. */
      slack: z9.strictObject({
        webhookUrlEnv: secretEnvName("SLACK").default(DEFAULT_SLACK_WEBHOOK_ENV),
        webhookUrl: noInlineSecret("webhookUrlEnv")
      }).transform(({ webhookUrlEnv }) => ({ webhookUrlEnv })).optional(),
      /** PagerDuty Events API v2: the app's environment variable holding the integration's routing key. */
      pagerduty: z9.strictObject({
        routingKeyEnv: secretEnvName("PAGERDUTY").default(DEFAULT_PAGERDUTY_ROUTING_KEY_ENV),
        routingKey: noInlineSecret("routingKeyEnv")
      }).transform(({ routingKeyEnv }) => ({ routingKeyEnv })).optional()
    });
    RollbackSchema2 = z9.object({
      /** Open revert PRs as drafts, so a person decides to merge. */
      draft: z9.boolean().default(true),
      /** Open the revert PR by itself when an incident opens; off unless a repository asks for it. */
      auto: z9.object({
        enabled: z9.boolean().default(false),
        /** The least severe level that triggers it: P1 only P1, P2 also P1. */
        severity: z9.enum(["P1", "P2", "P3"]).default("P1"),
        /** The top suspect's score must be at least this (0..1). */
        minScore: z9.number().min(0).max(1).default(0.6)
      }).default({ enabled: false, severity: "P1", minScore: 0.6 })
    });
    PostmortemsSchema = z9.object({
      /** Where /postmortem writes the file, relative to the repository root. */
      folder: z9.string().trim().min(1).default("docs/postmortems")
    });
    HistorySchema = z9.object({
      /** Look for similar past incidents when an incident opens. */
      enabled: z9.boolean().default(true),
      /** How far back past incidents are read, as a duration ("90d"). */
      lookback: z9.string().default("90d").refine((text3) => isDuration(text3), { message: 'must be a duration like "90d" or "12w"' })
    });
    AuthorNoteSchema = z9.object({
      /** Comment on the top suspect's PR when an incident opens (or a deploy check fails). */
      enabled: z9.boolean().default(true),
      /** Only when the top suspect's calibrated confidence is at least this (0..1). */
      minConfidence: z9.number().min(0).max(1).default(0.5)
    });
    GroupingSchema = z9.object({
      /** Alert groups blaming the same deploy join one incident instead of opening their own. */
      enabled: z9.boolean().default(true),
      /** A group joins an incident opened at most this many minutes before it fired. */
      windowMinutes: z9.number().int().min(1).max(24 * 60).default(30)
    });
    httpUrl = z9.string().trim().refine((text3) => isHttpUrl(text3), { message: "must be an http(s) URL" });
    SeverityBandsSchema = z9.union([z9.string(), z9.array(z9.string()).min(1)]).transform((value, ctx) => {
      const parts = Array.isArray(value) ? value : [value];
      const bands = [];
      for (const [i, part] of parts.entries()) {
        try {
          bands.push(...parseSeverityBands(part));
        } catch (err) {
          ctx.addIssue({
            code: "custom",
            path: Array.isArray(value) ? [i] : [],
            message: `must be bands like "P1:>5%,P2:1%,P3:0" (${errorMessage(err)})`
          });
        }
      }
      return bands;
    });
    PLACEHOLDER2 = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
    DashboardTemplateSchema = z9.string().trim().refine((text3) => isHttpUrl(text3.replace(PLACEHOLDER2, "x")), {
      message: 'must be an http(s) URL, with placeholders like "https://grafana.example/d/x?var-service={{service}}&var-env={{environment}}"'
    });
    RepoConfigSchema = z9.object({
      // `labels: [ops, team-a]` is shorthand for extra labels.
      labels: z9.union([z9.array(labelName).transform((extra) => LabelsSchema.parse({ extra })), LabelsSchema]).default(LabelsSchema.parse({})),
      /** On-call: assigned to every new incident. */
      assignees: z9.array(z9.string().trim().min(1)).default([]),
      /** Path globs that belong to each service, for scoring suspects. */
      services: z9.record(z9.string(), z9.array(z9.string())).default({}),
      /** Globs of risky paths; unset lets the scorer use its defaults. */
      riskyPaths: z9.array(z9.string()).optional(),
      /** How far before the alert deployments are considered, as a duration ("24h", "90m"). */
      lookback: z9.string().default("24h").refine((text3) => isDuration(text3), { message: 'must be a duration like "24h", "90m" or "2d"' }),
      /** The alert label naming the repository ("owner/name"). */
      repositoryLabel: z9.string().trim().min(1).default("repository"),
      /** Close the incident when its alert group resolves (it is always labelled resolved). */
      closeOnResolve: z9.boolean().default(false),
      /** Deployment environments; the first is used when an alert names none. */
      environments: z9.array(z9.string().trim().min(1)).min(1).default(["production"]),
      /** Where incidents are announced; absent means nowhere. */
      notifications: NotificationsSchema.default({}),
      /** /rollback, and the optional automatic rollback when an incident opens. */
      rollback: RollbackSchema2.default(RollbackSchema2.parse({})),
      /** /postmortem. */
      postmortems: PostmortemsSchema.default(PostmortemsSchema.parse({})),
      /** Error-ratio bands for an alert without a severity label (read from its error_ratio/value annotation). */
      severityBands: SeverityBandsSchema.default([...DEFAULT_SEVERITY_BANDS]),
      /** Runbook URLs by alert name, and `default` for the rest; an alert's runbook_url annotation wins. */
      runbooks: z9.record(z9.string(), httpUrl).default({}),
      /** Dashboard URL template, used when the alert has no generatorURL. */
      dashboard: DashboardTemplateSchema.optional(),
      /** Similar past incidents, shown when an incident opens. */
      history: HistorySchema.default(HistorySchema.parse({})),
      /** A short note to the author of the top suspect, once per incident. */
      authorNote: AuthorNoteSchema.default(AuthorNoteSchema.parse({})),
      /** One incident per cause: see core/related-groups.ts. */
      grouping: GroupingSchema.default(GroupingSchema.parse({}))
    });
    CONFIG_PATH = ".github/aftershock.yml";
    DEFAULT_REPO_CONFIG = RepoConfigSchema.parse({});
    MAX_CONFIG_BYTES = 64 * 1024;
    MAX_UNKNOWN_WARNINGS = 10;
    MAX_GLOB_LENGTH = 200;
    EXTGLOB = /[*@+?!]\(/;
    NOUNS = {
      string: "a string",
      number: "a number",
      boolean: "true or false",
      array: "a list",
      object: "a mapping",
      record: "a mapping"
    };
  }
});

// src/app/observability/tracing.ts
import {
  SpanKind,
  SpanStatusCode,
  trace
} from "@opentelemetry/api";
function boundedCommand(name) {
  const normalized = name.trim().replace(/^\//, "").toLowerCase();
  return COMMANDS.has(normalized) ? normalized : "unknown";
}
function tracer() {
  return trace.getTracer(TRACER_NAME);
}
function failSpan(span, err) {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  failed.add(span);
}
function recordException(err) {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, err);
}
async function traced(name, fn, options = {}) {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
function traceRoute(name, matches2, handler) {
  return async (req, res) => {
    if (!matches2(req)) return handler(req, res);
    return traced(
      name,
      async (span) => {
        const handled = await handler(req, res);
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500 && !failed.has(span)) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${res.statusCode}` });
        }
        return handled;
      },
      { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method ?? "" } }
    );
  };
}
var TRACER_NAME, COMMANDS, failed;
var init_tracing = __esm({
  "src/app/observability/tracing.ts"() {
    "use strict";
    init_commands();
    init_errors();
    TRACER_NAME = "aftershock";
    COMMANDS = new Set(COMMAND_SPECS.map((s) => s.name));
    failed = /* @__PURE__ */ new WeakSet();
  }
});

// src/core/learning/culprit-files.ts
function pastCulpritFiles(incidents, service, max = MAX_PAST_CULPRIT_FILES) {
  const wanted = service.trim().toLowerCase();
  const newestFirst = [...incidents].sort(
    (a, b) => (Date.parse(b.record.openedAt) || 0) - (Date.parse(a.record.openedAt) || 0)
  );
  return firstFiles(
    newestFirst.filter((incident) => incident.record.service.trim().toLowerCase() === wanted).flatMap((incident) => culpritsOf(incident.record).map((culprit) => culprit.files)),
    max
  );
}
function firstFiles(lists, max = MAX_PAST_CULPRIT_FILES) {
  const files = /* @__PURE__ */ new Set();
  for (const list of lists)
    for (const file of list) {
      if (files.size >= max) return [...files];
      files.add(file);
    }
  return [...files];
}
var MAX_PAST_CULPRIT_FILES;
var init_culprit_files = __esm({
  "src/core/learning/culprit-files.ts"() {
    "use strict";
    init_similar();
    MAX_PAST_CULPRIT_FILES = 500;
  }
});

// src/github/service-hints.ts
async function readRepoPaths(octokit, repo, ref, maxPaths = MAX_TREE_PATHS) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    ...repo,
    tree_sha: ref,
    recursive: "1"
  });
  const entries = Array.isArray(data.tree) ? data.tree : [];
  const folders = [];
  const files = [];
  const present = /* @__PURE__ */ new Set();
  for (const e of entries) {
    if (typeof e.path !== "string" || e.path.length > MAX_PATH_LENGTH) continue;
    if (e.type === "tree") folders.push(e.path);
    else if (e.type === "blob") {
      files.push(e.path);
      if (CODEOWNERS_PATHS.includes(e.path)) present.add(e.path);
    }
  }
  const kept = [...folders, ...files];
  const out = {
    paths: kept.slice(0, maxPaths),
    truncated: data.truncated === true || kept.length > maxPaths
  };
  const codeowners = CODEOWNERS_PATHS.find((p) => present.has(p));
  if (codeowners) out.codeownersPath = codeowners;
  return out;
}
async function readCodeowners(octokit, repo, path, ref, maxBytes = MAX_CODEOWNERS_BYTES) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref
    }));
  } catch (err) {
    if (statusOf(err) === 404) return void 0;
    throw err;
  }
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") return void 0;
  const bytes = data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  if (bytes.length <= maxBytes) return bytes.toString("utf8");
  const cut = bytes.subarray(0, maxBytes).toString("utf8");
  return cut.slice(0, cut.lastIndexOf("\n") + 1);
}
var MAX_TREE_PATHS, MAX_PATH_LENGTH, MAX_CODEOWNERS_BYTES, CODEOWNERS_PATHS;
var init_service_hints = __esm({
  "src/github/service-hints.ts"() {
    "use strict";
    init_client();
    MAX_TREE_PATHS = 2e4;
    MAX_PATH_LENGTH = 400;
    MAX_CODEOWNERS_BYTES = 64 * 1024;
    CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
  }
});

// src/app/observability/logger.ts
import { pino } from "pino";
import { build as prettyStream } from "pino-pretty";
function logFormat(env, isTTY) {
  const value = env.LOG_FORMAT?.trim().toLowerCase();
  if (!value) return isTTY ? "pretty" : "json";
  if (value === "json" || value === "pretty") return value;
  throw new Error(`LOG_FORMAT "${env.LOG_FORMAT}" must be json or pretty`);
}
function keepInnermostName(child) {
  const record2 = child;
  const names = record2[chindings]?.match(NAME_BINDING);
  if (!names || names.length < 2) return;
  let seen = 0;
  record2[chindings] = record2[chindings].replace(NAME_BINDING, (m) => ++seen === names.length ? m : "");
}
function createLogger(env = process.env, destination, extra = {}) {
  const options = {
    name: "aftershock",
    level: env.LOG_LEVEL || "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    onChild: keepInnermostName,
    ...extra
  };
  const isTTY = destination ? false : Boolean(process.stdout.isTTY);
  if (logFormat(env, isTTY) === "pretty") {
    const pretty = prettyStream({ colorize: isTTY, sync: true, destination: destination ?? 1 });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination) : pino(options);
}
var REDACTED_PATHS, NAME_BINDING, chindings;
var init_logger = __esm({
  "src/app/observability/logger.ts"() {
    "use strict";
    REDACTED_PATHS = [
      "req.headers.authorization",
      "req.headers.cookie",
      'req.headers["x-hub-signature"]',
      'req.headers["x-hub-signature-256"]',
      'req.headers["proxy-authorization"]',
      "headers.authorization",
      "request.headers.authorization",
      "*.token",
      "*.privateKey",
      "*.secret",
      "*.password",
      "*.apiKey",
      "*.webhookUrl",
      "*.routingKey",
      "err.request.headers.authorization"
    ];
    NAME_BINDING = /,"name":"(?:[^"\\]|\\.)*"/g;
    chindings = pino.symbols.chindingsSym;
  }
});

// src/app/pipeline/past-incidents.ts
function pastIncidentsOnce(octokit, repo, config, now) {
  let listing;
  return async () => {
    const pending = listing;
    if (pending) {
      try {
        return { ...await pending, requests: 0 };
      } catch {
      }
    }
    const mine = listIncidentHistory(octokit, {
      ...repo,
      since: new Date(now.getTime() - historyLookbackSeconds(config) * 1e3),
      label: config.labels.incident,
      maxPages: HISTORY_MAX_PAGES
    });
    listing = mine;
    try {
      return await mine;
    } catch (err) {
      if (listing === mine) listing = void 0;
      throw err;
    }
  };
}
var HISTORY_MAX_PAGES;
var init_past_incidents = __esm({
  "src/app/pipeline/past-incidents.ts"() {
    "use strict";
    init_repo_config();
    init_incident_history();
    HISTORY_MAX_PAGES = 3;
  }
});

// src/app/pipeline/service-hints.ts
function needsHints(config, service) {
  if (service === void 0 || service.trim() === "") return false;
  return (config.services[service] ?? []).length === 0;
}
function hintsRef(deployments) {
  let newest;
  for (const d of deployments)
    if (!newest || Date.parse(d.createdAt) > Date.parse(newest.createdAt)) newest = d;
  return newest?.sha;
}
async function readRepoFiles(octokit, request) {
  const paths = await readRepoPaths(octokit, request.repo, request.ref);
  if (!paths.codeownersPath) return paths;
  const codeowners = await readCodeowners(octokit, request.repo, paths.codeownersPath, request.ref);
  return codeowners === void 0 ? paths : { ...paths, codeowners };
}
async function readCulpritFiles(octokit, request) {
  const list = request.pastIncidents ?? pastIncidentsOnce(octokit, request.repo, request.config, request.now);
  const history = await list();
  return pastCulpritFiles(history.incidents, request.service);
}
function messageOf(err) {
  const status = statusOf(err);
  if (status !== void 0 && status >= 400) return `GitHub answered ${status}`;
  const first = errorMessage(err).split("\n")[0] ?? "";
  return first.replace(/\b(token|bearer|basic)\s+\S+/gi, "$1 [redacted]").slice(0, 200);
}
async function hintsForCase(octokit, repo, c, options = {}) {
  const ref = hintsRef(c.deployments);
  if (c.service === void 0 || !needsHints(c.config, c.service) || ref === void 0 || c.pulls.length === 0)
    return { requests: 0 };
  const log = options.log ?? (defaultLog ??= createLogger());
  const where = { repository: `${repo.owner}/${repo.repo}`, service: c.service, ref };
  const budget = options.hintsBudgetMs ?? HINTS_BUDGET_MS;
  let timer;
  const late = new Promise((resolve3) => {
    timer = setTimeout(() => resolve3("late"), budget);
  });
  try {
    const read2 = (options.hints ?? sharedHintsReader).read(octokit, {
      repo,
      ref,
      service: c.service,
      config: c.config,
      now: c.now,
      ...options.pastIncidents ? { pastIncidents: options.pastIncidents } : {}
    });
    const first = await Promise.race([read2, late]);
    if (first === "late") {
      read2.catch(() => {
      });
      log.warn({ ...where, budgetMs: budget }, "service hints too slow; ranking without them");
      return { requests: 0 };
    }
    if (first.errors.length > 0)
      log.warn({ ...where, errors: first.errors }, "service hints partly unread; ranking without those");
    if (first.truncated)
      log.info({ ...where, paths: first.hints.paths?.length ?? 0 }, "repository tree cut for service hints");
    return { hints: first.hints, requests: first.requests };
  } catch (err) {
    log.warn({ ...where, err: { message: messageOf(err) } }, "service hints unread; ranking without them");
    return { requests: 0 };
  } finally {
    clearTimeout(timer);
  }
}
var ServiceHintsReader, sharedHintsReader, HINTS_BUDGET_MS, defaultLog;
var init_service_hints2 = __esm({
  "src/app/pipeline/service-hints.ts"() {
    "use strict";
    init_culprit_files();
    init_ttl_cache();
    init_incidents();
    init_errors();
    init_request_counter();
    init_service_hints();
    init_logger();
    init_past_incidents();
    ServiceHintsReader = class {
      #trees;
      #culprits;
      constructor(options = {}) {
        const now = options.now ?? Date.now;
        this.#trees = new TtlCache(options.treeTtlMs ?? 10 * 6e4, now, options.maxTrees ?? 8);
        this.#culprits = new TtlCache(options.culpritTtlMs ?? 5 * 6e4, now, 200);
      }
      /** Forgets everything cached (tests; a repository whose history was rewritten). */
      clear() {
        this.#trees.clear();
        this.#culprits.clear();
      }
      async read(octokit, request) {
        const counter = countRequests(octokit);
        try {
          const repoKey2 = `${request.repo.owner}/${request.repo.repo}`.toLowerCase();
          const [files, culprits] = await Promise.allSettled([
            this.#trees.get(`${repoKey2}@${request.ref}`, () => readRepoFiles(octokit, request)),
            request.config.history.enabled ? this.#culprits.get(
              `${repoKey2}#${request.config.labels.incident}#${request.service.toLowerCase()}`,
              () => readCulpritFiles(octokit, request)
            ) : Promise.resolve([])
          ]);
          const hints = {};
          const errors = [];
          let truncated = false;
          if (files.status === "fulfilled") {
            hints.paths = files.value.paths;
            truncated = files.value.truncated;
            if (files.value.codeowners !== void 0) hints.codeowners = files.value.codeowners;
          } else {
            errors.push(`repository tree at ${request.ref.slice(0, 12)}: ${messageOf(files.reason)}`);
          }
          if (culprits.status === "fulfilled") {
            if (culprits.value.length > 0) hints.pastCulpritFiles = culprits.value;
          } else {
            errors.push(`past incidents: ${messageOf(culprits.reason)}`);
          }
          return { hints, truncated, errors, requests: counter.count };
        } finally {
          counter.stop();
        }
      }
    };
    sharedHintsReader = new ServiceHintsReader();
    HINTS_BUDGET_MS = 5e3;
  }
});

// src/app/pipeline/correlate.ts
import { SpanStatusCode as SpanStatusCode2 } from "@opentelemetry/api";
async function correlate(...args) {
  return traced("aftershock correlate", async (span) => {
    const found = await correlateUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    if (found.warning) span.setStatus({ code: SpanStatusCode2.ERROR, message: found.warning });
    return found;
  });
}
async function correlateUntraced(octokit, repo, request, config, options = {}) {
  const lookback = lookbackSeconds(config);
  const end = request.until;
  const start = request.deployment ? new Date(request.deployment.createdAt) : end;
  const since = new Date(start.getTime() - lookback * 1e3);
  try {
    const history = await fetchHistory(octokit, {
      ...repo,
      environment: request.environment,
      since,
      until: end
    });
    const deployments = withFailedDeployment(history.deployments, request.deployment);
    const hinted = await hintsForCase(
      octokit,
      repo,
      {
        service: request.alert.labels.service,
        deployments,
        pulls: history.pulls,
        config,
        now: options.now ?? request.until
      },
      options
    );
    let suspects2 = rankSuspects({
      alert: request.alert,
      deployments,
      pulls: history.pulls,
      config: { services: config.services, riskyPaths: config.riskyPaths, lookbackSeconds: lookback },
      ...hinted.hints ? { hints: hinted.hints } : {}
    });
    const target = request.deployment;
    if (target) suspects2 = suspects2.filter((s) => String(s.deploymentId) === String(target.id));
    return {
      requests: history.requests + hinted.requests,
      deploys: deployments.map((d) => ({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.createdAt,
        status: d.status,
        ...d.url ? { url: d.url } : {}
      })),
      suspects: withBoundedFiles(
        suspects2.map((s) => ({
          number: s.number,
          title: s.title,
          author: s.author,
          ...s.url ? { url: s.url } : {},
          deploymentId: s.deploymentId,
          score: s.score,
          ...s.confidence !== void 0 ? { confidence: s.confidence } : {},
          reasons: s.reasons
        })),
        suspects2.map((s) => s.files)
      )
    };
  } catch (err) {
    return {
      requests: 0,
      deploys: [],
      suspects: [],
      warning: `Suspects could not be ranked (${errorMessage(err)}); the incident was opened without them`
    };
  }
}
function withBoundedFiles(suspects2, files) {
  let budget = MAX_SUSPECT_FILE_CHARS;
  return suspects2.map((s, i) => {
    const kept = (files[i] ?? []).slice(0, MAX_SUSPECT_FILES);
    const size = kept.reduce((n, f2) => n + f2.length + 3, 0);
    if (kept.length === 0 || size > budget) return s;
    budget -= size;
    return { ...s, files: kept };
  });
}
function withFailedDeployment(deployments, failed2) {
  if (!failed2) return deployments;
  const found = deployments.some((d) => String(d.id) === String(failed2.id));
  const marked = deployments.map(
    (d) => String(d.id) === String(failed2.id) ? { ...d, checkFailed: true } : d
  );
  return found ? marked : [...marked, { ...failed2, checkFailed: true }];
}
var MAX_SUSPECT_FILES, MAX_SUSPECT_FILE_CHARS;
var init_correlate = __esm({
  "src/app/pipeline/correlate.ts"() {
    "use strict";
    init_repo_config();
    init_scoring();
    init_history2();
    init_tracing();
    init_service_hints2();
    init_errors();
    MAX_SUSPECT_FILES = 50;
    MAX_SUSPECT_FILE_CHARS = 8e3;
  }
});

// src/app/pipeline/dedupe.ts
async function dedupe(deps, target, fn) {
  return deps.lock.withLock(
    deps.store.lockKey(target.groupKey),
    async () => fn(await deps.store.find(target.label, target.groupKey))
  );
}
var init_dedupe = __esm({
  "src/app/pipeline/dedupe.ts"() {
    "use strict";
  }
});

// src/app/pipeline/similar.ts
import { SpanStatusCode as SpanStatusCode3 } from "@opentelemetry/api";
async function lookupSimilar(...args) {
  return traced("aftershock similar incidents", async (span) => {
    const found = await lookupSimilarUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    span.setAttribute("aftershock.similar", found.similar.length);
    if (found.warning) span.setStatus({ code: SpanStatusCode3.ERROR, message: found.warning });
    return found;
  });
}
async function lookupSimilarUntraced(octokit, repo, record2, alert, config, now, pastIncidents = pastIncidentsOnce(octokit, repo, config, now)) {
  const none = { similar: [], suspects: record2.suspects, requests: 0 };
  if (!config.history.enabled) return none;
  let requests = 0;
  try {
    const history = await pastIncidents();
    requests = history.requests;
    const similar = findSimilar(matchDraft(record2, alert), history.incidents, { limit: MAX_SIMILAR });
    return {
      similar: similar.map(compact),
      suspects: recurrenceBoost(record2.suspects, similar),
      requests
    };
  } catch (err) {
    return {
      ...none,
      requests,
      warning: `Similar past incidents could not be listed (${errorMessage(err)}); the incident was opened without them`
    };
  }
}
function matchDraft(record2, alert) {
  const annotated = [alert?.annotations, ...Object.values(record2.fingerprints).map((a) => a.annotations)];
  const signatures = [
    .../* @__PURE__ */ new Set([
      ...annotated.flatMap((a) => errorSignature(a)?.signature ?? []),
      ...recordSignatures(record2).map((s) => s.signature)
    ])
  ];
  return {
    name: record2.name,
    service: record2.service,
    environment: record2.environment,
    source: record2.source,
    alertnames: [...new Set(Object.values(record2.fingerprints).map((a) => a.alertname))],
    suspects: record2.suspects.map((s) => ({ number: s.number, ...s.files ? { files: s.files } : {} })),
    signatures,
    openedAt: record2.openedAt,
    groupKey: record2.groupKey
  };
}
function compact(s) {
  return {
    number: s.number,
    url: s.url,
    why: s.why.slice(0, MAX_WHY).map((w) => w.slice(0, MAX_WHY_LENGTH)),
    outcome: s.outcome
  };
}
var MAX_SIMILAR, MAX_WHY, MAX_WHY_LENGTH;
var init_similar2 = __esm({
  "src/app/pipeline/similar.ts"() {
    "use strict";
    init_similar();
    init_signature();
    init_past_incidents();
    init_tracing();
    init_errors();
    MAX_SIMILAR = 5;
    MAX_WHY = 3;
    MAX_WHY_LENGTH = 300;
  }
});

// src/app/pipeline/write.ts
async function createIncident(store, record2, config) {
  const created = await store.create({
    title: incidentTitle(record2),
    body: renderIncidentBody(record2),
    labels: incidentLabels(record2, config.labels),
    assignees: config.assignees
  });
  if (created.assigneeError) {
    await store.comment(created.number, `\u26A0\uFE0F ${created.assigneeError}.`);
  }
  return { outcome: "created", number: created.number, url: created.url };
}
async function updateIncident(store, existing2, merged, config) {
  if (merged.changes.length === 0)
    return { outcome: "unchanged", number: existing2.number, url: existing2.url };
  const resolvedNow = merged.changes.some((c) => c.kind === "resolved");
  await store.write(existing2.number, {
    ...incidentWrite(existing2, merged.record, config.labels, {
      close: resolvedNow && config.closeOnResolve
    }),
    comments: [renderUpdateComment(merged.changes)]
  });
  return { outcome: "updated", number: existing2.number, url: existing2.url };
}
function incidentWrite(issue2, record2, labels2, options = {}) {
  const wanted = mergeLabels(issue2.labels, incidentLabels(record2, labels2), labels2.resolved);
  const title = incidentTitle(record2);
  const retitled = options.retitleFrom !== void 0 && title !== options.retitleFrom;
  return {
    body: renderIncidentBody(record2),
    ...retitled ? { title } : {},
    ...sameLabels(issue2.labels, wanted) ? {} : { labels: wanted },
    ...options.close && issue2.state !== "closed" ? { state: "closed" } : {}
  };
}
var init_write = __esm({
  "src/app/pipeline/write.ts"() {
    "use strict";
    init_render_incident();
    init_incidents();
  }
});

// src/app/pipeline/incident.ts
async function openOrUpdateIncident(ctx, draft, correlation) {
  const { config } = ctx.config;
  const at2 = ctx.now.toISOString();
  const target = { label: config.labels.incident, groupKey: draft.groupKey };
  return dedupe(ctx, target, async (existing2) => {
    if (existing2) {
      const merged = mergeDelivery(existing2.record, draft.delivery, at2, draft.actor);
      const written = await updateIncident(ctx.store, existing2, merged, config);
      const event = {
        repo: ctx.repo,
        number: existing2.number,
        url: existing2.url,
        record: merged.record,
        config
      };
      ctx.events.emit("incident.updated", { ...event, changes: merged.changes.map((c) => c.kind) });
      if (merged.changes.some((c) => c.kind === "resolved")) ctx.events.emit("incident.resolved", event);
      return written;
    }
    if (draft.delivery.status === "resolved") {
      return { outcome: "ignored", reason: "the group resolved and has no open incident" };
    }
    return openIncident(ctx, draft, correlation, (_record, create) => create());
  });
}
async function openIncident(ctx, draft, correlation, decide) {
  const { config } = ctx.config;
  const at2 = ctx.now.toISOString();
  const started = performance.now();
  const pastIncidents = pastIncidentsOnce(ctx.octokit, ctx.repo, config, ctx.now);
  const found = await correlate(ctx.octokit, ctx.repo, correlation, config, {
    now: ctx.now,
    ...ctx.log ? { log: ctx.log } : {},
    pastIncidents
  });
  const opened = {
    version: RECORD_VERSION,
    groupKey: draft.groupKey,
    ...boundAlerts(draft.delivery.alerts),
    status: draft.delivery.status,
    severity: draft.severity,
    name: draft.name,
    service: draft.service,
    environment: draft.environment,
    source: draft.source,
    deploys: found.deploys,
    suspects: found.suspects,
    timeline: [{ at: at2, actor: draft.actor, kind: "opened", text: draft.openedText }],
    openedAt: at2,
    warnings: [
      ...ctx.config.error ? [ctx.config.error] : [],
      ...ctx.config.warnings,
      ...found.warning ? [found.warning] : []
    ],
    ...draft.externalURL ? { externalURL: draft.externalURL } : {},
    ...draft.details
  };
  const past = await lookupSimilar(
    ctx.octokit,
    ctx.repo,
    opened,
    correlation.alert,
    config,
    ctx.now,
    pastIncidents
  );
  ctx.events.emit("correlation", {
    seconds: (performance.now() - started) / 1e3,
    requests: found.requests + past.requests
  });
  const record2 = {
    ...opened,
    suspects: past.suspects,
    warnings: boundedWarnings([...opened.warnings, ...past.warning ? [past.warning] : []]),
    ...past.similar.length > 0 ? { similar: past.similar } : {}
  };
  return decide(record2, async () => {
    const written = await createIncident(ctx.store, record2, config);
    if (written.outcome === "created") {
      const { number, url } = written;
      ctx.events.emit("incident.opened", {
        repo: ctx.repo,
        number,
        url,
        record: record2,
        config,
        source: draft.source,
        // The auto-rollback listener uses it instead of authenticating again (2 requests).
        octokit: ctx.octokit
      });
    }
    return written;
  });
}
var init_incident = __esm({
  "src/app/pipeline/incident.ts"() {
    "use strict";
    init_incident_record();
    init_correlate();
    init_dedupe();
    init_similar2();
    init_past_incidents();
    init_write();
  }
});

// src/app/grouping/comment-pacer.ts
function isAlways(c) {
  const kind = c.change.kind;
  return ALWAYS.has(kind) || c.group === "" && (kind === "resolved" || kind === "refired");
}
var MAX_HELD, MAX_INCIDENTS, ALWAYS, DEFAULT_COMMENT_INTERVAL_MS, CommentPacer;
var init_comment_pacer = __esm({
  "src/app/grouping/comment-pacer.ts"() {
    "use strict";
    MAX_HELD = 200;
    MAX_INCIDENTS = 1e4;
    ALWAYS = /* @__PURE__ */ new Set(["incident-resolved", "incident-refired", "severity-raised"]);
    DEFAULT_COMMENT_INTERVAL_MS = 6e4;
    CommentPacer = class {
      constructor(intervalMs = DEFAULT_COMMENT_INTERVAL_MS, clock = Date.now) {
        this.intervalMs = intervalMs;
        this.clock = clock;
      }
      intervalMs;
      clock;
      #incidents = /* @__PURE__ */ new Map();
      /**
       * The changes the batch's comment should list (held ones first), or null: no comment now, the
       * changes are held. Call `posted` once the comment is written, or `hold` with the changes if the
       * write failed, so they are listed next time.
       */
      take(incident, changes) {
        const state = this.#incidents.get(incident);
        const all = [...state?.held ?? [], ...changes];
        const due = !state || this.clock() - state.lastAt >= this.intervalMs;
        if (due || changes.some(isAlways)) return all;
        this.#incidents.set(incident, { lastAt: state.lastAt, held: all.slice(-MAX_HELD) });
        return null;
      }
      /** The comment `take` gave was not posted (no write slot): its changes wait for the next one. */
      hold(incident, changes) {
        const state = this.#incidents.get(incident);
        this.#incidents.set(incident, {
          lastAt: state?.lastAt ?? Number.NEGATIVE_INFINITY,
          held: changes.slice(-MAX_HELD)
        });
      }
      posted(incident) {
        this.#incidents.delete(incident);
        this.#incidents.set(incident, { lastAt: this.clock(), held: [] });
        if (this.#incidents.size > MAX_INCIDENTS) this.#incidents.delete(this.#incidents.keys().next().value);
      }
    };
  }
});

// src/app/grouping/group-commit.ts
var GroupCommit;
var init_group_commit = __esm({
  "src/app/grouping/group-commit.ts"() {
    "use strict";
    init_deadline();
    GroupCommit = class {
      constructor(lock, commit, options = {}) {
        this.lock = lock;
        this.commit = commit;
        this.#maxBatch = options.maxBatch ?? 200;
        this.#maxQueued = options.maxQueued ?? 1e3;
        this.#clock = options.clock ?? Date.now;
        this.#ready = options.ready;
      }
      lock;
      commit;
      #queues = /* @__PURE__ */ new Map();
      #maxBatch;
      #maxQueued;
      #clock;
      #ready;
      /** Queues `item` for `key`; resolves after the write that contains it. */
      submit(key, item, deadline) {
        let queue = this.#queues.get(key);
        const draining = queue !== void 0;
        queue ??= [];
        if (queue.length >= this.#maxQueued) {
          return Promise.reject(busy(`${queue.length} changes are already queued for this incident`, 5e3));
        }
        this.#queues.set(key, queue);
        const result = new Promise((resolve3, reject) => {
          const pending = {
            item,
            deadline,
            resolve: resolve3,
            reject,
            // Still queued at the deadline: nothing of it is written, so 503 loses nothing.
            timer: setTimeout(
              () => {
                const q = this.#queues.get(key);
                const at2 = q?.indexOf(pending) ?? -1;
                if (at2 < 0) return;
                q.splice(at2, 1);
                reject(busy("this incident's earlier changes are still being written", 5e3));
              },
              Math.max(0, deadline - this.#clock())
            )
          };
          queue.push(pending);
        });
        if (!draining) void this.#drain(key);
        return result;
      }
      /** Items waiting for `key` (tests, metrics). */
      queued(key) {
        return this.#queues.get(key)?.length ?? 0;
      }
      async #drain(key) {
        const queue = this.#queues.get(key);
        while (queue.length > 0) {
          let batch = [];
          try {
            await this.lock.withLock(key, async () => {
              if (this.#ready && queue.length > 0) await this.#ready(key, queue[0].item);
              batch = queue.splice(0, this.#maxBatch);
              for (const p of batch) clearTimeout(p.timer);
              if (batch.length === 0) return;
              const deadline = Math.max(...batch.map((p) => p.deadline));
              const results = await withDeadline(
                deadline,
                () => this.commit(
                  key,
                  batch.map((p) => p.item)
                )
              );
              batch.forEach((p, i) => p.resolve(results[i]));
            });
          } catch (err) {
            const failed2 = batch.length > 0 ? batch : queue.splice(0, queue.length);
            for (const p of failed2) {
              clearTimeout(p.timer);
              p.reject(err);
            }
          }
        }
        this.#queues.delete(key);
      }
    };
  }
});

// src/app/lock.ts
async function withIncidentLock(lock, key, fn) {
  let started = false;
  try {
    return await lock.withLock(
      key,
      () => {
        started = true;
        return fn();
      },
      { maxWaiters: WEBHOOK_MAX_WAITERS }
    );
  } catch (err) {
    if (!started && err instanceof LockQueueFull) throw new IncidentBusyError(err.waiting);
    throw err;
  }
}
var DEFAULT_MAX_WAITERS, WEBHOOK_MAX_WAITERS, LockQueueFull, IncidentBusyError, InProcessKeyLock;
var init_lock = __esm({
  "src/app/lock.ts"() {
    "use strict";
    init_http2();
    DEFAULT_MAX_WAITERS = 20;
    WEBHOOK_MAX_WAITERS = 100;
    LockQueueFull = class extends HttpError {
      constructor(waiting) {
        super(
          503,
          `${waiting} deliveries are already waiting for this alert group; Alertmanager will retry`,
          void 0,
          { "retry-after": "5" }
        );
        this.waiting = waiting;
        this.name = "LockQueueFull";
      }
      waiting;
    };
    IncidentBusyError = class extends Error {
      constructor(waiting) {
        super(
          `the incident is busy: ${waiting} updates were already waiting for its lock, so this one was not applied; GitHub does not resend it, so send it again (redeliver the webhook, post the command again)`
        );
        this.waiting = waiting;
        this.name = "IncidentBusyError";
      }
      waiting;
    };
    InProcessKeyLock = class {
      #tails = /* @__PURE__ */ new Map();
      #waiting = /* @__PURE__ */ new Map();
      #maxWaiters;
      constructor(options = {}) {
        this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
      }
      async withLock(key, fn, options = {}) {
        const previous = this.#tails.get(key);
        const waiting = this.#waiting.get(key) ?? 0;
        if (previous && waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
        if (previous) this.#waiting.set(key, waiting + 1);
        const started = previous ? previous.then(() => this.#leaveQueue(key)) : Promise.resolve();
        const run = started.then(fn);
        const tail = run.then(
          () => void 0,
          () => void 0
        );
        this.#tails.set(key, tail);
        try {
          return await run;
        } finally {
          if (this.#tails.get(key) === tail) this.#tails.delete(key);
        }
      }
      #leaveQueue(key) {
        const left = (this.#waiting.get(key) ?? 1) - 1;
        if (left > 0) this.#waiting.set(key, left);
        else this.#waiting.delete(key);
      }
      /** How many keys are held or waited on (for tests and metrics). */
      get size() {
        return this.#tails.size;
      }
    };
  }
});

// src/app/redis-lock.ts
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
function describeRedisUrl(url) {
  return redactUrl(url);
}
function sleep(ms) {
  return new Promise((resolve3) => setTimeout(resolve3, ms));
}
var LOCK_PREFIX, RELEASE, EXTEND, FAIL_FAST, RedisKeyLock;
var init_redis_lock = __esm({
  "src/app/redis-lock.ts"() {
    "use strict";
    init_urls();
    init_http2();
    init_lock();
    init_errors();
    LOCK_PREFIX = "aftershock:lock:";
    RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
    EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
    FAIL_FAST = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2e3,
      commandTimeout: 2e3,
      // Keep reconnecting in the background (at most every 2 s) so the lock serves again once Redis is back.
      retryStrategy: (times) => Math.min(times * 100, 2e3)
    };
    RedisKeyLock = class _RedisKeyLock {
      #redis;
      #ttlMs;
      #waitMs;
      #maxHoldMs;
      #retryMinMs;
      #maxWaiters;
      #waiting = /* @__PURE__ */ new Map();
      #onError;
      #where;
      /** Uses `redis` as given; prefer `RedisKeyLock.connect`, which sets the fail-fast options. */
      constructor(redis, options = {}, where = "Redis") {
        this.#redis = redis;
        this.#ttlMs = options.ttlMs ?? 3e4;
        this.#waitMs = options.waitMs ?? 3e4;
        this.#maxHoldMs = options.maxHoldMs ?? 5 * 6e4;
        this.#retryMinMs = options.retryMinMs ?? 20;
        this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
        this.#onError = options.onError ?? (() => void 0);
        this.#where = where;
        if (!(this.#ttlMs >= 100)) throw new Error(`the lock TTL must be at least 100 ms, got ${this.#ttlMs}`);
      }
      /**
       * The lock's Redis connection, for state the replicas share beside it (the write budget), once a
       * connection attempt under way has had its outcome.
       */
      async connection() {
        await this.#connected();
        return this.#redis;
      }
      /** A lock on its own connection to `url` (redis:// or rediss://), with commands failing fast when Redis is down. */
      static connect(url, options = {}) {
        const redis = new Redis(url, FAIL_FAST);
        const lock = new _RedisKeyLock(redis, options, describeRedisUrl(url));
        redis.on("error", (err) => options.onError?.(err));
        return lock;
      }
      async withLock(key, fn, options = {}) {
        const redisKey = LOCK_PREFIX + key;
        const token = randomBytes(16).toString("hex");
        const waiting = this.#waiting.get(key) ?? 0;
        if (waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
        this.#waiting.set(key, waiting + 1);
        try {
          await this.#acquire(redisKey, token, key);
        } finally {
          const left = (this.#waiting.get(key) ?? 1) - 1;
          if (left > 0) this.#waiting.set(key, left);
          else this.#waiting.delete(key);
        }
        const stop = this.#watchdog(redisKey, token, key);
        try {
          return await fn();
        } finally {
          stop();
          await this.#release(redisKey, token, key);
        }
      }
      /** Readiness: resolves when Redis answers PING, else rejects with why. */
      async ping() {
        try {
          await this.#connected();
          await this.#redis.ping();
        } catch (err) {
          throw this.#unreachable(err);
        }
      }
      /** Closes the connection (pending lock waits then fail). */
      async close() {
        try {
          await this.#redis.quit();
        } catch {
          this.#redis.disconnect();
        }
      }
      async #acquire(redisKey, token, key) {
        const deadline = Date.now() + this.#waitMs;
        let delay2 = this.#retryMinMs;
        for (; ; ) {
          let reply;
          try {
            await this.#connected();
            reply = await this.#redis.set(redisKey, token, "PX", this.#ttlMs, "NX");
          } catch (err) {
            throw this.#unreachable(err);
          }
          if (reply === "OK") return;
          const left = deadline - Date.now();
          if (left <= 0) {
            throw new HttpError(
              503,
              `another delivery of ${key} held the lock for over ${this.#waitMs} ms; try again later`,
              void 0,
              { "retry-after": String(Math.ceil(this.#ttlMs / 1e3)) }
            );
          }
          await sleep(Math.min(left, delay2 / 2 + Math.random() * delay2 / 2));
          delay2 = Math.min(delay2 * 2, 500);
        }
      }
      /** Renews the lease every ttl/3 until stopped, the lease is lost, or maxHoldMs has passed. */
      #watchdog(redisKey, token, key) {
        const started = Date.now();
        const timer = setInterval(
          () => {
            if (Date.now() - started > this.#maxHoldMs) {
              clearInterval(timer);
              this.#onError(
                new Error(`held ${key} for over ${this.#maxHoldMs} ms: no longer renewing the lease`),
                key
              );
              return;
            }
            this.#redis.eval(EXTEND, 1, redisKey, token, this.#ttlMs).then(
              (renewed) => {
                if (renewed !== 1) {
                  clearInterval(timer);
                  this.#onError(new Error(`lost the lock on ${key}: its lease expired while the work ran`), key);
                }
              },
              // The lease may still be alive: keep trying until it expires.
              (err) => this.#onError(err, key)
            );
          },
          Math.floor(this.#ttlMs / 3)
        );
        timer.unref();
        return () => clearInterval(timer);
      }
      /** The work is done either way: a failed release is reported, and the lease expires on its own. */
      async #release(redisKey, token, key) {
        try {
          await this.#redis.eval(RELEASE, 1, redisKey, token);
        } catch (err) {
          this.#onError(err, key);
        }
      }
      /** While a (re)connection attempt is under way, wait for its outcome (bounded by connectTimeout). */
      async #connected() {
        const redis = this.#redis;
        if (!["wait", "connecting", "connect"].includes(redis.status)) return;
        if (redis.status === "wait") void redis.connect().catch(() => void 0);
        await new Promise((resolve3) => {
          const done = () => {
            clearTimeout(timer);
            redis.off("ready", done).off("error", done).off("close", done);
            resolve3();
          };
          const timer = setTimeout(done, 3e3);
          redis.once("ready", done).once("error", done).once("close", done);
        });
      }
      #unreachable(err) {
        return new HttpError(
          503,
          `the shared lock in Redis (${this.#where}) is unreachable: ${errorMessage(err)}. Check that Redis is up and REDIS_URL is right; Alertmanager will retry`
        );
      }
    };
  }
});

// src/app/grouping/owed-groups.ts
function owedGroupsFor(lock, clock = Date.now) {
  return lock instanceof RedisKeyLock ? new RedisOwedGroups(() => lock.connection()) : new InProcessOwedGroups(clock);
}
var OWED_TTL_MS, MAX_OWED, OWED_PREFIX, InProcessOwedGroups, RedisOwedGroups;
var init_owed_groups = __esm({
  "src/app/grouping/owed-groups.ts"() {
    "use strict";
    init_redis_lock();
    OWED_TTL_MS = 6 * 36e5;
    MAX_OWED = 1e4;
    OWED_PREFIX = "aftershock:owed:";
    InProcessOwedGroups = class {
      constructor(clock = Date.now, ttlMs = OWED_TTL_MS, max = MAX_OWED) {
        this.clock = clock;
        this.ttlMs = ttlMs;
        this.max = max;
      }
      clock;
      ttlMs;
      max;
      /** Key → when it stops being owed (ms), oldest first. */
      #until = /* @__PURE__ */ new Map();
      async add(key) {
        this.#until.delete(key);
        this.#until.set(key, this.clock() + this.ttlMs);
        while (this.#until.size > this.max) this.#until.delete(this.#until.keys().next().value);
      }
      async delete(key) {
        this.#until.delete(key);
      }
      async has(key) {
        const until = this.#until.get(key);
        if (until === void 0) return false;
        if (until > this.clock()) return true;
        this.#until.delete(key);
        return false;
      }
      get size() {
        return this.#until.size;
      }
    };
    RedisOwedGroups = class {
      constructor(redis, ttlMs = OWED_TTL_MS, prefix = OWED_PREFIX) {
        this.redis = redis;
        this.ttlMs = ttlMs;
        this.prefix = prefix;
      }
      redis;
      ttlMs;
      prefix;
      async add(key) {
        await (await this.redis()).set(this.prefix + key, "1", "PX", this.ttlMs);
      }
      async delete(key) {
        await (await this.redis()).del(this.prefix + key);
      }
      async has(key) {
        return await (await this.redis()).exists(this.prefix + key) === 1;
      }
    };
  }
});

// src/app/grouping/deliver.ts
function groupingFor(lock, budget, clock = Date.now) {
  let grouping = perLock.get(lock);
  if (!grouping) {
    grouping = new AlertGrouping(lock, {
      clock,
      ...budget ? { writeSlot: (ctx) => budget.untilFree(ctx.repo.owner.toLowerCase()) } : {},
      // Through the same Redis with the Redis lock, so any replica knows a group is owed.
      owed: owedGroupsFor(lock, clock)
    });
    perLock.set(lock, grouping);
  }
  return grouping;
}
function oldest(incidents) {
  return [...incidents].sort((a, b) => a.number - b.number)[0];
}
async function commitChanges(items, comments, clock) {
  const results = items.map(() => MOVED);
  const byIssue = /* @__PURE__ */ new Map();
  items.forEach((item, i) => byIssue.set(item.number, [...byIssue.get(item.number) ?? [], i]));
  for (const [number, indexes] of byIssue) {
    const ctx = items[indexes.at(-1)].ctx;
    const incident = await ctx.store.read(number);
    if (!incident || incident.state !== "open") continue;
    let record2 = incident.record;
    const changes = [];
    const applied = [];
    for (const index of indexes) {
      const merged = applyChange(record2, items[index]);
      if (!merged) continue;
      record2 = merged.record;
      changes.push(...merged.changes);
      applied.push({ index, kinds: merged.changes.map((c) => c.change.kind) });
      const outcome = merged.changes.length > 0 ? "updated" : "unchanged";
      results[index] = { outcome, number, url: incident.url };
    }
    const resolvedNow = incident.record.status === "firing" && record2.status === "resolved";
    if (changes.length > 0) {
      const key = `${ctx.repo.owner}/${ctx.repo.repo}#${number}`.toLowerCase();
      const comment2 = comments.take(key, changes);
      const posted = await writeBatch(ctx, incident, record2, comment2, resolvedNow, clock);
      if (posted) comments.posted(key);
      else if (comment2) comments.hold(key, comment2);
    }
    const event = { repo: ctx.repo, number, url: incident.url, record: record2, config: ctx.config.config };
    for (const { kinds } of applied) ctx.events.emit("incident.updated", { ...event, changes: kinds });
    if (resolvedNow) ctx.events.emit("incident.resolved", event);
  }
  return results;
}
function applyChange(record2, { ctx, draft, join: join3 }) {
  const at2 = ctx.now.toISOString();
  if (hasGroup(record2, draft.groupKey)) return mergeGroupDelivery(record2, draft, at2, draft.actor);
  if (!join3) return null;
  const criteria = {
    environment: draft.environment,
    deployment: join3.deployment,
    now: ctx.now,
    windowMs: join3.windowMs
  };
  return canJoin(record2, criteria) ? joinGroup(record2, draft, join3.deployment, at2, draft.actor) : null;
}
async function writeBatch(ctx, incident, record2, comment2, resolvedNow, clock) {
  const { config } = ctx.config;
  await ctx.store.write(
    incident.number,
    incidentWrite(incident, record2, config.labels, {
      retitleFrom: incidentTitle(incident.record),
      close: resolvedNow && config.closeOnResolve
    })
  );
  if (!comment2) return false;
  const soon = Math.min(currentDeadline() ?? Infinity, clock() + COMMENT_MAX_WAIT_MS);
  try {
    await withDeadline(soon, () => ctx.store.comment(incident.number, renderGroupedComment(comment2)));
    return true;
  } catch (err) {
    if (err instanceof BudgetRefusal) return false;
    throw err;
  }
}
function resolvedBeforeOpening(draft) {
  return {
    ...draft,
    openedText: `${draft.openedText}; the group had fired and resolved before its incident could be opened (its firing notifications were refused while GitHub's write budget was full)`
  };
}
async function closeResolvedAtOpening(ctx, created) {
  if (created.outcome !== "created" || !ctx.config.config.closeOnResolve) return;
  try {
    await ctx.store.write(created.number, { state: "closed" });
  } catch (err) {
    if (!(err instanceof BudgetRefusal)) throw err;
  }
}
var MOVED, MAX_ROUNDS, MAX_LOCATIONS, COMMENT_MAX_WAIT_MS, perLock, AlertGrouping;
var init_deliver = __esm({
  "src/app/grouping/deliver.ts"() {
    "use strict";
    init_related_groups();
    init_render_related();
    init_render_incident();
    init_incidents();
    init_incident_record();
    init_deadline();
    init_write_budget();
    init_incident();
    init_write();
    init_comment_pacer();
    init_group_commit();
    init_owed_groups();
    MOVED = { outcome: "moved" };
    MAX_ROUNDS = 4;
    MAX_LOCATIONS = 1e4;
    COMMENT_MAX_WAIT_MS = 3e3;
    perLock = /* @__PURE__ */ new WeakMap();
    AlertGrouping = class {
      constructor(lock, options = {}) {
        this.lock = lock;
        this.#clock = options.clock ?? Date.now;
        this.#owed = options.owed ?? new InProcessOwedGroups(this.#clock);
        const comments = new CommentPacer(
          options.commentIntervalMs ?? DEFAULT_COMMENT_INTERVAL_MS,
          options.clock
        );
        const writeSlot = options.writeSlot;
        const clock = this.#clock;
        this.commits = new GroupCommit(lock, (_key, items) => commitChanges(items, comments, clock), {
          ...options,
          ...writeSlot ? { ready: (_key, first) => writeSlot(first.ctx) } : {}
        });
      }
      lock;
      commits;
      #locations = /* @__PURE__ */ new Map();
      /**
       * Groups (lock keys) whose firing delivery was answered 5xx and none of whose deliveries has been
       * written since: the app owes them their incident. If the group then resolves, its resolved
       * delivery opens the incident (resolved) instead of being ignored, or the storm loses it. Shared
       * through Redis with the Redis lock (owed-groups.ts), so the retry may land on any replica.
       */
      #owed;
      #clock;
      /** Applies one Alertmanager delivery; resolves after the write that holds its change. */
      async deliver(ctx, draft, correlation, deadline) {
        const groupLock = ctx.store.lockKey(draft.groupKey);
        const written = await this.#deliver(ctx, draft, correlation, deadline, groupLock);
        await this.#owed.delete(groupLock).catch(() => void 0);
        return written;
      }
      /**
       * A firing delivery of `groupKey` in `repo` was answered 5xx (busy, budget, GitHub failing): until
       * one of the group's deliveries is written, a resolved one opens the incident it never got.
       * Resolves once recorded (before the 5xx is sent, so the retry finds it on any replica).
       */
      async refused(repo, groupKey) {
        await this.#owed.add(incidentLockKey(repo, boundedKey(groupKey)));
      }
      async #deliver(ctx, draft, correlation, deadline, groupLock) {
        for (let round = 1; round <= MAX_ROUNDS; round++) {
          const known = round === 1 ? this.#locations.get(groupLock) : void 0;
          const next = known ? { kind: "held", ...known } : await withLockBefore(
            ctx.lock,
            groupLock,
            deadline,
            this.#clock,
            () => this.#findOrOpen(ctx, draft, correlation, deadline)
          );
          if (next.kind === "written") return next.outcome;
          const join3 = next.kind === "join" ? { deployment: next.deployment, windowMs: next.windowMs } : void 0;
          const change = { ctx, number: next.number, draft, ...join3 ? { join: join3 } : {} };
          const done = await this.commits.submit(ctx.store.lockKey(next.primary), change, deadline);
          if (done.outcome !== "moved") {
            this.#remember(groupLock, { number: next.number, primary: next.primary });
            return done;
          }
          this.#locations.delete(groupLock);
        }
        throw busy("the incident of this alert group kept moving (split or closed); try again", 5e3);
      }
      /**
       * Under the group's lock: the open incident that holds it; else (firing) correlate, then join an
       * incident with the same cause or open the group's own.
       */
      async #findOrOpen(ctx, draft, correlation, deadline) {
        const held = await this.#holder(ctx, draft.groupKey);
        if (held) return { kind: "held", ...held };
        const groupLock = ctx.store.lockKey(draft.groupKey);
        const resolved = draft.delivery.status === "resolved";
        if (resolved && !await this.#owed.has(groupLock)) {
          return {
            kind: "written",
            outcome: { outcome: "ignored", reason: "the group resolved and has no open incident" }
          };
        }
        const created = async (create) => {
          const outcome = await create();
          if (outcome.outcome === "created") {
            this.#remember(groupLock, { number: outcome.number, primary: draft.groupKey });
            if (resolved) await closeResolvedAtOpening(ctx, outcome);
          }
          return { kind: "written", outcome };
        };
        if (resolved) draft = resolvedBeforeOpening(draft);
        return openIncident(ctx, draft, correlation, async (record2, create) => {
          const { grouping, labels: labels2 } = ctx.config.config;
          const deployment = topDeployment(record2);
          if (!grouping.enabled || deployment === null) return created(create);
          const windowMs = grouping.windowMinutes * 6e4;
          const cause = ctx.store.causeLockKey(draft.environment, deployment);
          return withLockBefore(ctx.lock, cause, deadline, this.#clock, async () => {
            const criteria = { environment: draft.environment, deployment, now: ctx.now, windowMs };
            const target = oldest(
              (await ctx.store.list(labels2.incident)).filter((i) => canJoin(i.record, criteria))
            );
            if (!target) return created(create);
            return { kind: "join", number: target.number, primary: target.record.groupKey, deployment, windowMs };
          });
        });
      }
      /** The open incident holding `groupKey`, found by listing the open incidents. */
      async #holder(ctx, groupKey) {
        const key = ctx.store.lockKey(groupKey);
        const open = await ctx.store.list(ctx.config.config.labels.incident);
        const holder = oldest(open.filter((i) => hasGroup(i.record, groupKey)));
        if (!holder) {
          this.#locations.delete(key);
          return null;
        }
        const location = { number: holder.number, primary: holder.record.groupKey };
        this.#remember(key, location);
        return location;
      }
      #remember(key, location) {
        this.#locations.delete(key);
        this.#locations.set(key, location);
        if (this.#locations.size > MAX_LOCATIONS) this.#locations.delete(this.#locations.keys().next().value);
      }
    };
  }
});

// src/app/pacing/settings.ts
function readPacingSettings(env = process.env, throttled = false) {
  const whole = (name, fallback, min) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name} must be a whole number \u2265 ${min}, got "${raw}"`);
    return n;
  };
  const perMinute = whole("AFTERSHOCK_WRITES_PER_MINUTE", DEFAULT_WRITE_BUDGET.perMinute, 1);
  const perHour = whole(
    "AFTERSHOCK_WRITES_PER_HOUR",
    Math.max(perMinute, DEFAULT_WRITE_BUDGET.perHour),
    perMinute
  );
  const waitSeconds = whole("ALERTMANAGER_WAIT_SECONDS", DEFAULT_WAIT_MS / 1e3, 1);
  const spacing = throttled ? PROBOT_THROTTLING_SPACING : {};
  return { budget: { perMinute, perHour, ...spacing }, waitMs: waitSeconds * 1e3 };
}
var DEFAULT_WAIT_MS;
var init_settings = __esm({
  "src/app/pacing/settings.ts"() {
    "use strict";
    init_write_budget();
    DEFAULT_WAIT_MS = 8e3;
  }
});

// src/app/pacing/redis-budget.ts
import { randomUUID } from "node:crypto";
function writeBudgetFor(lock, limits = DEFAULT_WRITE_BUDGET, clock = Date.now) {
  return lock instanceof RedisKeyLock ? new RedisWriteBudget(() => lock.connection(), limits, clock) : new WriteBudget(limits, clock);
}
var MINUTE2, HOUR2, SLOT, RedisWriteBudget, sleep2;
var init_redis_budget = __esm({
  "src/app/pacing/redis-budget.ts"() {
    "use strict";
    init_redis_lock();
    init_write_budget();
    MINUTE2 = 6e4;
    HOUR2 = 60 * MINUTE2;
    SLOT = `
local now = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local perHour = tonumber(ARGV[3])
local mode = ARGV[6]
local deadline = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ${HOUR2})
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local function at(index)
  return tonumber(redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')[2])
end
if n >= perMinute then slot = math.max(slot, at(n - perMinute) + ${MINUTE2}) end
if n >= perHour then slot = math.max(slot, at(n - perHour) + ${HOUR2}) end
if mode ~= 'window' then
  if n > 0 then slot = math.max(slot, at(n - 1) + tonumber(ARGV[4])) end
  if mode == 'take-notify' then
    local last = redis.call('GET', KEYS[2])
    if last then slot = math.max(slot, tonumber(last) + tonumber(ARGV[5])) end
  end
end
if (mode == 'take' or mode == 'take-notify') and (deadline < 0 or slot <= deadline) then
  redis.call('ZADD', KEYS[1], slot, ARGV[8])
  redis.call('PEXPIRE', KEYS[1], slot - now + ${HOUR2})
  if mode == 'take-notify' then
    redis.call('SET', KEYS[2], slot, 'PX', slot - now + ${HOUR2})
  end
  return { slot, 1 }
end
return { slot, 0 }
`;
    RedisWriteBudget = class {
      constructor(redis, limits = DEFAULT_WRITE_BUDGET, now = Date.now, prefix = "aftershock:budget:") {
        this.redis = redis;
        this.limits = limits;
        this.now = now;
        this.prefix = prefix;
        if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
          throw new Error(`a write budget needs 1 \u2264 perMinute \u2264 perHour, got ${JSON.stringify(limits)}`);
      }
      redis;
      limits;
      now;
      prefix;
      /** When the next write for `key` could be sent, across replicas (takes nothing). */
      async nextSlot(key) {
        return (await this.#slot(key, "peek")).slot;
      }
      async admit(key, deadline) {
        const { slot } = await this.#slot(key, "window");
        if (slot > deadline) throw budgetRefusal(this.limits, slot - this.now());
      }
      async untilFree(key) {
        await sleep2((await this.#slot(key, "peek")).slot - this.now());
      }
      async take(key, deadline, notify2 = false) {
        const { slot, taken } = await this.#slot(key, notify2 ? "take-notify" : "take", deadline);
        if (!taken) throw budgetRefusal(this.limits, slot - this.now());
        await sleep2(slot - this.now());
      }
      /** Writes taken in the last minute and hour by every replica (metrics, tests). */
      async used(key) {
        const now = this.now();
        const slots = `${this.prefix}${key}:slots`;
        const redis = await this.redis();
        const [minute, hour] = await Promise.all([
          redis.zcount(slots, `(${now - MINUTE2}`, "+inf"),
          redis.zcount(slots, `(${now - HOUR2}`, "+inf")
        ]);
        return { minute, hour };
      }
      async #slot(key, mode, deadline) {
        const { perMinute, perHour, writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
        const redis = await this.redis();
        const reply = await redis.eval(
          SLOT,
          2,
          `${this.prefix}${key}:slots`,
          `${this.prefix}${key}:notified`,
          this.now(),
          perMinute,
          perHour,
          writeSpacingMs,
          notifySpacingMs,
          mode,
          deadline ?? -1,
          randomUUID()
        );
        return { slot: Number(reply[0]), taken: Number(reply[1]) === 1 };
      }
    };
    sleep2 = (ms) => ms > 0 ? new Promise((resolve3) => setTimeout(resolve3, ms)) : Promise.resolve();
  }
});

// src/app/alertmanager/authenticate.ts
import { createHash as createHash3, timingSafeEqual } from "node:crypto";
function digest(text3) {
  return createHash3("sha256").update(text3, "utf8").digest();
}
function tokensMatch(given, expected) {
  return timingSafeEqual(digest(given), digest(expected));
}
function authenticate(req, settings) {
  const header2 = req.headers.authorization;
  if (header2 !== void 0) req.headers.authorization = "[redacted]";
  const tokens = [
    ...settings.alertmanagerToken !== void 0 ? [{ token: settings.alertmanagerToken, scope: null }] : [],
    ...settings.alertmanagerTokens ?? []
  ];
  if (tokens.length === 0) {
    if (settings.allowUnauthenticated) return { scope: null };
    throw new HttpError(
      403,
      "Alertmanager deliveries are refused because no token is configured: set ALERTMANAGER_TOKEN on the app and the same value as http_config.authorization.credentials in Alertmanager's webhook receiver (or ALERTMANAGER_ALLOW_UNAUTHENTICATED=true for local testing only)"
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header2 ?? "");
  if (!match) {
    throw new HttpError(
      401,
      "missing bearer token: send Authorization: Bearer <ALERTMANAGER_TOKEN> (Alertmanager: http_config.authorization)",
      void 0,
      { "www-authenticate": 'Bearer realm="aftershock"', connection: "close" }
    );
  }
  let caller = null;
  for (const t of tokens) if (tokensMatch(match[1], t.token) && !caller) caller = { scope: t.scope };
  if (!caller) {
    throw new HttpError(401, "invalid bearer token", void 0, {
      "www-authenticate": 'Bearer realm="aftershock", error="invalid_token"',
      // Nothing more will be read from a caller that failed: free the socket at once.
      connection: "close"
    });
  }
  return caller;
}
var init_authenticate = __esm({
  "src/app/alertmanager/authenticate.ts"() {
    "use strict";
    init_http2();
  }
});

// src/app/repo-scope.ts
function inScope(scope, repo) {
  const owner = repo.owner.toLowerCase();
  const full = `${owner}/${repo.repo.toLowerCase()}`;
  return scope.some((entry2) => {
    const e = entry2.toLowerCase();
    return e === "*" || e === full || e === `${owner}/*`;
  });
}
function checkScope(scope, where) {
  if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === "string" && ENTRY.test(s)))
    throw new Error(`${where} must be a non-empty list of "owner/name", "owner/*" or "*"`);
  return scope;
}
var ENTRY;
var init_repo_scope = __esm({
  "src/app/repo-scope.ts"() {
    "use strict";
    ENTRY = /^(\*|[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(\*|[A-Za-z0-9._-]{1,100}))$/;
  }
});

// src/app/alertmanager/describe.ts
function firstLabel(payload, names) {
  for (const name of names) {
    const value = payload.commonLabels[name] ?? payload.alerts.find((a) => a.labels[name])?.labels[name];
    if (value) return value;
  }
  return void 0;
}
function bounded(values) {
  const entries = Object.entries(values).slice(0, MAX_ALERT_ENTRIES);
  if (entries.length === 0) return void 0;
  return Object.fromEntries(
    entries.map(([k, v]) => [k.slice(0, MAX_ALERT_VALUE), v.slice(0, MAX_ALERT_VALUE)])
  );
}
function alertState(alert) {
  const summary3 = alert.annotations["summary"] ?? alert.annotations["description"];
  const labels2 = bounded(alert.labels);
  const annotations = bounded(alert.annotations);
  return {
    status: alert.status,
    alertname: alert.labels["alertname"] ?? "alert",
    ...summary3 ? { summary: summary3.slice(0, 500) } : {},
    startsAt: alert.startsAt,
    ...ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt },
    ...alert.generatorURL ? { url: alert.generatorURL } : {},
    ...labels2 ? { labels: labels2 } : {},
    ...annotations ? { annotations } : {}
  };
}
function percent2(ratio) {
  return `${Number((ratio * 100).toPrecision(4))} %`;
}
function bandText(band) {
  return `${band.exclusive ? ">" : "\u2265"}${percent2(band.min)}`;
}
function alertSeverityRule(alert, bands) {
  const name = (alert.labels["alertname"] ?? "alert").slice(0, 100);
  const source = alertSeveritySource(alert, bands);
  if (!source) return null;
  const { severity: severity2 } = source;
  if (source.from === "label") {
    return { severity: severity2, rule: `alert ${name}: label severity="${source.label}" \u2192 ${severity2}` };
  }
  const { ratio, annotation } = source;
  const band = bands.find((b) => b.severity === severity2 && (b.exclusive ? ratio > b.min : ratio >= b.min));
  const why = band ? `band ${severity2} (${bandText(band)})` : `below every band, so ${severity2}`;
  return {
    severity: severity2,
    rule: `alert ${name}: error ratio ${Number(ratio.toPrecision(4))} in annotation ${annotation} \u2192 ${why}`
  };
}
function groupSeverityRule(alerts, bands) {
  const ruled = alerts.map((a) => alertSeverityRule(a, bands));
  const worst = worstSeverity(ruled.map((r) => r?.severity ?? null));
  const chosen = ruled.find((r) => r && r.severity === worst);
  return chosen ?? { severity: "P3", rule: "default P3 (no severity label or error ratio annotation)" };
}
function fillUrlTemplate(template, vars) {
  return template.replace(PLACEHOLDER3, (_, name) => encodeURIComponent(vars[name] ?? ""));
}
function linkable(url) {
  return url && url.length <= MAX_URL && safeUrl(url) ? url : void 0;
}
function findRunbook(alerts, name, config) {
  for (const alert of alerts) {
    for (const key of RUNBOOK_ANNOTATIONS) {
      const url = linkable(alert.annotations[key]);
      if (url) return url;
    }
  }
  return linkable(config.runbooks[name] ?? config.runbooks["default"]);
}
function findDashboard(alerts, vars, config) {
  for (const alert of alerts) {
    const url = linkable(alert.generatorURL);
    if (url) return url;
  }
  return config.dashboard ? linkable(fillUrlTemplate(config.dashboard, vars)) : void 0;
}
function describeAlertGroup(payload, config) {
  const name = payload.commonLabels["alertname"] ?? payload.alerts[0]?.labels["alertname"] ?? "Alert";
  const service = firstLabel(payload, SERVICE_LABELS) ?? "unknown";
  const environment = firstLabel(payload, ENVIRONMENT_LABELS) ?? config.environments[0] ?? "production";
  const alerts = Object.fromEntries(payload.alerts.map((a) => [boundedKey(a.fingerprint), alertState(a)]));
  const firing = payload.alerts.filter((a) => a.status === "firing");
  const earliest2 = [...firing.length ? firing : payload.alerts].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)
  )[0];
  const deciding = [earliest2, ...(firing.length ? firing : payload.alerts).filter((a) => a !== earliest2)];
  const { severity: severity2, rule } = groupSeverityRule(deciding, config.severityBands);
  const vars = { ...payload.commonLabels, ...earliest2.labels, service, environment, alertname: name };
  const runbook = findRunbook([{ annotations: payload.commonAnnotations }, ...deciding], name, config);
  const dashboard = findDashboard(deciding, vars, config);
  const details = {
    severityRule: rule,
    ...runbook ? { runbook } : {},
    ...dashboard ? { dashboard } : {}
  };
  const truncated = payload.truncatedAlerts > 0 ? ` (${payload.truncatedAlerts} more were truncated)` : "";
  const draft = {
    groupKey: boundedKey(payload.groupKey),
    source: "alert",
    name,
    service,
    environment,
    severity: severity2,
    delivery: { status: payload.status, alerts },
    ...payload.externalURL ? { externalURL: payload.externalURL } : {},
    actor: "alertmanager",
    openedText: `Opened from ${firing.length} firing alert(s) sent to receiver ${payload.receiver}${truncated}`,
    details
  };
  const correlation = {
    alert: {
      startsAt: earliest2.startsAt,
      // The scorer reads service and environment from these labels: give it the resolved ones.
      labels: { ...payload.commonLabels, ...earliest2.labels, service, environment },
      annotations: { ...payload.commonAnnotations, ...earliest2.annotations }
    },
    environment,
    until: new Date(earliest2.startsAt)
  };
  return { draft, correlation };
}
var SERVICE_LABELS, ENVIRONMENT_LABELS, ZERO_TIME, RUNBOOK_ANNOTATIONS, MAX_ALERT_ENTRIES, MAX_ALERT_VALUE, MAX_URL, PLACEHOLDER3;
var init_describe = __esm({
  "src/app/alertmanager/describe.ts"() {
    "use strict";
    init_incident_record();
    init_markdown();
    init_render_incident();
    init_severity();
    SERVICE_LABELS = ["service", "app", "app_kubernetes_io_name", "job"];
    ENVIRONMENT_LABELS = ["environment", "env", "deployment_environment"];
    ZERO_TIME = /^0001-01-01T/;
    RUNBOOK_ANNOTATIONS = ["runbook_url", "runbook"];
    MAX_ALERT_ENTRIES = 30;
    MAX_ALERT_VALUE = 300;
    MAX_URL = 2e3;
    PLACEHOLDER3 = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
  }
});

// src/app/alertmanager/read-body.ts
function tooLarge(maxBytes) {
  return new HttpError(
    413,
    `request body is larger than ${maxBytes} bytes: lower max_alerts in Alertmanager's webhook_config or raise ALERTMANAGER_MAX_BODY_BYTES`,
    void 0,
    { connection: "close" }
  );
}
async function readBody(req, maxBytes, timeoutMs2 = DEFAULT_BODY_TIMEOUT_MS) {
  if (typeof req.body === "string" || req.body && typeof req.body === "object") {
    const text3 = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (Buffer.byteLength(text3) > maxBytes) throw tooLarge(maxBytes);
    return text3;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  return new Promise((resolve3, reject) => {
    const chunks = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      req.pause();
      reject(
        new HttpError(408, `the request body did not arrive within ${timeoutMs2} ms`, void 0, {
          connection: "close"
        })
      );
    }, timeoutMs2);
    const cleanup = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve3(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err) => {
      cleanup();
      reject(new HttpError(400, `could not read the request body: ${err.message}`));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
var DEFAULT_BODY_TIMEOUT_MS;
var init_read_body = __esm({
  "src/app/alertmanager/read-body.ts"() {
    "use strict";
    init_http2();
    DEFAULT_BODY_TIMEOUT_MS = 1e4;
  }
});

// src/app/installation.ts
async function installationOctokit(app, repo, installations) {
  const lookup = () => installationIdOf(app, repo);
  const id2 = installations ? await installations.get(`${repo.owner}/${repo.repo}`.toLowerCase(), lookup) : await lookup();
  return app.auth(id2);
}
async function installationIdOf(app, repo) {
  const appOctokit = await app.auth();
  try {
    const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { ...repo });
    return data.id;
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new HttpError(
        404,
        `aftershock is not installed on ${repo.owner}/${repo.repo}: install the GitHub App on that repository`
      );
    }
    throw err;
  }
}
var init_installation = __esm({
  "src/app/installation.ts"() {
    "use strict";
    init_incidents();
    init_http2();
  }
});

// src/app/alertmanager/route.ts
function parseRepo2(text3) {
  const [owner, repo, ...rest] = text3.trim().split("/");
  if (rest.length > 0 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo)) return null;
  return { owner, repo };
}
function resolveRepository(payload, fromPath, label2) {
  const values = new Set(payload.alerts.map((a) => a.labels[label2]).filter((v) => !!v));
  const common = payload.commonLabels[label2];
  if (!common && values.size > 1) {
    throw new HttpError(
      400,
      `the alerts of one group name different repositories (${[...values].join(", ")}): add "${label2}" to group_by in Alertmanager's route`,
      `alerts[].labels.${label2}`
    );
  }
  const named = common ?? [...values][0];
  if (named !== void 0) {
    const repo = parseRepo2(named);
    if (!repo) {
      throw new HttpError(400, `label ${label2}="${named}" must be "owner/name"`, `commonLabels.${label2}`);
    }
    if (fromPath && !sameRepo(repo, fromPath)) {
      throw new HttpError(
        400,
        `label ${label2}="${named}" disagrees with the path /alertmanager/${fromPath.owner}/${fromPath.repo}: post to the path of the label's repository, or drop the label`,
        `commonLabels.${label2}`
      );
    }
    return repo;
  }
  if (fromPath) return fromPath;
  throw new HttpError(
    400,
    `no repository: give the alerts a ${label2}="owner/name" label or post to /alertmanager/<owner>/<repo>`,
    `commonLabels.${label2}`
  );
}
function sameRepo(a, b) {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
var OWNER, NAME;
var init_route = __esm({
  "src/app/alertmanager/route.ts"() {
    "use strict";
    init_http2();
    OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
    NAME = /^[A-Za-z0-9._-]{1,100}$/;
  }
});

// src/app/alertmanager/validate.ts
import { z as z10 } from "zod";
function fieldPath(path) {
  return path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("");
}
function validatePayload(text3) {
  let json;
  try {
    json = JSON.parse(text3);
  } catch (err) {
    throw new HttpError(400, `the body is not JSON: ${errorMessage(err)}`);
  }
  const result = AlertmanagerPayloadSchema.safeParse(json);
  if (result.success) return result.data;
  const issue2 = result.error.issues[0];
  const field = fieldPath(issue2.path);
  const message = issue2.message.includes("received undefined") ? "is required" : issue2.message;
  throw new HttpError(
    400,
    `${field || "body"} ${message}: the body must be an Alertmanager webhook payload (version 4)`,
    field || void 0
  );
}
var labels, timestamp, AlertSchema, AlertmanagerPayloadSchema;
var init_validate = __esm({
  "src/app/alertmanager/validate.ts"() {
    "use strict";
    init_http2();
    init_errors();
    labels = z10.record(z10.string(), z10.string());
    timestamp = z10.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });
    AlertSchema = z10.object({
      status: z10.enum(["firing", "resolved"]),
      labels,
      annotations: labels,
      startsAt: timestamp,
      endsAt: timestamp,
      generatorURL: z10.string(),
      fingerprint: z10.string().min(1)
    });
    AlertmanagerPayloadSchema = z10.object({
      version: z10.literal("4", { error: 'must be "4" (the only webhook version Alertmanager sends)' }),
      receiver: z10.string(),
      status: z10.enum(["firing", "resolved"]),
      alerts: z10.array(AlertSchema).min(1),
      groupLabels: labels,
      commonLabels: labels,
      commonAnnotations: labels,
      externalURL: z10.string(),
      groupKey: z10.string().min(1),
      // Alertmanager before 0.22 did not send it.
      truncatedAlerts: z10.number().int().min(0).default(0)
    });
  }
});

// src/github/repo-config.ts
async function loadRepoConfig(octokit, repo) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: CONFIG_PATH
    }));
  } catch (err) {
    if (statusOf(err) === 404) {
      return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
    }
    throw err;
  }
  const file = data;
  if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") {
    return {
      config: DEFAULT_REPO_CONFIG,
      error: `${CONFIG_PATH} is not a file; the defaults were used`,
      warnings: []
    };
  }
  const text3 = file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  return parseRepoConfig(text3);
}
var init_repo_config2 = __esm({
  "src/github/repo-config.ts"() {
    "use strict";
    init_client();
    init_repo_config();
  }
});

// src/app/repo-configs.ts
function cachedRepoConfigs(ttlMs = CONFIG_TTL_MS) {
  const cache = new TtlCache(ttlMs);
  return (client, repo) => cache.get(`${repo.owner}/${repo.repo}@default`.toLowerCase(), () => loadRepoConfig(client, repo));
}
var CONFIG_TTL_MS;
var init_repo_configs = __esm({
  "src/app/repo-configs.ts"() {
    "use strict";
    init_ttl_cache();
    init_repo_config2();
    CONFIG_TTL_MS = 6e4;
  }
});

// src/app/alertmanager/handler.ts
import { randomUUID as randomUUID2 } from "node:crypto";
function matchPath(url) {
  const pathname2 = new URL(url ?? "/", "http://localhost").pathname;
  const m = PATH2.exec(pathname2);
  if (!m) return { matched: false };
  if (m[1] === void 0 || m[2] === void 0) return { matched: true, repo: null };
  let owner, name;
  try {
    [owner, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
  } catch {
    return { matched: true, repo: null };
  }
  const repo = parseRepo2(`${owner}/${name}`);
  return { matched: true, repo };
}
function createAlertmanagerHandler(deps) {
  const installations = new TtlCache(INSTALLATION_TTL_MS);
  const clock = deps.pacing?.clock ?? Date.now;
  const budget = deps.budget ?? writeBudgetFor(deps.lock, deps.pacing?.budget ?? DEFAULT_WRITE_BUDGET, clock);
  const grouping = groupingFor(deps.lock, budget, clock);
  const waitMs = deps.pacing?.waitMs ?? DEFAULT_WAIT_MS;
  const handle = async (req, res) => {
    const route = matchPath(req.url);
    if (!route.matched) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST: this is Alertmanager's webhook receiver" }, { allow: "POST" });
      return true;
    }
    const delivery = randomUUID2();
    let log = deps.app.log.child({ name: "alertmanager", delivery });
    res.setHeader("x-aftershock-delivery", delivery);
    const started = performance.now();
    const deadline = clock() + waitMs;
    let alertStatus = "unknown";
    let group;
    const owe = async () => {
      if (alertStatus !== "firing" || !group) return;
      await grouping.refused(group.repo, group.groupKey).catch((err) => {
        log.warn({ err }, "could not record that this alert group is owed its incident");
      });
    };
    const answered = (outcome, httpStatus) => {
      deps.events.emit("alert.delivery", {
        status: alertStatus,
        outcome,
        httpStatus,
        seconds: (performance.now() - started) / 1e3
      });
    };
    try {
      const caller = authenticate(req, deps.settings);
      const payload = validatePayload(
        await readBody(req, deps.settings.maxBodyBytes, deps.settings.bodyTimeoutMs)
      );
      alertStatus = payload.status;
      const repo = resolveRepository(payload, route.repo, deps.settings.repositoryLabel);
      if (caller.scope && !inScope(caller.scope, repo)) {
        throw new HttpError(
          403,
          `this token may not open incidents in ${repo.owner}/${repo.repo}: use its own token, or widen the token's scope in ALERTMANAGER_TOKENS`
        );
      }
      log = log.child({ repository: `${repo.owner}/${repo.repo}`, groupKey: payload.groupKey });
      group = { repo, groupKey: payload.groupKey };
      const account = repo.owner.toLowerCase();
      await budget.admit(account, deadline);
      const installed = await installationOctokit(deps.app, repo, installations);
      const octokit = paceWrites(installed, budget, account, currentDeadline);
      const config = await deps.repoConfigs(octokit, repo);
      const { draft, correlation } = describeAlertGroup(payload, config.config);
      const store = deps.incidents(octokit, repo);
      const ctx = { octokit, store, lock: deps.lock, repo, config, now: deps.now(), events: deps.events };
      const written = await withDeadline(deadline, () => grouping.deliver(ctx, draft, correlation, deadline));
      const repository2 = `${repo.owner}/${repo.repo}`;
      log.info(
        { outcome: written.outcome, ...written.outcome !== "ignored" ? { incident: written.number } : {} },
        "alert group handled"
      );
      if (written.outcome === "ignored") {
        sendJson(res, 200, { outcome: "ignored", reason: written.reason, repository: repository2 });
        answered("ignored", 200);
      } else {
        const { outcome, number, url } = written;
        sendJson(res, outcome === "created" ? 201 : 200, { outcome, issue: number, url, repository: repository2 });
        answered(outcome, outcome === "created" ? 201 : 200);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status >= 500) {
          log.warn({ status: err.status }, err.message);
          await owe();
        }
        sendJson(
          res,
          err.status,
          { error: err.message, ...err.field ? { field: err.field } : {} },
          err.headers
        );
        answered(err.status >= 500 ? "failed" : "rejected", err.status);
      } else if (err instanceof GitHubRefusedError) {
        log.warn({ status: err.status }, err.message);
        sendJson(res, 422, { error: err.message });
        answered("rejected", 422);
      } else {
        const status = statusOf(err);
        recordException(err);
        log.error({ err }, "alert group not written; answering 503 so Alertmanager retries");
        await owe();
        sendJson(res, 503, {
          error: "the incident could not be written now; Alertmanager will retry",
          reason: errorMessage(err),
          ...status !== void 0 ? { githubStatus: status } : {}
        });
        answered("failed", 503);
      }
    }
    return true;
  };
  return traceRoute("alertmanager delivery", (req) => matchPath(req.url).matched, handle);
}
var PATH2, INSTALLATION_TTL_MS;
var init_handler = __esm({
  "src/app/alertmanager/handler.ts"() {
    "use strict";
    init_ttl_cache();
    init_incidents();
    init_http2();
    init_deliver();
    init_deadline();
    init_settings();
    init_write_budget();
    init_redis_budget();
    init_tracing();
    init_authenticate();
    init_repo_scope();
    init_describe();
    init_read_body();
    init_installation();
    init_route();
    init_validate();
    init_errors();
    init_repo_configs();
    PATH2 = /^\/alertmanager(?:\/([^/]+)\/([^/]+))?\/?$/;
    INSTALLATION_TTL_MS = 10 * 6e4;
  }
});

// src/app/deployment-status.ts
function payloadField(payload, key) {
  if (!payload || typeof payload !== "object") return void 0;
  const value = payload[key];
  return typeof value === "string" && value.trim() ? value.trim() : void 0;
}
async function onDeploymentStatus(context, deps) {
  const { deployment, deployment_status: status, repository: repository2 } = context.payload;
  if (!FAILED_STATES.has(status.state)) return null;
  const repo = { owner: repository2.owner.login, repo: repository2.name };
  let config;
  try {
    config = await deps.repoConfigs(context.octokit, repo);
  } catch (err) {
    const error = `.github/aftershock.yml could not be read (${errorMessage(err)}); the defaults were used`;
    config = { config: DEFAULT_REPO_CONFIG, error, warnings: [] };
  }
  const service = payloadField(deployment.payload, "service") ?? repository2.name;
  const environment = deployment.environment;
  const fingerprint = `deploy:${deployment.id}`;
  const description = status.description ? `: ${status.description}` : "";
  const draft = {
    groupKey: `deploy:${deployment.id}`,
    source: "deploy-check",
    name: "Deploy check failed",
    service,
    environment,
    severity: severityFromLabel(payloadField(deployment.payload, "severity")) ?? "P2",
    details: {
      severityRule: payloadField(deployment.payload, "severity") ? `deployment payload severity="${payloadField(deployment.payload, "severity")}"` : "default P2 for a failed deploy check"
    },
    delivery: {
      status: "firing",
      alerts: {
        [fingerprint]: {
          status: "firing",
          alertname: "Deploy check failed",
          summary: `Deployment ${deployment.id} (${deployment.sha.slice(0, 12)}) to ${environment} reported ${status.state}${description}`.slice(
            0,
            500
          ),
          startsAt: status.created_at,
          ...status.target_url || status.log_url ? { url: status.log_url ?? status.target_url } : {}
        }
      }
    },
    actor: status.creator?.login ?? context.payload.sender.login,
    openedText: `Deployment ${deployment.id} to ${environment} reported ${status.state}`
  };
  const failed2 = {
    id: deployment.id,
    sha: deployment.sha,
    environment,
    createdAt: deployment.created_at,
    status: status.state,
    checkFailed: true,
    ...deployment.url ? { url: deployment.url } : {}
  };
  const correlation = {
    alert: { startsAt: status.created_at, labels: { alertname: "DeployCheckFailed", service, environment } },
    environment,
    until: new Date(status.created_at),
    deployment: failed2
  };
  const clock = deps.writes?.clock ?? Date.now;
  const deadline = clock() + DEPLOY_CHECK_WAIT_MS;
  const account = repo.owner.toLowerCase();
  const budget = deps.writes?.budget;
  if (budget) await budget.admit(account, deadline);
  const octokit = budget ? paceWrites(context.octokit, budget, account, () => deadline) : context.octokit;
  const ctx = {
    octokit,
    store: deps.incidents(octokit, repo),
    lock: deps.lock,
    repo,
    config,
    now: deps.now(),
    events: deps.events,
    log: context.log
  };
  const written = await withDeadline(
    deadline,
    () => config.config.grouping.enabled ? groupingFor(deps.lock, deps.writes?.budget, deps.writes?.clock).deliver(
      ctx,
      draft,
      correlation,
      deadline
    ) : openOrUpdateIncident(ctx, draft, correlation)
  ).catch((err) => {
    throw err instanceof LockQueueFull ? new IncidentBusyError(err.waiting) : err;
  });
  context.log.info({ deployment: deployment.id, ...written }, "failed deploy check handled");
  return written;
}
var FAILED_STATES, DEPLOY_CHECK_WAIT_MS;
var init_deployment_status2 = __esm({
  "src/app/deployment-status.ts"() {
    "use strict";
    init_render_incident();
    init_repo_config();
    init_lock();
    init_incident();
    init_deliver();
    init_errors();
    init_deadline();
    init_write_budget();
    FAILED_STATES = /* @__PURE__ */ new Set(["failure", "error"]);
    DEPLOY_CHECK_WAIT_MS = 6e4;
  }
});

// src/github/permissions.ts
function canWrite(level) {
  return WRITE_LEVELS.has(level);
}
function canRead(level) {
  return level !== "none";
}
async function getAccessLevel(octokit, repo, username) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      ...repo,
      username
    }));
  } catch (err) {
    if (statusOf(err) === 404) return "none";
    throw err;
  }
  const role = (data.role_name ?? "").toLowerCase();
  const permission = (data.permission ?? "").toLowerCase();
  const levels = [role, permission].filter((l) => KNOWN.has(l));
  const order = ["admin", "maintain", "write", "triage", "read", "none"];
  return order.find((l) => levels.includes(l)) ?? "none";
}
function isBot(user2) {
  return user2.type === "Bot" || user2.login.toLowerCase().endsWith("[bot]");
}
var WRITE_LEVELS, KNOWN;
var init_permissions = __esm({
  "src/github/permissions.ts"() {
    "use strict";
    init_client();
    WRITE_LEVELS = /* @__PURE__ */ new Set(["admin", "maintain", "write"]);
    KNOWN = /* @__PURE__ */ new Set(["admin", "maintain", "write", "triage", "read", "none"]);
  }
});

// src/app/commands/permission.ts
function refusal(command, level, login) {
  const needed = requiredPermission(command);
  if (needed === "none") return null;
  if (needed === "read" ? canRead(level) : canWrite(level)) return null;
  const what = needed === "write" ? "write access (write, maintain or admin)" : "read access";
  return `\`/${command.name}\` needs ${what} to this repository; \`${login}\` has ${level === "none" ? "no access" : `\`${level}\``}.`;
}
var init_permission = __esm({
  "src/app/commands/permission.ts"() {
    "use strict";
    init_commands();
    init_permissions();
    init_permissions();
  }
});

// src/app/commands/authorize.ts
async function authorize(octokit, who, out, cooldowns) {
  const { repo, actor, parsed } = who;
  const needsAccess = parsed.some((p) => p.ok && requiredPermission(p.command) !== "none");
  const level = needsAccess ? await getAccessLevel(octokit, repo, actor) : "none";
  const repeated = repeatedIn(parsed);
  const writer = canWrite(level);
  const answered = (p) => {
    if (repeated.has(p)) {
      out.report(p, "duplicate");
      return true;
    }
    if (!p.ok) {
      out.say(p, invalidReply(p));
      out.report(p, "invalid");
      return true;
    }
    if (p.command.name === "help") {
      out.say(p, HELP_TEXT);
      out.report(p, "done");
      return true;
    }
    const refused = refusal(p.command, level, actor);
    if (refused) {
      out.say(p, `\u{1F6AB} ${refused}`);
      out.report(p, "refused");
      return true;
    }
    const wait = !writer && p.command.name === "suspects" ? cooldowns.take(repo, actor) : 0;
    if (wait === 0) return false;
    out.say(p, `\u{1F552} ${code(p.raw, 60)} ran for you less than a minute ago; comment it again in ${wait} s.`);
    out.report(p, "refused");
    return true;
  };
  const runnable = parsed.some((p) => p.ok && p.command.name !== "help" && !refusal(p.command, level, actor));
  return { level, writer, runnable, answered };
}
function repeatedIn(parsed) {
  const seen = /* @__PURE__ */ new Set();
  return new Set(
    parsed.filter((p) => {
      const key = p.raw.replace(/\s+/g, " ").replace(/^\/\S+/, (name) => name.toLowerCase());
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    })
  );
}
function invalidReply(parsed) {
  return `\u26A0\uFE0F ${code(parsed.raw, 80)}: ${parsed.error} Comment \`/help\` for the list of commands.`;
}
var init_authorize = __esm({
  "src/app/commands/authorize.ts"() {
    "use strict";
    init_commands();
    init_markdown();
    init_permissions();
    init_permission();
  }
});

// src/github/reactions.ts
async function reactToComment(octokit, ref, content) {
  await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner: ref.owner,
    repo: ref.repo,
    comment_id: ref.commentId,
    content
  });
}
var init_reactions = __esm({
  "src/github/reactions.ts"() {
    "use strict";
  }
});

// src/app/commands/reply.ts
function commentReply(context, deps) {
  const { comment: comment2, issue: issue2 } = context.payload;
  const reports = [];
  const replies = [];
  const post = async (body) => {
    await deps.store.comment(issue2.number, body);
  };
  const react = async (content) => {
    await reactToComment(context.octokit, { ...deps.repo, commentId: comment2.id }, content).catch(
      (err) => context.log.warn({ err, content }, "could not react to the comment")
    );
  };
  return {
    reports,
    report(p, outcome) {
      const name = p.ok ? p.command.name : p.name;
      reports.push({ name, line: p.line, outcome });
      deps.events.emit("command", { name, outcome });
    },
    say(p, text3) {
      if (text3) replies.push(deps.parsed.length > 1 ? `**${code(p.raw, 60)}**

${text3}` : text3);
    },
    react,
    post,
    async finish() {
      if (replies.length > 0) await post(replies.join("\n\n---\n\n"));
      const ok = reports.every((r) => r.outcome === "done" || r.outcome === "duplicate");
      await react(ok ? "rocket" : "confused");
    }
  };
}
var init_reply = __esm({
  "src/app/commands/reply.ts"() {
    "use strict";
    init_markdown();
    init_reactions();
  }
});

// src/core/incident/action-items.ts
function parseActionItems(markdown) {
  const items = [];
  let level = 0;
  let fence = null;
  markdown.split(/\r\n|\r|\n/).forEach((line, i) => {
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const depth2 = heading[1].length;
      if (/^action items?$/i.test(heading[2].replace(/[*_`]/g, "").trim())) level = depth2;
      else if (level > 0 && depth2 <= level) level = 0;
      return;
    }
    if (level === 0) return;
    const task = TASK.exec(line);
    if (!task || task[1] !== " ") return;
    const item = parseItem(task[2], i + 1);
    if (item) items.push(item);
  });
  return items;
}
function parseItem(body, line) {
  const ref = ISSUE_REF.exec(body);
  let issue2;
  let rest = body;
  if (ref) {
    issue2 = ref[1] !== void 0 ? Number(ref[1]) : ref[2];
    rest = body.slice(0, ref.index);
  } else {
    const url = ISSUE_URL.exec(body);
    if (url) issue2 = url[0];
  }
  const text3 = unescapeMarkdown(rest).trim();
  if (text3 === "") return null;
  return issue2 === void 0 ? { text: text3, line, linked: false } : { text: text3, line, issue: issue2, linked: true };
}
function unescapeMarkdown(text3) {
  return text3.replace(/\u200D/g, "").replace(/<br>/g, " ").replace(/\\([\\`*_{}[\]()#+\-!|~.>])/g, "$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
function actionItemKey(text3) {
  return text3.toLowerCase().replace(/\s+/g, " ").trim();
}
function renderActionItemIssue(text3, incident, label2 = ACTION_ITEM_LABEL) {
  const postmortem2 = safeUrl(incident.postmortemUrl);
  const body = [
    `Action item from the post-mortem of incident #${incident.number} (${escapeMarkdown(incident.title, 200)}).`,
    "",
    `> ${escapeMarkdown(text3, 1e3)}`,
    ...postmortem2 ? ["", `Post-mortem: [${escapeMarkdown(incident.title, 120)}](${postmortem2})`] : [],
    "",
    actionItemMarker(incident.number, text3)
  ].join("\n");
  return {
    title: oneLine(text3, 200) || `Action item from incident #${incident.number}`,
    body,
    labels: [label2]
  };
}
function actionItemMarker(incidentNumber, text3) {
  const key = Buffer.from(actionItemKey(text3), "utf8").toString("base64");
  return `<!-- aftershock:action-item ${incidentNumber} ${key} -->`;
}
var ACTION_ITEM_LABEL, HEADING, FENCE, TASK, ISSUE_REF, ISSUE_URL;
var init_action_items = __esm({
  "src/core/incident/action-items.ts"() {
    "use strict";
    init_markdown();
    ACTION_ITEM_LABEL = "action-item";
    HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
    FENCE = /^ {0,3}(`{3,}|~{3,})/;
    TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.*)$/;
    ISSUE_REF = /\s*\((?:#(\d+)|(https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+))\)\s*$/;
    ISSUE_URL = /https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+/;
  }
});

// src/github/action-item-issues.ts
async function listActionItemIssues(octokit, repo, label2 = ACTION_ITEM_LABEL) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    labels: label2,
    state: "all",
    per_page: 100
  });
  return data.filter((i) => !i.pull_request);
}
function findFiled(known, incidentNumber, text3) {
  const marker = actionItemMarker(incidentNumber, text3);
  return known.find((i) => (i.body ?? "").includes(marker));
}
async function fileActionItemIssue(octokit, repo, text3, incident, known, label2 = ACTION_ITEM_LABEL) {
  const found = findFiled(known, incident.number, text3);
  if (found) return { number: found.number, url: found.html_url, created: false };
  const issue2 = renderActionItemIssue(text3, incident, label2);
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...repo, ...issue2 });
  const created = data;
  return { number: created.number, url: created.html_url, created: true };
}
var init_action_item_issues = __esm({
  "src/github/action-item-issues.ts"() {
    "use strict";
    init_action_items();
  }
});

// src/app/commands/types.ts
function withEntry(state, entry2, ctx) {
  const timeline = [...state.record.timeline, { at: ctx.now.toISOString(), actor: ctx.actor, ...entry2 }];
  return { ...state, record: { ...state.record, timeline } };
}
var init_types = __esm({
  "src/app/commands/types.ts"() {
    "use strict";
  }
});

// src/app/commands/action-item.ts
async function actionItem(ctx, state, text3) {
  const known = await listActionItemIssues(ctx.octokit, ctx.repo);
  const filed = await fileActionItemIssue(
    ctx.octokit,
    ctx.repo,
    text3,
    {
      number: ctx.incident.number,
      title: ctx.incident.title,
      ...state.response.postmortem?.url ? { postmortemUrl: state.response.postmortem.url } : {}
    },
    known
  );
  const entry2 = withEntry(
    state,
    { kind: TIMELINE_KINDS.actionItem, text: `Action item #${filed.number}: ${text3}` },
    ctx
  );
  const key = actionItemKey(text3);
  const item = { text: text3, at: ctx.now.toISOString(), issue: filed.number };
  const actionItems2 = entry2.response.actionItems.some((i) => actionItemKey(i.text) === key) ? entry2.response.actionItems.map(
    (i) => actionItemKey(i.text) === key ? { ...i, issue: filed.number } : i
  ) : [...entry2.response.actionItems, item];
  return {
    outcome: "done",
    state: { ...entry2, response: { ...entry2.response, actionItems: actionItems2 } },
    reply: filed.created ? `\u{1F4CC} Filed #${filed.number}.` : `\u{1F4CC} Already filed as #${filed.number}.`
  };
}
var init_action_item = __esm({
  "src/app/commands/action-item.ts"() {
    "use strict";
    init_action_items();
    init_response_metrics();
    init_action_item_issues();
    init_types();
  }
});

// src/app/commands/assign.ts
async function assign(ctx, state, logins) {
  const { data } = await ctx.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
    ...ctx.repo,
    issue_number: ctx.incident.number,
    assignees: logins
  });
  const now = new Set((data.assignees ?? []).map((a) => a.login.toLowerCase()));
  const assigned = logins.filter((l) => now.has(l.toLowerCase()));
  const dropped = logins.filter((l) => !now.has(l.toLowerCase()));
  const refusal2 = dropped.length ? `GitHub did not assign ${dropped.map((l) => code(l, 40)).join(", ")}: only users with access to the repository can be assigned.` : void 0;
  if (assigned.length === 0)
    return { outcome: "failed", final: true, ...refusal2 ? { reply: refusal2 } : {} };
  const next = withEntry(
    state,
    { kind: TIMELINE_KINDS.assign, text: `Assigned ${assigned.join(", ")}` },
    ctx
  );
  return { outcome: "done", state: next, ...refusal2 ? { reply: refusal2 } : {} };
}
var init_assign = __esm({
  "src/app/commands/assign.ts"() {
    "use strict";
    init_markdown();
    init_response_metrics();
    init_types();
  }
});

// src/app/commands/incident-state.ts
function ack(ctx, state) {
  if (state.response.acknowledgedAt) {
    const next2 = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Also acknowledged" }, ctx);
    return { outcome: "done", state: next2 };
  }
  const at2 = ctx.now.toISOString();
  const acked = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Acknowledged" }, ctx);
  const next = { ...acked, response: { ...acked.response, acknowledgedAt: at2 } };
  const took = computeResponseMetrics(next.record, next.response).formatted.acknowledge;
  const reply = took ? `\u{1F440} Acknowledged ${took} after the incident opened.` : "\u{1F440} Acknowledged.";
  return { outcome: "done", state: next, reply };
}
function severity(ctx, state, level) {
  const previous = state.record.severity;
  if (previous === level) return { outcome: "done", reply: `The severity is already ${level}.` };
  const changed = withEntry(
    state,
    { kind: TIMELINE_KINDS.severity, text: `Severity changed from ${previous} to ${level}` },
    ctx
  );
  return {
    outcome: "done",
    state: { ...changed, record: { ...changed.record, severity: level } },
    reply: `Severity changed from ${previous} to **${level}**.`
  };
}
function note(ctx, state, text3) {
  return { outcome: "done", state: withEntry(state, { kind: TIMELINE_KINDS.note, text: text3 }, ctx) };
}
function resolve(ctx, state, summary3) {
  if (state.response.resolvedAt) {
    return {
      outcome: "done",
      reply: `This incident was already resolved at ${formatTime(state.response.resolvedAt)}.`
    };
  }
  const at2 = ctx.now.toISOString();
  const text3 = summary3 ? `Resolved: ${summary3}` : "Resolved";
  const entry2 = withEntry(state, { kind: TIMELINE_KINDS.incidentResolved, text: text3 }, ctx);
  const next = {
    record: { ...entry2.record, status: "resolved" },
    response: { ...entry2.response, resolvedAt: at2, ...summary3 ? { resolution: summary3 } : {} }
  };
  const f2 = computeResponseMetrics(next.record, next.response).formatted;
  const lines = [
    `\u2705 Resolved${summary3 ? `: ${escapeMarkdown(summary3, 300)}` : "."}`,
    "",
    `Time to acknowledge: ${f2.acknowledge ?? "not recorded"} \xB7 to mitigate: ${f2.mitigate ?? "not recorded"} \xB7 to resolve: ${f2.resolve ?? "not recorded"}.`,
    ...next.response.postmortem ? [] : ["", "`/postmortem` drafts the blameless post-mortem."]
  ];
  return { outcome: "done", state: next, reply: lines.join("\n"), close: true };
}
var init_incident_state = __esm({
  "src/app/commands/incident-state.ts"() {
    "use strict";
    init_markdown();
    init_response_metrics();
    init_types();
  }
});

// src/app/commands/incident-io.ts
function loaded(stored) {
  const { response, ...plain } = stored.record;
  return { ...stored, current: { record: plain, response: readResponseState({ response }) } };
}
async function readIncident2(store, number) {
  const stored = await store.read(number);
  return stored ? loaded(stored) : null;
}
function joinState(state) {
  return { ...state.record, response: state.response };
}
async function withIncident(deps, number, fn, known) {
  const first = known ?? await readIncident2(deps.store, number);
  if (!first) return null;
  return withIncidentLock(deps.lock, deps.store.lockKey(first.record.groupKey), async () => {
    const fresh = await readIncident2(deps.store, number);
    return fresh ? fn(fresh) : null;
  });
}
async function writeIncidentBody(store, number, state) {
  await store.write(number, { body: renderIncidentBody(joinState(state)) });
}
var init_incident_io = __esm({
  "src/app/commands/incident-io.ts"() {
    "use strict";
    init_render_incident();
    init_response_state();
    init_lock();
  }
});

// src/core/incident/postmortem.ts
function renderPostmortem(input) {
  const { record: record2, response } = input;
  const metrics = computeResponseMetrics(record2, response);
  const cause = rootCause(record2, response);
  const date = metrics.milestones.start.slice(0, 10);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : input.now.toISOString().slice(0, 10);
  const path = `${postmortemFolder(input.folder)}/${day}-${slugify(`${record2.name} ${record2.service}`)}-${input.incidentNumber}.md`;
  const title = oneLine(
    scrubMentions(`Post-mortem: ${record2.name}: ${record2.service} in ${record2.environment}`),
    200
  );
  const incidentUrl = `https://github.com/${encodeURIComponent(input.repo.owner)}/${encodeURIComponent(input.repo.repo)}/issues/${input.incidentNumber}`;
  const sections = [
    `# ${escapeMarkdown(title, 200)}`,
    header(input, incidentUrl, day),
    input.narrative ? "> [!NOTE]\n> Drafted for review: the summary and contributing factors below were drafted automatically from the incident data. Check them before merging." : "",
    section3(
      "Summary",
      input.narrative ? text2(input.narrative.summary, 3e3) : summary2(record2, metrics, cause)
    ),
    section3("Impact", impact(input, metrics)),
    section3("Response metrics", metricsTable(metrics)),
    section3("Timeline", renderTimeline(record2.timeline)),
    section3("Root cause", rootCauseSection(record2, cause)),
    section3(
      "Contributing factors",
      bullets(input.narrative ? input.narrative.factors.map((f2) => text2(f2, 500)) : factors(record2, cause))
    ),
    section3("What went well", bullets(wentWell(record2, response, metrics, cause))),
    section3("What could improve", bullets(couldImprove(record2, metrics, cause))),
    section3("Action items", actionItems(response)),
    "---\n<sub>Written by aftershock from the incident record. Blameless: this document is about systems and changes, not people.</sub>"
  ];
  return { path, title, markdown: sections.filter((s) => s !== "").join("\n\n") + "\n" };
}
function postmortemFolder(folder) {
  const parts = (folder ?? DEFAULT_POSTMORTEM_FOLDER).split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return DEFAULT_POSTMORTEM_FOLDER;
  if (parts.some((p) => p === ".." || !/^[A-Za-z0-9._-]+$/.test(p)))
    throw new Error(
      `postmortem folder "${folder}" is not a plain relative path: use letters, digits, ".", "_", "-" and "/" (e.g. docs/postmortems)`
    );
  return parts.join("/");
}
function slugify(input, maxLength = MAX_SLUG) {
  const slug = input.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const cut = slug.slice(0, maxLength).replace(/-+$/, "");
  return cut === "" ? "incident" : cut;
}
function rootCause(record2, response) {
  const named = response.rootCause?.pr;
  const confirmed = response.rootCause?.confirmed ?? false;
  if (named === void 0) {
    const top = record2.suspects[0];
    return top ? { suspect: top, confirmed } : { confirmed: false };
  }
  const suspect = record2.suspects.find((s) => s.number === named);
  return suspect ? { suspect, confirmed } : { pr: named, confirmed };
}
function text2(value, max = 300) {
  return escapeMarkdown(scrubMentions(value), max);
}
function section3(heading, body) {
  return `## ${heading}

${body}`;
}
function bullets(items) {
  return items.length === 0 ? "_Nothing recorded._" : items.map((i) => `- ${i}`).join("\n");
}
function prLink(suspect) {
  return link(scrubMentions(`#${suspect.number} ${suspect.title}`), suspect.url, 140);
}
function causeLabel(cause) {
  if (cause.suspect) return prLink(cause.suspect);
  if (cause.pr !== void 0) return `#${cause.pr}`;
  return null;
}
function header(input, incidentUrl, day) {
  const status = input.response.resolvedAt || input.record.status === "resolved" ? "resolved" : "ongoing";
  return [
    `**Incident:** [#${input.incidentNumber}](${incidentUrl}) \xB7 **Date:** ${day} \xB7 **Severity:** ${input.record.severity} \xB7 **Incident status:** ${status}`,
    `**Post-mortem status:** draft, written ${formatTime(input.now.toISOString())}`,
    "",
    "_This post-mortem is blameless: it describes what the systems and changes did and how the response went, not who did what._"
  ].join("\n");
}
function alertNames(record2) {
  return [...new Set(Object.values(record2.fingerprints).map((a) => a.alertname))].filter((n) => n !== "");
}
function summary2(record2, metrics, cause) {
  const { formatted, milestones } = metrics;
  const alerts = alertNames(record2).length;
  const how = record2.source === "deploy-check" ? "aftershock's deploy check" : `Alertmanager (${alerts} alert${alerts === 1 ? "" : "s"})`;
  const sentences = [
    `${text2(record2.name, 120)} (${record2.severity}) affected ${text2(record2.service, 80)} in ${text2(record2.environment, 80)}, starting ${formatTime(milestones.start)}.`,
    `It was detected by ${how} ${formatted.detect === "0s" ? "as it started" : `${formatted.detect} after it started`}.`
  ];
  if (formatted.acknowledge !== void 0)
    sentences.push(`A responder acknowledged it ${formatted.acknowledge} after detection.`);
  if (formatted.mitigate !== void 0)
    sentences.push(`The impact was mitigated ${formatted.mitigate} after the start${mitigationHow(record2)}.`);
  else sentences.push("No mitigation is recorded yet.");
  if (formatted.resolve !== void 0) sentences.push(`It was resolved after ${formatted.resolve}.`);
  const label2 = causeLabel(cause);
  if (label2) sentences.push(cause.confirmed ? `The cause was ${label2}.` : `The suspected cause is ${label2}.`);
  return sentences.join(" ");
}
function mitigationHow(record2) {
  const first = record2.timeline.filter((e) => MITIGATION_KINDS2.has(e.kind)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  if (!first) return "";
  if (first.kind === TIMELINE_KINDS.rollbackMerged) return " by merging a rollback";
  if (first.kind === TIMELINE_KINDS.redeploySucceeded) return " by a redeploy";
  return ", when the alerts stopped firing";
}
function impact(input, metrics) {
  const { record: record2 } = input;
  const m = metrics.milestones;
  const at2 = formatTime;
  const since = (iso4, d) => iso4 ? `${at2(iso4)}${d ? ` (+${d} after start)` : ""}` : "not recorded";
  const end = m.resolved ?? m.mitigated;
  const duration2 = end ? formatElapsed(between(m.start, end) ?? 0) : `ongoing (${formatElapsed(between(m.start, input.now.toISOString()) ?? 0)} so far)`;
  const alerts = alertNames(record2);
  const rows = [
    ["Started", at2(m.start)],
    ["Detected", since(m.detected, metrics.formatted.detect)],
    [
      "Acknowledged",
      m.acknowledged ? `${at2(m.acknowledged)} (+${metrics.formatted.acknowledge} after detection)` : "not recorded"
    ],
    ["Mitigated", since(m.mitigated, metrics.formatted.mitigate)],
    ["Resolved", since(m.resolved, metrics.formatted.resolve)],
    ["Duration of impact", duration2],
    ["Severity", record2.severity],
    ["Source", record2.source === "deploy-check" ? "failed deploy check" : "Alertmanager alert"],
    [
      "Alerts",
      alerts.length ? `${alerts.map((a) => text2(a, 80)).join(", ")} (${Object.keys(record2.fingerprints).length} firing series)` : "none"
    ],
    ["Service", text2(record2.service, 80)],
    ["Environment", text2(record2.environment, 80)],
    ["Deploys considered", String(record2.deploys.length)]
  ];
  const table = ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  const resolution = input.response.resolution ? `

**Resolution:** ${text2(input.response.resolution, 1e3)}` : "";
  return table.join("\n") + resolution;
}
function metricsTable(metrics) {
  const f2 = metrics.formatted;
  const na = "not recorded";
  return [
    "| Metric | Value | From \u2192 to |",
    "| --- | --- | --- |",
    `| Time to detect (MTTD) | ${f2.detect ?? na} | start \u2192 incident opened |`,
    `| Time to acknowledge (MTTA) | ${f2.acknowledge ?? na} | incident opened \u2192 acknowledged |`,
    `| Time to mitigate | ${f2.mitigate ?? na} | start \u2192 mitigated |`,
    `| Time to resolve (MTTR) | ${f2.resolve ?? na} | start \u2192 resolved |`
  ].join("\n");
}
function plainReason(reason) {
  return reason.replace(/\s*\(\+\d+(\.\d+)?\)\s*$/, "");
}
function rootCauseSection(record2, cause) {
  if (!cause.suspect && cause.pr === void 0)
    return "The cause is not known yet: no merged pull request was deployed in the lookback window. Add what the investigation found.";
  if (!cause.suspect) {
    const verb = cause.confirmed ? "The confirmed cause is" : "Responders suspect";
    return `${verb} #${cause.pr}, which aftershock did not rank among the suspects.`;
  }
  const s = cause.suspect;
  const deploy = record2.deploys.find((d) => String(d.id) === String(s.deploymentId));
  const shipped = deploy ? ` It shipped in deploy ${escapeMarkdown(String(deploy.id), 40)} (${code(deploy.sha.slice(0, 12), 12)}) to ${text2(deploy.environment, 60)} at ${formatTime(deploy.createdAt)}.` : "";
  const lead = cause.confirmed ? `**Confirmed:** the incident was caused by ${prLink(s)}.` : `**Suspected (not confirmed):** ${prLink(s)}, aftershock's top-ranked suspect (score ${s.score.toFixed(2)}). Confirm or correct this before the post-mortem is merged.`;
  const reasons = s.reasons.map((r) => `- ${text2(plainReason(r), 200)}`);
  return [lead + shipped, ...reasons.length ? ["", "Why it was suspected:", "", ...reasons] : []].join(
    "\n"
  );
}
function factors(record2, cause) {
  const out = [];
  for (const reason of cause.suspect?.reasons ?? []) {
    const r = plainReason(reason);
    if (/^deployed .* before the alert$/.test(r)) continue;
    if (r.startsWith("touches risky paths"))
      out.push(
        `The change touched risky paths (migrations, configuration or dependencies): ${text2(r.replace(/^touches risky paths:\s*/, ""), 200)}.`
      );
    else if (r.startsWith("large change") || r.startsWith("change size"))
      out.push(
        `Change size: ${text2(r.replace(/^(large change|change size):\s*/, ""), 120)}; larger changes are harder to review and to reason about when they fail.`
      );
    else if (r.startsWith("the deploy check failed"))
      out.push(`${text2(r.charAt(0).toUpperCase() + r.slice(1), 200)}, yet the change stayed live.`);
    else if (r.startsWith("touches paths of service"))
      out.push(
        `The change touched the alerting service's own paths (${text2(r.replace(/^touches paths of service .*?:\s*/, ""), 200)}).`
      );
    else out.push(text2(r, 200));
  }
  for (const warning of record2.warnings) out.push(`aftershock reported a problem: ${text2(warning, 300)}`);
  return out;
}
function wentWell(record2, response, metrics, cause) {
  const { ms, formatted } = metrics;
  const out = [];
  if (record2.source === "deploy-check")
    out.push("The deploy gate caught the regression right after the deploy, from the deploy's own metrics.");
  else if (cause.suspect?.reasons.some((r) => r.startsWith("the deploy check failed")))
    out.push("The deploy gate flagged the deploy that shipped the suspected change.");
  if (ms.detect !== void 0 && ms.detect <= LESSON_THRESHOLDS.fastDetect)
    out.push(`Fast detection: the incident opened ${formatted.detect} after the impact began.`);
  if (ms.acknowledge !== void 0 && ms.acknowledge <= LESSON_THRESHOLDS.fastAck)
    out.push(`A responder acknowledged within ${formatted.acknowledge}.`);
  if (record2.suspects.length > 0)
    out.push("aftershock named suspect pull requests when the incident opened.");
  const merged = response.rollbacks.filter((r) => r.state === "merged");
  if (merged.length > 0)
    out.push(`A rollback was available and merged (reverting ${merged.map((r) => `#${r.pr}`).join(", ")}).`);
  return out;
}
function couldImprove(record2, metrics, cause) {
  const { ms, formatted } = metrics;
  const out = [];
  if (ms.detect !== void 0 && ms.detect > LESSON_THRESHOLDS.slowDetect)
    out.push(
      `Detection took ${formatted.detect}: an alert or deploy-gate check closer to this symptom would catch it sooner.`
    );
  if (record2.source === "alert" && cause.suspect && !cause.suspect.reasons.some((r) => r.startsWith("the deploy check failed")))
    out.push("The deploy gate did not flag the suspected deploy: consider a gate check for this signal.");
  if (ms.acknowledge === void 0) out.push("No acknowledgement was recorded (`/ack`).");
  else if (ms.acknowledge > LESSON_THRESHOLDS.slowAck)
    out.push(
      `Acknowledgement took ${formatted.acknowledge}: check paging and on-call routing for this service.`
    );
  if (ms.mitigate === void 0) out.push("No mitigation was recorded.");
  else if (ms.mitigate > LESSON_THRESHOLDS.slowMitigate)
    out.push(
      `Mitigation took ${formatted.mitigate}: a faster rollback path (\`/rollback\`, \`/redeploy\`) would shorten the impact.`
    );
  if (record2.suspects.length === 0)
    out.push("No suspect pull request was found: check that deploys are recorded as GitHub deployments.");
  return out;
}
function actionItems(response) {
  if (response.actionItems.length === 0)
    return "_No action items recorded yet. Add them as task-list items in this section; aftershock files an issue for each one when this post-mortem is merged._";
  return response.actionItems.map((item) => `- [ ] ${text2(item.text, 1e3)}${item.issue !== void 0 ? ` (#${item.issue})` : ""}`).join("\n");
}
var DEFAULT_POSTMORTEM_FOLDER, MAX_SLUG, LESSON_THRESHOLDS, MITIGATION_KINDS2;
var init_postmortem = __esm({
  "src/core/incident/postmortem.ts"() {
    "use strict";
    init_markdown();
    init_response_metrics();
    DEFAULT_POSTMORTEM_FOLDER = "docs/postmortems";
    MAX_SLUG = 60;
    LESSON_THRESHOLDS = Object.freeze({
      fastDetect: 5 * 6e4,
      slowDetect: 15 * 6e4,
      fastAck: 15 * 6e4,
      slowAck: 30 * 6e4,
      slowMitigate: 60 * 6e4
    });
    MITIGATION_KINDS2 = /* @__PURE__ */ new Set([
      TIMELINE_KINDS.rollbackMerged,
      TIMELINE_KINDS.redeploySucceeded,
      TIMELINE_KINDS.groupResolved
    ]);
  }
});

// src/github/postmortem-pr.ts
function postmortemBranchName(incidentNumber) {
  return `${POSTMORTEM_BRANCH_PREFIX}${incidentNumber}`;
}
async function findOpenPull(gh, repo, branch) {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1
  });
  return data[0];
}
async function fileSha(gh, repo, path, branch) {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref: branch
    });
    const file = data;
    return !Array.isArray(data) && file.type === "file" && file.sha ? file.sha : null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
async function openPostmortemPr(octokit, repo, req) {
  const branch = postmortemBranchName(req.incidentNumber);
  const open = await findOpenPull(octokit, repo, branch);
  if (open) return { kind: "existing", number: open.number, url: open.html_url, branch };
  const { data: info } = await octokit.request("GET /repos/{owner}/{repo}", { ...repo });
  const base = info.default_branch;
  const { data: head } = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    ...repo,
    ref: `heads/${base}`
  });
  const baseSha = head.object.sha;
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: baseSha
    });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
  }
  const sha2 = await fileSha(octokit, repo, req.path, branch);
  await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
    ...repo,
    path: req.path,
    branch,
    message: `Post-mortem draft for incident #${req.incidentNumber}`,
    content: Buffer.from(req.markdown, "utf8").toString("base64"),
    ...sha2 ? { sha: sha2 } : {}
  });
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...repo,
      title: req.title,
      body: req.body,
      head: branch,
      base
    });
    const pull = data;
    return { kind: "opened", number: pull.number, url: pull.html_url, branch };
  } catch (error) {
    const raced = statusOf(error) === 422 ? await findOpenPull(octokit, repo, branch) : void 0;
    if (raced) return { kind: "existing", number: raced.number, url: raced.html_url, branch };
    throw error;
  }
}
async function readFileText(octokit, repo, path, ref) {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref
    });
    const file = data;
    if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") return null;
    return file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
var POSTMORTEM_BRANCH_PREFIX;
var init_postmortem_pr = __esm({
  "src/github/postmortem-pr.ts"() {
    "use strict";
    init_client();
    POSTMORTEM_BRANCH_PREFIX = "aftershock/postmortem-";
  }
});

// src/narrative/llm.ts
function narrativeSettingsFromEnv(env) {
  const url = env.LLM_API_URL?.trim();
  const model = env.LLM_MODEL?.trim();
  if (!url || !model) return null;
  const settings = { url, model };
  if (env.LLM_API_KEY) settings.apiKey = env.LLM_API_KEY;
  const timeout = Number(env.LLM_TIMEOUT_MS);
  if (env.LLM_TIMEOUT_MS && Number.isFinite(timeout) && timeout > 0) settings.timeoutMs = timeout;
  return settings;
}
function compactIncident(record2, metrics) {
  const response = readResponseState(record2);
  const t = (s, max = 300) => s === void 0 ? void 0 : scrubMentions(s).slice(0, max);
  return {
    name: t(record2.name, 200),
    severity: record2.severity,
    service: t(record2.service, 100),
    environment: t(record2.environment, 100),
    source: record2.source,
    status: record2.status,
    openedAt: record2.openedAt,
    alerts: Object.values(record2.fingerprints).slice(0, 20).map((a) => ({
      alertname: t(a.alertname, 100),
      status: a.status,
      summary: t(a.summary),
      startsAt: a.startsAt,
      endsAt: a.endsAt
    })),
    deploys: record2.deploys.slice(0, 10).map((d) => ({
      id: d.id,
      sha: d.sha.slice(0, 12),
      environment: d.environment,
      createdAt: d.createdAt,
      status: d.status
    })),
    suspects: record2.suspects.slice(0, 5).map((s) => ({
      pr: s.number,
      title: t(s.title, 200),
      score: s.score,
      reasons: s.reasons.slice(0, 8).map((r) => t(r, 200))
    })),
    timeline: record2.timeline.slice(-40).map((e) => ({
      at: e.at,
      by: actorRole(e.actor),
      kind: e.kind,
      text: t(e.text, 200)
    })),
    response: {
      acknowledgedAt: response.acknowledgedAt,
      mitigatedAt: response.mitigatedAt,
      resolvedAt: response.resolvedAt,
      resolution: t(response.resolution, 500),
      rootCause: response.rootCause,
      rollbacks: response.rollbacks.map((r) => ({ pr: r.pr, state: r.state, at: r.at })),
      actionItems: response.actionItems.slice(0, 10).map((a) => t(a.text, 200))
    },
    metrics: metrics ? { milestones: metrics.milestones, durations: metrics.formatted } : void 0
  };
}
async function draftNarrative(input, settings, fetchImpl = fetch, warn = (m) => console.warn(m)) {
  const fail = (why) => {
    const message = `aftershock: no drafted narrative (${why}); the post-mortem is written without one`;
    warn(settings.apiKey ? message.split(settings.apiKey).join("***") : message);
    return null;
  };
  let endpoint;
  try {
    endpoint = new URL(`${settings.url.replace(/\/+$/, "")}/chat/completions`).href;
  } catch {
    return fail("LLM_API_URL is not a URL");
  }
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const body = JSON.stringify({
    model: settings.model,
    temperature: 0.2,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: JSON.stringify(compactIncident(input.record, input.metrics)) }
    ]
  });
  const timeoutMs2 = settings.timeoutMs ?? DEFAULT_NARRATIVE_TIMEOUT_MS;
  let res;
  let text3;
  try {
    res = await fetchImpl(endpoint, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs2)
    });
    text3 = await res.text();
  } catch (err) {
    const e = err;
    if (e.name === "TimeoutError" || e.name === "AbortError") return fail(`no answer within ${timeoutMs2} ms`);
    const code2 = typeof e.cause?.code === "string" ? ` (${e.cause.code})` : "";
    return fail(`request failed: ${e.name}${code2}`);
  }
  if (!res.ok) return fail(`the endpoint answered HTTP ${res.status}`);
  const parsed = parseNarrative(text3);
  return parsed ?? fail("the answer was not the JSON asked for");
}
function parseNarrative(responseBody) {
  let content;
  try {
    const json = JSON.parse(responseBody);
    content = json.choices?.[0]?.message?.content;
  } catch {
    return null;
  }
  if (typeof content !== "string") return null;
  const unfenced = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let answer;
  try {
    answer = JSON.parse(unfenced);
  } catch {
    return null;
  }
  if (typeof answer !== "object" || answer === null) return null;
  const { summary: summary3, factors: factors2 } = answer;
  if (typeof summary3 !== "string" || summary3.trim() === "") return null;
  const list = Array.isArray(factors2) ? factors2.filter((f2) => typeof f2 === "string" && f2.trim() !== "").slice(0, MAX_FACTORS).map((f2) => f2.trim().slice(0, MAX_FACTOR)) : [];
  return { summary: summary3.trim().slice(0, MAX_SUMMARY2), factors: list, drafted: true };
}
var DEFAULT_NARRATIVE_TIMEOUT_MS, MAX_SUMMARY2, MAX_FACTORS, MAX_FACTOR, SYSTEM_PROMPT;
var init_llm = __esm({
  "src/narrative/llm.ts"() {
    "use strict";
    init_response_metrics();
    init_response_state();
    DEFAULT_NARRATIVE_TIMEOUT_MS = 15e3;
    MAX_SUMMARY2 = 3e3;
    MAX_FACTORS = 8;
    MAX_FACTOR = 400;
    SYSTEM_PROMPT = [
      "You write blameless incident post-mortems for software teams.",
      "From the incident data in the user message ONLY, write a short executive summary (3 to 5 sentences:",
      "what happened, the impact, how it was detected and mitigated) and the contributing factors.",
      "Do not invent facts, numbers, causes or people; if something is unknown, say it is unknown.",
      "Blameless: name systems, changes and pull requests by number, never people.",
      'Answer with a JSON object only: {"summary": string, "factors": [string, ...]}.'
    ].join(" ");
  }
});

// src/app/commands/postmortem.ts
async function postmortem(ctx, state) {
  const narrative = await narrativeFor(ctx, state);
  const rendered = renderPostmortem({
    record: state.record,
    response: state.response,
    repo: ctx.repo,
    incidentNumber: ctx.incident.number,
    now: ctx.now,
    folder: ctx.config.postmortems.folder,
    ...narrative ? { narrative } : {}
  });
  const pr = await openPostmortemPr(ctx.octokit, ctx.repo, {
    incidentNumber: ctx.incident.number,
    path: rendered.path,
    title: rendered.title,
    markdown: rendered.markdown,
    body: [
      `The blameless post-mortem draft of incident #${ctx.incident.number}.`,
      "",
      "Review it, fill in what the data cannot know, and list follow-ups as `- [ ]` items under **Action items**: when this PR is merged, aftershock files an issue for each open item."
    ].join("\n")
  });
  const path = state.response.postmortem?.path ?? rendered.path;
  const reply = pr.kind === "opened" ? `\u{1F4DD} Post-mortem draft: #${pr.number} (\`${path}\`).` : `\u{1F4DD} The post-mortem draft is already open: #${pr.number}.`;
  if (state.response.postmortem?.pr === pr.number) return { outcome: "done", reply };
  const entry2 = withEntry(
    state,
    { kind: TIMELINE_KINDS.postmortem, text: `Post-mortem draft opened in #${pr.number}` },
    ctx
  );
  const next = {
    ...entry2,
    response: { ...entry2.response, postmortem: { path, pr: pr.number, url: pr.url } }
  };
  return { outcome: "done", state: next, reply };
}
async function narrativeFor(ctx, state) {
  if (!ctx.narrative || state.response.postmortem?.pr !== void 0) return void 0;
  const record2 = joinState(state);
  const drafted = await draftNarrative(
    { record: record2, metrics: computeResponseMetrics(record2, state.response) },
    ctx.narrative,
    fetch,
    ctx.warn ?? (() => {
    })
  );
  return drafted ?? void 0;
}
var init_postmortem2 = __esm({
  "src/app/commands/postmortem.ts"() {
    "use strict";
    init_postmortem();
    init_response_metrics();
    init_postmortem_pr();
    init_llm();
    init_incident_io();
    init_types();
  }
});

// src/github/deployments.ts
async function findPreviousGoodDeployment(octokit, repo, environment, bad) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    ...repo,
    environment,
    per_page: 100
  });
  const before = bad.createdAt ? Date.parse(bad.createdAt) : Infinity;
  const candidates = data.filter((d) => String(d.id) !== String(bad.id ?? "") && d.sha !== bad.sha).filter((d) => Date.parse(d.created_at) < before).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)).slice(0, MAX_STATUS_LOOKUPS);
  for (const d of candidates) {
    const statuses = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      ...repo,
      deployment_id: d.id,
      per_page: 1
    });
    const latest = statuses.data[0];
    if (latest && GOOD_STATES.has(latest.state)) {
      return { id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at };
    }
  }
  return null;
}
async function createRedeployment(octokit, repo, req) {
  if (req.key) {
    const { data: recent } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      sha: req.ref,
      environment: req.environment,
      per_page: 30
    });
    const earlier = recent.find(
      (d) => d.payload?.aftershock?.key === req.key
    );
    if (earlier) return { id: earlier.id, sha: earlier.sha, ...earlier.url ? { url: earlier.url } : {} };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/deployments", {
    ...repo,
    ref: req.ref,
    environment: req.environment,
    auto_merge: false,
    required_contexts: [],
    payload: {
      aftershock: { incident: req.incidentNumber, reason: "rollback", ...req.key ? { key: req.key } : {} }
    },
    description: req.description.slice(0, 140)
  });
  const created = data;
  if (typeof created.id !== "number") {
    throw new Error(
      `GitHub did not create the deployment: ${created.message ?? "no deployment id returned"}`
    );
  }
  return { id: created.id, sha: created.sha ?? req.ref, ...created.url ? { url: created.url } : {} };
}
var GOOD_STATES, MAX_STATUS_LOOKUPS;
var init_deployments = __esm({
  "src/github/deployments.ts"() {
    "use strict";
    GOOD_STATES = /* @__PURE__ */ new Set(["success", "inactive"]);
    MAX_STATUS_LOOKUPS = 10;
  }
});

// src/app/commands/redeploy.ts
function badDeployment(record2) {
  const byId = (id2) => record2.deploys.find((d) => String(d.id) === String(id2));
  const top = record2.suspects[0];
  if (top) return byId(top.deploymentId) ?? { id: top.deploymentId };
  if (record2.source === "deploy-check" && record2.groupKey.startsWith("deploy:")) {
    const id2 = record2.groupKey.slice("deploy:".length);
    return byId(id2) ?? { id: id2 };
  }
  const newest = [...record2.deploys].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  return newest ?? null;
}
function previousFromRecord(record2, bad) {
  if (!bad.createdAt) return null;
  const before = Date.parse(bad.createdAt);
  return record2.deploys.filter((d) => d.environment === record2.environment && String(d.id) !== String(bad.id)).filter((d) => d.sha !== bad.sha && Date.parse(d.createdAt) < before).filter((d) => GOOD_STATES.has(d.status.toLowerCase())).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0] ?? null;
}
async function redeploy(ctx, state, target) {
  const { record: record2 } = state;
  let sha2;
  let why;
  if (target.kind === "sha") {
    sha2 = target.sha;
    why = `commit ${sha2.slice(0, 12)}`;
  } else {
    const bad = badDeployment(record2);
    if (!bad) {
      return {
        outcome: "failed",
        final: true,
        reply: `This incident knows no deployment of ${code(record2.environment, 60)} to go back from. Name a commit: \`/redeploy <sha>\`.`
      };
    }
    const good = previousFromRecord(record2, bad) ?? await findPreviousGoodDeployment(ctx.octokit, ctx.repo, record2.environment, bad);
    if (!good) {
      return {
        outcome: "failed",
        final: true,
        reply: `No successful deployment of ${code(record2.environment, 60)} before deployment ${code(String(bad.id ?? "?"), 40)} was found. Name a commit: \`/redeploy <sha>\`.`
      };
    }
    sha2 = good.sha;
    why = `the last good deployment (${good.id}) before deployment ${bad.id ?? "?"}`;
  }
  const created = await createRedeployment(ctx.octokit, ctx.repo, {
    ref: sha2,
    environment: record2.environment,
    incidentNumber: ctx.incident.number,
    description: `aftershock: redeploy for incident #${ctx.incident.number}`,
    ...ctx.commandKey ? { key: ctx.commandKey } : {}
  });
  const next = withEntry(
    state,
    {
      kind: TIMELINE_KINDS.redeployRequested,
      text: `Redeploy of ${sha2.slice(0, 12)} to ${record2.environment} requested (deployment ${created.id}, ${why})`
    },
    ctx
  );
  return {
    outcome: "done",
    state: next,
    reply: `\u{1F69A} Requested deployment ${created.id} of ${code(sha2.slice(0, 12), 12)} to ${code(record2.environment, 60)} (${why}). Your deploy workflow picks it up from the \`deployment\` event.`
  };
}
var init_redeploy = __esm({
  "src/app/commands/redeploy.ts"() {
    "use strict";
    init_markdown();
    init_response_metrics();
    init_deployments();
    init_types();
  }
});

// src/core/incident/three-way.ts
function splitLines(text3) {
  return text3 === "" ? [] : text3.split(/(?<=\n)/);
}
function diffRegions(a, b) {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n === 0 && m === 0) return [];
  const whole = [{ aStart: pre, aEnd: pre + n, bStart: pre, bEnd: pre + m }];
  if (n === 0 || m === 0) return whole;
  const max = Math.min(n + m, MAX_EDIT_STEPS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace2 = [];
  const goesDown = (get2, k, d) => k === -d || k !== d && get2(k - 1) < get2(k + 1);
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace2.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x2 = goesDown((i) => v[offset + i], k, d) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y2 = x2 - k;
      while (x2 < n && y2 < m && a[pre + x2] === b[pre + y2]) {
        x2++;
        y2++;
      }
      v[offset + k] = x2;
      if (x2 >= n && y2 >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return whole;
  const matches2 = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const prev = trace2[d];
    const get2 = (k2) => prev[k2 + d + 1];
    const k = x - y;
    const prevK = goesDown(get2, k, d) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : get2(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matches2.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  matches2.reverse();
  const regions = [];
  let ai = 0;
  let bi = 0;
  for (const [mx, my] of [...matches2, [n, m]]) {
    if (mx > ai || my > bi)
      regions.push({ aStart: pre + ai, aEnd: pre + mx, bStart: pre + bi, bEnd: pre + my });
    ai = mx + 1;
    bi = my + 1;
  }
  return regions;
}
function diffLines(base, other, ids) {
  const id2 = (line) => {
    let value = ids.get(line);
    if (value === void 0) {
      value = ids.size;
      ids.set(line, value);
    }
    return value;
  };
  return diffRegions(base.map(id2), other.map(id2)).map((r) => ({
    start: r.aStart,
    end: r.aEnd,
    lines: other.slice(r.bStart, r.bEnd)
  }));
}
function applyHunks(base, start, end, hunks) {
  const out = [];
  let at2 = start;
  for (const h of hunks) {
    out.push(...base.slice(at2, h.start), ...h.lines);
    at2 = h.end;
  }
  out.push(...base.slice(at2, end));
  return out;
}
function merge3(base, ours, theirs) {
  if (ours === theirs) return { clean: true, text: ours };
  if (base === ours) return { clean: true, text: theirs };
  if (base === theirs) return { clean: true, text: ours };
  const b = splitLines(base);
  const ids = /* @__PURE__ */ new Map();
  const tagged = [
    ...diffLines(b, splitLines(ours), ids).map((h) => ({ ...h, side: 0 })),
    ...diffLines(b, splitLines(theirs), ids).map((h) => ({ ...h, side: 1 }))
  ].sort((x, y) => x.start - y.start || x.end - y.end);
  const out = [];
  let conflicts = 0;
  let at2 = 0;
  let i = 0;
  while (i < tagged.length) {
    const first = tagged[i];
    const cluster = [first];
    let end = first.end;
    i++;
    while (i < tagged.length && tagged[i].start <= end) {
      cluster.push(tagged[i]);
      end = Math.max(end, tagged[i].end);
      i++;
    }
    const start = first.start;
    out.push(...b.slice(at2, start));
    const mine = cluster.filter((h) => h.side === 0);
    const yours = cluster.filter((h) => h.side === 1);
    const oursText = applyHunks(b, start, end, mine);
    if (yours.length === 0) out.push(...oursText);
    else if (mine.length === 0) out.push(...applyHunks(b, start, end, yours));
    else {
      const theirsText = applyHunks(b, start, end, yours);
      if (oursText.join("") === theirsText.join("")) out.push(...oursText);
      else conflicts++;
    }
    at2 = end;
  }
  out.push(...b.slice(at2));
  return conflicts > 0 ? { clean: false, conflicts } : { clean: true, text: out.join("") };
}
var MAX_EDIT_STEPS;
var init_three_way = __esm({
  "src/core/incident/three-way.ts"() {
    "use strict";
    MAX_EDIT_STEPS = 2e3;
  }
});

// src/github/revert/git-data.ts
async function get(gh, route, parameters) {
  return (await gh.request(route, parameters)).data;
}
async function readTree(gh, id2, treeish) {
  const data = await get(
    gh,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { ...id2, tree_sha: treeish, recursive: "1" }
  );
  if (data.truncated) {
    throw new Error(
      `The tree of ${treeish} in ${id2.owner}/${id2.repo} is too large for GitHub's API (over 100,000 entries); revert this pull request by hand with git.`
    );
  }
  const files = /* @__PURE__ */ new Map();
  for (const e of data.tree)
    if (e.type !== "tree") files.set(e.path, { mode: e.mode, type: e.type, sha: e.sha });
  return { treeSha: data.sha, files };
}
function pick(base, ours, theirs) {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  return null;
}
async function readText(gh, id2, sha2) {
  const data = await get(
    gh,
    "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    {
      ...id2,
      file_sha: sha2
    }
  );
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  if (bytes.subarray(0, BINARY_SNIFF).includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
async function planRevertTree(gh, id2, shas) {
  const [m, p, h] = await Promise.all([
    readTree(gh, id2, shas.merge),
    readTree(gh, id2, shas.parent),
    readTree(gh, id2, shas.head)
  ]);
  const changed = [.../* @__PURE__ */ new Set([...m.files.keys(), ...p.files.keys()])].filter((path) => !same(m.files.get(path), p.files.get(path))).sort();
  const entries = [];
  const conflicts = [];
  const toMerge = [];
  for (const path of changed) {
    const [base, ours, theirs] = [m.files.get(path), h.files.get(path), p.files.get(path)];
    if (same(ours, theirs)) continue;
    if (same(ours, base)) {
      if (theirs) entries.push({ path, mode: theirs.mode, type: entryType(theirs), sha: theirs.sha });
      else if (ours) entries.push({ path, mode: ours.mode, type: entryType(ours), sha: null });
      continue;
    }
    if (!base || !ours || !theirs || [base, ours, theirs].some((e) => e.type !== "blob")) {
      conflicts.push(path);
      continue;
    }
    const mode = pick(base.mode, ours.mode, theirs.mode);
    const sha2 = pick(base.sha, ours.sha, theirs.sha);
    if (mode === null) conflicts.push(path);
    else if (sha2 !== null) entries.push({ path, mode, type: "blob", sha: sha2 });
    else if (mode === SYMLINK || [base, ours, theirs].some((e) => e.mode === SYMLINK)) conflicts.push(path);
    else toMerge.push({ path, mode, base, ours, theirs });
  }
  const texts = /* @__PURE__ */ new Map();
  const text3 = (sha2) => {
    let t = texts.get(sha2);
    if (!t) texts.set(sha2, t = readText(gh, id2, sha2));
    return t;
  };
  const merged = await Promise.all(
    toMerge.map(async (f2) => {
      const [base, ours, theirs] = await Promise.all([
        text3(f2.base.sha),
        text3(f2.ours.sha),
        text3(f2.theirs.sha)
      ]);
      if (base === null || ours === null || theirs === null) return null;
      const result = merge3(base, ours, theirs);
      return result.clean ? result.text : null;
    })
  );
  toMerge.forEach((f2, i) => {
    const content = merged[i];
    if (content === null || content === void 0) conflicts.push(f2.path);
    else entries.push({ path: f2.path, mode: f2.mode, type: "blob", content });
  });
  return { baseTree: h.treeSha, entries, conflicts: conflicts.sort() };
}
function entryType(e) {
  return e.type === "commit" ? "commit" : "blob";
}
async function buildRevertCommit(gh, id2, opts) {
  const [merge, ref] = await Promise.all([
    get(
      gh,
      "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
      {
        ...id2,
        commit_sha: opts.mergeCommitSha
      }
    ),
    get(gh, "GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...id2,
      ref: `heads/${opts.baseRef}`
    })
  ]);
  const parent = merge.parents[0]?.sha;
  if (!parent)
    throw new Error(`Commit ${opts.mergeCommitSha} has no parent, so there is nothing to revert it to.`);
  const parentCount = merge.parents.length;
  const head = ref.object.sha;
  const plan = await planRevertTree(gh, id2, { merge: merge.tree.sha, parent, head });
  if (plan.conflicts.length > 0) return { kind: "conflict", files: plan.conflicts, parentCount };
  if (plan.entries.length === 0) {
    throw new Error(
      `The changes of commit ${opts.mergeCommitSha} are already undone on ${opts.baseRef}; there is nothing left to roll back.`
    );
  }
  const tree = await get(gh, "POST /repos/{owner}/{repo}/git/trees", {
    ...id2,
    base_tree: plan.baseTree,
    tree: plan.entries
  });
  const commit = await get(gh, "POST /repos/{owner}/{repo}/git/commits", {
    ...id2,
    message: opts.message,
    tree: tree.sha,
    parents: [head]
  });
  return { kind: "commit", sha: commit.sha, parentCount };
}
async function pointBranch(gh, id2, branch, sha2) {
  try {
    await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...id2, ref: `refs/heads/${branch}`, sha: sha2 });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      ...id2,
      ref: `heads/${branch}`,
      sha: sha2,
      force: true
    });
  }
}
var SYMLINK, BINARY_SNIFF, same;
var init_git_data = __esm({
  "src/github/revert/git-data.ts"() {
    "use strict";
    init_three_way();
    init_client();
    SYMLINK = "120000";
    BINARY_SNIFF = 8e3;
    same = (a, b) => a === b || a !== void 0 && b !== void 0 && a.mode === b.mode && a.sha === b.sha;
  }
});

// src/github/revert/text.ts
function revertTitle(s) {
  return `Revert "${oneLine(s.title, 200)}"`;
}
function revertCommitMessage(s) {
  return `${revertTitle(s)}

This reverts commit ${s.mergeCommitSha}.

Rollback for incident #${s.incidentNumber} (reverts #${s.pullNumber}).
`;
}
function revertBody(s) {
  return [
    `Rolls back #${s.pullNumber} for incident #${s.incidentNumber}.`,
    "",
    s.reason.trim(),
    "",
    "---",
    `This reverts commit ${s.mergeCommitSha}. Opened by aftershock (\`/rollback\`); merge it to undo the change, or close it to keep the change.`
  ].join("\n");
}
function shellWord(word) {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function conflictInstructions(s) {
  const mainline = s.parentCount > 1 ? "-m 1 " : "";
  const branch = shellWord(s.branch);
  const shown3 = s.files.slice(0, 50);
  const more2 = s.files.length - shown3.length;
  return [
    `Reverting #${s.pullNumber} automatically would conflict with later changes on ${code(s.baseRef)} in:`,
    "",
    ...shown3.map((f2) => `- ${code(f2, 300)}`),
    ...more2 > 0 ? [`- \u2026 and ${more2} more`] : [],
    "",
    "No branch or pull request was created. To revert by hand:",
    "",
    "~~~sh",
    `git fetch origin && git checkout -b ${branch} ${shellWord(`origin/${s.baseRef}`)} && git revert ${mainline}${s.mergeCommitSha}`,
    "# resolve the conflicts, then:",
    "git add -A && git revert --continue",
    `git push -u origin ${branch}`,
    "~~~",
    "",
    `Then open a pull request from ${code(s.branch)} into ${code(s.baseRef)} that mentions incident #${s.incidentNumber}.`
  ].join("\n");
}
var init_text = __esm({
  "src/github/revert/text.ts"() {
    "use strict";
    init_markdown();
  }
});

// src/github/revert.ts
function revertBranchName(pullNumber) {
  return `${REVERT_BRANCH_PREFIX}${pullNumber}`;
}
function githubRevertBranch(pullNumber, headRef) {
  return `revert-${pullNumber}-${headRef}`;
}
async function findOpenPull2(gh, id2, branch) {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...id2,
    head: `${id2.owner}:${branch}`,
    state: "open",
    per_page: 1
  });
  return data[0];
}
function worthFallback(error) {
  const status = statusOf(error);
  return status === void 0 || status < 500;
}
async function addLabels(gh, id2, number, labels2) {
  if (labels2.length === 0) return;
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    ...id2,
    issue_number: number,
    labels: labels2
  });
}
async function openRevertPr(octokit, req) {
  const id2 = { owner: req.owner, repo: req.repo };
  const branch = revertBranchName(req.pullNumber);
  const labels2 = req.labels ?? DEFAULT_LABELS;
  const ours = await findOpenPull2(octokit, id2, branch);
  if (ours) return existing(ours);
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...id2,
    pull_number: req.pullNumber
  });
  const pull = data;
  if (!pull.merged || !pull.merge_commit_sha) {
    const state = pull.state === "open" ? "still open" : "closed without merging";
    return {
      kind: "not-merged",
      message: `#${req.pullNumber} is ${state}, so there is nothing to roll back.`
    };
  }
  const theirs = await findOpenPull2(octokit, id2, githubRevertBranch(req.pullNumber, pull.head.ref));
  if (theirs) return existing(theirs);
  const subject = {
    pullNumber: req.pullNumber,
    incidentNumber: req.incidentNumber,
    title: pull.title,
    mergeCommitSha: pull.merge_commit_sha,
    reason: req.reason
  };
  const title = revertTitle(subject);
  const body = revertBody(subject);
  try {
    const result = await octokit.graphql(REVERT_MUTATION, {
      pullRequestId: pull.node_id,
      title,
      body,
      draft: req.draft
    });
    const opened = result.revertPullRequest?.revertPullRequest;
    if (opened) {
      await addLabels(octokit, id2, opened.number, labels2);
      return {
        kind: "opened",
        number: opened.number,
        url: opened.url,
        branch: opened.headRefName,
        method: "graphql"
      };
    }
  } catch (error) {
    if (!worthFallback(error)) throw error;
  }
  const commit = await buildRevertCommit(octokit, id2, {
    mergeCommitSha: pull.merge_commit_sha,
    baseRef: pull.base.ref,
    message: revertCommitMessage(subject)
  });
  if (commit.kind === "conflict") {
    const instructions = conflictInstructions({
      ...subject,
      branch,
      baseRef: pull.base.ref,
      parentCount: commit.parentCount,
      files: commit.files
    });
    return { kind: "conflict", files: commit.files, instructions };
  }
  await pointBranch(octokit, id2, branch, commit.sha);
  let created;
  try {
    const response = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...id2,
      title,
      body,
      head: branch,
      base: pull.base.ref,
      draft: req.draft
    });
    created = response.data;
  } catch (error) {
    const raced = statusOf(error) === 422 ? await findOpenPull2(octokit, id2, branch) : void 0;
    if (raced) return existing(raced);
    throw error;
  }
  await addLabels(octokit, id2, created.number, labels2);
  return { kind: "opened", number: created.number, url: created.html_url, branch, method: "git-data" };
}
var REVERT_BRANCH_PREFIX, ROLLBACK_LABEL, DEFAULT_LABELS, existing, REVERT_MUTATION;
var init_revert = __esm({
  "src/github/revert.ts"() {
    "use strict";
    init_client();
    init_git_data();
    init_text();
    REVERT_BRANCH_PREFIX = "aftershock/revert-";
    ROLLBACK_LABEL = "rollback";
    DEFAULT_LABELS = [ROLLBACK_LABEL];
    existing = (pull) => ({
      kind: "existing",
      number: pull.number,
      url: pull.html_url,
      branch: pull.head.ref
    });
    REVERT_MUTATION = `
mutation ($pullRequestId: ID!, $title: String!, $body: String!, $draft: Boolean!) {
  revertPullRequest(input: { pullRequestId: $pullRequestId, title: $title, body: $body, draft: $draft }) {
    revertPullRequest { number url headRefName }
  }
}`;
  }
});

// src/app/commands/rollback.ts
function rollbackReason(pr, suspect, how) {
  if (!suspect)
    return `Requested with ${how}. #${pr} is not among the suspects aftershock ranked for this incident.`;
  return [
    `Requested with ${how}. #${pr} is a suspect with score **${suspect.score.toFixed(2)}** because:`,
    "",
    ...suspect.reasons.map((r) => `- ${escapeMarkdown(r, 300)}`)
  ].join("\n");
}
async function rollback(ctx, state, requested, how = requested === void 0 ? "`/rollback`" : `\`/rollback #${requested}\``) {
  const emit = (outcome2) => ctx.events.emit("rollback", { outcome: outcome2 });
  const pr = requested ?? state.record.suspects[0]?.number;
  if (pr === void 0) {
    return {
      outcome: "failed",
      final: true,
      reply: "There is no suspect to roll back: no merged PR was ranked for this incident. Name one: `/rollback #42`."
    };
  }
  const suspect = state.record.suspects.find((s) => s.number === pr);
  let outcome;
  try {
    outcome = await openRevertPr(ctx.octokit, {
      ...ctx.repo,
      pullNumber: pr,
      incidentNumber: ctx.incident.number,
      reason: rollbackReason(pr, suspect, how),
      draft: ctx.config.rollback.draft
    });
  } catch (err) {
    emit("failed");
    throw err;
  }
  emit(outcome.kind);
  switch (outcome.kind) {
    case "opened":
    case "existing": {
      const known = state.response.rollbacks.some((r) => r.revertPr === outcome.number);
      const draft = outcome.kind === "opened" && ctx.config.rollback.draft ? "draft " : "";
      const reply = outcome.kind === "opened" ? `\u21A9\uFE0F Opened ${draft}revert PR #${outcome.number} for #${pr}. Merge it to roll back.` : `\u21A9\uFE0F A revert PR for #${pr} is already open: #${outcome.number}.`;
      if (known) return { outcome: "done", reply };
      const entry2 = withEntry(
        state,
        { kind: TIMELINE_KINDS.rollbackOpened, text: `Revert PR #${outcome.number} for #${pr} is open` },
        ctx
      );
      const rollbacks = [
        ...entry2.response.rollbacks,
        {
          pr,
          revertPr: outcome.number,
          url: outcome.url,
          state: "opened",
          at: ctx.now.toISOString()
        }
      ];
      return { outcome: "done", state: { ...entry2, response: { ...entry2.response, rollbacks } }, reply };
    }
    case "conflict": {
      const next = withEntry(
        state,
        {
          kind: "rollback.conflict",
          text: `Reverting #${pr} conflicts in ${outcome.files.length} file(s); revert by hand`
        },
        ctx
      );
      return { outcome: "failed", final: true, state: next, reply: outcome.instructions };
    }
    case "not-merged":
      return { outcome: "failed", final: true, reply: outcome.message };
  }
}
var init_rollback = __esm({
  "src/app/commands/rollback.ts"() {
    "use strict";
    init_markdown();
    init_response_metrics();
    init_revert();
    init_types();
  }
});

// src/app/commands/split.ts
async function split(ctx, state, index) {
  const at2 = ctx.now.toISOString();
  const out = splitOutRecord(state.record, index, ctx.incident, at2, ctx.actor);
  if (!out) {
    const count3 = state.record.related?.length ?? 0;
    return {
      outcome: "failed",
      final: true,
      reply: count3 === 0 ? "This incident has no related alert groups to split out." : `There is no related alert group ${index}: the "Related alerts" table numbers them 1 to ${count3}.`
    };
  }
  if (!ctx.incidents) throw new Error("no incident store to open the split-out incident with");
  const label2 = ctx.config.labels.incident;
  const existing2 = await ctx.incidents.find(label2, out.group.groupKey);
  let moved;
  if (existing2) moved = existing2;
  else {
    const created = await createIncident(ctx.incidents, out.record, ctx.config);
    if (created.outcome === "ignored") throw new Error(created.reason);
    moved = created;
    ctx.events.emit("incident.opened", {
      repo: ctx.repo,
      number: created.number,
      url: created.url,
      record: out.record,
      config: ctx.config,
      source: out.record.source,
      // Listeners (auto-rollback, the author note) reuse it instead of logging in again.
      octokit: ctx.octokit
    });
  }
  const record2 = withoutGroup(state.record, out.group.groupKey, moved, at2, ctx.actor);
  const resolvedNow = state.record.status === "firing" && record2.status === "resolved";
  return {
    outcome: "done",
    state: { ...state, record: record2 },
    reply: `Moved alert group ${escapeMarkdown(groupName(out.group), 200)} into #${moved.number}.`,
    ...resolvedNow && ctx.config.closeOnResolve ? { close: true } : {}
  };
}
var init_split = __esm({
  "src/app/commands/split.ts"() {
    "use strict";
    init_markdown();
    init_related_groups();
    init_write();
  }
});

// src/app/commands/suspects.ts
function correlationRequestOf(record2) {
  const starts = Object.values(record2.fingerprints).map((a) => a.startsAt).filter((s) => !Number.isNaN(Date.parse(s))).sort((a, b) => Date.parse(a) - Date.parse(b));
  const startsAt = starts[0] ?? record2.openedAt;
  const alert = {
    startsAt,
    labels: { alertname: record2.name, service: record2.service, environment: record2.environment }
  };
  const request = { alert, environment: record2.environment, until: new Date(startsAt) };
  if (record2.source === "deploy-check" && record2.groupKey.startsWith("deploy:")) {
    const id2 = record2.groupKey.slice("deploy:".length);
    const known = record2.deploys.find((d) => String(d.id) === id2);
    if (known) {
      const deployment = { ...known, checkFailed: true };
      request.deployment = deployment;
    }
  }
  return request;
}
async function suspects(ctx, state) {
  const started = performance.now();
  const found = await correlate(ctx.octokit, ctx.repo, correlationRequestOf(state.record), ctx.config);
  ctx.events.emit("correlation", { seconds: (performance.now() - started) / 1e3, requests: found.requests });
  if (found.warning) {
    return { outcome: "failed", reply: `\u26A0\uFE0F ${escapeMarkdown(found.warning, 400)}.` };
  }
  const ranked = withEntry(
    state,
    {
      kind: "suspects",
      text: found.suspects[0] ? `Suspects ranked again: top #${found.suspects[0].number} (${found.suspects[0].score.toFixed(2)})` : "Suspects ranked again: none"
    },
    ctx
  );
  const next = { ...ranked, record: { ...ranked.record, suspects: found.suspects, deploys: found.deploys } };
  if (found.suspects.length === 0) {
    return {
      outcome: "done",
      state: next,
      reply: "No merged pull request was deployed to this environment in the lookback window."
    };
  }
  const rows = found.suspects.slice(0, SHOWN).map((s, i) => {
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${link(`#${s.number} ${s.title}`, s.url, 120)} | ${s.score.toFixed(2)} | ${reasons} |`;
  });
  const reply = [
    `**Suspects, ranked again** (${found.suspects.length}):`,
    "",
    "| Rank | Pull request | Score | Why |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "`/rollback` reverts the top one; `/rollback #<n>` another."
  ].join("\n");
  return { outcome: "done", state: next, reply };
}
var SHOWN;
var init_suspects = __esm({
  "src/app/commands/suspects.ts"() {
    "use strict";
    init_markdown();
    init_correlate();
    init_types();
    SHOWN = 5;
  }
});

// src/app/commands/run.ts
async function runCommand(ctx, state, command) {
  switch (command.name) {
    case "ack":
      return ack(ctx, state);
    case "severity":
      return severity(ctx, state, command.severity);
    case "note":
      return note(ctx, state, command.text);
    case "resolve":
      return resolve(ctx, state, command.summary);
    case "assign":
      return assign(ctx, state, command.logins);
    case "rollback":
      return rollback(ctx, state, command.pr);
    case "redeploy":
      return redeploy(ctx, state, command.target);
    case "suspects":
      return suspects(ctx, state);
    case "postmortem":
      return postmortem(ctx, state);
    case "action-item":
      return actionItem(ctx, state, command.text);
    case "split":
      return split(ctx, state, command.group);
    case "help":
      return { outcome: "done", reply: HELP_TEXT };
  }
}
async function runEach(run, ctx, initial) {
  const { context, parsed, auth, out } = run;
  let state = initial;
  let changed = false;
  let close = false;
  for (const p of parsed) {
    if (auth.answered(p) || !p.ok) continue;
    const key = commandKey(context.payload.comment.id, p.line);
    if (isHandled(state.response, key)) {
      out.report(p, "duplicate");
      continue;
    }
    let result;
    try {
      result = await runCommand({ ...ctx, commandKey: key }, state, p.command);
    } catch (err) {
      context.log.warn({ err, command: p.command.name }, "a slash command failed");
      out.say(p, `\u274C ${code(p.raw, 80)} failed: ${escapeMarkdown(errorMessage(err), 300)}`);
      out.report(p, "failed");
      continue;
    }
    if (result.state && auth.writer) {
      state = result.state;
      changed = true;
    }
    if (auth.writer && (result.final ?? result.outcome === "done")) {
      state = { ...state, response: markHandled(state.response, key) };
      changed = true;
    }
    close ||= result.close === true;
    out.say(p, result.reply);
    out.report(p, result.outcome);
  }
  return { state, changed, close };
}
async function runAsReader(run, seen) {
  const { issue: issue2 } = run.context.payload;
  const { response, ...plain } = seen;
  const incident = { number: issue2.number, url: issue2.html_url, title: issue2.title };
  await runEach(run, run.contextFor(incident), { record: plain, response: readResponseState({ response }) });
}
async function runUnderLock(run, deps) {
  const { store, config } = deps;
  const number = run.context.payload.issue.number;
  return withIncidentLock(deps.lock, store.lockKey(deps.groupKey), async () => {
    const fresh = await readIncident2(store, number);
    if (!fresh) {
      for (const p of run.parsed) run.out.report(p, "ignored");
      return null;
    }
    const incident = { number: fresh.number, url: fresh.url, title: fresh.title };
    const { state, changed, close } = await runEach(run, run.contextFor(incident), fresh.current);
    if (!changed) return null;
    const after = joinState(state);
    await store.write(
      fresh.number,
      incidentWrite(fresh, after, config.labels, { retitleFrom: fresh.title, close })
    );
    return { before: fresh.record, after, number: fresh.number, url: fresh.url };
  });
}
var init_run = __esm({
  "src/app/commands/run.ts"() {
    "use strict";
    init_commands();
    init_response_state();
    init_markdown();
    init_errors();
    init_lock();
    init_write();
    init_action_item();
    init_assign();
    init_incident_state();
    init_incident_io();
    init_postmortem2();
    init_redeploy();
    init_rollback();
    init_split();
    init_suspects();
  }
});

// src/app/commands/dispatch.ts
async function onIssueComment(context, deps) {
  const parsed = commandsOf(context.payload);
  if (!parsed) return [];
  const { issue: issue2, repository: repository2 } = context.payload;
  const repo = { owner: repository2.owner.login, repo: repository2.name };
  const actor = context.payload.comment.user.login;
  const store = deps.incidents(context.octokit, repo);
  const out = commentReply(context, { events: deps.events, store, repo, parsed });
  const seen = await incidentOf(issue2, store);
  if (!seen) {
    await answerOutsideIncident(context, { repo, actor, parsed }, out);
    return out.reports;
  }
  await out.react("eyes");
  const auth = await authorize(context.octokit, { repo, actor, parsed }, out, deps.cooldowns);
  if (!auth.runnable) {
    for (const p of parsed) auth.answered(p);
    await out.finish();
    return out.reports;
  }
  const config = await loadConfig(context, repo, deps);
  const contextFor = (incident) => ({
    octokit: context.octokit,
    repo,
    incident,
    config,
    actor,
    now: deps.now(),
    events: deps.events,
    narrative: deps.narrative ?? null,
    warn: (message) => context.log.warn(message),
    incidents: store
  });
  const run = { context, parsed, auth, out, contextFor };
  if (!auth.writer) {
    await runAsReader(run, seen);
    await out.finish();
    return out.reports;
  }
  let written;
  try {
    written = await runUnderLock(run, { lock: deps.lock, store, config, groupKey: seen.groupKey });
  } catch (err) {
    if (err instanceof IncidentBusyError) {
      context.log.warn({ err, waiting: err.waiting }, "slash commands not run: the incident is busy");
      for (const p of parsed) {
        if (auth.answered(p) || !p.ok) continue;
        const busy2 = `the incident is busy (${err.waiting} updates were waiting for it)`;
        out.say(p, `\u23F3 ${code(p.raw, 80)} was not run: ${busy2}; post the command again in a minute.`);
        out.report(p, "failed");
      }
      await out.finish();
      return out.reports;
    }
    await out.react("confused");
    throw err;
  }
  if (written) emitIncidentEvents(deps.events, repo, config, written);
  await out.finish();
  return out.reports;
}
function commandsOf(payload) {
  const { comment: comment2 } = payload;
  const user2 = comment2.user;
  const viaApp = comment2.performed_via_github_app;
  if (!user2 || viaApp || isBot({ login: user2.login, type: user2.type })) return null;
  const parsed = parseCommands(comment2.body ?? "");
  return parsed.length === 0 ? null : parsed;
}
async function incidentOf(issue2, store) {
  const block = issue2.pull_request ? null : parseRecord(issue2.body);
  return block && await store.trusts(issue2.user) ? block : null;
}
async function answerOutsideIncident(context, who, out) {
  const help = who.parsed.filter((p) => p.ok && p.command.name === "help");
  const answer = help.length > 0 && canWrite(await getAccessLevel(context.octokit, who.repo, who.actor));
  for (const p of who.parsed) out.report(p, answer && help.includes(p) ? "done" : "ignored");
  if (answer) {
    await out.react("eyes");
    await out.post(HELP_TEXT);
    await out.react("rocket");
  }
}
async function loadConfig(context, repo, deps) {
  try {
    return (await deps.repoConfigs(context.octokit, repo)).config;
  } catch (err) {
    context.log.warn({ err }, ".github/aftershock.yml could not be read; commands use the defaults");
    return DEFAULT_REPO_CONFIG;
  }
}
function emitIncidentEvents(events, repo, config, w) {
  const event = { repo, number: w.number, url: w.url, record: w.after, config };
  if (w.after.severity !== w.before.severity)
    events.emit("incident.severity", { ...event, previous: w.before.severity });
  if (w.after.response?.resolvedAt && !w.before.response?.resolvedAt) events.emit("incident.resolved", event);
}
var init_dispatch = __esm({
  "src/app/commands/dispatch.ts"() {
    "use strict";
    init_commands();
    init_incident_record();
    init_repo_config();
    init_permissions();
    init_lock();
    init_authorize();
    init_markdown();
    init_permission();
    init_reply();
    init_run();
  }
});

// src/app/commands/auto-rollback.ts
function autoRollbackSkip(event) {
  const auto = event.config.rollback.auto;
  if (!auto.enabled) return "automatic rollback is off";
  if (SEVERITY_RANK[event.record.severity] > SEVERITY_RANK[auto.severity])
    return `severity ${event.record.severity} is below ${auto.severity}`;
  const top = event.record.suspects[0];
  if (!top) return "there is no suspect";
  const { value, what } = topLikelihood(top);
  if (value < auto.minScore) return `the top suspect's ${what} is ${value.toFixed(2)} < ${auto.minScore}`;
  return null;
}
function topLikelihood(top) {
  return top.confidence !== void 0 && Number.isFinite(top.confidence) ? { value: top.confidence, what: "confidence" } : { value: top.score, what: "score" };
}
async function octokitFor(app, event) {
  if (event.octokit) return event.octokit;
  return installationOctokit(app, event.repo);
}
async function autoRollback(app, deps, event) {
  if (autoRollbackSkip(event)) return false;
  const octokit = await octokitFor(app, event);
  const auto = event.config.rollback.auto;
  const store = deps.incidents(octokit, event.repo);
  const done = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh) => {
      if (fresh.current.response.rollbacks.length > 0) return false;
      const top = fresh.current.record.suspects[0];
      if (!top) return false;
      const ctx = {
        octokit,
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, title: fresh.title },
        config: event.config,
        actor: AUTO_ROLLBACK_ACTOR,
        now: deps.now(),
        events: deps.events
      };
      const how = `aftershock's automatic rollback (rollback.auto: severity ${auto.severity} or worse, ${topLikelihood(top).what} at least ${auto.minScore})`;
      const result = await rollback(ctx, fresh.current, top.number, how);
      if (result.state) await writeIncidentBody(store, event.number, result.state);
      if (result.reply) await store.comment(event.number, `\u{1F916} Automatic rollback: ${result.reply}`);
      return result.outcome === "done";
    },
    event
  );
  return done === true;
}
async function onIncidentOpenedAutoRollback(app, deps, event) {
  const skip = autoRollbackSkip(event);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no automatic rollback");
    return;
  }
  await autoRollback(app, deps, event);
}
var AUTO_ROLLBACK_ACTOR;
var init_auto_rollback = __esm({
  "src/app/commands/auto-rollback.ts"() {
    "use strict";
    init_incident_io();
    init_rollback();
    init_installation();
    init_severity();
    AUTO_ROLLBACK_ACTOR = "aftershock";
  }
});

// src/app/pull-request.ts
function fromSameRepository(pull) {
  const head = pull.head.repo?.id;
  return head !== void 0 && head === pull.base.repo?.id;
}
function isRollbackPull(pull) {
  return pull.head.ref.startsWith(REVERT_BRANCH_PREFIX) || pull.labels.some((l) => l.name === ROLLBACK_LABEL);
}
function postmortemIncident(headRef) {
  if (!headRef.startsWith(POSTMORTEM_BRANCH_PREFIX)) return null;
  const n = Number(headRef.slice(POSTMORTEM_BRANCH_PREFIX.length));
  return Number.isInteger(n) && n > 0 ? n : null;
}
function incidentCandidates(body) {
  const text3 = body ?? "";
  const named = [...text3.matchAll(/incident\s+#(\d+)/gi)].map((m) => Number(m[1]));
  const any = [...text3.matchAll(/(?<![\w/])#(\d+)\b/g)].map((m) => Number(m[1]));
  return [.../* @__PURE__ */ new Set([...named, ...any])].filter((n) => n > 0).slice(0, MAX_CANDIDATES);
}
function revertedPull(pull) {
  const body = pull.body ?? "";
  const match = /rolls back #(\d+)/i.exec(body) ?? /^Reverts [\w.-]+\/[\w.-]+#(\d+)/m.exec(body) ?? /^aftershock\/revert-(\d+)$/.exec(pull.head.ref) ?? /^revert-(\d+)-/.exec(pull.head.ref);
  const n = Number(match?.[1]);
  return Number.isInteger(n) && n > 0 ? n : void 0;
}
async function onPullRequestClosed(context, deps) {
  const pull = context.payload.pull_request;
  if (!pull.merged) return { kind: "ignored", reason: "closed without merging" };
  const repository2 = context.payload.repository;
  const repo = { owner: repository2.owner.login, repo: repository2.name };
  const actor = pull.merged_by?.login ?? context.payload.sender.login;
  if (!fromSameRepository(pull))
    return { kind: "ignored", reason: "the PR's branch is not in this repository" };
  const postmortemOf = postmortemIncident(pull.head.ref);
  if (postmortemOf !== null) return postmortemMerged(context, deps, repo, pull, postmortemOf, actor);
  if (isRollbackPull(pull)) return rollbackMerged(context, deps, repo, pull, actor);
  return { kind: "ignored", reason: "not a rollback or post-mortem PR" };
}
async function rollbackMerged(context, deps, repo, pull, actor) {
  const octokit = context.octokit;
  for (const number of incidentCandidates(pull.body)) {
    const incident = await readIncident2(deps.incidents(octokit, repo), number);
    if (incident) return recordRollbackMerge(context, deps, repo, pull, actor, number, incident);
  }
  const config = await deps.repoConfigs(octokit, repo);
  const open = await deps.incidents(octokit, repo).list(config.config.labels.incident);
  const reverted = revertedPull(pull);
  const owner = open.find(
    (i) => readResponseState(i.record).rollbacks.some(
      (r) => r.revertPr === pull.number || reverted !== void 0 && r.pr === reverted
    )
  );
  if (owner) return recordRollbackMerge(context, deps, repo, pull, actor, owner.number);
  return { kind: "ignored", reason: "the rollback PR names no incident issue" };
}
async function recordRollbackMerge(context, deps, repo, pull, actor, number, known) {
  const store = deps.incidents(context.octokit, repo);
  const changed = await withIncident(
    { lock: deps.lock, store },
    number,
    async (fresh) => {
      if (isHandled(fresh.current.response, mergeKey(pull))) return false;
      const at2 = pull.merged_at ?? deps.now().toISOString();
      const reverted = revertedPull(pull);
      const ctx = { actor, now: new Date(at2) };
      const text3 = `Revert PR #${pull.number}${reverted ? ` (rolls back #${reverted})` : ""} merged`;
      const entry2 = withEntry(fresh.current, { kind: TIMELINE_KINDS.rollbackMerged, text: text3 }, ctx);
      const known2 = entry2.response.rollbacks.some((r) => r.revertPr === pull.number);
      const rollbacks = known2 ? entry2.response.rollbacks.map(
        (r) => r.revertPr === pull.number ? { ...r, state: "merged" } : r
      ) : [
        ...entry2.response.rollbacks,
        {
          pr: reverted ?? pull.number,
          revertPr: pull.number,
          url: pull.html_url,
          state: "merged",
          at: at2
        }
      ];
      const next = {
        ...entry2,
        response: markHandled(
          { ...entry2.response, rollbacks, mitigatedAt: entry2.response.mitigatedAt ?? at2 },
          mergeKey(pull)
        )
      };
      await writeIncidentBody(store, number, next);
      return true;
    },
    known
  );
  if (changed === null) return { kind: "ignored", reason: `#${number} is no longer an incident` };
  return { kind: "rollback", incident: number, changed };
}
async function postmortemMerged(context, deps, repo, pull, number, actor) {
  const octokit = context.octokit;
  const store = deps.incidents(octokit, repo);
  const result = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    const state = fresh.current;
    if (isHandled(state.response, mergeKey(pull))) return { filed: [], changed: false };
    const ref = pull.merge_commit_sha ?? pull.base.ref;
    let path = state.response.postmortem?.path ?? null;
    let text3 = path ? await readFileText(octokit, repo, path, ref) : null;
    if (text3 === null) {
      path = await addedMarkdown(context, repo, pull.number);
      text3 = path ? await readFileText(octokit, repo, path, ref) : null;
    }
    const items = text3 ? parseActionItems(text3).filter((i) => !i.linked) : [];
    const filed = [];
    let actionItems2 = state.response.actionItems;
    if (items.length > 0) {
      const known = await listActionItemIssues(octokit, repo);
      const incident = { number, title: fresh.title, postmortemUrl: pull.html_url };
      for (const item of items) {
        const issue2 = await fileActionItemIssue(octokit, repo, item.text, incident, known);
        if (issue2.created) filed.push(issue2.number);
        const key = actionItemKey(item.text);
        actionItems2 = actionItems2.some((a) => actionItemKey(a.text) === key) ? actionItems2.map((a) => actionItemKey(a.text) === key ? { ...a, issue: issue2.number } : a) : [...actionItems2, { text: item.text, at: deps.now().toISOString(), issue: issue2.number }];
      }
    }
    const summary3 = filed.length ? `Post-mortem #${pull.number} merged; action items filed: ${filed.map((n) => `#${n}`).join(", ")}` : `Post-mortem #${pull.number} merged`;
    const entry2 = withEntry(
      state,
      { kind: TIMELINE_KINDS.postmortem, text: summary3 },
      { actor, now: deps.now() }
    );
    const postmortem2 = {
      ...state.response.postmortem ?? {},
      path: path ?? state.response.postmortem?.path ?? "",
      pr: pull.number,
      url: pull.html_url
    };
    const next = {
      ...entry2,
      response: markHandled({ ...entry2.response, actionItems: actionItems2, postmortem: postmortem2 }, mergeKey(pull))
    };
    await writeIncidentBody(store, number, next);
    return { filed, changed: true };
  });
  if (!result) return { kind: "ignored", reason: `#${number} is not an incident` };
  return { kind: "postmortem", incident: number, ...result };
}
async function addedMarkdown(context, repo, pullNumber) {
  const { data } = await context.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...repo,
    pull_number: pullNumber,
    per_page: 100
  });
  return data.find((f2) => f2.status === "added" && f2.filename.endsWith(".md"))?.filename ?? null;
}
var MAX_CANDIDATES, mergeKey;
var init_pull_request = __esm({
  "src/app/pull-request.ts"() {
    "use strict";
    init_action_items();
    init_response_metrics();
    init_response_state();
    init_action_item_issues();
    init_postmortem_pr();
    init_incident_io();
    init_types();
    init_revert();
    MAX_CANDIDATES = 5;
    mergeKey = (pull) => `pull:${pull.number}:merged`;
  }
});

// src/app/redeploy-status.ts
function redeployIncident(payload) {
  if (!payload || typeof payload !== "object") return null;
  const ours = payload.aftershock;
  const n = ours?.incident;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
}
async function onRedeployStatus(context, deps) {
  const { deployment, deployment_status: status, repository: repository2 } = context.payload;
  const number = redeployIncident(deployment.payload);
  if (number === null || !FINAL_STATES.has(status.state)) return null;
  const creator = deployment.creator;
  if (!creator || !isBot({ login: creator.login, type: creator.type })) return null;
  const repo = { owner: repository2.owner.login, repo: repository2.name };
  const key = `deployment:${deployment.id}:${status.state}`;
  const store = deps.incidents(context.octokit, repo);
  if (!await store.trusts(creator)) return null;
  const changed = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    if (isHandled(fresh.current.response, key)) return false;
    const ok = status.state === "success";
    const at2 = status.created_at;
    const text3 = `Redeploy ${deployment.id} of ${deployment.sha.slice(0, 12)} to ${deployment.environment} ${ok ? "succeeded" : `reported ${status.state}`}`;
    const entry2 = withEntry(
      fresh.current,
      { kind: ok ? TIMELINE_KINDS.redeploySucceeded : "redeploy.failed", text: text3 },
      { actor: status.creator?.login ?? context.payload.sender.login, now: new Date(at2) }
    );
    const response = {
      ...entry2.response,
      ...ok && !entry2.response.mitigatedAt ? { mitigatedAt: at2 } : {}
    };
    await writeIncidentBody(store, number, {
      ...entry2,
      response: markHandled(response, key)
    });
    return true;
  });
  return changed ?? false;
}
var FINAL_STATES;
var init_redeploy_status = __esm({
  "src/app/redeploy-status.ts"() {
    "use strict";
    init_response_metrics();
    init_response_state();
    init_incident_io();
    init_permission();
    init_types();
    FINAL_STATES = /* @__PURE__ */ new Set(["success", "failure", "error"]);
  }
});

// src/core/incident/render-author-note.ts
function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, "").toLowerCase();
}
function authorNoteMarker(repo, incident) {
  return `<!-- aftershock:author-note incident=${safeName(repo.owner)}/${safeName(repo.repo)}#${incident} -->`;
}
function hasAuthorNoteMarker(body, repo, incident) {
  return (body ?? "").toLowerCase().includes(authorNoteMarker(repo, incident));
}
function renderAuthorNote(input) {
  const { incident, suspect } = input;
  const { severity: severity2, name, service, environment } = incident.record;
  const title = `#${incident.number} [${severity2}] ${name}: ${service} in ${environment}`;
  const chance = suspect.confidence === void 0 ? "" : ` (**${percent(suspect.confidence)} likely**)`;
  const reasons = suspect.reasons.slice(0, MAX_REASONS2).map((r) => `- ${escapeMarkdown(r, MAX_REASON_LENGTH)}`);
  return [
    authorNoteMarker(input.repo, incident.number),
    `\u{1F44B} An incident opened after this pull request was deployed: ${link(title, incident.url, 160)}.`,
    "",
    `aftershock ranks ${escapeMarkdown(`#${suspect.number} ${suspect.title}`, 120)} as its most likely cause${chance}, because:`,
    "",
    ...reasons.length > 0 ? reasons : ["- (the ranker gave no reasons)"],
    "",
    `This is an estimate from what was deployed and what it changed, not a verdict, and nobody is being blamed. You know this change best, so a look from you is the fastest way to confirm or rule it out: if it is the cause, \`/rollback #${suspect.number}\` in the incident opens a revert PR; if it is not, please say so there.`
  ].join("\n");
}
var MAX_REASONS2, MAX_REASON_LENGTH;
var init_render_author_note = __esm({
  "src/core/incident/render-author-note.ts"() {
    "use strict";
    init_markdown();
    init_render_incident();
    MAX_REASONS2 = 5;
    MAX_REASON_LENGTH = 200;
  }
});

// src/app/pipeline/author-note.ts
function authorNoteSkip(record2, config) {
  const { enabled, minConfidence } = config.authorNote;
  if (!enabled) return "author notes are off";
  const top = record2.suspects[0];
  if (!top) return "there is no suspect";
  if (top.confidence === void 0 || !Number.isFinite(top.confidence))
    return "the top suspect has no confidence";
  if (top.confidence < minConfidence)
    return `the top suspect's confidence ${top.confidence.toFixed(2)} < ${minConfidence}`;
  return null;
}
async function noteTopSuspect(octokit, deps, event) {
  if (authorNoteSkip(event.record, event.config)) return "skipped";
  const store = deps.incidents(octokit, event.repo);
  const outcome = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh) => {
      const record2 = fresh.record;
      if (authorNoteSkip(record2, event.config)) return "skipped";
      const top = record2.suspects[0];
      const bot = (await deps.botLogin()).toLowerCase();
      const since = new Date(Date.parse(record2.openedAt) - SINCE_SLACK_MS);
      if (await hasOwnNote(octokit, event.repo, top.number, event.number, bot, since)) return "exists";
      const body = renderAuthorNote({
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, record: record2 },
        suspect: top
      });
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...event.repo,
        issue_number: top.number,
        body
      });
      return "posted";
    },
    event
  );
  return outcome ?? "skipped";
}
async function hasOwnNote(octokit, repo, pr, incident, bot, since) {
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: pr,
      since: Number.isNaN(since.getTime()) ? void 0 : since.toISOString(),
      per_page: 100,
      page
    });
    const mine = (c) => c.user?.login?.toLowerCase() === bot && (c.user.type === void 0 || c.user.type === "Bot");
    if (data.some((c) => mine(c) && hasAuthorNoteMarker(c.body, repo, incident))) return true;
    if (data.length < 100) return false;
  }
  return true;
}
async function onIncidentOpenedAuthorNote(app, deps, event) {
  const skip = authorNoteSkip(event.record, event.config);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no author note");
    return;
  }
  const octokit = await octokitFor(app, event);
  const outcome = await noteTopSuspect(
    octokit,
    { lock: deps.lock, incidents: deps.incidents, botLogin: deps.botLogin },
    event
  );
  app.log.info(
    { incident: event.number, pr: event.record.suspects[0]?.number, outcome },
    "author note on the top suspect"
  );
}
var MAX_COMMENT_PAGES, SINCE_SLACK_MS;
var init_author_note = __esm({
  "src/app/pipeline/author-note.ts"() {
    "use strict";
    init_render_author_note();
    init_auto_rollback();
    init_incident_io();
    MAX_COMMENT_PAGES = 5;
    SINCE_SLACK_MS = 10 * 6e4;
  }
});

// src/app/identity.ts
function appSlugOf(app, settings) {
  let slug = settings.appSlug ? Promise.resolve(settings.appSlug) : null;
  return () => {
    slug ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      const found = data?.slug;
      if (!found) throw new Error("GET /app gave no slug");
      return found;
    })().catch((err) => {
      slug = null;
      throw err;
    });
    return slug;
  };
}
function appIncidentStores(appSlug, settings) {
  const rule = onlyAuthors(async () => [`${await appSlug()}[bot]`, ...settings.trustedAuthors ?? []]);
  return (client, repo) => new IncidentStore(client, repo, rule);
}
var init_identity = __esm({
  "src/app/identity.ts"() {
    "use strict";
    init_incidents();
  }
});

// src/app/commands/cooldown.ts
var Cooldowns;
var init_cooldown = __esm({
  "src/app/commands/cooldown.ts"() {
    "use strict";
    Cooldowns = class {
      constructor(periodMs = 6e4, now = Date.now, maxEntries = 1e4) {
        this.periodMs = periodMs;
        this.now = now;
        this.maxEntries = maxEntries;
      }
      periodMs;
      now;
      maxEntries;
      #until = /* @__PURE__ */ new Map();
      /** 0 and the period starts when `user` may run now; else the whole seconds left to wait. */
      take(repo, user2) {
        const key = `${repo.owner}/${repo.repo}#${user2}`.toLowerCase();
        const now = this.now();
        const until = this.#until.get(key) ?? 0;
        if (until > now) return Math.ceil((until - now) / 1e3);
        if (this.#until.size >= this.maxEntries) this.#until.delete(this.#until.keys().next().value);
        this.#until.delete(key);
        this.#until.set(key, now + this.periodMs);
        return 0;
      }
    };
  }
});

// src/app/settings.ts
function readSettings(env = process.env) {
  const max = env.ALERTMANAGER_MAX_BODY_BYTES;
  const maxBodyBytes = max === void 0 || max.trim() === "" ? DEFAULT_MAX_BODY_BYTES : Number(max);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`ALERTMANAGER_MAX_BODY_BYTES must be a positive whole number of bytes, got "${max}"`);
  }
  const token = env.ALERTMANAGER_TOKEN?.trim();
  const tokens = parseJson2(env, "ALERTMANAGER_TOKENS");
  if (tokens !== void 0 && !Array.isArray(tokens))
    throw new Error('ALERTMANAGER_TOKENS must be a JSON list of {"token": "\u2026", "scope": ["owner/name"]}');
  const alertmanagerTokens = (tokens ?? []).map((entry2, i) => {
    const { token: value, scope } = entry2 ?? {};
    if (typeof value !== "string" || value.trim() === "")
      throw new Error(`ALERTMANAGER_TOKENS[${i}].token must be a non-empty string`);
    return { token: value.trim(), scope: checkScope(scope, `ALERTMANAGER_TOKENS[${i}].scope`) };
  });
  const scopes = parseJson2(env, "AFTERSHOCK_NOTIFY_SCOPES");
  if (scopes !== void 0 && (scopes === null || typeof scopes !== "object" || Array.isArray(scopes)))
    throw new Error(
      'AFTERSHOCK_NOTIFY_SCOPES must be a JSON object like {"SLACK_WEBHOOK_TEAM_A": ["acme/*"]}'
    );
  const notifyScopes = scopes === void 0 ? void 0 : Object.fromEntries(
    Object.entries(scopes).map(([name, scope]) => [
      name,
      checkScope(scope, `AFTERSHOCK_NOTIFY_SCOPES.${name}`)
    ])
  );
  return {
    alertmanagerToken: token ? token : void 0,
    allowUnauthenticated: env.ALERTMANAGER_ALLOW_UNAUTHENTICATED?.trim().toLowerCase() === "true",
    maxBodyBytes,
    ...env.ALERTMANAGER_BODY_TIMEOUT_MS?.trim() ? { bodyTimeoutMs: positive2(env.ALERTMANAGER_BODY_TIMEOUT_MS, "ALERTMANAGER_BODY_TIMEOUT_MS") } : {},
    repositoryLabel: env.ALERTMANAGER_REPOSITORY_LABEL?.trim() || "repository",
    metricsToken: env.METRICS_TOKEN?.trim() || void 0,
    appSlug: env.APP_SLUG?.trim() || void 0,
    ...alertmanagerTokens.length ? { alertmanagerTokens } : {},
    ...notifyScopes ? { notifyScopes } : {},
    trustedAuthors: (env.AFTERSHOCK_TRUSTED_AUTHORS ?? "").split(",").map((l) => l.trim()).filter((l) => l !== "")
  };
}
function parseJson2(env, name) {
  const text3 = env[name]?.trim();
  if (!text3) return void 0;
  try {
    return JSON.parse(text3);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}
function positive2(text3, name) {
  const value = Number(text3.trim());
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}
var DEFAULT_MAX_BODY_BYTES;
var init_settings2 = __esm({
  "src/app/settings.ts"() {
    "use strict";
    init_repo_scope();
    DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  }
});

// src/notify/http.ts
async function postJson(url, body, options) {
  const { target } = options;
  if (!isHttpUrl(url)) {
    return { ok: false, attempts: 0, error: `${target} URL is not a valid http(s) URL` };
  }
  const timeoutMs2 = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let attempts = 0;
  try {
    const client = new HttpClient({
      vendor: target,
      timeoutMs: timeoutMs2,
      retries: options.retries ?? 1,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      // The whole backoff, no jitter: one retry, soon, and never later than maxBackoffMs.
      random: () => 1,
      maxBackoffMs,
      maxRetryAfterMs: maxBackoffMs,
      // The body is only drained (so the connection is released), never used.
      readBody: false,
      // Every network error gets its one retry, as it always has (a DNS blip is not a wrong URL here).
      retryUnreachable: true,
      fetch: (input, init) => {
        attempts++;
        return doFetch(input, init);
      }
    });
    const request = {
      method: "POST",
      url: new URL(url),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    };
    const status = await client.send(request, (answer) => {
      if (answer.status >= 200 && answer.status < 300) return answer.status;
      throw new VendorError(`${target} answered ${answer.status}`, answer.status, {
        retryable: answer.status === 429 || answer.status >= 500
      });
    });
    return { ok: true, status, attempts };
  } catch (err) {
    if (err instanceof VendorError) {
      return { ok: false, status: err.status, attempts, error: `${target} answered ${err.status}` };
    }
    if (err instanceof SourceTimeoutError) {
      return { ok: false, attempts, error: `${target}: timed out after ${timeoutMs2} ms` };
    }
    const cause = err instanceof SourceNetworkError ? err.cause : err;
    return { ok: false, attempts, error: `${target}: ${describeFetchError(cause)}` };
  }
}
function describeFetchError(err) {
  const e = err;
  const code2 = typeof e?.cause?.code === "string" ? e.cause.code : void 0;
  return code2 ? `network error (${code2})` : "network error";
}
var DEFAULT_TIMEOUT_MS, DEFAULT_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS;
var init_http3 = __esm({
  "src/notify/http.ts"() {
    "use strict";
    init_urls();
    init_http();
    DEFAULT_TIMEOUT_MS = 5e3;
    DEFAULT_BACKOFF_MS = 500;
    DEFAULT_MAX_BACKOFF_MS = 5e3;
  }
});

// src/notify/pagerduty.ts
import { createHash as createHash4 } from "node:crypto";
function pagerDutySeverity(severity2) {
  return SEVERITY[severity2];
}
function dedupKey(groupKey) {
  if (groupKey.length <= DEDUP_KEY_MAX) return groupKey;
  return `aftershock:${createHash4("sha256").update(groupKey).digest("hex")}`;
}
function httpLink(href, text3) {
  return href && isHttpUrl(href) ? [{ href, text: truncate(text3, 200) }] : [];
}
function alertEvent(notice, routingKey) {
  const { repo, number, url, record: record2 } = notice.event;
  const repoName = `${repo.owner}/${repo.repo}`;
  const base = { routing_key: routingKey, dedup_key: dedupKey(record2.groupKey) };
  if (notice.kind === "resolved") return { ...base, event_action: "resolve" };
  const summary3 = truncate(
    `[${record2.severity}] ${record2.name} on ${record2.service || repoName} (${record2.environment})`,
    SUMMARY_MAX
  );
  const suspects2 = record2.suspects.slice(0, 3);
  return {
    ...base,
    event_action: "trigger",
    client: "aftershock",
    client_url: url,
    payload: {
      summary: summary3,
      // PagerDuty wants the affected system here; the service is the closest thing an alert names.
      source: truncate(record2.service || repoName, 255),
      severity: pagerDutySeverity(record2.severity),
      timestamp: record2.openedAt,
      component: record2.service || void 0,
      group: record2.environment || void 0,
      class: truncate(record2.name, 255),
      custom_details: {
        repository: repoName,
        issue: url,
        severity: record2.severity,
        ...notice.kind === "severity" ? { previous_severity: notice.previous } : {},
        source: record2.source,
        deploys: record2.deploys.map((d) => `${d.sha.slice(0, 12)} to ${d.environment} (${d.status})`),
        suspects: suspects2.map((s) => `#${s.number} ${truncate(s.title, 120)} by ${s.author}`)
      }
    },
    links: [
      ...httpLink(url, `Incident ${repoName}#${number}`),
      ...suspects2.flatMap((s) => httpLink(s.url, `Suspect #${s.number}: ${s.title}`)),
      ...httpLink(record2.externalURL, "Alertmanager")
    ]
  };
}
async function sendPagerDutyAlert(routingKey, notice, options = {}) {
  const { url = PAGERDUTY_EVENTS_URL, ...rest } = options;
  return postJson(url, alertEvent(notice, routingKey), { ...rest, target: "PagerDuty Events API" });
}
function pagerDutyChannel(url) {
  return {
    name: "pagerduty",
    secretEnv: (config) => config.pagerduty?.routingKeyEnv,
    send: (routingKey, notice, http) => sendPagerDutyAlert(routingKey, notice, { ...http, ...url ? { url } : {} })
  };
}
var PAGERDUTY_EVENTS_URL, SUMMARY_MAX, DEDUP_KEY_MAX, SEVERITY;
var init_pagerduty = __esm({
  "src/notify/pagerduty.ts"() {
    "use strict";
    init_markdown();
    init_urls();
    init_http3();
    PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
    SUMMARY_MAX = 1024;
    DEDUP_KEY_MAX = 255;
    SEVERITY = { P1: "critical", P2: "error", P3: "warning" };
  }
});

// src/notify/slack.ts
function escapeSlack(text3, maxLength = FIELD_MAX) {
  const plain = truncate(
    String(text3 ?? "").replace(CONTROL3, "").replace(/\s+/g, " ").trim(),
    maxLength
  );
  return defuseMentions(plain.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}
function slackLink(url, label2) {
  if (typeof url !== "string") return label2;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return label2;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return label2;
  const href = parsed.href.replace(/[<>|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `<${href}|${label2}>`;
}
function headline(notice) {
  const { record: record2 } = notice.event;
  switch (notice.kind) {
    case "opened":
      return `${record2.severity} incident: ${record2.name}`;
    case "severity":
      return `${notice.previous} \u2192 ${record2.severity}: ${record2.name}`;
    case "resolved":
      return `Resolved: ${record2.name}`;
  }
}
function mrkdwn(text3) {
  return { type: "mrkdwn", text: text3, verbatim: true };
}
function slackMessage(notice) {
  const { repo, number, url, record: record2 } = notice.event;
  const issueRef = escapeSlack(`${repo.owner}/${repo.repo}#${number}`);
  const issueLink = slackLink(url, issueRef);
  const title = escapeSlack(headline(notice), HEADER_MAX - EMOJI[notice.kind].length - 1);
  const fields = [
    mrkdwn(`*Severity*
${escapeSlack(record2.severity)}`),
    mrkdwn(`*Service*
${escapeSlack(record2.service) || "\u2014"}`),
    mrkdwn(`*Environment*
${escapeSlack(record2.environment) || "\u2014"}`),
    mrkdwn(`*Issue*
${issueLink}`)
  ];
  const blocks = [
    { type: "header", text: { type: "plain_text", text: `${EMOJI[notice.kind]} ${title}`, emoji: true } },
    { type: "section", fields }
  ];
  const suspects2 = record2.suspects.slice(0, SUSPECTS_SHOWN);
  if (notice.kind !== "resolved" && suspects2.length > 0) {
    const lines = suspects2.map((s) => {
      const pr = slackLink(s.url, `#${s.number} ${escapeSlack(s.title, 120)}`);
      return `\u2022 ${pr} by ${escapeSlack(s.author, 60)} (score ${s.score.toFixed(2)})`;
    });
    blocks.push({ type: "section", text: mrkdwn(`*Top suspects*
${lines.join("\n")}`) });
  }
  const context = [`${escapeSlack(record2.source)} \xB7 opened ${escapeSlack(record2.openedAt)}`];
  const alertmanager = slackLink(record2.externalURL, "Alertmanager");
  if (alertmanager !== "Alertmanager") context.push(alertmanager);
  blocks.push({ type: "context", elements: [mrkdwn(context.join(" \xB7 "))] });
  return {
    text: `${title} (${escapeSlack(record2.service)}, ${escapeSlack(record2.environment)}): ${issueLink}`,
    blocks
  };
}
async function sendSlack(webhookUrl, notice, options = {}) {
  return postJson(webhookUrl, slackMessage(notice), { ...options, target: "Slack webhook" });
}
var CONTROL3, HEADER_MAX, FIELD_MAX, SUSPECTS_SHOWN, EMOJI, slackChannel;
var init_slack = __esm({
  "src/notify/slack.ts"() {
    "use strict";
    init_markdown();
    init_http3();
    CONTROL3 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
    HEADER_MAX = 150;
    FIELD_MAX = 200;
    SUSPECTS_SHOWN = 3;
    EMOJI = {
      opened: ":rotating_light:",
      severity: ":arrow_up_down:",
      resolved: ":white_check_mark:"
    };
    slackChannel = {
      name: "slack",
      secretEnv: (config) => config.slack?.webhookUrlEnv,
      send: (webhookUrl, notice, http) => sendSlack(webhookUrl, notice, http)
    };
  }
});

// src/notify/notifier.ts
function channels(options = {}) {
  return [slackChannel, pagerDutyChannel(options.pagerDutyUrl)];
}
async function notify(notice, options) {
  const { notifications } = notice.event.config;
  const targets = channels(options).flatMap((channel) => {
    const envName = channel.secretEnv(notifications);
    return envName === void 0 ? [] : [{ channel, envName }];
  });
  await Promise.all(targets.map(({ channel, envName }) => deliver(channel, envName, notice, options)));
}
async function deliver(channel, envName, notice, options) {
  const { repo, number } = notice.event;
  const name = channel.name;
  const fields = { channel: name, repo: `${repo.owner}/${repo.repo}`, number, notice: notice.kind };
  let ok = false;
  try {
    const secret = (options.env ?? process.env)[envName]?.trim();
    if (options.mayUse && !options.mayUse(envName, repo)) {
      options.log.warn(
        fields,
        `${envName} may not be used by ${repo.owner}/${repo.repo}, so ${name} was not notified: the operator's AFTERSHOCK_NOTIFY_SCOPES does not allow it`
      );
    } else if (!secret) {
      options.log.warn(
        fields,
        `${envName} is not set in the app's environment, so ${name} was not notified: set it, or remove notifications.${name} from .github/aftershock.yml`
      );
    } else {
      const result = await channel.send(secret, notice, options.http);
      ok = result.ok;
      if (ok) options.log.info({ ...fields, attempts: result.attempts }, `notified ${name}`);
      else
        options.log.warn(
          { ...fields, attempts: result.attempts, status: result.status, reason: result.error },
          `could not notify ${name} (${envName} may be wrong or the service is down)`
        );
    }
  } catch (err) {
    options.log.warn({ ...fields, errorName: err?.name }, `could not notify ${name}`);
  }
  try {
    options.onResult?.(name, ok);
  } catch (err) {
    options.log.warn({ channel: name, errorName: err?.name }, "a notification counter failed");
  }
}
var init_notifier = __esm({
  "src/notify/notifier.ts"() {
    "use strict";
    init_pagerduty();
    init_slack();
  }
});

// src/app/notifications.ts
function registerNotifications(events, options) {
  const { scopes, onResult, ...rest } = options;
  const notifier = {
    ...rest,
    mayUse: scopes ? (envName, repo) => inScope(Object.hasOwn(scopes, envName) ? scopes[envName] : [], repo) : (envName) => UNSCOPED_VARIABLES.has(envName),
    onResult: (channel, ok) => {
      onResult?.(channel, ok);
      events.emit("notification", { channel, outcome: ok ? "sent" : "failed" });
    }
  };
  const send = (notice) => notify(notice, notifier);
  events.on("incident.opened", (event) => send({ kind: "opened", event }));
  events.on("incident.severity", (event) => send({ kind: "severity", event, previous: event.previous }));
  events.on("incident.resolved", (event) => send({ kind: "resolved", event }));
}
var UNSCOPED_VARIABLES;
var init_notifications = __esm({
  "src/app/notifications.ts"() {
    "use strict";
    init_repo_config();
    init_repo_scope();
    init_notifier();
    UNSCOPED_VARIABLES = /* @__PURE__ */ new Set([
      DEFAULT_SLACK_WEBHOOK_ENV,
      DEFAULT_PAGERDUTY_ROUTING_KEY_ENV
    ]);
  }
});

// src/app/observability/health.ts
function githubCheck(app) {
  return {
    name: "github",
    check: async () => {
      const octokit = await app.auth();
      await octokit.request("GET /app", { request: { retries: 0 } });
    }
  };
}
async function runCheck2(check, timeoutMs2) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs2 / 1e3} s`)), timeoutMs2);
    timer.unref();
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (err) {
    const status = err.response?.status;
    const message = errorMessage(err);
    const text3 = typeof status === "number" ? `answered ${status}: ${message}` : message;
    return { name: check.name, ok: false, error: text3.slice(0, MAX_ERROR_LENGTH) };
  } finally {
    clearTimeout(timer);
  }
}
function createReadiness(checks, options = {}) {
  const now = options.now ?? Date.now;
  const okMs = (options.cacheSeconds ?? 15) * 1e3;
  const failedMs = (options.failureCacheSeconds ?? 5) * 1e3;
  const timeoutMs2 = (options.timeoutSeconds ?? 5) * 1e3;
  let cached;
  const evaluate = async () => {
    const results = await Promise.all(checks.map((c) => runCheck2(c, timeoutMs2)));
    const failed2 = results.filter((r) => !r.ok);
    if (failed2.length) options.log?.warn({ checks: failed2 }, "not ready: a dependency check failed");
    return { ready: failed2.length === 0, checks: results };
  };
  return async () => {
    if (cached) {
      const age = now() - cached.at;
      const result = await cached.result;
      if (age < (result.ready ? okMs : failedMs)) return result;
    }
    const fresh = { at: now(), result: evaluate() };
    cached = fresh;
    return fresh.result;
  };
}
function pathname(url) {
  return new URL(url ?? "/", "http://localhost").pathname;
}
function createHealthHandler(readiness) {
  return async (req, res) => {
    const path = pathname(req.url);
    if (path !== "/healthz" && path !== "/readyz") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: `use GET: ${path} is a health probe` }, { allow: "GET, HEAD" });
      return true;
    }
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    const result = await readiness();
    if (result.ready) {
      sendJson(res, 200, { status: "ready", checks: result.checks });
      return true;
    }
    const failed2 = result.checks.filter((c) => !c.ok).map((c) => c.name);
    sendJson(res, 503, { status: "unavailable", failed: failed2, checks: result.checks });
    return true;
  };
}
function registerHealth(app, addHandler, options = {}) {
  const readiness = createReadiness([githubCheck(app), ...options.checks ?? []], {
    // Probot sets its logger up asynchronously: look it up when there is something to report.
    log: { warn: (obj, msg) => app.log?.warn({ name: "health", ...obj }, msg) },
    ...options
  });
  addHandler(createHealthHandler(readiness));
  return readiness;
}
var MAX_ERROR_LENGTH;
var init_health = __esm({
  "src/app/observability/health.ts"() {
    "use strict";
    init_http2();
    init_errors();
    MAX_ERROR_LENGTH = 300;
  }
});

// src/notify/types.ts
var NOTIFICATION_CHANNELS;
var init_types2 = __esm({
  "src/notify/types.ts"() {
    "use strict";
    NOTIFICATION_CHANNELS = ["slack", "pagerduty"];
  }
});

// src/app/observability/github-instrumentation.ts
import { SpanKind as SpanKind2 } from "@opentelemetry/api";
import { ProbotOctokit } from "probot";
function setGitHubObserver(observer) {
  current2 = observer;
}
var current2;
var init_github_instrumentation = __esm({
  "src/app/observability/github-instrumentation.ts"() {
    "use strict";
    init_tracing();
  }
});

// src/app/observability/metrics.ts
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
function bounded2(value, allowed) {
  return Object.hasOwn(allowed, value) ? value : "unknown";
}
function createMetrics(events, options = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const deliveries = new Counter({
    name: "aftershock_alert_deliveries_total",
    help: "Alertmanager deliveries answered, by alert group status and outcome",
    labelNames: ["status", "outcome"],
    registers
  });
  const alertToIssue = new Histogram({
    name: "aftershock_alert_to_issue_seconds",
    help: "Seconds from an Alertmanager delivery arriving to its incident issue written (created or updated)",
    buckets: DELIVERY_BUCKETS,
    registers
  });
  const opened = new Counter({
    name: "aftershock_incidents_opened_total",
    help: "Incident issues opened, by severity and source (alert or deploy-check)",
    labelNames: ["severity", "source"],
    registers
  });
  const deduplicated = new Counter({
    name: "aftershock_deliveries_deduplicated_total",
    help: "Deliveries that repeated a known alert group exactly and changed nothing",
    registers
  });
  const rollbacks = new Counter({
    name: "aftershock_rollback_prs_total",
    help: "Rollback (revert) pull requests requested, by outcome",
    labelNames: ["outcome"],
    registers
  });
  const commands = new Counter({
    name: "aftershock_commands_total",
    help: "Slash commands run in incident issues, by command and outcome",
    labelNames: ["command", "outcome"],
    registers
  });
  const correlationSeconds = new Histogram({
    name: "aftershock_correlation_seconds",
    help: "Seconds spent finding the deploys and ranking the suspect PRs of a new incident",
    buckets: DELIVERY_BUCKETS,
    registers
  });
  const correlationRequests = new Histogram({
    name: "aftershock_correlation_github_requests",
    help: "GitHub requests made to correlate one incident",
    buckets: REQUEST_COUNT_BUCKETS,
    registers
  });
  const notifications = new Counter({
    name: "aftershock_notifications_total",
    help: "Incident notifications attempted (after their retry), by channel and outcome",
    labelNames: ["channel", "outcome"],
    registers
  });
  const githubRequests = new Counter({
    name: "aftershock_github_requests_total",
    help: 'GitHub API requests, by status class ("error": no response)',
    labelNames: ["status"],
    registers
  });
  const githubSeconds = new Histogram({
    name: "aftershock_github_request_duration_seconds",
    help: "Seconds per GitHub API request (throttling waits and retries included), by status class",
    labelNames: ["status"],
    buckets: GITHUB_BUCKETS,
    registers
  });
  const rateLimitWaits = new Counter({
    name: "aftershock_github_rate_limit_waits_total",
    help: "Times a GitHub request hit a rate limit, by kind (primary or secondary)",
    labelNames: ["kind"],
    registers
  });
  events.on("alert.delivery", (e) => {
    deliveries.inc({
      status: bounded2(e.status, DELIVERY_STATUSES),
      outcome: bounded2(e.outcome, DELIVERY_OUTCOMES)
    });
    if (e.outcome === "created" || e.outcome === "updated") alertToIssue.observe(e.seconds);
  });
  events.on("incident.opened", (e) => {
    opened.inc({ severity: bounded2(e.record.severity, SEVERITIES), source: bounded2(e.source, SOURCES) });
  });
  events.on("incident.updated", (e) => {
    if (e.changes.length === 0) deduplicated.inc();
  });
  events.on("rollback", (e) => rollbacks.inc({ outcome: bounded2(e.outcome, ROLLBACK_OUTCOMES) }));
  events.on("command", (e) => {
    commands.inc({ command: boundedCommand(e.name), outcome: bounded2(e.outcome, COMMAND_OUTCOMES) });
  });
  events.on("correlation", (e) => {
    correlationSeconds.observe(e.seconds);
    correlationRequests.observe(e.requests);
  });
  events.on("notification", (e) => {
    notifications.inc({
      channel: bounded2(e.channel, CHANNELS),
      outcome: bounded2(e.outcome, NOTIFICATION_OUTCOMES)
    });
  });
  const github = {
    request(status, seconds) {
      const label2 = bounded2(status, STATUS_CLASSES);
      githubRequests.inc({ status: label2 });
      githubSeconds.observe({ status: label2 }, seconds);
    },
    rateLimitWait(kind) {
      rateLimitWaits.inc({ kind: kind === "secondary" ? "secondary" : "primary" });
    }
  };
  return { registry, github };
}
function createMetricsHandler(registry, token) {
  return async (req, res) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(
        res,
        405,
        { error: "use GET: this is the Prometheus metrics endpoint" },
        { allow: "GET, HEAD" }
      );
      return true;
    }
    if (token !== void 0) {
      const header2 = req.headers.authorization;
      if (header2 !== void 0) req.headers.authorization = "[redacted]";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header2 ?? "");
      if (!match || !tokensMatch(match[1], token)) {
        sendJson(
          res,
          401,
          {
            error: match ? "invalid bearer token for /metrics" : "missing bearer token: send Authorization: Bearer <METRICS_TOKEN> (Prometheus: authorization.credentials)"
          },
          { "www-authenticate": 'Bearer realm="aftershock-metrics"' }
        );
        return true;
      }
    }
    let text3;
    try {
      text3 = await registry.metrics();
    } catch (err) {
      sendJson(res, 500, { error: `metrics could not be collected: ${errorMessage(err)}` });
      return true;
    }
    res.writeHead(200, {
      "content-type": registry.contentType,
      "content-length": Buffer.byteLength(text3),
      "cache-control": "no-store"
    });
    res.end(req.method === "HEAD" ? void 0 : text3);
    return true;
  };
}
function registerMetrics(addHandler, deps, options = {}) {
  const metrics = createMetrics(deps.events, options);
  setGitHubObserver(metrics.github);
  addHandler(createMetricsHandler(metrics.registry, deps.settings.metricsToken));
  return metrics;
}
var DELIVERY_STATUSES, DELIVERY_OUTCOMES, SEVERITIES, SOURCES, COMMAND_OUTCOMES, ROLLBACK_OUTCOMES, STATUS_CLASSES, CHANNELS, NOTIFICATION_OUTCOMES, DELIVERY_BUCKETS, GITHUB_BUCKETS, REQUEST_COUNT_BUCKETS;
var init_metrics = __esm({
  "src/app/observability/metrics.ts"() {
    "use strict";
    init_authenticate();
    init_http2();
    init_types2();
    init_github_instrumentation();
    init_tracing();
    init_errors();
    DELIVERY_STATUSES = {
      firing: true,
      resolved: true,
      unknown: true
    };
    DELIVERY_OUTCOMES = {
      created: true,
      updated: true,
      unchanged: true,
      ignored: true,
      rejected: true,
      failed: true
    };
    SEVERITIES = { P1: true, P2: true, P3: true };
    SOURCES = { alert: true, "deploy-check": true };
    COMMAND_OUTCOMES = {
      done: true,
      refused: true,
      invalid: true,
      failed: true,
      duplicate: true,
      ignored: true
    };
    ROLLBACK_OUTCOMES = {
      opened: true,
      existing: true,
      conflict: true,
      "not-merged": true,
      failed: true
    };
    STATUS_CLASSES = {
      "1xx": true,
      "2xx": true,
      "3xx": true,
      "4xx": true,
      "5xx": true,
      error: true
    };
    CHANNELS = Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, true]));
    NOTIFICATION_OUTCOMES = {
      sent: true,
      failed: true
    };
    DELIVERY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
    GITHUB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    REQUEST_COUNT_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
  }
});

// src/app/index.ts
function createApp(options = {}) {
  return (app, { addHandler }) => {
    const settings = options.settings ?? readSettings();
    const appSlug = appSlugOf(app, settings);
    const deps = {
      settings,
      lock: options.lock ?? new InProcessKeyLock(),
      now: options.now ?? (() => /* @__PURE__ */ new Date()),
      events: options.events ?? new AppEvents(),
      narrative: options.narrative === void 0 ? narrativeSettingsFromEnv(process.env) : options.narrative,
      incidents: appIncidentStores(appSlug, settings),
      botLogin: async () => `${await appSlug()}[bot]`,
      repoConfigs: cachedRepoConfigs(),
      cooldowns: new Cooldowns()
    };
    deps.events.setErrorHandler(
      (err, name) => app.log.warn({ err, event: name }, "an event listener failed")
    );
    registerNotifications(deps.events, { log: app.log, scopes: deps.settings.notifyScopes });
    const tokens = deps.settings.alertmanagerToken || deps.settings.alertmanagerTokens?.length;
    if (!tokens && !deps.settings.allowUnauthenticated) {
      app.log.warn("ALERTMANAGER_TOKEN is not set: /alertmanager refuses deliveries (403) until it is");
    }
    const pacing = options.pacing ?? readPacingSettings();
    const budget = writeBudgetFor(deps.lock, pacing.budget, pacing.clock);
    const writes = { budget, ...pacing.clock ? { clock: pacing.clock } : {} };
    app.on("deployment_status", async (context) => {
      await onDeploymentStatus(context, { ...deps, writes });
    });
    app.on("deployment_status", async (context) => {
      await onRedeployStatus(context, deps);
    });
    app.on("issue_comment.created", async (context) => {
      const reports = await onIssueComment(context, deps);
      if (reports.length) context.log.info({ commands: reports }, "slash commands handled");
    });
    app.on("pull_request.closed", async (context) => {
      const outcome = await onPullRequestClosed(context, deps);
      if (outcome.kind !== "ignored") context.log.info({ ...outcome }, "merged PR recorded in the incident");
    });
    deps.events.on("incident.opened", (event) => onIncidentOpenedAutoRollback(app, deps, event));
    deps.events.on("incident.opened", (event) => onIncidentOpenedAuthorNote(app, deps, event));
    addHandler(createAlertmanagerHandler({ app, ...deps, pacing, budget }));
    registerMetrics(addHandler, deps);
    registerHealth(app, addHandler, { checks: options.readinessChecks ?? [] });
  };
}
var aftershock;
var init_app = __esm({
  "src/app/index.ts"() {
    "use strict";
    init_handler();
    init_deployment_status2();
    init_dispatch();
    init_auto_rollback();
    init_pull_request();
    init_redeploy_status();
    init_author_note();
    init_events();
    init_lock();
    init_identity();
    init_cooldown();
    init_repo_configs();
    init_settings2();
    init_notifications();
    init_settings();
    init_redis_budget();
    init_health();
    init_metrics();
    init_llm();
    aftershock = createApp();
  }
});

// src/demo/app-server.ts
import { createHmac, generateKeyPairSync, randomBytes as randomBytes2, randomUUID as randomUUID3 } from "node:crypto";
import { createServer } from "node:net";
import { pino as pino2 } from "pino";
import { Probot, ProbotOctokit as ProbotOctokit2, Server } from "probot";
async function startDemoApp(options) {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" }
  });
  const secret = randomBytes2(20).toString("hex");
  const alertmanagerToken = randomBytes2(20).toString("hex");
  const logs = [];
  const log = pino2({ level: "warn" }, { write: (line) => void logs.push(line) });
  const appFn = createApp({
    settings: {
      alertmanagerToken,
      allowUnauthenticated: false,
      maxBodyBytes: 1024 * 1024,
      repositoryLabel: "repository"
    },
    lock: new InProcessKeyLock(),
    now: options.now,
    events: options.events
  });
  const start = async () => {
    const server2 = new Server({
      host: "127.0.0.1",
      port: await freePort(),
      log,
      webhookPath: WEBHOOK_PATH,
      enableStaticFiles: false,
      Probot: Probot.defaults({
        appId: 1,
        privateKey,
        secret,
        log,
        baseUrl: options.githubUrl,
        Octokit: PlainOctokit
      })
    });
    await server2.load(appFn);
    const http = await server2.start();
    return { server: server2, port: http.address().port };
  };
  let started;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await start();
    } catch (err) {
      if (err.code !== "EADDRINUSE" || attempt === 3) throw err;
    }
  }
  const { server } = started;
  const url = `http://127.0.0.1:${started.port}`;
  return {
    url,
    logs,
    async alert(payload) {
      const res = await fetch(`${url}/alertmanager`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${alertmanagerToken}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(3e4)
      });
      const text3 = await res.text();
      return { status: res.status, json: text3 ? JSON.parse(text3) : {} };
    },
    async webhook(name, payload) {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      const res = await fetch(`${url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": randomUUID3(),
          "x-hub-signature-256": signature
        },
        body,
        signal: AbortSignal.timeout(3e4)
      });
      const text3 = await res.text();
      if (!res.ok) throw new Error(`the app refused the ${name} webhook: HTTP ${res.status} ${text3}`);
      await options.events.idle();
    },
    stop: () => server.stop()
  };
}
function freePort() {
  return new Promise((resolve3, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve3(port));
    });
  });
}
var WEBHOOK_PATH, PlainOctokit;
var init_app_server = __esm({
  "src/demo/app-server.ts"() {
    "use strict";
    init_app();
    init_lock();
    WEBHOOK_PATH = "/api/github/webhooks";
    PlainOctokit = ProbotOctokit2.defaults((o) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false }
    }));
  }
});

// src/demo/repo-history.ts
function answerGraphql(sim, body) {
  const vars = body.variables ?? {};
  if (vars.owner !== sim.owner || vars.repo !== sim.repo) {
    return { status: 200, body: { data: { repository: null } } };
  }
  if (/deployments\(environments:/.test(body.query)) {
    return { status: 200, body: { data: { repository: { deployments: deploymentsPage(sim, vars) } } } };
  }
  const aliases = [...body.query.matchAll(/\b(d(\d+)): object\(oid: \$oid\d+\)/g)];
  if (aliases.length > 0) {
    const repository2 = {};
    for (const [, alias, i] of aliases) {
      repository2[alias] = historyPage(sim, vars[`oid${i}`], vars[`since${i}`], vars[`after${i}`]);
    }
    return { status: 200, body: { data: { repository: repository2 } } };
  }
  return {
    status: 400,
    body: { message: "the GitHub simulator does not know this query", query: body.query }
  };
}
function deploymentsPage(sim, vars) {
  const all = sim.deployments.filter((d) => d.environment === vars.environment).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const offset = typeof vars.cursor === "string" ? Number(vars.cursor) : 0;
  const page = all.slice(offset, offset + 100);
  return {
    pageInfo: { hasNextPage: offset + page.length < all.length, endCursor: String(offset + page.length) },
    nodes: page.map((d) => ({
      id: `DE_${d.id}`,
      databaseId: d.id,
      createdAt: d.createdAt,
      commitOid: d.sha,
      commit: { committedDate: commitBySha(sim, d.sha)?.committedDate ?? d.createdAt },
      latestStatus: {
        state: d.state.toUpperCase(),
        description: null,
        logUrl: `https://ci.example/deploys/${d.id}`,
        environmentUrl: null
      }
    }))
  };
}
function historyPage(sim, oid, since, after) {
  const index = sim.commits.findIndex((c) => c.sha === oid);
  if (index < 0) return null;
  const sinceMs = typeof since === "string" ? Date.parse(since) : -Infinity;
  const reachable = sim.commits.slice(0, index + 1).reverse().filter((c) => Date.parse(c.committedDate) >= sinceMs);
  const offset = typeof after === "string" ? Number(after) : 0;
  const page = reachable.slice(offset, offset + 100);
  return {
    history: {
      pageInfo: {
        hasNextPage: offset + page.length < reachable.length,
        endCursor: String(offset + page.length)
      },
      nodes: page.map((c) => {
        const pull = c.pull === void 0 ? void 0 : sim.pulls.get(c.pull);
        return { oid: c.sha, associatedPullRequests: { nodes: pull ? [pullNode(sim, pull)] : [] } };
      })
    }
  };
}
function pullNode(sim, p) {
  return {
    number: p.number,
    title: p.title,
    url: pullUrl(sim, p.number),
    mergedAt: p.mergedAt,
    additions: p.additions,
    deletions: p.deletions,
    author: { login: p.author },
    mergeCommit: { oid: p.mergeCommitSha },
    files: { nodes: p.files.slice(0, 100) }
  };
}
var pullUrl, commitBySha;
var init_repo_history = __esm({
  "src/demo/repo-history.ts"() {
    "use strict";
    pullUrl = (sim, n) => `https://github.com/${sim.owner}/${sim.repo}/pull/${n}`;
    commitBySha = (sim, s) => sim.commits.find((c) => c.sha === s);
  }
});

// src/demo/standin-git.ts
import { createHash as createHash5 } from "node:crypto";
function newGitState(history, files, nextNumber) {
  const head = history.commits.at(-1)?.sha ?? "0".repeat(40);
  const main2 = /* @__PURE__ */ new Map();
  for (const [path, text3] of Object.entries(files)) main2.set(path, { text: text3, sha: blobSha(text3) });
  return {
    owner: history.owner,
    repo: history.repo,
    history,
    defaultBranch: "main",
    branches: /* @__PURE__ */ new Map([["main", head]]),
    files: /* @__PURE__ */ new Map([["main", main2]]),
    pulls: [],
    nextNumber
  };
}
function findPull(s, n) {
  const opened = s.pulls.find((p) => p.number === n);
  if (opened) return opened;
  const sim = s.history.pulls.get(n);
  if (!sim) return void 0;
  return {
    number: sim.number,
    title: sim.title,
    body: "",
    head: `${sim.author}/change-${sim.number}`,
    base: s.defaultBranch,
    state: "closed",
    merged: true,
    draft: false,
    labels: [],
    mergeCommitSha: sim.mergeCommitSha
  };
}
function pullJson(s, p) {
  return {
    number: p.number,
    node_id: nodeId(p.number),
    html_url: `https://github.com/${s.owner}/${s.repo}/pull/${p.number}`,
    title: p.title,
    body: p.body,
    state: p.state,
    draft: p.draft,
    merged: p.merged,
    merge_commit_sha: p.mergeCommitSha,
    labels: p.labels.map((name) => ({ name })),
    // The same repository on both sides: branches of this repository, not a fork.
    head: { ref: p.head, label: `${s.owner}:${p.head}`, repo: { id: STANDIN_REPO_ID } },
    base: { ref: p.base, repo: { id: STANDIN_REPO_ID } }
  };
}
function routeGit(s, method, rest, url, body) {
  const b = body ?? {};
  if (method === "GET" && rest === "") {
    return {
      status: 200,
      body: { name: s.repo, full_name: `${s.owner}/${s.repo}`, default_branch: s.defaultBranch }
    };
  }
  if (rest === "/pulls") {
    if (method === "GET") return listPulls(s, url);
    if (method === "POST") return createPull(s, b);
  }
  let m = /^\/pulls\/(\d+)$/.exec(rest);
  if (m && method === "GET") {
    const pull = findPull(s, Number(m[1]));
    return pull ? { status: 200, body: pullJson(s, pull) } : notFound(`pull ${m[1]}`);
  }
  m = /^\/git\/ref\/(.+)$/.exec(rest);
  if (m && method === "GET") {
    const ref = decodeURIComponent(m[1]);
    const sha2 = ref.startsWith("heads/") ? s.branches.get(ref.slice(6)) : void 0;
    return sha2 ? { status: 200, body: { ref: `refs/${ref}`, object: { sha: sha2, type: "commit" } } } : notFound(ref);
  }
  if (method === "POST" && rest === "/git/refs") return createRef(s, String(b.ref), String(b.sha));
  if (method === "GET" && /^\/git\/trees\/[^/]+$/.test(rest) && url.searchParams.get("recursive"))
    return repoTree(s);
  m = /^\/contents\/(.+)$/.exec(rest);
  if (m) {
    const path = decodeURIComponent(m[1]);
    if (method === "GET") return getContent(s, path, url.searchParams.get("ref") ?? s.defaultBranch);
    if (method === "PUT") return putContent(s, path, b);
  }
  if (method === "GET" && rest === "/deployments") return listDeployments(s, url);
  m = /^\/deployments\/(\d+)\/statuses$/.exec(rest);
  if (m && method === "POST") {
    const deployment = s.history.deployments.find((d) => d.id === Number(m[1]));
    if (!deployment) return notFound(`deployment ${m[1]}`);
    deployment.state = String(b.state);
    return { status: 201, body: { id: deployment.id * 10, state: deployment.state } };
  }
  return null;
}
function repoTree(s) {
  const files = /* @__PURE__ */ new Set();
  for (const p of s.history.pulls.values()) for (const f2 of p.files) files.add(f2.path);
  for (const path of s.files.get(s.defaultBranch)?.keys() ?? []) files.add(path);
  const folders = /* @__PURE__ */ new Set();
  for (const f2 of files) {
    const parts = f2.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  const tree = [
    ...[...folders].sort().map((path) => ({ path, type: "tree", mode: "040000" })),
    ...[...files].sort().map((path) => ({ path, type: "blob", mode: "100644" }))
  ];
  return { status: 200, body: { sha: "standin-tree", truncated: false, tree } };
}
function listPulls(s, url) {
  const q = url.searchParams;
  const state = q.get("state") ?? "open";
  const head = q.get("head");
  const branch = head?.includes(":") ? head.slice(head.indexOf(":") + 1) : head;
  const list = s.pulls.filter((p) => (state === "all" || p.state === state) && (branch === null || p.head === branch)).sort((a, b) => b.number - a.number).slice(0, Math.min(100, Number(q.get("per_page") ?? 30)));
  return { status: 200, body: list.map((p) => pullJson(s, p)) };
}
function openPull(s, fields) {
  const pull = {
    ...fields,
    number: s.nextNumber(),
    state: "open",
    merged: false,
    labels: [],
    mergeCommitSha: null
  };
  s.pulls.push(pull);
  return pull;
}
function createPull(s, b) {
  const head = String(b.head ?? "");
  const base = String(b.base ?? s.defaultBranch);
  if (!s.branches.has(head))
    return { status: 422, body: { message: `Validation Failed: no branch ${head}` } };
  if (s.pulls.some((p) => p.state === "open" && p.head === head)) {
    return { status: 422, body: { message: `Validation Failed: A pull request already exists for ${head}` } };
  }
  const pull = openPull(s, {
    title: String(b.title ?? ""),
    body: String(b.body ?? ""),
    head,
    base,
    draft: b.draft === true
  });
  return { status: 201, body: pullJson(s, pull) };
}
function createRef(s, ref, sha2) {
  if (!ref.startsWith("refs/heads/")) return { status: 422, body: { message: `Validation Failed: ${ref}` } };
  const branch = ref.slice("refs/heads/".length);
  if (s.branches.has(branch)) return { status: 422, body: { message: "Reference already exists" } };
  s.branches.set(branch, sha2);
  const from = s.branches.get(s.defaultBranch) === sha2 ? s.defaultBranch : [...s.branches].find(([name, head]) => name !== branch && head === sha2)?.[0];
  s.files.set(branch, new Map(from ? s.files.get(from) : []));
  return { status: 201, body: { ref, object: { sha: sha2, type: "commit" } } };
}
function getContent(s, path, ref) {
  const file = s.files.get(ref)?.get(path);
  if (!file) return notFound(`${path} at ${ref}`);
  return {
    status: 200,
    body: {
      type: "file",
      path,
      sha: file.sha,
      encoding: "base64",
      content: Buffer.from(file.text, "utf8").toString("base64")
    }
  };
}
function putContent(s, path, b) {
  const branch = String(b.branch ?? s.defaultBranch);
  const files = s.files.get(branch);
  if (!files) return notFound(`branch ${branch}`);
  const existing2 = files.get(path);
  if (existing2 && b.sha !== existing2.sha) {
    return { status: 409, body: { message: `${path} does not match ${String(b.sha)}` } };
  }
  const text3 = Buffer.from(String(b.content ?? ""), "base64").toString("utf8");
  const file = { text: text3, sha: blobSha(text3) };
  files.set(path, file);
  const head = createHash5("sha1").update(`${s.branches.get(branch)}:${path}:${file.sha}`).digest("hex");
  s.branches.set(branch, head);
  return { status: existing2 ? 200 : 201, body: { content: { path, sha: file.sha }, commit: { sha: head } } };
}
function listDeployments(s, url) {
  const q = url.searchParams;
  const list = s.history.deployments.filter(
    (d) => (q.get("sha") === null || d.sha === q.get("sha")) && (q.get("environment") === null || d.environment === q.get("environment"))
  ).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, Math.min(100, Number(q.get("per_page") ?? 30))).map((d) => ({ id: d.id, sha: d.sha, ref: "main", environment: d.environment, created_at: d.createdAt }));
  return { status: 200, body: list };
}
function revertMutation(s, vars) {
  const id2 = String(vars.pullRequestId ?? "");
  const target = /^PR_standin_(\d+)$/.exec(id2);
  const original = target ? findPull(s, Number(target[1])) : void 0;
  if (!original?.merged) {
    return {
      status: 200,
      body: { data: null, errors: [{ type: "NOT_FOUND", message: `no merged PR ${id2}` }] }
    };
  }
  const head = `revert-${original.number}-${original.head}`;
  if (!s.branches.has(head)) createRef(s, `refs/heads/${head}`, s.branches.get(s.defaultBranch));
  const pull = openPull(s, {
    title: String(vars.title ?? `Revert #${original.number}`),
    body: String(vars.body ?? ""),
    head,
    base: original.base,
    draft: vars.draft === true
  });
  pull.reverts = original.number;
  return {
    status: 200,
    body: {
      data: {
        revertPullRequest: {
          revertPullRequest: { number: pull.number, url: pullJson(s, pull).html_url, headRefName: head }
        }
      }
    }
  };
}
function mergePull(s, n) {
  const pull = s.pulls.find((p) => p.number === n);
  if (!pull || pull.state !== "open") throw new Error(`the GitHub stand-in has no open PR #${n} to merge`);
  pull.state = "closed";
  pull.merged = true;
  pull.mergeCommitSha = createHash5("sha1").update(`merge:${n}`).digest("hex");
  s.branches.set(pull.base, pull.mergeCommitSha);
  return pull;
}
var STANDIN_REPO_ID, notFound, blobSha, nodeId;
var init_standin_git = __esm({
  "src/demo/standin-git.ts"() {
    "use strict";
    STANDIN_REPO_ID = 1296269;
    notFound = (what) => ({ status: 404, body: { message: `Not Found: ${what}` } });
    blobSha = (text3) => createHash5("sha1").update(`blob ${Buffer.byteLength(text3)}\0${text3}`).digest("hex");
    nodeId = (n) => `PR_standin_${n}`;
  }
});

// src/demo/github-standin.ts
import { createServer as createServer2 } from "node:http";
async function startGithubStandin(opts) {
  const issues = [];
  const requests = [];
  const unexpected = [];
  const reactions = [];
  const pullComments = /* @__PURE__ */ new Map();
  let outageUntil = 0;
  let outageMatch = () => true;
  let next = Math.max(301, ...[...opts.history.pulls.keys()].map((n) => n + 1));
  const git = newGitState(opts.history, opts.files ?? {}, () => next++);
  const repoPath = `/repos/${opts.owner}/${opts.repo}`;
  const htmlUrl = (n) => `https://github.com/${opts.owner}/${opts.repo}/issues/${n}`;
  const issueJson = (i) => ({
    number: i.number,
    html_url: htmlUrl(i.number),
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
    assignees: i.assignees.map((login) => ({ login })),
    // Incidents are trusted only when the app (a bot) opened them.
    user: { login: "aftershock-demo[bot]", type: "Bot" }
  });
  const server = createServer2((req, res) => {
    void handle(req, res);
  });
  await new Promise((resolve3) => server.listen(0, "127.0.0.1", resolve3));
  const { port } = server.address();
  const standin = {
    url: `http://127.0.0.1:${port}`,
    issues,
    pulls: git.pulls,
    requests,
    unexpected,
    reactions,
    createDelayMs: 0,
    latencyMs: opts.latencyMs ?? 0,
    outage(ms, match) {
      outageUntil = Date.now() + ms;
      outageMatch = match ?? ((_method, path) => !path.startsWith("/app/"));
    },
    records: () => issues.map((i) => parseRecord(i.body)),
    file: (branch, path) => git.files.get(branch)?.get(path)?.text,
    merge(number) {
      const pull = mergePull(git, number);
      return { ...pullJson(git, pull), merged_at: (opts.now?.() ?? /* @__PURE__ */ new Date()).toISOString() };
    },
    close: () => new Promise((resolve3) => {
      server.closeAllConnections();
      server.close(() => resolve3());
    })
  };
  return standin;
  async function route(method, url, body, auth) {
    const path = url.pathname;
    if (Date.now() < outageUntil && outageMatch(method, path)) {
      return { status: 502, body: { message: "Server Error (injected outage)" } };
    }
    const asApp = path === "/app" || path.startsWith("/app/") || path === `${repoPath}/installation`;
    if (asApp ? !/^bearer \S+\.\S+\.\S+$/i.test(auth) : auth !== `token ${STANDIN_INSTALLATION_TOKEN}`) {
      return { status: 401, body: { message: `Bad credentials for ${method} ${path}` } };
    }
    if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) {
      return path === `${repoPath}/installation` ? { status: 200, body: { id: STANDIN_INSTALLATION_ID } } : notFound2();
    }
    if (method === "GET" && path === "/app") {
      return { status: 200, body: { id: 1, slug: "aftershock-demo" } };
    }
    if (method === "POST" && path === `/app/installations/${STANDIN_INSTALLATION_ID}/access_tokens`) {
      return {
        status: 201,
        body: { token: STANDIN_INSTALLATION_TOKEN, expires_at: "2999-01-01T00:00:00Z", permissions: {} }
      };
    }
    if (method === "POST" && path === "/graphql") {
      const query = body;
      if (/\brevertPullRequest\s*\(/.test(query.query)) return revertMutation(git, query.variables ?? {});
      return answerGraphql(opts.history, query);
    }
    if (path !== repoPath && !path.startsWith(`${repoPath}/`)) return unknown();
    const rest = path.slice(repoPath.length);
    return routeIssues(method, rest, url, body) ?? routeGit(git, method, rest, url, body) ?? unknown();
    function unknown() {
      unexpected.push(`${method} ${path}`);
      return { status: 404, body: { message: `the GitHub stand-in has no route for ${method} ${path}` } };
    }
  }
  function routeIssues(method, rest, url, body) {
    const b = body ?? {};
    if (rest === "/issues") {
      if (method === "GET") return listIssues(url);
      if (method === "POST") return createIssue(b);
    }
    let m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest);
    if (m && method === "POST") {
      reactions.push({ commentId: Number(m[1]), content: String(b.content) });
      return { status: 201, body: { id: reactions.length, content: b.content } };
    }
    m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (m && method === "GET") {
      const login = decodeURIComponent(m[1]);
      const permission = opts.collaborators?.[login];
      return permission ? { status: 200, body: { permission, role_name: permission, user: { login } } } : notFound2();
    }
    if (method === "GET" && rest === "/labels") {
      const names = [...new Set([...issues, ...git.pulls].flatMap((i) => i.labels))].sort();
      return { status: 200, body: names.map((name) => ({ name })) };
    }
    m = /^\/issues\/(\d+)(\/comments|\/labels)?$/.exec(rest);
    if (!m) return null;
    const n = Number(m[1]);
    const issue2 = issues.find((i) => i.number === n);
    const pull = git.pulls.find((p) => p.number === n);
    if (method === "POST" && m[2] === "/labels" && (issue2 ?? pull)) {
      const target = issue2 ?? pull;
      const add = (Array.isArray(b.labels) ? b.labels : []).map(String);
      target.labels = [.../* @__PURE__ */ new Set([...target.labels, ...add])];
      return { status: 200, body: target.labels.map((name) => ({ name })) };
    }
    if (!issue2 && (pull || git.history.pulls.has(n)) && m[2] === "/comments")
      return pullComment(n, method, b);
    if (!issue2) return notFound2();
    if (method === "GET" && m[2] === void 0) return { status: 200, body: issueJson(issue2) };
    if (method === "PATCH" && m[2] === void 0) {
      if (typeof b.title === "string") issue2.title = b.title;
      if (typeof b.body === "string") issue2.body = b.body;
      if (Array.isArray(b.labels)) issue2.labels = b.labels.map(String);
      if (b.state === "open" || b.state === "closed") issue2.state = b.state;
      return { status: 200, body: issueJson(issue2) };
    }
    if (method === "POST" && m[2] === "/comments") {
      issue2.comments.push(String(b.body));
      return { status: 201, body: { id: issue2.number * 1e3 + issue2.comments.length, body: b.body } };
    }
    if (method === "GET" && m[2] === "/comments") {
      return {
        status: 200,
        body: issue2.comments.map((text3, k) => ({ id: issue2.number * 1e3 + k + 1, body: text3 }))
      };
    }
    return null;
  }
  function pullComment(n, method, b) {
    const comments = pullComments.get(n) ?? [];
    pullComments.set(n, comments);
    const user2 = { login: "aftershock-demo[bot]", type: "Bot" };
    if (method === "GET") return { status: 200, body: comments.map((c) => ({ ...c, user: user2 })) };
    if (method !== "POST") return null;
    const comment2 = {
      id: n * 1e3 + comments.length + 1,
      body: String(b.body),
      created_at: (/* @__PURE__ */ new Date()).toISOString()
    };
    comments.push(comment2);
    return { status: 201, body: { ...comment2, user: user2 } };
  }
  function listIssues(url) {
    const q = url.searchParams;
    const state = q.get("state") ?? "open";
    const wanted = (q.get("labels") ?? "").split(",").filter(Boolean);
    const perPage = Math.min(100, Number(q.get("per_page") ?? 30));
    const page = Math.max(1, Number(q.get("page") ?? 1));
    const matching = issues.filter((i) => (state === "all" || i.state === state) && wanted.every((l) => i.labels.includes(l))).sort((a, b) => q.get("direction") === "asc" ? a.number - b.number : b.number - a.number);
    const items = matching.slice((page - 1) * perPage, page * perPage);
    const headers = {};
    if (page * perPage < matching.length) {
      const nextPage = new URL(url);
      nextPage.searchParams.set("page", String(page + 1));
      headers.link = `<${standin.url}${nextPage.pathname}${nextPage.search}>; rel="next"`;
    }
    return { status: 200, body: items.map(issueJson), headers };
  }
  async function createIssue(b) {
    if (typeof b.title !== "string" || b.title === "") {
      return { status: 422, body: { message: "Validation Failed: title is missing" } };
    }
    if (standin.createDelayMs > 0) await new Promise((resolve3) => setTimeout(resolve3, standin.createDelayMs));
    const issue2 = {
      number: next++,
      title: b.title,
      body: b.body ?? "",
      labels: (b.labels ?? []).map(String),
      assignees: (b.assignees ?? []).map(String),
      state: "open",
      comments: []
    };
    issues.push(issue2);
    return { status: 201, body: issueJson(issue2) };
  }
  async function handle(req, res) {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://github.standin");
    let answer;
    try {
      const text4 = await readText2(req);
      if (standin.latencyMs > 0) await new Promise((resolve3) => setTimeout(resolve3, standin.latencyMs));
      answer = await route(method, url, text4 ? JSON.parse(text4) : void 0, req.headers.authorization ?? "");
    } catch (err) {
      answer = { status: 500, body: { message: `the GitHub stand-in failed: ${errorMessage(err)}` } };
    }
    requests.push({ method, path: url.pathname, status: answer.status });
    const text3 = JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text3),
      ...answer.headers
    });
    res.end(text3);
  }
}
async function readText2(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
var STANDIN_INSTALLATION_ID, STANDIN_INSTALLATION_TOKEN, notFound2;
var init_github_standin = __esm({
  "src/demo/github-standin.ts"() {
    "use strict";
    init_incident_record();
    init_repo_history();
    init_standin_git();
    init_errors();
    STANDIN_INSTALLATION_ID = 4242;
    STANDIN_INSTALLATION_TOKEN = "ghs_standin_installation_token";
    notFound2 = () => ({ status: 404, body: { message: "Not Found" } });
  }
});

// src/demo/payloads.ts
function alertmanagerPayload(a) {
  const status = a.endsAt ? "resolved" : "firing";
  const labels2 = {
    alertname: a.alertname,
    environment: a.environment,
    repository: `${a.owner}/${a.repo}`,
    service: a.service,
    severity: a.severity
  };
  const annotations = { summary: a.summary };
  return {
    receiver: "aftershock",
    status,
    alerts: [
      {
        status,
        labels: labels2,
        annotations,
        startsAt: a.startsAt,
        endsAt: a.endsAt ?? ZERO_TIME2,
        generatorURL: "http://prometheus.demo:9090/graph?g0.expr=job%3Acheckout%3Aerror_ratio+%3E+0.05",
        fingerprint: "d3m0f1n93rpr1n70"
      }
    ],
    groupLabels: { alertname: a.alertname, repository: labels2.repository },
    commonLabels: labels2,
    commonAnnotations: annotations,
    externalURL: "http://alertmanager.demo:9093",
    version: "4",
    groupKey: `{}:{alertname="${a.alertname}", repository="${labels2.repository}"}`,
    truncatedAlerts: 0
  };
}
function repository(r) {
  return {
    id: STANDIN_REPO_ID,
    name: r.repo,
    full_name: `${r.owner}/${r.repo}`,
    private: false,
    owner: { login: r.owner, id: 1, type: "Organization" },
    html_url: `https://github.com/${r.owner}/${r.repo}`,
    default_branch: "main"
  };
}
function issueCommentPayload(r, issue2, comment2) {
  return {
    action: "created",
    issue: {
      number: issue2.number,
      title: issue2.title,
      body: issue2.body,
      state: "open",
      html_url: `https://github.com/${r.owner}/${r.repo}/issues/${issue2.number}`,
      user: user("aftershock-demo[bot]")
    },
    comment: {
      id: comment2.id,
      body: comment2.body,
      user: user(comment2.login),
      created_at: comment2.at,
      html_url: `https://github.com/${r.owner}/${r.repo}/issues/${issue2.number}#issuecomment-${comment2.id}`
    },
    repository: repository(r),
    sender: user(comment2.login),
    installation
  };
}
function mergedPullPayload(r, pull, login) {
  return {
    action: "closed",
    number: pull.number,
    pull_request: { ...pull, merged_by: user(login), user: user("aftershock-demo[bot]") },
    repository: repository(r),
    sender: user(login),
    installation
  };
}
var ZERO_TIME2, user, installation;
var init_payloads = __esm({
  "src/demo/payloads.ts"() {
    "use strict";
    init_standin_git();
    init_github_standin();
    ZERO_TIME2 = "0001-01-01T00:00:00Z";
    user = (login) => ({ login, id: 583231, type: "User" });
    installation = { id: STANDIN_INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  }
});

// src/demo/incident-story.ts
import { Octokit as Octokit2 } from "octokit";
async function runIncidentStory(gate, say) {
  let clock = at(0);
  const now = () => clock;
  const history = storyRepo();
  const github = await startGithubStandin({
    owner: STORY_OWNER,
    repo: STORY_REPO,
    history,
    files: { ".github/aftershock.yml": STORY_REPO_CONFIG },
    collaborators: { [RESPONDER]: "write" },
    now
  });
  let app;
  try {
    const deploymentId = await markCheckedDeployment(github, gate, history, say);
    app = await startDemoApp({ githubUrl: github.url, now, events: new AppEvents() });
    const repoIds = { owner: STORY_OWNER, repo: STORY_REPO };
    const alert = {
      ...repoIds,
      alertname: "CheckoutErrorRate",
      service: STORY_SERVICE,
      environment: STORY_ENVIRONMENT,
      severity: "critical",
      summary: "checkout fails 7 % of requests (5xx ratio above 5 % for 2m)",
      startsAt: at(AT.alertStarts).toISOString()
    };
    say.section("2 \xB7 Alertmanager fires, the app opens the incident");
    clock = at(AT.alertDelivered);
    const delivery = await app.alert(alertmanagerPayload(alert));
    say.line(`${time2(at(AT.alertStarts))}  ${alert.alertname} starts firing: ${alert.summary}`);
    say.line(
      `${time2(clock)}  POST ${app.url}/alertmanager  \u2192  HTTP ${delivery.status} ${JSON.stringify(delivery.json)}`
    );
    const number = Number(delivery.json.issue);
    if (delivery.status !== 201 || !Number.isInteger(number)) {
      throw new Error(
        `the app did not open the incident: HTTP ${delivery.status} ${JSON.stringify(delivery.json)}
${app.logs.join("")}`
      );
    }
    const incident = issue(github, number);
    const openedBody = incident.body;
    const opened = record(incident);
    say.section("3 \xB7 Correlation: which change did it?");
    say.line(
      `The app read ${opened.deploys.length} deployment(s) of ${STORY_ENVIRONMENT} and the PRs they shipped (fetchHistory: GraphQL), and ranked them:`
    );
    say.line();
    opened.suspects.forEach((s, i) => {
      say.line(`  ${i + 1}. #${s.number} ${s.title}  (by ${s.author}, score ${s.score.toFixed(2)})`);
      for (const r of s.reasons) say.line(`       \xB7 ${r}`);
    });
    say.line();
    say.line(`Incident #${incident.number}: ${incident.title}`);
    say.line(
      `  https://github.com/${STORY_OWNER}/${STORY_REPO}/issues/${incident.number}  [${incident.labels.join(", ")}]`
    );
    say.section("4 \xB7 The response: /ack, /rollback, the revert merged, the alert resolves");
    clock = at(AT.ackAndRollback);
    await comment(app, github, incident, { id: 9000001, body: "/ack\n/rollback", at: clock });
    say.line(`${time2(clock)}  @${RESPONDER} comments "/ack" and "/rollback"`);
    say.line(indent(incident.comments.at(-1) ?? "(no reply)"));
    const top = opened.suspects[0]?.number;
    const rollbackPr = github.pulls.find((p) => p.reverts === top);
    if (!rollbackPr)
      throw new Error(`no rollback PR was opened for #${top}: the app said ${incident.comments.at(-1)}`);
    say.line(
      `        revert PR #${rollbackPr.number} "${rollbackPr.title}" (${rollbackPr.head} \u2192 ${rollbackPr.base}, labels: ${rollbackPr.labels.join(", ")})`
    );
    clock = at(AT.revertMerged);
    const merged = github.merge(rollbackPr.number);
    await app.webhook("pull_request", mergedPullPayload(repoIds, merged, RESPONDER));
    say.line(
      `${time2(clock)}  @${RESPONDER} merges #${rollbackPr.number}; the redeploy ships the revert (pull_request.closed \u2192 mitigated)`
    );
    clock = at(AT.alertResolvedDelivered);
    const resolved = await app.alert(
      alertmanagerPayload({ ...alert, endsAt: at(AT.alertResolved).toISOString() })
    );
    say.line(
      `${time2(at(AT.alertResolved))}  the error ratio is back under 5 %: Alertmanager sends "resolved" \u2192 HTTP ${resolved.status} (${String(resolved.json.outcome)})`
    );
    say.section("5 \xB7 Resolve and write the post-mortem");
    clock = at(AT.resolveAndPostmortem);
    await comment(app, github, incident, {
      id: 9000002,
      body: `/resolve Rolled back #${top}; the orders index is being rebuilt offline
/postmortem`,
      at: clock
    });
    say.line(`${time2(clock)}  @${RESPONDER} comments "/resolve \u2026" and "/postmortem"`);
    say.line(indent(incident.comments.at(-1) ?? "(no reply)"));
    const final = record(incident);
    const path = final.response?.postmortem?.path;
    const pmPull = github.pulls.find((p) => p.number === final.response?.postmortem?.pr);
    const markdown = pmPull && path ? github.file(pmPull.head, path) : void 0;
    if (!path || !pmPull || markdown === void 0) {
      throw new Error(`the post-mortem PR was not opened: the app said ${incident.comments.at(-1)}`);
    }
    return {
      deploymentId,
      incident,
      opened,
      final,
      openedBody,
      rollbackPr,
      postmortem: { path, markdown, pr: pmPull },
      replies: [...incident.comments],
      githubRequests: github.requests.length
    };
  } finally {
    await app?.stop();
    await github.close();
  }
}
async function markCheckedDeployment(github, gate, history, say) {
  const octokit = new Octokit2({
    auth: STANDIN_INSTALLATION_TOKEN,
    baseUrl: github.url,
    retry: { enabled: false },
    throttle: { enabled: false }
  });
  const target = checkedDeployment(history);
  const id2 = await findDeployment(octokit, {
    owner: STORY_OWNER,
    repo: STORY_REPO,
    sha: target.sha,
    environment: STORY_ENVIRONMENT
  });
  if (id2 === null) throw new Error(`the stand-in has no deployment of ${target.sha}`);
  const state = deploymentState(gate.verdict, false) ?? "failure";
  await markDeployment(
    octokit,
    { owner: STORY_OWNER, repo: STORY_REPO, deploymentId: id2 },
    {
      state,
      description: `aftershock: ${gate.verdict}${gate.severity ? ` (${gate.severity})` : ""}: ${gate.reason}`
    }
  );
  say.line(
    `The Action marks deployment ${id2} (${target.sha.slice(0, 7)}, ${STORY_ENVIRONMENT}) as "${state}".`
  );
  return id2;
}
async function comment(app, github, incident, comment2) {
  const { id: id2, body } = comment2;
  await app.webhook(
    "issue_comment",
    issueCommentPayload(
      { owner: STORY_OWNER, repo: STORY_REPO },
      { number: incident.number, title: incident.title, body: incident.body },
      { id: id2, body, login: RESPONDER, at: comment2.at.toISOString() }
    )
  );
  const reactions = github.reactions.filter((r) => r.commentId === id2).map((r) => r.content);
  if (!reactions.includes("rocket")) {
    throw new Error(
      `the app did not finish "${body}" (reactions: ${reactions.join(", ") || "none"}): ${incident.comments.at(-1) ?? ""}`
    );
  }
}
function issue(github, number) {
  const found = github.issues.find((i) => i.number === number);
  if (!found) throw new Error(`the app answered issue #${number}, but GitHub has no such issue`);
  return found;
}
function record(issue2) {
  const r = parseRecord(issue2.body);
  if (!r) throw new Error(`issue #${issue2.number} has no incident record`);
  return r;
}
var RESPONDER, AT, at, time2, indent;
var init_incident_story = __esm({
  "src/demo/incident-story.ts"() {
    "use strict";
    init_events();
    init_incident_record();
    init_deployment_status();
    init_app_server();
    init_github_standin();
    init_payloads();
    init_story_repo();
    RESPONDER = "maya-oncall";
    AT = {
      alertStarts: 2,
      alertDelivered: 3,
      ackAndRollback: 6,
      revertMerged: 14,
      alertResolved: 17,
      alertResolvedDelivered: 18,
      resolveAndPostmortem: 31
    };
    at = (minutes) => new Date(Date.parse(STORY_DEPLOY_TIME) + minutes * 6e4);
    time2 = (d) => d.toISOString().slice(11, 16);
    indent = (text3) => text3.split("\n").map((l) => `        \u2502 ${l}`).join("\n");
  }
});

// src/cli/demo.ts
var demo_exports = {};
__export(demo_exports, {
  DEMO_HELP: () => DEMO_HELP,
  examplesDir: () => examplesDir,
  runDemo: () => runDemo
});
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join as join2, relative, resolve as resolve2 } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs as parseArgs5 } from "node:util";
function examplesDir() {
  return join2(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    ...import.meta.url.includes("/src/") ? [".."] : [],
    "examples"
  );
}
async function runDemo(argv, io) {
  let values;
  try {
    ({ values } = parseArgs5({
      args: argv,
      options: { out: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false
    }));
  } catch (err) {
    const message = explainParseError(err, ["out", "quiet", "help"]);
    io.stderr(`aftershock demo: ${message.replace(/ \(see --help\)$/, "")} (see aftershock demo --help)
`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(DEMO_HELP);
    return EXIT.pass;
  }
  const out = resolve2(values.out ?? "aftershock-demo");
  const print = values.quiet ? () => {
  } : io.stdout;
  const say = {
    section: (title) => print(`
\u2501\u2501 ${title} ${"\u2501".repeat(Math.max(3, 72 - title.length))}
`),
    line: (text3 = "") => print(`${text3}
`)
  };
  try {
    const started = performance.now();
    print(
      "aftershock demo: a deploy, the incident it causes and the response, through the real code.\nGitHub is an in-process stand-in on 127.0.0.1; no credentials, no network.\n"
    );
    say.section("1 \xB7 The deploy gate (the Action's engine on the bundled scenarios, replayed)");
    const runs = await gateScenarios(join2(examplesDir(), "scenarios"));
    for (const run of runs) say.line(scenarioLine(run));
    const story = runs.find((r) => r.name === STORY_SCENARIO);
    if (!story) throw new Error(`the bundled scenario ${STORY_SCENARIO}.json is missing`);
    say.line();
    say.line(`${story.name}: ${story.description}  \u2192  exit ${EXIT[story.report.verdict]}`);
    say.line(renderText(story.report).trimEnd());
    say.line();
    const result = await runIncidentStory(story.report, say);
    const files = writeFiles(out, story.report, result);
    narrateEnd(say, result, files, out, performance.now() - started);
    if (values.quiet) for (const f2 of Object.values(files)) io.stdout(`${f2}
`);
    return EXIT.pass;
  } catch (err) {
    io.stderr(`aftershock demo failed: ${errorMessage(err)}
`);
    return EXIT.usage;
  }
}
function scenarioLine(run) {
  const r = run.report;
  const verdict = `${r.verdict.toUpperCase()}${r.severity ? ` (${r.severity})` : ""}`;
  const chart = r.checks[0] ? sparklineOf(r) : "";
  return `  ${run.name.padEnd(20)} ${verdict.padEnd(13)} exit ${EXIT[r.verdict]}  ${chart}`;
}
function sparklineOf(report) {
  const line = renderText(report).split("\n").find((l) => l.includes("\u2502"));
  return line ? line.trim() : "";
}
function writeFiles(out, gate, r) {
  mkdirSync(out, { recursive: true });
  const write = (name, text3) => {
    const path = join2(out, name);
    writeFileSync(path, text3.endsWith("\n") ? text3 : `${text3}
`);
    return path;
  };
  const pull = r.rollbackPr;
  return {
    gateSummary: write("gate-summary.md", renderSummary(gate)),
    incident: write(`incident-${r.incident.number}.md`, `# ${r.incident.title}

${r.incident.body}`),
    rollbackPr: write(
      `rollback-pr-${pull.number}.md`,
      `# ${pull.title}

<sub>#${pull.number} \xB7 ${pull.head} \u2192 ${pull.base}${pull.draft ? " \xB7 draft" : ""} \xB7 labels: ${pull.labels.join(", ")}</sub>

${pull.body}`
    ),
    postmortem: write(basename(r.postmortem.path), r.postmortem.markdown)
  };
}
function narrateEnd(say, r, files, out, ms) {
  const metrics = computeResponseMetrics(r.final, readResponseState(r.final));
  const f2 = metrics.formatted;
  say.line(
    `Post-mortem PR #${r.postmortem.pr.number} "${r.postmortem.pr.title}" adds ${r.postmortem.path} on ${r.postmortem.pr.head}`
  );
  say.line(
    `Time to detect ${f2.detect ?? "\u2013"} \xB7 acknowledge ${f2.acknowledge ?? "\u2013"} \xB7 mitigate ${f2.mitigate ?? "\u2013"} \xB7 resolve ${f2.resolve ?? "\u2013"}`
  );
  say.section("6 \xB7 Files written");
  const rel = (p) => relative(process.cwd(), p) || p;
  say.line(`  ${rel(files.gateSummary)}  the Action's job summary for the deploy check`);
  say.line(`  ${rel(files.incident)}  incident #${r.incident.number}: the issue as the app left it`);
  say.line(`  ${rel(files.rollbackPr)}  the revert PR for #${r.opened.suspects[0]?.number}`);
  say.line(`  ${rel(files.postmortem)}  the post-mortem draft (${r.postmortem.path} in the PR)`);
  say.line();
  say.line(
    `Done in ${(ms / 1e3).toFixed(1)} s; the GitHub stand-in answered ${r.githubRequests} requests. Output in ${rel(out)}/`
  );
}
var DEMO_HELP;
var init_demo = __esm({
  "src/cli/demo.ts"() {
    "use strict";
    init_render_summary();
    init_render_text();
    init_response_metrics();
    init_response_state();
    init_gate_step();
    init_incident_story();
    init_io();
    init_errors();
    DEMO_HELP = `Usage: aftershock demo [--out DIR] [--quiet]

Runs the whole story offline in a few seconds, with no credentials and no network beyond 127.0.0.1:
the deploy gate on the bundled scenarios, the Alertmanager alert that follows, the app's
correlation against a bundled repository history, the incident issue, the rollback PR and the
post-mortem. GitHub is an in-process stand-in; everything else is aftershock's real code.

  --out DIR    where to save the markdown the run wrote (default ./aftershock-demo)
  --quiet      print only the files written
  -h, --help   this help
`;
  }
});

// src/cli/main.ts
import { realpathSync } from "node:fs";
import { fileURLToPath as fileURLToPath2 } from "node:url";

// src/cli/check.ts
init_duration();
init_schema();
import { readFileSync as readFileSync2 } from "node:fs";
import { parseArgs } from "node:util";

// src/core/gate/dashboard-url.ts
init_errors();
init_template();
function renderDashboardUrl(template, vars) {
  const values = {
    ...vars,
    from: String(Math.round(vars.from * 1e3)),
    to: String(Math.round(vars.to * 1e3))
  };
  const url = fillPlaceholders(
    template.trim(),
    "dashboard-url",
    values,
    [...TEMPLATE_VAR_NAMES, "from", "to"],
    encodeURIComponent,
    (m) => new ConfigError(m)
  );
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`dashboard-url "${template}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new ConfigError(`dashboard-url must be an http(s) URL, got ${parsed.protocol}`);
  return parsed.toString();
}
function dashboardUrlFor(template, gate) {
  if (!template?.trim()) return void 0;
  return renderDashboardUrl(template, {
    ...gate.vars,
    from: gate.deployTime - gate.baselineSeconds,
    to: gate.deployTime + gate.windowSeconds
  });
}

// src/cli/check.ts
init_errors();

// src/core/text/headers.ts
init_errors();
function parseHeaderLines(lines, where) {
  const headers = {};
  lines.forEach((line, index) => {
    const i = line.indexOf(":");
    if (i <= 0)
      throw new ConfigError(
        `${where(index + 1)} has no "Name: value" colon (its content is not shown: it may hold a secret)`
      );
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  });
  return headers;
}

// src/cli/check.ts
init_gate_config();
init_gate();

// src/core/gate/report-json.ts
var iso2 = (t) => t === null ? null : new Date(t * 1e3).toISOString();
function reportJson(report) {
  return {
    verdict: report.verdict,
    severity: report.severity,
    detectedAt: iso2(report.detectedAt),
    deployTime: iso2(report.deployTime),
    backtest: report.backtest,
    reason: report.reason,
    baselineSeconds: report.baselineSeconds,
    windowSeconds: report.windowSeconds,
    stepSeconds: report.stepSeconds,
    checks: report.checks.map((c) => ({
      name: c.name,
      query: c.query,
      critical: c.critical,
      verdict: c.verdict,
      noData: c.noData,
      severity: c.severity,
      reason: c.reason,
      detectedAt: iso2(c.detectedAt),
      ...c.stats,
      // The figure that set the severity (the window median up to detection), and what was compared.
      severityValue: c.severityValue,
      ...c.controlQuery !== void 0 ? { controlQuery: c.controlQuery } : {},
      references: c.references,
      warnings: c.warnings
    }))
  };
}

// src/cli/check.ts
init_render_text();

// src/sources/settings.ts
init_defaults();
init_amazon_prometheus();
init_errors2();
init_sources();
var SECRET_INPUTS = {
  "datadog-api-key": { env: "DD_API_KEY", description: "Datadog API key" },
  "datadog-application-key": { env: "DD_APPLICATION_KEY", description: "Datadog application key" },
  "newrelic-api-key": { env: "NEW_RELIC_API_KEY", description: "New Relic user key (NRAK-\u2026)" }
};
var ENV_FALLBACK = {
  "newrelic-account-id": "NEW_RELIC_ACCOUNT_ID",
  "newrelic-region": "NEW_RELIC_REGION",
  ...Object.fromEntries(Object.entries(SECRET_INPUTS).map(([name, s]) => [name, s.env]))
};
function sourceSettingsFrom(raw, env, base = {}) {
  const get2 = (name) => {
    const fallback = ENV_FALLBACK[name];
    return raw[name]?.trim() || (fallback ? env[fallback]?.trim() : void 0) || void 0;
  };
  const kind = get2("source");
  if (kind !== void 0 && !SOURCE_KINDS.includes(kind)) {
    throw new MetricSourceError(`source "${kind}" must be one of ${SOURCE_KINDS.join(", ")}.`);
  }
  const sigv4 = get2("prometheus-sigv4");
  if (sigv4 !== void 0 && sigv4 !== "true" && sigv4 !== "false") {
    throw new MetricSourceError(`prometheus-sigv4 "${sigv4}" must be true or false.`);
  }
  const apiKey = get2("datadog-api-key");
  const applicationKey = get2("datadog-application-key") ?? env.DD_APP_KEY?.trim();
  const newRelicKey = get2("newrelic-api-key");
  const headerLines = raw["json-headers"]?.trim();
  const jsonHeaders = headerLines ? parseHeaderLines(
    headerLines.split(/\r?\n/).filter((line) => line.trim() !== ""),
    (n) => `json-headers line ${n}`
  ) : void 0;
  const jsonUrl = get2("json-url");
  const settings = {
    ...base,
    prometheus: {
      ...base.prometheus,
      url: get2("prometheus-url") ?? base.prometheus?.url,
      sigv4: sigv4 === "true"
    },
    file: get2("metrics-file") ?? base.file,
    datadog: { site: get2("datadog-site"), endpoint: get2("datadog-endpoint"), apiKey, applicationKey },
    aws: { region: get2("aws-region"), endpoint: get2("cloudwatch-endpoint") },
    newrelic: {
      accountId: get2("newrelic-account-id"),
      region: get2("newrelic-region"),
      endpoint: get2("newrelic-endpoint"),
      apiKey: newRelicKey
    },
    json: jsonUrl ? {
      url: jsonUrl,
      method: get2("json-method"),
      body: get2("json-body"),
      headers: jsonHeaders,
      timestamps: get2("json-timestamps") ?? "",
      values: get2("json-values") ?? "",
      series: get2("json-series"),
      label: get2("json-label")
    } : void 0,
    env
  };
  const secrets = [apiKey, applicationKey, newRelicKey].filter((s) => Boolean(s));
  for (const value of Object.values(jsonHeaders ?? {})) {
    for (const m of value.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) {
      const secret = env[m[1] ?? ""];
      if (secret) secrets.push(secret);
    }
  }
  return { settings, defaultKind: kind, secrets };
}
function gateSource(raw, env, base, checks) {
  const { settings, defaultKind, secrets } = sourceSettingsFrom(raw, env, base);
  const kinds = new Set(checks.map((c) => c.source).filter((k) => k !== void 0));
  const url = settings.prometheus?.url;
  if (defaultKind === void 0 && kinds.size === 0 && !settings.prometheus?.sigv4 && !isAmazonPrometheusUrl(url ?? "")) {
    const { sigv4: _sigv4, url: _url, ...http } = settings.prometheus ?? {};
    return {
      source: createSource({ ...http, ...retryOf(base), prometheusUrl: url, file: settings.file }),
      secrets
    };
  }
  const set2 = new SourceSet(settings, defaultKind ?? defaultKindOf(settings));
  for (const check of checks) set2.forKind(check.source ?? set2.defaultKind);
  return { source: set2, secrets };
}
function retryOf(s) {
  const { timeoutMs: timeoutMs2, retries, backoffMs, sleep: sleep3, random } = s;
  return { timeoutMs: timeoutMs2, retries, backoffMs, sleep: sleep3, random };
}

// src/cli/check-options.ts
init_did_you_mean();
init_schema();
var CLI_ONLY = {
  header: {
    arg: "'Name: value'",
    help: "source",
    description: "extra request header (repeatable), e.g. X-Scope-OrgID for Mimir",
    multiple: true
  },
  "json-header": {
    arg: "'Name: value'",
    help: "source",
    description: "JSON source request header (repeatable); ${ENV_NAME} is read from the environment",
    multiple: true
  },
  format: { arg: "F", help: "output", description: "text (default) or json (one object on stdout)" },
  quiet: { help: "output", description: "no progress lines on stderr" },
  help: { help: "output", description: "this help", short: "h" }
};
var SCHEMA_FLAGS = optionsOn("cli");
function flagOf(name) {
  if (name in CLI_ONLY) return CLI_ONLY[name];
  const meta = metaOf(name);
  return { ...meta, description: meta.cliDescription ?? meta.description };
}
var CHECK_FLAGS = [...SCHEMA_FLAGS, ...Object.keys(CLI_ONLY)];
var PARSE_OPTIONS = Object.fromEntries(
  CHECK_FLAGS.map((name) => {
    const f2 = flagOf(name);
    const o = { type: f2.arg ? "string" : "boolean" };
    if (f2.multiple) o.multiple = true;
    if (f2.short) o.short = f2.short;
    return [name, o];
  })
);
function explainUnknownFlag(message) {
  const m = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (!m) return message;
  const near = closest(m[2], CHECK_FLAGS);
  const hint = near === void 0 ? "" : ` (did you mean --${near}?)`;
  return `Unknown option '${m[1]}${m[2]}'${hint}; valid options: ${CHECK_FLAGS.map((f2) => `--${f2}`).join(", ")}`;
}
var COLUMN = 27;
var WIDTH = 100;
function entry(name) {
  const f2 = flagOf(name);
  return wrap(`  ${f2.short ? `-${f2.short}, ` : ""}--${name}${f2.arg ? ` ${f2.arg}` : ""}`, described(f2));
}
var described = (f2) => `${f2.description}${f2.default !== void 0 ? ` (default ${f2.default})` : ""}`;
function wrap(head, text3) {
  const lines = [];
  let line = head.length < COLUMN - 1 ? head.padEnd(COLUMN) : `${head}
${" ".repeat(COLUMN)}`;
  let fresh = true;
  for (const word of text3.split(" ")) {
    const width = line.length - line.lastIndexOf("\n") - 1;
    if (!fresh && width + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(COLUMN);
      fresh = true;
    }
    line += fresh ? word : ` ${word}`;
    fresh = false;
  }
  lines.push(line);
  return lines.join("\n");
}
var section = (group) => CHECK_FLAGS.filter((n) => flagOf(n).help === group).map(entry);
var yamlOnlyKeys = optionsOn("yaml").filter((n) => !metaOf(n).surfaces.includes("cli"));
var CHECK_HELP = `Usage: aftershock check [options]

Compares the minutes after a deploy with the baseline before it and prints a verdict.
If deploy-time + window is already in the past, it replays history (backtest) and reports
when the live gate would have failed.

Metric source (--prometheus-url or --metrics-file, or --source with a vendor's settings):
${section("source").join("\n")}
  Auth from the environment, never flags: PROMETHEUS_BEARER_TOKEN, or
  PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD; DD_API_KEY + DD_APPLICATION_KEY;
  NEW_RELIC_API_KEY; AWS credentials from the AWS chain (AWS_ACCESS_KEY_ID..., web identity).

One check:
${section("check").join("\n")}

Several checks:
${section("checks").join("\n")}
${yamlOnlyKeys.map((n) => wrap(`    ${n}:`, described(metaOf(n)))).join("\n")}

Timing:
${section("timing").join("\n")}

Policy:
${section("policy").join("\n")}

Output:
${section("output").join("\n")}

Exit codes: 0 pass, 1 fail, 2 usage or configuration error, 3 inconclusive.
`;

// src/cli/check.ts
init_io();
async function runCheck(argv, io, now) {
  let values;
  try {
    values = parseCheckFlags(argv);
  } catch (err) {
    const message = `${explainUnknownFlag(errorMessage(err))} (see aftershock check --help)`;
    return writeFailure("check", message, EXIT.usage, io, argv);
  }
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.pass;
  }
  try {
    const { gate, source, format, quiet, dashboardUrl } = readCheckArgs(values, io, now);
    const report = await runGate(gate, source, {
      now,
      onProgress: quiet ? void 0 : (line) => io.stderr(`${line}
`)
    });
    if (format === "json") {
      const json = dashboardUrl ? { ...reportJson(report), dashboardUrl } : reportJson(report);
      io.stdout(`${JSON.stringify(json, null, 2)}
`);
    } else {
      io.stdout(renderText(report) + (dashboardUrl ? `Dashboard: ${dashboardUrl}
` : ""));
    }
    return EXIT[report.verdict];
  } catch (err) {
    const e = err;
    const usage = err instanceof ConfigError || e.retryable === false;
    return writeFailure("check", e.message, usage ? EXIT.usage : EXIT.inconclusive, io, argv);
  }
}
function parseCheckFlags(argv) {
  return parseArgs({ args: argv, options: PARSE_OPTIONS, strict: true, allowPositionals: false }).values;
}
function readCheckArgs(values, io, now) {
  const str = (name) => typeof values[name] === "string" ? values[name] : void 0;
  const format = str("format") ?? "text";
  if (format !== "text" && format !== "json")
    throw new ConfigError(`--format "${format}" must be text or json`);
  const inputs = Object.fromEntries(
    optionsOn("cli").map((name) => [name, values[name] === true ? "true" : str(name)])
  );
  const checksFile = str("checks");
  if (checksFile) inputs.checks = readChecksFile(checksFile);
  const gate = buildGate(inputs, now, (key) => `--${key}`);
  const { source } = gateSource(
    {
      ...inputs,
      "json-headers": (values["json-header"] ?? []).join("\n")
    },
    io.env,
    {
      prometheus: {
        bearerToken: io.env.PROMETHEUS_BEARER_TOKEN || void 0,
        basicAuth: io.env.PROMETHEUS_USERNAME ? { username: io.env.PROMETHEUS_USERNAME, password: io.env.PROMETHEUS_PASSWORD ?? "" } : void 0,
        headers: parseHeaderLines(values.header ?? [], (n) => `--header #${n}`)
      },
      timeoutMs: str("timeout") ? timeoutMs(str("timeout")) : void 0
    },
    gate.checks
  );
  const dashboardUrl = dashboardUrlFor(str("dashboard-url"), gate);
  return { gate, source, format, quiet: values.quiet === true, dashboardUrl };
}
function readChecksFile(path) {
  try {
    return readFileSync2(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the checks file ${path}: ${errorMessage(err)}`);
  }
}
function timeoutMs(text3) {
  try {
    return parseDuration(text3, "--timeout") * 1e3;
  } catch (err) {
    throw new ConfigError(errorMessage(err));
  }
}

// src/cli/main.ts
init_did_you_mean();
init_io();

// src/cli/report.ts
init_errors();
init_duration();
init_incident_record();
init_report();
import { readFile } from "node:fs/promises";
import { parseArgs as parseArgs2 } from "node:util";

// src/core/learning/render-report.ts
init_markdown();
init_response_metrics();
function renderReport(report, options = {}) {
  const since = report.period.since.slice(0, 10);
  const until = report.period.until.slice(0, 10);
  const title = options.title ?? "Incident report";
  const parts = [`# ${escapeMarkdown(title, 120)}: ${since} to ${until}`, summaryTable(report)];
  if (report.totals.incidents === 0) {
    parts.push("No incidents were opened in this period.");
    return parts.join("\n\n") + "\n";
  }
  parts.push(
    section2("Severity", [severityPie(report), severityTable(report)].join("\n\n")),
    section2("Incidents per week", weeklyBars(report)),
    section2("Time to resolve, per week", mttrBars(report) + "\n\n" + weekTable(report)),
    section2("Services", serviceTable(report)),
    section2("Causes", causeTable(report)),
    section2("Hotspots", hotspotTables(report)),
    section2("Open action items", actionItemTable(report)),
    section2("Recurring errors", signatureTable(report)),
    section2("Incidents", incidentTable(report, options.maxIncidents ?? 50))
  );
  return parts.join("\n\n") + "\n";
}
function section2(heading, body) {
  return `## ${heading}

${body}`;
}
function dur(ms) {
  return ms === null || ms === void 0 ? "\u2013" : formatElapsed(ms);
}
function statCells(s) {
  return s.n === 0 ? "\u2013 | \u2013" : `${dur(s.median)} | ${dur(s.mean)}`;
}
function summaryTable(r) {
  const stopped = r.deploys.checked === 0 ? "\u2013" : `${r.deploys.stopped} of ${r.deploys.checked}`;
  return [
    "| | |",
    "| --- | --- |",
    `| Incidents | ${r.totals.incidents} (${r.totals.open} open, ${r.totals.closed} closed) |`,
    `| Time to acknowledge (median / mean) | ${r.mtta.n === 0 ? "\u2013" : `${dur(r.mtta.median)} / ${dur(r.mtta.mean)} over ${r.mtta.n}`} |`,
    `| Time to resolve (median / mean) | ${r.mttr.n === 0 ? "\u2013" : `${dur(r.mttr.median)} / ${dur(r.mttr.mean)} over ${r.mttr.n}`} |`,
    `| Deploys checked by the gate | ${r.deploys.checked} |`,
    `| Deploys the gate stopped | ${stopped} |`
  ].join("\n");
}
function mermaidLabel(text3, max = 40) {
  const clean = String(text3).replace(/["`\\#;:[\]{}<>]/g, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  return chars.length > max ? chars.slice(0, max - 1).join("") + "\u2026" : clean;
}
function mermaid(lines) {
  return ["```mermaid", ...lines, "```"].join("\n");
}
function severityPie(r) {
  const slices = ["P1", "P2", "P3"].filter((s) => r.bySeverity[s] > 0);
  return mermaid(["pie title Incidents by severity", ...slices.map((s) => `  "${s}" : ${r.bySeverity[s]}`)]);
}
function severityTable(r) {
  return [
    "| Severity | Incidents |",
    "| --- | --- |",
    ...["P1", "P2", "P3"].map((s) => `| ${s} | ${r.bySeverity[s]} |`)
  ].join("\n");
}
function weekAxis(r) {
  return `  x-axis [${r.weeks.map((w) => `"${mermaidLabel(w.start.slice(5))}"`).join(", ")}]`;
}
function weeklyBars(r) {
  const counts = r.weeks.map((w) => w.incidents);
  return mermaid([
    "xychart-beta",
    '  title "Incidents per week"',
    weekAxis(r),
    `  y-axis "Incidents" 0 --> ${Math.max(1, ...counts)}`,
    `  bar [${counts.join(", ")}]`
  ]);
}
function mttrBars(r) {
  const minutes = r.weeks.map((w) => w.mttr.median === null ? 0 : Math.round(w.mttr.median / 6e3) / 10);
  return mermaid([
    "xychart-beta",
    '  title "Median time to resolve (minutes)"',
    weekAxis(r),
    `  y-axis "Minutes" 0 --> ${Math.max(1, Math.ceil(Math.max(...minutes) * 1.1))}`,
    `  bar [${minutes.join(", ")}]`
  ]);
}
function weekTable(r) {
  return [
    "| Week of | Incidents | MTTA median | MTTA mean | MTTR median | MTTR mean |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.weeks.map((w) => `| ${w.start} | ${w.incidents} | ${statCells(w.mtta)} | ${statCells(w.mttr)} |`)
  ].join("\n");
}
function serviceTable(r) {
  return [
    "| Service | Incidents |",
    "| --- | --- |",
    ...r.byService.map((s) => `| ${code(s.service, 80, { table: true })} | ${s.incidents} |`)
  ].join("\n");
}
function causeTable(r) {
  return [
    "| Cause | Incidents |",
    "| --- | --- |",
    `| Confirmed culprit (root cause confirmed or revert merged) | ${r.byCause.confirmed} |`,
    `| Suspected only | ${r.byCause.suspected} |`,
    `| No suspect | ${r.byCause.none} |`
  ].join("\n");
}
function refs(numbers) {
  const shown3 = numbers.slice(0, 10).map((n) => `#${n}`);
  return numbers.length > 10 ? `${shown3.join(", ")} and ${numbers.length - 10} more` : shown3.join(", ");
}
function hotspotTables(r) {
  if (r.hotspots.files.length === 0)
    return "No culprit PR with known files in this period (a culprit is a confirmed root cause or a merged revert).";
  const table = (what, rows) => [
    `| ${what} | Incidents | Which |`,
    "| --- | --- | --- |",
    ...rows.map((h) => `| ${code(h.path, 120, { table: true })} | ${h.incidents} | ${refs(h.numbers)} |`)
  ].join("\n");
  return `${table("File", r.hotspots.files)}

${table("Directory", r.hotspots.directories)}`;
}
function actionItemTable(r) {
  if (r.openActionItems.length === 0) return "None.";
  return [
    "| Action item | Incident | Issue | Open for |",
    "| --- | --- | --- | --- |",
    ...r.openActionItems.slice(0, 30).map(
      (a) => `| ${escapeMarkdown(scrubMentions(a.text), 200)} | #${a.incident} | ${a.issue === void 0 ? "not filed" : `#${a.issue}`} | ${dur(a.ageMs)} |`
    )
  ].join("\n");
}
function signatureTable(r) {
  if (r.signatures.length === 0) return "No error text in the alerts of this period.";
  return [
    "| Error | Type | Incidents | Which |",
    "| --- | --- | --- | --- |",
    ...r.signatures.map(
      (s) => `| ${code(s.signature, 160, { table: true })} | ${s.exceptionType ? code(s.exceptionType, 80, { table: true }) : "\u2013"} | ${s.incidents} | ${refs(s.numbers)} |`
    )
  ].join("\n");
}
function incidentTable(r, max) {
  const shown3 = r.incidents.slice(0, max);
  const rows = shown3.map(
    (i) => `| ${link(`#${i.number}`, i.url, 20)} | ${formatTime(i.openedAt)} | ${i.severity} | ${escapeMarkdown(scrubMentions(i.name), 100)} | ${code(i.service, 60, { table: true })} | ${i.cause} | ${i.state} | ${dur(i.resolveMs)} |`
  );
  const more2 = r.incidents.length - shown3.length;
  return [
    "| Incident | Opened | Severity | Alert | Service | Cause | State | Resolved in |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    ...more2 > 0 ? [`| \u2026${more2} more | | | | | | | |`] : []
  ].join("\n");
}

// src/cli/report.ts
init_incident_history();

// src/github/report-issue.ts
var REPORT_LABEL = "incident-report";
var MARKER2 = "aftershock:report";
function periodKey(since, until) {
  const day = (d) => new Date(d).toISOString().slice(0, 10);
  return `${day(since)}..${day(until)}`;
}
function reportMarker(period) {
  return `<!-- ${MARKER2} period=${period.replace(/[^\w.:-]/g, "_")} -->`;
}
async function findReportIssue(octokit, ref) {
  const marker = reportMarker(ref.period);
  let requests = 0;
  for (let page = 1; page <= 10; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: ref.owner,
      repo: ref.repo,
      state: "all",
      labels: ref.label ?? REPORT_LABEL,
      sort: "created",
      direction: "desc",
      per_page: 100,
      page
    });
    requests += 1;
    const issues = data;
    const found = issues.find((i) => !i.pull_request && (i.body ?? "").includes(marker));
    if (found) return { issue: { number: found.number, url: found.html_url }, requests };
    if (issues.length < 100) break;
  }
  return { issue: null, requests };
}
async function upsertReportIssue(octokit, ref, content) {
  const body = `${reportMarker(ref.period)}
${content.body}`;
  const { issue: issue2, requests } = await findReportIssue(octokit, ref);
  if (issue2) {
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: issue2.number,
      title: content.title,
      body
    });
    return { ...issue2, created: false, requests: requests + 1 };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    title: content.title,
    body,
    labels: [ref.label ?? REPORT_LABEL]
  });
  const created = data;
  return { number: created.number, url: created.html_url, created: true, requests: requests + 1 };
}

// src/cli/report.ts
init_io();
var HELP = `Usage:
  aftershock report --repo owner/name [--since 30d] [--until ISO] [--format markdown|json]
                    [--label incident] [--deployments] [--publish [--publish-empty]] [--github-url URL]
  aftershock report --input incidents.json [--since 30d|ISO] [--until ISO] [--format markdown|json]

What the period's incidents teach: counts by severity, service and cause, time to acknowledge and to
resolve (median, mean, week by week), deploys the gate checked and stopped, files that keep turning up
in culprit PRs, open action items and recurring errors.

Options:
  --repo OWNER/NAME   read the incident issues from GitHub (needs GITHUB_TOKEN or GH_TOKEN in the environment)
  --input FILE        offline: { "incidents": [{ number, url, state, record }], "deployChecks"?: [...],
                      "actionItemStates"?: { "<issue>": "open"|"closed" } } (or just the array)
  --since D|ISO       start of the period: a duration back from --until (30d, 2w) or a date (default 30d)
  --until ISO         end of the period (default now)
  --format F          markdown (default) or json
  --label L           the incident label (default incident)
  --deployments       also count deploy checks recorded as deployment statuses (one more request per 100)
  --publish           open or update the period's report issue (with --repo; needs issues write)
  --publish-empty     with --publish, open the issue even when the period had no incident, no deploy
                      check and no open action item (skipped by default)
  --github-url URL    GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --help              show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;
var OPTIONS2 = {
  repo: { type: "string" },
  input: { type: "string" },
  since: { type: "string", default: "30d" },
  until: { type: "string" },
  format: { type: "string", default: "markdown" },
  label: { type: "string", default: "incident" },
  deployments: { type: "boolean", default: false },
  publish: { type: "boolean", default: false },
  "publish-empty": { type: "boolean", default: false },
  "github-url": { type: "string", default: "https://api.github.com" },
  help: { type: "boolean", default: false }
};
async function runReport(argv, io, now = () => /* @__PURE__ */ new Date()) {
  try {
    const { values } = parseArgs2({ args: argv, strict: true, allowPositionals: false, options: OPTIONS2 });
    if (values.help) {
      io.stdout(HELP + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "markdown" && format !== "json")
      throw new ConfigError(`--format must be markdown or json, got "${format}"`);
    const until = values.until === void 0 ? now() : parseDate(values.until, "--until");
    const since = parseSince(values.since, until);
    if (values.input !== void 0 && values.repo !== void 0)
      throw new ConfigError("use either --input or --repo, not both");
    if (values.publish && values.repo === void 0) throw new ConfigError("--publish needs --repo");
    let loaded2;
    let octokit;
    let repoRef;
    if (values.input !== void 0) {
      loaded2 = await readInput(values.input);
    } else if (values.repo !== void 0) {
      repoRef = parseRepo(values.repo);
      octokit = cliOctokit(io.env, values["github-url"], "read the repository's issues");
      loaded2 = await fetchInput(octokit, repoRef, {
        since,
        label: values.label,
        deployments: values.deployments
      });
    } else {
      throw new ConfigError("give --repo owner/name, or --input incidents.json (see --help)");
    }
    const report = computeReport({ ...loaded2, since, until });
    const markdown = renderReport(report);
    io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : markdown);
    if (values.publish && isEmptyReport(report) && !values["publish-empty"]) {
      io.stderr(
        "aftershock report: nothing to report in the period; no issue opened (--publish-empty to open one)\n"
      );
    } else if (values.publish && octokit && repoRef) {
      const result = await upsertReportIssue(
        octokit,
        { ...repoRef, period: periodKey(since, until) },
        { title: reportTitle(report), body: markdown }
      );
      io.stderr(`aftershock report: ${result.created ? "opened" : "updated"} ${result.url}
`);
    }
    return 0;
  } catch (err) {
    return reportFailure("report", err, io, {
      secret: githubToken(io.env),
      argv,
      flags: Object.keys(OPTIONS2)
    });
  }
}
function reportTitle(report) {
  return `Incident report ${report.period.since.slice(0, 10)} to ${report.period.until.slice(0, 10)}`;
}
function parseDate(text3, what) {
  const d = new Date(text3);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text3) || Number.isNaN(d.getTime()))
    throw new ConfigError(`${what} must be an ISO 8601 date like 2024-05-01T00:00:00Z, got "${text3}"`);
  return d;
}
function parseSince(text3, until) {
  if (/^\d{4}-\d{2}-\d{2}/.test(text3)) return parseDate(text3, "--since");
  let seconds;
  try {
    seconds = parseDuration(text3, "--since");
  } catch (err) {
    throw new ConfigError(`${errorMessage(err)}, or an ISO 8601 date`);
  }
  return new Date(until.getTime() - seconds * 1e3);
}
function parseRepo(text3) {
  const [owner, repo, ...rest] = text3.split("/");
  if (!owner || !repo || rest.length > 0) throw new ConfigError(`--repo must be owner/name, got "${text3}"`);
  return { owner, repo };
}
async function fetchInput(octokit, ref, opts) {
  const history = await listIncidentHistory(octokit, { ...ref, since: opts.since, label: opts.label });
  const loaded2 = { incidents: history.incidents };
  const filed = history.incidents.some(
    (i) => i.record.response?.actionItems?.some((a) => a.issue !== void 0)
  );
  if (filed) loaded2.actionItemStates = (await listActionItemStates(octokit, ref)).states;
  if (opts.deployments)
    loaded2.deployChecks = (await listDeployChecks(octokit, { ...ref, since: opts.since })).checks;
  return loaded2;
}
async function readInput(path) {
  let json;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const e = err;
    throw new ConfigError(
      e.code ? `cannot read --input ${path}: ${e.code}` : `--input ${path} is not valid JSON: ${e.message}`
    );
  }
  const root = Array.isArray(json) ? { incidents: json } : json;
  if (!Array.isArray(root?.incidents))
    throw new ConfigError(`${path}: expected { "incidents": [...] } or an array of incidents`);
  const incidents = root.incidents.map((raw, i) => readIncident(raw, `${path}: incidents[${i}]`));
  const loaded2 = { incidents };
  if (Array.isArray(root.deployChecks)) loaded2.deployChecks = root.deployChecks;
  if (root.actionItemStates && typeof root.actionItemStates === "object")
    loaded2.actionItemStates = root.actionItemStates;
  return loaded2;
}
function readIncident(raw, where) {
  const item = raw;
  if (typeof item?.number !== "number") throw new ConfigError(`${where}.number: expected the issue number`);
  const parsed = IncidentRecordSchema.safeParse(item.record);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(
      `${where}.record.${first?.path.join(".") ?? ""}: ${first?.message ?? "not a record"}`
    );
  }
  return {
    number: item.number,
    url: typeof item.url === "string" ? item.url : "",
    state: item.state === "closed" ? "closed" : "open",
    record: parsed.data
  };
}

// src/cli/suspects.ts
init_errors();
init_scoring();
init_history2();
init_io();
import { readFile as readFile2 } from "node:fs/promises";
import { parseArgs as parseArgs3 } from "node:util";
var HELP2 = `Usage:
  aftershock suspects --input case.json [--format text|json]
  aftershock suspects --repo owner/name --environment E --at ISO [--service S] [--paths GLOB ...]
                      [--lookback-hours H] [--github-url URL] [--format text|json]

Ranks the merged PRs deployed before an alert, most likely culprit first, with the reasons for each.
The score is the chance (0..1) that the PR is the culprit (also given as confidence). The chances of
one alert sum to less than 1: the rest is "no listed PR caused it", so a lone suspect is not certain.

Options:
  --input FILE          a case file: { alert, deployments, pulls, config, hints } (offline); the
                        culprit dataset's { alert, deployments, candidates, serviceMap } works too
  --repo OWNER/NAME     fetch deployments and PRs from GitHub (needs GITHUB_TOKEN or GH_TOKEN in the environment)
  --environment E       the deployment environment the alert fired in
  --at ISO              when the alert started, e.g. 2024-05-01T12:00:00Z
  --service S           the alerting service (its paths are inferred when --paths is not given)
  --paths GLOB          a path glob of the service; repeat for more
  --lookback-hours H    how far before the alert to look for deployments (default 24)
  --github-url URL      GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --format text|json    output format (default text)
  --help                show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;
var OPTIONS3 = {
  input: { type: "string" },
  repo: { type: "string" },
  environment: { type: "string" },
  at: { type: "string" },
  service: { type: "string" },
  paths: { type: "string", multiple: true },
  "lookback-hours": { type: "string" },
  "github-url": { type: "string", default: "https://api.github.com" },
  format: { type: "string", default: "text" },
  help: { type: "boolean", default: false }
};
async function runSuspects(argv, io) {
  try {
    const { values } = parseArgs3({ args: argv, strict: true, allowPositionals: false, options: OPTIONS3 });
    if (values.help) {
      io.stdout(HELP2 + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "text" && format !== "json")
      throw new ConfigError(`--format must be text or json, got "${format}"`);
    let c;
    if (values.input !== void 0) {
      if (values.repo !== void 0) throw new ConfigError("use either --input or --repo, not both");
      c = await readCase(values.input);
    } else if (values.repo !== void 0) {
      c = await fetchCase(values, io.env);
    } else {
      throw new ConfigError(
        "give --input case.json, or --repo owner/name with --environment and --at (see --help)"
      );
    }
    const suspects2 = rankSuspects(c);
    io.stdout(format === "json" ? renderJson(suspects2) : renderText2(c, suspects2));
    return 0;
  } catch (err) {
    return reportFailure("suspects", err, io, {
      secret: githubToken(io.env),
      argv,
      flags: Object.keys(OPTIONS3)
    });
  }
}
async function readCase(path) {
  let text3;
  try {
    text3 = await readFile2(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `cannot read --input ${path}: ${err.code ?? String(err)}`
    );
  }
  return parseCase(text3, path);
}
function parseCase(text3, source) {
  let json;
  try {
    json = JSON.parse(text3);
  } catch (err) {
    throw new ConfigError(`--input ${source} is not valid JSON: ${errorMessage(err)}`);
  }
  try {
    return validateCase(json);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new ConfigError(`${source}: ${err.message}`);
    throw err;
  }
}
async function fetchCase(values, env) {
  const [owner, repo, ...rest] = (values.repo ?? "").split("/");
  if (!owner || !repo || rest.length > 0)
    throw new ConfigError(`--repo must be owner/name, got "${values.repo}"`);
  if (!values.environment) throw new ConfigError("--environment is required with --repo");
  if (!values.at) throw new ConfigError("--at is required with --repo (when the alert started, ISO 8601)");
  const at2 = new Date(values.at);
  if (Number.isNaN(at2.getTime())) throw new ConfigError(`--at must be an ISO 8601 date, got "${values.at}"`);
  const hours = values["lookback-hours"] === void 0 ? DEFAULT_LOOKBACK_SECONDS / 3600 : Number(values["lookback-hours"]);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new ConfigError(`--lookback-hours must be a positive number, got "${values["lookback-hours"]}"`);
  }
  if (values.paths?.length && !values.service)
    throw new ConfigError("--paths needs --service (the service they belong to)");
  const octokit = cliOctokit(env, values["github-url"], "read the repository");
  const lookbackSeconds2 = hours * 3600;
  const history = await fetchHistory(octokit, {
    owner,
    repo,
    environment: values.environment,
    since: new Date(at2.getTime() - lookbackSeconds2 * 1e3),
    until: at2
  });
  const labels2 = { environment: values.environment };
  if (values.service) labels2.service = values.service;
  const config = { lookbackSeconds: lookbackSeconds2 };
  if (values.service && values.paths?.length) config.services = { [values.service]: values.paths };
  return {
    alert: { startsAt: at2.toISOString(), labels: labels2 },
    deployments: history.deployments,
    pulls: history.pulls,
    config
  };
}
function renderJson(suspects2) {
  return JSON.stringify({ suspects: suspects2 }, null, 2) + "\n";
}
function renderText2(c, suspects2) {
  const labels2 = c.alert.labels;
  const where = [
    labels2.service && `service ${labels2.service}`,
    labels2.environment && `environment ${labels2.environment}`
  ].filter(Boolean).join(", ");
  const head = `Suspects for ${labels2.alertname ?? "the alert"}${where ? ` (${where})` : ""} starting ${c.alert.startsAt}`;
  if (suspects2.length === 0) {
    const lookback = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
    return `${head}
No merged PRs were deployed in the ${formatAge(lookback)} before the alert.
`;
  }
  const rows = suspects2.map((s, i) => [
    String(i + 1),
    `#${s.number}`,
    s.score.toFixed(3),
    String(s.deploymentId),
    s.author,
    oneLine2(s.title, 60)
  ]);
  const header2 = ["rank", "PR", "score", "deploy", "author", "title"];
  const widths = header2.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? "").length)));
  const line = (cells) => cells.map((cell2, col) => cell2.padEnd(widths[col] ?? 0)).join("  ").trimEnd();
  const out = [head, "", line(header2)];
  suspects2.forEach((s, i) => {
    out.push(line(rows[i] ?? []));
    for (const reason of s.reasons) out.push(`${" ".repeat(6)}- ${reason}`);
  });
  return out.join("\n") + "\n";
}
function oneLine2(s, max) {
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}\u2026` : clean;
}

// package.json
var package_default = {
  name: "aftershock",
  version: "0.1.0",
  description: "Catch the incidents deploys cause and run the response on GitHub: a deploy gate Action, an incident GitHub App and a CLI over one engine.",
  type: "module",
  license: "MIT",
  engines: {
    node: ">=20.18.1"
  },
  bin: {
    aftershock: "bin/aftershock.js"
  },
  files: [
    "bin/",
    "dist/",
    "examples/scenarios/",
    "action.yml",
    "app.yml",
    ".env.example",
    "LICENSE",
    "CHANGELOG.md"
  ],
  scripts: {
    build: "node scripts/bundle.mjs",
    bundle: "node scripts/bundle.mjs",
    typecheck: "tsc --noEmit",
    lint: "eslint .",
    format: "prettier --write .",
    "format:check": "prettier --check .",
    test: "npm run typecheck && npm run lint && npm run format:check && npm run test:unit && npm run test:e2e",
    "test:unit": 'vitest run --exclude "test/e2e/**" --exclude "test/install/**"',
    demo: "node dist/cli.js demo",
    start: "node dist/main.js",
    "bench:gate": "tsx bench/gate.ts",
    "demo:dev": "tsx src/cli/main.ts demo",
    aftershock: "tsx src/cli/main.ts",
    "bench:correlate": "tsx bench/correlate.ts",
    "bench:load": "tsx bench/load.ts",
    "test:e2e": "vitest run test/e2e --no-file-parallelism",
    "test:install": "vitest run test/install --no-file-parallelism",
    "fit:suspects": "tsx scripts/fit-suspects.ts",
    "bench:culprit": "tsx bench/culprit.ts",
    "bench:storm": "tsx bench/storm.ts"
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@aws-crypto/sha256-js": "^5.2.0",
    "@aws-sdk/credential-providers": "^3.1178.0",
    "@opentelemetry/api": "^1.9.1",
    "@opentelemetry/exporter-trace-otlp-http": "^0.223.1",
    "@opentelemetry/resources": "^2.12.1",
    "@opentelemetry/sdk-trace-node": "^2.12.1",
    "@smithy/signature-v4": "^5.7.5",
    bottleneck: "^2.19.5",
    ioredis: "^5.11.1",
    octokit: "^5.0.5",
    picomatch: "^4.0.7",
    pino: "^10.4.0",
    "pino-pretty": "^13.2.0",
    probot: "^14.3.2",
    "prom-client": "^15.1.3",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@eslint/js": "^10.0.1",
    "@octokit/webhooks-examples": "^7.6.1",
    "@types/node": "^20.19.43",
    "@types/picomatch": "^4.0.3",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    nock: "^14.0.17",
    prettier: "^3.10.1",
    tsx: "^4.23.15",
    typescript: "5.9",
    "typescript-eslint": "^8.74.0",
    vitest: "^4.1.12"
  }
};

// src/cli/version.ts
var VERSION = package_default.version;

// src/cli/main.ts
var HELP3 = `Usage: aftershock <command> [options]

Commands:
  check      verify a deploy against Prometheus (or backtest a past one)
  suspects   rank the merged PRs most likely behind an alert
  report     incidents, MTTA/MTTR, hotspots and open action items over a period
  demo       the whole story offline: gate, alert, incident, rollback, post-mortem

Run 'aftershock <command> --help' for a command's options; 'aftershock --version' prints the version.
`;
var COMMANDS2 = {
  check: (argv, io) => runCheck(argv, io),
  suspects: runSuspects,
  report: (argv, io) => runReport(argv, io),
  demo: async (argv, io) => (await Promise.resolve().then(() => (init_demo(), demo_exports))).runDemo(argv, io)
};
async function main(argv, io) {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    io.stdout(HELP3);
    return command ? EXIT.pass : EXIT.usage;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.stdout(`${VERSION}
`);
    return EXIT.pass;
  }
  const run = COMMANDS2[command];
  if (!run) {
    const names = Object.keys(COMMANDS2);
    const near = closest(command, names);
    const hint = near === void 0 ? `; commands: ${names.join(", ")}` : `; did you mean ${near}?`;
    return writeFailure("", `unknown command "${command}"${hint}`, EXIT.usage, io, rest);
  }
  return run(rest, io);
}
function runCli() {
  const io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env
  };
  main(process.argv.slice(2), io).then(
    (code2) => {
      process.exitCode = code2;
    },
    (err) => {
      process.stderr.write(`aftershock: ${err.stack ?? String(err)}
`);
      process.exitCode = EXIT.usage;
    }
  );
}
if (isEntry()) runCli();
function isEntry() {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath2(import.meta.url));
  } catch {
    return false;
  }
}
export {
  main,
  runCli
};
