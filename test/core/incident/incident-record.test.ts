import { describe, expect, it } from "vitest";
import type { Delivery, IncidentRecord } from "../../../src/core/incident/incident-record.js";
import { incidentRecord } from "../../helpers/incident-record.js";
import {
  MAX_FINGERPRINTS,
  boundedKey,
  boundedWarnings,
  compactRecord,
  mergeDelivery,
  parseRecord,
  serializeRecord,
} from "../../../src/core/incident/incident-record.js";

const HOSTILE = "--> <img src=x onerror=alert(1)> @everyone <!-- aftershock:incident AAAA --> `\u202E";

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return incidentRecord({
    fingerprints: {
      fp1: {
        status: "firing",
        alertname: "HighErrorRate",
        summary: "checkout fails",
        startsAt: "2024-05-01T12:03:00Z",
      },
    },
    deploys: [
      {
        id: 7,
        sha: "abc123",
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
        deploymentId: 7,
        score: 0.8,
        reasons: ["deployed 13m before"],
      },
    ],
    timeline: [{ at: "2024-05-01T12:04:00Z", actor: "alertmanager", kind: "opened", text: "Opened" }],
    openedAt: "2024-05-01T12:04:00Z",
    ...overrides,
  });
}

describe("serializeRecord / parseRecord", () => {
  it("round-trips a record inside an issue body", () => {
    const r = record();
    const body = `# Incident\n\nsome text\n\n${serializeRecord(r)}\n\nfooter`;
    expect(parseRecord(body)).toEqual(r);
  });

  it("keeps hostile alert text from breaking out of the hidden comment", () => {
    const r = record({
      name: HOSTILE,
      fingerprints: {
        fp1: { status: "firing", alertname: HOSTILE, summary: HOSTILE, startsAt: "2024-05-01T12:03:00Z" },
      },
    });
    const block = serializeRecord(r);
    // Exactly one comment opener and one closer: the text inside cannot end the comment.
    expect(block.match(/-->/g)).toHaveLength(1);
    expect(block.match(/<!--/g)).toHaveLength(1);
    expect(block.endsWith(" -->")).toBe(true);
    expect(block).not.toContain("<img");
    expect(block).not.toContain("@everyone");
    expect(parseRecord(block)?.fingerprints["fp1"]?.summary).toBe(HOSTILE);
  });

  it("returns null for bodies without a block or with a damaged one", () => {
    expect(parseRecord(null)).toBeNull();
    expect(parseRecord("just an issue")).toBeNull();
    expect(parseRecord("<!-- aftershock:incident bm90IGpzb24= -->")).toBeNull(); // "not json"
    const wrongShape = Buffer.from(JSON.stringify({ version: 1, groupKey: 3 })).toString("base64");
    expect(parseRecord(`<!-- aftershock:incident ${wrongShape} -->`)).toBeNull();
    const future = Buffer.from(JSON.stringify({ ...record(), version: 99 })).toString("base64");
    expect(parseRecord(`<!-- aftershock:incident ${future} -->`)).toBeNull();
  });
});

describe("mergeDelivery", () => {
  const at = "2024-05-01T12:10:00Z";
  const same: Delivery = { status: "firing", alerts: { fp1: record().fingerprints["fp1"]! } };

  it("finds nothing new in an exact redelivery", () => {
    const { changes, record: merged } = mergeDelivery(record(), same, at, "alertmanager");
    expect(changes).toEqual([]);
    expect(merged.timeline).toHaveLength(1);
  });

  it("reports a new fingerprint and adds it to the record and timeline", () => {
    const fp2 = { status: "firing" as const, alertname: "HighLatency", startsAt: "2024-05-01T12:08:00Z" };
    const { changes, record: merged } = mergeDelivery(
      record(),
      { status: "firing", alerts: { ...same.alerts, fp2 } },
      at,
      "alertmanager",
    );
    expect(changes).toEqual([{ kind: "alert-added", fingerprint: "fp2", alert: fp2 }]);
    expect(Object.keys(merged.fingerprints)).toEqual(["fp1", "fp2"]);
    expect(merged.timeline.at(-1)).toMatchObject({ at, actor: "alertmanager", kind: "alert-added" });
    expect(merged.timeline.at(-1)?.text).toContain("HighLatency");
  });

  it("reports the resolution of an alert and of the group, keeping the first startsAt", () => {
    const resolved = {
      ...same.alerts["fp1"]!,
      status: "resolved" as const,
      startsAt: "2024-05-01T12:05:00Z",
      endsAt: "2024-05-01T12:20:00Z",
    };
    const { changes, record: merged } = mergeDelivery(
      record(),
      { status: "resolved", alerts: { fp1: resolved } },
      at,
      "am",
    );
    expect(changes.map((c) => c.kind)).toEqual(["alert-resolved", "resolved"]);
    expect(merged.status).toBe("resolved");
    expect(merged.fingerprints["fp1"]).toMatchObject({
      status: "resolved",
      startsAt: "2024-05-01T12:03:00Z",
    });
    expect(merged.timeline.slice(-2).map((e) => e.kind)).toEqual(["alert-resolved", "resolved"]);
  });

  it("reports a group that fires again", () => {
    const r = record({ status: "resolved" });
    expect(mergeDelivery(r, same, at, "am").changes).toEqual([{ kind: "refired" }]);
  });

  it("does not mutate the record it is given", () => {
    const r = record();
    const copy = structuredClone(r);
    mergeDelivery(r, { status: "resolved", alerts: {} }, at, "am");
    expect(r).toEqual(copy);
  });
});

describe("compactRecord", () => {
  it("leaves a small record alone", () => {
    const r = record();
    expect(compactRecord(r, 30_000)).toBe(r);
  });

  it("fits a huge group in the budget and keeps every fingerprint", () => {
    const fingerprints = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        `${i}`.padStart(16, "f"),
        {
          status: "firing" as const,
          alertname: "A".repeat(300),
          summary: "s".repeat(500),
          startsAt: "t",
          url: "http://x/",
        },
      ]),
    );
    const compacted = compactRecord(record({ fingerprints }), 30_000);
    expect(serializeRecord(compacted).length).toBeLessThanOrEqual(30_000);
    expect(Object.keys(compacted.fingerprints)).toHaveLength(300);
    expect(parseRecord(serializeRecord(compacted))?.groupKey).toBe(record().groupKey);
  });
});

describe("hostile fingerprints (issue 11, findings 1 and 7)", () => {
  const alert = { status: "firing" as const, alertname: "A", startsAt: "2024-05-01T12:03:00Z" };

  it("a __proto__ fingerprint survives the hidden block, so its redelivery changes nothing", () => {
    const alerts = JSON.parse(`{"__proto__": ${JSON.stringify(alert)}, "fp2": ${JSON.stringify(alert)}}`);
    const stored = parseRecord(serializeRecord(record({ fingerprints: alerts })))!;
    expect(Object.keys(stored.fingerprints)).toEqual(["__proto__", "fp2"]);
    const again = mergeDelivery(stored, { status: "firing", alerts }, "2024-05-01T12:10:00Z", "am");
    expect(again.changes).toEqual([]);
  });

  it("alerts beyond the kept ones are counted, and only a different set is a change", () => {
    const many = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`fp-${i}`, alert] as const));
    const first = mergeDelivery(
      record({ fingerprints: {} }),
      { status: "firing", alerts: many(250) },
      "t",
      "am",
    );
    expect(Object.keys(first.record.fingerprints)).toHaveLength(MAX_FINGERPRINTS);
    expect(first.record.unlisted).toMatchObject({ count: 250 - MAX_FINGERPRINTS, firing: 50 });
    // One listed change per kept alert, but the timeline lists 10 and counts the rest.
    expect(first.record.timeline.at(-1)!.text).toMatch(/… and \d+ more alert changes/);
    expect(first.record.timeline.length).toBeLessThan(20);
    const same = mergeDelivery(first.record, { status: "firing", alerts: many(250) }, "t", "am");
    expect(same.changes).toEqual([]);
    const more = mergeDelivery(first.record, { status: "firing", alerts: many(260) }, "t", "am");
    expect(more.changes).toEqual([{ kind: "alerts-unlisted", count: 60, firing: 60 }]);
  });

  it("long keys are hashed: bounded, stable, and different keys stay different", () => {
    const long = "k".repeat(60_000);
    expect(boundedKey(long).length).toBeLessThanOrEqual(200);
    expect(boundedKey(long)).toBe(boundedKey(long));
    expect(boundedKey(`${long}x`)).not.toBe(boundedKey(long));
    expect(boundedKey("short")).toBe("short");
  });

  it("warnings are bounded with a count of the rest", () => {
    const warnings = boundedWarnings(Array.from({ length: 400 }, (_, i) => `w${i} ${"z".repeat(1000)}`));
    expect(warnings).toHaveLength(10);
    expect(warnings.at(-1)).toBe("… and 391 more warnings");
    expect(Math.max(...warnings.map((w) => w.length))).toBeLessThanOrEqual(500);
  });
});
