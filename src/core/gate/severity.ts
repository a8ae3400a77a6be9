// P1/P2/P3: the error-ratio bands, their one order, and parsing `severity-bands`. Shared by the gate's
// report and by incidents, so both call a regression the same severity.
import type { Severity, SeverityBand } from "./types.js";

/** The runbook's bands for error ratios: P1 above 5 %, P2 from 1 % to 5 %, P3 below 1 %. */
export const DEFAULT_SEVERITY_BANDS: readonly SeverityBand[] = [
  { severity: "P1", min: 0.05, exclusive: true },
  { severity: "P2", min: 0.01 },
  { severity: "P3", min: 0 },
];

/** The one order of severities: a lower rank is more severe (P1 beats P2 beats P3). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { P1: 1, P2: 2, P3: 3 };

/**
 * The severity of an error ratio: the first band (highest `min` first) the value reaches. At an
 * equal `min` the exclusive band (">5%") is the stricter one and is tried first, whatever the order given.
 */
export function severityFor(
  value: number,
  bands: readonly SeverityBand[] = DEFAULT_SEVERITY_BANDS,
): Severity {
  const sorted = [...bands].sort((a, b) => b.min - a.min || Number(!!b.exclusive) - Number(!!a.exclusive));
  for (const band of sorted) if (band.exclusive ? value > band.min : value >= band.min) return band.severity;
  return sorted.at(-1)?.severity ?? "P3";
}

/** The most severe of several (P1 beats P2 beats P3); null when there are none. */
export function worstSeverity(severities: ReadonlyArray<Severity | null>): Severity | null {
  let worst: Severity | null = null;
  for (const s of severities) if (s && (!worst || SEVERITY_RANK[s] < SEVERITY_RANK[worst])) worst = s;
  return worst;
}

/** Parses "P1:>0.05,P2:0.01,P3:0" (or percentages, "P1:>5%") into bands; ">" makes a bound exclusive. */
export function parseSeverityBands(text: string): SeverityBand[] {
  const bands = text.split(",").map((part) => {
    const m = /^\s*(P[123])\s*:\s*(>?)\s*([0-9.eE+-]+%?)\s*$/.exec(part);
    if (!m) throw new Error(`severity band "${part.trim()}" must look like P1:>0.05, P2:0.01 or P2:1%`);
    const raw = m[3]!;
    const min = raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(min) || min < 0)
      throw new Error(`severity band "${part.trim()}" needs a number >= 0`);
    return { severity: m[1] as Severity, min, exclusive: m[2] === ">" };
  });
  return bands;
}
