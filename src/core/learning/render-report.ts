// The learning report as GitHub markdown: summary table, Mermaid charts (a pie of severities, bars of
// incidents per week and of the MTTR trend) and tables of services, causes, hotspots, open action
// items, recurring errors and the incidents themselves. Every value from outside is escaped; chart
// labels are stripped of what could end a Mermaid string. Pure.
import { code, escapeMarkdown, link } from "../text/markdown.js";
import { formatElapsed, formatTime, scrubMentions } from "../incident/response-metrics.js";
import type { LearningReport, Stat } from "./report.js";

export interface RenderReportOptions {
  /** The heading; default "Incident report". */
  title?: string;
  /** Rows of the incident list; default 50. */
  maxIncidents?: number;
}

export function renderReport(report: LearningReport, options: RenderReportOptions = {}): string {
  const since = report.period.since.slice(0, 10);
  const until = report.period.until.slice(0, 10);
  const title = options.title ?? "Incident report";
  const parts = [`# ${escapeMarkdown(title, 120)}: ${since} to ${until}`, summaryTable(report)];
  if (report.totals.incidents === 0) {
    parts.push("No incidents were opened in this period.");
    return parts.join("\n\n") + "\n";
  }
  parts.push(
    section("Severity", [severityPie(report), severityTable(report)].join("\n\n")),
    section("Incidents per week", weeklyBars(report)),
    section("Time to resolve, per week", mttrBars(report) + "\n\n" + weekTable(report)),
    section("Services", serviceTable(report)),
    section("Causes", causeTable(report)),
    section("Hotspots", hotspotTables(report)),
    section("Open action items", actionItemTable(report)),
    section("Recurring errors", signatureTable(report)),
    section("Incidents", incidentTable(report, options.maxIncidents ?? 50)),
  );
  return parts.join("\n\n") + "\n";
}

function section(heading: string, body: string): string {
  return `## ${heading}\n\n${body}`;
}

function dur(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "–" : formatElapsed(ms);
}

function statCells(s: Stat): string {
  return s.n === 0 ? "– | –" : `${dur(s.median)} | ${dur(s.mean)}`;
}

function summaryTable(r: LearningReport): string {
  const stopped = r.deploys.checked === 0 ? "–" : `${r.deploys.stopped} of ${r.deploys.checked}`;
  return [
    "| | |",
    "| --- | --- |",
    `| Incidents | ${r.totals.incidents} (${r.totals.open} open, ${r.totals.closed} closed) |`,
    `| Time to acknowledge (median / mean) | ${r.mtta.n === 0 ? "–" : `${dur(r.mtta.median)} / ${dur(r.mtta.mean)} over ${r.mtta.n}`} |`,
    `| Time to resolve (median / mean) | ${r.mttr.n === 0 ? "–" : `${dur(r.mttr.median)} / ${dur(r.mttr.mean)} over ${r.mttr.n}`} |`,
    `| Deploys checked by the gate | ${r.deploys.checked} |`,
    `| Deploys the gate stopped | ${stopped} |`,
  ].join("\n");
}

/** Text for inside a Mermaid quoted label: no quotes, backticks, brackets or newlines; bounded. */
export function mermaidLabel(text: string, max = 40): string {
  const clean = String(text)
    .replace(/["`\\#;:[\]{}<>]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(clean);
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : clean;
}

function mermaid(lines: string[]): string {
  return ["```mermaid", ...lines, "```"].join("\n");
}

function severityPie(r: LearningReport): string {
  const slices = (["P1", "P2", "P3"] as const).filter((s) => r.bySeverity[s] > 0);
  return mermaid(["pie title Incidents by severity", ...slices.map((s) => `  "${s}" : ${r.bySeverity[s]}`)]);
}

function severityTable(r: LearningReport): string {
  return [
    "| Severity | Incidents |",
    "| --- | --- |",
    ...(["P1", "P2", "P3"] as const).map((s) => `| ${s} | ${r.bySeverity[s]} |`),
  ].join("\n");
}

function weekAxis(r: LearningReport): string {
  return `  x-axis [${r.weeks.map((w) => `"${mermaidLabel(w.start.slice(5))}"`).join(", ")}]`;
}

function weeklyBars(r: LearningReport): string {
  const counts = r.weeks.map((w) => w.incidents);
  return mermaid([
    "xychart-beta",
    '  title "Incidents per week"',
    weekAxis(r),
    `  y-axis "Incidents" 0 --> ${Math.max(1, ...counts)}`,
    `  bar [${counts.join(", ")}]`,
  ]);
}

function mttrBars(r: LearningReport): string {
  // Minutes, one decimal: a week with nothing resolved shows 0 (the table says "–").
  const minutes = r.weeks.map((w) => (w.mttr.median === null ? 0 : Math.round(w.mttr.median / 6_000) / 10));
  return mermaid([
    "xychart-beta",
    '  title "Median time to resolve (minutes)"',
    weekAxis(r),
    `  y-axis "Minutes" 0 --> ${Math.max(1, Math.ceil(Math.max(...minutes) * 1.1))}`,
    `  bar [${minutes.join(", ")}]`,
  ]);
}

function weekTable(r: LearningReport): string {
  return [
    "| Week of | Incidents | MTTA median | MTTA mean | MTTR median | MTTR mean |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.weeks.map((w) => `| ${w.start} | ${w.incidents} | ${statCells(w.mtta)} | ${statCells(w.mttr)} |`),
  ].join("\n");
}

function serviceTable(r: LearningReport): string {
  return [
    "| Service | Incidents |",
    "| --- | --- |",
    ...r.byService.map((s) => `| ${code(s.service, 80, { table: true })} | ${s.incidents} |`),
  ].join("\n");
}

function causeTable(r: LearningReport): string {
  return [
    "| Cause | Incidents |",
    "| --- | --- |",
    `| Confirmed culprit (root cause confirmed or revert merged) | ${r.byCause.confirmed} |`,
    `| Suspected only | ${r.byCause.suspected} |`,
    `| No suspect | ${r.byCause.none} |`,
  ].join("\n");
}

function refs(numbers: readonly number[]): string {
  const shown = numbers.slice(0, 10).map((n) => `#${n}`);
  return numbers.length > 10 ? `${shown.join(", ")} and ${numbers.length - 10} more` : shown.join(", ");
}

function hotspotTables(r: LearningReport): string {
  if (r.hotspots.files.length === 0)
    return "No culprit PR with known files in this period (a culprit is a confirmed root cause or a merged revert).";
  const table = (what: string, rows: LearningReport["hotspots"]["files"]) =>
    [
      `| ${what} | Incidents | Which |`,
      "| --- | --- | --- |",
      ...rows.map((h) => `| ${code(h.path, 120, { table: true })} | ${h.incidents} | ${refs(h.numbers)} |`),
    ].join("\n");
  return `${table("File", r.hotspots.files)}\n\n${table("Directory", r.hotspots.directories)}`;
}

function actionItemTable(r: LearningReport): string {
  if (r.openActionItems.length === 0) return "None.";
  return [
    "| Action item | Incident | Issue | Open for |",
    "| --- | --- | --- | --- |",
    ...r.openActionItems
      .slice(0, 30)
      .map(
        (a) =>
          `| ${escapeMarkdown(scrubMentions(a.text), 200)} | #${a.incident} | ${a.issue === undefined ? "not filed" : `#${a.issue}`} | ${dur(a.ageMs)} |`,
      ),
  ].join("\n");
}

function signatureTable(r: LearningReport): string {
  if (r.signatures.length === 0) return "No error text in the alerts of this period.";
  return [
    "| Error | Type | Incidents | Which |",
    "| --- | --- | --- | --- |",
    ...r.signatures.map(
      (s) =>
        `| ${code(s.signature, 160, { table: true })} | ${s.exceptionType ? code(s.exceptionType, 80, { table: true }) : "–"} | ${s.incidents} | ${refs(s.numbers)} |`,
    ),
  ].join("\n");
}

function incidentTable(r: LearningReport, max: number): string {
  const shown = r.incidents.slice(0, max);
  const rows = shown.map(
    (i) =>
      `| ${link(`#${i.number}`, i.url, 20)} | ${formatTime(i.openedAt)} | ${i.severity} | ${escapeMarkdown(scrubMentions(i.name), 100)} | ${code(i.service, 60, { table: true })} | ${i.cause} | ${i.state} | ${dur(i.resolveMs)} |`,
  );
  const more = r.incidents.length - shown.length;
  return [
    "| Incident | Opened | Severity | Alert | Service | Cause | State | Resolved in |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    ...(more > 0 ? [`| …${more} more | | | | | | | |`] : []),
  ].join("\n");
}
