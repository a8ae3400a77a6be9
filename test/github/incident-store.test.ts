// The incident store against a small in-memory client: the size limits every write passes, the
// order of a write (issue first, then comments), 422 as a permanent refusal, and the author rule.
import { describe, expect, it } from "vitest";
import { serializeRecord, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import { incidentRecord } from "../helpers/incident-record.js";
import { renderUpdateComment } from "../../src/core/incident/render-incident.js";
import {
  GITHUB_TEXT_LIMIT,
  GitHubRefusedError,
  IncidentStore,
  fitIssueBody,
  onlyAuthors,
  type GitHubClient,
} from "../../src/github/incidents/index.js";

const repo = { owner: "acme", repo: "shop" };
const record: IncidentRecord = incidentRecord({
  groupKey: "g",
  name: "A",
  service: "s",
  openedAt: "2024-05-01T12:00:00Z",
});

function client(answer: (route: string, params: Record<string, unknown>) => unknown) {
  const calls: Array<{ route: string; params: Record<string, unknown> }> = [];
  const c: GitHubClient = {
    async request(route, params = {}) {
      calls.push({ route, params });
      return { data: answer(route, params) };
    },
  };
  return { c, calls };
}

const app = onlyAuthors(async () => ["aftershock[bot]"]);

describe("IncidentStore", () => {
  it("fits an oversized body below GitHub's limit and keeps the hidden block whole", () => {
    const block = serializeRecord(record);
    const body = `${"| row |\n".repeat(20_000)}\n${block}`;
    const fitted = fitIssueBody(body);
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(fitted.endsWith(block)).toBe(true);
    expect(fitted).toMatch(/… and \d+ more lines/);
  });

  it("writes the issue first and the comments after, each fitted", async () => {
    const { c, calls } = client(() => ({}));
    await new IncidentStore(c, repo, app).write(7, { body: "b", comments: ["x".repeat(100_000)] });
    expect(calls.map((x) => x.route)).toEqual([
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(String(calls[1]!.params["body"]).length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
  });

  it("a 422 is a permanent refusal naming what was refused", async () => {
    const c: GitHubClient = {
      request: async () => {
        throw Object.assign(new Error("Validation Failed"), { status: 422 });
      },
    };
    const write = new IncidentStore(c, repo, app).comment(7, "x");
    await expect(write).rejects.toBeInstanceOf(GitHubRefusedError);
    await expect(write).rejects.toThrow(/refused to comment on the incident issue \(422\)/);
  });

  it("trusts only the app's own bot: another bot's issue with a copied block is not an incident", async () => {
    const issue = (login: string, n: number) => ({
      number: n,
      html_url: `u/${n}`,
      body: serializeRecord(record),
      labels: [{ name: "incident" }],
      user: { login, type: "Bot" },
    });
    const { c } = client(() => [issue("renovate[bot]", 1), issue("aftershock[bot]", 2)]);
    const store = new IncidentStore(c, repo, app);
    expect((await store.find("incident", "g"))?.number).toBe(2);
    expect((await store.list("incident")).map((i) => i.number)).toEqual([2]);
  });
});

describe("renderUpdateComment", () => {
  it("lists 20 changes and counts the rest", () => {
    const alert = { status: "firing" as const, alertname: "A", startsAt: "t" };
    const changes = Array.from({ length: 500 }, (_, i) => ({
      kind: "alert-added" as const,
      fingerprint: `fp${i}`,
      alert,
    }));
    const comment = renderUpdateComment(changes);
    expect(comment).toContain("… and 480 more");
    expect(comment.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(21);
  });
});
