// One incident per cause across replicas: two app instances, each with a RedisKeyLock on the same
// real Redis, receive two alert groups blaming the same deploy at the same moment (and again), and
// a group blaming another deploy. GitHub is in memory behind nock; correlation is mocked so that the
// alert's service decides the top suspect deploy.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { InProcessKeyLock } from "../../src/app/lock.js";
import { RedisKeyLock } from "../../src/app/redis-lock.js";
import { fetchHistory } from "../../src/github/history.js";
import { TWO_DEPLOYS, group } from "../app/grouping-fixtures.js";
import { FakeGitHub } from "../app/helpers.js";
import { deliver, startAppInstance, type AppInstance } from "./harness/app.js";
import { RedisServer, redisRequirement } from "./harness/redis.js";
import { assertAvailable } from "./harness/servers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));
vi.mock("../../src/core/suspects/scoring.js", async () => ({
  rankSuspects: (await import("../app/grouping-ranking.js")).rankByService,
}));

const requirement = redisRequirement("grouping e2e");
/** The in-memory GitHub's issues are opened by aftershock[bot]. */
const settings = { appSlug: "aftershock" };

describe.skipIf(requirement.skip)("one incident per cause across two replicas on one Redis", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  const instances: AppInstance[] = [];
  const locks: RedisKeyLock[] = [];

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
    github = new FakeGitHub();
    github.createDelay = 150; // every concurrent delivery reaches "find or create" before the issue exists
    github.install();
    vi.mocked(fetchHistory).mockReset().mockResolvedValue(TWO_DEPLOYS);
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.stop()));
    await Promise.all(locks.splice(0).map((l) => l.close()));
    nock.cleanAll();
  });

  const redisLock = () => {
    const lock = RedisKeyLock.connect(redis.url);
    locks.push(lock);
    return lock;
  };

  /** Group A to one instance and group B to the other, at once, twice over. */
  async function race(a: AppInstance, b: AppInstance) {
    const errors = group("HighErrorRate", "checkout", { e1: "firing" });
    const latency = group("HighLatency", "payments", { l1: "firing" });
    return Promise.all([deliver(a, errors), deliver(b, latency), deliver(b, errors), deliver(a, latency)]);
  }

  it("two groups from the same deploy, one per instance at once: one incident with both", async () => {
    const [a, b] = [
      await startAppInstance({ lock: redisLock(), settings }),
      await startAppInstance({ lock: redisLock(), settings }),
    ];
    instances.push(a, b);
    const answers = await race(a, b);
    expect(answers.map((x) => x.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(answers.map((x) => x.json["issue"])).size).toBe(1);
    expect(github.calls.filter((c) => c === "POST /repos/acme/shop/issues")).toHaveLength(1);
    const record = github.records()[0]!;
    const keys = [record.groupKey, ...(record.related ?? []).map((g) => g.groupKey)].sort();
    expect(keys).toEqual([
      '{}:{alertname="HighErrorRate", service="checkout"}',
      '{}:{alertname="HighLatency", service="payments"}',
    ]);

    // A group blaming the other deploy opens its own incident, whichever instance gets it.
    const other = await deliver(b, group("HighErrorRate", "search", { s1: "firing" }));
    expect(other.status).toBe(201);
    expect(github.issues).toHaveLength(2);
  });

  it("control: with a lock per process only, the same race opens two incidents (so the test above can fail)", async () => {
    const a = await startAppInstance({ lock: new InProcessKeyLock(), settings });
    const b = await startAppInstance({ lock: new InProcessKeyLock(), settings });
    instances.push(a, b);
    await race(a, b);
    expect(github.issues.length).toBeGreaterThan(1);
  });

  describe("the write budget", () => {
    // Two hours on, so the slots earlier tests took in this Redis are out of the hour.
    const later = Date.now() + 2 * 3_600_000;
    const pacing = { budget: { perMinute: 1, perHour: 100 }, waitMs: 5_000, clock: () => later };

    it("is shared by the replicas on the Redis lock: the second one's write is refused", async () => {
      const a = await startAppInstance({ lock: redisLock(), settings, pacing });
      const b = await startAppInstance({ lock: redisLock(), settings, pacing });
      instances.push(a, b);
      expect((await deliver(a, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(201);
      const refused = await deliver(b, group("HighErrorRate", "search", { s1: "firing" }));
      expect(refused.status).toBe(503);
      expect(github.issues).toHaveLength(1);
    });

    describe("a group refused on one replica whose resolved retry reaches the other", () => {
      // Four hours on: out of the hour of the slots the tests above took.
      const clock = { now: Date.now() + 4 * 3_600_000 };
      const paced = { budget: { perMinute: 1, perHour: 100 }, waitMs: 5_000, clock: () => clock.now };

      async function refuseThenResolve(a: AppInstance, b: AppInstance, service: string) {
        expect((await deliver(a, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(201);
        expect((await deliver(a, group("HighLatency", service, { l1: "firing" }))).status).toBe(503);
        clock.now += 61_000; // by the retry, on the other replica, the group has resolved
        return deliver(b, group("HighLatency", service, { l1: "resolved" }));
      }

      it("on the Redis lock: the other replica knows it is owed and opens it, resolved", async () => {
        github.config = "grouping: { enabled: false }\n";
        const a = await startAppInstance({ lock: redisLock(), settings, pacing: paced });
        const b = await startAppInstance({ lock: redisLock(), settings, pacing: paced });
        instances.push(a, b);
        const resolved = await refuseThenResolve(a, b, "payments");
        expect(resolved.status).toBe(201);
        const record = github.records().find((r) => r?.service === "payments")!;
        expect(record.status).toBe("resolved");
        // Its redelivery on the first replica finds that incident and opens nothing more.
        clock.now += 61_000;
        const again = await deliver(a, group("HighLatency", "payments", { l1: "resolved" }));
        expect(again.json["outcome"]).toBe("unchanged");
        expect(github.issues).toHaveLength(2);
      });

      it("control: with in-process locks the other replica does not know, and ignores it", async () => {
        github.config = "grouping: { enabled: false }\n";
        const a = await startAppInstance({ lock: new InProcessKeyLock(), settings, pacing: paced });
        const b = await startAppInstance({ lock: new InProcessKeyLock(), settings, pacing: paced });
        instances.push(a, b);
        const resolved = await refuseThenResolve(a, b, "inventory");
        expect(resolved.json["outcome"]).toBe("ignored");
        expect(github.issues).toHaveLength(1);
      });
    });

    it("control: with in-process locks each replica has its own budget", async () => {
      const a = await startAppInstance({ lock: new InProcessKeyLock(), settings, pacing });
      const b = await startAppInstance({ lock: new InProcessKeyLock(), settings, pacing });
      instances.push(a, b);
      expect((await deliver(a, group("HighErrorRate", "checkout", { e1: "firing" }))).status).toBe(201);
      expect((await deliver(b, group("HighErrorRate", "search", { s1: "firing" }))).status).toBe(201);
    });
  });
});
