// /assign @a @b: adds assignees. GitHub silently drops logins that cannot be assigned (not
// collaborators), so the answer is compared with the request and the dropped ones are named.
import { code } from "../../core/text/markdown.js";
import { TIMELINE_KINDS } from "../../core/incident/response-metrics.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/** One request. */
export async function assign(
  ctx: CommandContext,
  state: IncidentState,
  logins: string[],
): Promise<CommandResult> {
  const { data } = await ctx.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
    ...ctx.repo,
    issue_number: ctx.incident.number,
    assignees: logins,
  });
  const now = new Set((data.assignees ?? []).map((a) => a.login.toLowerCase()));
  const assigned = logins.filter((l) => now.has(l.toLowerCase()));
  const dropped = logins.filter((l) => !now.has(l.toLowerCase()));
  const refusal = dropped.length
    ? `GitHub did not assign ${dropped.map((l) => code(l, 40)).join(", ")}: only users with access to the repository can be assigned.`
    : undefined;
  if (assigned.length === 0)
    return { outcome: "failed", final: true, ...(refusal ? { reply: refusal } : {}) };
  const next = withEntry(
    state,
    { kind: TIMELINE_KINDS.assign, text: `Assigned ${assigned.join(", ")}` },
    ctx,
  );
  return { outcome: "done", state: next, ...(refusal ? { reply: refusal } : {}) };
}
