// How a check's numbers read to a person: error ratios in percent, latencies in ms or s, sizes in
// bytes. The unit comes from the check (error-rate) or from Prometheus' naming convention, where a
// metric's unit is the suffix of its name (http_request_duration_seconds, *_bytes).
import { fmt } from "./judge.js";

export type Unit = "ratio" | "seconds" | "milliseconds" | "bytes" | "none";

interface Unitful {
  query: string;
  errorRate?: boolean;
}

export function unitOf(check: Unitful): Unit {
  if (check.errorRate) return "ratio";
  if (/_seconds(_bucket|_sum|_count)?\b/.test(check.query)) return "seconds";
  if (/_(milliseconds|ms)(_bucket|_sum|_count)?\b/.test(check.query)) return "milliseconds";
  if (/_bytes(_bucket|_sum|_count|_total)?\b/.test(check.query)) return "bytes";
  return "none";
}

/** The scale a set of values is shown in: one for a whole chart, so its axis has one unit. */
export interface Scale {
  /** Multiply a raw value by this to get the shown number. */
  factor: number;
  /** The unit after the number ("%", "ms", "s", "MiB"), or "" for a plain number. */
  suffix: string;
}

const BYTES: Array<[number, string]> = [
  [1024 ** 3, "GiB"],
  [1024 ** 2, "MiB"],
  [1024, "KiB"],
];

/** The scale that shows `magnitude` (the largest absolute value) readably. */
export function scaleFor(unit: Unit, magnitude: number): Scale {
  const m = Math.abs(magnitude);
  switch (unit) {
    case "ratio":
      return { factor: 100, suffix: "%" };
    case "seconds":
      return m !== 0 && m < 1 ? { factor: 1000, suffix: "ms" } : { factor: 1, suffix: "s" };
    case "milliseconds":
      return m >= 1000 ? { factor: 1 / 1000, suffix: "s" } : { factor: 1, suffix: "ms" };
    case "bytes": {
      const step = BYTES.find(([size]) => m >= size);
      return step ? { factor: 1 / step[0], suffix: step[1] } : { factor: 1, suffix: "B" };
    }
    default:
      return { factor: 1, suffix: "" };
  }
}

/** One value with its unit: 0.071 as a ratio is "7.1 %", 0.25 seconds is "250 ms". */
export function formatValue(value: number, unit: Unit, scale = scaleFor(unit, value)): string {
  if (!Number.isFinite(value)) return String(value);
  const shown = fmt(value * scale.factor);
  return scale.suffix ? `${shown} ${scale.suffix}` : shown;
}
