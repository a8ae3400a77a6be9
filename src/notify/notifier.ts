// Announces incidents to the channels a repository configures (`notifications` in
// .github/aftershock.yml). The app calls it after the incident is written (app/notifications.ts
// subscribes it to the app's events), so a notification can never cost an incident. Secrets come
// from the app's environment, named by the repository file; neither the Slack webhook URL nor the
// PagerDuty routing key is ever logged.
import type { Logger } from "pino";
import { pagerDutyChannel } from "./pagerduty.js";
import { slackChannel } from "./slack.js";
import type { Channel, HttpOptions, IncidentNotice, NotificationChannel, NoticeEvent } from "./types.js";

export interface NotifierOptions {
  log: Pick<Logger, "info" | "warn">;
  /** Where the variables named by `webhookUrlEnv` / `routingKeyEnv` are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Whether `repo` may use the variable `envName` (the operator's AFTERSHOCK_NOTIFY_SCOPES): a
   * repository's file only names a variable, and must not reach another team's channel by naming
   * theirs. Unset, every repository may use every variable (the app always sets it: app/notifications.ts).
   */
  mayUse?: ((envName: string, repo: NoticeEvent["repo"]) => boolean) | undefined;
  /** Called once per channel and notice, after the retry: a hook for counters. */
  onResult?: (channel: NotificationChannel, ok: boolean) => void;
  /** Timeouts, backoff and fetch for the HTTP calls (tests shorten them). */
  http?: HttpOptions;
  /** PagerDuty Events API endpoint; default the public one. */
  pagerDutyUrl?: string;
}

/** The channels, in the order of NOTIFICATION_CHANNELS. */
export function channels(options: Pick<NotifierOptions, "pagerDutyUrl"> = {}): Channel[] {
  return [slackChannel, pagerDutyChannel(options.pagerDutyUrl)];
}

/**
 * Sends one notice to every channel the repository configures, in parallel. Never throws: each
 * failure is logged (without the secret) and reported through onResult.
 */
export async function notify(notice: IncidentNotice, options: NotifierOptions): Promise<void> {
  const { notifications } = notice.event.config;
  const targets = channels(options).flatMap((channel) => {
    const envName = channel.secretEnv(notifications);
    return envName === undefined ? [] : [{ channel, envName }];
  });
  await Promise.all(targets.map(({ channel, envName }) => deliver(channel, envName, notice, options)));
}

async function deliver(
  channel: Channel,
  envName: string,
  notice: IncidentNotice,
  options: NotifierOptions,
): Promise<void> {
  const { repo, number } = notice.event;
  const name = channel.name;
  const fields = { channel: name, repo: `${repo.owner}/${repo.repo}`, number, notice: notice.kind };
  let ok = false;
  try {
    const secret = (options.env ?? process.env)[envName]?.trim();
    if (options.mayUse && !options.mayUse(envName, repo)) {
      options.log.warn(
        fields,
        `${envName} may not be used by ${repo.owner}/${repo.repo}, so ${name} was not notified: ` +
          "the operator's AFTERSHOCK_NOTIFY_SCOPES does not allow it",
      );
    } else if (!secret) {
      options.log.warn(
        fields,
        `${envName} is not set in the app's environment, so ${name} was not notified: ` +
          `set it, or remove notifications.${name} from .github/aftershock.yml`,
      );
    } else {
      const result = await channel.send(secret, notice, options.http);
      ok = result.ok;
      if (ok) options.log.info({ ...fields, attempts: result.attempts }, `notified ${name}`);
      else
        options.log.warn(
          { ...fields, attempts: result.attempts, status: result.status, reason: result.error },
          `could not notify ${name} (${envName} may be wrong or the service is down)`,
        );
    }
  } catch (err) {
    // Unexpected (the senders do not throw): only the error's name, its message might hold a URL.
    options.log.warn({ ...fields, errorName: (err as Error)?.name }, `could not notify ${name}`);
  }
  try {
    options.onResult?.(name, ok);
  } catch (err) {
    options.log.warn({ channel: name, errorName: (err as Error)?.name }, "a notification counter failed");
  }
}
