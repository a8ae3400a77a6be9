// PagerDuty Events API v2: alert events (trigger / resolve) for incidents, and change events for
// the deploys the Action verifies. The dedup_key is the alert group key, so a redelivery, a severity
// change and the resolution all land on the same PagerDuty alert.
import { createHash } from "node:crypto";
import { truncate } from "../core/text/markdown.js";
import type { Severity, Verdict } from "../core/gate/types.js";
import { isHttpUrl } from "../core/text/urls.js";
import type { PostOptions, PostResult } from "./http.js";
import { postJson } from "./http.js";
import type { Channel, IncidentNotice } from "./types.js";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const PAGERDUTY_CHANGE_URL = "https://events.pagerduty.com/v2/change/enqueue";

const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

export type PagerDutySeverity = "critical" | "error" | "warning" | "info";

const SEVERITY: Record<Severity, PagerDutySeverity> = { P1: "critical", P2: "error", P3: "warning" };

export function pagerDutySeverity(severity: Severity): PagerDutySeverity {
  return SEVERITY[severity];
}

/**
 * The group key, or a stable hash of it when it is longer than PagerDuty's 255 characters
 * (Alertmanager group keys hold the grouping labels and can be long).
 */
export function dedupKey(groupKey: string): string {
  if (groupKey.length <= DEDUP_KEY_MAX) return groupKey;
  return `aftershock:${createHash("sha256").update(groupKey).digest("hex")}`;
}

export interface PagerDutyLink {
  href: string;
  text: string;
}

export interface PagerDutyAlertEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  client?: string;
  client_url?: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: PagerDutyLink[];
}

function httpLink(href: string | undefined, text: string): PagerDutyLink[] {
  return href && isHttpUrl(href) ? [{ href, text: truncate(text, 200) }] : [];
}

/** The Events API body for a notice: trigger on open and severity change, resolve on resolution. */
export function alertEvent(notice: IncidentNotice, routingKey: string): PagerDutyAlertEvent {
  const { repo, number, url, record } = notice.event;
  const repoName = `${repo.owner}/${repo.repo}`;
  const base = { routing_key: routingKey, dedup_key: dedupKey(record.groupKey) };
  if (notice.kind === "resolved") return { ...base, event_action: "resolve" };

  const summary = truncate(
    `[${record.severity}] ${record.name} on ${record.service || repoName} (${record.environment})`,
    SUMMARY_MAX,
  );
  const suspects = record.suspects.slice(0, 3);
  return {
    ...base,
    event_action: "trigger",
    client: "aftershock",
    client_url: url,
    payload: {
      summary,
      // PagerDuty wants the affected system here; the service is the closest thing an alert names.
      source: truncate(record.service || repoName, 255),
      severity: pagerDutySeverity(record.severity),
      timestamp: record.openedAt,
      component: record.service || undefined,
      group: record.environment || undefined,
      class: truncate(record.name, 255),
      custom_details: {
        repository: repoName,
        issue: url,
        severity: record.severity,
        ...(notice.kind === "severity" ? { previous_severity: notice.previous } : {}),
        source: record.source,
        deploys: record.deploys.map((d) => `${d.sha.slice(0, 12)} to ${d.environment} (${d.status})`),
        suspects: suspects.map((s) => `#${s.number} ${truncate(s.title, 120)} by ${s.author}`),
      },
    },
    links: [
      ...httpLink(url, `Incident ${repoName}#${number}`),
      ...suspects.flatMap((s) => httpLink(s.url, `Suspect #${s.number}: ${s.title}`)),
      ...httpLink(record.externalURL, "Alertmanager"),
    ],
  };
}

/** Sends the alert event for a notice. Never throws; the result never holds the routing key. */
export async function sendPagerDutyAlert(
  routingKey: string,
  notice: IncidentNotice,
  options: Omit<PostOptions, "target"> & { url?: string } = {},
): Promise<PostResult> {
  const { url = PAGERDUTY_EVENTS_URL, ...rest } = options;
  return postJson(url, alertEvent(notice, routingKey), { ...rest, target: "PagerDuty Events API" });
}

/**
 * PagerDuty alerts, for repositories that name a routing key variable
 * (`notifications.pagerduty.routingKeyEnv`); `url` replaces the public Events API endpoint.
 */
export function pagerDutyChannel(url?: string): Channel {
  return {
    name: "pagerduty",
    secretEnv: (config) => config.pagerduty?.routingKeyEnv,
    send: (routingKey, notice, http) =>
      sendPagerDutyAlert(routingKey, notice, { ...http, ...(url ? { url } : {}) }),
  };
}

export interface DeployChange {
  sha: string;
  environment: string;
  verdict: Verdict;
  /** The verdict's one-line reason(s). */
  reason?: string;
  service?: string;
  repository?: string;
  /** The workflow run that verified the deploy. */
  runUrl?: string;
  /** When the verdict was reached; default now. */
  timestamp?: Date;
}

export interface PagerDutyChangeEvent {
  routing_key: string;
  payload: {
    summary: string;
    timestamp: string;
    source?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: PagerDutyLink[];
}

/** The Change Events body: "deploy <sha> to <env>: <verdict>". */
export function changeEvent(change: DeployChange, routingKey: string): PagerDutyChangeEvent {
  const summary = truncate(
    `deploy ${change.sha.slice(0, 12)} to ${change.environment}: ${change.verdict}`,
    SUMMARY_MAX,
  );
  return {
    routing_key: routingKey,
    payload: {
      summary,
      timestamp: (change.timestamp ?? new Date()).toISOString(),
      source: change.repository ? `aftershock (${change.repository})` : "aftershock",
      custom_details: {
        sha: change.sha,
        environment: change.environment,
        verdict: change.verdict,
        ...(change.service ? { service: change.service } : {}),
        ...(change.repository ? { repository: change.repository } : {}),
        ...(change.reason ? { reason: truncate(change.reason, 2000) } : {}),
      },
    },
    links: httpLink(change.runUrl, "aftershock deploy check run"),
  };
}

/**
 * Sends a change event for a verified deploy. Never throws: a failure is passed to `warn` (without
 * the key) and reported in the result, because a notification must never fail the deploy step.
 */
export async function sendDeployChangeEvent(
  routingKey: string,
  change: DeployChange,
  options: Omit<PostOptions, "target"> & { url?: string; warn?: (message: string) => void } = {},
): Promise<PostResult> {
  const { url = PAGERDUTY_CHANGE_URL, warn = () => {}, ...rest } = options;
  try {
    const result = await postJson(url, changeEvent(change, routingKey), {
      ...rest,
      target: "PagerDuty Change Events API",
    });
    if (!result.ok) warn(`aftershock: could not send the PagerDuty change event: ${result.error}`);
    return result;
  } catch (err) {
    // postJson does not throw; this is for anything unexpected (a bad Date, say).
    const message = `aftershock: could not send the PagerDuty change event: ${(err as Error).name}`;
    warn(message);
    return { ok: false, attempts: 0, error: message };
  }
}
