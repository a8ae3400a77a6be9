// The one narrow GitHub client the incident store (and the small GitHub helpers beside it) needs:
// `request`. Probot's installation Octokit and the Action's `github.getOctokit` both satisfy it as
// they are, so neither side casts.

/** A repository; GitHub treats owner and name case-insensitively. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitHubClient {
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

/** HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
