// The commands that only change the incident itself: /ack, /severity, /note, /resolve. No GitHub
// requests of their own; the dispatcher writes the body, title, labels and state once.
import { escapeMarkdown } from "../../core/text/markdown.js";
import { TIMELINE_KINDS, computeResponseMetrics, formatTime } from "../../core/incident/response-metrics.js";
import type { Severity } from "../../core/gate/types.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/** The first /ack sets the time to acknowledge; later ones are only noted in the timeline. */
export function ack(ctx: CommandContext, state: IncidentState): CommandResult {
  if (state.response.acknowledgedAt) {
    const next = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Also acknowledged" }, ctx);
    return { outcome: "done", state: next };
  }
  const at = ctx.now.toISOString();
  const acked = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Acknowledged" }, ctx);
  const next = { ...acked, response: { ...acked.response, acknowledgedAt: at } };
  const took = computeResponseMetrics(next.record, next.response).formatted.acknowledge;
  const reply = took ? `👀 Acknowledged ${took} after the incident opened.` : "👀 Acknowledged.";
  return { outcome: "done", state: next, reply };
}

export function severity(ctx: CommandContext, state: IncidentState, level: Severity): CommandResult {
  const previous = state.record.severity;
  if (previous === level) return { outcome: "done", reply: `The severity is already ${level}.` };
  const changed = withEntry(
    state,
    { kind: TIMELINE_KINDS.severity, text: `Severity changed from ${previous} to ${level}` },
    ctx,
  );
  return {
    outcome: "done",
    state: { ...changed, record: { ...changed.record, severity: level } },
    reply: `Severity changed from ${previous} to **${level}**.`,
  };
}

export function note(ctx: CommandContext, state: IncidentState, text: string): CommandResult {
  return { outcome: "done", state: withEntry(state, { kind: TIMELINE_KINDS.note, text }, ctx) };
}

/** Records the time to resolve, marks the record resolved (the label follows) and closes the issue. */
export function resolve(ctx: CommandContext, state: IncidentState, summary?: string): CommandResult {
  if (state.response.resolvedAt) {
    return {
      outcome: "done",
      reply: `This incident was already resolved at ${formatTime(state.response.resolvedAt)}.`,
    };
  }
  const at = ctx.now.toISOString();
  const text = summary ? `Resolved: ${summary}` : "Resolved";
  const entry = withEntry(state, { kind: TIMELINE_KINDS.incidentResolved, text }, ctx);
  const next: IncidentState = {
    record: { ...entry.record, status: "resolved" },
    response: { ...entry.response, resolvedAt: at, ...(summary ? { resolution: summary } : {}) },
  };
  const f = computeResponseMetrics(next.record, next.response).formatted;
  const lines = [
    `✅ Resolved${summary ? `: ${escapeMarkdown(summary, 300)}` : "."}`,
    "",
    `Time to acknowledge: ${f.acknowledge ?? "not recorded"} · to mitigate: ${f.mitigate ?? "not recorded"} · to resolve: ${f.resolve ?? "not recorded"}.`,
    ...(next.response.postmortem ? [] : ["", "`/postmortem` drafts the blameless post-mortem."]),
  ];
  return { outcome: "done", state: next, reply: lines.join("\n"), close: true };
}
