// /redeploy [previous|sha]: asks for a GitHub deployment of the last good commit (the deployment
// before the bad one) or of a given commit. The repository's deploy workflow does the deploying.
import type { RedeployTarget } from "../../core/incident/commands.js";
import type { DeployEntry, IncidentRecord } from "../../core/incident/incident-record.js";
import { code } from "../../core/text/markdown.js";
import { TIMELINE_KINDS } from "../../core/incident/response-metrics.js";
import type { BadDeployment } from "../../github/deployments.js";
import { GOOD_STATES, createRedeployment, findPreviousGoodDeployment } from "../../github/deployments.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/**
 * The deployment to blame: the top suspect's, else the one whose check failed (a deploy-check
 * incident), else the newest aftershock considered. Null when the incident knows no deployment.
 */
export function badDeployment(record: IncidentRecord): DeployEntry | BadDeployment | null {
  const byId = (id: string | number) => record.deploys.find((d) => String(d.id) === String(id));
  const top = record.suspects[0];
  if (top) return byId(top.deploymentId) ?? { id: top.deploymentId };
  if (record.source === "deploy-check" && record.groupKey.startsWith("deploy:")) {
    const id = record.groupKey.slice("deploy:".length);
    return byId(id) ?? { id };
  }
  const newest = [...record.deploys].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  return newest ?? null;
}

/** The last good deployment before `bad` among those the incident already knows (no request). */
export function previousFromRecord(record: IncidentRecord, bad: BadDeployment): DeployEntry | null {
  if (!bad.createdAt) return null;
  const before = Date.parse(bad.createdAt);
  return (
    record.deploys
      .filter((d) => d.environment === record.environment && String(d.id) !== String(bad.id))
      .filter((d) => d.sha !== bad.sha && Date.parse(d.createdAt) < before)
      .filter((d) => GOOD_STATES.has(d.status.toLowerCase()))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0] ?? null
  );
}

/**
 * Requests: 1 to create the deployment, plus for `previous` when the incident's own deploys do not
 * show a good one: 1 to list deployments and 1 per deployment whose status is read (at most 10).
 */
export async function redeploy(
  ctx: CommandContext,
  state: IncidentState,
  target: RedeployTarget,
): Promise<CommandResult> {
  const { record } = state;
  let sha: string;
  let why: string;
  if (target.kind === "sha") {
    sha = target.sha;
    why = `commit ${sha.slice(0, 12)}`;
  } else {
    const bad = badDeployment(record);
    if (!bad) {
      return {
        outcome: "failed",
        final: true,
        reply: `This incident knows no deployment of ${code(record.environment, 60)} to go back from. Name a commit: \`/redeploy <sha>\`.`,
      };
    }
    const good =
      previousFromRecord(record, bad) ??
      (await findPreviousGoodDeployment(ctx.octokit, ctx.repo, record.environment, bad));
    if (!good) {
      return {
        outcome: "failed",
        final: true,
        reply: `No successful deployment of ${code(record.environment, 60)} before deployment ${code(String(bad.id ?? "?"), 40)} was found. Name a commit: \`/redeploy <sha>\`.`,
      };
    }
    sha = good.sha;
    why = `the last good deployment (${good.id}) before deployment ${bad.id ?? "?"}`;
  }
  const created = await createRedeployment(ctx.octokit, ctx.repo, {
    ref: sha,
    environment: record.environment,
    incidentNumber: ctx.incident.number,
    description: `aftershock: redeploy for incident #${ctx.incident.number}`,
    ...(ctx.commandKey ? { key: ctx.commandKey } : {}),
  });
  const next = withEntry(
    state,
    {
      kind: TIMELINE_KINDS.redeployRequested,
      text: `Redeploy of ${sha.slice(0, 12)} to ${record.environment} requested (deployment ${created.id}, ${why})`,
    },
    ctx,
  );
  return {
    outcome: "done",
    state: next,
    reply: `🚚 Requested deployment ${created.id} of ${code(sha.slice(0, 12), 12)} to ${code(record.environment, 60)} (${why}). Your deploy workflow picks it up from the \`deployment\` event.`,
  };
}
