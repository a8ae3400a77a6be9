import { describe, expect, it, vi } from "vitest";
import { TtlCache } from "../../src/core/ttl-cache.js";

describe("TtlCache", () => {
  it("reuses a value until it expires, then loads again", async () => {
    let t = 0;
    const cache = new TtlCache<number>(1000, () => t);
    const load = vi.fn(async () => t);
    expect(await cache.get("k", load)).toBe(0);
    t = 999;
    expect(await cache.get("k", load)).toBe(0);
    t = 1000;
    expect(await cache.get("k", load)).toBe(1000);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("shares one load between concurrent misses", async () => {
    const cache = new TtlCache<string>(1000);
    let release!: (v: string) => void;
    const load = vi.fn(() => new Promise<string>((r) => (release = r)));
    const both = Promise.all([cache.get("k", load), cache.get("k", load)]);
    release("v");
    expect(await both).toEqual(["v", "v"]);
    expect(load).toHaveBeenCalledOnce();
  });

  it("does not keep a failed load", async () => {
    const cache = new TtlCache<string>(1000);
    await expect(cache.get("k", () => Promise.reject(new Error("502")))).rejects.toThrow("502");
    expect(await cache.get("k", async () => "ok")).toBe("ok");
  });

  it("stays bounded, dropping the oldest key", async () => {
    const cache = new TtlCache<number>(1000, Date.now, 2);
    const load = vi.fn(async () => 1);
    await cache.get("a", load);
    await cache.get("b", load);
    await cache.get("c", load);
    await cache.get("b", load);
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get("a", load);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
