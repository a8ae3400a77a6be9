import nock from "nock";
import { describe, expect, it } from "vitest";
import { NewRelicSource, timeseriesNrql, type NewRelicOptions } from "../../src/sources/index.js";
import { T0, failure, fastRetries, useNock } from "./helpers.js";

useNock();

const KEY = "NRAK-TESTKEY0123456789ABCDEFGHIJ";
const NRQL = "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'checkout'";

function source(options: Partial<NewRelicOptions> = {}) {
  const { sleeps, retry } = fastRetries();
  const src = new NewRelicSource({ accountId: "1234567", apiKey: KEY, ...retry, ...options });
  return { src, sleeps };
}

/** NerdGraph's answer to actor.account.nrql.results, one row per TIMESERIES bucket. */
const answer = (results: unknown[]) => ({ data: { actor: { account: { nrql: { results } } } } });
const row = (begin: number, width: number, value: unknown, extra: Record<string, unknown> = {}) => ({
  beginTimeSeconds: begin,
  endTimeSeconds: begin + width,
  "percentage.count": value,
  ...extra,
});

describe("NewRelicSource", () => {
  it("POSTs the NRQL as a GraphQL variable with the range and step, the key in API-Key, and reads the buckets", async () => {
    let sent: { query: string; variables: { accountId: number; nrql: string } } | undefined;
    const scope = nock("https://api.eu.newrelic.com", { reqheaders: { "api-key": KEY } })
      .post("/graphql", (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, answer([row(T0 - 30, 30, 1.5), row(T0, 30, 2.5), row(T0 + 30, 30, 3.5)]));
    const result = await source({ region: "eu" }).src.queryRange(NRQL, T0, T0 + 60, 30);
    scope.done();
    expect(sent?.variables.accountId).toBe(1234567);
    expect(sent?.variables.nrql).toBe(
      `${NRQL} SINCE ${(T0 - 30) * 1000} UNTIL ${(T0 + 60) * 1000} TIMESERIES 30 seconds`,
    );
    expect(sent?.query).toContain("nrql(query: $nrql");
    expect(JSON.stringify(sent)).not.toContain(KEY);
    expect(result.series[0]?.samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 1.5],
      [30, 2.5],
      [60, 3.5],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("FACET rows become one series each, labelled by the facet", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(
        200,
        answer([
          row(T0 - 60, 60, 1, { facet: "prod", environment: "prod" }),
          row(T0 - 60, 60, 9, { facet: "canary", environment: "canary" }),
        ]),
      );
    const result = await source().src.queryRange(`${NRQL} FACET environment`, T0, T0, 60);
    expect(result.series.map((s) => [s.labels, s.samples[0]?.v])).toEqual([
      [{ facet: "prod", environment: "prod" }, 1],
      [{ facet: "canary", environment: "canary" }, 9],
    ]);
  });

  it("percentile answers (an object) are read, and wider buckets than the step are resampled with a warning", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(
        200,
        answer([
          { beginTimeSeconds: T0 - 60, endTimeSeconds: T0, "percentile.duration": { "99": 0.2 } },
          { beginTimeSeconds: T0, endTimeSeconds: T0 + 60, "percentile.duration": { "99": 0.4 } },
        ]),
      );
    const result = await source().src.queryRange(
      "SELECT percentile(duration, 99) FROM Transaction",
      T0,
      T0 + 60,
      30,
    );
    expect(result.series[0]?.samples.map((s) => [s.t - T0, s.v])).toEqual([
      [0, 0.2],
      [30, 0.2],
      [60, 0.4],
    ]);
    expect(result.warnings.join()).toMatch(/60s buckets while the step is 30s/);
  });

  it("no data: null values in every bucket are no series", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(200, answer([row(T0 - 60, 60, null)]));
    expect((await source().src.queryRange(NRQL, T0, T0, 60)).series).toEqual([]);
  });

  it("an NRQL syntax error (HTTP 200 with errors) is quoted verbatim and permanent", async () => {
    const said = "NRQL Syntax Error: Error at line 1 position 8, unexpected 'FRM'";
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(200, {
        data: { actor: { account: { nrql: null } } },
        errors: [
          { message: said, path: ["actor", "account", "nrql"], extensions: { errorClass: "INVALID_INPUT" } },
        ],
      });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("SELECT count(*) FRM Transaction", T0, T0, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(said);
    expect(err.message).toContain("query builder");
    expect(sleeps).toEqual([]);
  });

  it("an NRDB timeout is retried, then the answer is read", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(200, {
        errors: [{ message: "NRDB query duration exceeded", extensions: { errorClass: "TIMEOUT" } }],
      })
      .post("/graphql")
      .reply(429, "Too Many Requests", { "retry-after": "3" })
      .post("/graphql")
      .reply(200, answer([row(T0 - 60, 60, 4)]));
    const { src, sleeps } = source();
    const result = await src.queryRange(NRQL, T0, T0, 60);
    expect(result.series[0]?.samples).toEqual([{ t: T0, v: 4 }]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBe(3000);
  });

  it("a bad key names NEW_RELIC_API_KEY and never echoes the key", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(401, { errors: [{ message: "Invalid API key" }] });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange(NRQL, T0, T0, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Invalid API key.*NEW_RELIC_API_KEY/s);
    expect(err.message).not.toContain(KEY);
    expect(sleeps).toEqual([]);
  });

  it("a 502 from the edge is retried; 400 is not", async () => {
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(502, "Bad Gateway")
      .post("/graphql")
      .reply(200, answer([]));
    expect((await source().src.queryRange(NRQL, T0, T0, 60)).series).toEqual([]);
    nock("https://api.newrelic.com")
      .post("/graphql")
      .reply(400, { errors: [{ message: "Bad request" }] });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange(NRQL, T0, T0, 60));
    expect(err.message).toContain("Bad request");
    expect(sleeps).toEqual([]);
  });

  it("refuses NRQL that sets its own SINCE/TIMESERIES, and over-long ranges let NRQL pick buckets", () => {
    expect(() => timeseriesNrql(`${NRQL} SINCE 1 hour ago`, T0, T0 + 60, 30)).toThrow(/SINCE.*remove it/);
    expect(() => timeseriesNrql(`${NRQL} TIMESERIES`, T0, T0 + 60, 30)).toThrow(/TIMESERIES/);
    expect(timeseriesNrql(NRQL, T0, T0 + 400 * 30, 30)).toMatch(/TIMESERIES MAX$/);
  });

  it("needs a numeric account id and a key, naming where they come from", () => {
    expect(() => new NewRelicSource({ accountId: "abc", apiKey: KEY })).toThrow(/account id/);
    expect(() => new NewRelicSource({ accountId: "1", apiKey: "" })).toThrow(/NEW_RELIC_API_KEY/);
    expect(() => new NewRelicSource({ accountId: "1", apiKey: KEY, region: "apac" })).toThrow(/us or eu/);
  });
});
