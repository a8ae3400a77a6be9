// The job summary: a table of the checks and a Mermaid xychart per check (GitHub renders
// Mermaid in job summaries and issues), with the deploy and the limit marked.
import { formatDuration } from "./duration.js";
import { fmt, pct } from "./judge.js";
import type { CheckResult, GateReport, Sample } from "./types.js";

const ICON = { pass: "✅", fail: "❌", inconclusive: "⚠️" } as const;
const MAX_POINTS = 40;

/** Markdown-safe text for a table cell: no HTML, no pipes, no newlines, no @mentions, no links or images. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/[[\]]/g, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/@/g, "@\u200b")
    .replace(/\r?\n/g, " ");
}

export function renderSummary(report: GateReport, title = "aftershock deploy check"): string {
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
  lines.push("");
  lines.push("| check | baseline | window | change | p-value | verdict | reason |");
  lines.push("| --- | ---: | ---: | ---: | ---: | --- | --- |");
  for (const c of report.checks) {
    const s = c.stats;
    lines.push(
      `| ${cell(c.name)}${c.critical ? "" : " (non-critical)"} | ${num(s.baselineMedian)} | ${num(s.windowMedian)} | ${s.change === null ? "–" : signedPct(s.change)} | ${s.pValue === null ? "–" : s.pValue.toPrecision(2)} | ${ICON[c.verdict]} ${c.verdict}${c.severity ? ` ${c.severity}` : ""} | ${cell(c.reason)} |`,
    );
  }
  for (const c of report.checks) {
    lines.push("", `### ${cell(c.name)}`, "", "```mermaid", ...mermaidChart(c, report.deployTime), "```");
    lines.push("", `<sub>${cell(c.query)}</sub>`);
    for (const w of c.warnings) lines.push("", `> Prometheus warning: ${cell(w)}`);
  }
  return lines.join("\n") + "\n";
}

function num(v: number | null): string {
  return v === null ? "–" : fmt(v);
}

function signedPct(f: number): string {
  return `${f >= 0 ? "+" : "−"}${pct(Math.abs(f))}`;
}

/** Every n-th point, so a chart stays readable; keeps the last point. */
function thin(samples: Sample[], max: number): Sample[] {
  const stride = Math.max(1, Math.ceil(samples.length / max));
  return samples.filter((_, i) => i % stride === 0 || i === samples.length - 1);
}

export function mermaidChart(check: CheckResult, deployTime: number): string[] {
  // The window matters most: it keeps up to half the points, the baseline gets the rest.
  const usable = (list: Sample[]) => list.filter((s) => Number.isFinite(s.v));
  const window = thin(usable(check.window), MAX_POINTS / 2);
  const points = [...thin(usable(check.baseline), MAX_POINTS - window.length), ...window];
  if (points.length === 0)
    return ["xychart-beta", `  title "${quote(check.name)}: no data"`, "  x-axis [none]", "  line [0]"];
  let deployMarked = false;
  const labels = points.map((p) => {
    const offset = p.t - deployTime;
    if (!deployMarked && offset >= 0) {
      deployMarked = true;
      return offset === 0 ? "deploy" : `deploy +${formatDuration(offset)}`;
    }
    return offset < 0 ? `-${formatDuration(-offset)}` : `+${formatDuration(offset)}`;
  });
  const values = points.map((p) => Number(p.v.toPrecision(4)));
  const limit = check.absoluteLimit;
  const top = Math.max(...values, limit ?? -Infinity);
  const bottom = Math.min(0, ...values);
  const out = [
    "xychart-beta",
    `  title "${quote(check.name)}${limit !== undefined ? ` (limit ${fmt(limit)})` : ""}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(", ")}]`,
    `  y-axis "${quote(check.name)}" ${bottom} --> ${Number((top * 1.1 || 1).toPrecision(3))}`,
    `  line [${values.join(", ")}]`,
  ];
  if (limit !== undefined) out.push(`  line [${values.map(() => limit).join(", ")}]`);
  return out;
}

function quote(text: string): string {
  return text.replace(/["\\\n\r`]/g, " ");
}
