import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { serializeRecord, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import { parseRecord as readRecord } from "../../src/core/incident/incident-record.js";
import { listIncidentHistory } from "../../src/github/incident-history.js";
import { periodKey, reportMarker, upsertReportIssue } from "../../src/github/report-issue.js";
import { loadHistory } from "./fixture.js";

const API = "https://api.github.com";
const client = () =>
  new Octokit({ auth: "test-token", retry: { enabled: false }, throttle: { enabled: false } });
const raw = loadHistory();

function issue(n: number, createdAt: string, body: string | null, state = "closed") {
  return {
    number: n,
    html_url: `https://github.com/acme/shop/issues/${n}`,
    state,
    created_at: createdAt,
    body,
    labels: [],
  };
}

function fixtureIssue(n: number) {
  const i = raw.incidents.find((x) => x.number === n)!;
  return issue(n, i.record.openedAt, `# incident\n\n${serializeRecord(i.record as IncidentRecord)}`, i.state);
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("listIncidentHistory", () => {
  it("pages newest first, skips issues without a record and PRs, and stops once it reaches back before since", async () => {
    const since = new Date("2024-05-01T00:00:00Z");
    const page1 = [
      ...[107, 105, 104].map(fixtureIssue),
      issue(900, "2024-05-20T00:00:00Z", "a hand-written issue with the label"),
      { ...issue(901, "2024-05-19T00:00:00Z", null), pull_request: {} },
      ...Array.from({ length: 95 }, (_, k) =>
        issue(1000 + k, "2024-05-15T00:00:00Z", "<!-- aftershock:incident bm90IGpzb24= -->"),
      ),
    ];
    const page2 = [...[103, 102, 101, 106].map(fixtureIssue)];
    const queries: Record<string, string>[] = [];
    const scope = nock(API)
      .get("/repos/acme/shop/issues")
      .query((q) => {
        queries.push(q as Record<string, string>);
        return q.page === "1";
      })
      .reply(200, page1)
      .get("/repos/acme/shop/issues")
      .query((q) => q.page === "2")
      .reply(200, page2);

    const history = await listIncidentHistory(client(), { owner: "acme", repo: "shop", since });
    expect(scope.isDone()).toBe(true);
    expect(history.requests).toBe(2);
    expect(queries[0]).toMatchObject({
      state: "all",
      labels: "incident",
      since: since.toISOString(),
      sort: "created",
      direction: "desc",
      per_page: "100",
    });
    expect(history.incidents.map((i) => i.number)).toEqual([107, 105, 104, 103, 102, 101]);
    expect(history.skipped).toBe(96);
    expect(history.truncated).toBe(false);
    const i105 = history.incidents.find((i) => i.number === 105)!;
    expect(i105.state).toBe("open");
    expect(i105.record.suspects[0]).toMatchObject({ number: 40, files: ["src/db/pool.ts"] });
  });

  it("stops at maxPages and says the listing is truncated", async () => {
    const full = Array.from({ length: 100 }, (_, k) => fixtureIssue(101 + (k % 3)));
    nock(API).get("/repos/acme/shop/issues").query(true).reply(200, full);
    const history = await listIncidentHistory(client(), {
      owner: "acme",
      repo: "shop",
      since: new Date("2024-05-01T00:00:00Z"),
      maxPages: 1,
      label: "sev",
    });
    expect(history).toMatchObject({ requests: 1, truncated: true });
  });

  it("readRecord keeps suspect files and rejects foreign bodies", () => {
    const record = raw.incidents[1]!.record as IncidentRecord;
    expect(
      readRecord(serializeRecord(record))?.suspects.map((s) => (s as { files?: string[] }).files),
    ).toEqual(raw.incidents[1]!.record.suspects.map((s) => s.files));
    expect(readRecord("no block")).toBeNull();
  });
});

describe("upsertReportIssue", () => {
  const ref = {
    owner: "acme",
    repo: "shop",
    period: periodKey("2024-05-01T00:00:00Z", "2024-05-29T00:00:00Z"),
  };

  it("opens the period's issue the first time and updates it the second time, without a duplicate", async () => {
    const issues: Array<{ number: number; html_url: string; body: string; title: string }> = [
      {
        number: 7,
        html_url: "u7",
        title: "Incident report, older",
        body: `${reportMarker("2024-04-01..2024-04-29")}\nold`,
      },
    ];
    let posts = 0;
    let patches = 0;
    nock(API)
      .persist()
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident-report" && q.state === "all")
      .reply(200, () => issues)
      .post("/repos/acme/shop/issues")
      .reply(201, (_uri, body) => {
        posts += 1;
        const b = body as { title: string; body: string; labels: string[] };
        expect(b.labels).toEqual(["incident-report"]);
        const created = {
          number: 50,
          html_url: "https://github.com/acme/shop/issues/50",
          title: b.title,
          body: b.body,
        };
        issues.unshift(created);
        return created;
      })
      .patch("/repos/acme/shop/issues/50")
      .reply(200, (_uri, body) => {
        patches += 1;
        Object.assign(issues[0]!, body as object);
        return issues[0];
      });

    const first = await upsertReportIssue(client(), ref, { title: "Incident report May", body: "first" });
    expect(first).toMatchObject({ number: 50, created: true, requests: 2 });
    const second = await upsertReportIssue(client(), ref, { title: "Incident report May", body: "second" });
    expect(second).toMatchObject({ number: 50, created: false, requests: 2 });
    expect(posts).toBe(1);
    expect(patches).toBe(1);
    expect(issues).toHaveLength(2);
    expect(issues[0]!.body).toBe(`${reportMarker(ref.period)}\nsecond`);
    // The other period's issue is untouched.
    expect(issues[1]!.body).toContain("old");
  });

  it("puts only safe characters in the marker", () => {
    expect(reportMarker("x --> <b>")).toBe("<!-- aftershock:report period=x_--___b_ -->");
  });
});
