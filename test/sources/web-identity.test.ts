// GitHub's OIDC role assumption as the SDK's chain does it: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE
// → STS AssumeRoleWithWebIdentity → temporary credentials that sign the CloudWatch request.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchSource } from "../../src/sources/index.js";
import { T0, useNock } from "./helpers.js";

useNock();

const ROLE = "arn:aws:iam::123456789012:role/deploy-gate";
const OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.signature";
const TEMP = {
  id: "ASIATEMPORARY0000001",
  secret: "temporary/secret/0000000000000000000000",
  token: "temporary-session-token",
};
let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-oidc-"));
  const tokenFile = join(dir, "token");
  writeFileSync(tokenFile, OIDC_TOKEN);
  for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"])
    delete process.env[k];
  Object.assign(process.env, {
    AWS_ROLE_ARN: ROLE,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_REGION: "us-east-1",
    // No shared config or credentials files on the test machine's account.
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK warns about its future Node 22 requirement when it creates STS; not this test's concern.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
});
afterAll(() => {
  for (const k of [
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_EC2_METADATA_DISABLED",
  ])
    delete process.env[k];
  Object.assign(process.env, saved);
  rmSync(dir, { recursive: true, force: true });
});

describe("CloudWatch with web identity credentials (GitHub OIDC)", () => {
  it("assumes the role with the token file and signs with the temporary credentials", async () => {
    let stsBody: Record<string, string> = {};
    const sts = nock(/sts(\.us-east-1)?\.amazonaws\.com/)
      .post("/", (b: Record<string, string>) => ((stsBody = b), true))
      .reply(
        200,
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:o/r:environment:production</SubjectFromWebIdentityToken>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/deploy-gate/gh</Arn><AssumedRoleId>AROA:gh</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${TEMP.id}</AccessKeyId>
      <SecretAccessKey>${TEMP.secret}</SecretAccessKey>
      <SessionToken>${TEMP.token}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`,
        { "content-type": "text/xml" },
      );
    let auth = "";
    let sessionToken = "";
    const cw = nock("https://monitoring.us-east-1.amazonaws.com")
      .post("/")
      .matchHeader("authorization", (v: string) => ((auth = v), true))
      .matchHeader("x-amz-security-token", (v: string) => ((sessionToken = v), true))
      .reply(200, {
        MetricDataResults: [
          { Id: "q", Label: "q", Timestamps: [T0 - 60], Values: [1], StatusCode: "Complete" },
        ],
      });

    const out = await new CloudWatchSource({ retries: 0 }).queryRange("SUM(x)", T0, T0, 60);

    sts.done();
    cw.done();
    expect(stsBody).toMatchObject({
      Action: "AssumeRoleWithWebIdentity",
      RoleArn: ROLE,
      WebIdentityToken: OIDC_TOKEN,
    });
    expect(auth).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${TEMP.id}/\\d{8}/us-east-1/monitoring/aws4_request`),
    );
    expect(sessionToken).toBe(TEMP.token);
    expect(out.series[0]?.samples).toEqual([{ t: T0, v: 1 }]);
  });
});
