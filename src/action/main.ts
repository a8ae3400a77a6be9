// The Action's entry point: kept thin. `mode: gate` (default) verifies a deploy; `mode: report`
// writes the periodic learning report (for a scheduled workflow).
import * as core from "@actions/core";
import * as github from "@actions/github";
import { runReportMode } from "./report-mode.js";
import { run } from "./run.js";
import { errorMessage } from "../core/errors.js";

async function main(): Promise<void> {
  const mode = core.getInput("mode") || "gate";
  if (mode === "gate") return run(undefined, core);
  if (mode !== "report") return core.setFailed(`aftershock: mode "${mode}" must be gate or report`);
  try {
    const token = core.getInput("github-token");
    if (!token)
      throw new Error("mode: report needs github-token (issues: write to publish the report issue)");
    core.setSecret(token);
    const { owner, repo } = github.context.repo;
    await runReportMode(core, { octokit: github.getOctokit(token), owner, repo });
  } catch (err) {
    core.setFailed(`aftershock: ${errorMessage(err)}`);
  }
}

void main();
