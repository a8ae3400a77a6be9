import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  MetricSourceError,
  PrometheusError,
  PrometheusHttpSource,
  PrometheusNetworkError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  type PrometheusHttpOptions,
} from "../../src/prometheus/index.js";

const HOST = "http://prom.test:9090";
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/prometheus/${name}`, import.meta.url), "utf8");
const matrix = JSON.parse(fixture("query-range-matrix.json")) as Record<string, unknown>;

/** A source that records its backoff sleeps instead of waiting. */
function source(opts: Partial<PrometheusHttpOptions> = {}) {
  const sleeps: number[] = [];
  const src = new PrometheusHttpSource({
    url: HOST,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...opts,
  });
  return { src, sleeps };
}

const success = (data: unknown, extra: Record<string, unknown> = {}) => ({
  status: "success",
  data,
  ...extra,
});
const vector = (value: string) =>
  success({ resultType: "vector", result: [{ metric: {}, value: [1700000000, value] }] });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
});

async function failure(promise: Promise<unknown>): Promise<MetricSourceError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MetricSourceError);
  return err as MetricSourceError;
}

describe("PrometheusHttpSource requests", () => {
  it("POSTs the range as a form with the bearer token, and parses every series with NaN and ±Inf", async () => {
    let form: URLSearchParams | undefined;
    const scope = nock(HOST, { reqheaders: { authorization: "Bearer s3cret-token" } })
      .post("/api/v1/query_range", (body: string) => {
        form = new URLSearchParams(body);
        return true;
      })
      .matchHeader("content-type", /application\/x-www-form-urlencoded/)
      .reply(200, matrix);
    const { src } = source({ bearerToken: "s3cret-token\n" });

    const result = await src.queryRange('rate(errors{service="checkout"}[5m])', 1700000000, 1700000240, 60);

    scope.done();
    expect(Object.fromEntries(form ?? [])).toEqual({
      query: 'rate(errors{service="checkout"}[5m])',
      start: "1700000000",
      end: "1700000240",
      step: "60",
    });
    expect(result.series).toHaveLength(2);
    expect(result.series[0]?.labels).toEqual({ service: "checkout", route: "/pay" });
    expect(result.series[0]?.samples.map((s) => s.v)).toEqual([0.01, 0.02, NaN, 0.04, Infinity]);
    expect(result.series[1]?.samples).toEqual([
      { t: 1700000000, v: 0.5 },
      { t: 1700000060, v: -Infinity },
      { t: 1700000600, v: 0.7 },
    ]);
  });

  it("returns Prometheus warnings verbatim", async () => {
    nock(HOST).post("/api/v1/query_range").reply(200, matrix);
    const result = await source().src.queryRange("x", 1, 2, 1);
    expect(result.warnings).toEqual([
      "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket",
    ]);
  });

  it("sends basic auth, and takes it from user:password in the URL without showing the password", async () => {
    nock(HOST)
      .post("/api/v1/query_range")
      .basicAuth({ user: "grafana", pass: "p@ss:word" })
      .reply(200, vector("1"));
    await source({ basicAuth: { username: "grafana", password: "p@ss:word" } }).src.queryRange("x", 1, 2, 1);

    nock(HOST)
      .post("/api/v1/query_range")
      .basicAuth({ user: "grafana", pass: "p@ss" })
      .reply(200, vector("2"));
    const { src } = source({ url: "http://grafana:p%40ss@prom.test:9090" });
    const result = await src.queryRange("x", 1, 2, 1);
    expect(result.series[0]?.samples[0]?.v).toBe(2);
    expect(src.name).toBe("Prometheus at http://prom.test:9090/");
  });

  it("sends extra headers such as a tenant id", async () => {
    const scope = nock(HOST)
      .post("/api/v1/query_range")
      .matchHeader("x-scope-orgid", "tenant-1")
      .matchHeader("accept", "application/json")
      .reply(200, vector("1"));
    await source({ headers: { "X-Scope-OrgID": "tenant-1" } }).src.queryRange("x", 1, 2, 1);
    scope.done();
  });

  it.each([
    "http://prom.test:9090/prometheus",
    "http://prom.test:9090/prometheus/",
    "http://prom.test:9090/prometheus/api/v1",
  ])("appends /api/v1 to the path prefix of %s", async (url) => {
    const scope = nock(HOST).post("/prometheus/api/v1/query_range").reply(200, vector("1"));
    await source({ url }).src.queryRange("x", 1, 2, 1);
    scope.done();
  });

  it("runs instant queries: a vector gives one sample per series, a scalar one unlabelled series", async () => {
    let form: URLSearchParams | undefined;
    nock(HOST)
      .post("/api/v1/query", (body: string) => {
        form = new URLSearchParams(body);
        return true;
      })
      .reply(
        200,
        success({
          resultType: "vector",
          result: [
            { metric: { pod: "a" }, value: [1700000000.5, "3"] },
            { metric: { pod: "b" }, value: [1700000000.5, "NaN"] },
          ],
        }),
      );
    const { src } = source();
    const result = await src.query("up", 1700000000.5);
    expect(form?.get("time")).toBe("1700000000.5");
    expect(result.series.map((s) => [s.labels.pod, s.samples])).toEqual([
      ["a", [{ t: 1700000000.5, v: 3 }]],
      ["b", [{ t: 1700000000.5, v: NaN }]],
    ]);

    nock(HOST)
      .post("/api/v1/query")
      .reply(200, success({ resultType: "scalar", result: [1700000000, "-Inf"] }));
    expect((await src.query("scalar(x)")).series).toEqual([
      { labels: {}, samples: [{ t: 1700000000, v: -Infinity }] },
    ]);
  });

  it("explains native histogram results instead of returning empty series", async () => {
    nock(HOST)
      .post("/api/v1/query_range")
      .reply(
        200,
        success({ resultType: "matrix", result: [{ metric: {}, histograms: [[1, { count: "3" }]] }] }),
      );
    const err = await failure(source().src.queryRange("latency", 1, 2, 1));
    expect(err.message).toMatch(/native histograms.*histogram_quantile/);
  });
});

describe("PrometheusHttpSource retries", () => {
  it("retries a 503 with growing backoff and then succeeds", async () => {
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(3)
      .reply(() => {
        requests++;
        return requests <= 2
          ? [503, { status: "error", errorType: "unavailable", error: "busy" }]
          : [200, vector("1")];
      });
    const { src, sleeps } = source({ backoffMs: 100 });
    const result = await src.queryRange("x", 1, 2, 1);
    expect(requests).toBe(3);
    expect(result.series[0]?.samples[0]?.v).toBe(1);
    // Exponential with equal jitter (random fixed at 0.5): 100 → 75, 200 → 150.
    expect(sleeps).toEqual([75, 150]);
  });

  it("gives up after the configured retries and says how many attempts it made", async () => {
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(5)
      .reply(() => {
        requests++;
        return [500, { status: "error", errorType: "internal", error: "boom" }];
      });
    const err = await failure(source({ retries: 2 }).src.queryRange("x", 1, 2, 1));
    expect(requests).toBe(3);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("gave up after 3 attempts");
  });

  it("does not retry a 400 and passes the Prometheus error through verbatim with the query", async () => {
    let requests = 0;
    const error = '1:14: parse error: unexpected "}" in label matching, expected string';
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        return [400, { status: "error", errorType: "bad_data", error }];
      });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("rate(errors{a=}[5m])", 1, 2, 1));
    expect(requests).toBe(1);
    expect(sleeps).toEqual([]);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.message).toContain("bad_data");
    expect(err.message).toContain(error);
    expect(err.message).toContain("rate(errors{a=}[5m])");
    expect((err as PrometheusError).status).toBe(400);
  });

  it("does not retry a 422 execution error either", async () => {
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        return [422, { status: "error", errorType: "execution", error: "many-to-many matching not allowed" }];
      });
    const err = await failure(source().src.queryRange("a / b", 1, 2, 1));
    expect(requests).toBe(1);
    expect(err.message).toContain("execution");
  });

  it("retries 429 and waits at least as long as Retry-After says", async () => {
    nock(HOST).post("/api/v1/query_range").reply(429, "slow down", { "Retry-After": "2" });
    nock(HOST).post("/api/v1/query_range").reply(200, vector("1"));
    const { src, sleeps } = source({ backoffMs: 10 });
    await src.queryRange("x", 1, 2, 1);
    expect(sleeps).toEqual([2000]);
  });

  it("retries network errors, and reports the URL without credentials when they persist", async () => {
    nock(HOST).post("/api/v1/query_range").replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    nock(HOST).post("/api/v1/query_range").reply(200, vector("4"));
    const { src } = source();
    expect((await src.queryRange("x", 1, 2, 1)).series[0]?.samples[0]?.v).toBe(4);

    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .replyWithError({ code: "ECONNREFUSED", message: "refused" });
    const withCreds = source({ url: "http://alice:hunter2@prom.test:9090", retries: 1 });
    const err = await failure(withCreds.src.queryRange("x", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusNetworkError);
    expect(err.attempts).toBe(2);
    expect(err.message).toContain("http://prom.test:9090/api/v1/query_range");
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.message).not.toContain("hunter2");
    expect(err.message).not.toContain("alice");
  });

  it("times out a slow answer, naming the URL and the timeout, and retries it", async () => {
    nock(HOST).post("/api/v1/query_range").delay(500).reply(200, vector("1"));
    const err = await failure(source({ timeoutMs: 50, retries: 0 }).src.queryRange("x", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusTimeoutError);
    expect(err.message).toContain("http://prom.test:9090/api/v1/query_range");
    expect(err.message).toContain("50 ms");

    nock.abortPendingRequests();
    nock.cleanAll();
    nock(HOST).post("/api/v1/query_range").delay(500).reply(200, vector("1"));
    nock(HOST).post("/api/v1/query_range").reply(200, vector("7"));
    const ok = await source({ timeoutMs: 50, retries: 1 }).src.queryRange("x", 1, 2, 1);
    expect(ok.series[0]?.samples[0]?.v).toBe(7);
  });
});

describe("PrometheusHttpSource bad answers", () => {
  it("refuses an answer above maxResponseBytes without reading it all, and does not retry (issue 11, finding 11)", async () => {
    let requests = 0;
    const chunk = "x".repeat(64 * 1024);
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        // 8 MiB, announced without a content-length: the cap must hold while streaming.
        return [
          200,
          Readable.from(
            (function* () {
              for (let i = 0; i < 128; i++) yield chunk;
            })(),
          ),
        ];
      });
    const err = await failure(source({ maxResponseBytes: 1024 * 1024 }).src.queryRange("x", 1, 2, 1));
    expect(requests).toBe(1);
    expect(err).toBeInstanceOf(PrometheusResponseError);
    expect(err.message).toMatch(/larger than 1048576 bytes.*larger step or a shorter range/);
  });

  it("reports an HTML 502 from a proxy with the status and the start of the page, and retries it", async () => {
    const html = fixture("proxy-502.html");
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        return [502, html, { "content-type": "text/html" }];
      });
    const err = await failure(source({ retries: 1 }).src.queryRange("x", 1, 2, 1));
    expect(requests).toBe(2);
    expect(err).toBeInstanceOf(PrometheusResponseError);
    expect(err.message).toContain("HTTP 502");
    expect(err.message).toContain("<title>502 Bad Gateway</title>");
    expect(err.message).not.toContain("two hundred characters"); // cut after ~200 chars
  });

  it("does not retry a 200 login page and says it is not the Prometheus API", async () => {
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        return [200, "<html><body>Sign in with SSO</body></html>"];
      });
    const err = await failure(source().src.queryRange("x", 1, 2, 1));
    expect(requests).toBe(1);
    expect(err.message).toMatch(/HTTP 200 .*not JSON.*Sign in with SSO/);
  });

  it("does not retry a 401, since bad credentials will not get better", async () => {
    let requests = 0;
    nock(HOST)
      .post("/api/v1/query_range")
      .times(2)
      .reply(() => {
        requests++;
        return [401, "Unauthorized"];
      });
    const err = await failure(source({ bearerToken: "s3cret-token" }).src.queryRange("x", 1, 2, 1));
    expect(requests).toBe(1);
    expect(err.message).toContain("HTTP 401");
    expect(err.message).not.toContain("s3cret-token");
  });
});

describe("PrometheusHttpSource options", () => {
  it("rejects unusable options with messages that name the problem but not the secret", () => {
    expect(() => new PrometheusHttpSource({ url: "prom.test:9090" })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new PrometheusHttpSource({ url: "not a url" })).toThrow(/not a valid URL/);
    expect(
      () =>
        new PrometheusHttpSource({
          url: HOST,
          bearerToken: "t",
          basicAuth: { username: "u", password: "p" },
        }),
    ).toThrow(/either a bearer token or basic auth/);
    expect(() => new PrometheusHttpSource({ url: HOST, retries: -1 })).toThrow(/retries/);
    let message = "";
    try {
      new PrometheusHttpSource({ url: HOST, bearerToken: "abc\r\ndef" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/"authorization"/);
    expect(message).not.toContain("abc");
  });

  it("rejects a range Prometheus would reject before sending it", async () => {
    const { src } = source();
    await expect(src.queryRange("x", 10, 5, 1)).rejects.toThrow(/before start/);
    await expect(src.queryRange("x", 1, 5, 0)).rejects.toThrow(/step must be a positive/);
  });
});
