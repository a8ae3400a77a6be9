// The app's own Prometheus metrics, fed from AppEvents (stages know nothing about metrics) and from
// the GitHub Octokit plugin. One Registry per app, not prom-client's global one, so tests and
// several apps in a process never collide. Label values are bounded sets: never a user, a
// repository or an alert name, which would grow the series without limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions } from "probot";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { IncidentSource } from "../../core/incident/incident-record.js";
import type { Severity } from "../../core/gate/types.js";
import { tokensMatch } from "../alertmanager/authenticate.js";
import type { AppEventMap, AppEvents, CommandOutcome, DeliveryOutcome, RollbackOutcome } from "../events.js";
import { sendJson } from "../http.js";
import { NOTIFICATION_CHANNELS } from "../../notify/types.js";
import type { AppSettings } from "../settings.js";
import { setGitHubObserver, type GitHubObserver, type StatusClass } from "./github-instrumentation.js";
import { boundedCommand } from "./tracing.js";
import { errorMessage } from "../../core/errors.js";

// Records (not arrays) so the compiler flags a value added to a union type and missing here.
const DELIVERY_STATUSES: Record<AppEventMap["alert.delivery"]["status"], true> = {
  firing: true,
  resolved: true,
  unknown: true,
};
const DELIVERY_OUTCOMES: Record<DeliveryOutcome, true> = {
  created: true,
  updated: true,
  unchanged: true,
  ignored: true,
  rejected: true,
  failed: true,
};
const SEVERITIES: Record<Severity, true> = { P1: true, P2: true, P3: true };
const SOURCES: Record<IncidentSource, true> = { alert: true, "deploy-check": true };
const COMMAND_OUTCOMES: Record<CommandOutcome, true> = {
  done: true,
  refused: true,
  invalid: true,
  failed: true,
  duplicate: true,
  ignored: true,
};
const ROLLBACK_OUTCOMES: Record<RollbackOutcome, true> = {
  opened: true,
  existing: true,
  conflict: true,
  "not-merged": true,
  failed: true,
};
const STATUS_CLASSES: Record<StatusClass, true> = {
  "1xx": true,
  "2xx": true,
  "3xx": true,
  "4xx": true,
  "5xx": true,
  error: true,
};
const CHANNELS: Record<string, true> = Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, true]));
const NOTIFICATION_OUTCOMES: Record<AppEventMap["notification"]["outcome"], true> = {
  sent: true,
  failed: true,
};

/** `value` when it is one of `allowed`, else "unknown": a label can never take an arbitrary value. */
export function bounded(value: string, allowed: Record<string, true>): string {
  return Object.hasOwn(allowed, value) ? value : "unknown";
}

export { boundedCommand };

// Seconds from an Alertmanager delivery to the issue written, GitHub calls and correlation included.
const DELIVERY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
const GITHUB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const REQUEST_COUNT_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

export interface AppMetrics {
  registry: Registry;
  /** Where the GitHub Octokit plugin reports requests and rate-limit waits. */
  github: GitHubObserver;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC) under their standard names. Default true. */
  defaultMetrics?: boolean;
}

/** A fresh registry with the app's metrics, subscribed to `events`. */
export function createMetrics(events: AppEvents, options: MetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const deliveries = new Counter({
    name: "aftershock_alert_deliveries_total",
    help: "Alertmanager deliveries answered, by alert group status and outcome",
    labelNames: ["status", "outcome"] as const,
    registers,
  });
  const alertToIssue = new Histogram({
    name: "aftershock_alert_to_issue_seconds",
    help: "Seconds from an Alertmanager delivery arriving to its incident issue written (created or updated)",
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const opened = new Counter({
    name: "aftershock_incidents_opened_total",
    help: "Incident issues opened, by severity and source (alert or deploy-check)",
    labelNames: ["severity", "source"] as const,
    registers,
  });
  const deduplicated = new Counter({
    name: "aftershock_deliveries_deduplicated_total",
    help: "Deliveries that repeated a known alert group exactly and changed nothing",
    registers,
  });
  const rollbacks = new Counter({
    name: "aftershock_rollback_prs_total",
    help: "Rollback (revert) pull requests requested, by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  const commands = new Counter({
    name: "aftershock_commands_total",
    help: "Slash commands run in incident issues, by command and outcome",
    labelNames: ["command", "outcome"] as const,
    registers,
  });
  const correlationSeconds = new Histogram({
    name: "aftershock_correlation_seconds",
    help: "Seconds spent finding the deploys and ranking the suspect PRs of a new incident",
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const correlationRequests = new Histogram({
    name: "aftershock_correlation_github_requests",
    help: "GitHub requests made to correlate one incident",
    buckets: REQUEST_COUNT_BUCKETS,
    registers,
  });
  const notifications = new Counter({
    name: "aftershock_notifications_total",
    help: "Incident notifications attempted (after their retry), by channel and outcome",
    labelNames: ["channel", "outcome"] as const,
    registers,
  });
  const githubRequests = new Counter({
    name: "aftershock_github_requests_total",
    help: 'GitHub API requests, by status class ("error": no response)',
    labelNames: ["status"] as const,
    registers,
  });
  const githubSeconds = new Histogram({
    name: "aftershock_github_request_duration_seconds",
    help: "Seconds per GitHub API request (throttling waits and retries included), by status class",
    labelNames: ["status"] as const,
    buckets: GITHUB_BUCKETS,
    registers,
  });
  const rateLimitWaits = new Counter({
    name: "aftershock_github_rate_limit_waits_total",
    help: "Times a GitHub request hit a rate limit, by kind (primary or secondary)",
    labelNames: ["kind"] as const,
    registers,
  });

  events.on("alert.delivery", (e) => {
    deliveries.inc({
      status: bounded(e.status, DELIVERY_STATUSES),
      outcome: bounded(e.outcome, DELIVERY_OUTCOMES),
    });
    if (e.outcome === "created" || e.outcome === "updated") alertToIssue.observe(e.seconds);
  });
  events.on("incident.opened", (e) => {
    opened.inc({ severity: bounded(e.record.severity, SEVERITIES), source: bounded(e.source, SOURCES) });
  });
  events.on("incident.updated", (e) => {
    if (e.changes.length === 0) deduplicated.inc();
  });
  events.on("rollback", (e) => rollbacks.inc({ outcome: bounded(e.outcome, ROLLBACK_OUTCOMES) }));
  events.on("command", (e) => {
    commands.inc({ command: boundedCommand(e.name), outcome: bounded(e.outcome, COMMAND_OUTCOMES) });
  });
  events.on("correlation", (e) => {
    correlationSeconds.observe(e.seconds);
    correlationRequests.observe(e.requests);
  });
  events.on("notification", (e) => {
    notifications.inc({
      channel: bounded(e.channel, CHANNELS),
      outcome: bounded(e.outcome, NOTIFICATION_OUTCOMES),
    });
  });

  const github: GitHubObserver = {
    request(status, seconds) {
      const label = bounded(status, STATUS_CLASSES);
      githubRequests.inc({ status: label });
      githubSeconds.observe({ status: label }, seconds);
    },
    rateLimitWait(kind) {
      rateLimitWaits.inc({ kind: kind === "secondary" ? "secondary" : "primary" });
    },
  };
  return { registry, github };
}

/**
 * GET /metrics in the Prometheus text format. With a token, only `Authorization: Bearer <token>`
 * may read it (compared in constant time); without one it is open, as is usual inside a cluster.
 */
export function createMetricsHandler(registry: Registry, token: string | undefined) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(
        res,
        405,
        { error: "use GET: this is the Prometheus metrics endpoint" },
        { allow: "GET, HEAD" },
      );
      return true;
    }
    if (token !== undefined) {
      const header = req.headers.authorization;
      if (header !== undefined) req.headers.authorization = "[redacted]";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
      if (!match || !tokensMatch(match[1]!, token)) {
        sendJson(
          res,
          401,
          {
            error: match
              ? "invalid bearer token for /metrics"
              : "missing bearer token: send Authorization: Bearer <METRICS_TOKEN> (Prometheus: authorization.credentials)",
          },
          { "www-authenticate": 'Bearer realm="aftershock-metrics"' },
        );
        return true;
      }
    }
    let text: string;
    try {
      text = await registry.metrics();
    } catch (err) {
      sendJson(res, 500, { error: `metrics could not be collected: ${errorMessage(err)}` });
      return true;
    }
    res.writeHead(200, {
      "content-type": registry.contentType,
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : text);
    return true;
  };
}

/**
 * Creates the app's metrics, serves them on GET /metrics and makes them the destination of the
 * GitHub instrumentation (the Octokit plugin given to Probot in main.ts).
 */
export function registerMetrics(
  addHandler: ApplicationFunctionOptions["addHandler"],
  deps: { events: AppEvents; settings: Pick<AppSettings, "metricsToken"> },
  options: MetricsOptions = {},
): AppMetrics {
  const metrics = createMetrics(deps.events, options);
  setGitHubObserver(metrics.github);
  addHandler(createMetricsHandler(metrics.registry, deps.settings.metricsToken));
  return metrics;
}
