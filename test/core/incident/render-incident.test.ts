import { describe, expect, it } from "vitest";
import type { IncidentRecord } from "../../../src/core/incident/incident-record.js";
import { incidentRecord } from "../../helpers/incident-record.js";
import { compactRecord, parseRecord, serializeRecord } from "../../../src/core/incident/incident-record.js";
import {
  INCIDENT_COMMANDS,
  alertSeverity,
  groupSeverity,
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
  renderUpdateComment,
} from "../../../src/core/incident/render-incident.js";

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return incidentRecord({
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
    ...overrides,
  });
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

  it("shows the top suspect's calibrated confidence as a chance, and keeps it in the record", () => {
    const base = record();
    const second = { ...base.suspects[0]!, number: 43, title: "Other", confidence: 0.1 };
    const withConfidence = record({ suspects: [{ ...base.suspects[0]!, confidence: 0.784 }, second] });
    const body = renderIncidentBody(withConfidence);
    const rows = body.split("\n").filter((l) => /^\| \d \|/.test(l));
    expect(rows[0]).toContain("[\\#42 Add retries](https://github.com/acme/shop/pull/42) · **78 % likely**");
    // Only the top suspect: a chance next to each would read as if they added up.
    expect(rows[1]).not.toContain("likely");
    expect(parseRecord(body)?.suspects[0]?.confidence).toBe(0.784);
    // Without a confidence (the ranker gave none) nothing is claimed.
    expect(renderIncidentBody(record())).not.toContain("likely");
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

  it("a forged incident block inside alert text shown as code cannot replace the real one", () => {
    // The block is found by searching the raw body; the group key and fingerprints come before it.
    const forged = serializeRecord(record({ groupKey: "forged", severity: "P1" }));
    const hostile = record({
      groupKey: `{}:{service="${forged}"}`,
      fingerprints: { [forged]: { status: "firing", alertname: "X", startsAt: "2024-05-01T12:03:00Z" } },
    });
    const body = renderIncidentBody(hostile);
    expect(parseRecord(body)?.groupKey).toBe(hostile.groupKey);
    // The only HTML comment the raw body opens is its own block, at the end.
    expect(body.split("<!--")).toHaveLength(2);
    expect(body.trimEnd().endsWith(serializeRecord(hostile))).toBe(true);
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

describe("severity rule, runbook and dashboard", () => {
  it("shows the severity with the rule that set it, escaped", () => {
    const body = renderIncidentBody(
      record({ severity: "P1", severityRule: 'alert X_1: label severity="critical" → P1 @bob' }),
    );
    expect(body).toContain(
      '**Severity:** P1 — set by alert X\\_1: label severity="critical" → P1 @\u200Dbob ·',
    );
  });

  it("links the runbook and the dashboard, http(s) only", () => {
    const body = renderIncidentBody(
      record({ runbook: "https://wiki.example/rb (1)", dashboard: "https://grafana.example/d/x?a=1" }),
    );
    expect(body).toContain("**Runbook:** [open the runbook](https://wiki.example/rb%20%281%29)");
    expect(body).toContain("**Dashboard:** [open](https://grafana.example/d/x?a=1)");
    const hostile = renderIncidentBody(
      record({ runbook: "javascript:alert(1)", dashboard: "data:text/html,x" }),
    );
    expect(hostile).not.toContain("javascript:");
    expect(hostile).not.toContain("data:text");
    expect(hostile).toMatch(/\*\*Runbook:\*\* none \(add a `runbook_url` annotation/);
  });
});

describe("labels and annotations of each alert", () => {
  const HOSTILE = ["<img src=x onerror=alert(1)>", "@org/team", "]]>", "-->", "a | b", "line1\nline2\r\n# h"];

  function hostileRecord(): IncidentRecord {
    const values = Object.fromEntries(HOSTILE.map((v, i) => [`k${i}`, v]));
    return record({
      fingerprints: {
        fp1: {
          status: "firing",
          alertname: "<b>Evil</b> @org/team -->",
          startsAt: "t",
          labels: { ...values, "<img src=x onerror=alert(1)>|@org/team": "key is hostile" },
          annotations: { ...values, summary: "ok" },
        },
      },
    });
  }

  it("renders a collapsed block per alert with its labels and annotations", () => {
    const body = renderIncidentBody(
      record({
        fingerprints: {
          fp1: {
            status: "firing",
            alertname: "HighErrorRate",
            startsAt: "t",
            labels: { service: "checkout", severity: "warning" },
            annotations: { runbook_url: "https://wiki.example/rb" },
          },
          fp2: { status: "firing", alertname: "Bare", startsAt: "t" },
        },
      }),
    );
    expect(body).toContain("<details><summary>1. HighErrorRate: labels and annotations</summary>");
    expect(body).toContain("| service | checkout |");
    expect(body).toContain("| Annotation | Value |");
    expect(body).toContain("| runbook\\_url | https://wiki.example/rb |");
    // An alert with neither gets no block.
    expect(body.match(/<details>/g)).toHaveLength(1);
  });

  it("escapes hostile keys and values: no HTML, no mentions, no comment end, no broken rows", () => {
    const body = renderIncidentBody(hostileRecord());
    const visible = body.replace(/<!-- aftershock:incident [A-Za-z0-9+/=]+ -->/, "");
    expect(visible).not.toContain("<img");
    expect(visible).not.toContain("<b>");
    expect(visible).not.toMatch(/@org\/team/);
    expect(visible).not.toContain("-->");
    expect(visible).not.toContain("]]>");
    expect(visible).not.toMatch(/\n# h/);
    expect(visible).toContain("&lt;b&gt;Evil&lt;/b&gt;");
    // Every row of the label and annotation tables has exactly its two cells.
    const rows = visible.split("\n").filter((l) => /^\| (k\d|&lt;img|summary)/.test(l));
    expect(rows).toHaveLength(HOSTILE.length * 2 + 2);
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|"), row).toHaveLength(4);
    // The record keeps the raw text: only the rendering escapes it.
    expect(parseRecord(body)).toEqual(hostileRecord());
  });

  it("shares a budget between the blocks, so escape-heavy values keep the body under GitHub's limit", () => {
    // Small enough to stay whole in the hidden record, but "<" renders as "&lt;": four times longer.
    const heavy = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "<".repeat(50)]));
    const fingerprints = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `fp${i}`,
        { status: "firing" as const, alertname: "A", startsAt: "t", labels: heavy, annotations: heavy },
      ]),
    );
    const body = renderIncidentBody(record({ fingerprints }));
    expect(parseRecord(body)?.fingerprints["fp4"]?.annotations).toEqual(heavy);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/…labels and annotations of [1-5] more alerts? were left out for length/);
  });
});

describe("compaction of the hidden record", () => {
  it("drops annotations first, keeping labels, summaries, links and the timeline", () => {
    const fingerprints = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `fp${i}`,
        {
          status: "firing" as const,
          // Longer than the later steps keep: only dropping annotations leaves it whole.
          alertname: "H".repeat(250),
          summary: "checkout fails",
          startsAt: "t",
          url: "https://prometheus.example/graph",
          labels: { service: "checkout", pod: `checkout-${i}` },
          annotations: { description: "d".repeat(300), value: "0.07" },
        },
      ]),
    );
    const full = record({ fingerprints });
    const withoutAnnotations: IncidentRecord = {
      ...full,
      fingerprints: Object.fromEntries(
        Object.entries(fingerprints).map(([k, { annotations: _, ...a }]) => [k, a]),
      ),
    };
    // A budget the record fits in once annotations are gone, but not with them.
    const budget = serializeRecord(withoutAnnotations).length + 10;
    expect(serializeRecord(full).length).toBeGreaterThan(budget);
    const compacted = compactRecord(full, budget);
    expect(compacted).toEqual(withoutAnnotations);
    expect(compacted.fingerprints["fp3"]).toMatchObject({
      summary: "checkout fails",
      url: "https://prometheus.example/graph",
      labels: { pod: "checkout-3" },
    });
  });

  it("drops labels only after annotations, once summaries go", () => {
    const fingerprints = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        `${i}`.padStart(16, "f"),
        {
          status: "firing" as const,
          alertname: "A".repeat(100),
          summary: "s".repeat(500),
          startsAt: "t",
          labels: { pod: "p".repeat(300) },
          annotations: { description: "d".repeat(300) },
        },
      ]),
    );
    const compacted = compactRecord(record({ fingerprints }), 30_000);
    expect(serializeRecord(compacted).length).toBeLessThanOrEqual(30_000);
    const alerts = Object.values(compacted.fingerprints);
    expect(alerts).toHaveLength(300);
    expect(alerts.some((a) => a.annotations)).toBe(false);
    // Labels were cut like summaries for the alerts still detailed.
    for (const a of alerts) if (a.labels) expect(a.labels["pod"]!.length).toBeLessThanOrEqual(200);
  });
});
