// The Alertmanager receiver end to end: a real HTTP server on 127.0.0.1, Probot, and GitHub in memory
// behind nock. Correlation is mocked: these tests are about answers, deduplication and writes.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PullRef, Suspect } from "../../src/core/suspects/correlation-types.js";
import { fetchHistory } from "../../src/github/history.js";
import { FakeGitHub, TOKEN, firingPayload, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../src/core/suspects/scoring.js", () => ({
  // Every pull is a suspect with a fixed score: the ranking itself is tested with the scorer.
  rankSuspects: vi.fn(
    ({ pulls, deployments }: { pulls: PullRef[]; deployments: Array<{ id: number; sha: string }> }) =>
      pulls.map((p): Suspect => ({
        number: p.number,
        title: p.title,
        author: p.author,
        url: `https://github.com/acme/shop/pull/${p.number}`,
        deploymentId: p.deploymentId,
        deploymentSha: deployments.find((d) => d.id === p.deploymentId)?.sha ?? "",
        score: 0.75,
        reasons: ["deployed 8m before the alert"],
        files: [],
      })),
  ),
}));

const history = {
  deployments: [
    {
      id: 7,
      sha: "abc123def4567890",
      environment: "production",
      createdAt: "2024-05-01T11:55:00Z",
      status: "success",
    },
  ],
  pulls: [
    {
      number: 42,
      title: "Retry payment calls @everyone <b>",
      author: "alice",
      mergedAt: "2024-05-01T11:50:00Z",
      deploymentId: 7,
      additions: 10,
      deletions: 2,
      files: [],
    },
  ],
  requests: 2,
};

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> };

async function start(settings = {}) {
  const { handler } = await loadApp(settings);
  server = await serve(handler);
  return server.url;
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  github = new FakeGitHub();
  vi.mocked(fetchHistory).mockReset().mockResolvedValue(history);
});

afterEach(async () => {
  await server?.close();
  nock.cleanAll();
});

describe("answers", () => {
  it("405 for a method other than POST, and leaves other paths alone", async () => {
    github.install();
    const url = await start();
    const get = await fetch(`${url}/alertmanager`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await fetch(`${url}/elsewhere`, { method: "POST" })).status).toBe(404);
  });

  it("401 without a token or with a wrong one", async () => {
    github.install();
    const url = await start();
    const missing = await post(`${url}/alertmanager`, firingPayload(), {});
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatch(/bearer token/);
    const wrong = await post(`${url}/alertmanager`, firingPayload(), { authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(github.calls).toEqual([]);
  });

  it("403 explaining how to configure when no token is set, unless unauthenticated is allowed", async () => {
    github.install();
    const url = await start({ alertmanagerToken: undefined });
    const refused = await post(`${url}/alertmanager`, firingPayload());
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatch(/ALERTMANAGER_TOKEN/);
    await server.close();

    const open = await start({ alertmanagerToken: undefined, allowUnauthenticated: true });
    expect((await post(`${open}/alertmanager`, firingPayload(), {})).status).toBe(201);
  });

  it("a token bound to repositories reaches those, by path or label, and no other (issue 11, finding 4)", async () => {
    github.install();
    const url = await start({
      alertmanagerToken: undefined,
      alertmanagerTokens: [{ token: "shop-token", scope: ["ACME/shop"] }],
    });
    const auth = { authorization: "Bearer shop-token" };
    expect((await post(`${url}/alertmanager`, firingPayload(), auth)).status).toBe(201);
    const other = firingPayload();
    other.commonLabels["repository"] = "acme/web";
    other.alerts[0]!.labels["repository"] = "acme/web";
    const refused = await post(`${url}/alertmanager`, other, auth);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatch(/may not open incidents in acme\/web/);
    expect(
      (await post(`${url}/alertmanager`, firingPayload(), { authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(401);
  });

  it("400 naming the field of an invalid payload", async () => {
    github.install();
    const url = await start();
    const bad = firingPayload();
    bad.alerts[0]!.startsAt = "yesterday";
    const res = await post(`${url}/alertmanager`, bad);
    expect(res.status).toBe(400);
    expect(res.json.field).toBe("alerts[0].startsAt");
    expect(res.json.error).toMatch(/alerts\[0\]\.startsAt/);

    const v3 = { ...firingPayload(), version: "3" };
    expect((await post(`${url}/alertmanager`, v3)).json.field).toBe("version");
    const notJson = await post(`${url}/alertmanager`, "{nope");
    expect(notJson.status).toBe(400);
    expect(github.calls).toEqual([]);
  });

  it("400 when neither a label nor the path names the repository", async () => {
    github.install();
    const url = await start();
    const payload = firingPayload();
    delete payload.commonLabels["repository"];
    delete payload.alerts[0]!.labels["repository"];
    const res = await post(`${url}/alertmanager`, payload);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/repository="owner\/name"/);
  });

  it("routes by the path when the alerts carry no repository label", async () => {
    github.install();
    const url = await start();
    const payload = firingPayload();
    delete payload.commonLabels["repository"];
    delete payload.alerts[0]!.labels["repository"];
    const res = await post(`${url}/alertmanager/acme/shop`, payload);
    expect(res.status).toBe(201);
    expect(github.issues).toHaveLength(1);
  });

  it("routes by a configured label name", async () => {
    github.install();
    const url = await start({ repositoryLabel: "github_repo" });
    const payload = firingPayload();
    delete payload.commonLabels["repository"];
    delete payload.alerts[0]!.labels["repository"];
    payload.commonLabels["github_repo"] = "acme/shop";
    expect((await post(`${url}/alertmanager`, payload)).status).toBe(201);
  });

  it("404 for a repository the app is not installed on", async () => {
    github.installed = false;
    github.install();
    const url = await start();
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(404);
    expect(res.json.error).toMatch(/not installed on acme\/shop/);
    expect(github.issues).toHaveLength(0);
  });

  it("413 above the size limit, before touching GitHub", async () => {
    github.install();
    const url = await start({ maxBodyBytes: 200 });
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/ALERTMANAGER_MAX_BODY_BYTES/);
    expect(github.calls).toEqual([]);
  });

  it("503 with a reason when GitHub answers 502, and nothing written; the retry then succeeds", async () => {
    github.failNext("POST /repos/acme/shop/issues", 502);
    github.install();
    const url = await start();
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(503);
    expect(res.json.reason).toMatch(/injected 502/);
    expect(res.json.githubStatus).toBe(502);
    expect(github.issues).toHaveLength(0);

    const retry = await post(`${url}/alertmanager`, firingPayload());
    expect(retry.status).toBe(201);
    expect(github.issues).toHaveLength(1);
  });

  it("503 when listing issues fails (the dedupe stage cannot decide)", async () => {
    github.failNext("GET /repos/acme/shop/issues", 500);
    github.install();
    const url = await start();
    expect((await post(`${url}/alertmanager`, firingPayload())).status).toBe(503);
    expect(github.issues).toHaveLength(0);
  });
});

describe("incidents", () => {
  it("answers 2xx with the issue number only after the issue is written", async () => {
    github.createDelay = 150;
    github.install();
    const url = await start();
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ outcome: "created", issue: 101, repository: "acme/shop" });
    // The issue existed when the answer came: the create was not fire-and-forget.
    expect(github.issues.map((i) => i.number)).toEqual([101]);
    const [issue] = github.issues;
    expect(issue!.title).toBe("[P2] HighErrorRate: checkout in production");
    expect(issue!.labels).toEqual(["incident", "severity:P2", "service:checkout", "env:production"]);
    expect(issue!.body).toContain("[\\#42 Retry payment calls @\u200Deveryone &lt;b&gt;]");
    expect(issue!.body).toContain("| 0.75 |");
    const [record] = github.records();
    expect(record).toMatchObject({ source: "alert", status: "firing", severity: "P2", service: "checkout" });
    expect(Object.keys(record!.fingerprints)).toEqual(["5f1c2a8e9b3d4c70"]);
    expect(record!.suspects.map((s) => s.number)).toEqual([42]);
    // Correlation looked back 24h (the default) from the alert's start.
    expect(vi.mocked(fetchHistory).mock.calls[0]![1]).toMatchObject({
      owner: "acme",
      repo: "shop",
      environment: "production",
      since: new Date("2024-04-30T12:03:00.123Z"),
      until: new Date("2024-05-01T12:03:00.123Z"),
    });
  });

  it("two concurrent deliveries of one group open exactly one issue", async () => {
    github.createDelay = 100;
    github.install();
    const url = await start();
    const [a, b] = await Promise.all([
      post(`${url}/alertmanager`, firingPayload()),
      post(`${url}/alertmanager`, firingPayload()),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(github.issues).toHaveLength(1);
    expect(a.json.issue).toBe(b.json.issue);
    expect(github.issues[0]!.comments).toEqual([]);
  });

  it("an exact redelivery changes nothing: no comment, no update", async () => {
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const body = github.issues[0]!.body;
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: "unchanged", issue: 101 });
    expect(github.issues[0]!.comments).toEqual([]);
    expect(github.issues[0]!.body).toBe(body);
    expect(github.calls.filter((c) => c.startsWith("PATCH") || c.includes("comments"))).toEqual([]);
    // The installation id and the config are reused across deliveries for the same repository.
    expect(github.calls.filter((c) => c === "GET /repos/acme/shop/installation")).toHaveLength(1);
    expect(github.calls.filter((c) => c === "GET /repos/acme/shop/contents")).toHaveLength(1);
  });

  it.each([
    { login: "mallory", type: "User" },
    { login: "renovate[bot]", type: "Bot" },
  ])("an issue $login opened with a copied incident block does not capture the group", async (user) => {
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const real = github.issues[0]!;
    // Mallory opens an issue with the incident label and a copy of the real block, then the real one closes.
    github.issues.push({
      ...real,
      number: 555,
      state: "open",
      comments: [],
      user,
    });
    real.state = "closed";
    const res = await post(`${url}/alertmanager`, firingPayload());
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ outcome: "created" });
    expect(github.issues.find((i) => i.number === 555)!.comments).toEqual([]);
  });

  it("a new alert in the group is commented and added to the timeline", async () => {
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const next = firingPayload();
    next.alerts.push({
      ...next.alerts[0]!,
      labels: { ...next.alerts[0]!.labels, instance: "checkout-2" },
      annotations: { summary: "second pod failing" },
      fingerprint: "aa11bb22cc33dd44",
    });
    const res = await post(`${url}/alertmanager`, next);
    expect(res.json).toMatchObject({ outcome: "updated", issue: 101 });
    const issue = github.issues[0]!;
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toContain("aa11bb22cc33dd44");
    expect(issue.comments[0]).toContain("second pod failing");
    const record = github.records()[0]!;
    expect(Object.keys(record.fingerprints)).toEqual(["5f1c2a8e9b3d4c70", "aa11bb22cc33dd44"]);
    expect(record.timeline.map((e) => e.kind)).toEqual(["opened", "alert-added"]);
    // Correlation ran once, when the incident opened.
    expect(fetchHistory).toHaveBeenCalledTimes(1);
  });

  it("a resolved group is labelled resolved and kept open by default", async () => {
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const resolved = firingPayload();
    resolved.status = "resolved";
    resolved.alerts[0]!.status = "resolved";
    resolved.alerts[0]!.endsAt = "2024-05-01T12:30:00Z";
    const res = await post(`${url}/alertmanager`, resolved);
    expect(res.json).toMatchObject({ outcome: "updated" });
    const issue = github.issues[0]!;
    expect(issue.labels).toContain("resolved");
    expect(issue.labels).toContain("incident");
    expect(issue.state).toBe("open");
    expect(issue.comments[0]).toContain("The alert group resolved");
    expect(github.records()[0]!.status).toBe("resolved");
    expect(github.records()[0]!.timeline.at(-1)?.kind).toBe("resolved");
  });

  it("closes a resolved incident when closeOnResolve is configured", async () => {
    github.config = "closeOnResolve: true\n";
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const resolved = { ...firingPayload(), status: "resolved" };
    resolved.alerts[0]!.status = "resolved";
    await post(`${url}/alertmanager`, resolved);
    expect(github.issues[0]!.state).toBe("closed");
  });

  it("a resolved group without an open incident opens nothing", async () => {
    github.install();
    const url = await start();
    const resolved = { ...firingPayload(), status: "resolved" };
    resolved.alerts[0]!.status = "resolved";
    const res = await post(`${url}/alertmanager`, resolved);
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe("ignored");
    expect(github.issues).toHaveLength(0);
  });

  it("uses the repository's config: labels, on-call assignees, lookback", async () => {
    github.config = "labels: [ops]\nassignees: [oncall-bob]\nlookback: 2h\n";
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    expect(github.issues[0]!.labels).toContain("ops");
    expect(github.issues[0]!.assignees).toEqual(["oncall-bob"]);
    expect(vi.mocked(fetchHistory).mock.calls[0]![1].since).toEqual(new Date("2024-05-01T10:03:00.123Z"));
  });

  it("an invalid config still opens the incident with the defaults and shows the error", async () => {
    github.config =
      "labels: [ops]\nrunbooks: { default: https://wiki.example/rb }\ncloseOnResolve: sometimes\n";
    github.install();
    const url = await start();
    expect((await post(`${url}/alertmanager`, firingPayload())).status).toBe(201);
    // What is wrong and where: the setting, the expectation and the line (escaped in the body).
    expect(github.issues[0]!.body).toMatch(
      /closeOnResolve must be true or false, not a string \\\(line 3\\\); the defaults were used/,
    );
    expect(github.issues[0]!.labels).toContain("incident");
    // None of the file was used, not even its valid settings.
    expect(github.issues[0]!.labels).not.toContain("ops");
    expect(github.issues[0]!.body).toContain("**Runbook:** none");
  });

  it("shows the severity rule, the configured runbook and the alert's labels and annotations", async () => {
    github.config = "runbooks: { HighErrorRate: https://wiki.example/rb/errors }\n";
    github.install();
    const url = await start();
    await post(`${url}/alertmanager`, firingPayload());
    const body = github.issues[0]!.body;
    expect(body).toContain('**Severity:** P2 — set by alert HighErrorRate: label severity="warning" → P2');
    expect(body).toContain("**Runbook:** [open the runbook](https://wiki.example/rb/errors)");
    expect(body).toContain("**Dashboard:** [open](http://prometheus.example:9090/graph?");
    expect(body).toContain("| error\\_ratio | 0.032 |");
    expect(github.records()[0]!.fingerprints["5f1c2a8e9b3d4c70"]!.labels?.["instance"]).toBe(
      "checkout-7d9f:8080",
    );
  });

  it("opens the incident even when correlation fails, saying why there are no suspects", async () => {
    vi.mocked(fetchHistory).mockRejectedValue(new Error("GraphQL timeout"));
    github.install();
    const url = await start();
    expect((await post(`${url}/alertmanager`, firingPayload())).status).toBe(201);
    expect(github.issues[0]!.body).toMatch(/Suspects could not be ranked \\\(GraphQL timeout/);
  });

  it("escapes hostile alert text in the issue", async () => {
    github.install();
    const url = await start();
    const payload = firingPayload();
    const hostile = "--> <script>alert(1)</script> @acme/everyone | [x](javascript:alert(1))";
    payload.alerts[0]!.annotations["summary"] = hostile;
    payload.commonLabels["alertname"] = "Evil @bob";
    await post(`${url}/alertmanager`, payload);
    const issue = github.issues[0]!;
    const visible = issue.body.replace(/<!-- aftershock:incident [A-Za-z0-9+/=]+ -->/, "");
    expect(visible).not.toContain("<script>");
    expect(visible).not.toMatch(/@acme\/everyone|@bob/);
    expect(visible).not.toContain("](javascript:");
    expect(visible).not.toContain("-->");
    expect(issue.title).not.toMatch(/@bob/);
    expect(github.records()[0]!.fingerprints["5f1c2a8e9b3d4c70"]!.summary).toBe(hostile);
  });
});
