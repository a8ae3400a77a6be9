import { redactUrl } from "../core/urls.js";

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

/** The file source cannot read or parse its file, or cannot answer a query. */
export class FileSourceError extends MetricSourceError {}

/** 5xx and 429 are transient; any other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** fetch() wraps the real reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`; mocks may throw plain objects. */
function describeCause(cause: unknown): string {
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
