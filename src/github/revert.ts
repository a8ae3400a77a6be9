// Opens the rollback (revert) PR for a merged pull request, for the incident app's /rollback.
// Safe to repeat: the branch name is deterministic, and an open revert PR, ours or one GitHub made
// (its branch is "revert-<n>-<head branch>"), is returned instead of opening another. GitHub's own
// revertPullRequest mutation is tried first; when it is refused (conflicts, or not allowed for the
// app), the revert is built with the Git Data API (./revert/git-data.ts). A conflict opens nothing
// and returns instructions for reverting by hand.

import { statusOf, type GitHubClient, type RepoRef } from "./incidents/client.js";
import { buildRevertCommit, pointBranch } from "./revert/git-data.js";
import {
  conflictInstructions,
  revertBody,
  revertCommitMessage,
  revertTitle,
  type RevertSubject,
} from "./revert/text.js";

/** The part of an Octokit (octokit, Probot's context.octokit) used here. */
export interface RevertOctokit extends GitHubClient {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface RevertRequest {
  owner: string;
  repo: string;
  pullNumber: number;
  incidentNumber: number;
  /** Markdown: the suspect's score and reasons. */
  reason: string;
  draft: boolean;
  /** Labels for the revert PR; default ["rollback"]. */
  labels?: string[];
}

export type RevertOutcome =
  | { kind: "opened"; number: number; url: string; branch: string; method: "graphql" | "git-data" }
  | { kind: "existing"; number: number; url: string; branch: string }
  | { kind: "conflict"; files: string[]; instructions: string }
  | { kind: "not-merged"; message: string };

interface PullInfo {
  merged: boolean;
  merge_commit_sha: string | null;
  node_id: string;
  title: string;
  state: string;
  base: { ref: string };
  head: { ref: string };
}

interface OpenPull {
  number: number;
  html_url: string;
  head: { ref: string };
}

/** Revert branches start with this; pull-request.ts recognises a rollback PR by it. */
export const REVERT_BRANCH_PREFIX = "aftershock/revert-";
/** The label a revert PR carries; pull-request.ts also recognises a rollback PR by it. */
export const ROLLBACK_LABEL = "rollback";

const DEFAULT_LABELS = [ROLLBACK_LABEL];

/** The branch aftershock reverts PR `pullNumber` on; the same on every attempt. */
export function revertBranchName(pullNumber: number): string {
  return `${REVERT_BRANCH_PREFIX}${pullNumber}`;
}

/** The branch GitHub's "Revert" button and revertPullRequest mutation use. */
function githubRevertBranch(pullNumber: number, headRef: string): string {
  return `revert-${pullNumber}-${headRef}`;
}

async function findOpenPull(gh: GitHubClient, id: RepoRef, branch: string): Promise<OpenPull | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...id,
    head: `${id.owner}:${branch}`,
    state: "open",
    per_page: 1,
  });
  return (data as OpenPull[])[0];
}

const existing = (pull: OpenPull): RevertOutcome => ({
  kind: "existing",
  number: pull.number,
  url: pull.html_url,
  branch: pull.head.ref,
});

const REVERT_MUTATION = `
mutation ($pullRequestId: ID!, $title: String!, $body: String!, $draft: Boolean!) {
  revertPullRequest(input: { pullRequestId: $pullRequestId, title: $title, body: $body, draft: $draft }) {
    revertPullRequest { number url headRefName }
  }
}`;

interface RevertMutationResult {
  revertPullRequest: {
    revertPullRequest: { number: number; url: string; headRefName: string } | null;
  } | null;
}

/**
 * Whether a failed mutation is worth the Git Data fallback. Refusals (GraphQL errors, 403, 422) are;
 * a 5xx or network error is not: the mutation may have gone through, and a retried /rollback then
 * finds its PR, where a fallback now could open a second one.
 */
function worthFallback(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status < 500;
}

async function addLabels(gh: GitHubClient, id: RepoRef, number: number, labels: string[]): Promise<void> {
  if (labels.length === 0) return;
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    ...id,
    issue_number: number,
    labels,
  });
}

export async function openRevertPr(octokit: RevertOctokit, req: RevertRequest): Promise<RevertOutcome> {
  const id: RepoRef = { owner: req.owner, repo: req.repo };
  const branch = revertBranchName(req.pullNumber);
  const labels = req.labels ?? DEFAULT_LABELS;

  const ours = await findOpenPull(octokit, id, branch);
  if (ours) return existing(ours);

  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...id,
    pull_number: req.pullNumber,
  });
  const pull = data as PullInfo;
  if (!pull.merged || !pull.merge_commit_sha) {
    const state = pull.state === "open" ? "still open" : "closed without merging";
    return {
      kind: "not-merged",
      message: `#${req.pullNumber} is ${state}, so there is nothing to roll back.`,
    };
  }

  const theirs = await findOpenPull(octokit, id, githubRevertBranch(req.pullNumber, pull.head.ref));
  if (theirs) return existing(theirs);

  const subject: RevertSubject = {
    pullNumber: req.pullNumber,
    incidentNumber: req.incidentNumber,
    title: pull.title,
    mergeCommitSha: pull.merge_commit_sha,
    reason: req.reason,
  };
  const title = revertTitle(subject);
  const body = revertBody(subject);

  try {
    const result = await octokit.graphql<RevertMutationResult>(REVERT_MUTATION, {
      pullRequestId: pull.node_id,
      title,
      body,
      draft: req.draft,
    });
    const opened = result.revertPullRequest?.revertPullRequest;
    if (opened) {
      await addLabels(octokit, id, opened.number, labels);
      return {
        kind: "opened",
        number: opened.number,
        url: opened.url,
        branch: opened.headRefName,
        method: "graphql",
      };
    }
  } catch (error) {
    if (!worthFallback(error)) throw error;
  }

  const commit = await buildRevertCommit(octokit, id, {
    mergeCommitSha: pull.merge_commit_sha,
    baseRef: pull.base.ref,
    message: revertCommitMessage(subject),
  });
  if (commit.kind === "conflict") {
    const instructions = conflictInstructions({
      ...subject,
      branch,
      baseRef: pull.base.ref,
      parentCount: commit.parentCount,
      files: commit.files,
    });
    return { kind: "conflict", files: commit.files, instructions };
  }

  await pointBranch(octokit, id, branch, commit.sha);
  let created: OpenPull;
  try {
    const response = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...id,
      title,
      body,
      head: branch,
      base: pull.base.ref,
      draft: req.draft,
    });
    created = response.data as OpenPull;
  } catch (error) {
    // A concurrent /rollback opened it between our lookup and now: that PR is the answer.
    const raced = statusOf(error) === 422 ? await findOpenPull(octokit, id, branch) : undefined;
    if (raced) return existing(raced);
    throw error;
  }
  await addLabels(octokit, id, created.number, labels);
  return { kind: "opened", number: created.number, url: created.html_url, branch, method: "git-data" };
}
