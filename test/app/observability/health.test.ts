// /healthz and /readyz through a real server on 127.0.0.1, with GitHub behind nock: readiness asks
// GET /app with the app's JWT, runs injected checks (Redis), caches the answer and names failures.
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createHealthHandler,
  createReadiness,
  githubCheck,
  registerHealth,
  type ReadinessCheck,
} from "../../../src/app/observability/health.js";
import { API, serve } from "../helpers.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

function probot(): Probot {
  return new Probot({
    appId: 1,
    privateKey,
    logLevel: "fatal",
    // Retries stay on (the check itself must turn them off); throttling would only slow tests.
    Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, throttle: { enabled: false } })),
  });
}

let close: (() => Promise<void>) | undefined;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});

afterEach(async () => {
  await close?.();
  close = undefined;
  nock.cleanAll();
});

async function start(checks: ReadinessCheck[] = [], now?: () => number) {
  const handlers: Parameters<typeof serve>[0][] = [];
  registerHealth(probot(), (h) => handlers.push(h), { checks, ...(now ? { now } : {}) });
  expect(handlers).toHaveLength(1);
  const server = await serve(handlers[0]!);
  close = server.close;
  return server.url;
}

describe("/healthz", () => {
  it("answers 200 without asking GitHub", async () => {
    const url = await start();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("/readyz", () => {
  it("is ready when GitHub answers GET /app with the app's JWT", async () => {
    const scope = nock(API)
      .get("/app")
      .matchHeader("authorization", /^bearer ey/i)
      .reply(200, { id: 1, slug: "aftershock" });
    const url = await start();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: [{ name: "github", ok: true }] });
    scope.done();
  });

  it("answers 503 naming github when GitHub fails, without retrying the probe", async () => {
    const scope = nock(API).get("/app").reply(500, { message: "Server Error" });
    const url = await start();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      status: string;
      failed: string[];
      checks: Array<{ error?: string }>;
    };
    expect(body.status).toBe("unavailable");
    expect(body.failed).toEqual(["github"]);
    expect(body.checks[0]!.error).toMatch(/500/);
    scope.done();
  });

  it("names each failing injected check and passes when they all pass", async () => {
    nock(API).get("/app").times(2).reply(200, { id: 1 });
    let redisUp = false;
    const redis: ReadinessCheck = {
      name: "redis",
      check: async () => {
        if (!redisUp) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
      },
    };
    let clock = 0;
    const url = await start([redis], () => clock);
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { failed: string[]; checks: Array<{ name: string; error?: string }> };
    expect(body.failed).toEqual(["redis"]);
    expect(body.checks.find((c) => c.name === "redis")?.error).toMatch(/ECONNREFUSED/);

    redisUp = true;
    clock += 6_000; // past the failure cache
    const up = await fetch(`${url}/readyz`);
    expect(up.status).toBe(200);
  });

  it("caches the answer so frequent probes ask GitHub once per period", async () => {
    const scope = nock(API).get("/app").once().reply(200, { id: 1 });
    let clock = 1_000;
    const url = await start([], () => clock);
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    scope.done();
    // The interceptor was used once: a sixth probe after the period asks again.
    clock += 16_000;
    const again = nock(API).get("/app").reply(500, {});
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    again.done();
  });

  it("fails a check that does not answer in time", async () => {
    const hang: ReadinessCheck = { name: "redis", check: () => new Promise(() => {}) };
    const readiness = createReadiness([hang], { timeoutSeconds: 0.05 });
    const result = await readiness();
    expect(result.ready).toBe(false);
    expect(result.checks).toEqual([{ name: "redis", ok: false, error: "no answer within 0.05 s" }]);
  });

  it("shares one evaluation between concurrent probes", async () => {
    let calls = 0;
    const slow: ReadinessCheck = {
      name: "redis",
      check: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    const readiness = createReadiness([slow]);
    const results = await Promise.all([readiness(), readiness(), readiness()]);
    expect(results.every((r) => r.ready)).toBe(true);
    expect(calls).toBe(1);
  });

  it("githubCheck authenticates as the app, not an installation", async () => {
    const scope = nock(API)
      .get("/app")
      .matchHeader("authorization", /^bearer ey/i)
      .reply(401, {
        message: "A JSON web token could not be decoded",
      });
    const result = await createReadiness([githubCheck(probot())])();
    expect(result.checks[0]).toMatchObject({ name: "github", ok: false });
    expect(result.checks[0]!.error).toMatch(/401/);
    scope.done();
  });

  it("refuses other methods and ignores other paths", async () => {
    const server = await serve(createHealthHandler(async () => ({ ready: true, checks: [] })));
    close = server.close;
    expect((await fetch(`${server.url}/readyz`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${server.url}/ready`)).status).toBe(404);
  });
});
