// Loads a repository's `.github/aftershock.yml` through the Octokit it is given.
// Missing file: the defaults. Invalid file: the defaults plus an error to show in the incident.
// A GitHub failure other than 404 is thrown: it is transient, and the caller decides.
import { statusOf, type GitHubClient } from "./incidents/client.js";
import type { ParsedRepoConfig } from "../core/config/repo-config.js";
import { CONFIG_PATH, DEFAULT_REPO_CONFIG, parseRepoConfig } from "../core/config/repo-config.js";

export async function loadRepoConfig(
  octokit: GitHubClient,
  repo: { owner: string; repo: string },
): Promise<ParsedRepoConfig> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: CONFIG_PATH,
    }));
  } catch (err) {
    if (statusOf(err) === 404) {
      return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
    }
    throw err;
  }
  const file = data as { type?: string; content?: string; encoding?: string };
  if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") {
    return {
      config: DEFAULT_REPO_CONFIG,
      error: `${CONFIG_PATH} is not a file; the defaults were used`,
      warnings: [],
    };
  }
  const text =
    file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  return parseRepoConfig(text);
}
