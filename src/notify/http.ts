// A small JSON POST for notifications: a timeout, one retry on 5xx/429/network errors, and a result
// instead of an exception. The URL (a Slack webhook URL is itself the secret) never appears in what
// this returns, so callers can log the result as it is.

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
  const retries = options.retries ?? 1;
  const doFetch = options.fetch ?? fetch;
  const payload = JSON.stringify(body);
  let result: PostResult = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      // Drain the body so the connection is released; its content is not needed.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, status: res.status, attempts: attempt };
      result = {
        ok: false,
        status: res.status,
        attempts: attempt,
        error: `${target} answered ${res.status}`,
      };
      if (!isTransientStatus(res.status)) return result;
      retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
    } catch (err) {
      result = { ok: false, attempts: attempt, error: `${target}: ${describeFetchError(err, options)}` };
    }
    if (attempt <= retries) {
      const max = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
      await sleep(Math.min(retryAfterMs ?? options.backoffMs ?? DEFAULT_BACKOFF_MS, max));
    }
  }
  return result;
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * A fetch failure in words. Only the error's name and code are used: undici's messages can carry
 * the URL ("Failed to parse URL from …").
 */
function describeFetchError(err: unknown, options: PostOptions): string {
  const e = err as { name?: string; cause?: { code?: unknown } } | undefined;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`;
  }
  const code = typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  return code ? `network error (${code})` : "network error";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
