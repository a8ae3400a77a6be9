// The gate report as JSON for machines (CLI `--format json`, the Action's `report` output); kept
// apart from the text and markdown renderers so its shape changes only on purpose.
import type { GateReport } from "./types.js";

const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString());

/** The machine-readable report (CLI `--format json`, the Action's `report` output): times in ISO 8601. */
export function reportJson(report: GateReport) {
  return {
    verdict: report.verdict,
    severity: report.severity,
    detectedAt: iso(report.detectedAt),
    deployTime: iso(report.deployTime),
    backtest: report.backtest,
    reason: report.reason,
    baselineSeconds: report.baselineSeconds,
    windowSeconds: report.windowSeconds,
    stepSeconds: report.stepSeconds,
    checks: report.checks.map((c) => ({
      name: c.name,
      query: c.query,
      critical: c.critical,
      verdict: c.verdict,
      noData: c.noData,
      severity: c.severity,
      reason: c.reason,
      detectedAt: iso(c.detectedAt),
      ...c.stats,
      // The figure that set the severity (the window median up to detection), and what was compared.
      severityValue: c.severityValue,
      ...(c.controlQuery !== undefined ? { controlQuery: c.controlQuery } : {}),
      references: c.references,
      warnings: c.warnings,
    })),
  };
}
