// The metric sources behind MetricSource, and the factory the gate, the Action and the CLI use.

import type { MetricSource } from "../core/types.js";
import { MetricSourceError } from "./errors.js";
import { FileSource } from "./file-source.js";
import { PrometheusHttpSource, type PrometheusHttpOptions } from "./http-source.js";

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

/** The HTTP source's options (but its URL) plus where the metrics come from. */
export type CreateSourceOptions = Omit<PrometheusHttpOptions, "url"> & {
  /** Base URL of Prometheus (or Thanos, Mimir, VictoriaMetrics: anything with the Prometheus API). */
  prometheusUrl?: string;
  /** A metrics file for offline runs: a query_range JSON response, OpenMetrics text, or {"series": {...}}. */
  file?: string;
};

/** A Prometheus HTTP source for `prometheusUrl`, a file source for `file`; exactly one must be set. */
export function createSource(options: CreateSourceOptions): MetricSource {
  const { prometheusUrl, file: filePath, ...http } = options;
  const url = prometheusUrl?.trim() || undefined;
  const file = filePath?.trim() || undefined;
  if (url && file) {
    throw new MetricSourceError(
      "Both a Prometheus URL and a metrics file are set; use the URL for live checks or the file for offline runs, not both.",
    );
  }
  if (file) return new FileSource({ path: file });
  if (url) {
    return new PrometheusHttpSource({ ...http, url });
  }
  throw new MetricSourceError(
    "No metric source: set a Prometheus URL (e.g. http://prometheus:9090), or a metrics file for offline runs.",
  );
}
