// The machine-readable state of an incident, kept in its issue body as a hidden HTML comment, so
// GitHub stays the system of record and any replica can pick up any incident. The JSON is base64
// encoded: alert text containing `-->` cannot end the comment early. Pure.
import { z } from "zod";
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

export const IncidentRecordSchema = z.object({
  version: z.literal(RECORD_VERSION),
  groupKey: z.string(),
  /** Every alert seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`). */
  fingerprints: z.record(z.string(), AlertStateSchema),
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
});

export type AlertState = z.infer<typeof AlertStateSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type DeployEntry = z.infer<typeof DeploySchema>;
export type SuspectEntry = z.infer<typeof SuspectSchema>;
export type SimilarEntry = z.infer<typeof SimilarSchema>;
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
  return result.success ? result.data : null;
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
  | { kind: "resolved" }
  | { kind: "refired" };

export interface MergeResult {
  record: IncidentRecord;
  /** Empty for an exact redelivery: then nothing is written. */
  changes: Change[];
}

/**
 * Folds a later delivery of the same group into the record: new fingerprints, alerts that resolved
 * or fired again, and the group's own resolution. Each change also becomes a timeline entry.
 */
export function mergeDelivery(
  record: IncidentRecord,
  delivery: Delivery,
  at: string,
  actor: string,
): MergeResult {
  const changes: Change[] = [];
  const fingerprints = { ...record.fingerprints };
  for (const [fingerprint, alert] of Object.entries(delivery.alerts)) {
    const before = fingerprints[fingerprint];
    if (!before) changes.push({ kind: "alert-added", fingerprint, alert });
    else if (before.status !== alert.status)
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint,
        alert,
      });
    else if (before.endsAt === alert.endsAt && before.summary === alert.summary) continue;
    // Keep the first startsAt: the incident began when the alert first fired.
    fingerprints[fingerprint] = { ...alert, startsAt: before?.startsAt ?? alert.startsAt };
  }
  if (delivery.status !== record.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  const timeline = [...record.timeline, ...changes.map((change) => timelineEntry(change, at, actor))];
  return { record: { ...record, fingerprints, status: delivery.status, timeline }, changes };
}

function timelineEntry(change: Change, at: string, actor: string): TimelineEntry {
  return { at, actor, kind: change.kind, text: describeChange(change) };
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
export function compactRecord(record: IncidentRecord, budget = 30_000): IncidentRecord {
  if (serializedSize(record) <= budget) return record;
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
  return compacted;
}

function cutValues(values: Record<string, string>, max: number): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.slice(0, max)]));
}
