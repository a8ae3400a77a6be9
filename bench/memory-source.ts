// A MetricSource over samples held in memory: the bench's stand-in for Prometheus.
import type { MetricSource, RangeResult, Sample } from "../src/core/gate/types.js";
import type { Scenario } from "./scenarios.js";

/**
 * Answers `queryRange` like Prometheus over a fixed set of series: one point per step from
 * `start` to `end` (inclusive), each the latest sample at or before it that is less than one
 * step old (so an off-grid start still finds the data, and nothing is invented past the end).
 */
export class MemorySource implements MetricSource {
  readonly name: string;
  private readonly series: Map<string, Sample[]>;

  constructor(name: string, series: Record<string, Sample[]>) {
    this.name = name;
    this.series = new Map(
      Object.entries(series).map(([query, samples]) => [query, [...samples].sort((a, b) => a.t - b.t)]),
    );
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    const samples = this.series.get(query);
    if (!samples) {
      const known = [...this.series.keys()].join(", ");
      throw new Error(`memory source "${this.name}" has no series for query "${query}"; known: ${known}`);
    }
    if (!(step > 0)) throw new Error(`step must be greater than zero, got ${step}`);
    const points: Sample[] = [];
    for (let t = start; t <= end; t += step) {
      const s = latestAtOrBefore(samples, t);
      if (s && t - s.t < step) points.push({ t, v: s.v });
    }
    // Prometheus returns no series at all when nothing matched.
    return { series: points.length ? [{ labels: { __name__: query }, samples: points }] : [], warnings: [] };
  }
}

function latestAtOrBefore(samples: readonly Sample[], t: number): Sample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  let found: Sample | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = samples[mid]!;
    if (s.t <= t) {
      found = s;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The source for one scenario: its metric, and its request rate when it has one. */
export function scenarioSource(s: Scenario): MemorySource {
  const series: Record<string, Sample[]> = { [s.query]: s.samples };
  if (s.trafficQuery && s.traffic) series[s.trafficQuery] = s.traffic;
  return new MemorySource(s.id, series);
}
