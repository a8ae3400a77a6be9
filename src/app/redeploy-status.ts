// deployment_status for the deployments /redeploy created (payload.aftershock.incident): success
// records the mitigation in the incident (timeline and time to mitigate); a failure is noted there.
// Other deployments are left to ./deployment-status.ts.
import type { Context } from "probot";
import { TIMELINE_KINDS } from "../core/incident/response-metrics.js";
import { isHandled, markHandled } from "../core/incident/response-state.js";
import type { CommandDeps } from "./commands/dispatch.js";
import { withIncident, writeIncidentBody } from "./commands/incident-io.js";
import { isBot } from "./commands/permission.js";
import { withEntry } from "./commands/types.js";

const FINAL_STATES: ReadonlySet<string> = new Set(["success", "failure", "error"]);

/** The incident number a deployment was created for by /redeploy, or null. */
export function redeployIncident(payload: unknown): number | null {
  if (!payload || typeof payload !== "object") return null;
  const ours = (payload as { aftershock?: { incident?: unknown } }).aftershock;
  const n = ours?.incident;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
}

/** True when the incident changed; null when the deployment is not a redeploy or the state not final. */
export async function onRedeployStatus(
  context: Context<"deployment_status">,
  deps: CommandDeps,
): Promise<boolean | null> {
  const { deployment, deployment_status: status, repository } = context.payload;
  const number = redeployIncident(deployment.payload);
  if (number === null || !FINAL_STATES.has(status.state)) return null;
  // /redeploy creates its deployments as the app; one anyone else (a person, another app, a
  // workflow) created with a copied payload does not get to mark the incident mitigated.
  const creator = deployment.creator;
  if (!creator || !isBot({ login: creator.login, type: creator.type })) return null;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const key = `deployment:${deployment.id}:${status.state}`;
  const store = deps.incidents(context.octokit, repo);
  if (!(await store.trusts(creator))) return null;
  const changed = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    if (isHandled(fresh.current.response, key)) return false;
    const ok = status.state === "success";
    const at = status.created_at;
    const text = `Redeploy ${deployment.id} of ${deployment.sha.slice(0, 12)} to ${deployment.environment} ${ok ? "succeeded" : `reported ${status.state}`}`;
    const entry = withEntry(
      fresh.current,
      { kind: ok ? TIMELINE_KINDS.redeploySucceeded : "redeploy.failed", text },
      { actor: status.creator?.login ?? context.payload.sender.login, now: new Date(at) },
    );
    const response = {
      ...entry.response,
      ...(ok && !entry.response.mitigatedAt ? { mitigatedAt: at } : {}),
    };
    await writeIncidentBody(store, number, {
      ...entry,
      response: markHandled(response, key),
    });
    return true;
  });
  return changed ?? false;
}
