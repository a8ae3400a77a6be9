import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHECK_HELP, parseCheckFlags, readCheckArgs, runCheck } from "../../src/cli/check.js";
import { EXIT } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const scenario = (name: string) =>
  fileURLToPath(new URL(`../../examples/scenarios/${name}.json`, import.meta.url));
const CLEAN = scenario("clean-deploy");
const STEP = scenario("step-regression");
const ZERO = scenario("zero-traffic");

// The scenarios' deploy; "now" is an hour later so every run is a backtest and never sleeps.
const DEPLOY_ISO = "2026-11-26T14:00:00Z";
const DEPLOY = Date.parse(DEPLOY_ISO) / 1000;
const now = () => DEPLOY + 3600;
const ERRORS = 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))';

async function check(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s), env };
  const code = await runCheck(argv, io, now);
  return { code, stdout, stderr };
}

/** A check of the scenario's error ratio: fail above 5 %, with a severity. */
const gate = (file: string, ...more: string[]) => [
  "--metrics-file",
  file,
  "--query",
  ERRORS,
  "--absolute-limit",
  "0.05",
  "--error-rate",
  "--deploy-time",
  DEPLOY_ISO,
  ...more,
];

let dir: string;

beforeAll(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), "aftershock-check-"));
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("aftershock check exit codes", () => {
  it("exits 0 on a clean deploy and prints the verdict", async () => {
    const { code, stdout } = await check(gate(CLEAN));
    expect(code).toBe(EXIT.pass);
    expect(stdout.split("\n")[0]).toBe("verdict: PASS  [backtest]");
  });

  it("exits 1 on a step regression and says when it was detected", async () => {
    const { code, stdout } = await check(gate(STEP));
    expect(code).toBe(EXIT.fail);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("verdict: FAIL (P1)  [backtest]");
    // The ratio jumps right after the deploy: 3 breaching 30 s samples → detected 1m30s in.
    expect(lines[1]).toBe("detected at: 2026-11-26T14:01:30.000Z (+1m30s)");
  });

  it("exits 3 when the window has no traffic (NaN is no data, not a pass)", async () => {
    const { code, stdout } = await check(gate(ZERO));
    expect(code).toBe(EXIT.inconclusive);
    expect(stdout).toMatch(/^verdict: INCONCLUSIVE/);
    expect(stdout).toContain("(on-no-data policy)");
  });

  it("follows --on-no-data for the zero-traffic window", async () => {
    expect((await check(gate(ZERO, "--on-no-data", "fail"))).code).toBe(EXIT.fail);
    expect((await check(gate(ZERO, "--on-no-data", "pass"))).code).toBe(EXIT.pass);
  });

  it.each([
    [["--nope"], /Unknown option '--nope'/],
    [["--window"], /--window/],
    [["extra"], /extra/],
    [["--quiet=yes"], /--quiet/],
  ])("exits 2 on the unusable arguments %j, pointing at --help", async (args, message) => {
    const { code, stdout, stderr } = await check([...gate(CLEAN), ...args]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^aftershock check: .*\(see aftershock check --help\)\n$/);
    expect(stderr).toMatch(message);
  });

  it.each([
    [["--window", "10x"], 'window "10x" is not a duration'],
    [["--baseline", "0s"], 'baseline "0s" must be greater than zero'],
    [["--direction", "sideways"], "direction"],
    [["--format", "yaml"], '--format "yaml" must be text or json'],
    [["--checks", "checks.yaml"], "give either a single query or checks, not both"],
    [["--on-no-data", "ignore"], 'on-no-data "ignore" must be one of inconclusive, pass, fail'],
    [["--failure-limit", "0"], 'failure-limit "0" must be a whole number of at least 1'],
    [["--deploy-time", "someday"], 'deploy-time "someday" is not a time'],
    [
      ["--header", "no-colon"],
      '--header #1 has no "Name: value" colon (its content is not shown: it may hold a secret)',
    ],
    [["--timeout", "5x"], '--timeout "5x" is not a duration'],
    [["--prometheus-url", "http://prometheus.test"], "not both"],
  ])("exits 2 on %j with a one-line message saying what is wrong", async (args, message) => {
    writeFileSync(join(dir, "checks.yaml"), "- query: up\n");
    const argv = [...gate(CLEAN), ...args].map((a) => (a === "checks.yaml" ? join(dir, a) : a));
    const { code, stdout, stderr } = await check(argv);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr.startsWith("aftershock check: ")).toBe(true);
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("exits 2 without a query or a metric source", async () => {
    const noQuery = await check(["--metrics-file", CLEAN]);
    expect(noQuery.code).toBe(EXIT.usage);
    expect(noQuery.stderr).toMatch(/no check given/);
    const noSource = await check(["--query", "up"]);
    expect(noSource.code).toBe(EXIT.usage);
    expect(noSource.stderr).toMatch(
      /No metric source: set prometheus-url \(--prometheus-url\) .*metrics-file \(--metrics-file\)/,
    );
  });

  it("exits 2 when the metrics file or the checks file does not exist, naming it", async () => {
    const missing = join(dir, "missing.json");
    const metrics = await check(["--metrics-file", missing, "--query", "up", "--deploy-time", DEPLOY_ISO]);
    expect(metrics.code).toBe(EXIT.usage);
    expect(metrics.stderr).toContain(missing);
    const checks = await check(["--metrics-file", CLEAN, "--checks", join(dir, "nope.yaml")]);
    expect(checks.code).toBe(EXIT.usage);
    expect(checks.stderr).toContain(`cannot read the checks file ${join(dir, "nope.yaml")}`);
  });
});

describe("aftershock check output", () => {
  it("prints one JSON object with --format json", async () => {
    const { code, stdout } = await check(gate(STEP, "--format", "json", "--name", "error-ratio"));
    expect(code).toBe(EXIT.fail);
    const out = JSON.parse(stdout) as Record<string, unknown> & { checks: Record<string, unknown>[] };
    expect(out).toMatchObject({
      verdict: "fail",
      severity: "P1",
      detectedAt: "2026-11-26T14:01:30.000Z",
      deployTime: "2026-11-26T14:00:00.000Z",
      backtest: true,
      baselineSeconds: 1800,
      windowSeconds: 600,
      stepSeconds: 30,
    });
    expect(out.checks).toHaveLength(1);
    expect(out.checks[0]).toMatchObject({
      name: "error-ratio",
      query: ERRORS,
      verdict: "fail",
      severity: "P1",
    });
    expect(out.checks[0]!.windowMedian as number).toBeGreaterThan(0.05);
    expect(out.checks[0]!.baselineMedian as number).toBeLessThan(0.01);
  });

  it("reports no detection time for a pass in JSON", async () => {
    const out = JSON.parse((await check(gate(CLEAN, "--format", "json"))).stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ verdict: "pass", severity: null, detectedAt: null });
  });

  it("writes progress to stderr, never to stdout, and nothing with --quiet", async () => {
    const loud = await check(gate(STEP, "--format", "json"));
    expect(() => JSON.parse(loud.stdout) as unknown).not.toThrow();
    const progress = loud.stderr.trimEnd().split("\n");
    expect(progress[0]).toMatch(/^backtest 1 check\(s\) from 2026-11-26T14:00:00.000Z for 10m every 30s/);
    expect(progress.slice(1)).toEqual([
      expect.stringMatching(/^\[\+30s\] check=.* breaches 1\/3$/),
      expect.stringMatching(/^\[\+1m\] check=.* breaches 2\/3$/),
      expect.stringMatching(/^\[\+1m30s\] check=.* breaches 3\/3$/),
    ]);
    expect(loud.stdout).not.toContain("[+");

    const quiet = await check(gate(STEP, "--quiet"));
    expect(quiet.code).toBe(EXIT.fail);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toMatch(/^verdict: FAIL/);
  });

  it("runs several checks from a --checks YAML file", async () => {
    const file = join(dir, "several.yaml");
    writeFileSync(
      file,
      [
        "checks:",
        "  - name: errors",
        `    query: '${ERRORS}'`,
        "    absolute-limit: 5%",
        "    error-rate: true",
        "  - name: throughput",
        "    query: sum(rate(http_requests_total[1m]))",
        "    direction: decrease",
        "    relative-limit: 50%",
        "  - name: strict",
        "    query: sum(rate(http_requests_total[1m]))",
        "    absolute-limit: 0.1%",
        "    critical: false",
        "",
      ].join("\n"),
    );
    const argv = ["--metrics-file", CLEAN, "--checks", file, "--deploy-time", String(DEPLOY), "--quiet"];
    const { code, stdout } = await check([...argv, "--format", "json"]);
    // The file source answers every query with the scenario's ~0.4 % ratio: "strict" breaches its
    // 0.1 % limit, but it is not critical, so the gate passes.
    expect(code).toBe(EXIT.pass);
    const out = JSON.parse(stdout) as {
      verdict: string;
      reason: string;
      checks: { name: string; verdict: string }[];
    };
    expect(out.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["errors", "pass"],
      ["throughput", "pass"],
      ["strict", "fail"],
    ]);
    expect(out.verdict).toBe("pass");
    expect(out.reason).toContain("(non-critical) strict: fail");
    const text = await check(argv);
    expect(text.stdout).toContain("● strict (non-critical): fail");
  });

  it("explains a bad key in the checks file with its path", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "- query: up\n  treshold: 3\n");
    const { code, stderr } = await check(["--metrics-file", CLEAN, "--checks", file]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain("[0]");
    expect(stderr).toContain('"treshold"');
  });

  it("sends the bearer token from the environment and --header values to Prometheus, and never prints the token", async () => {
    const body = readFileSync(CLEAN, "utf8");
    const scope = nock("http://prometheus.test", {
      reqheaders: { authorization: "Bearer s3cret-token", "x-scope-orgid": "tenant-1" },
    })
      .post("/api/v1/query_range")
      // The baseline, the same range a day and a week earlier (seasonality auto), the metric's past
      // (history 7d) and the window.
      .times(5)
      .reply(200, body, { "content-type": "application/json" });
    const { code, stdout, stderr } = await check(
      [
        "--prometheus-url",
        "http://prometheus.test",
        "--header",
        "X-Scope-OrgID: tenant-1",
        "--query",
        "up",
        "--deploy-time",
        DEPLOY_ISO,
      ],
      { PROMETHEUS_BEARER_TOKEN: "s3cret-token" },
    );
    expect(stderr).not.toContain("s3cret-token");
    expect(stdout).not.toContain("s3cret-token");
    expect(code).toBe(EXIT.pass);
    expect(scope.isDone()).toBe(true);
  });
});

describe("aftershock check --help", () => {
  // Every option the parser accepts, as documented in the brief and the README.
  const FLAGS = [
    "prometheus-url",
    "metrics-file",
    "header",
    "timeout",
    "query",
    "control-query",
    "name",
    "direction",
    "absolute-limit",
    "relative-limit",
    "error-rate",
    "aggregate",
    "traffic-query",
    "min-traffic",
    "min-samples",
    "checks",
    "deploy-time",
    "baseline",
    "window",
    "step",
    "failure-limit",
    "query-delay",
    "seasonality",
    "history",
    "on-no-data",
    "severity-bands",
    "service",
    "environment",
    "version",
    "format",
    "quiet",
    "help",
  ];

  it("prints the help with every flag and the exit codes, and exits 0", async () => {
    for (const args of [["--help"], ["-h"], ["--window", "10x", "--help"]]) {
      const { code, stdout, stderr } = await check(args);
      expect(code).toBe(EXIT.pass);
      expect(stderr).toBe("");
      expect(stdout).toBe(CHECK_HELP);
    }
    const listed = new Set([...CHECK_HELP.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
    for (const flag of FLAGS) expect(listed, `--${flag} is missing from the help`).toContain(flag);
    expect(CHECK_HELP).toMatch(/Exit codes: 0 pass, 1 fail, 2 usage or configuration error, 3 inconclusive/);
  });

  it("documents no flag the parser rejects", async () => {
    const listed = [...new Set([...CHECK_HELP.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!))];
    for (const flag of listed) {
      // A string option takes --flag=value; a boolean one takes no value.
      const asString = await check([`--${flag}=x`, "--help"]);
      const asBoolean = await check([`--${flag}`, "--help"]);
      expect([asString.code, asBoolean.code], `--${flag} is not accepted`).toContain(EXIT.pass);
    }
  });
});

describe("aftershock (main)", () => {
  async function cli(argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
    return { code, stdout, stderr };
  }

  it("exits 2 on an unknown command, listing the commands", async () => {
    const { code, stdout, stderr } = await cli(["nope"]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe('aftershock: unknown command "nope"; commands: check, suspects, report, demo\n');
  });

  it("prints the usage: exit 0 when asked for, 2 without a command", async () => {
    const asked = await cli(["--help"]);
    expect(asked.code).toBe(EXIT.pass);
    expect(asked.stdout).toMatch(/^Usage: aftershock <command>/);
    const bare = await cli([]);
    expect(bare.code).toBe(EXIT.usage);
    expect(bare.stdout).toBe(asked.stdout);
  });

  it("hands check its arguments", async () => {
    const { code, stdout } = await cli(["check", "--help"]);
    expect(code).toBe(EXIT.pass);
    expect(stdout).toBe(CHECK_HELP);
  });
});

describe("aftershock check: the schema's flags", () => {
  const args = (...more: string[]) =>
    readCheckArgs(
      parseCheckFlags(["--metrics-file", CLEAN, "--deploy-time", DEPLOY_ISO, ...more]),
      { env: {} },
      now,
    );

  it("suggests the flag a typo was meant to be, and lists the valid ones, on one line", async () => {
    const { code, stderr } = await check([...gate(CLEAN), "--windw", "5m"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(
      /^aftershock check: Unknown option '--windw' \(did you mean --window\?\); valid options: /,
    );
    for (const flag of ["--seasonality", "--control-query", "--query", "--format", "--help"])
      expect(stderr).toContain(flag);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    const far = await check([...gate(CLEAN), "--colour"]);
    expect(far.stderr).not.toContain("did you mean");
    expect(far.stderr).toContain("valid options: --prometheus-url");
  });

  it("takes --control-query into the check, and --seasonality into the gate", () => {
    const { gate: spec } = args("--query", "canary", "--control-query", "stable", "--seasonality", "1d,7d");
    expect(spec.checks[0]?.controlQuery).toBe("stable");
    expect(spec.seasonality).toEqual([86_400, 604_800]);
    expect(args("--query", "canary").gate.seasonality).toBe("auto");
    expect(args("--query", "canary", "--seasonality", "off").gate.seasonality).toBe("off");
  });

  it("reads control-query per check from a --checks file", () => {
    const file = join(dir, "canary.yaml");
    writeFileSync(file, "- name: canary\n  query: errors_canary\n  control-query: errors_stable\n");
    expect(args("--checks", file).gate.checks[0]?.controlQuery).toBe("errors_stable");
  });

  it("exits 2 on a bad --seasonality, saying what it takes", async () => {
    const { code, stderr } = await check([...gate(CLEAN), "--seasonality", "daily"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('seasonality "daily" must be auto, off, or durations like 1d,7d');
  });
});

describe("aftershock check for scripts and dashboards", () => {
  it("prints usage errors as a JSON object on stdout with --format json", async () => {
    const flag = await check(["--query", "up", "--windw", "5m", "--format", "json"]);
    expect(flag.code).toBe(EXIT.usage);
    expect(JSON.parse(flag.stdout)).toMatchObject({
      error: { command: "check", kind: "usage", exitCode: 2 },
    });
    expect(flag.stderr).toMatch(/--window/);
    const config = await check(["--query", "up", "--format=json"]);
    expect(JSON.parse(config.stdout).error.message).toMatch(/No metric source: set prometheus-url/);
  });

  it("links the dashboard, filled for this deploy, in text and JSON", async () => {
    const argv = [
      ...gate(CLEAN),
      "--service",
      "checkout",
      "--dashboard-url",
      "https://grafana.example/d/x?var-service={{service}}&from={{from}}",
    ];
    const url = `https://grafana.example/d/x?var-service=checkout&from=${(DEPLOY - 1800) * 1000}`;
    expect((await check(argv)).stdout).toContain(`Dashboard: ${url}\n`);
    const json = JSON.parse((await check([...argv, "--format", "json"])).stdout) as { dashboardUrl: string };
    expect(json.dashboardUrl).toBe(url);
  });
});
