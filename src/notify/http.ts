// A small JSON POST for notifications over the shared HTTP client (sources/http.ts): a timeout, one
// retry on 5xx/429/timeouts/network errors, and a result instead of an exception. The URL (a Slack
// webhook URL is itself the secret) never appears in what this returns, so callers can log the
// result as it is.
import { isHttpUrl } from "../core/text/urls.js";
import { HttpClient, SourceNetworkError, SourceTimeoutError, VendorError } from "../sources/http.js";

export interface PostOptions {
  /** Names the target in messages instead of the URL, e.g. "Slack webhook". */
  target: string;
  /** Per attempt; default 5 s. */
  timeoutMs?: number;
  /** Wait before the single retry; default 500 ms. A 429's Retry-After is honoured up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Retries after the first attempt; default 1. */
  retries?: number;
  /** Injected in tests; default the global fetch. */
  fetch?: typeof fetch;
}

export interface PostResult {
  ok: boolean;
  /** The last HTTP status, when there was an answer. */
  status?: number;
  attempts: number;
  /** Why it failed, safe to log (never the URL). */
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 5_000;

/** POSTs `body` as JSON to `url`; never throws. */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<PostResult> {
  const { target } = options;
  if (!isHttpUrl(url)) {
    // Not even the malformed value is repeated: it may be a secret pasted into the wrong variable.
    return { ok: false, attempts: 0, error: `${target} URL is not a valid http(s) URL` };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let attempts = 0;
  try {
    const client = new HttpClient({
      vendor: target,
      timeoutMs,
      retries: options.retries ?? 1,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      // The whole backoff, no jitter: one retry, soon, and never later than maxBackoffMs.
      random: () => 1,
      maxBackoffMs,
      maxRetryAfterMs: maxBackoffMs,
      // The body is only drained (so the connection is released), never used.
      readBody: false,
      // Every network error gets its one retry, as it always has (a DNS blip is not a wrong URL here).
      retryUnreachable: true,
      fetch: (input, init) => {
        attempts++;
        return doFetch(input, init);
      },
    });
    const request = {
      method: "POST" as const,
      url: new URL(url),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    };
    const status = await client.send(request, (answer) => {
      if (answer.status >= 200 && answer.status < 300) return answer.status;
      throw new VendorError(`${target} answered ${answer.status}`, answer.status, {
        retryable: answer.status === 429 || answer.status >= 500,
      });
    });
    return { ok: true, status, attempts };
  } catch (err) {
    // The shared client's messages name the URL: only the status, the error's name and code are used.
    if (err instanceof VendorError) {
      return { ok: false, status: err.status, attempts, error: `${target} answered ${err.status}` };
    }
    if (err instanceof SourceTimeoutError) {
      return { ok: false, attempts, error: `${target}: timed out after ${timeoutMs} ms` };
    }
    const cause = err instanceof SourceNetworkError ? err.cause : err;
    return { ok: false, attempts, error: `${target}: ${describeFetchError(cause)}` };
  }
}

/** A fetch failure in words, from its code only: undici's messages can carry the URL. */
function describeFetchError(err: unknown): string {
  const e = err as { cause?: { code?: unknown } } | undefined;
  const code = typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  return code ? `network error (${code})` : "network error";
}
