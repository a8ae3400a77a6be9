// The Action can open the incident itself when the GitHub App is not installed (input
// `open-incident`, off by default). It uses the same record, rendering and issue code as the app,
// and the same group key as the app's deployment_status handler (`deploy:<id>`), so the two never
// open two issues for one failed deploy.
import { RECORD_VERSION, type IncidentRecord } from "../core/incident/incident-record.js";
import { incidentLabels, incidentTitle, renderIncidentBody } from "../core/incident/render-incident.js";
import type { GateReport } from "../core/gate/types.js";
import type { GitHubClient, RepoRef } from "../github/incidents/index.js";
import { IncidentStore, onlyAuthors, statusOf } from "../github/incidents/index.js";
import { loadRepoConfig } from "../github/repo-config.js";

export interface FailedDeploy {
  /** The deployment id when one was marked, else the commit sha. */
  key: string;
  sha: string;
  service: string;
  environment: string;
  runUrl?: string;
}

/** The incident record of a failed gate: one alert per failed check. */
export function gateIncidentRecord(report: GateReport, deploy: FailedDeploy, at: Date): IncidentRecord {
  const failed = report.checks.filter((c) => c.verdict === "fail");
  const startsAt = new Date((report.detectedAt ?? report.deployTime) * 1000).toISOString();
  const fingerprints = Object.fromEntries(
    failed.map((c) => [
      `deploy:${deploy.key}:${c.name}`,
      {
        status: "firing" as const,
        alertname: `Deploy check ${c.name} failed`,
        summary: c.reason.slice(0, 500),
        startsAt,
        ...(deploy.runUrl ? { url: deploy.runUrl } : {}),
      },
    ]),
  );
  return {
    version: RECORD_VERSION,
    groupKey: `deploy:${deploy.key}`,
    fingerprints,
    status: "firing",
    severity: report.severity ?? "P2",
    severityRule: report.severity
      ? `the failed error-rate check's value in the severity bands → ${report.severity}`
      : "default P2 for a failed deploy check",
    name: "Deploy check failed",
    service: deploy.service,
    environment: deploy.environment,
    source: "deploy-check",
    deploys: [
      {
        id: deploy.key,
        sha: deploy.sha,
        environment: deploy.environment,
        createdAt: new Date(report.deployTime * 1000).toISOString(),
        status: "failure",
      },
    ],
    suspects: [],
    timeline: [
      {
        at: at.toISOString(),
        actor: "aftershock-action",
        kind: "opened",
        text: `The deploy gate failed: ${report.reason}`.slice(0, 1000),
      },
    ],
    openedAt: at.toISOString(),
    warnings: [],
  };
}

/**
 * The account the Action's token writes as: a person's token names its user (GET /user); the
 * workflow's GITHUB_TOKEN cannot read /user and writes as github-actions[bot]. Asked once, lazily.
 */
export function tokenIdentity(client: GitHubClient): () => Promise<readonly string[]> {
  let login: Promise<string> | null = null;
  return async () => {
    login ??= client.request("GET /user").then(
      ({ data }) => (data as { login: string }).login,
      (err: unknown) => {
        if (statusOf(err) === 403 || statusOf(err) === 401) return "github-actions[bot]";
        throw err;
      },
    );
    return [await login];
  };
}

/**
 * Opens the incident unless one is already open for this deploy, opened by the same identity as
 * this token (someone else's issue with a copied block is not one). `client` is the Action's Octokit.
 */
export async function openGateIncident(
  client: GitHubClient,
  repo: RepoRef,
  record: IncidentRecord,
): Promise<{ number: number; url: string; created: boolean }> {
  const store = new IncidentStore(client, repo, onlyAuthors(tokenIdentity(client)));
  const { config, error } = await loadRepoConfig(client, repo);
  const existing = await store.find(config.labels.incident, record.groupKey);
  if (existing) return { number: existing.number, url: existing.url, created: false };
  const withWarnings = { ...record, warnings: error ? [error] : [] };
  const issue = await store.create({
    title: incidentTitle(withWarnings),
    body: renderIncidentBody(withWarnings),
    labels: incidentLabels(withWarnings, config.labels),
    assignees: config.assignees,
  });
  return { number: issue.number, url: issue.url, created: true };
}
