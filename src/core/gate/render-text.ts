// The terminal rendering of a gate report: a verdict line, a table and a small chart per check.
import { formatDuration } from "../text/duration.js";
import { fmt, pct } from "./judge.js";
import type { CheckResult, GateReport } from "./types.js";

const BARS = "▁▂▃▄▅▆▇█";

export function renderText(report: GateReport): string {
  const lines = [
    `verdict: ${report.verdict.toUpperCase()}${report.severity ? ` (${report.severity})` : ""}${report.backtest ? "  [backtest]" : ""}`,
  ];
  if (report.detectedAt !== null) {
    lines.push(
      `detected at: ${new Date(report.detectedAt * 1000).toISOString()} (+${formatDuration(report.detectedAt - report.deployTime)})`,
    );
  }
  for (const c of report.checks) {
    const s = c.stats;
    lines.push(
      "",
      `● ${c.name}${c.critical ? "" : " (non-critical)"}: ${c.verdict}${c.severity ? ` ${c.severity}` : ""}`,
      `  baseline ${s.baselineMedian === null ? "–" : fmt(s.baselineMedian)}  window ${s.windowMedian === null ? "–" : fmt(s.windowMedian)}  change ${s.change === null ? "–" : `${s.change >= 0 ? "+" : "−"}${pct(Math.abs(s.change))}`}  p ${s.pValue === null ? "–" : s.pValue.toPrecision(2)}`,
      `  ${c.reason}`,
      `  ${sparkline(c)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Baseline and window as one sparkline, split at the deploy by "│"; gaps (no data) are spaces. */
export function sparkline(check: CheckResult): string {
  const all = [...check.baseline, ...check.window].map((s) => s.v).filter(Number.isFinite);
  if (all.length === 0) return "(no data)";
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const bar = (v: number) => {
    if (!Number.isFinite(v)) return " ";
    const i = hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1));
    return BARS[i]!;
  };
  return `${check.baseline.map((s) => bar(s.v)).join("")}│${check.window.map((s) => bar(s.v)).join("")}  (${fmt(lo)}…${fmt(hi)})`;
}
