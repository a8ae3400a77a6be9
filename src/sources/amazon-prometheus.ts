// Amazon Managed Service for Prometheus: the Prometheus source against a workspace URL
// (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>), each request signed with SigV4
// for the service `aps`. Everything else (parsing, retries, errors) is the Prometheus source's.

import { createSigner, resolveRegion, type CredentialProvider, type RequestSigner } from "./aws-sigv4.js";
import { MetricSourceError } from "./errors.js";
import { PrometheusHttpSource, type PrometheusHttpOptions } from "./http-source.js";

export interface AmazonPrometheusOptions extends Omit<
  PrometheusHttpOptions,
  "fetch" | "bearerToken" | "basicAuth"
> {
  /** The workspace's region; read from the URL when it is an aps-workspaces host. */
  region?: string;
  credentials?: CredentialProvider;
  env?: Record<string, string | undefined>;
}

/** True for a workspace URL, where SigV4 is the only auth AMP accepts. */
export function isAmazonPrometheusUrl(url: string): boolean {
  return /^https:\/\/aps-workspaces\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(url.trim());
}

export function createAmazonPrometheusSource(options: AmazonPrometheusOptions): PrometheusHttpSource {
  const fromHost = /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com/.exec(options.url.trim())?.[1];
  const region = resolveRegion(
    options.region || fromHost,
    options.env ?? process.env,
    "Amazon Managed Prometheus",
  );
  if (fromHost && fromHost !== region) {
    throw new MetricSourceError(
      `The workspace URL is in ${fromHost} but the region is ${region}; SigV4 signatures are per region, so use the same one.`,
    );
  }
  const sign = createSigner({ service: "aps", region, credentials: options.credentials });
  const source = new PrometheusHttpSource({ ...options, fetch: signingFetch(sign) });
  return source;
}

/** A fetch that signs the request it is given; the Prometheus source sends form-encoded POSTs. */
export function signingFetch(sign: RequestSigner): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const method = (init.method ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
    const signed = await sign({ method, url, headers, body });
    return fetch(url, { ...init, body, headers: { ...headers, ...signed } });
  };
}
