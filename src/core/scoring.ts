// Ranks the merged PRs most likely to have caused an alert. Pure and deterministic: every score is a
// weighted sum of named factors in 0..1, and every factor that adds to a score says so in a reason,
// so a responder can see why a PR is on the list (and argue with it).

import picomatch from "picomatch";
import { z } from "zod";
import { ConfigError } from "./errors.js";
import type { CorrelationCase, DeploymentRef, PullRef, Suspect } from "./correlation-types.js";

/** How much each factor can add to a score. They sum to 1, so a score is never above 1. */
export interface ScoringWeights {
  /** Deployed shortly before the alert; decays with a half-life. */
  proximity: number;
  /** Touches paths that belong to the alerting service. */
  servicePaths: number;
  /** Touches migrations, configuration or dependency manifests. */
  riskyPaths: number;
  /** A large change (lines or files). */
  size: number;
  /** aftershock's deploy check failed for the deployment that shipped it. */
  checkFailed: number;
}

export const DEFAULT_WEIGHTS: Readonly<ScoringWeights> = Object.freeze({
  proximity: 0.35,
  servicePaths: 0.2,
  riskyPaths: 0.15,
  size: 0.1,
  checkFailed: 0.2,
});

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

/** Deployments older than this before the alert are not suspected (seconds). */
export const DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;
/** Proximity halves every this many minutes between deploy and alert. */
export const DEFAULT_HALF_LIFE_MINUTES = 30;
/** A change this large (changed lines, or files) earns the whole size weight; smaller ones a share. */
export const LARGE_CHANGE_LINES = 500;
export const LARGE_CHANGE_FILES = 20;

/** Latest statuses that mean the code went live. GitHub marks a superseded successful deploy `inactive`. */
const SHIPPED_STATUSES = new Set(["success", "inactive"]);

export interface ScoreFactors {
  proximity: number;
  servicePaths: number;
  riskyPaths: number;
  size: number;
  checkFailed: number;
}

/** A suspect with its score split by factor (each already multiplied by its weight). */
export interface ScoredSuspect extends Suspect {
  factors: ScoreFactors;
  deployedAt: string;
}

export interface RankOptions {
  /** Evaluation time: deployments after it are ignored too (for replaying a case "as of" a moment). */
  now?: Date | string | number;
  weights?: Partial<ScoringWeights>;
  halfLifeMinutes?: number;
}

/** True when the deployment put its code live: success (or superseded success), or live but its check failed. */
export function isShipped(d: DeploymentRef): boolean {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}

/** Ranks the PRs of the deployments before the alert, best first. */
export function rankSuspects(c: CorrelationCase, opts: RankOptions = {}): ScoredSuspect[] {
  const weights: ScoringWeights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const halfLife = opts.halfLifeMinutes ?? DEFAULT_HALF_LIFE_MINUTES;
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === undefined ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1000;
  const environment = c.alert.labels.environment;
  const service = c.alert.labels.service;

  // Deployments that can be blamed: this environment (any, when the alert names none), live, in the window.
  const deployments = new Map<string, { d: DeploymentRef; at: number }>();
  for (const d of c.deployments) {
    const at = Date.parse(d.createdAt);
    if (Number.isNaN(at) || at > latest || at < alertAt - lookbackMs) continue;
    if (environment !== undefined && d.environment !== environment) continue;
    if (!isShipped(d)) continue;
    deployments.set(String(d.id), { d, at });
  }

  const serviceGlobs = service === undefined ? [] : (c.config?.services?.[service] ?? []);
  // No extglobs: they can backtrack for seconds per path (repo-config refuses them too).
  const globOptions = { dot: true, noextglob: true };
  const serviceMatchers = serviceGlobs.map((g) => ({ glob: g, test: picomatch(g, globOptions) }));
  const isRisky = picomatch([...(c.config?.riskyPaths ?? DEFAULT_RISKY_PATHS)], globOptions);

  const seen = new Set<number>();
  const scored: ScoredSuspect[] = [];
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    // A PR listed twice counts once (the first listing wins, matching "first deployment that shipped it").
    if (dep === undefined || seen.has(p.number)) continue;
    seen.add(p.number);
    scored.push(
      scorePull(p, dep.d, alertAt - dep.at, { weights, halfLife, service, serviceMatchers, isRisky }),
    );
  }

  const deployedAt = (s: ScoredSuspect) => Date.parse(s.deployedAt);
  return scored.sort((a, b) => b.score - a.score || deployedAt(b) - deployedAt(a) || a.number - b.number);
}

interface ScoreContext {
  weights: ScoringWeights;
  halfLife: number;
  service: string | undefined;
  serviceMatchers: { glob: string; test: (path: string) => boolean }[];
  isRisky: (path: string) => boolean;
}

function scorePull(p: PullRef, d: DeploymentRef, ageMs: number, ctx: ScoreContext): ScoredSuspect {
  const { weights } = ctx;
  const paths = p.files.map((f) => f.path);
  const reasons: string[] = [];
  const factors: ScoreFactors = { proximity: 0, servicePaths: 0, riskyPaths: 0, size: 0, checkFailed: 0 };

  factors.proximity = weights.proximity * Math.pow(0.5, ageMs / 60_000 / ctx.halfLife);
  reasons.push(`deployed ${formatAge(ageMs)} before the alert${signed(factors.proximity)}`);

  const matchedGlobs = ctx.serviceMatchers
    .filter((m) => paths.some((path) => m.test(path)))
    .map((m) => m.glob);
  if (matchedGlobs.length > 0) {
    factors.servicePaths = weights.servicePaths;
    reasons.push(
      `touches paths of service ${ctx.service}: ${matchedGlobs.join(", ")}${signed(factors.servicePaths)}`,
    );
  }

  const risky = paths.filter((path) => ctx.isRisky(path));
  if (risky.length > 0) {
    factors.riskyPaths = weights.riskyPaths;
    reasons.push(`touches risky paths: ${listSome(risky, 3)}${signed(factors.riskyPaths)}`);
  }

  const lines = p.additions + p.deletions;
  const sizeShare = Math.min(1, Math.max(lines / LARGE_CHANGE_LINES, p.files.length / LARGE_CHANGE_FILES));
  factors.size = weights.size * sizeShare;
  if (factors.size > 0) {
    const what = sizeShare >= 1 ? "large change" : "change size";
    const files = `${p.files.length} file${p.files.length === 1 ? "" : "s"}`;
    reasons.push(`${what}: ${lines} lines in ${files}${signed(factors.size)}`);
  }

  if (d.checkFailed === true) {
    factors.checkFailed = weights.checkFailed;
    reasons.push(`the deploy check failed for deploy ${d.id}${signed(factors.checkFailed)}`);
  }

  const total =
    factors.proximity + factors.servicePaths + factors.riskyPaths + factors.size + factors.checkFailed;
  const suspect: ScoredSuspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: round3(Math.min(1, Math.max(0, total))),
    reasons,
    files: paths,
    factors: {
      proximity: round3(factors.proximity),
      servicePaths: round3(factors.servicePaths),
      riskyPaths: round3(factors.riskyPaths),
      size: round3(factors.size),
      checkFailed: round3(factors.checkFailed),
    },
  };
  if (p.url !== undefined) suspect.url = p.url;
  return suspect;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function signed(x: number): string {
  return ` (+${x.toFixed(2)})`;
}

function listSome(items: string[], max: number): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** "45 s", "12 min", "3 h 5 min". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
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
});

export class CaseValidationError extends ConfigError {
  constructor(readonly issues: string[]) {
    super(`invalid case: ${issues.join("; ")}`);
    this.name = "CaseValidationError";
  }
}

/** Checks a parsed case file; unknown fields are dropped. Throws CaseValidationError naming each bad field. */
export function validateCase(json: unknown): CorrelationCase {
  const result = caseSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data as CorrelationCase;
  const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${describeIssue(i)}`);
  if (result.error.issues.length > 5) issues.push(`and ${result.error.issues.length - 5} more`);
  throw new CaseValidationError(issues);
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
