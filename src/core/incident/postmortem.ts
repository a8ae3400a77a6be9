// The blameless post-mortem of an incident, written from its own record only: impact, response
// metrics, timeline, the (suspected or confirmed) cause, contributing factors, lessons and action
// items. It names pull requests and systems, never people: no authors, no @mentions. Pure.
import type { IncidentRecord, SuspectEntry } from "./incident-record.js";
import { code, escapeMarkdown, link, oneLine } from "../text/markdown.js";
import type { IncidentResponseState, ResponseMetrics } from "./response-metrics.js";
import {
  TIMELINE_KINDS,
  between,
  computeResponseMetrics,
  formatElapsed,
  formatTime,
  renderTimeline,
  scrubMentions,
} from "./response-metrics.js";

export const DEFAULT_POSTMORTEM_FOLDER = "docs/postmortems";
const MAX_SLUG = 60;

/** Thresholds behind "what went well / could improve" (milliseconds). */
export const LESSON_THRESHOLDS = Object.freeze({
  fastDetect: 5 * 60_000,
  slowDetect: 15 * 60_000,
  fastAck: 15 * 60_000,
  slowAck: 30 * 60_000,
  slowMitigate: 60 * 60_000,
});

export interface PostmortemNarrative {
  summary: string;
  factors: string[];
  /** Always true: a drafted narrative is marked for review, never published as fact. */
  drafted: true;
}

export interface PostmortemInput {
  record: IncidentRecord;
  response: IncidentResponseState;
  repo: { owner: string; repo: string };
  incidentNumber: number;
  now: Date;
  narrative?: PostmortemNarrative;
  /** Where post-mortems live in the repository; default docs/postmortems. */
  folder?: string;
}

export interface RenderedPostmortem {
  path: string;
  title: string;
  markdown: string;
}

/** The post-mortem file: its path, a title for the PR and the markdown. */
export function renderPostmortem(input: PostmortemInput): RenderedPostmortem {
  const { record, response } = input;
  const metrics = computeResponseMetrics(record, response);
  const cause = rootCause(record, response);
  const date = metrics.milestones.start.slice(0, 10);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : input.now.toISOString().slice(0, 10);
  const path = `${postmortemFolder(input.folder)}/${day}-${slugify(`${record.name} ${record.service}`)}-${input.incidentNumber}.md`;
  const title = oneLine(
    scrubMentions(`Post-mortem: ${record.name}: ${record.service} in ${record.environment}`),
    200,
  );
  const incidentUrl = `https://github.com/${encodeURIComponent(input.repo.owner)}/${encodeURIComponent(input.repo.repo)}/issues/${input.incidentNumber}`;

  const sections = [
    `# ${escapeMarkdown(title, 200)}`,
    header(input, incidentUrl, day),
    input.narrative
      ? "> [!NOTE]\n> Drafted for review: the summary and contributing factors below were drafted automatically from the incident data. Check them before merging."
      : "",
    section(
      "Summary",
      input.narrative ? text(input.narrative.summary, 3000) : summary(record, metrics, cause),
    ),
    section("Impact", impact(input, metrics)),
    section("Response metrics", metricsTable(metrics)),
    section("Timeline", renderTimeline(record.timeline)),
    section("Root cause", rootCauseSection(record, cause)),
    section(
      "Contributing factors",
      bullets(input.narrative ? input.narrative.factors.map((f) => text(f, 500)) : factors(record, cause)),
    ),
    section("What went well", bullets(wentWell(record, response, metrics, cause))),
    section("What could improve", bullets(couldImprove(record, metrics, cause))),
    section("Action items", actionItems(response)),
    "---\n<sub>Written by aftershock from the incident record. Blameless: this document is about systems and changes, not people.</sub>",
  ];
  return { path, title, markdown: sections.filter((s) => s !== "").join("\n\n") + "\n" };
}

/** `docs/postmortems` from a configured folder: no leading or trailing slash, no `..` or empty parts. */
export function postmortemFolder(folder: string | undefined): string {
  const parts = (folder ?? DEFAULT_POSTMORTEM_FOLDER).split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return DEFAULT_POSTMORTEM_FOLDER;
  if (parts.some((p) => p === ".." || !/^[A-Za-z0-9._-]+$/.test(p)))
    throw new Error(
      `postmortem folder "${folder}" is not a plain relative path: use letters, digits, ".", "_", "-" and "/" (e.g. docs/postmortems)`,
    );
  return parts.join("/");
}

/** ASCII kebab-case, bounded: "HighErrorRate: checkout" → "high-error-rate-checkout". */
export function slugify(input: string, maxLength = MAX_SLUG): string {
  const slug = input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const cut = slug.slice(0, maxLength).replace(/-+$/, "");
  return cut === "" ? "incident" : cut;
}

interface Cause {
  suspect?: SuspectEntry;
  /** A PR named by responders that is not among the suspects. */
  pr?: number;
  confirmed: boolean;
}

function rootCause(record: IncidentRecord, response: IncidentResponseState): Cause {
  const named = response.rootCause?.pr;
  const confirmed = response.rootCause?.confirmed ?? false;
  if (named === undefined) {
    const top = record.suspects[0];
    return top ? { suspect: top, confirmed } : { confirmed: false };
  }
  const suspect = record.suspects.find((s) => s.number === named);
  return suspect ? { suspect, confirmed } : { pr: named, confirmed };
}

/** Untrusted text (alerts, titles, notes, drafts): mentions scrubbed, then escaped. */
function text(value: string, max = 300): string {
  return escapeMarkdown(scrubMentions(value), max);
}

function section(heading: string, body: string): string {
  return `## ${heading}\n\n${body}`;
}

function bullets(items: readonly string[]): string {
  return items.length === 0 ? "_Nothing recorded._" : items.map((i) => `- ${i}`).join("\n");
}

function prLink(suspect: SuspectEntry): string {
  return link(scrubMentions(`#${suspect.number} ${suspect.title}`), suspect.url, 140);
}

function causeLabel(cause: Cause): string | null {
  if (cause.suspect) return prLink(cause.suspect);
  if (cause.pr !== undefined) return `#${cause.pr}`;
  return null;
}

function header(input: PostmortemInput, incidentUrl: string, day: string): string {
  const status = input.response.resolvedAt || input.record.status === "resolved" ? "resolved" : "ongoing";
  return [
    `**Incident:** [#${input.incidentNumber}](${incidentUrl}) · **Date:** ${day} · **Severity:** ${input.record.severity} · **Incident status:** ${status}`,
    `**Post-mortem status:** draft, written ${formatTime(input.now.toISOString())}`,
    "",
    "_This post-mortem is blameless: it describes what the systems and changes did and how the response went, not who did what._",
  ].join("\n");
}

function alertNames(record: IncidentRecord): string[] {
  return [...new Set(Object.values(record.fingerprints).map((a) => a.alertname))].filter((n) => n !== "");
}

function summary(record: IncidentRecord, metrics: ResponseMetrics, cause: Cause): string {
  const { formatted, milestones } = metrics;
  const alerts = alertNames(record).length;
  const how =
    record.source === "deploy-check"
      ? "aftershock's deploy check"
      : `Alertmanager (${alerts} alert${alerts === 1 ? "" : "s"})`;
  const sentences = [
    `${text(record.name, 120)} (${record.severity}) affected ${text(record.service, 80)} in ${text(record.environment, 80)}, starting ${formatTime(milestones.start)}.`,
    `It was detected by ${how} ${formatted.detect === "0s" ? "as it started" : `${formatted.detect} after it started`}.`,
  ];
  if (formatted.acknowledge !== undefined)
    sentences.push(`A responder acknowledged it ${formatted.acknowledge} after detection.`);
  if (formatted.mitigate !== undefined)
    sentences.push(`The impact was mitigated ${formatted.mitigate} after the start${mitigationHow(record)}.`);
  else sentences.push("No mitigation is recorded yet.");
  if (formatted.resolve !== undefined) sentences.push(`It was resolved after ${formatted.resolve}.`);
  const label = causeLabel(cause);
  if (label) sentences.push(cause.confirmed ? `The cause was ${label}.` : `The suspected cause is ${label}.`);
  return sentences.join(" ");
}

const MITIGATION_KINDS = new Set<string>([
  TIMELINE_KINDS.rollbackMerged,
  TIMELINE_KINDS.redeploySucceeded,
  TIMELINE_KINDS.groupResolved,
]);

function mitigationHow(record: IncidentRecord): string {
  const first = record.timeline
    .filter((e) => MITIGATION_KINDS.has(e.kind))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  if (!first) return "";
  if (first.kind === TIMELINE_KINDS.rollbackMerged) return " by merging a rollback";
  if (first.kind === TIMELINE_KINDS.redeploySucceeded) return " by a redeploy";
  return ", when the alerts stopped firing";
}

function impact(input: PostmortemInput, metrics: ResponseMetrics): string {
  const { record } = input;
  const m = metrics.milestones;
  const at = formatTime;
  const since = (iso: string | undefined, d: string | undefined) =>
    iso ? `${at(iso)}${d ? ` (+${d} after start)` : ""}` : "not recorded";
  const end = m.resolved ?? m.mitigated;
  const duration = end
    ? formatElapsed(between(m.start, end) ?? 0)
    : `ongoing (${formatElapsed(between(m.start, input.now.toISOString()) ?? 0)} so far)`;
  const alerts = alertNames(record);
  const rows: Array<[string, string]> = [
    ["Started", at(m.start)],
    ["Detected", since(m.detected, metrics.formatted.detect)],
    [
      "Acknowledged",
      m.acknowledged
        ? `${at(m.acknowledged)} (+${metrics.formatted.acknowledge} after detection)`
        : "not recorded",
    ],
    ["Mitigated", since(m.mitigated, metrics.formatted.mitigate)],
    ["Resolved", since(m.resolved, metrics.formatted.resolve)],
    ["Duration of impact", duration],
    ["Severity", record.severity],
    ["Source", record.source === "deploy-check" ? "failed deploy check" : "Alertmanager alert"],
    [
      "Alerts",
      alerts.length
        ? `${alerts.map((a) => text(a, 80)).join(", ")} (${Object.keys(record.fingerprints).length} firing series)`
        : "none",
    ],
    ["Service", text(record.service, 80)],
    ["Environment", text(record.environment, 80)],
    ["Deploys considered", String(record.deploys.length)],
  ];
  const table = ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  const resolution = input.response.resolution
    ? `\n\n**Resolution:** ${text(input.response.resolution, 1000)}`
    : "";
  return table.join("\n") + resolution;
}

function metricsTable(metrics: ResponseMetrics): string {
  const f = metrics.formatted;
  const na = "not recorded";
  return [
    "| Metric | Value | From → to |",
    "| --- | --- | --- |",
    `| Time to detect (MTTD) | ${f.detect ?? na} | start → incident opened |`,
    `| Time to acknowledge (MTTA) | ${f.acknowledge ?? na} | incident opened → acknowledged |`,
    `| Time to mitigate | ${f.mitigate ?? na} | start → mitigated |`,
    `| Time to resolve (MTTR) | ${f.resolve ?? na} | start → resolved |`,
  ].join("\n");
}

/** A suspect reason without its score suffix: "touches risky paths: x (+0.15)" → "touches risky paths: x". */
function plainReason(reason: string): string {
  return reason.replace(/\s*\(\+\d+(\.\d+)?\)\s*$/, "");
}

function rootCauseSection(record: IncidentRecord, cause: Cause): string {
  if (!cause.suspect && cause.pr === undefined)
    return "The cause is not known yet: no merged pull request was deployed in the lookback window. Add what the investigation found.";
  if (!cause.suspect) {
    const verb = cause.confirmed ? "The confirmed cause is" : "Responders suspect";
    return `${verb} #${cause.pr}, which aftershock did not rank among the suspects.`;
  }
  const s = cause.suspect;
  const deploy = record.deploys.find((d) => String(d.id) === String(s.deploymentId));
  const shipped = deploy
    ? ` It shipped in deploy ${escapeMarkdown(String(deploy.id), 40)} (${code(deploy.sha.slice(0, 12), 12)}) to ${text(deploy.environment, 60)} at ${formatTime(deploy.createdAt)}.`
    : "";
  const lead = cause.confirmed
    ? `**Confirmed:** the incident was caused by ${prLink(s)}.`
    : `**Suspected (not confirmed):** ${prLink(s)}, aftershock's top-ranked suspect (score ${s.score.toFixed(2)}). Confirm or correct this before the post-mortem is merged.`;
  const reasons = s.reasons.map((r) => `- ${text(plainReason(r), 200)}`);
  return [lead + shipped, ...(reasons.length ? ["", "Why it was suspected:", "", ...reasons] : [])].join(
    "\n",
  );
}

/** Contributing factors from the cause's scoring reasons: the properties of the change, not of its author. */
function factors(record: IncidentRecord, cause: Cause): string[] {
  const out: string[] = [];
  for (const reason of cause.suspect?.reasons ?? []) {
    const r = plainReason(reason);
    if (/^deployed .* before the alert$/.test(r)) continue; // timing: part of the cause, not a factor
    if (r.startsWith("touches risky paths"))
      out.push(
        `The change touched risky paths (migrations, configuration or dependencies): ${text(r.replace(/^touches risky paths:\s*/, ""), 200)}.`,
      );
    else if (r.startsWith("large change") || r.startsWith("change size"))
      out.push(
        `Change size: ${text(r.replace(/^(large change|change size):\s*/, ""), 120)}; larger changes are harder to review and to reason about when they fail.`,
      );
    else if (r.startsWith("the deploy check failed"))
      out.push(`${text(r.charAt(0).toUpperCase() + r.slice(1), 200)}, yet the change stayed live.`);
    else if (r.startsWith("touches paths of service"))
      out.push(
        `The change touched the alerting service's own paths (${text(r.replace(/^touches paths of service .*?:\s*/, ""), 200)}).`,
      );
    else out.push(text(r, 200));
  }
  for (const warning of record.warnings) out.push(`aftershock reported a problem: ${text(warning, 300)}`);
  return out;
}

function wentWell(
  record: IncidentRecord,
  response: IncidentResponseState,
  metrics: ResponseMetrics,
  cause: Cause,
): string[] {
  const { ms, formatted } = metrics;
  const out: string[] = [];
  if (record.source === "deploy-check")
    out.push("The deploy gate caught the regression right after the deploy, from the deploy's own metrics.");
  else if (cause.suspect?.reasons.some((r) => r.startsWith("the deploy check failed")))
    out.push("The deploy gate flagged the deploy that shipped the suspected change.");
  if (ms.detect !== undefined && ms.detect <= LESSON_THRESHOLDS.fastDetect)
    out.push(`Fast detection: the incident opened ${formatted.detect} after the impact began.`);
  if (ms.acknowledge !== undefined && ms.acknowledge <= LESSON_THRESHOLDS.fastAck)
    out.push(`A responder acknowledged within ${formatted.acknowledge}.`);
  if (record.suspects.length > 0)
    out.push("aftershock named suspect pull requests when the incident opened.");
  const merged = response.rollbacks.filter((r) => r.state === "merged");
  if (merged.length > 0)
    out.push(`A rollback was available and merged (reverting ${merged.map((r) => `#${r.pr}`).join(", ")}).`);
  return out;
}

function couldImprove(record: IncidentRecord, metrics: ResponseMetrics, cause: Cause): string[] {
  const { ms, formatted } = metrics;
  const out: string[] = [];
  if (ms.detect !== undefined && ms.detect > LESSON_THRESHOLDS.slowDetect)
    out.push(
      `Detection took ${formatted.detect}: an alert or deploy-gate check closer to this symptom would catch it sooner.`,
    );
  if (
    record.source === "alert" &&
    cause.suspect &&
    !cause.suspect.reasons.some((r) => r.startsWith("the deploy check failed"))
  )
    out.push("The deploy gate did not flag the suspected deploy: consider a gate check for this signal.");
  if (ms.acknowledge === undefined) out.push("No acknowledgement was recorded (`/ack`).");
  else if (ms.acknowledge > LESSON_THRESHOLDS.slowAck)
    out.push(
      `Acknowledgement took ${formatted.acknowledge}: check paging and on-call routing for this service.`,
    );
  if (ms.mitigate === undefined) out.push("No mitigation was recorded.");
  else if (ms.mitigate > LESSON_THRESHOLDS.slowMitigate)
    out.push(
      `Mitigation took ${formatted.mitigate}: a faster rollback path (\`/rollback\`, \`/redeploy\`) would shorten the impact.`,
    );
  if (record.suspects.length === 0)
    out.push("No suspect pull request was found: check that deploys are recorded as GitHub deployments.");
  return out;
}

function actionItems(response: IncidentResponseState): string {
  if (response.actionItems.length === 0)
    return "_No action items recorded yet. Add them as task-list items in this section; aftershock files an issue for each one when this post-mortem is merged._";
  return response.actionItems
    .map((item) => `- [ ] ${text(item.text, 1000)}${item.issue !== undefined ? ` (#${item.issue})` : ""}`)
    .join("\n");
}
