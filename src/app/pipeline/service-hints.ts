// Hints for inferring the alert's service paths when `.github/aftershock.yml` names none (most
// repositories never write `services:`): the repository's paths and CODEOWNERS at the deployed commit,
// and the files of earlier culprits of the service. Cached briefly per repository and ref, since every
// alert of a burst asks the same. Best effort: a part that cannot be read is left out and reported,
// never thrown, so the incident opens with what there is.
import type { DeploymentRef, PullRef, ServiceHints } from "../../core/suspects/correlation-types.js";
import { pastCulpritFiles } from "../../core/learning/culprit-files.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import { TtlCache } from "../../core/ttl-cache.js";
import type { IssuesOctokit } from "../../github/incident-history.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { statusOf } from "../../github/incidents/index.js";
import { errorMessage } from "../../core/errors.js";
import { countRequests, type HookableOctokit } from "../../github/request-counter.js";
import type { RepoPaths } from "../../github/service-hints.js";
import { readCodeowners, readRepoPaths } from "../../github/service-hints.js";
import { createLogger } from "../observability/logger.js";
import { pastIncidentsOnce, type PastIncidents } from "./past-incidents.js";

export type HintsOctokit = IssuesOctokit & HookableOctokit;

export interface HintsRequest {
  repo: RepoRef;
  /** The commit whose tree is read: the newest deployment's. */
  ref: string;
  service: string;
  config: RepoConfig;
  now: Date;
  /** The incident's one listing of past incidents, shared with the similar incidents; its own by default. */
  pastIncidents?: PastIncidents;
}

export interface HintsRead {
  hints: ServiceHints;
  /** The tree was cut (by GitHub or by MAX_TREE_PATHS): the paths are not all of them. */
  truncated: boolean;
  /** What could not be read, one line per part (no secrets: GitHub's messages). */
  errors: string[];
  /** GitHub requests made (0 on a cache hit). */
  requests: number;
}

interface RepoFiles extends RepoPaths {
  codeowners?: string;
}

export interface HintsReaderOptions {
  /** How long a repository's paths at one ref are kept; a ref's tree never changes, memory does. */
  treeTtlMs?: number;
  /** How long a service's past culprit files are kept: new incidents add to them. */
  culpritTtlMs?: number;
  /** Refs kept at once: each holds up to MAX_TREE_PATHS paths (a few MB). */
  maxTrees?: number;
  now?: () => number;
}

/** True when the config names no paths for the service, so the ranker has to infer them. */
export function needsHints(config: Pick<RepoConfig, "services">, service: string | undefined): boolean {
  if (service === undefined || service.trim() === "") return false;
  return (config.services[service] ?? []).length === 0;
}

/** The commit the hints are read at: the newest deployment's (what runs, or is rolling out). */
export function hintsRef(deployments: readonly DeploymentRef[]): string | undefined {
  let newest: DeploymentRef | undefined;
  for (const d of deployments)
    if (!newest || Date.parse(d.createdAt) > Date.parse(newest.createdAt)) newest = d;
  return newest?.sha;
}

export class ServiceHintsReader {
  readonly #trees: TtlCache<RepoFiles>;
  readonly #culprits: TtlCache<string[]>;

  constructor(options: HintsReaderOptions = {}) {
    const now = options.now ?? Date.now;
    this.#trees = new TtlCache(options.treeTtlMs ?? 10 * 60_000, now, options.maxTrees ?? 8);
    this.#culprits = new TtlCache(options.culpritTtlMs ?? 5 * 60_000, now, 200);
  }

  /** Forgets everything cached (tests; a repository whose history was rewritten). */
  clear(): void {
    this.#trees.clear();
    this.#culprits.clear();
  }

  async read(octokit: HintsOctokit, request: HintsRequest): Promise<HintsRead> {
    const counter = countRequests(octokit);
    try {
      const repoKey = `${request.repo.owner}/${request.repo.repo}`.toLowerCase();
      const [files, culprits] = await Promise.allSettled([
        this.#trees.get(`${repoKey}@${request.ref}`, () => readRepoFiles(octokit, request)),
        request.config.history.enabled
          ? this.#culprits.get(
              `${repoKey}#${request.config.labels.incident}#${request.service.toLowerCase()}`,
              () => readCulpritFiles(octokit, request),
            )
          : Promise.resolve([]),
      ]);
      const hints: ServiceHints = {};
      const errors: string[] = [];
      let truncated = false;
      if (files.status === "fulfilled") {
        hints.paths = files.value.paths;
        truncated = files.value.truncated;
        if (files.value.codeowners !== undefined) hints.codeowners = files.value.codeowners;
      } else {
        errors.push(`repository tree at ${request.ref.slice(0, 12)}: ${messageOf(files.reason)}`);
      }
      if (culprits.status === "fulfilled") {
        if (culprits.value.length > 0) hints.pastCulpritFiles = culprits.value;
      } else {
        errors.push(`past incidents: ${messageOf(culprits.reason)}`);
      }
      return { hints, truncated, errors, requests: counter.count };
    } finally {
      counter.stop();
    }
  }
}

/** One reader per process: the alert path and the deploy-check path share its cache. */
export const sharedHintsReader = new ServiceHintsReader();

async function readRepoFiles(octokit: HintsOctokit, request: HintsRequest): Promise<RepoFiles> {
  const paths = await readRepoPaths(octokit, request.repo, request.ref);
  if (!paths.codeownersPath) return paths;
  const codeowners = await readCodeowners(octokit, request.repo, paths.codeownersPath, request.ref);
  return codeowners === undefined ? paths : { ...paths, codeowners };
}

async function readCulpritFiles(octokit: HintsOctokit, request: HintsRequest): Promise<string[]> {
  const list = request.pastIncidents ?? pastIncidentsOnce(octokit, request.repo, request.config, request.now);
  const history = await list();
  return pastCulpritFiles(history.incidents, request.service);
}

/**
 * A short reason for the log: GitHub's status, else the first line of the message, with anything
 * that looks like a credential removed (some clients put the request, headers included, in it).
 */
export function messageOf(err: unknown): string {
  const status = statusOf(err);
  if (status !== undefined && status >= 400) return `GitHub answered ${status}`;
  const first = errorMessage(err).split("\n")[0] ?? "";
  return first.replace(/\b(token|bearer|basic)\s+\S+/gi, "$1 [redacted]").slice(0, 200);
}

/** Where the pipeline reports what it went on without; Probot's and pino's loggers fit. */
export interface HintsLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface CaseHintsOptions {
  /** Defaults to the process-wide reader (shared cache). */
  hints?: ServiceHintsReader;
  /** Defaults to the app's JSON logger. */
  log?: HintsLog;
  /** The incident waits this long for hints at most; a slower read still fills the cache. */
  hintsBudgetMs?: number;
  /** The opening incident's listing of past incidents, which the similar incidents read too. */
  pastIncidents?: PastIncidents;
}

/** A big monorepo's tree takes seconds; an alert should not wait longer than this for a nicety. */
export const HINTS_BUDGET_MS = 5_000;

let defaultLog: HintsLog | undefined;

/**
 * Hints for one case, when the config names no paths for its service and there are PRs to rank.
 * Never throws and never takes longer than the budget: the case is ranked without what could not be
 * read in time, and the log says why.
 */
export async function hintsForCase(
  octokit: HintsOctokit,
  repo: RepoRef,
  c: {
    service: string | undefined;
    deployments: readonly DeploymentRef[];
    pulls: readonly PullRef[];
    config: RepoConfig;
    now: Date;
  },
  options: CaseHintsOptions = {},
): Promise<{ hints?: ServiceHints; requests: number }> {
  const ref = hintsRef(c.deployments);
  if (
    c.service === undefined ||
    !needsHints(c.config, c.service) ||
    ref === undefined ||
    c.pulls.length === 0
  )
    return { requests: 0 };
  const log = options.log ?? (defaultLog ??= createLogger());
  const where = { repository: `${repo.owner}/${repo.repo}`, service: c.service, ref };
  const budget = options.hintsBudgetMs ?? HINTS_BUDGET_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), budget);
  });
  try {
    const read = (options.hints ?? sharedHintsReader).read(octokit, {
      repo,
      ref,
      service: c.service,
      config: c.config,
      now: c.now,
      ...(options.pastIncidents ? { pastIncidents: options.pastIncidents } : {}),
    });
    const first = await Promise.race([read, late]);
    if (first === "late") {
      read.catch(() => {}); // finishes in the background, for the cache
      log.warn({ ...where, budgetMs: budget }, "service hints too slow; ranking without them");
      return { requests: 0 };
    }
    if (first.errors.length > 0)
      log.warn({ ...where, errors: first.errors }, "service hints partly unread; ranking without those");
    if (first.truncated)
      log.info({ ...where, paths: first.hints.paths?.length ?? 0 }, "repository tree cut for service hints");
    return { hints: first.hints, requests: first.requests };
  } catch (err) {
    log.warn({ ...where, err: { message: messageOf(err) } }, "service hints unread; ranking without them");
    return { requests: 0 };
  } finally {
    clearTimeout(timer);
  }
}
