import { describe, expect, it } from "vitest";
import type { IncidentRecord } from "../../src/core/incident-record.js";
import { RECORD_VERSION, parseRecord } from "../../src/core/incident-record.js";
import {
  INCIDENT_COMMANDS,
  alertSeverity,
  groupSeverity,
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
  renderUpdateComment,
} from "../../src/core/render-incident.js";

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    version: RECORD_VERSION,
    groupKey: "g1",
    fingerprints: {
      fp1: {
        status: "firing",
        alertname: "HighErrorRate",
        summary: "checkout fails",
        startsAt: "2024-05-01T12:03:00Z",
        url: "http://prometheus.example/graph",
      },
    },
    status: "firing",
    severity: "P2",
    name: "HighErrorRate",
    service: "checkout",
    environment: "production",
    source: "alert",
    deploys: [
      {
        id: 7,
        sha: "abc123def4567890",
        environment: "production",
        createdAt: "2024-05-01T11:50:00Z",
        status: "success",
      },
    ],
    suspects: [
      {
        number: 42,
        title: "Add retries",
        author: "alice",
        url: "https://github.com/acme/shop/pull/42",
        deploymentId: 7,
        score: 0.8123,
        reasons: ["deployed 13m before the alert (+0.4)", "touches checkout/ (+0.3)"],
      },
    ],
    timeline: [{ at: "2024-05-01T12:04:00Z", actor: "alertmanager", kind: "opened", text: "Opened" }],
    openedAt: "2024-05-01T12:04:00Z",
    warnings: [],
    ...overrides,
  };
}

describe("severity", () => {
  it("takes the severity label, including Alertmanager's usual names", () => {
    expect(alertSeverity({ labels: { severity: "critical" } })).toBe("P1");
    expect(alertSeverity({ labels: { severity: "P2" } })).toBe("P2");
    expect(alertSeverity({ labels: { severity: "info" } })).toBe("P3");
  });

  it("falls back to the error_ratio or value annotation through the bands", () => {
    expect(alertSeverity({ labels: { severity: "page-me" }, annotations: { error_ratio: "0.07" } })).toBe(
      "P1",
    );
    expect(alertSeverity({ labels: {}, annotations: { value: "2%" } })).toBe("P2");
    expect(alertSeverity({ labels: {}, annotations: { error_ratio: "0.001" } })).toBe("P3");
    expect(alertSeverity({ labels: {}, annotations: { value: "lots" } })).toBeNull();
  });

  it("takes the worst of a group, P3 when nothing says", () => {
    expect(groupSeverity([{ labels: { severity: "info" } }, { labels: { severity: "critical" } }])).toBe(
      "P1",
    );
    expect(groupSeverity([{ labels: {} }])).toBe("P3");
  });
});

describe("title and labels", () => {
  it("titles as [P2] <alertname>: <service> in <environment>", () => {
    expect(incidentTitle(record())).toBe("[P2] HighErrorRate: checkout in production");
    expect(incidentTitle(record({ name: "A\n@bob" }))).toBe("[P2] A @\u200Dbob: checkout in production");
  });

  it("labels incident, severity, service, env, extras, and resolved once resolved", () => {
    const labels = { incident: "incident", resolved: "resolved", extra: ["ops"] };
    expect(incidentLabels(record(), labels)).toEqual([
      "incident",
      "severity:P2",
      "service:checkout",
      "env:production",
      "ops",
    ]);
    expect(incidentLabels(record({ status: "resolved" }), labels)).toContain("resolved");
    const long = incidentLabels(record({ service: "s".repeat(80) }), labels)[2]!;
    expect(Array.from(long).length).toBeLessThanOrEqual(50);
  });
});

describe("renderIncidentBody", () => {
  it("shows the alerts, ranked suspects with score, reasons and links, deploys, timeline and commands", () => {
    const body = renderIncidentBody(record());
    expect(body).toContain("### Alerts");
    expect(body).toContain("[HighErrorRate](http://prometheus.example/graph)");
    expect(body).toContain("[\\#42 Add retries](https://github.com/acme/shop/pull/42)");
    expect(body).toContain("| 0.81 |");
    expect(body).toContain("touches checkout/ \\(\\+0.3\\)");
    expect(body).toContain("`abc123def456`");
    expect(body).toContain("### Timeline");
    for (const { command } of INCIDENT_COMMANDS) expect(body).toContain(command.split(" ")[0]);
    expect(parseRecord(body)).toEqual(record());
  });

  it("escapes hostile alert text in every place it appears", () => {
    const hostile = "<script>x</script> @everyone | [click](javascript:alert(1))\n# header";
    const body = renderIncidentBody(
      record({
        name: hostile,
        fingerprints: { fp1: { status: "firing", alertname: hostile, summary: hostile, startsAt: "t" } },
        suspects: [{ ...record().suspects[0]!, title: hostile, reasons: [hostile] }],
        warnings: [hostile],
      }),
    );
    const visible = body.replace(/<!-- aftershock:incident [A-Za-z0-9+/=]+ -->/, "");
    expect(visible).not.toContain("<script>");
    expect(visible).not.toMatch(/@everyone/);
    expect(visible).not.toContain("](javascript:");
    expect(visible).not.toMatch(/\n# header/);
    // Each table row still has exactly its 5 cells: no unescaped pipe from the alert text.
    const row = visible.split("\n").find((l) => l.startsWith("| firing"))!;
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(7);
  });

  it("says so when there are no suspects or deploys, and shows warnings", () => {
    const body = renderIncidentBody(record({ suspects: [], deploys: [], warnings: ["config is broken"] }));
    expect(body).toContain("No merged pull request was deployed");
    expect(body).toContain("None in the lookback window");
    expect(body).toContain("> config is broken");
  });

  it("stays under GitHub's body limit for a huge group", () => {
    const fingerprints = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        `${i}`.padStart(16, "f"),
        { status: "firing" as const, alertname: "A".repeat(100), summary: "s".repeat(500), startsAt: "t" },
      ]),
    );
    const body = renderIncidentBody(record({ fingerprints }));
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/…and \d+ more alerts/);
  });
});

describe("renderUpdateComment", () => {
  it("lists each change with the escaped alert summary", () => {
    const text = renderUpdateComment([
      {
        kind: "alert-added",
        fingerprint: "fp2",
        alert: { status: "firing", alertname: "HighLatency", summary: "p99 @bob <b>", startsAt: "t" },
      },
      { kind: "resolved" },
    ]);
    expect(text).toContain("(2 changes)");
    expect(text).toContain("HighLatency");
    expect(text).toContain("p99 @\u200Dbob &lt;b&gt;");
    expect(text).toContain("✅ The alert group resolved");
  });
});
