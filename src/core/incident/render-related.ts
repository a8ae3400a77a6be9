// The "Related alerts" section of an incident body and the one comment a batch of deliveries posts.
// Everything from alerts goes through markdown.ts. Pure.
import type { IncidentRecord } from "./incident-record.js";
import { code, escapeMarkdown } from "../text/markdown.js";
import type { GroupedChange } from "./related-groups.js";
import { describeGroupedChange } from "./related-groups.js";
import { renderUpdateLines } from "./update-comment.js";

const MAX_ALERT_NAMES = 5;

/** The groups that joined the incident, numbered as `/split N` takes them; empty without any. */
export function relatedSection(record: Pick<IncidentRecord, "related">): string {
  const groups = record.related ?? [];
  if (groups.length === 0) return "";
  const rows = groups.map((g, i) => {
    const status = g.status === "resolved" ? "✅ resolved" : `🔥 firing (${g.firing} of ${g.count})`;
    const names = [...new Set(g.alerts.map((a) => a.alertname))].slice(0, MAX_ALERT_NAMES);
    const alerts = names.map((n) => escapeMarkdown(n, 80)).join(", ");
    return `| ${i + 1} | ${escapeMarkdown(g.name, 120)} | ${escapeMarkdown(g.service, 80)} | ${g.severity} | ${status} | ${alerts} | ${escapeMarkdown(g.joinedAt, 40)} | ${code(g.groupKey, 60, { table: true })} |`;
  });
  return [
    "### Related alerts",
    "",
    "Alert groups that fired in the same environment, blaming the same deploy, joined this incident. " +
      "It resolves when every group has resolved; `/split N` moves group N into its own incident.",
    "",
    "| # | Alert | Service | Severity | Status | Alerts | Joined | Group |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** One comment for every change a batch of deliveries brought, over all groups of the incident. */
export function renderGroupedComment(changes: readonly GroupedChange[]): string {
  return renderUpdateLines(changes, (c) => {
    const kind = c.change.kind;
    const resolved = kind === "resolved" || kind === "alert-resolved" || kind === "incident-resolved";
    return {
      icon: resolved ? "✅" : kind === "group-joined" ? "🔗" : "🔥",
      text: describeGroupedChange(c),
      summary: "alert" in c.change ? c.change.alert.summary : undefined,
    };
  });
}
