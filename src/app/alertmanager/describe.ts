// Stage: describe an Alertmanager group as an incident draft (name, service, environment, severity,
// alerts by fingerprint) and what to correlate it with. Pure.
import type { AlertState } from "../../core/incident-record.js";
import { groupSeverity } from "../../core/render-incident.js";
import type { RepoConfig } from "../../core/repo-config.js";
import type { CorrelationRequest } from "../pipeline/correlate.js";
import type { IncidentDraft } from "../pipeline/incident.js";
import type { Alert, AlertmanagerPayload } from "./validate.js";

const SERVICE_LABELS = ["service", "app", "app_kubernetes_io_name", "job"];
const ENVIRONMENT_LABELS = ["environment", "env", "deployment_environment"];
// Go's zero time: Alertmanager's endsAt for an alert that has not resolved.
const ZERO_TIME = /^0001-01-01T/;

function firstLabel(payload: AlertmanagerPayload, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = payload.commonLabels[name] ?? payload.alerts.find((a) => a.labels[name])?.labels[name];
    if (value) return value;
  }
  return undefined;
}

function alertState(alert: Alert): AlertState {
  const summary = alert.annotations["summary"] ?? alert.annotations["description"];
  return {
    status: alert.status,
    alertname: alert.labels["alertname"] ?? "alert",
    ...(summary ? { summary: summary.slice(0, 500) } : {}),
    startsAt: alert.startsAt,
    ...(ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt }),
    ...(alert.generatorURL ? { url: alert.generatorURL } : {}),
  };
}

export function describeAlertGroup(
  payload: AlertmanagerPayload,
  config: RepoConfig,
): { draft: IncidentDraft; correlation: CorrelationRequest } {
  const name = payload.commonLabels["alertname"] ?? payload.alerts[0]?.labels["alertname"] ?? "Alert";
  const service = firstLabel(payload, SERVICE_LABELS) ?? "unknown";
  const environment = firstLabel(payload, ENVIRONMENT_LABELS) ?? config.environments[0] ?? "production";
  const alerts = Object.fromEntries(payload.alerts.map((a) => [a.fingerprint, alertState(a)]));
  const firing = payload.alerts.filter((a) => a.status === "firing");
  const earliest = [...(firing.length ? firing : payload.alerts)].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt),
  )[0]!;
  const truncated = payload.truncatedAlerts > 0 ? ` (${payload.truncatedAlerts} more were truncated)` : "";
  const draft: IncidentDraft = {
    groupKey: payload.groupKey,
    source: "alert",
    name,
    service,
    environment,
    severity: groupSeverity(firing.length ? firing : payload.alerts),
    delivery: { status: payload.status, alerts },
    ...(payload.externalURL ? { externalURL: payload.externalURL } : {}),
    actor: "alertmanager",
    openedText: `Opened from ${firing.length} firing alert(s) sent to receiver ${payload.receiver}${truncated}`,
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
