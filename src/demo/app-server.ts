// The aftershock app as `npm start` runs it, in-process: a Probot `Server` on 127.0.0.1 (a free port)
// loading createApp, with GitHub at the stand-in's URL. The private key is generated here and the
// webhook secret and Alertmanager token are random per run: the demo needs no credentials, and
// none of these leave the process. Deliveries are real HTTP requests: the Alertmanager POST with
// its bearer token, and GitHub webhooks signed with the secret, as GitHub signs them.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import type { AppEvents } from "../app/events.js";
import { createApp } from "../app/index.js";
import { InProcessKeyLock } from "../app/lock.js";

export interface DemoApp {
  url: string;
  /** Warnings and errors the app logged (JSON lines). */
  logs: string[];
  /** POSTs an Alertmanager delivery to /alertmanager; never throws on an HTTP error status. */
  alert(payload: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Delivers a signed GitHub webhook to the app's webhook path; throws unless it is accepted. */
  webhook(name: string, payload: unknown): Promise<void>;
  stop(): Promise<void>;
}

const WEBHOOK_PATH = "/api/github/webhooks";

/** Probot's Octokit without retries or throttling: nothing in the demo waits. */
const PlainOctokit = ProbotOctokit.defaults((o: object) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export async function startDemoApp(options: {
  githubUrl: string;
  now: () => Date;
  events: AppEvents;
}): Promise<DemoApp> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const secret = randomBytes(20).toString("hex");
  const alertmanagerToken = randomBytes(20).toString("hex");
  const logs: string[] = [];
  const log = pino({ level: "warn" }, { write: (line: string) => void logs.push(line) });
  const appFn = createApp({
    settings: {
      alertmanagerToken,
      allowUnauthenticated: false,
      maxBodyBytes: 1024 * 1024,
      repositoryLabel: "repository",
    },
    lock: new InProcessKeyLock(),
    now: options.now,
    events: options.events,
  });
  const start = async () => {
    // Probot's Server reads port 0 as "the default, 3000": take a free port first.
    const server = new Server({
      host: "127.0.0.1",
      port: await freePort(),
      log,
      webhookPath: WEBHOOK_PATH,
      enableStaticFiles: false,
      Probot: Probot.defaults({
        appId: 1,
        privateKey,
        secret,
        log,
        baseUrl: options.githubUrl,
        Octokit: PlainOctokit,
      }),
    });
    await server.load(appFn);
    const http = await server.start();
    return { server, port: (http.address() as AddressInfo).port };
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
  const { server } = started;
  const url = `http://127.0.0.1:${started.port}`;

  return {
    url,
    logs,
    async alert(payload) {
      const res = await fetch(`${url}/alertmanager`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${alertmanagerToken}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async webhook(name, payload) {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      const res = await fetch(`${url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": signature,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`the app refused the ${name} webhook: HTTP ${res.status} ${text}`);
      // Handlers may still emit events (notifications); wait for them before the next step.
      await options.events.idle();
    },
    stop: () => server.stop(),
  };
}

/** A port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
