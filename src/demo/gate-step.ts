// The demo's first act: the deploy gate (the Action's engine: buildGate + runGate over the file
// source, backtesting) on each bundled scenario, and the full report of the one the story follows.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { buildGate } from "../core/config/gate-config.js";
import { runGate } from "../core/gate/gate.js";
import type { GateReport } from "../core/gate/types.js";
import { createSource } from "../sources/index.js";
import { STORY_DEPLOY_TIME, STORY_SERVICE } from "./story-repo.js";
import { errorMessage } from "../core/errors.js";

export const STORY_SCENARIO = "step-regression";

/** The check the Action would run: checkout's 5xx ratio, failing above 5 %. */
const CHECK = {
  name: "error-ratio",
  query:
    'sum(rate(http_requests_total{service="{{service}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="{{service}}"}[1m]))',
  "error-rate": "true",
  "absolute-limit": "0.05",
  service: STORY_SERVICE,
  "deploy-time": STORY_DEPLOY_TIME,
} as const;

export interface ScenarioRun {
  name: string;
  description: string;
  report: GateReport;
}

/** An hour after the deploy: the watch window is history, so the gate replays it without waiting. */
const replayNow = () => Date.parse(STORY_DEPLOY_TIME) / 1000 + 3600;

/** Runs the gate on one scenario file (a query_range response recorded around the deploy). */
export async function gateScenario(path: string): Promise<GateReport> {
  const gate = buildGate({ ...CHECK }, replayNow, (key) => `--${key}`);
  return runGate(gate, createSource({ file: path }), { now: replayNow });
}

/** Every `*.json` scenario of `dir`, by name. */
export async function gateScenarios(dir: string): Promise<ScenarioRun[]> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch (err) {
    throw new Error(
      `the demo's scenarios are missing (${errorMessage(err)}); run it from the aftershock package, which ships examples/scenarios`,
      { cause: err },
    );
  }
  const runs: ScenarioRun[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const { description } = JSON.parse(readFileSync(path, "utf8")) as { description?: string };
    runs.push({
      name: file.replace(/\.json$/, ""),
      description: description ?? "",
      report: await gateScenario(path),
    });
  }
  return runs;
}
