// One incident per cause: alert groups that start firing while an open incident of the same
// environment names the same top suspect deploy join it as "related" groups instead of opening their
// own issue. This module folds deliveries into such a record (per-group resolution, the incident
// resolved when every group is), joins and splits groups. Pure: the app decides when and under which
// lock (app/grouping).
import type { AlertState, Change, Delivery, IncidentRecord, TimelineEntry } from "./incident-record.js";
import {
  alertsDigest,
  boundedKey,
  cappedTimeline,
  describeChange,
  mergeDelivery,
  RECORD_VERSION,
} from "./incident-record.js";
import type { RelatedAlert, RelatedGroup } from "./related-group-schema.js";
import { worstSeverity } from "../gate/severity.js";
import type { Severity } from "../gate/types.js";

/** An incident takes at most this many related groups; a group past it opens its own incident. */
export const MAX_RELATED_GROUPS = 20;
/** Alerts of a related group kept by fingerprint (the rest are counted, and covered by the digest). */
export const MAX_RELATED_ALERTS = 10;
/** Characters the related groups may take in the record's JSON; past it their alerts are thinned. */
export const RELATED_JSON_BUDGET = 16_000;
const MAX_SUMMARY = 120;
const MAX_FINGERPRINT = 64;

/** What a delivery says about its group, as grouping needs it. */
export interface GroupDraft {
  groupKey: string;
  name: string;
  service: string;
  environment: string;
  severity: Severity;
  delivery: Delivery;
}

export type GroupEvent =
  | { kind: "group-joined"; deployment: string; count: number; firing: number }
  | { kind: "alerts-changed"; count: number; firing: number }
  | { kind: "severity-raised"; from: Severity; to: Severity }
  | { kind: "incident-resolved" }
  | { kind: "incident-refired" };

/** A change and the group it happened in (its display name). */
export interface GroupedChange {
  group: string;
  change: Change | GroupEvent;
}

export interface GroupMerge {
  record: IncidentRecord;
  /** Empty for an identical redelivery: nothing is written. */
  changes: GroupedChange[];
}

/** The deploy an incident is blamed on: its top suspect's deployment, or null without suspects. */
export function topDeployment(record: Pick<IncidentRecord, "suspects">): string | null {
  const top = record.suspects[0];
  return top ? String(top.deploymentId) : null;
}

export function hasGroup(record: IncidentRecord, groupKey: string): boolean {
  return record.groupKey === groupKey || (record.related ?? []).some((g) => g.groupKey === groupKey);
}

export interface JoinCriteria {
  environment: string;
  deployment: string;
  now: Date;
  windowMs: number;
}

/**
 * Whether a new group with this cause may join the incident: same environment and top suspect
 * deploy, opened within the window, not resolved by a person (/resolve) and not full.
 */
export function canJoin(record: IncidentRecord, want: JoinCriteria): boolean {
  const opened = Date.parse(record.openedAt);
  return (
    record.environment === want.environment &&
    topDeployment(record) === want.deployment &&
    !record.response?.resolvedAt &&
    (record.related?.length ?? 0) < MAX_RELATED_GROUPS &&
    Number.isFinite(opened) &&
    want.now.getTime() - opened <= want.windowMs &&
    want.now.getTime() - opened >= -60_000
  );
}

/** `HighLatency · checkout`: how changes and the related table name a group. */
export function groupName(group: { name: string; service: string }): string {
  return `${group.name} · ${group.service}`;
}

/**
 * Folds one delivery of `draft.groupKey` into the incident that holds it. An incident without related
 * groups behaves exactly as mergeDelivery; with them, each group keeps its own status and the
 * incident resolves when the last one does. Throws when the group is not in the incident.
 */
export function mergeGroupDelivery(
  record: IncidentRecord,
  draft: GroupDraft,
  at: string,
  actor: string,
): GroupMerge {
  const related = record.related ?? [];
  if (draft.groupKey === record.groupKey) {
    if (related.length === 0) {
      const merged = mergeDelivery(record, draft.delivery, at, actor);
      return { record: merged.record, changes: merged.changes.map((change) => ({ group: "", change })) };
    }
    const own = mergeDelivery({ ...record, status: firstGroupStatus(record) }, draft.delivery, at, actor);
    const next = { ...own.record, timeline: record.timeline, groupStatus: draft.delivery.status };
    const name = groupName(record);
    return finish(
      record,
      next,
      own.changes.map((change) => ({ group: name, change })),
      at,
      actor,
    );
  }
  const index = related.findIndex((g) => g.groupKey === draft.groupKey);
  if (index < 0) throw new Error(`group ${draft.groupKey} is not in this incident`);
  const group = related[index]!;
  const { next: updated, changes } = mergeRelated(group, draft.delivery);
  if (changes.length === 0) return { record, changes: [] };
  const nextRelated = related.map((g, i) => (i === index ? updated : g));
  const name = groupName(group);
  return finish(
    record,
    { ...record, related: boundRelated(nextRelated) },
    changes.map((change) => ({ group: name, change })),
    at,
    actor,
  );
}

/** Adds a new group to the incident (canJoin said yes); its severity can only raise the incident's. */
export function joinGroup(
  record: IncidentRecord,
  draft: GroupDraft,
  deployment: string,
  at: string,
  actor: string,
): GroupMerge {
  const alerts = Object.entries(draft.delivery.alerts);
  const group: RelatedGroup = {
    groupKey: draft.groupKey,
    name: draft.name,
    service: draft.service,
    severity: draft.severity,
    status: draft.delivery.status,
    joinedAt: at,
    alerts: alerts.slice(0, MAX_RELATED_ALERTS).map(([fp, a]) => relatedAlert(fp, a)),
    count: alerts.length,
    firing: alerts.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(alerts),
  };
  const severity = worstSeverity([record.severity, draft.severity]) ?? record.severity;
  const changes: GroupedChange[] = [
    {
      group: groupName(group),
      change: { kind: "group-joined", deployment, count: group.count, firing: group.firing },
    },
  ];
  if (severity !== record.severity)
    changes.push({ group: "", change: { kind: "severity-raised", from: record.severity, to: severity } });
  const next: IncidentRecord = {
    ...record,
    severity,
    groupStatus: firstGroupStatus(record),
    related: boundRelated([...(record.related ?? []), group]),
  };
  return finish(record, next, changes, at, actor);
}

/**
 * The incident for related group `index` (1-based, as the related table numbers them) on its own,
 * for /split: its alerts, the same suspects and deploys, a timeline that says where it came from.
 */
export function splitOutRecord(
  record: IncidentRecord,
  index: number,
  from: { number: number },
  at: string,
  actor: string,
): { group: RelatedGroup; record: IncidentRecord } | null {
  const group = record.related?.[index - 1];
  if (!group) return null;
  const fingerprints: Record<string, AlertState> = {};
  for (const a of group.alerts) {
    fingerprints[a.fingerprint] = {
      status: a.status,
      alertname: a.alertname,
      ...(a.summary ? { summary: a.summary } : {}),
      startsAt: group.joinedAt,
    };
  }
  const opened: IncidentRecord = {
    version: RECORD_VERSION,
    groupKey: group.groupKey,
    fingerprints,
    status: group.status,
    severity: group.severity,
    name: group.name,
    service: group.service,
    environment: record.environment,
    source: "alert",
    deploys: record.deploys,
    suspects: record.suspects,
    timeline: [
      {
        at: group.joinedAt,
        actor: "alertmanager",
        kind: "opened",
        text: `Joined #${from.number} (same top suspect deploy)`,
      },
      { at, actor, kind: "split", text: `Split out of #${from.number} into its own incident` },
    ],
    openedAt: group.joinedAt,
    warnings: [],
    ...(record.externalURL ? { externalURL: record.externalURL } : {}),
  };
  return { group, record: opened };
}

/** The incident without related group `groupKey` (moved to issue `to` by /split). */
export function withoutGroup(
  record: IncidentRecord,
  groupKey: string,
  to: { number: number },
  at: string,
  actor: string,
): IncidentRecord {
  const group = (record.related ?? []).find((g) => g.groupKey === groupKey);
  if (!group) return record;
  const related = (record.related ?? []).filter((g) => g.groupKey !== groupKey);
  const next: IncidentRecord = { ...record, related };
  const entry: TimelineEntry = {
    at,
    actor,
    kind: "split",
    text: `Alert group ${groupName(group)} split out into #${to.number}`,
  };
  return finish(record, next, [], at, actor, [entry]).record;
}

/** The first group's own status: `groupStatus` once others joined, else the incident's. */
function firstGroupStatus(record: IncidentRecord): "firing" | "resolved" {
  return record.groupStatus ?? record.status;
}

/** The incident's status from its groups', the incident-level change, and the timeline entries. */
function finish(
  before: IncidentRecord,
  next: IncidentRecord,
  changes: GroupedChange[],
  at: string,
  actor: string,
  extra: TimelineEntry[] = [],
): GroupMerge {
  const groups = [firstGroupStatus(next), ...(next.related ?? []).map((g) => g.status)];
  const status = groups.includes("firing") ? "firing" : "resolved";
  const all = [...changes];
  if (status !== before.status)
    all.push({
      group: "",
      change: { kind: status === "resolved" ? "incident-resolved" : "incident-refired" },
    });
  return {
    record: {
      ...next,
      status,
      timeline: [...next.timeline, ...timelineEntries(all, at, actor), ...extra],
    },
    changes: all,
  };
}

function mergeRelated(
  group: RelatedGroup,
  delivery: Delivery,
): { next: RelatedGroup; changes: Array<Change | GroupEvent> } {
  const alerts = Object.entries(delivery.alerts);
  const digest = alertsDigest(alerts);
  if (digest === group.digest && delivery.status === group.status) return { next: group, changes: [] };
  const listed = new Map(group.alerts.map((a) => [a.fingerprint, a]));
  const changes: Array<Change | GroupEvent> = [];
  for (const [fp, alert] of alerts) {
    const key = boundedKey(fp, MAX_FINGERPRINT);
    const before = listed.get(key);
    if (!before) {
      if (listed.size >= MAX_RELATED_ALERTS) continue;
      changes.push({ kind: "alert-added", fingerprint: fp, alert });
    } else if (before.status !== alert.status) {
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint: fp,
        alert,
      });
    } else continue;
    listed.set(key, relatedAlert(fp, alert));
  }
  const firing = alerts.filter(([, a]) => a.status === "firing").length;
  if (changes.length === 0 && digest !== group.digest)
    changes.push({ kind: "alerts-changed", count: alerts.length, firing });
  if (delivery.status !== group.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  return {
    next: {
      ...group,
      status: delivery.status,
      alerts: [...listed.values()],
      count: alerts.length,
      firing,
      digest,
    },
    changes,
  };
}

function relatedAlert(fingerprint: string, alert: AlertState): RelatedAlert {
  return {
    fingerprint: boundedKey(fingerprint, MAX_FINGERPRINT),
    status: alert.status,
    alertname: alert.alertname.slice(0, 100),
    ...(alert.summary ? { summary: alert.summary.slice(0, MAX_SUMMARY) } : {}),
  };
}

/** Related groups within RELATED_JSON_BUDGET: summaries go first, then all but 3 alerts per group. */
function boundRelated(groups: RelatedGroup[]): RelatedGroup[] {
  const size = (g: RelatedGroup[]) => JSON.stringify(g).length;
  if (size(groups) <= RELATED_JSON_BUDGET) return groups;
  const bare = groups.map((g) => ({ ...g, alerts: g.alerts.map(({ summary: _s, ...a }) => a) }));
  if (size(bare) <= RELATED_JSON_BUDGET) return bare;
  return bare.map((g) => ({ ...g, alerts: g.alerts.slice(0, 3) }));
}

/** One line per change, raw (the renderer escapes it). */
export function describeGroupedChange({ group, change }: GroupedChange): string {
  switch (change.kind) {
    case "group-joined":
      return `Alert group ${group} joined: same environment and top suspect deploy ${change.deployment} (${change.firing} of ${change.count} alerts firing)`;
    case "alerts-changed":
      return `${group}: alerts changed (${change.firing} of ${change.count} firing)`;
    case "severity-raised":
      return `Severity raised from ${change.from} to ${change.to} by a related alert group`;
    case "incident-resolved":
      return "Every alert group of this incident has resolved";
    case "incident-refired":
      return "The incident fired again";
    case "resolved":
      return group ? `Alert group ${group} resolved` : describeChange(change);
    case "refired":
      return group ? `Alert group ${group} fired again` : describeChange(change);
    default:
      return group ? `${group}: ${describeChange(change)}` : describeChange(change);
  }
}

/** Like mergeDelivery's: one entry per change, alert changes past the cap as one. */
function timelineEntries(changes: readonly GroupedChange[], at: string, actor: string): TimelineEntry[] {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c.change,
    (c) => ({ at, actor, kind: c.change.kind, text: describeGroupedChange(c) }),
    at,
    actor,
  );
}
