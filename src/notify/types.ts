// What the notifier sends and through what: the incident notices, the channel names (declared
// here only) and the one interface every channel implements. Nothing here knows the app: the app
// turns its events into notices (app/notifications.ts).
import type { IncidentRecord } from "../core/incident/incident-record.js";
import type { NotificationsConfig, RepoConfig } from "../core/config/repo-config.js";
import type { Severity } from "../core/gate/types.js";
import type { PostOptions, PostResult } from "./http.js";

/** The incident a notice is about: what the app's incident events carry, as far as channels care. */
export interface NoticeEvent {
  repo: { owner: string; repo: string };
  number: number;
  /** The incident issue. */
  url: string;
  record: IncidentRecord;
  config: Pick<RepoConfig, "notifications">;
}

export type IncidentNotice =
  | { kind: "opened"; event: NoticeEvent }
  | { kind: "severity"; event: NoticeEvent; previous: Severity }
  | { kind: "resolved"; event: NoticeEvent };

/** Every channel, in the order they are tried; the only place the names are written. */
export const NOTIFICATION_CHANNELS = ["slack", "pagerduty"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** How the HTTP calls are made (tests shorten the timeouts and backoff). */
export type HttpOptions = Omit<PostOptions, "target">;

/** One place notices can go (Slack, PagerDuty): Alertmanager's `notify.Notifier`, in small. */
export interface Channel {
  name: NotificationChannel;
  /**
   * The environment variable a repository's configuration names for the secret; undefined when the
   * repository does not use this channel.
   */
  secretEnv(config: NotificationsConfig): string | undefined;
  /** Delivers the notice with the secret (a URL or a key). Never throws; the result never holds the secret. */
  send(secret: string, notice: IncidentNotice, http?: HttpOptions): Promise<PostResult>;
}

export type { PostOptions, PostResult };
