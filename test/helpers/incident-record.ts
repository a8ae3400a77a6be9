// One incident record for tests: a firing P2 HighErrorRate in checkout/production, opened from an
// alert, with no deploys, suspects or timeline. Each test file overrides what it is about.
import type { IncidentRecord } from "../../src/core/incident/incident-record.js";
import { RECORD_VERSION } from "../../src/core/incident/incident-record.js";

export function incidentRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    version: RECORD_VERSION,
    groupKey: '{}:{alertname="HighErrorRate"}',
    fingerprints: {},
    status: "firing",
    severity: "P2",
    name: "HighErrorRate",
    service: "checkout",
    environment: "production",
    source: "alert",
    deploys: [],
    suspects: [],
    timeline: [],
    openedAt: "2024-05-01T12:05:00.000Z",
    warnings: [],
    ...overrides,
  };
}
