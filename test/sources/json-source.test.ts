import nock from "nock";
import { describe, expect, it } from "vitest";
import { JsonSource, type JsonSourceOptions } from "../../src/sources/index.js";
import { parseSelector, select } from "../../src/sources/json-selector.js";
import { T0, failure, fastRetries, useNock } from "./helpers.js";

useNock();

const TOKEN = "json-endpoint-token-0123456789";
const HOST = "https://metrics.example.test";

function source(options: Partial<JsonSourceOptions> = {}) {
  const { sleeps, retry } = fastRetries();
  const src = new JsonSource({
    url: `${HOST}/api/series?q={{query}}&from={{start}}&to={{end}}&step={{step}}`,
    headers: { Authorization: "Bearer ${METRICS_TOKEN}" },
    timestamps: "$.points[*][0]",
    values: "$.points[*][1]",
    env: { METRICS_TOKEN: TOKEN },
    ...retry,
    ...options,
  });
  return { src, sleeps };
}

describe("JsonSource", () => {
  it("GETs the templated URL (query encoded), sends the secret header, and reads timestamps and values by selector", async () => {
    const scope = nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get("/api/series")
      .query({ q: 'errors{app="checkout"} / 2', from: String(T0 - 30), to: String(T0 + 60), step: "30" })
      .reply(200, {
        points: [
          [T0, 1],
          [T0 + 30, "2"],
          [(T0 + 60) * 1000, 3],
        ],
      });
    const out = await source().src.queryRange('errors{app="checkout"} / 2', T0, T0 + 60, 30);
    scope.done();
    expect(out.series).toEqual([
      {
        labels: {},
        samples: [
          { t: T0, v: 1 },
          { t: T0 + 30, v: 2 },
          { t: T0 + 60, v: 3 },
        ],
      },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it("POSTs a JSON body with the values JSON-escaped, several series labelled by a selector, ISO timestamps", async () => {
    let sent: unknown;
    nock(HOST)
      .post("/query", (b: unknown) => ((sent = b), true))
      .reply(200, {
        results: [
          { name: "blue", data: [{ at: new Date(T0 * 1000).toISOString(), value: 0.1 }] },
          {
            name: "green",
            data: [
              { at: new Date(T0 * 1000).toISOString(), value: null },
              { at: new Date((T0 + 60) * 1000).toISOString(), value: 0.3 },
            ],
          },
        ],
      });
    const out = await source({
      url: `${HOST}/query`,
      body: '{"expr": "{{query}}", "from": {{startMs}}, "to": {{endMs}}}',
      series: "$.results[*]",
      label: "$.name",
      timestamps: "$.data[*].at",
      values: "$.data[*].value",
    }).src.queryRange('rate("x")', T0, T0 + 60, 60);
    expect(sent).toEqual({ expr: 'rate("x")', from: (T0 - 60) * 1000, to: (T0 + 60) * 1000 });
    expect(out.series.map((s) => [s.labels.series, s.samples.map((p) => p.v)])).toEqual([
      ["blue", [0.1]],
      ["green", [0.3]],
    ]);
  });

  it("no data: an empty list is no series", async () => {
    nock(HOST).get("/api/series").query(true).reply(200, { points: [] });
    expect((await source().src.queryRange("q", T0, T0 + 60, 30)).series).toEqual([]);
  });

  it("coarser points than the step are resampled with a warning", async () => {
    nock(HOST)
      .get("/api/series")
      .query(true)
      .reply(200, {
        points: [
          [T0, 1],
          [T0 + 60, 2],
          [T0 + 120, 3],
        ],
      });
    const out = await source().src.queryRange("q", T0, T0 + 120, 30);
    expect(out.series[0]?.samples.map((s) => s.v)).toEqual([1, 1, 2, 2, 3]);
    expect(out.warnings.join()).toMatch(/60s buckets while the step is 30s/);
  });

  it("429 with Retry-After and 500 are retried; 404 is permanent and quotes the body; the token never shows", async () => {
    nock(HOST)
      .get("/api/series")
      .query(true)
      .reply(429, "slow down", { "retry-after": "4" })
      .get("/api/series")
      .query(true)
      .reply(500, "oops")
      .get("/api/series")
      .query(true)
      .reply(200, { points: [[T0, 5]] });
    const first = source();
    expect((await first.src.queryRange("q", T0, T0, 30)).series[0]?.samples).toEqual([{ t: T0, v: 5 }]);
    expect(first.sleeps[0]).toBe(4000);

    nock(HOST).get("/api/series").query(true).reply(404, `{"error":"no such metric q (token ${TOKEN})"}`);
    const second = source();
    const err = await failure(second.src.queryRange("q", T0, T0, 30));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("no such metric q");
    expect(err.message).not.toContain(TOKEN);
    expect(second.sleeps).toEqual([]);
  });

  it("401 points at the header's environment variable", async () => {
    nock(HOST).get("/api/series").query(true).reply(401, "unauthorized");
    const err = await failure(source().src.queryRange("q", T0, T0, 30));
    expect(err.message).toMatch(/HTTP 401: unauthorized[\s\S]*json-headers/);
  });

  it("a slow endpoint times out, is retried, and the error says so", async () => {
    nock(HOST).get("/api/series").query(true).times(2).delay(300).reply(200, { points: [] });
    const err = await failure(source({ timeoutMs: 50, retries: 1 }).src.queryRange("q", T0, T0, 30));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/within 50 ms.*gave up after 2 attempts/s);
  });

  it("an answer larger than the cap is refused without being retried", async () => {
    nock(HOST)
      .get("/api/series")
      .query(true)
      .reply(200, JSON.stringify({ points: [], pad: "x".repeat(5000) }));
    const { src, sleeps } = source({ maxBytes: 1000 } as Partial<JsonSourceOptions>);
    const err = await failure(src.queryRange("q", T0, T0, 30));
    expect(err.message).toMatch(/more than/);
    expect(sleeps).toEqual([]);
  });

  it("mismatched selectors and non-numbers are explained", async () => {
    nock(HOST)
      .get("/api/series")
      .query(true)
      .reply(200, { points: [[T0, 1], [T0 + 30]] });
    expect((await failure(source().src.queryRange("q", T0, T0, 30))).message).toMatch(
      /selects 2 values but json-values selects 1/,
    );
    nock(HOST)
      .get("/api/series")
      .query(true)
      .reply(200, { points: [[T0, "high"]] });
    expect((await failure(source().src.queryRange("q", T0, T0, 30))).message).toMatch(
      /"high", which is not a number/,
    );
  });

  it("refuses secrets in the URL, unknown template variables, a missing env variable, and bad selectors", () => {
    expect(() => source({ url: `${HOST}/x?key=\${METRICS_TOKEN}` })).toThrow(/must not hold/);
    expect(() => source({ url: `${HOST}/x?q={{service}}` })).toThrow(/\{\{service\}\}.*\{\{query\}\}/);
    expect(() => source({ env: {} })).toThrow(/METRICS_TOKEN, which is not set/);
    expect(() => source({ values: "points[*]" })).toThrow(/json-values: a selector starts with \$/);
  });
});

describe("json selector", () => {
  const doc = {
    a: { "b-c": [{ v: 1 }, { v: 2 }, { w: 3 }] },
    list: [
      [1, 2],
      [3, 4],
    ],
  };
  it("walks keys, quoted keys, indexes (negative too) and wildcards", () => {
    expect(select(doc, parseSelector("$.a['b-c'][*].v"))).toEqual([1, 2]);
    expect(select(doc, parseSelector('$.a["b-c"][-1].w'))).toEqual([3]);
    expect(select(doc, parseSelector("$.list[*][1]"))).toEqual([2, 4]);
    expect(select(doc, parseSelector("$.a.*"))).toEqual([doc.a["b-c"]]);
    expect(select(doc, parseSelector("$.missing[*]"))).toEqual([]);
  });
  it("refuses what it does not understand, with the position", () => {
    expect(() => parseSelector("$.a[?(@.v > 1)]")).toThrow(/must be \[n\], \[\*\] or \["name"\]/);
    expect(() => parseSelector("$.a[0")).toThrow(/unclosed \[ at position 4/);
    expect(() => parseSelector(`$${".a".repeat(40)}`)).toThrow(/more than 32 steps/);
  });
  it("stops a selector that matches too much", () => {
    const big = { xs: Array.from({ length: 100_001 }, () => 1) };
    expect(() => select(big, parseSelector("$.xs[*]"))).toThrow(/more than 100000/);
  });
});

describe("network failures", () => {
  it("a host that does not resolve is permanent; a reset connection is retried", async () => {
    nock(HOST)
      .get("/api/series")
      .query(true)
      .replyWithError({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND metrics.example.test" });
    const dns = source();
    const err = await failure(dns.src.queryRange("q", T0, T0, 30));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/ENOTFOUND.*check the endpoint/);
    expect(dns.sleeps).toEqual([]);

    nock(HOST)
      .get("/api/series")
      .query(true)
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" })
      .get("/api/series")
      .query(true)
      .reply(200, { points: [[T0, 1]] });
    const reset = source();
    expect((await reset.src.queryRange("q", T0, T0, 30)).series).toHaveLength(1);
    expect(reset.sleeps).toHaveLength(1);
  });
});
