import { describe, expect, it } from "vitest";
import { incidentRecord } from "../../helpers/incident-record.js";
import type { IncidentRecord, TimelineEntry } from "../../../src/core/incident/incident-record.js";
import { parseActionItems } from "../../../src/core/incident/action-items.js";
import type { PostmortemInput } from "../../../src/core/incident/postmortem.js";
import { postmortemFolder, renderPostmortem, slugify } from "../../../src/core/incident/postmortem.js";
import type { IncidentResponseState } from "../../../src/core/incident/response-metrics.js";
import {
  TIMELINE_KINDS as K,
  computeResponseMetrics,
  emptyResponseState,
  formatElapsed,
} from "../../../src/core/incident/response-metrics.js";

const T = {
  alertStart: "2024-05-01T12:00:00Z",
  opened: "2024-05-01T12:03:00Z",
  ack: "2024-05-01T12:10:30Z",
  rollbackMerged: "2024-05-01T12:41:00Z",
  resolved: "2024-05-01T13:05:05Z",
};
const minutes = (from: string, to: string) => formatElapsed(Date.parse(to) - Date.parse(from));

const timeline: TimelineEntry[] = [
  { at: T.opened, actor: "alertmanager", kind: K.opened, text: "Opened for HighErrorRate" },
  { at: T.ack, actor: "alice", kind: K.ack, text: "Acknowledged by @alice" },
  {
    at: "2024-05-01T12:15:00Z",
    actor: "bob",
    kind: K.note,
    text: "@mallory's PR #42 broke it, ping @acme/payments",
  },
  {
    at: "2024-05-01T12:20:00Z",
    actor: "aftershock[bot]",
    kind: K.rollbackOpened,
    text: "Opened #50 reverting #42",
  },
  { at: T.rollbackMerged, actor: "bob", kind: K.rollbackMerged, text: "Merged #50" },
  {
    at: "2024-05-01T12:45:00Z",
    actor: "alertmanager",
    kind: K.groupResolved,
    text: "The alert group resolved",
  },
  { at: T.resolved, actor: "alice", kind: K.incidentResolved, text: "Resolved" },
];

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return incidentRecord({
    fingerprints: {
      fp1: { status: "resolved", alertname: "HighErrorRate", startsAt: T.alertStart },
      fp2: { status: "resolved", alertname: "CheckoutLatency <p99>", startsAt: "2024-05-01T12:01:00Z" },
    },
    status: "resolved",
    deploys: [
      {
        id: 7,
        sha: "abc123def4567890",
        environment: "production",
        createdAt: "2024-05-01T11:50:00Z",
        status: "success",
      },
    ],
    suspects: [
      {
        number: 42,
        title: "Retry payments @mallory wrote",
        author: "mallory",
        url: "https://github.com/acme/shop/pull/42",
        deploymentId: 7,
        score: 0.8123,
        reasons: [
          "deployed 10 min before the alert (+0.28)",
          "touches paths of service checkout: services/checkout/** (+0.20)",
          "touches risky paths: db/migrations/001.sql, package.json (+0.15)",
          "large change: 640 lines in 12 files (+0.10)",
        ],
      },
      {
        number: 41,
        title: "Docs",
        author: "carol",
        deploymentId: 7,
        score: 0.3,
        reasons: ["deployed 10 min before the alert (+0.28)"],
      },
    ],
    timeline,
    openedAt: T.opened,
    ...overrides,
  });
}

function state(overrides: Partial<IncidentResponseState> = {}): IncidentResponseState {
  return {
    ...emptyResponseState(),
    resolution: "Reverted #42; @bob watched the error rate",
    rollbacks: [{ pr: 42, revertPr: 50, state: "merged", at: T.rollbackMerged }],
    actionItems: [
      { text: "Add a deploy-gate check for checkout error rate", at: T.resolved },
      { text: "Split migration PRs from code (ask @mallory)", at: T.resolved, issue: 77 },
    ],
    ...overrides,
  };
}

function input(overrides: Partial<PostmortemInput> = {}): PostmortemInput {
  return {
    record: record(),
    response: state(),
    repo: { owner: "acme", repo: "shop" },
    incidentNumber: 12,
    now: new Date("2024-05-02T09:00:00Z"),
    ...overrides,
  };
}

function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const next = markdown.indexOf("\n## ", start + 3);
  return markdown.slice(start, next < 0 ? undefined : next);
}

const SECTIONS = [
  "Summary",
  "Impact",
  "Response metrics",
  "Timeline",
  "Root cause",
  "Contributing factors",
  "What went well",
  "What could improve",
  "Action items",
];

describe("renderPostmortem", () => {
  it("has every section, in order, under a title naming the incident", () => {
    const { markdown, title } = renderPostmortem(input());
    expect(title).toBe("Post-mortem: HighErrorRate: checkout in production");
    expect(markdown.startsWith("# Post\\-mortem: HighErrorRate: checkout in production\n")).toBe(true);
    const positions = SECTIONS.map((s) => markdown.indexOf(`\n## ${s}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(markdown).toContain("[#12](https://github.com/acme/shop/issues/12)");
  });

  it("puts the file under a dated, ascii slug path in a configurable folder", () => {
    expect(renderPostmortem(input()).path).toBe("docs/postmortems/2024-05-01-high-error-rate-checkout-12.md");
    const other = renderPostmortem(
      input({ folder: "/ops/pm/", record: record({ name: "Café Überlast 🔥", service: "x".repeat(200) }) }),
    );
    expect(other.path).toMatch(/^ops\/pm\/2024-05-01-cafe-uberlast-x+-12\.md$/);
    expect(other.path.length).toBeLessThan(100);
    expect(() => renderPostmortem(input({ folder: "../etc" }))).toThrow(/not a plain relative path/);
  });

  it("reports impact and response metrics computed from the record", () => {
    const { markdown } = renderPostmortem(input());
    const m = computeResponseMetrics(record(), state());
    const impact = sectionOf(markdown, "Impact");
    expect(impact).toContain("| Started | 2024-05-01 12:00:00 UTC |");
    expect(impact).toContain(`| Detected | 2024-05-01 12:03:00 UTC (+${m.formatted.detect} after start) |`);
    expect(impact).toContain(
      `| Acknowledged | 2024-05-01 12:10:30 UTC (+${minutes(T.opened, T.ack)} after detection) |`,
    );
    expect(impact).toContain(
      `| Mitigated | 2024-05-01 12:41:00 UTC (+${minutes(T.alertStart, T.rollbackMerged)} after start) |`,
    );
    expect(impact).toContain(`| Duration of impact | ${minutes(T.alertStart, T.resolved)} |`);
    expect(impact).toContain("| Severity | P2 |");
    expect(impact).toContain("| Service | checkout |");
    expect(impact).toContain("| Environment | production |");
    expect(impact).toContain("HighErrorRate, CheckoutLatency &lt;p99&gt; (2 firing series)");
    const metrics = sectionOf(markdown, "Response metrics");
    expect(metrics).toContain(`| Time to detect (MTTD) | ${minutes(T.alertStart, T.opened)} |`);
    expect(metrics).toContain(`| Time to acknowledge (MTTA) | ${minutes(T.opened, T.ack)} |`);
    expect(metrics).toContain(`| Time to resolve (MTTR) | ${minutes(T.alertStart, T.resolved)} |`);
  });

  it("says an unresolved incident is ongoing, measured up to now", () => {
    const open = record({ status: "firing", timeline: timeline.slice(0, 2) });
    const { markdown } = renderPostmortem(input({ record: open, response: emptyResponseState() }));
    expect(markdown).toContain(
      `| Duration of impact | ongoing (${minutes(T.alertStart, "2024-05-02T09:00:00Z")} so far) |`,
    );
    expect(markdown).toContain("| Time to resolve (MTTR) | not recorded |");
    expect(sectionOf(markdown, "What could improve")).toContain("No mitigation was recorded.");
    expect(markdown).toContain("**Incident status:** ongoing");
  });

  it("states the top suspect as suspected, with its reasons, until confirmed", () => {
    const suspected = sectionOf(renderPostmortem(input()).markdown, "Root cause");
    expect(suspected).toContain(
      "**Suspected (not confirmed):** [\\#42 Retry payments a responder wrote](https://github.com/acme/shop/pull/42)",
    );
    expect(suspected).toContain("score 0.81");
    expect(suspected).toContain("deploy 7 (`abc123def456`)");
    expect(suspected).toContain("- touches risky paths: db/migrations/001.sql, package.json");
    expect(suspected).not.toContain("(+0.15)");
    const confirmed = sectionOf(
      renderPostmortem(input({ response: state({ rootCause: { confirmed: true } }) })).markdown,
      "Root cause",
    );
    expect(confirmed).toContain("**Confirmed:** the incident was caused by [\\#42");
    expect(confirmed).not.toContain("Suspected");
    const other = sectionOf(
      renderPostmortem(input({ response: state({ rootCause: { pr: 41, confirmed: true } }) })).markdown,
      "Root cause",
    );
    expect(other).toContain("caused by \\#41 Docs");
  });

  it("says the cause is unknown when there is no suspect", () => {
    const { markdown } = renderPostmortem(input({ record: record({ suspects: [] }) }));
    expect(sectionOf(markdown, "Root cause")).toContain("The cause is not known yet");
    expect(sectionOf(markdown, "What could improve")).toContain("No suspect pull request was found");
  });

  it("derives contributing factors from the suspect's reasons (not its timing) and the record's warnings", () => {
    const { markdown } = renderPostmortem(input({ record: record({ warnings: ["config: bad glob"] }) }));
    const factors = sectionOf(markdown, "Contributing factors");
    expect(factors).toContain(
      "risky paths (migrations, configuration or dependencies): db/migrations/001.sql, package.json.",
    );
    expect(factors).toContain("Change size: 640 lines in 12 files");
    expect(factors).toContain("the alerting service's own paths (services/checkout/\\*\\*).");
    expect(factors).toContain("config: bad glob");
    expect(factors).not.toContain("deployed 10 min");
  });

  it("judges the response from the metrics: a deploy-gate catch and fast response went well, slow ones could improve", () => {
    const gate = record({ source: "deploy-check", name: "Deploy check failed" });
    const good = renderPostmortem(input({ record: gate }));
    expect(sectionOf(good.markdown, "What went well")).toContain("The deploy gate caught the regression");
    expect(sectionOf(good.markdown, "What went well")).toContain(
      `Fast detection: the incident opened ${minutes(T.alertStart, T.opened)}`,
    );
    expect(sectionOf(good.markdown, "What went well")).toContain("reverting #42");
    expect(sectionOf(good.markdown, "What could improve")).not.toContain("deploy gate did not flag");

    const slowOpened = "2024-05-01T12:30:00Z";
    const slow = record({
      openedAt: slowOpened,
      timeline: [
        { at: slowOpened, actor: "alertmanager", kind: K.opened, text: "" },
        { at: "2024-05-01T13:20:00Z", actor: "alice", kind: K.ack, text: "" },
        { at: "2024-05-01T14:00:00Z", actor: "alice", kind: K.incidentResolved, text: "" },
      ],
    });
    const improve = sectionOf(
      renderPostmortem(input({ record: slow, response: emptyResponseState() })).markdown,
      "What could improve",
    );
    expect(improve).toContain(`Detection took ${minutes(T.alertStart, slowOpened)}`);
    expect(improve).toContain(`Acknowledgement took ${minutes(slowOpened, "2024-05-01T13:20:00Z")}`);
    expect(improve).toContain(`Mitigation took ${minutes(T.alertStart, "2024-05-01T14:00:00Z")}`);
    expect(improve).toContain("The deploy gate did not flag the suspected deploy");
  });

  it("lists action items as tasks, with linked issues, that parseActionItems reads back", () => {
    const { markdown } = renderPostmortem(input());
    const section = sectionOf(markdown, "Action items");
    expect(section).toContain("- [ ] Add a deploy\\-gate check for checkout error rate\n");
    expect(section).toContain("- [ ] Split migration PRs from code \\(ask a responder\\) (#77)");
    expect(parseActionItems(markdown)).toEqual([
      { text: "Add a deploy-gate check for checkout error rate", line: expect.any(Number), linked: false },
      {
        text: "Split migration PRs from code (ask a responder)",
        line: expect.any(Number),
        issue: 77,
        linked: true,
      },
    ]);
    const none = renderPostmortem(input({ response: emptyResponseState() })).markdown;
    expect(parseActionItems(none)).toEqual([]);
    expect(sectionOf(none, "Action items")).toContain("No action items recorded yet");
  });

  it("names no people: no authors and no @mentions, even when the data has them", () => {
    const { markdown, title } = renderPostmortem(
      input({ record: record({ name: "Alert from @eve", service: "svc @team/x" }) }),
    );
    for (const who of ["mallory", "alice", "bob", "carol", "eve", "acme/payments", "team/x"]) {
      const name = new RegExp(`\\b${who}\\b`, "i");
      expect(markdown).not.toMatch(name);
      expect(title).not.toMatch(name);
    }
    expect(markdown).not.toMatch(/@/);
    expect(markdown).toContain("a responder's PR \\#42 broke it, ping a responder");
  });

  it("escapes markdown and HTML from alerts, titles and notes", () => {
    const hostile = record({
      name: "<img src=x onerror=alert(1)>",
      service: "a|b",
      suspects: [
        {
          ...record().suspects[0]!,
          title: "[click](javascript:alert(1)) **bold**",
          url: "javascript:alert(1)",
        },
      ],
      timeline: [...timeline, { at: "<script>", actor: "x", kind: K.note, text: "| broken | table |" }],
    });
    const { markdown } = renderPostmortem(input({ record: hostile }));
    expect(markdown).not.toMatch(/<img|<script|javascript:alert\(1\)\)|\]\(javascript/);
    expect(markdown).toContain("\\[click\\]");
    expect(markdown).toContain("\\| broken \\| table \\|");
    expect(markdown).toContain("| Service | a\\|b |");
  });

  it("uses a drafted narrative for the summary and factors, marked for review, still escaped", () => {
    const { markdown } = renderPostmortem(
      input({
        narrative: {
          summary: "A retry storm <b>overloaded</b> payments after @mallory's change.",
          factors: ["No load test for retries", "Alert threshold too high"],
          drafted: true,
        },
      }),
    );
    expect(markdown).toContain("Drafted for review");
    expect(sectionOf(markdown, "Summary")).toContain(
      "A retry storm &lt;b&gt;overloaded&lt;/b&gt; payments after a responder's change.",
    );
    expect(sectionOf(markdown, "Summary")).not.toContain("(P2) affected checkout");
    expect(sectionOf(renderPostmortem(input()).markdown, "Summary")).toContain("(P2) affected checkout");
    const factors = sectionOf(markdown, "Contributing factors");
    expect(factors).toContain("- No load test for retries\n- Alert threshold too high");
    expect(factors).not.toContain("risky paths");
    expect(renderPostmortem(input()).markdown).not.toContain("Drafted for review");
  });

  it("matches the reviewed snapshot of a full post-mortem", () => {
    expect(renderPostmortem(input()).markdown).toMatchSnapshot();
  });
});

describe("helpers", () => {
  it("slugify makes bounded ascii kebab-case", () => {
    expect(slugify("HighErrorRate: checkout")).toBe("high-error-rate-checkout");
    expect(slugify("HTTPErrors on API")).toBe("http-errors-on-api");
    expect(slugify("🔥🔥")).toBe("incident");
    expect(slugify("a-".repeat(100), 10)).toBe("a-a-a-a-a");
  });

  it("postmortemFolder normalizes and refuses traversal", () => {
    expect(postmortemFolder(undefined)).toBe("docs/postmortems");
    expect(postmortemFolder("./docs//pm/")).toBe("docs/pm");
    expect(postmortemFolder("/")).toBe("docs/postmortems");
    expect(() => postmortemFolder("docs/../..")).toThrow(/e\.g\. docs\/postmortems/);
    expect(() => postmortemFolder("docs/pm x")).toThrow(/not a plain relative path/);
  });
});
