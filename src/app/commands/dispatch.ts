// issue_comment.created → slash commands, in four stages: filter (bots, comments without commands,
// non-incidents, where only /help answers), authorize (./authorize.ts: the access level once, and
// what needs no incident state), run (./run.ts: a writer's commands under the incident's lock on a
// fresh read, each once, the issue written once) and reply (./reply.ts: one comment, 🚀 or 😕).
import type { Context } from "probot";
import type { ParsedCommand } from "../../core/incident/commands.js";
import { HELP_TEXT, parseCommands } from "../../core/incident/commands.js";
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { parseRecord } from "../../core/incident/incident-record.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../core/config/repo-config.js";
import type { IncidentStore, RepoRef } from "../../github/incidents/index.js";
import { canWrite, getAccessLevel } from "../../github/permissions.js";
import type { AppEvents } from "../events.js";
import { IncidentBusyError, type KeyLock } from "../lock.js";
import type { NarrativeSettings } from "../../narrative/llm.js";
import type { IncidentStores } from "../identity.js";
import type { RepoConfigs } from "../repo-configs.js";
import { authorize } from "./authorize.js";
import type { Cooldowns } from "./cooldown.js";
import { code } from "../../core/text/markdown.js";
import { isBot } from "./permission.js";
import { commentReply, type CommandReport, type CommentReply } from "./reply.js";
import { runAsReader, runUnderLock, type CommandRun, type WrittenIncident } from "./run.js";
import type { CommandContext } from "./types.js";

export type { CommandReport } from "./reply.js";

export interface CommandDeps {
  lock: KeyLock;
  /** A repository's `.github/aftershock.yml`, cached (see createApp). */
  repoConfigs: RepoConfigs;
  /** Per-user cooldown of the costly read-only commands. */
  cooldowns: Cooldowns;
  /** The repository's incident issues, trusting only the app's own. */
  incidents: IncidentStores;
  now: () => Date;
  events: AppEvents;
  /** The post-mortem narrative's LLM endpoint (from LLM_* in the environment); null: none. */
  narrative?: NarrativeSettings | null;
}

export async function onIssueComment(
  context: Context<"issue_comment.created">,
  deps: CommandDeps,
): Promise<CommandReport[]> {
  // Filter.
  const parsed = commandsOf(context.payload);
  if (!parsed) return [];
  const { issue, repository } = context.payload;
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const actor = context.payload.comment.user!.login;
  const store = deps.incidents(context.octokit, repo);
  const out = commentReply(context, { events: deps.events, store, repo, parsed });
  const seen = await incidentOf(issue, store);
  if (!seen) {
    await answerOutsideIncident(context, { repo, actor, parsed }, out);
    return out.reports;
  }

  // Authorize.
  await out.react("eyes");
  const auth = await authorize(context.octokit, { repo, actor, parsed }, out, deps.cooldowns);
  if (!auth.runnable) {
    // Nothing to change: no config, no lock, no read of the issue.
    for (const p of parsed) auth.answered(p);
    await out.finish();
    return out.reports;
  }

  // Run (under the incident's lock for a writer).
  const config = await loadConfig(context, repo, deps);
  const contextFor = (incident: CommandContext["incident"]): CommandContext => ({
    octokit: context.octokit,
    repo,
    incident,
    config,
    actor,
    now: deps.now(),
    events: deps.events,
    narrative: deps.narrative ?? null,
    warn: (message) => context.log.warn(message),
    incidents: store,
  });
  const run: CommandRun = { context, parsed, auth, out, contextFor };
  if (!auth.writer) {
    await runAsReader(run, seen);
    await out.finish();
    return out.reports;
  }
  let written: WrittenIncident | null;
  try {
    written = await runUnderLock(run, { lock: deps.lock, store, config, groupKey: seen.groupKey });
  } catch (err) {
    if (err instanceof IncidentBusyError) {
      // Nothing ran and GitHub does not resend the comment: tell its author to post it again.
      context.log.warn({ err, waiting: err.waiting }, "slash commands not run: the incident is busy");
      for (const p of parsed) {
        if (auth.answered(p) || !p.ok) continue;
        const busy = `the incident is busy (${err.waiting} updates were waiting for it)`;
        out.say(p, `⏳ ${code(p.raw, 80)} was not run: ${busy}; post the command again in a minute.`);
        out.report(p, "failed");
      }
      await out.finish();
      return out.reports;
    }
    // GitHub failed reading or writing the issue: say so with the reaction, and let Probot log it.
    await out.react("confused");
    throw err;
  }

  // Reply.
  if (written) emitIncidentEvents(deps.events, repo, config, written);
  await out.finish();
  return out.reports;
}

/** The comment's commands, or null when it has none or is not a person's. */
function commandsOf(payload: Context<"issue_comment.created">["payload"]): ParsedCommand[] | null {
  const { comment } = payload;
  const user = comment.user;
  // A comment posted through a GitHub App (this one's replies included) is never a command: the
  // App may be echoing text someone else gave it.
  const viaApp = (comment as { performed_via_github_app?: unknown }).performed_via_github_app;
  if (!user || viaApp || isBot({ login: user.login, type: user.type })) return null;
  const parsed = parseCommands(comment.body ?? "");
  return parsed.length === 0 ? null : parsed;
}

/**
 * The issue's incident record, or null: an incident is an issue (not a PR) with a valid block, opened
 * by a bot or a writer; a block copied into someone else's issue does not make it one.
 */
async function incidentOf(
  issue: Context<"issue_comment.created">["payload"]["issue"],
  store: IncidentStore,
): Promise<IncidentRecord | null> {
  const block = issue.pull_request ? null : parseRecord(issue.body);
  return block && (await store.trusts(issue.user)) ? block : null;
}

/**
 * Not an incident: only /help answers, and only to someone with write access (anyone else could
 * make the app comment on any issue); anything else is someone else's slash command.
 */
async function answerOutsideIncident(
  context: Context<"issue_comment.created">,
  who: { repo: RepoRef; actor: string; parsed: readonly ParsedCommand[] },
  out: CommentReply,
): Promise<void> {
  const help = who.parsed.filter((p) => p.ok && p.command.name === "help");
  const answer = help.length > 0 && canWrite(await getAccessLevel(context.octokit, who.repo, who.actor));
  for (const p of who.parsed) out.report(p, answer && help.includes(p) ? "done" : "ignored");
  if (answer) {
    await out.react("eyes");
    await out.post(HELP_TEXT);
    await out.react("rocket");
  }
}

async function loadConfig(
  context: Context<"issue_comment.created">,
  repo: RepoRef,
  deps: Pick<CommandDeps, "repoConfigs">,
): Promise<RepoConfig> {
  try {
    return (await deps.repoConfigs(context.octokit, repo)).config;
  } catch (err) {
    // A config GitHub cannot serve now must not block a rollback: the defaults are safe.
    context.log.warn({ err }, ".github/aftershock.yml could not be read; commands use the defaults");
    return DEFAULT_REPO_CONFIG;
  }
}

/** incident.severity and incident.resolved, after the write, when the commands changed them. */
function emitIncidentEvents(events: AppEvents, repo: RepoRef, config: RepoConfig, w: WrittenIncident): void {
  const event = { repo, number: w.number, url: w.url, record: w.after, config };
  if (w.after.severity !== w.before.severity)
    events.emit("incident.severity", { ...event, previous: w.before.severity });
  if (w.after.response?.resolvedAt && !w.before.response?.resolvedAt) events.emit("incident.resolved", event);
}
