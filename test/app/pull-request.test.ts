// pull_request.closed (merged) for the PRs aftershock opens: a rollback PR marks the incident
// mitigated; a post-mortem PR files the open action items as issues without touching the file.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionItemMarker } from "../../src/core/incident/action-items.js";
import {
  FakeIncident,
  REPO_PATH,
  deliver,
  expectGetIssue,
  expectPatchIssue,
  github,
  incidentRecord,
  loadResponseApp,
  mergedPullPayload,
  mockToken,
  pending,
} from "./commands/harness.js";

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
});

afterEach(() => {
  nock.cleanAll();
});

const rollbackPull = () =>
  mergedPullPayload({
    number: 55,
    headRef: "aftershock/revert-42",
    labels: ["rollback"],
    body: "Rolls back #42 for incident #101.\n\nRequested with `/rollback`.",
  });

describe("a merged rollback PR", () => {
  it("is recorded in the incident's timeline and rollbacks, as the mitigation; once", async () => {
    const issue = new FakeIncident(
      incidentRecord({
        response: {
          actionItems: [],
          handled: [],
          rollbacks: [{ pr: 42, revertPr: 55, state: "opened", at: "2024-05-01T12:20:00Z" }],
        },
      }),
    );
    const loaded = await loadResponseApp();
    expectGetIssue(issue);
    expectGetIssue(issue);
    expectPatchIssue(issue);
    await deliver(loaded, "pull_request", rollbackPull());
    expect(pending()).toEqual([]);
    expect(issue.response.rollbacks).toEqual([
      { pr: 42, revertPr: 55, state: "merged", at: "2024-05-01T12:20:00Z" },
    ]);
    expect(issue.response.mitigatedAt).toBe("2024-05-01T12:40:00Z");
    expect(issue.record.timeline.at(-1)).toMatchObject({
      kind: "rollback.merged",
      at: "2024-05-01T12:40:00.000Z",
      text: "Revert PR #55 (rolls back #42) merged",
    });
    expect(issue.body).toContain("**Mitigated:** 2024-05-01 12:40:00 UTC (after 37m)");

    // Redelivered: read, found handled, nothing written.
    expectGetIssue(issue);
    expectGetIssue(issue);
    await deliver(loaded, "pull_request", rollbackPull());
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
  });

  it("a revert PR whose body names no incident is matched through the open incidents' rollbacks", async () => {
    const issue = new FakeIncident(
      incidentRecord({
        response: {
          actionItems: [],
          handled: [],
          rollbacks: [{ pr: 42, state: "opened", at: "2024-05-01T12:20:00Z" }],
        },
      }),
    );
    const loaded = await loadResponseApp();
    github()
      .get(/\/repos\/acme\/shop\/contents\/\.github/)
      .reply(404, { message: "Not Found" });
    github()
      .get(`${REPO_PATH}/issues`)
      .query({ state: "open", labels: "incident", per_page: 100 })
      .reply(200, [issue.json()]);
    expectGetIssue(issue);
    expectGetIssue(issue);
    expectPatchIssue(issue);
    await deliver(
      loaded,
      "pull_request",
      mergedPullPayload({
        number: 57,
        headRef: "revert-42-feature",
        labels: ["rollback"],
        body: "Reverts acme/shop#42",
      }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.rollbacks.map((r) => [r.pr, r.revertPr, r.state])).toEqual([
      [42, undefined, "opened"],
      [42, 57, "merged"],
    ]);
  });

  it.each(["fork", "deleted"] as const)(
    "a PR from a %s branch named like a rollback, once merged, records nothing and makes no request",
    async (headRepo) => {
      const loaded = await loadResponseApp();
      // nock has no interceptor: any request would fail the delivery.
      const payload = mergedPullPayload({
        number: 66,
        headRef: "aftershock/revert-42",
        labels: ["rollback"],
        body: "Rolls back #42 for incident #101.",
        headRepo,
      });
      await expect(deliver(loaded, "pull_request", payload)).resolves.toBeUndefined();
      expect(pending()).toEqual([]);
    },
  );

  it("an incident issue opened by anyone but the app is not matched by the open-incident scan", async () => {
    const forged = new FakeIncident(
      incidentRecord({
        response: {
          actionItems: [],
          handled: [],
          rollbacks: [{ pr: 42, state: "opened", at: "2024-05-01T12:20:00Z" }],
        },
      }),
    );
    forged.user = { login: "mallory", type: "User" };
    const loaded = await loadResponseApp();
    github()
      .get(/\/repos\/acme\/shop\/contents\/\.github/)
      .reply(404, { message: "Not Found" });
    github()
      .get(`${REPO_PATH}/issues`)
      .query({ state: "open", labels: "incident", per_page: 100 })
      .reply(200, [forged.json()]);
    await deliver(
      loaded,
      "pull_request",
      mergedPullPayload({
        number: 57,
        headRef: "revert-42-feature",
        labels: ["rollback"],
        body: "Reverts acme/shop#42",
      }),
    );
    expect(pending()).toEqual([]);
    expect(forged.patches).toEqual([]);
  });

  it("a PR closed without merging, or an unrelated merged PR, makes no request", async () => {
    const loaded = await loadResponseApp();
    const closed = rollbackPull();
    closed.pull_request.merged = false;
    await deliver(loaded, "pull_request", closed);
    await deliver(
      loaded,
      "pull_request",
      mergedPullPayload({ number: 9, headRef: "feature/x", body: "Fixes #101" }),
    );
  });
});

describe("a merged post-mortem PR", () => {
  const PATH = "docs/postmortems/2024-05-01-high-error-rate-checkout-101.md";
  const FILE = [
    "# Post-mortem",
    "",
    "## Action items",
    "",
    "- [ ] Add a canary for checkout (#77)",
    "- [ ] Alert on p99 latency",
    "- [x] Fix the migration",
    "- [ ] Page the database team on lock waits",
    "",
    "## Appendix",
    "",
    "- [ ] not an action item",
  ].join("\n");

  function expectMergedFile() {
    github()
      .get(
        /\/repos\/acme\/shop\/contents\/docs(%2F|\/)postmortems(%2F|\/)2024-05-01-high-error-rate-checkout-101\.md/,
      )
      .query({ ref: "c4295bd74fb0f4fda03689c3df3f2803b658fd85" })
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from(FILE).toString("base64") });
  }

  it("files an issue for each open item that has none (once), and never rewrites the file", async () => {
    const issue = new FakeIncident(
      incidentRecord({
        response: {
          actionItems: [{ text: "Add a canary for checkout", at: "2024-05-01T12:25:00Z", issue: 77 }],
          rollbacks: [],
          handled: [],
          postmortem: { path: PATH, pr: 60 },
        },
      }),
    );
    const loaded = await loadResponseApp();
    const filed: Array<{ title: string; body: string; labels: string[] }> = [];
    expectGetIssue(issue);
    expectGetIssue(issue);
    expectMergedFile();
    // One already exists (a retry after a failed write): it is linked, not filed again.
    github()
      .get(`${REPO_PATH}/issues`)
      .query({ labels: "action-item", state: "all", per_page: 100 })
      .reply(200, [
        {
          number: 79,
          html_url: "https://github.com/acme/shop/issues/79",
          body: actionItemMarker(101, "Page the database team on lock waits"),
        },
      ]);
    github()
      .post(`${REPO_PATH}/issues`, (body) => {
        filed.push(body);
        return true;
      })
      .reply(201, { number: 78, html_url: "https://github.com/acme/shop/issues/78" });
    expectPatchIssue(issue);
    const payload = mergedPullPayload({
      number: 60,
      headRef: "aftershock/postmortem-101",
      body: "Post-mortem draft",
    });
    await deliver(loaded, "pull_request", payload);
    expect(pending()).toEqual([]);
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ title: "Alert on p99 latency", labels: ["action-item"] });
    expect(filed[0]!.body).toContain("incident #101");
    expect(filed[0]!.body).toContain("https://github.com/acme/shop/pull/60");
    expect(issue.response.actionItems.map((i) => [i.text, i.issue])).toEqual([
      ["Add a canary for checkout", 77],
      ["Alert on p99 latency", 78],
      ["Page the database team on lock waits", 79],
    ]);
    expect(issue.record.timeline.at(-1)).toMatchObject({
      kind: "postmortem",
      text: "Post-mortem #60 merged; action items filed: #78",
    });

    // Redelivered: handled, so no file read and no issue.
    expectGetIssue(issue);
    expectGetIssue(issue);
    await deliver(loaded, "pull_request", structuredClone(payload));
    expect(pending()).toEqual([]);
    expect(filed).toHaveLength(1);
  });

  it("finds the file among the PR's files when the incident does not record its path", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectGetIssue(issue);
    expectGetIssue(issue);
    github()
      .get(`${REPO_PATH}/pulls/60/files`)
      .query(true)
      .reply(200, [{ filename: PATH, status: "added" }]);
    expectMergedFile();
    github().get(`${REPO_PATH}/issues`).query(true).reply(200, []);
    github()
      .post(`${REPO_PATH}/issues`)
      .times(2)
      .reply(201, (_uri, body) => ({
        number: 80 + (body as { title: string }).title.length,
        html_url: "https://github.com/acme/shop/issues/1",
      }));
    expectPatchIssue(issue);
    await deliver(
      loaded,
      "pull_request",
      mergedPullPayload({ number: 60, headRef: "aftershock/postmortem-101", body: "" }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.actionItems).toHaveLength(2);
    expect(issue.response.postmortem).toEqual({
      path: PATH,
      pr: 60,
      url: "https://github.com/acme/shop/pull/60",
    });
  });

  it("a fork's PR on an aftershock/postmortem-<n> branch files nothing for the incident", async () => {
    const loaded = await loadResponseApp();
    // Its added markdown would become issues filed by the app: no request may be made at all.
    const payload = mergedPullPayload({
      number: 61,
      headRef: "aftershock/postmortem-101",
      body: "",
      headRepo: "fork",
    });
    await expect(deliver(loaded, "pull_request", payload)).resolves.toBeUndefined();
    expect(pending()).toEqual([]);
  });
});
