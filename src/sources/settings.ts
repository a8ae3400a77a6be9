// The metric sources' settings as the surfaces give them. The non-secret ones are options of the
// configuration schema (core/config/schema.ts: flag, input, and `source` as a checks-YAML key);
// the secrets are not: they come from the environment, or from Action inputs fed from secrets.

import { SOURCE_KINDS } from "../core/gate/defaults.js";
import { parseHeaderLines } from "../core/text/headers.js";
import type { CheckSpec, MetricSource, SourceKind } from "../core/gate/types.js";
import { isAmazonPrometheusUrl } from "./amazon-prometheus.js";
import { MetricSourceError } from "./errors.js";
import { SourceSet, createSource, defaultKindOf, type SourceSettings } from "./index.js";

/** The secret inputs of the Action and the environment variable each falls back to (the CLI's only way). */
export const SECRET_INPUTS = {
  "datadog-api-key": { env: "DD_API_KEY", description: "Datadog API key" },
  "datadog-application-key": { env: "DD_APPLICATION_KEY", description: "Datadog application key" },
  "newrelic-api-key": { env: "NEW_RELIC_API_KEY", description: "New Relic user key (NRAK-…)" },
} as const;

/** Settings with a documented environment fallback besides the secrets. */
const ENV_FALLBACK: Record<string, string> = {
  "newrelic-account-id": "NEW_RELIC_ACCOUNT_ID",
  "newrelic-region": "NEW_RELIC_REGION",
  ...Object.fromEntries(Object.entries(SECRET_INPUTS).map(([name, s]) => [name, s.env])),
};

/**
 * Raw values as flags and inputs give them, by their schema name (an empty string is "not set"),
 * plus the secret inputs and `json-headers` (lines of `Name: value`).
 */
export type RawSourceInputs = Partial<Record<string, string>>;

/**
 * SourceSettings from raw inputs and the environment: a secret comes from its input (the Action)
 * or else its environment variable (the CLI, or the Action's env:). Also returns the secrets, so a
 * face can mask them (core.setSecret) before anything is logged.
 */
export function sourceSettingsFrom(
  raw: RawSourceInputs,
  env: Record<string, string | undefined>,
  base: SourceSettings = {},
): { settings: SourceSettings; defaultKind: SourceKind | undefined; secrets: string[] } {
  const get = (name: string): string | undefined => {
    const fallback = ENV_FALLBACK[name];
    return raw[name]?.trim() || (fallback ? env[fallback]?.trim() : undefined) || undefined;
  };
  const kind = get("source");
  if (kind !== undefined && !(SOURCE_KINDS as readonly string[]).includes(kind)) {
    throw new MetricSourceError(`source "${kind}" must be one of ${SOURCE_KINDS.join(", ")}.`);
  }
  const sigv4 = get("prometheus-sigv4");
  if (sigv4 !== undefined && sigv4 !== "true" && sigv4 !== "false") {
    throw new MetricSourceError(`prometheus-sigv4 "${sigv4}" must be true or false.`);
  }
  const apiKey = get("datadog-api-key");
  const applicationKey = get("datadog-application-key") ?? env.DD_APP_KEY?.trim();
  const newRelicKey = get("newrelic-api-key");
  const headerLines = raw["json-headers"]?.trim();
  const jsonHeaders = headerLines
    ? parseHeaderLines(
        headerLines.split(/\r?\n/).filter((line) => line.trim() !== ""),
        (n) => `json-headers line ${n}`,
      )
    : undefined;
  const jsonUrl = get("json-url");
  const settings: SourceSettings = {
    ...base,
    prometheus: {
      ...base.prometheus,
      url: get("prometheus-url") ?? base.prometheus?.url,
      sigv4: sigv4 === "true",
    },
    file: get("metrics-file") ?? base.file,
    datadog: { site: get("datadog-site"), endpoint: get("datadog-endpoint"), apiKey, applicationKey },
    aws: { region: get("aws-region"), endpoint: get("cloudwatch-endpoint") },
    newrelic: {
      accountId: get("newrelic-account-id"),
      region: get("newrelic-region"),
      endpoint: get("newrelic-endpoint"),
      apiKey: newRelicKey,
    },
    json: jsonUrl
      ? {
          url: jsonUrl,
          method: get("json-method"),
          body: get("json-body"),
          headers: jsonHeaders,
          timestamps: get("json-timestamps") ?? "",
          values: get("json-values") ?? "",
          series: get("json-series"),
          label: get("json-label"),
        }
      : undefined,
    env,
  };
  const secrets = [apiKey, applicationKey, newRelicKey].filter((s): s is string => Boolean(s));
  // Values that ${ENV} references in json-headers pull in are secrets too.
  for (const value of Object.values(jsonHeaders ?? {})) {
    for (const m of value.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) {
      const secret = env[m[1] ?? ""];
      if (secret) secrets.push(secret);
    }
  }
  return { settings, defaultKind: kind as SourceKind | undefined, secrets };
}

/**
 * The gate's source from the faces' raw inputs. Without `source` anywhere it is exactly the
 * original Prometheus-or-file source (same errors); otherwise a SourceSet whose sources for the
 * kinds the checks use are created now, so a missing key is a configuration error before any query.
 */
export function gateSource(
  raw: RawSourceInputs,
  env: Record<string, string | undefined>,
  base: SourceSettings,
  checks: readonly Pick<CheckSpec, "source">[],
): { source: MetricSource; secrets: string[] } {
  const { settings, defaultKind, secrets } = sourceSettingsFrom(raw, env, base);
  const kinds = new Set(checks.map((c) => c.source).filter((k): k is SourceKind => k !== undefined));
  const url = settings.prometheus?.url;
  if (
    defaultKind === undefined &&
    kinds.size === 0 &&
    !settings.prometheus?.sigv4 &&
    !isAmazonPrometheusUrl(url ?? "")
  ) {
    const { sigv4: _sigv4, url: _url, ...http } = settings.prometheus ?? {};
    return {
      source: createSource({ ...http, ...retryOf(base), prometheusUrl: url, file: settings.file }),
      secrets,
    };
  }
  const set = new SourceSet(settings, defaultKind ?? defaultKindOf(settings));
  for (const check of checks) set.forKind(check.source ?? set.defaultKind);
  return { source: set, secrets };
}

function retryOf(s: SourceSettings) {
  const { timeoutMs, retries, backoffMs, sleep, random } = s;
  return { timeoutMs, retries, backoffMs, sleep, random };
}
