import { describe, expect, it } from "vitest";
import { computeReport, deployChecksFromStatuses, stat } from "../../src/core/learning/report.js";
import { mermaidLabel, renderReport } from "../../src/core/learning/render-report.js";
import { loadHistory, mean, median, ms, pastIncidents, type RawIncident } from "./fixture.js";

const raw = loadHistory();
const incidents = pastIncidents(raw);
const since = raw.period.since;
const until = raw.period.until;
const report = computeReport({
  incidents,
  since,
  until,
  deployChecks: raw.deployChecks,
  actionItemStates: raw.actionItemStates,
});

// Expected values, derived here from the fixture's raw fields.
const inPeriod = raw.incidents.filter(
  (i) => ms(i.record.openedAt) >= ms(since) && ms(i.record.openedAt) <= ms(until),
);
const start = (i: RawIncident) =>
  Math.min(ms(i.record.openedAt), ...Object.values(i.record.fingerprints).map((a) => ms(a.startsAt)));
const ackOf = (i: RawIncident) => ms(i.record.response?.acknowledgedAt) - ms(i.record.openedAt);
const resolveOf = (i: RawIncident) => ms(i.record.response?.resolvedAt) - start(i);
const defined = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));

describe("computeReport on the fixture history", () => {
  it("counts incidents in the period by severity, service and state", () => {
    expect(report.totals.incidents).toBe(inPeriod.length);
    expect(report.totals.open).toBe(inPeriod.filter((i) => i.state === "open").length);
    for (const sev of ["P1", "P2", "P3"] as const)
      expect(report.bySeverity[sev]).toBe(inPeriod.filter((i) => i.record.severity === sev).length);
    const services = new Set(inPeriod.map((i) => i.record.service));
    expect(report.byService.map((s) => s.service).sort()).toEqual([...services].sort());
    for (const s of report.byService)
      expect(s.incidents).toBe(inPeriod.filter((i) => i.record.service === s.service).length);
  });

  it("classifies causes: confirmed, suspected, none", () => {
    const confirmed = inPeriod.filter(
      (i) =>
        i.record.response?.rootCause?.confirmed === true ||
        (i.record.response?.rollbacks ?? []).some((r) => r.state === "merged"),
    );
    const none = inPeriod.filter((i) => !confirmed.includes(i) && i.record.suspects.length === 0);
    expect(report.byCause).toEqual({
      confirmed: confirmed.length,
      suspected: inPeriod.length - confirmed.length - none.length,
      none: none.length,
    });
  });

  it("computes MTTA and MTTR (median and mean) from the raw timestamps", () => {
    const acks = defined(inPeriod.map(ackOf));
    const resolves = defined(inPeriod.map(resolveOf));
    expect(report.mtta).toEqual({ n: acks.length, median: median(acks), mean: mean(acks) });
    expect(report.mttr).toEqual({ n: resolves.length, median: median(resolves), mean: mean(resolves) });
  });

  it("buckets the trend by week from the start of the period", () => {
    const weeks = Math.ceil((ms(until) - ms(since)) / (7 * 86_400_000));
    expect(report.weeks).toHaveLength(weeks);
    report.weeks.forEach((w, k) => {
      const from = ms(since) + k * 7 * 86_400_000;
      const members = inPeriod.filter(
        (i) => ms(i.record.openedAt) >= from && ms(i.record.openedAt) < from + 7 * 86_400_000,
      );
      expect(w.start).toBe(new Date(from).toISOString().slice(0, 10));
      expect(w.incidents).toBe(members.length);
      const res = defined(members.map(resolveOf));
      expect(w.mttr.median).toBe(res.length ? median(res) : null);
    });
    expect(report.weeks.reduce((n, w) => n + w.incidents, 0)).toBe(inPeriod.length);
  });

  it("counts deploys checked and stopped from statuses and deploy-check incidents", () => {
    const checksInPeriod = raw.deployChecks.filter((c) => ms(c.at) >= ms(since) && ms(c.at) <= ms(until));
    const stoppedIncidents = inPeriod.filter((i) => i.record.source === "deploy-check");
    expect(report.deploys).toEqual({
      checked: checksInPeriod.length + stoppedIncidents.length,
      stopped: checksInPeriod.filter((c) => c.stopped).length + stoppedIncidents.length,
      inconclusive: checksInPeriod.filter((c) => c.verdict === "inconclusive").length,
    });
  });

  it("ranks hotspot files and directories of culprit PRs", () => {
    const counts = new Map<string, Set<number>>();
    for (const i of inPeriod) {
      const r = i.record.response;
      const culprits = new Set<number>(
        (r?.rollbacks ?? []).filter((x) => x.state === "merged").map((x) => x.pr),
      );
      if (r?.rootCause?.confirmed && r.rootCause.pr) culprits.add(r.rootCause.pr);
      for (const s of i.record.suspects)
        if (culprits.has(s.number))
          for (const f of s.files) counts.set(f, (counts.get(f) ?? new Set()).add(i.number));
    }
    const top = Math.max(...[...counts.values()].map((s) => s.size));
    expect(report.hotspots.files[0]!.incidents).toBe(top);
    for (const h of report.hotspots.files) expect(h.numbers).toEqual([...counts.get(h.path)!].sort());
    expect(report.hotspots.files.map((h) => h.path).sort()).toEqual([...counts.keys()].sort());
    expect(report.hotspots.directories.map((d) => d.path)).toContain("src/db/");
  });

  it("lists action items still open, oldest first, with their age at the end of the period", () => {
    const open = inPeriod.flatMap((i) =>
      (i.record.response?.actionItems ?? [])
        .filter((a) => a.issue === undefined || raw.actionItemStates[String(a.issue)] !== "closed")
        .map((a) => ({ incident: i.number, text: a.text, ageMs: ms(until) - ms(a.at) })),
    );
    open.sort((a, b) => b.ageMs - a.ageMs);
    expect(report.openActionItems.map(({ incident, text, ageMs }) => ({ incident, text, ageMs }))).toEqual(
      open,
    );
  });

  it("counts recurring error signatures", () => {
    const top = report.signatures[0]!;
    expect(top.exceptionType).toBe("java.net.SocketTimeoutException");
    const expected = inPeriod.filter((i) =>
      Object.values(i.record.fingerprints).some((a) => a.summary?.includes("SocketTimeoutException")),
    );
    expect(top.numbers).toEqual(expected.map((i) => i.number).sort());
  });

  it("rejects a period that ends before it starts", () => {
    expect(() => computeReport({ incidents, since: until, until: since })).toThrow(/until < since/);
  });
});

describe("helpers", () => {
  it("stat: median of an even count is the middle mean; empty is null", () => {
    expect(stat([4, undefined, 1, 3, 2])).toEqual({ n: 4, median: 2.5, mean: 2.5 });
    expect(stat([])).toEqual({ n: 0, median: null, mean: null });
  });

  it("deployChecksFromStatuses reads only the Action's statuses, the latest per deployment", () => {
    const checks = deployChecksFromStatuses([
      {
        deploymentId: 1,
        environment: "prod",
        state: "in_progress",
        description: "deploying",
        createdAt: "2024-05-01T00:00:00Z",
      },
      {
        deploymentId: 1,
        environment: "prod",
        state: "success",
        description: "aftershock: pass: ok",
        createdAt: "2024-05-01T00:10:00Z",
      },
      {
        deploymentId: 2,
        environment: "prod",
        state: "failure",
        description: "aftershock: fail (P1): errors",
        createdAt: "2024-05-01T00:20:00Z",
      },
      {
        deploymentId: 2,
        environment: "prod",
        state: "success",
        description: "aftershock: pass: earlier",
        createdAt: "2024-05-01T00:15:00Z",
      },
    ]);
    expect(checks.map((c) => [c.deploymentId, c.verdict, c.stopped])).toEqual([
      [1, "pass", false],
      [2, "fail", true],
    ]);
  });
});

describe("renderReport", () => {
  it("renders the fixture report (snapshot)", () => {
    expect(renderReport(report)).toMatchSnapshot();
  });

  it("has Mermaid charts whose data match the report", () => {
    const md = renderReport(report);
    expect(md).toContain("pie title Incidents by severity");
    expect(md).toContain(`  "P1" : ${report.bySeverity.P1}`);
    expect(md).toContain(`  bar [${report.weeks.map((w) => w.incidents).join(", ")}]`);
    expect((md.match(/```mermaid\nxychart-beta/g) ?? []).length).toBe(2);
  });

  it("escapes text from alerts and responders", () => {
    const evil = pastIncidents().map((p) => ({
      ...p,
      record: {
        ...p.record,
        name: '<img src=x> @everyone | "quoted"',
        service: "svc`|x",
        response: p.record.response && {
          ...p.record.response,
          actionItems: p.record.response.actionItems.map((a) => ({
            ...a,
            text: "<script>@ops-team</script> | x",
          })),
        },
      },
    }));
    const md = renderReport(computeReport({ incidents: evil, since, until }));
    expect(md).not.toMatch(/<img|<script/);
    expect(md).not.toMatch(/@everyone|@ops-team/);
    expect(md).toContain("&lt;img src=x&gt;");
    // The service row of the Services table still has two cells: the pipe in the name is escaped.
    const serviceRow = md.split("\n").find((l) => /^\| `+svc/.test(l))!;
    expect(serviceRow.split(/(?<!\\)\|/)).toHaveLength(4);
    expect(mermaidLabel('a "b" `c` [d]\ne')).toBe("a b c d e");
  });

  it("says so when the period had no incidents", () => {
    const md = renderReport(computeReport({ incidents: [], since, until }));
    expect(md).toContain("No incidents were opened in this period.");
    expect(md).not.toContain("```mermaid");
  });
});
