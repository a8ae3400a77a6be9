// The one owner of incident issues on GitHub: find, list, read, create, write (body, title, labels,
// state and comments in one call), the lock key, the size limits and the trusted-author rule. Open
// incidents are found by LISTING open issues with the incident label and reading their hidden blocks,
// never through the search API, which lags seconds behind a new issue.
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { parseRecord } from "../../core/incident/incident-record.js";
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";
import { labelNames } from "./labels.js";
import { fitComment, fitIssueBody, fitTitle } from "./limits.js";
import type { AuthorRule, IssueAuthor } from "./trust.js";
import { errorMessage } from "../../core/errors.js";

export interface StoredIncident {
  number: number;
  url: string;
  title: string;
  labels: string[];
  state: string;
  record: IncidentRecord;
}

export interface NewIssue {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
}

export interface CreatedIssue {
  number: number;
  url: string;
  /** Set when the assignees were refused (not collaborators) and the issue was opened without them. */
  assigneeError?: string;
}

/**
 * One write to an incident: everything that changed, applied together. The issue is written first and
 * the comments after, so a failed write is retried whole and never leaves a comment without its change.
 */
export interface IncidentWrite {
  body?: string;
  title?: string;
  labels?: string[];
  state?: "open" | "closed";
  comments?: string[];
}

/** GitHub refused the write for good (422: too long, invalid): retrying the same content cannot help. */
export class GitHubRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "GitHubRefusedError";
  }
}

interface IssueItem {
  number: number;
  html_url: string;
  title?: string;
  body?: string | null;
  state?: string;
  labels: Array<string | { name?: string }>;
  pull_request?: unknown;
  user?: IssueAuthor | null;
}

/** Open incidents listed at most this many pages of 100 (a repository with more has other problems). */
const MAX_PAGES = 10;

/** Repository names are case-insensitive on GitHub; group keys are not. */
export function incidentLockKey(repo: RepoRef, groupKey: string): string {
  return `${repoKey(repo)}#${groupKey}`;
}

/**
 * The key under which one cause (environment and top suspect deploy) finds or opens its incident;
 * the prefix keeps cause keys apart from group keys.
 */
export function causeLockKey(repo: RepoRef, environment: string, deployment: string): string {
  return `cause:${repoKey(repo)}:${JSON.stringify([environment, deployment])}`;
}

const repoKey = (repo: RepoRef) => `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}`;

export class IncidentStore {
  constructor(
    readonly client: GitHubClient,
    readonly repo: RepoRef,
    readonly trusts: AuthorRule,
  ) {}

  /** The key that serializes every write to the incident of `groupKey` (deliveries and commands). */
  lockKey(groupKey: string): string {
    return incidentLockKey(this.repo, groupKey);
  }

  /** The key that serializes "find or create" for one cause's incident (grouping). */
  causeLockKey(environment: string, deployment: string): string {
    return causeLockKey(this.repo, environment, deployment);
  }

  /** The open incident of `groupKey`, or null. The oldest wins if there are several (it was first). */
  async find(label: string, groupKey: string): Promise<StoredIncident | null> {
    for await (const issue of this.#openIssues(label, { sort: "created", direction: "asc" })) {
      const incident = await this.#incident(issue, (r) => r.groupKey === groupKey);
      if (incident) return incident;
    }
    return null;
  }

  /** Every open incident of the repository. */
  async list(label: string): Promise<StoredIncident[]> {
    const found: StoredIncident[] = [];
    for await (const issue of this.#openIssues(label, {})) {
      const incident = await this.#incident(issue);
      if (incident) found.push(incident);
    }
    return found;
  }

  /** Issue `number` when it is an incident (a valid block, a trusted author); else null. */
  async read(number: number): Promise<StoredIncident | null> {
    let data: IssueItem;
    try {
      ({ data } = (await this.client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        ...this.repo,
        issue_number: number,
      })) as { data: IssueItem });
    } catch (err) {
      if (statusOf(err) === 404 || statusOf(err) === 410) return null;
      throw err;
    }
    return this.#incident(data);
  }

  /** Opens the issue. Assignees GitHub refuses (422) must not cost the incident: retry without them. */
  async create(issue: NewIssue): Promise<CreatedIssue> {
    const fitted = { ...issue, title: fitTitle(issue.title), body: fitIssueBody(issue.body) };
    const post = (assignees: string[]) =>
      refusedFor("open the incident issue", () =>
        this.client.request("POST /repos/{owner}/{repo}/issues", { ...this.repo, ...fitted, assignees }),
      ) as Promise<{ data: { number: number; html_url: string } }>;
    try {
      const { data } = await post(issue.assignees);
      return { number: data.number, url: data.html_url };
    } catch (err) {
      if (!(err instanceof GitHubRefusedError) || issue.assignees.length === 0) throw err;
      const { data } = await post([]);
      return {
        number: data.number,
        url: data.html_url,
        assigneeError: `GitHub refused the assignees ${issue.assignees.join(", ")} (they must be collaborators with access to the repository)`,
      };
    }
  }

  /** Applies one write: the issue first (one request, skipped when only comments), then each comment. */
  async write(number: number, change: IncidentWrite): Promise<void> {
    const { comments = [], ...issue } = change;
    if (issue.body !== undefined) issue.body = fitIssueBody(issue.body);
    if (issue.title !== undefined) issue.title = fitTitle(issue.title);
    if (Object.keys(issue).length > 0) {
      await refusedFor("update the incident issue", () =>
        this.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          ...this.repo,
          issue_number: number,
          ...issue,
        }),
      );
    }
    for (const comment of comments) await this.comment(number, comment);
  }

  async comment(number: number, text: string): Promise<void> {
    await refusedFor("comment on the incident issue", () =>
      this.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...this.repo,
        issue_number: number,
        body: fitComment(text),
      }),
    );
  }

  async *#openIssues(label: string, order: Record<string, string>): AsyncGenerator<IssueItem> {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await this.client.request("GET /repos/{owner}/{repo}/issues", {
        ...this.repo,
        state: "open",
        labels: label,
        ...order,
        per_page: 100,
        ...(page > 1 ? { page } : {}),
      });
      const issues = data as IssueItem[];
      yield* issues;
      if (issues.length < 100) return;
    }
  }

  async #incident(
    issue: IssueItem,
    wanted: (record: IncidentRecord) => boolean = () => true,
  ): Promise<StoredIncident | null> {
    if (issue.pull_request) return null;
    const record = parseRecord(issue.body);
    if (!record || !wanted(record) || !(await this.trusts(issue.user))) return null;
    return {
      number: issue.number,
      url: issue.html_url,
      title: issue.title ?? "",
      labels: labelNames(issue.labels),
      state: issue.state ?? "open",
      record,
    };
  }
}

/** Runs a write; GitHub's 422 (validation: too long, invalid) becomes a GitHubRefusedError. */
async function refusedFor<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (statusOf(err) !== 422) throw err;
    const detail = errorMessage(err).slice(0, 300);
    throw new GitHubRefusedError(422, `GitHub refused to ${what} (422): ${detail}`);
  }
}
