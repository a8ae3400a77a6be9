// The Action's `mode: report`: the learning report of the repository's incidents over `since`
// (default 30d), written to the job summary, set as the `report` output and, unless `publish` is
// false, kept in one report issue per period. Takes a core-like object so it can be tested without
// the Actions runtime.
import { parseDuration } from "../core/text/duration.js";
import { computeReport, isEmptyReport, type LearningReport } from "../core/learning/report.js";
import { renderReport } from "../core/learning/render-report.js";
import {
  listActionItemStates,
  listDeployChecks,
  listIncidentHistory,
  type IssuesOctokit,
} from "../github/incident-history.js";
import { periodKey, upsertReportIssue } from "../github/report-issue.js";
import type { CoreLike } from "./core-like.js";

export type { CoreLike };

export interface ReportModeDeps {
  octokit: IssuesOctokit;
  owner: string;
  repo: string;
  now?: () => Date;
}

/**
 * Inputs: `since` (duration, default 30d), `incident-label` (default incident), `publish`
 * ("false" to skip the issue), `publish-empty` ("true" for an issue even when nothing happened),
 * `deployments` ("true" to count deployment statuses too).
 * Outputs: `report` (JSON), `report-issue` (URL, when published). Throws on bad input or GitHub
 * failure; the caller turns that into setFailed like the gate does.
 */
export async function runReportMode(core: CoreLike, deps: ReportModeDeps): Promise<LearningReport> {
  const until = (deps.now ?? (() => new Date()))();
  const since = new Date(until.getTime() - parseDuration(core.getInput("since") || "30d", "since") * 1000);
  const ref = { owner: deps.owner, repo: deps.repo };
  const history = await listIncidentHistory(deps.octokit, {
    ...ref,
    since,
    label: core.getInput("incident-label") || "incident",
  });
  if (history.truncated)
    core.warning("aftershock: too many incident issues; the report covers the newest 2000");
  const filed = history.incidents.some((i) =>
    i.record.response?.actionItems?.some((a) => a.issue !== undefined),
  );
  const actionItemStates = filed ? (await listActionItemStates(deps.octokit, ref)).states : undefined;
  const deployChecks =
    core.getInput("deployments") === "true"
      ? (await listDeployChecks(deps.octokit, { ...ref, since })).checks
      : undefined;
  const report = computeReport({
    incidents: history.incidents,
    since,
    until,
    ...(actionItemStates ? { actionItemStates } : {}),
    ...(deployChecks ? { deployChecks } : {}),
  });
  const markdown = renderReport(report);
  await core.summary.addRaw(markdown).write();
  core.setOutput("report", JSON.stringify(report));
  if (
    core.getInput("publish") !== "false" &&
    isEmptyReport(report) &&
    core.getInput("publish-empty") !== "true"
  ) {
    core.info(
      "aftershock: nothing to report in the period; no report issue (set publish-empty: true for one)",
    );
  } else if (core.getInput("publish") !== "false") {
    const issue = await upsertReportIssue(
      deps.octokit,
      { ...ref, period: periodKey(since, until) },
      {
        title: `Incident report ${report.period.since.slice(0, 10)} to ${report.period.until.slice(0, 10)}`,
        body: markdown,
      },
    );
    core.setOutput("report-issue", issue.url);
    core.info(`aftershock: ${issue.created ? "opened" : "updated"} the report issue ${issue.url}`);
  }
  core.info(
    `aftershock: ${report.totals.incidents} incidents in the report (${history.skipped} issues skipped)`,
  );
  return report;
}
