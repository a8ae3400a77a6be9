// The incident response, registered on the app in one call: slash commands, merged rollback and
// post-mortem PRs, statuses of redeploys, and the optional automatic rollback.
import type { Probot } from "probot";
import { onPullRequestClosed } from "../pull-request.js";
import { onRedeployStatus } from "../redeploy-status.js";
import { registerAutoRollback } from "./auto-rollback.js";
import type { CommandDeps } from "./dispatch.js";
import { onIssueComment } from "./dispatch.js";

export type { CommandDeps, CommandReport } from "./dispatch.js";
export { onIssueComment } from "./dispatch.js";

export function registerIncidentResponse(app: Probot, deps: CommandDeps): void {
  // Only `created`: an edited comment would run its commands again, which people do not expect.
  app.on("issue_comment.created", async (context) => {
    const reports = await onIssueComment(context, deps);
    if (reports.length) context.log.info({ commands: reports }, "slash commands handled");
  });
  app.on("pull_request.closed", async (context) => {
    const outcome = await onPullRequestClosed(context, deps);
    if (outcome.kind !== "ignored") context.log.info({ ...outcome }, "merged PR recorded in the incident");
  });
  app.on("deployment_status", async (context) => {
    await onRedeployStatus(context, deps);
  });
  registerAutoRollback(app, deps);
}
