// Slack / PagerDuty on the app's event bus: the notifier (../notify) knows nothing of the app; here
// it is subscribed to the incident events, and each outcome goes back on the bus as `notification`.
import { DEFAULT_PAGERDUTY_ROUTING_KEY_ENV, DEFAULT_SLACK_WEBHOOK_ENV } from "../core/config/repo-config.js";
import type { AppEvents } from "./events.js";
import { inScope } from "./repo-scope.js";
import { notify, type NotifierOptions } from "../notify/notifier.js";
import type { IncidentNotice } from "../notify/types.js";

export interface NotificationOptions extends Omit<NotifierOptions, "mayUse"> {
  /**
   * Which repositories may use which variable (AFTERSHOCK_NOTIFY_SCOPES). When set, a variable it
   * does not list is used by none; unset, every repository may use the default variables
   * (UNSCOPED_VARIABLES) and no other, so naming another team's variable reaches nobody.
   */
  scopes?: Record<string, readonly string[]> | undefined;
}

/** What any repository may use without AFTERSHOCK_NOTIFY_SCOPES: the app's one Slack channel and PagerDuty service. */
export const UNSCOPED_VARIABLES: ReadonlySet<string> = new Set([
  DEFAULT_SLACK_WEBHOOK_ENV,
  DEFAULT_PAGERDUTY_ROUTING_KEY_ENV,
]);

/** Subscribes the notifier to the incident events of `events`. */
export function registerNotifications(events: AppEvents, options: NotificationOptions): void {
  const { scopes, onResult, ...rest } = options;
  const notifier: NotifierOptions = {
    ...rest,
    mayUse: scopes
      ? (envName, repo) => inScope(Object.hasOwn(scopes, envName) ? scopes[envName]! : [], repo)
      : (envName) => UNSCOPED_VARIABLES.has(envName),
    onResult: (channel, ok) => {
      onResult?.(channel, ok);
      events.emit("notification", { channel, outcome: ok ? "sent" : "failed" });
    },
  };
  const send = (notice: IncidentNotice) => notify(notice, notifier);
  events.on("incident.opened", (event) => send({ kind: "opened", event }));
  events.on("incident.severity", (event) => send({ kind: "severity", event, previous: event.previous }));
  events.on("incident.resolved", (event) => send({ kind: "resolved", event }));
}
