// The deploy gate end to end: the bundled CLI (dist/cli.js) against a real Prometheus serving
// backfilled scenarios around a deploy 3 hours ago, so every run is a backtest. One Prometheus
// for the whole file; each test runs the CLI as a user would and checks its exit code and JSON.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  requirePrometheus,
  startPrometheus,
  startStatusServer,
  unusedUrl,
  type FakeServer,
  type PrometheusServer,
} from "./harness/prometheus.js";
import {
  LATENCY_METRIC,
  RPS,
  buildOpenMetrics,
  errorRatioQuery,
  pastDeployTime,
  requestRateQuery,
} from "./harness/scenarios.js";
import { assertAvailable, runCommand } from "./harness/servers.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const STEP = 30;
const DEPLOY = pastDeployTime();
const iso = (t: number) => new Date(t * 1000).toISOString();

const need = requirePrometheus("gate e2e");

/** The fields of `check --format json` these tests read. */
interface JsonReport {
  verdict: "pass" | "fail" | "inconclusive";
  severity: string | null;
  detectedAt: string | null;
  deployTime: string;
  backtest: boolean;
  reason: string;
  checks: Array<{
    name: string;
    verdict: string;
    noData: boolean;
    severity: string | null;
    reason: string;
    baselineMedian: number | null;
    windowMedian: number | null;
    baselineSamples: number;
    windowSamples: number;
  }>;
}

interface CheckRun {
  code: number | null;
  stderr: string;
  report: JsonReport | null;
}

describe.skipIf(need.skip)("deploy gate CLI against a real Prometheus", () => {
  let prom: PrometheusServer | undefined;
  let sick: FakeServer | undefined;

  beforeAll(async () => {
    assertAvailable(need);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run bundle' first`);
    prom = await startPrometheus(need, buildOpenMetrics(DEPLOY));
    sick = await startStatusServer(503);
  });

  afterAll(async () => {
    await prom?.stop();
    await sick?.close();
  });

  /** `aftershock check` over the scenarios: baseline 30 m, window 10 m, step 30 s, JSON out. */
  async function check(args: string[], url = prom!.url): Promise<CheckRun> {
    const res = await runCommand(process.execPath, [
      CLI,
      "check",
      "--prometheus-url",
      url,
      "--deploy-time",
      iso(DEPLOY),
      "--baseline",
      "30m",
      "--window",
      "10m",
      "--step",
      `${STEP}s`,
      "--format",
      "json",
      "--quiet",
      ...args,
    ]);
    const report = res.stdout.trim() ? (JSON.parse(res.stdout) as JsonReport) : null;
    return { code: res.code, stderr: res.stderr, report };
  }

  test("a clean deploy with noise passes (exit 0) as a backtest with the full baseline and window", async () => {
    const { code, report, stderr } = await check(["--query", errorRatioQuery("clean"), "--error-rate"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(report).toMatchObject({ verdict: "pass", severity: null, detectedAt: null, backtest: true });
    expect(report!.deployTime).toBe(iso(DEPLOY));
    // [deploy − 30 m, deploy − 30 s] and [deploy + 30 s, deploy + 10 m] every 30 s.
    expect(report!.checks[0]).toMatchObject({ baselineSamples: 60, windowSamples: 20, noData: false });
    expect(report!.checks[0]!.baselineMedian).toBeGreaterThan(0.003);
    expect(report!.checks[0]!.baselineMedian).toBeLessThan(0.007);
  });

  test("a step regression fails (exit 1) three steps after the deploy with severity P2 for ~3 % errors", async () => {
    const { code, report } = await check(["--query", errorRatioQuery("step"), "--error-rate"]);
    expect(code).toBe(1);
    expect(report).toMatchObject({ verdict: "fail", severity: "P2" });
    // Every watch sample breaches from the first one, so the default failure-limit (3) trips at +90 s.
    expect(report!.detectedAt).toBe(iso(DEPLOY + 3 * STEP));
    expect(report!.checks[0]).toMatchObject({ verdict: "fail", severity: "P2" });
    expect(report!.reason).toContain("3 consecutive samples breached");
  });

  test("severity follows the severity bands given", async () => {
    const { code, report } = await check([
      "--query",
      errorRatioQuery("step"),
      "--error-rate",
      "--severity-bands",
      "P1:>1.5%,P2:1%,P3:0",
    ]);
    expect(code).toBe(1);
    expect(report!.severity).toBe("P1");
  });

  test("a slow ramp fails, later than the step", async () => {
    const { code, report } = await check(["--query", errorRatioQuery("ramp"), "--error-rate"]);
    expect(code).toBe(1);
    expect(report!.verdict).toBe("fail");
    const detected = Date.parse(report!.detectedAt!) / 1000;
    expect(detected).toBeGreaterThan(DEPLOY + 3 * STEP);
    expect(detected).toBeLessThanOrEqual(DEPLOY + 600);
  });

  test("a 30 s spike at the deploy that recovers passes, but trips a failure-limit of 2", async () => {
    const spike = await check(["--query", errorRatioQuery("spike"), "--error-rate"]);
    expect(spike.code).toBe(0);
    expect(spike.report!.verdict).toBe("pass");
    // The same data with a twitchier gate: the two breaching samples are real.
    const twitchy = await check(["--query", errorRatioQuery("spike"), "--failure-limit", "2"]);
    expect(twitchy.code).toBe(1);
    expect(twitchy.report!.detectedAt).toBe(iso(DEPLOY + 2 * STEP));
  });

  test("zero traffic after the deploy (0/0 = NaN) is inconclusive (exit 3), and fails with --on-no-data fail", async () => {
    const idle = await check(["--query", errorRatioQuery("idle"), "--error-rate"]);
    expect(idle.code).toBe(3);
    expect(idle.report).toMatchObject({ verdict: "inconclusive", severity: null });
    expect(idle.report!.checks[0]).toMatchObject({ noData: true, baselineSamples: 60 });
    expect(idle.report!.checks[0]!.windowSamples).toBeLessThan(5);
    expect(idle.report!.reason).toContain("no data");

    const strict = await check(["--query", errorRatioQuery("idle"), "--error-rate", "--on-no-data", "fail"]);
    expect(strict.code).toBe(1);
    // No data has no error ratio, so no severity.
    expect(strict.report).toMatchObject({ verdict: "fail", severity: null });
    expect(strict.report!.reason).toContain("on-no-data");
  });

  test("a metric that disappears after the deploy is inconclusive (exit 3)", async () => {
    const { code, report } = await check(["--query", errorRatioQuery("vanish")]);
    expect(code).toBe(3);
    expect(report!.verdict).toBe("inconclusive");
    expect(report!.checks[0]!.noData).toBe(true);
    expect(report!.checks[0]!.reason).toMatch(/the watch window has [0-4] usable samples/);
  });

  test("a query returning several series is a usage error (exit 2) naming their labels; --aggregate sum folds them", async () => {
    const perCode = `rate(http_requests_total{service="clean"}[1m])`;
    const plain = await check(["--query", perCode]);
    expect(plain.code).toBe(2);
    // --format json: no report, but the error as one JSON object on stdout for scripts.
    expect(plain.report).toEqual({ error: expect.objectContaining({ kind: "usage", exitCode: 2 }) });
    expect(plain.stderr).toContain("returned 2 series");
    expect(plain.stderr).toContain('code="200"');
    expect(plain.stderr).toContain('code="500"');

    const summed = await check(["--query", perCode, "--aggregate", "sum"]);
    expect(summed.code).toBe(0);
    // The sum of both codes is the whole request rate.
    expect(summed.report!.checks[0]!.baselineMedian).toBeGreaterThan(0.9 * RPS);
    expect(summed.report!.checks[0]!.baselineMedian).toBeLessThan(1.1 * RPS);
  });

  test("bad PromQL is a usage error (exit 2) quoting Prometheus's errorType and error verbatim", async () => {
    const bad = `sum(rate(http_requests_total{service="clean"}[1m])`;
    // Ask Prometheus itself, on the endpoint the gate uses, what it says about this query.
    const direct = await fetch(`${prom!.url}/api/v1/query_range`, {
      method: "POST",
      body: new URLSearchParams({ query: bad, start: `${DEPLOY - 1800}`, end: `${DEPLOY}`, step: `${STEP}` }),
    });
    const body = (await direct.json()) as { status: string; errorType: string; error: string };
    expect(body.status).toBe("error");

    const { code, stderr } = await check(["--query", bad]);
    expect(code).toBe(2);
    expect(stderr).toContain(body.errorType);
    expect(stderr).toContain(body.error);
  });

  // The client retries (4 attempts with backoff) before the check gives up: run these two side by side.
  test.concurrent(
    "Prometheus down is inconclusive (exit 3) with the connection failure in the reason",
    async () => {
      const { code, report } = await check(
        ["--query", errorRatioQuery("clean"), "--timeout", "2s"],
        await unusedUrl(),
      );
      expect(code).toBe(3);
      expect(report!.verdict).toBe("inconclusive");
      expect(report!.reason).toContain("query failed");
      expect(report!.reason).toMatch(/Could not reach .*ECONNREFUSED/);
    },
  );

  test.concurrent(
    "Prometheus answering 503 is inconclusive (exit 3) with the status in the reason",
    async () => {
      const { code, report } = await check(
        ["--query", errorRatioQuery("clean"), "--timeout", "2s"],
        sick!.url,
      );
      expect(code).toBe(3);
      expect(report!.verdict).toBe("inconclusive");
      expect(report!.reason).toContain("HTTP 503");
      expect(report!.reason).toContain("gave up after");
    },
  );

  test("a latency gauge rising 75 % fails an increase check and passes a decrease check", async () => {
    const query = `${LATENCY_METRIC}{service="latency"}`;
    const up = await check(["--query", query, "--relative-limit", "50%"]);
    expect(up.code).toBe(1);
    expect(up.report!.checks[0]!.windowMedian).toBeGreaterThan(0.3);
    const down = await check(["--query", query, "--direction", "decrease", "--relative-limit", "50%"]);
    expect(down.code).toBe(0);
  });

  test("a throughput drop fails a decrease check; a clean deploy's throughput passes it", async () => {
    const drop = await check(["--query", requestRateQuery("drop"), "--direction", "decrease"]);
    expect(drop.code).toBe(1);
    expect(drop.report!.checks[0]!.windowMedian).toBeLessThan(0.5 * RPS);
    const clean = await check(["--query", requestRateQuery("clean"), "--direction", "decrease"]);
    expect(clean.code).toBe(0);
  });
});
