// The describe stage: severity and the rule that set it, runbook and dashboard precedence, and the
// bounds on the labels and annotations an alert brings into the record.
import { describe, expect, it } from "vitest";
import {
  MAX_ALERT_ENTRIES,
  MAX_ALERT_VALUE,
  alertSeverityRule,
  describeAlertGroup,
  fillUrlTemplate,
} from "../../src/app/alertmanager/describe.js";
import { validatePayload } from "../../src/app/alertmanager/validate.js";
import type { RepoConfig } from "../../src/core/config/repo-config.js";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../src/core/config/repo-config.js";
import { groupSeverity } from "../../src/core/incident/render-incident.js";
import { DEFAULT_SEVERITY_BANDS } from "../../src/core/gate/severity.js";
import { firingPayload } from "./helpers.js";

type Payload = ReturnType<typeof firingPayload>;

/** The fixture (one firing HighErrorRate alert, severity="warning") with its labels/annotations edited. */
function payload(edit: (p: Payload) => void = () => {}): Payload {
  const p = firingPayload();
  edit(p);
  return p;
}

function describeWith(p: Payload, config: RepoConfig = DEFAULT_REPO_CONFIG) {
  return describeAlertGroup(validatePayload(JSON.stringify(p)), config).draft;
}

/** Removes a label or annotation from the alert and from the group's common ones. */
function drop(p: Payload, kind: "labels" | "annotations", key: string): void {
  delete p.alerts[0]![kind][key];
  const common = (kind === "labels" ? p.commonLabels : p["commonAnnotations"]) as Record<string, string>;
  delete common[key];
}

function config(yaml: string): RepoConfig {
  const parsed = parseRepoConfig(yaml);
  expect(parsed.error).toBeNull();
  return parsed.config;
}

describe("severity and the rule that set it", () => {
  it("a severity label wins over an error ratio, and the rule names the label", () => {
    const draft = describeWith(
      payload((p) => {
        p.alerts[0]!.labels["severity"] = "critical";
        p.alerts[0]!.annotations["error_ratio"] = "0.001";
      }),
    );
    expect(draft.severity).toBe("P1");
    expect(draft.details?.severityRule).toBe('alert HighErrorRate: label severity="critical" → P1');
  });

  it("without a label, the error ratio annotation through the default bands, naming the band", () => {
    const draft = describeWith(
      payload((p) => {
        drop(p, "labels", "severity");
        drop(p, "annotations", "error_ratio");
        p.alerts[0]!.annotations["value"] = "7.2%";
      }),
    );
    expect(draft.severity).toBe("P1");
    expect(draft.details?.severityRule).toBe(
      "alert HighErrorRate: error ratio 0.072 in annotation value → band P1 (>5 %)",
    );
  });

  it("uses the repository's severityBands, as a string or a list", () => {
    const p = payload((p) => {
      drop(p, "labels", "severity");
      p.alerts[0]!.annotations["error_ratio"] = "0.2";
    });
    expect(describeWith(p).severity).toBe("P1");
    for (const yaml of [
      'severityBands: "P1:>50%,P2:10%,P3:0"',
      'severityBands: ["P1:>50%", "P2:10%", "P3:0"]',
    ]) {
      const draft = describeWith(p, config(yaml));
      expect(draft.severity).toBe("P2");
      expect(draft.details?.severityRule).toBe(
        "alert HighErrorRate: error ratio 0.2 in annotation error_ratio → band P2 (≥10 %)",
      );
    }
  });

  it("a ratio below every configured band takes the lowest, and says so", () => {
    const rule = alertSeverityRule({ labels: { alertname: "A" }, annotations: { value: "0.001" } }, [
      { severity: "P1", min: 0.5 },
      { severity: "P2", min: 0.1 },
    ]);
    expect(rule).toEqual({
      severity: "P2",
      rule: "alert A: error ratio 0.001 in annotation value → below every band, so P2",
    });
  });

  it("defaults to P3 and says why when nothing in the alert says", () => {
    const draft = describeWith(
      payload((p) => {
        drop(p, "labels", "severity");
        drop(p, "annotations", "error_ratio");
        p.alerts[0]!.annotations["value"] = "lots";
      }),
    );
    expect(draft.severity).toBe("P3");
    expect(draft.details?.severityRule).toMatch(/^default P3 \(no severity label/);
  });

  it("takes the worst firing alert of the group and names it; resolved alerts do not count", () => {
    const p = payload((p) => {
      const base = p.alerts[0]!;
      p.commonLabels = { alertname: "HighErrorRate", repository: "acme/shop" };
      p.alerts.push(
        { ...base, fingerprint: "b", labels: { ...base.labels, alertname: "Latency", severity: "critical" } },
        {
          ...base,
          fingerprint: "c",
          status: "resolved",
          endsAt: "2024-05-01T12:04:00Z",
          labels: { ...base.labels, alertname: "Old", severity: "P1" },
        },
      );
    });
    const draft = describeWith(p);
    expect(draft.severity).toBe("P1");
    expect(draft.details?.severityRule).toBe('alert Latency: label severity="critical" → P1');
    p.alerts[1]!.status = "resolved";
    p.alerts[1]!.endsAt = "2024-05-01T12:04:00Z";
    expect(describeWith(p).severity).toBe("P2");
  });

  it("agrees with groupSeverity, which the rest of the app uses, on every kind of alert", () => {
    const cases: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> = [
      { labels: { severity: " Warning " }, annotations: { error_ratio: "0.9" } },
      { labels: { severity: "page-me" }, annotations: { error_ratio: "0.07", value: "0.001" } },
      { labels: {}, annotations: { error_ratio: "oops", value: "2 %" } },
      { labels: {}, annotations: { value: "0.05" } },
      { labels: {}, annotations: {} },
    ];
    for (const alert of cases) {
      const ruled = alertSeverityRule(alert, DEFAULT_SEVERITY_BANDS);
      expect(ruled?.severity ?? "P3", JSON.stringify(alert)).toBe(groupSeverity([alert]));
    }
  });
});

describe("runbook", () => {
  const withRunbooks = () =>
    config(
      "runbooks:\n  HighErrorRate: https://wiki.example/rb/high-errors\n  default: https://wiki.example/rb\n",
    );

  it("the alert's runbook_url annotation first, then runbook", () => {
    const p = payload((p) => {
      p.alerts[0]!.annotations["runbook"] = "https://wiki.example/second";
      p.alerts[0]!.annotations["runbook_url"] = "https://wiki.example/first";
    });
    expect(describeWith(p, withRunbooks()).details?.runbook).toBe("https://wiki.example/first");
    delete p.alerts[0]!.annotations["runbook_url"];
    expect(describeWith(p, withRunbooks()).details?.runbook).toBe("https://wiki.example/second");
  });

  it("then the config by alert name, then its default; none without either", () => {
    expect(describeWith(payload(), withRunbooks()).details?.runbook).toBe(
      "https://wiki.example/rb/high-errors",
    );
    const other = payload((p) => {
      p.commonLabels["alertname"] = "DiskFull";
      p.alerts[0]!.labels["alertname"] = "DiskFull";
    });
    expect(describeWith(other, withRunbooks()).details?.runbook).toBe("https://wiki.example/rb");
    expect(describeWith(other).details).not.toHaveProperty("runbook");
  });

  it("ignores an annotation that is not an http(s) URL and falls back to the config", () => {
    const p = payload((p) => {
      p.alerts[0]!.annotations["runbook_url"] = "javascript:alert(1)";
      p.alerts[0]!.annotations["runbook"] = "docs/runbooks/high-errors.md";
    });
    expect(describeWith(p, withRunbooks()).details?.runbook).toBe("https://wiki.example/rb/high-errors");
  });
});

describe("dashboard", () => {
  const template = () =>
    config(
      'dashboard: "https://grafana.example/d/x?var-service={{service}}&var-env={{ environment }}&var-ns={{namespace}}&q={{nope}}"\n',
    );

  it("the alert's generatorURL wins over the configured template", () => {
    const draft = describeWith(payload(), template());
    expect(draft.details?.dashboard).toBe(firingPayload().alerts[0]!.generatorURL);
  });

  it("fills the template with URL-encoded values (labels too) when the alert has no usable generatorURL", () => {
    const p = payload((p) => {
      p.alerts[0]!.generatorURL = "";
      p.alerts[0]!.labels["service"] = "check out&x=1#";
      p.alerts[0]!.labels["environment"] = "prod/eu";
      p.alerts[0]!.labels["namespace"] = "shop";
      p.commonLabels = { alertname: "HighErrorRate" };
    });
    expect(describeWith(p, template()).details?.dashboard).toBe(
      "https://grafana.example/d/x?var-service=check%20out%26x%3D1%23&var-env=prod%2Feu&var-ns=shop&q=",
    );
    p.alerts[0]!.generatorURL = "file:///etc/passwd";
    expect(describeWith(p, template()).details?.dashboard).toMatch(/^https:\/\/grafana\.example\//);
    expect(describeWith(p).details).not.toHaveProperty("dashboard");
  });

  it("fillUrlTemplate encodes every value, so none can add a parameter or change the host", () => {
    expect(fillUrlTemplate("https://{{host}}.example/?a={{a}}", { host: "evil.com/x?", a: "1&b=2" })).toBe(
      "https://evil.com%2Fx%3F.example/?a=1%26b%3D2",
    );
  });
});

describe("labels and annotations of each alert", () => {
  it("are kept, bounded to 30 entries with values cut to 300 characters", () => {
    const p = payload((p) => {
      for (let i = 0; i < 40; i++) p.alerts[0]!.annotations[`note_${i}`] = "n".repeat(1000);
    });
    const alert = describeWith(p).delivery.alerts["5f1c2a8e9b3d4c70"]!;
    expect(alert.labels).toEqual(firingPayload().alerts[0]!.labels);
    expect(Object.keys(alert.annotations!)).toHaveLength(MAX_ALERT_ENTRIES);
    expect(alert.annotations!["error_ratio"]).toBe("0.032");
    expect(alert.annotations!["note_0"]).toHaveLength(MAX_ALERT_VALUE);
  });

  it("an alert with no annotations has no annotations field", () => {
    const p = payload((p) => {
      p.alerts[0]!.annotations = {};
      p["commonAnnotations"] = {};
    });
    expect(describeWith(p).delivery.alerts["5f1c2a8e9b3d4c70"]).not.toHaveProperty("annotations");
  });
});
