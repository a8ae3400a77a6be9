// What a replica needs to run beside others. With REDIS_URL: the per-group lock lives in Redis and
// Probot's rate-limit throttling is clustered through the same Redis (Probot's `redisConfig`).
// Without it: an in-process lock, which is right for exactly one replica.
// Also the GitHub client policy every replica uses, because it bounds how long the shared lock is
// held: a request timeout, a short wait on secondary rate limits, and no blind retry of creates.
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import type { KeyLock } from "./lock.js";
import { InProcessKeyLock } from "./lock.js";
import type { RedisKeyLockOptions } from "./redis-lock.js";
import { RedisKeyLock, describeRedisUrl } from "./redis-lock.js";

export interface ReplicaSetup {
  lock: KeyLock;
  /** The Redis lock, for readiness checks and shutdown; null when in-process. */
  redisLock: RedisKeyLock | null;
  /** For Probot's `redisConfig` (probot's run() reads REDIS_URL itself); undefined without Redis. */
  redisConfig: string | undefined;
  /** Where the lock lives, without credentials: "in-process" or the Redis URL. */
  where: string;
  close(): Promise<void>;
}

/** Chooses the lock from REDIS_URL. Throws, saying how to fix it, when REDIS_URL is not a redis URL. */
export function replicaSetup(
  env: NodeJS.ProcessEnv = process.env,
  options: RedisKeyLockOptions = {},
): ReplicaSetup {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    return {
      lock: new InProcessKeyLock(),
      redisLock: null,
      redisConfig: undefined,
      where: "in-process",
      close: async () => undefined,
    };
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new Error(
      `REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), got "${describeRedisUrl(url)}"`,
    );
  }
  const redisLock = RedisKeyLock.connect(url, options);
  return {
    lock: redisLock,
    redisLock,
    redisConfig: url,
    where: describeRedisUrl(url),
    close: () => redisLock.close(),
  };
}

export interface GitHubPolicy {
  /** Each GitHub request is aborted after this long (default 20 s). */
  requestTimeoutMs: number;
  /** Octokit's retry of 5xx and timeouts waits (n+1)² × this (default 1000 ms, Octokit's own). */
  retryBaseMs: number;
  /** A secondary rate limit whose retry-after is at most this is waited out (twice at most); longer ones fail the delivery (503). */
  maxSecondaryWaitSeconds: number;
}

export const DEFAULT_GITHUB_POLICY: GitHubPolicy = {
  requestTimeoutMs: 20_000,
  retryBaseMs: 1000,
  maxSecondaryWaitSeconds: 10,
};

type Options = Record<string, unknown> & {
  request?: Record<string, unknown>;
  throttle?: Record<string, unknown>;
  retry?: Record<string, unknown>;
};

interface RequestOptions {
  method?: string;
  url?: string;
  request?: Record<string, unknown>;
}

type Log = { warn: (msg: string) => void };
type LimitHandler = (
  retryAfter: number,
  req: RequestOptions,
  octokit: { log: Log },
  count: number,
) => unknown;

/**
 * ProbotOctokit with the policy applied over whatever Probot (or a test) sets: pass it as `Octokit`
 * to Probot or run(), or as the base of another wrapper (instrumentedOctokit(githubOctokit())).
 * Probot's own onSecondaryRateLimit only logs; this one waits out a short retry-after.
 */
export function githubOctokit(policy: Partial<GitHubPolicy> = {}): typeof ProbotOctokit {
  const p = { ...DEFAULT_GITHUB_POLICY, ...policy };
  // One write group for every Octokit of this class, as the plugin's own is one per process.
  let writes: WriteGroup | null = null;
  return ProbotOctokit.plugin(noBlindRetryOfCreates).defaults((o: Options) => ({
    ...o,
    request: { ...o.request, fetch: timedFetch(p.requestTimeoutMs, o.request?.fetch as typeof fetch) },
    retry: { retryAfterBaseValue: p.retryBaseMs, ...o.retry },
    throttle: {
      ...o.throttle,
      ...(o.throttle?.connection ? { connection: recoverOnRedis7(o.throttle.connection) } : {}),
      write: (writes ??= readAwareWrites(o.throttle)),
      retryLimiter: readMarkingRetryLimiter(),
      // A handler set before ours (Probot's, or the instrumentation's) still runs, within our cap;
      // when it has no opinion (Probot's only logs), a short wait is retried twice at most.
      onSecondaryRateLimit: (
        retryAfter: number,
        req: RequestOptions,
        octokit: { log: Log },
        count: number,
      ) => {
        if (retryAfter > p.maxSecondaryWaitSeconds) {
          octokit.log.warn(
            `GitHub's secondary rate limit on ${req.method} ${req.url}: not waiting ${retryAfter} s; ` +
              `the delivery fails (503) and is retried`,
          );
          return false;
        }
        const inner = o.throttle?.onSecondaryRateLimit as LimitHandler | undefined;
        const decided = inner?.(retryAfter, req, octokit, count);
        if (typeof decided === "boolean") return decided;
        octokit.log.warn(
          `GitHub's secondary rate limit on ${req.method} ${req.url}: retrying in ${retryAfter} s`,
        );
        return count < 2;
      },
    },
  }));
}

type ScriptCallback = (err: Error | null, replies?: unknown) => void;
interface BottleneckConnection {
  client?: { options?: Record<string, unknown> };
  __scriptArgs__: (name: string, id: string, args: unknown[], cb: ScriptCallback) => unknown[];
  aftershockRecovers?: boolean;
}

/**
 * Probot clusters its throttling with Bottleneck, whose Redis scripts signal a lost limiter
 * (SETTINGS_KEY_NOT_FOUND, e.g. after Redis restarted empty) or client (UNKNOWN_CLIENT), and which
 * re-registers on exactly those messages. Redis 7 prefixes them with "ERR ", so the recovery never
 * runs and every GitHub call fails until the process restarts (SGrondin/bottleneck#205, #212).
 * Removing the prefix lets Bottleneck's own recovery run; Bottleneck itself is not maintained.
 * Probot's client also queues commands while Redis is down (ioredis' defaults: ~10 s before each
 * GitHub call fails); failing them at once, like the lock does, answers 503 promptly instead.
 */
function recoverOnRedis7(connection: unknown): unknown {
  const conn = connection as BottleneckConnection;
  if (typeof conn.__scriptArgs__ !== "function" || conn.aftershockRecovers) return connection;
  if (conn.client?.options)
    Object.assign(conn.client.options, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const scriptArgs = conn.__scriptArgs__.bind(conn);
  conn.__scriptArgs__ = (name, id, args, cb) =>
    scriptArgs(name, id, args, (err, replies) => {
      if (err && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(err.message)) {
        err.message = err.message.slice("ERR ".length);
      }
      cb(err, replies);
    });
  conn.aftershockRecovers = true;
  return connection;
}

/** A fetch that gives up after `ms`, saying so (global fetch looked up per call, so test interceptors apply). */
function timedFetch(ms: number, inner?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await (inner ?? globalThis.fetch)(input, { ...init, signal });
    } catch (err) {
      if (timeout.aborted && !init?.signal?.aborted) {
        throw new Error(`GitHub did not answer within ${ms} ms`, { cause: err });
      }
      throw err;
    }
  };
}

/**
 * A create (POST) that failed with 5xx or timed out may have happened on GitHub: retrying it at once
 * could open a second issue. Instead the delivery fails (503), and Alertmanager's retry goes through
 * dedupe again, which finds the issue if it was made. GraphQL queries are reads and keep retrying.
 */
const noBlindRetryOfCreates: Parameters<typeof ProbotOctokit.plugin>[0] = (octokit) => {
  octokit.hook.wrap("request", (request, options) => {
    const req = options.request as Record<string, unknown> | undefined;
    if (options.method === "POST" && options.url !== "/graphql" && req?.retries == null) {
      options.request = { ...req, retries: 0 };
    }
    return request(options);
  });
};

// ---- GraphQL queries are reads ----

/**
 * Octokit's throttling spaces every GraphQL request 1 s apart like a write, which put 2 s between an
 * alert and its issue (two history queries, then the create). GitHub asks that mutations be spaced;
 * a query is a read. The plugin runs each request through its `retryLimiter` and, synchronously at
 * its start, asks the write group for a slot: the limiter below notes whether that request is a
 * GraphQL query, and the write group lets those through.
 */
let sendingGraphqlRead = false;

function isGraphqlRead(options: unknown): boolean {
  const { url, query } = (options ?? {}) as { url?: unknown; query?: unknown };
  return (
    url === "/graphql" && typeof query === "string" && !/^\s*mutation\b/.test(query.replace(/#[^\n]*/g, ""))
  );
}

type Job = (...args: unknown[]) => Promise<unknown>;

/** Bottleneck as the plugin makes its own, with each job marked while it starts. */
function readMarkingRetryLimiter(): Bottleneck {
  const limiter = new Bottleneck();
  const schedule = limiter.schedule.bind(limiter) as (fn: Job, ...args: unknown[]) => Promise<unknown>;
  const marking = (fn: Job, ...args: unknown[]) =>
    schedule(
      (...jobArgs: unknown[]) => {
        // The plugin calls it as (state, request, options).
        sendingGraphqlRead = isGraphqlRead(jobArgs[2]);
        try {
          return fn(...jobArgs);
        } finally {
          sendingGraphqlRead = false;
        }
      },
      ...args,
    );
  return Object.assign(limiter, { schedule: marking });
}

interface Schedulable {
  schedule(options: unknown, fn: Job, ...args: unknown[]): Promise<unknown>;
}
interface WriteGroup {
  key(id: string): Schedulable;
}

/**
 * The plugin's write group (one at a time, 1 s apart) but for GraphQL reads. Clustered (Redis), it is
 * Bottleneck's group on the same connection, so replicas still share the spacing.
 */
function readAwareWrites(throttle: Record<string, unknown> | undefined): WriteGroup {
  const Clustered = throttle?.Bottleneck as typeof Bottleneck | undefined;
  const inner = new (Clustered ?? Bottleneck).Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1000,
    timeout: (throttle?.timeout as number | undefined) ?? 120_000,
    ...(Clustered && throttle?.connection
      ? { connection: throttle.connection as Bottleneck.IORedisConnection }
      : {}),
  }) as unknown as WriteGroup;
  return {
    key: (id) => {
      const limiter = inner.key(id);
      return {
        schedule: (options, fn, ...args) =>
          sendingGraphqlRead ? fn(...args) : limiter.schedule(options, fn, ...args),
      };
    },
  };
}
