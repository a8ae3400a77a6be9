// The metric sources behind MetricSource, one module each (as Argo Rollouts keeps one folder per
// metric provider), and the factory the gate, the Action and the CLI use.

import { SOURCE_KINDS } from "../core/gate/defaults.js";
import type { MetricSource, RangeResult, SourceKind } from "../core/gate/types.js";
import { createAmazonPrometheusSource, isAmazonPrometheusUrl } from "./amazon-prometheus.js";
import type { CredentialProvider } from "./aws-sigv4.js";
import { CloudWatchSource } from "./cloudwatch.js";
import { DatadogSource } from "./datadog.js";
import { MetricSourceError } from "./errors.js";
import { FileSource } from "./file-source.js";
import type { RetryOptions } from "./http.js";
import { PrometheusHttpSource, type PrometheusHttpOptions } from "./http-source.js";
import { JsonSource, type JsonSourceOptions } from "./json-source.js";
import { NewRelicSource } from "./newrelic.js";

export {
  FileSourceError,
  MetricSourceError,
  PrometheusError,
  PrometheusHostNotFoundError,
  PrometheusNetworkError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusTlsError,
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
  CloudWatchSource,
  cloudWatchPeriod,
  metricDataQueries,
  type CloudWatchOptions,
} from "./cloudwatch.js";
export { DATADOG_SITES, DatadogSource, type DatadogOptions } from "./datadog.js";
export { NEW_RELIC_ENDPOINTS, NewRelicSource, timeseriesNrql, type NewRelicOptions } from "./newrelic.js";
export { JsonSource, type JsonSourceOptions } from "./json-source.js";
export { createAmazonPrometheusSource, isAmazonPrometheusUrl, signingFetch } from "./amazon-prometheus.js";
export { createSigner, resolveRegion, type AwsCredentials, type CredentialProvider } from "./aws-sigv4.js";
export { HttpClient, VendorError, type RetryOptions } from "./http.js";
export { onStepGrid, LIMITS } from "./step-grid.js";
export type { SourceKind } from "../core/gate/types.js";
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

export { SOURCE_KINDS };

/** Every source's non-secret settings (inputs, flags) and secrets (from the environment / secrets). */
export interface SourceSettings extends RetryOptions {
  prometheus?: Omit<PrometheusHttpOptions, "url" | keyof RetryOptions> & {
    url?: string;
    /** Sign with SigV4 for Amazon Managed Prometheus (automatic for aps-workspaces URLs). */
    sigv4?: boolean;
  };
  file?: string;
  datadog?: { site?: string; apiKey?: string; applicationKey?: string; endpoint?: string };
  /** Shared by CloudWatch and Amazon Managed Prometheus. */
  aws?: { region?: string; endpoint?: string; credentials?: CredentialProvider };
  newrelic?: { accountId?: string; apiKey?: string; region?: string; endpoint?: string };
  json?: Omit<JsonSourceOptions, keyof RetryOptions | "env">;
  /** Where ${ENV} references and AWS settings are read; default process.env. */
  env?: Record<string, string | undefined>;
}

/** One source of the given kind from the settings; says which setting is missing. */
export function createSource(kind: SourceKind, settings: SourceSettings): MetricSource;
/** The original factory: a Prometheus URL or a metrics file, exactly one. */
export function createSource(options: CreateSourceOptions): MetricSource;
export function createSource(a: SourceKind | CreateSourceOptions, b?: SourceSettings): MetricSource {
  if (typeof a === "string") return createOne(a, b ?? {});
  return createLegacy(a);
}

function createOne(kind: SourceKind, settings: SourceSettings): MetricSource {
  const { timeoutMs, retries, backoffMs, sleep, random } = settings;
  const retry: RetryOptions = { timeoutMs, retries, backoffMs, sleep, random };
  const env = settings.env ?? process.env;
  switch (kind) {
    case "prometheus": {
      const { url, sigv4, ...http } = settings.prometheus ?? {};
      if (!url?.trim()) {
        throw new MetricSourceError(
          "The prometheus source needs a URL: set prometheus-url (--prometheus-url), e.g. http://prometheus:9090.",
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
          "The file source needs a metrics file: set metrics-file (--metrics-file).",
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

/**
 * The gate's sources: the default one answers queryRange, and `forKind` hands a check with its own
 * `source:` the source of that kind, created on first use (so a gate of Datadog checks needs no
 * Prometheus URL) and reused after.
 */
export class SourceSet implements MetricSource {
  readonly name: string;
  private readonly made = new Map<SourceKind, MetricSource>();

  constructor(
    private readonly settings: SourceSettings,
    readonly defaultKind: SourceKind = defaultKindOf(settings),
  ) {
    this.name = defaultKind;
  }

  forKind(kind: SourceKind): MetricSource {
    let source = this.made.get(kind);
    if (!source) this.made.set(kind, (source = createOne(kind, this.settings)));
    return source;
  }

  queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    return this.forKind(this.defaultKind).queryRange(query, start, end, step);
  }
}

/** A metrics file alone means offline runs; otherwise Prometheus, as before other sources existed. */
export function defaultKindOf(settings: SourceSettings): SourceKind {
  return settings.file?.trim() && !settings.prometheus?.url?.trim() ? "file" : "prometheus";
}

/** A Prometheus HTTP source for `prometheusUrl`, a file source for `file`; exactly one must be set. */
function createLegacy(options: CreateSourceOptions): MetricSource {
  const { prometheusUrl, file: filePath, ...http } = options;
  const url = prometheusUrl?.trim() || undefined;
  const file = filePath?.trim() || undefined;
  if (url && file) {
    throw new MetricSourceError(
      "Both prometheus-url (--prometheus-url) and metrics-file (--metrics-file) are set; use the URL for live checks or the file for offline runs, not both.",
    );
  }
  if (file) return new FileSource({ path: file });
  if (url) {
    return new PrometheusHttpSource({ ...http, url });
  }
  throw new MetricSourceError(
    "No metric source: set prometheus-url (--prometheus-url) to a Prometheus URL, e.g. http://prometheus:9090, or metrics-file (--metrics-file) for offline runs, or source (--source) for another backend.",
  );
}
