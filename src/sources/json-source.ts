// MetricSource over any HTTP API that answers JSON, like Argo Rollouts' Web provider: a GET or POST
// with a templated URL, body and headers, and selectors (a small JSONPath subset) for the
// timestamps and values. Secrets go in headers as ${ENV_NAME}, filled from the environment.

import type { MetricSource, RangeResult, Sample, Series } from "../core/gate/types.js";
import { MetricSourceError, redactUrl } from "./errors.js";
import { HttpClient, VendorError, snippet, tryJson, type HttpAnswer, type RetryOptions } from "./http.js";
import { checkRange } from "./http-source.js";
import { SelectorError, parseSelector, select, type Step } from "./json-selector.js";
import { enforceLimits, onStepGrid, resampleWarning } from "./step-grid.js";
import { errorMessage } from "../core/errors.js";

export interface JsonSourceOptions extends RetryOptions {
  /** URL template, e.g. https://metrics.example.com/api/series?q={{query}}&from={{start}}&to={{end}}. */
  url: string;
  method?: string;
  /** Body template for POST; values are JSON-escaped, so it can be a JSON document. */
  body?: string;
  /** Header templates; ${ENV_NAME} is read from the environment and never shown. */
  headers?: Record<string, string>;
  /** Selector of the timestamps (Unix seconds or ms, or ISO 8601), e.g. $.points[*][0]. */
  timestamps: string;
  /** Selector of the values, parallel to the timestamps, e.g. $.points[*][1]. */
  values: string;
  /** Selector of several series; timestamps, values and label then start at each one ($ = the series). */
  series?: string;
  /** Selector of a series' name (with `series`), e.g. $.name. */
  label?: string;
  env?: Record<string, string | undefined>;
}

const VARIABLES = ["query", "start", "end", "step", "startMs", "endMs", "startIso", "endIso"] as const;
type Variable = (typeof VARIABLES)[number];
const TEMPLATE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;
/** Timestamps at or above this are milliseconds (1e11 s is the year 5138). */
const MS_THRESHOLD = 1e11;

export class JsonSource implements MetricSource {
  readonly name: string;
  private readonly method: "GET" | "POST";
  private readonly headers: Record<string, string>;
  private readonly selectors: { timestamps: Step[]; values: Step[]; series?: Step[]; label?: Step[] };
  private readonly http: HttpClient;

  constructor(private readonly options: JsonSourceOptions) {
    const method = (options.method?.trim() || (options.body ? "POST" : "GET")).toUpperCase();
    if (method !== "GET" && method !== "POST")
      throw new MetricSourceError(`json-method "${method}" must be GET or POST.`);
    this.method = method;
    checkTemplate(options.url, "json-url");
    if (options.body !== undefined) checkTemplate(options.body, "json-body");
    let probe: URL;
    try {
      probe = new URL(options.url.replace(TEMPLATE, "0"));
    } catch {
      throw new MetricSourceError(
        `json-url "${redactUrl(options.url)}" is not a URL, e.g. https://host/api?q={{query}}.`,
      );
    }
    if (probe.protocol !== "http:" && probe.protocol !== "https:") {
      throw new MetricSourceError("json-url must start with http:// or https://.");
    }
    if (options.url.includes("${")) {
      throw new MetricSourceError(
        "json-url must not hold ${…} secrets: URLs end up in logs; send the secret in a header.",
      );
    }
    const env = options.env ?? process.env;
    const secrets: string[] = [];
    this.headers = { accept: "application/json" };
    if (method === "POST") this.headers["content-type"] = "application/json";
    for (const [name, template] of Object.entries(options.headers ?? {})) {
      this.headers[name.toLowerCase()] = template.replace(ENV_REF, (_, ref: string) => {
        const value = env[ref];
        if (!value)
          throw new MetricSourceError(
            `The json-headers ${name} needs the environment variable ${ref}, which is not set.`,
          );
        secrets.push(value);
        return value;
      });
    }
    this.selectors = {
      timestamps: selector(options.timestamps, "json-timestamps"),
      values: selector(options.values, "json-values"),
      series: options.series ? selector(options.series, "json-series") : undefined,
      label: options.label ? selector(options.label, "json-label") : undefined,
    };
    this.name = `JSON at ${probe.host}`;
    this.http = new HttpClient({ ...options, vendor: `The JSON endpoint ${probe.host}`, secrets });
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    // Ask a step early, so the first grid point has a point behind it.
    const vars = variables(query, start - step, end, step);
    const url = new URL(fill(this.options.url, vars, encodeURIComponent));
    const body =
      this.method === "POST" && this.options.body !== undefined
        ? fill(this.options.body, vars, (v) => JSON.stringify(v).slice(1, -1))
        : undefined;
    const raw = await this.http.send({ method: this.method, url, headers: this.headers, body }, (answer) =>
      this.parse(answer, query),
    );
    const series: Series[] = [];
    const warnings: string[] = [];
    for (const s of raw) {
      const { samples, interval } = onStepGrid(s.points, { start, end, step, stampedAtStart: false });
      const w = resampleWarning(
        "The JSON endpoint",
        interval,
        step,
        "Ask the endpoint for one point per step ({{step}}).",
      );
      if (w && !warnings.includes(w)) warnings.push(w);
      if (samples.length > 0) series.push({ labels: s.labels, samples });
    }
    return { series, warnings };
  }

  private parse(answer: HttpAnswer, query: string): { labels: Record<string, string>; points: Sample[] }[] {
    const json = tryJson(answer.body);
    if (answer.status < 200 || answer.status > 299) {
      const auth =
        answer.status === 401 || answer.status === 403
          ? " Check the credentials in json-headers (the ${ENV_NAME} they read)."
          : "";
      throw new VendorError(
        `${this.http.vendor} answered HTTP ${answer.status}: ${snippet(answer.body)}\n  query: ${query}${auth}`,
        answer.status,
      );
    }
    if (json === undefined) {
      throw new VendorError(
        `${this.http.vendor} answered with a body that is not JSON: ${snippet(answer.body)}`,
        answer.status,
      );
    }
    try {
      const roots = this.selectors.series ? select(json, this.selectors.series) : [json];
      const out = roots.map((root, i) => {
        const label = this.selectors.label ? select(root, this.selectors.label)[0] : undefined;
        const labels: Record<string, string> = this.selectors.series
          ? { series: label === undefined || label === null ? String(i) : String(label) }
          : {};
        return {
          labels,
          points: pairUp(select(root, this.selectors.timestamps), select(root, this.selectors.values)),
        };
      });
      enforceLimits(
        this.http.vendor,
        out.length,
        out.map((s) => s.points.length),
      );
      return out;
    } catch (err) {
      if (err instanceof SelectorError) throw new MetricSourceError(`${this.http.vendor}: ${err.message}`);
      throw err;
    }
  }
}

function pairUp(times: unknown[], values: unknown[]): Sample[] {
  if (times.length !== values.length) {
    throw new MetricSourceError(
      `json-timestamps selects ${times.length} values but json-values selects ${values.length}; they must select one each per point.`,
    );
  }
  const points: Sample[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = toSeconds(times[i]);
    const v = toNumber(values[i]);
    if (t === undefined)
      throw new MetricSourceError(
        `json-timestamps selected ${JSON.stringify(times[i])}, which is not a time.`,
      );
    if (v !== undefined) points.push({ t, v });
  }
  return points;
}

function toSeconds(value: unknown): number | undefined {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (Number.isFinite(n)) return n >= MS_THRESHOLD ? n / 1000 : n;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  return undefined;
}

/** null is a gap; anything else must be a number or a numeric string. */
function toNumber(value: unknown): number | undefined {
  if (value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  throw new MetricSourceError(
    `json-values selected ${JSON.stringify(value)?.slice(0, 80)}, which is not a number.`,
  );
}

function selector(text: string, input: string): Step[] {
  try {
    return parseSelector(text);
  } catch (err) {
    throw new MetricSourceError(`${input}: ${errorMessage(err)}`);
  }
}

function checkTemplate(template: string, input: string): void {
  for (const m of template.matchAll(TEMPLATE)) {
    if (!(VARIABLES as readonly string[]).includes(m[1] ?? "")) {
      throw new MetricSourceError(
        `${input} uses {{${m[1]}}}; the variables are ${VARIABLES.map((v) => `{{${v}}}`).join(", ")}.`,
      );
    }
  }
}

function variables(query: string, start: number, end: number, step: number): Record<Variable, string> {
  return {
    query,
    start: String(Math.floor(start)),
    end: String(Math.ceil(end)),
    step: String(step),
    startMs: String(Math.floor(start * 1000)),
    endMs: String(Math.ceil(end * 1000)),
    startIso: new Date(start * 1000).toISOString(),
    endIso: new Date(end * 1000).toISOString(),
  };
}

function fill(template: string, vars: Record<Variable, string>, escape: (v: string) => string): string {
  return template.replace(TEMPLATE, (_, name: string) => escape(vars[name as Variable]));
}
