// /ack, /severity, /assign, /note and /resolve on an incident: what each writes, and that a
// redelivered comment does not do it twice.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FakeIncident,
  REPO_PATH,
  commentPayload,
  deliver,
  events,
  expectCommandRound,
  github,
  incidentRecord,
  loadResponseApp,
  mockToken,
  pending,
} from "./harness.js";

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
});

afterEach(() => {
  nock.cleanAll();
});

async function run(issue: FakeIncident, body: string, extra: () => void = () => {}, round = {}) {
  const loaded = await loadResponseApp();
  expectCommandRound(issue, round);
  extra();
  await deliver(loaded, "issue_comment", commentPayload({ body, issueBody: issue.body }));
  expect(pending()).toEqual([]);
  return loaded;
}

describe("/ack", () => {
  it("records the time to acknowledge once; a second /ack only adds to the timeline", async () => {
    const issue = new FakeIncident();
    await run(issue, "/ack");
    expect(issue.response.acknowledgedAt).toBe("2024-05-01T12:30:00.000Z");
    expect(issue.comments[0]).toBe("👀 Acknowledged 26m after the incident opened.");
    expect(issue.body).toContain("**Acknowledged:** 2024-05-01 12:30:00 UTC (after 26m)");

    const loaded = await loadResponseApp();
    expectCommandRound(issue, { reply: false, commentId: 2 });
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/ack", issueBody: issue.body, commentId: 2 }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.acknowledgedAt).toBe("2024-05-01T12:30:00.000Z");
    expect(issue.record.timeline.filter((e) => e.kind === "ack").map((e) => e.text)).toEqual([
      "Acknowledged",
      "Also acknowledged",
    ]);
  });
});

describe("/severity", () => {
  it("changes severity, title and labels, keeps people's labels, and emits incident.severity", async () => {
    const issue = new FakeIncident();
    issue.labels.push("team:payments");
    const loaded = await run(issue, "/severity p1");
    expect(issue.patches[0]).toMatchObject({ title: "[P1] HighErrorRate: checkout in production" });
    expect(issue.labels).toEqual(expect.arrayContaining(["incident", "severity:P1", "team:payments"]));
    expect(issue.labels).not.toContain("severity:P2");
    expect(issue.comments[0]).toBe("Severity changed from P2 to **P1**.");
    expect(events(loaded, "incident.severity")).toMatchObject([
      { previous: "P2", record: { severity: "P1" } },
    ]);
  });

  it("the same severity changes nothing but the handled key, and emits nothing", async () => {
    const issue = new FakeIncident();
    const loaded = await run(issue, "/severity P2");
    expect(issue.patches[0]).not.toHaveProperty("title");
    expect(issue.patches[0]).not.toHaveProperty("labels");
    expect(issue.record.timeline).toHaveLength(1);
    expect(events(loaded, "incident.severity")).toEqual([]);
  });
});

describe("/assign", () => {
  it("assigns, and names the logins GitHub would not assign", async () => {
    const issue = new FakeIncident();
    let sent: unknown;
    await run(issue, "/assign @alice @stranger", () => {
      github()
        .post(`${REPO_PATH}/issues/101/assignees`, (body) => {
          sent = body;
          return true;
        })
        .reply(201, { number: 101, assignees: [{ login: "alice" }] });
    });
    expect(sent).toEqual({ assignees: ["alice", "stranger"] });
    expect(issue.record.timeline.at(-1)).toMatchObject({ kind: "assign", text: "Assigned alice" });
    expect(issue.comments[0]).toContain("GitHub did not assign `stranger`");
  });
});

describe("/note", () => {
  it("adds the note to the timeline, escaped in the body, without a reply", async () => {
    const issue = new FakeIncident();
    await run(issue, "/note <b>db</b> ping @team", () => {}, { reply: false });
    expect(issue.record.timeline.at(-1)).toMatchObject({
      kind: "note",
      actor: "oncall",
      text: "<b>db</b> ping @team",
    });
    expect(issue.body).not.toContain("<b>db</b>");
    expect(issue.body).not.toContain("@team");
  });
});

describe("/resolve", () => {
  it("records the time to resolve, labels resolved, closes, and emits incident.resolved", async () => {
    const issue = new FakeIncident(
      incidentRecord({
        response: {
          acknowledgedAt: "2024-05-01T12:10:00Z",
          actionItems: [],
          rollbacks: [],
          handled: [],
        },
      }),
    );
    const loaded = await run(issue, "/resolve rolled back #42");
    expect(issue.state).toBe("closed");
    expect(issue.labels).toContain("resolved");
    expect(issue.response).toMatchObject({
      resolvedAt: "2024-05-01T12:30:00.000Z",
      resolution: "rolled back #42",
    });
    expect(issue.record.status).toBe("resolved");
    expect(issue.comments[0]).toContain("to resolve: 27m");
    expect(issue.comments[0]).toContain("Time to acknowledge: 6m");
    expect(events(loaded, "incident.resolved")).toHaveLength(1);

    // Redelivered: the key is handled, so nothing is written or said again.
    const again = await loadResponseApp();
    expectCommandRound(issue, { write: false, reply: false });
    await deliver(
      again,
      "issue_comment",
      commentPayload({ body: "/resolve rolled back #42", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(issue.patches).toHaveLength(1);
    expect(events(again, "incident.resolved")).toEqual([]);
  });
});
