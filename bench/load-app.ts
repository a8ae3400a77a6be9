// The app under load: createApp in Probot's Server on 127.0.0.1 (a free port), with GitHub at the
// stand-in's URL and the lock it is given, as `npm start` runs it. The private key is generated per
// run and the Alertmanager token is random: nothing here is a real credential, and none is logged.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createApp } from "../src/app/index.js";
import { readPacingSettings } from "../src/app/pacing/settings.js";
import type { KeyLock } from "../src/app/lock.js";
import { githubOctokit } from "../src/app/replicas.js";
import { freePort } from "../test/e2e/harness/servers.js";

/** "plain": no retry, no throttling (the e2e harness's); "production": githubOctokit(), Probot's throttling included. */
export type OctokitKind = "plain" | "production";

export interface LoadApp {
  url: string;
  /** Log lines (JSON) at warn and above. */
  logs: string[];
  /** POSTs one Alertmanager delivery with the bearer token; throws only on a network error or timeout. */
  deliver(body: string): Promise<{ status: number; outcome: string | undefined }>;
  stop(): Promise<void>;
}

const PlainOctokit = ProbotOctokit.defaults((o: object) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export async function startLoadApp(options: {
  githubUrl: string;
  lock: KeyLock;
  octokit: OctokitKind;
  now: () => Date;
  /** Probot's redisConfig (clustered throttling), as REDIS_URL gives `npm start`. */
  redisConfig?: string;
}): Promise<LoadApp> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const token = randomBytes(20).toString("hex");
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const log = pino({ level: "warn" }, sink);
  const appFn = createApp({
    settings: {
      alertmanagerToken: token,
      allowUnauthenticated: false,
      maxBodyBytes: 1024 * 1024,
      repositoryLabel: "repository",
    },
    lock: options.lock,
    now: options.now,
    // No LLM, whatever the environment says: the bench measures the alert path only.
    narrative: null,
    // As main.ts: with Probot's throttling the write budget spaces writes as it does.
    pacing: readPacingSettings(process.env, options.octokit === "production"),
  });
  const start = async () => {
    const port = await freePort();
    const server = new Server({
      host: "127.0.0.1",
      port,
      log,
      enableStaticFiles: false,
      Probot: Probot.defaults({
        appId: 1,
        privateKey,
        secret: randomBytes(20).toString("hex"),
        log,
        baseUrl: options.githubUrl,
        Octokit: options.octokit === "plain" ? PlainOctokit : githubOctokit(),
        ...(options.redisConfig ? { redisConfig: options.redisConfig } : {}),
      }),
    });
    await server.load(appFn);
    await server.start();
    return { server, port };
  };
  let started: Awaited<ReturnType<typeof start>> | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await start();
    } catch (err) {
      // Another process took the port between our look and the listen: try another.
      if ((err as { code?: string }).code !== "EADDRINUSE" || attempt === 3) throw err;
    }
  }
  const { server, port } = started;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    logs,
    async deliver(body) {
      const res = await fetch(`${url}/alertmanager`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      let outcome: string | undefined;
      try {
        outcome = (JSON.parse(text) as { outcome?: string }).outcome;
      } catch {
        outcome = undefined;
      }
      return { status: res.status, outcome };
    },
    stop: () => server.stop(),
  };
}
