// Marks the GitHub deployment a gate verified. The App listens for the failure status.
import type { Verdict } from "../core/gate/types.js";
import type { GitHubClient } from "./incidents/client.js";

export interface DeploymentTarget {
  owner: string;
  repo: string;
  /** A deployment id; without it, the latest deployment of `sha` in `environment`. */
  deploymentId?: number;
  sha?: string;
  environment?: string;
}

/** Finds the deployment to mark: the given id, or the newest one for this sha and environment. */
export async function findDeployment(
  octokit: GitHubClient,
  target: DeploymentTarget,
): Promise<number | null> {
  if (target.deploymentId) return target.deploymentId;
  if (!target.sha) return null;
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    ...(target.environment ? { environment: target.environment } : {}),
    per_page: 1,
  });
  const list = data as Array<{ id: number }>;
  return list[0]?.id ?? null;
}

/**
 * The deployment state for a verdict: `failure` when the gate failed (or was inconclusive and the
 * workflow treats that as failing), `success` when it passed, and none otherwise.
 */
export function deploymentState(verdict: Verdict, failOnInconclusive: boolean): "success" | "failure" | null {
  if (verdict === "fail" || (verdict === "inconclusive" && failOnInconclusive)) return "failure";
  // An unverified deploy is not marked good: /redeploy previous must never pick it as a known-good version.
  return verdict === "pass" ? "success" : null;
}

export async function markDeployment(
  octokit: GitHubClient,
  target: { owner: string; repo: string; deploymentId: number },
  status: { state: "success" | "failure"; description: string; logUrl?: string },
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
    owner: target.owner,
    repo: target.repo,
    deployment_id: target.deploymentId,
    state: status.state,
    description: truncateChars(status.description, 140),
    ...(status.logUrl ? { log_url: status.logUrl } : {}),
    auto_inactive: false,
  });
}

/** GitHub rejects descriptions over 140 characters; cut by code point so an emoji is never split. */
function truncateChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}
