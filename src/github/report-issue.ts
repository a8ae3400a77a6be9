// One report issue per period: found by LISTING the report label's issues (open and closed) and
// reading a hidden marker with the period in the body (not through the search API, which lags), then
// updated in place; opened only when none exists. A second run for the same period never duplicates.
import type { IssuesOctokit } from "./incident-history.js";

export const REPORT_LABEL = "incident-report";
const MARKER = "aftershock:report";

export interface ReportIssueRef {
  owner: string;
  repo: string;
  /** The period key, e.g. "2024-05-01..2024-05-31" (see `periodKey`). */
  period: string;
  /** Default "incident-report". */
  label?: string;
}

export interface ReportIssueResult {
  number: number;
  url: string;
  created: boolean;
  requests: number;
}

/** "2024-05-01..2024-05-31": the days of the period, so reruns on the same days update one issue. */
export function periodKey(since: Date | string, until: Date | string): string {
  const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);
  return `${day(since)}..${day(until)}`;
}

/** The hidden marker for a period. The key is reduced to safe characters (it ends up in HTML). */
export function reportMarker(period: string): string {
  return `<!-- ${MARKER} period=${period.replace(/[^\w.:-]/g, "_")} -->`;
}

interface IssueItem {
  number: number;
  html_url: string;
  body?: string | null;
  pull_request?: unknown;
}

/** The issue holding the report of `period`, or null. */
export async function findReportIssue(
  octokit: IssuesOctokit,
  ref: ReportIssueRef,
): Promise<{ issue: { number: number; url: string } | null; requests: number }> {
  const marker = reportMarker(ref.period);
  let requests = 0;
  for (let page = 1; page <= 10; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: ref.owner,
      repo: ref.repo,
      state: "all",
      labels: ref.label ?? REPORT_LABEL,
      sort: "created",
      direction: "desc",
      per_page: 100,
      page,
    });
    requests += 1;
    const issues = data as IssueItem[];
    const found = issues.find((i) => !i.pull_request && (i.body ?? "").includes(marker));
    if (found) return { issue: { number: found.number, url: found.html_url }, requests };
    if (issues.length < 100) break;
  }
  return { issue: null, requests };
}

/** Opens the period's report issue, or updates its title and body when it exists. */
export async function upsertReportIssue(
  octokit: IssuesOctokit,
  ref: ReportIssueRef,
  content: { title: string; body: string },
): Promise<ReportIssueResult> {
  const body = `${reportMarker(ref.period)}\n${content.body}`;
  const { issue, requests } = await findReportIssue(octokit, ref);
  if (issue) {
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: issue.number,
      title: content.title,
      body,
    });
    return { ...issue, created: false, requests: requests + 1 };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    title: content.title,
    body,
    labels: [ref.label ?? REPORT_LABEL],
  });
  const created = data as { number: number; html_url: string };
  return { number: created.number, url: created.html_url, created: true, requests: requests + 1 };
}
