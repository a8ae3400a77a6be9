// issue_comment.created → slash commands. Filters first (bots, non-incidents, comments without
// commands), reacts 👀, checks permission once, then under the incident's lock re-reads the issue,
// runs the commands in order (each once: its key goes into response.handled), writes the issue once,
// replies once and reacts 🚀 or 😕.
import type { Context } from "probot";
import type { Command, ParsedCommand } from "../../core/incident/commands.js";
import { HELP_TEXT, commandKey, parseCommands, requiredPermission } from "../../core/incident/commands.js";
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { parseRecord } from "../../core/incident/incident-record.js";
import { code, escapeMarkdown } from "../../core/text/markdown.js";
import { incidentLabels, incidentTitle, renderIncidentBody } from "../../core/incident/render-incident.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../core/config/repo-config.js";
import { isHandled, markHandled } from "../../core/incident/response-state.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { mergeLabels, sameLabels } from "../../github/incidents/index.js";
import type { AccessLevel } from "../../github/permissions.js";
import { canWrite, getAccessLevel } from "../../github/permissions.js";
import { reactToComment } from "../../github/reactions.js";
import type { AppEvents, CommandOutcome } from "../events.js";
import type { KeyLock } from "../lock.js";
import type { NarrativeSettings } from "../../narrative/llm.js";
import type { IncidentStores } from "../identity.js";
import type { RepoConfigs } from "../repo-configs.js";
import { readResponseState } from "../../core/incident/response-state.js";
import type { Cooldowns } from "./cooldown.js";
import { actionItem } from "./action-item.js";
import { assign } from "./assign.js";
import { ack, note, resolve, severity } from "./incident-state.js";
import { joinState, readIncident } from "./incident-io.js";
import { isBot, refusal } from "./permission.js";
import { postmortem } from "./postmortem.js";
import { redeploy } from "./redeploy.js";
import { rollback } from "./rollback.js";
import { split } from "./split.js";
import { suspects } from "./suspects.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { errorMessage } from "../../core/errors.js";

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

export interface CommandReport {
  name: string;
  line: number;
  outcome: CommandOutcome;
}

/** Runs one parsed, permitted command. */
async function run(ctx: CommandContext, state: IncidentState, command: Command): Promise<CommandResult> {
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

function invalidReply(parsed: Extract<ParsedCommand, { ok: false }>): string {
  return `⚠️ ${code(parsed.raw, 80)}: ${parsed.error} Comment \`/help\` for the list of commands.`;
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

export async function onIssueComment(
  context: Context<"issue_comment.created">,
  deps: CommandDeps,
): Promise<CommandReport[]> {
  const { comment, issue, repository } = context.payload;
  const user = comment.user;
  // A comment posted through a GitHub App (this one's replies included) is never a command: the
  // App may be echoing text someone else gave it.
  const viaApp = (comment as { performed_via_github_app?: unknown }).performed_via_github_app;
  if (!user || viaApp || isBot({ login: user.login, type: user.type })) return [];
  const parsed = parseCommands(comment.body ?? "");
  if (parsed.length === 0) return [];
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const actor = user.login;
  const reports: CommandReport[] = [];
  const report = (p: ParsedCommand, outcome: CommandOutcome) => {
    const name = p.ok ? p.command.name : p.name;
    reports.push({ name, line: p.line, outcome });
    deps.events.emit("command", { name, outcome });
  };
  // Reactions are courtesy: failing to add one (a deleted comment, a hiccup) must not stop a rollback.
  const react = (content: "eyes" | "rocket" | "confused") =>
    reactToComment(context.octokit, { ...repo, commentId: comment.id }, content).catch((err: unknown) =>
      context.log.warn({ err, content }, "could not react to the comment"),
    );
  const store = deps.incidents(context.octokit, repo);
  const reply = (body: string) => store.comment(issue.number, body);

  // An incident is an issue (not a PR) with a valid block, opened by a bot or a writer: a block
  // copied into someone else's issue does not make it one.
  const block = issue.pull_request ? null : parseRecord(issue.body);
  const seen = block && (await store.trusts(issue.user)) ? block : null;
  if (!seen) {
    // Not an incident: only /help answers, and only to someone with write access (anyone else could
    // make the app comment on any issue); anything else is someone else's slash command.
    const help = parsed.filter((p) => p.ok && p.command.name === "help");
    const answer = help.length > 0 && canWrite(await getAccessLevel(context.octokit, repo, actor));
    for (const p of parsed) report(p, answer && help.includes(p) ? "done" : "ignored");
    if (answer) {
      await react("eyes");
      await reply(HELP_TEXT);
      await react("rocket");
    }
    return reports;
  }

  await react("eyes");
  const needsAccess = parsed.some((p) => p.ok && requiredPermission(p.command) !== "none");
  const level: AccessLevel = needsAccess ? await getAccessLevel(context.octokit, repo, actor) : "none";
  const replies: string[] = [];
  const say = (p: ParsedCommand, text: string | undefined) => {
    if (text) replies.push(parsed.length > 1 ? `**${code(p.raw, 60)}**\n\n${text}` : text);
  };
  // The same command twice in one comment runs once (20 `/suspects` lines cost 20 rankings).
  const seenCommands = new Set<string>();
  const repeated = new Set(
    parsed.filter((p) => {
      // The command's name is case-insensitive, its text (a /note) is not.
      const key = p.raw.replace(/\s+/g, " ").replace(/^\/\S+/, (name) => name.toLowerCase());
      if (seenCommands.has(key)) return true;
      seenCommands.add(key);
      return false;
    }),
  );
  const writer = canWrite(level);
  /** Answers what needs no incident state (repeated, malformed, /help, refused); false for the rest. */
  const answered = (p: ParsedCommand): boolean => {
    if (repeated.has(p)) {
      report(p, "duplicate");
      return true;
    }
    if (!p.ok) {
      say(p, invalidReply(p));
      report(p, "invalid");
      return true;
    }
    if (p.command.name === "help") {
      say(p, HELP_TEXT);
      report(p, "done");
      return true;
    }
    const refused = refusal(p.command, level, actor);
    if (refused) {
      say(p, `🚫 ${refused}`);
      report(p, "refused");
      return true;
    }
    // A reader's ranking costs GitHub requests and changes nothing: one per reader per cooldown.
    const wait = !writer && p.command.name === "suspects" ? deps.cooldowns.take(repo, actor) : 0;
    if (wait === 0) return false;
    say(p, `🕒 ${code(p.raw, 60)} ran for you less than a minute ago; comment it again in ${wait} s.`);
    report(p, "refused");
    return true;
  };
  const finish = async () => {
    if (replies.length > 0) await reply(replies.join("\n\n---\n\n"));
    const ok = reports.every((r) => r.outcome === "done" || r.outcome === "duplicate");
    await react(ok ? "rocket" : "confused");
  };

  const runnable = parsed.some((p) => p.ok && p.command.name !== "help" && !refusal(p.command, level, actor));
  if (!runnable) {
    // Nothing to change: no config, no lock, no read of the issue.
    for (const p of parsed) answered(p);
    await finish();
    return reports;
  }
  const config = await loadConfig(context, repo, deps);
  let written: { before: IncidentRecord; after: IncidentRecord; number: number; url: string } | null = null;
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

  /** Runs the commands in order on `initial`; what they changed, when the actor may change it. */
  const runEach = async (ctx: CommandContext, initial: IncidentState) => {
    let state = initial;
    let changed = false;
    let close = false;
    for (const p of parsed) {
      if (answered(p) || !p.ok) continue;
      const key = commandKey(comment.id, p.line);
      if (isHandled(state.response, key)) {
        report(p, "duplicate");
        continue;
      }
      let result: CommandResult;
      try {
        result = await run({ ...ctx, commandKey: key }, state, p.command);
      } catch (err) {
        // Not recorded as handled: a redelivery (or the same command again) may succeed.
        context.log.warn({ err, command: p.command.name }, "a slash command failed");
        say(p, `❌ ${code(p.raw, 80)} failed: ${escapeMarkdown(errorMessage(err), 300)}`);
        report(p, "failed");
        continue;
      }
      // Only write access changes the incident: a reader's /suspects answers with the ranking but
      // leaves the table (which a bare /rollback reverts the top of) and the timeline as they are.
      if (result.state && writer) {
        state = result.state;
        changed = true;
      }
      if (writer && (result.final ?? result.outcome === "done")) {
        state = { ...state, response: markHandled(state.response, key) };
        changed = true;
      }
      close ||= result.close === true;
      say(p, result.reply);
      report(p, result.outcome);
    }
    return { state, changed, close };
  };

  if (!writer) {
    // Nothing a reader runs changes the incident: no lock (a slow ranking must not hold the group's
    // deliveries), no re-read; the payload's record is what they asked about.
    const { response, ...plain } = seen;
    const incident = { number: issue.number, url: issue.html_url, title: issue.title };
    await runEach(contextFor(incident), { record: plain, response: readResponseState({ response }) });
    await finish();
    return reports;
  }

  const runAll = deps.lock.withLock(store.lockKey(seen.groupKey), async () => {
    // Re-read inside the lock: the payload's body may be older than a write that just finished.
    const fresh = await readIncident(store, issue.number);
    if (!fresh) {
      for (const p of parsed) report(p, "ignored");
      return;
    }
    const record = fresh.record;
    const incident = { number: fresh.number, url: fresh.url, title: fresh.title };
    const { state, changed, close } = await runEach(contextFor(incident), fresh.current);
    if (!changed) return;
    const after = joinState(state);
    const labels = fresh.labels;
    const wanted = mergeLabels(labels, incidentLabels(after, config.labels), config.labels.resolved);
    const title = incidentTitle(after);
    await store.write(fresh.number, {
      body: renderIncidentBody(after),
      ...(title !== fresh.title ? { title } : {}),
      ...(sameLabels(labels, wanted) ? {} : { labels: wanted }),
      ...(close && fresh.state !== "closed" ? { state: "closed" as const } : {}),
    });
    written = { before: record, after, number: fresh.number, url: fresh.url };
  });
  try {
    await runAll;
  } catch (err) {
    // GitHub failed reading or writing the issue: say so with the reaction, and let Probot log it.
    await react("confused");
    throw err;
  }

  if (written) emitIncidentEvents(deps.events, repo, config, written);
  await finish();
  return reports;
}

/** incident.severity and incident.resolved, after the write, when the commands changed them. */
function emitIncidentEvents(
  events: AppEvents,
  repo: RepoRef,
  config: RepoConfig,
  w: { before: IncidentRecord; after: IncidentRecord; number: number; url: string },
): void {
  const event = { repo, number: w.number, url: w.url, record: w.after, config };
  if (w.after.severity !== w.before.severity)
    events.emit("incident.severity", { ...event, previous: w.before.severity });
  if (w.after.response?.resolvedAt && !w.before.response?.resolvedAt) events.emit("incident.resolved", event);
}
