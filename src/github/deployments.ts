// Deployments for /redeploy: find the last good deployment of an environment before a bad one, and
// create a new GitHub deployment of a chosen commit. The deploy workflow that listens for
// `deployment` events does the actual deploy; aftershock only asks for it.
import type { RepoRef } from "./incidents/index.js";
import type { GitHubClient } from "./incidents/client.js";

/**
 * Latest statuses that mean the deployment went live and stayed (`inactive`: a later one superseded
 * it): a redeploy target. Releases still in flight are suspects, never "good".
 */
export const GOOD_STATES: ReadonlySet<string> = new Set(["success", "inactive"]);
/** Deployments whose statuses are read while looking for a good one: bounded requests. */
export const MAX_STATUS_LOOKUPS = 10;

export interface DeploymentSummary {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
}

export interface BadDeployment {
  id?: number | string;
  sha?: string;
  /** ISO 8601; only deployments created before it count. */
  createdAt?: string;
}

interface DeploymentItem {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
}

/**
 * The newest deployment of `environment` before `bad` whose latest status is success (or inactive),
 * skipping the bad one and any of the same commit. One request to list, then one per deployment
 * checked (at most MAX_STATUS_LOOKUPS); null when none is found.
 */
export async function findPreviousGoodDeployment(
  octokit: GitHubClient,
  repo: RepoRef,
  environment: string,
  bad: BadDeployment,
): Promise<DeploymentSummary | null> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    ...repo,
    environment,
    per_page: 100,
  });
  const before = bad.createdAt ? Date.parse(bad.createdAt) : Infinity;
  const candidates = (data as DeploymentItem[])
    .filter((d) => String(d.id) !== String(bad.id ?? "") && d.sha !== bad.sha)
    .filter((d) => Date.parse(d.created_at) < before)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .slice(0, MAX_STATUS_LOOKUPS);
  for (const d of candidates) {
    const statuses = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      ...repo,
      deployment_id: d.id,
      per_page: 1,
    });
    const latest = (statuses.data as Array<{ state: string }>)[0];
    if (latest && GOOD_STATES.has(latest.state)) {
      return { id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at };
    }
  }
  return null;
}

export interface RedeployRequest {
  /** The commit SHA to deploy. */
  ref: string;
  environment: string;
  incidentNumber: number;
  description: string;
  /**
   * The command's idempotency key. A redelivered /redeploy whose first run created the deployment
   * but failed to record it finds that deployment by this key instead of creating a second one.
   */
  key?: string;
}

/**
 * Creates the deployment. `auto_merge: false` deploys exactly that commit (GitHub would otherwise
 * try to merge the default branch into it) and `required_contexts: []` skips status checks: an old
 * commit's checks may have expired, and a rollback must not wait for CI.
 */
export async function createRedeployment(
  octokit: GitHubClient,
  repo: RepoRef,
  req: RedeployRequest,
): Promise<{ id: number; sha: string; url?: string }> {
  if (req.key) {
    const { data: recent } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      sha: req.ref,
      environment: req.environment,
      per_page: 30,
    });
    const earlier = (recent as Array<{ id: number; sha: string; url?: string; payload?: unknown }>).find(
      (d) => (d.payload as { aftershock?: { key?: unknown } } | null)?.aftershock?.key === req.key,
    );
    if (earlier) return { id: earlier.id, sha: earlier.sha, ...(earlier.url ? { url: earlier.url } : {}) };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/deployments", {
    ...repo,
    ref: req.ref,
    environment: req.environment,
    auto_merge: false,
    required_contexts: [],
    payload: {
      aftershock: { incident: req.incidentNumber, reason: "rollback", ...(req.key ? { key: req.key } : {}) },
    },
    description: req.description.slice(0, 140),
  });
  const created = data as { id?: number; sha?: string; url?: string; message?: string };
  if (typeof created.id !== "number") {
    // 202: GitHub queued a merge instead of deploying; auto_merge is off, so this is unexpected.
    throw new Error(
      `GitHub did not create the deployment: ${created.message ?? "no deployment id returned"}`,
    );
  }
  return { id: created.id, sha: created.sha ?? req.ref, ...(created.url ? { url: created.url } : {}) };
}
