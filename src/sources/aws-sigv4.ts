// AWS Signature Version 4 for CloudWatch (service `monitoring`) and Amazon Managed Service for
// Prometheus (service `aps`), through the AWS SDK's signer and its standard credential chain
// (environment, shared config/SSO, web identity as GitHub OIDC gives it, ECS/EC2 roles).

import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { SignatureV4 } from "@smithy/signature-v4";
import { MetricSourceError } from "./errors.js";
import type { HttpRequest } from "./http.js";
import { errorMessage } from "../core/errors.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Resolves credentials; the default is the SDK's Node chain. */
export type CredentialProvider = () => Promise<AwsCredentials>;

export interface SignerOptions {
  /** The signing name: `monitoring` for CloudWatch, `aps` for Managed Prometheus. */
  service: string;
  region: string;
  credentials?: CredentialProvider;
  /** Injectable clock for known-answer tests. */
  now?: () => Date;
}

export type RequestSigner = (request: HttpRequest) => Promise<Record<string, string>>;

/** The region from the input, else AWS_REGION / AWS_DEFAULT_REGION, as the SDK reads it. */
export function resolveRegion(
  given: string | undefined,
  env: Record<string, string | undefined>,
  what: string,
): string {
  const region = given?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new MetricSourceError(
      `${what} needs an AWS region: set the aws-region input (--aws-region) or AWS_REGION.`,
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new MetricSourceError(`"${region}" is not an AWS region name (e.g. us-east-1, eu-west-2).`);
  }
  return region;
}

/** Returns the headers (Authorization, X-Amz-Date, X-Amz-Security-Token) that sign `request`. */
export function createSigner(options: SignerOptions): RequestSigner {
  const credentials = options.credentials ?? defaultCredentials();
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: () => loadCredentials(credentials),
    sha256: Sha256,
    // Only S3 needs x-amz-content-sha256; leaving it out keeps the canonical request AWS's documented one.
    applyChecksum: false,
  });
  return async (request) => {
    const headers: Record<string, string> = { host: request.url.host };
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(request.url.searchParams.keys())) {
      const values = request.url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] ?? "") : values;
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        port: request.url.port ? Number(request.url.port) : undefined,
        path: request.url.pathname,
        query,
        headers,
        body: request.body,
      },
      { signingDate: options.now?.() },
    );
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      const lower = name.toLowerCase();
      // fetch sets Host itself; the rest are the signature's.
      if (lower === "authorization" || lower.startsWith("x-amz-")) out[lower] = value;
    }
    return out;
  };
}

let chain: CredentialProvider | undefined;

/** The SDK's chain, created once: it caches what it resolves (and refreshes expiring role credentials). */
function defaultCredentials(): CredentialProvider {
  chain ??= fromNodeProviderChain();
  return chain;
}

async function loadCredentials(provider: CredentialProvider): Promise<AwsCredentials> {
  try {
    return await provider();
  } catch (err) {
    // The SDK's message lists the providers it tried; it holds no secret.
    throw new MetricSourceError(
      `No AWS credentials: ${errorMessage(err)}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE (in GitHub Actions, run aws-actions/configure-aws-credentials with id-token: write first).`,
    );
  }
}
