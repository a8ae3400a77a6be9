// Alert → issue through the app as `npm start` runs it: Probot with the same Octokit (GitHub policy,
// instrumentation and Probot's throttling, which spaces writes 1 s apart), the Alertmanager
// receiver on 127.0.0.1, and GitHub simulated with a fixed latency per request. Timed from the
// delivery's POST to its 201 (the issue created), one alert group at a time (a burst of new groups
// waits for the 3 s spacing of creates; issue 14 is about that). Used by bench/correlate.ts.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { pino } from "pino";
import { Probot } from "probot";
import { createApp } from "../src/app/index.js";
import { InProcessKeyLock } from "../src/app/lock.js";
import { instrumentedOctokit } from "../src/app/observability/github-instrumentation.js";
import { githubOctokit } from "../src/app/replicas.js";
import type { SimRepo } from "../src/demo/repo-history.js";
import type { GithubSim } from "./github-sim.js";

export interface AlertToIssue {
  /** Milliseconds per delivery, in order (the first one also looks up the installation and a token). */
  ms: number[];
  /** GitHub requests of the last delivery. */
  requests: number;
}

const TOKEN = "bench-token";

export async function alertToIssueThroughApp(sim: GithubSim, repo: SimRepo, alertAt: Date, runs: number) {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: pino({ level: "silent" }),
    // What npm start (src/app/main.ts) gives Probot's run(): throttling on, as in production.
    Octokit: instrumentedOctokit(githubOctokit()),
  });
  const handlers: Array<(req: never, res: never) => unknown> = [];
  await probot.load(
    createApp({
      settings: {
        alertmanagerToken: TOKEN,
        allowUnauthenticated: false,
        maxBodyBytes: 1024 * 1024,
        repositoryLabel: "repository",
        appSlug: "aftershock",
      },
      lock: new InProcessKeyLock(),
      narrative: null,
    }),
    { cwd: process.cwd(), addHandler: (h) => void handlers.push(h as never) },
  );
  const server = createServer((req, res) => {
    void (async () => {
      for (const h of handlers) if (await h(req as never, res as never)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alertmanager`;
  const out: AlertToIssue = { ms: [], requests: 0 };
  try {
    for (let run = 0; run < runs; run++) {
      // Throttling spaces issue creates 3 s apart (they notify people): one alert at a time is
      // measured, so each delivery starts after the previous create's slot.
      await delay(3100);
      sim.reset();
      const started = performance.now();
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(payload(repo, alertAt, run)),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`delivery ${run} answered ${res.status}: ${text}`);
      out.ms.push(performance.now() - started);
      out.requests = sim.requests;
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return out;
}

/** A firing group for the simulated repository; each run its own group, so each opens an issue. */
function payload(repo: SimRepo, alertAt: Date, run: number) {
  const labels = {
    alertname: "HighErrorRate",
    service: "checkout",
    environment: "production",
    severity: "critical",
    repository: `${repo.owner}/${repo.repo}`,
    run: String(run),
  };
  return {
    version: "4",
    receiver: "aftershock",
    status: "firing",
    alerts: [
      {
        status: "firing",
        labels,
        annotations: { summary: "checkout is failing requests" },
        startsAt: alertAt.toISOString(),
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example/graph",
        fingerprint: `bench${run}`,
      },
    ],
    groupLabels: { alertname: "HighErrorRate", run: String(run) },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: "http://alertmanager.example",
    groupKey: `{}:{alertname="HighErrorRate", run="${run}"}`,
    truncatedAlerts: 0,
  };
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
