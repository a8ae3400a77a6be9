// Stage 4: which repository the alert group is for (its repository label, else the URL path), and the
// app's installation there (as the app: GET /repos/{owner}/{repo}/installation), as an Octokit.
import type { TtlCache } from "../../core/ttl-cache.js";
import type { Probot, ProbotOctokit } from "probot";
import type { RepoRef } from "../../github/incidents/index.js";
import { statusOf } from "../../github/incidents/index.js";
import { installationIdOf } from "../installation.js";
import { HttpError } from "../http.js";
import type { AlertmanagerPayload } from "./validate.js";

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function parseRepo(text: string): RepoRef | null {
  const [owner, repo, ...rest] = text.trim().split("/");
  if (rest.length > 0 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo)) return null;
  return { owner, repo };
}

/**
 * The repository from the `label` of the group (common labels, else every alert agreeing), else from
 * the path (`/alertmanager/:owner/:repo`). Neither: 400, with how to fix it.
 */
export function resolveRepository(
  payload: AlertmanagerPayload,
  fromPath: RepoRef | null,
  label: string,
): RepoRef {
  const values = new Set(payload.alerts.map((a) => a.labels[label]).filter((v): v is string => !!v));
  const common = payload.commonLabels[label];
  if (!common && values.size > 1) {
    throw new HttpError(
      400,
      `the alerts of one group name different repositories (${[...values].join(", ")}): ` +
        `add "${label}" to group_by in Alertmanager's route`,
      `alerts[].labels.${label}`,
    );
  }
  const named = common ?? [...values][0];
  if (named !== undefined) {
    const repo = parseRepo(named);
    if (!repo) {
      throw new HttpError(400, `label ${label}="${named}" must be "owner/name"`, `commonLabels.${label}`);
    }
    // A token allowed one path must not reach another repository through a label.
    if (fromPath && !sameRepo(repo, fromPath)) {
      throw new HttpError(
        400,
        `label ${label}="${named}" disagrees with the path /alertmanager/${fromPath.owner}/${fromPath.repo}: ` +
          "post to the path of the label's repository, or drop the label",
        `commonLabels.${label}`,
      );
    }
    return repo;
  }
  if (fromPath) return fromPath;
  throw new HttpError(
    400,
    `no repository: give the alerts a ${label}="owner/name" label or post to /alertmanager/<owner>/<repo>`,
    `commonLabels.${label}`,
  );
}

/**
 * An Octokit for the app's installation on `repo`; 404 when the app is not installed there. The
 * installation id is looked up once per `installations` TTL (a burst of deliveries for one
 * repository would otherwise spend a request each on it).
 */
export async function installationOctokit(
  app: Probot,
  repo: RepoRef,
  installations?: TtlCache<number>,
): Promise<ProbotOctokit> {
  const lookup = () => installationIdOrNotInstalled(app, repo);
  const id = installations
    ? await installations.get(`${repo.owner}/${repo.repo}`.toLowerCase(), lookup)
    : await lookup();
  return app.auth(id);
}

/** The installation id, with a 404 that tells the caller to install the app. */
async function installationIdOrNotInstalled(app: Probot, repo: RepoRef): Promise<number> {
  try {
    return await installationIdOf(app, repo);
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

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
