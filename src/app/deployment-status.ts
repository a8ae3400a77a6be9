// deployment_status: a `failure` or `error` state opens an incident for that deployment (source
// deploy-check), deduplicated per deployment id; its suspects are the PRs that deployment shipped.
// With grouping on it takes the alert path's "one incident per cause": the failed check and the
// alert groups whose top suspect is that deploy make one incident, whichever comes first.
import type { Context } from "probot";
import { severityFromLabel } from "../core/incident/render-incident.js";
import { DEFAULT_REPO_CONFIG, type ParsedRepoConfig } from "../core/config/repo-config.js";
import type { AppEvents } from "./events.js";
import { IncidentBusyError, LockQueueFull, type KeyLock } from "./lock.js";
import type { IncidentDraft } from "./pipeline/incident.js";
import { openOrUpdateIncident } from "./pipeline/incident.js";
import { groupingFor } from "./grouping/deliver.js";
import type { WriteOutcome } from "./pipeline/write.js";
import type { IncidentStores } from "./identity.js";
import type { RepoConfigs } from "./repo-configs.js";
import { errorMessage } from "../core/errors.js";
import { withDeadline } from "./pacing/deadline.js";
import { paceWrites, type WriteSlots } from "./pacing/write-budget.js";

export const FAILED_STATES: ReadonlySet<string> = new Set(["failure", "error"]);

/**
 * How long a deploy check may wait for its incident's lock or batch, and for its write slots. GitHub
 * does not redeliver a webhook, so rather than refuse at once as the alert path does (Alertmanager
 * retries), it waits this long for room in the write budget; it only bounds a wedged lock or a
 * budget whose hour is spent.
 */
export const DEPLOY_CHECK_WAIT_MS = 60_000;

export interface DeploymentStatusDeps {
  lock: KeyLock;
  /** A repository's `.github/aftershock.yml`, cached (see createApp), as the commands read it. */
  repoConfigs: RepoConfigs;
  incidents: IncidentStores;
  now: () => Date;
  events: AppEvents;
  /**
   * The app's write budget (the alert path's): the check's content-creating writes take its slots.
   * `clock`: the budget's (tests move it). Without it the writes are not paced.
   */
  writes?: { budget: WriteSlots; clock?: () => number };
}

/** A string field of the deployment's free-form payload, if it has one. */
function payloadField(payload: unknown, key: string): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const value = (payload as Record<string, unknown>)[key];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

export async function onDeploymentStatus(
  context: Context<"deployment_status">,
  deps: DeploymentStatusDeps,
): Promise<WriteOutcome | null> {
  const { deployment, deployment_status: status, repository } = context.payload;
  if (!FAILED_STATES.has(status.state)) return null;
  const repo = { owner: repository.owner.login, repo: repository.name };

  // GitHub does not redeliver webhooks on failure: a config problem must not cost the incident.
  let config: ParsedRepoConfig;
  try {
    config = await deps.repoConfigs(context.octokit, repo);
  } catch (err) {
    const error = `.github/aftershock.yml could not be read (${errorMessage(err)}); the defaults were used`;
    config = { config: DEFAULT_REPO_CONFIG, error, warnings: [] };
  }

  const service = payloadField(deployment.payload, "service") ?? repository.name;
  const environment = deployment.environment;
  const fingerprint = `deploy:${deployment.id}`;
  const description = status.description ? `: ${status.description}` : "";
  const draft: IncidentDraft = {
    groupKey: `deploy:${deployment.id}`,
    source: "deploy-check",
    name: "Deploy check failed",
    service,
    environment,
    severity: severityFromLabel(payloadField(deployment.payload, "severity")) ?? "P2",
    details: {
      severityRule: payloadField(deployment.payload, "severity")
        ? `deployment payload severity="${payloadField(deployment.payload, "severity")}"`
        : "default P2 for a failed deploy check",
    },
    delivery: {
      status: "firing",
      alerts: {
        [fingerprint]: {
          status: "firing",
          alertname: "Deploy check failed",
          summary:
            `Deployment ${deployment.id} (${deployment.sha.slice(0, 12)}) to ${environment} reported ${status.state}${description}`.slice(
              0,
              500,
            ),
          startsAt: status.created_at,
          ...(status.target_url || status.log_url ? { url: status.log_url ?? status.target_url } : {}),
        },
      },
    },
    actor: status.creator?.login ?? context.payload.sender.login,
    openedText: `Deployment ${deployment.id} to ${environment} reported ${status.state}`,
  };
  const failed = {
    id: deployment.id,
    sha: deployment.sha,
    environment,
    createdAt: deployment.created_at,
    status: status.state,
    checkFailed: true,
    ...(deployment.url ? { url: deployment.url } : {}),
  };
  const correlation = {
    alert: { startsAt: status.created_at, labels: { alertname: "DeployCheckFailed", service, environment } },
    environment,
    until: new Date(status.created_at),
    deployment: failed,
  };
  // The writes take slots of the installation's budget, waiting for one up to the deadline; past it
  // (the budget's hour is spent) the check fails before writing anything, the webhook is answered
  // 5xx and its redelivery, or the deployment's next failed status, opens the incident.
  const clock = deps.writes?.clock ?? Date.now;
  const deadline = clock() + DEPLOY_CHECK_WAIT_MS;
  const account = repo.owner.toLowerCase();
  const budget = deps.writes?.budget;
  if (budget) await budget.admit(account, deadline);
  const octokit = budget ? paceWrites(context.octokit, budget, account, () => deadline) : context.octokit;
  const ctx = {
    octokit,
    store: deps.incidents(octokit, repo),
    lock: deps.lock,
    repo,
    config,
    now: deps.now(),
    events: deps.events,
    log: context.log,
  };
  const written = await withDeadline(deadline, () =>
    config.config.grouping.enabled
      ? groupingFor(deps.lock, deps.writes?.budget, deps.writes?.clock).deliver(
          ctx,
          draft,
          correlation,
          deadline,
        )
      : openOrUpdateIncident(ctx, draft, correlation),
  ).catch((err: unknown) => {
    // The alert path's refusal says Alertmanager retries; GitHub does not resend this webhook.
    throw err instanceof LockQueueFull ? new IncidentBusyError(err.waiting) : err;
  });
  context.log.info({ deployment: deployment.id, ...written }, "failed deploy check handled");
  return written;
}
