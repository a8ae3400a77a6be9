// The Mermaid xychart of one check for the job summary (GitHub renders Mermaid in summaries and
// issues). A category axis spaces points evenly whatever their times, so the points are taken on one
// time grid across baseline and window, anchored at the deploy: a minute is as wide before the deploy
// as after it. Limits are drawn as flat lines, the relative one at its value for this baseline.
import { formatDuration } from "../text/duration.js";
import { pct } from "./judge.js";
import type { CheckResult, Sample } from "./types.js";
import { formatValue, scaleFor, unitOf, type Scale } from "./units.js";

const MAX_POINTS = 40;

/** The value the relative limit allows for this check's baseline, if it has one. */
export function relativeLimitValue(check: CheckResult): number | undefined {
  const base = check.stats.baselineMedian;
  if (check.relativeLimit === undefined || base === null) return undefined;
  const allowed = Math.abs(base) * check.relativeLimit;
  return check.direction === "increase" ? base + allowed : base - allowed;
}

/** The smallest gap between samples: the query step when the caller does not know it. */
function inferStep(samples: Sample[]): number {
  let step = Infinity;
  for (let i = 1; i < samples.length; i++) {
    const gap = samples[i]!.t - samples[i - 1]!.t;
    if (gap > 0) step = Math.min(step, gap);
  }
  return Number.isFinite(step) ? step : 1;
}

/**
 * The samples on an even grid through the deploy, one every `stride` steps with the stride
 * chosen so at most MAX_POINTS remain; each grid time takes the sample nearest to it.
 */
export function evenPoints(samples: Sample[], deployTime: number, stepSeconds?: number): Sample[] {
  const usable = samples.filter((s) => Number.isFinite(s.v)).sort((a, b) => a.t - b.t);
  if (usable.length === 0) return [];
  const step = stepSeconds && stepSeconds > 0 ? stepSeconds : inferStep(usable);
  const span = usable.at(-1)!.t - usable[0]!.t;
  const slot = Math.max(1, Math.ceil((span / step + 1) / MAX_POINTS)) * step;
  // Anchored at the first sample at or after the deploy, so the deploy's own point is on the grid.
  const anchor = usable.find((s) => s.t >= deployTime)?.t ?? deployTime;
  const nearest = new Map<number, Sample>();
  for (const s of usable) {
    const k = Math.round((s.t - anchor) / slot);
    const held = nearest.get(k);
    const at = anchor + k * slot;
    if (!held || Math.abs(s.t - at) < Math.abs(held.t - at)) nearest.set(k, s);
  }
  return [...nearest.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}

function label(offset: number, first: boolean): string {
  if (first) return offset === 0 ? "deploy" : `deploy +${formatDuration(offset)}`;
  return offset < 0 ? `-${formatDuration(-offset)}` : `+${formatDuration(offset)}`;
}

function quote(text: string): string {
  return text.replace(/["\\\n\r`]/g, " ");
}

function shown(v: number, scale: Scale): number {
  return Number((v * scale.factor).toPrecision(4));
}

/** The chart's lines (inside a ```mermaid fence), or null when there is no finite point to draw. */
export function mermaidChart(check: CheckResult, deployTime: number, stepSeconds?: number): string[] | null {
  const points = evenPoints([...check.baseline, ...check.window], deployTime, stepSeconds);
  if (points.length === 0) return null;
  let deployMarked = false;
  const labels = points.map((p) => {
    const offset = p.t - deployTime;
    const first = !deployMarked && offset >= 0;
    if (first) deployMarked = true;
    return label(offset, first);
  });
  const unit = unitOf(check);
  const absolute = check.absoluteLimit;
  const relative = relativeLimitValue(check);
  const raw = points.map((p) => p.v);
  const limits = [absolute, relative].filter((v): v is number => v !== undefined && Number.isFinite(v));
  const scale = scaleFor(unit, Math.max(...[...raw, ...limits].map(Math.abs)));
  const values = raw.map((v) => shown(v, scale));
  const limitValues = limits.map((v) => shown(v, scale));
  const top = Math.max(...values, ...limitValues);
  const bottom = Math.min(0, ...values, ...limitValues);
  const notes = [
    absolute !== undefined ? `limit ${formatValue(absolute, unit, scale)}` : "",
    relative !== undefined
      ? `${check.direction === "increase" ? "+" : "−"}${pct(check.relativeLimit!)} of baseline = ${formatValue(relative, unit, scale)}`
      : "",
  ].filter(Boolean);
  const axis = scale.suffix ? `${quote(check.name)} (${scale.suffix})` : quote(check.name);
  const out = [
    "xychart-beta",
    `  title "${quote(check.name)}${notes.length ? ` (${notes.join(", ")})` : ""}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(", ")}]`,
    `  y-axis "${axis}" ${Number(bottom.toPrecision(3))} --> ${Number((top * 1.1 || 1).toPrecision(3))}`,
    `  line [${values.join(", ")}]`,
  ];
  for (const limit of limitValues) out.push(`  line [${values.map(() => limit).join(", ")}]`);
  return out;
}
