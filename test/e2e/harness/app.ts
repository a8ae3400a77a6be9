// One aftershock replica in-process: a Probot `Server` on 127.0.0.1:<free port> running createApp with
// the lock it is given (a RedisKeyLock to share state with other replicas). GitHub is whatever nock
// intercepts (see test/app/helpers.ts FakeGitHub). Logs at warn and above are kept for assertions.
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createApp, type AppOptions } from "../../../src/app/index.js";
import type { KeyLock } from "../../../src/app/lock.js";
import type { AppSettings } from "../../../src/app/settings.js";
import { freePort } from "./servers.js";

export const ALERTMANAGER_TOKEN = "s3cret-alertmanager-token";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

/** Probot's Octokit without retries or throttling: tests about locking see every request once. */
export const PlainOctokit = ProbotOctokit.defaults((o: object) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface AppInstanceOptions {
  lock: KeyLock;
  /** Probot's redisConfig: throttling clustered through Redis, as `npm start` does with REDIS_URL. */
  redisConfig?: string;
  /** Default: PlainOctokit. */
  Octokit?: typeof ProbotOctokit;
  settings?: Partial<AppSettings>;
  /** Default: a free port. */
  port?: number;
  /** The write budget and wait (createApp's `pacing`). */
  pacing?: AppOptions["pacing"];
}

export interface AppInstance {
  url: string;
  port: number;
  /** Log lines (JSON) at warn and above. */
  logs: string[];
  stop(): Promise<void>;
}

export async function startAppInstance(options: AppInstanceOptions): Promise<AppInstance> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const log = pino({ level: "warn" }, sink);
  const port = options.port ?? (await freePort());
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    enableStaticFiles: false,
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      log,
      ...(options.redisConfig ? { redisConfig: options.redisConfig } : {}),
      Octokit: options.Octokit ?? PlainOctokit,
    }),
  });
  await server.load(
    createApp({
      settings: {
        alertmanagerToken: ALERTMANAGER_TOKEN,
        allowUnauthenticated: false,
        maxBodyBytes: 1024 * 1024,
        repositoryLabel: "repository",
        ...options.settings,
      },
      lock: options.lock,
      ...(options.pacing ? { pacing: options.pacing } : {}),
    }),
  );
  await server.start();
  return { url: `http://127.0.0.1:${port}`, port, logs, stop: () => server.stop() };
}

/** POSTs an Alertmanager delivery; never throws on an HTTP error status. */
export async function deliver(
  instance: AppInstance,
  payload: unknown,
): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${instance.url}/alertmanager`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, ms: performance.now() - started };
}
