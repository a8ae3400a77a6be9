// Reading and writing an incident issue for the response handlers (commands, merged PRs, redeploy
// statuses, automatic rollback): always under the incident's lock (the alert pipeline's per-group
// key, so a delivery and a command never overwrite each other), always re-read inside it.
import type { ProbotOctokit } from "probot";
import type { IncidentRecord } from "../../core/incident-record.js";
import { parseRecord } from "../../core/incident-record.js";
import { renderIncidentBody } from "../../core/render-incident.js";
import { readResponseState } from "../../core/response-state.js";
import type { RepoRef } from "../../github/incidents.js";
import { updateIncidentIssue } from "../../github/incidents.js";
import { trustedIncidentAuthor, type IssueAuthor } from "../../github/permissions.js";
import { statusOf } from "../../github/revert/git-data.js";
import type { KeyLock } from "../lock.js";
import { lockKey } from "../pipeline/dedupe.js";
import type { IncidentState } from "./types.js";

export interface LoadedIncident {
  number: number;
  url: string;
  title: string;
  labels: string[];
  state: string;
  /** The record as stored (with `response`). */
  record: IncidentRecord;
  /** The record split for the handlers. */
  current: IncidentState;
}

interface IssueData {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state?: string;
  labels: Array<string | { name?: string }>;
  pull_request?: unknown;
  user?: IssueAuthor | null;
}

/**
 * The incident issue `number`, or null when it does not exist or is not an incident (no valid block,
 * or an author who could not have opened one). One request, two when a person opened it.
 */
export async function readIncident(
  octokit: ProbotOctokit,
  repo: RepoRef,
  number: number,
): Promise<LoadedIncident | null> {
  let data: IssueData;
  try {
    ({ data } = (await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
      ...repo,
      issue_number: number,
    })) as { data: IssueData });
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 410) return null;
    throw err;
  }
  const record = data.pull_request ? null : parseRecord(data.body);
  if (!record || !(await trustedIncidentAuthor(octokit, repo, data.user))) return null;
  const { response, ...plain } = record;
  return {
    number: data.number,
    url: data.html_url,
    title: data.title,
    labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== ""),
    state: data.state ?? "open",
    record,
    current: { record: plain, response: readResponseState({ response }) },
  };
}

/** The record to store: the handlers' state joined again. */
export function joinState(state: IncidentState): IncidentRecord {
  return { ...state.record, response: state.response };
}

/** Runs `fn` on the incident under its lock, re-read inside; null when `number` is not an incident. */
export async function withIncident<T>(
  deps: { lock: KeyLock; octokit: ProbotOctokit },
  repo: RepoRef,
  number: number,
  fn: (incident: LoadedIncident) => Promise<T>,
  /** What is already known of the incident (its group key names the lock), to save a read. */
  known?: { record: { groupKey: string } },
): Promise<T | null> {
  const first = known ?? (await readIncident(deps.octokit, repo, number));
  if (!first) return null;
  return deps.lock.withLock(lockKey(repo, first.record.groupKey), async () => {
    const fresh = await readIncident(deps.octokit, repo, number);
    return fresh ? fn(fresh) : null;
  });
}

/** Writes the body only (the response changed; severity, status and labels did not). One request. */
export async function writeIncidentBody(
  octokit: ProbotOctokit,
  repo: RepoRef,
  number: number,
  state: IncidentState,
): Promise<void> {
  await updateIncidentIssue(octokit, { ...repo, number }, { body: renderIncidentBody(joinState(state)) });
}

/**
 * The open incidents of a repository: issues with the incident label, a valid block and a trusted
 * author (see trustedIncidentAuthor). One page, plus one request per human author.
 */
export async function listOpenIncidents(
  octokit: ProbotOctokit,
  repo: RepoRef,
  label: string,
): Promise<Array<{ number: number; record: IncidentRecord }>> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    state: "open",
    labels: label,
    per_page: 100,
  });
  const cache = new Map<string, boolean>();
  const found: Array<{ number: number; record: IncidentRecord }> = [];
  for (const issue of data as IssueData[]) {
    const record = issue.pull_request ? null : parseRecord(issue.body);
    if (record && (await trustedIncidentAuthor(octokit, repo, issue.user, cache)))
      found.push({ number: issue.number, record });
  }
  return found;
}
