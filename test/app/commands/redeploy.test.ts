// /redeploy: the last good deployment before the suspect one (from the incident, else from GitHub's
// deployments and their statuses), or a given commit.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  COMMENT_ID,
  FakeIncident,
  REPO_PATH,
  commentPayload,
  deliver,
  expectCommandRound,
  expectGetIssue,
  expectPatchIssue,
  github,
  incidentRecord,
  loadResponseApp,
  mockToken,
  pending,
  redeployStatusPayload,
} from "./harness.js";

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
});

afterEach(() => {
  nock.cleanAll();
});

function expectDeployment(sent: { body?: Record<string, unknown> }, id = 900, earlier: unknown[] = []) {
  // First the lookup for a deployment this very command created before (a redelivery).
  github()
    .get(`${REPO_PATH}/deployments`)
    .query((q) => typeof q.sha === "string" && q.per_page === "30")
    .reply(200, earlier);
  if (earlier.length) return;
  github()
    .post(`${REPO_PATH}/deployments`, (body: Record<string, unknown>) => {
      sent.body = body;
      return true;
    })
    .reply(201, { id, sha: "x", url: `https://api.github.com/repos/acme/shop/deployments/${id}` });
}

describe("/redeploy", () => {
  it("previous: deploys the incident's last good deployment before the suspect's, once", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const sent: { body?: Record<string, unknown> } = {};
    expectCommandRound(issue);
    expectDeployment(sent);
    const payload = commentPayload({ body: "/redeploy", issueBody: issue.body });
    await deliver(loaded, "issue_comment", payload);
    expect(pending()).toEqual([]);
    expect(sent.body).toMatchObject({
      ref: "1111111111111111111111111111111111111111",
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      payload: {
        aftershock: { incident: 101, reason: "rollback", key: expect.stringMatching(/^comment:\d+:line:1$/) },
      },
    });
    expect(String(sent.body?.description)).toContain("#101");
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "redeploy.requested", actor: "oncall" });
    expect(issue.comments[0]).toContain("Requested deployment 900");

    expectCommandRound(issue, { write: false, reply: false });
    await deliver(loaded, "issue_comment", structuredClone(payload));
    expect(pending()).toEqual([]);
  });

  it("a redelivery whose first run created the deployment but was not recorded reuses that deployment", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    // The deployment the first run created carries this command's key; no second POST is expected.
    const earlier = {
      id: 900,
      sha: "1".repeat(40),
      url: "https://api.github.com/repos/acme/shop/deployments/900",
      payload: { aftershock: { incident: 101, reason: "rollback", key: `comment:${COMMENT_ID}:line:1` } },
    };
    expectDeployment({}, 900, [earlier]);
    await deliver(loaded, "issue_comment", commentPayload({ body: "/redeploy", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("Requested deployment 900");
  });

  it("previous: asks GitHub when the incident knows no good deployment before the bad one", async () => {
    const record = incidentRecord();
    record.deploys = record.deploys.filter((d) => d.id === 7);
    const issue = new FakeIncident(record);
    const loaded = await loadResponseApp();
    const sent: { body?: Record<string, unknown> } = {};
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/deployments`)
      .query({ environment: "production", per_page: 100 })
      .reply(200, [
        { id: 7, sha: "2".repeat(40), environment: "production", created_at: "2024-05-01T11:50:00Z" },
        { id: 5, sha: "5".repeat(40), environment: "production", created_at: "2024-04-30T09:00:00Z" },
        { id: 4, sha: "4".repeat(40), environment: "production", created_at: "2024-04-29T09:00:00Z" },
      ]);
    github()
      .get(`${REPO_PATH}/deployments/5/statuses`)
      .query({ per_page: 1 })
      .reply(200, [{ state: "failure" }]);
    github()
      .get(`${REPO_PATH}/deployments/4/statuses`)
      .query({ per_page: 1 })
      .reply(200, [{ state: "inactive" }]);
    expectDeployment(sent);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/redeploy previous", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(sent.body).toMatchObject({ ref: "4".repeat(40) });
  });

  it("a given commit is deployed as it is", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const sent: { body?: Record<string, unknown> } = {};
    expectCommandRound(issue);
    expectDeployment(sent);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/redeploy ABCDEF1", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(sent.body).toMatchObject({ ref: "abcdef1" });
  });

  it("without a known deployment it asks for a commit", async () => {
    const issue = new FakeIncident(incidentRecord({ deploys: [], suspects: [] }));
    const loaded = await loadResponseApp();
    expectCommandRound(issue, { done: false });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/redeploy", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toContain("`/redeploy <sha>`");
  });
});

describe("deployment_status of a redeploy", () => {
  it("success records the mitigation in the incident, once", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectGetIssue(issue);
    expectGetIssue(issue);
    expectPatchIssue(issue);
    await deliver(loaded, "deployment_status", redeployStatusPayload("success"));
    expect(pending()).toEqual([]);
    expect(issue.response.mitigatedAt).toBe("2024-05-01T12:45:00Z");
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "redeploy.succeeded" });

    expectGetIssue(issue);
    expectGetIssue(issue);
    await deliver(loaded, "deployment_status", redeployStatusPayload("success"));
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
  });

  it.each([
    { login: "mallory", type: "User" },
    { login: "other-app[bot]", type: "Bot" },
  ])(
    "a deployment $login created with a copied payload does not mark the incident mitigated",
    async (creator) => {
      const loaded = await loadResponseApp();
      // No interceptor: reading the incident would fail the delivery.
      const payload = redeployStatusPayload("success", undefined, creator);
      await expect(deliver(loaded, "deployment_status", payload)).resolves.toBeUndefined();
      expect(pending()).toEqual([]);
    },
  );

  it("a status that is not final changes nothing", async () => {
    const loaded = await loadResponseApp();
    await deliver(loaded, "deployment_status", redeployStatusPayload("in_progress"));
  });
});
