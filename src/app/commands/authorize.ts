// The authorize stage of a comment's commands: the commenter's access level (asked once, only when a
// command needs it), and the answers that need no incident state: a command repeated in the comment,
// a malformed one, /help, one the commenter may not run, and a reader's /suspects within its cooldown.
import type { ProbotOctokit } from "probot";
import type { ParsedCommand } from "../../core/incident/commands.js";
import { HELP_TEXT, requiredPermission } from "../../core/incident/commands.js";
import { code } from "../../core/text/markdown.js";
import type { RepoRef } from "../../github/incidents/index.js";
import type { AccessLevel } from "../../github/permissions.js";
import { canWrite, getAccessLevel } from "../../github/permissions.js";
import type { Cooldowns } from "./cooldown.js";
import { refusal } from "./permission.js";
import type { CommentReply } from "./reply.js";

export interface Authorization {
  level: AccessLevel;
  /** Write access: only a writer's commands change the incident. */
  writer: boolean;
  /** Some command needs the incident (not /help, not refused): the config and the issue are read. */
  runnable: boolean;
  /** Answers `p` when it needs no incident state (reporting it); false for a command to run. */
  answered(p: ParsedCommand): boolean;
}

export async function authorize(
  octokit: ProbotOctokit,
  who: { repo: RepoRef; actor: string; parsed: readonly ParsedCommand[] },
  out: CommentReply,
  cooldowns: Cooldowns,
): Promise<Authorization> {
  const { repo, actor, parsed } = who;
  const needsAccess = parsed.some((p) => p.ok && requiredPermission(p.command) !== "none");
  const level: AccessLevel = needsAccess ? await getAccessLevel(octokit, repo, actor) : "none";
  const repeated = repeatedIn(parsed);
  const writer = canWrite(level);
  const answered = (p: ParsedCommand): boolean => {
    if (repeated.has(p)) {
      out.report(p, "duplicate");
      return true;
    }
    if (!p.ok) {
      out.say(p, invalidReply(p));
      out.report(p, "invalid");
      return true;
    }
    if (p.command.name === "help") {
      out.say(p, HELP_TEXT);
      out.report(p, "done");
      return true;
    }
    const refused = refusal(p.command, level, actor);
    if (refused) {
      out.say(p, `🚫 ${refused}`);
      out.report(p, "refused");
      return true;
    }
    // A reader's ranking costs GitHub requests and changes nothing: one per reader per cooldown.
    const wait = !writer && p.command.name === "suspects" ? cooldowns.take(repo, actor) : 0;
    if (wait === 0) return false;
    out.say(p, `🕒 ${code(p.raw, 60)} ran for you less than a minute ago; comment it again in ${wait} s.`);
    out.report(p, "refused");
    return true;
  };
  const runnable = parsed.some((p) => p.ok && p.command.name !== "help" && !refusal(p.command, level, actor));
  return { level, writer, runnable, answered };
}

/** The same command twice in one comment runs once (20 `/suspects` lines cost 20 rankings). */
function repeatedIn(parsed: readonly ParsedCommand[]): Set<ParsedCommand> {
  const seen = new Set<string>();
  return new Set(
    parsed.filter((p) => {
      // The command's name is case-insensitive, its text (a /note) is not.
      const key = p.raw.replace(/\s+/g, " ").replace(/^\/\S+/, (name) => name.toLowerCase());
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    }),
  );
}

function invalidReply(parsed: Extract<ParsedCommand, { ok: false }>): string {
  return `⚠️ ${code(parsed.raw, 80)}: ${parsed.error} Comment \`/help\` for the list of commands.`;
}
