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

// src/core/duration.ts
function parseDuration(text, what = "duration") {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return positive(Number(s), what, text);
  if (/^-\d/.test(s)) throw new Error(`${what} "${text}" must be greater than zero`);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(
      `${what} "${text}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`
    );
  }
  return positive(total, what, text);
}
function positive(seconds, what, text) {
  if (!(seconds > 0)) throw new Error(`${what} "${text}" must be greater than zero`);
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
var UNITS;
var init_duration = __esm({
  "src/core/duration.ts"() {
    "use strict";
    UNITS = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  }
});

// src/core/errors.ts
var ConfigError;
var init_errors = __esm({
  "src/core/errors.ts"() {
    "use strict";
    ConfigError = class extends Error {
      name = "ConfigError";
    };
  }
});

// src/core/severity.ts
function severityFor(value, bands = DEFAULT_SEVERITY_BANDS) {
  const sorted2 = [...bands].sort((a, b) => b.min - a.min || Number(!!b.exclusive) - Number(!!a.exclusive));
  for (const band of sorted2) if (band.exclusive ? value > band.min : value >= band.min) return band.severity;
  return sorted2.at(-1)?.severity ?? "P3";
}
function worstSeverity(severities) {
  let worst = null;
  for (const s of severities) if (s && (!worst || RANK[s] < RANK[worst])) worst = s;
  return worst;
}
function parseSeverityBands(text) {
  const bands = text.split(",").map((part) => {
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
var DEFAULT_SEVERITY_BANDS, RANK;
var init_severity = __esm({
  "src/core/severity.ts"() {
    "use strict";
    DEFAULT_SEVERITY_BANDS = [
      { severity: "P1", min: 0.05, exclusive: true },
      { severity: "P2", min: 0.01 },
      { severity: "P3", min: 0 }
    ];
    RANK = { P1: 1, P2: 2, P3: 3 };
  }
});

// src/core/defaults.ts
function makeCheck(partial) {
  return { name: partial.name ?? "check", ...CHECK_DEFAULTS, ...stripUndefined(partial) };
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
var CHECK_DEFAULTS, GATE_DEFAULTS;
var init_defaults = __esm({
  "src/core/defaults.ts"() {
    "use strict";
    init_severity();
    CHECK_DEFAULTS = {
      direction: "increase",
      critical: true,
      errorRate: false,
      minSamples: 5,
      minTraffic: 0,
      alpha: 0.01,
      minEffect: 0.2,
      zThreshold: 4
    };
    GATE_DEFAULTS = {
      baselineSeconds: 30 * 60,
      windowSeconds: 10 * 60,
      stepSeconds: 30,
      failureLimit: 3,
      onNoData: "inconclusive"
    };
  }
});

// src/core/gate-config.ts
import { parse as parseYaml } from "yaml";
import { z } from "zod";
function explain(error, where) {
  return error.issues.map((i) => {
    const path = i.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("");
    return `${where}${path}: ${i.message}`;
  }).join("\n");
}
function toCheck(input, index) {
  return makeCheck({
    name: input.name ?? (index === 0 ? "check" : `check-${index + 1}`),
    query: input.query,
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
    zThreshold: input["z-threshold"]
  });
}
function parseChecksYaml(text, where = "checks") {
  let doc;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${where} is not valid YAML: ${err.message}`);
  }
  const top = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? doc : null;
  const extra = top && "checks" in top ? Object.keys(top).filter((k) => k !== "checks") : [];
  if (extra.length) {
    throw new ConfigError(
      `${where}: unknown key(s) ${extra.map((k) => `"${k}"`).join(", ")}: only "checks" is allowed at the top`
    );
  }
  const parsed = checkList.safeParse(top && "checks" in top ? top.checks : doc);
  if (!parsed.success) throw new ConfigError(explain(parsed.error, where));
  return parsed.data.map(toCheck);
}
function set(v) {
  return v === void 0 || v.trim() === "" ? void 0 : v.trim();
}
function parseTime(text, now) {
  const v = set(text);
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
      [
        "name",
        "direction",
        "absolute-limit",
        "relative-limit",
        "error-rate",
        "aggregate",
        "traffic-query",
        "min-traffic",
        "min-samples"
      ].map((k) => [k, set(inputs[k])]).filter(([, v]) => v !== void 0)
    );
    const parsed = checkSchema.safeParse({ ...raw, query: single });
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((i) => `${nameOf(String(i.path[0] ?? "query"))}: ${i.message}`).join("\n")
      );
    }
    checks = [toCheck(parsed.data, 0)];
  }
  const duration = (key) => {
    const v = set(inputs[key]);
    if (v === void 0) return void 0;
    try {
      return parseDuration(v, key);
    } catch (err) {
      throw new ConfigError(err.message);
    }
  };
  const onNoData = set(inputs["on-no-data"]);
  if (onNoData && !["inconclusive", "pass", "fail"].includes(onNoData)) {
    throw new ConfigError(`on-no-data "${onNoData}" must be one of inconclusive, pass, fail`);
  }
  const failureLimit = set(inputs["failure-limit"]);
  if (failureLimit && !/^[1-9]\d*$/.test(failureLimit)) {
    throw new ConfigError(`failure-limit "${failureLimit}" must be a whole number of at least 1`);
  }
  let severityBands = [...DEFAULT_SEVERITY_BANDS];
  const bands = set(inputs["severity-bands"]);
  if (bands) {
    try {
      severityBands = parseSeverityBands(bands);
    } catch (err) {
      throw new ConfigError(err.message);
    }
  }
  return makeGate({
    checks,
    deployTime: parseTime(inputs["deploy-time"], now),
    baselineSeconds: duration("baseline"),
    windowSeconds: duration("window"),
    stepSeconds: duration("step"),
    failureLimit: failureLimit ? Number(failureLimit) : void 0,
    onNoData,
    severityBands,
    vars: {
      service: set(inputs.service),
      environment: set(inputs.environment),
      version: set(inputs.version)
    }
  });
}
var fraction, flag, count, checkSchema, checkList;
var init_gate_config = __esm({
  "src/core/gate-config.ts"() {
    "use strict";
    init_defaults();
    init_duration();
    init_errors();
    init_severity();
    fraction = z.union([z.number(), z.string()]).transform((raw, ctx) => {
      if (typeof raw === "number") return raw;
      const m = /^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)\s*$/i.exec(raw);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `expected a number or a percentage like 50%, got "${raw}"` });
        return z.NEVER;
      }
      return m[2] ? Number(m[1]) / 100 : Number(m[1]);
    });
    flag = z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      ctx.addIssue({ code: "custom", message: `expected true or false, got "${raw}"` });
      return z.NEVER;
    });
    count = z.union([z.number(), z.string()]).transform((raw, ctx) => {
      const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: "custom", message: `expected a whole number, got "${raw}"` });
        return z.NEVER;
      }
      return n;
    });
    checkSchema = z.object({
      name: z.string().min(1).optional(),
      query: z.string("a check needs a query (PromQL)").min(1, "a check needs a query (PromQL)"),
      direction: z.enum(["increase", "decrease"]).optional(),
      "absolute-limit": fraction.optional(),
      "relative-limit": fraction.optional(),
      critical: flag.optional(),
      "error-rate": flag.optional(),
      aggregate: z.enum(["sum", "avg", "max", "min"]).optional(),
      "traffic-query": z.string().min(1).optional(),
      "min-traffic": fraction.optional(),
      "min-samples": count.optional(),
      alpha: fraction.optional(),
      "min-effect": fraction.optional(),
      "z-threshold": fraction.optional()
    }).strict();
    checkList = z.array(checkSchema, "expected a list of checks (or an object with a checks: list)");
  }
});

// src/core/stats.ts
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
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}
function normalSf(z5) {
  return 0.5 * erfc(z5 / SQRT2);
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
  const z5 = (u - n1 * n2 / 2 - 0.5) / sd;
  return { u, p: clamp01(normalSf(z5)), method: "asymptotic" };
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
  const absDev = baseline.map((b) => Math.abs(b - m));
  let scale = MAD_TO_SD * median(absDev);
  if (!(scale > 0)) {
    const meanAd = MEAN_AD_TO_SD * mean(absDev);
    scale = meanAd > 0 && Number.isFinite(meanAd) ? meanAd : 1e-9 * Math.max(1, Math.abs(m));
  }
  return dev / scale;
}
function lag1Autocorrelation(xs) {
  if (xs.length < 3) return NaN;
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i] - m;
    den += d * d;
    if (i > 0) num += d * (xs[i - 1] - m);
  }
  return den > 0 ? num / den : NaN;
}
var MAD_TO_SD, MEAN_AD_TO_SD, SQRT2, SQRT_PI, MWU_EXACT_MAX_CELLS;
var init_stats = __esm({
  "src/core/stats.ts"() {
    "use strict";
    MAD_TO_SD = 1.4826;
    MEAN_AD_TO_SD = 1.253314;
    SQRT2 = Math.SQRT2;
    SQRT_PI = Math.sqrt(Math.PI);
    MWU_EXACT_MAX_CELLS = 2500;
  }
});

// src/core/judge.ts
function summarizeBaseline(values) {
  const clean = finite(values);
  return { values: clean, median: median(clean) };
}
function bad(direction, delta) {
  return direction === "increase" ? delta : -delta;
}
function relativeChange(value, baselineMedian) {
  if (!Number.isFinite(baselineMedian) || baselineMedian === 0) return null;
  return (value - baselineMedian) / Math.abs(baselineMedian);
}
function limitBreach(check, value, baseline) {
  const dir = check.direction;
  if (check.absoluteLimit !== void 0 && bad(dir, value - check.absoluteLimit) > 0) {
    return `${fmt(value)} is ${dir === "increase" ? "above" : "below"} the limit ${fmt(check.absoluteLimit)}`;
  }
  const change = baseline.values.length ? relativeChange(value, baseline.median) : null;
  if (check.relativeLimit !== void 0 && change !== null && bad(dir, change) > check.relativeLimit) {
    return `${fmt(value)} is ${pct(Math.abs(change))} ${dir === "increase" ? "above" : "below"} the baseline ${fmt(baseline.median)} (limit ${pct(check.relativeLimit)})`;
  }
  return null;
}
function sampleBreach(check, value, baseline) {
  const limit = limitBreach(check, value, baseline);
  if (limit || baseline.values.length === 0) return limit;
  const dir = check.direction;
  const z5 = bad(dir, robustZ(value, baseline.values));
  const change = relativeChange(value, baseline.median);
  const effectOk = change === null ? bad(dir, value - baseline.median) > 0 : bad(dir, change) >= check.minEffect;
  return z5 > check.zThreshold && effectOk ? `${fmt(value)} is ${z5.toFixed(1)} robust deviations from the baseline ${fmt(baseline.median)}` : null;
}
function judgeWindow(check, baseline, windowValues) {
  const win = finite(windowValues);
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
  const [worseSide, betterSide] = dir === "increase" ? [win, baseline.values] : [baseline.values, win];
  const { p } = mannWhitneyGreater(worseSide, betterSide, serialCorrelationInflation(baseline.values));
  stats.pValue = p;
  stats.zScore = robustZ(windowMedian, baseline.values);
  const breach = limitBreach(check, windowMedian, baseline);
  if (breach) return { verdict: "fail", reason: `window median ${breach}`, stats };
  const shift = bad(dir, hodgesLehmannShift(win, baseline.values));
  const effect = baseline.median !== 0 ? shift / Math.abs(baseline.median) : shift > 0 ? Infinity : 0;
  if (p < check.alpha && effect >= check.minEffect) {
    return {
      verdict: "fail",
      reason: `significant ${dir} (Mann\u2013Whitney p=${p.toPrecision(2)}, shift ${pct(effect)} of the baseline, floor ${pct(check.minEffect)})`,
      stats
    };
  }
  const why = p < check.alpha ? `a significant but small shift (${pct(Math.max(effect, 0))}, below the floor ${pct(check.minEffect)})` : `no significant ${dir} (p=${p.toPrecision(2)})`;
  return { verdict: "pass", reason: why, stats };
}
function serialCorrelationInflation(baseline) {
  const rho = lag1Autocorrelation(baseline);
  if (!Number.isFinite(rho) || rho <= 0) return 1;
  const r = Math.min(rho, 0.9);
  return (1 + r) / (1 - r);
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
  "src/core/judge.ts"() {
    "use strict";
    init_stats();
  }
});

// src/core/series.ts
function alignSeries(series, aggregate, check) {
  if (series.length === 0) return [];
  if (series.length === 1) return series[0].samples;
  if (!aggregate) {
    const shown = series.slice(0, MAX_LABELS_SHOWN).map((s) => labelText(s.labels));
    const more = series.length > MAX_LABELS_SHOWN ? ` and ${series.length - MAX_LABELS_SHOWN} more` : "";
    throw new ConfigError(
      `check "${check}": the query returned ${series.length} series (${shown.join(", ")}${more}); aggregate them in PromQL (e.g. sum(...)) or set aggregate: sum|avg|max|min on the check`
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
function labelText(labels) {
  const body = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ");
  return `{${body}}`;
}
var MAX_LABELS_SHOWN;
var init_series = __esm({
  "src/core/series.ts"() {
    "use strict";
    init_errors();
    MAX_LABELS_SHOWN = 3;
  }
});

// src/core/template.ts
function escapePromQLString(value) {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
function renderQuery(query, vars) {
  return query.replace(PLACEHOLDER, (_, name) => {
    if (!KNOWN.has(name)) {
      throw new Error(
        `query uses {{${name}}}, which is not known: use {{service}}, {{environment}} or {{version}}`
      );
    }
    const value = vars[name];
    if (value === void 0 || value === "") {
      throw new Error(`query uses {{${name}}} but no ${name} was given: set the ${name} input (--${name})`);
    }
    return escapePromQLString(value);
  });
}
var PLACEHOLDER, KNOWN;
var init_template = __esm({
  "src/core/template.ts"() {
    "use strict";
    PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;
    KNOWN = /* @__PURE__ */ new Set(["service", "environment", "version"]);
  }
});

// src/core/gate.ts
async function runGate(spec, source, opts = {}) {
  validateGate(spec);
  const now = opts.now ?? (() => Date.now() / 1e3);
  const sleep = opts.sleep ?? realSleep;
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
      const wait = t - now();
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
    severity: verdict === "fail" ? worstSeverity(checks.filter((c) => c.verdict === "fail").map((c) => c.severity)) : null,
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
  const names = /* @__PURE__ */ new Set();
  for (const c of spec.checks) {
    if (names.has(c.name))
      throw new ConfigError(`two checks are named "${c.name}": give each check its own name`);
    names.add(c.name);
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
    streak: [],
    cursor: -Infinity,
    lastBreach: null,
    detectedAt: null,
    detectedValue: null,
    baselineError: null,
    error: null,
    warnings: []
  };
  const start = spec.deployTime - spec.baselineSeconds;
  const samples = await read(state, source, start, spec.deployTime - spec.stepSeconds, spec.stepSeconds);
  if (samples) {
    state.baselineSamples = samples;
    state.baseline = summarizeBaseline(samples.map((s) => s.v));
  } else {
    state.baselineError = state.error;
  }
  return state;
}
function render(query, spec, name) {
  try {
    return renderQuery(query, spec.vars);
  } catch (err) {
    throw new ConfigError(`check "${name}": ${err.message}`);
  }
}
async function fetchWindow(state, source, spec, until) {
  const samples = await read(state, source, spec.deployTime + spec.stepSeconds, until, spec.stepSeconds);
  if (samples) state.window = samples;
}
async function read(state, source, start, end, step) {
  const { spec } = state;
  try {
    const result = await source.queryRange(state.query, start, end, step);
    addWarnings(state, result.warnings);
    let samples = alignSeries(result.series, spec.aggregate, spec.name);
    if (state.trafficQuery) {
      const traffic = await source.queryRange(state.trafficQuery, start, end, step);
      addWarnings(state, traffic.warnings);
      const rate = new Map(alignSeries(traffic.series, "sum", spec.name).map((s) => [s.t, s.v]));
      samples = samples.map((s) => {
        const r = rate.get(s.t);
        return r !== void 0 && r >= spec.minTraffic ? s : { t: s.t, v: NaN };
      });
    }
    state.error = null;
    return samples;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err;
    if (e.permanent === true || e.retryable === false) {
      throw new ConfigError(`check "${spec.name}": ${err.message}`);
    }
    state.error = err.message;
    return null;
  }
}
function addWarnings(state, warnings) {
  for (const w of warnings) if (!state.warnings.includes(w)) state.warnings.push(w);
}
function advance(state, t, failureLimit) {
  for (const sample of state.window) {
    if (sample.t <= state.cursor || sample.t > t) continue;
    state.cursor = sample.t;
    if (!Number.isFinite(sample.v)) continue;
    const why = sampleBreach(state.spec, sample.v, state.baseline);
    state.streak = why ? [...state.streak, sample.v] : [];
    if (why) state.lastBreach = why;
    if (state.detectedAt === null && state.streak.length >= failureLimit) {
      state.detectedAt = sample.t;
      state.detectedValue = Math.min(...state.streak);
    }
  }
}
function finish(state, spec, stoppedAt) {
  const check = state.spec;
  const window = state.window.filter((s) => s.t <= stoppedAt);
  const judged = judgeWindow(
    check,
    state.baseline,
    window.map((s) => s.v)
  );
  let verdict;
  let reason;
  let noData = false;
  if (state.detectedAt !== null) {
    verdict = "fail";
    reason = `${spec.failureLimit} consecutive samples breached; last: ${state.lastBreach}`;
  } else if (judged.verdict === "no-data") {
    noData = true;
    verdict = spec.onNoData;
    const failure = state.baselineError ?? state.error;
    const cause = failure ? `query failed: ${failure}` : judged.reason;
    reason = `${cause} \u2192 ${spec.onNoData} (on-no-data policy)`;
  } else {
    verdict = judged.verdict;
    reason = judged.reason;
  }
  const failedValue = state.detectedValue ?? judged.stats.windowMedian;
  return {
    name: check.name,
    query: state.query,
    critical: check.critical,
    verdict,
    noData,
    reason,
    severity: verdict === "fail" && !noData && check.errorRate && failedValue !== null ? severityFor(failedValue, spec.severityBands) : null,
    stats: judged.stats,
    detectedAt: state.detectedAt,
    baseline: state.baselineSamples,
    window,
    absoluteLimit: check.absoluteLimit,
    direction: check.direction,
    warnings: state.warnings
  };
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
    return `${s.spec.name}=${value} (baseline ${base}) breaches ${s.streak.length}/${spec.failureLimit}${err}`;
  });
  return `[+${formatDuration(t - spec.deployTime)}] ${parts.join(" | ")}`;
}
function iso(unixSeconds) {
  return new Date(unixSeconds * 1e3).toISOString();
}
var realSleep;
var init_gate = __esm({
  "src/core/gate.ts"() {
    "use strict";
    init_duration();
    init_errors();
    init_judge();
    init_series();
    init_severity();
    init_template();
    realSleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1e3));
  }
});

// src/core/report-json.ts
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
      warnings: c.warnings
    }))
  };
}
var iso2;
var init_report_json = __esm({
  "src/core/report-json.ts"() {
    "use strict";
    iso2 = (t) => t === null ? null : new Date(t * 1e3).toISOString();
  }
});

// src/core/render-text.ts
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
      `  baseline ${s.baselineMedian === null ? "\u2013" : fmt(s.baselineMedian)}  window ${s.windowMedian === null ? "\u2013" : fmt(s.windowMedian)}  change ${s.change === null ? "\u2013" : pct(s.change)}  p ${s.pValue === null ? "\u2013" : s.pValue.toPrecision(2)}`,
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
  "src/core/render-text.ts"() {
    "use strict";
    init_duration();
    init_judge();
    BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
  }
});

// src/prometheus/errors.ts
function isRetryableStatus(status) {
  return status === 429 || status >= 500;
}
function redactUrl(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, "//");
  }
}
function describeCause(cause) {
  const parts = [];
  let current = cause;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 3; depth++) {
    const { message, code: code2 } = current;
    let text = typeof message === "string" ? message : "";
    if (typeof code2 === "string" && !text.includes(code2)) text = text ? `${text} (${code2})` : code2;
    if (text && !parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(": ") : String(cause);
}
var MetricSourceError, PrometheusError, PrometheusResponseError, PrometheusTimeoutError, PrometheusNetworkError, FileSourceError;
var init_errors2 = __esm({
  "src/prometheus/errors.ts"() {
    "use strict";
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
    FileSourceError = class extends MetricSourceError {
    };
  }
});

// src/prometheus/http-source.ts
import { setTimeout as delay } from "node:timers/promises";
function parseRetryAfter(value) {
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}
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
      `${where} answered HTTP ${status} with a body that is not JSON, ${hint}: ${snippet(body)}`,
      status
    );
  }
  const obj = isRecord(json) ? json : {};
  if (obj.status === "error") {
    throw new PrometheusError(String(obj.errorType ?? "unknown"), String(obj.error ?? ""), query, status);
  }
  if (status < 200 || status > 299 || obj.status !== "success") {
    throw new PrometheusResponseError(
      `${where} answered HTTP ${status} with something other than a Prometheus API response: ${snippet(body)}`,
      status
    );
  }
  try {
    return { series: parseResultData(obj.data), warnings: stringList(obj.warnings) };
  } catch (err) {
    throw new PrometheusResponseError(`${where}: ${err.message}
  query: ${query}`, status);
  }
}
function parseResultData(data) {
  if (!isRecord(data)) throw new Error("the answer has no `data` object");
  const { resultType, result } = data;
  switch (resultType) {
    case "matrix":
      return asArray(result, "matrix result").map((item) => {
        const entry = asRecord(item, "matrix series");
        if (entry.values === void 0 && entry.histograms !== void 0) throw nativeHistogramError();
        return {
          labels: parseLabels(entry.metric),
          samples: asArray(entry.values ?? [], "values").map(parsePair)
        };
      });
    case "vector":
      return asArray(result, "vector result").map((item) => {
        const entry = asRecord(item, "vector sample");
        if (entry.value === void 0 && entry.histogram !== void 0) throw nativeHistogramError();
        return { labels: parseLabels(entry.metric), samples: [parsePair(entry.value)] };
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
function parseSampleValue(text) {
  const s = text.trim();
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
  if (Number.isNaN(v)) throw new Error(`"${text}" is not a sample value`);
  return v;
}
function parseLabels(metric) {
  if (metric === void 0) return {};
  const labels = {};
  for (const [k, v] of Object.entries(asRecord(metric, "metric labels"))) labels[k] = String(v);
  return labels;
}
function nativeHistogramError() {
  return new Error(
    "the query returns native histograms, which a check cannot compare; wrap it, e.g. histogram_quantile(0.99, sum(rate(x[5m]))) or histogram_count(rate(x[5m]))"
  );
}
function stringList(value) {
  return Array.isArray(value) ? value.map(String) : [];
}
function snippet(body) {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat === "") return "(empty body)";
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}\u2026` : flat;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
var MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, SNIPPET_CHARS, PrometheusHttpSource;
var init_http_source = __esm({
  "src/prometheus/http-source.ts"() {
    "use strict";
    init_errors2();
    MAX_BACKOFF_MS = 3e4;
    MAX_RETRY_AFTER_MS = 6e4;
    SNIPPET_CHARS = 200;
    PrometheusHttpSource = class {
      name;
      base;
      shownBase;
      headers;
      timeoutMs;
      retries;
      backoffMs;
      sleep;
      random;
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
        this.timeoutMs = options.timeoutMs ?? 1e4;
        this.retries = options.retries ?? 3;
        this.backoffMs = options.backoffMs ?? 500;
        if (!(this.timeoutMs > 0)) throw new MetricSourceError(`timeoutMs must be > 0 (got ${this.timeoutMs}).`);
        if (!Number.isInteger(this.retries) || this.retries < 0) {
          throw new MetricSourceError(`retries must be a whole number >= 0 (got ${this.retries}).`);
        }
        if (!(this.backoffMs >= 0))
          throw new MetricSourceError(`backoffMs must be >= 0 (got ${this.backoffMs}).`);
        this.sleep = options.sleep ?? ((ms) => delay(ms));
        this.random = options.random ?? Math.random;
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
      async query(query, time2) {
        const params = { query };
        if (time2 !== void 0) {
          if (!Number.isFinite(time2)) throw new MetricSourceError(`time must be a finite number (got ${time2}).`);
          params.time = String(time2);
        }
        return this.call("query", params, query);
      }
      async call(endpoint, params, query) {
        const url = new URL(this.base);
        url.pathname = `${this.base.pathname.replace(/\/+$/, "")}/api/v1/${endpoint}`;
        for (let attempt = 1; ; attempt++) {
          try {
            return await this.once(url, params, query);
          } catch (err) {
            if (!(err instanceof MetricSourceError)) throw err;
            if (!err.retryable || attempt > this.retries) {
              err.attempts = attempt;
              if (attempt > 1) err.message += ` (gave up after ${attempt} attempts)`;
              throw err;
            }
            await this.sleep(this.backoff(attempt, err));
          }
        }
      }
      /** Exponential backoff with "equal jitter": half fixed, half random, so replicas do not retry in lockstep. */
      backoff(attempt, err) {
        const exp = Math.min(this.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        const jittered = exp / 2 + this.random() * exp / 2;
        return Math.max(jittered, Math.min(err.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
      }
      async once(url, params, query) {
        const shown = redactUrl(url);
        const signal = AbortSignal.timeout(this.timeoutMs);
        let status;
        let body;
        let retryAfter;
        try {
          const res = await fetch(url, {
            method: "POST",
            headers: { ...this.headers, "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(params),
            signal
          });
          status = res.status;
          retryAfter = res.headers.get("retry-after");
          body = await res.text();
        } catch (err) {
          if (signal.aborted || err instanceof Error && err.name === "TimeoutError") {
            throw new PrometheusTimeoutError(shown, this.timeoutMs);
          }
          throw new PrometheusNetworkError(shown, err);
        }
        try {
          return parseApiResponse(body, status, query, shown);
        } catch (err) {
          if (err instanceof MetricSourceError && retryAfter !== null)
            err.retryAfterMs = parseRetryAfter(retryAfter);
          throw err;
        }
      }
    };
  }
});

// src/prometheus/file-source.ts
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
function parseContent(content, label) {
  const text = content.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new FileSourceError(`The metrics file ${label} is empty.`);
  const data = text.trimStart().startsWith("{") ? parseJson(text, label) : parseExposition(text, label);
  const all = data.kind === "map" ? [...data.entries.values()].flat() : data.series;
  for (const s of all) s.samples = sortDedupe(s.samples);
  return data;
}
function parseJson(text, label) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileSourceError(`The metrics file ${label} is not valid JSON: ${err.message}`);
  }
  if (isRecord2(json) && isRecord2(json.series)) {
    const entries = /* @__PURE__ */ new Map();
    for (const [key, value] of Object.entries(json.series)) {
      entries.set(key, parseEntry(value, `${label}, series "${key}"`).series);
    }
    if (entries.size === 0)
      throw new FileSourceError(`The metrics file ${label} has an empty "series" object.`);
    return { kind: "map", entries };
  }
  if (isRecord2(json) && (json.status !== void 0 || json.resultType !== void 0)) {
    return { kind: "response", ...parseEntry(json, label) };
  }
  throw new FileSourceError(
    `The metrics file ${label} is JSON but neither a Prometheus query_range response ({"status":"success","data":{...}}) nor {"series": {"<query>": ...}}.`
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
      const warnings = Array.isArray(value.warnings) ? value.warnings.map(String) : [];
      return { series: parseResultData(value.data), warnings };
    }
    if (isRecord2(value) && value.resultType !== void 0)
      return { series: parseResultData(value), warnings: [] };
    throw new Error('expected a query_range response or a list of [timestamp, "value"] pairs');
  } catch (err) {
    if (err instanceof FileSourceError) throw err;
    throw new FileSourceError(`The metrics file ${where}: ${err.message}`);
  }
}
function parseExposition(text, label) {
  const lines = text.split(/\r?\n/);
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
      throw new FileSourceError(
        `The metrics file ${label}, line ${i + 1}: ${err.message}
  ${line}`
      );
    }
    maxAbsTs = Math.max(maxAbsTs, Math.abs(parsed.ts));
    const key = seriesKey(parsed.labels);
    let series = byKey.get(key);
    if (!series) byKey.set(key, series = { labels: parsed.labels, samples: [] });
    series.samples.push({ t: parsed.ts, v: parsed.value });
  }
  if (byKey.size === 0) throw new FileSourceError(`The metrics file ${label} holds no samples.`);
  if (!openMetrics && maxAbsTs >= MS_THRESHOLD) {
    for (const s of byKey.values()) for (const p of s.samples) p.t /= 1e3;
  }
  return { kind: "exposition", series: [...byKey.values()] };
}
function parseSampleLine(line) {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error("expected a metric name at the start of the line");
  const labels = { __name__: name };
  let pos = name.length;
  if (line[pos] === "{") {
    const parsed = parseBraces(line, pos, false);
    for (const m of parsed.matchers) labels[m.name] = m.value;
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
  return { labels, value, ts };
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
          `Invalid regular expression in ${m.name}${m.op}"${m.value}": ${err.message}`
        );
      }
    }
  }
  return matchers;
}
function matches(m, labels) {
  const value = labels[m.name] ?? "";
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
function parseBraces(text, start, selector) {
  const matchers = [];
  let pos = start + 1;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] ?? "")) pos++;
  };
  for (; ; ) {
    skipSpace();
    if (text[pos] === "}") return { matchers, end: pos + 1 };
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(pos))?.[0];
    if (!name) throw new Error(`expected a label name at column ${pos + 1}`);
    pos += name.length;
    skipSpace();
    const op = (selector ? /^(=~|!~|!=|=)/ : /^=/).exec(text.slice(pos))?.[0];
    if (!op) throw new Error(`expected ${selector ? "=, !=, =~ or !~" : "="} after the label ${name}`);
    pos += op.length;
    skipSpace();
    const str = readString(text, pos, selector);
    matchers.push({ name, op, value: str.value });
    pos = str.end;
    skipSpace();
    if (text[pos] === ",") pos++;
    else if (text[pos] !== "}") throw new Error(`expected , or } after the label ${name}`);
  }
}
function readString(text, start, selector) {
  const quote = text[start];
  const quotes = selector ? ['"', "'", "`"] : ['"'];
  if (quote === void 0 || !quotes.includes(quote))
    throw new Error(`expected a quoted label value at column ${start + 1}`);
  let value = "";
  for (let pos = start + 1; pos < text.length; pos++) {
    const c = text[pos];
    if (c === quote) return { value, end: pos + 1 };
    if (c === "\\" && quote !== "`") {
      const e = text[++pos];
      value += e === "n" ? "\n" : e === "t" ? "	" : e ?? "";
    } else {
      value += c;
    }
  }
  throw new Error("unterminated label value");
}
function normalizeQuery(query) {
  let out = "";
  let quote = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] ?? "";
    if (quote) {
      out += c;
      if (c === "\\" && quote !== "`") out += query[++i] ?? "";
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
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
function seriesKey(labels) {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function metricNames(series) {
  return [...new Set(series.map((s) => s.labels.__name__ ?? "(unnamed)"))];
}
function listSome(items, max = 10) {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var LOOKBACK_SECONDS, MS_THRESHOLD, FileSource;
var init_file_source = __esm({
  "src/prometheus/file-source.ts"() {
    "use strict";
    init_errors2();
    init_http_source();
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
            throw new FileSourceError(`Cannot read the metrics file ${options.path}: ${err.message}`, {
              cause: err
            });
          }
        }
        this.data = parseContent(content ?? "", this.label);
      }
      async queryRange(query, start, end, step) {
        checkRange(start, end, step);
        const { series, warnings } = this.select(query);
        const out = [];
        for (const s of series) {
          const samples = resample(s.samples, start, end, step);
          if (samples.length > 0) out.push({ labels: { ...s.labels }, samples });
        }
        return { series: out, warnings: [...warnings] };
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
        const warnings = series.length > 0 ? [] : [`No series in ${this.label} match ${query}; it holds ${listSome(metricNames(data.series))}.`];
        return { series, warnings };
      }
    };
  }
});

// src/prometheus/index.ts
function createSource(options) {
  const url = options.prometheusUrl?.trim() || void 0;
  const file = options.file?.trim() || void 0;
  if (url && file) {
    throw new MetricSourceError(
      "Both a Prometheus URL and a metrics file are set; use the URL for live checks or the file for offline runs, not both."
    );
  }
  if (file) return new FileSource({ path: file });
  if (url) {
    return new PrometheusHttpSource({
      url,
      bearerToken: options.bearerToken,
      basicAuth: options.basicAuth,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      backoffMs: options.backoffMs,
      sleep: options.sleep
    });
  }
  throw new MetricSourceError(
    "No metric source: set a Prometheus URL (e.g. http://prometheus:9090), or a metrics file for offline runs."
  );
}
var init_prometheus = __esm({
  "src/prometheus/index.ts"() {
    "use strict";
    init_errors2();
    init_file_source();
    init_http_source();
    init_errors2();
    init_file_source();
    init_http_source();
  }
});

// src/cli/io.ts
var EXIT;
var init_io = __esm({
  "src/cli/io.ts"() {
    "use strict";
    EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 };
  }
});

// src/cli/check.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { parseArgs } from "node:util";
async function runCheck(argv, io, now) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    io.stderr(`aftershock check: ${err.message} (see aftershock check --help)
`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.pass;
  }
  try {
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json")
      throw new ConfigError(`--format "${format}" must be text or json`);
    const inputs = {
      ...values,
      "error-rate": values["error-rate"] ? "true" : void 0
    };
    if (values.checks) inputs.checks = readChecksFile(values.checks);
    const gate = buildGate(inputs, now, (key) => `--${key}`);
    const source = createSource({
      prometheusUrl: values["prometheus-url"],
      file: values["metrics-file"],
      bearerToken: io.env.PROMETHEUS_BEARER_TOKEN || void 0,
      basicAuth: io.env.PROMETHEUS_USERNAME ? { username: io.env.PROMETHEUS_USERNAME, password: io.env.PROMETHEUS_PASSWORD ?? "" } : void 0,
      headers: parseHeaders(values.header ?? []),
      timeoutMs: values.timeout ? timeoutMs(values.timeout) : void 0
    });
    const report = await runGate(gate, source, {
      now,
      onProgress: values.quiet ? void 0 : (line) => io.stderr(`${line}
`)
    });
    io.stdout(format === "json" ? `${JSON.stringify(reportJson(report), null, 2)}
` : renderText(report));
    return EXIT[report.verdict];
  } catch (err) {
    const e = err;
    const usage = err instanceof ConfigError || e.retryable === false;
    io.stderr(`aftershock check: ${e.message}
`);
    return usage ? EXIT.usage : EXIT.inconclusive;
  }
}
function readChecksFile(path) {
  try {
    return readFileSync2(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the checks file ${path}: ${err.message}`);
  }
}
function parseHeaders(list) {
  const headers = {};
  for (const h of list) {
    const i = h.indexOf(":");
    if (i <= 0) throw new ConfigError(`--header "${h}" must look like 'Name: value'`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return headers;
}
function timeoutMs(text) {
  try {
    return parseDuration(text, "--timeout") * 1e3;
  } catch (err) {
    throw new ConfigError(err.message);
  }
}
var CHECK_HELP, OPTIONS;
var init_check = __esm({
  "src/cli/check.ts"() {
    "use strict";
    init_duration();
    init_errors();
    init_gate_config();
    init_gate();
    init_report_json();
    init_render_text();
    init_prometheus();
    init_io();
    CHECK_HELP = `Usage: aftershock check [options]

Compares the minutes after a deploy with the baseline before it and prints a verdict.
If deploy-time + window is already in the past, it replays history (backtest) and reports
when the live gate would have failed.

Metric source (one of):
  --prometheus-url URL     Prometheus (or any Prometheus-compatible API) base URL
  --metrics-file FILE      offline source: a query_range JSON response or OpenMetrics text
  Auth from the environment, never flags: PROMETHEUS_BEARER_TOKEN, or
  PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD.
  --header 'Name: value'   extra request header (repeatable), e.g. X-Scope-OrgID for Mimir
  --timeout DURATION       per-request timeout (default 10s)

One check:
  --query PROMQL           the query; {{service}}, {{environment}}, {{version}} are filled in
  --name NAME              the check's name (default "check")
  --direction D            increase (a rise is bad, default) or decrease (a fall is bad)
  --absolute-limit N       fail beyond this value, e.g. 0.05 for a 5 % error ratio
  --relative-limit N       fail beyond this change from the baseline, e.g. 50% or 0.5
  --error-rate             the query is an error ratio: a failure gets a severity P1-P3
  --aggregate F            fold several series with sum, avg, max or min
  --traffic-query PROMQL   request rate; samples below --min-traffic count as no data
  --min-traffic N          (default 0)
  --min-samples N          fewer usable samples than this is "no data" (default 5)
Several checks:
  --checks FILE            YAML list of checks with the same keys as above

Timing:
  --deploy-time TIME       ISO 8601, Unix seconds or "now" (default now)
  --baseline DURATION      before the deploy (default 30m)
  --window DURATION        after the deploy (default 10m)
  --step DURATION          poll interval and query step (default 30s)
  --failure-limit N        fail early after N consecutive breaching samples (default 3)

Policy and output:
  --on-no-data P           inconclusive (default), pass or fail
  --severity-bands B       e.g. 'P1:>5%,P2:1%,P3:0' (the default)
  --service S --environment E --version V   template values
  --format F               text (default) or json (one object on stdout)
  --quiet                  no progress lines on stderr
  -h, --help               this help

Exit codes: 0 pass, 1 fail, 2 usage or configuration error, 3 inconclusive.
`;
    OPTIONS = {
      "prometheus-url": { type: "string" },
      "metrics-file": { type: "string" },
      header: { type: "string", multiple: true },
      timeout: { type: "string" },
      query: { type: "string" },
      name: { type: "string" },
      direction: { type: "string" },
      "absolute-limit": { type: "string" },
      "relative-limit": { type: "string" },
      "error-rate": { type: "boolean" },
      aggregate: { type: "string" },
      "traffic-query": { type: "string" },
      "min-traffic": { type: "string" },
      "min-samples": { type: "string" },
      checks: { type: "string" },
      "deploy-time": { type: "string" },
      baseline: { type: "string" },
      window: { type: "string" },
      step: { type: "string" },
      "failure-limit": { type: "string" },
      "on-no-data": { type: "string" },
      "severity-bands": { type: "string" },
      service: { type: "string" },
      environment: { type: "string" },
      version: { type: "string" },
      format: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" }
    };
  }
});

// src/cli/demo.ts
var demo_exports = {};
__export(demo_exports, {
  examplesDir: () => examplesDir,
  runDemo: () => runDemo
});
import { readFileSync as readFileSync3, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function examplesDir() {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    ...import.meta.url.includes("/src/") ? [".."] : [],
    "examples"
  );
}
async function runDemo(_argv, io) {
  const dir = join(examplesDir(), "scenarios");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  io.stdout(`aftershock demo: the deploy gate over ${files.length} bundled scenarios (offline, backtest)
`);
  const verdicts = [];
  for (const file of files) {
    const path = join(dir, file);
    const { description } = JSON.parse(readFileSync3(path, "utf8"));
    io.stdout(`
\u2501\u2501 ${file.replace(/\.json$/, "")}: ${description ?? ""}
`);
    const code2 = await runCheck(
      [
        "--metrics-file",
        path,
        "--name",
        "error-ratio",
        "--query",
        'sum(rate(http_requests_total{service="{{service}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="{{service}}"}[1m]))',
        "--service",
        "checkout",
        "--error-rate",
        "--absolute-limit",
        "0.05",
        "--deploy-time",
        DEPLOY_TIME,
        "--quiet"
      ],
      io
    );
    verdicts.push(`${file.replace(/\.json$/, "")}: exit ${code2}`);
  }
  io.stdout(`
summary: ${verdicts.join(", ")}
`);
  return 0;
}
var DEPLOY_TIME;
var init_demo = __esm({
  "src/cli/demo.ts"() {
    "use strict";
    init_check();
    DEPLOY_TIME = "2026-11-26T14:00:00Z";
  }
});

// src/cli/main.ts
init_check();
init_io();
import { realpathSync } from "node:fs";
import { fileURLToPath as fileURLToPath2 } from "node:url";

// src/cli/report.ts
init_duration();
import { readFile } from "node:fs/promises";
import { parseArgs as parseArgs2 } from "node:util";
import { Octokit } from "octokit";

// src/core/incident-record.ts
import { z as z3 } from "zod";

// src/core/response-state.ts
import { z as z2 } from "zod";
var ActionItemSchema = z2.object({
  text: z2.string(),
  /** When it was recorded (ISO 8601). */
  at: z2.string(),
  /** The issue filed for it, once filed. */
  issue: z2.number().int().positive().optional()
});
var RollbackSchema = z2.object({
  /** The suspect PR being reverted. */
  pr: z2.number().int().positive(),
  /** The revert PR aftershock opened. */
  revertPr: z2.number().int().positive().optional(),
  url: z2.string().optional(),
  state: z2.enum(["opened", "merged", "closed"]),
  at: z2.string()
});
var IncidentResponseStateSchema = z2.object({
  acknowledgedAt: z2.string().optional(),
  mitigatedAt: z2.string().optional(),
  resolvedAt: z2.string().optional(),
  /** The /resolve summary. */
  resolution: z2.string().optional(),
  /** The cause as responders know it; without it the post-mortem names the top suspect as suspected. */
  rootCause: z2.object({ pr: z2.number().int().positive().optional(), confirmed: z2.boolean().default(false) }).optional(),
  actionItems: z2.array(ActionItemSchema).default([]),
  rollbacks: z2.array(RollbackSchema).default([]),
  postmortem: z2.object({ path: z2.string(), pr: z2.number().int().positive().optional(), url: z2.string().optional() }).optional(),
  /** `commandKey`s already run, newest last, bounded (see `markHandled`). */
  handled: z2.array(z2.string()).default([])
});
function emptyResponseState() {
  return { actionItems: [], rollbacks: [], handled: [] };
}
function readResponseState(record) {
  const parsed = IncidentResponseStateSchema.safeParse(record.response ?? {});
  return parsed.success ? parsed.data : emptyResponseState();
}

// src/core/incident-record.ts
var RECORD_VERSION = 1;
var BLOCK = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;
var AlertStateSchema = z3.object({
  status: z3.enum(["firing", "resolved"]),
  alertname: z3.string(),
  summary: z3.string().optional(),
  startsAt: z3.string(),
  endsAt: z3.string().optional(),
  url: z3.string().optional()
});
var TimelineEntrySchema = z3.object({
  at: z3.string(),
  actor: z3.string(),
  kind: z3.string(),
  text: z3.string()
});
var DeploySchema = z3.object({
  id: z3.union([z3.number(), z3.string()]),
  sha: z3.string(),
  environment: z3.string(),
  createdAt: z3.string(),
  status: z3.string(),
  url: z3.string().optional()
});
var SuspectSchema = z3.object({
  number: z3.number(),
  title: z3.string(),
  author: z3.string(),
  url: z3.string().optional(),
  deploymentId: z3.union([z3.number(), z3.string()]),
  score: z3.number(),
  reasons: z3.array(z3.string())
});
var IncidentRecordSchema = z3.object({
  version: z3.literal(RECORD_VERSION),
  groupKey: z3.string(),
  /** Every alert seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`). */
  fingerprints: z3.record(z3.string(), AlertStateSchema),
  status: z3.enum(["firing", "resolved"]),
  severity: z3.enum(["P1", "P2", "P3"]),
  /** The alert name (or "Deploy check failed") shown in the title. */
  name: z3.string(),
  service: z3.string(),
  environment: z3.string(),
  source: z3.enum(["alert", "deploy-check"]),
  deploys: z3.array(DeploySchema),
  suspects: z3.array(SuspectSchema),
  timeline: z3.array(TimelineEntrySchema),
  openedAt: z3.string(),
  /** Problems worth showing in the issue (a bad config file, suspects that could not be ranked). */
  warnings: z3.array(z3.string()).default([]),
  externalURL: z3.string().optional(),
  /** What responders did: acknowledgement, rollbacks, action items, post-mortem, handled commands. */
  response: IncidentResponseStateSchema.optional()
});
function parseRecord(body) {
  const match = BLOCK.exec(body ?? "");
  if (!match) return null;
  let json;
  try {
    json = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  } catch {
    return null;
  }
  const result = IncidentRecordSchema.safeParse(json);
  return result.success ? result.data : null;
}

// src/core/markdown.ts
var ZWJ = "\u200D";
var ELLIPSIS = "\u2026";
var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
var NEWLINES = /\r\n|\r|\n/g;
var MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-!|~]/g;
function truncate(text, maxLength) {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  if (maxLength <= 0) return "";
  return chars.slice(0, maxLength - 1).join("") + ELLIPSIS;
}
function defuseMentions(text) {
  return text.replace(/@/g, `@${ZWJ}`);
}
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function escapeMarkdown(text, maxLength = 500) {
  const plain = truncate(String(text ?? "").replace(CONTROL, ""), maxLength);
  const escaped = escapeHtml(plain).replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  return defuseMentions(escaped).replace(NEWLINES, "<br>");
}
function code(text, maxLength = 200, options = {}) {
  let body = truncate(String(text ?? "").replace(CONTROL, ""), maxLength).replace(NEWLINES, " ");
  if (options.table) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
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
function link(text, url, maxLength = 200) {
  const label = escapeMarkdown(text, maxLength);
  const target = safeUrl(url);
  return target ? `[${label}](${target})` : label;
}

// src/core/response-metrics.ts
var TIMELINE_KINDS = Object.freeze({
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
var START_KINDS = /* @__PURE__ */ new Set([TIMELINE_KINDS.alertAdded, TIMELINE_KINDS.deployCheckFailed]);
var MITIGATION_KINDS = /* @__PURE__ */ new Set([
  TIMELINE_KINDS.rollbackMerged,
  TIMELINE_KINDS.redeploySucceeded,
  TIMELINE_KINDS.groupResolved
]);
function computeResponseMetrics(record, state = emptyResponseState()) {
  const timeline = record.timeline;
  const alertStarts = Object.values(record.fingerprints).map((a) => a.startsAt);
  const start = earliest([
    ...alertStarts,
    ...timeline.filter((e) => START_KINDS.has(e.kind)).map((e) => e.at),
    record.openedAt
  ]) ?? record.openedAt;
  const detected = record.openedAt;
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
function time(iso3) {
  return iso3 === void 0 || iso3 === "" ? NaN : Date.parse(iso3);
}
function earliest(isos) {
  let best;
  for (const iso3 of isos)
    if (!Number.isNaN(time(iso3)) && (best === void 0 || time(iso3) < time(best))) best = iso3;
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
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith("0"));
  return shown.length === 0 ? "0s" : shown.join(" ");
}
function formatTime(iso3) {
  const t = time(iso3);
  if (Number.isNaN(t)) return escapeMarkdown(iso3, 40);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
function scrubMentions(text) {
  return text.replace(/(?<![\w.+-])@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9_.-]+)?/g, "a responder");
}

// src/core/learning/signature.ts
var SIGNATURE_ANNOTATIONS = ["error", "exception", "message", "description", "summary"];
var MAX_SIGNATURE_LENGTH = 160;
var MAX_INPUT_LENGTH = 4e3;
var RULES = [
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
var ID_SEGMENT = /^(?=.*\d)[\w-]+$/;
var PATH = /(?:\/[^\s/?#"'`]*)+\/?/g;
var NUMBER = /\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi;
function normalizeMessage(text, maxLength = MAX_SIGNATURE_LENGTH) {
  let s = String(text ?? "").slice(0, MAX_INPUT_LENGTH);
  for (const [re, placeholder] of RULES) s = s.replace(re, placeholder);
  s = s.replace(
    PATH,
    (path) => path.split("/").map((seg) => ID_SEGMENT.test(seg) && !/^<\w+>$/.test(seg) ? "<id>" : seg).join("/")
  );
  s = s.replace(NUMBER, "<n>");
  s = s.toLowerCase().replace(/\s+/g, " ").trim();
  return Array.from(s).slice(0, maxLength).join("").trimEnd();
}
var EXCEPTION = /\b((?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Fault))\b/;
var GO_PANIC = /\bpanic: (runtime error|[a-z][\w .]{0,40}?)(?::|$)/m;
function exceptionType(text) {
  const s = String(text ?? "").slice(0, MAX_INPUT_LENGTH);
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
function recordSignatures(record) {
  const seen = /* @__PURE__ */ new Map();
  for (const fp of Object.keys(record.fingerprints).sort()) {
    const sig = errorSignature({ summary: record.fingerprints[fp]?.summary });
    if (sig && !seen.has(sig.signature)) seen.set(sig.signature, sig);
  }
  return [...seen.values()];
}

// src/core/learning/similar.ts
var DEFAULT_FLAKY_MS = 30 * 6e4;
function culpritsOf(record) {
  const response = readResponseState(record);
  const byPr = /* @__PURE__ */ new Map();
  if (response.rootCause?.confirmed) {
    const pr = response.rootCause.pr ?? record.suspects[0]?.number;
    if (pr !== void 0) byPr.set(pr, { pr, how: "confirmed", files: suspectFiles(record, pr) });
  }
  for (const rb of response.rollbacks)
    if (rb.state === "merged" && !byPr.has(rb.pr))
      byPr.set(rb.pr, { pr: rb.pr, how: "rolled back", files: suspectFiles(record, rb.pr) });
  return [...byPr.values()].sort((a, b) => a.pr - b.pr);
}
function suspectFiles(record, pr) {
  const s = record.suspects.find((x) => x.number === pr);
  return Array.isArray(s?.files) ? s.files.filter((f) => typeof f === "string") : [];
}

// src/core/learning/report.ts
var WEEK_MS = 7 * 864e5;
var TOP = 10;
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
function causeOf(record) {
  if (culpritsOf(record).length > 0) return "confirmed";
  const response = readResponseState(record);
  return record.suspects.length > 0 || response.rootCause?.pr !== void 0 ? "suspected" : "none";
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
  for (const { number, record } of incidents) {
    if (record.source !== "deploy-check") continue;
    const id2 = /^deploy:(.+)$/.exec(record.groupKey)?.[1] ?? `incident-${number}`;
    out.push({
      deploymentId: /^\d+$/.test(id2) ? Number(id2) : id2,
      environment: record.environment,
      service: record.service,
      at: record.openedAt,
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
  for (const { number, record } of incidents)
    for (const c of culpritsOf(record))
      for (const f of c.files) {
        add(files, f, number);
        const slash = f.lastIndexOf("/");
        add(dirs, slash > 0 ? f.slice(0, slash + 1) : "./", number);
      }
  const ranked = (map) => [...map].map(([path, set2]) => ({ path, incidents: set2.size, numbers: [...set2].sort((a, b) => a - b) })).sort((a, b) => b.incidents - a.incidents || a.path.localeCompare(b.path)).slice(0, TOP);
  return { files: ranked(files), directories: ranked(dirs) };
}
function openActionItems(incidents, states, now) {
  const out = [];
  for (const { number, record } of incidents)
    for (const item of readResponseState(record).actionItems) {
      if (item.issue !== void 0 && states[item.issue] === "closed") continue;
      const at = Date.parse(item.at);
      const entry = {
        incident: number,
        text: item.text,
        at: item.at,
        ageMs: Number.isNaN(at) ? 0 : Math.max(0, now.getTime() - at)
      };
      if (item.issue !== void 0) entry.issue = item.issue;
      out.push(entry);
    }
  return out.sort((a, b) => b.ageMs - a.ageMs || a.incident - b.incident);
}
function signatureCounts(incidents) {
  const bySig = /* @__PURE__ */ new Map();
  for (const { number, record } of incidents)
    for (const s of recordSignatures(record)) {
      const entry = bySig.get(s.signature) ?? { signature: s.signature, incidents: 0, numbers: [] };
      if (s.exceptionType && !entry.exceptionType) entry.exceptionType = s.exceptionType;
      if (!entry.numbers.includes(number)) {
        entry.numbers.push(number);
        entry.incidents += 1;
      }
      bySig.set(s.signature, entry);
    }
  return [...bySig.values()].map((e) => ({ ...e, numbers: [...e.numbers].sort((a, b) => a - b) })).sort((a, b) => b.incidents - a.incidents || a.signature.localeCompare(b.signature)).slice(0, TOP);
}
function toDate(value, what) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new Error(`${what}: expected an ISO 8601 date, got "${String(value)}"`);
  return d;
}

// src/core/learning/render-report.ts
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
    section("Severity", [severityPie(report), severityTable(report)].join("\n\n")),
    section("Incidents per week", weeklyBars(report)),
    section("Time to resolve, per week", mttrBars(report) + "\n\n" + weekTable(report)),
    section("Services", serviceTable(report)),
    section("Causes", causeTable(report)),
    section("Hotspots", hotspotTables(report)),
    section("Open action items", actionItemTable(report)),
    section("Recurring errors", signatureTable(report)),
    section("Incidents", incidentTable(report, options.maxIncidents ?? 50))
  );
  return parts.join("\n\n") + "\n";
}
function section(heading, body) {
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
function mermaidLabel(text, max = 40) {
  const clean = String(text).replace(/["`\\#;:[\]{}<>]/g, " ").replace(/\s+/g, " ").trim();
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
  const shown = numbers.slice(0, 10).map((n) => `#${n}`);
  return numbers.length > 10 ? `${shown.join(", ")} and ${numbers.length - 10} more` : shown.join(", ");
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
  const shown = r.incidents.slice(0, max);
  const rows = shown.map(
    (i) => `| ${link(`#${i.number}`, i.url, 20)} | ${formatTime(i.openedAt)} | ${i.severity} | ${escapeMarkdown(scrubMentions(i.name), 100)} | ${code(i.service, 60, { table: true })} | ${i.cause} | ${i.state} | ${dur(i.resolveMs)} |`
  );
  const more = r.incidents.length - shown.length;
  return [
    "| Incident | Opened | Severity | Alert | Service | Cause | State | Resolved in |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    ...more > 0 ? [`| \u2026${more} more | | | | | | | |`] : []
  ].join("\n");
}

// src/github/incident-history.ts
var BLOCK2 = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;
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
    for (const issue of issues) {
      if (issue.pull_request) continue;
      if (Date.parse(issue.created_at) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      const record = readRecord(issue.body);
      if (!record) {
        out.skipped += 1;
        continue;
      }
      out.incidents.push({
        number: issue.number,
        url: issue.html_url,
        state: issue.state === "closed" ? "closed" : "open",
        record
      });
    }
    if (reachedBack || issues.length < 100) break;
  }
  return out;
}
function readRecord(body) {
  const record = parseRecord(body);
  if (!record) return null;
  try {
    const match = BLOCK2.exec(body ?? "");
    return withSuspectFiles(record, JSON.parse(Buffer.from(match[1], "base64").toString("utf8")));
  } catch {
    return record;
  }
}
function withSuspectFiles(record, raw) {
  const suspects = raw?.suspects;
  if (!Array.isArray(suspects)) return record;
  const files = /* @__PURE__ */ new Map();
  for (const s of suspects)
    if (typeof s?.number === "number" && Array.isArray(s.files))
      files.set(
        s.number,
        s.files.filter((f) => typeof f === "string")
      );
  if (files.size === 0) return record;
  return {
    ...record,
    suspects: record.suspects.map((s) => files.has(s.number) ? { ...s, files: files.get(s.number) } : s)
  };
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
var DEPLOYMENTS_QUERY = `
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

// src/github/report-issue.ts
var REPORT_LABEL = "incident-report";
var MARKER = "aftershock:report";
function periodKey(since, until) {
  const day = (d) => new Date(d).toISOString().slice(0, 10);
  return `${day(since)}..${day(until)}`;
}
function reportMarker(period) {
  return `<!-- ${MARKER} period=${period.replace(/[^\w.:-]/g, "_")} -->`;
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
  const { issue, requests } = await findReportIssue(octokit, ref);
  if (issue) {
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: issue.number,
      title: content.title,
      body
    });
    return { ...issue, created: false, requests: requests + 1 };
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
var HELP = `Usage:
  aftershock report --repo owner/name [--since 30d] [--until ISO] [--format markdown|json]
                    [--label incident] [--deployments] [--publish] [--github-url URL]
  aftershock report --input incidents.json [--since 30d|ISO] [--until ISO] [--format markdown|json]

What the period's incidents teach: counts by severity, service and cause, time to acknowledge and to
resolve (median, mean, week by week), deploys the gate checked and stopped, files that keep turning up
in culprit PRs, open action items and recurring errors.

Options:
  --repo OWNER/NAME   read the incident issues from GitHub (needs GITHUB_TOKEN in the environment)
  --input FILE        offline: { "incidents": [{ number, url, state, record }], "deployChecks"?: [...],
                      "actionItemStates"?: { "<issue>": "open"|"closed" } } (or just the array)
  --since D|ISO       start of the period: a duration back from --until (30d, 2w) or a date (default 30d)
  --until ISO         end of the period (default now)
  --format F          markdown (default) or json
  --label L           the incident label (default incident)
  --deployments       also count deploy checks recorded as deployment statuses (one more request per 100)
  --publish           open or update the period's report issue (with --repo; needs issues write)
  --github-url URL    GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --help              show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;
var UsageError = class extends Error {
};
async function runReport(argv, io, now = () => /* @__PURE__ */ new Date()) {
  try {
    const { values } = parseArgs2({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        repo: { type: "string" },
        input: { type: "string" },
        since: { type: "string", default: "30d" },
        until: { type: "string" },
        format: { type: "string", default: "markdown" },
        label: { type: "string", default: "incident" },
        deployments: { type: "boolean", default: false },
        publish: { type: "boolean", default: false },
        "github-url": { type: "string", default: "https://api.github.com" },
        help: { type: "boolean", default: false }
      }
    });
    if (values.help) {
      io.stdout(HELP + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "markdown" && format !== "json")
      throw new UsageError(`--format must be markdown or json, got "${format}"`);
    const until = values.until === void 0 ? now() : parseDate(values.until, "--until");
    const since = parseSince(values.since, until);
    if (values.input !== void 0 && values.repo !== void 0)
      throw new UsageError("use either --input or --repo, not both");
    if (values.publish && values.repo === void 0) throw new UsageError("--publish needs --repo");
    let loaded;
    let octokit;
    let repoRef;
    if (values.input !== void 0) {
      loaded = await readInput(values.input);
    } else if (values.repo !== void 0) {
      repoRef = parseRepo(values.repo);
      octokit = client(io.env, values["github-url"]);
      loaded = await fetchInput(octokit, repoRef, {
        since,
        label: values.label,
        deployments: values.deployments
      });
    } else {
      throw new UsageError("give --repo owner/name, or --input incidents.json (see --help)");
    }
    const report = computeReport({ ...loaded, since, until });
    const markdown = renderReport(report);
    io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : markdown);
    if (values.publish && octokit && repoRef) {
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
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`aftershock report: ${err.message}
`);
      return 2;
    }
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
    const token = io.env.GITHUB_TOKEN;
    io.stderr(`aftershock report: ${token ? message.split(token).join("***") : message}
`);
    return 1;
  }
}
function reportTitle(report) {
  return `Incident report ${report.period.since.slice(0, 10)} to ${report.period.until.slice(0, 10)}`;
}
function isParseArgsError(err) {
  const code2 = err?.code;
  return typeof code2 === "string" && code2.startsWith("ERR_PARSE_ARGS");
}
function parseDate(text, what) {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime()))
    throw new UsageError(`${what} must be an ISO 8601 date like 2024-05-01T00:00:00Z, got "${text}"`);
  return d;
}
function parseSince(text, until) {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return parseDate(text, "--since");
  let seconds;
  try {
    seconds = parseDuration(text, "--since");
  } catch (err) {
    throw new UsageError(`${err.message}, or an ISO 8601 date`);
  }
  return new Date(until.getTime() - seconds * 1e3);
}
function parseRepo(text) {
  const [owner, repo, ...rest] = text.split("/");
  if (!owner || !repo || rest.length > 0) throw new UsageError(`--repo must be owner/name, got "${text}"`);
  return { owner, repo };
}
function client(env, githubUrl) {
  const token = env.GITHUB_TOKEN;
  if (!token)
    throw new UsageError("GITHUB_TOKEN is not set; export a token that can read the repository's issues");
  const baseUrl = (githubUrl ?? "https://api.github.com").replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`--github-url must be a URL, got "${githubUrl}"`);
  }
  return new Octokit({ auth: token, baseUrl, retry: { enabled: false }, throttle: { enabled: false } });
}
async function fetchInput(octokit, ref, opts) {
  const history = await listIncidentHistory(octokit, { ...ref, since: opts.since, label: opts.label });
  const loaded = { incidents: history.incidents };
  const filed = history.incidents.some(
    (i) => i.record.response?.actionItems?.some((a) => a.issue !== void 0)
  );
  if (filed) loaded.actionItemStates = (await listActionItemStates(octokit, ref)).states;
  if (opts.deployments)
    loaded.deployChecks = (await listDeployChecks(octokit, { ...ref, since: opts.since })).checks;
  return loaded;
}
async function readInput(path) {
  let json;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const e = err;
    throw new UsageError(
      e.code ? `cannot read --input ${path}: ${e.code}` : `--input ${path} is not valid JSON: ${e.message}`
    );
  }
  const root = Array.isArray(json) ? { incidents: json } : json;
  if (!Array.isArray(root?.incidents))
    throw new UsageError(`${path}: expected { "incidents": [...] } or an array of incidents`);
  const incidents = root.incidents.map((raw, i) => readIncident(raw, `${path}: incidents[${i}]`));
  const loaded = { incidents };
  if (Array.isArray(root.deployChecks)) loaded.deployChecks = root.deployChecks;
  if (root.actionItemStates && typeof root.actionItemStates === "object")
    loaded.actionItemStates = root.actionItemStates;
  return loaded;
}
function readIncident(raw, where) {
  const item = raw;
  if (typeof item?.number !== "number") throw new UsageError(`${where}.number: expected the issue number`);
  const parsed = IncidentRecordSchema.safeParse(item.record);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsageError(
      `${where}.record.${first?.path.join(".") ?? ""}: ${first?.message ?? "not a record"}`
    );
  }
  return {
    number: item.number,
    url: typeof item.url === "string" ? item.url : "",
    state: item.state === "closed" ? "closed" : "open",
    record: withSuspectFiles(parsed.data, item.record)
  };
}

// src/cli/suspects.ts
import { readFile as readFile2 } from "node:fs/promises";
import { parseArgs as parseArgs3 } from "node:util";
import { Octokit as Octokit2 } from "octokit";

// src/core/scoring.ts
import picomatch from "picomatch";
import { z as z4 } from "zod";
var DEFAULT_WEIGHTS = Object.freeze({
  proximity: 0.35,
  servicePaths: 0.2,
  riskyPaths: 0.15,
  size: 0.1,
  checkFailed: 0.2
});
var DEFAULT_RISKY_PATHS = Object.freeze([
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
var DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;
var DEFAULT_HALF_LIFE_MINUTES = 30;
var LARGE_CHANGE_LINES = 500;
var LARGE_CHANGE_FILES = 20;
var SHIPPED_STATUSES = /* @__PURE__ */ new Set(["success", "inactive"]);
function isShipped(d) {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}
function rankSuspects(c, opts = {}) {
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const halfLife = opts.halfLifeMinutes ?? DEFAULT_HALF_LIFE_MINUTES;
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === void 0 ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
  const environment = c.alert.labels.environment;
  const service = c.alert.labels.service;
  const deployments = /* @__PURE__ */ new Map();
  for (const d of c.deployments) {
    const at = Date.parse(d.createdAt);
    if (Number.isNaN(at) || at > latest || at < alertAt - lookbackMs) continue;
    if (environment !== void 0 && d.environment !== environment) continue;
    if (!isShipped(d)) continue;
    deployments.set(String(d.id), { d, at });
  }
  const serviceGlobs = service === void 0 ? [] : c.config?.services?.[service] ?? [];
  const serviceMatchers = serviceGlobs.map((g) => ({ glob: g, test: picomatch(g, { dot: true }) }));
  const isRisky = picomatch([...c.config?.riskyPaths ?? DEFAULT_RISKY_PATHS], { dot: true });
  const seen = /* @__PURE__ */ new Set();
  const scored = [];
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    if (dep === void 0 || seen.has(p.number)) continue;
    seen.add(p.number);
    scored.push(
      scorePull(p, dep.d, alertAt - dep.at, { weights, halfLife, service, serviceMatchers, isRisky })
    );
  }
  const deployedAt = (s) => Date.parse(s.deployedAt);
  return scored.sort((a, b) => b.score - a.score || deployedAt(b) - deployedAt(a) || a.number - b.number);
}
function scorePull(p, d, ageMs, ctx) {
  const { weights } = ctx;
  const paths = p.files.map((f) => f.path);
  const reasons = [];
  const factors = { proximity: 0, servicePaths: 0, riskyPaths: 0, size: 0, checkFailed: 0 };
  factors.proximity = weights.proximity * Math.pow(0.5, ageMs / 6e4 / ctx.halfLife);
  reasons.push(`deployed ${formatAge(ageMs)} before the alert${signed(factors.proximity)}`);
  const matchedGlobs = ctx.serviceMatchers.filter((m) => paths.some((path) => m.test(path))).map((m) => m.glob);
  if (matchedGlobs.length > 0) {
    factors.servicePaths = weights.servicePaths;
    reasons.push(
      `touches paths of service ${ctx.service}: ${matchedGlobs.join(", ")}${signed(factors.servicePaths)}`
    );
  }
  const risky = paths.filter((path) => ctx.isRisky(path));
  if (risky.length > 0) {
    factors.riskyPaths = weights.riskyPaths;
    reasons.push(`touches risky paths: ${listSome2(risky, 3)}${signed(factors.riskyPaths)}`);
  }
  const lines = p.additions + p.deletions;
  const sizeShare = Math.min(1, Math.max(lines / LARGE_CHANGE_LINES, p.files.length / LARGE_CHANGE_FILES));
  factors.size = weights.size * sizeShare;
  if (factors.size > 0) {
    const what = sizeShare >= 1 ? "large change" : "change size";
    const files = `${p.files.length} file${p.files.length === 1 ? "" : "s"}`;
    reasons.push(`${what}: ${lines} lines in ${files}${signed(factors.size)}`);
  }
  if (d.checkFailed === true) {
    factors.checkFailed = weights.checkFailed;
    reasons.push(`the deploy check failed for deploy ${d.id}${signed(factors.checkFailed)}`);
  }
  const total = factors.proximity + factors.servicePaths + factors.riskyPaths + factors.size + factors.checkFailed;
  const suspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: round3(Math.min(1, Math.max(0, total))),
    reasons,
    files: paths,
    factors: {
      proximity: round3(factors.proximity),
      servicePaths: round3(factors.servicePaths),
      riskyPaths: round3(factors.riskyPaths),
      size: round3(factors.size),
      checkFailed: round3(factors.checkFailed)
    }
  };
  if (p.url !== void 0) suspect.url = p.url;
  return suspect;
}
function round3(x) {
  return Math.round(x * 1e3) / 1e3;
}
function signed(x) {
  return ` (+${x.toFixed(2)})`;
}
function listSome2(items, max) {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
function formatAge(ms) {
  const seconds = Math.max(0, Math.round(ms / 1e3));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
var ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
var isoDate = z4.string({ error: "expected an ISO 8601 date" }).refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date (e.g. 2024-05-01T12:00:00Z)"
});
var count2 = z4.number({ error: "expected a number" }).int().nonnegative();
var id = z4.union([z4.number(), z4.string().min(1)], { error: "expected a number or a non-empty string" });
var stringRecord = z4.record(z4.string(), z4.string({ error: "expected a string" }));
var fileSchema = z4.object({
  path: z4.string().min(1),
  additions: count2.default(0),
  deletions: count2.default(0)
});
var caseSchema = z4.object({
  alert: z4.object({
    startsAt: isoDate,
    labels: stringRecord.default({}),
    annotations: stringRecord.optional()
  }),
  deployments: z4.array(
    z4.object({
      id,
      sha: z4.string().min(1),
      environment: z4.string(),
      createdAt: isoDate,
      // A case file usually lists only the deployments that went out.
      status: z4.string().default("success"),
      checkFailed: z4.boolean().optional(),
      url: z4.string().optional()
    })
  ),
  pulls: z4.array(
    z4.object({
      number: z4.number().int().positive(),
      title: z4.string().default(""),
      author: z4.string().default(""),
      mergedAt: isoDate,
      deploymentId: id,
      additions: count2.optional(),
      deletions: count2.optional(),
      files: z4.array(fileSchema).default([]),
      url: z4.string().optional(),
      mergeCommitSha: z4.string().optional()
    }).transform(({ additions, deletions, ...p }) => ({
      ...p,
      additions: additions ?? p.files.reduce((n, f) => n + f.additions, 0),
      deletions: deletions ?? p.files.reduce((n, f) => n + f.deletions, 0)
    }))
  ),
  config: z4.object({
    services: z4.record(z4.string(), z4.array(z4.string())).optional(),
    riskyPaths: z4.array(z4.string()).optional(),
    lookbackSeconds: z4.number().positive().optional()
  }).optional()
});
var CaseValidationError = class extends Error {
  constructor(issues) {
    super(`invalid case: ${issues.join("; ")}`);
    this.issues = issues;
    this.name = "CaseValidationError";
  }
  issues;
};
function validateCase(json) {
  const result = caseSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${describeIssue(i)}`);
  if (result.error.issues.length > 5) issues.push(`and ${result.error.issues.length - 5} more`);
  throw new CaseValidationError(issues);
}
function formatPath(path) {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(case)" : out;
}
function describeIssue(issue) {
  if (issue.code === "invalid_type") {
    const expected = issue.message.startsWith("expected") ? issue.message : `expected ${issue.expected}`;
    return issue.input === void 0 ? `missing, ${expected}` : `${expected}, got ${JSON.stringify(issue.input)?.slice(0, 40)}`;
  }
  return issue.message;
}

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

// src/github/history.ts
var PAGE = 100;
var MAX_DEPLOYMENT_PAGES = 10;
var MAX_HISTORY_ROUNDS = 10;
var ALIASES_PER_QUERY = 20;
var DEPLOYMENTS_QUERY2 = `
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
var PULL_FIELDS = `
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
async function fetchHistory(octokit, opts) {
  const counter = countRequests(octokit);
  try {
    const all = await fetchDeployments(octokit, opts);
    const shipped = all.filter((d) => isShipped(d.ref)).sort(byCreatedAt);
    const inRange = (d) => {
      const t = Date.parse(d.ref.createdAt);
      return t >= opts.since.getTime() && t <= opts.until.getTime();
    };
    const walks = [];
    shipped.forEach((d, i) => {
      if (inRange(d))
        walks.push({ deployment: d, base: shipped[i - 1], cursor: null, done: false, commits: [] });
    });
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
      const { query, variables } = historyQuery(chunk);
      const res = await octokit.graphql(query, {
        owner: opts.owner,
        repo: opts.repo,
        ...variables
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
  const variables = {};
  const aliases = walks.map((walk, i) => {
    params.push(`$oid${i}: GitObjectID!`, `$since${i}: GitTimestamp`, `$after${i}: String`);
    variables[`oid${i}`] = walk.deployment.ref.sha;
    variables[`since${i}`] = walk.base?.committedDate ?? null;
    variables[`after${i}`] = walk.cursor;
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
  return { query, variables };
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
      (f) => f === null ? [] : [{ path: f.path, additions: f.additions, deletions: f.deletions }]
    ),
    url: pr.url
  };
  if (pr.mergeCommit) ref.mergeCommitSha = pr.mergeCommit.oid;
  return ref;
}
function byCreatedAt(a, b) {
  return Date.parse(a.ref.createdAt) - Date.parse(b.ref.createdAt);
}

// src/cli/suspects.ts
var HELP2 = `Usage:
  aftershock suspects --input case.json [--format text|json]
  aftershock suspects --repo owner/name --environment E --at ISO [--service S] [--paths GLOB ...]
                      [--lookback-hours H] [--github-url URL] [--format text|json]

Ranks the merged PRs deployed before an alert, most likely culprit first, with the reasons for each score.

Options:
  --input FILE          a case file: { alert, deployments, pulls, config } (offline)
  --repo OWNER/NAME     fetch deployments and PRs from GitHub (needs GITHUB_TOKEN in the environment)
  --environment E       the deployment environment the alert fired in
  --at ISO              when the alert started, e.g. 2024-05-01T12:00:00Z
  --service S           the alerting service (its paths score higher with --paths)
  --paths GLOB          a path glob of the service; repeat for more
  --lookback-hours H    how far before the alert to look for deployments (default 24)
  --github-url URL      GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --format text|json    output format (default text)
  --help                show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;
var UsageError2 = class extends Error {
};
async function runSuspects(argv, io) {
  try {
    const { values } = parseArgs3({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
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
      }
    });
    if (values.help) {
      io.stdout(HELP2 + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "text" && format !== "json")
      throw new UsageError2(`--format must be text or json, got "${format}"`);
    let c;
    if (values.input !== void 0) {
      if (values.repo !== void 0) throw new UsageError2("use either --input or --repo, not both");
      c = await readCase(values.input);
    } else if (values.repo !== void 0) {
      c = await fetchCase(values, io.env);
    } else {
      throw new UsageError2(
        "give --input case.json, or --repo owner/name with --environment and --at (see --help)"
      );
    }
    const suspects = rankSuspects(c);
    io.stdout(format === "json" ? renderJson(suspects) : renderText2(c, suspects));
    return 0;
  } catch (err) {
    if (err instanceof UsageError2 || err instanceof CaseValidationError || isParseArgsError2(err)) {
      io.stderr(`aftershock suspects: ${err.message}
`);
      return 2;
    }
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
    io.stderr(`aftershock suspects: ${redact(message, io.env.GITHUB_TOKEN)}
`);
    return 1;
  }
}
function redact(text, secret) {
  return secret ? text.split(secret).join("***") : text;
}
function isParseArgsError2(err) {
  const code2 = err?.code;
  return typeof code2 === "string" && code2.startsWith("ERR_PARSE_ARGS");
}
async function readCase(path) {
  let text;
  try {
    text = await readFile2(path, "utf8");
  } catch (err) {
    throw new UsageError2(
      `cannot read --input ${path}: ${err.code ?? String(err)}`
    );
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError2(`--input ${path} is not valid JSON: ${err.message}`);
  }
  try {
    return validateCase(json);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new UsageError2(`${path}: ${err.message}`);
    throw err;
  }
}
async function fetchCase(values, env) {
  const [owner, repo, ...rest] = (values.repo ?? "").split("/");
  if (!owner || !repo || rest.length > 0)
    throw new UsageError2(`--repo must be owner/name, got "${values.repo}"`);
  if (!values.environment) throw new UsageError2("--environment is required with --repo");
  if (!values.at) throw new UsageError2("--at is required with --repo (when the alert started, ISO 8601)");
  const at = new Date(values.at);
  if (Number.isNaN(at.getTime())) throw new UsageError2(`--at must be an ISO 8601 date, got "${values.at}"`);
  const hours = values["lookback-hours"] === void 0 ? DEFAULT_LOOKBACK_SECONDS / 3600 : Number(values["lookback-hours"]);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new UsageError2(`--lookback-hours must be a positive number, got "${values["lookback-hours"]}"`);
  }
  if (values.paths?.length && !values.service)
    throw new UsageError2("--paths needs --service (the service they belong to)");
  const token = env.GITHUB_TOKEN;
  if (!token) throw new UsageError2("GITHUB_TOKEN is not set; export a token that can read the repository");
  const baseUrl = (values["github-url"] ?? "https://api.github.com").replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError2(`--github-url must be a URL, got "${values["github-url"]}"`);
  }
  const octokit = new Octokit2({
    auth: token,
    baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false }
  });
  const lookbackSeconds = hours * 3600;
  const history = await fetchHistory(octokit, {
    owner,
    repo,
    environment: values.environment,
    since: new Date(at.getTime() - lookbackSeconds * 1e3),
    until: at
  });
  const labels = { environment: values.environment };
  if (values.service) labels.service = values.service;
  const config = { lookbackSeconds };
  if (values.service && values.paths?.length) config.services = { [values.service]: values.paths };
  return {
    alert: { startsAt: at.toISOString(), labels },
    deployments: history.deployments,
    pulls: history.pulls,
    config
  };
}
function renderJson(suspects) {
  return JSON.stringify({ suspects }, null, 2) + "\n";
}
function renderText2(c, suspects) {
  const labels = c.alert.labels;
  const where = [
    labels.service && `service ${labels.service}`,
    labels.environment && `environment ${labels.environment}`
  ].filter(Boolean).join(", ");
  const head = `Suspects for ${labels.alertname ?? "the alert"}${where ? ` (${where})` : ""} starting ${c.alert.startsAt}`;
  if (suspects.length === 0) {
    const lookback = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
    return `${head}
No merged PRs were deployed in the ${formatAge(lookback)} before the alert.
`;
  }
  const rows = suspects.map((s, i) => [
    String(i + 1),
    `#${s.number}`,
    s.score.toFixed(3),
    String(s.deploymentId),
    s.author,
    oneLine(s.title, 60)
  ]);
  const header = ["rank", "PR", "score", "deploy", "author", "title"];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? "").length)));
  const line = (cells) => cells.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join("  ").trimEnd();
  const out = [head, "", line(header)];
  suspects.forEach((s, i) => {
    out.push(line(rows[i] ?? []));
    for (const reason of s.reasons) out.push(`${" ".repeat(6)}- ${reason}`);
  });
  return out.join("\n") + "\n";
}
function oneLine(s, max) {
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}\u2026` : clean;
}

// src/cli/main.ts
var HELP3 = `Usage: aftershock <command> [options]

Commands:
  check      verify a deploy against Prometheus (or backtest a past one)
  suspects   rank the merged PRs most likely behind an alert
  report     incidents, MTTA/MTTR, hotspots and open action items over a period
  demo       the whole story offline: gate, alert, incident, rollback, post-mortem

Run 'aftershock <command> --help' for a command's options.
`;
var COMMANDS = {
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
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`aftershock: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(", ")}
`);
    return EXIT.usage;
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
