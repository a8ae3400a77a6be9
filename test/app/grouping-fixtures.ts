// Shared by the grouping tests (test/app/grouping.test.ts, test/e2e/grouping.e2e.test.ts): a history
// with two deploys and Alertmanager deliveries of a named group. The ranking that goes with them is
// in grouping-ranking.ts (a mock factory imports it, so it imports nothing of the app).
import { firingPayload } from "./helpers.js";

export const TWO_DEPLOYS = {
  deployments: [
    {
      id: 7,
      sha: "a".repeat(40),
      environment: "production",
      createdAt: "2024-05-01T11:55:00Z",
      status: "success",
    },
    {
      id: 8,
      sha: "b".repeat(40),
      environment: "production",
      createdAt: "2024-05-01T11:56:00Z",
      status: "success",
    },
  ],
  pulls: [pull(42, "checkout and payments: retry calls", 7), pull(43, "search: new ranking", 8)],
  requests: 2,
};

function pull(number: number, title: string, deploymentId: number) {
  const base = { author: "alice", mergedAt: "2024-05-01T11:50:00Z", additions: 1, deletions: 1, files: [] };
  return { number, title, deploymentId, ...base };
}

/** An Alertmanager delivery of group `name` for `service`, with alerts by fingerprint and status. */
export function group(
  name: string,
  service: string,
  alerts: Record<string, "firing" | "resolved">,
): Record<string, unknown> {
  const p = firingPayload();
  const template = p.alerts[0]!;
  const list = Object.entries(alerts).map(([fingerprint, status]) => ({
    ...template,
    status,
    fingerprint,
    labels: { ...template.labels, alertname: name, service, job: service },
    annotations: { summary: `${service} ${name} <b>@oncall</b>` },
    endsAt: status === "resolved" ? "2024-05-01T12:20:00Z" : template["endsAt"],
  }));
  return {
    ...p,
    status: list.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: list,
    groupKey: `{}:{alertname="${name}", service="${service}"}`,
    groupLabels: { alertname: name },
    commonLabels: { ...p.commonLabels, alertname: name, service, job: service },
    commonAnnotations: {},
  };
}
