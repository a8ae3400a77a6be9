// /postmortem: renders the blameless post-mortem from the record and opens (or finds) the PR that
// adds it; the incident links it. With an LLM endpoint configured, the summary and contributing
// factors are drafted by it and marked for review; without one, or when it fails, the data alone.
import type { PostmortemNarrative } from "../../core/incident/postmortem.js";
import { renderPostmortem } from "../../core/incident/postmortem.js";
import { TIMELINE_KINDS, computeResponseMetrics } from "../../core/incident/response-metrics.js";
import { openPostmortemPr } from "../../github/postmortem-pr.js";
import { draftNarrative } from "../../narrative/llm.js";
import { joinState } from "./incident-io.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/**
 * Requests: 1 when the PR is already open, else 7 (see openPostmortemPr); plus 1 to the LLM endpoint
 * when one is configured and the incident has no post-mortem PR yet.
 */
export async function postmortem(ctx: CommandContext, state: IncidentState): Promise<CommandResult> {
  const narrative = await narrativeFor(ctx, state);
  const rendered = renderPostmortem({
    record: state.record,
    response: state.response,
    repo: ctx.repo,
    incidentNumber: ctx.incident.number,
    now: ctx.now,
    folder: ctx.config.postmortems.folder,
    ...(narrative ? { narrative } : {}),
  });
  const pr = await openPostmortemPr(ctx.octokit, ctx.repo, {
    incidentNumber: ctx.incident.number,
    path: rendered.path,
    title: rendered.title,
    markdown: rendered.markdown,
    body: [
      `The blameless post-mortem draft of incident #${ctx.incident.number}.`,
      "",
      "Review it, fill in what the data cannot know, and list follow-ups as `- [ ]` items under **Action items**: when this PR is merged, aftershock files an issue for each open item.",
    ].join("\n"),
  });
  const path = state.response.postmortem?.path ?? rendered.path;
  const reply =
    pr.kind === "opened"
      ? `📝 Post-mortem draft: #${pr.number} (\`${path}\`).`
      : `📝 The post-mortem draft is already open: #${pr.number}.`;
  if (state.response.postmortem?.pr === pr.number) return { outcome: "done", reply };
  const entry = withEntry(
    state,
    { kind: TIMELINE_KINDS.postmortem, text: `Post-mortem draft opened in #${pr.number}` },
    ctx,
  );
  const next = {
    ...entry,
    response: { ...entry.response, postmortem: { path, pr: pr.number, url: pr.url } },
  };
  return { outcome: "done", state: next, reply };
}

/**
 * The drafted narrative, or undefined: no endpoint configured, a post-mortem PR already recorded (its
 * file is never rewritten, so a draft would be wasted), or the endpoint failed (draftNarrative warns).
 */
async function narrativeFor(
  ctx: CommandContext,
  state: IncidentState,
): Promise<PostmortemNarrative | undefined> {
  if (!ctx.narrative || state.response.postmortem?.pr !== undefined) return undefined;
  const record = joinState(state);
  const drafted = await draftNarrative(
    { record, metrics: computeResponseMetrics(record, state.response) },
    ctx.narrative,
    fetch,
    ctx.warn ?? (() => {}),
  );
  return drafted ?? undefined;
}
