// One listing of past incidents per incident being opened: the service hints and the similar
// incidents share it, its requests are counted once, and a failed listing is tried again.
import { describe, expect, it } from "vitest";
import { HISTORY_MAX_PAGES, pastIncidentsOnce } from "../../src/app/pipeline/past-incidents.js";
import { DEFAULT_REPO_CONFIG } from "../../src/core/config/repo-config.js";
import { renderIncidentBody } from "../../src/core/incident/render-incident.js";
import { incidentRecord } from "../helpers/incident-record.js";

const NOW = new Date("2024-05-01T12:05:00Z");
const repo = { owner: "acme", repo: "shop" };

/**
 * An Octokit that answers the issues listing with one past incident, failing the first `failures`
 * times; with `fullPages`, every page is a full one of 100 (as in a repository with many incidents).
 */
function octokit(failures = 0, fullPages = false) {
  const calls: Array<Record<string, unknown>> = [];
  const past = incidentRecord({ groupKey: "g50", status: "resolved", openedAt: "2024-04-10T09:01:00Z" });
  const issue = {
    number: 50,
    html_url: "https://github.com/acme/shop/issues/50",
    state: "closed",
    created_at: past.openedAt,
    body: renderIncidentBody(past),
  };
  return {
    calls,
    request: async (route: string, params: Record<string, unknown> = {}) => {
      expect(route).toBe("GET /repos/{owner}/{repo}/issues");
      calls.push(params);
      if (calls.length <= failures) throw new Error("GitHub answered 502");
      return {
        data: fullPages ? Array.from({ length: 100 }, (_, i) => ({ ...issue, number: i + 1 })) : [issue],
      };
    },
    graphql: async <T>(): Promise<T> => {
      throw new Error("no GraphQL here");
    },
  };
}

describe("past incidents of an incident being opened", () => {
  it("are listed once for the service hints and the similar incidents, the requests counted once", async () => {
    const gh = octokit();
    const list = pastIncidentsOnce(gh, repo, DEFAULT_REPO_CONFIG, NOW);
    const [hints, similar] = await Promise.all([list(), list()]);
    const later = await list();
    expect(gh.calls).toHaveLength(1);
    expect(gh.calls[0]).toMatchObject({
      owner: "acme",
      repo: "shop",
      labels: "incident",
      state: "all",
      since: new Date(NOW.getTime() - 90 * 86_400_000).toISOString(),
    });
    expect(hints.incidents.map((i) => i.number)).toEqual([50]);
    expect(similar.incidents).toEqual(hints.incidents);
    expect(later.incidents).toEqual(hints.incidents);
    expect([hints.requests, similar.requests, later.requests]).toEqual([1, 0, 0]);
  });

  it("read at most HISTORY_MAX_PAGES pages on the alert path, however many incidents there are", async () => {
    const gh = octokit(0, true);
    const history = await pastIncidentsOnce(gh, repo, DEFAULT_REPO_CONFIG, NOW)();
    expect(gh.calls.map((c) => c["page"])).toEqual(
      Array.from({ length: HISTORY_MAX_PAGES }, (_, i) => i + 1),
    );
    expect(history.requests).toBe(HISTORY_MAX_PAGES);
    expect(history.truncated).toBe(true);
  });

  it("lists again after a failure: the first caller reports it, the next one still gets the history", async () => {
    const gh = octokit(1);
    const list = pastIncidentsOnce(gh, repo, DEFAULT_REPO_CONFIG, NOW);
    await expect(list()).rejects.toThrow("GitHub answered 502");
    const again = await list();
    expect(again.incidents.map((i) => i.number)).toEqual([50]);
    expect(again.requests).toBe(1);
    expect(gh.calls).toHaveLength(2);
  });
});
