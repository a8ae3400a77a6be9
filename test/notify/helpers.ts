// Incident events for the notifier tests, and a pino logger captured into memory.
import { PassThrough } from "node:stream";
import { pino, type Logger } from "pino";
import type { IncidentEvent } from "../../src/app/events.js";
import type { IncidentRecord } from "../../src/core/incident/incident-record.js";
import { incidentRecord as baseRecord } from "../helpers/incident-record.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../src/core/config/repo-config.js";

export const SLACK_URL = "https://hooks.slack.com/services/T000/B000/sEcReTwEbHoOkPaTh";
export const ROUTING_KEY = "R0uT1nGkEy0123456789abcdefABCDEF";
export const ISSUE_URL = "https://github.com/acme/shop/issues/12";

export function incidentRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return baseRecord({
    groupKey: '{}/{severity="page"}:{alertname="HighErrorRate"}',
    fingerprints: {
      abc: { status: "firing", alertname: "HighErrorRate", startsAt: "2024-05-01T12:00:00Z" },
    },
    severity: "P1",
    deploys: [
      {
        id: 7,
        sha: "0123456789abcdef0123456789abcdef01234567",
        environment: "production",
        createdAt: "2024-05-01T11:50:00Z",
        status: "success",
      },
    ],
    suspects: [
      {
        number: 42,
        title: "Cache the cart",
        author: "alice",
        url: "https://github.com/acme/shop/pull/42",
        deploymentId: 7,
        score: 0.81,
        reasons: ["touches services/checkout"],
      },
    ],
    openedAt: "2024-05-01T12:05:00.000Z",
    externalURL: "https://alertmanager.example/#/alerts",
    ...overrides,
  });
}

export function notificationsConfig(notifications: RepoConfig["notifications"]): RepoConfig {
  return { ...DEFAULT_REPO_CONFIG, notifications };
}

export const BOTH = notificationsConfig({
  slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL" },
  pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" },
});

export function incidentEvent(
  record: IncidentRecord = incidentRecord(),
  config: RepoConfig = BOTH,
): IncidentEvent {
  return { repo: { owner: "acme", repo: "shop" }, number: 12, url: ISSUE_URL, record, config };
}

/** A JSON pino logger writing into `lines` (debug and up). */
export function capturedLogger(): { log: Logger; lines: string[] } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  return { log: pino({ level: "debug" }, stream), lines };
}
