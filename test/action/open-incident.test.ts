// The Action's open-incident trusts only issues its own token's identity opened (issue 11, finding 6).
import { describe, expect, it } from "vitest";
import { serializeRecord, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import { incidentRecord } from "../helpers/incident-record.js";
import { openGateIncident, tokenIdentity } from "../../src/action/open-incident.js";
import type { GitHubClient } from "../../src/github/incidents/index.js";

const record: IncidentRecord = incidentRecord({
  groupKey: "deploy:99",
  name: "Deploy check failed",
  source: "deploy-check",
  openedAt: "2024-05-01T12:00:00Z",
});

/** A client answering by route; `user` is GET /user's answer (a status: that error). */
function client(user: { login: string } | number, issues: unknown[]) {
  const routes: string[] = [];
  const c: GitHubClient = {
    async request(route) {
      routes.push(route);
      if (route === "GET /user") {
        if (typeof user === "number") throw Object.assign(new Error(`HTTP ${user}`), { status: user });
        return { data: user };
      }
      if (route.startsWith("GET /repos/{owner}/{repo}/contents"))
        throw Object.assign(new Error("Not Found"), { status: 404 });
      if (route === "GET /repos/{owner}/{repo}/issues") return { data: issues };
      if (route === "POST /repos/{owner}/{repo}/issues") return { data: { number: 7, html_url: "u/7" } };
      throw new Error(`unexpected ${route}`);
    },
  };
  return { c, routes };
}

const existing = (login: string) => ({
  number: 3,
  html_url: "u/3",
  body: serializeRecord(record),
  labels: [{ name: "incident" }],
  user: { login, type: "Bot" },
});

describe("the Action's open-incident", () => {
  it("a person's token is that person; the workflow token writes as github-actions[bot]", async () => {
    expect(await tokenIdentity(client({ login: "release-user" }, []).c)()).toEqual(["release-user"]);
    expect(await tokenIdentity(client(403, []).c)()).toEqual(["github-actions[bot]"]);
    await expect(tokenIdentity(client(500, []).c)()).rejects.toThrow(/500/);
  });

  it("finds the incident its own identity opened", async () => {
    const { c } = client(403, [existing("github-actions[bot]")]);
    expect(await openGateIncident(c, { owner: "o", repo: "r" }, record)).toEqual({
      number: 3,
      url: "u/3",
      created: false,
    });
  });

  it("another bot's issue with a copied block is not it: a new incident opens", async () => {
    const { c, routes } = client(403, [existing("renovate[bot]")]);
    expect(await openGateIncident(c, { owner: "o", repo: "r" }, record)).toMatchObject({
      number: 7,
      created: true,
    });
    expect(routes).toContain("POST /repos/{owner}/{repo}/issues");
  });
});
