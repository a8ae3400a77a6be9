// Announces incidents to the channels a repository configures (`notifications` in
// .github/aftershock.yml): listens on AppEvents, which run after the incident is written, so a
// notification can never cost an incident. Secrets come from the app's environment, named by the
// repository file; neither the Slack webhook URL nor the PagerDuty routing key is ever logged.
import type { Logger } from "pino";
import { inScope } from "../app/repo-scope.js";
import type { AppEvents, IncidentEvent } from "../app/events.js";
import type { Severity } from "../core/types.js";
import type { PostOptions, PostResult } from "./http.js";
import { sendPagerDutyAlert } from "./pagerduty.js";
import { sendSlack } from "./slack.js";

export type IncidentNotice =
  | { kind: "opened"; event: IncidentEvent }
  | { kind: "severity"; event: IncidentEvent; previous: Severity }
  | { kind: "resolved"; event: IncidentEvent };

export type NotificationChannel = "slack" | "pagerduty";

export interface NotifierOptions {
  log: Pick<Logger, "info" | "warn">;
  /** Where the variables named by `webhookUrlEnv` / `routingKeyEnv` are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Which repositories may use which variable (AFTERSHOCK_NOTIFY_SCOPES): a repository's file only
   * names a variable, and must not reach another team's channel by naming theirs. When set, a
   * variable it does not list is used by none; unset, every repository may use every variable.
   */
  scopes?: Record<string, readonly string[]> | undefined;
  /** Called once per channel and notice, after the retry: a hook for counters. */
  onResult?: (channel: NotificationChannel, ok: boolean) => void;
  /** Timeouts, backoff and fetch for the HTTP calls (tests shorten them). */
  http?: Omit<PostOptions, "target">;
  /** PagerDuty Events API endpoint; default the public one. */
  pagerDutyUrl?: string;
}

/** Subscribes the notifier to the incident events of `events`. */
export function registerNotifications(events: AppEvents, options: NotifierOptions): void {
  const notifier = (notice: IncidentNotice) => notify(notice, { ...options, events });
  events.on("incident.opened", (event) => notifier({ kind: "opened", event }));
  events.on("incident.severity", (event) => notifier({ kind: "severity", event, previous: event.previous }));
  events.on("incident.resolved", (event) => notifier({ kind: "resolved", event }));
}

interface Target {
  channel: NotificationChannel;
  envName: string;
  send: (secret: string) => Promise<PostResult>;
}

/**
 * Sends one notice to every configured channel, in parallel. Never throws: each failure is logged
 * (without the secret) and reported through onResult and the `notification` event.
 */
export async function notify(
  notice: IncidentNotice,
  options: NotifierOptions & { events?: AppEvents },
): Promise<void> {
  const { notifications } = notice.event.config;
  const targets: Target[] = [];
  if (notifications.slack) {
    targets.push({
      channel: "slack",
      envName: notifications.slack.webhookUrlEnv,
      send: (url) => sendSlack(url, notice, options.http),
    });
  }
  if (notifications.pagerduty) {
    targets.push({
      channel: "pagerduty",
      envName: notifications.pagerduty.routingKeyEnv,
      send: (key) =>
        sendPagerDutyAlert(key, notice, {
          ...options.http,
          ...(options.pagerDutyUrl ? { url: options.pagerDutyUrl } : {}),
        }),
    });
  }
  await Promise.all(targets.map((target) => deliver(target, notice, options)));
}

async function deliver(
  target: Target,
  notice: IncidentNotice,
  options: NotifierOptions & { events?: AppEvents },
): Promise<void> {
  const { repo, number } = notice.event;
  const fields = { channel: target.channel, repo: `${repo.owner}/${repo.repo}`, number, notice: notice.kind };
  let ok = false;
  try {
    const scope = options.scopes
      ? Object.hasOwn(options.scopes, target.envName)
        ? options.scopes[target.envName]!
        : []
      : null;
    const secret = (options.env ?? process.env)[target.envName]?.trim();
    if (scope && !inScope(scope, repo)) {
      options.log.warn(
        fields,
        `${target.envName} may not be used by ${repo.owner}/${repo.repo}, so ${target.channel} was not notified: ` +
          "the operator's AFTERSHOCK_NOTIFY_SCOPES does not allow it",
      );
    } else if (!secret) {
      options.log.warn(
        fields,
        `${target.envName} is not set in the app's environment, so ${target.channel} was not notified: ` +
          `set it, or remove notifications.${target.channel} from .github/aftershock.yml`,
      );
    } else {
      const result = await target.send(secret);
      ok = result.ok;
      if (ok) options.log.info({ ...fields, attempts: result.attempts }, `notified ${target.channel}`);
      else
        options.log.warn(
          { ...fields, attempts: result.attempts, status: result.status, reason: result.error },
          `could not notify ${target.channel} (${target.envName} may be wrong or the service is down)`,
        );
    }
  } catch (err) {
    // Unexpected (the senders do not throw): only the error's name, its message might hold a URL.
    options.log.warn({ ...fields, errorName: (err as Error)?.name }, `could not notify ${target.channel}`);
  }
  report(target.channel, ok, options);
}

function report(
  channel: NotificationChannel,
  ok: boolean,
  options: NotifierOptions & { events?: AppEvents },
): void {
  try {
    options.onResult?.(channel, ok);
    options.events?.emit("notification", { channel, outcome: ok ? "sent" : "failed" });
  } catch (err) {
    options.log.warn({ channel, errorName: (err as Error)?.name }, "a notification counter failed");
  }
}
