// The app's installation on a repository, looked up as the app itself: for work that starts outside
// a webhook (an Alertmanager delivery, an automatic rollback), which brings no installation with it.
import type { Probot, ProbotOctokit } from "probot";
import type { TtlCache } from "../core/ttl-cache.js";
import type { RepoRef } from "../github/incidents/index.js";
import { statusOf } from "../github/incidents/index.js";
import { HttpError } from "./http.js";

/**
 * An installation Octokit for the repository (2 requests); 404 when the app is not installed there.
 * With `installations`, the id is looked up once per its TTL (a burst of deliveries for one
 * repository would otherwise spend a request each on it).
 */
export async function installationOctokit(
  app: Probot,
  repo: RepoRef,
  installations?: TtlCache<number>,
): Promise<ProbotOctokit> {
  const lookup = () => installationIdOf(app, repo);
  const id = installations
    ? await installations.get(`${repo.owner}/${repo.repo}`.toLowerCase(), lookup)
    : await lookup();
  return app.auth(id);
}

/** The installation id (1 request), with a 404 that tells the caller to install the app. */
async function installationIdOf(app: Probot, repo: RepoRef): Promise<number> {
  const appOctokit = await app.auth();
  try {
    const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { ...repo });
    return data.id;
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new HttpError(
        404,
        `aftershock is not installed on ${repo.owner}/${repo.repo}: install the GitHub App on that repository`,
      );
    }
    throw err;
  }
}
