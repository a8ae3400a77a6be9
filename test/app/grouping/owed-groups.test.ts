// The in-process record of alert groups owed their incident (the Redis one: test/e2e/grouping.e2e).
import { describe, expect, it } from "vitest";
import { InProcessKeyLock } from "../../../src/app/lock.js";
import { RedisKeyLock } from "../../../src/app/redis-lock.js";
import {
  InProcessOwedGroups,
  OWED_TTL_MS,
  RedisOwedGroups,
  owedGroupsFor,
} from "../../../src/app/grouping/owed-groups.js";

describe("InProcessOwedGroups", () => {
  it("remembers a group until it is deleted", async () => {
    const owed = new InProcessOwedGroups();
    expect(await owed.has("acme/shop:g1")).toBe(false);
    await owed.add("acme/shop:g1");
    expect(await owed.has("acme/shop:g1")).toBe(true);
    expect(await owed.has("acme/shop:g2")).toBe(false);
    await owed.delete("acme/shop:g1");
    expect(await owed.has("acme/shop:g1")).toBe(false);
  });

  it("forgets a group after the expiry; adding it again starts it over", async () => {
    const clock = { now: 0 };
    const owed = new InProcessOwedGroups(() => clock.now, 1_000);
    await owed.add("g");
    clock.now = 999;
    expect(await owed.has("g")).toBe(true);
    await owed.add("g"); // refused again
    clock.now = 1_500;
    expect(await owed.has("g")).toBe(true);
    clock.now = 2_000;
    expect(await owed.has("g")).toBe(false);
    expect(owed.size).toBe(0);
  });

  it("keeps at most `max` groups, forgetting the longest owed first", async () => {
    const owed = new InProcessOwedGroups(Date.now, OWED_TTL_MS, 2);
    await owed.add("a");
    await owed.add("b");
    await owed.add("a"); // refused again: now the newest
    await owed.add("c");
    expect(owed.size).toBe(2);
    expect(await owed.has("b")).toBe(false);
    expect(await owed.has("a")).toBe(true);
    expect(await owed.has("c")).toBe(true);
  });
});

describe("owedGroupsFor", () => {
  it("is in-process with the in-process lock, and through Redis with the Redis lock", async () => {
    expect(owedGroupsFor(new InProcessKeyLock())).toBeInstanceOf(InProcessOwedGroups);
    const lock = RedisKeyLock.connect("redis://127.0.0.1:1/0");
    try {
      expect(owedGroupsFor(lock)).toBeInstanceOf(RedisOwedGroups);
    } finally {
      await lock.close();
    }
  });
});
