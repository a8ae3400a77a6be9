// /rollback outcomes that open nothing: a conflict (by-hand instructions naming the files) and a PR
// that was never merged. openRevertPr itself is tested in test/github/revert.test.ts.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openRevertPr } from "../../../src/github/revert.js";
import {
  FakeIncident,
  commentPayload,
  deliver,
  events,
  expectCommandRound,
  loadResponseApp,
  mockToken,
  pending,
} from "./harness.js";

vi.mock("../../../src/github/revert.js", () => ({ openRevertPr: vi.fn() }));

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
  vi.mocked(openRevertPr).mockReset();
});

afterEach(() => {
  nock.cleanAll();
});

describe("/rollback that cannot open a PR", () => {
  it("a conflict posts the instructions naming the files, once", async () => {
    vi.mocked(openRevertPr).mockResolvedValue({
      kind: "conflict",
      files: ["src/a.ts", "db/b.sql"],
      instructions:
        "Reverting #42 automatically would conflict … in:\n- `src/a.ts`\n- `db/b.sql`\ngit revert …",
    });
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { done: false });
    const payload = commentPayload({ body: "/rollback", issueBody: issue.body });
    await deliver(loaded, "issue_comment", payload);
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("`src/a.ts`");
    expect(issue.comments[0]).toContain("git revert");
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "rollback.conflict" });
    expect(issue.response.rollbacks).toEqual([]);
    expect(events(loaded, "rollback")).toEqual([{ outcome: "conflict" }]);

    // A definite answer: a redelivery does not try (or post) again.
    expectCommandRound(issue, { write: false, reply: false });
    await deliver(loaded, "issue_comment", structuredClone(payload));
    expect(pending()).toEqual([]);
    expect(openRevertPr).toHaveBeenCalledTimes(1);
  });

  it("a PR that was not merged is explained", async () => {
    vi.mocked(openRevertPr).mockResolvedValue({
      kind: "not-merged",
      message: "#42 is still open, so there is nothing to roll back.",
    });
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { done: false });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/rollback #42", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toBe("#42 is still open, so there is nothing to roll back.");
    expect(events(loaded, "rollback")).toEqual([{ outcome: "not-merged" }]);
  });
});
