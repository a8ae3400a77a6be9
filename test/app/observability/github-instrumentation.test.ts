// The Octokit plugin: every GitHub request Probot's Octokits make is counted by status class, timed
// and wrapped in a client span; rate-limit waits are counted and retried once. GitHub is nock.
import { generateKeyPairSync } from "node:crypto";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppEvents } from "../../../src/app/events.js";
import {
  instrumentedOctokit,
  routeName,
  setGitHubObserver,
  statusClass,
} from "../../../src/app/observability/github-instrumentation.js";
import { createMetrics, type AppMetrics } from "../../../src/app/observability/metrics.js";
import { API } from "../helpers.js";
import { installMemoryTracing, type MemoryTracing } from "./memory-tracing.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

const noRetry = ProbotOctokit.defaults((o: object) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

let metrics: AppMetrics;
let tracing: MemoryTracing;

async function count(status: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString("aftershock_github_requests_total");
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`aftershock_github_requests_total{status="${status}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

async function waits(kind: string): Promise<number> {
  const name = "aftershock_github_rate_limit_waits_total";
  const text = await metrics.registry.getSingleMetricAsString(name);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{kind="${kind}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

/** An installation Octokit as Probot makes it for a handler, from the instrumented class. */
async function installationOctokit(Base: typeof ProbotOctokit = noRetry) {
  nock(API)
    .post("/app/installations/99/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z", permissions: {} });
  const probot = new Probot({
    appId: 1,
    privateKey,
    logLevel: "fatal",
    Octokit: instrumentedOctokit(Base, () => metrics.github),
  });
  return probot.auth(99);
}

beforeAll(() => {
  tracing = installMemoryTracing();
});
afterAll(() => tracing.uninstall());

beforeEach(() => {
  nock.disableNetConnect();
  metrics = createMetrics(new AppEvents(), { defaultMetrics: false });
  tracing.spans.length = 0;
});

afterEach(() => {
  nock.cleanAll();
  setGitHubObserver(undefined);
});

describe("status classes and route names", () => {
  it("classes statuses and calls a missing status an error", () => {
    expect(statusClass(200)).toBe("2xx");
    expect(statusClass(204)).toBe("2xx");
    expect(statusClass(304)).toBe("3xx");
    expect(statusClass(404)).toBe("4xx");
    expect(statusClass(502)).toBe("5xx");
    expect(statusClass(undefined)).toBe("error");
    expect(statusClass(0)).toBe("error");
    expect(statusClass(700)).toBe("error");
  });

  it("keeps route templates and elides ids from full URLs (pagination links)", () => {
    expect(routeName("/repos/{owner}/{repo}/issues")).toBe("/repos/{owner}/{repo}/issues");
    expect(routeName("https://api.github.com/repositories/12345/issues?page=2")).toBe(
      "/repositories/{id}/issues",
    );
  });
});

describe("counting and timing GitHub requests", () => {
  it("counts the installation Octokit's requests by status class", async () => {
    const octokit = await installationOctokit();
    nock(API).get("/repos/acme/shop").reply(200, { id: 1 });
    nock(API).get("/repos/acme/shop/pulls/1").reply(200, { number: 1 });
    nock(API).get("/repos/acme/shop/pulls/2").reply(404, { message: "Not Found" });
    nock(API).get("/repos/acme/shop/pulls/3").reply(502, { message: "Bad Gateway" });
    nock(API).get("/repos/acme/shop/pulls/4").replyWithError("socket hang up");

    await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "shop" });
    await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 1 });
    for (const n of [2, 3, 4]) {
      await expect(octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: n })).rejects.toThrow();
    }

    // The installation token request counts too: it is a GitHub request the app makes.
    expect(await count("2xx")).toBe(3);
    expect(tracing.byName("github POST /app/installations/{installation_id}/access_tokens")).toHaveLength(1);
    expect(await count("4xx")).toBe(1);
    expect(await count("5xx")).toBe(1);
    expect(await count("error")).toBe(1);
    const duration = await metrics.registry.getSingleMetricAsString(
      "aftershock_github_request_duration_seconds",
    );
    expect(duration).toContain('aftershock_github_request_duration_seconds_count{status="2xx"} 3');
    expect(nock.isDone()).toBe(true);
  });

  it("reports to the observer the app registered when none is given (main.ts's Octokit)", async () => {
    nock(API)
      .post("/app/installations/99/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z", permissions: {} });
    nock(API).get("/repos/acme/shop").reply(200, {});
    const probot = new Probot({
      appId: 1,
      privateKey,
      logLevel: "fatal",
      Octokit: instrumentedOctokit(noRetry),
    });
    const octokit = await probot.auth(99);
    setGitHubObserver(metrics.github);
    await octokit.request("GET /repos/acme/shop");
    expect(await count("2xx")).toBe(2); // the token, then the repository
    setGitHubObserver(undefined);
    nock(API).get("/repos/acme/shop").reply(200, {});
    await octokit.request("GET /repos/acme/shop");
    expect(await count("2xx")).toBe(2);
  });

  it("wraps each request in a client span with the route template, failing it on an error", async () => {
    const octokit = await installationOctokit();
    nock(API).get("/repos/acme/shop/issues").query(true).reply(200, []);
    nock(API).get("/repos/acme/shop/issues/7").reply(500, { message: "boom" });

    await octokit.rest.issues.listForRepo({ owner: "acme", repo: "shop", state: "open" });
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "shop", issue_number: 7 })).rejects.toThrow();

    const list = tracing.byName("github GET /repos/{owner}/{repo}/issues");
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: SpanKind.CLIENT,
      ended: true,
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        "http.request.method": "GET",
        "http.response.status_code": 200,
        "server.address": "api.github.com",
      },
    });
    const failed = tracing.byName("github GET /repos/{owner}/{repo}/issues/{issue_number}");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed[0]!.attributes["http.response.status_code"]).toBe(500);
    expect(failed[0]!.exceptions.join()).toMatch(/boom/);
    // Span names never carry the repository.
    expect(tracing.spans.map((s) => s.name).join()).not.toContain("acme");
  });
});

describe("rate limits", () => {
  // Throttling on (as in production) with waits shortened from seconds to milliseconds.
  const throttled = ProbotOctokit.defaults((o: { throttle?: object }) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...o.throttle, retryAfterBaseValue: 1, fallbackSecondaryRateRetryAfter: 1 },
  }));
  const limited = () => ({
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
  });

  it("counts a primary rate-limit wait and retries once", async () => {
    const octokit = await installationOctokit(throttled);
    nock(API).get("/repos/acme/shop").reply(403, { message: "API rate limit exceeded" }, limited());
    nock(API).get("/repos/acme/shop").reply(200, { id: 1 });
    const res = await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "shop" });
    expect(res.status).toBe(200);
    expect(await waits("primary")).toBe(1);
    // One logical request (the retry is inside it), plus the installation token.
    expect(await count("2xx")).toBe(2);
    expect(await count("4xx")).toBe(0);
    expect(nock.isDone()).toBe(true);
  });

  it("gives up after one retry: the request fails with the 403", async () => {
    const octokit = await installationOctokit(throttled);
    nock(API).get("/repos/acme/shop").times(2).reply(403, { message: "API rate limit exceeded" }, limited());
    nock(API).get("/repos/acme/shop").reply(200, { id: 1 });
    await expect(octokit.request("GET /repos/acme/shop")).rejects.toMatchObject({ status: 403 });
    expect(await waits("primary")).toBe(1);
    expect(await count("4xx")).toBe(1);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it("counts a secondary rate-limit wait separately", async () => {
    const octokit = await installationOctokit(throttled);
    nock(API)
      .get("/repos/acme/shop")
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" });
    nock(API).get("/repos/acme/shop").reply(200, {});
    await octokit.request("GET /repos/acme/shop");
    expect(await waits("secondary")).toBe(1);
    expect(await waits("primary")).toBe(0);
  });
});
