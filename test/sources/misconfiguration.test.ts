// A Prometheus URL that cannot work (a host that does not exist, a certificate that is not trusted)
// is configuration: not retried, and named so the user can fix it. Outages stay retryable.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  MetricSourceError,
  PrometheusHostNotFoundError,
  PrometheusHttpSource,
  PrometheusNetworkError,
  PrometheusTlsError,
} from "../../src/sources/index.js";

const HOST = "http://prom.test:9090";
const URL_SHOWN = "http://prom.test:9090/api/v1/query_range";

function source(url = HOST) {
  const sleeps: number[] = [];
  const src = new PrometheusHttpSource({
    url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { src, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<MetricSourceError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MetricSourceError);
  return err as MetricSourceError;
}

/** fetch() fails with a TypeError whose cause is the socket's error, as Node's fetch does. */
const failWith = (code: string, message: string) =>
  nock(HOST).post("/api/v1/query_range").replyWithError({ code, message });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("a host that does not resolve", () => {
  it("is permanent on ENOTFOUND: one attempt, the URL without credentials and the hostname to check", async () => {
    failWith("ENOTFOUND", "getaddrinfo ENOTFOUND prom.test");
    const { src, sleeps } = source("http://alice:hunter2@prom.test:9090");
    const err = await failure(src.queryRange("up", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusHostNotFoundError);
    expect(err.retryable).toBe(false);
    expect(err.attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expect(err.message).toContain(`The host prom.test of ${URL_SHOWN} does not resolve`);
    expect(err.message).toContain("check the hostname in the Prometheus URL");
    expect(err.message).not.toMatch(/alice|hunter2/);
  });

  // EAI_AGAIN means the resolver did not answer: a DNS outage, which may pass.
  it("is retried on EAI_AGAIN, then reported as a network error", async () => {
    nock(HOST)
      .post("/api/v1/query_range")
      .times(4)
      .replyWithError({ code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN prom.test" });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("up", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusNetworkError);
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(4);
    expect(sleeps).toHaveLength(3);
  });
});

describe("a TLS failure", () => {
  it.each([
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate", /NODE_EXTRA_CA_CERTS/],
    ["SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain", /NODE_EXTRA_CA_CERTS/],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate", /NODE_EXTRA_CA_CERTS/],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate", /NODE_EXTRA_CA_CERTS/],
    ["CERT_HAS_EXPIRED", "certificate has expired", /has not expired/],
    [
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "Hostname/IP does not match certificate's altnames",
      /not issued for prom\.test: check the hostname in the Prometheus URL/,
    ],
    [
      "ERR_SSL_WRONG_VERSION_NUMBER",
      "wrong version number",
      /check the scheme and port .*http:\/\/ or https:\/\//,
    ],
  ])("is permanent on %s, naming the URL and what to check", async (code, message, advice) => {
    failWith(code, message);
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("up", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusTlsError);
    expect(err.retryable).toBe(false);
    expect(sleeps).toEqual([]);
    expect(err.message).toContain(`TLS failure talking to ${URL_SHOWN}`);
    expect(err.message).toContain(code);
    expect(err.message).toMatch(advice);
  });

  it.each([
    "ERR_TLS_HANDSHAKE_TIMEOUT",
    "ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR",
    "ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC",
  ])("still retries %s: slowness or a load balancer's passing fault", async (code) => {
    nock(HOST).post("/api/v1/query_range").replyWithError({ code, message: code });
    nock(HOST)
      .post("/api/v1/query_range")
      .reply(200, { status: "success", data: { resultType: "matrix", result: [] } });
    const { src, sleeps } = source();
    expect((await src.queryRange("up", 1, 2, 1)).series).toEqual([]);
    expect(sleeps).toHaveLength(1);
  });

  it("is permanent on a URL fetch() cannot use", async () => {
    failWith("ERR_INVALID_URL", "Invalid URL");
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("up", 1, 2, 1));
    expect(err.retryable).toBe(false);
    expect(sleeps).toEqual([]);
    expect(err.message).toMatch(/check the Prometheus URL/);
  });
});

describe("outages stay transient", () => {
  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"])("retries %s", async (code) => {
    nock(HOST).post("/api/v1/query_range").times(4).replyWithError({ code, message: code });
    const { src, sleeps } = source();
    const err = await failure(src.queryRange("up", 1, 2, 1));
    expect(err).toBeInstanceOf(PrometheusNetworkError);
    expect(err.retryable).toBe(true);
    expect(sleeps).toHaveLength(3);
  });
});
