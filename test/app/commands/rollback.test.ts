// /rollback and the automatic rollback, through openRevertPr against a nock'd GitHub (the
// revertPullRequest mutation path), and pull_request-independent redelivery.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { autoRollbackSkip } from "../../../src/app/commands/auto-rollback.js";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../../src/core/config/repo-config.js";
import {
  FakeIncident,
  REPO_PATH,
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
  github,
  incidentRecord,
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

const MERGED_42 = {
  number: 42,
  merged: true,
  merge_commit_sha: "4242424242424242424242424242424242424242",
  node_id: "PR_42",
  title: "Add retries",
  state: "closed",
  base: { ref: "main" },
  head: { ref: "feature/retries" },
};

/** openRevertPr through GitHub's mutation: 5 requests. Returns what the mutation was sent. */
function expectRevertOpened(pr = 42, revert = 55): { variables?: Record<string, unknown> } {
  const seen: { variables?: Record<string, unknown> } = {};
  github()
    .get(`${REPO_PATH}/pulls`)
    .query({ head: `acme:aftershock/revert-${pr}`, state: "open", per_page: 1 })
    .reply(200, []);
  github()
    .get(`${REPO_PATH}/pulls/${pr}`)
    .reply(200, { ...MERGED_42, number: pr });
  github()
    .get(`${REPO_PATH}/pulls`)
    .query({ head: `acme:revert-${pr}-feature/retries`, state: "open", per_page: 1 })
    .reply(200, []);
  github()
    .post("/graphql", (body: { variables: Record<string, unknown> }) => {
      seen.variables = body.variables;
      return true;
    })
    .reply(200, {
      data: {
        revertPullRequest: {
          revertPullRequest: {
            number: revert,
            url: `https://github.com/acme/shop/pull/${revert}`,
            headRefName: `revert-${pr}-feature/retries`,
          },
        },
      },
    });
  github()
    .post(`${REPO_PATH}/issues/${revert}/labels`, { labels: ["rollback"] })
    .reply(200, []);
  return seen;
}

describe("/rollback", () => {
  it("reverts the top suspect as a draft, with its score and reasons and the incident link", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    const sent = expectRevertOpened();
    await deliver(loaded, "issue_comment", commentPayload({ body: "/rollback", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(sent.variables).toMatchObject({ pullRequestId: "PR_42", draft: true });
    expect(sent.variables?.body).toContain("Rolls back #42 for incident #101.");
    expect(sent.variables?.body).toContain("score **0.81**");
    expect(sent.variables?.body).toContain("db/migrations/1.sql");
    expect(issue.response.rollbacks).toEqual([
      {
        pr: 42,
        revertPr: 55,
        url: "https://github.com/acme/shop/pull/55",
        state: "opened",
        at: "2024-05-01T12:30:00.000Z",
      },
    ]);
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "rollback.opened", actor: "oncall" });
    expect(issue.body).toContain("**Rollback** of #42");
    expect(issue.comments[0]).toContain("Opened draft revert PR #55 for #42");
    expect(events(loaded, "rollback")).toEqual([{ outcome: "opened" }]);
    expect(events(loaded, "command")).toEqual([{ name: "rollback", outcome: "done" }]);
  });

  it("/rollback #43 reverts the PR named, not a draft when the config says so", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectReaction("eyes");
    expectPermission("oncall", "admin");
    expectConfig("rollback:\n  draft: false\n");
    expectGetIssue(issue);
    const sent = expectRevertOpened(43, 56);
    expectPatchIssue(issue);
    expectComment(issue);
    expectReaction("rocket");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/rollback #43", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(sent.variables).toMatchObject({ draft: false });
    expect(sent.variables?.body).toContain("#43 is not among the suspects");
    expect(issue.response.rollbacks[0]).toMatchObject({ pr: 43, revertPr: 56 });
    expect(issue.comments[0]).toContain("Opened revert PR #56");
  });

  it("an open revert PR is linked, not opened again; a redelivery does nothing", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/pulls`)
      .query(true)
      .reply(200, [
        {
          number: 55,
          html_url: "https://github.com/acme/shop/pull/55",
          head: { ref: "aftershock/revert-42" },
        },
      ]);
    const payload = commentPayload({ body: "/rollback", issueBody: issue.body });
    await deliver(loaded, "issue_comment", payload);
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toBe("↩️ A revert PR for #42 is already open: #55.");
    expect(issue.response.rollbacks).toHaveLength(1);
    expect(events(loaded, "rollback")).toEqual([{ outcome: "existing" }]);

    expectCommandRound(issue, { write: false, reply: false });
    await deliver(loaded, "issue_comment", structuredClone(payload));
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
    expect(events(loaded, "rollback")).toHaveLength(1);
  });

  it("without suspects it says how to name a PR, and reacts confused", async () => {
    const issue = new FakeIncident(incidentRecord({ suspects: [] }));
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { done: false });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/rollback", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("`/rollback #42`");
    expect(events(loaded, "command")).toEqual([{ name: "rollback", outcome: "failed" }]);
  });

  it("a GitHub failure is reported and not recorded as handled, so the command can run again", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectReaction("eyes");
    expectPermission("oncall", "write");
    expectConfig();
    expectGetIssue(issue);
    github().get(`${REPO_PATH}/pulls`).query(true).reply(502, { message: "Bad Gateway" });
    expectComment(issue);
    expectReaction("confused");
    await deliver(loaded, "issue_comment", commentPayload({ body: "/rollback", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.patches).toEqual([]);
    expect(issue.comments[0]).toContain("`/rollback` failed");
    expect(events(loaded, "rollback")).toEqual([{ outcome: "failed" }]);
  });
});

describe("automatic rollback on incident.opened", () => {
  const enabled = parseRepoConfig(
    "rollback:\n  auto:\n    enabled: true\n    severity: P2\n    minScore: 0.5\n",
  ).config;

  async function open(config = enabled, severity: "P1" | "P2" | "P3" = "P2") {
    const record = incidentRecord({ severity });
    const issue = new FakeIncident(record);
    const loaded = await loadResponseApp();
    return { issue, loaded, record, config };
  }

  it("opens the revert PR for a top suspect at or above minScore, and says so in the incident", async () => {
    const { issue, loaded, record, config } = await open(enabled, "P1");
    github().get(`${REPO_PATH}/installation`).reply(200, { id: 99 });
    expectGetIssue(issue);
    const sent = expectRevertOpened();
    expectPatchIssue(issue);
    expectComment(issue);
    loaded.events.emit("incident.opened", {
      repo: { owner: "acme", repo: "shop" },
      number: 101,
      url: "https://github.com/acme/shop/issues/101",
      record,
      config,
      source: "alert",
    });
    await loaded.events.idle();
    expect(pending()).toEqual([]);
    expect(sent.variables?.body).toContain("automatic rollback");
    expect(issue.response.rollbacks[0]).toMatchObject({ pr: 42, revertPr: 55 });
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "rollback.opened", actor: "aftershock" });
    expect(issue.comments[0]).toContain("🤖 Automatic rollback");
  });

  it("goes by the top suspect's confidence when it has one, though its score is below minScore", async () => {
    const record = incidentRecord({ severity: "P1" });
    record.suspects[0]!.score = 0.2;
    expect(autoRollbackSkip({ record, config: enabled })).toMatch(/score is 0.20 < 0.5/);
    record.suspects[0]!.confidence = 0.5;
    expect(autoRollbackSkip({ record, config: enabled })).toBeNull();
    record.suspects[0]!.confidence = 0.49;
    expect(autoRollbackSkip({ record, config: enabled })).toMatch(/confidence is 0.49 < 0.5/);
  });

  it("uses the event's octokit when the pipeline passes it: no installation lookup", async () => {
    const { issue, loaded, record, config } = await open(enabled, "P1");
    const octokit = await loaded.probot.auth(99);
    // No GET /installation interceptor: disableNetConnect fails the listener if it looks one up.
    expectGetIssue(issue);
    expectRevertOpened();
    expectPatchIssue(issue);
    expectComment(issue);
    loaded.events.emit("incident.opened", {
      repo: { owner: "acme", repo: "shop" },
      number: 101,
      url: "https://github.com/acme/shop/issues/101",
      record,
      config,
      source: "alert",
      octokit,
    });
    await loaded.events.idle();
    expect(pending()).toEqual([]);
    expect(issue.response.rollbacks[0]).toMatchObject({ pr: 42, revertPr: 55 });
    expect(issue.comments[0]).toContain("🤖 Automatic rollback");
  });

  it.each([
    ["it is off (the default)", DEFAULT_REPO_CONFIG, "P1" as const, 0.9],
    ["the severity is below the configured one", enabled, "P3" as const, 0.9],
    ["the top suspect scores below minScore", enabled, "P1" as const, 0.3],
    ["the top suspect's confidence is below minScore, whatever its score", enabled, "P1" as const, 0.9, 0.4],
  ])("does nothing when %s", async (_why, config, severity, score, confidence?: number) => {
    const record = incidentRecord({ severity });
    record.suspects[0]!.score = score;
    if (confidence !== undefined) record.suspects[0]!.confidence = confidence;
    const loaded = await loadResponseApp();
    loaded.events.emit("incident.opened", {
      repo: { owner: "acme", repo: "shop" },
      number: 101,
      url: "https://github.com/acme/shop/issues/101",
      record,
      config,
      source: "alert",
    });
    await loaded.events.idle();
    expect(events(loaded, "rollback")).toEqual([]);
  });
});
