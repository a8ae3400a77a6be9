// Stage: write. Create the incident issue, or comment what is new and update the body (record,
// timeline) and labels. Nothing at all is written for an exact redelivery.
import type { ProbotOctokit } from "probot";
import type { IncidentRecord, MergeResult } from "../../core/incident-record.js";
import {
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
  renderUpdateComment,
} from "../../core/render-incident.js";
import type { RepoConfig } from "../../core/repo-config.js";
import type { OpenIncident, RepoRef } from "../../github/incidents.js";
import { commentOnIncident, createIncidentIssue, updateIncidentIssue } from "../../github/incidents.js";

export type WriteOutcome =
  | { outcome: "created" | "updated" | "unchanged"; number: number; url: string }
  | { outcome: "ignored"; reason: string };

export async function createIncident(
  octokit: ProbotOctokit,
  repo: RepoRef,
  record: IncidentRecord,
  config: RepoConfig,
): Promise<WriteOutcome> {
  const created = await createIncidentIssue(octokit, repo, {
    title: incidentTitle(record),
    body: renderIncidentBody(record),
    labels: incidentLabels(record, config.labels),
    assignees: config.assignees,
  });
  if (created.assigneeError) {
    // The incident is open; say in it why nobody was assigned rather than fail the delivery.
    await commentOnIncident(octokit, { ...repo, number: created.number }, `⚠️ ${created.assigneeError}.`);
  }
  return { outcome: "created", number: created.number, url: created.url };
}

/**
 * The comment goes first: if the body update then fails, the delivery is retried and may comment
 * twice, which is better than a change nobody was told about.
 */
export async function updateIncident(
  octokit: ProbotOctokit,
  repo: RepoRef,
  existing: OpenIncident,
  merged: MergeResult,
  config: RepoConfig,
): Promise<WriteOutcome> {
  const ref = { ...repo, number: existing.number };
  if (merged.changes.length === 0)
    return { outcome: "unchanged", number: existing.number, url: existing.url };
  await commentOnIncident(octokit, ref, renderUpdateComment(merged.changes));
  const resolvedNow = merged.changes.some((c) => c.kind === "resolved");
  await updateIncidentIssue(octokit, ref, {
    body: renderIncidentBody(merged.record),
    labels: mergeLabels(
      existing.labels,
      incidentLabels(merged.record, config.labels),
      config.labels.resolved,
    ),
    ...(resolvedNow && config.closeOnResolve ? { state: "closed" as const } : {}),
  });
  return { outcome: "updated", number: existing.number, url: existing.url };
}

/** People's labels stay; the ones aftershock manages (severity, resolved) follow the record. */
export function mergeLabels(
  current: readonly string[],
  wanted: readonly string[],
  resolvedLabel: string,
): string[] {
  const kept = current.filter((l) => !l.startsWith("severity:") && l !== resolvedLabel);
  return [...new Set([...kept, ...wanted])];
}
