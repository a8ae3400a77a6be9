// The slash-command dispatcher over real webhook payloads: who may run what, bots, non-incidents,
// malformed commands, several commands per comment and redelivery.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockQueueFull, WEBHOOK_MAX_WAITERS, type KeyLock } from "../../../src/app/lock.js";
import { COMMAND_SPECS, HELP_TEXT } from "../../../src/core/incident/commands.js";
import {
  FakeIncident,
  commentPayload,
  deliver,
  events,
  expectComment,
  expectCommandRound,
  expectConfig,
  expectGetIssue,
  expectPatchIssue,
  expectPermission,
  expectReaction,
  loadResponseApp,
  mockToken,
  pending,
} from "./harness.js";

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
});

afterEach(() => {
  nock.cleanAll();
});

/** One valid example per command that needs write access. */
const MUTATING = [
  "/ack",
  "/severity P1",
  "/assign @alice",
  "/note db looks fine",
  "/rollback #42",
  "/redeploy previous",
  "/resolve fixed",
  "/postmortem",
  "/action-item add a canary",
];

/** One malformed example per command, with what the reply must say. */
const MALFORMED: Array<[string, string]> = [
  ["/ack now", "/ack takes no arguments"],
  ["/severity P9", "/severity needs one of P1, P2 or P3"],
  ["/assign", "/assign needs at least one GitHub login"],
  ["/note", "/note needs text"],
  ["/rollback abc", "/rollback takes one pull request number"],
  ["/redeploy main~1", '/redeploy takes "previous" or a commit SHA'],
  ["/suspects all", "/suspects takes no arguments"],
  [`/resolve ${"x".repeat(1001)}`, "the limit is 1000"],
  ["/postmortem please", "/postmortem takes no arguments"],
  ["/action-item", "/action-item needs text"],
  ["/help me", "/help takes no arguments"],
  ["/deploy now", "Unknown command /deploy"],
];

describe("who may run commands", () => {
  it.each(MUTATING)(
    "%s is refused for a read-only user, with the reason, and changes nothing",
    async (body) => {
      const issue = new FakeIncident();
      const loaded = await loadResponseApp();
      expectReaction("eyes");
      expectPermission("visitor", "read");
      expectComment(issue);
      expectReaction("confused");
      await deliver(
        loaded,
        "issue_comment",
        commentPayload({ body, issueBody: issue.body, login: "visitor" }),
      );
      expect(pending()).toEqual([]);
      expect(issue.comments[0]).toContain("needs write access");
      expect(issue.comments[0]).toContain("`visitor` has `read`");
      expect(issue.patches).toEqual([]);
      expect(events(loaded, "command")).toEqual([{ name: body.split(" ")[0]!.slice(1), outcome: "refused" }]);
    },
  );

  it("a triage role is not write access; a custom role with write permission is", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectReaction("eyes");
    expectPermission("oncall", "read", "triage");
    expectComment(issue);
    expectReaction("confused");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/ack", issueBody: issue.body }));
    expect(issue.comments[0]).toContain("`oncall` has `triage`");
    expect(issue.patches).toEqual([]);

    expectCommandRound(issue, { permission: "write", role: "incident-commander", commentId: 2 });
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/ack", issueBody: issue.body, commentId: 2 }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.acknowledgedAt).toBeDefined();
  });

  it.each(MUTATING)("%s from a bot is ignored without a single request", async (body) => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body, issueBody: issue.body, login: "aftershock[bot]", userType: "Bot" }),
    );
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body, issueBody: issue.body, login: "renovate[bot]", userType: "User" }),
    );
    expect(events(loaded, "command")).toEqual([]);
  });
});

describe("what counts as an incident, and as a command", () => {
  it("a copied incident block in an issue someone else opened is not an incident, without a request", async () => {
    const issue = new FakeIncident();
    issue.user = { login: "mallory", type: "User" };
    const loaded = await loadResponseApp();
    // Only the app's own bot opens incidents: the writer's /ack is then someone else's slash command.
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/ack", issueBody: issue.body, issueAuthor: issue.user }),
    );
    expect(pending()).toEqual([]);
    expect(issue.patches).toEqual([]);
    expect(events(loaded, "command")).toEqual([{ name: "ack", outcome: "ignored" }]);
  });

  it.each(["renovate[bot]", "github-actions[bot]"])(
    "an issue %s opened with a copied incident block is not an incident (issue 11, finding 6)",
    async (login) => {
      const issue = new FakeIncident();
      issue.user = { login, type: "Bot" };
      const loaded = await loadResponseApp();
      await deliver(
        loaded,
        "issue_comment",
        commentPayload({ body: "/severity P3", issueBody: issue.body, issueAuthor: issue.user }),
      );
      expect(pending()).toEqual([]);
      expect(issue.patches).toEqual([]);
      expect(events(loaded, "command")).toEqual([{ name: "severity", outcome: "ignored" }]);
    },
  );

  it("an account the operator trusts (the Action with a person's token) opens incidents too", async () => {
    const issue = new FakeIncident();
    issue.user = { login: "release-bot-user", type: "User" };
    const loaded = await loadResponseApp({ trustedAuthors: ["Release-Bot-User"] });
    expectCommandRound(issue);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/ack", issueBody: issue.body, issueAuthor: issue.user }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.acknowledgedAt).toBeDefined();
  });

  it("an issue that stops being trusted between the delivery and the re-read is left alone", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    // The payload says the app opened it; what GitHub answers now says otherwise (a transferred or
    // recreated issue): the dispatcher goes by what it re-reads inside the lock.
    issue.user = { login: "mallory", type: "User" };
    expectReaction("eyes");
    expectPermission("oncall", "write");
    expectConfig();
    expectGetIssue(issue);
    expectReaction("confused");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/ack", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.patches).toEqual([]);
    expect(events(loaded, "command")).toEqual([{ name: "ack", outcome: "ignored" }]);
  });

  it("a comment posted through a GitHub App is ignored without a single request", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/resolve", issueBody: issue.body, viaApp: { id: 7, slug: "echo" } }),
    );
    expect(events(loaded, "command")).toEqual([]);
  });

  it("an edited comment does not run its commands again", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const edited = { ...commentPayload({ body: "/resolve", issueBody: issue.body }), action: "edited" };
    await deliver(loaded, "issue_comment", edited);
    expect(events(loaded, "command")).toEqual([]);
  });

  it("a failed command's reply escapes GitHub's error text: no mentions, no HTML", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { write: false, done: false });
    nock("https://api.github.com")
      .post("/repos/acme/shop/issues/101/assignees")
      .reply(500, { message: "boom @acme/everyone <img src=x>" });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/assign @alice", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("failed: boom @\u200Dacme/everyone &lt;img src=x&gt;");
  });
});

describe("malformed and unknown commands", () => {
  it.each(MALFORMED)("%s gets a reply saying what was wrong, and /help", async (body, says) => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectReaction("eyes");
    expectComment(issue);
    expectReaction("confused");
    await deliver(loaded, "issue_comment", commentPayload({ body, issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toContain(says);
    expect(issue.comments[0]).toContain("`/help`");
    expect(events(loaded, "command")[0]?.outcome).toBe("invalid");
  });
});

describe("/help and issues that are not incidents", () => {
  it("/help lists every command, for anyone, without reading permissions", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectReaction("eyes");
    expectComment(issue);
    expectReaction("rocket");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/help", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toBe(HELP_TEXT);
    for (const spec of COMMAND_SPECS) expect(issue.comments[0]).toContain(`/${spec.name}`);
  });

  it("on an issue that is not an incident, /help answers a writer and every other command is ignored", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const plain = "Typo in the README";
    await deliver(loaded, "issue_comment", commentPayload({ body: "/ack\n/rollback #42", issueBody: plain }));
    expect(events(loaded, "command").map((e) => e.outcome)).toEqual(["ignored", "ignored"]);

    expectPermission("oncall", "write");
    expectReaction("eyes");
    expectComment(issue);
    expectReaction("rocket");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/help", issueBody: plain }));
    expect(pending()).toEqual([]);
    expect(issue.comments).toEqual([HELP_TEXT]);
  });

  it("on an issue that is not an incident, /help from someone without write access is not answered", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    // Only the permission read: no reaction, no comment (anyone could make the app comment anywhere).
    expectPermission("visitor", "read");
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/help", issueBody: "Typo in the README", login: "visitor" }),
    );
    expect(pending()).toEqual([]);
    expect(issue.comments).toEqual([]);
    expect(events(loaded, "command")).toEqual([{ name: "help", outcome: "ignored" }]);
  });

  it("comments without a command (or with one only in code or a quote) make no request", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const body = "Looking into it.\n\n> /rollback\n\n```\n/resolve\n```\nsee /usr/bin";
    await deliver(loaded, "issue_comment", commentPayload({ body, issueBody: issue.body }));
    expect(events(loaded, "command")).toEqual([]);
  });
});

describe("several commands, redelivery", () => {
  it("runs the commands of one comment in order and writes the issue once", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/ack\n/severity P1\n/note rolled the canary back", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
    const { record, response } = issue;
    expect(record.severity).toBe("P1");
    expect(issue.title).toBe("[P1] HighErrorRate: checkout in production");
    expect(issue.labels).toContain("severity:P1");
    expect(issue.labels).not.toContain("severity:P2");
    expect(response.acknowledgedAt).toBe("2024-05-01T12:30:00.000Z");
    expect(record.timeline.slice(1).map((e) => [e.kind, e.actor])).toEqual([
      ["ack", "oncall"],
      ["severity", "oncall"],
      ["note", "oncall"],
    ]);
    expect(response.handled).toEqual([
      "comment:5550001:line:1",
      "comment:5550001:line:2",
      "comment:5550001:line:3",
    ]);
    // The timeline is in the body people read.
    expect(issue.body).toContain("rolled the canary back");
    expect(events(loaded, "incident.severity")).toMatchObject([{ number: 101, previous: "P2" }]);
    expect(events(loaded, "command").map((e) => `${e.name}:${e.outcome}`)).toEqual([
      "ack:done",
      "severity:done",
      "note:done",
    ]);
  });

  it("a redelivered comment changes nothing the second time: no write, no reply", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const payload = commentPayload({ body: "/ack\n/note first look", issueBody: issue.body });
    expectCommandRound(issue);
    await deliver(loaded, "issue_comment", payload);
    expect(issue.patches).toHaveLength(1);

    expectCommandRound(issue, { write: false, reply: false });
    await deliver(loaded, "issue_comment", structuredClone(payload));
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
    expect(issue.comments).toHaveLength(1);
    expect(issue.record.timeline.filter((e) => e.kind === "ack")).toHaveLength(1);
    expect(
      events(loaded, "command")
        .slice(2)
        .map((e) => e.outcome),
    ).toEqual(["duplicate", "duplicate"]);
  });

  it("a mix of allowed, malformed and refused commands answers each and reacts confused", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { done: false });
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/note looking\n/severity P7", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "note", text: "looking" });
    expect(issue.comments[0]).toContain("/severity needs one of P1, P2 or P3");
  });

  it("when the incident's lock has no room even for a command, says so on the comment instead of dropping it", async () => {
    const issue = new FakeIncident();
    const full: KeyLock = {
      withLock: async () => {
        throw new LockQueueFull(WEBHOOK_MAX_WAITERS);
      },
    };
    const loaded = await loadResponseApp({ lock: full });
    expectReaction("eyes");
    expectPermission("oncall", "write");
    expectConfig();
    expectComment(issue);
    expectReaction("confused");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/ack\n/help", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.response.acknowledgedAt).toBeUndefined();
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toContain(
      `⏳ \`/ack\` was not run: the incident is busy (${WEBHOOK_MAX_WAITERS} updates were waiting for it); post the command again`,
    );
    expect(events(loaded, "command").map((e) => [e.name, e.outcome])).toEqual([
      ["ack", "failed"],
      ["help", "done"],
    ]);
  });

  it("a reaction GitHub refuses does not stop the command", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    nock("https://api.github.com")
      .post("/repos/acme/shop/issues/comments/5550001/reactions", { content: "eyes" })
      .reply(404, { message: "Not Found" });
    expectPermission("oncall", "write");
    expectConfig();
    expectGetIssue(issue);
    expectPatchIssue(issue);
    expectComment(issue);
    expectReaction("rocket");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/ack", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.response.acknowledgedAt).toBeDefined();
  });
});
