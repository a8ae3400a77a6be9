// Stage: correlate. The deployments and merged PRs before the incident (fetchHistory), ranked by the
// scorer (rankSuspects), with hints to infer the service's paths when the config names none.
// Failing to rank must not cost the incident: it opens with a warning instead.
import { SpanStatusCode } from "@opentelemetry/api";
import type { ProbotOctokit } from "probot";
import type { AlertRef, DeploymentRef } from "../../core/suspects/correlation-types.js";
import type { DeployEntry, SuspectEntry } from "../../core/incident/incident-record.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import { lookbackSeconds } from "../../core/config/repo-config.js";
import { rankSuspects } from "../../core/suspects/scoring.js";
import { fetchHistory } from "../../github/history.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { traced } from "../observability/tracing.js";
import type { CaseHintsOptions } from "./service-hints.js";
import { hintsForCase } from "./service-hints.js";
import { errorMessage } from "../../core/errors.js";

export interface CorrelationRequest {
  alert: AlertRef;
  environment: string;
  /** The end of the window: the alert's start, or the failed deploy check. */
  until: Date;
  /** Deploy checks: only the PRs this deployment shipped are suspects, and it counts as failed. */
  deployment?: DeploymentRef;
}

export interface Correlation {
  deploys: DeployEntry[];
  suspects: SuspectEntry[];
  /** Why there are no suspects when ranking failed. */
  warning?: string;
  /** GitHub requests made to correlate (a figure tracked per incident). */
  requests: number;
}

export interface CorrelateOptions extends CaseHintsOptions {
  /** The time past incidents are read back from (the pipeline's clock); the end of the window by default. */
  now?: Date;
}

/** correlate, in a span that records how many GitHub requests it took. */
export async function correlate(...args: Parameters<typeof correlateUntraced>): Promise<Correlation> {
  return traced("aftershock correlate", async (span) => {
    const found = await correlateUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    if (found.warning) span.setStatus({ code: SpanStatusCode.ERROR, message: found.warning });
    return found;
  });
}

async function correlateUntraced(
  octokit: ProbotOctokit,
  repo: RepoRef,
  request: CorrelationRequest,
  config: RepoConfig,
  options: CorrelateOptions = {},
): Promise<Correlation> {
  const lookback = lookbackSeconds(config);
  const end = request.until;
  const start = request.deployment ? new Date(request.deployment.createdAt) : end;
  const since = new Date(start.getTime() - lookback * 1000);
  try {
    const history = await fetchHistory(octokit, {
      ...repo,
      environment: request.environment,
      since,
      until: end,
    });
    const deployments = withFailedDeployment(history.deployments, request.deployment);
    const hinted = await hintsForCase(
      octokit,
      repo,
      {
        service: request.alert.labels.service,
        deployments,
        pulls: history.pulls,
        config,
        now: options.now ?? request.until,
      },
      options,
    );
    let suspects = rankSuspects({
      alert: request.alert,
      deployments,
      pulls: history.pulls,
      config: { services: config.services, riskyPaths: config.riskyPaths, lookbackSeconds: lookback },
      ...(hinted.hints ? { hints: hinted.hints } : {}),
    });
    const target = request.deployment;
    if (target) suspects = suspects.filter((s) => String(s.deploymentId) === String(target.id));
    return {
      requests: history.requests + hinted.requests,
      deploys: deployments.map((d) => ({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.createdAt,
        status: d.status,
        ...(d.url ? { url: d.url } : {}),
      })),
      suspects: withBoundedFiles(
        suspects.map((s) => ({
          number: s.number,
          title: s.title,
          author: s.author,
          ...(s.url ? { url: s.url } : {}),
          deploymentId: s.deploymentId,
          score: s.score,
          ...(s.confidence !== undefined ? { confidence: s.confidence } : {}),
          reasons: s.reasons,
        })),
        suspects.map((s) => s.files),
      ),
    };
  } catch (err) {
    return {
      requests: 0,
      deploys: [],
      suspects: [],
      warning: `Suspects could not be ranked (${errorMessage(err)}); the incident was opened without them`,
    };
  }
}

/** Paths kept per suspect: enough to match an earlier culprit's files. */
export const MAX_SUSPECT_FILES = 50;
/** Characters of paths kept over all suspects, in rank order: the record must fit in the issue body. */
export const MAX_SUSPECT_FILE_CHARS = 8_000;

/**
 * Each suspect with the first MAX_SUSPECT_FILES paths it changed, while the paths of all suspects fit
 * in MAX_SUSPECT_FILE_CHARS; the lowest-ranked suspects past that keep none (many PRs in the window).
 */
export function withBoundedFiles(
  suspects: SuspectEntry[],
  files: ReadonlyArray<readonly string[] | undefined>,
): SuspectEntry[] {
  let budget = MAX_SUSPECT_FILE_CHARS;
  return suspects.map((s, i) => {
    const kept = (files[i] ?? []).slice(0, MAX_SUSPECT_FILES);
    const size = kept.reduce((n, f) => n + f.length + 3, 0); // quotes and comma in the JSON
    if (kept.length === 0 || size > budget) return s;
    budget -= size;
    return { ...s, files: kept };
  });
}

/** The failed deployment is marked as such, and added when the history window missed it. */
function withFailedDeployment(
  deployments: DeploymentRef[],
  failed: DeploymentRef | undefined,
): DeploymentRef[] {
  if (!failed) return deployments;
  const found = deployments.some((d) => String(d.id) === String(failed.id));
  const marked = deployments.map((d) =>
    String(d.id) === String(failed.id) ? { ...d, checkFailed: true } : d,
  );
  return found ? marked : [...marked, { ...failed, checkFailed: true }];
}
