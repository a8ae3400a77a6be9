// /suspects: correlation again over the incident's window, the table updated and posted.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sharedHintsReader } from "../../../src/app/pipeline/service-hints.js";
import type { PullRef } from "../../../src/core/suspects/correlation-types.js";
import { fetchHistory } from "../../../src/github/history.js";
import {
  FakeIncident,
  REPO_PATH,
  commentPayload,
  deliver,
  events,
  expectComment,
  expectCommandRound,
  expectConfig,
  expectPermission,
  expectReaction,
  github,
  loadResponseApp,
  mockToken,
  pending,
} from "./harness.js";

vi.mock("../../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
  sharedHintsReader.clear();
  vi.mocked(fetchHistory).mockReset();
});

afterEach(() => {
  nock.cleanAll();
});

const pull = (number: number, files: string[]): PullRef => ({
  number,
  title: `PR ${number}`,
  author: "dev",
  mergedAt: "2024-05-01T11:40:00Z",
  deploymentId: 8,
  additions: 10,
  deletions: 2,
  files: files.map((path) => ({ path, additions: 1, deletions: 1 })),
});

describe("/suspects", () => {
  it("ranks again over the incident's window and replaces the table", async () => {
    mockHistory();
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { permission: "write" });
    // Service hints (the config names no paths for checkout): the tree at the deployed commit, and
    // past incidents for the service's culprits.
    github()
      .get(`${REPO_PATH}/git/trees/${"8".repeat(40)}`)
      .query({ recursive: "1" })
      .reply(200, { tree: [{ path: "db", type: "tree" }], truncated: false });
    github()
      .get(`${REPO_PATH}/issues`)
      .query((q) => q.state === "all")
      .reply(200, []);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/suspects", issueBody: issue.body, login: "oncall" }),
    );
    expect(pending()).toEqual([]);
    const window = vi.mocked(fetchHistory).mock.calls[0]![1];
    expect(window).toMatchObject({ environment: "production", until: new Date("2024-05-01T12:03:00Z") });
    expect(issue.record.suspects.map((s) => s.number)).toEqual([51, 50]);
    expect(issue.record.deploys.map((d) => d.id)).toEqual([8]);
    expect(issue.comments[0]).toMatch(/\| 1 \| \\#51 PR 51 \| 0\.\d\d \|/);
    expect(events(loaded, "correlation")).toEqual([{ seconds: expect.any(Number), requests: 4 }]);
  });

  it("for a reader it answers with the ranking but leaves the issue as it is", async () => {
    mockHistory();
    const issue = new FakeIncident();
    const before = issue.body;
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { permission: "read", login: "visitor", write: false });
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/suspects", issueBody: issue.body, login: "visitor" }),
    );
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toMatch(/\| 1 \| \\#51 PR 51 \|/);
    expect(issue.patches).toEqual([]);
    expect(issue.body).toBe(before);
    expect(issue.record.suspects.map((s) => s.number)).toEqual([42]);
  });

  it("a reader's 20 /suspects lines run once, outside the incident's lock, then cool down (issue 11, finding 3)", async () => {
    mockHistory();
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    // eyes, permission, config, the reply, rocket: no re-read of the issue (no lock), one correlation.
    expectReaction("eyes");
    expectPermission("visitor", "read");
    expectConfig();
    expectComment(issue);
    expectReaction("rocket");
    const body = Array.from({ length: 20 }, () => "/suspects").join("\n");
    await deliver(loaded, "issue_comment", commentPayload({ body, issueBody: issue.body, login: "visitor" }));
    expect(pending()).toEqual([]);
    expect(vi.mocked(fetchHistory)).toHaveBeenCalledTimes(1);
    expect(issue.comments).toHaveLength(1);
    expect(events(loaded, "command").map((e) => e.outcome)).toEqual(["done", ...Array(19).fill("duplicate")]);

    // The same reader again within the cooldown: refused without ranking again, or reading the config.
    const unmatched: string[] = [];
    nock.emitter.on("no match", (req: { path?: string }) => unmatched.push(req.path ?? "?"));
    expectReaction("eyes", 2);
    expectPermission("visitor", "read");
    expectComment(issue);
    expectReaction("confused", 2);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/suspects", issueBody: issue.body, login: "visitor", commentId: 2 }),
    );
    expect(pending()).toEqual([]);
    expect(vi.mocked(fetchHistory)).toHaveBeenCalledTimes(1);
    expect(issue.comments[1]).toMatch(/again in \d+ s/);
    expect(unmatched).toEqual([]);
    nock.emitter.removeAllListeners("no match");
  });

  function mockHistory() {
    vi.mocked(fetchHistory).mockResolvedValue({
      deployments: [
        {
          id: 8,
          sha: "8".repeat(40),
          environment: "production",
          createdAt: "2024-05-01T11:55:00Z",
          status: "success",
        },
      ],
      pulls: [pull(50, ["README.md"]), pull(51, ["db/migrations/2.sql"])],
      requests: 2,
    });
  }

  it("a failed ranking keeps the table and says why", async () => {
    vi.mocked(fetchHistory).mockRejectedValue(new Error("GraphQL is down"));
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { write: false, done: false });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/suspects", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("GraphQL is down");
  });
});
