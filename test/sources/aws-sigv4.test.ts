import { describe, expect, it } from "vitest";
import { createSigner, resolveRegion } from "../../src/sources/index.js";

// AWS's SigV4 test suite credentials and clock (get-vanilla and friends).
const credentials = async () => ({
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
});
const now = () => new Date(Date.UTC(2015, 7, 30, 12, 36, 0));

describe("createSigner (AWS SigV4 through the SDK signer)", () => {
  it("matches AWS's published get-vanilla signature", async () => {
    const sign = createSigner({ service: "service", region: "us-east-1", credentials, now });
    const headers = await sign({
      method: "GET",
      url: new URL("https://example.amazonaws.com/"),
      headers: {},
    });
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
        "SignedHeaders=host;x-amz-date, " +
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("matches get-vanilla-query-order-key-case: the query is sorted before signing", async () => {
    const sign = createSigner({ service: "service", region: "us-east-1", credentials, now });
    const headers = await sign({
      method: "GET",
      url: new URL("https://example.amazonaws.com/?Param2=value2&Param1=value1"),
      headers: {},
    });
    expect(headers.authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it("adds the session token of temporary (web identity) credentials, and a different body changes the signature", async () => {
    const temporary = async () => ({ ...(await credentials()), sessionToken: "session-token-from-sts" });
    const sign = createSigner({ service: "aps", region: "eu-west-1", credentials: temporary, now });
    const request = (body: string) => ({
      method: "POST" as const,
      url: new URL("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/query_range"),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const a = await sign(request("query=up"));
    const b = await sign(request("query=down"));
    expect(a["x-amz-security-token"]).toBe("session-token-from-sts");
    expect(a.authorization).toMatch(/Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/aps\/aws4_request/);
    expect(a.authorization).not.toBe(b.authorization);
  });

  it("no credentials: a permanent error that says how to provide them", async () => {
    const sign = createSigner({
      service: "monitoring",
      region: "us-east-1",
      credentials: async () => {
        throw new Error("Could not load credentials from any providers");
      },
    });
    const err = await sign({
      method: "GET",
      url: new URL("https://monitoring.us-east-1.amazonaws.com/"),
      headers: {},
    }).then(
      () => null,
      (e: { message: string; retryable: boolean }) => e,
    );
    expect(err?.retryable).toBe(false);
    expect(err?.message).toMatch(
      /Could not load credentials.*AWS_ACCESS_KEY_ID.*AWS_WEB_IDENTITY_TOKEN_FILE.*configure-aws-credentials/s,
    );
  });

  it("resolves the region from the input, then AWS_REGION, and rejects a malformed one", () => {
    expect(resolveRegion("eu-west-2", { AWS_REGION: "us-east-1" }, "CloudWatch")).toBe("eu-west-2");
    expect(resolveRegion("", { AWS_DEFAULT_REGION: "ap-southeast-2" }, "CloudWatch")).toBe("ap-southeast-2");
    expect(() => resolveRegion(undefined, {}, "CloudWatch")).toThrow(/aws-region.*AWS_REGION/);
    expect(() => resolveRegion("Frankfurt", {}, "CloudWatch")).toThrow(/not an AWS region/);
  });
});
