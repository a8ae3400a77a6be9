// Stage: deduplicate. Under a per-group lock, find the group's open incident (by listing open issues
// with the incident label), so concurrent and repeated deliveries of one group meet one incident.
import type { ProbotOctokit } from "probot";
import type { OpenIncident, RepoRef } from "../../github/incidents.js";
import { findOpenIncident } from "../../github/incidents.js";
import type { KeyLock } from "../lock.js";

/** Repository names are case-insensitive on GitHub; group keys are not. */
export function lockKey(repo: RepoRef, groupKey: string): string {
  return `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}#${groupKey}`;
}

export async function dedupe<T>(
  deps: { lock: KeyLock; octokit: ProbotOctokit },
  target: { repo: RepoRef; label: string; groupKey: string },
  fn: (existing: OpenIncident | null) => Promise<T>,
): Promise<T> {
  return deps.lock.withLock(lockKey(target.repo, target.groupKey), async () => {
    const existing = await findOpenIncident(deps.octokit, {
      ...target.repo,
      label: target.label,
      groupKey: target.groupKey,
    });
    return fn(existing);
  });
}
