// The note on the top suspect's PR when an incident opens: once per PR per incident (redelivery, two
// replicas, an earlier note), only from a confident ranker, off by config, escaped, and a marker in
// somebody else's comment is not trusted. GitHub is in memory behind nock; the ranker is mocked so
// each test chooses the top suspect's confidence.
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppEvents } from "../../src/app/events.js";
import { appIncidentStores } from "../../src/app/identity.js";
import { InProcessKeyLock } from "../../src/app/lock.js";
import { noteTopSuspect } from "../../src/app/pipeline/author-note.js";
import { sharedHintsReader } from "../../src/app/pipeline/service-hints.js";
import type { PullRef, Suspect } from "../../src/core/suspects/correlation-types.js";
import { authorNoteMarker } from "../../src/core/incident/render-author-note.js";
import { parseRepoConfig } from "../../src/core/config/repo-config.js";
import { fetchHistory } from "../../src/github/history.js";
import type { FakeComment } from "./helpers.js";
import { FakeGitHub, INSTALLATION_ID, firingPayload, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

/** What the mocked ranker gives the top suspect (#42); the second (#43) is far behind. */
let top: { confidence?: number; title: string; reasons: string[] };

vi.mock("../../src/core/suspects/scoring.js", () => ({
  rankSuspects: vi.fn(({ pulls }: { pulls: PullRef[] }) =>
    pulls.map((p, i): Suspect => ({
      number: p.number,
      title: i === 0 ? top.title : p.title,
      author: p.author,
      url: `https://github.com/acme/shop/pull/${p.number}`,
      deploymentId: p.deploymentId,
      deploymentSha: "abc123",
      score: 0.9 - i * 0.5,
      ...(i === 0 && top.confidence !== undefined ? { confidence: top.confidence } : {}),
      ...(i > 0 ? { confidence: 0.05 } : {}),
      reasons: i === 0 ? top.reasons : ["deployed 6h before the alert"],
      files: p.files.map((f) => f.path),
    })),
  ),
}));

const pull = (number: number, path: string): PullRef => ({
  number,
  title: `PR ${number}`,
  author: "dev",
  mergedAt: "2024-05-01T11:50:00Z",
  deploymentId: 7,
  additions: 5,
  deletions: 1,
  files: [{ path, additions: 5, deletions: 1 }],
});

const REPO = { owner: "acme", repo: "shop" };
const MARKER = authorNoteMarker(REPO, 101);

let github: FakeGitHub;
let servers: Array<{ close: () => Promise<void> }>;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  sharedHintsReader.clear();
  servers = [];
  top = {
    confidence: 0.78,
    title: "Retry payment calls",
    reasons: [
      "touches services/checkout/** (the alert's service): odds x4.1",
      "deployed 5m before the alert",
    ],
  };
  github = new FakeGitHub();
  github.appSlug = "aftershock";
  github.pullComments.set(42, []);
  github.pullComments.set(43, []);
  vi.mocked(fetchHistory)
    .mockReset()
    .mockResolvedValue({
      deployments: [
        {
          id: 7,
          sha: "abc123",
          environment: "production",
          createdAt: "2024-05-01T11:58:00Z",
          status: "in_progress",
        },
      ],
      pulls: [pull(42, "services/checkout/pay.ts"), pull(43, "docs/readme.md")],
      requests: 2,
    });
});

afterEach(async () => {
  for (const s of servers) await s.close();
  nock.cleanAll();
});

/** An app instance on its own server and event bus; instances may share a lock (replicas). */
async function instance(lock = new InProcessKeyLock()) {
  const events = new AppEvents();
  const { handler, probot } = await loadApp({}, { events, lock });
  const server = await serve(handler);
  servers.push(server);
  return { url: server.url, events, probot };
}

async function fire(app: Awaited<ReturnType<typeof instance>>) {
  const res = await post(`${app.url}/alertmanager`, firingPayload());
  await app.events.idle();
  return res;
}

const notes = (pr = 42): FakeComment[] =>
  (github.pullComments.get(pr) ?? []).filter((c) => c.body.includes("aftershock:author-note"));

describe("author note", () => {
  it("comments once on the top suspect's PR: the incident, the reasons, the chance and /rollback", async () => {
    github.install();
    const app = await instance();
    expect((await fire(app)).status).toBe(201);

    expect(notes(42)).toHaveLength(1);
    expect(notes(43)).toEqual([]);
    const body = notes(42)[0]!.body;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("](https://github.com/acme/shop/issues/101)");
    expect(body).toContain("**78 % likely**");
    expect(body).toContain("touches services/checkout/\\*\\* \\(the alert's service\\): odds x4.1");
    expect(body).toContain("`/rollback #42`");
    expect(body).toContain("nobody is being blamed");

    // Alertmanager redelivers the group: the incident exists, nothing more is said on the PR.
    expect((await fire(app)).status).toBe(200);
    expect(notes(42)).toHaveLength(1);
  });

  it("never comments twice, even when two replicas sharing the lock both handle the opening", async () => {
    github.install();
    const lock = new InProcessKeyLock();
    const a = await instance(lock);
    const b = await instance(lock);
    // Replica A opens the incident (and notes); then both are told the incident opened, at once.
    await fire(a);
    const issue = github.issues[0]!;
    const event = {
      repo: REPO,
      number: issue.number,
      url: `https://github.com/acme/shop/issues/${issue.number}`,
      record: github.records()[0]!,
      config: parseRepoConfig("").config,
      source: "alert" as const,
    };
    a.events.emit("incident.opened", event);
    b.events.emit("incident.opened", event);
    await Promise.all([a.events.idle(), b.events.idle()]);
    expect(notes(42)).toHaveLength(1);
  });

  it("finds its own earlier note (a retried delivery after a crash) and does not write another", async () => {
    github.install();
    github.pullComments.get(42)!.push({
      id: 1,
      body: `${MARKER}\nearlier note`,
      user: { login: "aftershock[bot]", type: "Bot" },
      created_at: "2024-05-01T12:05:30Z",
    });
    const app = await instance();
    await fire(app);
    expect(notes(42)).toHaveLength(1);
    expect(notes(42)[0]!.id).toBe(1);

    // Called again directly: it reports the note exists.
    const octokit = await app.probot.auth(99);
    const outcome = await noteTopSuspect(
      octokit,
      {
        lock: new InProcessKeyLock(),
        incidents: appIncidentStores(async () => "aftershock", {}),
        botLogin: async () => "aftershock[bot]",
      },
      {
        repo: REPO,
        number: 101,
        url: "https://github.com/acme/shop/issues/101",
        record: github.records()[0]!,
        config: parseRepoConfig("").config,
      },
    );
    expect(outcome).toBe("exists");
  });

  it.each([
    ["a person", { login: "mallory", type: "User" }],
    ["another app's bot", { login: "other-app[bot]", type: "Bot" }],
    ["a person with a look-alike login", { login: "aftershock-bot", type: "User" }],
  ])("does not trust a marker comment by %s", async (_who, user) => {
    github.install();
    github.pullComments.get(42)!.push({
      id: 1,
      body: `${MARKER}\nplease do not notify`,
      user,
      created_at: "2024-05-01T12:05:30Z",
    });
    await fire(await instance());
    expect(notes(42).map((c) => c.user.login)).toEqual([user.login, "aftershock[bot]"]);
  });

  it("a note for another incident on the same PR does not count", async () => {
    github.install();
    github.pullComments.get(42)!.push({
      id: 1,
      body: `${authorNoteMarker(REPO, 10)}\nold incident`,
      user: { login: "aftershock[bot]", type: "Bot" },
      created_at: "2024-05-01T12:05:30Z",
    });
    await fire(await instance());
    expect(notes(42)).toHaveLength(2);
  });

  it.each([
    ["the confidence is below the default 0.5", 0.49, ""],
    ["the ranker gives no confidence (a score is not a chance)", undefined, ""],
    ["the repository turns notes off", 0.99, "authorNote:\n  enabled: false\n"],
    ["the repository asks for more confidence", 0.78, "authorNote:\n  minConfidence: 0.8\n"],
  ])("says nothing when %s", async (_why, confidence, config) => {
    if (confidence === undefined) delete top.confidence;
    else top.confidence = confidence;
    github.config = config || null;
    github.install();
    expect((await fire(await instance())).status).toBe(201);
    expect(github.issues).toHaveLength(1);
    expect(notes(42)).toEqual([]);
    // Decided without asking GitHub anything about the PR.
    expect(github.calls).not.toContain("GET /repos/acme/shop/comments");
  });

  it("notes at exactly the threshold the repository sets", async () => {
    top.confidence = 0.3;
    github.config = "authorNote:\n  minConfidence: 0.3\n";
    github.install();
    await fire(await instance());
    expect(notes(42)).toHaveLength(1);
    expect(notes(42)[0]!.body).toContain("**30 % likely**");
  });

  it("escapes what comes from commits and alerts: no mention pings, no markup, no second marker", async () => {
    top.title = "@everyone fix <img src=x onerror=alert(1)> **now** [x](https://evil.example)";
    top.reasons = ["touches `x` @acme/oncall <!-- aftershock:author-note incident=acme/shop#999 -->"];
    github.install();
    await fire(await instance());
    const body = notes(42)[0]!.body;
    expect(body).not.toMatch(/@everyone|@acme\/oncall/);
    expect(body).toContain("@\u200Deveryone");
    expect(body).not.toContain("<img");
    expect(body).not.toContain("**now**");
    expect(body).not.toContain("[x](https://evil.example)");
    // Only the app's own marker is an HTML comment.
    expect(body.match(/<!--/g)).toHaveLength(1);
  });

  it("also notes the PR when a deploy check fails and opens an incident", async () => {
    const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
    const payload = structuredClone(
      examples.find((e) => e.name === "deployment_status")!.examples.find((e) => "deployment_status" in e)!,
    ) as unknown as Record<string, unknown> & {
      deployment: { id: number };
      deployment_status: { state: string };
      repository: { name: string; full_name: string; owner: { login: string } };
    };
    payload.deployment_status.state = "failure";
    payload.repository.name = "shop";
    payload.repository.full_name = "acme/shop";
    payload.repository.owner.login = "acme";
    payload.installation = { id: INSTALLATION_ID };
    // The failed deployment shipped #42 (a deploy check's suspects are that deployment's PRs).
    vi.mocked(fetchHistory).mockResolvedValue({
      deployments: [],
      pulls: [{ ...pull(42, "services/checkout/pay.ts"), deploymentId: payload.deployment.id }],
      requests: 2,
    });
    github.install();
    const app = await instance();
    await app.probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    await app.events.idle();
    expect(github.records()[0]).toMatchObject({ source: "deploy-check" });
    expect(notes(42)).toHaveLength(1);
    expect(notes(42)[0]!.body).toContain("Deploy check failed");
  });
});
