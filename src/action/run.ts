// The Action: read inputs, run the engine, write outputs, the job summary and the deployment status.
import * as actionsCore from "@actions/core";
import * as github from "@actions/github";
import { readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "../core/errors.js";
import { looksSecret, parseHeaderLines } from "../core/text/headers.js";
import { buildGate, GATE_INPUT_NAMES, type GateInputs } from "../core/config/gate-config.js";
import { runGate } from "../core/gate/gate.js";
import { dashboardUrlFor } from "../core/gate/dashboard-url.js";
import { renderConfigErrorSummary, renderSummary } from "../core/gate/render-summary.js";
import { reportJson } from "../core/gate/report-json.js";
import type { GateReport, GateSpec } from "../core/gate/types.js";
import { parseDuration } from "../core/text/duration.js";
import { deploymentState, findDeployment, markDeployment } from "../github/deployment-status.js";
import { optionsOn } from "../core/config/schema.js";
import { SECRET_INPUTS, gateSource } from "../sources/settings.js";
import { sendDeployChangeEvent } from "../notify/pagerduty.js";
import { statusOf } from "../github/incidents/index.js";
import type { ActionCore } from "./core-like.js";
import { gateIncidentRecord, openGateIncident } from "./open-incident.js";

type FailOn = "fail" | "inconclusive" | "never";

/** The gate step; `core` is injected like report mode's (default the Actions runtime). */
export async function run(now?: () => number, core: ActionCore = actionsCore): Promise<void> {
  try {
    const secrets = ["prometheus-token", "prometheus-password", "github-token", "pagerduty-routing-key"].map(
      (n) => core.getInput(n),
    );
    for (const s of secrets) if (s) core.setSecret(s);
    const failOn = readFailOn(core);
    const gate = readGate(now, core);
    // Rendered before the gate waits out its window, so a bad template fails at once.
    const dashboardUrl = dashboardUrlFor(core.getInput("dashboard-url"), gate);
    const { source, secrets: sourceSecrets } = gateSource(
      sourceInputs(core),
      process.env,
      {
        prometheus: {
          bearerToken: core.getInput("prometheus-token") || undefined,
          basicAuth: core.getInput("prometheus-username")
            ? {
                username: core.getInput("prometheus-username"),
                password: core.getInput("prometheus-password"),
              }
            : undefined,
          headers: prometheusHeaders(core),
        },
        timeoutMs: core.getInput("timeout") ? timeoutInput(core) * 1000 : undefined,
      },
      gate.checks,
    );
    // Vendor keys, from inputs or the environment, are masked before the gate logs anything.
    for (const s of sourceSecrets) core.setSecret(s);
    const report = await runGate(gate, source, { now, onProgress: (line) => core.info(line) });
    writeOutputs(core, report);
    try {
      await core.summary
        .addRaw(renderSummary(report, { title: core.getInput("title") || undefined, dashboardUrl }))
        .write();
    } catch (err) {
      // Older GHES runners and local runners may have no job summary; the verdict still counts.
      core.warning(`aftershock: could not write the job summary: ${errorMessage(err)}`);
    }
    let deploymentId: number | null = null;
    try {
      deploymentId = await markDeploymentIfAsked(core, report, failOn);
    } catch (err) {
      // The verdict stands either way; a failed status update must not turn a pass into a failure.
      if (err instanceof ConfigError) throw err;
      // The default token often lacks deployments: write; say how to grant it or opt out.
      const status = statusOf(err);
      const hint =
        status === 403 || status === 404
          ? " (give the job `permissions: deployments: write`, or set mark-deployment: false)"
          : "";
      core.warning(`aftershock: could not mark the deployment: ${errorMessage(err)}${hint}`);
    }
    if (report.verdict === "fail" && core.getInput("open-incident") === "true") {
      await openIncidentIfAsked(core, report, deploymentId);
    }
    await sendChangeEventIfAsked(core, report);
    conclude(core, report, failOn);
  } catch (err) {
    const e = err as Error & { retryable?: boolean };
    const configuration = err instanceof ConfigError || e.retryable === false;
    if (configuration) await writeConfigErrorSummary(core, e.message);
    core.setFailed(`aftershock: ${e.message}${configuration ? " (configuration: fix the inputs)" : ""}`);
  }
}

/** The run page shows the summary before the log: say there what to fix. */
async function writeConfigErrorSummary(core: ActionCore, message: string): Promise<void> {
  try {
    await core.summary.addRaw(renderConfigErrorSummary(message, core.getInput("title") || undefined)).write();
  } catch {
    // No job summary on this runner: the failed step's message says the same.
  }
}

/** The gate the step's inputs describe: the schema's inputs, with the checks inline or from checks-file. */
export function readGate(now?: () => number, core: ActionCore = actionsCore): GateSpec {
  const inputs: GateInputs = Object.fromEntries(GATE_INPUT_NAMES.map((n) => [n, core.getInput(n)]));
  const checksFile = core.getInput("checks-file");
  if (checksFile) {
    if (inputs.checks) throw new ConfigError("give either checks or checks-file, not both");
    inputs.checks = readFile(checksFile);
  }
  return buildGate(inputs, now);
}

/** The source settings of the schema, `source`, the vendor secrets and the JSON source's headers. */
function sourceInputs(core: ActionCore): Record<string, string> {
  const names = [...optionsOn("action", "source"), "source", ...Object.keys(SECRET_INPUTS), "json-headers"];
  return Object.fromEntries(names.map((n) => [n, core.getInput(n)]));
}

function readFailOn(core: ActionCore): FailOn {
  const v = core.getInput("fail-on") || "fail";
  if (v !== "fail" && v !== "inconclusive" && v !== "never") {
    throw new ConfigError(`fail-on "${v}" must be fail, inconclusive or never`);
  }
  return v;
}

function readFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read checks-file ${path}: ${errorMessage(err)}`);
  }
}

function timeoutInput(core: ActionCore): number {
  try {
    return parseDuration(core.getInput("timeout"), "timeout");
  } catch (err) {
    throw new ConfigError(errorMessage(err));
  }
}

/** Extra Prometheus headers; credential-looking values are masked before anything is logged. */
function prometheusHeaders(core: ActionCore): Record<string, string> {
  const headers = parseHeaderLines(
    core.getMultilineInput("prometheus-headers"),
    (n) => `prometheus-headers line ${n}`,
  );
  for (const [name, value] of Object.entries(headers)) if (looksSecret(name, value)) core.setSecret(value);
  return headers;
}

function writeOutputs(core: ActionCore, report: GateReport): void {
  const json = reportJson(report);
  core.setOutput("verdict", report.verdict);
  core.setOutput("severity", report.severity ?? "");
  core.setOutput("detected-at", json.detectedAt ?? "");
  core.setOutput("reason", report.reason);
  core.setOutput("report", JSON.stringify(json));
  const perCheck: Record<
    string,
    { verdict: string; baseline: number | null; value: number | null; pValue: number | null }
  > = {};
  for (const c of report.checks) {
    perCheck[c.name] = {
      verdict: c.verdict,
      baseline: c.stats.baselineMedian,
      value: c.stats.windowMedian,
      pValue: c.stats.pValue,
    };
    const key = c.name.replace(/[^A-Za-z0-9_-]/g, "-");
    core.setOutput(`${key}-verdict`, c.verdict);
    core.setOutput(`${key}-value`, c.stats.windowMedian ?? "");
  }
  core.setOutput("checks", JSON.stringify(perCheck));
}

/** Marks the deployment when a token is given; returns its id (null when none was marked). */
async function markDeploymentIfAsked(
  core: ActionCore,
  report: GateReport,
  failOn: FailOn,
): Promise<number | null> {
  const token = core.getInput("github-token");
  if (!token || core.getInput("mark-deployment") === "false") return null;
  const { owner, repo } = github.context.repo;
  const octokit = github.getOctokit(token);
  const idInput = core.getInput("deployment-id");
  if (idInput && !/^\d+$/.test(idInput)) throw new ConfigError(`deployment-id "${idInput}" must be a number`);
  const deploymentId = await findDeployment(octokit, {
    owner,
    repo,
    deploymentId: idInput ? Number(idInput) : undefined,
    sha: github.context.sha,
    environment: core.getInput("environment") || undefined,
  });
  if (deploymentId === null) {
    // Not a warning: github-token defaults to the workflow's token, and many workflows deploy
    // without GitHub deployments. Marking is for those that have one.
    core.info(
      "aftershock: no GitHub deployment for this commit and environment, so none to mark; set deployment-id to mark one.",
    );
    return null;
  }
  const state = deploymentState(report.verdict, failOn === "inconclusive");
  if (state === null) {
    core.warning(
      `aftershock: deployment ${deploymentId} is left unmarked: the gate was inconclusive, so it is neither verified nor failed.`,
    );
    return deploymentId;
  }
  await markDeployment(
    octokit,
    { owner, repo, deploymentId },
    {
      state,
      description: verdictLine(report),
      logUrl: runUrl(),
    },
  );
  core.info(`aftershock: marked deployment ${deploymentId} as ${report.verdict}`);
  return deploymentId;
}

/** Opens the incident issue for a failed gate (when the App is not installed to do it). */
async function openIncidentIfAsked(
  core: ActionCore,
  report: GateReport,
  deploymentId: number | null,
): Promise<void> {
  const token = core.getInput("github-token");
  if (!token) throw new ConfigError("open-incident needs github-token (with issues: write)");
  const { owner, repo } = github.context.repo;
  const { sha } = github.context;
  const record = gateIncidentRecord(
    report,
    {
      key: deploymentId !== null ? String(deploymentId) : sha,
      sha,
      service: core.getInput("service") || repo,
      environment: core.getInput("environment") || "production",
      runUrl: runUrl(),
    },
    new Date(),
  );
  try {
    const issue = await openGateIncident(github.getOctokit(token), { owner, repo }, record);
    core.setOutput("incident", issue.url);
    core.info(`aftershock: ${issue.created ? "opened" : "found the open"} incident ${issue.url}`);
  } catch (err) {
    core.warning(`aftershock: could not open the incident issue: ${errorMessage(err)}`);
  }
}

/** A PagerDuty change event for the verified deploy; any failure is a warning, never a failed step. */
async function sendChangeEventIfAsked(core: ActionCore, report: GateReport): Promise<void> {
  const routingKey = core.getInput("pagerduty-routing-key");
  if (!routingKey) return;
  try {
    const { sha } = github.context;
    const { owner, repo } = github.context.repo;
    const result = await sendDeployChangeEvent(
      routingKey,
      {
        sha,
        environment: core.getInput("environment") || "unnamed environment",
        verdict: report.verdict,
        reason: report.reason,
        service: core.getInput("service") || undefined,
        repository: `${owner}/${repo}`,
        runUrl: runUrl(),
      },
      { warn: (message) => core.warning(message) },
    );
    if (result.ok) core.info("aftershock: sent the PagerDuty change event");
  } catch (err) {
    core.warning(`aftershock: could not send the PagerDuty change event: ${errorMessage(err)}`);
  }
}

function conclude(core: ActionCore, report: GateReport, failOn: FailOn): void {
  const line = verdictLine(report);
  const fails =
    report.verdict === "fail"
      ? failOn !== "never"
      : report.verdict === "inconclusive" && failOn === "inconclusive";
  if (fails) core.setFailed(line);
  else if (report.verdict !== "pass") core.warning(line);
  else core.info(line);
}

/** "aftershock: fail (P1): …": the step's last line and the deployment status's description. */
function verdictLine(report: GateReport): string {
  return `aftershock: ${report.verdict}${report.severity ? ` (${report.severity})` : ""}: ${report.reason}`;
}

/** This workflow run's page, when the runner says which run it is. */
function runUrl(): string | undefined {
  const { serverUrl, runId } = github.context;
  const { owner, repo } = github.context.repo;
  return runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined;
}
