// Turns what a metric source returned into the one series a check judges: several series are folded
// only when the check says how, otherwise they are an error that names them.
import { ConfigError } from "../errors.js";
import type { Aggregation, Sample, Series } from "./types.js";

const MAX_LABELS_SHOWN = 3;

/**
 * One series from a query result. Several series are an error that names their labels, unless
 * the check says how to aggregate them; then they are folded point by point (by timestamp).
 */
export function alignSeries(
  series: readonly Series[],
  aggregate: Aggregation | undefined,
  check: string,
): Sample[] {
  if (series.length === 0) return [];
  if (series.length === 1) return series[0]!.samples;
  if (!aggregate) {
    const shown = series.slice(0, MAX_LABELS_SHOWN).map((s) => labelText(s.labels));
    const more = series.length > MAX_LABELS_SHOWN ? ` and ${series.length - MAX_LABELS_SHOWN} more` : "";
    throw new ConfigError(
      `check "${check}": the query returned ${series.length} series (${shown.join(", ")}${more}); aggregate them in PromQL (e.g. sum(...)) or set aggregate: sum|avg|max|min on the check`,
    );
  }
  const byTime = new Map<number, number[]>();
  for (const s of series) {
    for (const { t, v } of s.samples) {
      const values = byTime.get(t) ?? [];
      values.push(v);
      byTime.set(t, values);
    }
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, values]) => ({ t, v: fold(values, aggregate) }));
}

function fold(values: number[], how: Aggregation): number {
  switch (how) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    // Like PromQL's max()/min(): NaN (0/0 from an idle series) is skipped unless every value is
    // NaN, so one idle pod cannot hide another pod's errors; sum/avg propagate NaN as PromQL does.
    case "max":
    case "min": {
      const numbers = values.filter((v) => !Number.isNaN(v));
      if (numbers.length === 0) return NaN;
      return how === "max" ? Math.max(...numbers) : Math.min(...numbers);
    }
  }
}

export function labelText(labels: Record<string, string>): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return `{${body}}`;
}
