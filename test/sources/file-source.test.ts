import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Series } from "../../src/core/gate/types.js";
import { FileSource, FileSourceError, createSource, PrometheusHttpSource } from "../../src/sources/index.js";

const T = 1700000000;
const path = (name: string) => fileURLToPath(new URL(`../fixtures/prometheus/${name}`, import.meta.url));
const values = (s: Series | undefined) => s?.samples.map((p) => p.v);
const times = (s: Series | undefined) => s?.samples.map((p) => p.t - T);
const byLabel = (series: Series[], label: string) =>
  Object.fromEntries(series.map((s) => [s.labels[label] ?? "", values(s)]));

describe("FileSource with a saved query_range response", () => {
  const src = new FileSource({ path: path("query-range-matrix.json") });

  it("answers any query with all its series, re-sampled onto the step grid with a 5-minute lookback", async () => {
    const result = await src.queryRange("whatever the check asks", T + 30, T + 660, 60);
    expect(result.series).toHaveLength(2);
    const [pay, cart] = result.series;
    expect(pay?.labels).toEqual({ service: "checkout", route: "/pay" });
    // Samples at 0..240; each grid point takes the latest sample at or before it, up to 5 minutes old.
    expect(times(pay)).toEqual([30, 90, 150, 210, 270, 330, 390, 450, 510]);
    expect(values(pay)).toEqual([0.01, 0.02, NaN, 0.04, Infinity, Infinity, Infinity, Infinity, Infinity]);
    // Samples at 0, 60 and 600: nothing between 360 (60 + 5 min) and 600.
    expect(times(cart)).toEqual([30, 90, 150, 210, 270, 330, 630]);
    expect(values(cart)).toEqual([0.5, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 0.7]);
    expect(result.warnings).toEqual([
      "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket",
    ]);
    expect(src.name).toContain("query-range-matrix.json");
  });

  it("keeps only the range asked for and drops series with no point in it", async () => {
    const result = await src.queryRange("x", T + 600, T + 600, 60);
    expect(result.series.map((s) => [s.labels.route, values(s)])).toEqual([["/cart", [0.7]]]);
  });
});

describe("re-sampling", () => {
  const content = JSON.stringify({
    series: {
      x: [
        [T, "1"],
        [T + 10, "2"],
        [T + 10, "3"],
      ],
    },
  });

  it("excludes a sample exactly 5 minutes old, as Prometheus 3 does", async () => {
    const single = new FileSource({ content: JSON.stringify({ series: { x: [[T, "1"]] } }) });
    const result = await single.queryRange("x", T, T + 300, 100);
    expect(times(result.series[0])).toEqual([0, 100, 200]);
  });

  it("uses a fractional step and lets the later of duplicate timestamps win", async () => {
    const result = await new FileSource({ content }).queryRange("x", T, T + 10, 2.5);
    expect(times(result.series[0])).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(values(result.series[0])).toEqual([1, 1, 1, 1, 3]);
  });
});

describe("FileSource with OpenMetrics text", () => {
  const src = new FileSource({ path: path("requests.om.txt") });

  it("selects series by name and exact label, reading fractional seconds and ignoring exemplars", async () => {
    const result = await src.queryRange('http_requests_total{code="500"}', T, T + 120, 60);
    expect(result.series).toHaveLength(1);
    expect(result.series[0]?.labels).toEqual({
      __name__: "http_requests_total",
      service: "checkout",
      code: "500",
    });
    // The sample at 60.5 s is after the grid point at 60, so 60 still sees the one at 0.
    expect(values(result.series[0])).toEqual([1, 1, 9]);
    expect(result.warnings).toEqual([]);
  });

  it("returns every series of a bare metric name", async () => {
    const result = await src.queryRange("http_requests_total", T, T + 120, 60);
    expect(result.series.map((s) => `${s.labels.service}/${s.labels.code}`).sort()).toEqual([
      "checkout/200",
      "checkout/500",
      "search/200",
    ]);
  });

  it("supports !=, regex matchers and {__name__=...}", async () => {
    const notCheckout = await src.queryRange('http_requests_total{service!="checkout"}', T, T, 60);
    expect(byLabel(notCheckout.series, "service")).toEqual({ search: [40] });

    const regex = await src.queryRange(
      "http_requests_total{service='checkout', code=~\"2..|5..\"}",
      T,
      T,
      60,
    );
    expect(byLabel(regex.series, "code")).toEqual({ "200": [100], "500": [1] });

    const negRegex = await src.queryRange('http_requests_total{code!~"5.*"}', T, T, 60);
    expect(byLabel(negRegex.series, "service")).toEqual({ checkout: [100], search: [40] });

    const up = await src.queryRange('{__name__="up"}', T, T + 120, 60);
    expect(values(up.series[0])).toEqual([1, NaN, Infinity]);
  });

  it("answers a selector that matches nothing with no series and a warning naming what the file holds", async () => {
    const result = await src.queryRange('http_requests_total{service="payments"}', T, T + 120, 60);
    expect(result.series).toEqual([]);
    expect(result.warnings[0]).toMatch(/No series .* match .*payments.*http_requests_total, up/);
  });

  it("refuses a PromQL expression when the file holds several series, and says why", async () => {
    await expect(src.queryRange("sum(rate(http_requests_total[5m]))", T, T + 60, 60)).rejects.toThrow(
      /only answer plain selectors.*http_requests_total, up/,
    );
  });
});

describe("FileSource with Prometheus text (milliseconds)", () => {
  it("converts millisecond timestamps, and its single series answers any query", async () => {
    const src = new FileSource({ path: path("error-ratio.prom") });
    const result = await src.queryRange("sum(rate(errors[5m])) / sum(rate(requests[5m]))", T, T + 180, 60);
    expect(times(result.series[0])).toEqual([0, 60, 120, 180]);
    expect(values(result.series[0])).toEqual([0.01, 0.02, 0.02, 0.05]);
  });

  it("takes small timestamps without # EOF as seconds", async () => {
    const src = new FileSource({ content: `m 1 ${T}\nm 2 ${T + 60}\n` });
    expect(values((await src.queryRange("m", T, T + 60, 60)).series[0])).toEqual([1, 2]);
  });
});

describe("FileSource with several named series", () => {
  const src = new FileSource({ path: path("series-map.json") });
  const errorQuery = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';

  it("looks up the exact query, and ignores whitespace outside strings", async () => {
    const exact = await src.queryRange(errorQuery, T, T + 120, 60);
    expect(values(exact.series[0])).toEqual([0.01, 0.012, 0.3]);
    expect(exact.series[0]?.labels).toEqual({});

    const spaced = await src.queryRange(
      "histogram_quantile(0.99,sum by(le)(rate(http_request_duration_seconds_bucket[5m] )))",
      T,
      T + 60,
      60,
    );
    expect(values(spaced.series[0])).toEqual([0.25, 0.27]);
  });

  it("does not ignore whitespace inside label values", async () => {
    await expect(src.queryRange(errorQuery.replace('"5.."', '"5 .."'), T, T, 60)).rejects.toThrow(
      FileSourceError,
    );
  });

  it("names the entries it has when the query is not one of them", async () => {
    await expect(src.queryRange("up", T, T, 60)).rejects.toThrow(
      /no entry for the query up; its entries are: sum\(rate/,
    );
  });

  it("answers any query from a single entry", async () => {
    const one = new FileSource({
      content: JSON.stringify({ series: { "error rate": [[T, "0.5"]] } }),
      name: "demo",
    });
    expect(values((await one.queryRange("rate(anything[1m])", T, T, 60)).series[0])).toEqual([0.5]);
    expect(one.name).toBe("file demo");
  });
});

describe("FileSource errors", () => {
  it.each([
    ["", /is empty/],
    ["{ not json", /not valid JSON/],
    ['{"foo": 1}', /neither a Prometheus query_range response/],
    [
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      /Prometheus error \(bad_data\): parse error/,
    ],
    ['{"series": {"q": [[1700000000]]}}', /series "q".*\[timestamp, "value"\]/],
    ["# TYPE m gauge\n# EOF\n", /holds no samples/],
    ['m{a="b"} 1 1700000000\nm{a="b"} 2\n', /line 2: the sample has no timestamp/],
    ["m{a=b} 1 1700000000\n", /line 1: expected a quoted label value/],
  ])("rejects %j", (content, message) => {
    expect(() => new FileSource({ content })).toThrow(message);
  });

  it("says which file it cannot read", () => {
    expect(() => new FileSource({ path: "/nonexistent/metrics.json" })).toThrow(
      /Cannot read the metrics file \/nonexistent\/metrics.json/,
    );
  });
});

describe("createSource", () => {
  it("picks the file source for a file and the HTTP source for a URL", () => {
    expect(createSource({ file: path("requests.om.txt") })).toBeInstanceOf(FileSource);
    const http = createSource({ prometheusUrl: "https://prom.example/prometheus", bearerToken: "t" });
    expect(http).toBeInstanceOf(PrometheusHttpSource);
    expect(http.name).toBe("Prometheus at https://prom.example/prometheus");
  });

  it("refuses both or neither", () => {
    expect(() => createSource({ prometheusUrl: "http://p:9090", file: path("requests.om.txt") })).toThrow(
      /not both/,
    );
    // Names both the Action's inputs and the CLI's flags, so either user knows what to set.
    expect(() => createSource({ prometheusUrl: " " })).toThrow(
      /No metric source: set prometheus-url \(--prometheus-url\) .*, or metrics-file \(--metrics-file\)/,
    );
  });
});
