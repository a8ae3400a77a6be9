// The response side of an incident: the state slash commands keep beside the incident record
// (milestones, rollbacks, action items, handled command keys), the timeline kinds they write, and the
// metrics a post-mortem reports (time to detect, acknowledge, mitigate, resolve). Pure.
import type { IncidentRecord, TimelineEntry } from "./incident-record.js";
import { code, escapeMarkdown } from "../text/markdown.js";
import { emptyResponseState, type IncidentResponseState } from "./response-state.js";
export * from "./response-state.js";

/**
 * Timeline entry kinds. The first six are written by incident-record.ts (`mergeDelivery`) and the
 * pipeline; the rest by the response (commands, webhooks). `group.resolved` is Alertmanager saying
 * every alert stopped firing; `incident.resolved` is a responder's /resolve.
 */
export const TIMELINE_KINDS = Object.freeze({
  opened: "opened",
  alertAdded: "alert-added",
  alertResolved: "alert-resolved",
  alertRefired: "alert-refired",
  groupResolved: "resolved",
  groupRefired: "refired",
  deployCheckFailed: "deploy-check.failed",
  ack: "ack",
  severity: "severity",
  assign: "assign",
  note: "note",
  rollbackOpened: "rollback.opened",
  rollbackMerged: "rollback.merged",
  redeployRequested: "redeploy.requested",
  redeploySucceeded: "redeploy.succeeded",
  incidentResolved: "incident.resolved",
  actionItem: "action-item",
  postmortem: "postmortem",
});

/** Entries that mean the impact began. */
const START_KINDS = new Set<string>([TIMELINE_KINDS.alertAdded, TIMELINE_KINDS.deployCheckFailed]);
/** Entries that mean the impact stopped: a revert merged, a redeploy went out, the alerts stopped. */
const MITIGATION_KINDS = new Set<string>([
  TIMELINE_KINDS.rollbackMerged,
  TIMELINE_KINDS.redeploySucceeded,
  TIMELINE_KINDS.groupResolved,
]);

// ---- metrics ----

export interface Milestones {
  /** When the impact began: the first alert or failed deploy check, else when the incident opened. */
  start: string;
  /** When aftershock opened the incident. */
  detected: string;
  acknowledged?: string;
  mitigated?: string;
  resolved?: string;
}

export interface Durations {
  /** start → detected */
  detect?: number;
  /** detected → acknowledged */
  acknowledge?: number;
  /** start → mitigated */
  mitigate?: number;
  /** start → resolved */
  resolve?: number;
}

export interface ResponseMetrics {
  milestones: Milestones;
  /** Milliseconds; absent while the milestone has not happened. */
  ms: Durations;
  /** The same, as "1h 5m"; absent likewise. */
  formatted: { [K in keyof Durations]?: string };
}

/**
 * Milestones and durations of an incident. Explicit state (set by commands) wins over the timeline,
 * which `compactRecord` may have trimmed; a resolved incident without a recorded mitigation counts
 * as mitigated when it resolved. Durations never go below zero (clock skew between senders).
 */
export function computeResponseMetrics(
  record: IncidentRecord,
  state: IncidentResponseState = emptyResponseState(),
): ResponseMetrics {
  const timeline = record.timeline;
  const alertStarts = Object.values(record.fingerprints).map((a) => a.startsAt);
  const start =
    earliest([
      ...alertStarts,
      ...timeline.filter((e) => START_KINDS.has(e.kind)).map((e) => e.at),
      record.openedAt,
    ]) ?? record.openedAt;
  const detected = record.openedAt;
  const acknowledged = state.acknowledgedAt ?? firstOf(timeline, new Set([TIMELINE_KINDS.ack]));
  const resolved = state.resolvedAt ?? firstOf(timeline, new Set([TIMELINE_KINDS.incidentResolved]));
  const mitigated = state.mitigatedAt ?? firstOf(timeline, MITIGATION_KINDS) ?? resolved;

  const milestones: Milestones = { start, detected };
  if (acknowledged) milestones.acknowledged = acknowledged;
  if (mitigated) milestones.mitigated = mitigated;
  if (resolved) milestones.resolved = resolved;

  const ms: Durations = {};
  const set = (key: keyof Durations, from: string, to: string | undefined) => {
    const d = between(from, to);
    if (d !== undefined) ms[key] = d;
  };
  set("detect", start, detected);
  set("acknowledge", detected, acknowledged);
  set("mitigate", start, mitigated);
  set("resolve", start, resolved);

  const formatted: ResponseMetrics["formatted"] = {};
  for (const [key, value] of Object.entries(ms) as Array<[keyof Durations, number]>)
    formatted[key] = formatElapsed(value);
  return { milestones, ms, formatted };
}

function time(iso: string | undefined): number {
  return iso === undefined || iso === "" ? NaN : Date.parse(iso);
}

function earliest(isos: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const iso of isos)
    if (!Number.isNaN(time(iso)) && (best === undefined || time(iso) < time(best))) best = iso;
  return best;
}

function firstOf(timeline: readonly TimelineEntry[], kinds: ReadonlySet<string>): string | undefined {
  return earliest(timeline.filter((e) => kinds.has(e.kind)).map((e) => e.at));
}

/** Milliseconds from `from` to `to`, at least 0; undefined when either is missing or not a date. */
export function between(from: string | undefined, to: string | undefined): number | undefined {
  const d = time(to) - time(from);
  return Number.isNaN(d) ? undefined : Math.max(0, d);
}

/** 3_905_000 → "1h 5m": the two largest units, truncated (an elapsed time never rounds up). */
export function formatElapsed(ms: number): string {
  let rest = Math.floor(Math.max(0, ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith("0"));
  return shown.length === 0 ? "0s" : shown.join(" ");
}

// ---- rendering ----

/**
 * A timestamp for people: "2024-05-01 12:03:00 UTC" for a valid date (nothing in it needs escaping),
 * the escaped text otherwise (timestamps come from alerts, which are untrusted).
 */
export function formatTime(iso: string): string {
  const t = time(iso);
  if (Number.isNaN(t)) return escapeMarkdown(iso, 40);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const SYSTEM_ACTORS = new Set(["alertmanager", "aftershock", "github-actions", "deploy-gate"]);

/**
 * Who acted, as a role: a system by name (Alertmanager, a bot) or "responder" for a person, so a
 * blameless timeline says what happened without naming people.
 */
export function actorRole(actor: string): string {
  const a = actor.trim().toLowerCase();
  if (a.endsWith("[bot]")) return a.slice(0, -"[bot]".length);
  return SYSTEM_ACTORS.has(a) ? a : "responder";
}

/**
 * The timeline as a markdown table, oldest first, every cell escaped. People appear as "responder";
 * @mentions inside entry text are replaced too (see `scrubMentions`).
 */
export function renderTimeline(entries: readonly TimelineEntry[], maxEntries = 200): string {
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (time(a.e.at) || 0) - (time(b.e.at) || 0) || a.i - b.i)
    .map(({ e }) => e);
  const shown = sorted.slice(-maxEntries);
  const rows = shown.map(
    (e) =>
      `| ${formatTime(e.at)} | ${code(e.kind, 40, { table: true })} | ${escapeMarkdown(actorRole(e.actor), 40)} | ${escapeMarkdown(scrubMentions(e.text), 300)} |`,
  );
  const skipped = sorted.length - shown.length;
  return [
    "| Time | Event | By | What happened |",
    "| --- | --- | --- | --- |",
    ...(skipped > 0 ? [`| | | | …${skipped} earlier entries |`] : []),
    ...rows,
  ].join("\n");
}

/**
 * Replaces @mentions (users and teams) with "a responder": a blameless text names no one, and
 * escaping alone would still show the name. E-mail addresses are left alone.
 */
export function scrubMentions(text: string): string {
  return text.replace(/(?<![\w.+-])@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9_.-]+)?/g, "a responder");
}
