// pull_request.closed with merged=true, for the PRs aftershock opened:
// - a rollback (label `rollback` or branch aftershock/revert-*): the incident records it as merged,
//   which is the mitigation time unless one was recorded earlier;
// - a post-mortem (branch aftershock/postmortem-<n>): an issue is filed for each open `- [ ]` action
//   item that links none yet, and the incident lists them. The merged file is not rewritten: it is
//   the team's document now, and the issues link back to the incident.
// Each merge is handled once per incident (its key goes into response.handled).
// Only PRs whose branch lives in this repository count: pushing a branch here needs write access,
// while anyone can open a PR from a fork's `aftershock/revert-1` and have it merged for its content.
import type { Context } from "probot";
import { actionItemKey, parseActionItems } from "../core/incident/action-items.js";
import { TIMELINE_KINDS } from "../core/incident/response-metrics.js";
import { isHandled, markHandled, readResponseState } from "../core/incident/response-state.js";
import { fileActionItemIssue, listActionItemIssues } from "../github/action-item-issues.js";
import type { RepoRef } from "../github/incidents/index.js";
import { POSTMORTEM_BRANCH_PREFIX, readFileText } from "../github/postmortem-pr.js";
import type { CommandDeps } from "./commands/dispatch.js";
import type { LoadedIncident } from "./commands/incident-io.js";
import { readIncident, withIncident, writeIncidentBody } from "./commands/incident-io.js";
import type { IncidentState } from "./commands/types.js";
import { withEntry } from "./commands/types.js";
import { REVERT_BRANCH_PREFIX, ROLLBACK_LABEL } from "../github/revert.js";

/** Issue references tried when looking for a rollback's incident. */
const MAX_CANDIDATES = 5;

export type PullRequestOutcome =
  | { kind: "rollback"; incident: number; changed: boolean }
  | { kind: "postmortem"; incident: number; filed: number[]; changed: boolean }
  | { kind: "ignored"; reason: string };

interface MergedPull {
  number: number;
  html_url: string;
  body: string | null;
  merged: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  labels: Array<{ name?: string }>;
  head: { ref: string; repo?: { id: number } | null };
  base: { ref: string; repo?: { id: number } | null };
  merged_by?: { login: string } | null;
}

/** Whether the PR's branch is in the repository it merged into (not a fork, not a deleted one). */
export function fromSameRepository(pull: Pick<MergedPull, "head" | "base">): boolean {
  const head = pull.head.repo?.id;
  return head !== undefined && head === pull.base.repo?.id;
}

export function isRollbackPull(pull: Pick<MergedPull, "labels" | "head">): boolean {
  return pull.head.ref.startsWith(REVERT_BRANCH_PREFIX) || pull.labels.some((l) => l.name === ROLLBACK_LABEL);
}

/** The incident number of a post-mortem branch, or null. */
export function postmortemIncident(headRef: string): number | null {
  if (!headRef.startsWith(POSTMORTEM_BRANCH_PREFIX)) return null;
  const n = Number(headRef.slice(POSTMORTEM_BRANCH_PREFIX.length));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * Issue numbers a rollback PR's body names, the likeliest incident first: "incident #101" (what
 * aftershock writes), then any other `#n`.
 */
export function incidentCandidates(body: string | null): number[] {
  const text = body ?? "";
  const named = [...text.matchAll(/incident\s+#(\d+)/gi)].map((m) => Number(m[1]));
  const any = [...text.matchAll(/(?<![\w/])#(\d+)\b/g)].map((m) => Number(m[1]));
  return [...new Set([...named, ...any])].filter((n) => n > 0).slice(0, MAX_CANDIDATES);
}

/**
 * The PR a revert reverts: "Rolls back #42" (aftershock's body), "Reverts owner/repo#42" (GitHub's
 * Revert button), or the number in aftershock/revert-42 or GitHub's revert-42-<branch>.
 */
export function revertedPull(pull: Pick<MergedPull, "body" | "head">): number | undefined {
  const body = pull.body ?? "";
  const match =
    /rolls back #(\d+)/i.exec(body) ??
    /^Reverts [\w.-]+\/[\w.-]+#(\d+)/m.exec(body) ??
    /^aftershock\/revert-(\d+)$/.exec(pull.head.ref) ??
    /^revert-(\d+)-/.exec(pull.head.ref);
  const n = Number(match?.[1]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function onPullRequestClosed(
  context: Context<"pull_request.closed">,
  deps: CommandDeps,
): Promise<PullRequestOutcome> {
  const pull = context.payload.pull_request as unknown as MergedPull;
  if (!pull.merged) return { kind: "ignored", reason: "closed without merging" };
  const repository = context.payload.repository;
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const actor = pull.merged_by?.login ?? context.payload.sender.login;
  if (!fromSameRepository(pull))
    return { kind: "ignored", reason: "the PR's branch is not in this repository" };
  const postmortemOf = postmortemIncident(pull.head.ref);
  if (postmortemOf !== null) return postmortemMerged(context, deps, repo, pull, postmortemOf, actor);
  if (isRollbackPull(pull)) return rollbackMerged(context, deps, repo, pull, actor);
  return { kind: "ignored", reason: "not a rollback or post-mortem PR" };
}

const mergeKey = (pull: MergedPull) => `pull:${pull.number}:merged`;

async function rollbackMerged(
  context: Context<"pull_request.closed">,
  deps: CommandDeps,
  repo: RepoRef,
  pull: MergedPull,
  actor: string,
): Promise<PullRequestOutcome> {
  const octokit = context.octokit;
  // Which incident: the first issue the body names that is one, else the open incident whose
  // rollbacks list this PR (a revert made by hand, labelled `rollback`).
  for (const number of incidentCandidates(pull.body)) {
    const incident = await readIncident(deps.incidents(octokit, repo), number);
    if (incident) return recordRollbackMerge(context, deps, repo, pull, actor, number, incident);
  }
  const config = await deps.repoConfigs(octokit, repo);
  const open = await deps.incidents(octokit, repo).list(config.config.labels.incident);
  const reverted = revertedPull(pull);
  const owner = open.find((i) =>
    readResponseState(i.record).rollbacks.some(
      (r) => r.revertPr === pull.number || (reverted !== undefined && r.pr === reverted),
    ),
  );
  if (owner) return recordRollbackMerge(context, deps, repo, pull, actor, owner.number);
  return { kind: "ignored", reason: "the rollback PR names no incident issue" };
}

async function recordRollbackMerge(
  context: Context<"pull_request.closed">,
  deps: CommandDeps,
  repo: RepoRef,
  pull: MergedPull,
  actor: string,
  number: number,
  known?: LoadedIncident,
): Promise<PullRequestOutcome> {
  const store = deps.incidents(context.octokit, repo);
  const changed = await withIncident(
    { lock: deps.lock, store },
    number,
    async (fresh) => {
      if (isHandled(fresh.current.response, mergeKey(pull))) return false;
      const at = pull.merged_at ?? deps.now().toISOString();
      const reverted = revertedPull(pull);
      const ctx = { actor, now: new Date(at) };
      const text = `Revert PR #${pull.number}${reverted ? ` (rolls back #${reverted})` : ""} merged`;
      const entry = withEntry(fresh.current, { kind: TIMELINE_KINDS.rollbackMerged, text }, ctx);
      const known = entry.response.rollbacks.some((r) => r.revertPr === pull.number);
      const rollbacks = known
        ? entry.response.rollbacks.map((r) =>
            r.revertPr === pull.number ? { ...r, state: "merged" as const } : r,
          )
        : [
            ...entry.response.rollbacks,
            {
              pr: reverted ?? pull.number,
              revertPr: pull.number,
              url: pull.html_url,
              state: "merged" as const,
              at,
            },
          ];
      const next: IncidentState = {
        ...entry,
        response: markHandled(
          { ...entry.response, rollbacks, mitigatedAt: entry.response.mitigatedAt ?? at },
          mergeKey(pull),
        ),
      };
      await writeIncidentBody(store, number, next);
      return true;
    },
    known,
  );
  if (changed === null) return { kind: "ignored", reason: `#${number} is no longer an incident` };
  return { kind: "rollback", incident: number, changed };
}

async function postmortemMerged(
  context: Context<"pull_request.closed">,
  deps: CommandDeps,
  repo: RepoRef,
  pull: MergedPull,
  number: number,
  actor: string,
): Promise<PullRequestOutcome> {
  const octokit = context.octokit;
  const store = deps.incidents(octokit, repo);
  const result = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    const state = fresh.current;
    if (isHandled(state.response, mergeKey(pull))) return { filed: [], changed: false };
    const ref = pull.merge_commit_sha ?? pull.base.ref;
    let path = state.response.postmortem?.path ?? null;
    let text = path ? await readFileText(octokit, repo, path, ref) : null;
    if (text === null) {
      // No path recorded, or the team renamed the file in the PR: the Markdown file it added.
      path = await addedMarkdown(context, repo, pull.number);
      text = path ? await readFileText(octokit, repo, path, ref) : null;
    }
    const items = text ? parseActionItems(text).filter((i) => !i.linked) : [];
    const filed: number[] = [];
    let actionItems = state.response.actionItems;
    if (items.length > 0) {
      const known = await listActionItemIssues(octokit, repo);
      const incident = { number, title: fresh.title, postmortemUrl: pull.html_url };
      for (const item of items) {
        const issue = await fileActionItemIssue(octokit, repo, item.text, incident, known);
        if (issue.created) filed.push(issue.number);
        const key = actionItemKey(item.text);
        actionItems = actionItems.some((a) => actionItemKey(a.text) === key)
          ? actionItems.map((a) => (actionItemKey(a.text) === key ? { ...a, issue: issue.number } : a))
          : [...actionItems, { text: item.text, at: deps.now().toISOString(), issue: issue.number }];
      }
    }
    const summary = filed.length
      ? `Post-mortem #${pull.number} merged; action items filed: ${filed.map((n) => `#${n}`).join(", ")}`
      : `Post-mortem #${pull.number} merged`;
    const entry = withEntry(
      state,
      { kind: TIMELINE_KINDS.postmortem, text: summary },
      { actor, now: deps.now() },
    );
    const postmortem = {
      ...(state.response.postmortem ?? {}),
      path: path ?? state.response.postmortem?.path ?? "",
      pr: pull.number,
      url: pull.html_url,
    };
    const next: IncidentState = {
      ...entry,
      response: markHandled({ ...entry.response, actionItems, postmortem }, mergeKey(pull)),
    };
    await writeIncidentBody(store, number, next);
    return { filed, changed: true };
  });
  if (!result) return { kind: "ignored", reason: `#${number} is not an incident` };
  return { kind: "postmortem", incident: number, ...result };
}

/** The markdown file a post-mortem PR added, when the incident does not record its path. */
async function addedMarkdown(
  context: Context<"pull_request.closed">,
  repo: RepoRef,
  pullNumber: number,
): Promise<string | null> {
  const { data } = await context.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return data.find((f) => f.status === "added" && f.filename.endsWith(".md"))?.filename ?? null;
}
