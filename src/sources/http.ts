// One HTTP round trip for every metric source (Prometheus, Datadog, CloudWatch, New Relic, JSON)
// and the notifications (notify/http.ts), with the retry policy they share: retry only what can
// succeed later (429, 5xx, timeouts, network errors), believe the server's Retry-After within reason,
// cap the body read, and scrub secrets from every message before it leaves.

import { setTimeout as delay } from "node:timers/promises";
import {
  MetricSourceError,
  describeCause,
  isPermanentNetworkCause,
  isRetryableStatus,
  redactUrl,
} from "./errors.js";

export interface RetryOptions {
  /** Per request, including reading the body. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for what can succeed later. Default 3. */
  retries?: number;
  /** First backoff; doubles each retry, with jitter. Default 500. */
  backoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable jitter source in [0, 1). */
  random?: () => number;
  /** Longest wait between attempts. Default 30000. */
  maxBackoffMs?: number;
  /** Longest Retry-After believed. Default 60000. */
  maxRetryAfterMs?: number;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
}

/**
 * The errors of a round trip that got no usable answer, for a source that words its own (the
 * Prometheus source says what to check in its URL). `shown` is the URL with credentials removed.
 */
export interface TransportErrors {
  /** No answer within `timeoutMs`: should be retryable. */
  timeout(shown: string, timeoutMs: number): MetricSourceError;
  /** No HTTP answer at all; retryable or not is the factory's call. */
  network(shown: string, cause: unknown): MetricSourceError;
  /** The body passed `maxBytes` (status is the answer's): not retried. */
  tooLarge(shown: string, maxBytes: number, status: number): MetricSourceError;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface HttpClientOptions extends RetryOptions {
  /** Who answers, for messages: "Datadog", "New Relic", ... */
  vendor: string;
  /** Values that must never appear in a message (API keys, tokens). */
  secrets?: string[];
  /** Largest body read, in bytes. Default 20 MB. */
  maxBytes?: number;
  /**
   * false: the body is only drained (a failure to read it ignored) and `parse` sees an empty one,
   * for callers that need the status alone (notifications). Default true.
   */
  readBody?: boolean;
  /** Retry network errors that look permanent too (a name that does not resolve, a bad certificate). Default false. */
  retryUnreachable?: boolean;
  /** Called before each attempt (signatures carry the time): returns headers to add. */
  sign?: (request: HttpRequest) => Promise<Record<string, string>>;
  /** Vendors that send their own "come back in" header (Datadog's X-RateLimit-Reset). */
  retryAfterMs?: (headers: Headers) => number | undefined;
  /** The source's own wording of timeouts, network failures and oversized answers. */
  errors?: Partial<TransportErrors>;
}

const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const SNIPPET_CHARS = 300;

/** No answer within the timeout: retryable, the next attempt may be faster. */
export class SourceTimeoutError extends MetricSourceError {}
/** No HTTP answer at all (DNS, refused, reset). */
export class SourceNetworkError extends MetricSourceError {}
/** The vendor answered with an error, kept verbatim in the message. */
export class VendorError extends MetricSourceError {
  constructor(
    message: string,
    readonly status: number,
    options: { retryable?: boolean } = {},
  ) {
    super(message, { retryable: options.retryable ?? isRetryableStatus(status) });
  }
}

export class HttpClient {
  readonly vendor: string;
  private readonly secrets: string[];
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpClientOptions) {
    this.vendor = options.vendor;
    // Short values would scrub ordinary words out of messages; real keys are long.
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(this.timeoutMs > 0)) throw new MetricSourceError(`timeoutMs must be > 0 (got ${this.timeoutMs}).`);
    if (!Number.isInteger(this.retries) || this.retries < 0) {
      throw new MetricSourceError(`retries must be a whole number >= 0 (got ${this.retries}).`);
    }
    if (!(this.backoffMs >= 0))
      throw new MetricSourceError(`backoffMs must be >= 0 (got ${this.backoffMs}).`);
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Sends the request and hands the answer to `parse`, which returns the result or throws a
   * MetricSourceError (retryable or not). Retries until `retries` is spent; the error that ends it
   * says how many attempts were made, with every secret scrubbed.
   */
  async send<T>(request: HttpRequest, parse: (answer: HttpAnswer) => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.once(request);
        try {
          return parse(answer);
        } catch (err) {
          if (err instanceof MetricSourceError) err.retryAfterMs ??= this.retryAfter(answer.headers);
          throw err;
        }
      } catch (err) {
        const e = this.scrubbed(err);
        if (!(e instanceof MetricSourceError)) throw e;
        if (!e.retryable || attempt > this.retries) {
          e.attempts = attempt;
          if (attempt > 1) e.message += ` (gave up after ${attempt} attempts)`;
          throw e;
        }
        await this.sleep(this.backoff(attempt, e));
      }
    }
  }

  /** The message with every secret replaced, for errors built outside `send`. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join("[redacted]");
    return out;
  }

  private scrubbed(err: unknown): unknown {
    if (err instanceof Error) err.message = this.scrub(err.message);
    return err;
  }

  private retryAfter(headers: Headers): number | undefined {
    const own = this.options.retryAfterMs?.(headers);
    if (own !== undefined) return own;
    const value = headers.get("retry-after");
    return value === null ? undefined : parseRetryAfter(value);
  }

  /** Exponential backoff with "equal jitter", never shorter than what the server asked for. */
  private backoff(attempt: number, err: MetricSourceError): number {
    const exp = Math.min(this.backoffMs * 2 ** (attempt - 1), this.maxBackoffMs);
    const jittered = exp / 2 + (this.random() * exp) / 2;
    return Math.max(jittered, Math.min(err.retryAfterMs ?? 0, this.maxRetryAfterMs));
  }

  private async once(request: HttpRequest): Promise<HttpAnswer> {
    const shown = redactUrl(request.url);
    const signal = AbortSignal.timeout(this.timeoutMs);
    const signed = this.options.sign ? await this.options.sign(request) : {};
    try {
      const res = await this.fetch(request.url, {
        method: request.method,
        headers: { ...request.headers, ...signed },
        body: request.body,
        signal,
      });
      let body = "";
      if (this.options.readBody === false) await res.arrayBuffer().catch(() => undefined);
      else body = await readBounded(res, this.maxBytes, () => this.tooLarge(shown, res.status));
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      if (err instanceof MetricSourceError) throw err; // from a signing fetch: no credentials
      const own = this.options.errors;
      if (signal.aborted || (err instanceof Error && err.name === "TimeoutError")) {
        if (own?.timeout) throw own.timeout(shown, this.timeoutMs);
        throw new SourceTimeoutError(
          `${this.vendor} did not answer ${shown} within ${this.timeoutMs} ms; raise the timeout or query a shorter range.`,
          { retryable: true },
        );
      }
      if (own?.network) throw own.network(shown, err);
      // A name that does not resolve or a certificate that does not match will not fix itself.
      const permanent = !this.options.retryUnreachable && isPermanentNetworkCause(err);
      throw new SourceNetworkError(
        `Could not reach ${this.vendor} at ${shown}: ${describeCause(err)}; check the endpoint (site/region) and the network.`,
        { retryable: !permanent, cause: err },
      );
    }
  }

  private tooLarge(shown: string, status: number): MetricSourceError {
    const own = this.options.errors?.tooLarge;
    if (own) return own(shown, this.maxBytes, status);
    return new MetricSourceError(
      `${this.vendor} answered with more than ${Math.round(this.maxBytes / 1024 / 1024)} MB; narrow the query (fewer series, a larger step).`,
    );
  }
}

/** Reads the body up to `maxBytes`: a runaway answer is the query's fault, so it is not retried. */
async function readBounded(
  res: Response,
  maxBytes: number,
  tooLarge: () => MetricSourceError,
): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function parseRetryAfter(value: string): number {
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

/** JSON.parse that returns undefined instead of throwing: vendors answer HTML on proxy errors. */
export function tryJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A bounded, single-line excerpt of a body for a message. */
export function snippet(body: string, max = SNIPPET_CHARS): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat === "") return "(empty body)";
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
