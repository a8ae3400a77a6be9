// The source a bench scenario is judged on: its series on the step grid, served by the one in-memory
// MetricSource (test/helpers/memory-source.ts, shared with the engine tests).
import type { Sample } from "../src/core/gate/types.js";
import { gridSource, type MemorySource } from "../test/helpers/memory-source.js";
import type { Scenario } from "./scenarios.js";

/** The source for one scenario: its metric, and its request rate when it has one. */
export function scenarioSource(s: Scenario): MemorySource {
  const series: Record<string, Sample[]> = { [s.query]: s.samples };
  if (s.trafficQuery && s.traffic) series[s.trafficQuery] = s.traffic;
  return gridSource(s.id, series);
}
