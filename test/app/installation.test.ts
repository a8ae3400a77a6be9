// installationOctokit: the one lookup of the app's installation on a repository, for the
// Alertmanager path (cached id) and the incident.opened listeners (uncached).
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { TtlCache } from "../../src/core/ttl-cache.js";
import { HttpError } from "../../src/app/http.js";
import { installationOctokit } from "../../src/app/installation.js";

/** A Probot whose app auth answers GET /repos/{owner}/{repo}/installation with `id` (or a 404). */
function fakeApp(installed: Record<string, number>) {
  const lookups: string[] = [];
  const authed: number[] = [];
  const app = {
    auth: async (id?: number) => {
      if (id !== undefined) {
        authed.push(id);
        return { installationId: id };
      }
      return {
        request: async (_route: string, { owner, repo }: { owner: string; repo: string }) => {
          lookups.push(`${owner}/${repo}`);
          const found = installed[`${owner}/${repo}`];
          if (found === undefined) throw Object.assign(new Error("Not Found"), { status: 404 });
          return { data: { id: found } };
        },
      };
    },
  } as unknown as Probot;
  return { app, lookups, authed };
}

describe("installationOctokit", () => {
  it("looks the installation up on every call without a cache", async () => {
    const { app, lookups, authed } = fakeApp({ "acme/shop": 7 });
    await installationOctokit(app, { owner: "acme", repo: "shop" });
    await installationOctokit(app, { owner: "acme", repo: "shop" });
    expect(lookups).toEqual(["acme/shop", "acme/shop"]);
    expect(authed).toEqual([7, 7]);
  });

  it("looks it up once per TTL with a cache, whatever the case of the name", async () => {
    let now = 0;
    const cache = new TtlCache<number>(1_000, () => now);
    const { app, lookups, authed } = fakeApp({ "acme/shop": 7, "Acme/Shop": 7 });
    await installationOctokit(app, { owner: "acme", repo: "shop" }, cache);
    await installationOctokit(app, { owner: "Acme", repo: "Shop" }, cache);
    expect(lookups).toEqual(["acme/shop"]);
    now = 1_001;
    await installationOctokit(app, { owner: "acme", repo: "shop" }, cache);
    expect(lookups).toEqual(["acme/shop", "acme/shop"]);
    expect(authed).toEqual([7, 7, 7]);
  });

  it("says to install the app when it is not installed (404), and does not cache that", async () => {
    const cache = new TtlCache<number>(60_000);
    const { app, lookups } = fakeApp({});
    for (let i = 0; i < 2; i++) {
      const err = await installationOctokit(app, { owner: "acme", repo: "ghost" }, cache).catch((e) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ status: 404 });
      expect((err as Error).message).toMatch(/not installed on acme\/ghost: install the GitHub App/);
    }
    expect(lookups).toHaveLength(2);
  });
});
