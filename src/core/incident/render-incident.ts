// Renders an incident record as a GitHub issue: title, labels, body (with the hidden record) and the
// comment for a later delivery. Everything from alerts and commits goes through markdown.ts. Pure.
import type { AlertState, Change, IncidentRecord } from "./incident-record.js";
import { compactRecord, describeChange, serializeRecord } from "./incident-record.js";
import { COMMAND_SPECS } from "./commands.js";
import { code, escapeMarkdown, link, oneLine, safeUrl } from "../text/markdown.js";
import { computeResponseMetrics, formatTime } from "./response-metrics.js";
import { relatedSection } from "./render-related.js";
import { renderUpdateLines } from "./update-comment.js";
import { readResponseState } from "./response-state.js";
import { DEFAULT_SEVERITY_BANDS, severityFor, worstSeverity } from "../gate/severity.js";
import type { Severity, SeverityBand } from "../gate/types.js";

/** The slash commands an incident issue answers to (implemented by the app's commands handler). */
export const INCIDENT_COMMANDS: ReadonlyArray<{ command: string; help: string }> = COMMAND_SPECS.map((s) => ({
  command: s.usage,
  help: s.help,
}));

// GitHub refuses issue bodies above 65 536 characters; stay well below, with room for the hidden block.
const MAX_BODY = 60_000;
const MAX_BLOCK = 30_000;

export interface AlertLike {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** P1/P2/P3 from a `severity` label value, also Alertmanager's usual critical/warning/info. */
export function severityFromLabel(value: string | undefined): Severity | null {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "p1" || v === "critical") return "P1";
  if (v === "p2" || v === "warning") return "P2";
  if (v === "p3" || v === "info") return "P3";
  return null;
}

/** A ratio from an annotation: "0.07", "7%" (a percentage) or "7 %". */
export function ratioFrom(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(%?)\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? n : null;
}

/** The annotations that may carry an alert's error ratio, in the order they are read. */
export const RATIO_ANNOTATIONS = ["error_ratio", "value"] as const;

/** What set an alert's severity: its `severity` label, or an error ratio read from one annotation. */
export type SeveritySource =
  | { severity: Severity; from: "label"; label: string }
  | { severity: Severity; from: "ratio"; annotation: (typeof RATIO_ANNOTATIONS)[number]; ratio: number };

/**
 * One alert's severity and where it came from: its `severity` label, else the first error ratio in
 * its error_ratio/value annotations through the bands; null when neither says. The only place
 * that decides an alert's severity (alertSeverity and the Alertmanager rule text both use it).
 */
export function alertSeveritySource(
  alert: AlertLike,
  bands: readonly SeverityBand[] = DEFAULT_SEVERITY_BANDS,
): SeveritySource | null {
  const label = alert.labels["severity"];
  const fromLabel = severityFromLabel(label);
  if (fromLabel) return { severity: fromLabel, from: "label", label: label!.trim() };
  for (const annotation of RATIO_ANNOTATIONS) {
    const ratio = ratioFrom(alert.annotations?.[annotation]);
    if (ratio !== null) return { severity: severityFor(ratio, bands), from: "ratio", annotation, ratio };
  }
  return null;
}

/** One alert's severity: its `severity` label, else its error_ratio/value annotation through the bands. */
export function alertSeverity(
  alert: AlertLike,
  bands: readonly SeverityBand[] = DEFAULT_SEVERITY_BANDS,
): Severity | null {
  return alertSeveritySource(alert, bands)?.severity ?? null;
}

/** The worst severity over a group of alerts; P3 when none says. */
export function groupSeverity(
  alerts: readonly AlertLike[],
  bands: readonly SeverityBand[] = DEFAULT_SEVERITY_BANDS,
): Severity {
  return worstSeverity(alerts.map((a) => alertSeverity(a, bands))) ?? "P3";
}

/** `[P2] HighErrorRate: checkout in production` */
export function incidentTitle(record: IncidentRecord): string {
  return oneLine(`[${record.severity}] ${record.name}: ${record.service} in ${record.environment}`, 240);
}

export interface IncidentLabelConfig {
  incident: string;
  resolved: string;
  extra: readonly string[];
}

/** The labels an incident carries now: incident, severity, service, environment, extras, resolved. */
export function incidentLabels(record: IncidentRecord, labels: IncidentLabelConfig): string[] {
  const all = [
    labels.incident,
    `severity:${record.severity}`,
    `service:${record.service}`,
    `env:${record.environment}`,
    ...labels.extra,
    ...(record.status === "resolved" ? [labels.resolved] : []),
  ];
  // GitHub label names are at most 50 characters; commas would split them in some UIs.
  return [...new Set(all.map((l) => oneLine(l.replace(/,/g, " "), 50)))];
}

interface Limits {
  alerts: number;
  timeline: number;
  deploys: number;
  suspects: number;
}

/** The whole issue body: summary, alerts, suspects, deploys, timeline, commands and the hidden block. */
export function renderIncidentBody(full: IncidentRecord): string {
  const record = compactRecord(full, MAX_BLOCK);
  const generous = render(record, { alerts: 50, timeline: 100, deploys: 30, suspects: 10 });
  if (generous.length <= MAX_BODY) return generous;
  return render(record, { alerts: 10, timeline: 20, deploys: 10, suspects: 5 });
}

function render(record: IncidentRecord, limits: Limits): string {
  return [
    summary(record),
    warnings(record),
    responseSection(record),
    alertsTable(record, limits.alerts),
    relatedSection(record),
    suspectsSection(record, limits.suspects),
    renderSimilar(record),
    deploysSection(record, limits.deploys),
    timelineSection(record, limits.timeline),
    footer(),
    serializeRecord(record),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}

function summary(record: IncidentRecord): string {
  const source = record.source === "alert" ? "Alertmanager alert" : "failed deploy check";
  const status = record.status === "resolved" ? "✅ resolved" : "🔥 firing";
  const external = link("Alertmanager", record.externalURL);
  const rule = record.severityRule ? ` — set by ${escapeMarkdown(record.severityRule, 300)}` : "";
  return [
    `## ${escapeMarkdown(record.name, 120)}: ${escapeMarkdown(record.service, 80)} in ${escapeMarkdown(record.environment, 80)}`,
    "",
    `**Severity:** ${record.severity}${rule} · **Status:** ${status} · **Source:** ${source} · **Opened:** ${record.openedAt}`,
    `**Group:** ${code(record.groupKey, 200)}${record.externalURL ? ` · ${external}` : ""}`,
    ...(record.source === "alert" || record.runbook || record.dashboard ? [whereToLook(record)] : []),
  ].join("\n");
}

/** Runbook and dashboard links (http(s) only); a missing runbook says how to add one. */
function whereToLook(record: IncidentRecord): string {
  const runbook = safeUrl(record.runbook)
    ? link("open the runbook", record.runbook)
    : "none (add a `runbook_url` annotation to the alert, or `runbooks:` to .github/aftershock.yml)";
  const dashboard = safeUrl(record.dashboard) ? ` · **Dashboard:** ${link("open", record.dashboard)}` : "";
  return `**Runbook:** ${runbook}${dashboard}`;
}

function warnings(record: IncidentRecord): string {
  if (record.warnings.length === 0) return "";
  return ["> [!WARNING]", ...record.warnings.map((w) => `> ${escapeMarkdown(w, 400)}`)].join("\n");
}

/** What responders did: acknowledgement, resolution, rollbacks, the post-mortem and action items. */
function responseSection(record: IncidentRecord): string {
  if (!record.response) return "";
  const state = readResponseState(record);
  const f = computeResponseMetrics(record, state).formatted;
  const facts: string[] = [];
  if (state.acknowledgedAt)
    facts.push(
      `**Acknowledged:** ${formatTime(state.acknowledgedAt)}${f.acknowledge ? ` (after ${f.acknowledge})` : ""}`,
    );
  if (state.mitigatedAt)
    facts.push(
      `**Mitigated:** ${formatTime(state.mitigatedAt)}${f.mitigate ? ` (after ${f.mitigate})` : ""}`,
    );
  if (state.resolvedAt)
    facts.push(`**Resolved:** ${formatTime(state.resolvedAt)}${f.resolve ? ` (after ${f.resolve})` : ""}`);
  const lines: string[] = facts.length ? [facts.join(" · ")] : [];
  if (state.resolution) lines.push(`**Resolution:** ${escapeMarkdown(state.resolution, 500)}`);
  for (const r of state.rollbacks) {
    const revert = r.revertPr !== undefined ? link(`#${r.revertPr}`, r.url, 40) : "by hand";
    lines.push(`**Rollback** of #${r.pr}: ${revert} (${r.state})`);
  }
  if (state.postmortem) {
    const pr =
      state.postmortem.pr !== undefined
        ? `${link(`#${state.postmortem.pr}`, state.postmortem.url, 40)} · `
        : "";
    lines.push(`**Post-mortem:** ${pr}${code(state.postmortem.path, 200)}`);
  }
  if (state.actionItems.length) {
    const items = state.actionItems
      .slice(0, 30)
      .map((i) => `- ${escapeMarkdown(i.text, 200)}${i.issue !== undefined ? ` (#${i.issue})` : ""}`);
    lines.push(["**Action items:**", "", ...items].join("\n"));
  }
  // One paragraph per fact: consecutive lines would run together in markdown.
  return lines.length ? ["### Response", ...lines].join("\n\n") : "";
}

function more(total: number, shown: number, what: string): string {
  return total > shown ? `\n\n…and ${total - shown} more ${what}.` : "";
}

function alertsTable(record: IncidentRecord, limit: number): string {
  const rows = Object.entries(record.fingerprints);
  const total = rows.length + (record.unlisted?.count ?? 0);
  const lines = rows.slice(0, limit).map(([fingerprint, a]) => {
    const name = link(a.alertname, a.url, 120);
    return `| ${a.status} | ${name} | ${escapeMarkdown(a.summary ?? "", 300)} | ${escapeMarkdown(a.startsAt, 40)} | ${code(fingerprint, 40, { table: true })} |`;
  });
  return (
    [
      "### Alerts",
      "",
      "| Status | Alert | Summary | Started | Fingerprint |",
      "| --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n") +
    more(total, lines.length, "alerts") +
    alertDetails(rows.slice(0, limit), limit > 10 ? 20_000 : 8_000)
  );
}

// Text inside raw HTML (a <summary>) is not markdown: escape it as HTML, on one line, mentions defused.
function htmlText(text: string, maxLength: number): string {
  return oneLine(text, maxLength).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function pairsTable(heading: string, values: Record<string, string> | undefined): string[] {
  const entries = Object.entries(values ?? {}).slice(0, 30);
  if (entries.length === 0) return [];
  const rows = entries.map(([k, v]) => `| ${escapeMarkdown(k, 100)} | ${escapeMarkdown(v, 300)} |`);
  return ["", `| ${heading} | Value |`, "| --- | --- |", ...rows];
}

/**
 * A collapsed block per alert with its labels and annotations, escaped like everything else. The
 * blocks share a character budget, so an alert with hostile, escape-heavy values cannot grow the body
 * past GitHub's limit; the rest are named as omitted.
 */
function alertDetails(rows: ReadonlyArray<[string, AlertState]>, budget: number): string {
  const blocks: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const [i, [, alert]] of rows.entries()) {
    const tables = [...pairsTable("Label", alert.labels), ...pairsTable("Annotation", alert.annotations)];
    if (tables.length === 0) continue;
    const block = [
      `<details><summary>${i + 1}. ${htmlText(alert.alertname, 120)}: labels and annotations</summary>`,
      ...tables,
      "",
      "</details>",
    ].join("\n");
    if (used + block.length > budget) {
      omitted++;
      continue;
    }
    used += block.length;
    blocks.push(block);
  }
  const note = omitted
    ? [
        `…labels and annotations of ${omitted} more alert${omitted === 1 ? "" : "s"} were left out for length.`,
      ]
    : [];
  const all = [...blocks, ...note];
  return all.length ? `\n\n${all.join("\n\n")}` : "";
}

function suspectsSection(record: IncidentRecord, limit: number): string {
  if (record.suspects.length === 0) {
    return "### Suspects\n\nNo merged pull request was deployed in the lookback window.";
  }
  const lines = record.suspects.slice(0, limit).map((s, i) => {
    const pr = link(`#${s.number} ${s.title}`, s.url, 120) + (i === 0 ? likelihood(s.confidence) : "");
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${pr} | ${s.score.toFixed(2)} | ${code(s.author, 40, { table: true })} | ${reasons} |`;
  });
  return (
    [
      "### Suspects",
      "",
      "| Rank | Pull request | Score | Author | Why |",
      "| --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n") + more(record.suspects.length, lines.length, "suspects")
  );
}

/** " · **78 % likely**" for a calibrated confidence; nothing when the ranker gave none. */
export function likelihood(confidence: number | undefined): string {
  if (confidence === undefined || !Number.isFinite(confidence)) return "";
  return ` · **${percent(confidence)} likely**`;
}

/** 0.784 → "78 %", clamped to 0..100. */
export function percent(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)} %`;
}

/** Similar past incidents found when this one opened: why each matched and how it ended. */
export function renderSimilar(record: Pick<IncidentRecord, "similar">): string {
  const similar = record.similar ?? [];
  if (similar.length === 0) return "";
  const lines = similar.slice(0, 5).map((s) => {
    const why = s.why.map((w) => escapeMarkdown(w, 300)).join("; ");
    return `- ${link(`#${s.number}`, s.url, 40)} (${escapeMarkdown(s.outcome, 40)}): ${why}`;
  });
  return ["### Similar incidents", "", ...lines].join("\n");
}

function deploysSection(record: IncidentRecord, limit: number): string {
  if (record.deploys.length === 0) return "### Deploys considered\n\nNone in the lookback window.";
  const lines = record.deploys.slice(0, limit).map((d) => {
    const id = link(String(d.id), d.url, 40);
    return `| ${id} | ${code(d.sha.slice(0, 12), 12, { table: true })} | ${escapeMarkdown(d.environment, 60)} | ${escapeMarkdown(d.createdAt, 40)} | ${escapeMarkdown(d.status, 20)} |`;
  });
  return (
    [
      "### Deploys considered",
      "",
      "| Deployment | SHA | Environment | Created | Status |",
      "| --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n") + more(record.deploys.length, lines.length, "deploys")
  );
}

function timelineSection(record: IncidentRecord, limit: number): string {
  const entries = record.timeline.slice(-limit);
  const skipped = record.timeline.length - entries.length;
  const lines = entries.map(
    (e) => `- ${escapeMarkdown(e.at, 40)} · ${code(e.actor, 60)} · ${escapeMarkdown(e.text, 300)}`,
  );
  return ["### Timeline", "", ...(skipped > 0 ? [`- …${skipped} earlier entries`] : []), ...lines].join("\n");
}

function footer(): string {
  const commands = INCIDENT_COMMANDS.map((c) => `\`${c.command}\` ${c.help}`).join(" · ");
  return `---\n<sub>Comment on this issue to respond: ${commands}.</sub>`;
}

/** The comment for a later delivery: one line per change, with the alert's summary when it has one. */
export function renderUpdateComment(changes: readonly Change[]): string {
  return renderUpdateLines(changes, (change) => ({
    icon: change.kind === "resolved" || change.kind === "alert-resolved" ? "✅" : "🔥",
    text: describeChange(change),
    summary: "alert" in change ? change.alert.summary : undefined,
  }));
}
