import { describe, expect, it } from "vitest";
import { deploymentState, findDeployment, markDeployment } from "../../src/github/deployment-status.js";
import type { GitHubClient } from "../../src/github/incidents/client.js";

/** A GitHubClient that records requests and answers each with the next canned body. */
class FakeClient implements GitHubClient {
  readonly calls: { route: string; params: Record<string, unknown> }[] = [];
  constructor(private readonly answers: unknown[] = []) {}
  async request(route: string, params: Record<string, unknown> = {}) {
    this.calls.push({ route, params });
    return { data: this.answers.shift() };
  }
}

const REPO = { owner: "o", repo: "r" };

describe("findDeployment", () => {
  it("uses a given id without asking GitHub", async () => {
    const client = new FakeClient();
    expect(await findDeployment(client, { ...REPO, deploymentId: 42, sha: "abc" })).toBe(42);
    expect(client.calls).toEqual([]);
  });

  it("asks for the newest deployment of the commit in the environment", async () => {
    const client = new FakeClient([[{ id: 555 }, { id: 554 }]]);
    expect(await findDeployment(client, { ...REPO, sha: "abc123", environment: "production" })).toBe(555);
    expect(client.calls).toEqual([
      {
        route: "GET /repos/{owner}/{repo}/deployments",
        params: { owner: "o", repo: "r", sha: "abc123", environment: "production", per_page: 1 },
      },
    ]);
  });

  it("leaves the environment out of the query when none is given", async () => {
    const client = new FakeClient([[{ id: 7 }]]);
    expect(await findDeployment(client, { ...REPO, sha: "abc123" })).toBe(7);
    expect(client.calls[0]?.params).not.toHaveProperty("environment");
  });

  it("returns null when the commit has no deployment", async () => {
    expect(await findDeployment(new FakeClient([[]]), { ...REPO, sha: "abc123", environment: "prod" })).toBe(
      null,
    );
  });

  it("returns null without a request when there is neither an id nor a commit", async () => {
    const client = new FakeClient();
    expect(await findDeployment(client, REPO)).toBe(null);
    expect(client.calls).toEqual([]);
  });
});

describe("deploymentState", () => {
  it.each([
    ["pass", false, "success"],
    ["pass", true, "success"],
    ["fail", false, "failure"],
    ["fail", true, "failure"],
    ["inconclusive", false, null],
    ["inconclusive", true, "failure"],
  ] as const)("%s with failOnInconclusive=%s is %s", (verdict, failOnInconclusive, state) => {
    expect(deploymentState(verdict, failOnInconclusive)).toBe(state);
  });
});

describe("markDeployment", () => {
  const target = { ...REPO, deploymentId: 99 };

  it("posts the status with the log URL, leaving older statuses active", async () => {
    const client = new FakeClient([{}]);
    await markDeployment(client, target, {
      state: "failure",
      description: "aftershock: fail (P1): errors above 5 %",
      logUrl: "https://github.com/o/r/actions/runs/42",
    });
    expect(client.calls).toEqual([
      {
        route: "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
        params: {
          owner: "o",
          repo: "r",
          deployment_id: 99,
          state: "failure",
          description: "aftershock: fail (P1): errors above 5 %",
          log_url: "https://github.com/o/r/actions/runs/42",
          auto_inactive: false,
        },
      },
    ]);
  });

  it("sends no log_url when there is none", async () => {
    const client = new FakeClient([{}]);
    await markDeployment(client, target, { state: "success", description: "ok" });
    expect(client.calls[0]?.params).not.toHaveProperty("log_url");
  });

  it("keeps a description of exactly 140 characters and cuts a longer one to 140 with an ellipsis", async () => {
    const client = new FakeClient([{}, {}]);
    const exact = "x".repeat(140);
    const long = "y".repeat(139) + "TAIL";
    await markDeployment(client, target, { state: "success", description: exact });
    await markDeployment(client, target, { state: "success", description: long });
    expect(client.calls[0]?.params.description).toBe(exact);
    const cut = client.calls[1]?.params.description as string;
    expect(cut).toBe(`${"y".repeat(139)}…`);
    expect([...cut]).toHaveLength(140);
  });

  // Check names and reasons can hold emoji: cutting between the two halves of a surrogate pair
  // would send GitHub a lone surrogate (invalid UTF-16, mangled or rejected).
  it("does not cut a description inside a surrogate pair", async () => {
    const client = new FakeClient([{}]);
    await markDeployment(client, target, { state: "failure", description: `${"z".repeat(138)}🔥🔥🔥` });
    const cut = client.calls[0]?.params.description as string;
    expect([...cut].length).toBeLessThanOrEqual(140);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
