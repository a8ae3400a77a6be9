// The app's installation on a repository, looked up as the app itself: for work that starts outside
// a webhook (an Alertmanager delivery, an automatic rollback), which brings no installation with it.
import type { Probot, ProbotOctokit } from "probot";
import type { RepoRef } from "../github/incidents/index.js";

/** The installation id for the repository (1 request); a 404 from GitHub when the app is not installed there. */
export async function installationIdOf(app: Probot, repo: RepoRef): Promise<number> {
  const appOctokit = await app.auth();
  const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { ...repo });
  return data.id;
}

/** An installation Octokit for the repository (2 requests). */
export async function installationOctokit(app: Probot, repo: RepoRef): Promise<ProbotOctokit> {
  return app.auth(await installationIdOf(app, repo));
}
