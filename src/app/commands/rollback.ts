// /rollback [#PR]: a revert PR for the top suspect, or for the PR named, through openRevertPr (safe
// to repeat: a second attempt finds the first PR). Also used by the automatic rollback on open.
import type { SuspectEntry } from "../../core/incident/incident-record.js";
import { escapeMarkdown } from "../../core/text/markdown.js";
import { TIMELINE_KINDS } from "../../core/incident/response-metrics.js";
import { openRevertPr } from "../../github/revert.js";
import type { RollbackOutcome } from "../events.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

/** The revert PR's "why": the suspect's score and reasons, escaped (reasons hold file paths). */
export function rollbackReason(pr: number, suspect: SuspectEntry | undefined, how: string): string {
  if (!suspect)
    return `Requested with ${how}. #${pr} is not among the suspects aftershock ranked for this incident.`;
  return [
    `Requested with ${how}. #${pr} is a suspect with score **${suspect.score.toFixed(2)}** because:`,
    "",
    ...suspect.reasons.map((r) => `- ${escapeMarkdown(r, 300)}`),
  ].join("\n");
}

/**
 * Requests: those of openRevertPr (1 when a revert PR is already open; about 6 with GitHub's
 * revert mutation; more with the Git Data fallback). Emits `rollback` with the outcome.
 */
export async function rollback(
  ctx: CommandContext,
  state: IncidentState,
  requested: number | undefined,
  how = requested === undefined ? "`/rollback`" : `\`/rollback #${requested}\``,
): Promise<CommandResult> {
  const emit = (outcome: RollbackOutcome) => ctx.events.emit("rollback", { outcome });
  const pr = requested ?? state.record.suspects[0]?.number;
  if (pr === undefined) {
    return {
      outcome: "failed",
      final: true,
      reply:
        "There is no suspect to roll back: no merged PR was ranked for this incident. Name one: `/rollback #42`.",
    };
  }
  const suspect = state.record.suspects.find((s) => s.number === pr);
  let outcome;
  try {
    outcome = await openRevertPr(ctx.octokit, {
      ...ctx.repo,
      pullNumber: pr,
      incidentNumber: ctx.incident.number,
      reason: rollbackReason(pr, suspect, how),
      draft: ctx.config.rollback.draft,
    });
  } catch (err) {
    emit("failed");
    throw err;
  }
  emit(outcome.kind);
  switch (outcome.kind) {
    case "opened":
    case "existing": {
      const known = state.response.rollbacks.some((r) => r.revertPr === outcome.number);
      const draft = outcome.kind === "opened" && ctx.config.rollback.draft ? "draft " : "";
      const reply =
        outcome.kind === "opened"
          ? `↩️ Opened ${draft}revert PR #${outcome.number} for #${pr}. Merge it to roll back.`
          : `↩️ A revert PR for #${pr} is already open: #${outcome.number}.`;
      if (known) return { outcome: "done", reply };
      const entry = withEntry(
        state,
        { kind: TIMELINE_KINDS.rollbackOpened, text: `Revert PR #${outcome.number} for #${pr} is open` },
        ctx,
      );
      const rollbacks = [
        ...entry.response.rollbacks,
        {
          pr,
          revertPr: outcome.number,
          url: outcome.url,
          state: "opened" as const,
          at: ctx.now.toISOString(),
        },
      ];
      return { outcome: "done", state: { ...entry, response: { ...entry.response, rollbacks } }, reply };
    }
    case "conflict": {
      const next = withEntry(
        state,
        {
          kind: "rollback.conflict",
          text: `Reverting #${pr} conflicts in ${outcome.files.length} file(s); revert by hand`,
        },
        ctx,
      );
      return { outcome: "failed", final: true, state: next, reply: outcome.instructions };
    }
    case "not-merged":
      return { outcome: "failed", final: true, reply: outcome.message };
  }
}
