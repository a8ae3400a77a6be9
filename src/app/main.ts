// `npm start`: Probot's own `run` (the same as `probot run`, including its setup flow when no app
// credentials are set), with our logger so secrets in request headers never reach the logs, and an
// Octokit that counts, times and traces every GitHub request (reported to the app's /metrics).
import { run, type ApplicationFunction } from "probot";
import { createApp } from "./index.js";
import { readPacingSettings } from "./pacing/settings.js";
import { instrumentedOctokit } from "./observability/github-instrumentation.js";
import { createLogger } from "./observability/logger.js";
import { githubOctokit, replicaSetup } from "./replicas.js";
import { startTracing } from "./observability/tracing.js";
import { errorMessage } from "../core/errors.js";

const log = loggerOrExit();
// Before the app loads, so its spans have a provider; a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = await startTracing(log);
if (tracing.enabled) {
  // Flush the last spans on SIGTERM, then let the signal terminate the process as it would have.
  process.once("SIGTERM", () => {
    const flushed = Promise.race([tracing.shutdown(), new Promise((r) => setTimeout(r, 5000).unref())]);
    void flushed.catch(() => {}).finally(() => process.kill(process.pid, "SIGTERM"));
  });
}

// The lock is chosen when the app loads, after run() has applied .env; run() reads REDIS_URL itself
// for Probot's redisConfig (clustered throttling), so lock and throttling always agree.
const aftershock: ApplicationFunction = (probot, options) => {
  const shared = replicaSetup(process.env, {
    onError: (err, key) => probot.log.warn({ err: { message: err.message }, key }, "shared lock (Redis)"),
  });
  probot.log.info({ lock: shared.where }, "per-group lock");
  const redis = shared.redisLock;
  const readinessChecks = redis ? [{ name: "redis", check: () => redis.ping() }] : [];
  // Probot's throttling is on here: the write budget spaces writes as it does (see pacing/).
  const pacing = readPacingSettings(process.env, true);
  return createApp({ lock: shared.lock, readinessChecks, pacing })(probot, options);
};

// The GitHub policy (timeouts, no blind retry of creates) under the instrumentation.
await run(aftershock, { log, Octokit: instrumentedOctokit(githubOctokit()) });

/** The logger, or a one-line reason to stop (a mistyped LOG_FORMAT) instead of a stack trace. */
function loggerOrExit(): ReturnType<typeof createLogger> {
  try {
    return createLogger();
  } catch (err) {
    console.error(`aftershock: ${errorMessage(err)}`);
    process.exit(2);
  }
}
