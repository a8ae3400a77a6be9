// The last stage of a comment's commands: one report per command (also on the event bus), one reply
// comment gathering every command's answer, and the reactions (👀 when work starts, 🚀 when every
// command is done or a duplicate, 😕 otherwise).
import type { Context } from "probot";
import type { ParsedCommand } from "../../core/incident/commands.js";
import { code } from "../../core/text/markdown.js";
import type { IncidentStore, RepoRef } from "../../github/incidents/index.js";
import { reactToComment } from "../../github/reactions.js";
import type { AppEvents, CommandOutcome } from "../events.js";

export interface CommandReport {
  name: string;
  line: number;
  outcome: CommandOutcome;
}

export type Reaction = "eyes" | "rocket" | "confused";

export interface CommentReply {
  /** Every command's outcome so far, in order. */
  readonly reports: CommandReport[];
  report(p: ParsedCommand, outcome: CommandOutcome): void;
  /** Adds a command's answer to the reply (headed by the command when the comment has several). */
  say(p: ParsedCommand, text: string | undefined): void;
  /** A reaction on the comment; a failure is logged, never thrown. */
  react(content: Reaction): Promise<void>;
  /** Comments on the issue now, outside the gathered reply. */
  post(body: string): Promise<void>;
  /** Posts the gathered reply, if any, and reacts 🚀 or 😕. */
  finish(): Promise<void>;
}

export function commentReply(
  context: Context<"issue_comment.created">,
  deps: { events: AppEvents; store: IncidentStore; repo: RepoRef; parsed: readonly ParsedCommand[] },
): CommentReply {
  const { comment, issue } = context.payload;
  const reports: CommandReport[] = [];
  const replies: string[] = [];
  const post = async (body: string) => {
    await deps.store.comment(issue.number, body);
  };
  // Reactions are courtesy: failing to add one (a deleted comment, a hiccup) must not stop a rollback.
  const react = async (content: Reaction) => {
    await reactToComment(context.octokit, { ...deps.repo, commentId: comment.id }, content).catch(
      (err: unknown) => context.log.warn({ err, content }, "could not react to the comment"),
    );
  };
  return {
    reports,
    report(p, outcome) {
      const name = p.ok ? p.command.name : p.name;
      reports.push({ name, line: p.line, outcome });
      deps.events.emit("command", { name, outcome });
    },
    say(p, text) {
      if (text) replies.push(deps.parsed.length > 1 ? `**${code(p.raw, 60)}**\n\n${text}` : text);
    },
    react,
    post,
    async finish() {
      if (replies.length > 0) await post(replies.join("\n\n---\n\n"));
      const ok = reports.every((r) => r.outcome === "done" || r.outcome === "duplicate");
      await react(ok ? "rocket" : "confused");
    },
  };
}
