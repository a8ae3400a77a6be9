// The write budget shared through Redis (issue 14): two replicas, each with its own connection to one
// real redis-server, take slots of the same installation's budget. Together they stay within it.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BudgetRefusal } from "../../src/app/pacing/write-budget.js";
import { RedisWriteBudget } from "../../src/app/pacing/redis-budget.js";
import { RedisServer, redisRequirement } from "./harness/redis.js";
import { assertAvailable } from "./harness/servers.js";

const requirement = redisRequirement("write budget e2e");

describe.skipIf(requirement.skip)("the write budget shared by two replicas through Redis", () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  const clock = { now: 1_800_000_000_000 };
  let run = 0;

  beforeAll(async () => {
    assertAvailable(requirement);
    redis = await RedisServer.start(requirement.paths["redis-server"]!);
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  /** Two replicas' budgets with these limits, on their own connections, with keys of this test. */
  function replicas(limits: ConstructorParameters<typeof RedisWriteBudget>[1]) {
    const prefix = `test:${++run}:`;
    return [0, 1].map(() => {
      const client = new Redis(redis.url);
      clients.push(client);
      return new RedisWriteBudget(
        async () => client,
        limits,
        () => clock.now,
        prefix,
      );
    }) as [RedisWriteBudget, RedisWriteBudget];
  }
  const outcome = (p: Promise<void>) =>
    p.then(
      () => "taken",
      (err: unknown) => (err instanceof BudgetRefusal ? 503 : err),
    );

  it("concurrent writes from both replicas take the minute's slots once, and the rest are refused", async () => {
    const [a, b] = replicas({ perMinute: 5, perHour: 100 });
    const deadline = clock.now + 1_000;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome((i % 2 ? a : b).take("acme", deadline))),
    );
    expect(results.filter((r) => r === "taken")).toHaveLength(5);
    expect(results.filter((r) => r === 503)).toHaveLength(7);
    expect(await a.used("acme")).toEqual({ minute: 5, hour: 5 });
    // The minute is full for both: each refuses a delivery up front, until the minute has passed.
    await expect(b.admit("acme", deadline)).rejects.toBeInstanceOf(BudgetRefusal);
    await expect(a.admit("acme", deadline)).rejects.toBeInstanceOf(BudgetRefusal);
    await expect(a.admit("acme", clock.now + 61_000)).resolves.toBeUndefined();
    // Another installation has its own budget.
    await expect(b.take("other", deadline)).resolves.toBeUndefined();
  });

  it("spacing holds across replicas: a notification after the other's waits its 3 s", async () => {
    const [a, b] = replicas({ perMinute: 60, perHour: 500, writeSpacingMs: 0, notifySpacingMs: 3_000 });
    await a.take("acme", clock.now, true); // a comment now, from replica a
    expect(await outcome(b.take("acme", clock.now + 2_000, true))).toBe(503); // b's would go at +3 s
    expect(await b.nextSlot("acme")).toBe(clock.now); // a plain write may go now
    await expect(b.take("acme", clock.now)).resolves.toBeUndefined();
  });

  it("the hour holds across minutes and replicas", async () => {
    const [a, b] = replicas({ perMinute: 2, perHour: 3 });
    const start = clock.now;
    await a.take("acme");
    await b.take("acme");
    clock.now += 61_000;
    await a.take("acme");
    clock.now += 61_000;
    expect(await b.used("acme")).toEqual({ minute: 0, hour: 3 });
    expect(await b.nextSlot("acme")).toBe(start + 3_600_000);
  });
});
