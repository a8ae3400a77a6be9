// The job summary: the verdict, a table an SRE reads at a glance (values in their units, the value
// beside its limit), and a Mermaid chart per check (src/core/gate/summary-chart.ts). Checks that passed
// are folded into <details> so the ones that need attention come first.
import { formatDuration } from "../text/duration.js";
import { pct } from "./judge.js";
import { defuseMentions } from "../text/markdown.js";
import { mermaidChart, relativeLimitValue } from "./summary-chart.js";
import type { CheckResult, GateReport } from "./types.js";
import { formatValue, scaleFor, unitOf } from "./units.js";

const ICON = { pass: "✅", fail: "❌", inconclusive: "⚠️" } as const;

/** Markdown-safe text for a table cell: no HTML, no pipes, no newlines, no @mentions, no links or images. */
export function cell(text: string): string {
  return defuseMentions(
    text
      .replace(/\\/g, "\\\\")
      .replace(/[[\]]/g, "\\$&")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\|/g, "\\|"),
  ).replace(/\r?\n/g, " ");
}

export interface SummaryOptions {
  /** Heading of the summary. */
  title?: string;
  /** A link to the team's dashboard (already templated). */
  dashboardUrl?: string;
}

export function renderSummary(report: GateReport, options: SummaryOptions | string = {}): string {
  const { title = "aftershock deploy check", dashboardUrl } =
    typeof options === "string" ? { title: options } : options;
  const lines: string[] = [];
  const when = new Date(report.deployTime * 1000).toISOString();
  lines.push(
    `## ${ICON[report.verdict]} ${cell(title)}: ${report.verdict}${report.severity ? ` (${report.severity})` : ""}`,
  );
  lines.push("");
  lines.push(
    `Deploy at ${when}; baseline ${formatDuration(report.baselineSeconds)} before it, watched ${formatDuration(report.windowSeconds)} after it every ${formatDuration(report.stepSeconds)}${report.backtest ? " (backtest over history)" : ""}.`,
  );
  if (report.detectedAt !== null) {
    lines.push(
      `Failed at ${new Date(report.detectedAt * 1000).toISOString()} (+${formatDuration(report.detectedAt - report.deployTime)}).`,
    );
  }
  if (dashboardUrl) lines.push("", `[Open the dashboard](${linkTarget(dashboardUrl)})`);
  lines.push("");
  lines.push("| check | baseline | window | limit | change | p-value | verdict | reason |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const c of report.checks) {
    const s = c.stats;
    const unit = unitOf(c);
    // One scale for the row, so baseline, window and limit read in the same unit.
    const scale = scaleFor(
      unit,
      Math.max(...[s.baselineMedian, s.windowMedian].map((v) => Math.abs(v ?? 0))),
    );
    const value = (v: number | null) => (v === null ? "–" : formatValue(v, unit, scale));
    lines.push(
      `| ${cell(c.name)}${c.critical ? "" : " (non-critical)"} | ${value(s.baselineMedian)} | ${value(s.windowMedian)} | ${limitCell(c, (v) => formatValue(v, unit, scale))} | ${s.change === null ? "–" : signedPct(s.change)} | ${s.pValue === null ? "–" : s.pValue.toPrecision(2)} | ${ICON[c.verdict]} ${c.verdict}${c.severity ? ` ${c.severity}` : ""} | ${cell(c.reason)} |`,
    );
  }
  const attention = report.checks.filter((c) => c.verdict !== "pass");
  const passed = report.checks.filter((c) => c.verdict === "pass");
  for (const c of attention) lines.push("", `### ${cell(c.name)}`, "", ...checkDetail(c, report));
  for (const c of passed) {
    lines.push(
      "",
      `<details><summary>✅ ${cell(c.name)}: pass</summary>`,
      "",
      ...checkDetail(c, report),
      "",
      "</details>",
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * A configuration error still leaves a summary: what is wrong and where to look, since the step's
 * log is one click further away than the summary on the run's page.
 */
export function renderConfigErrorSummary(message: string, title = "aftershock deploy check"): string {
  return [
    `## ❌ ${cell(title)}: configuration error`,
    "",
    "The gate did not run: an input needs fixing.",
    "",
    `> ${cell(message)}`,
    "",
    "Every input is described in the Action's `action.yml`; the step's log has the same message.",
    "",
  ].join("\n");
}

/** The chart (or a no-data line), the query and Prometheus' warnings of one check. */
function checkDetail(c: CheckResult, report: GateReport): string[] {
  const chart = mermaidChart(c, report.deployTime, report.stepSeconds);
  const out = chart
    ? ["```mermaid", ...chart, "```"]
    : ["_No data to chart: the query returned no usable sample in the baseline or the window._"];
  out.push("", `<sub>${cell(c.query)}</sub>`);
  for (const w of c.warnings) out.push("", `> Prometheus warning: ${cell(w)}`);
  return out;
}

/** The limits beside the value: the absolute one, and the relative one with the value it allows. */
function limitCell(c: CheckResult, show: (v: number) => string): string {
  const sign = c.direction === "increase" ? "≤" : "≥";
  const parts: string[] = [];
  if (c.absoluteLimit !== undefined) parts.push(`${sign} ${show(c.absoluteLimit)}`);
  if (c.relativeLimit !== undefined) {
    const allowed = relativeLimitValue(c);
    const rel = `${c.direction === "increase" ? "+" : "−"}${pct(c.relativeLimit)}`;
    parts.push(allowed === undefined ? rel : `${sign} ${show(allowed)} (${rel})`);
  }
  return parts.length ? parts.join(", ") : "–";
}

/** A URL as a markdown link target: no spaces or parentheses that would end the link early. */
function linkTarget(url: string): string {
  return url.replace(/[ ()<>]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

function signedPct(f: number): string {
  return `${f >= 0 ? "+" : "−"}${pct(Math.abs(f))}`;
}
