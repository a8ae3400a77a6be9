// Faults, with the production set-up of a replica: a RedisKeyLock and Probot's throttling clustered
// on a real Redis, the GitHub client policy of replicas.ts (timeouts, secondary-rate-limit waits, no
// blind retry of creates), GitHub faked with nock. In every case no incident is lost (the sender is
// told 5xx so Alertmanager retries), none is duplicated, and the app serves again once the fault clears.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { RedisKeyLock } from "../../src/app/redis-lock.js";
import { githubOctokit } from "../../src/app/replicas.js";
import { fetchHistory } from "../../src/github/history.js";
import { API, FakeGitHub, firingPayload } from "../app/helpers.js";
import { deliver, startAppInstance, type AppInstance } from "./harness/app.js";
import { RedisServer, redisRequirement } from "./harness/redis.js";
import { assertAvailable } from "./harness/servers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

const requirement = redisRequirement("faults e2e");
const ISSUES = "/repos/acme/shop/issues";
const REQUEST_TIMEOUT_MS = 500;

/** The same group with one more alert: an update the incident must record. */
function withSecondAlert() {
  const next = firingPayload();
  next.alerts.push({
    ...next.alerts[0]!,
    labels: { ...next.alerts[0]!.labels, instance: "checkout-2" },
    fingerprint: "aa11bb22cc33dd44",
  });
  return next;
}

describe.skipIf(requirement.skip)("faults", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  const instances: AppInstance[] = [];
  const locks: RedisKeyLock[] = [];

  /** A replica as `npm start` runs one with REDIS_URL set. */
  async function replica(): Promise<AppInstance> {
    const lock = RedisKeyLock.connect(redis.url, { onError: () => undefined });
    locks.push(lock);
    const instance = await startAppInstance({
      lock,
      redisConfig: redis.url,
      // Short waits so the test is quick; the behaviour is the production policy's.
      Octokit: githubOctokit({ requestTimeoutMs: REQUEST_TIMEOUT_MS, retryBaseMs: 20 }),
    });
    instances.push(instance);
    return instance;
  }

  const creates = () => github.calls.filter((c) => c === `POST ${ISSUES}`).length;

  beforeAll(async () => {
    assertAvailable(requirement);
    redis = await RedisServer.start(requirement.paths["redis-server"]!);
  });

  afterAll(async () => {
    await redis?.stop();
  });

  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    // Interceptors a test adds before github.install() answer first (one-shot faults).
    github = new FakeGitHub();
    vi.mocked(fetchHistory).mockReset().mockResolvedValue({ deployments: [], pulls: [], requests: 0 });
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.stop()));
    await Promise.all(locks.splice(0).map((l) => l.close()));
    nock.cleanAll();
  });

  it("GitHub 502 on the create: 503 without a blind retry, then the redelivery opens one issue", async () => {
    github.failNext(`POST ${ISSUES}`, 502);
    github.install();
    const app = await replica();
    const first = await deliver(app, firingPayload());
    expect(first.status).toBe(503);
    expect(first.json).toMatchObject({ githubStatus: 502 });
    expect(creates()).toBe(1);
    expect(github.issues).toHaveLength(0);

    const again = await deliver(app, firingPayload());
    expect(again.status).toBe(201);
    expect(creates()).toBe(2);
    expect(github.issues).toHaveLength(1);
  });

  it("GitHub 502 on a read is retried inside the delivery", async () => {
    github.failNext(`GET ${ISSUES}`, 502, 502);
    github.install();
    const app = await replica();
    const res = await deliver(app, firingPayload());
    expect(res.status).toBe(201);
    expect(github.calls.filter((c) => c === `GET ${ISSUES}`)).toHaveLength(3);
    expect(github.issues).toHaveLength(1);
  });

  it("403 secondary rate limit with retry-after: 1 is waited out and retried by the throttling plugin", async () => {
    const limited = nock(API).post(ISSUES).reply(
      403,
      { message: "You have exceeded a secondary rate limit. Please wait a few minutes." },
      {
        "retry-after": "1",
      },
    );
    github.install();
    const app = await replica();
    const res = await deliver(app, firingPayload());
    expect(limited.isDone()).toBe(true);
    expect(res.status).toBe(201);
    expect(res.ms).toBeGreaterThanOrEqual(1000);
    expect(github.issues).toHaveLength(1);
    expect(app.logs.join("")).toMatch(/secondary rate limit on POST .*retrying in 1 s/);
  });

  it("403 secondary rate limit with a long retry-after: 503 at once, the redelivery succeeds", async () => {
    nock(API)
      .post(ISSUES)
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "120" });
    github.install();
    const app = await replica();
    const res = await deliver(app, firingPayload());
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ githubStatus: 403 });
    expect(res.ms).toBeLessThan(5000);
    expect(github.issues).toHaveLength(0);
    expect((await deliver(app, firingPayload())).status).toBe(201);
    expect(github.issues).toHaveLength(1);
  });

  it("a create that times out after GitHub made the issue: 503, and the redelivery finds it (no duplicate)", async () => {
    // GitHub creates the issue but its answer comes too late (lost to our request timeout).
    let created = false;
    nock(API)
      .post(ISSUES)
      .delay(REQUEST_TIMEOUT_MS * 3)
      .reply((_uri, body) => {
        created = true;
        const b = body as { title: string; body: string; labels: string[]; assignees: string[] };
        github.issues.push({ ...b, number: 500, state: "open", comments: [] });
        return [201, { number: 500, html_url: "https://github.com/acme/shop/issues/500" }];
      });
    github.install();
    const app = await replica();
    const res = await deliver(app, firingPayload());
    expect(res.status).toBe(503);
    expect(res.json.reason).toMatch(new RegExp(`did not answer within ${REQUEST_TIMEOUT_MS} ms`));

    const again = await deliver(app, firingPayload());
    expect(created).toBe(true);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ outcome: "unchanged", issue: 500 });
    expect(github.issues).toHaveLength(1);
  });

  it("Redis going away mid-run: 5xx while it is down, served again once it is back on the same port", async () => {
    github.install();
    const app = await replica();
    expect((await deliver(app, firingPayload())).status).toBe(201);

    await redis.stop();
    const down = await deliver(app, withSecondAlert());
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(down.ms).toBeLessThan(3000);
    expect(github.issues[0]!.comments).toEqual([]);

    await redis.start();
    await vi.waitFor(() => locks[0]!.ping(), { timeout: 10_000, interval: 200 });
    // Like Alertmanager, redeliver until the app answers 2xx: its Redis clients reconnect on their own
    // schedules (the lock's and Probot's throttling), so the first delivery after the restart may still 503.
    const back = await vi.waitFor(
      async () => {
        const r = await deliver(app, withSecondAlert());
        if (r.status >= 500) throw new Error(`still ${r.status}`);
        return r;
      },
      { timeout: 15_000, interval: 500 },
    );
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ outcome: "updated", issue: 101 });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toHaveLength(1);
  });

  it("the app restarted between two deliveries of one group: the new instance updates the same issue", async () => {
    github.install();
    const before = await replica();
    expect((await deliver(before, firingPayload())).json).toMatchObject({ outcome: "created", issue: 101 });
    await before.stop();
    await locks[0]!.close();

    const after = await replica();
    const res = await deliver(after, withSecondAlert());
    expect(res.json).toMatchObject({ outcome: "updated", issue: 101 });
    expect(creates()).toBe(1);
    expect(github.issues).toHaveLength(1);
    expect(github.records()[0]!.timeline.map((e) => e.kind)).toEqual(["opened", "alert-added"]);
  });
});
