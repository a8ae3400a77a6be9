// The machine-readable state of an incident, kept in its issue body as a hidden HTML comment, so
// GitHub stays the system of record and any replica can pick up any incident. The JSON is base64
// encoded: alert text containing `-->` cannot end the comment early. Pure.
import { createHash } from "node:crypto";
import { z } from "zod";
import { RelatedGroupSchema } from "./related-group-schema.js";
import { IncidentResponseStateSchema } from "./response-state.js";

export const RECORD_VERSION = 1;
const MARKER = "aftershock:incident";
const BLOCK = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;

export type IncidentStatus = "firing" | "resolved";
export type IncidentSource = "alert" | "deploy-check";

const AlertStateSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  alertname: z.string(),
  summary: z.string().optional(),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  url: z.string().optional(),
  /** The alert's labels and annotations, bounded when described (at most 30 each, values cut to 300). */
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const TimelineEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  kind: z.string(),
  text: z.string(),
});

const DeploySchema = z.object({
  id: z.union([z.number(), z.string()]),
  sha: z.string(),
  environment: z.string(),
  createdAt: z.string(),
  status: z.string(),
  url: z.string().optional(),
});

const SuspectSchema = z.object({
  number: z.number(),
  title: z.string(),
  author: z.string(),
  url: z.string().optional(),
  deploymentId: z.union([z.number(), z.string()]),
  score: z.number(),
  /** Calibrated chance (0..1) that this PR is the culprit, when the ranker gives one. */
  confidence: z.number().optional(),
  reasons: z.array(z.string()),
  /** Paths the PR changed (bounded), so a later incident can match an earlier culprit's files. */
  files: z.array(z.string()).optional(),
});

/** A past incident like this one, found when it opened (see core/learning/similar.ts). */
const SimilarSchema = z.object({
  number: z.number(),
  url: z.string(),
  /** One sentence per match, raw (escaped when rendered). */
  why: z.array(z.string()),
  /** How it ended: "rolled back", "fixed forward", "flaky", "open" (a string, so new outcomes still parse). */
  outcome: z.string(),
});

/** Alerts of the latest delivery beyond MAX_FINGERPRINTS: counted, and a digest to notice change. */
const UnlistedSchema = z.object({
  count: z.number(),
  firing: z.number(),
  digest: z.string(),
});

// A record lives in an issue body GitHub caps at 65 536 characters: what alerts bring is bounded.
/** Alerts kept by fingerprint; more are counted in `unlisted`. */
export const MAX_FINGERPRINTS = 200;
/** Longer group keys and fingerprints are kept as a prefix and a hash (still unique, still stable). */
export const MAX_KEY_LENGTH = 200;
export const MAX_WARNINGS = 10;
const MAX_WARNING_LENGTH = 500;
/** Alert changes of one delivery listed one by one in the timeline; the rest as one entry. */
const MAX_TIMELINE_CHANGES = 10;

/** The key as is when short; else its start and a SHA-256 of the whole, so equal keys stay equal. */
export function boundedKey(key: string, max = MAX_KEY_LENGTH): string {
  if (key.length <= max) return key;
  const digest = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 32);
  return `${key.slice(0, max - 41)}…sha256:${digest}`;
}

/** At most MAX_WARNINGS warnings, each cut, and a last line counting the rest. */
export function boundedWarnings(warnings: readonly string[]): string[] {
  const cut = (w: string) => (w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 1)}…` : w);
  if (warnings.length <= MAX_WARNINGS) return warnings.map(cut);
  const rest = warnings.length - (MAX_WARNINGS - 1);
  return [...warnings.slice(0, MAX_WARNINGS - 1).map(cut), `… and ${rest} more warnings`];
}

export const IncidentRecordSchema = z.object({
  version: z.literal(RECORD_VERSION),
  groupKey: z.string(),
  /**
   * Alerts seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`), at most
   * MAX_FINGERPRINTS. A Map-free record: `__proto__` and other keys are own properties (see parseRecord).
   */
  fingerprints: z.record(z.string(), AlertStateSchema),
  /** The latest delivery's alerts that did not fit in `fingerprints`. */
  unlisted: UnlistedSchema.optional(),
  status: z.enum(["firing", "resolved"]),
  severity: z.enum(["P1", "P2", "P3"]),
  /** The alert name (or "Deploy check failed") shown in the title. */
  name: z.string(),
  service: z.string(),
  environment: z.string(),
  source: z.enum(["alert", "deploy-check"]),
  deploys: z.array(DeploySchema),
  suspects: z.array(SuspectSchema),
  timeline: z.array(TimelineEntrySchema),
  openedAt: z.string(),
  /** Problems worth showing in the issue (a bad config file, suspects that could not be ranked). */
  warnings: z.array(z.string()).default([]),
  externalURL: z.string().optional(),
  /** Why the severity is what it is, raw: `alert HighErrorRate: label severity="critical" → P1`. */
  severityRule: z.string().optional(),
  /** Where responders look first: the alert's runbook/dashboard, else the repository config's. */
  runbook: z.string().optional(),
  dashboard: z.string().optional(),
  /** What responders did: acknowledgement, rollbacks, action items, post-mortem, handled commands. */
  response: IncidentResponseStateSchema.optional(),
  /** Similar past incidents, at most 5, best first. */
  similar: z.array(SimilarSchema).optional(),
  /** Alert groups that joined this incident because they share its cause (see related-groups.ts). */
  related: z.array(RelatedGroupSchema).optional(),
  /** The first group's own status once others joined: `status` is then the whole incident's. */
  groupStatus: z.enum(["firing", "resolved"]).optional(),
});

export type AlertState = z.infer<typeof AlertStateSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type DeployEntry = z.infer<typeof DeploySchema>;
export type SuspectEntry = z.infer<typeof SuspectSchema>;
export type SimilarEntry = z.infer<typeof SimilarSchema>;
export type Unlisted = z.infer<typeof UnlistedSchema>;
export type IncidentRecord = z.infer<typeof IncidentRecordSchema>;

/** The hidden block for an issue body. */
export function serializeRecord(record: IncidentRecord): string {
  const json = JSON.stringify(record);
  return `<!-- ${MARKER} ${Buffer.from(json, "utf8").toString("base64")} -->`;
}

/**
 * The record in an issue body, or null when the body has no block or the block is not a valid
 * record (an edited or foreign issue is then simply not one of ours).
 */
export function parseRecord(body: string | null | undefined): IncidentRecord | null {
  // The app writes the block last; anything before it came from alerts and people.
  const match = [...(body ?? "").matchAll(new RegExp(BLOCK.source, "g"))].at(-1);
  if (!match) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(match[1]!, "base64").toString("utf8"));
  } catch {
    return null;
  }
  const result = IncidentRecordSchema.safeParse(json);
  if (!result.success) return null;
  // zod builds records by assignment, which drops a `__proto__` key: rebuild the alerts as own keys.
  const raw = (json as { fingerprints: object }).fingerprints;
  const fingerprints = Object.fromEntries(
    Object.entries(raw).flatMap(([fp, alert]) => {
      const parsed = AlertStateSchema.safeParse(alert);
      return parsed.success ? [[fp, parsed.data]] : [];
    }),
  );
  return { ...result.data, fingerprints };
}

/** What one delivery says about the group: its status and its alerts by fingerprint. */
export interface Delivery {
  status: IncidentStatus;
  alerts: Record<string, AlertState>;
}

export type Change =
  | { kind: "alert-added"; fingerprint: string; alert: AlertState }
  | { kind: "alert-resolved"; fingerprint: string; alert: AlertState }
  | { kind: "alert-refired"; fingerprint: string; alert: AlertState }
  | { kind: "alerts-unlisted"; count: number; firing: number }
  | { kind: "resolved" }
  | { kind: "refired" };

export interface MergeResult {
  record: IncidentRecord;
  /** Empty for an exact redelivery: then nothing is written. */
  changes: Change[];
}

/** The alerts of a delivery as a record keeps them: at most MAX_FINGERPRINTS, the rest counted. */
export function boundAlerts(alerts: Record<string, AlertState>): {
  fingerprints: Record<string, AlertState>;
  unlisted?: Unlisted;
} {
  const entries = Object.entries(alerts);
  const fingerprints = Object.fromEntries(entries.slice(0, MAX_FINGERPRINTS));
  const unlisted = unlistedOf(entries.slice(MAX_FINGERPRINTS));
  return { fingerprints, ...(unlisted ? { unlisted } : {}) };
}

function unlistedOf(entries: ReadonlyArray<[string, AlertState]>): Unlisted | undefined {
  if (entries.length === 0) return undefined;
  return {
    count: entries.length,
    firing: entries.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(entries),
  };
}

/** A short hash of alerts' fingerprints and statuses, whatever their order. */
export function alertsDigest(entries: ReadonlyArray<[string, AlertState]>): string {
  const lines = entries.map(([fp, a]) => `${fp} ${a.status}`).sort();
  return createHash("sha256").update(lines.join("\n"), "utf8").digest("hex").slice(0, 32);
}

/**
 * Folds a later delivery of the same group into the record: new fingerprints, alerts that resolved
 * or fired again, and the group's own resolution. Alerts beyond MAX_FINGERPRINTS are one change, when
 * their set differs from the last delivery's. Changes become timeline entries (a bounded number).
 * Fingerprints are looked up in a Map: a `__proto__` fingerprint is an alert like any other.
 */
export function mergeDelivery(
  record: IncidentRecord,
  delivery: Delivery,
  at: string,
  actor: string,
): MergeResult {
  const changes: Change[] = [];
  const kept = new Map(Object.entries(record.fingerprints));
  const beyond: Array<[string, AlertState]> = [];
  for (const [fingerprint, alert] of Object.entries(delivery.alerts)) {
    const before = kept.get(fingerprint);
    if (!before && kept.size >= MAX_FINGERPRINTS) {
      beyond.push([fingerprint, alert]);
      continue;
    }
    if (!before) changes.push({ kind: "alert-added", fingerprint, alert });
    else if (before.status !== alert.status)
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint,
        alert,
      });
    else if (before.endsAt === alert.endsAt && before.summary === alert.summary) continue;
    // Keep the first startsAt: the incident began when the alert first fired.
    kept.set(fingerprint, { ...alert, startsAt: before?.startsAt ?? alert.startsAt });
  }
  const unlisted = unlistedOf(beyond);
  if (unlisted && unlisted.digest !== record.unlisted?.digest)
    changes.push({ kind: "alerts-unlisted", count: unlisted.count, firing: unlisted.firing });
  if (delivery.status !== record.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  const { unlisted: _previous, ...rest } = record;
  const next: IncidentRecord = {
    ...rest,
    fingerprints: Object.fromEntries(kept),
    ...(unlisted ? { unlisted } : {}),
    status: delivery.status,
    timeline: [...record.timeline, ...timelineEntries(changes, at, actor)],
  };
  return { record: next, changes };
}

function timelineEntry(change: Change, at: string, actor: string): TimelineEntry {
  return { at, actor, kind: change.kind, text: describeChange(change) };
}

/** One entry per change, but alert changes beyond MAX_TIMELINE_CHANGES become one "… and N more". */
function timelineEntries(changes: readonly Change[], at: string, actor: string): TimelineEntry[] {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c,
    (change) => timelineEntry(change, at, actor),
    at,
    actor,
  );
}

/**
 * Timeline entries for a batch of changes, one each, except that alert changes past
 * MAX_TIMELINE_CHANGES become one "… and N more" (`isAlertChange` tells them apart).
 */
export function cappedTimeline<T>(
  items: readonly T[],
  isAlertChange: (item: T) => boolean,
  entryOf: (item: T) => TimelineEntry,
  at: string,
  actor: string,
): TimelineEntry[] {
  const perAlert = items.filter(isAlertChange);
  const listed = new Set(perAlert.slice(0, MAX_TIMELINE_CHANGES));
  const entries = items.filter((i) => !isAlertChange(i) || listed.has(i)).map(entryOf);
  const more = perAlert.length - listed.size;
  if (more > 0) entries.push({ at, actor, kind: "alerts-changed", text: `… and ${more} more alert changes` });
  return entries;
}

/** One line per change, raw (the renderer escapes it). */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case "alert-added":
      return `New alert ${change.alert.alertname} (${change.fingerprint}) is ${change.alert.status}`;
    case "alert-resolved":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) resolved`;
    case "alert-refired":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) fired again`;
    case "resolved":
      return "The alert group resolved";
    case "refired":
      return "The alert group fired again";
    case "alerts-unlisted":
      return `${change.count} more alerts (${change.firing} firing) beyond the ${MAX_FINGERPRINTS} listed`;
  }
}

/** Characters of the serialized block: base64 JSON of a record. */
export function serializedSize(record: IncidentRecord): number {
  return serializeRecord(record).length;
}

/**
 * A record whose hidden block fits in `budget` characters (GitHub caps an issue body at 65 536).
 * Fingerprints are all kept, since deduplication needs them; their summaries, links and the oldest
 * timeline entries go first, in steps, only as far as needed. About 300 alerts still fit in 30 000.
 * Annotations go before anything else: they are the bulkiest and the summary already keeps their gist.
 */
export function compactRecord(full: IncidentRecord, budget = 30_000): IncidentRecord {
  if (serializedSize(full) <= budget) return full;
  const record: IncidentRecord = { ...full, warnings: boundedWarnings(full.warnings) };
  const withoutAnnotations: IncidentRecord = {
    ...record,
    fingerprints: Object.fromEntries(
      Object.entries(record.fingerprints).map(([fp, { annotations: _dropped, ...alert }]) => [fp, alert]),
    ),
  };
  if (serializedSize(withoutAnnotations) <= budget) return withoutAnnotations;
  const steps: Array<{ detailed: number; summary: number; timeline: number; name: number }> = [
    { detailed: Infinity, summary: 200, timeline: 200, name: 200 },
    { detailed: 50, summary: 200, timeline: 100, name: 100 },
    { detailed: 10, summary: 100, timeline: 30, name: 60 },
    { detailed: 0, summary: 0, timeline: 10, name: 40 },
    // Last resort (hundreds of alerts): only fingerprint and status, which deduplication needs.
    { detailed: 0, summary: 0, timeline: 10, name: 0 },
  ];
  let compacted = record;
  for (const step of steps) {
    compacted = {
      ...record,
      fingerprints: Object.fromEntries(
        Object.entries(record.fingerprints).map(([fp, alert], i) => {
          const { summary, url, labels, annotations: _dropped, ...rest } = alert;
          const kept = { ...rest, alertname: alert.alertname.slice(0, step.name) };
          if (step.name === 0) kept.startsAt = "";
          if (i >= step.detailed) return [fp, kept];
          return [
            fp,
            {
              ...kept,
              ...(summary ? { summary: summary.slice(0, step.summary) } : {}),
              ...(url ? { url } : {}),
              // Labels stay with the detailed alerts, cut like summaries, and go when summaries do.
              ...(labels && step.summary > 0 ? { labels: cutValues(labels, step.summary) } : {}),
            },
          ];
        }),
      ),
      timeline: record.timeline.slice(-step.timeline),
    };
    if (serializedSize(compacted) <= budget) return compacted;
  }
  return lastResort(compacted);
}

/** What still does not fit (long names everywhere): only what deduplication and the title need. */
function lastResort(record: IncidentRecord): IncidentRecord {
  const cut = (text: string) => text.slice(0, 100);
  return {
    ...record,
    name: cut(record.name),
    service: cut(record.service),
    environment: cut(record.environment),
    warnings: record.warnings.slice(0, 3).map(cut),
    deploys: record.deploys.slice(0, 5),
    suspects: record.suspects.slice(0, 5).map(({ files: _files, ...s }) => ({
      ...s,
      title: cut(s.title),
      reasons: s.reasons.slice(0, 3).map(cut),
    })),
    timeline: record.timeline.slice(-3).map((e) => ({ ...e, text: cut(e.text) })),
    ...(record.similar ? { similar: record.similar.slice(0, 2) } : {}),
  };
}

function cutValues(values: Record<string, string>, max: number): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.slice(0, max)]));
}
