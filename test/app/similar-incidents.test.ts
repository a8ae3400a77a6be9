// Similar past incidents when an incident opens: the history listing, the "Similar incidents" section,
// the recurrence boost of suspects, and an incident that still opens when the listing fails. GitHub
// is in memory behind nock; the suspects come from a mocked scorer that keeps each PR's files.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppEvents } from "../../src/app/events.js";
import { sharedHintsReader } from "../../src/app/pipeline/service-hints.js";
import type { PullRef, Suspect } from "../../src/core/suspects/correlation-types.js";
import type { IncidentRecord } from "../../src/core/incident/incident-record.js";
import { incidentRecord } from "../helpers/incident-record.js";
import { DEFAULT_RECURRENCE_BOOST } from "../../src/core/learning/similar.js";
import { renderIncidentBody } from "../../src/core/incident/render-incident.js";
import { fetchHistory } from "../../src/github/history.js";
import { FakeGitHub, firingPayload, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../src/core/suspects/scoring.js", () => ({
  rankSuspects: vi.fn(({ pulls }: { pulls: PullRef[] }) =>
    pulls.map((p, i): Suspect => ({
      number: p.number,
      title: p.title,
      author: p.author,
      deploymentId: p.deploymentId,
      deploymentSha: "abc123",
      // The first pull ranks higher before any boost.
      score: 0.7 - i * 0.1,
      reasons: ["deployed 8m before the alert (+0.30)"],
      files: p.files.map((f) => f.path),
    })),
  ),
}));

const NOW = "2024-05-01T12:05:00Z";
const ISSUES = "GET /repos/acme/shop/issues";

function pull(number: number, paths: string[]): PullRef {
  return {
    number,
    title: `PR ${number}`,
    author: "dev",
    mergedAt: "2024-05-01T11:50:00Z",
    deploymentId: 7,
    additions: 5,
    deletions: 1,
    files: paths.map((path) => ({ path, additions: 5, deletions: 1 })),
  };
}

/** A past incident whose root cause #12 (touching the payments client) was confirmed. */
function pastRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return incidentRecord({
    groupKey: '{}:{alertname="PaymentErrors"}',
    fingerprints: {
      old1: {
        status: "resolved",
        alertname: "PaymentErrors",
        summary: "payments are failing",
        startsAt: "2024-04-10T09:00:00Z",
      },
    },
    status: "resolved",
    name: "PaymentErrors",
    service: "payments",
    suspects: [
      {
        number: 12,
        title: "Rewrite the payments client",
        author: "carol",
        deploymentId: 3,
        score: 0.8,
        reasons: [],
        files: ["src/payments/client.ts", "src/payments/retry.ts"],
      },
    ],
    timeline: [{ at: "2024-04-10T09:01:00Z", actor: "alertmanager", kind: "opened", text: "Opened" }],
    openedAt: "2024-04-10T09:01:00Z",
    response: {
      rootCause: { pr: 12, confirmed: true },
      actionItems: [],
      rollbacks: [],
      handled: [],
      resolvedAt: "2024-04-10T10:00:00Z",
    },
    ...overrides,
  });
}

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> };
let events: AppEvents;
let correlations: Array<{ seconds: number; requests: number }>;
let openedWithOctokit: boolean[];

async function start() {
  events = new AppEvents();
  correlations = [];
  openedWithOctokit = [];
  events.on("correlation", (e) => void correlations.push(e));
  events.on("incident.opened", (e) => void openedWithOctokit.push(e.octokit !== undefined));
  const { handler } = await loadApp({}, { events, now: () => new Date(NOW) });
  server = await serve(handler);
  return server.url;
}

function addPast(number: number, record: IncidentRecord) {
  github.issues.push({
    number,
    title: `[P2] ${record.name}`,
    body: renderIncidentBody(record),
    labels: ["incident", "resolved"],
    assignees: [],
    state: "closed",
    comments: [],
    createdAt: record.openedAt,
  });
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  sharedHintsReader.clear();
  github = new FakeGitHub();
  vi.mocked(fetchHistory)
    .mockReset()
    .mockResolvedValue({
      deployments: [
        {
          id: 7,
          sha: "abc123",
          environment: "production",
          createdAt: "2024-05-01T11:55:00Z",
          status: "success",
        },
      ],
      // #41 ranks first before the boost; #42 touches the earlier culprit's file.
      pulls: [pull(41, ["docs/readme.md"]), pull(42, ["src/payments/client.ts", "src/cart.ts"])],
      requests: 2,
    });
});

afterEach(async () => {
  await server?.close();
  nock.cleanAll();
});

describe("similar incidents when an incident opens", () => {
  it("lists a past incident whose confirmed culprit touched the same file, and boosts that suspect", async () => {
    addPast(50, pastRecord());
    github.install();
    const url = await start();
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(201);
    await events.idle();

    const opened = github.issues.find((i) => i.state === "open")!;
    const record = github.records()[github.issues.indexOf(opened)]!;
    // The history was listed by label and state, 90 days back (the default), once: the past culprits
    // of the service (service hints: the config names no paths for it) and the similar incidents
    // both read that one listing.
    const history = github.listings.filter((q) => q.state === "all");
    expect(history).toHaveLength(1);
    for (const listing of history)
      expect(listing).toMatchObject({
        labels: "incident",
        since: new Date(Date.parse(NOW) - 90 * 86_400_000).toISOString(),
      });

    expect(record.similar).toEqual([
      {
        number: 50,
        url: "https://github.com/acme/shop/issues/50",
        why: ["#42 touches src/payments/client.ts, also changed by #12 (the confirmed culprit in #50)"],
        outcome: "fixed forward",
      },
    ]);
    // #42 was second (0.6) and is now first, with the reason; #41 is unchanged.
    expect(record.suspects.map((s) => [s.number, s.score])).toEqual([
      [42, 0.6 + DEFAULT_RECURRENCE_BOOST],
      [41, 0.7],
    ]);
    expect(record.suspects[0]!.reasons.at(-1)).toBe(
      `touches files of an earlier culprit: src/payments/client.ts (#12, confirmed) (+${DEFAULT_RECURRENCE_BOOST.toFixed(2)})`,
    );
    // The suspects' files are kept for the next incident's matching.
    expect(record.suspects[0]!.files).toEqual(["src/payments/client.ts", "src/cart.ts"]);

    expect(opened.body).toContain("### Similar incidents");
    expect(opened.body).toContain("[\\#50](https://github.com/acme/shop/issues/50) (fixed forward)");
    expect(opened.body).toContain("src/payments/client.ts");
    // Correlation's figure counts the listing too, once: 2 to rank, 2 for service hints (tree, past
    // incidents), none more for the similar incidents.
    expect(correlations).toEqual([{ seconds: expect.any(Number), requests: 4 }]);
    // incident.opened carries the installation octokit (the automatic rollback reuses it).
    expect(openedWithOctokit).toEqual([true]);
  });

  it("matches the same error through the alert's error annotation, whatever its numbers", async () => {
    addPast(
      51,
      pastRecord({
        suspects: [],
        response: undefined,
        fingerprints: {
          old2: {
            status: "resolved",
            alertname: "Timeouts",
            summary: "upstream timeout after 3012 ms on order 8812",
            startsAt: "2024-04-20T09:00:00Z",
          },
        },
        name: "Timeouts",
        service: "gateway",
        openedAt: "2024-04-20T09:01:00Z",
      }),
    );
    github.install();
    const url = await start();
    const payload = firingPayload();
    payload.alerts[0]!.annotations["error"] = "upstream timeout after 2990 ms on order 17";
    expect((await post(`${url}/alertmanager`, payload)).status).toBe(201);
    const record = github.records().find((r) => r?.status === "firing")!;
    expect(record.similar?.map((s) => s.number)).toEqual([51]);
    expect(record.similar?.[0]?.why).toEqual(["same error: upstream timeout after <n> ms on order <n>"]);
    // No culprit overlap: no boost.
    expect(record.suspects.map((s) => s.score)).toEqual([0.7, 0.6]);
  });

  it("still opens the incident, with a warning, when listing the history fails", async () => {
    addPast(50, pastRecord());
    // Both listings fail: the service hints' (tolerated, logged) and the similar incidents'.
    github.failNext(`${ISSUES}?state=all`, 500, 500);
    github.install();
    const url = await start();
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(201);
    const opened = github.issues.find((i) => i.state === "open")!;
    const record = github.records()[github.issues.indexOf(opened)]!;
    expect(record.similar).toBeUndefined();
    expect(record.warnings).toEqual([
      expect.stringMatching(/^Similar past incidents could not be listed \(injected 500\)/),
    ]);
    expect(opened.body).toContain("Similar past incidents could not be listed");
    expect(opened.body).not.toContain("### Similar incidents");
    // The suspects are there, unboosted.
    expect(record.suspects.map((s) => [s.number, s.score])).toEqual([
      [41, 0.7],
      [42, 0.6],
    ]);
  });

  it("reads no history when the repository turns it off, and honours its lookback", async () => {
    addPast(50, pastRecord());
    github.config = "history:\n  enabled: false\n";
    github.install();
    let url = await start();
    expect((await post(`${url}/alertmanager`, firingPayload())).status).toBe(201);
    expect(github.listings.filter((q) => q.state === "all")).toEqual([]);
    expect(github.records().find((r) => r?.status === "firing")?.similar).toBeUndefined();
    await server.close();

    // 10 days back does not reach the incident of April 10th.
    github = new FakeGitHub();
    addPast(50, pastRecord());
    github.config = "history:\n  lookback: 10d\n";
    nock.cleanAll();
    github.install();
    url = await start();
    expect((await post(`${url}/alertmanager`, firingPayload())).status).toBe(201);
    expect(github.listings.find((q) => q.state === "all")?.since).toBe("2024-04-21T12:05:00.000Z");
    expect(github.records().find((r) => r?.status === "firing")?.similar).toBeUndefined();
  });
});
