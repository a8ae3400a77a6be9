// Related alert groups in one incident record: joining, per-group resolution, redeliveries, bounds,
// splitting, and that the record round-trips through the issue body with them.
import { describe, expect, it } from "vitest";
import type { AlertState, Delivery } from "../../../src/core/incident/incident-record.js";
import { parseRecord } from "../../../src/core/incident/incident-record.js";
import {
  MAX_RELATED_GROUPS,
  RELATED_JSON_BUDGET,
  canJoin,
  joinGroup,
  mergeGroupDelivery,
  splitOutRecord,
  withoutGroup,
  type GroupDraft,
} from "../../../src/core/incident/related-groups.js";
import { renderIncidentBody } from "../../../src/core/incident/render-incident.js";
import { incidentRecord } from "../../app/commands/harness.js";

const AT = "2024-05-01T12:10:00Z";

function alert(status: "firing" | "resolved", summary = "p99 is 2 s"): AlertState {
  return { status, alertname: "HighLatency", summary, startsAt: "2024-05-01T12:08:00Z" };
}

function draft(
  groupKey: string,
  alerts: Record<string, "firing" | "resolved">,
  extra: Partial<GroupDraft> = {},
): GroupDraft {
  const entries = Object.entries(alerts).map(([fp, s]) => [fp, alert(s)] as const);
  const delivery: Delivery = {
    status: entries.some(([, a]) => a.status === "firing") ? "firing" : "resolved",
    alerts: Object.fromEntries(entries),
  };
  return {
    groupKey,
    name: "HighLatency",
    service: "payments",
    environment: "production",
    severity: "P2",
    delivery,
    ...extra,
  };
}

const base = () => incidentRecord({ openedAt: "2024-05-01T12:04:00Z" });
const joined = () =>
  joinGroup(base(), draft("g2", { l1: "firing", l2: "firing" }), "7", AT, "alertmanager").record;

describe("joining", () => {
  it("canJoin: same environment and top deploy, within the window, not resolved by a person, not full", () => {
    const want = { environment: "production", deployment: "7", now: new Date(AT), windowMs: 30 * 60_000 };
    expect(canJoin(base(), want)).toBe(true);
    expect(canJoin(base(), { ...want, deployment: "8" })).toBe(false);
    expect(canJoin(base(), { ...want, environment: "staging" })).toBe(false);
    expect(canJoin(base(), { ...want, windowMs: 60_000 })).toBe(false);
    const resolved = incidentRecord({
      response: { resolvedAt: AT, actionItems: [], rollbacks: [], handled: [] },
    });
    expect(canJoin(resolved, want)).toBe(false);
    let full = base();
    for (let i = 0; i < MAX_RELATED_GROUPS; i++)
      full = joinGroup(full, draft(`g${i}`, { [`x${i}`]: "firing" }), "7", AT, "alertmanager").record;
    expect(canJoin(full, want)).toBe(false);
  });

  it("a joining group is listed with its alerts, can only raise the severity, and is on the timeline", () => {
    const merged = joinGroup(
      base(),
      draft("g2", { l1: "firing" }, { severity: "P1" }),
      "7",
      AT,
      "alertmanager",
    );
    expect(merged.record.related).toHaveLength(1);
    expect(merged.record.severity).toBe("P1");
    expect(merged.changes.map((c) => c.change.kind)).toEqual(["group-joined", "severity-raised"]);
    expect(merged.record.timeline.at(-2)!.text).toContain("joined");
    const milder = joinGroup(
      base(),
      draft("g3", { l1: "firing" }, { severity: "P3" }),
      "7",
      AT,
      "alertmanager",
    );
    expect(milder.record.severity).toBe("P2");
  });

  it("survives the issue body: parseRecord keeps the related groups", () => {
    const record = joined();
    expect(parseRecord(renderIncidentBody(record))).toEqual(record);
  });
});

describe("per-group resolution", () => {
  it("the incident resolves when the last group resolves, and fires again when one refires", () => {
    let record = joined();
    const first = mergeGroupDelivery(record, draft(record.groupKey, { fp1: "resolved" }), AT, "alertmanager");
    record = first.record;
    expect(record.status).toBe("firing");
    expect(record.groupStatus).toBe("resolved");
    expect(first.changes.map((c) => c.change.kind)).not.toContain("incident-resolved");

    const last = mergeGroupDelivery(
      record,
      draft("g2", { l1: "resolved", l2: "resolved" }),
      AT,
      "alertmanager",
    );
    record = last.record;
    expect(record.status).toBe("resolved");
    expect(last.changes.map((c) => c.change.kind)).toContain("incident-resolved");
    expect(record.related![0]!.status).toBe("resolved");

    const again = mergeGroupDelivery(
      record,
      draft("g2", { l1: "firing", l2: "resolved" }),
      AT,
      "alertmanager",
    );
    expect(again.record.status).toBe("firing");
    expect(again.changes.map((c) => c.change.kind)).toContain("incident-refired");
  });

  it("an identical redelivery of a related group changes nothing, even past the alerts kept", () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, "firing" as const]));
    const record = joinGroup(base(), draft("g2", many), "7", AT, "alertmanager").record;
    expect(record.related![0]!.alerts.length).toBeLessThan(40);
    expect(mergeGroupDelivery(record, draft("g2", many), AT, "alertmanager").changes).toEqual([]);
    const changed = mergeGroupDelivery(record, draft("g2", { ...many, a39: "resolved" }), AT, "alertmanager");
    expect(changed.changes).toHaveLength(1);
  });

  it("a `__proto__` fingerprint in a related group is an alert like any other", () => {
    // As JSON.parse gives it from a delivery: an own key, not the prototype.
    const alerts = JSON.parse(`{"__proto__": ${JSON.stringify(alert("firing"))}}`) as Delivery["alerts"];
    const d = { ...draft("g2", {}), delivery: { status: "firing" as const, alerts } };
    const record = parseRecord(renderIncidentBody(joinGroup(base(), d, "7", AT, "x").record))!;
    expect(record.related![0]!.alerts.map((a) => a.fingerprint)).toEqual(["__proto__"]);
    expect(mergeGroupDelivery(record, d, AT, "x").changes).toEqual([]);
  });

  it("related groups stay within their share of the record however many alerts they bring", () => {
    let record = base();
    const long = "x".repeat(500);
    for (let g = 0; g < MAX_RELATED_GROUPS; g++) {
      const alerts = Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`${long}-${g}-${i}`, alert("firing", long)]),
      );
      const d = { ...draft(`group-${g}`, {}), delivery: { status: "firing" as const, alerts } };
      record = joinGroup(record, d, "7", AT, "alertmanager").record;
    }
    expect(JSON.stringify(record.related).length).toBeLessThanOrEqual(RELATED_JSON_BUDGET);
    expect(renderIncidentBody(record).length).toBeLessThan(65_536);
  });
});

describe("splitting", () => {
  it("gives the group its own record and leaves the incident without it", () => {
    const record = joined();
    const out = splitOutRecord(record, 1, { number: 101 }, AT, "lead")!;
    expect(out.record.groupKey).toBe("g2");
    expect(Object.keys(out.record.fingerprints).sort()).toEqual(["l1", "l2"]);
    expect(out.record.suspects).toEqual(record.suspects);
    const left = withoutGroup(record, "g2", { number: 102 }, AT, "lead");
    expect(left.related).toEqual([]);
    expect(left.timeline.at(-1)!.text).toContain("#102");
    expect(splitOutRecord(record, 2, { number: 101 }, AT, "lead")).toBeNull();
  });

  it("splitting out the last firing group resolves an incident whose other groups resolved", () => {
    let record = joined();
    record = mergeGroupDelivery(record, draft(record.groupKey, { fp1: "resolved" }), AT, "x").record;
    expect(withoutGroup(record, "g2", { number: 102 }, AT, "lead").status).toBe("resolved");
  });
});
