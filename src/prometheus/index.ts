// The metric sources behind MetricSource, and the factory the gate, the Action and the CLI use.

import type { MetricSource } from "../core/types.js";
import { MetricSourceError } from "./errors.js";
import { FileSource } from "./file-source.js";
import { PrometheusHttpSource } from "./http-source.js";

export {
  FileSourceError,
  MetricSourceError,
  PrometheusError,
  PrometheusNetworkError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  isRetryableStatus,
  redactUrl,
} from "./errors.js";
export {
  FileSource,
  LOOKBACK_SECONDS,
  parseSelector,
  resample,
  type FileSourceOptions,
} from "./file-source.js";
export {
  PrometheusHttpSource,
  parseApiResponse,
  parseResultData,
  parseSampleValue,
  type PrometheusHttpOptions,
} from "./http-source.js";

export interface CreateSourceOptions {
  /** Base URL of Prometheus (or Thanos, Mimir, VictoriaMetrics: anything with the Prometheus API). */
  prometheusUrl?: string;
  /** A metrics file for offline runs: a query_range JSON response, OpenMetrics text, or {"series": {...}}. */
  file?: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  headers?: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A Prometheus HTTP source for `prometheusUrl`, a file source for `file`; exactly one must be set. */
export function createSource(options: CreateSourceOptions): MetricSource {
  const url = options.prometheusUrl?.trim() || undefined;
  const file = options.file?.trim() || undefined;
  if (url && file) {
    throw new MetricSourceError(
      "Both a Prometheus URL and a metrics file are set; use the URL for live checks or the file for offline runs, not both.",
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
      sleep: options.sleep,
    });
  }
  throw new MetricSourceError(
    "No metric source: set a Prometheus URL (e.g. http://prometheus:9090), or a metrics file for offline runs.",
  );
}
