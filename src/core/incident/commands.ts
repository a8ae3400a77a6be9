// Slash commands in incident issue comments: finds them (outside code, quotes and hidden HTML),
// validates their arguments and says exactly what was wrong and how to write it. Pure: running a
// command (permissions, GitHub calls) is the app's job.
import type { Severity } from "../gate/types.js";

export type CommandName =
  | "ack"
  | "severity"
  | "assign"
  | "note"
  | "rollback"
  | "redeploy"
  | "suspects"
  | "resolve"
  | "postmortem"
  | "action-item"
  | "split"
  | "help";

export type RedeployTarget = { kind: "previous" } | { kind: "sha"; sha: string };

export type Command =
  | { name: "ack" }
  | { name: "severity"; severity: Severity }
  | { name: "assign"; logins: string[] }
  | { name: "note"; text: string }
  /** Without `pr`: revert the top suspect. */
  | { name: "rollback"; pr?: number }
  | { name: "redeploy"; target: RedeployTarget }
  | { name: "suspects" }
  | { name: "resolve"; summary?: string }
  | { name: "postmortem" }
  | { name: "action-item"; text: string }
  /** Move related alert group `group` (1-based, as the related table numbers it) into its own incident. */
  | { name: "split"; group: number }
  | { name: "help" };

export type ParsedCommand =
  | { ok: true; command: Command; line: number; raw: string }
  | { ok: false; name: string; error: string; line: number; raw: string };

export interface CommandSpec {
  name: CommandName;
  usage: string;
  help: string;
}

/** Every command, in the order `/help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = Object.freeze([
  { name: "ack", usage: "/ack", help: "acknowledge the incident: you are on it" },
  { name: "severity", usage: "/severity P1|P2|P3", help: "change the severity" },
  { name: "assign", usage: "/assign @user [@user2 …]", help: "assign responders" },
  { name: "note", usage: "/note <text>", help: "add a note to the timeline" },
  {
    name: "rollback",
    usage: "/rollback [#PR]",
    help: "open a revert PR for the top suspect, or for the PR named",
  },
  {
    name: "redeploy",
    usage: "/redeploy [sha|previous]",
    help: "redeploy the previous good deploy (default) or a commit",
  },
  { name: "suspects", usage: "/suspects", help: "rank the suspect PRs again and post them" },
  { name: "resolve", usage: "/resolve [summary]", help: "mark the incident resolved" },
  { name: "postmortem", usage: "/postmortem", help: "open a PR with the blameless post-mortem draft" },
  { name: "action-item", usage: "/action-item <text>", help: "record a follow-up for the post-mortem" },
  { name: "split", usage: "/split N", help: "move related alert group N into its own incident" },
  { name: "help", usage: "/help", help: "list the commands" },
]);

/** Longest accepted text for /note, /action-item and the /resolve summary (characters). */
export const MAX_TEXT_LENGTH = 1000;
/** Commands read from one comment; more are reported once, not run (a paste should not run 500). */
export const MAX_COMMANDS_PER_COMMENT = 20;
/** GitHub accepts at most 10 assignees on an issue. */
export const MAX_ASSIGNEES = 10;

const SPEC_BY_NAME = new Map<string, CommandSpec>(COMMAND_SPECS.map((s) => [s.name, s]));
// `/word` then whitespace or the end: `/usr/bin`, `/ack!` or `/2024` are prose, not attempts.
const COMMAND_LINE = /^ {0,3}\/([A-Za-z][A-Za-z-]*)(?=\s|$)(.*)$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// GitHub logins: letters, digits and single inner hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const SHA = /^[0-9a-f]{7,40}$/i;

/** The markdown `/help` posts: every command with its usage. */
export const HELP_TEXT: string = [
  "**aftershock commands** (one per line, at the start of the line):",
  "",
  "| Command | What it does |",
  "| --- | --- |",
  ...COMMAND_SPECS.map((s) => `| \`${s.usage.replace(/\|/g, "\\|")}\` | ${s.help} |`),
  "",
  "Commands inside code blocks and quotes are ignored. Changing commands need write access to the repository.",
].join("\n");

/** The lines of `body` that are visible prose: not in a fence, an indented code block, a quote or an HTML comment. */
function proseLines(body: string): Array<{ text: string; line: number }> {
  // Every HTML comment span is blanked first, wherever it opens (`thanks <!--` hides the lines after
  // it as GitHub does); an unclosed one hides the rest. Its line breaks stay, so line numbers hold.
  const visible = body.replace(/<!--[\s\S]*?(?:-->|$)/g, (span) => span.replace(/[^\r\n]/g, ""));
  const lines = visible.split(/\r\n|\r|\n/);
  const out: Array<{ text: string; line: number }> = [];
  let fence: { char: string; length: number } | null = null;
  lines.forEach((text, i) => {
    if (fence) {
      const close = FENCE_OPEN.exec(text);
      // A fence closes with the same character, at least as long, and nothing after it.
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && close[2]!.trim() === "")
        fence = null;
      return;
    }
    const open = FENCE_OPEN.exec(text);
    // A backtick fence's info string may not contain a backtick (then it is inline code).
    if (open && !(open[1]![0] === "`" && open[2]!.includes("`"))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      return;
    }
    const trimmed = text.trimStart();
    // Quotes (someone quoting a command) and indented code (4+ spaces or a tab) never run.
    if (trimmed.startsWith(">") || /^( {4}|\t| {0,3}\t)/.test(text)) return;
    out.push({ text, line: i + 1 });
  });
  return out;
}

/** Every command attempt in a comment body, in order, each validated. Lines are 1-based. */
export function parseCommands(body: string): ParsedCommand[] {
  const results: ParsedCommand[] = [];
  for (const { text, line } of proseLines(body)) {
    const match = COMMAND_LINE.exec(text);
    if (!match) continue;
    const raw = text.trim();
    const name = match[1]!.toLowerCase();
    if (results.length === MAX_COMMANDS_PER_COMMENT) {
      results.push({
        ok: false,
        name,
        line,
        raw,
        error: `Only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment run; post the rest in another comment.`,
      });
      break;
    }
    results.push(parseOne(name, match[2]!.trim(), line, raw));
  }
  return results;
}

function parseOne(name: string, args: string, line: number, raw: string): ParsedCommand {
  const spec = SPEC_BY_NAME.get(name);
  if (!spec) {
    const known = COMMAND_SPECS.map((s) => `/${s.name}`).join(", ");
    return { ok: false, name, line, raw, error: `Unknown command /${name}. Known commands: ${known}.` };
  }
  const result = parseArgs(spec.name, args);
  if ("error" in result) {
    return { ok: false, name, line, raw, error: `${result.error} Usage: \`${spec.usage}\`.` };
  }
  return { ok: true, command: result, line, raw };
}

type ArgResult = Command | { error: string };

function parseArgs(name: CommandName, args: string): ArgResult {
  const words = args === "" ? [] : args.split(/\s+/);
  switch (name) {
    case "ack":
    case "suspects":
    case "postmortem":
    case "help":
      if (words.length > 0)
        return { error: `/${name} takes no arguments (got "${clip(args)}"); use /note for a comment.` };
      return { name };
    case "severity": {
      const level = words[0]?.toUpperCase();
      if (words.length !== 1 || (level !== "P1" && level !== "P2" && level !== "P3"))
        return {
          error: `/severity needs one of P1, P2 or P3${words.length ? ` (got "${clip(args)}")` : ""}.`,
        };
      return { name, severity: level };
    }
    case "assign":
      return parseAssign(args);
    case "note":
    case "action-item": {
      const error = checkText(`/${name}`, args, true);
      return error ? { error } : { name, text: args };
    }
    case "resolve": {
      const error = checkText("/resolve", args, false);
      if (error) return { error };
      return args === "" ? { name } : { name, summary: args };
    }
    case "rollback": {
      if (words.length === 0) return { name };
      const m = /^#?(\d{1,9})$/.exec(words[0]!);
      if (words.length > 1 || !m || Number(m[1]) === 0)
        return { error: `/rollback takes one pull request number like #42 (got "${clip(args)}").` };
      return { name, pr: Number(m[1]) };
    }
    case "split": {
      const m = /^#?(\d{1,3})$/.exec(words[0] ?? "");
      if (words.length !== 1 || !m || Number(m[1]) === 0)
        return {
          error: `/split takes the number of a related alert group, as the "Related alerts" table shows it (got "${clip(args)}").`,
        };
      return { name, group: Number(m[1]) };
    }
    case "redeploy": {
      if (words.length === 0 || (words.length === 1 && words[0]!.toLowerCase() === "previous"))
        return { name, target: { kind: "previous" } };
      if (words.length === 1 && SHA.test(words[0]!))
        return { name, target: { kind: "sha", sha: words[0]!.toLowerCase() } };
      return {
        error: `/redeploy takes "previous" or a commit SHA of 7 to 40 hex characters (got "${clip(args)}").`,
      };
    }
  }
}

function parseAssign(args: string): ArgResult {
  const words = args.split(/[\s,]+/).filter((w) => w !== "");
  if (words.length === 0) return { error: "/assign needs at least one GitHub login." };
  const logins: string[] = [];
  for (const word of words) {
    const login = word.startsWith("@") ? word.slice(1) : word;
    if (login.includes("/"))
      return { error: `"${clip(word)}" is a team; /assign takes user logins (teams cannot be assigned).` };
    if (!LOGIN.test(login))
      return {
        error: `"${clip(word)}" is not a GitHub login (1 to 39 letters, digits or inner hyphens).`,
      };
    if (!logins.some((l) => l.toLowerCase() === login.toLowerCase())) logins.push(login);
  }
  if (logins.length > MAX_ASSIGNEES)
    return { error: `/assign takes at most ${MAX_ASSIGNEES} logins (got ${logins.length}).` };
  return { name: "assign", logins };
}

function checkText(command: string, text: string, required: boolean): string | null {
  if (required && text === "") return `${command} needs text.`;
  const length = Array.from(text).length;
  if (length > MAX_TEXT_LENGTH)
    return `${command} text is ${length} characters; the limit is ${MAX_TEXT_LENGTH}.`;
  return null;
}

/** Echoed user input in an error message stays short. */
function clip(text: string): string {
  const chars = Array.from(text);
  return chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : text;
}

/**
 * Whether a command changes the incident or the repository (and so needs write access and an
 * idempotency key). /suspects only reads GitHub and posts a ranking; /help only answers.
 */
export function mutates(command: Command): boolean {
  return command.name !== "help" && command.name !== "suspects";
}

/** The repository permission a commenter needs for a command. */
export function requiredPermission(command: Command): "none" | "read" | "write" {
  if (command.name === "help") return "none";
  return mutates(command) ? "write" : "read";
}

/**
 * The idempotency key of one command: a redelivered webhook carries the same comment id and the
 * same body, so a command already handled is found under the same key and not run twice.
 */
export function commandKey(commentId: number | string, line: number): string {
  return `comment:${commentId}:line:${line}`;
}
