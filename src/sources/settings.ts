// The metric sources' settings as the faces see them: kebab-case names shared by CLI flags, Action
// inputs and (for `source`) checks-YAML keys, each with its description and, for secrets, the
// environment variable it is read from. sourceSettingsFrom turns raw strings into SourceSettings.

import { parseHeaderLines } from "../core/headers.js";
import { SOURCE_KINDS } from "../core/defaults.js";
import type { CheckSpec, MetricSource, SourceKind } from "../core/types.js";
import { isAmazonPrometheusUrl } from "./amazon-prometheus.js";
import { MetricSourceError } from "./errors.js";
import { SourceSet, createSource, defaultKindOf, type SourceSettings } from "./index.js";

export interface SourceInput {
  name: string;
  description: string;
  /** A secret: never a CLI flag, read from `env` (the Action may pass it as an input from a secret). */
  secret?: boolean;
  /** The environment variable a secret, or a default, comes from. */
  env?: string;
  /** Several lines of `Name: value`. */
  multiline?: boolean;
}

export const SOURCE_INPUTS = [
  {
    name: "source",
    description: `where checks without their own source: read metrics: ${SOURCE_KINDS.join(", ")} (default prometheus, or file when only metrics-file is set)`,
  },
  {
    name: "prometheus-sigv4",
    description:
      "sign Prometheus requests with AWS SigV4 (Amazon Managed Service for Prometheus; automatic for aps-workspaces URLs)",
  },
  {
    name: "datadog-site",
    description: "datadoghq.com (default), datadoghq.eu, us3/us5/ap1.datadoghq.com or ddog-gov.com",
  },
  { name: "datadog-endpoint", description: "Datadog API URL instead of https://api.<site> (a proxy)" },
  { name: "datadog-api-key", description: "Datadog API key", secret: true, env: "DD_API_KEY" },
  {
    name: "datadog-application-key",
    description: "Datadog application key",
    secret: true,
    env: "DD_APPLICATION_KEY",
  },
  {
    name: "aws-region",
    description: "AWS region of CloudWatch / Managed Prometheus (default AWS_REGION)",
    env: "AWS_REGION",
  },
  {
    name: "cloudwatch-endpoint",
    description: "CloudWatch endpoint instead of monitoring.<region>.amazonaws.com",
  },
  {
    name: "newrelic-account-id",
    description: "New Relic account id the NRQL runs in",
    env: "NEW_RELIC_ACCOUNT_ID",
  },
  {
    name: "newrelic-region",
    description: "New Relic data region: us (default) or eu",
    env: "NEW_RELIC_REGION",
  },
  { name: "newrelic-endpoint", description: "NerdGraph URL instead of the region's (a proxy)" },
  {
    name: "newrelic-api-key",
    description: "New Relic user key (NRAK-…)",
    secret: true,
    env: "NEW_RELIC_API_KEY",
  },
  {
    name: "json-url",
    description:
      "JSON source URL template: {{query}}, {{start}}, {{end}}, {{step}}, {{startMs}}, {{endMs}}, {{startIso}}, {{endIso}}",
  },
  { name: "json-method", description: "GET (default) or POST" },
  { name: "json-body", description: "JSON source body template (POST), same variables" },
  {
    name: "json-headers",
    description: "JSON source headers, one 'Name: value' a line; ${ENV_NAME} is read from the environment",
    multiline: true,
  },
  { name: "json-timestamps", description: "selector of the timestamps, e.g. $.points[*][0]" },
  { name: "json-values", description: "selector of the values, e.g. $.points[*][1]" },
  { name: "json-series", description: "selector of several series (timestamps/values then start at each)" },
  { name: "json-label", description: "selector of a series' name, with json-series" },
] as const satisfies readonly SourceInput[];

export type SourceInputName = (typeof SOURCE_INPUTS)[number]["name"];
/** Raw values as flags and inputs give them; an empty string is "not set". */
export type RawSourceInputs = Partial<Record<SourceInputName | "prometheus-url" | "metrics-file", string>>;

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
  const get = (name: SourceInputName | "prometheus-url" | "metrics-file"): string | undefined => {
    const input = SOURCE_INPUTS.find((i) => i.name === name) as SourceInput | undefined;
    const value = raw[name]?.trim() || (input?.env ? env[input.env]?.trim() : undefined);
    return value || undefined;
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
  const jsonHeaders = raw["json-headers"]?.trim()
    ? parseHeaderLines(
        raw["json-headers"].split(/\r?\n/).filter((line) => line.trim() !== ""),
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
