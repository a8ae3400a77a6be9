import { describe, expect, it } from "vitest";
import type { Command, ParsedCommand } from "../../../src/core/incident/commands.js";
import {
  COMMAND_SPECS,
  HELP_TEXT,
  MAX_COMMANDS_PER_COMMENT,
  MAX_TEXT_LENGTH,
  commandKey,
  mutates,
  parseCommands,
  requiredPermission,
} from "../../../src/core/incident/commands.js";

function commands(body: string): Command[] {
  return parseCommands(body).map((p) => {
    if (!p.ok) throw new Error(`unexpected error on line ${p.line}: ${p.error}`);
    return p.command;
  });
}

function onlyError(body: string): Extract<ParsedCommand, { ok: false }> {
  const parsed = parseCommands(body);
  expect(parsed).toHaveLength(1);
  const [p] = parsed;
  if (!p || p.ok) throw new Error(`expected an error, got ${JSON.stringify(p)}`);
  return p;
}

describe("parseCommands: where commands are", () => {
  it("runs several commands of one comment in order, with 1-based lines and the raw text", () => {
    const parsed = parseCommands("Looking now.\n/ack\n  /severity p1\n\n/note db is slow");
    expect(parsed.map((p) => [p.line, p.raw])).toEqual([
      [2, "/ack"],
      [3, "/severity p1"],
      [5, "/note db is slow"],
    ]);
    expect(commands("/ack\n/severity p1\n/note db is slow")).toEqual([
      { name: "ack" },
      { name: "severity", severity: "P1" },
      { name: "note", text: "db is slow" },
    ]);
  });

  it("ignores commands inside ``` and ~~~ fences, and runs those after the fence closes", () => {
    const body = [
      "```",
      "/rollback #1",
      "```",
      "~~~~ text",
      "/resolve",
      "~~~", // shorter than the opening: does not close it
      "/severity P1",
      "~~~~",
      "/ack",
    ].join("\n");
    const parsed = parseCommands(body);
    expect(parsed.map((p) => p.line)).toEqual([9]);
    expect(commands(body)).toEqual([{ name: "ack" }]);
  });

  it("treats an unclosed fence as running to the end", () => {
    expect(parseCommands("```\n/ack\n/resolve")).toEqual([]);
  });

  it("ignores quoted lines, indented code and HTML comments", () => {
    const body = [
      "> /rollback #3",
      ">/resolve",
      "    /severity P1",
      "\t/ack",
      "<!--",
      "/resolve hidden",
      "-->",
      "<!-- /ack -->",
      "   /note three spaces are still a command",
    ].join("\n");
    expect(commands(body)).toEqual([{ name: "note", text: "three spaces are still a command" }]);
  });

  it("handles CRLF and CR line endings", () => {
    expect(commands("/ack\r\n/severity P2\r\n")).toEqual([
      { name: "ack" },
      { name: "severity", severity: "P2" },
    ]);
    expect(parseCommands("hi\r/ack").map((p) => p.line)).toEqual([2]);
    expect(parseCommands("```\r\n/ack\r\n```\r\n/help").map((p) => p.raw)).toEqual(["/help"]);
  });

  it("does not take paths, mid-line slashes or /123 for commands", () => {
    expect(parseCommands("/usr/bin/env is broken\n/var/log\nsee /ack here\n/2024 was bad\n/ack!")).toEqual(
      [],
    );
  });

  it("accepts command names in any case", () => {
    expect(commands("/ACK\n/Severity P3\n/Action-Item fix it")).toEqual([
      { name: "ack" },
      { name: "severity", severity: "P3" },
      { name: "action-item", text: "fix it" },
    ]);
  });

  it("reports an unknown /word with the list of commands", () => {
    const e = onlyError("/rollbak #42");
    expect(e.name).toBe("rollbak");
    expect(e.error).toContain("Unknown command /rollbak");
    for (const spec of COMMAND_SPECS) expect(e.error).toContain(`/${spec.name}`);
  });

  it("runs at most MAX_COMMANDS_PER_COMMENT and says so once", () => {
    const parsed = parseCommands(
      Array.from({ length: MAX_COMMANDS_PER_COMMENT + 5 }, (_, i) => `/note n${i}`).join("\n"),
    );
    expect(parsed).toHaveLength(MAX_COMMANDS_PER_COMMENT + 1);
    expect(parsed.slice(0, MAX_COMMANDS_PER_COMMENT).every((p) => p.ok)).toBe(true);
    const last = parsed[MAX_COMMANDS_PER_COMMENT]!;
    expect(last.ok).toBe(false);
    expect(!last.ok && last.error).toContain(`first ${MAX_COMMANDS_PER_COMMENT} commands`);
  });
});

describe("parseCommands: arguments", () => {
  it("validates /severity", () => {
    expect(commands("/severity p2")).toEqual([{ name: "severity", severity: "P2" }]);
    for (const bad of ["/severity", "/severity P4", "/severity high", "/severity P1 P2"]) {
      const e = onlyError(bad);
      expect(e.error).toContain("P1, P2 or P3");
      expect(e.error).toContain("Usage: `/severity P1|P2|P3`");
    }
    expect(onlyError("/severity P4").error).toContain('got "P4"');
  });

  it("validates /assign logins, with or without @, deduplicated", () => {
    expect(commands("/assign @alice bob-2, @Alice")).toEqual([
      { name: "assign", logins: ["alice", "bob-2"] },
    ]);
    expect(onlyError("/assign").error).toContain("at least one GitHub login");
    expect(onlyError("/assign @-bad").error).toContain('"@-bad" is not a GitHub login');
    expect(onlyError(`/assign ${"a".repeat(40)}`).error).toContain("is not a GitHub login");
    expect(commands(`/assign ${"a".repeat(39)}`)).toEqual([{ name: "assign", logins: ["a".repeat(39)] }]);
    expect(onlyError("/assign @acme/oncall").error).toContain("is a team");
    expect(onlyError("/assign bob_smith").error).toContain("not a GitHub login");
  });

  it("validates /rollback: #42, 42 or nothing", () => {
    expect(commands("/rollback\n/rollback #42\n/rollback 7")).toEqual([
      { name: "rollback" },
      { name: "rollback", pr: 42 },
      { name: "rollback", pr: 7 },
    ]);
    for (const bad of ["/rollback abc", "/rollback #0", "/rollback #1 #2", "/rollback -3"]) {
      expect(onlyError(bad).error).toContain("Usage: `/rollback [#PR]`");
    }
  });

  it("validates /redeploy: previous by default, or a 7-40 hex sha", () => {
    expect(commands("/redeploy\n/redeploy Previous\n/redeploy ABCDEF1")).toEqual([
      { name: "redeploy", target: { kind: "previous" } },
      { name: "redeploy", target: { kind: "previous" } },
      { name: "redeploy", target: { kind: "sha", sha: "abcdef1" } },
    ]);
    expect(commands(`/redeploy ${"a".repeat(40)}`)).toEqual([
      { name: "redeploy", target: { kind: "sha", sha: "a".repeat(40) } },
    ]);
    for (const bad of [
      "/redeploy abc12",
      `/redeploy ${"a".repeat(41)}`,
      "/redeploy main",
      "/redeploy zzzzzzz",
    ]) {
      expect(onlyError(bad).error).toContain("7 to 40 hex characters");
    }
  });

  it("requires text for /note and /action-item, bounded in length; /resolve's summary is optional", () => {
    expect(onlyError("/note").error).toBe("/note needs text. Usage: `/note <text>`.");
    expect(onlyError("/action-item   ").error).toContain("/action-item needs text");
    expect(onlyError(`/note ${"x".repeat(MAX_TEXT_LENGTH + 1)}`).error).toContain(
      `${MAX_TEXT_LENGTH + 1} characters; the limit is ${MAX_TEXT_LENGTH}`,
    );
    expect(commands(`/note ${"x".repeat(MAX_TEXT_LENGTH)}`)).toHaveLength(1);
    expect(commands("/resolve\n/resolve  reverted #42 ")).toEqual([
      { name: "resolve" },
      { name: "resolve", summary: "reverted #42" },
    ]);
  });

  it("rejects arguments to commands that take none, pointing at /note", () => {
    const e = onlyError("/ack on it");
    expect(e.error).toContain("/ack takes no arguments");
    expect(e.error).toContain("/note");
    expect(onlyError("/help me").error).toContain("Usage: `/help`");
  });

  it("keeps going after a bad command", () => {
    const parsed = parseCommands("/severity P9\n/ack");
    expect(parsed.map((p) => p.ok)).toEqual([false, true]);
  });
});

describe("command helpers", () => {
  it("mutates: everything but /help and /suspects", () => {
    const all = commands(
      "/ack\n/severity P1\n/assign a\n/note n\n/rollback\n/redeploy\n/suspects\n/resolve\n/postmortem\n/action-item a\n/split 1\n/help",
    );
    expect(all).toHaveLength(COMMAND_SPECS.length);
    expect(all.filter((c) => !mutates(c)).map((c) => c.name)).toEqual(["suspects", "help"]);
    expect(all.map(requiredPermission).filter((p) => p !== "write")).toEqual(["read", "none"]);
  });

  it("commandKey is stable for a redelivery and distinct per comment and line", () => {
    expect(commandKey(123, 2)).toBe(commandKey("123", 2));
    expect(new Set([commandKey(123, 2), commandKey(123, 3), commandKey(124, 2)]).size).toBe(3);
  });

  it("HELP_TEXT lists every command's usage in a table that does not break on |", () => {
    for (const spec of COMMAND_SPECS) expect(HELP_TEXT).toContain(spec.usage.replace(/\|/g, "\\|"));
    const rows = HELP_TEXT.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(COMMAND_SPECS.length);
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(4);
  });
});

describe("commands inside HTML comments (issue 11, finding 8)", () => {
  it.each([
    "thanks <!--\n/severity P3\n-->",
    "thanks <!-- x -->ok <!--\n/severity P3\n-->\n",
    "<!-- one --> <!--\n/resolve\n",
  ])("never run: %j", (body) => {
    expect(parseCommands(body)).toEqual([]);
  });

  it("a command after a closed comment still runs, on its own line number", () => {
    const parsed = parseCommands("hi <!--\nhidden\n--> done\n/ack");
    expect(parsed).toMatchObject([{ ok: true, command: { name: "ack" }, line: 4 }]);
  });
});
