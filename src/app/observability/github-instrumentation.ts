// Every GitHub API call the app makes, counted by status class, timed, and wrapped in a client span:
// an Octokit plugin given to Probot (main.ts), so the installation Octokits Probot creates carry it.
// Rate-limit waits are counted from the throttling plugin's callbacks.
import { SpanKind } from "@opentelemetry/api";
import { ProbotOctokit } from "probot";
import { failSpan, tracer } from "./tracing.js";

export type StatusClass = "1xx" | "2xx" | "3xx" | "4xx" | "5xx" | "error";
export type RateLimitKind = "primary" | "secondary";

/** Where the plugin reports: the app's metrics (see registerMetrics). */
export interface GitHubObserver {
  request(status: StatusClass, seconds: number): void;
  rateLimitWait(kind: RateLimitKind): void;
}

// The Octokit class is chosen before the app (and its metrics registry) exists, so by default the
// plugin reports to the observer the app registers here at load time.
let current: GitHubObserver | undefined;

export function setGitHubObserver(observer: GitHubObserver | undefined): void {
  current = observer;
}

/** "2xx" for 200..299 and so on; "error" when there was no HTTP answer (network, timeout). */
export function statusClass(status: unknown): StatusClass {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    return "error";
  }
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/** A low-cardinality name for the span: the route template, or a full URL's path with ids elided. */
export function routeName(url: string): string {
  if (!/^https?:\/\//i.test(url)) return url.split("?")[0] ?? url;
  return new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, "/{id}");
}

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];
type ObserverSource = () => GitHubObserver | undefined;

/**
 * The plugin. Applied after Probot's retry and throttling plugins, its wrap is the outermost: one
 * count, duration and span per logical request, retries and throttling waits included.
 */
export function githubInstrumentation(observer: ObserverSource = () => current): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const method = String(options.method ?? "GET").toUpperCase();
      const route = routeName(String(options.url ?? ""));
      const started = performance.now();
      return tracer().startActiveSpan(
        `github ${method} ${route}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            "http.request.method": method,
            "url.template": route,
            "server.address": host(options),
          },
        },
        async (span) => {
          let status: unknown;
          try {
            const response = await request(options);
            status = response.status;
            return response;
          } catch (err) {
            // Octokit reports a network failure as status 500 without a response: that is "error".
            status = (err as { response?: { status?: unknown } }).response?.status;
            failSpan(span, err);
            throw err;
          } finally {
            if (typeof status === "number") span.setAttribute("http.response.status_code", status);
            span.end();
            observer()?.request(statusClass(status), (performance.now() - started) / 1000);
          }
        },
      );
    });
  };
}

function host(options: { baseUrl?: unknown }): string {
  try {
    return new URL(String(options.baseUrl)).host;
  } catch {
    return "";
  }
}

interface ThrottledRequest {
  method?: string;
  url?: string;
}
type LimitHandler = (
  retryAfter: number,
  options: ThrottledRequest,
  octokit: { log: { warn: (message: string) => unknown } },
  retryCount: number,
) => boolean;

/** The throttling callbacks: count the wait, log it, and retry once (then the error surfaces). */
export function rateLimitHandler(
  kind: RateLimitKind,
  observer: ObserverSource = () => current,
): LimitHandler {
  return (retryAfter, options, octokit, retryCount) => {
    const what = `${options.method ?? "GET"} ${options.url ?? ""}`;
    if (retryCount >= 1) {
      octokit.log.warn(`GitHub ${kind} rate limit hit again with "${what}"; not retrying`);
      return false;
    }
    observer()?.rateLimitWait(kind);
    octokit.log.warn(`GitHub ${kind} rate limit hit with "${what}", retrying in ${retryAfter} seconds`);
    return true;
  };
}

/**
 * `Base` (Probot's Octokit by default) with the instrumentation and counting rate-limit callbacks;
 * give it to Probot: `run(app, { Octokit: instrumentedOctokit() })`. Other throttle options
 * (Redis clustering, `enabled: false` in tests) are kept.
 */
export function instrumentedOctokit(
  Base: typeof ProbotOctokit = ProbotOctokit,
  observer: ObserverSource = () => current,
): typeof ProbotOctokit {
  return Base.plugin(githubInstrumentation(observer)).defaults((options: { throttle?: object }) => ({
    ...options,
    throttle: {
      ...options.throttle,
      onRateLimit: rateLimitHandler("primary", observer),
      onSecondaryRateLimit: rateLimitHandler("secondary", observer),
    },
  })) as typeof ProbotOctokit;
}
