// /action-item <text>: files an issue labelled action-item that links the incident, and lists it in
// the incident (and so in the post-mortem, which is rendered from the incident).
import { actionItemKey } from "../../core/incident/action-items.js";
import { TIMELINE_KINDS } from "../../core/incident/response-metrics.js";
import { fileActionItemIssue, listActionItemIssues } from "../../github/action-item-issues.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/** Requests: 1 to find an issue already filed for this item (a retry), 1 to file it. */
export async function actionItem(
  ctx: CommandContext,
  state: IncidentState,
  text: string,
): Promise<CommandResult> {
  const known = await listActionItemIssues(ctx.octokit, ctx.repo);
  const filed = await fileActionItemIssue(
    ctx.octokit,
    ctx.repo,
    text,
    {
      number: ctx.incident.number,
      title: ctx.incident.title,
      ...(state.response.postmortem?.url ? { postmortemUrl: state.response.postmortem.url } : {}),
    },
    known,
  );
  const entry = withEntry(
    state,
    { kind: TIMELINE_KINDS.actionItem, text: `Action item #${filed.number}: ${text}` },
    ctx,
  );
  // The same item twice (another comment) keeps one entry, linked to the one issue.
  const key = actionItemKey(text);
  const item = { text, at: ctx.now.toISOString(), issue: filed.number };
  const actionItems = entry.response.actionItems.some((i) => actionItemKey(i.text) === key)
    ? entry.response.actionItems.map((i) =>
        actionItemKey(i.text) === key ? { ...i, issue: filed.number } : i,
      )
    : [...entry.response.actionItems, item];
  return {
    outcome: "done",
    state: { ...entry, response: { ...entry.response, actionItems } },
    reply: filed.created ? `📌 Filed #${filed.number}.` : `📌 Already filed as #${filed.number}.`,
  };
}
