// Group commit: what queues behind a key's lock is applied in one batch; what waits past its
// deadline is answered 503 and never applied.
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../../src/app/grouping/group-commit.js";
import { HttpError } from "../../../src/app/http.js";
import { InProcessKeyLock } from "../../../src/app/lock.js";

/** Holds `key` until the returned release is called (once the holder is running). */
async function hold(lock: InProcessKeyLock, key: string) {
  let release!: () => void;
  let running!: () => void;
  const started = new Promise<void>((resolve) => (running = resolve));
  const held = lock.withLock(key, () => {
    running();
    return new Promise<void>((resolve) => (release = resolve));
  });
  await started;
  return async () => {
    release();
    await held;
  };
}

describe("GroupCommit", () => {
  it("applies everything queued behind the lock as one batch, answering each with its result", async () => {
    const lock = new InProcessKeyLock();
    const batches: number[][] = [];
    const commits = new GroupCommit<number, string>(lock, async (_key, items) => {
      batches.push(items);
      return items.map((n) => `wrote ${n}`);
    });
    const release = await hold(lock, "k");
    const far = Date.now() + 60_000;
    const answers = Promise.all([1, 2, 3, 4].map((n) => commits.submit("k", n, far)));
    expect(commits.queued("k")).toBe(4);
    await release();
    expect(await answers).toEqual(["wrote 1", "wrote 2", "wrote 3", "wrote 4"]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("waits for `ready` (the next write slot) before taking the batch: what arrives meanwhile joins it", async () => {
    const lock = new InProcessKeyLock();
    const batches: number[][] = [];
    let slot!: () => void;
    const commits = new GroupCommit<number, number>(
      lock,
      async (_key, items) => {
        batches.push(items);
        return items;
      },
      { ready: () => new Promise<void>((resolve) => (slot = resolve)) },
    );
    const far = Date.now() + 60_000;
    const first = commits.submit("k", 1, far);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [commits.submit("k", 2, far), commits.submit("k", 3, far)];
    slot();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("answers 503 to an item still queued at its deadline, and never applies it", async () => {
    const lock = new InProcessKeyLock();
    const applied: number[] = [];
    const commits = new GroupCommit<number, number>(lock, async (_key, items) => {
      applied.push(...items);
      return items;
    });
    const release = await hold(lock, "k");
    const late = commits.submit("k", 1, Date.now() + 20).catch((err: unknown) => err);
    const patient = commits.submit("k", 2, Date.now() + 60_000);
    const refused = await late;
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    await release();
    expect(await patient).toBe(2);
    expect(applied).toEqual([2]);
  });

  it("a failed write fails its whole batch (each sender retries), and the next batch still runs", async () => {
    const lock = new InProcessKeyLock();
    let calls = 0;
    const commits = new GroupCommit<number, number>(lock, async (_key, items) => {
      if (calls++ === 0) throw new Error("GitHub 502");
      return items;
    });
    const far = Date.now() + 60_000;
    await expect(commits.submit("k", 1, far)).rejects.toThrow("GitHub 502");
    await expect(commits.submit("k", 2, far)).resolves.toBe(2);
  });

  it("refuses at once when too many items are queued for one key", async () => {
    const lock = new InProcessKeyLock();
    const commits = new GroupCommit<number, number>(lock, async (_k, items) => items, { maxQueued: 2 });
    const release = await hold(lock, "k");
    const far = Date.now() + 60_000;
    const queued = [commits.submit("k", 1, far), commits.submit("k", 2, far)];
    await expect(commits.submit("k", 3, far)).rejects.toMatchObject({ status: 503 });
    await release();
    expect(await Promise.all(queued)).toEqual([1, 2]);
  });
});
