// `npx tsx bench/load.ts` (bench:load): a burst of Alertmanager deliveries against the running app.
// The app (createApp in Probot's Server on 127.0.0.1) talks to the GitHub stand-in (src/demo) with a
// fixed latency on every request; the burst (bench/load-payloads.ts: redeliveries, alerts joining
// and resolving, duplicates, shuffled) is fired with bounded concurrency and Alertmanager's retry on
// 5xx. Once with the in-process lock and once with the Redis lock when redis-server is installed.
//
//   npx tsx bench/load.ts -- [--deliveries 1000] [--groups 50] [--latency 100] [--concurrency 64]
//                            [--seed 1] [--modes in-process,redis] [--octokit plain|production]
//                            [--timeout 120] [--markdown]
//
// Sizing: deliveries of one group are serialized by the lock; each holds it for the open-issues
// list plus its writes (0 to 2 requests, or correlation + create for the first): about 20 × 2–3
// requests × 100 ms ≈ 5 s per group, all groups in parallel, so a mode takes ~10 s at 64 in flight.
// `--octokit production` is the client `npm start` uses: Probot's throttling paces writes to one a
// second and notifying writes (issues, comments) to one every 3 s per installation, so expect
// minutes; use it with a small burst.
//
// Memory is the whole process: the app, the stand-in and this load generator run in one process.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { KeyLock } from "../src/app/lock.js";
import { InProcessKeyLock } from "../src/app/lock.js";
import { RedisKeyLock } from "../src/app/redis-lock.js";
import { startGithubStandin } from "../src/demo/github-standin.js";
import {
  STORY_DEPLOY_TIME,
  STORY_OWNER,
  STORY_REPO,
  STORY_REPO_CONFIG,
  storyRepo,
} from "../src/demo/story-repo.js";
import { RedisServer } from "../test/e2e/harness/redis.js";
import { findBinary } from "../test/e2e/harness/servers.js";
import { startLoadApp, type OctokitKind } from "./load-app.js";
import { MemorySampler, fire, percentile, type DeliveryResult } from "./load-fire.js";
import { generateBurst, type LoadDelivery } from "./load-payloads.js";
import { mulberry32 } from "../test/helpers/mulberry32.js";
import { markdownTable, plainTable } from "./table.js";
import { errorMessage } from "../src/core/errors.js";

type Mode = "in-process" | "redis";

interface Options {
  deliveries: number;
  groups: number;
  latency: number;
  concurrency: number;
  seed: number;
  modes: Mode[];
  octokit: OctokitKind;
  timeoutSeconds: number;
  markdown: boolean;
}

const USAGE =
  "usage: npx tsx bench/load.ts [--deliveries 1000] [--groups 50] [--latency MS] [--concurrency N] [--seed N] " +
  "[--modes in-process,redis] [--octokit plain|production] [--timeout SECONDS] [--markdown]";

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      deliveries: { type: "string", default: "1000" },
      groups: { type: "string", default: "50" },
      latency: { type: "string", default: "100" },
      concurrency: { type: "string", default: "64" },
      seed: { type: "string", default: "1" },
      modes: { type: "string", default: "in-process,redis" },
      octokit: { type: "string", default: "plain" },
      timeout: { type: "string", default: "120" },
      markdown: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const whole = (flag: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${flag} needs a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  const modes = values.modes.split(",").map((m) => m.trim());
  for (const m of modes) {
    if (m !== "in-process" && m !== "redis")
      throw new Error(`--modes takes in-process and/or redis, got "${m}"`);
  }
  if (values.octokit !== "plain" && values.octokit !== "production") {
    throw new Error(`--octokit is plain or production, got "${values.octokit}"`);
  }
  return {
    deliveries: whole("deliveries", values.deliveries, 1),
    groups: whole("groups", values.groups, 1),
    latency: whole("latency", values.latency, 0),
    concurrency: whole("concurrency", values.concurrency, 1),
    seed: whole("seed", values.seed, 0),
    modes: modes as Mode[],
    octokit: values.octokit,
    timeoutSeconds: whole("timeout", values.timeout, 1),
    markdown: values.markdown,
  };
}

interface ModeReport {
  mode: Mode;
  wallMs: number;
  results: DeliveryResult[];
  requests: Array<{ method: string; path: string; status: number }>;
  unexpectedRoutes: string[];
  issues: number;
  distinctGroups: number;
  peakRss: number;
  peakHeapUsed: number;
  rssBefore: number;
  appLogs: string[];
  lockErrors: number;
}

/** One mode end to end: a fresh stand-in and app, the burst, the counts; everything closed after. */
async function runMode(
  mode: Mode,
  opts: Options,
  burst: LoadDelivery[],
  redis: RedisServer | null,
): Promise<ModeReport> {
  const github = await startGithubStandin({
    owner: STORY_OWNER,
    repo: STORY_REPO,
    history: storyRepo(),
    files: { ".github/aftershock.yml": STORY_REPO_CONFIG },
    latencyMs: opts.latency,
  });
  let lockErrors = 0;
  let redisLock: RedisKeyLock | null = null;
  let lock: KeyLock;
  if (mode === "redis") {
    redisLock = RedisKeyLock.connect(redis!.url, { onError: () => void lockErrors++ });
    lock = redisLock;
  } else {
    lock = new InProcessKeyLock();
  }
  // A fixed clock half an hour after the story's deploy: the alerts start from two minutes after it.
  const clock = new Date(Date.parse(STORY_DEPLOY_TIME) + 30 * 60_000);
  const app = await startLoadApp({
    githubUrl: github.url,
    lock,
    octokit: opts.octokit,
    now: () => clock,
    ...(mode === "redis" && opts.octokit === "production" ? { redisConfig: redis!.url } : {}),
  });
  try {
    const rssBefore = process.memoryUsage().rss;
    const sampler = new MemorySampler(50);
    const started = performance.now();
    const results = await fire(burst, {
      concurrency: opts.concurrency,
      maxAttempts: 8,
      backoffMs: 500,
      deadline: started + opts.timeoutSeconds * 1000,
      random: mulberry32(opts.seed + 1),
      send: (body) => app.deliver(body),
    });
    const wallMs = performance.now() - started;
    sampler.stop();
    const groupKeys = new Set(github.records().map((r) => r?.groupKey));
    return {
      mode,
      wallMs,
      results,
      requests: [...github.requests],
      unexpectedRoutes: [...github.unexpected],
      issues: github.issues.length,
      distinctGroups: [...groupKeys].filter((k) => k !== undefined).length,
      peakRss: sampler.peakRss,
      peakHeapUsed: sampler.peakHeapUsed,
      rssBefore,
      appLogs: [...app.logs],
      lockErrors,
    };
  } finally {
    await app.stop();
    await redisLock?.close();
    await github.close();
  }
}

// ---- the report ----

const ms = (v: number) => (Number.isNaN(v) ? "-" : `${Math.round(v)} ms`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function pcts(values: number[]): string {
  return [50, 95, 99].map((p) => ms(percentile(values, p))).join(" / ");
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const describe = (counts: Map<string, number>) =>
  [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");

/** Time from a group's first send to the answer that opened its issue (201), per group. */
function alertToIssue(results: readonly DeliveryResult[]): number[] {
  const firstSend = new Map<number, number>();
  for (const r of results) {
    const g = r.delivery.group;
    firstSend.set(g, Math.min(firstSend.get(g) ?? Infinity, r.sentAt));
  }
  return results.filter((r) => r.status === 201).map((r) => r.answeredAt - firstSend.get(r.delivery.group)!);
}

function column(r: ModeReport, opts: Options): string[] {
  const answered = r.results.filter((x) => x.status >= 200 && x.status < 300);
  const retries = r.results.reduce((s, x) => s + x.attempts - 1, 0);
  const created = r.results.filter((x) => x.status === 201).length;
  return [
    `${r.results.length} of ${opts.deliveries}`,
    `${(r.wallMs / 1000).toFixed(2)} s`,
    `${(answered.length / (r.wallMs / 1000)).toFixed(1)}`,
    describe(countBy(r.results, (x) => String(x.status || "no answer"))),
    describe(countBy(r.results, (x) => x.outcome ?? "-")),
    String(retries),
    pcts(alertToIssue(r.results)),
    pcts(r.results.map((x) => x.answeredAt - x.sentAt)),
    String(r.requests.length),
    created ? (r.requests.length / created).toFixed(1) : "-",
    (r.requests.length / r.results.length).toFixed(2),
    describe(countBy(r.requests, (x) => `${Math.floor(x.status / 100)}xx`)),
    `${mib(r.peakRss)} (from ${mib(r.rssBefore)})`,
    mib(r.peakHeapUsed),
    `${r.issues} (want ${opts.groups})`,
    String(r.appLogs.length + r.lockErrors),
  ];
}

const ROW_NAMES = [
  "deliveries answered",
  "wall time",
  "accepted (2xx) per second",
  "final HTTP status",
  "outcome",
  "retries (5xx / network, resent)",
  "alert→issue p50/p95/p99 (group's first send → 201)",
  "delivery p50/p95/p99 (send → final answer)",
  "GitHub requests",
  "GitHub requests per incident",
  "GitHub requests per delivery",
  "GitHub answers",
  "peak RSS (whole process)",
  "peak heap used (whole process)",
  "issues in the stand-in",
  "app warnings/errors logged",
];

/** "GET /repos/{owner}/{repo}/issues" with numbers elided, for the per-route breakdown. */
function routeOf(req: { method: string; path: string }): string {
  const path = req.path
    .replace(`/repos/${STORY_OWNER}/${STORY_REPO}`, "/repos/{o}/{r}")
    .replace(/\/\d+(?=\/|$)/g, "/{n}");
  return `${req.method} ${path}`;
}

function routesTable(reports: ModeReport[]): { header: string[]; rows: string[][] } {
  const perMode = reports.map((r) => countBy(r.requests, routeOf));
  const routes = [...new Set(perMode.flatMap((m) => [...m.keys()]))].sort();
  return {
    header: ["GitHub requests by route", ...reports.map((r) => r.mode)],
    rows: routes.map((route) => [route, ...perMode.map((m) => String(m.get(route) ?? 0))]),
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const burst = generateBurst({
    deliveries: opts.deliveries,
    groups: opts.groups,
    seed: opts.seed,
    owner: STORY_OWNER,
    repo: STORY_REPO,
    startsAt: new Date(Date.parse(STORY_DEPLOY_TIME) + 2 * 60_000),
  });
  const duplicates = burst.filter((d, i) => burst.findIndex((e) => e.payload === d.payload) !== i).length;
  console.log(
    `config: ${opts.deliveries} deliveries over ${opts.groups} groups (~${Math.round(opts.deliveries / opts.groups)} each, ` +
      `${duplicates} exact duplicates, shuffled with seed ${opts.seed}), GitHub latency ${opts.latency} ms on every request, ` +
      `concurrency ${opts.concurrency}, octokit ${opts.octokit === "plain" ? "plain (no retry/throttling)" : "production (githubOctokit: Probot's throttling)"}, ` +
      `Node ${process.version}`,
  );

  const reports: ModeReport[] = [];
  for (const mode of opts.modes) {
    if (mode === "redis") {
      const binary = findBinary("redis-server");
      if (!binary) {
        console.log("redis: skipped (redis-server not found)");
        continue;
      }
      const redis = await RedisServer.start(binary);
      try {
        reports.push(await runMode(mode, opts, burst, redis));
      } finally {
        await redis.stop();
      }
    } else {
      reports.push(await runMode(mode, opts, burst, null));
    }
  }
  if (reports.length === 0) throw new Error("no mode ran: give --modes in-process and/or redis");

  const header = ["", ...reports.map((r) => `${r.mode} lock`)];
  const columns = reports.map((r) => column(r, opts));
  const rows = ROW_NAMES.map((name, i) => [name, ...columns.map((c) => c[i]!)]);
  const routes = routesTable(reports);
  const table = opts.markdown ? markdownTable : plainTable;
  console.log("");
  console.log(table(header, rows));
  console.log("");
  console.log(table(routes.header, routes.rows));
  console.log("");
  console.log(
    "memory: the app, the GitHub stand-in and the load generator share one process; the second mode starts from the first's heap.",
  );

  let failed = false;
  for (const r of reports) {
    const oneEach = r.issues === opts.groups && r.distinctGroups === opts.groups;
    const undelivered = r.results.filter((x) => x.status === 0 || x.status >= 500).length;
    const unsent = opts.deliveries - r.results.length;
    console.log(
      `check ${r.mode}: ${r.issues} issues for ${r.distinctGroups} distinct groups, want exactly ${opts.groups}: ${oneEach ? "ok" : "FAIL"}`,
    );
    console.log(
      `check ${r.mode}: every delivery accepted or refused for good (no 5xx / network error left, none unsent): ` +
        `${undelivered === 0 && unsent === 0 ? "ok" : `FAIL (${undelivered} failed, ${unsent} unsent)`}`,
    );
    if (r.unexpectedRoutes.length > 0) {
      console.log(
        `note ${r.mode}: the stand-in had no route for ${[...new Set(r.unexpectedRoutes)].join(", ")}`,
      );
    }
    const messages = [...new Set(r.appLogs.map((l) => (JSON.parse(l) as { msg?: string }).msg ?? l))];
    if (messages.length > 0) console.log(`note ${r.mode}: app logged: ${messages.slice(0, 3).join(" | ")}`);
    if (!oneEach || undelivered > 0 || unsent > 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

try {
  await main();
} catch (err) {
  console.error(`bench:load failed: ${errorMessage(err)}`);
  process.exitCode = 1;
}
// Everything was closed; if a stray handle (a keep-alive socket, a timer) still holds the loop, exit anyway.
setTimeout(() => {
  console.error("bench:load: something still held the event loop 5 s after the run; exiting");
  process.exit(process.exitCode ?? 1);
}, 5000).unref();
