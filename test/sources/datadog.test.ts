import nock from "nock";
import { describe, expect, it } from "vitest";
import { DatadogSource, type DatadogOptions } from "../../src/sources/index.js";
import { T0, failure, fastRetries, useNock } from "./helpers.js";

useNock();

const API_KEY = "dd-api-key-0123456789abcdef";
const APP_KEY = "dd-app-key-fedcba9876543210";
const QUERY = "sum:trace.http.request.errors{service:checkout}.as_rate()";

function source(options: Partial<DatadogOptions> = {}) {
  const { sleeps, retry } = fastRetries();
  const src = new DatadogSource({ apiKey: API_KEY, applicationKey: APP_KEY, ...retry, ...options });
  return { src, sleeps };
}

/** A v1 series as /api/v1/query documents it: pointlist of [ms, value|null], tag_set, interval. */
function series(tags: string[], starts: number[], values: (number | null)[], interval = 60) {
  return {
    metric: "trace.http.request.errors",
    display_name: "trace.http.request.errors",
    unit: null,
    aggr: "sum",
    scope: tags.join(",") || "*",
    tag_set: tags,
    expression: `sum:trace.http.request.errors{${tags.join(",") || "*"}}.as_rate()`,
    interval,
    length: starts.length,
    start: starts[0] !== undefined ? starts[0] * 1000 : 0,
    end: starts.length ? (starts[starts.length - 1] ?? 0) * 1000 + interval * 1000 - 1 : 0,
    pointlist: starts.map((t, i) => [t * 1000, values[i] ?? null]),
  };
}

const ok = (list: unknown[]) => ({
  status: "ok",
  res_type: "time_series",
  resp_version: 1,
  query: QUERY,
  from_date: (T0 - 600) * 1000,
  to_date: (T0 + 120) * 1000,
  group_by: [],
  message: "",
  series: list,
});

describe("DatadogSource", () => {
  it("GETs /api/v1/query on the site with the keys in headers only, and resamples 60 s buckets onto a 30 s grid", async () => {
    let path = "";
    const scope = nock("https://api.datadoghq.eu", {
      reqheaders: { "dd-api-key": API_KEY, "dd-application-key": APP_KEY },
    })
      .get("/api/v1/query")
      .query((q) => {
        path = new URLSearchParams(q as Record<string, string>).toString();
        return q.query === QUERY && Number(q.to) === T0 + 120 && Number(q.from) < T0 - 60;
      })
      .reply(200, ok([series([], [T0 - 60, T0, T0 + 60, T0 + 120], [1, 2, 3, 4])]));
    const { src } = source({ site: "datadoghq.eu" });

    const result = await src.queryRange(QUERY, T0, T0 + 120, 30);

    scope.done();
    expect(path).not.toContain(API_KEY);
    expect(path).not.toContain(APP_KEY);
    // Bucket [T0-60, T0) is complete at T0, [T0, T0+60) at T0+60; [T0+120, …) is still filling.
    expect(result.series).toHaveLength(1);
    expect(result.series[0]?.samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 1],
      [30, 1],
      [60, 2],
      [90, 2],
      [120, 3],
    ]);
    expect(result.warnings.join("\n")).toMatch(/60s buckets while the step is 30s.*rollup\(avg, 30\)/s);
  });

  it("no warning when the rollup is the step; a null point is a gap, not a zero", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(200, ok([series([], [T0 - 60, T0, T0 + 60], [5, null, 7])]));
    const result = await source().src.queryRange(QUERY, T0, T0 + 120, 60);
    expect(result.warnings).toEqual([]);
    expect(result.series[0]?.samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 5],
      [120, 7],
    ]);
  });

  it("several series keep their tags as labels", async () => {
    nock("https://api.us3.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(
        200,
        ok([
          series(["service:checkout", "env:prod"], [T0 - 60], [0.1]),
          series(["service:checkout", "env:canary"], [T0 - 60], [0.9]),
        ]),
      );
    const result = await source({ site: "us3.datadoghq.com" }).src.queryRange(QUERY, T0, T0, 60);
    expect(result.series.map((s) => [s.labels.env, s.samples[0]?.v])).toEqual([
      ["prod", 0.1],
      ["canary", 0.9],
    ]);
    expect(result.series[0]?.labels.__name__).toBe("trace.http.request.errors");
  });

  it("no data: an empty series list is no series, not an error", async () => {
    nock("https://api.datadoghq.com").get("/api/v1/query").query(true).reply(200, ok([]));
    expect(await source().src.queryRange(QUERY, T0, T0 + 60, 30)).toEqual({ series: [], warnings: [] });
  });

  it("a query Datadog cannot parse is quoted verbatim, permanent, with the fix to try", async () => {
    const said =
      "Error parsing query: \n unable to parse sum:trace.http.request.errors{service:checkout: Rule 'scope_expr' didn't match";
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(400, { errors: [said] });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange(QUERY, T0, T0 + 60, 30));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(said);
    expect(err.message).toContain("Metrics Explorer");
    expect(sleeps).toEqual([]);
  });

  it("an error in a 200 answer (status: error) is permanent too", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(200, { status: "error", error: "Invalid query input", series: [] });
    const err = await failure(source().src.queryRange(QUERY, T0, T0 + 60, 30));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("Invalid query input");
  });

  it("429 waits X-RateLimit-Reset seconds and 5xx backs off, then succeeds", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(
        429,
        { errors: ["Rate limit exceeded"] },
        { "x-ratelimit-reset": "7", "x-ratelimit-remaining": "0" },
      )
      .get("/api/v1/query")
      .query(true)
      .reply(503, "<html>upstream unavailable</html>")
      .get("/api/v1/query")
      .query(true)
      .reply(200, ok([series([], [T0 - 60], [1])]));
    const { src, sleeps } = source();
    const result = await src.queryRange(QUERY, T0, T0, 60);
    expect(result.series[0]?.samples).toEqual([{ t: T0, v: 1 }]);
    expect(sleeps[0]).toBe(7000);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeLessThan(7000);
  });

  it("gives up after the retries with the vendor's words and the attempt count", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .times(3)
      .query(true)
      .reply(500, { errors: ["Internal Server Error"] });
    const err = await failure(source({ retries: 2 }).src.queryRange(QUERY, T0, T0, 60));
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(/HTTP 500: Internal Server Error[\s\S]*gave up after 3 attempts/);
  });

  it("403 names both key variables and the site, without echoing either key, and is not retried", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(403, { errors: ["Forbidden"] });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange(QUERY, T0, T0, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/DD_API_KEY.*DD_APPLICATION_KEY.*datadoghq\.com/s);
    expect(err.message).toContain("Forbidden");
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).not.toContain(APP_KEY);
    expect(sleeps).toEqual([]);
  });

  it("a proxy that echoes the key back in its error page has it scrubbed", async () => {
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .reply(400, `bad request for key ${API_KEY}`);
    const err = await failure(source().src.queryRange(QUERY, T0, T0, 60));
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).toContain("[redacted]");
  });

  it("refuses a missing key naming the variable, and an unknown site listing the valid ones", () => {
    expect(() => new DatadogSource({ apiKey: API_KEY })).toThrow(/DD_APPLICATION_KEY/);
    expect(
      () => new DatadogSource({ apiKey: API_KEY, applicationKey: APP_KEY, site: "datadoghq.de" }),
    ).toThrow(/datadoghq\.eu.*ddog-gov\.com/);
    // app.datadoghq.eu as copied from the browser is the datadoghq.eu site.
    expect(
      new DatadogSource({ apiKey: API_KEY, applicationKey: APP_KEY, site: "app.datadoghq.eu" }).name,
    ).toBe("Datadog (datadoghq.eu)");
  });

  it("refuses an answer with more series than a check reads", async () => {
    const many = Array.from({ length: 501 }, (_, i) => series([`host:h${i}`], [T0 - 60], [1]));
    nock("https://api.datadoghq.com").get("/api/v1/query").query(true).reply(200, ok(many));
    const err = await failure(source().src.queryRange(QUERY, T0, T0, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/501 series/);
  });
});

describe("network failures, classified as for Prometheus", () => {
  const fail = (code: string, times = 1) =>
    nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .times(times)
      .replyWithError({ code, message: `${code} talking to api.datadoghq.com` });

  it.each(["ENOTFOUND", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "ERR_SSL_WRONG_VERSION_NUMBER"])(
    "does not retry %s: the same request fails the same way",
    async (code) => {
      const scope = fail(code);
      const { src, sleeps } = source();
      const err = await failure(src.queryRange(QUERY, T0, T0, 60));
      expect(err.retryable).toBe(false);
      expect(err.message).toContain(code);
      expect(sleeps).toHaveLength(0);
      expect(scope.isDone()).toBe(true);
    },
  );

  it("retries a refused connection, then reports it as transient", async () => {
    fail("ECONNREFUSED", 10);
    const { src, sleeps } = source();
    const err = await failure(src.queryRange(QUERY, T0, T0, 60));
    expect(err.retryable).toBe(true);
    expect(sleeps.length).toBeGreaterThan(0);
  });
});
