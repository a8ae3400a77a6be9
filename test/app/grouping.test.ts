// One incident per cause, group commit and pacing (issue 14), through the real HTTP handler, Probot
// and GitHub in memory behind nock. Correlation is mocked so that each alert's service decides which
// deploy is its top suspect: checkout and payments → deploy 7, search → deploy 8.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchHistory } from "../../src/github/history.js";
import type { AppOptions } from "../../src/app/index.js";
import { TWO_DEPLOYS, group } from "./grouping-fixtures.js";
import { API, FakeGitHub, INSTALLATION_ID, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../src/core/suspects/scoring.js", async () => ({
  rankSuspects: (await import("./grouping-ranking.js")).rankByService,
}));

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> } | undefined;
const clock = { now: Date.parse("2024-05-01T12:05:00Z") };

async function start(options: AppOptions = {}): Promise<string> {
  const { handler, probot } = await loadApp({}, { now: () => new Date(clock.now), ...options });
  server = await serve(handler);
  started = probot;
  return `${server.url}/alertmanager`;
}
let started: Awaited<ReturnType<typeof loadApp>>["probot"] | undefined;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  github = new FakeGitHub();
  clock.now = Date.parse("2024-05-01T12:05:00Z");
  vi.mocked(fetchHistory).mockReset().mockResolvedValue(TWO_DEPLOYS);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  nock.cleanAll();
});

const records = () => github.records().filter((r) => r !== null);
const writes = () => github.calls.filter((c) => c.startsWith("PATCH") || c.startsWith("POST /repos"));

describe("one incident per cause", () => {
  it("two groups from the same deploy, delivered at once, open one incident holding both", async () => {
    github.install();
    github.createDelay = 100; // both deliveries are in flight while the first issue is being opened
    const url = await start();
    const [a, b] = await Promise.all([
      post(url, group("HighErrorRate", "checkout", { e1: "firing" })),
      post(url, group("HighLatency", "payments", { l1: "firing" })),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json["issue"]).toBe(b.json["issue"]);
    expect(github.issues).toHaveLength(1);
    const [record] = records();
    const keys = [record!.groupKey, ...(record!.related ?? []).map((g) => g.groupKey)];
    expect(keys.sort()).toEqual([
      '{}:{alertname="HighErrorRate", service="checkout"}',
      '{}:{alertname="HighLatency", service="payments"}',
    ]);
    const issue = github.issues[0]!;
    expect(issue.body).toContain("### Related alerts");
    // Alert text is escaped in the related table and the comment: no mention, no HTML.
    expect(issue.comments.join("\n")).not.toContain("@oncall");
    expect(issue.body).not.toContain("<b>");
    expect(record!.timeline.some((e) => e.kind === "group-joined")).toBe(true);
  });

  it("a group whose top suspect is another deploy opens its own incident", async () => {
    github.install();
    const url = await start();
    expect((await post(url, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(201);
    expect((await post(url, group("HighErrorRate", "search", { s1: "firing" }))).status).toBe(201);
    expect(github.issues).toHaveLength(2);
    expect(records().map((r) => r.related ?? [])).toEqual([[], []]);
  });

  it("a group firing after the window opens its own incident", async () => {
    github.install();
    github.config = "grouping: { windowMinutes: 10 }\n";
    const url = await start();
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" }));
    clock.now += 11 * 60_000;
    expect((await post(url, group("HighLatency", "payments", { l1: "firing" }))).status).toBe(201);
    expect(github.issues).toHaveLength(2);
  });

  it("with grouping off every group opens its own incident", async () => {
    github.install();
    github.config = "grouping: { enabled: false }\n";
    const url = await start();
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" }));
    await post(url, group("HighLatency", "payments", { l1: "firing" }));
    expect(github.issues).toHaveLength(2);
  });

  it("resolves only when its last group resolves, and tracks each group", async () => {
    github.install();
    github.config = "closeOnResolve: true\n";
    const url = await start();
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" }));
    await post(url, group("HighLatency", "payments", { l1: "firing", l2: "firing" }));
    await post(url, group("HighErrorRate", "checkout", { e1: "resolved" }));
    const issue = github.issues[0]!;
    expect(issue.state).toBe("open");
    expect(issue.labels).not.toContain("resolved");
    expect(records()[0]!.status).toBe("firing");
    expect(records()[0]!.groupStatus).toBe("resolved");

    await post(url, group("HighLatency", "payments", { l1: "resolved", l2: "firing" }));
    expect(records()[0]!.status).toBe("firing");
    await post(url, group("HighLatency", "payments", { l1: "resolved", l2: "resolved" }));
    expect(records()[0]!.status).toBe("resolved");
    expect(issue.labels).toContain("resolved");
    expect(issue.state).toBe("closed");
    expect(issue.comments.at(-1)).toContain("Every alert group of this incident has resolved");
  });
});

describe("/split", () => {
  async function groupedIncident(): Promise<{ url: string; number: number }> {
    github.install();
    const url = await start();
    const first = await post(url, group("HighErrorRate", "checkout", { e1: "firing" }));
    await post(url, group("HighLatency", "payments", { l1: "firing" }));
    return { url, number: first.json["issue"] as number };
  }

  function comment(number: number, login: string, body: string) {
    const issue = github.issues.find((i) => i.number === number)!;
    return {
      action: "created",
      issue: {
        number,
        title: issue.title,
        body: issue.body,
        html_url: `https://github.com/acme/shop/issues/${number}`,
        user: { login: "aftershock[bot]", type: "Bot" },
        labels: [],
        state: "open",
      },
      comment: { id: 777, body, user: { login, type: "User" } },
      repository: { name: "shop", full_name: "acme/shop", owner: { login: "acme" } },
      installation: { id: INSTALLATION_ID },
    };
  }

  function access(login: string, permission: string) {
    nock(API)
      .get(`/repos/acme/shop/collaborators/${login}/permission`)
      .reply(200, { permission, role_name: permission, user: { login } });
    nock(API)
      .post(/\/reactions$/)
      .times(4)
      .reply(201, {});
  }

  it("by a writer moves the group into its own incident, and its next delivery goes there", async () => {
    const { url, number } = await groupedIncident();
    access("lead", "write");
    await started!.receive({
      id: "c1",
      name: "issue_comment",
      payload: comment(number, "lead", "/split 1"),
    } as never);
    expect(github.issues).toHaveLength(2);
    const [left, moved] = records();
    expect(left!.related ?? []).toEqual([]);
    expect(moved!.groupKey).toBe('{}:{alertname="HighLatency", service="payments"}');
    expect(github.issues[0]!.comments.at(-1)).toContain(`into #${github.issues[1]!.number}`);

    const next = await post(url, group("HighLatency", "payments", { l1: "firing", l9: "firing" }));
    expect(next.json["issue"]).toBe(github.issues[1]!.number);
    expect(Object.keys(records()[1]!.fingerprints).sort()).toEqual(["l1", "l9"]);
  });

  it("by a reader is refused and changes nothing", async () => {
    const { number } = await groupedIncident();
    access("visitor", "read");
    const before = github.issues[0]!.body;
    await started!.receive({
      id: "c2",
      name: "issue_comment",
      payload: comment(number, "visitor", "/split 1"),
    } as never);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toBe(before);
    expect(github.issues[0]!.comments.at(-1)).toContain("needs write access");
  });
});

describe("group commit", () => {
  it("ten deliveries queued behind a write make one body update and at most one comment, each answered after it", async () => {
    github.install();
    const url = await start({ pacing: { clock: () => clock.now } });
    await post(url, group("HighErrorRate", "checkout", { e0: "firing" }));
    github.updateDelay = 300;
    const order: string[] = [];
    const first = post(url, group("HighErrorRate", "checkout", { e0: "firing", e1: "firing" }));
    // Wait until the first batch is writing, then queue ten more behind its lock.
    while (!github.calls.some((c) => c.startsWith("GET /repos/acme/shop/issues/:n"))) await tick();
    const before = writes().length;
    const queued = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(url, group("HighErrorRate", "checkout", { e0: "firing", [`q${i}`]: "firing" })).then((r) => {
          order.push(`answered after ${writes().length} writes`);
          return r;
        }),
      ),
    );
    expect((await first).json["outcome"]).toBe("updated");
    expect(queued.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(queued.map((r) => r.json["outcome"])).toEqual(Array(10).fill("updated"));
    // The first batch (update + its comment) was under way; the ten made one more update and, within
    // a minute of that comment, none: their changes wait for the next one.
    const made = writes().slice(before);
    expect(made.filter((c) => c.startsWith("PATCH"))).toHaveLength(2);
    expect(made.filter((c) => c.startsWith("POST /repos/acme/shop/comments"))).toHaveLength(1);
    // Every queued delivery was answered once its update had been made.
    expect(new Set(order)).toEqual(new Set([`answered after ${writes().length} writes`]));
    const fingerprints = Object.keys(records()[0]!.fingerprints);
    for (let i = 0; i < 10; i++) expect(fingerprints).toContain(`q${i}`);

    // An identical redelivery of any of them writes nothing.
    github.updateDelay = 0;
    const count = writes().length;
    const again = await post(url, group("HighErrorRate", "checkout", { e0: "firing", q3: "firing" }));
    expect(again.json["outcome"]).toBe("unchanged");
    expect(writes()).toHaveLength(count);

    // A minute on, the next change's comment also lists the ten held back.
    clock.now += 61_000;
    await post(url, group("HighErrorRate", "checkout", { e0: "firing", z: "firing" }));
    const comment = github.issues[0]!.comments.at(-1)!;
    expect(comment).toContain("(11 changes)");
    expect(
      writes()
        .slice(count)
        .filter((c) => c.startsWith("POST /repos/acme/shop/comments")),
    ).toHaveLength(1);
  });
});

describe("pacing", () => {
  it("over budget answers 503 at once with retry-after, and the redelivery lands the change", async () => {
    github.install();
    const url = await start({
      pacing: { budget: { perMinute: 3, perHour: 100 }, waitMs: 5_000, clock: () => clock.now },
    });
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" })); // 1 write: the issue
    await post(url, group("HighErrorRate", "checkout", { e1: "firing", e2: "firing" })); // 2: body, comment
    const count = github.calls.length;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer s3cret-alertmanager-token" },
      body: JSON.stringify(group("HighErrorRate", "checkout", { e1: "firing", e2: "firing", e3: "firing" })),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(5);
    expect(github.calls).toHaveLength(count); // refused before any GitHub request
    expect(Object.keys(records()[0]!.fingerprints)).not.toContain("e3");

    clock.now += 61_000; // Alertmanager retries once the minute has passed
    const retried = await post(
      url,
      group("HighErrorRate", "checkout", { e1: "firing", e2: "firing", e3: "firing" }),
    );
    expect(retried.json["outcome"]).toBe("updated");
    expect(Object.keys(records()[0]!.fingerprints)).toContain("e3");
  });
});

describe("pacing: what a delivery is owed", () => {
  const budgetOf = (perMinute: number) => ({
    pacing: { budget: { perMinute, perHour: 100 }, waitMs: 5_000, clock: () => clock.now },
  });
  const comments = () => writes().filter((c) => c.startsWith("POST /repos/acme/shop/comments"));

  it("a batch whose comment has no write slot updates the body, answers 2xx and holds the comment", async () => {
    github.install();
    const url = await start(budgetOf(2));
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" })); // 1 write: the issue
    // The body update takes the minute's last slot; the comment would wait a minute.
    const res = await post(url, group("HighErrorRate", "checkout", { e1: "firing", e2: "firing" }));
    expect(res.status).toBe(200);
    expect(res.json["outcome"]).toBe("updated");
    expect(Object.keys(records()[0]!.fingerprints)).toContain("e2");
    expect(comments()).toHaveLength(0);

    // The next comment, once there is room, says what the held one would have said.
    clock.now += 61_000;
    await post(url, group("HighErrorRate", "checkout", { e1: "firing", e2: "firing", e3: "firing" }));
    expect(comments()).toHaveLength(1);
    expect(github.issues[0]!.comments.at(-1)).toContain("(2 changes)");
  });

  it("a group refused while firing that resolves by the retry still gets its incident, resolved", async () => {
    github.install();
    github.config = "grouping: { enabled: false }\ncloseOnResolve: true\n";
    const url = await start(budgetOf(2));
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" })); // the issue
    await post(url, group("HighErrorRate", "checkout", { e1: "firing", e2: "firing" })); // its body: full
    const refused = await post(url, group("HighLatency", "payments", { l1: "firing" }));
    expect(refused.status).toBe(503);

    clock.now += 61_000; // by Alertmanager's retry the group has resolved
    const resolved = await post(url, group("HighLatency", "payments", { l1: "resolved" }));
    expect(resolved.status).toBe(201);
    expect(github.issues).toHaveLength(2);
    const record = records().find((r) => r.service === "payments")!;
    expect(record.status).toBe("resolved");
    expect(record.fingerprints["l1"]?.status).toBe("resolved");
    expect(github.issues[1]!.state).toBe("closed");

    // Its redelivery, and a group that was never refused, open nothing.
    clock.now += 61_000;
    expect((await post(url, group("HighLatency", "payments", { l1: "resolved" }))).json["outcome"]).toBe(
      "ignored",
    );
    expect((await post(url, group("HighErrorRate", "search", { s1: "resolved" }))).json["outcome"]).toBe(
      "ignored",
    );
    expect(github.issues).toHaveLength(2);
  });

  it("with grouping on, such a group joins its cause's incident as resolved", async () => {
    github.install();
    const url = await start(budgetOf(1));
    await post(url, group("HighErrorRate", "checkout", { e1: "firing" }));
    expect((await post(url, group("HighLatency", "payments", { l1: "firing" }))).status).toBe(503);
    clock.now += 61_000;
    const resolved = await post(url, group("HighLatency", "payments", { l1: "resolved" }));
    expect(resolved.status).toBe(200);
    expect(github.issues).toHaveLength(1);
    const related = records()[0]!.related ?? [];
    expect(related.map((g) => [g.service, g.status])).toEqual([["payments", "resolved"]]);
    expect(records()[0]!.status).toBe("firing"); // checkout still fires
  });
});

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
