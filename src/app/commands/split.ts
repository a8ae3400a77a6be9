// /split N: related alert group N was grouped wrongly (another cause): it gets its own incident,
// opened with its alerts and the same suspects, and this incident goes on without it. Runs under
// this incident's lock like every changing command; the new issue is opened first, so a delivery of
// the group never finds it in neither incident, and a retried /split reuses it instead of opening
// a second one.
import { escapeMarkdown } from "../../core/text/markdown.js";
import { groupName, splitOutRecord, withoutGroup } from "../../core/incident/related-groups.js";
import { createIncident } from "../pipeline/write.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";

export async function split(
  ctx: CommandContext,
  state: IncidentState,
  index: number,
): Promise<CommandResult> {
  const at = ctx.now.toISOString();
  const out = splitOutRecord(state.record, index, ctx.incident, at, ctx.actor);
  if (!out) {
    const count = state.record.related?.length ?? 0;
    return {
      outcome: "failed",
      final: true,
      reply:
        count === 0
          ? "This incident has no related alert groups to split out."
          : `There is no related alert group ${index}: the "Related alerts" table numbers them 1 to ${count}.`,
    };
  }
  if (!ctx.incidents) throw new Error("no incident store to open the split-out incident with");
  const label = ctx.config.labels.incident;
  const existing = await ctx.incidents.find(label, out.group.groupKey);
  let moved: { number: number; url: string };
  if (existing) moved = existing;
  else {
    const created = await createIncident(ctx.incidents, out.record, ctx.config);
    if (created.outcome === "ignored") throw new Error(created.reason);
    moved = created;
    ctx.events.emit("incident.opened", {
      repo: ctx.repo,
      number: created.number,
      url: created.url,
      record: out.record,
      config: ctx.config,
      source: out.record.source,
      // Listeners (auto-rollback, the author note) reuse it instead of logging in again.
      octokit: ctx.octokit,
    });
  }
  const record = withoutGroup(state.record, out.group.groupKey, moved, at, ctx.actor);
  // The groups left may all have resolved: the incident then resolves as their last delivery would.
  const resolvedNow = state.record.status === "firing" && record.status === "resolved";
  return {
    outcome: "done",
    state: { ...state, record },
    reply: `Moved alert group ${escapeMarkdown(groupName(out.group), 200)} into #${moved.number}.`,
    ...(resolvedNow && ctx.config.closeOnResolve ? { close: true } : {}),
  };
}
