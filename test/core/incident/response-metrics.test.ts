import { describe, expect, it } from "vitest";
import { incidentRecord } from "../../helpers/incident-record.js";
import type { IncidentRecord, TimelineEntry } from "../../../src/core/incident/incident-record.js";
import { mergeDelivery } from "../../../src/core/incident/incident-record.js";
import {
  IncidentResponseStateSchema,
  MAX_HANDLED_KEYS,
  TIMELINE_KINDS,
  actorRole,
  computeResponseMetrics,
  emptyResponseState,
  formatElapsed,
  isHandled,
  markHandled,
  readResponseState,
  renderTimeline,
  scrubMentions,
} from "../../../src/core/incident/response-metrics.js";

const T = {
  alertStart: "2024-05-01T12:00:00Z",
  opened: "2024-05-01T12:03:00Z",
  ack: "2024-05-01T12:10:30Z",
  rollbackMerged: "2024-05-01T12:41:00Z",
  groupResolved: "2024-05-01T12:45:00Z",
  resolved: "2024-05-01T13:05:05Z",
};
const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);

const K = TIMELINE_KINDS;
const timeline: TimelineEntry[] = [
  { at: T.opened, actor: "alertmanager", kind: K.opened, text: "Opened for HighErrorRate" },
  { at: T.ack, actor: "alice", kind: K.ack, text: "Acknowledged" },
  { at: "2024-05-01T12:15:00Z", actor: "bob", kind: K.note, text: "@alice thinks #42 broke it | <b>x</b>" },
  {
    at: "2024-05-01T12:20:00Z",
    actor: "aftershock[bot]",
    kind: K.rollbackOpened,
    text: "Opened #50 reverting #42",
  },
  // A later rollback merge first in the list: order in the array must not matter.
  { at: "2024-05-01T12:50:00Z", actor: "bob", kind: K.rollbackMerged, text: "Merged #51" },
  { at: T.rollbackMerged, actor: "bob", kind: K.rollbackMerged, text: "Merged #50" },
  { at: T.groupResolved, actor: "alertmanager", kind: K.groupResolved, text: "The alert group resolved" },
  { at: T.resolved, actor: "alice", kind: K.incidentResolved, text: "Resolved" },
];

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return incidentRecord({
    groupKey: "g1",
    fingerprints: {
      fp1: { status: "resolved", alertname: "HighErrorRate", startsAt: T.alertStart },
      // Compacted records may blank startsAt: it must be ignored, not parsed as a date.
      fp2: { status: "resolved", alertname: "HighLatency", startsAt: "" },
    },
    status: "resolved",
    timeline,
    openedAt: T.opened,
    ...overrides,
  });
}

describe("computeResponseMetrics", () => {
  it("derives the milestones and durations from the record's timeline", () => {
    const m = computeResponseMetrics(record());
    expect(m.milestones).toEqual({
      start: T.alertStart,
      detected: T.opened,
      acknowledged: T.ack,
      mitigated: T.rollbackMerged,
      resolved: T.resolved,
    });
    expect(m.ms).toEqual({
      detect: ms(T.alertStart, T.opened),
      acknowledge: ms(T.opened, T.ack),
      mitigate: ms(T.alertStart, T.rollbackMerged),
      resolve: ms(T.alertStart, T.resolved),
    });
    expect(m.formatted).toEqual({ detect: "3m", acknowledge: "7m 30s", mitigate: "41m", resolve: "1h 5m" });
  });

  it("starts at a failed deploy check before the first alert, and at openedAt when nothing is earlier", () => {
    const failed = "2024-05-01T11:58:00Z";
    const withCheck = record({
      timeline: [
        { at: failed, actor: "deploy-gate", kind: K.deployCheckFailed, text: "failed" },
        ...timeline,
      ],
    });
    expect(computeResponseMetrics(withCheck).milestones.start).toBe(failed);
    const bare = record({ fingerprints: {}, timeline: [timeline[0]!] });
    const m = computeResponseMetrics(bare);
    expect(m.milestones).toEqual({ start: T.opened, detected: T.opened });
    expect(m.ms).toEqual({ detect: 0 });
  });

  it("prefers explicit response state over the (possibly compacted) timeline", () => {
    const state = {
      ...emptyResponseState(),
      acknowledgedAt: "2024-05-01T12:05:00Z",
      mitigatedAt: "2024-05-01T12:30:00Z",
    };
    const m = computeResponseMetrics(record({ timeline: [] }), state);
    expect(m.milestones.acknowledged).toBe(state.acknowledgedAt);
    expect(m.ms.mitigate).toBe(ms(T.alertStart, state.mitigatedAt));
    expect(m.milestones.resolved).toBeUndefined();
    expect(m.ms.resolve).toBeUndefined();
  });

  it("counts the alert group resolving as mitigation, and resolution as mitigation when none is recorded", () => {
    const merged = mergeDelivery(
      record({ timeline: [timeline[0]!], status: "firing" }),
      { status: "resolved", alerts: {} },
      T.groupResolved,
      "alertmanager",
    ).record;
    expect(computeResponseMetrics(merged).milestones.mitigated).toBe(T.groupResolved);
    const onlyResolved = record({ timeline: [timeline[0]!, timeline[7]!] });
    expect(computeResponseMetrics(onlyResolved).milestones.mitigated).toBe(T.resolved);
  });

  it("does not count a requested redeploy as mitigation, only a successful one", () => {
    const at = "2024-05-01T12:30:00Z";
    const base = [timeline[0]!, { at, actor: "alice", kind: K.redeployRequested, text: "previous" }];
    expect(computeResponseMetrics(record({ timeline: base })).milestones.mitigated).toBeUndefined();
    const done = [
      ...base,
      { at: "2024-05-01T12:34:00Z", actor: "aftershock[bot]", kind: K.redeploySucceeded, text: "ok" },
    ];
    expect(computeResponseMetrics(record({ timeline: done })).milestones.mitigated).toBe(
      "2024-05-01T12:34:00Z",
    );
  });

  it("never reports a negative duration under clock skew", () => {
    const skewed = record({ timeline: [{ at: "2024-05-01T12:02:00Z", actor: "a", kind: K.ack, text: "" }] });
    expect(computeResponseMetrics(skewed).ms.acknowledge).toBe(0);
  });
});

describe("formatElapsed", () => {
  it("shows the two largest units, truncating", () => {
    expect(formatElapsed(0)).toBe("0s");
    expect(formatElapsed(999)).toBe("0s");
    expect(formatElapsed(45_000)).toBe("45s");
    expect(formatElapsed(65_000)).toBe("1m 5s");
    expect(formatElapsed(3_905_000)).toBe("1h 5m");
    expect(formatElapsed(3_600_000 + 59_000)).toBe("1h");
    expect(formatElapsed(2 * 86_400_000 + 3 * 3_600_000 + 7_000)).toBe("2d 3h");
    expect(formatElapsed(-5_000)).toBe("0s");
  });
});

describe("renderTimeline", () => {
  it("renders a sorted, escaped table naming roles, not people", () => {
    const out = renderTimeline([...timeline].reverse());
    const rows = out.split("\n").slice(2);
    expect(rows).toHaveLength(timeline.length);
    expect(rows[0]).toContain("| 2024-05-01 12:03:00 UTC |");
    expect(rows.at(-1)).toContain("| 2024-05-01 13:05:05 UTC |");
    expect(out).not.toMatch(/alice|bob/);
    expect(out).toContain("| responder |");
    expect(out).toContain("| aftershock |");
    expect(out).toContain("a responder thinks \\#42 broke it \\| &lt;b&gt;x&lt;/b&gt;");
    expect(out).not.toContain("<b>");
    // Every row keeps exactly 4 cells despite the pipe in the note.
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(6);
  });

  it("bounds the number of rows and says how many were left out", () => {
    const out = renderTimeline(timeline, 3);
    expect(out).toContain(`…${timeline.length - 3} earlier entries`);
    expect(out.split("\n")).toHaveLength(2 + 1 + 3);
  });
});

describe("blameless helpers", () => {
  it("actorRole names systems and bots, and calls people responders", () => {
    expect(actorRole("alertmanager")).toBe("alertmanager");
    expect(actorRole("aftershock[bot]")).toBe("aftershock");
    expect(actorRole("dependabot[bot]")).toBe("dependabot");
    expect(actorRole("alice")).toBe("responder");
  });

  it("scrubMentions replaces users and teams, not e-mail addresses", () => {
    expect(scrubMentions("ask @alice or @acme/oncall, mail ops@example.com")).toBe(
      "ask a responder or a responder, mail ops@example.com",
    );
  });
});

describe("response state", () => {
  it("reads record.response, defaulting when absent or invalid", () => {
    expect(readResponseState(record())).toEqual(emptyResponseState());
    expect(readResponseState({ ...record(), response: { acknowledgedAt: 5 } })).toEqual(emptyResponseState());
    const state = readResponseState({
      ...record(),
      response: { resolvedAt: T.resolved, rootCause: { pr: 42 } },
    });
    expect(state.resolvedAt).toBe(T.resolved);
    expect(state.rootCause).toEqual({ pr: 42, confirmed: false });
    expect(state.actionItems).toEqual([]);
  });

  it("survives a JSON round trip through its schema", () => {
    const state = IncidentResponseStateSchema.parse({
      acknowledgedAt: T.ack,
      rollbacks: [{ pr: 42, revertPr: 50, state: "merged", at: T.rollbackMerged }],
      actionItems: [{ text: "Add a canary", at: T.resolved, issue: 77 }],
      postmortem: { path: "docs/postmortems/x.md", pr: 80 },
      handled: ["comment:1:line:1"],
    });
    expect(IncidentResponseStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it("markHandled records keys once and keeps only the newest", () => {
    let state = emptyResponseState();
    state = markHandled(state, "a");
    expect(markHandled(state, "a")).toBe(state);
    expect(isHandled(state, "a")).toBe(true);
    expect(isHandled(state, "b")).toBe(false);
    for (let i = 0; i < MAX_HANDLED_KEYS + 5; i++) state = markHandled(state, `k${i}`);
    expect(state.handled).toHaveLength(MAX_HANDLED_KEYS);
    expect(isHandled(state, "a")).toBe(false);
    expect(state.handled.at(-1)).toBe(`k${MAX_HANDLED_KEYS + 4}`);
  });
});
