// The real-data case builder of `bench:gate --real`: CSV quirks, and the cases the dataset's
// README describes (bad deploys 0–2 steps before a labeled onset, clean ones away from any label).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  REAL_BASELINE_STEPS,
  REAL_WATCH_STEPS,
  buildCases,
  loadDataset,
  readSeriesCsv,
} from "../../bench/nab-cases.js";

const NAB = fileURLToPath(new URL("../../../shared/datasets/nab-dev", import.meta.url));

describe("readSeriesCsv", () => {
  it("reads UTC timestamps, sorts rows and keeps the last value of a repeated timestamp", () => {
    const dir = mkdtempSync(join(tmpdir(), "nab-"));
    const file = join(dir, "s.csv");
    writeFileSync(
      file,
      "timestamp,value\n2014-01-01 00:10:00,3\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n2014-01-01 00:05:00,9\n",
    );
    const t0 = Date.UTC(2014, 0, 1) / 1000;
    expect(readSeriesCsv(file)).toEqual([
      { t: t0, v: 1 },
      { t: t0 + 300, v: 9 },
      { t: t0 + 600, v: 3 },
    ]);
  });
});

describe.skipIf(!existsSync(NAB))("buildCases on nab-dev", () => {
  const dataset = existsSync(NAB) ? loadDataset(NAB) : [];

  it("is deterministic per seed and differs between seeds", () => {
    const ids = (seed: number) => buildCases(dataset, seed).map((c) => `${c.id}@${c.deployTime}`);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).not.toEqual(ids(2));
  });

  it("puts each bad deploy 0–2 steps before its labeled onset, and clean ones away from every label", () => {
    const cases = buildCases(dataset, 3);
    const bad = cases.filter((c) => c.label === "bad");
    const clean = cases.filter((c) => c.label === "clean");
    expect(bad).toHaveLength(50);
    expect(clean).toHaveLength(75);
    for (const c of bad) {
      const steps = (c.onset! - c.deployTime) / c.series.step;
      expect([0, 1, 2]).toContain(steps);
    }
    for (const c of clean) {
      const { step, windows } = c.series;
      const lo = c.deployTime - REAL_BASELINE_STEPS * step;
      const hi = c.deployTime + 2 * REAL_WATCH_STEPS * step;
      expect(windows.some(([a, b]) => a <= hi && b >= lo)).toBe(false);
    }
  });
});
