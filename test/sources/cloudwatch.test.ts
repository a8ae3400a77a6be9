import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchSource,
  cloudWatchPeriod,
  metricDataQueries,
  type CloudWatchOptions,
} from "../../src/sources/index.js";
import { T0, failure, fastRetries, useNock } from "./helpers.js";

useNock();

// Static test credentials from the environment: the SDK's default chain reads them first.
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const saved = { ...process.env };
beforeAll(() => {
  delete process.env.AWS_PROFILE;
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  process.env.AWS_SESSION_TOKEN = "test-session-token";
});
afterAll(() => {
  for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete process.env[k];
  Object.assign(process.env, saved);
});

const HOST = "https://monitoring.eu-central-1.amazonaws.com";
const EXPR = `SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer} MetricName="HTTPCode_Target_5XX_Count"', 'Sum'))`;

function source(options: Partial<CloudWatchOptions> = {}) {
  const { sleeps, retry } = fastRetries();
  const src = new CloudWatchSource({ region: "eu-central-1", env: {}, ...retry, ...options });
  return { src, sleeps };
}

/** GetMetricData's JSON protocol answer: epoch-second timestamps, values in the same order. */
function result(id: string, label: string, starts: number[], values: number[], status = "Complete") {
  return { Id: id, Label: label, Timestamps: starts, Values: values, StatusCode: status, Messages: [] };
}

describe("CloudWatchSource", () => {
  it("signs GetMetricData with SigV4 for monitoring in the region, sends the expression with Period = step, and reads the result", async () => {
    let body: Record<string, unknown> = {};
    let authorization = "";
    const scope = nock(HOST)
      .post("/", (b: Record<string, unknown>) => {
        body = b;
        return true;
      })
      .matchHeader("x-amz-target", "GraniteServiceVersion20100801.GetMetricData")
      .matchHeader("content-type", "application/x-amz-json-1.0")
      .matchHeader("x-amz-security-token", "test-session-token")
      .matchHeader("authorization", (v: string) => {
        authorization = v;
        return true;
      })
      .reply(200, {
        MetricDataResults: [result("q", "5xx", [T0 - 60, T0, T0 + 60], [3, 4, 5])],
        Messages: [],
      });

    const out = await source().src.queryRange(EXPR, T0, T0 + 120, 60);

    scope.done();
    expect(authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/eu-central-1/monitoring/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(authorization).not.toContain(SECRET_KEY);
    expect(body.MetricDataQueries).toEqual([{ Id: "q", Expression: EXPR, Period: 60, ReturnData: true }]);
    expect(body.StartTime).toBe(T0 - 60);
    expect(body.EndTime).toBe(T0 + 120);
    expect(body.ScanBy).toBe("TimestampAscending");
    // Periods are stamped at their start: [T0-60, T0) is complete at T0.
    expect(out.series[0]?.labels).toEqual({ id: "q", label: "5xx" });
    expect(out.series[0]?.samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 3],
      [60, 4],
      [120, 5],
    ]);
    expect(out.warnings).toEqual([]);
  });

  it("follows NextToken, keeps several results apart, and says when a step is not a CloudWatch period", async () => {
    const bodies: Record<string, unknown>[] = [];
    nock(HOST)
      .post("/", (b: Record<string, unknown>) => bodies.push(b) > 0)
      .reply(200, {
        MetricDataResults: [
          result("a", "blue", [T0 - 60], [1], "PartialData"),
          result("b", "green", [T0 - 60], [2], "PartialData"),
        ],
        NextToken: "page-2",
      })
      .post("/", (b: Record<string, unknown>) => bodies.push(b) > 0)
      .reply(200, { MetricDataResults: [result("a", "blue", [T0], [3]), result("b", "green", [T0], [4])] });
    const query = JSON.stringify([
      { Id: "a", Expression: "SEARCH('{App,Color} Color=\"blue\"', 'Average')" },
      { Id: "b", Expression: "SEARCH('{App,Color} Color=\"green\"', 'Average')" },
    ]);
    const out = await source().src.queryRange(query, T0, T0 + 45, 45);
    expect(bodies[1]?.NextToken).toBe("page-2");
    expect((bodies[0]?.MetricDataQueries as { Period: number }[])[0]?.Period).toBe(60);
    expect(out.series.map((s) => [s.labels.label, s.samples.map((x) => x.v)])).toEqual([
      ["blue", [1, 1]],
      ["green", [2, 2]],
    ]);
    expect(out.warnings.join()).toMatch(/60s buckets while the step is 45s/);
  });

  it("no data: an empty result is no series", async () => {
    nock(HOST)
      .post("/")
      .reply(200, { MetricDataResults: [result("q", "q", [], [])] });
    expect((await source().src.queryRange(EXPR, T0, T0 + 60, 60)).series).toEqual([]);
  });

  it("a bad expression is quoted verbatim and permanent", async () => {
    const said = "The expression SUM(SERCH()) is not valid: Unknown function SERCH";
    nock(HOST).post("/").reply(
      400,
      { __type: "com.amazonaws.cloudwatch#InvalidParameterValueException", message: said },
      {
        "x-amzn-query-error": "InvalidParameterValue;Sender",
      },
    );
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("SUM(SERCH())", T0, T0 + 60, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`InvalidParameterValueException: ${said}`);
    expect(err.message).toContain("metrics console");
    expect(sleeps).toEqual([]);
  });

  it("throttling (a 400 with code Throttling) and 503 are retried, then the answer is read", async () => {
    nock(HOST)
      .post("/")
      .reply(400, { __type: "Throttling", message: "Rate exceeded" })
      .post("/")
      .reply(503, "Service Unavailable", { "retry-after": "2" })
      .post("/")
      .reply(200, { MetricDataResults: [result("q", "q", [T0 - 60], [9])] });
    const { src, sleeps } = source();
    const out = await src.queryRange(EXPR, T0, T0, 60);
    expect(out.series[0]?.samples).toEqual([{ t: T0, v: 9 }]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBe(2000);
  });

  it("expired or unknown credentials: permanent, naming the credential variables, no secret echoed", async () => {
    nock(HOST).post("/").reply(403, {
      __type: "com.amazon.coral.service#UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
    const err = await failure(source().src.queryRange(EXPR, T0, T0, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /UnrecognizedClientException: The security token included in the request is invalid/,
    );
    expect(err.message).toMatch(/AWS_ACCESS_KEY_ID.*AWS_WEB_IDENTITY_TOKEN_FILE/s);
    expect(err.message).not.toContain(SECRET_KEY);
  });

  it("rejects a malformed MetricDataQuery list before sending it", () => {
    expect(() => metricDataQueries('[{"Id": "Bad"}]', 60)).toThrow(/lower-case letter/);
    expect(() => metricDataQueries("[1, 2", 60)).toThrow(/JSON list of MetricDataQuery/);
    expect(metricDataQueries('[{"Id":"m","MetricStat":{"Stat":"Sum"}}]', 300)).toEqual([
      { Id: "m", MetricStat: { Stat: "Sum", Period: 300 } },
    ]);
  });

  it("maps a step to the smallest valid period", () => {
    expect([1, 4, 10, 30, 31, 60, 90].map(cloudWatchPeriod)).toEqual([1, 5, 10, 30, 60, 60, 120]);
  });
});
