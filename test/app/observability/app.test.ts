// The app as wired by createApp: an Alertmanager delivery through a real server on 127.0.0.1, with
// GitHub in memory behind nock and Probot's Octokit instrumented as main.ts does it. The delivery
// must show up on GET /metrics (same server) and as one span tree; /healthz and /readyz answer too.
import { generateKeyPairSync } from "node:crypto";
import { SpanKind } from "@opentelemetry/api";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { AppEvents } from "../../../src/app/events.js";
import { createApp } from "../../../src/app/index.js";
import { InProcessKeyLock } from "../../../src/app/lock.js";
import {
  instrumentedOctokit,
  setGitHubObserver,
} from "../../../src/app/observability/github-instrumentation.js";
import type { Suspect } from "../../../src/core/suspects/correlation-types.js";
import { fetchHistory } from "../../../src/github/history.js";
import { API, FakeGitHub, TOKEN, firingPayload, post, serve, type Handled } from "../helpers.js";
import { installMemoryTracing, type MemoryTracing } from "./memory-tracing.js";

vi.mock("../../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../../src/core/suspects/scoring.js", () => ({ rankSuspects: vi.fn((): Suspect[] => []) }));

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

let tracing: MemoryTracing;
let server: { url: string; close: () => Promise<void> };
let events: AppEvents;

beforeAll(() => {
  tracing = installMemoryTracing();
});
afterAll(() => tracing.uninstall());

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  vi.mocked(fetchHistory).mockReset().mockResolvedValue({ deployments: [], pulls: [], requests: 3 });
  // The readiness test answers GET /app itself; the app knows its slug from the settings.
  Object.assign(new FakeGitHub(), { servesApp: false }).install();
  const probot = new Probot({
    appId: 1,
    privateKey,
    logLevel: "fatal",
    Octokit: instrumentedOctokit(
      ProbotOctokit.defaults((o: object) => ({
        ...o,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    ),
  });
  events = new AppEvents();
  const handlers: Handled["handler"][] = [];
  await probot.load(
    createApp({
      settings: {
        alertmanagerToken: TOKEN,
        allowUnauthenticated: false,
        maxBodyBytes: 1024 * 1024,
        repositoryLabel: "repository",
        metricsToken: "scrape-token",
        appSlug: "aftershock",
      },
      lock: new InProcessKeyLock(),
      now: () => new Date("2024-05-01T12:05:00Z"),
      events,
    }),
    { cwd: process.cwd(), addHandler: (h) => handlers.push(h) },
  );
  // Like Probot's server: each handler in turn until one takes the request.
  server = await serve(async (req, res) => {
    for (const h of handlers) if (await h(req, res)) return true;
    return false;
  });
  tracing.spans.length = 0;
});

afterEach(async () => {
  await server.close();
  nock.cleanAll();
  setGitHubObserver(undefined);
});

async function scrape(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer scrape-token" } });
  expect(res.status).toBe(200);
  return res.text();
}

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("a delivery and its redelivery show up on /metrics and as a span tree", async () => {
  const first = await post(`${server.url}/alertmanager`, firingPayload());
  expect(first.status).toBe(201);
  const again = await post(`${server.url}/alertmanager`, firingPayload());
  expect(again.status).toBe(200);
  await events.idle();

  const text = await scrape();
  expect(value(text, 'aftershock_alert_deliveries_total{status="firing",outcome="created"}')).toBe(1);
  expect(value(text, "aftershock_deliveries_deduplicated_total")).toBe(1);
  expect(text).toMatch(/aftershock_incidents_opened_total\{severity="P[123]",source="alert"\} 1/);
  expect(value(text, "aftershock_alert_to_issue_seconds_count")).toBeGreaterThanOrEqual(1);
  expect(value(text, "aftershock_correlation_seconds_count")).toBe(1);
  // 3 to rank the suspects, 1 to list past incidents for similar ones.
  expect(value(text, "aftershock_correlation_github_requests_sum")).toBe(4);
  // The GitHub calls went through the instrumented Octokit (installation lookup, config, issues...).
  expect(value(text, 'aftershock_github_requests_total{status="2xx"}')).toBeGreaterThanOrEqual(4);
  // No config file: one 404, then the config is reused for CONFIG_TTL_MS.
  expect(value(text, 'aftershock_github_requests_total{status="4xx"}')).toBe(1);
  expect(text).toContain("process_cpu_seconds_total");
  // No repository, alert or user name in any label.
  expect(text).not.toMatch(/acme|shop|HighErrorRate/);

  const deliveries = tracing.byName("alertmanager delivery");
  expect(deliveries).toHaveLength(2);
  expect(deliveries[0]).toMatchObject({
    kind: SpanKind.SERVER,
    attributes: { "http.response.status_code": 201 },
  });
  const children = tracing.spans.filter((s) => s.parentSpanId === deliveries[0]!.spanId).map((s) => s.name);
  expect(children).toContain("aftershock correlate");
  expect(children).toContain("github POST /repos/{owner}/{repo}/issues");
  expect(tracing.byName("aftershock correlate")[0]?.attributes["aftershock.github_requests"]).toBe(3);
  expect(children).toContain("aftershock similar incidents");
  expect(tracing.byName("aftershock similar incidents")[0]?.attributes["aftershock.github_requests"]).toBe(1);
});

it("serves /healthz and /readyz beside the other routes", async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  nock(API).get("/app").reply(503, { message: "unavailable" });
  const res = await fetch(`${server.url}/readyz`);
  expect(res.status).toBe(503);
  expect(((await res.json()) as { failed: string[] }).failed).toEqual(["github"]);
  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
});
