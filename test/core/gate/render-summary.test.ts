import { describe, expect, it } from "vitest";
import { cell, renderConfigErrorSummary, renderSummary } from "../../../src/core/gate/render-summary.js";
import { evenPoints, mermaidChart as chartOrNull } from "../../../src/core/gate/summary-chart.js";
import type { CheckResult, GateReport, Sample } from "../../../src/core/gate/types.js";

const DEPLOY = Date.UTC(2026, 10, 26, 14, 0, 0) / 1000;
const STEP = 30;

/** `n` samples every 30 s from `start`, valued by f(i). */
function samples(start: number, n: number, f: (i: number) => number): Sample[] {
  return Array.from({ length: n }, (_, i) => ({ t: start + i * STEP, v: f(i) }));
}

function check(over: Partial<CheckResult> = {}): CheckResult {
  return {
    name: "errors",
    query: "sum(rate(errors[1m]))",
    critical: true,
    verdict: "fail",
    noData: false,
    reason: "3 consecutive samples breached; last: 0.07 is above the limit 0.05",
    severity: "P1",
    stats: {
      baselineMedian: 0.004,
      windowMedian: 0.07,
      change: 16.5,
      pValue: 0.000123,
      zScore: 40,
      baselineSamples: 6,
      windowSamples: 3,
    },
    detectedAt: DEPLOY + 90,
    baseline: samples(DEPLOY - 6 * STEP, 6, () => 0.004),
    window: samples(DEPLOY + STEP, 3, () => 0.07),
    absoluteLimit: 0.05,
    direction: "increase",
    warnings: [],
    references: [],
    severityValue: null,
    ...over,
  };
}

function report(checks: CheckResult[], over: Partial<GateReport> = {}): GateReport {
  return {
    verdict: "fail",
    severity: "P1",
    detectedAt: DEPLOY + 90,
    deployTime: DEPLOY,
    baselineSeconds: 1800,
    windowSeconds: 600,
    stepSeconds: 30,
    backtest: false,
    reason: checks.map((c) => `${c.name}: ${c.reason}`).join("; "),
    checks,
    ...over,
  };
}

/** The chart of a check that has data. */
function mermaidChart(c: CheckResult, deployTime: number, step?: number): string[] {
  const chart = chartOrNull(c, deployTime, step);
  expect(chart).not.toBeNull();
  return chart!;
}

/** The table's body rows (after the header and the alignment row). */
function tableRows(md: string): string[] {
  const lines = md.split("\n");
  const start = lines.indexOf("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  expect(start).toBeGreaterThan(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("|")) break;
    rows.push(line);
  }
  return rows;
}

/** Cells of a table row, splitting on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The lines inside the ```mermaid blocks. */
function mermaidBlocks(md: string): string[][] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!.split("\n"));
}

/** The numbers of a `line [ ... ]` row. */
function lineValues(line: string): number[] {
  const m = /^\s*line \[(.*)\]$/.exec(line);
  expect(m, `not a line row: ${line}`).not.toBeNull();
  return m![1]!.split(",").map(Number);
}

function xLabels(chart: string[]): string[] {
  const axis = chart.find((l) => l.trimStart().startsWith("x-axis"));
  return JSON.parse(axis!.trim().slice("x-axis ".length)) as string[];
}

describe("cell", () => {
  it("neutralises markdown links and images from Prometheus warnings (issue 11, finding 11)", () => {
    const warning = "see [the docs](https://evil.example/x) ![pixel](https://evil.example/p.png) \\[x](y)";
    const out = cell(warning);
    // No `[text](url)` survives unescaped: every bracket is backslash-escaped, backslashes too.
    expect(out).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    expect(out).toContain("\\[the docs\\](https://evil.example/x)");
    expect(out).toContain("!\\[pixel\\]");
    expect(out).toContain("\\\\\\[x\\](y)");
  });

  it("escapes pipes so a value cannot add table columns", () => {
    expect(cell("a|b||c")).toBe("a\\|b\\|\\|c");
  });

  it("turns HTML into text", () => {
    expect(cell('<script>alert("x")</script>')).toBe('&lt;script&gt;alert("x")&lt;/script&gt;');
    expect(cell("<img src=x onerror=alert(1)>")).not.toMatch(/[<>]/);
  });

  it("escapes & first, so escaped text in the input stays literal", () => {
    expect(cell("&lt;b&gt; & co")).toBe("&amp;lt;b&amp;gt; &amp; co");
  });

  it("breaks @mentions (team mentions too) with a zero-width space", () => {
    expect(cell("ping @octocat and @org/team")).toBe("ping @\u200Doctocat and @\u200Dorg/team");
    expect(cell("cc @alice")).not.toMatch(/@[a-z]/);
  });

  it("puts a multi-line text on one line", () => {
    expect(cell("first\nsecond\r\nthird")).toBe("first second third");
  });
});

describe("renderSummary", () => {
  it("heads the summary with the verdict, severity and the deploy's timing", () => {
    const md = renderSummary(report([check()]), "checkout gate");
    const lines = md.split("\n");
    expect(lines[0]).toBe("## ❌ checkout gate: fail (P1)");
    expect(md).toContain(
      "Deploy at 2026-11-26T14:00:00.000Z; baseline 30m before it, watched 10m after it every 30s.",
    );
    expect(md).toContain("Failed at 2026-11-26T14:01:30.000Z (+1m30s).");
    expect(md.endsWith("\n")).toBe(true);
  });

  it("writes one table row per check with its numbers", () => {
    const md = renderSummary(report([check()]));
    const [row] = tableRows(md);
    expect(cells(row!)).toEqual([
      "errors",
      "0.004",
      "0.07",
      "≤ 0.05",
      "+1650 %",
      "0.00012",
      "❌ fail P1",
      "3 consecutive samples breached; last: 0.07 is above the limit 0.05",
    ]);
  });

  it("marks non-critical checks, a pass, a backtest and missing numbers", () => {
    const quiet = check({
      name: "orders",
      critical: false,
      verdict: "inconclusive",
      severity: null,
      noData: true,
      reason: "no data → inconclusive (on-no-data policy)",
      stats: {
        baselineMedian: null,
        windowMedian: null,
        change: null,
        pValue: null,
        zScore: null,
        baselineSamples: 0,
        windowSamples: 0,
      },
    });
    const ok = check({ verdict: "pass", severity: null, stats: { ...check().stats, change: -0.25 } });
    const md = renderSummary(
      report([ok, quiet], { verdict: "pass", severity: null, detectedAt: null, backtest: true }),
    );
    expect(md.split("\n")[0]).toBe("## ✅ aftershock deploy check: pass");
    expect(md).toContain("(backtest over history)");
    expect(md).not.toContain("Failed at");
    const [first, second] = tableRows(md).map(cells);
    expect(first?.[4]).toBe("−25 %");
    expect(first?.[6]).toBe("✅ pass");
    expect(second?.slice(0, 7)).toEqual([
      "orders (non-critical)",
      "–",
      "–",
      "≤ 0.05",
      "–",
      "–",
      "⚠️ inconclusive",
    ]);
  });

  it("escapes pipes, HTML, @mentions and newlines from names, reasons, queries, warnings and the title", () => {
    const hostile = check({
      name: "a|b <script>",
      reason: "ping @oncall\n| injected | row |",
      query: 'rate(x{job="<b>@team</b>"}[1m])',
      warnings: ["PromQL info: @here <i>look</i>\nsecond line"],
    });
    const md = renderSummary(report([hostile]), "deploy @everyone <img src=x>");
    // Code fences are literal text (Mermaid sanitizes its own labels): check the markdown around them.
    const prose = md.replace(/```mermaid\n[\s\S]*?\n```/g, "");
    expect(prose).not.toMatch(/<(script|img|b|i)\b/);
    expect(prose).not.toMatch(/@(oncall|team|here|everyone)/);
    const rows = tableRows(md);
    expect(rows).toHaveLength(1); // the newline in the reason did not start a new row
    const c = cells(rows[0]!);
    expect(c).toHaveLength(8); // the pipes in the name and the reason did not add columns
    expect(c[0]).toBe("a\\|b &lt;script&gt;");
    expect(c[7]).toBe("ping @\u200Doncall \\| injected \\| row \\|");
    expect(md).toContain("### a\\|b &lt;script&gt;");
    expect(md).toContain('<sub>rate(x{job="&lt;b&gt;@\u200Dteam&lt;/b&gt;"}\\[1m\\])</sub>');
    expect(md).toContain(
      "> Prometheus warning: PromQL info: @\u200Dhere &lt;i&gt;look&lt;/i&gt; second line",
    );
  });

  it("draws one mermaid chart per check with the deploy marked and the limit line", () => {
    const md = renderSummary(report([check(), check({ name: "latency", absoluteLimit: undefined })]));
    const charts = mermaidBlocks(md);
    expect(charts).toHaveLength(2);
    const [errors, latency] = charts;
    expect(errors![0]).toBe("xychart-beta");
    expect(errors).toContain('  title "errors (limit 0.05)"');
    expect(xLabels(errors!)).toContain("deploy +30s");
    const lines = errors!.filter((l) => l.trimStart().startsWith("line"));
    expect(lines).toHaveLength(2);
    expect(lineValues(lines[1]!)).toEqual(lineValues(lines[0]!).map(() => 0.05));
    expect(latency!.filter((l) => l.trimStart().startsWith("line"))).toHaveLength(1);
  });
});

describe("mermaidChart", () => {
  it("drops NaN and infinite points, keeping the rest in order", () => {
    const c = check({
      baseline: samples(DEPLOY - 4 * STEP, 4, (i) => [0.01, NaN, 0.02, Infinity][i]!),
      window: samples(DEPLOY + STEP, 3, (i) => [NaN, 0.06, 0.07][i]!),
    });
    const chart = mermaidChart(c, DEPLOY);
    const values = lineValues(chart.find((l) => l.trimStart().startsWith("line"))!);
    expect(values).toEqual([0.01, 0.02, 0.06, 0.07]);
    expect(xLabels(chart)).toEqual(["-2m", "-1m", "deploy +1m", "+1m30s"]);
    expect(chart.join("\n")).not.toMatch(/NaN|Infinity/);
  });

  it('labels a sample at the deploy itself "deploy", and only once', () => {
    const c = check({
      baseline: samples(DEPLOY - 2 * STEP, 2, () => 1),
      window: samples(DEPLOY, 3, () => 2),
    });
    const labels = xLabels(mermaidChart(c, DEPLOY));
    expect(labels).toEqual(["-1m", "-30s", "deploy", "+30s", "+1m"]);
  });

  it("draws the limit line and keeps it inside the y axis even when every value is below it", () => {
    const chart = mermaidChart(check({ window: samples(DEPLOY + STEP, 3, () => 0.01) }), DEPLOY);
    const axis = /y-axis "errors" (\S+) --> (\S+)$/.exec(chart.find((l) => l.includes("y-axis"))!);
    expect(Number(axis![1])).toBe(0);
    expect(Number(axis![2])).toBeGreaterThan(0.05);
    const lines = chart.filter((l) => l.trimStart().startsWith("line"));
    expect(lineValues(lines[1]!).every((v) => v === 0.05)).toBe(true);
    expect(lineValues(lines[1]!)).toHaveLength(lineValues(lines[0]!).length);
  });

  it("extends the y axis below zero for negative values", () => {
    const c = check({ absoluteLimit: undefined, window: samples(DEPLOY + STEP, 2, () => -3) });
    const axis = mermaidChart(c, DEPLOY).find((l) => l.includes("y-axis"))!;
    expect(axis).toMatch(/ -3 --> /);
  });

  it("draws no chart, and no flat zero line, when there is no finite point", () => {
    const c = check({ baseline: samples(DEPLOY - 60, 2, () => NaN), window: [] });
    expect(chartOrNull(c, DEPLOY)).toBeNull();
    const md = renderSummary(report([c]));
    expect(mermaidBlocks(md)).toEqual([]);
    expect(md).toContain("_No data to chart");
  });

  it("keeps quotes and newlines in a name from breaking the chart syntax", () => {
    const c = check({ name: 'p99 "latency"\nms' });
    for (const line of mermaidChart(c, DEPLOY).filter((l) => /title|y-axis/.test(l))) {
      expect(line.match(/"/g)).toHaveLength(2);
    }
  });

  it("thins a long series to at most about 40 points, reaching to the window's end", () => {
    const c = check({
      baseline: samples(DEPLOY - 60 * STEP, 60, (i) => i),
      window: samples(DEPLOY + STEP, 20, (i) => 100 + i),
    });
    const values = lineValues(mermaidChart(c, DEPLOY).find((l) => l.trimStart().startsWith("line"))!);
    expect(values.length).toBeLessThanOrEqual(41);
    expect(values.length).toBeGreaterThanOrEqual(20);
    // On the even grid the last point is within one slot (3 steps) of the last sample.
    expect(values.at(-1)).toBeGreaterThanOrEqual(117);
  });

  // thin() says it keeps the sample nearest the deploy: with 62 baseline samples and stride 3 the
  // first watch sample (index 62) must not be thinned away.
  it("keeps the first sample after the deploy when it thins", () => {
    const c = check({
      baseline: samples(DEPLOY - 62 * STEP, 62, () => 1),
      window: samples(DEPLOY + STEP, 20, () => 2),
    });
    expect(xLabels(mermaidChart(c, DEPLOY))).toContain("deploy +30s");
  });
});

describe("the summary for an SRE", () => {
  it("shows error rates in percent and latencies in ms or s, with the limit beside the value", () => {
    const errors = check({ errorRate: true });
    const latency = check({
      name: "p99",
      query: "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))",
      absoluteLimit: undefined,
      relativeLimit: 0.5,
      verdict: "pass",
      severity: null,
      stats: { ...check().stats, baselineMedian: 0.25, windowMedian: 0.3, change: 0.2 },
    });
    const [e, l] = tableRows(renderSummary(report([errors, latency]))).map(cells);
    expect(e!.slice(1, 4)).toEqual(["0.4 %", "7 %", "≤ 5 %"]);
    expect(l!.slice(1, 4)).toEqual(["250 ms", "300 ms", "≤ 375 ms (+50 %)"]);
  });

  it("draws the relative limit at its value for this baseline, in the chart's unit", () => {
    const c = check({
      errorRate: true,
      absoluteLimit: 0.05,
      relativeLimit: 1,
      stats: { ...check().stats, baselineMedian: 0.004 },
    });
    const chart = mermaidChart(c, DEPLOY, STEP);
    const lines = chart.filter((l) => l.trimStart().startsWith("line")).map(lineValues);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(7); // 0.07 in percent
    expect(new Set(lines[1])).toEqual(new Set([5]));
    expect(new Set(lines[2])).toEqual(new Set([0.8])); // 0.004 + 100 %
    expect(chart.find((l) => l.includes("title"))).toContain("+100 % of baseline = 0.8 %");
    expect(chart.find((l) => l.includes("y-axis"))).toContain('"errors (%)"');
  });

  it("spaces points evenly in time across a dense baseline and a sparse window", () => {
    const c = check({
      baseline: samples(DEPLOY - 120 * STEP, 120, () => 1),
      window: samples(DEPLOY, 21, () => 2),
    });
    const points = evenPoints([...c.baseline, ...c.window], DEPLOY, STEP);
    const gaps = new Set(points.slice(1).map((p, i) => p.t - points[i]!.t));
    expect(gaps.size).toBe(1);
    expect(points.some((p) => p.t === DEPLOY)).toBe(true);
    expect(xLabels(mermaidChart(c, DEPLOY, STEP))).toContain("deploy");
  });

  it("folds passing checks into <details> after the ones that need attention", () => {
    const ok = check({ name: "orders", verdict: "pass", severity: null });
    const md = renderSummary(report([ok, check()]));
    const details = md.indexOf("<details><summary>✅ orders: pass</summary>");
    expect(details).toBeGreaterThan(md.indexOf("### errors"));
    expect(md).not.toContain("### orders");
    expect(md.indexOf("</details>")).toBeGreaterThan(md.indexOf("```mermaid", details));
  });

  it("links the dashboard when given one, without letting the URL end the link early", () => {
    const md = renderSummary(report([check()]), {
      title: "gate",
      dashboardUrl: "https://grafana.example/d/x?var-service=a b&q=(1)",
    });
    expect(md).toContain("[Open the dashboard](https://grafana.example/d/x?var-service=a%20b&q=%281%29)");
    expect(renderSummary(report([check()]))).not.toContain("Open the dashboard");
  });

  it("says what to fix when the configuration is wrong", () => {
    const md = renderConfigErrorSummary('fail-on "sometimes" must be fail, inconclusive or never', "gate");
    expect(md.split("\n")[0]).toBe("## ❌ gate: configuration error");
    expect(md).toContain('> fail-on "sometimes" must be fail, inconclusive or never');
  });
});
