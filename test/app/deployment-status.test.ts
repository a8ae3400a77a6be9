// deployment_status webhooks (real payloads from @octokit/webhooks-examples, patched to a failure
// and to the test repository): a failed deploy check opens one incident per deployment.
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeploymentRef, PullRef, Suspect } from "../../src/core/suspects/correlation-types.js";
import { rankSuspects } from "../../src/core/suspects/scoring.js";
import { fetchHistory } from "../../src/github/history.js";
import type { AppOptions } from "../../src/app/index.js";
import { LockQueueFull, type KeyLock } from "../../src/app/lock.js";
import { group } from "./grouping-fixtures.js";
import { FakeGitHub, INSTALLATION_ID, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../src/core/suspects/scoring.js", () => ({
  rankSuspects: vi.fn(({ pulls }: { pulls: PullRef[] }) =>
    pulls.map((p, i): Suspect => ({
      number: p.number,
      title: p.title,
      author: p.author,
      deploymentId: p.deploymentId,
      deploymentSha: "",
      score: 0.9 - i / 10,
      reasons: [`pull ${p.number} shipped in deployment ${p.deploymentId}`],
      files: [],
    })),
  ),
}));

// The package's main is a JSON file whose typings declare a default export; require reads it plainly.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

function deploymentStatus(state: string) {
  const definition = examples.find((e) => e.name === "deployment_status")!;
  const example = structuredClone(
    definition.examples.find((e) => "deployment_status" in e)!,
  ) as unknown as Record<string, unknown> & {
    deployment: { id: number; environment: string; created_at: string };
    deployment_status: { state: string; created_at: string };
    repository: { name: string; full_name: string; owner: { login: string } };
  };
  example.deployment_status.state = state;
  example.repository.name = "shop";
  example.repository.full_name = "acme/shop";
  example.repository.owner.login = "acme";
  example.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTk=" };
  return example;
}

const pull = (number: number, deploymentId: number): PullRef => ({
  number,
  title: `PR ${number}`,
  author: "dev",
  mergedAt: "2019-05-15T15:00:00Z",
  deploymentId,
  additions: 1,
  deletions: 1,
  files: [],
});

let github: FakeGitHub;

beforeEach(() => {
  nock.disableNetConnect();
  github = new FakeGitHub();
  github.install();
  vi.mocked(fetchHistory).mockReset();
  vi.mocked(rankSuspects).mockClear();
});

afterEach(() => {
  nock.cleanAll();
});

describe("deployment_status", () => {
  it("a failure opens a deploy-check incident whose suspects are that deployment's PRs", async () => {
    const payload = deploymentStatus("failure");
    const id = payload.deployment.id;
    const older: DeploymentRef = {
      id: 1,
      sha: "0000000",
      environment: "production",
      createdAt: "2019-05-15T10:00:00Z",
      status: "success",
    };
    vi.mocked(fetchHistory).mockResolvedValue({
      deployments: [older],
      pulls: [pull(5, 1), pull(6, id)],
      requests: 2,
    });
    const { probot } = await loadApp();
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);

    expect(github.issues).toHaveLength(1);
    const record = github.records()[0]!;
    expect(record).toMatchObject({
      groupKey: `deploy:${id}`,
      source: "deploy-check",
      environment: payload.deployment.environment,
      status: "firing",
    });
    expect(record.suspects.map((s) => s.number)).toEqual([6]);
    // The failed deployment was added to what the scorer saw, marked as a failed check.
    const seen = vi.mocked(rankSuspects).mock.calls[0]![0].deployments;
    expect(seen.find((d) => String(d.id) === String(id))).toMatchObject({ checkFailed: true });
    expect(github.issues[0]!.title).toBe(
      `[P2] Deploy check failed: shop in ${payload.deployment.environment}`,
    );
    expect(github.issues[0]!.labels).toContain("incident");
  });

  it("a redelivery or a second failed status of the same deployment opens nothing more", async () => {
    vi.mocked(fetchHistory).mockResolvedValue({ deployments: [], pulls: [], requests: 1 });
    const { probot } = await loadApp();
    await probot.receive({
      id: "d1",
      name: "deployment_status",
      payload: deploymentStatus("failure"),
    } as never);
    await probot.receive({
      id: "d1",
      name: "deployment_status",
      payload: deploymentStatus("failure"),
    } as never);
    await probot.receive({
      id: "d2",
      name: "deployment_status",
      payload: deploymentStatus("error"),
    } as never);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toEqual([]);
  });

  it("a lock with no room fails the webhook saying GitHub will not resend it, not the alert path's 503", async () => {
    vi.mocked(fetchHistory).mockResolvedValue({ deployments: [], pulls: [], requests: 1 });
    const full: KeyLock = {
      withLock: async () => {
        throw new LockQueueFull(20);
      },
    };
    const { probot } = await loadApp({}, { lock: full });
    const payload = deploymentStatus("failure");
    await expect(probot.receive({ id: "d1", name: "deployment_status", payload } as never)).rejects.toThrow(
      /the incident is busy: 20 updates were already waiting .* GitHub does not resend it/,
    );
    expect(github.issues).toHaveLength(0);
  });

  it("success and in-progress states do nothing", async () => {
    const { probot } = await loadApp();
    await probot.receive({
      id: "d1",
      name: "deployment_status",
      payload: deploymentStatus("success"),
    } as never);
    await probot.receive({
      id: "d2",
      name: "deployment_status",
      payload: deploymentStatus("in_progress"),
    } as never);
    expect(github.calls).toEqual([]);
    expect(fetchHistory).not.toHaveBeenCalled();
  });

  it("a config that cannot be read still opens the incident, with the reason", async () => {
    github.failNext("GET /repos/acme/shop/contents", 500);
    vi.mocked(fetchHistory).mockResolvedValue({ deployments: [], pulls: [], requests: 1 });
    const { probot } = await loadApp();
    await probot.receive({
      id: "d1",
      name: "deployment_status",
      payload: deploymentStatus("error"),
    } as never);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toContain("could not be read");
  });
});

describe("deployment_status with grouping (one incident per cause)", () => {
  let server: { url: string; close: () => Promise<void> } | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** The app, its Alertmanager URL, and a history in which deployment `id` shipped the top suspect. */
  async function start(id: number, options: AppOptions = {}) {
    nock.enableNetConnect("127.0.0.1");
    vi.mocked(fetchHistory).mockResolvedValue({
      deployments: [],
      pulls: [pull(6, id), pull(5, 1)],
      requests: 2,
    });
    const { probot, handler } = await loadApp({}, options);
    server = await serve(handler);
    return { probot, alertmanager: `${server.url}/alertmanager` };
  }
  const groupKeys = () =>
    github.records().flatMap((r) => (r ? [r.groupKey, ...(r.related ?? []).map((g) => g.groupKey)] : []));

  it("a failed deploy check, then alerts blamed on that deploy: one incident", async () => {
    const payload = deploymentStatus("failure");
    const { probot, alertmanager } = await start(payload.deployment.id);
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    const res = await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }));
    expect(res.status).toBe(200);
    expect(res.json["outcome"]).toBe("updated");
    expect(github.issues).toHaveLength(1);
    expect(groupKeys()).toEqual([
      `deploy:${payload.deployment.id}`,
      '{}:{alertname="HighErrorRate", service="checkout"}',
    ]);
    expect(github.issues[0]!.body).toContain("### Related alerts");
  });

  it("alerts blamed on a deploy, then its failed check: the check joins their incident", async () => {
    const payload = deploymentStatus("error");
    const { probot, alertmanager } = await start(payload.deployment.id);
    expect((await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(201);
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never); // redelivered
    expect(github.issues).toHaveLength(1);
    expect(groupKeys()).toEqual([
      '{}:{alertname="HighErrorRate", service="checkout"}',
      `deploy:${payload.deployment.id}`,
    ]);
    const joined = github.records()[0]!.related![0]!;
    expect(joined).toMatchObject({ name: "Deploy check failed", status: "firing" });
  });

  it("alerts blamed on another deploy: incidents of their own", async () => {
    const payload = deploymentStatus("failure");
    const { probot, alertmanager } = await start(1); // the alerts' top suspect is deployment 1
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }));
    expect(github.issues).toHaveLength(2);
  });

  it("with grouping off, alerts blamed on the deploy and its failed check: incidents of their own", async () => {
    github.config = "grouping: { enabled: false }\n";
    const payload = deploymentStatus("failure");
    const { probot, alertmanager } = await start(payload.deployment.id);
    await post(alertmanager, group("HighLatency", "payments", { l1: "firing" }));
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    expect(github.issues).toHaveLength(2);
  });

  it("reads the config through the app's cache, as the alerts and commands do: one read a minute", async () => {
    const payload = deploymentStatus("failure");
    const { probot, alertmanager } = await start(payload.deployment.id);
    await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }));
    // Within the minute the change is not seen: the check still groups and joins the alert's incident.
    github.config = "grouping: { enabled: false }\n";
    await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
    expect(github.issues).toHaveLength(1);
    expect(groupKeys()).toContain(`deploy:${payload.deployment.id}`);
    expect(github.calls.filter((c) => c === "GET /repos/acme/shop/contents")).toHaveLength(1);
  });

  describe("the write budget (the alert path's)", () => {
    const clock = { now: Date.parse("2024-05-01T12:05:00Z") };
    const budget = (perMinute: number, perHour = 100, writeSpacingMs = 0) => ({
      pacing: { budget: { perMinute, perHour, writeSpacingMs }, waitMs: 5_000, clock: () => clock.now },
    });
    const writes = () => github.calls.filter((c) => c.startsWith("PATCH") || c.startsWith("POST /repos"));

    it("a failed deploy check's writes take the installation's slots: an alert after it finds the minute full", async () => {
      const payload = deploymentStatus("failure");
      const { probot, alertmanager } = await start(1, budget(1)); // the alerts blame another deploy
      await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
      expect(github.issues).toHaveLength(1);
      const refused = await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }));
      expect(refused.status).toBe(503);
      expect(github.issues).toHaveLength(1);
    });

    it("waits for its slot (GitHub does not retry a webhook) where an alert would be refused", async () => {
      const payload = deploymentStatus("failure");
      // Writes 1.5 s apart on the real clock; the alert path may wait 0.5 s only.
      const options = {
        pacing: { budget: { perMinute: 60, perHour: 100, writeSpacingMs: 1_500 }, waitMs: 500 },
      };
      const { probot, alertmanager } = await start(1, options);
      expect((await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(
        201,
      );
      const refused = await post(alertmanager, group("HighErrorRate", "search", { s1: "firing" }));
      expect(refused.status).toBe(503);
      const started = Date.now();
      await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(github.issues).toHaveLength(2);
      expect(github.records().some((r) => r?.groupKey === `deploy:${payload.deployment.id}`)).toBe(true);
    });

    it("with the hour spent, fails before writing anything; its redelivery once there is room opens it", async () => {
      const payload = deploymentStatus("failure");
      const { probot, alertmanager } = await start(1, budget(1, 1));
      expect((await post(alertmanager, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(
        201,
      );
      const before = writes().length;
      await expect(probot.receive({ id: "d1", name: "deployment_status", payload } as never)).rejects.toThrow(
        /write budget/,
      );
      expect(writes()).toHaveLength(before);
      clock.now += 61 * 60_000;
      await probot.receive({ id: "d1", name: "deployment_status", payload } as never);
      expect(github.issues).toHaveLength(2);
    });
  });
});
