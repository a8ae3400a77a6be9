// Incident issues on GitHub: find the open one for a group, create, update, comment.
// Open incidents are found by LISTING open issues with the incident label and reading their hidden
// blocks, never through the search API, which lags seconds behind a new issue.
import type { ProbotOctokit } from "probot";
import type { IncidentRecord } from "../core/incident-record.js";
import { parseRecord } from "../core/incident-record.js";
import { trustedIncidentAuthor } from "./permissions.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface OpenIncident {
  number: number;
  url: string;
  labels: string[];
  record: IncidentRecord;
}

interface IssueItem {
  number: number;
  html_url: string;
  body?: string | null;
  labels: Array<string | { name?: string }>;
  pull_request?: unknown;
  user?: { login: string; type?: string } | null;
}

function labelNames(labels: IssueItem["labels"]): string[] {
  return labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== "");
}

/** The open incident of `groupKey`, or null. The oldest wins if there are several (it was first). */
export async function findOpenIncident(
  octokit: ProbotOctokit,
  ref: RepoRef & { label: string; groupKey: string },
): Promise<OpenIncident | null> {
  const issues = (await octokit.paginate("GET /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    state: "open",
    labels: ref.label,
    sort: "created",
    direction: "asc",
    per_page: 100,
  })) as IssueItem[];
  const trust = new Map<string, boolean>();
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const record = parseRecord(issue.body);
    if (record?.groupKey !== ref.groupKey) continue;
    // A person pasting a copied block into their own issue must not capture the group's updates.
    const repo = { owner: ref.owner, repo: ref.repo };
    if (!(await trustedIncidentAuthor(octokit, repo, issue.user, trust))) continue;
    return { number: issue.number, url: issue.html_url, labels: labelNames(issue.labels), record };
  }
  return null;
}

export interface NewIssue {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
}

export interface CreatedIssue {
  number: number;
  url: string;
  /** Set when the assignees were refused (not collaborators) and the issue was opened without them. */
  assigneeError?: string;
}

/** Opens the issue. Assignees GitHub refuses (422) must not cost the incident: retry without them. */
export async function createIncidentIssue(
  octokit: ProbotOctokit,
  ref: RepoRef,
  issue: NewIssue,
): Promise<CreatedIssue> {
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...ref, ...issue });
    return { number: data.number, url: data.html_url };
  } catch (err) {
    if ((err as { status?: number }).status !== 422 || issue.assignees.length === 0) throw err;
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
      ...ref,
      ...issue,
      assignees: [],
    });
    return {
      number: data.number,
      url: data.html_url,
      assigneeError: `GitHub refused the assignees ${issue.assignees.join(", ")} (they must be collaborators with access to the repository)`,
    };
  }
}

export interface IssueUpdate {
  body?: string;
  title?: string;
  labels?: string[];
  state?: "open" | "closed";
}

export async function updateIncidentIssue(
  octokit: ProbotOctokit,
  ref: RepoRef & { number: number },
  update: IssueUpdate,
): Promise<void> {
  await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.number,
    ...update,
  });
}

export async function commentOnIncident(
  octokit: ProbotOctokit,
  ref: RepoRef & { number: number },
  body: string,
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.number,
    body,
  });
}
