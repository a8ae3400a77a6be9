// The write budget: a sliding minute and hour window of content-creating requests per installation.
import { describe, expect, it } from "vitest";
import { HttpError } from "../../../src/app/http.js";
import { WriteBudget, isContentCreating } from "../../../src/app/pacing/write-budget.js";

function budget(perMinute: number, perHour: number) {
  const clock = { now: 1_000_000 };
  return { clock, budget: new WriteBudget({ perMinute, perHour }, () => clock.now) };
}

describe("WriteBudget", () => {
  it("hands out slots now until the minute is full, then a minute after the oldest", async () => {
    const { clock, budget: b } = budget(3, 100);
    for (let i = 0; i < 3; i++) await b.take("acme");
    expect(b.nextSlot("acme")).toBe(clock.now + 60_000);
    expect(b.nextSlot("other")).toBe(clock.now); // installations have their own budget
    clock.now += 60_001;
    expect(b.nextSlot("acme")).toBe(clock.now);
  });

  it("the hour limit holds across minutes", async () => {
    const { clock, budget: b } = budget(2, 3);
    await b.take("acme");
    await b.take("acme");
    clock.now += 61_000;
    await b.take("acme");
    clock.now += 61_000;
    expect(b.used("acme")).toEqual({ minute: 0, hour: 3 });
    expect(b.nextSlot("acme")).toBe(1_000_000 + 3_600_000);
  });

  it("refuses with 503 and retry-after, taking nothing, when the slot is past the deadline", async () => {
    const { clock, budget: b } = budget(1, 10);
    await b.take("acme");
    const refused = await b.take("acme", clock.now + 5_000).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    expect(Number((refused as HttpError).headers["retry-after"])).toBe(60);
    expect(b.used("acme").minute).toBe(1);
    expect(() => b.admit("acme", clock.now + 5_000)).toThrow(HttpError);
    expect(() => b.admit("acme", clock.now + 61_000)).not.toThrow();
  });

  it("spaces writes and notifying writes as Probot's throttling does, so it knows when each goes", async () => {
    const clock = { now: 1_000_000 };
    const b = new WriteBudget(
      { perMinute: 60, perHour: 500, writeSpacingMs: 1000, notifySpacingMs: 3000 },
      () => clock.now,
    );
    const refusedAt = (deadline: number, notify: boolean) =>
      b.take("acme", deadline, notify).then(
        () => "taken",
        (err: HttpError) => err.status,
      );
    expect(await refusedAt(clock.now, true)).toBe("taken"); // a comment now
    expect(b.nextSlot("acme")).toBe(clock.now + 1000); // the next write a second later
    expect(b.nextSlot("acme", true)).toBe(clock.now + 3000); // the next comment three
    expect(await refusedAt(clock.now + 2000, true)).toBe(503); // would go past the deadline: refused
    expect(b.nextSlot("acme", true)).toBe(clock.now + 3000); // and took nothing
    // Spacing alone does not refuse a delivery up front: it may need no write at all.
    expect(() => b.admit("acme", clock.now + 500)).not.toThrow();
  });

  it("counts REST writes as content-creating, not reads, GraphQL queries or token requests", () => {
    expect(isContentCreating("POST", "/repos/{owner}/{repo}/issues")).toBe(true);
    expect(isContentCreating("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")).toBe(true);
    expect(isContentCreating("GET", "/repos/{owner}/{repo}/issues")).toBe(false);
    expect(isContentCreating("POST", "/graphql")).toBe(false);
    expect(isContentCreating("POST", "/app/installations/9/access_tokens")).toBe(false);
  });
});
