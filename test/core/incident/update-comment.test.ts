// The "Update from Alertmanager" comment, in both its forms: one incident's changes
// (renderUpdateComment) and a grouped batch's (renderGroupedComment) share one bounded list.
import { describe, expect, it } from "vitest";
import type { Change } from "../../../src/core/incident/incident-record.js";
import type { GroupedChange } from "../../../src/core/incident/related-groups.js";
import { renderUpdateComment } from "../../../src/core/incident/render-incident.js";
import { renderGroupedComment } from "../../../src/core/incident/render-related.js";

const added = (i: number): Change => ({
  kind: "alert-added",
  fingerprint: `fp${i}`,
  alert: { status: "firing", alertname: `Alert${i}`, summary: `summary ${i} @bob`, startsAt: "t" },
});

describe("renderGroupedComment", () => {
  it("marks joined groups, resolutions and firing alerts, with the escaped summary", () => {
    const changes: GroupedChange[] = [
      { group: "checkout", change: { kind: "group-joined", deployment: "42", count: 2, firing: 1 } },
      { group: "checkout", change: added(1) },
      { group: "", change: { kind: "incident-resolved" } },
    ];
    const lines = renderGroupedComment(changes).split("\n");
    expect(lines[0]).toBe("**Update from Alertmanager** (3 changes)");
    expect(lines[2]).toMatch(/^- 🔗 Alert group checkout joined: same environment/);
    expect(lines[3]).toMatch(/^- 🔥 checkout: .*: summary 1 @\u200Dbob$/);
    expect(lines[4]).toBe("- ✅ Every alert group of this incident has resolved");
  });

  it("lists at most 20 changes, then how many more, like renderUpdateComment", () => {
    const many = Array.from({ length: 25 }, (_, i) => added(i));
    const grouped = renderGroupedComment(many.map((change) => ({ group: "", change })));
    const single = renderUpdateComment(many);
    for (const text of [grouped, single]) {
      expect(text.split("\n").filter((l) => l.startsWith("- 🔥"))).toHaveLength(20);
      expect(text).toContain("(25 changes)");
      expect(text.endsWith("- … and 5 more")).toBe(true);
    }
    // Without a group name, a grouped change reads as the single-incident one.
    expect(grouped).toBe(single);
  });
});
