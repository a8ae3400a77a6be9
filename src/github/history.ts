// Fetches what correlation needs from GitHub: the deployments of one environment in a time range and
// the merged PRs each of them shipped. Built for few requests: one GraphQL query lists deployments
// with their latest status, and one more walks the commit history of every deployment at once
// (one alias per deployment) with each commit's PR, its size and files embedded. More pages only
// when a deployment shipped over 100 commits or over 100 deployments are in range.
//
// Kept: deployments that went live, those still rolling out or being verified at the alert
// (in_progress, queued, pending: the release under verification is the prime suspect), and the
// newest one in range whatever its state. Only live ones bound the walk of a later deployment.

import type { DeploymentRef, PullRef } from "../core/suspects/correlation-types.js";
import { isVerifying } from "../core/suspects/features.js";
import { isShipped } from "../core/suspects/scoring.js";
import { countRequests, type HookableOctokit } from "./request-counter.js";

/** The part of an Octokit (octokit, Probot's context.octokit) used here. */
export interface HistoryOctokit extends HookableOctokit {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface HistoryOptions {
  owner: string;
  repo: string;
  environment: string;
  since: Date;
  until: Date;
}

export interface History {
  /**
   * Deployments of the environment created in [since, until], oldest first, with their latest status:
   * those that went live, those still in flight (in_progress, queued, pending) and the newest one.
   */
  deployments: DeploymentRef[];
  /** Merged PRs, each attributed to the first of those deployments that shipped it. */
  pulls: PullRef[];
  /** HTTP requests this fetch made. */
  requests: number;
}

const PAGE = 100;
/** Enough to reach past a busy day of deployments without walking a repository's whole past. */
const MAX_DEPLOYMENT_PAGES = 10;
const MAX_HISTORY_ROUNDS = 10;
/** Aliases per history query: each may return 100 commits × 100 files, and GitHub caps a query at 500,000 nodes. */
const ALIASES_PER_QUERY = 20;

const DEPLOYMENTS_QUERY = `
query ($owner: String!, $repo: String!, $environment: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: ${PAGE}, after: $cursor, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        createdAt
        commitOid
        commit { committedDate }
        latestStatus { state description logUrl environmentUrl }
      }
    }
  }
}`;

const PULL_FIELDS = `
fragment pullFields on PullRequest {
  number
  title
  url
  mergedAt
  additions
  deletions
  author { login }
  mergeCommit { oid }
  files(first: 100) { nodes { path additions deletions } }
}`;

interface DeploymentNode {
  id: string;
  databaseId: number | null;
  createdAt: string;
  commitOid: string;
  commit: { committedDate: string } | null;
  latestStatus: {
    state: string;
    description: string | null;
    logUrl: string | null;
    environmentUrl: string | null;
  } | null;
}

interface DeploymentsResponse {
  repository: {
    deployments: { pageInfo: PageInfo; nodes: (DeploymentNode | null)[] };
  } | null;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface PullNode {
  number: number;
  title: string;
  url: string;
  mergedAt: string | null;
  additions: number;
  deletions: number;
  author: { login: string } | null;
  mergeCommit: { oid: string } | null;
  files: { nodes: ({ path: string; additions: number; deletions: number } | null)[] } | null;
}

interface CommitNode {
  oid: string;
  associatedPullRequests: { nodes: (PullNode | null)[] } | null;
}

type HistoryResponse = {
  repository: Record<string, { history: { pageInfo: PageInfo; nodes: (CommitNode | null)[] } } | null> | null;
};

interface Shipped {
  ref: DeploymentRef;
  committedDate: string | undefined;
}

/** One deployment whose commits are being walked back to the previous live deployment. */
interface Walk {
  deployment: Shipped;
  base: Shipped | undefined;
  cursor: string | null;
  done: boolean;
  commits: CommitNode[];
}

export async function fetchHistory(octokit: HistoryOctokit, opts: HistoryOptions): Promise<History> {
  const counter = countRequests(octokit);
  try {
    const all = await fetchDeployments(octokit, opts);
    const inRange = (d: Shipped) => {
      const t = Date.parse(d.ref.createdAt);
      return t >= opts.since.getTime() && t <= opts.until.getTime();
    };
    // Oldest first, so "the previous live deployment" is the one just before, and the first to ship a PR wins.
    const sorted = [...all].sort(byCreatedAt);
    const newest = sorted.filter(inRange).at(-1);
    const walks: Walk[] = [];
    let base: Shipped | undefined;
    for (const d of sorted) {
      if (inRange(d) && (isShipped(d.ref) || isVerifying(d.ref) || d === newest))
        walks.push({ deployment: d, base, cursor: null, done: false, commits: [] });
      // A deployment that never went live (or may not have) does not bound the next one's walk.
      if (isShipped(d.ref)) base = d;
    }

    await walkHistories(octokit, opts, walks);

    const pulls: PullRef[] = [];
    const attributed = new Set<number>();
    for (const walk of walks) {
      for (const commit of walk.commits) {
        for (const pr of commit.associatedPullRequests?.nodes ?? []) {
          // Only merged PRs; an open PR can be associated with a commit that is not on the default branch.
          if (pr === null || pr.mergedAt === null || attributed.has(pr.number)) continue;
          attributed.add(pr.number);
          pulls.push(toPullRef(pr, walk.deployment.ref.id));
        }
      }
    }
    return { deployments: walks.map((w) => w.deployment.ref), pulls, requests: counter.count };
  } finally {
    counter.stop();
  }
}

/** Newest first, paging back until a live deployment older than `since` is seen: the base of the oldest one in range. */
async function fetchDeployments(octokit: HistoryOctokit, opts: HistoryOptions): Promise<Shipped[]> {
  const out: Shipped[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
    const res: DeploymentsResponse = await octokit.graphql<DeploymentsResponse>(DEPLOYMENTS_QUERY, {
      owner: opts.owner,
      repo: opts.repo,
      environment: opts.environment,
      cursor,
    });
    if (res.repository === null) {
      throw new Error(`repository ${opts.owner}/${opts.repo} not found, or the token cannot read it`);
    }
    const { nodes, pageInfo } = res.repository.deployments;
    for (const node of nodes) if (node !== null) out.push(toShipped(node, opts.environment));
    const reachedBase = out.some(
      (d) => isShipped(d.ref) && Date.parse(d.ref.createdAt) < opts.since.getTime(),
    );
    if (!pageInfo.hasNextPage || reachedBase) break;
    cursor = pageInfo.endCursor;
  }
  return out;
}

function toShipped(node: DeploymentNode, environment: string): Shipped {
  const state = node.latestStatus?.state.toLowerCase() ?? "pending";
  const ref: DeploymentRef = {
    id: node.databaseId ?? node.id,
    sha: node.commitOid,
    environment,
    createdAt: node.createdAt,
    status: state,
    // aftershock's gate marks a deployment failure when its check fails; other tools may too, so any failure counts.
    checkFailed: state === "failure" || state === "error",
  };
  const url = node.latestStatus?.logUrl ?? node.latestStatus?.environmentUrl;
  if (url) ref.url = url;
  return { ref, committedDate: node.commit?.committedDate };
}

/**
 * Walks each deployment's history back to its base (the previous live deployment's commit),
 * all deployments in one query per round. `since` = the base commit's date keeps the walk from
 * running into older history, and makes a rollback (deploying an ancestor of the base) ship nothing.
 */
async function walkHistories(octokit: HistoryOctokit, opts: HistoryOptions, walks: Walk[]): Promise<void> {
  for (let round = 0; round < MAX_HISTORY_ROUNDS; round++) {
    const open = walks.filter((w) => !w.done);
    if (open.length === 0) return;
    for (let start = 0; start < open.length; start += ALIASES_PER_QUERY) {
      const chunk = open.slice(start, start + ALIASES_PER_QUERY);
      const { query, variables } = historyQuery(chunk);
      const res = await octokit.graphql<HistoryResponse>(query, {
        owner: opts.owner,
        repo: opts.repo,
        ...variables,
      });
      chunk.forEach((walk, i) => {
        const history = res.repository?.[`d${i}`]?.history;
        if (history === undefined) {
          walk.done = true; // the commit is gone (force-push); nothing to attribute
          return;
        }
        for (const commit of history.nodes) {
          if (commit === null) continue;
          if (commit.oid === walk.base?.ref.sha) {
            walk.done = true;
            return;
          }
          walk.commits.push(commit);
        }
        // Without a base there is no stopping point: one page is all we take.
        if (!history.pageInfo.hasNextPage || walk.base === undefined) walk.done = true;
        else walk.cursor = history.pageInfo.endCursor;
      });
    }
  }
}

function historyQuery(walks: Walk[]): { query: string; variables: Record<string, unknown> } {
  const params = ["$owner: String!", "$repo: String!"];
  const variables: Record<string, unknown> = {};
  const aliases = walks.map((walk, i) => {
    params.push(`$oid${i}: GitObjectID!`, `$since${i}: GitTimestamp`, `$after${i}: String`);
    variables[`oid${i}`] = walk.deployment.ref.sha;
    variables[`since${i}`] = walk.base?.committedDate ?? null;
    variables[`after${i}`] = walk.cursor;
    return `
    d${i}: object(oid: $oid${i}) {
      ... on Commit {
        history(first: ${PAGE}, since: $since${i}, after: $after${i}) {
          pageInfo { hasNextPage endCursor }
          nodes { oid associatedPullRequests(first: 1) { nodes { ...pullFields } } }
        }
      }
    }`;
  });
  const query = `query (${params.join(", ")}) {
  repository(owner: $owner, name: $repo) {${aliases.join("")}
  }
}
${PULL_FIELDS}`;
  return { query, variables };
}

function toPullRef(pr: PullNode, deploymentId: number | string): PullRef {
  const ref: PullRef = {
    number: pr.number,
    title: pr.title,
    author: pr.author?.login ?? "ghost",
    mergedAt: pr.mergedAt ?? "",
    deploymentId,
    additions: pr.additions,
    deletions: pr.deletions,
    files: (pr.files?.nodes ?? []).flatMap((f) =>
      f === null ? [] : [{ path: f.path, additions: f.additions, deletions: f.deletions }],
    ),
    url: pr.url,
  };
  if (pr.mergeCommit) ref.mergeCommitSha = pr.mergeCommit.oid;
  return ref;
}

function byCreatedAt(a: Shipped, b: Shipped): number {
  return Date.parse(a.ref.createdAt) - Date.parse(b.ref.createdAt);
}
