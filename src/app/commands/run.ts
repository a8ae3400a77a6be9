// The run stage of a comment's commands: each command in order on the incident state, each once (its
// key goes into response.handled), a reader's on the payload's record without the lock, a writer's
// under the incident's lock on a fresh read, with the issue written once at the end.
import type { Context } from "probot";
import type { Command, ParsedCommand } from "../../core/incident/commands.js";
import { HELP_TEXT, commandKey } from "../../core/incident/commands.js";
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import { isHandled, markHandled, readResponseState } from "../../core/incident/response-state.js";
import { escapeMarkdown, code } from "../../core/text/markdown.js";
import { errorMessage } from "../../core/errors.js";
import type { IncidentStore } from "../../github/incidents/index.js";
import { withIncidentLock, type KeyLock } from "../lock.js";
import { incidentWrite } from "../pipeline/write.js";
import { actionItem } from "./action-item.js";
import { assign } from "./assign.js";
import type { Authorization } from "./authorize.js";
import { ack, note, resolve, severity } from "./incident-state.js";
import { joinState, readIncident } from "./incident-io.js";
import { postmortem } from "./postmortem.js";
import { redeploy } from "./redeploy.js";
import type { CommentReply } from "./reply.js";
import { rollback } from "./rollback.js";
import { split } from "./split.js";
import { suspects } from "./suspects.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";

/** What a writer's commands changed, once the issue is written. */
export interface WrittenIncident {
  before: IncidentRecord;
  after: IncidentRecord;
  number: number;
  url: string;
}

/** Runs one parsed, permitted command. */
export async function runCommand(
  ctx: CommandContext,
  state: IncidentState,
  command: Command,
): Promise<CommandResult> {
  switch (command.name) {
    case "ack":
      return ack(ctx, state);
    case "severity":
      return severity(ctx, state, command.severity);
    case "note":
      return note(ctx, state, command.text);
    case "resolve":
      return resolve(ctx, state, command.summary);
    case "assign":
      return assign(ctx, state, command.logins);
    case "rollback":
      return rollback(ctx, state, command.pr);
    case "redeploy":
      return redeploy(ctx, state, command.target);
    case "suspects":
      return suspects(ctx, state);
    case "postmortem":
      return postmortem(ctx, state);
    case "action-item":
      return actionItem(ctx, state, command.text);
    case "split":
      return split(ctx, state, command.group);
    case "help":
      return { outcome: "done", reply: HELP_TEXT };
  }
}

export interface CommandRun {
  context: Context<"issue_comment.created">;
  parsed: readonly ParsedCommand[];
  auth: Authorization;
  out: CommentReply;
  /** The command context, given the incident it runs on. */
  contextFor: (incident: CommandContext["incident"]) => CommandContext;
}

/** Runs the commands in order on `initial`; what they changed, when the actor may change it. */
async function runEach(run: CommandRun, ctx: CommandContext, initial: IncidentState) {
  const { context, parsed, auth, out } = run;
  let state = initial;
  let changed = false;
  let close = false;
  for (const p of parsed) {
    if (auth.answered(p) || !p.ok) continue;
    const key = commandKey(context.payload.comment.id, p.line);
    if (isHandled(state.response, key)) {
      out.report(p, "duplicate");
      continue;
    }
    let result: CommandResult;
    try {
      result = await runCommand({ ...ctx, commandKey: key }, state, p.command);
    } catch (err) {
      // Not recorded as handled: a redelivery (or the same command again) may succeed.
      context.log.warn({ err, command: p.command.name }, "a slash command failed");
      out.say(p, `❌ ${code(p.raw, 80)} failed: ${escapeMarkdown(errorMessage(err), 300)}`);
      out.report(p, "failed");
      continue;
    }
    // Only write access changes the incident: a reader's /suspects answers with the ranking but
    // leaves the table (which a bare /rollback reverts the top of) and the timeline as they are.
    if (result.state && auth.writer) {
      state = result.state;
      changed = true;
    }
    if (auth.writer && (result.final ?? result.outcome === "done")) {
      state = { ...state, response: markHandled(state.response, key) };
      changed = true;
    }
    close ||= result.close === true;
    out.say(p, result.reply);
    out.report(p, result.outcome);
  }
  return { state, changed, close };
}

/**
 * A reader's commands: nothing they run changes the incident, so no lock (a slow ranking must not
 * hold the group's deliveries) and no re-read; the payload's record is what they asked about.
 */
export async function runAsReader(run: CommandRun, seen: IncidentRecord): Promise<void> {
  const { issue } = run.context.payload;
  const { response, ...plain } = seen;
  const incident = { number: issue.number, url: issue.html_url, title: issue.title };
  await runEach(run, run.contextFor(incident), { record: plain, response: readResponseState({ response }) });
}

/** A writer's commands, under the incident's lock on a fresh read; what was written, if anything. */
export async function runUnderLock(
  run: CommandRun,
  deps: { lock: KeyLock; store: IncidentStore; config: RepoConfig; groupKey: string },
): Promise<WrittenIncident | null> {
  const { store, config } = deps;
  const number = run.context.payload.issue.number;
  return withIncidentLock(deps.lock, store.lockKey(deps.groupKey), async () => {
    // Re-read inside the lock: the payload's body may be older than a write that just finished.
    const fresh = await readIncident(store, number);
    if (!fresh) {
      for (const p of run.parsed) run.out.report(p, "ignored");
      return null;
    }
    const incident = { number: fresh.number, url: fresh.url, title: fresh.title };
    const { state, changed, close } = await runEach(run, run.contextFor(incident), fresh.current);
    if (!changed) return null;
    const after = joinState(state);
    await store.write(
      fresh.number,
      incidentWrite(fresh, after, config.labels, { retitleFrom: fresh.title, close }),
    );
    return { before: fresh.record, after, number: fresh.number, url: fresh.url };
  });
}
