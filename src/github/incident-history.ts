// Past incidents of a repository, open and closed, with their records: what the learning report and
// similar-incident matching read. Few requests: one issues listing (100 a page) filtered by label and
// by `since` (GitHub filters on updated_at, a superset of "opened since"), newest first, stopping at
// the first page that reaches back before `since`. Issues without a valid record are skipped.
import { parseRecord } from "../core/incident/incident-record.js";
import type { DeployCheck } from "../core/learning/report.js";
import { deployChecksFromStatuses } from "../core/learning/report.js";
import type { PastIncident } from "../core/learning/similar.js";

/** The part of an Octokit (octokit, Probot's context.octokit) used here. */
export interface IssuesOctokit {
  request: (route: string, params?: Record<string, unknown>) => Promise<{ data: unknown }>;
  graphql: <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;
}

export interface HistoryQuery {
  owner: string;
  repo: string;
  /** Incidents opened at or after this time. */
  since: Date;
  /** The incident label; default "incident". */
  label?: string;
  /** Stop after this many pages (100 issues each); default 20. */
  maxPages?: number;
}

export interface IncidentHistory {
  incidents: PastIncident[];
  /** Issues with the label but no (valid) record: edited or foreign issues. */
  skipped: number;
  /** HTTP requests made. */
  requests: number;
  /** True when maxPages stopped the listing before it reached `since`. */
  truncated: boolean;
}

interface IssueItem {
  number: number;
  html_url: string;
  state: string;
  created_at: string;
  body?: string | null;
  pull_request?: unknown;
}

export async function listIncidentHistory(
  octokit: IssuesOctokit,
  query: HistoryQuery,
): Promise<IncidentHistory> {
  const out: IncidentHistory = { incidents: [], skipped: 0, requests: 0, truncated: false };
  const maxPages = query.maxPages ?? 20;
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      out.truncated = true;
      break;
    }
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: query.owner,
      repo: query.repo,
      state: "all",
      labels: query.label ?? "incident",
      since: query.since.toISOString(),
      sort: "created",
      direction: "desc",
      per_page: 100,
      page,
    });
    out.requests += 1;
    const issues = data as IssueItem[];
    let reachedBack = false;
    for (const issue of issues) {
      if (issue.pull_request) continue;
      if (Date.parse(issue.created_at) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      const record = parseRecord(issue.body);
      if (!record) {
        out.skipped += 1;
        continue;
      }
      out.incidents.push({
        number: issue.number,
        url: issue.html_url,
        state: issue.state === "closed" ? "closed" : "open",
        record,
      });
    }
    if (reachedBack || issues.length < 100) break;
  }
  return out;
}

/**
 * States of action-item issues by number (one listing of the label, state all), so the report can
 * leave out items whose issue is closed.
 */
export async function listActionItemStates(
  octokit: IssuesOctokit,
  query: { owner: string; repo: string; label?: string; maxPages?: number },
): Promise<{ states: Record<number, "open" | "closed">; requests: number }> {
  const states: Record<number, "open" | "closed"> = {};
  let requests = 0;
  for (let page = 1; page <= (query.maxPages ?? 10); page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: query.owner,
      repo: query.repo,
      state: "all",
      labels: query.label ?? "action-item",
      per_page: 100,
      page,
    });
    requests += 1;
    const issues = data as IssueItem[];
    for (const i of issues) if (!i.pull_request) states[i.number] = i.state === "closed" ? "closed" : "open";
    if (issues.length < 100) break;
  }
  return { states, requests };
}

const DEPLOYMENTS_QUERY = `
query($owner: String!, $repo: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    deployments(first: 100, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        environment
        createdAt
        statuses(first: 20) { nodes { state description createdAt } }
      }
    }
  }
}`;

interface DeploymentsPage {
  repository: {
    deployments: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        databaseId: number;
        environment: string;
        createdAt: string;
        statuses: { nodes: Array<{ state: string; description: string | null; createdAt: string }> };
      }>;
    };
  } | null;
}

/**
 * Deploy checks the Action recorded as deployment statuses ("aftershock: pass …") since a date: one
 * GraphQL request per 100 deployments, newest first, stopping once a page reaches back before `since`.
 */
export async function listDeployChecks(
  octokit: IssuesOctokit,
  query: { owner: string; repo: string; since: Date; maxPages?: number },
): Promise<{ checks: DeployCheck[]; requests: number }> {
  const statuses: Parameters<typeof deployChecksFromStatuses>[0][number][] = [];
  let cursor: string | null = null;
  let requests = 0;
  for (let page = 0; page < (query.maxPages ?? 10); page++) {
    const data: DeploymentsPage = await octokit.graphql<DeploymentsPage>(DEPLOYMENTS_QUERY, {
      owner: query.owner,
      repo: query.repo,
      cursor,
    });
    requests += 1;
    const deployments = data.repository?.deployments;
    if (!deployments) break;
    let reachedBack = false;
    for (const d of deployments.nodes) {
      if (Date.parse(d.createdAt) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      for (const s of d.statuses.nodes)
        statuses.push({
          deploymentId: d.databaseId,
          environment: d.environment,
          state: s.state.toLowerCase(),
          description: s.description,
          createdAt: s.createdAt,
        });
    }
    if (reachedBack || !deployments.pageInfo.hasNextPage) break;
    cursor = deployments.pageInfo.endCursor;
  }
  return { checks: deployChecksFromStatuses(statuses), requests };
}
