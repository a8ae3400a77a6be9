// Ranks the merged PRs most likely to have caused an alert. Pure and deterministic: a conditional
// logit fitted on real reverts (src/core/suspects/) gives each PR a calibrated chance of being the
// culprit, and every factor that moves it says so in a reason, in odds, so a responder can see why a
// PR is on the list (and argue with it).

import picomatch from "picomatch";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import type { CorrelationCase, DeploymentRef, Suspect } from "./correlation-types.js";
import { parseEvidence } from "./evidence.js";
import {
  FEATURE_NAMES,
  extractFeatures,
  isVerifying,
  type Candidate,
  type CandidateFeatures,
  type FeatureName,
} from "./features.js";
import { DEFAULT_MODEL, explainAll, logitsOf, confidences, weightOf, type SuspectModel } from "./model.js";
import { GLOB_OPTIONS } from "./paths.js";
import { serviceScope } from "./service-scope.js";

export { formatAge } from "./format.js";

export const DEFAULT_RISKY_PATHS: readonly string[] = Object.freeze([
  "**/migrations/**",
  "**/migrate/**",
  "**/*.sql",
  "**/package.json",
  "**/package-lock.json",
  "**/yarn.lock",
  "**/pnpm-lock.yaml",
  "**/go.mod",
  "**/go.sum",
  "**/requirements*.txt",
  "**/Gemfile",
  "**/Gemfile.lock",
  "**/Cargo.toml",
  "**/Cargo.lock",
  "**/config/**/*.{yaml,yml}",
  "**/deploy/**/*.{yaml,yml}",
  "**/Dockerfile",
  "**/Dockerfile.*",
  "**/helm/**",
  "**/terraform/**",
]);

/** Compiled once: most repositories keep the default risky paths. */
const isDefaultRisky = picomatch([...DEFAULT_RISKY_PATHS], GLOB_OPTIONS);

/** Deployments older than this before the alert are not suspected (seconds). */
export const DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;

/** Latest statuses that mean the code went live. GitHub marks a superseded successful deploy `inactive`. */
const SHIPPED_STATUSES = new Set(["success", "inactive"]);
/** Latest statuses of a deployment that never went live. */
const NEVER_LIVE_STATUSES = new Set(["failure", "error"]);

/** A suspect with the model's view of it. */
export interface ScoredSuspect extends Suspect {
  /**
   * Chance (0..1) that this PR is the culprit. The softmax includes the model's outside option ("no
   * listed PR caused the alert", a fixed hand-set utility), so the confidences sum to less than 1 and
   * a lone suspect is not certain: one that touches only the alert's service, one file, deployed 10
   * minutes before, gets 0.9. `score` is the same number.
   */
  confidence: number;
  /** Each feature's contribution to the log-odds (weight × value); zero ones left out. */
  factors: Partial<Record<FeatureName, number>>;
  deployedAt: string;
}

export interface RankOptions {
  /** Evaluation time: deployments after it are ignored too (for replaying a case "as of" a moment). */
  now?: Date | string | number;
  /** Another fitted model (the benchmark's cross-validation folds); the shipped one by default. */
  model?: SuspectModel;
}

/** True when the deployment put its code live: success (or superseded success), or live but its check failed. */
export function isShipped(d: DeploymentRef): boolean {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}

/**
 * The PRs that can be blamed, with their features: deployments of the alert's environment (any, when
 * it names none) in the look-back window that went live, or are being rolled out and verified
 * (in_progress, queued, pending), or are the latest one whatever their status unless it failed
 * before going live. The release being verified is the prime suspect, never left out.
 */
export function caseFeatures(c: CorrelationCase, opts: Pick<RankOptions, "now"> = {}): CandidateFeatures[] {
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === undefined ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1000;
  const environment = c.alert.labels.environment;

  const inWindow: { d: DeploymentRef; at: number }[] = [];
  for (const d of c.deployments) {
    const at = Date.parse(d.createdAt);
    if (Number.isNaN(at) || at > latest || at < alertAt - lookbackMs) continue;
    if (environment !== undefined && d.environment !== environment) continue;
    inWindow.push({ d, at });
  }
  const newest = Math.max(-Infinity, ...inWindow.map((x) => x.at));
  const deployments = new Map<string, { d: DeploymentRef; at: number }>();
  for (const x of inWindow) {
    const neverLive = NEVER_LIVE_STATUSES.has(x.d.status.toLowerCase()) && x.d.checkFailed !== true;
    if (isShipped(x.d) || isVerifying(x.d) || (x.at === newest && !neverLive))
      deployments.set(String(x.d.id), x);
  }

  const candidates: Candidate[] = [];
  const seen = new Set<number>();
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    // A PR listed twice counts once (the first listing wins, matching "first deployment that shipped it").
    if (dep === undefined || seen.has(p.number)) continue;
    seen.add(p.number);
    candidates.push({ pull: p, deployment: dep.d, deployedAt: dep.at });
  }

  const candidatePaths = candidates.flatMap((x) => x.pull.files.map((f) => f.path));
  const scope = serviceScope(c.alert.labels.service, c.config, c.hints, candidatePaths);
  const isRisky = c.config?.riskyPaths ? picomatch([...c.config.riskyPaths], GLOB_OPTIONS) : isDefaultRisky;
  return extractFeatures(candidates, { alertAt, scope, isRisky, frames: parseEvidence(c.alert.annotations) });
}

/** Ranks the PRs of the deployments before the alert, most likely culprit first. */
export function rankSuspects(c: CorrelationCase, opts: RankOptions = {}): ScoredSuspect[] {
  const model = opts.model ?? DEFAULT_MODEL;
  const features = caseFeatures(c, opts);
  const logits = logitsOf(model, features);
  const { chances } = confidences(model, logits);
  const reasons = explainAll(model, features);
  const ranked = features.map((f, i) => ({
    f,
    logit: logits[i]!,
    chance: chances[i]!,
    reasons: reasons[i]!,
  }));
  // Newest first among equals: the later deploy, then the lower PR number.
  ranked.sort(
    (a, b) =>
      b.logit - a.logit ||
      b.f.candidate.deployedAt - a.f.candidate.deployedAt ||
      a.f.candidate.pull.number - b.f.candidate.pull.number,
  );
  return ranked.map(({ f, chance, reasons }) => toSuspect(f, round3(chance), reasons, model));
}

function toSuspect(
  f: CandidateFeatures,
  confidence: number,
  reasons: string[],
  model: SuspectModel,
): ScoredSuspect {
  const { pull: p, deployment: d } = f.candidate;
  const factors: Partial<Record<FeatureName, number>> = {};
  for (const name of FEATURE_NAMES) {
    const v = round3(weightOf(model, name) * f.values[name]);
    if (v !== 0) factors[name] = v;
  }
  const suspect: ScoredSuspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: confidence,
    confidence,
    reasons,
    files: p.files.map((x) => x.path),
    factors,
  };
  if (p.url !== undefined) suspect.url = p.url;
  return suspect;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ---- validation of a case file ----

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const isoDate = z
  .string({ error: "expected an ISO 8601 date" })
  .refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), {
    message: "expected an ISO 8601 date (e.g. 2024-05-01T12:00:00Z)",
  });
const count = z.number({ error: "expected a number" }).int().nonnegative();
const id = z.union([z.number(), z.string().min(1)], { error: "expected a number or a non-empty string" });
const stringRecord = z.record(z.string(), z.string({ error: "expected a string" }));

const fileSchema = z.object({
  path: z.string().min(1),
  additions: count.default(0),
  deletions: count.default(0),
});

const caseSchema = z.object({
  alert: z.object({
    startsAt: isoDate,
    labels: stringRecord.default({}),
    annotations: stringRecord.optional(),
  }),
  deployments: z.array(
    z.object({
      id,
      sha: z.string().min(1),
      environment: z.string(),
      createdAt: isoDate,
      // A case file usually lists only the deployments that went out.
      status: z.string().default("success"),
      checkFailed: z.boolean().optional(),
      url: z.string().optional(),
    }),
  ),
  pulls: z.array(
    z
      .object({
        number: z.number().int().positive(),
        title: z.string().default(""),
        author: z.string().default(""),
        mergedAt: isoDate,
        deploymentId: id,
        additions: count.optional(),
        deletions: count.optional(),
        files: z.array(fileSchema).default([]),
        url: z.string().optional(),
        mergeCommitSha: z.string().optional(),
      })
      // Sizes default to the sum over the files when left out.
      .transform(({ additions, deletions, ...p }) => ({
        ...p,
        additions: additions ?? p.files.reduce((n, f) => n + f.additions, 0),
        deletions: deletions ?? p.files.reduce((n, f) => n + f.deletions, 0),
      })),
  ),
  config: z
    .object({
      services: z.record(z.string(), z.array(z.string())).optional(),
      riskyPaths: z.array(z.string()).optional(),
      lookbackSeconds: z.number().positive().optional(),
    })
    .optional(),
  hints: z
    .object({
      paths: z.array(z.string()).optional(),
      codeowners: z.string().optional(),
      pastCulpritFiles: z.array(z.string()).optional(),
    })
    .optional(),
});

export class CaseValidationError extends ConfigError {
  constructor(readonly issues: string[]) {
    super(`invalid case: ${issues.join("; ")}`);
    this.name = "CaseValidationError";
  }
}

/**
 * Checks a parsed case file; unknown fields are dropped. Throws CaseValidationError naming each bad
 * field. Also takes the culprit dataset's shape (`candidates` with `deployId`, and `serviceMap`),
 * the same data under other names; errors then use the names the file uses.
 */
export function validateCase(json: unknown): CorrelationCase {
  const dataset = isDatasetShape(json);
  const result = caseSchema.safeParse(dataset ? fromDatasetShape(json) : json, { reportInput: true });
  if (result.success) return result.data as CorrelationCase;
  const mapFromServiceMap =
    dataset && (json.config as { services?: unknown } | undefined)?.services === undefined;
  const named = (path: PropertyKey[]) => (dataset ? datasetPath(path, mapFromServiceMap) : path);
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${formatPath(named(i.path))}: ${describeIssue(i)}`);
  if (result.error.issues.length > 5) issues.push(`and ${result.error.issues.length - 5} more`);
  throw new CaseValidationError(issues);
}

type DatasetCase = Record<string, unknown> & { candidates: unknown[] };

function isDatasetShape(json: unknown): json is DatasetCase {
  return (
    typeof json === "object" &&
    json !== null &&
    !("pulls" in json) &&
    Array.isArray((json as { candidates?: unknown }).candidates)
  );
}

function fromDatasetShape({ candidates, serviceMap, config, ...rest }: DatasetCase): unknown {
  const pulls = candidates.map((p) =>
    typeof p === "object" && p !== null && !("deploymentId" in p) && "deployId" in p
      ? { ...p, deploymentId: (p as { deployId: unknown }).deployId }
      : p,
  );
  const services = (config as { services?: unknown } | undefined)?.services ?? serviceMap;
  const merged =
    services === undefined ? config : { ...(typeof config === "object" ? config : {}), services };
  return { ...rest, pulls, ...(merged === undefined ? {} : { config: merged }) };
}

/** pulls[3].deploymentId → candidates[3].deployId; config.services → serviceMap (when it came from there). */
function datasetPath(path: PropertyKey[], mapFromServiceMap: boolean): PropertyKey[] {
  if (mapFromServiceMap && path[0] === "config" && path[1] === "services")
    return ["serviceMap", ...path.slice(2)];
  const out = [...path];
  if (out[0] === "pulls") {
    out[0] = "candidates";
    if (out[2] === "deploymentId") out[2] = "deployId";
  }
  return out;
}

function formatPath(path: PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(case)" : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    // Our own messages start with "expected"; zod's default one is rewritten to the same style.
    const expected = issue.message.startsWith("expected") ? issue.message : `expected ${issue.expected}`;
    return issue.input === undefined
      ? `missing, ${expected}`
      : `${expected}, got ${JSON.stringify(issue.input)?.slice(0, 40)}`;
  }
  return issue.message;
}
