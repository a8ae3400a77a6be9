// The optional automatic rollback (rollback.auto in .github/aftershock.yml, off by default): when an
// incident opens at or above the configured severity and its top suspect reaches minScore (its
// calibrated confidence when the ranker gives one, else its score), the revert PR is opened as
// /rollback would, and the incident says so.
import type { Probot, ProbotOctokit } from "probot";
import type { AppEventMap } from "../events.js";
import type { CommandDeps } from "./dispatch.js";
import { withIncident, writeIncidentBody } from "./incident-io.js";
import { rollback } from "./rollback.js";
import { installationOctokit } from "../installation.js";
import { SEVERITY_RANK } from "../../core/gate/severity.js";

export const AUTO_ROLLBACK_ACTOR = "aftershock";

type OpenedEvent = AppEventMap["incident.opened"];

/** Why the incident does not qualify, or null when it does. */
export function autoRollbackSkip(event: Pick<OpenedEvent, "record" | "config">): string | null {
  const auto = event.config.rollback.auto;
  if (!auto.enabled) return "automatic rollback is off";
  if (SEVERITY_RANK[event.record.severity] > SEVERITY_RANK[auto.severity])
    return `severity ${event.record.severity} is below ${auto.severity}`;
  const top = event.record.suspects[0];
  if (!top) return "there is no suspect";
  const { value, what } = topLikelihood(top);
  if (value < auto.minScore) return `the top suspect's ${what} is ${value.toFixed(2)} < ${auto.minScore}`;
  return null;
}

/** A calibrated confidence says what minScore means (a chance); the score is the fallback without one. */
export function topLikelihood(top: { score: number; confidence?: number | undefined }): {
  value: number;
  what: "confidence" | "score";
} {
  return top.confidence !== undefined && Number.isFinite(top.confidence)
    ? { value: top.confidence, what: "confidence" }
    : { value: top.score, what: "score" };
}

/** An installation Octokit for the repository: the event's, else through the app's own auth (2 requests). */
export async function octokitFor(app: Probot, event: OpenedEvent): Promise<ProbotOctokit> {
  if (event.octokit) return event.octokit;
  return installationOctokit(app, event.repo);
}

/**
 * Runs on incident.opened. Requests when it qualifies: 0–2 for the octokit, 1 to re-read the issue,
 * those of openRevertPr, 1 to write the body and 1 to comment.
 */
export async function autoRollback(app: Probot, deps: CommandDeps, event: OpenedEvent): Promise<boolean> {
  if (autoRollbackSkip(event)) return false;
  const octokit = await octokitFor(app, event);
  const auto = event.config.rollback.auto;
  const store = deps.incidents(octokit, event.repo);
  const done = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh) => {
      // A responder's /rollback may have come first.
      if (fresh.current.response.rollbacks.length > 0) return false;
      const top = fresh.current.record.suspects[0];
      if (!top) return false;
      const ctx = {
        octokit,
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, title: fresh.title },
        config: event.config,
        actor: AUTO_ROLLBACK_ACTOR,
        now: deps.now(),
        events: deps.events,
      };
      const how = `aftershock's automatic rollback (rollback.auto: severity ${auto.severity} or worse, ${topLikelihood(top).what} at least ${auto.minScore})`;
      const result = await rollback(ctx, fresh.current, top.number, how);
      if (result.state) await writeIncidentBody(store, event.number, result.state);
      if (result.reply) await store.comment(event.number, `🤖 Automatic rollback: ${result.reply}`);
      return result.outcome === "done";
    },
    event,
  );
  return done === true;
}

/** The incident.opened listener (registered in app/index.ts): says why not at debug, else rolls back. */
export async function onIncidentOpenedAutoRollback(
  app: Probot,
  deps: CommandDeps,
  event: OpenedEvent,
): Promise<void> {
  const skip = autoRollbackSkip(event);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no automatic rollback");
    return;
  }
  await autoRollback(app, deps, event);
}
