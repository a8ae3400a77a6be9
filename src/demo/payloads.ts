// What the demo sends the app: an Alertmanager webhook body (version 4, as Alertmanager posts it)
// and GitHub webhook payloads with the fields the handlers read. Hand-built rather than taken from
// @octokit/webhooks-examples, which is a dev dependency and not there when the CLI is installed.
import { STANDIN_REPO_ID } from "./standin-git.js";
import { STANDIN_INSTALLATION_ID } from "./github-standin.js";

export interface RepoIds {
  owner: string;
  repo: string;
}

export interface AlertSpec extends RepoIds {
  alertname: string;
  service: string;
  environment: string;
  severity: string;
  summary: string;
  startsAt: string;
  /** Set when the alert has resolved. */
  endsAt?: string;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

export function alertmanagerPayload(a: AlertSpec) {
  const status = a.endsAt ? "resolved" : "firing";
  const labels = {
    alertname: a.alertname,
    environment: a.environment,
    repository: `${a.owner}/${a.repo}`,
    service: a.service,
    severity: a.severity,
  };
  const annotations = { summary: a.summary };
  return {
    receiver: "aftershock",
    status,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: a.startsAt,
        endsAt: a.endsAt ?? ZERO_TIME,
        generatorURL: "http://prometheus.demo:9090/graph?g0.expr=job%3Acheckout%3Aerror_ratio+%3E+0.05",
        fingerprint: "d3m0f1n93rpr1n70",
      },
    ],
    groupLabels: { alertname: a.alertname, repository: labels.repository },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: "http://alertmanager.demo:9093",
    version: "4",
    groupKey: `{}:{alertname="${a.alertname}", repository="${labels.repository}"}`,
    truncatedAlerts: 0,
  };
}

function repository(r: RepoIds) {
  return {
    id: STANDIN_REPO_ID,
    name: r.repo,
    full_name: `${r.owner}/${r.repo}`,
    private: false,
    owner: { login: r.owner, id: 1, type: "Organization" },
    html_url: `https://github.com/${r.owner}/${r.repo}`,
    default_branch: "main",
  };
}

const user = (login: string) => ({ login, id: 583231, type: "User" });
const installation = { id: STANDIN_INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

/** `issue_comment` (action created) by `login` on issue `issue`. */
export function issueCommentPayload(
  r: RepoIds,
  issue: { number: number; title: string; body: string },
  comment: { id: number; body: string; login: string; at: string },
) {
  return {
    action: "created",
    issue: {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: "open",
      html_url: `https://github.com/${r.owner}/${r.repo}/issues/${issue.number}`,
      user: user("aftershock-demo[bot]"),
    },
    comment: {
      id: comment.id,
      body: comment.body,
      user: user(comment.login),
      created_at: comment.at,
      html_url: `https://github.com/${r.owner}/${r.repo}/issues/${issue.number}#issuecomment-${comment.id}`,
    },
    repository: repository(r),
    sender: user(comment.login),
    installation,
  };
}

/** `pull_request` (action closed, merged) for a PR the stand-in merged. */
export function mergedPullPayload(
  r: RepoIds,
  pull: Record<string, unknown> & { number: number },
  login: string,
) {
  return {
    action: "closed",
    number: pull.number,
    pull_request: { ...pull, merged_by: user(login), user: user("aftershock-demo[bot]") },
    repository: repository(r),
    sender: user(login),
    installation,
  };
}
