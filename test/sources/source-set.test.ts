import nock from "nock";
import { describe, expect, it } from "vitest";
import { makeCheck, makeGate } from "../../src/core/gate/defaults.js";
import { runGate } from "../../src/core/gate/gate.js";
import { SourceSet, createSource, defaultKindOf } from "../../src/sources/index.js";
import { T0, fastRetries, useNock } from "./helpers.js";

useNock();

const DD_KEYS = { apiKey: "dd-api-key-0123456789abcdef", applicationKey: "dd-app-key-fedcba9876543210" };

/** Datadog's answer for the asked range: 60 s buckets, `value(t)` at each bucket start. */
function datadogAnswer(uri: string, value: (t: number) => number) {
  const q = new URL(uri, "https://api.datadoghq.com").searchParams;
  const from = Math.floor(Number(q.get("from")) / 60) * 60;
  const to = Number(q.get("to"));
  const pointlist: [number, number][] = [];
  for (let t = from; t <= to; t += 60) pointlist.push([t * 1000, value(t)]);
  return {
    status: "ok",
    res_type: "time_series",
    series: [{ metric: "errors", tag_set: [], interval: 60, pointlist }],
  };
}

/** Prometheus' answer for the asked range: one flat series. */
function prometheusAnswer(body: string, value: number) {
  const form = new URLSearchParams(body);
  const values: [number, string][] = [];
  for (let t = Number(form.get("start")); t <= Number(form.get("end")); t += Number(form.get("step"))) {
    values.push([t, String(value)]);
  }
  return { status: "success", data: { resultType: "matrix", result: [{ metric: {}, values }] } };
}

describe("SourceSet and per-check sources", () => {
  it("runs each check against its own source: a Datadog regression fails the gate, the Prometheus check passes", async () => {
    const deploy = T0;
    const dd = nock("https://api.datadoghq.com")
      .get("/api/v1/query")
      .query(true)
      .times(2)
      .reply(200, (uri) => datadogAnswer(uri, (t) => (t >= deploy ? 0.5 : 0.01)));
    const prom = nock("http://prom.test:9090")
      .post("/api/v1/query_range")
      .times(2)
      .reply(200, (_uri, body) => prometheusAnswer(String(body), 0.2));
    const { retry } = fastRetries();
    const sources = new SourceSet({
      ...retry,
      prometheus: { url: "http://prom.test:9090" },
      datadog: DD_KEYS,
    });
    const gate = makeGate({
      deployTime: deploy,
      seasonality: "off",
      history: "off",
      baselineSeconds: 600,
      windowSeconds: 300,
      stepSeconds: 60,
      checks: [
        makeCheck({ name: "latency", query: "histogram_quantile(0.99, x)" }),
        makeCheck({ name: "dd-errors", query: "sum:errors{*}", source: "datadog", absoluteLimit: 0.05 }),
      ],
    });

    const report = await runGate(gate, sources, { now: () => deploy + 3600 });

    dd.done();
    prom.done();
    // Each check's numbers come from its own source: 0.2 from Prometheus, 0.01 → 0.5 from Datadog.
    const [latency, errors] = report.checks;
    expect([latency?.stats.baselineMedian, latency?.stats.windowMedian]).toEqual([0.2, 0.2]);
    expect([errors?.stats.baselineMedian, errors?.stats.windowMedian]).toEqual([0.01, 0.5]);
    expect(errors?.verdict).toBe("fail");
    expect(report.verdict).toBe("fail");
  });

  it("a check's source with a missing secret is a configuration error naming it, before any request", async () => {
    const sources = new SourceSet({ prometheus: { url: "http://prom.test:9090" } });
    const gate = makeGate({
      deployTime: T0,
      checks: [makeCheck({ name: "nr", query: "SELECT count(*) FROM Transaction", source: "newrelic" })],
    });
    await expect(runGate(gate, sources, { now: () => T0 + 3600 })).rejects.toThrow(
      /check "nr": .*account id/,
    );
  });

  it("creates each kind once and picks a default like before: a file alone is offline, otherwise Prometheus", () => {
    const set = new SourceSet({ datadog: DD_KEYS, prometheus: { url: "http://prom.test:9090" } });
    expect(set.forKind("datadog")).toBe(set.forKind("datadog"));
    expect(defaultKindOf({ file: "m.json" })).toBe("file");
    expect(defaultKindOf({ file: "m.json", prometheus: { url: "http://p" } })).toBe("prometheus");
    expect(() => createSource("json", {})).toThrow(/json-url/);
    expect(() => createSource("prometheus", {})).toThrow(/prometheus-url/);
    expect(() => createSource("cloudwatch", { env: {} })).toThrow(/AWS_REGION/);
  });
});
