// The data correlation works on: an alert, the deployments before it, and the merged PRs behind
// each deployment. This is also the shape of the `aftershock suspects --input case.json` file, so
// an incident can be replayed offline. Pure types.

export interface AlertRef {
  /** ISO 8601. */
  startsAt: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface DeploymentRef {
  id: number | string;
  sha: string;
  environment: string;
  /** ISO 8601. */
  createdAt: string;
  /** Latest status: success, failure, error, in_progress, ... */
  status: string;
  /** True when aftershock's deploy check failed for this deployment. */
  checkFailed?: boolean;
  url?: string;
}

export interface ChangedFile {
  path: string;
  additions: number;
  deletions: number;
}

export interface PullRef {
  number: number;
  title: string;
  author: string;
  /** ISO 8601. */
  mergedAt: string;
  /** The deployment that first shipped this PR. */
  deploymentId: number | string;
  additions: number;
  deletions: number;
  files: ChangedFile[];
  url?: string;
  mergeCommitSha?: string;
}

export interface CorrelationConfig {
  /** Path globs that belong to each service. */
  services?: Record<string, string[]>;
  /** Globs of risky paths (migrations, configuration, dependency manifests). */
  riskyPaths?: string[];
  /** How far before the alert a deployment may be and still be suspected (seconds). */
  lookbackSeconds?: number;
}

/** What the repository offers to infer a service's paths when the config names none. */
export interface ServiceHints {
  /** Paths in the repository (files and folders), as the git tree lists them; bounded by the reader. */
  paths?: string[];
  /** The CODEOWNERS file's text. */
  codeowners?: string;
  /** Files of earlier incidents' confirmed culprits for the alert's service. */
  pastCulpritFiles?: string[];
}

export interface CorrelationCase {
  alert: AlertRef;
  deployments: DeploymentRef[];
  pulls: PullRef[];
  config?: CorrelationConfig;
  hints?: ServiceHints;
}

export interface Suspect {
  number: number;
  title: string;
  author: string;
  url?: string;
  deploymentId: number | string;
  deploymentSha: string;
  /** 0..1, higher is more likely. */
  score: number;
  /** Calibrated chance (0..1) that this PR is the culprit. */
  confidence?: number;
  /** Human-readable reasons, each naming its contribution to the score. */
  reasons: string[];
  files: string[];
}
