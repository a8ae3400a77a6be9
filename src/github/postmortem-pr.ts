// The post-mortem pull request: a branch from the default branch head, the file written with the
// contents API, and a PR. Safe to repeat: the branch name is fixed per incident, an open PR from it
// is returned as it is (people may be editing the draft there, so it is never rewritten), and a
// branch left by an earlier attempt that failed before its PR is reused.
import type { RepoRef } from "./incidents/index.js";
import { statusOf, type GitHubClient } from "./incidents/client.js";

export interface PostmortemPrRequest {
  incidentNumber: number;
  /** Repository path of the file, e.g. docs/postmortems/2024-05-01-high-error-rate-101.md */
  path: string;
  title: string;
  markdown: string;
  /** The PR description (markdown). */
  body: string;
}

export type PostmortemPrOutcome =
  | { kind: "opened"; number: number; url: string; branch: string }
  | { kind: "existing"; number: number; url: string; branch: string };

interface PullItem {
  number: number;
  html_url: string;
}

/** Post-mortem branches start with this; pull-request.ts recognises a post-mortem PR by it. */
export const POSTMORTEM_BRANCH_PREFIX = "aftershock/postmortem-";

/** The branch the post-mortem of incident `n` is written on; the same on every attempt. */
export function postmortemBranchName(incidentNumber: number): string {
  return `${POSTMORTEM_BRANCH_PREFIX}${incidentNumber}`;
}

async function findOpenPull(gh: GitHubClient, repo: RepoRef, branch: string): Promise<PullItem | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1,
  });
  return (data as PullItem[])[0];
}

/** The blob SHA of `path` on `branch`, which the contents API needs to replace a file; null if absent. */
async function fileSha(
  gh: GitHubClient,
  repo: RepoRef,
  path: string,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref: branch,
    });
    const file = data as { type?: string; sha?: string };
    return !Array.isArray(data) && file.type === "file" && file.sha ? file.sha : null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * Requests: 1 when the PR is already open; otherwise 7 (find PR, repository, branch head, create
 * branch, file lookup, write, open PR).
 */
export async function openPostmortemPr(
  octokit: GitHubClient,
  repo: RepoRef,
  req: PostmortemPrRequest,
): Promise<PostmortemPrOutcome> {
  const branch = postmortemBranchName(req.incidentNumber);
  const open = await findOpenPull(octokit, repo, branch);
  if (open) return { kind: "existing", number: open.number, url: open.html_url, branch };

  const { data: info } = await octokit.request("GET /repos/{owner}/{repo}", { ...repo });
  const base = (info as { default_branch: string }).default_branch;
  const { data: head } = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    ...repo,
    ref: `heads/${base}`,
  });
  const baseSha = (head as { object: { sha: string } }).object.sha;
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: baseSha,
    });
  } catch (error) {
    // 422 "Reference already exists": an earlier attempt made it; write on it again.
    if (statusOf(error) !== 422) throw error;
  }

  const sha = await fileSha(octokit, repo, req.path, branch);
  await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
    ...repo,
    path: req.path,
    branch,
    message: `Post-mortem draft for incident #${req.incidentNumber}`,
    content: Buffer.from(req.markdown, "utf8").toString("base64"),
    ...(sha ? { sha } : {}),
  });

  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...repo,
      title: req.title,
      body: req.body,
      head: branch,
      base,
    });
    const pull = data as PullItem;
    return { kind: "opened", number: pull.number, url: pull.html_url, branch };
  } catch (error) {
    // A concurrent attempt opened it between our lookup and now: that PR is the answer.
    const raced = statusOf(error) === 422 ? await findOpenPull(octokit, repo, branch) : undefined;
    if (raced) return { kind: "existing", number: raced.number, url: raced.html_url, branch };
    throw error;
  }
}

/** The text of a file at a ref (a merged post-mortem); null when it is not there. */
export async function readFileText(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref,
    });
    const file = data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") return null;
    return file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
