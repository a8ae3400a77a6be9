// Stage: write. Create the incident issue, or write what is new in one go: the body (record,
// timeline) and labels first, then the comment. Nothing at all is written for an exact redelivery.
import type { IncidentRecord, MergeResult } from "../../core/incident/incident-record.js";
import type { IncidentLabelConfig } from "../../core/incident/render-incident.js";
import {
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
  renderUpdateComment,
} from "../../core/incident/render-incident.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import type { IncidentStore, IncidentWrite, StoredIncident } from "../../github/incidents/index.js";
import { mergeLabels, sameLabels } from "../../github/incidents/index.js";

export type WriteOutcome =
  | { outcome: "created" | "updated" | "unchanged"; number: number; url: string }
  | { outcome: "ignored"; reason: string };

export async function createIncident(
  store: IncidentStore,
  record: IncidentRecord,
  config: RepoConfig,
): Promise<WriteOutcome> {
  const created = await store.create({
    title: incidentTitle(record),
    body: renderIncidentBody(record),
    labels: incidentLabels(record, config.labels),
    assignees: config.assignees,
  });
  if (created.assigneeError) {
    // The incident is open; say in it why nobody was assigned rather than fail the delivery.
    await store.comment(created.number, `⚠️ ${created.assigneeError}.`);
  }
  return { outcome: "created", number: created.number, url: created.url };
}

/**
 * The body goes first: if the comment then fails, the retried delivery finds the change already in
 * the record and posts nothing, so a failure can never repeat a comment (the timeline keeps it).
 */
export async function updateIncident(
  store: IncidentStore,
  existing: StoredIncident,
  merged: MergeResult,
  config: RepoConfig,
): Promise<WriteOutcome> {
  if (merged.changes.length === 0)
    return { outcome: "unchanged", number: existing.number, url: existing.url };
  const resolvedNow = merged.changes.some((c) => c.kind === "resolved");
  await store.write(existing.number, {
    ...incidentWrite(existing, merged.record, config.labels, {
      close: resolvedNow && config.closeOnResolve,
    }),
    comments: [renderUpdateComment(merged.changes)],
  });
  return { outcome: "updated", number: existing.number, url: existing.url };
}

/**
 * The one write that brings an open incident issue up to `record`: the body, the labels aftershock
 * manages (people's labels stay; sent only when they change, so a label added meanwhile is not
 * overwritten), the record's title when it differs from `retitleFrom` (not given: the title stays)
 * and the closing when `close` and the issue is not closed yet.
 */
export function incidentWrite(
  issue: Pick<StoredIncident, "labels" | "state">,
  record: IncidentRecord,
  labels: IncidentLabelConfig,
  options: { retitleFrom?: string; close?: boolean } = {},
): IncidentWrite {
  const wanted = mergeLabels(issue.labels, incidentLabels(record, labels), labels.resolved);
  const title = incidentTitle(record);
  const retitled = options.retitleFrom !== undefined && title !== options.retitleFrom;
  return {
    body: renderIncidentBody(record),
    ...(retitled ? { title } : {}),
    ...(sameLabels(issue.labels, wanted) ? {} : { labels: wanted }),
    ...(options.close && issue.state !== "closed" ? { state: "closed" as const } : {}),
  };
}
