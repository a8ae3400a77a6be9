// What each suspect offers at alert time, as numbers for the model and facts for the reasons. Pure:
// the same case gives the same features whatever the order of its deployments and PRs.

import type { DeploymentRef, PullRef } from "./correlation-types.js";
import { frameFor, type Frame } from "./evidence.js";
import type { ServicePath } from "./infer-paths.js";
import { isCosmeticPath, isDependencyFile, isNonProductionPath, type PathTest } from "./paths.js";
import type { ServiceScope } from "./service-scope.js";

/** A PR of a deployment that can be blamed, with when that deployment happened. */
export interface Candidate {
  pull: PullRef;
  deployment: DeploymentRef;
  /** Epoch ms of the deployment. */
  deployedAt: number;
}

/**
 * Every feature the model knows. Those in model.json's `features` are fitted; alertEvidence,
 * beingVerified and checkFailed never occur in the training data and carry fixed priors (model.ts).
 */
export const FEATURE_NAMES = [
  // 1 when a changed file belongs to the alert's service.
  "touchesService",
  // 1 when most of its files that belong to any service belong to the alert's.
  "mainService",
  // Share of its changed lines (files, when no lines changed) in the alert's service.
  "serviceShare",
  // log(1 + PRs touching the service that shipped after it): the newest change to a service is the usual culprit.
  "laterServiceChanges",
  // log(1 + PRs that shipped after it).
  "laterPulls",
  // log(1 + tens of minutes from its deploy to the alert).
  "timeSinceDeploy",
  // log(1 + files changed).
  "files",
  // 1 when it touches migrations, manifests, deploy configuration (riskyPaths).
  "riskyPaths",
  // 1 when it changes only tests, docs or CI.
  "nonProductionOnly",
  // 1 for a dependency bump: a bot author, a "bump X from A to B" title, or only manifests.
  "dependencyBump",
  // 1 when it changes only stylesheets, images, fonts or translations.
  "cosmeticOnly",
  "alertEvidence",
  "beingVerified",
  "checkFailed",
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FeatureVector = Record<FeatureName, number>;

/** The facts behind the numbers, for the reasons. */
export interface FeatureFacts {
  /** The alert's service, when its paths are known (configured or inferred). */
  service?: string;
  serviceGlobs: ServicePath[];
  totalLines: number;
  laterServicePulls: number;
  /** PRs that shipped after it (a later deploy, or merged later into the same one). */
  laterPulls: number;
  deploysAfter: number;
  ageMs: number;
  riskyFiles: string[];
  frame?: { file: string; frame: Frame };
  status: string;
}

export interface CandidateFeatures {
  candidate: Candidate;
  values: FeatureVector;
  facts: FeatureFacts;
}

export interface FeatureContext {
  alertAt: number;
  scope: ServiceScope;
  isRisky: PathTest;
  frames: readonly Frame[];
}

const VERIFYING_STATUSES = new Set(["in_progress", "queued", "pending"]);
const BUMP_TITLE = /\b(bump|bumps|upgrade|update)\b.*\bfrom\b.*\bto\b|^(chore|build)\(deps(-dev)?\)/i;
const BOT_AUTHOR = /\b(dependabot|renovate|greenkeeper|snyk-bot)\b/i;

export function isVerifying(d: DeploymentRef): boolean {
  return VERIFYING_STATUSES.has(d.status.toLowerCase());
}

/** Features of every candidate of one case (they depend on one another: order, later changes). */
export function extractFeatures(input: readonly Candidate[], ctx: FeatureContext): CandidateFeatures[] {
  // Shipping order: deploy time, then merge time, then number. "Later" below means later in it.
  const merged = new Map(input.map((c) => [c, Date.parse(c.pull.mergedAt)]));
  const candidates = [...input].sort(
    (a, b) => a.deployedAt - b.deployedAt || merged.get(a)! - merged.get(b)! || a.pull.number - b.pull.number,
  );
  const deployTimes = [...new Set(candidates.map((c) => c.deployedAt))];
  const ownership = candidates.map((c) => serviceOwnership(c.pull, ctx.scope));
  // Service PRs at or after each position, so "later service changes" is one subtraction (linear).
  const serviceFrom = new Array<number>(candidates.length + 1).fill(0);
  for (let i = candidates.length - 1; i >= 0; i--)
    serviceFrom[i] = serviceFrom[i + 1]! + (ownership[i]!.globs.length > 0 ? 1 : 0);

  return candidates.map((c, i) => {
    const own = ownership[i]!;
    const p = c.pull;
    const paths = p.files.map((f) => f.path);
    const lines = p.additions + p.deletions;
    const touches = own.globs.length > 0;
    const laterServicePulls = serviceFrom[i + 1]!;
    const deploysAfter = deployTimes.filter((t) => t > c.deployedAt).length;
    const laterPulls = candidates.length - 1 - i;
    const riskyFiles = paths.filter((path) => ctx.isRisky(path));
    const nonProduction = paths.length > 0 && paths.every(isNonProductionPath);
    const dependencyBump =
      BOT_AUTHOR.test(p.author) ||
      BUMP_TITLE.test(p.title.slice(0, 300)) ||
      (paths.some(isDependencyFile) &&
        paths.every((path) => isDependencyFile(path) || isNonProductionPath(path)));
    let frame: FeatureFacts["frame"];
    if (ctx.frames.length > 0) {
      for (const file of paths) {
        const f = frameFor(file, ctx.frames);
        if (f) {
          frame = { file, frame: f };
          break;
        }
      }
    }
    const ageMs = Math.max(0, ctx.alertAt - c.deployedAt);
    const values: FeatureVector = {
      touchesService: touches ? 1 : 0,
      mainService: touches && mainServiceOf(p, ctx.scope) === ctx.scope.service ? 1 : 0,
      serviceShare: touches ? own.share : 0,
      laterServiceChanges: touches ? Math.log1p(laterServicePulls) : 0,
      laterPulls: Math.log1p(laterPulls),
      timeSinceDeploy: Math.log1p(ageMs / 600_000),
      files: Math.log1p(p.files.length),
      riskyPaths: riskyFiles.length > 0 ? 1 : 0,
      nonProductionOnly: nonProduction ? 1 : 0,
      dependencyBump: dependencyBump ? 1 : 0,
      cosmeticOnly: paths.length > 0 && paths.every(isCosmeticPath) ? 1 : 0,
      alertEvidence: frame ? 1 : 0,
      beingVerified: isVerifying(c.deployment) ? 1 : 0,
      checkFailed: c.deployment.checkFailed === true ? 1 : 0,
    };
    const facts: FeatureFacts = {
      serviceGlobs: own.globs,
      totalLines: lines,
      laterServicePulls,
      laterPulls,
      deploysAfter,
      ageMs,
      riskyFiles,
      status: c.deployment.status,
    };
    if (frame) facts.frame = frame;
    if (ctx.scope.service !== undefined && ctx.scope.paths.length > 0) facts.service = ctx.scope.service;
    return { candidate: c, values, facts };
  });
}

/** The service most of a PR's files belong to (ties: more changed lines). */
function mainServiceOf(p: PullRef, scope: ServiceScope): string | undefined {
  const votes = new Map<string, { files: number; lines: number }>();
  for (const f of p.files) {
    const s = scope.serviceOf(f.path);
    if (s === undefined) continue;
    const v = votes.get(s) ?? { files: 0, lines: 0 };
    v.files += 1;
    v.lines += f.additions + f.deletions;
    votes.set(s, v);
  }
  let best: [string, { files: number; lines: number }] | undefined;
  for (const e of votes) {
    if (!best || e[1].files > best[1].files || (e[1].files === best[1].files && e[1].lines > best[1].lines))
      best = e;
  }
  return best?.[0];
}

function serviceOwnership(p: PullRef, scope: ServiceScope): { globs: ServicePath[]; share: number } {
  const globs: ServicePath[] = [];
  let lines = 0;
  let files = 0;
  let total = 0;
  for (const f of p.files) {
    total += f.additions + f.deletions;
    const owner = scope.owner(f.path);
    if (!owner) continue;
    files += 1;
    lines += f.additions + f.deletions;
    if (!globs.some((g) => g.glob === owner.glob)) globs.push(owner);
  }
  // Binary or renamed-only files change no lines: then count files.
  const share = total > 0 ? lines / total : p.files.length > 0 ? files / p.files.length : 0;
  return { globs, share };
}
