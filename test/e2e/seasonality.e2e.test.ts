// The engine's references end to end against a real Prometheus backfilled with promtool: a daily
// ramp at 09:00 (with seven days of history), canary versus control, a short live-like baseline of
// overlapping rates, severity from the window median, and a misspelled metric through the CLI.
// Seasonality and the control query go through the CLI (`--seasonality`, `--control-query`, exit codes
// and the JSON report); the live-like baseline and severity go through `runGate` with the Prometheus
// HTTP source, the code behind the CLI.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeCheck, makeGate } from "../../src/core/gate/defaults.js";
import { runGate } from "../../src/core/gate/gate.js";
import type { CheckSpec, GateReport, GateSpec } from "../../src/core/gate/types.js";
import { PrometheusHttpSource } from "../../src/sources/index.js";
import { requirePrometheus, startPrometheus, type PrometheusServer } from "./harness/prometheus.js";
import { assertAvailable, runCommand } from "./harness/servers.js";
import { mulberry32 as rng } from "../helpers/mulberry32.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const DAY = 86_400;
const SCRAPE = 15;
const LIVE_SEED = Number(process.env.LIVE_SEED ?? 13);

/** The latest 09:00 UTC whose 10-minute window ended at least an hour ago: a backtest. */
function lastNineOClock(nowS = Date.now() / 1000): number {
  let d = Math.floor(nowS / DAY) * DAY + 9 * 3600;
  if (d + 3600 > nowS) d -= DAY;
  return d;
}
const DEPLOY = lastNineOClock();
const iso = (t: number) => new Date(t * 1000).toISOString();

/** Latency flat at 200 ms, ramping to 400 ms over the ten minutes after 09:00 every day. */
function rampLevel(t: number): number {
  const sinceNine = t - (Math.floor((t - 9 * 3600) / DAY) * DAY + 9 * 3600);
  return sinceNine < 600 ? 0.2 + 0.2 * (sinceNine / 600) : sinceNine < 3600 ? 0.4 : 0.2;
}

interface Family {
  name: string;
  type: "gauge" | "counter";
  series: Array<{ labels: string; points: Array<[number, number]> }>;
}

/** Gauge points every 15 s over [from, to], valued by f. */
function gauge(from: number, to: number, f: (t: number) => number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let t = from; t <= to; t += SCRAPE) out.push([t, Number(f(t).toFixed(6))]);
  return out;
}

/** The ramp, eight days of 08:15–09:20 windows, with ±3 % noise; `regress` multiplies today's window. */
function rampSeries(seed: number, regress: number): Array<[number, number]> {
  const random = rng(seed);
  const out: Array<[number, number]> = [];
  for (let k = 7; k >= 0; k--) {
    const day = DEPLOY - k * DAY;
    const boost = (t: number) => (k === 0 && t > DEPLOY ? regress : 1);
    out.push(
      ...gauge(
        day - 45 * 60,
        day + 20 * 60,
        (t) => rampLevel(t) * boost(t) * (1 + 0.03 * (2 * random() - 1)),
      ),
    );
  }
  return out;
}

/** A cumulative counter from per-interval increments. */
function counter(
  from: number,
  to: number,
  every: number,
  inc: (t: number) => number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let total = 0;
  for (let t = from; t <= to; t += every) {
    total += inc(t);
    out.push([t, total]);
  }
  return out;
}

function openMetrics(): string {
  const noise = rng(7);
  const jitter = (level: number) => level * (1 + 0.1 * (2 * noise() - 1));
  const track = (scenario: string, canary: number, stable: number): Family["series"] => [
    {
      labels: `scenario="${scenario}",track="canary"`,
      points: gauge(DEPLOY - 45 * 60, DEPLOY + 20 * 60, (t) => jitter(t > DEPLOY ? canary : 0.01)),
    },
    {
      labels: `scenario="${scenario}",track="stable"`,
      points: gauge(DEPLOY - 45 * 60, DEPLOY + 20 * 60, (t) => jitter(t > DEPLOY ? stable : 0.01)),
    },
  ];
  const requests = rng(11);
  // 200 req/s in 15 s scrapes; 0.5 % errors before the deploy and 6.5 % after.
  const served = () => Math.round(3000 * (0.95 + 0.1 * requests()));
  const p1Errors = counter(DEPLOY - 45 * 60, DEPLOY + 20 * 60, SCRAPE, (t) =>
    Math.round(served() * (t > DEPLOY ? 0.065 : 0.005)),
  );
  const p1Total = counter(DEPLOY - 45 * 60, DEPLOY + 20 * 60, SCRAPE, () => 3000);
  // A live-like counter scraped every second: Poisson, 1.5 requests a second, read as 30 s rates
  // every 5 s. A minute of those is about two independent windows, so its spread looks tiny.
  const live = rng(LIVE_SEED);
  const poisson = (mean: number) => {
    let k = 0;
    for (let p = live(); p > Math.exp(-mean); p *= live()) k++;
    return k;
  };
  const liveTotal = counter(DEPLOY - 40 * 60, DEPLOY + 10 * 60, 1, () => poisson(1.5));
  const families: Family[] = [
    {
      name: "ramp_latency_seconds",
      type: "gauge",
      series: [
        { labels: 'service="ramp"', points: rampSeries(1, 1) },
        { labels: 'service="ramp-regressed"', points: rampSeries(2, 1.6) },
      ],
    },
    {
      name: "track_error_ratio",
      type: "gauge",
      series: [
        ...track("sixfold", 0.06, 0.01),
        ...track("equal", 0.01, 0.01),
        ...track("upstream", 0.06, 0.06),
      ],
    },
    {
      name: "p1_requests",
      type: "counter",
      series: [
        { labels: 'code="500"', points: p1Errors },
        { labels: 'code="all"', points: p1Total },
      ],
    },
    { name: "live_requests", type: "counter", series: [{ labels: 'service="live"', points: liveTotal }] },
  ];
  const out: string[] = [];
  for (const f of families) {
    out.push(`# TYPE ${f.name} ${f.type}`);
    const metric = f.type === "counter" ? `${f.name}_total` : f.name;
    for (const s of f.series) for (const [t, v] of s.points) out.push(`${metric}{${s.labels}} ${v} ${t}`);
  }
  out.push("# EOF");
  return out.join("\n") + "\n";
}

const need = requirePrometheus("seasonality e2e");

describe.skipIf(need.skip)("gate references against a real Prometheus", () => {
  let prom: PrometheusServer | undefined;

  beforeAll(async () => {
    assertAvailable(need);
    prom = await startPrometheus(need, openMetrics());
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
  });

  /** A backtest through the HTTP source, as `aftershock check` runs it. */
  function check(
    query: string,
    over: Partial<CheckSpec> = {},
    gate: Partial<GateSpec> = {},
  ): Promise<GateReport> {
    const spec = makeGate({
      checks: [makeCheck({ name: "check", query, ...over })],
      deployTime: DEPLOY,
      baselineSeconds: 30 * 60,
      windowSeconds: 10 * 60,
      stepSeconds: 30,
      ...gate,
    });
    return runGate(spec, new PrometheusHttpSource({ url: prom!.url, timeoutMs: 10_000, retries: 0 }));
  }

  interface CliReport {
    code: number;
    json: {
      verdict: string;
      reason: string;
      checks: Array<{
        reason: string;
        controlQuery?: string;
        references: Array<{ name: string; used: boolean }>;
      }>;
    };
  }

  /** `aftershock check` as a pipeline runs it: a backtest of the 09:00 deploy, JSON on stdout. */
  async function cli(query: string, flags: string[]): Promise<CliReport> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run bundle' first`);
    const res = await runCommand(process.execPath, [
      CLI,
      "check",
      "--prometheus-url",
      prom!.url,
      "--query",
      query,
      "--deploy-time",
      iso(DEPLOY),
      "--baseline",
      "30m",
      "--window",
      "10m",
      "--step",
      "30s",
      "--format",
      "json",
      "--quiet",
      ...flags,
    ]);
    if (res.code !== 0 && res.code !== 1) throw new Error(`exit ${res.code}: ${res.stderr}`);
    const json = JSON.parse(res.stdout) as CliReport["json"];
    // The exit code and the verdict say the same thing: 0 pass, 1 fail.
    expect(res.code).toBe(json.verdict === "fail" ? 1 : 0);
    return { code: res.code, json };
  }

  test("a daily ramp at 09:00 passes with --seasonality auto and fails with off; +60 % on the ramp fails", async () => {
    const ramp = 'ramp_latency_seconds{service="ramp"}';
    const auto = await cli(ramp, ["--seasonality", "auto"]);
    const off = await cli(ramp, ["--seasonality", "off"]);
    expect(off.json.verdict).toBe("fail");
    expect(auto.json.verdict).toBe("pass");
    expect(auto.json.checks[0]!.references.filter((r) => r.used).map((r) => r.name)).toEqual([
      "baseline",
      "a day earlier",
      "a week earlier",
    ]);
    // Offsets as durations: only the day-earlier window is read.
    const day = await cli(ramp, ["--seasonality", "1d"]);
    expect(day.json.verdict).toBe("pass");
    expect(day.json.checks[0]!.references.filter((r) => r.used).map((r) => r.name)).toEqual([
      "baseline",
      "a day earlier",
    ]);
    const worse = await cli('ramp_latency_seconds{service="ramp-regressed"}', ["--seasonality", "auto"]);
    expect(worse.json.verdict).toBe("fail");
    expect(worse.json.checks[0]!.reason).toContain("against a day earlier");
  });

  test("the default seasonality (auto) is what a plain `aftershock check` uses", async () => {
    const plain = await cli('ramp_latency_seconds{service="ramp"}', []);
    expect(plain.json.verdict).toBe("pass");
    expect(plain.json.checks[0]!.references.some((r) => r.name === "a week earlier" && r.used)).toBe(true);
  });

  test("--control-query: a canary 6x worse fails, equal passes, an upstream incident on both passes", async () => {
    const q = (scenario: string, trackName: string) =>
      `track_error_ratio{scenario="${scenario}",track="${trackName}"}`;
    const run = (scenario: string) =>
      cli(q(scenario, "canary"), [
        "--control-query",
        q(scenario, "stable"),
        "--error-rate",
        "--seasonality",
        "off",
      ]);
    const sixfold = await run("sixfold");
    expect(sixfold.json.verdict).toBe("fail");
    expect(sixfold.code).toBe(1);
    expect(sixfold.json.checks[0]!.controlQuery).toBe(q("sixfold", "stable"));
    expect((await run("equal")).json.verdict).toBe("pass");
    const upstream = await run("upstream");
    expect(upstream.json.verdict).toBe("pass");
    expect(upstream.json.checks[0]!.reason).toContain("against control");
  });

  test("the same canary-versus-control judgement through runGate, the code behind the CLI", async () => {
    const q = (trackName: string) => `track_error_ratio{scenario="sixfold",track="${trackName}"}`;
    const report = await check(
      q("canary"),
      { controlQuery: q("stable"), errorRate: true },
      { seasonality: "off" },
    );
    expect(report.verdict).toBe("fail");
    expect(report.checks[0]!.controlQuery).toBe(q("stable"));
    // It fails within the first samples, judged against the control sample by sample.
    expect(report.checks[0]!.reason).toContain("against control");
  });

  test("a short live-like baseline of overlapping 30 s rates every 5 s passes clean deploys", async () => {
    // Ten clean deploys, three minutes apart, each with a one-minute baseline and a two-minute window.
    const verdicts: string[] = [];
    for (let k = 0; k < 10; k++) {
      const report = await check(
        'sum(rate(live_requests_total{service="live"}[30s]))',
        {},
        {
          seasonality: "off",
          deployTime: DEPLOY - 35 * 60 + k * 180,
          baselineSeconds: 60,
          windowSeconds: 120,
          stepSeconds: 5,
        },
      );
      expect(report.checks[0]!.stats.baselineSamples).toBe(12);
      verdicts.push(report.verdict);
    }
    expect(verdicts).toEqual(Array(10).fill("pass"));
  });

  test("a window whose median error ratio is 6.5 % is P1 under the default bands, and says so", async () => {
    const report = await check(
      'sum(rate(p1_requests_total{code="500"}[1m])) / sum(rate(p1_requests_total{code="all"}[1m]))',
      { errorRate: true },
      { seasonality: "off" },
    );
    expect(report.verdict).toBe("fail");
    expect(report.severity).toBe("P1");
    const value = report.checks[0]!.severityValue!;
    expect(value).toBeGreaterThan(0.055);
    expect(value).toBeLessThan(0.075);
    expect(report.checks[0]!.reason).toMatch(/P1 from the window median 0\.0[67]\d* up to detection/);
  });

  test("a misspelled metric exits 2 through the CLI, naming the query and what to check", async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run bundle' first`);
    const typo = 'sum(rate(p1_reqests_total{code="500"}[1m]))';
    const res = await runCommand(process.execPath, [
      CLI,
      "check",
      "--prometheus-url",
      prom!.url,
      "--query",
      typo,
      "--deploy-time",
      iso(DEPLOY),
      "--baseline",
      "30m",
      "--window",
      "10m",
      "--step",
      "30s",
      "--format",
      "json",
      "--quiet",
    ]);
    expect(res.code).toBe(2);
    // With --format json a script reads the failure as one JSON object on stdout.
    const { error } = JSON.parse(res.stdout) as {
      error: { kind: string; message: string; exitCode: number };
    };
    expect(error).toMatchObject({ kind: "usage", exitCode: 2 });
    expect(error.message).toContain(typo);
    expect(res.stderr).toContain(typo);
    expect(res.stderr).toContain("no series at all");
    expect(res.stderr).toContain("metric name");
  });
});
