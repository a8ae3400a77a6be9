// Stage: describe an Alertmanager group as an incident draft (name, service, environment, severity and
// the rule that set it, alerts by fingerprint, runbook and dashboard) and what to correlate it with. Pure.
import type { AlertState } from "../../core/incident/incident-record.js";
import { boundedKey } from "../../core/incident/incident-record.js";
import { safeUrl } from "../../core/text/markdown.js";
import { alertSeveritySource } from "../../core/incident/render-incident.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import { worstSeverity } from "../../core/gate/severity.js";
import type { Severity, SeverityBand } from "../../core/gate/types.js";
import type { CorrelationRequest } from "../pipeline/correlate.js";
import type { IncidentDraft } from "../pipeline/incident.js";
import type { Alert, AlertmanagerPayload } from "./validate.js";

const SERVICE_LABELS = ["service", "app", "app_kubernetes_io_name", "job"];
const ENVIRONMENT_LABELS = ["environment", "env", "deployment_environment"];
// Go's zero time: Alertmanager's endsAt for an alert that has not resolved.
const ZERO_TIME = /^0001-01-01T/;
const RUNBOOK_ANNOTATIONS = ["runbook_url", "runbook"] as const;

/** Bounds on what an alert brings into the record: it lives in an issue body of limited size. */
export const MAX_ALERT_ENTRIES = 30;
export const MAX_ALERT_VALUE = 300;
const MAX_URL = 2000;

function firstLabel(payload: AlertmanagerPayload, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = payload.commonLabels[name] ?? payload.alerts.find((a) => a.labels[name])?.labels[name];
    if (value) return value;
  }
  return undefined;
}

/** At most 30 entries, in the order given, values cut to 300 characters; undefined when empty. */
function bounded(values: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(values).slice(0, MAX_ALERT_ENTRIES);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([k, v]) => [k.slice(0, MAX_ALERT_VALUE), v.slice(0, MAX_ALERT_VALUE)]),
  );
}

function alertState(alert: Alert): AlertState {
  const summary = alert.annotations["summary"] ?? alert.annotations["description"];
  const labels = bounded(alert.labels);
  const annotations = bounded(alert.annotations);
  return {
    status: alert.status,
    alertname: alert.labels["alertname"] ?? "alert",
    ...(summary ? { summary: summary.slice(0, 500) } : {}),
    startsAt: alert.startsAt,
    ...(ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt }),
    ...(alert.generatorURL ? { url: alert.generatorURL } : {}),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(4))} %`;
}

/** ">5 %" or "≥1 %": how a band reads in the rule. */
function bandText(band: SeverityBand): string {
  return `${band.exclusive ? ">" : "≥"}${percent(band.min)}`;
}

export interface RuledSeverity {
  severity: Severity;
  /** Why, for people: `alert HighErrorRate: label severity="critical" → P1`. */
  rule: string;
}

/**
 * One alert's severity with the rule that set it: its `severity` label, else an error ratio in its
 * error_ratio/value annotation through the bands (decided by alertSeveritySource, as alertSeverity); null
 * when neither says.
 */
export function alertSeverityRule(
  alert: Pick<Alert, "labels" | "annotations">,
  bands: readonly SeverityBand[],
): RuledSeverity | null {
  const name = (alert.labels["alertname"] ?? "alert").slice(0, 100);
  const source = alertSeveritySource(alert, bands);
  if (!source) return null;
  const { severity } = source;
  if (source.from === "label") {
    return { severity, rule: `alert ${name}: label severity="${source.label}" → ${severity}` };
  }
  const { ratio, annotation } = source;
  // The band that matched, for the text; none when the ratio is below every band (the lowest applies).
  const band = bands.find((b) => b.severity === severity && (b.exclusive ? ratio > b.min : ratio >= b.min));
  const why = band ? `band ${severity} (${bandText(band)})` : `below every band, so ${severity}`;
  return {
    severity,
    rule: `alert ${name}: error ratio ${Number(ratio.toPrecision(4))} in annotation ${annotation} → ${why}`,
  };
}

/** The worst severity over the alerts and the rule of the first alert that has it; P3 by default. */
export function groupSeverityRule(
  alerts: ReadonlyArray<Pick<Alert, "labels" | "annotations">>,
  bands: readonly SeverityBand[],
): RuledSeverity {
  const ruled = alerts.map((a) => alertSeverityRule(a, bands));
  const worst = worstSeverity(ruled.map((r) => r?.severity ?? null));
  const chosen = ruled.find((r) => r && r.severity === worst);
  return chosen ?? { severity: "P3", rule: "default P3 (no severity label or error ratio annotation)" };
}

// {{name}}: service, environment and alertname as resolved for the incident, else any alert label.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Fills a dashboard URL template; each value is URL-encoded, an unknown name becomes empty. */
export function fillUrlTemplate(
  template: string,
  vars: Readonly<Record<string, string | undefined>>,
): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(vars[name] ?? ""));
}

/** A URL worth linking (http(s), not absurdly long), or undefined. */
function linkable(url: string | undefined): string | undefined {
  return url && url.length <= MAX_URL && safeUrl(url) ? url : undefined;
}

/** The runbook: the alerts' runbook_url (or runbook) annotation, else the config's, by name then default. */
export function findRunbook(
  alerts: ReadonlyArray<Pick<Alert, "annotations">>,
  name: string,
  config: Pick<RepoConfig, "runbooks">,
): string | undefined {
  for (const alert of alerts) {
    for (const key of RUNBOOK_ANNOTATIONS) {
      const url = linkable(alert.annotations[key]);
      if (url) return url;
    }
  }
  return linkable(config.runbooks[name] ?? config.runbooks["default"]);
}

/** The dashboard: the alerts' generatorURL, else the config's template filled for this incident. */
export function findDashboard(
  alerts: ReadonlyArray<Pick<Alert, "generatorURL">>,
  vars: Readonly<Record<string, string | undefined>>,
  config: Pick<RepoConfig, "dashboard">,
): string | undefined {
  for (const alert of alerts) {
    const url = linkable(alert.generatorURL);
    if (url) return url;
  }
  return config.dashboard ? linkable(fillUrlTemplate(config.dashboard, vars)) : undefined;
}

export function describeAlertGroup(
  payload: AlertmanagerPayload,
  config: RepoConfig,
): { draft: IncidentDraft; correlation: CorrelationRequest } {
  const name = payload.commonLabels["alertname"] ?? payload.alerts[0]?.labels["alertname"] ?? "Alert";
  const service = firstLabel(payload, SERVICE_LABELS) ?? "unknown";
  const environment = firstLabel(payload, ENVIRONMENT_LABELS) ?? config.environments[0] ?? "production";
  // Long fingerprints and group keys are hashed: they are compared, never read by people.
  const alerts = Object.fromEntries(payload.alerts.map((a) => [boundedKey(a.fingerprint), alertState(a)]));
  const firing = payload.alerts.filter((a) => a.status === "firing");
  const earliest = [...(firing.length ? firing : payload.alerts)].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt),
  )[0]!;
  // The alerts that decide: the firing ones, the earliest first (its runbook and dashboard win).
  const deciding = [earliest, ...(firing.length ? firing : payload.alerts).filter((a) => a !== earliest)];
  const { severity, rule } = groupSeverityRule(deciding, config.severityBands);
  const vars = { ...payload.commonLabels, ...earliest.labels, service, environment, alertname: name };
  const runbook = findRunbook([{ annotations: payload.commonAnnotations }, ...deciding], name, config);
  const dashboard = findDashboard(deciding, vars, config);
  const details: NonNullable<IncidentDraft["details"]> = {
    severityRule: rule,
    ...(runbook ? { runbook } : {}),
    ...(dashboard ? { dashboard } : {}),
  };
  const truncated = payload.truncatedAlerts > 0 ? ` (${payload.truncatedAlerts} more were truncated)` : "";
  const draft: IncidentDraft = {
    groupKey: boundedKey(payload.groupKey),
    source: "alert",
    name,
    service,
    environment,
    severity,
    delivery: { status: payload.status, alerts },
    ...(payload.externalURL ? { externalURL: payload.externalURL } : {}),
    actor: "alertmanager",
    openedText: `Opened from ${firing.length} firing alert(s) sent to receiver ${payload.receiver}${truncated}`,
    details,
  };
  const correlation: CorrelationRequest = {
    alert: {
      startsAt: earliest.startsAt,
      // The scorer reads service and environment from these labels: give it the resolved ones.
      labels: { ...payload.commonLabels, ...earliest.labels, service, environment },
      annotations: { ...payload.commonAnnotations, ...earliest.annotations },
    },
    environment,
    until: new Date(earliest.startsAt),
  };
  return { draft, correlation };
}
