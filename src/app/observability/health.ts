// Probes for the orchestrator. /healthz: the process answers (liveness, never touches anything else).
// /readyz: the app can do its job now: GitHub answers with the app's JWT, and each injected check
// (Redis, when configured) passes. Results are cached briefly so frequent probes, from several
// kubelets, don't spend GitHub's rate limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { sendJson } from "../http.js";
import { errorMessage } from "../../core/errors.js";

export interface ReadinessCheck {
  /** Named in the 503 answer: "github", "redis". */
  name: string;
  /** Resolves when the dependency is usable; throws (with a message saying why) otherwise. */
  check: () => Promise<void>;
}

export interface HealthOptions {
  /** Checks besides GitHub's (the Redis lock adds one). */
  checks?: ReadinessCheck[];
  /** How long a passing readiness result is reused (default 15 s). */
  cacheSeconds?: number;
  /** How long a failing result is reused: shorter, so recovery shows quickly (default 5 s). */
  failureCacheSeconds?: number;
  /** A check taking longer fails (default 5 s). */
  timeoutSeconds?: number;
  now?: () => number;
  /** Where a failed evaluation is reported (once per evaluation, not per probe). */
  log?: { warn: (obj: object, msg: string) => void };
}

export interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: CheckResult[];
}

/** GitHub reachable and our credentials accepted: `GET /app` authenticated as the app (JWT). */
export function githubCheck(app: Pick<Probot, "auth">): ReadinessCheck {
  return {
    name: "github",
    check: async () => {
      const octokit = await app.auth();
      // No retries: a probe reports the state now, and the next probe asks again.
      await octokit.request("GET /app", { request: { retries: 0 } });
    },
  };
}

const MAX_ERROR_LENGTH = 300;

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (err) {
    // An HTTP answer, not Octokit's 500 for a network failure (which has no response).
    const status = (err as { response?: { status?: unknown } }).response?.status;
    const message = errorMessage(err);
    const text = typeof status === "number" ? `answered ${status}: ${message}` : message;
    return { name: check.name, ok: false, error: text.slice(0, MAX_ERROR_LENGTH) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the checks at most once per cache period; concurrent probes share one evaluation. */
export function createReadiness(checks: ReadinessCheck[], options: HealthOptions = {}) {
  const now = options.now ?? Date.now;
  const okMs = (options.cacheSeconds ?? 15) * 1000;
  const failedMs = (options.failureCacheSeconds ?? 5) * 1000;
  const timeoutMs = (options.timeoutSeconds ?? 5) * 1000;
  let cached: { at: number; result: Promise<Readiness> } | undefined;

  const evaluate = async (): Promise<Readiness> => {
    const results = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
    const failed = results.filter((r) => !r.ok);
    if (failed.length) options.log?.warn({ checks: failed }, "not ready: a dependency check failed");
    return { ready: failed.length === 0, checks: results };
  };

  return async (): Promise<Readiness> => {
    if (cached) {
      const age = now() - cached.at;
      const result = await cached.result;
      // Still the same evaluation if another caller started one meanwhile.
      if (age < (result.ready ? okMs : failedMs)) return result;
    }
    const fresh = { at: now(), result: evaluate() };
    cached = fresh;
    return fresh.result;
  };
}

function pathname(url: string | undefined): string {
  return new URL(url ?? "/", "http://localhost").pathname;
}

/** GET /healthz and GET /readyz, as one addHandler route. */
export function createHealthHandler(readiness: () => Promise<Readiness>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = pathname(req.url);
    if (path !== "/healthz" && path !== "/readyz") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: `use GET: ${path} is a health probe` }, { allow: "GET, HEAD" });
      return true;
    }
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    const result = await readiness();
    if (result.ready) {
      sendJson(res, 200, { status: "ready", checks: result.checks });
      return true;
    }
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
    sendJson(res, 503, { status: "unavailable", failed, checks: result.checks });
    return true;
  };
}

/** Registers /healthz and /readyz: GitHub always, plus the injected checks (Redis). */
export function registerHealth(
  app: Probot,
  addHandler: ApplicationFunctionOptions["addHandler"],
  options: HealthOptions = {},
): () => Promise<Readiness> {
  const readiness = createReadiness([githubCheck(app), ...(options.checks ?? [])], {
    // Probot sets its logger up asynchronously: look it up when there is something to report.
    log: { warn: (obj: object, msg: string) => app.log?.warn({ name: "health", ...obj }, msg) },
    ...options,
  });
  addHandler(createHealthHandler(readiness));
  return readiness;
}
