// Several replicas on one real Redis: RedisKeyLock's guarantees (mutual exclusion across clients,
// lease expiry, watchdog renewal, owner-only release, prompt failure when Redis is down), then two
// app instances receiving the same Alertmanager group at once open exactly one incident issue.
import { Redis } from "ioredis";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../../src/app/http.js";
import { InProcessKeyLock } from "../../src/app/lock.js";
import { LOCK_PREFIX, RedisKeyLock } from "../../src/app/redis-lock.js";
import { replicaSetup } from "../../src/app/replicas.js";
import { fetchHistory } from "../../src/github/history.js";
import { FakeGitHub, firingPayload } from "../app/helpers.js";
import { deliver, startAppInstance, type AppInstance } from "./harness/app.js";
import { RedisServer, redisRequirement } from "./harness/redis.js";
import { assertAvailable, freePort } from "./harness/servers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

const requirement = redisRequirement("replicas e2e");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("replicaSetup: the lock from REDIS_URL", () => {
  it("is in-process without REDIS_URL, and Probot gets no redisConfig", async () => {
    const setup = replicaSetup({ REDIS_URL: " " });
    expect(setup.lock).toBeInstanceOf(InProcessKeyLock);
    expect(setup).toMatchObject({ redisLock: null, redisConfig: undefined, where: "in-process" });
  });

  it("is a RedisKeyLock with REDIS_URL, named without its password", async () => {
    const setup = replicaSetup({ REDIS_URL: `redis://:hunter2@127.0.0.1:${await freePort()}/0` });
    try {
      expect(setup.lock).toBeInstanceOf(RedisKeyLock);
      expect(setup.redisConfig).toMatch(/hunter2/);
      expect(setup.where).not.toMatch(/hunter2/);
    } finally {
      await setup.close();
    }
  });

  it("refuses a REDIS_URL that is not redis:// or rediss://, without echoing credentials", () => {
    expect(() => replicaSetup({ REDIS_URL: "http://user:hunter2@cache:6379" })).toThrow(
      /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => replicaSetup({ REDIS_URL: "http://user:hunter2@cache:6379" })).not.toThrow(/hunter2/);
    expect(() => replicaSetup({ REDIS_URL: "127.0.0.1:6379" })).toThrow(/got "127\.0\.0\.1:6379"/);
  });
});

describe.skipIf(requirement.skip)("replicas sharing Redis", () => {
  let redis: RedisServer;
  let raw: Redis;
  const locks: RedisKeyLock[] = [];
  const lock = (options = {}) => {
    const l = RedisKeyLock.connect(redis.url, options);
    locks.push(l);
    return l;
  };

  beforeAll(async () => {
    assertAvailable(requirement);
    redis = await RedisServer.start(requirement.paths["redis-server"]!);
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    raw?.disconnect();
    await redis?.stop();
  });

  afterEach(async () => {
    await Promise.all(locks.splice(0).map((l) => l.close()));
  });

  describe("RedisKeyLock", () => {
    it("lets one holder at a time run across two clients, and other keys run meanwhile", async () => {
      const [a, b] = [lock(), lock()];
      let inside = 0;
      let most = 0;
      const order: string[] = [];
      const work = (who: string) => async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(`${who}+`);
        await sleep(15);
        order.push(`${who}-`);
        inside--;
        return who;
      };
      const runs = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).withLock("acme/shop#g", work(`r${i}`)),
      );
      // A different key is not held up by the queue on "g".
      const started = performance.now();
      const other = await a.withLock("acme/shop#other", async () => performance.now() - started);
      expect(await Promise.all(runs)).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
      expect(most).toBe(1);
      // Every start is followed by its own end before anyone else starts.
      for (let i = 0; i < order.length; i += 2)
        expect(order[i]!.slice(0, -1)).toBe(order[i + 1]!.slice(0, -1));
      expect(other).toBeLessThan(8 * 15);
      expect(await raw.exists(`${LOCK_PREFIX}acme/shop#g`)).toBe(0);
    });

    it("takes over a key whose holder died once its lease expires; gives up with 503 at the deadline", async () => {
      await raw.set(`${LOCK_PREFIX}dead`, "someone-who-crashed", "PX", 400);
      const started = performance.now();
      const impatient = lock({ waitMs: 100 });
      const refused = await impatient.withLock("dead", async () => "ran").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(HttpError);
      expect((refused as HttpError).status).toBe(503);
      expect((refused as HttpError).headers["retry-after"]).toBe("30");
      expect((refused as HttpError).message).toMatch(/held the lock for over 100 ms/);

      expect(await lock().withLock("dead", async () => "ran")).toBe("ran");
      expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    });

    it("renews the lease while the work runs longer than the TTL, and releases it after", async () => {
      const holder = lock({ ttlMs: 300 });
      const key = `${LOCK_PREFIX}slow`;
      let midTtl = -2;
      let rival: unknown = null;
      await holder.withLock("slow", async () => {
        await sleep(900); // three TTLs
        midTtl = await raw.pttl(key);
        rival = await lock({ waitMs: 50 })
          .withLock("slow", async () => "got in")
          .catch((e: unknown) => e);
      });
      expect(midTtl).toBeGreaterThan(0);
      expect(rival).toBeInstanceOf(HttpError);
      expect(await raw.exists(key)).toBe(0);
    });

    it("releases only its own lease: a lock lost to expiry leaves the new owner's key alone", async () => {
      const errors: string[] = [];
      const holder = lock({ ttlMs: 300, onError: (e: Error) => errors.push(e.message) });
      const key = `${LOCK_PREFIX}stolen`;
      await holder.withLock("stolen", async () => {
        // As if our lease had expired and another replica had taken the key.
        await raw.set(key, "other-replica", "PX", 5000);
        await sleep(250); // the watchdog looks at 100 ms and 200 ms
      });
      expect(await raw.get(key)).toBe("other-replica");
      expect(errors.join("\n")).toMatch(/lost the lock on stolen/);
    });

    it("fails at once, with 503 and how to fix it, when Redis is not reachable", async () => {
      const nowhere = RedisKeyLock.connect(`redis://127.0.0.1:${await freePort()}`, {
        onError: () => undefined,
      });
      locks.push(nowhere);
      const fn = vi.fn(async () => "ran");
      const started = performance.now();
      const err = await nowhere.withLock("k", fn).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(3500);
      expect(fn).not.toHaveBeenCalled();
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(503);
      expect((err as HttpError).message).toMatch(/unreachable.*REDIS_URL/);
      await expect(nowhere.ping()).rejects.toThrow(/unreachable/);
      await expect(lock().ping()).resolves.toBeUndefined();
    });
  });

  describe("two app instances", () => {
    let github: FakeGitHub;
    const instances: AppInstance[] = [];

    beforeEach(() => {
      nock.disableNetConnect();
      nock.enableNetConnect("127.0.0.1");
      github = new FakeGitHub();
      github.createDelay = 150; // long enough for every concurrent delivery to reach dedupe
      github.install();
      vi.mocked(fetchHistory).mockReset().mockResolvedValue({ deployments: [], pulls: [], requests: 0 });
    });

    afterEach(async () => {
      await Promise.all(instances.splice(0).map((i) => i.stop()));
      nock.cleanAll();
    });

    /** Posts the group to both instances at once, `rounds` times (2 per instance per round). */
    async function storm(a: AppInstance, b: AppInstance, rounds: number) {
      const answers = [];
      for (let r = 0; r < rounds; r++) {
        const payload = firingPayload();
        answers.push(...(await Promise.all([a, b, a, b].map((i) => deliver(i, payload)))));
      }
      return answers;
    }

    it("with one RedisKeyLock each on the same Redis: exactly one issue, every delivery answered 2xx", async () => {
      const a = await startAppInstance({ lock: lock() });
      const b = await startAppInstance({ lock: lock() });
      instances.push(a, b);
      const answers = await storm(a, b, 3);
      expect(answers.map((x) => x.status).sort()).toEqual([...Array(11).fill(200), 201]);
      expect(new Set(answers.map((x) => x.json.issue))).toEqual(new Set([101]));
      expect(github.calls.filter((c) => c === "POST /repos/acme/shop/issues")).toHaveLength(1);
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]!.comments).toEqual([]);
    });

    it("control: with a lock per process only, the same storm opens duplicates (so the test above can fail)", async () => {
      const a = await startAppInstance({ lock: new InProcessKeyLock() });
      const b = await startAppInstance({ lock: new InProcessKeyLock() });
      instances.push(a, b);
      await storm(a, b, 1);
      expect(github.issues.length).toBeGreaterThan(1);
    });
  });
});
