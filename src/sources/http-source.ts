// MetricSource over the Prometheus HTTP API (/api/v1/query_range and /api/v1/query), with auth;
// timeouts and retries are the shared HttpClient's (./http.ts), worded for Prometheus. Also exports
// the parser of API result data, which the file source reuses for saved query_range responses.

import { SOURCE_DEFAULTS } from "../core/gate/defaults.js";
import { errorMessage } from "../core/errors.js";
import type { MetricSource, RangeResult, Sample, Series } from "../core/gate/types.js";
import {
  MetricSourceError,
  PrometheusError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  isRetryableStatus,
  networkError,
  redactUrl,
} from "./errors.js";
import { HttpClient, isRecord, snippet, type TransportErrors } from "./http.js";

export interface PrometheusHttpOptions {
  /** Base URL of Prometheus, with any path prefix (http://host/prometheus); `/api/v1/...` is appended. */
  url: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Extra headers, e.g. `X-Scope-OrgID` for Mimir/Cortex/Thanos tenants. */
  headers?: Record<string, string>;
  /** Per request, including reading the body. Default SOURCE_DEFAULTS.timeoutSeconds (10 s). */
  timeoutMs?: number;
  /** Answers above this many bytes are refused while streaming (a 300 MB answer took 1.1 GB). Default 50 MiB. */
  maxResponseBytes?: number;
  /** Retries after the first attempt on 5xx, 429, network errors and timeouts (not on an unknown host or a TLS failure). Default 3. */
  retries?: number;
  /** First backoff; doubles each retry, with jitter. Default 500. */
  backoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable jitter source in [0, 1). */
  random?: () => number;
  /** Replaces global fetch, e.g. one that signs each request with SigV4 (Amazon Managed Prometheus). */
  fetch?: typeof fetch;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const SNIPPET_CHARS = 200;

/** What the Prometheus source says when no usable answer came: what to check in its URL. */
const PROMETHEUS_ERRORS: TransportErrors = {
  timeout: (shown, timeoutMs) => new PrometheusTimeoutError(shown, timeoutMs),
  network: (shown, cause) => networkError(shown, cause),
  tooLarge: (shown, maxBytes, status) =>
    new PrometheusResponseError(
      `${shown} answered with an answer larger than ${maxBytes} bytes, which is refused: ` +
        "make the query cheaper (a larger step or a shorter range, or fewer series)",
      status,
    ),
};

export class PrometheusHttpSource implements MetricSource {
  readonly name: string;
  private readonly base: URL;
  private readonly shownBase: string;
  private readonly headers: Record<string, string>;
  private readonly http: HttpClient;

  constructor(options: PrometheusHttpOptions) {
    const base = parseBaseUrl(options.url);
    this.shownBase = redactUrl(base);
    this.name = `Prometheus at ${this.shownBase}`;

    // fetch() refuses URLs with user:password, so move them into basic auth.
    let basicAuth = options.basicAuth;
    if (base.username || base.password) {
      basicAuth ??= {
        username: decodeURIComponent(base.username),
        password: decodeURIComponent(base.password),
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

    // Retried: 5xx, 429, timeouts and network errors, except an unknown host or a TLS failure.
    this.http = new HttpClient({
      vendor: "Prometheus",
      timeoutMs: options.timeoutMs ?? SOURCE_DEFAULTS.timeoutSeconds * 1000,
      maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      retries: options.retries,
      backoffMs: options.backoffMs,
      sleep: options.sleep,
      random: options.random,
      fetch: options.fetch,
      errors: PROMETHEUS_ERRORS,
    });
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    return this.call(
      "query_range",
      { query, start: String(start), end: String(end), step: String(step) },
      query,
    );
  }

  /** Instant query: each series of the result holds one sample. `time` in Unix seconds, default now. */
  async query(query: string, time?: number): Promise<RangeResult> {
    const params: Record<string, string> = { query };
    if (time !== undefined) {
      if (!Number.isFinite(time)) throw new MetricSourceError(`time must be a finite number (got ${time}).`);
      params.time = String(time);
    }
    return this.call("query", params, query);
  }

  private async call(endpoint: string, params: Record<string, string>, query: string): Promise<RangeResult> {
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname.replace(/\/+$/, "")}/api/v1/${endpoint}`;
    const shown = redactUrl(url);
    const request = {
      method: "POST" as const,
      url,
      headers: { ...this.headers, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    };
    return this.http.send(request, (answer) => parseApiResponse(answer.body, answer.status, query, shown));
  }
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new MetricSourceError(
      `The Prometheus URL "${redactUrl(raw)}" is not a valid URL; use e.g. http://prometheus:9090 or https://host/prometheus.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MetricSourceError(
      `The Prometheus URL "${redactUrl(url)}" must start with http:// or https:// (e.g. http://prometheus:9090).`,
    );
  }
  // Accept a URL that already names the API (…/api/v1) as well as the base.
  url.pathname = url.pathname.replace(/\/api\/v1\/?$/, "");
  url.hash = "";
  return url;
}

function buildHeaders(
  extra: Record<string, string>,
  bearer: string | undefined,
  basicAuth: { username: string; password: string } | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString("base64")}`;
  }
  // Validate now: an invalid header would otherwise fail inside fetch() and look like a network error.
  for (const [name, value] of Object.entries(headers)) {
    try {
      new Headers([[name, value]]);
    } catch {
      // The value may be a secret: name the header only.
      throw new MetricSourceError(
        `The HTTP header "${name}" for Prometheus has an invalid name or value (a line break?).`,
      );
    }
  }
  return headers;
}

/** Rejects a range Prometheus would reject, with a message that says which argument is wrong. */
export function checkRange(start: number, end: number, step: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new MetricSourceError(`start and end must be finite Unix seconds (got ${start}, ${end}).`);
  }
  if (end < start) throw new MetricSourceError(`end (${end}) is before start (${start}).`);
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new MetricSourceError(`step must be a positive number of seconds (got ${step}).`);
  }
}

/** Turns the body of a Prometheus API answer into series, or into the error it describes. */
export function parseApiResponse(body: string, status: number, query: string, where: string): RangeResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // A 5xx page usually comes from a proxy in front of a struggling Prometheus; anything else from a wrong URL.
    const hint = isRetryableStatus(status)
      ? "so a proxy or load balancer in front of Prometheus answered instead of it"
      : "so it is not the Prometheus API (check the URL and its path prefix, and any proxy or login page in front of it)";
    throw new PrometheusResponseError(
      `${where} answered HTTP ${status} with a body that is not JSON, ${hint}: ${snippet(body, SNIPPET_CHARS)}`,
      status,
    );
  }
  const obj = isRecord(json) ? json : {};
  if (obj.status === "error") {
    throw new PrometheusError(String(obj.errorType ?? "unknown"), String(obj.error ?? ""), query, status);
  }
  if (status < 200 || status > 299 || obj.status !== "success") {
    throw new PrometheusResponseError(
      `${where} answered HTTP ${status} with something other than a Prometheus API response: ${snippet(body, SNIPPET_CHARS)}`,
      status,
    );
  }
  try {
    return { series: parseResultData(obj.data), warnings: stringList(obj.warnings) };
  } catch (err) {
    throw new PrometheusResponseError(`${where}: ${errorMessage(err)}\n  query: ${query}`, status);
  }
}

/** Parses the `data` of a successful answer: matrix, vector or scalar. Throws a plain Error on a bad shape. */
export function parseResultData(data: unknown): Series[] {
  if (!isRecord(data)) throw new Error("the answer has no `data` object");
  const { resultType, result } = data;
  switch (resultType) {
    case "matrix":
      return asArray(result, "matrix result").map((item) => {
        const entry = asRecord(item, "matrix series");
        if (entry.values === undefined && entry.histograms !== undefined) throw nativeHistogramError();
        return {
          labels: parseLabels(entry.metric),
          samples: asArray(entry.values ?? [], "values").map(parsePair),
        };
      });
    case "vector":
      return asArray(result, "vector result").map((item) => {
        const entry = asRecord(item, "vector sample");
        if (entry.value === undefined && entry.histogram !== undefined) throw nativeHistogramError();
        return { labels: parseLabels(entry.metric), samples: [parsePair(entry.value)] };
      });
    case "scalar":
      return [{ labels: {}, samples: [parsePair(result)] }];
    case "string":
      throw new Error(
        "the query returns a string, not numbers; use a query that returns a number per series",
      );
    default:
      throw new Error(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}

/** A `[t, "v"]` pair as Prometheus writes it (a numeric v is accepted too, for hand-written files). */
export function parsePair(pair: unknown): Sample {
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

/** Prometheus spells special values "NaN", "+Inf", "-Inf" (Go's ParseFloat also takes "Inf", any case). */
export function parseSampleValue(text: string): number {
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

function parseLabels(metric: unknown): Record<string, string> {
  if (metric === undefined) return {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(metric, "metric labels"))) labels[k] = String(v);
  return labels;
}

function nativeHistogramError(): Error {
  return new Error(
    "the query returns native histograms, which a check cannot compare; " +
      "wrap it, e.g. histogram_quantile(0.99, sum(rate(x[5m]))) or histogram_count(rate(x[5m]))",
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`expected an object for the ${what}, got ${JSON.stringify(value)}`);
  return value;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value))
    throw new Error(`expected an array for the ${what}, got ${JSON.stringify(value)}`);
  return value;
}
