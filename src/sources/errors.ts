import { redactUrl } from "../core/text/urls.js";

export { redactUrl };

// Errors of the metric sources. Each says what went wrong and how to fix it, never carries a secret,
// and tells the retry loop whether trying again could help.

/** Base class: anything a metric source fails with. */
export class MetricSourceError extends Error {
  /** True when the same request may succeed later (5xx, 429, network error, timeout). */
  readonly retryable: boolean;
  /** How many requests were made before giving up (set by the retry loop). */
  attempts = 1;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** Prometheus answered `{"status":"error", ...}`: errorType and error are kept verbatim. */
export class PrometheusError extends MetricSourceError {
  constructor(
    readonly errorType: string,
    readonly error: string,
    readonly query: string,
    /** HTTP status of the answer. */
    readonly status: number,
  ) {
    super(`Prometheus rejected the query (HTTP ${status}, ${errorType}): ${error}\n  query: ${query}`, {
      retryable: isRetryableStatus(status),
    });
  }
}

/** The answer was not a Prometheus API response: a proxy's HTML page, an unexpected status or shape. */
export class PrometheusResponseError extends MetricSourceError {
  constructor(
    message: string,
    /** HTTP status of the answer, 0 when there was none. */
    readonly status: number,
  ) {
    super(message, { retryable: isRetryableStatus(status) });
  }
}

/** No answer within the timeout. */
export class PrometheusTimeoutError extends MetricSourceError {
  constructor(url: string, timeoutMs: number) {
    super(
      `Request to ${url} timed out after ${timeoutMs} ms; raise the timeout or make the query cheaper (a larger step or a shorter range).`,
      { retryable: true },
    );
  }
}

/** The request did not get an HTTP answer at all (DNS, connection refused, reset). */
export class PrometheusNetworkError extends MetricSourceError {
  constructor(url: string, cause: unknown) {
    super(
      `Could not reach ${url}: ${describeCause(cause)}; check the Prometheus URL and that it is reachable.`,
      {
        retryable: true,
        cause,
      },
    );
  }
}

/**
 * The host name of the URL does not exist (ENOTFOUND: the resolver answered "no such name"). Asking
 * again gives the same answer, so it is not retried: a typo or a name private to another network is
 * the user's to fix, and the gate stops with a configuration error instead of an "inconclusive".
 * EAI_AGAIN ("the resolver did not answer") is different: a DNS outage, retried like any network error.
 */
export class PrometheusHostNotFoundError extends MetricSourceError {
  constructor(url: string, cause: unknown) {
    const host = hostOf(url);
    super(
      `The host ${host} of ${url} does not resolve (${describeCause(cause)}): check the hostname in the Prometheus URL; a name private to a cluster or VPN does not resolve on a GitHub-hosted runner.`,
      { retryable: false, cause },
    );
  }
}

/**
 * The TLS handshake failed on the certificate (untrusted or self-signed issuer, expired, issued for
 * another name) or on the protocol (https to a plain-http port). It fails the same way every time.
 */
export class PrometheusTlsError extends MetricSourceError {
  constructor(url: string, code: string, cause: unknown) {
    const host = hostOf(url);
    const what =
      code === "ERR_TLS_CERT_ALTNAME_INVALID"
        ? `the certificate is not issued for ${host}: check the hostname in the Prometheus URL (use the name on the certificate)`
        : code.startsWith("ERR_SSL_")
          ? "the server does not speak TLS there: check the scheme and port of the Prometheus URL (http:// or https://)"
          : "the certificate is not trusted: if Prometheus uses a private or self-signed CA, give its certificate to Node with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise check the certificate has not expired and the hostname is right";
    super(`TLS failure talking to ${url} (${describeCause(cause)}): ${what}.`, { retryable: false, cause });
  }
}

/**
 * The network error a fetch() failure is: a missing host name and a TLS failure are configuration
 * (not retried), anything else (refused, reset, a DNS outage) may pass and is retried.
 */
export function networkError(url: string, cause: unknown): MetricSourceError {
  const codes = causeCodes(cause);
  if (codes.includes("ENOTFOUND")) return new PrometheusHostNotFoundError(url, cause);
  const tls = codes.find(isTlsConfigCode);
  if (tls !== undefined) return new PrometheusTlsError(url, tls, cause);
  if (isPermanentNetworkCause(cause))
    return new MetricSourceError(
      `${url} is not a URL fetch() can use (${describeCause(cause)}): check the Prometheus URL.`,
      {
        retryable: false,
        cause,
      },
    );
  return new PrometheusNetworkError(url, cause);
}

/**
 * Whether a fetch() failure will fail the same way again, for every source: a host name that does not
 * resolve, a URL that is not one, or a certificate or protocol failure of the TLS handshake. Anything
 * else (refused, reset, a DNS outage) may pass and is retried.
 */
export function isPermanentNetworkCause(cause: unknown): boolean {
  const codes = causeCodes(cause);
  return codes.includes("ENOTFOUND") || codes.includes("ERR_INVALID_URL") || codes.some(isTlsConfigCode);
}

/**
 * Certificate and protocol failures of the handshake. Not ERR_TLS_HANDSHAKE_TIMEOUT (slowness), nor
 * a server's internal-error alert or a corrupted record (a load balancer's passing fault).
 */
function isTlsConfigCode(code: string): boolean {
  if (/ALERT_INTERNAL_ERROR|BAD_RECORD_MAC|DECRYPTION_FAILED/.test(code)) return false;
  return (
    /^(CERT_|UNABLE_TO_(GET|VERIFY|DECRYPT)_|ERR_SSL_)/.test(code) ||
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"].includes(code) ||
    (code.startsWith("ERR_TLS_") && code !== "ERR_TLS_HANDSHAKE_TIMEOUT")
  );
}

/** The `code` of an error and of its causes (fetch() wraps the socket's error in `cause`). */
export function causeCodes(cause: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 4; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** The file source cannot read or parse its file, or cannot answer a query. */
export class FileSourceError extends MetricSourceError {}

/** 5xx and 429 are transient; any other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** fetch() wraps the real reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`; mocks may throw plain objects. */
export function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 3; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    let text = typeof message === "string" ? message : "";
    if (typeof code === "string" && !text.includes(code)) text = text ? `${text} (${code})` : code;
    if (text && !parts.includes(text)) parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(": ") : String(cause);
}
