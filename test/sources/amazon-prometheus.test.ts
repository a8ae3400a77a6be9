import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSource, isAmazonPrometheusUrl } from "../../src/sources/index.js";
import { T0, failure, fastRetries, useNock } from "./helpers.js";

useNock();

const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
beforeAll(() => {
  delete process.env.AWS_PROFILE;
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
});
afterAll(() => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
});

const HOST = "https://aps-workspaces.us-west-2.amazonaws.com";
const WORKSPACE = `${HOST}/workspaces/ws-0123abcd-4567-89ef-0123-456789abcdef`;
const matrix = {
  status: "success",
  data: {
    resultType: "matrix",
    result: [
      {
        metric: { job: "checkout" },
        values: [
          [T0, "0.5"],
          [T0 + 60, "0.25"],
        ],
      },
    ],
  },
};

describe("Amazon Managed Service for Prometheus", () => {
  it("signs each Prometheus API request with SigV4 for aps in the workspace's region, over the signed body", async () => {
    const auth: string[] = [];
    const scope = nock(HOST)
      .post(
        "/workspaces/ws-0123abcd-4567-89ef-0123-456789abcdef/api/v1/query_range",
        (body: string) => new URLSearchParams(body).get("query") === "up",
      )
      .matchHeader("authorization", (v: string) => auth.push(v) > 0)
      .matchHeader("x-amz-date", /^\d{8}T\d{6}Z$/)
      .reply(503, "busy")
      .post("/workspaces/ws-0123abcd-4567-89ef-0123-456789abcdef/api/v1/query_range")
      .matchHeader("authorization", (v: string) => auth.push(v) > 0)
      .reply(200, matrix);
    const { retry } = fastRetries();
    const src = createSource("prometheus", { ...retry, prometheus: { url: WORKSPACE }, env: {} });

    const out = await src.queryRange("up", T0, T0 + 60, 60);

    scope.done();
    expect(out.series[0]?.samples).toEqual([
      { t: T0, v: 0.5 },
      { t: T0 + 60, v: 0.25 },
    ]);
    // Each attempt is signed afresh (a retry may cross a second boundary).
    expect(auth).toHaveLength(2);
    for (const a of auth) {
      expect(a).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-west-2/aps/aws4_request, SignedHeaders=\\S*host\\S*, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(a).not.toContain(SECRET_KEY);
    }
  });

  it("a 403 from AMP is permanent and does not echo credentials", async () => {
    nock(HOST)
      .post(/query_range$/)
      .reply(403, {
        message:
          "User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: aps:QueryMetrics",
      });
    const { retry, sleeps } = fastRetries();
    const src = createSource("prometheus", { ...retry, prometheus: { url: WORKSPACE }, env: {} });
    const err = await failure(src.queryRange("up", T0, T0 + 60, 60));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("aps:QueryMetrics");
    expect(err.message).not.toContain(SECRET_KEY);
    expect(sleeps).toEqual([]);
  });

  it("recognises workspace URLs and refuses a region that contradicts the URL", () => {
    expect(isAmazonPrometheusUrl(WORKSPACE)).toBe(true);
    expect(isAmazonPrometheusUrl("http://prometheus:9090")).toBe(false);
    expect(() =>
      createSource("prometheus", { prometheus: { url: WORKSPACE }, aws: { region: "eu-west-1" } }),
    ).toThrow(/us-west-2 but the region is eu-west-1/);
  });

  it("signs a non-workspace URL (a VPC endpoint) when asked, with the region from AWS_REGION", async () => {
    let auth = "";
    nock("https://vpce-1.aps-workspaces.example.internal")
      .post("/workspaces/ws-1/api/v1/query_range")
      .matchHeader("authorization", (v: string) => ((auth = v), true))
      .reply(200, matrix);
    const src = createSource("prometheus", {
      prometheus: { url: "https://vpce-1.aps-workspaces.example.internal/workspaces/ws-1", sigv4: true },
      env: { AWS_REGION: "ap-south-1" },
    });
    await src.queryRange("up", T0, T0 + 60, 60);
    expect(auth).toMatch(/\/ap-south-1\/aps\/aws4_request/);
  });
});
