// Issues for action items: each labelled `action-item`, linked to its incident, with a hidden marker
// (incident number + item text) so a retry finds the issue it already filed instead of filing again.
import type { ActionItemIncident } from "../core/incident/action-items.js";
import { ACTION_ITEM_LABEL, actionItemMarker, renderActionItemIssue } from "../core/incident/action-items.js";
import type { RepoRef } from "./incidents/index.js";
import type { GitHubClient } from "./incidents/client.js";

export interface FiledIssue {
  number: number;
  url: string;
  /** False when an issue with the same marker already existed. */
  created: boolean;
}

interface IssueItem {
  number: number;
  html_url: string;
  body?: string | null;
  pull_request?: unknown;
}

/** Action-item issues already filed in the repository (open or closed), newest first, one page. */
export async function listActionItemIssues(
  octokit: GitHubClient,
  repo: RepoRef,
  label = ACTION_ITEM_LABEL,
): Promise<IssueItem[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    labels: label,
    state: "all",
    per_page: 100,
  });
  return (data as IssueItem[]).filter((i) => !i.pull_request);
}

/** The issue among `known` that carries the marker of this item, if any. */
export function findFiled(
  known: readonly IssueItem[],
  incidentNumber: number,
  text: string,
): IssueItem | undefined {
  const marker = actionItemMarker(incidentNumber, text);
  return known.find((i) => (i.body ?? "").includes(marker));
}

/**
 * Files the issue for one item unless `known` (from listActionItemIssues) already has it. One request
 * to create; none when it exists.
 */
export async function fileActionItemIssue(
  octokit: GitHubClient,
  repo: RepoRef,
  text: string,
  incident: ActionItemIncident,
  known: readonly IssueItem[],
  label = ACTION_ITEM_LABEL,
): Promise<FiledIssue> {
  const found = findFiled(known, incident.number, text);
  if (found) return { number: found.number, url: found.html_url, created: false };
  const issue = renderActionItemIssue(text, incident, label);
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...repo, ...issue });
  const created = data as IssueItem;
  return { number: created.number, url: created.html_url, created: true };
}
