import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fetchHistory } from "../../src/github/history.js";
import { countRequests } from "../../src/github/request-counter.js";

const API = "https://api.github.com";

function client() {
  return new Octokit({ auth: "test-token", retry: { enabled: false }, throttle: { enabled: false } });
}

interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
}

function deployment(id: number, createdAt: string, sha: string, state: string | null, committedDate: string) {
  return {
    id: `DE_${id}`,
    databaseId: id,
    createdAt,
    commitOid: sha,
    commit: { committedDate },
    latestStatus:
      state === null ? null : { state, description: null, logUrl: `https://ci/${id}`, environmentUrl: null },
  };
}

function pr(number: number, mergedAt: string | null, files: string[] = ["src/a.ts"]) {
  return {
    number,
    title: `PR ${number}`,
    url: `https://github.com/o/r/pull/${number}`,
    mergedAt,
    additions: 10,
    deletions: 2,
    author: { login: "alice" },
    mergeCommit: mergedAt === null ? null : { oid: `m${number}` },
    files: { nodes: files.map((path) => ({ path, additions: 5, deletions: 1 })) },
  };
}

const commit = (oid: string, pull?: ReturnType<typeof pr>) => ({
  oid,
  associatedPullRequests: { nodes: pull ? [pull] : [] },
});

const history = (nodes: ReturnType<typeof commit>[], endCursor: string | null = null) => ({
  history: { pageInfo: { hasNextPage: endCursor !== null, endCursor }, nodes },
});

const opts = {
  owner: "o",
  repo: "r",
  environment: "production",
  since: new Date("2024-04-30T12:00:00Z"),
  until: new Date("2024-05-01T12:00:00Z"),
};

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("fetchHistory", () => {
  it("lists deployments and their PRs in three GraphQL requests, attributing each PR to the first deploy that shipped it", async () => {
    const bodies: GraphQLBody[] = [];
    const isDeployments = (b: GraphQLBody) => b.query.includes("deployments(");
    const isHistory = (b: GraphQLBody) => b.query.includes("history(");
    const scope = nock(API)
      .post("/graphql", (b: GraphQLBody) => isDeployments(b) && b.variables.environment === "production")
      .reply(200, (_uri, body) => {
        bodies.push(body as GraphQLBody);
        return {
          data: {
            repository: {
              deployments: {
                // More pages exist, but deployment 300 (before `since`) is already the base: no second page.
                pageInfo: { hasNextPage: true, endCursor: "next" },
                nodes: [
                  deployment(304, "2024-05-01T12:30:00Z", "ddd", "SUCCESS", "2024-05-01T12:20:00Z"), // after until
                  deployment(303, "2024-05-01T11:48:00Z", "ccc", "SUCCESS", "2024-05-01T11:40:00Z"),
                  deployment(302, "2024-05-01T11:00:00Z", "bbb2", "FAILURE", "2024-05-01T10:50:00Z"),
                  // Awaiting approval and not the newest: never deployed, left out.
                  deployment(310, "2024-05-01T10:00:00Z", "zzz", "WAITING", "2024-05-01T09:50:00Z"),
                  deployment(301, "2024-05-01T09:00:00Z", "bbb", "INACTIVE", "2024-05-01T08:50:00Z"),
                  deployment(300, "2024-04-30T08:00:00Z", "aaa", "INACTIVE", "2024-04-30T07:50:00Z"),
                ],
              },
            },
          },
        };
      })
      .post("/graphql", (b: GraphQLBody) => isHistory(b) && b.variables.oid0 === "bbb")
      .reply(200, (_uri, body) => {
        bodies.push(body as GraphQLBody);
        return {
          data: {
            repository: {
              d0: history([
                commit("bbb", pr(11, "2024-05-01T08:50:00Z")),
                commit("b1", pr(11, "2024-05-01T08:50:00Z")), // a commit of the same PR: counted once
                commit("b2", pr(12, null)), // open PR: not merged, left out
                commit("b3"), // pushed straight to the branch: no PR
                commit("b0", pr(10, "2024-05-01T08:00:00Z")),
                commit("aaa", pr(9, "2024-04-30T07:50:00Z")), // the base: stop here
              ]),
              d1: history([
                commit("bbb2", pr(13, "2024-05-01T10:50:00Z")),
                commit("bbb", pr(11, "x")),
                commit("x", pr(99, "x")),
              ]),
              d2: history(
                [commit("ccc", pr(14, "2024-05-01T11:40:00Z")), commit("c1", pr(11, "2024-05-01T08:50:00Z"))],
                "cur1",
              ),
            },
          },
        };
      })
      .post("/graphql", (b: GraphQLBody) => isHistory(b) && b.variables.oid0 === "ccc")
      .reply(200, (_uri, body) => {
        bodies.push(body as GraphQLBody);
        return {
          data: {
            repository: { d0: history([commit("c2", pr(15, "2024-05-01T11:30:00Z")), commit("bbb2")]) },
          },
        };
      });

    const result = await fetchHistory(client(), opts);

    expect(scope.isDone()).toBe(true);
    expect(result.requests).toBe(3);
    expect(result.deployments.map((d) => [d.id, d.status, d.checkFailed])).toEqual([
      [301, "inactive", false],
      [302, "failure", true],
      [303, "success", false],
    ]);
    expect(result.deployments[0]).toMatchObject({
      sha: "bbb",
      environment: "production",
      url: "https://ci/301",
    });
    expect(result.pulls.map((p) => [p.number, p.deploymentId])).toEqual([
      [11, 301],
      [10, 301],
      [13, 302],
      [14, 303],
      [15, 303],
    ]);
    expect(result.pulls[0]).toMatchObject({
      title: "PR 11",
      author: "alice",
      mergeCommitSha: "m11",
      additions: 10,
      files: [{ path: "src/a.ts", additions: 5, deletions: 1 }],
    });

    // Each walk starts at its deploy's commit and is bounded by the previous live deploy's commit date.
    const [, first, second] = bodies;
    expect(first!.variables).toMatchObject({
      oid0: "bbb",
      since0: "2024-04-30T07:50:00Z",
      oid1: "bbb2",
      since1: "2024-05-01T08:50:00Z",
      oid2: "ccc",
      since2: "2024-05-01T10:50:00Z",
    });
    // Only the walk that had not reached its base asks for another page, from where it stopped.
    expect(second!.variables).toMatchObject({ oid0: "ccc", after0: "cur1", since0: "2024-05-01T10:50:00Z" });
    expect(second!.query).not.toContain("$oid1");
  });

  it("keeps a deployment still being verified at the alert (in_progress), with its status and its PRs", async () => {
    // The gate created deployment 402 and marked it in_progress; the alert fired before it passed.
    const bodies: GraphQLBody[] = [];
    const scope = nock(API)
      .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments("))
      .reply(200, {
        data: {
          repository: {
            deployments: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [
                deployment(402, "2024-05-01T11:50:00Z", "new", "IN_PROGRESS", "2024-05-01T11:45:00Z"),
                deployment(401, "2024-05-01T06:00:00Z", "old", "SUCCESS", "2024-05-01T05:55:00Z"),
                deployment(400, "2024-04-29T06:00:00Z", "older", "INACTIVE", "2024-04-29T05:55:00Z"),
              ],
            },
          },
        },
      })
      .post("/graphql", (b: GraphQLBody) => b.query.includes("history("))
      .reply(200, (_uri, body) => {
        bodies.push(body as GraphQLBody);
        return {
          data: {
            repository: {
              d0: history([commit("old", pr(20, "2024-05-01T05:55:00Z")), commit("older")]),
              d1: history([
                commit("new", pr(21, "2024-05-01T11:45:00Z", ["services/checkout/pay.ts"])),
                commit("n1", pr(22, "2024-05-01T11:00:00Z")),
                commit("old", pr(20, "2024-05-01T05:55:00Z")),
              ]),
            },
          },
        };
      });

    const result = await fetchHistory(client(), opts);

    expect(scope.isDone()).toBe(true);
    expect(result.deployments.map((d) => [d.id, d.status, d.checkFailed])).toEqual([
      [401, "success", false],
      [402, "in_progress", false],
    ]);
    expect(result.pulls.map((p) => [p.number, p.deploymentId])).toEqual([
      [20, 401],
      [21, 402],
      [22, 402],
    ]);
    // The in-flight deployment is walked back to the last live one.
    expect(bodies[0]!.variables).toMatchObject({ oid1: "new", since1: "2024-05-01T05:55:00Z" });
  });

  it.each([
    ["QUEUED", "queued"],
    ["PENDING", "pending"],
    [null, "pending"],
  ])(
    "keeps a deployment whose latest status is %s, and does not walk a later one back to it",
    async (state, status) => {
      const bodies: GraphQLBody[] = [];
      nock(API)
        .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments("))
        .reply(200, {
          data: {
            repository: {
              deployments: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  deployment(503, "2024-05-01T11:00:00Z", "c3", "SUCCESS", "2024-05-01T10:55:00Z"),
                  deployment(502, "2024-05-01T10:00:00Z", "c2", state, "2024-05-01T09:55:00Z"),
                  deployment(501, "2024-05-01T06:00:00Z", "c1", "SUCCESS", "2024-05-01T05:55:00Z"),
                ],
              },
            },
          },
        })
        .post("/graphql", (b: GraphQLBody) => b.query.includes("history("))
        .reply(200, (_uri, body) => {
          bodies.push(body as GraphQLBody);
          return {
            data: {
              repository: {
                d0: history([commit("c1", pr(30, "2024-05-01T05:55:00Z"))]),
                d1: history([commit("c2", pr(31, "2024-05-01T09:55:00Z")), commit("c1")]),
                d2: history([commit("c3", pr(32, "2024-05-01T10:55:00Z")), commit("c2"), commit("c1")]),
              },
            },
          };
        });

      const result = await fetchHistory(client(), opts);

      expect(result.deployments.map((d) => [d.id, d.status])).toEqual([
        [501, "success"],
        [502, status],
        [503, "success"],
      ]);
      expect(result.pulls.map((p) => [p.number, p.deploymentId])).toEqual([
        [30, 501],
        [31, 502],
        [32, 503],
      ]);
      // 503's base is 501 (live), not 502, which may never have gone live.
      expect(bodies[0]!.variables).toMatchObject({ oid2: "c3", since2: "2024-05-01T05:55:00Z" });
    },
  );

  it("keeps the newest deployment in range whatever its state", async () => {
    nock(API)
      .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments("))
      .reply(200, {
        data: {
          repository: {
            deployments: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [
                deployment(602, "2024-05-01T11:00:00Z", "w2", "WAITING", "2024-05-01T10:55:00Z"),
                deployment(601, "2024-05-01T10:00:00Z", "w1", "WAITING", "2024-05-01T09:55:00Z"),
                deployment(600, "2024-05-01T06:00:00Z", "s0", "SUCCESS", "2024-05-01T05:55:00Z"),
              ],
            },
          },
        },
      })
      .post("/graphql", (b: GraphQLBody) => b.query.includes("history("))
      .reply(200, {
        data: {
          repository: {
            d0: history([commit("s0", pr(40, "2024-05-01T05:55:00Z"))]),
            d1: history([commit("w2", pr(41, "2024-05-01T10:55:00Z")), commit("s0")]),
          },
        },
      });

    const result = await fetchHistory(client(), opts);

    expect(result.deployments.map((d) => [d.id, d.status])).toEqual([
      [600, "success"],
      [602, "waiting"],
    ]);
    expect(result.pulls.map((p) => [p.number, p.deploymentId])).toEqual([
      [40, 600],
      [41, 602],
    ]);
  });

  it("pages deployments until it finds the base of the oldest deployment in range", async () => {
    const scope = nock(API)
      .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments(") && b.variables.cursor === null)
      .reply(200, {
        data: {
          repository: {
            deployments: {
              pageInfo: { hasNextPage: true, endCursor: "p2" },
              nodes: [deployment(2, "2024-05-01T11:00:00Z", "new", "SUCCESS", "2024-05-01T10:00:00Z")],
            },
          },
        },
      })
      .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments(") && b.variables.cursor === "p2")
      .reply(200, {
        data: {
          repository: {
            deployments: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [deployment(1, "2024-04-20T11:00:00Z", "old", "INACTIVE", "2024-04-20T10:00:00Z")],
            },
          },
        },
      })
      .post(
        "/graphql",
        (b: GraphQLBody) => b.query.includes("history(") && b.variables.since0 === "2024-04-20T10:00:00Z",
      )
      .reply(200, {
        data: { repository: { d0: history([commit("new", pr(5, "2024-05-01T10:00:00Z")), commit("old")]) } },
      });

    const result = await fetchHistory(client(), opts);
    expect(scope.isDone()).toBe(true);
    expect(result.requests).toBe(3);
    expect(result.pulls.map((p) => [p.number, p.deploymentId])).toEqual([[5, 2]]);
  });

  it("makes one request and returns nothing when no deployment is in range", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: {
          repository: { deployments: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
        },
      });
    const result = await fetchHistory(client(), opts);
    expect(result).toEqual({ deployments: [], pulls: [], requests: 1 });
  });

  it("says which repository could not be read", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: null } });
    await expect(fetchHistory(client(), opts)).rejects.toThrow(/repository o\/r not found/);
  });
});

describe("countRequests", () => {
  it("counts REST and GraphQL requests made through one Octokit, until stopped", async () => {
    nock(API)
      .get("/repos/o/r")
      .reply(200, {})
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "x" } } })
      .get("/repos/o/r")
      .reply(200, {});
    const octokit = client();
    const counter = countRequests(octokit);
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    await octokit.graphql("{ viewer { login } }");
    counter.stop();
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    expect(counter.count).toBe(2);
    expect(counter.calls).toEqual(["GET /repos/{owner}/{repo}", "POST /graphql"]);
  });
});
