// Stage 4: which repository the alert group is for (its repository label, else the URL path); its
// installation Octokit comes from ../installation.ts.
import type { RepoRef } from "../../github/incidents/index.js";
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

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
