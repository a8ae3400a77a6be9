// The Alertmanager receiver: POST /alertmanager and POST /alertmanager/:owner/:repo, as a raw Node
// handler for Probot's addHandler. Thin: it runs the stages and maps their outcome to an answer.
// Alertmanager retries only on 5xx, so 4xx means "never retry this", 5xx "try again", 2xx "written".
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { TtlCache } from "../../core/ttl-cache.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { GitHubRefusedError, statusOf } from "../../github/incidents/index.js";
import { HttpError, sendJson } from "../http.js";
import type { AppEvents, DeliveryOutcome } from "../events.js";
import type { KeyLock } from "../lock.js";
import type { IncidentStores } from "../identity.js";
import type { RepoConfigs } from "../repo-configs.js";
import { groupingFor } from "../grouping/deliver.js";
import { currentDeadline, withDeadline } from "../pacing/deadline.js";
import type { PacingSettings } from "../pacing/settings.js";
import { DEFAULT_WAIT_MS } from "../pacing/settings.js";
import { DEFAULT_WRITE_BUDGET, paceWrites, type WriteSlots } from "../pacing/write-budget.js";
import { writeBudgetFor } from "../pacing/redis-budget.js";
import { recordException, traceRoute } from "../observability/tracing.js";
import type { AppSettings } from "../settings.js";
import { authenticate } from "./authenticate.js";
import { inScope } from "../repo-scope.js";
import { describeAlertGroup } from "./describe.js";
import { readBody } from "./read-body.js";
import { installationOctokit } from "../installation.js";
import { parseRepo, resolveRepository } from "./route.js";
import { validatePayload } from "./validate.js";
import { errorMessage } from "../../core/errors.js";

export interface AlertmanagerDeps {
  app: Probot;
  settings: AppSettings;
  lock: KeyLock;
  now: () => Date;
  events: AppEvents;
  incidents: IncidentStores;
  repoConfigs: RepoConfigs;
  /** The write budget and how long a delivery may wait (defaults: DEFAULT_WRITE_BUDGET, DEFAULT_WAIT_MS). */
  pacing?: Partial<PacingSettings>;
  /** The app's write budget, shared with the other paths; default: one made from `pacing` (writeBudgetFor). */
  budget?: WriteSlots;
}

const PATH = /^\/alertmanager(?:\/([^/]+)\/([^/]+))?\/?$/;

/** `{ matched: false }` for other paths; the repository named by the path, if any. */
export function matchPath(
  url: string | undefined,
): { matched: false } | { matched: true; repo: RepoRef | null } {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  const m = PATH.exec(pathname);
  if (!m) return { matched: false };
  if (m[1] === undefined || m[2] === undefined) return { matched: true, repo: null };
  let owner: string, name: string;
  try {
    [owner, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
  } catch {
    return { matched: true, repo: null };
  }
  const repo = parseRepo(`${owner}/${name}`);
  // An unparsable path repository is reported by resolveRepository as missing.
  return { matched: true, repo };
}

/** How long a repository's installation id and `.github/aftershock.yml` are reused across deliveries. */
export const INSTALLATION_TTL_MS = 10 * 60_000;
export { CONFIG_TTL_MS } from "../repo-configs.js";

export function createAlertmanagerHandler(deps: AlertmanagerDeps) {
  const installations = new TtlCache<number>(INSTALLATION_TTL_MS);
  // One incident per cause and group commit (grouping/deliver.ts); writes paced per installation.
  const clock = deps.pacing?.clock ?? Date.now;
  // With the Redis lock (several replicas) the budget is shared through the same Redis, so the
  // replicas together stay under GitHub's limits; else it is this process's.
  const budget: WriteSlots =
    deps.budget ?? writeBudgetFor(deps.lock, deps.pacing?.budget ?? DEFAULT_WRITE_BUDGET, clock);
  const grouping = groupingFor(deps.lock, budget, clock);
  const waitMs = deps.pacing?.waitMs ?? DEFAULT_WAIT_MS;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const route = matchPath(req.url);
    if (!route.matched) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST: this is Alertmanager's webhook receiver" }, { allow: "POST" });
      return true;
    }
    // One child logger per delivery; it gains the repository, group key and incident as they are known.
    const delivery = randomUUID();
    let log = deps.app.log.child({ name: "alertmanager", delivery });
    res.setHeader("x-aftershock-delivery", delivery);
    const started = performance.now();
    // Past this, Alertmanager may have stopped waiting: queues and write slots answer 503 instead.
    const deadline = clock() + waitMs;
    let alertStatus: "firing" | "resolved" | "unknown" = "unknown";
    let group: { repo: RepoRef; groupKey: string } | undefined;
    // A firing group refused for now is owed its incident, even if it has resolved by the retry:
    // recorded before the 5xx goes out, so the retry finds it on whichever replica it reaches.
    const owe = async () => {
      if (alertStatus !== "firing" || !group) return;
      await grouping.refused(group.repo, group.groupKey).catch((err: unknown) => {
        log.warn({ err }, "could not record that this alert group is owed its incident");
      });
    };
    const answered = (outcome: DeliveryOutcome, httpStatus: number) => {
      deps.events.emit("alert.delivery", {
        status: alertStatus,
        outcome,
        httpStatus,
        seconds: (performance.now() - started) / 1000,
      });
    };
    try {
      const caller = authenticate(req, deps.settings);
      const payload = validatePayload(
        await readBody(req, deps.settings.maxBodyBytes, deps.settings.bodyTimeoutMs),
      );
      alertStatus = payload.status;
      const repo = resolveRepository(payload, route.repo, deps.settings.repositoryLabel);
      if (caller.scope && !inScope(caller.scope, repo)) {
        throw new HttpError(
          403,
          `this token may not open incidents in ${repo.owner}/${repo.repo}: use its own token, or widen the token's scope in ALERTMANAGER_TOKENS`,
        );
      }
      log = log.child({ repository: `${repo.owner}/${repo.repo}`, groupKey: payload.groupKey });
      group = { repo, groupKey: payload.groupKey };
      // An installation belongs to one account: its budget is the owner's. Refused before any work.
      const account = repo.owner.toLowerCase();
      await budget.admit(account, deadline);
      const installed = await installationOctokit(deps.app, repo, installations);
      const octokit = paceWrites(installed, budget, account, currentDeadline);
      const config = await deps.repoConfigs(octokit, repo);
      const { draft, correlation } = describeAlertGroup(payload, config.config);
      const store = deps.incidents(octokit, repo);
      const ctx = { octokit, store, lock: deps.lock, repo, config, now: deps.now(), events: deps.events };
      const written = await withDeadline(deadline, () => grouping.deliver(ctx, draft, correlation, deadline));
      const repository = `${repo.owner}/${repo.repo}`;
      log.info(
        { outcome: written.outcome, ...(written.outcome !== "ignored" ? { incident: written.number } : {}) },
        "alert group handled",
      );
      if (written.outcome === "ignored") {
        sendJson(res, 200, { outcome: "ignored", reason: written.reason, repository });
        answered("ignored", 200);
      } else {
        const { outcome, number, url } = written;
        sendJson(res, outcome === "created" ? 201 : 200, { outcome, issue: number, url, repository });
        answered(outcome, outcome === "created" ? 201 : 200);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status >= 500) {
          log.warn({ status: err.status }, err.message);
          await owe();
        }
        sendJson(
          res,
          err.status,
          { error: err.message, ...(err.field ? { field: err.field } : {}) },
          err.headers,
        );
        answered(err.status >= 500 ? "failed" : "rejected", err.status);
      } else if (err instanceof GitHubRefusedError) {
        // Permanent: the same content would be refused again, so Alertmanager must not retry it.
        log.warn({ status: err.status }, err.message);
        sendJson(res, 422, { error: err.message });
        answered("rejected", 422);
      } else {
        const status = statusOf(err);
        recordException(err);
        log.error({ err }, "alert group not written; answering 503 so Alertmanager retries");
        await owe();
        sendJson(res, 503, {
          error: "the incident could not be written now; Alertmanager will retry",
          reason: errorMessage(err),
          ...(status !== undefined ? { githubStatus: status } : {}),
        });
        answered("failed", 503);
      }
    }
    return true;
  };
  // One server span per delivery (GitHub calls and correlation nest under it); other paths make none.
  return traceRoute("alertmanager delivery", (req) => matchPath(req.url).matched, handle);
}
