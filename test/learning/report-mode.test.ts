import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runReportMode, type CoreLike } from "../../src/action/report-mode.js";
import { serializeRecord, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import { loadHistory, ms } from "./fixture.js";

const API = "https://api.github.com";
const raw = loadHistory();

function fakeCore(inputs: Record<string, string>) {
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const core: CoreLike = {
    getInput: (n) => inputs[n] ?? "",
    setOutput: (n, v) => {
      outputs[n] = v;
    },
    info: () => {},
    warning: () => {},
    summary: { addRaw: (t) => ({ write: async () => summaries.push(t) }) },
  };
  return { core, outputs, summaries };
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("runReportMode", () => {
  it("writes the summary and output, and skips the issue with publish: false", async () => {
    nock(API)
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident")
      .reply(
        200,
        raw.incidents.map((i) => ({
          number: i.number,
          html_url: i.url,
          state: i.state,
          created_at: i.record.openedAt,
          body: serializeRecord(i.record as IncidentRecord),
        })),
      )
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "action-item")
      .reply(200, []);
    const { core, outputs, summaries } = fakeCore({ since: "14d", publish: "false" });
    const octokit = new Octokit({ auth: "t", retry: { enabled: false }, throttle: { enabled: false } });
    const until = new Date(raw.period.until);
    await runReportMode(core, { octokit, owner: "acme", repo: "shop", now: () => until });
    const expected = raw.incidents.filter((i) => ms(i.record.openedAt) >= until.getTime() - 14 * 86_400_000);
    const report = JSON.parse(outputs.report!) as { totals: { incidents: number } };
    expect(report.totals.incidents).toBe(expected.length);
    expect(summaries[0]).toContain("# Incident report: 2024-05-15 to 2024-05-29");
    expect(outputs["report-issue"]).toBeUndefined();
  });

  it("opens no report issue for a period with nothing to report, unless publish-empty is true", async () => {
    const empty = () =>
      nock(API)
        .get("/repos/acme/shop/issues")
        .query((q) => q.labels === "incident")
        .reply(200, []);
    const octokit = new Octokit({ auth: "t", retry: { enabled: false }, throttle: { enabled: false } });
    const now = () => new Date("2026-12-01T00:00:00Z");

    empty();
    const quiet = fakeCore({ since: "7d" });
    await runReportMode(quiet.core, { octokit, owner: "acme", repo: "shop", now });
    expect(quiet.summaries).toHaveLength(1);
    expect(quiet.outputs["report-issue"]).toBeUndefined();
    expect(nock.isDone()).toBe(true);

    empty();
    const opened = nock(API)
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels !== "incident")
      .reply(200, [])
      .post("/repos/acme/shop/issues")
      .reply(201, { number: 7, html_url: "https://github.com/acme/shop/issues/7" });
    const loud = fakeCore({ since: "7d", "publish-empty": "true" });
    await runReportMode(loud.core, { octokit, owner: "acme", repo: "shop", now });
    expect(opened.isDone()).toBe(true);
    expect(loud.outputs["report-issue"]).toBe("https://github.com/acme/shop/issues/7");
  });
});
