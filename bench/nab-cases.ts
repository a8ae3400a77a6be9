// Deploy cases from a labeled real-series dataset (nab-dev), built exactly as its README says:
// a bad deploy 0–2 steps before each labeled onset, clean deploys at seeded random times whose
// baseline, window and 12 steps after it touch no labeled window; 48 baseline and 12 watch steps at
// the series' own step. Seeded and deterministic.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { finite, MAD_TO_SD, mad, median } from "../src/core/gate/stats.js";
import type { Direction, Sample } from "../src/core/gate/types.js";
import { mulberry32 } from "../test/helpers/mulberry32.js";

export const REAL_BASELINE_STEPS = 48;
export const REAL_WATCH_STEPS = 12;
/** Clean deploys drawn per series (25 series → 75, as the "today" figures count). */
export const CLEAN_PER_SERIES = 3;
const CLEAN_ATTEMPTS = 2000;

export interface RealSeries {
  /** "<folder>/<file>.csv", the key of the label files. */
  key: string;
  folder: string;
  samples: Sample[];
  /** The median sample interval, seconds. */
  step: number;
  /** Labeled anomaly windows, Unix seconds. */
  windows: Array<[number, number]>;
  labels: number[];
}

export interface RealCase {
  id: string;
  series: RealSeries;
  label: "bad" | "clean";
  deployTime: number;
  direction: Direction;
  /** Labeled onset (bad deploys only). */
  onset: number | null;
  /** The window median moved ≥ 2 robust deviations from the baseline median (bad deploys only). */
  clearShift: boolean;
}

/** "YYYY-MM-DD HH:MM:SS(.ffffff)" read as UTC. */
function parseTime(text: string): number {
  const t = Date.parse(`${text.trim().replace(" ", "T")}Z`);
  if (!Number.isFinite(t)) throw new Error(`not a timestamp: "${text}"`);
  return Math.round(t / 1000);
}

/** A CSV of timestamp,value: sorted, a repeated timestamp keeps its last value. */
export function readSeriesCsv(path: string): Sample[] {
  const byTime = new Map<number, number>();
  const lines = readFileSync(path, "utf8").split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [ts, value] = line.split(",");
    byTime.set(parseTime(ts!), Number(value));
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, v]) => ({ t, v }));
}

export function loadDataset(dir: string): RealSeries[] {
  const windows = JSON.parse(readFileSync(join(dir, "labels/combined_windows.json"), "utf8")) as Record<
    string,
    Array<[string, string]>
  >;
  const labels = JSON.parse(readFileSync(join(dir, "labels/combined_labels.json"), "utf8")) as Record<
    string,
    string[]
  >;
  const out: RealSeries[] = [];
  for (const folder of readdirSync(join(dir, "data")).sort()) {
    for (const file of readdirSync(join(dir, "data", folder)).sort()) {
      if (!file.endsWith(".csv")) continue;
      const key = `${folder}/${file}`;
      const samples = readSeriesCsv(join(dir, "data", folder, file));
      const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t);
      out.push({
        key,
        folder,
        samples,
        step: median(gaps),
        windows: (windows[key] ?? []).map(([a, b]) => [parseTime(a), parseTime(b)]),
        labels: (labels[key] ?? []).map(parseTime).sort((a, b) => a - b),
      });
    }
  }
  return out;
}

/** Samples with start <= t <= end. */
function between(samples: readonly Sample[], start: number, end: number): Sample[] {
  return samples.filter((s) => s.t >= start && s.t <= end);
}

/**
 * Baseline [deploy − 48 steps, deploy) and watch (deploy, deploy + 12 steps], as the gate reads them.
 * `withDeploySample` adds the sample at the deploy itself to the baseline (49 samples): what the
 * reference rules are fed, so the rolling rule holds its 50 samples after the first watch sample.
 */
export function caseRanges(series: RealSeries, deploy: number, withDeploySample = false) {
  const { step } = series;
  return {
    baseline: between(
      series.samples,
      deploy - REAL_BASELINE_STEPS * step,
      withDeploySample ? deploy : deploy - 1,
    ),
    watch: between(series.samples, deploy + 1, deploy + REAL_WATCH_STEPS * step),
  };
}

/** Inside the series, with at least half the samples the baseline and window should hold. */
function usable(series: RealSeries, deploy: number): boolean {
  const { step, samples } = series;
  const first = samples[0]!.t;
  const last = samples.at(-1)!.t;
  if (deploy - REAL_BASELINE_STEPS * step < first || deploy + REAL_WATCH_STEPS * step > last) return false;
  const { baseline, watch } = caseRanges(series, deploy);
  return (
    finite(baseline.map((s) => s.v)).length >= REAL_BASELINE_STEPS / 2 &&
    finite(watch.map((s) => s.v)).length >= REAL_WATCH_STEPS / 2
  );
}

function seriesSeed(seed: number, key: string): number {
  let h = 2166136261 ^ seed;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function buildCases(dataset: readonly RealSeries[], seed: number): RealCase[] {
  const cases: RealCase[] = [];
  for (const series of dataset) {
    const rng = mulberry32(seriesSeed(seed, series.key));
    const { step } = series;
    const bad: RealCase[] = [];
    for (const [i, [ws, we]] of series.windows.entries()) {
      const onset = series.labels.find((l) => l >= ws && l <= we) ?? ws;
      const deploy = onset - Math.floor(rng() * 3) * step;
      if (!usable(series, deploy)) continue;
      const { baseline, watch } = caseRanges(series, deploy);
      const base = finite(baseline.map((s) => s.v));
      const after = finite(
        between(series.samples, onset, onset + (REAL_WATCH_STEPS - 1) * step).map((s) => s.v),
      );
      const win = finite(watch.map((s) => s.v));
      const m = median(base);
      const spread = MAD_TO_SD * mad(base);
      bad.push({
        id: `${series.key}#bad${i}`,
        series,
        label: "bad",
        deployTime: deploy,
        direction: median(after) >= m ? "increase" : "decrease",
        onset,
        // A flat baseline (MAD 0) has no robust deviation to measure a shift in: not a clear shift.
        clearShift: spread > 0 && Math.abs(median(win) - m) >= 2 * spread,
      });
    }
    cases.push(...bad);
    const ups = bad.filter((c) => c.direction === "increase").length;
    const dominant: Direction = bad.length && bad.length - ups > ups ? "decrease" : "increase";
    const taken: number[] = [];
    for (let a = 0; a < CLEAN_ATTEMPTS && taken.length < CLEAN_PER_SERIES; a++) {
      const deploy = series.samples[Math.floor(rng() * series.samples.length)]!.t;
      const lo = deploy - REAL_BASELINE_STEPS * step;
      const hi = deploy + 2 * REAL_WATCH_STEPS * step;
      if (series.windows.some(([ws, we]) => ws <= hi && we >= lo)) continue;
      if (taken.some((d) => Math.abs(d - deploy) < REAL_WATCH_STEPS * step)) continue;
      if (!usable(series, deploy)) continue;
      taken.push(deploy);
      cases.push({
        id: `${series.key}#clean${taken.length}`,
        series,
        label: "clean",
        deployTime: deploy,
        direction: dominant,
        onset: null,
        clearShift: false,
      });
    }
  }
  return cases;
}
