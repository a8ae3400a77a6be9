import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as ActionsCore from "@actions/core";
import type * as ActionsGithub from "@actions/github";
import nock from "nock";
import { gateIncidentRecord } from "../../src/action/open-incident.js";
import { parseRecord } from "../../src/core/incident/incident-record.js";
import { renderIncidentBody } from "../../src/core/incident/render-incident.js";
import { parse as parseYaml } from "yaml";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from "vitest";

// @actions/github reads the run's context when it is first imported: set it before any import.
const ENV_BEFORE = vi.hoisted(() => {
  const before = { ...process.env };
  Object.assign(process.env, {
    GITHUB_REPOSITORY: "o/r",
    GITHUB_SHA: "abc123",
    GITHUB_RUN_ID: "42",
    GITHUB_SERVER_URL: "https://github.com",
  });
  delete process.env.GITHUB_API_URL;
  return before;
});

/** Every input name the Action asks @actions/core for. */
const readInputs = vi.hoisted(() => new Set<string>());

vi.mock("@actions/core", async (importOriginal) => {
  const actual = await importOriginal<typeof ActionsCore>();
  return {
    ...actual,
    getInput: (name: string, options?: Parameters<typeof actual.getInput>[1]) => {
      readInputs.add(name);
      return actual.getInput(name, options);
    },
    getMultilineInput: (name: string, options?: Parameters<typeof actual.getMultilineInput>[1]) => {
      readInputs.add(name);
      return actual.getMultilineInput(name, options);
    },
  };
});

// @actions/github sends requests through undici's own fetch, which nock cannot intercept (a test
// would try to resolve api.github.com); Node's global fetch it can. Only the transport changes.
vi.mock("@actions/github", async (importOriginal) => {
  const actual = await importOriginal<typeof ActionsGithub>();
  return {
    ...actual,
    getOctokit: (token: string, options: Parameters<typeof actual.getOctokit>[1] = {}) =>
      actual.getOctokit(token, {
        ...options,
        request: { ...options.request, fetch: (...args: Parameters<typeof fetch>) => fetch(...args) },
      }),
  };
});

import { readGate, run } from "../../src/action/run.js";

const scenario = (name: string) =>
  fileURLToPath(new URL(`../../examples/scenarios/${name}.json`, import.meta.url));
const CLEAN = scenario("clean-deploy");
const STEP = scenario("step-regression");
const ZERO = scenario("zero-traffic");
const DEPLOY_ISO = "2026-11-26T14:00:00Z";
const DEPLOY = Date.parse(DEPLOY_ISO) / 1000;
// An hour after the deploy: every run replays history and never sleeps.
const now = () => DEPLOY + 3600;

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}
const ACTION = parseYaml(
  readFileSync(fileURLToPath(new URL("../../action.yml", import.meta.url)), "utf8"),
) as ActionYml;

let dir: string;
let outputPath: string;
let summaryPath: string;
let stdoutSpy: MockInstance;
let stdout = "";

beforeAll(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), "aftershock-action-"));
  outputPath = join(dir, "output");
  // core.summary remembers the first path it sees, so one file serves the whole suite.
  summaryPath = join(dir, "summary.md");
  process.env.GITHUB_OUTPUT = outputPath;
  process.env.GITHUB_STEP_SUMMARY = summaryPath;
});

beforeEach(() => {
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  readInputs.clear();
  stdout = "";
  stdoutSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
});

afterEach(() => {
  workflowToken = "";
  stdoutSpy.mockRestore();
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  process.exitCode = undefined;
  nock.cleanAll();
});

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in ENV_BEFORE)) delete process.env[key];
  Object.assign(process.env, ENV_BEFORE);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The runner's `${{ github.token }}`: empty here by default (as on a runner without one), so only
 * the tests that give a token talk to GitHub.
 */
let workflowToken = "";

/** action.yml's default with the runner's expressions evaluated. */
function evaluated(value: string): string {
  return value.replace(/\$\{\{\s*github\.token\s*\}\}/g, workflowToken);
}

/** Sets the step's inputs the way the runner does: action.yml's defaults, then the workflow's `with:`. */
function setInputs(inputs: Record<string, string>): void {
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ACTION.inputs))
    if (spec.default !== undefined) all[name] = evaluated(spec.default);
  Object.assign(all, inputs);
  for (const [name, value] of Object.entries(all))
    process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
}

/** Runs the Action with these inputs. */
async function action(inputs: Record<string, string>) {
  setInputs(inputs);
  await run(now);
  return {
    outputs: readOutputs(),
    summary: readFileSync(summaryPath, "utf8"),
    stdout,
    failed: process.exitCode === 1,
  };
}

/** GITHUB_OUTPUT holds `name<<ghadelimiter_…\nvalue\nghadelimiter_…` blocks. */
function readOutputs(): Record<string, string> {
  const out: Record<string, string> = {};
  const text = readFileSync(outputPath, "utf8");
  for (const m of text.matchAll(/^(.+?)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

/** Workflow commands (`::error::…`) of one kind, decoded. */
function commands(out: string, kind: string): string[] {
  return out
    .split("\n")
    .filter((l) => l.startsWith(`::${kind}::`))
    .map((l) =>
      l
        .slice(kind.length + 4)
        .replace(/%0A/g, "\n")
        .replace(/%0D/g, "\r")
        .replace(/%25/g, "%"),
    );
}

const errorGate = (file: string, more: Record<string, string> = {}) => ({
  "metrics-file": file,
  query: 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))',
  "absolute-limit": "0.05",
  "error-rate": "true",
  "deploy-time": DEPLOY_ISO,
  ...more,
});

describe("the Action's verdict, outputs and summary", () => {
  it("links the dashboard-url from the summary, templated for this deploy", async () => {
    const { summary } = await action(
      errorGate(CLEAN, {
        service: "check out",
        "dashboard-url": "https://grafana.example/d/x?var-service={{service}}&from={{from}}&to={{to}}",
      }),
    );
    const from = (Date.parse(DEPLOY_ISO) - 30 * 60_000).toString();
    const to = (Date.parse(DEPLOY_ISO) + 10 * 60_000).toString();
    expect(summary).toContain(
      `[Open the dashboard](https://grafana.example/d/x?var-service=check%20out&from=${from}&to=${to})`,
    );
  });

  it("fails at once on a dashboard-url it cannot fill, and says so in the summary", async () => {
    const { failed, summary } = await action(
      errorGate(CLEAN, { "dashboard-url": "https://g.example/{{team}}" }),
    );
    expect(failed).toBe(true);
    expect(summary).toMatch(/^## ❌ aftershock deploy check: configuration error/);
    expect(summary).toContain("dashboard-url uses {{team}}");
  });

  it("writes a summary that says what to fix when an input is wrong", async () => {
    const { failed, summary, stdout } = await action(errorGate(CLEAN, { window: "10x", title: "checkout" }));
    expect(failed).toBe(true);
    expect(summary.split("\n")[0]).toBe("## ❌ checkout: configuration error");
    const message = /::error::aftershock: (.*) \(configuration/.exec(stdout)?.[1];
    expect(message).toBeTruthy();
    expect(summary).toContain(`> ${message}`);
  });

  it("fails the step on a step regression and writes the outputs", async () => {
    const { outputs, failed, stdout } = await action(errorGate(STEP));
    expect(failed).toBe(true);
    expect(outputs.verdict).toBe("fail");
    expect(outputs.severity).toBe("P1");
    // 3 breaching 30 s samples right after the deploy.
    expect(outputs["detected-at"]).toBe("2026-11-26T14:01:30.000Z");
    // The severity names the figure that set it: the median of the window up to detection.
    expect(outputs.reason).toMatch(
      /^check: 3 consecutive samples breached; last: .* above the limit 0\.05; P1 from the window median 0\.0\d+ up to detection$/,
    );
    const errors = commands(stdout, "error");
    expect(errors).toEqual([`aftershock: fail (P1): ${outputs.reason}`]);

    const report = JSON.parse(outputs.report!) as { verdict: string; detectedAt: string; checks: unknown[] };
    expect(report).toMatchObject({ verdict: "fail", detectedAt: "2026-11-26T14:01:30.000Z" });
    expect(report.checks).toHaveLength(1);
    const checks = JSON.parse(outputs.checks!) as Record<
      string,
      { verdict: string; baseline: number; value: number }
    >;
    expect(Object.keys(checks)).toEqual(["check"]);
    expect(checks.check!.verdict).toBe("fail");
    expect(checks.check!.value).toBeGreaterThan(0.05);
    expect(checks.check!.baseline).toBeLessThan(0.01);
    expect(outputs["check-verdict"]).toBe("fail");
    expect(Number(outputs["check-value"])).toBe(checks.check!.value);
  });

  it("declares every output it writes in action.yml (per-check outputs aside)", async () => {
    const { outputs } = await action(errorGate(CLEAN));
    // `incident` is written only when open-incident opens one (tested below); `report-issue` by mode: report.
    const declared = Object.keys(ACTION.outputs).filter((k) => k !== "incident" && k !== "report-issue");
    expect(
      Object.keys(outputs)
        .filter((k) => !/^check-(verdict|value)$/.test(k))
        .sort(),
    ).toEqual([...declared].sort());
  });

  it("writes a job summary with the table row and a chart marking the deploy and the limit", async () => {
    const { summary } = await action(errorGate(STEP, { title: "checkout <prod> gate" }));
    expect(summary.split("\n")[0]).toBe("## ❌ checkout &lt;prod&gt; gate: fail (P1)");
    expect(summary).toContain("Failed at 2026-11-26T14:01:30.000Z (+1m30s).");
    expect(summary).toMatch(
      /^\| check \| [\d.]+ % \| [\d.]+ % \| ≤ 5 % \| \+[\d.]+ % \| – \| ❌ fail P1 \| 3 consecutive samples breached/m,
    );
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(summary)?.[1]?.split("\n") ?? [];
    expect(chart[0]).toBe("xychart-beta");
    // An error-rate check reads in percent: the 0.05 limit is 5 %.
    expect(chart).toContain('  title "check (limit 5 %)"');
    const xAxis = chart.find((l) => l.startsWith("  x-axis"))!;
    expect(xAxis).toContain('"deploy +30s"');
    const lines = chart.filter((l) => l.startsWith("  line ["));
    expect(lines).toHaveLength(2);
    const values = lines[0]!.slice(8, -1).split(", ");
    expect(lines[1]).toBe(`  line [${values.map(() => "5").join(", ")}]`);
  });

  it("passes a clean deploy without failing or warning", async () => {
    const { outputs, failed, stdout, summary } = await action(errorGate(CLEAN));
    expect(failed).toBe(false);
    expect(outputs.verdict).toBe("pass");
    expect(outputs.severity).toBe("");
    expect(outputs["detected-at"]).toBe("");
    expect(commands(stdout, "warning")).toEqual([]);
    expect(commands(stdout, "error")).toEqual([]);
    expect(summary.split("\n")[0]).toBe("## ✅ aftershock deploy check: pass");
  });

  it.each([
    ["fail", STEP, true],
    ["inconclusive", STEP, true],
    ["never", STEP, false],
    ["fail", ZERO, false],
    ["inconclusive", ZERO, true],
    ["never", ZERO, false],
    ["inconclusive", CLEAN, false],
  ])("fail-on %s with %s fails the step: %s", async (failOn, file, shouldFail) => {
    const { outputs, failed, stdout } = await action(errorGate(file, { "fail-on": failOn }));
    expect(failed).toBe(shouldFail);
    const line = `aftershock: ${outputs.verdict}${outputs.severity ? ` (${outputs.severity})` : ""}: ${outputs.reason}`;
    if (shouldFail) {
      expect(commands(stdout, "error")).toEqual([line]);
    } else if (outputs.verdict !== "pass") {
      // A verdict that does not fail the step still shows up as a warning annotation.
      expect(commands(stdout, "warning")).toEqual([line]);
      expect(commands(stdout, "error")).toEqual([]);
    }
  });

  it("names each check's outputs after the check, with unsafe characters replaced", async () => {
    const checks = [
      "- name: error ratio",
      "  query: errors",
      "  absolute-limit: 5%",
      "- name: p99.latency",
      "  query: latency",
      "  critical: false",
    ].join("\n");
    const { outputs } = await action({ "metrics-file": CLEAN, checks, "deploy-time": DEPLOY_ISO });
    expect(outputs["error-ratio-verdict"]).toBe("pass");
    expect(outputs["p99-latency-verdict"]).toBe("pass");
    expect(Object.keys(JSON.parse(outputs.checks!) as object)).toEqual(["error ratio", "p99.latency"]);
  });

  it("reads the checks from checks-file", async () => {
    const file = join(dir, "checks.yaml");
    writeFileSync(file, "checks:\n  - name: errors\n    query: errors\n    absolute-limit: 0.05\n");
    const { outputs } = await action({
      "metrics-file": STEP,
      "checks-file": file,
      "deploy-time": DEPLOY_ISO,
    });
    expect(outputs.verdict).toBe("fail");
    expect(outputs["errors-verdict"]).toBe("fail");
  });
});

describe("the Action's configuration errors", () => {
  it.each([
    [{ window: "10x" }, 'window "10x" is not a duration'],
    [{ "fail-on": "sometimes" }, 'fail-on "sometimes" must be fail, inconclusive or never'],
    [{ "on-no-data": "ignore" }, 'on-no-data "ignore" must be one of inconclusive, pass, fail'],
    [{ checks: "- query: up\n" }, "give either a single query or checks, not both"],
    [
      { "prometheus-headers": "no colon here" },
      'prometheus-headers line 1 has no "Name: value" colon (its content is not shown: it may hold a secret)',
    ],
    [{ "checks-file": "/nonexistent/checks.yaml" }, "cannot read checks-file /nonexistent/checks.yaml"],
  ])("fails the step on %j, saying what to fix", async (bad, message) => {
    const { failed, stdout, outputs } = await action(errorGate(CLEAN, bad));
    expect(failed).toBe(true);
    const [error, ...more] = commands(stdout, "error");
    expect(more).toEqual([]);
    expect(error).toMatch(/^aftershock: /);
    expect(error).toContain(message);
    expect(error).toMatch(/\(configuration: fix the inputs\)$/);
    expect(outputs).toEqual({});
  });

  it("fails the step on a bad seasonality, saying what it takes", async () => {
    const { failed, stdout } = await action(errorGate(CLEAN, { seasonality: "1d,6w" }));
    expect(failed).toBe(true);
    expect(commands(stdout, "error")[0]).toMatch(
      /^aftershock: seasonality "1d,6w" reaches 42d back: at most 35d \(5 weeks\) \(configuration: fix the inputs\)$/,
    );
  });

  it("fails the step when the Prometheus host does not resolve, naming the URL without its credentials", async () => {
    const scope = nock("http://prometheus.typo.example")
      .post("/api/v1/query_range")
      .replyWithError({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND prometheus.typo.example" });
    const { failed, stdout, outputs } = await action({
      ...errorGate(CLEAN),
      "metrics-file": "",
      "prometheus-url": "http://ci:pa55word@prometheus.typo.example",
    });
    expect(scope.isDone()).toBe(true);
    expect(failed).toBe(true);
    const [error, ...more] = commands(stdout, "error");
    expect(more).toEqual([]);
    expect(error).toContain("http://prometheus.typo.example/api/v1/query_range does not resolve");
    expect(error).toContain("check the hostname in the Prometheus URL");
    expect(error).toMatch(/\(configuration: fix the inputs\)$/);
    expect(stdout).not.toContain("pa55word");
    expect(outputs).toEqual({});
  });

  it("names the nearest valid key for a mistyped key in checks", async () => {
    const { failed, stdout } = await action({
      "metrics-file": CLEAN,
      checks: "- query: up\n  relativ-limit: 50%\n",
    });
    expect(failed).toBe(true);
    expect(commands(stdout, "error")[0]).toContain(
      'unknown key "relativ-limit" (did you mean "relative-limit"?)',
    );
  });

  it("fails the step when the metrics file is missing, naming it", async () => {
    const { failed, stdout } = await action(errorGate(join(dir, "missing.json")));
    expect(failed).toBe(true);
    expect(commands(stdout, "error")[0]).toContain(join(dir, "missing.json"));
  });

  it("masks every secret input and header value, and logs none of them", async () => {
    const secrets = {
      "prometheus-token": "prom-token-0001",
      "prometheus-password": "prom-pass-0002",
      "github-token": "ghs_token0003",
    };
    const { stdout, outputs, summary, failed } = await action(
      errorGate(CLEAN, {
        ...secrets,
        "prometheus-username": "reader",
        "prometheus-headers": "X-Scope-OrgID: tenant-0004\nAuthorization: Bearer hdr-0005",
        "mark-deployment": "false",
      }),
    );
    expect(failed).toBe(false);
    const lines = stdout.split("\n");
    // Credential-looking headers are masked; a short tenant id is not (masking it would blank every
    // "tenant" in the log), and it is not a secret.
    expect(lines).not.toContain("::add-mask::tenant-0004");
    for (const secret of [...Object.values(secrets), "Bearer hdr-0005"]) {
      expect(lines, `${secret} is not masked`).toContain(`::add-mask::${secret}`);
      expect(lines.filter((l) => l.includes(secret))).toEqual([`::add-mask::${secret}`]);
    }
    expect(JSON.stringify(outputs) + summary).not.toMatch(/prom-token|prom-pass|ghs_token|hdr-0005/);
  });

  it("masks the secret inputs before a configuration error is reported", async () => {
    const { stdout, failed } = await action(
      errorGate(CLEAN, {
        "prometheus-token": "prom-token-0005",
        "github-token": "ghs_token0006",
        window: "10x",
      }),
    );
    expect(failed).toBe(true);
    const lines = stdout.split("\n");
    const error = lines.findIndex((l) => l.startsWith("::error::"));
    for (const secret of ["prom-token-0005", "ghs_token0006"]) {
      const mask = lines.indexOf(`::add-mask::${secret}`);
      expect(mask).toBeGreaterThanOrEqual(0);
      expect(mask).toBeLessThan(error);
    }
  });
});

describe("marking the GitHub deployment", () => {
  const github = () => nock("https://api.github.com", { reqheaders: { authorization: /ghs_test/ } });

  /** Intercepts the status POST for `id` and hands back the body it received. */
  function statusPost(id: number) {
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github()
      .post(`/repos/o/r/deployments/${id}/statuses`, (body: Record<string, unknown>) => {
        seen.body = body;
        return true;
      })
      .reply(201, { id: 1, state: "failure" });
    return { scope, seen };
  }

  it("marks the given deployment failed, with a short description and the run's URL", async () => {
    const { scope, seen } = statusPost(99);
    // A long check name makes the status line longer than the 140 characters GitHub allows.
    const name = "checkout-error-ratio-of-the-eu-west-1-production-cluster-behind-the-new-load-balancer";
    const { failed, stdout, outputs } = await action(
      errorGate(STEP, { "github-token": "ghs_test", "deployment-id": "99", name }),
    );
    expect(scope.isDone()).toBe(true);
    expect(failed).toBe(true);
    expect(seen.body).toMatchObject({
      state: "failure",
      log_url: "https://github.com/o/r/actions/runs/42",
      auto_inactive: false,
    });
    const description = seen.body!.description as string;
    expect([...description].length).toBeLessThanOrEqual(140);
    // The full line is longer than GitHub allows: it is cut with an ellipsis.
    const full = `aftershock: fail (P1): ${outputs.reason}`;
    expect(full.length).toBeGreaterThan(140);
    expect(description).toBe(`${full.slice(0, 139)}…`);
    expect(stdout).toContain("aftershock: marked deployment 99 as fail");
  });

  it("marks a passing deploy as success", async () => {
    const { scope, seen } = statusPost(7);
    const { failed } = await action(errorGate(CLEAN, { "github-token": "ghs_test", "deployment-id": "7" }));
    expect(scope.isDone()).toBe(true);
    expect(failed).toBe(false);
    expect(seen.body).toMatchObject({
      state: "success",
      description: expect.stringMatching(/^aftershock: pass: /),
    });
  });

  it("marks an inconclusive deploy failed only when fail-on is inconclusive", async () => {
    const strict = statusPost(8);
    await action(
      errorGate(ZERO, { "github-token": "ghs_test", "deployment-id": "8", "fail-on": "inconclusive" }),
    );
    expect(strict.seen.body?.state).toBe("failure");
    // Otherwise it is left unmarked: an unverified deploy must not look known-good to /redeploy.
    const lenient = statusPost(8);
    const { stdout } = await action(errorGate(ZERO, { "github-token": "ghs_test", "deployment-id": "8" }));
    expect(lenient.scope.isDone()).toBe(false);
    expect(stdout).toContain("deployment 8 is left unmarked: the gate was inconclusive");
  });

  it("finds the commit's newest deployment in the environment when no id is given", async () => {
    const list = github()
      .get("/repos/o/r/deployments")
      .query({ sha: "abc123", environment: "production", per_page: "1" })
      .reply(200, [{ id: 555 }]);
    const { scope, seen } = statusPost(555);
    const { failed } = await action(
      errorGate(STEP, { "github-token": "ghs_test", environment: "production" }),
    );
    expect(list.isDone()).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(seen.body?.state).toBe("failure");
    expect(failed).toBe(true);
  });

  it("marks the deployment with the workflow's token when github-token is not given", async () => {
    workflowToken = "ghs_test_workflow";
    const list = nock("https://api.github.com", { reqheaders: { authorization: "token ghs_test_workflow" } })
      .get("/repos/o/r/deployments")
      .query({ sha: "abc123", environment: "production", per_page: "1" })
      .reply(200, [{ id: 556 }]);
    const { scope, seen } = statusPost(556);
    await action(errorGate(STEP, { environment: "production" }));
    expect(list.isDone()).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(seen.body?.state).toBe("failure");
  });

  it("says how to grant or skip marking when the token may not read deployments", async () => {
    workflowToken = "ghs_test_workflow";
    github()
      .get("/repos/o/r/deployments")
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });
    const { failed, stdout } = await action(errorGate(CLEAN));
    expect(failed).toBe(false);
    const [warning] = commands(stdout, "warning");
    expect(warning).toMatch(
      /could not mark the deployment: .*permissions: deployments: write.*mark-deployment: false/,
    );
  });

  it("notes, without a warning or failing a passing step, that the commit has no deployment", async () => {
    const list = github()
      .get("/repos/o/r/deployments")
      .query({ sha: "abc123", environment: "staging", per_page: "1" })
      .reply(200, []);
    const { failed, stdout } = await action(
      errorGate(CLEAN, { "github-token": "ghs_test", environment: "staging" }),
    );
    expect(list.isDone()).toBe(true);
    expect(failed).toBe(false);
    // github-token defaults to the workflow's token: a workflow without deployments must not warn.
    expect(commands(stdout, "warning")).toEqual([]);
    expect(stdout).toContain(
      "aftershock: no GitHub deployment for this commit and environment, so none to mark",
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("does not call GitHub without a token or with mark-deployment false", async () => {
    // Any request would fail against disableNetConnect and fail the step.
    expect((await action(errorGate(CLEAN, { "deployment-id": "99" }))).failed).toBe(false);
    const off = await action(
      errorGate(CLEAN, { "github-token": "ghs_test", "deployment-id": "99", "mark-deployment": "false" }),
    );
    expect(off.failed).toBe(false);
    expect(commands(off.stdout, "error")).toEqual([]);
  });

  it("rejects a deployment-id that is not a number", async () => {
    const { failed, stdout } = await action(
      errorGate(CLEAN, { "github-token": "ghs_test", "deployment-id": "abc" }),
    );
    expect(failed).toBe(true);
    expect(commands(stdout, "error")[0]).toBe(
      'aftershock: deployment-id "abc" must be a number (configuration: fix the inputs)',
    );
  });

  it("reads only inputs declared in action.yml, and every declared one", async () => {
    const { scope } = statusPost(99);
    // A failing gate reads open-incident too (false by default: no issue requests).
    await action(errorGate(STEP, { "github-token": "ghs_test", "deployment-id": "99" }));
    expect(scope.isDone()).toBe(true);
    // mode is read by main.ts; since, incident-label, publish and deployments belong to mode: report.
    const reportMode = ["mode", "since", "incident-label", "publish", "publish-empty", "deployments"];
    expect([...readInputs].sort()).toEqual(
      Object.keys(ACTION.inputs)
        .filter((k) => !reportMode.includes(k))
        .sort(),
    );
  });
});

describe("the Action's inputs reach the gate", () => {
  it("takes action.yml's defaults: seasonality auto, no control", () => {
    setInputs({ query: "up", "deploy-time": DEPLOY_ISO });
    const gate = readGate(now);
    expect(gate.seasonality).toBe("auto");
    expect(gate.checks[0]).not.toHaveProperty("controlQuery");
  });

  it("reads control-query for the single check, and seasonality for the gate", () => {
    setInputs({ query: "errors_canary", "control-query": "errors_stable", seasonality: "off" });
    const gate = readGate(now);
    expect(gate.checks[0]?.controlQuery).toBe("errors_stable");
    expect(gate.seasonality).toBe("off");
  });

  it("reads control-query per check from checks", () => {
    setInputs({
      query: "",
      checks: "- query: errors_canary\n  control-query: errors_stable\n",
      seasonality: "1d",
    });
    const gate = readGate(now);
    expect(gate.checks[0]?.controlQuery).toBe("errors_stable");
    expect(gate.seasonality).toEqual([86_400]);
  });
});

describe("opening the incident from the Action (open-incident)", () => {
  const github = () => nock("https://api.github.com", { reqheaders: { authorization: /ghs_test/ } });

  it("opens the incident issue for a failed deploy when none is open, keyed like the app", async () => {
    const created: { body?: Record<string, unknown> } = {};
    const scope = github()
      .post("/repos/o/r/deployments/99/statuses")
      .reply(201, {})
      .get("/repos/o/r/contents/.github%2Faftershock.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/o/r/issues")
      .query(true)
      .reply(200, [])
      .post("/repos/o/r/issues", (body: Record<string, unknown>) => {
        created.body = body;
        return true;
      })
      .reply(201, { number: 5, html_url: "https://github.com/o/r/issues/5" });
    const { outputs, failed } = await action(
      errorGate(STEP, {
        "github-token": "ghs_test",
        "deployment-id": "99",
        "open-incident": "true",
        service: "checkout",
      }),
    );
    expect(scope.isDone()).toBe(true);
    expect(failed).toBe(true);
    expect(outputs.incident).toBe("https://github.com/o/r/issues/5");
    expect(created.body?.title).toBe("[P1] Deploy check failed: checkout in production");
    expect(created.body?.labels).toEqual(expect.arrayContaining(["incident", "severity:P1"]));
    const record = parseRecord(created.body?.body as string);
    expect(record).toMatchObject({ groupKey: "deploy:99", source: "deploy-check", severity: "P1" });
  });

  it("finds the incident already open for this deploy instead of opening a second one", async () => {
    const existing = renderIncidentBody({
      ...gateIncidentRecord(
        { ...FAKE_REPORT },
        { key: "99", sha: "abc", service: "checkout", environment: "production" },
        new Date(0),
      ),
    });
    const scope = github()
      .post("/repos/o/r/deployments/99/statuses")
      .reply(201, {})
      .get("/repos/o/r/contents/.github%2Faftershock.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/o/r/issues")
      .query(true)
      .reply(200, [
        {
          number: 3,
          html_url: "https://github.com/o/r/issues/3",
          body: existing,
          labels: ["incident"],
          user: { login: "github-actions[bot]", type: "Bot" },
        },
      ])
      // The workflow token cannot read /user: it writes as github-actions[bot], whose issue this is.
      .get("/user")
      .reply(403, { message: "Resource not accessible by integration" });
    const { outputs } = await action(
      errorGate(STEP, { "github-token": "ghs_test", "deployment-id": "99", "open-incident": "true" }),
    );
    expect(scope.isDone()).toBe(true);
    expect(outputs.incident).toBe("https://github.com/o/r/issues/3");
  });
});

const FAKE_REPORT = {
  verdict: "fail" as const,
  severity: "P1" as const,
  detectedAt: 0,
  deployTime: 0,
  baselineSeconds: 1800,
  windowSeconds: 600,
  stepSeconds: 30,
  backtest: true,
  reason: "x",
  checks: [],
};
