// What the ranker is given when an alert opens an incident, end to end: the real history fetch over
// nock'd GraphQL, the real service hints over the in-memory GitHub, and the real ranker (spied on).
// The release the gate is still verifying (in_progress) must be in it, with its PRs and its status.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sharedHintsReader } from "../../src/app/pipeline/service-hints.js";
import type { CorrelationCase } from "../../src/core/suspects/correlation-types.js";
import type * as Scoring from "../../src/core/suspects/scoring.js";
import { rankSuspects } from "../../src/core/suspects/scoring.js";
import { API, FakeGitHub, firingPayload, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/core/suspects/scoring.js", async (importOriginal) => {
  const actual = await importOriginal<typeof Scoring>();
  return { ...actual, rankSuspects: vi.fn(actual.rankSuspects) };
});

const NEW_SHA = "b".repeat(40);
const OLD_SHA = "a".repeat(40);

interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
}

const pr = (number: number, mergedAt: string, path: string) => ({
  number,
  title: `PR ${number}`,
  url: `https://github.com/acme/shop/pull/${number}`,
  mergedAt,
  additions: 10,
  deletions: 2,
  author: { login: "dev" },
  mergeCommit: { oid: `m${number}` },
  files: { nodes: [{ path, additions: 10, deletions: 2 }] },
});

/** Deployment 2 went out 6 h before the alert; deployment 3 is still being verified by the gate. */
function mockGraphQL() {
  return nock(API)
    .post("/graphql", (b: GraphQLBody) => b.query.includes("deployments("))
    .reply(200, {
      data: {
        repository: {
          deployments: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [
              {
                id: "D3",
                databaseId: 3,
                createdAt: "2024-05-01T11:58:00Z",
                commitOid: NEW_SHA,
                commit: { committedDate: "2024-05-01T11:55:00Z" },
                latestStatus: {
                  state: "IN_PROGRESS",
                  description: "aftershock: watching",
                  logUrl: null,
                  environmentUrl: null,
                },
              },
              {
                id: "D2",
                databaseId: 2,
                createdAt: "2024-05-01T06:00:00Z",
                commitOid: OLD_SHA,
                commit: { committedDate: "2024-05-01T05:55:00Z" },
                latestStatus: { state: "SUCCESS", description: null, logUrl: null, environmentUrl: null },
              },
            ],
          },
        },
      },
    })
    .post("/graphql", (b: GraphQLBody) => b.query.includes("history("))
    .reply(200, {
      data: {
        repository: {
          d0: {
            history: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [
                {
                  oid: OLD_SHA,
                  associatedPullRequests: {
                    nodes: [pr(20, "2024-05-01T05:55:00Z", "web/checkout-button.tsx")],
                  },
                },
              ],
            },
          },
          d1: {
            history: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: [
                {
                  oid: NEW_SHA,
                  associatedPullRequests: {
                    nodes: [pr(21, "2024-05-01T11:55:00Z", "services/checkout/pay.ts")],
                  },
                },
                { oid: OLD_SHA, associatedPullRequests: { nodes: [] } },
              ],
            },
          },
        },
      },
    });
}

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> } | undefined;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  sharedHintsReader.clear();
  vi.mocked(rankSuspects).mockClear();
  github = new FakeGitHub();
});

afterEach(async () => {
  await server?.close();
  nock.cleanAll();
});

async function fire(): Promise<CorrelationCase> {
  const graphql = mockGraphQL();
  github.install();
  const { handler } = await loadApp();
  server = await serve(handler);
  const res = await post(`${server.url}/alertmanager`, firingPayload());
  expect(res.status).toBe(201);
  expect(graphql.isDone()).toBe(true);
  expect(rankSuspects).toHaveBeenCalledTimes(1);
  return vi.mocked(rankSuspects).mock.calls[0]![0];
}

describe("the case the ranker sees when an alert opens an incident", () => {
  it("has the deployment the gate is still verifying, with its status and its PRs", async () => {
    const seen = await fire();
    expect(seen.deployments.map((d) => [d.id, d.status])).toEqual([
      [2, "success"],
      [3, "in_progress"],
    ]);
    expect(seen.pulls.map((p) => [p.number, p.deploymentId])).toEqual([
      [20, 2],
      [21, 3],
    ]);
    // The incident lists it among the deploys considered, with its status.
    const record = github.records()[0]!;
    expect(record.deploys.find((d) => d.id === 3)).toMatchObject({ sha: NEW_SHA, status: "in_progress" });
    expect(github.issues[0]!.body).toMatch(/\| 3 \| `bbbbbbbbbbbb` \| production \| .* \| in\\_progress \|/);
  });

  it("carries the repository's paths and CODEOWNERS at the newest deployment's commit as hints", async () => {
    github.tree = [
      { path: "services", type: "tree" },
      { path: "services/checkout", type: "tree" },
      { path: "services/checkout/pay.ts", type: "blob" },
      { path: "CODEOWNERS", type: "blob" },
    ];
    github.files.set("CODEOWNERS", "/services/checkout/ @acme/payments\n");
    const seen = await fire();
    expect(seen.hints).toEqual({
      paths: ["services", "services/checkout", "services/checkout/pay.ts", "CODEOWNERS"],
      codeowners: "/services/checkout/ @acme/payments\n",
    });
    expect(github.calls).toContain("GET /repos/acme/shop/git/trees");
  });

  it("reads no hints when the config names the service's paths", async () => {
    github.config = 'services:\n  checkout: ["services/checkout/**"]\n';
    const seen = await fire();
    expect(seen.hints).toBeUndefined();
    expect(seen.config?.services).toEqual({ checkout: ["services/checkout/**"] });
    expect(github.calls).not.toContain("GET /repos/acme/shop/git/trees");
  });

  it("opens the incident without hints when they cannot be read", async () => {
    github.failNext("GET /repos/acme/shop/git/trees", 500);
    github.failNext("GET /repos/acme/shop/issues?state=all", 500);
    const seen = await fire();
    expect(seen.hints).toEqual({});
    const record = github.records()[0]!;
    expect(record.deploys).toHaveLength(2);
    // Hints are a nicety: their failure is logged, not shown as a ranking failure.
    expect(record.warnings.filter((w) => w.includes("Suspects could not be ranked"))).toEqual([]);
  });
});
