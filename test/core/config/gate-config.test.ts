import { describe, expect, it } from "vitest";
import { CHECK_DEFAULTS, GATE_DEFAULTS } from "../../../src/core/gate/defaults.js";
import { ConfigError } from "../../../src/core/errors.js";
import { buildGate, parseChecksYaml, parseTime } from "../../../src/core/config/gate-config.js";
import { DEFAULT_SEVERITY_BANDS, parseSeverityBands } from "../../../src/core/gate/severity.js";

const DEPLOY_ISO = "2026-11-26T14:00:00Z";
const DEPLOY = Date.UTC(2026, 10, 26, 14, 0, 0) / 1000;
const clock = (t: number) => () => t;

/** The ConfigError a call throws (fails the test when it throws nothing or something else). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

const TWO_CHECKS = `
- name: errors
  query: sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
  absolute-limit: 5%
  relative-limit: "50%"
  error-rate: true
  traffic-query: sum(rate(http_requests_total[1m]))
  min-traffic: 2
  min-samples: 7
- name: orders
  query: sum(rate(orders_total[1m]))
  direction: decrease
  relative-limit: 0.3
  critical: false
  aggregate: sum
  alpha: 0.05
  min-effect: 10%
  z-threshold: 3
`;

describe("parseChecksYaml", () => {
  it("maps the kebab-case keys of a list onto check specs, with percentages as fractions", () => {
    const [errors, orders] = parseChecksYaml(TWO_CHECKS);
    expect(errors).toEqual({
      ...CHECK_DEFAULTS,
      name: "errors",
      query: 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))',
      absoluteLimit: 0.05,
      relativeLimit: 0.5,
      errorRate: true,
      minDelta: 0.001, // the error-rate default floor
      trafficQuery: "sum(rate(http_requests_total[1m]))",
      minTraffic: 2,
      minSamples: 7,
    });
    expect(orders).toEqual({
      ...CHECK_DEFAULTS,
      name: "orders",
      query: "sum(rate(orders_total[1m]))",
      direction: "decrease",
      relativeLimit: 0.3,
      critical: false,
      aggregate: "sum",
      alpha: 0.05,
      minEffect: 0.1,
      zThreshold: 3,
    });
  });

  it("reads the same checks from a { checks: [...] } document", () => {
    const nested = `checks:\n${TWO_CHECKS.replace(/^/gm, "  ")}`;
    expect(parseChecksYaml(nested)).toEqual(parseChecksYaml(TWO_CHECKS));
  });

  it("names unnamed checks check, check-2, … and fills in every default", () => {
    const checks = parseChecksYaml("- query: a\n- query: b\n- query: c\n");
    expect(checks.map((c) => c.name)).toEqual(["check", "check-2", "check-3"]);
    for (const c of checks) expect(c).toMatchObject(CHECK_DEFAULTS);
  });

  it.each([
    ["50%", 0.5],
    ["5 %", 0.05],
    ["0.5%", 0.005],
    ["0.25", 0.25],
    ["1e-3", 0.001],
  ])("reads the limit %j as %d", (text, value) => {
    const [check] = parseChecksYaml(`- query: up\n  relative-limit: "${text}"\n`);
    expect(check?.relativeLimit).toBeCloseTo(value, 12);
  });

  it("accepts booleans and whole numbers written as strings", () => {
    const [check] = parseChecksYaml(
      `- query: up\n  error-rate: "true"\n  critical: "false"\n  min-samples: "9"\n`,
    );
    expect(check).toMatchObject({ errorRate: true, critical: false, minSamples: 9 });
  });

  it("rejects an unknown key, naming the key and where it is", () => {
    const list = configError(() => parseChecksYaml("- query: up\n  foo: 1\n"));
    expect(list.message).toContain("checks[0]");
    expect(list.message).toContain('"foo"');
    const nested = configError(() =>
      parseChecksYaml("checks:\n  - query: up\n  - query: x\n    treshold: 1\n"),
    );
    expect(nested.message).toContain("checks[1]");
    expect(nested.message).toContain('"treshold"');
    const top = configError(() => parseChecksYaml("checks: []\nwindow: 10m\n"));
    expect(top.message).toContain('"window"');
  });

  it("uses the caller's name for the document in messages", () => {
    expect(configError(() => parseChecksYaml("- query: up\n  foo: 1\n", "checks-file")).message).toMatch(
      /^checks-file\[0\]/,
    );
  });

  it("says a document is not valid YAML, with the parser's position", () => {
    const err = configError(() => parseChecksYaml("- query: [up\n- name: x\n"));
    expect(err.message).toMatch(/^checks is not valid YAML: /);
    expect(err.message).toMatch(/line \d+/);
  });

  // A mistake inside one check of a list must be reported at that check's field, not as a bare
  // "checks: Invalid input" (the list-or-object union must not swallow the inner error).
  it("names the field of a bad value inside a list of checks", () => {
    const err = configError(() => parseChecksYaml("- query: up\n- query: x\n  direction: sideways\n"));
    expect(err.message).toContain("checks[1].direction");
    expect(err.message).toMatch(/increase/);
  });

  it("says which check lacks a query", () => {
    const err = configError(() => parseChecksYaml("- name: errors\n"));
    expect(err.message).toContain("checks[0].query");
    expect(err.message).toContain("a check needs a query (PromQL)");
  });

  it("explains a document that is neither a list nor { checks: [...] }", () => {
    for (const doc of ["just a string", ""]) {
      const err = configError(() => parseChecksYaml(doc));
      expect(err.message).toMatch(/^checks/);
      expect(err.message).toMatch(/list|array|checks:/i);
    }
  });

  // "1.2.3" passes the number-or-percentage pattern but is NaN: a limit that can never breach.
  it.each(["1.2.3", ".", "1..5%"])("rejects the malformed number %j instead of reading NaN", (text) => {
    const err = configError(() => parseChecksYaml(`- query: up\n  absolute-limit: "${text}"\n`));
    expect(err.message).toContain("checks[0].absolute-limit");
  });
});

describe("parseTime", () => {
  const now = clock(1_800_000_000.75);

  it("reads ISO 8601 with a zone, and Unix seconds", () => {
    expect(parseTime(DEPLOY_ISO, now)).toBe(DEPLOY);
    expect(parseTime("2026-11-26T15:00:00+01:00", now)).toBe(DEPLOY);
    expect(parseTime("2026-11-26T14:00:00.500Z", now)).toBe(DEPLOY + 0.5);
    expect(parseTime(String(DEPLOY), now)).toBe(DEPLOY);
    expect(parseTime(`${DEPLOY}.25`, now)).toBe(DEPLOY + 0.25);
    expect(parseTime(`  ${DEPLOY_ISO}  `, now)).toBe(DEPLOY);
  });

  it('takes "now", an empty string and no value as the current second', () => {
    for (const v of ["now", "", "   ", undefined]) expect(parseTime(v, now)).toBe(1_800_000_000);
  });

  it.each(["garbage", "2026-13-45T99:00:00Z", "yesterday"])("rejects %j with the accepted forms", (text) => {
    const err = configError(() => parseTime(text, now));
    expect(err.message).toContain(`deploy-time "${text}" is not a time`);
    expect(err.message).toContain("ISO 8601");
    expect(err.message).toContain("Unix seconds");
    expect(err.message).toContain('"now"');
  });

  // Date.parse's legacy fallback reads these as dates in 2001; a deploy gate must not silently
  // check a window 25 years in the past.
  it.each(["-5", "Nov 26 14:00"])("rejects %j rather than reading a year-2001 date", (text) => {
    expect(() => parseTime(text, now)).toThrow(/deploy-time/);
  });
});

describe("buildGate", () => {
  const now = clock(DEPLOY + 3600);

  it("applies the defaults to a single query, treating empty strings as unset", () => {
    const gate = buildGate(
      {
        query: "  up  ",
        name: "",
        direction: "",
        "absolute-limit": "",
        window: "",
        baseline: " ",
        step: "",
        "on-no-data": "",
        "failure-limit": "",
        "severity-bands": "",
        service: "",
      },
      now,
    );
    expect(gate).toEqual({
      ...GATE_DEFAULTS,
      deployTime: DEPLOY + 3600,
      severityBands: [...DEFAULT_SEVERITY_BANDS],
      vars: { service: undefined, environment: undefined, version: undefined },
      checks: [{ ...CHECK_DEFAULTS, name: "check", query: "up" }],
    });
  });

  it("reads every single-check and gate field", () => {
    const gate = buildGate(
      {
        query: "errors",
        name: "error-ratio",
        direction: "decrease",
        "absolute-limit": "0.05",
        "relative-limit": "50%",
        "error-rate": "true",
        aggregate: "max",
        "traffic-query": "traffic",
        "min-traffic": "1.5",
        "min-samples": "4",
        "deploy-time": DEPLOY_ISO,
        baseline: "1h",
        window: "15m",
        step: "1m",
        "failure-limit": "5",
        "query-delay": "45s",
        seasonality: "7d, 1d",
        history: "3d",
        "control-query": "errors_stable",
        "on-no-data": "fail",
        "severity-bands": "P1:>10%,P2:2%,P3:0",
        service: " checkout ",
        environment: "production",
        version: "v1.2.3",
      },
      now,
    );
    expect(gate.severityBands.map((b) => [b.severity, b.min, !!b.exclusive])).toEqual([
      ["P1", 0.1, true],
      ["P2", 0.02, false],
      ["P3", 0, false],
    ]);
    expect(gate).toEqual({
      deployTime: DEPLOY,
      baselineSeconds: 3600,
      windowSeconds: 900,
      stepSeconds: 60,
      failureLimit: 5,
      queryDelaySeconds: 45,
      seasonality: [86_400, 604_800],
      history: 3 * 86_400,
      onNoData: "fail",
      severityBands: parseSeverityBands("P1:>10%,P2:2%,P3:0"),
      vars: { service: "checkout", environment: "production", version: "v1.2.3" },
      checks: [
        {
          ...CHECK_DEFAULTS,
          name: "error-ratio",
          query: "errors",
          controlQuery: "errors_stable",
          direction: "decrease",
          absoluteLimit: 0.05,
          relativeLimit: 0.5,
          errorRate: true,
          minDelta: 0.001,
          aggregate: "max",
          trafficQuery: "traffic",
          minTraffic: 1.5,
          minSamples: 4,
        },
      ],
    });
  });

  it("builds several checks from the checks YAML", () => {
    const gate = buildGate({ checks: TWO_CHECKS, window: "5m" }, now);
    expect(gate.checks.map((c) => c.name)).toEqual(["errors", "orders"]);
    expect(gate.windowSeconds).toBe(300);
  });

  it("refuses both a query and checks, and neither", () => {
    expect(configError(() => buildGate({ query: "up", checks: TWO_CHECKS }, now)).message).toBe(
      "give either a single query or checks, not both",
    );
    expect(configError(() => buildGate({ query: " ", checks: "" }, now)).message).toMatch(
      /^no check given: set query .* or checks/,
    );
  });

  it.each([
    [{ window: "10x" }, 'window "10x" is not a duration'],
    [{ baseline: "-5m" }, 'baseline "-5m" must be greater than zero'],
    [{ step: "soon" }, 'step "soon" is not a duration'],
    [{ "on-no-data": "ignore" }, 'on-no-data "ignore" must be one of inconclusive, pass, fail'],
    [{ "failure-limit": "0" }, 'failure-limit "0" must be a whole number of at least 1'],
    [{ "failure-limit": "2.5" }, 'failure-limit "2.5" must be a whole number'],
    [{ "severity-bands": "P9:1" }, 'severity band "P9:1" must look like'],
    [{ "deploy-time": "tomorrow-ish" }, 'deploy-time "tomorrow-ish" is not a time'],
    [{ direction: "sideways" }, "input direction"],
    [{ aggregate: "median" }, "input aggregate"],
    [{ "error-rate": "yes" }, "input error-rate"],
  ])("explains the bad input %j", (bad, message) => {
    const err = configError(() => buildGate({ query: "up", ...bad }, now));
    expect(err.message).toContain(message);
  });

  // Each message must say what is expected, not only "Invalid input".
  it("says what a number field expects", () => {
    const samples = configError(() => buildGate({ query: "up", "min-samples": "many" }, now));
    expect(samples.message).toContain("input min-samples");
    expect(samples.message).toContain("whole number");
    const limit = configError(() => buildGate({ query: "up", "relative-limit": "lots" }, now));
    expect(limit.message).toContain("input relative-limit");
    expect(limit.message).toContain("percentage");
  });
});

describe("deploy-time in the future", () => {
  const now = () => Date.parse("2026-11-26T14:00:00Z") / 1000;
  it("is refused beyond a few minutes of clock skew, and milliseconds are named", () => {
    expect(() => buildGate({ query: "q", "deploy-time": "2026-11-26T15:00:00Z" }, now)).toThrow(
      "deploy-time 2026-11-26T15:00:00.000Z is in the future: give the time the deploy happened",
    );
    expect(() => buildGate({ query: "q", "deploy-time": "1795701600000" }, now)).toThrow(
      /is in the future \(Unix time must be in seconds, not milliseconds\)/,
    );
    expect(buildGate({ query: "q", "deploy-time": "2026-11-26T14:02:00Z" }, now).deployTime).toBe(
      now() + 120,
    );
  });
});

describe("unknown keys in checks YAML", () => {
  it("suggests the key a typo was meant to be, and lists the valid ones", () => {
    const err = configError(() => parseChecksYaml("- query: up\n  absolut-limit: 5%\n"));
    expect(err.message).toContain('checks[0]: unknown key "absolut-limit" (did you mean "absolute-limit"?)');
    for (const key of ["query", "control-query", "relative-limit", "critical", "z-threshold"])
      expect(err.message).toContain(key);
  });

  it("offers no guess for a key like no valid one, but still lists them", () => {
    const err = configError(() => parseChecksYaml("- query: up\n  colour: red\n"));
    expect(err.message).not.toContain("did you mean");
    expect(err.message).toMatch(/the keys of a check are query, .*z-threshold/);
  });

  it("suggests checks for a mistyped wrapper key", () => {
    expect(configError(() => parseChecksYaml("chekcs:\n  - query: up\n")).message).toBe(
      'checks: unknown key "chekcs" (did you mean "checks"?)',
    );
  });

  it("says a gate setting inside a check belongs to the whole gate", () => {
    const err = configError(() => parseChecksYaml("- query: up\n  window: 5m\n  seasonality: off\n"));
    expect(err.message.split("\n")).toEqual([
      'checks[0]: "window" is a setting of the whole gate, not of one check: give it as an input or flag',
      'checks[0]: "seasonality" is a setting of the whole gate, not of one check: give it as an input or flag',
    ]);
  });
});

describe("seasonality", () => {
  const now = clock(DEPLOY + 3600);
  const season = (value?: string) => buildGate({ query: "up", seasonality: value }, now).seasonality;

  it("is auto by default, and reads auto and off", () => {
    expect(season()).toBe("auto");
    expect(season("")).toBe("auto");
    expect(season("off")).toBe("off");
    expect(season(" Auto ")).toBe("auto");
  });

  it("reads offsets as seconds, smallest first", () => {
    expect(season("1d,7d")).toEqual([86_400, 604_800]);
    expect(season("7d, 1d")).toEqual([86_400, 604_800]);
    expect(season("1w,12h,2w,35d")).toEqual([43_200, 604_800, 1_209_600, 3_024_000]);
  });

  it.each([
    ["sometimes", /seasonality "sometimes" must be auto, off, or durations like 1d,7d/],
    ["1d,", /seasonality "1d," must be auto, off, or durations separated by commas/],
    ["1d,-7d", /offset "-7d" must be greater than zero/],
    ["0d", /offset "0d" must be greater than zero/],
    ["1d,weekly", /offset "weekly" is not a duration/],
    ["1d,2d,3d,4d,5d", /lists 5 offsets: at most 4/],
    ["1d,36d", /reaches 36d back: at most 35d \(5 weeks\)/],
    ["1d,1d", /lists the same offset twice/],
    [
      "5m",
      /seasonality offset 5m is shorter than the window 10m: the earlier window would overlap the deploy/,
    ],
  ])("refuses %j, saying why", (value, message) => {
    expect(configError(() => season(value)).message).toMatch(message);
  });

  it("measures an offset against the window actually given", () => {
    expect(buildGate({ query: "up", seasonality: "5m", window: "5m" }, now).seasonality).toEqual([300]);
  });
});

describe("control-query", () => {
  const now = clock(DEPLOY + 3600);

  it("reaches the single check", () => {
    const gate = buildGate({ query: "canary_errors", "control-query": " stable_errors " }, now);
    expect(gate.checks[0]?.controlQuery).toBe("stable_errors");
    expect(buildGate({ query: "canary_errors" }, now).checks[0]).not.toHaveProperty("controlQuery");
  });

  it("is a per-check key in checks YAML", () => {
    const [canary, plain] = parseChecksYaml(
      '- name: canary\n  query: errors{track="canary"}\n  control-query: errors{track="stable"}\n- query: up\n',
    );
    expect(canary?.controlQuery).toBe('errors{track="stable"}');
    expect(plain).not.toHaveProperty("controlQuery");
    expect(configError(() => parseChecksYaml('- query: up\n  control-query: ""\n')).message).toContain(
      "checks[0].control-query",
    );
  });
});
