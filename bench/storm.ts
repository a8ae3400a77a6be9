// `npm run bench:storm`: an alert storm against the running app, with grouping off and on, with the
// in-process and the Redis lock. The app is started as `npm start` starts it (Probot's production
// throttling, the default write budget and wait); GitHub is the stand-in (src/demo) with 100 ms per
// request behind a proxy that enforces the secondary limit (403 + retry-after past 80
// content-creating requests a minute). Alertmanager is modelled per group: notifications in order,
// each retried on 5xx or no answer within 10 s (backoff from 500 ms, ×1.5, jittered) for up to 10 s,
// the group's last state resent until it is accepted, as Alertmanager keeps a group's alerts until a
// notification of them succeeds.
//
// Time is compressed for Alertmanager only: group_interval is a few seconds instead of minutes, so
// ~1,000 deliveries arrive within --storm seconds. GitHub's limits and Probot's throttling run in
// real time.
//
//   npx tsx bench/storm.ts -- [--deliveries 1000] [--storm 60] [--deadline 300] [--latency 100]
//                             [--seed 1] [--modes off/in-process,on/in-process,off/redis,on/redis] [--markdown]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { KeyLock } from "../src/app/lock.js";
import { InProcessKeyLock } from "../src/app/lock.js";
import { RedisKeyLock } from "../src/app/redis-lock.js";
import type { IncidentRecord } from "../src/core/incident/incident-record.js";
import { startGithubStandin } from "../src/demo/github-standin.js";
import { RedisServer } from "../test/e2e/harness/redis.js";
import { findBinary } from "../test/e2e/harness/servers.js";
import { startLoadApp, type LoadApp } from "./load-app.js";
import { percentile } from "./load-fire.js";
import { startSecondaryLimits } from "./secondary-limits.js";
import {
  CAUSES,
  FIRST_DEPLOY,
  GROUPS_PER_CAUSE,
  STORM_OWNER,
  STORM_REPO,
  stormConfig,
  stormNotifications,
  stormRepo,
  type Notification,
} from "./storm-scenario.js";
import { markdownTable, plainTable } from "./table.js";
import { errorMessage } from "../src/core/errors.js";
import { mulberry32 } from "../test/helpers/mulberry32.js";

const MODES = ["off/in-process", "on/in-process", "off/redis", "on/redis"] as const;
type Mode = (typeof MODES)[number];
/** Alertmanager's notify timeout at its minimum: max(group_interval, 10 s). */
const NOTIFY_TIMEOUT_MS = 10_000;

interface Options {
  deliveries: number;
  stormMs: number;
  deadlineMs: number;
  latency: number;
  seed: number;
  modes: Mode[];
  markdown: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      deliveries: { type: "string", default: "1000" },
      storm: { type: "string", default: "60" },
      deadline: { type: "string", default: "300" },
      latency: { type: "string", default: "100" },
      seed: { type: "string", default: "1" },
      modes: { type: "string", default: MODES.join(",") },
      markdown: { type: "boolean", default: false },
    },
  });
  const whole = (flag: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${flag} needs a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  const modes = values.modes.split(",").map((m) => m.trim());
  for (const m of modes)
    if (!(MODES as readonly string[]).includes(m))
      throw new Error(`--modes takes ${MODES.join(", ")}; got "${m}"`);
  return {
    deliveries: whole("deliveries", values.deliveries, 50),
    stormMs: whole("storm", values.storm, 5) * 1000,
    deadlineMs: whole("deadline", values.deadline, 10) * 1000,
    latency: whole("latency", values.latency, 0),
    seed: whole("seed", values.seed, 0),
    modes: modes as Mode[],
    markdown: values.markdown,
  };
}

interface GroupRun {
  firstSentAt: number;
  /** When a firing notification of the group was first accepted: it is in an incident from then. */
  issueAt?: number;
  /** When its last notification was accepted (2xx). */
  doneAt?: number;
}

interface ModeReport {
  mode: Mode;
  issues: number;
  deliveries: number;
  /** Notifications never sent because a later state of their group was due by then. */
  coalesced: number;
  attempts: number;
  status503: number;
  noAnswer: number;
  writes: number;
  secondary: number;
  groups: GroupRun[];
  missing: number;
  startedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function runMode(
  mode: Mode,
  opts: Options,
  storm: Notification[][],
  redis: RedisServer | null,
): Promise<ModeReport> {
  const [grouping, where] = mode.split("/") as ["off" | "on", "in-process" | "redis"];
  const github = await startGithubStandin({
    owner: STORM_OWNER,
    repo: STORM_REPO,
    history: stormRepo(),
    files: { ".github/aftershock.yml": stormConfig(grouping === "on") },
    latencyMs: opts.latency,
  });
  const limits = await startSecondaryLimits(github.url, 80);
  let redisLock: RedisKeyLock | null = null;
  let lock: KeyLock = new InProcessKeyLock();
  if (where === "redis") lock = redisLock = RedisKeyLock.connect(redis!.url);
  // The app's clock: two hours after the first bad deploy, every incident within the window.
  const clock = new Date(FIRST_DEPLOY + 2 * 3600_000);
  const app = await startLoadApp({
    githubUrl: limits.url,
    lock,
    octokit: "production",
    now: () => clock,
    ...(where === "redis" ? { redisConfig: redis!.url } : {}),
  });
  const report: ModeReport = {
    mode,
    issues: 0,
    deliveries: 0,
    coalesced: 0,
    attempts: 0,
    status503: 0,
    noAnswer: 0,
    writes: 0,
    secondary: 0,
    groups: [],
    missing: 0,
    startedAt: performance.now(),
  };
  const deadline = report.startedAt + opts.deadlineMs;
  const random = mulberry32(opts.seed + 7);
  try {
    report.groups = await Promise.all(storm.map((list) => sendGroup(list, app, report, deadline, random)));
    report.issues = github.issues.length;
    report.writes = limits.forwarded + limits.refused;
    report.secondary = limits.refused;
    report.missing = missingChanges(storm, github.records());
  } finally {
    await app.stop();
    await redisLock?.close();
    await limits.close();
    await github.close();
  }
  return report;
}

/** One group as Alertmanager sends it: in order, each notification retried within its timeout. */
async function sendGroup(
  list: Notification[],
  app: LoadApp,
  report: ModeReport,
  deadline: number,
  random: () => number,
): Promise<GroupRun> {
  const run: GroupRun = { firstSentAt: report.startedAt + list[0]!.at };
  for (let i = 0; i < list.length;) {
    await sleep(report.startedAt + list[i]!.at - performance.now());
    // Like Alertmanager's flush: when the last one took long, send the group as it is now (the latest
    // notification due), not every state it went through meanwhile.
    while (i + 1 < list.length && report.startedAt + list[i + 1]!.at <= performance.now()) {
      i++;
      report.coalesced++;
    }
    const n = list[i]!;
    report.deliveries++;
    const last = i === list.length - 1;
    // The last state stays with Alertmanager until a notification of it succeeds.
    const until = last ? deadline : Math.min(deadline, performance.now() + NOTIFY_TIMEOUT_MS);
    const accepted = await sendUntilAccepted(n.body, app, report, until, random);
    if (accepted && run.issueAt === undefined && n.alerts.some((a) => a.status === "firing"))
      run.issueAt = accepted;
    if (accepted && last) run.doneAt = accepted;
    i++;
  }
  return run;
}

/** performance.now() of the 2xx answer, or undefined when none came before `until`. */
async function sendUntilAccepted(
  body: string,
  app: LoadApp,
  report: ModeReport,
  until: number,
  random: () => number,
): Promise<number | undefined> {
  let interval = 500;
  while (performance.now() < until) {
    report.attempts++;
    const status = await Promise.race([
      app.deliver(body).then(
        (r) => r.status,
        () => 0,
      ),
      sleep(NOTIFY_TIMEOUT_MS).then(() => 0),
    ]);
    if (status >= 200 && status < 300) return performance.now();
    if (status === 503) report.status503++;
    if (status === 0) report.noAnswer++;
    if (status >= 400 && status < 500) return undefined; // refused for good
    await sleep(Math.min(interval * (0.5 + random()), until - performance.now()));
    interval = Math.min(interval * 1.5, 10_000);
  }
  return undefined;
}

/** Groups whose last notification's state is not what the issues say (want 0). */
function missingChanges(storm: Notification[][], records: Array<IncidentRecord | null>): number {
  const found = new Map<
    string,
    { status: string; alerts: Map<string, string> | null; firing: number; count: number }
  >();
  for (const r of records) {
    if (!r) continue;
    const own = Object.entries(r.fingerprints);
    found.set(r.groupKey, {
      status: r.groupStatus ?? r.status,
      alerts: new Map(own.map(([fp, a]) => [fp, a.status])),
      firing: own.filter(([, a]) => a.status === "firing").length,
      count: own.length,
    });
    for (const g of r.related ?? [])
      found.set(g.groupKey, { status: g.status, alerts: null, firing: g.firing, count: g.count });
  }
  let missing = 0;
  for (const list of storm) {
    const last = list.at(-1)!;
    const key = (parseRecordless(last.body) as { groupKey: string }).groupKey;
    const state = found.get(key);
    const status = last.alerts.some((a) => a.status === "firing") ? "firing" : "resolved";
    const firing = last.alerts.filter((a) => a.status === "firing").length;
    const ok =
      state !== undefined &&
      state.status === status &&
      (state.alerts
        ? last.alerts.every((a) => state.alerts!.get(a.fingerprint) === a.status)
        : state.firing === firing && state.count === last.alerts.length);
    if (!ok) {
      missing++;
      if (process.env.STORM_VERBOSE)
        console.error(
          `missing ${key}: want ${status} ${firing}/${last.alerts.length}, found ${JSON.stringify(state && { ...state, alerts: state.alerts && [...state.alerts] })}`,
        );
    }
  }
  return missing;
}

const parseRecordless = (body: string): unknown => JSON.parse(body);

// ---- the report ----

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function column(r: ModeReport, opts: Options): string[] {
  const toIssue = r.groups.flatMap((g) => (g.issueAt === undefined ? [] : [g.issueAt - g.firstSentAt]));
  const unopened = r.groups.length - toIssue.length;
  const done = r.groups.map((g) => g.doneAt);
  const allDone = done.every((d) => d !== undefined);
  const grouped = r.mode.startsWith("on");
  return [
    `${r.issues} (want ${grouped ? CAUSES : CAUSES * GROUPS_PER_CAUSE})`,
    `${r.deliveries} (+${r.coalesced} coalesced)`,
    String(r.attempts),
    String(r.writes),
    (r.writes / r.deliveries).toFixed(2),
    `${r.secondary} (want 0)`,
    [50, 95, 99].map((p) => secs(percentile(toIssue, p))).join(" / ") +
      (unopened ? ` (${unopened} never)` : ""),
    `${r.missing} (want 0)`,
    String(r.status503),
    String(r.noAnswer),
    allDone
      ? secs(Math.max(...done.map((d) => d! - r.startedAt)))
      : `not within ${secs(opts.deadlineMs)} (${done.filter((d) => d === undefined).length} groups left)`,
  ];
}

const ROWS = [
  "issues at the end",
  "deliveries sent (+ states skipped for a later one, as Alertmanager's flush does)",
  "HTTP attempts (with Alertmanager's retries)",
  "content-creating GitHub requests",
  "content-creating requests per delivery",
  "secondary-limit answers (403)",
  "alert→issue p50/p95/p99 (group's first send → first firing notification accepted)",
  "deliveries whose change is missing (each group's last state vs the issues)",
  "503s answered",
  "no answer within 10 s",
  "time until every change is on GitHub",
];

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const storm = stormNotifications({ deliveries: opts.deliveries, stormMs: opts.stormMs, seed: opts.seed });
  const total = storm.reduce((n, l) => n + l.length, 0);
  console.log(
    `storm: ${CAUSES * GROUPS_PER_CAUSE} alert groups from ${CAUSES} bad deploys, ${total} notifications over ` +
      `${secs(opts.stormMs)} (Alertmanager's intervals compressed), GitHub ${opts.latency} ms per request with the ` +
      `secondary limit (80 content-creating requests a minute), the app with production throttling; ` +
      `each mode stops at ${secs(opts.deadlineMs)}. Node ${process.version}`,
  );
  const reports: ModeReport[] = [];
  let redis: RedisServer | null = null;
  try {
    for (const mode of opts.modes) {
      if (mode.endsWith("redis") && !redis) {
        const binary = findBinary("redis-server");
        if (!binary) {
          console.log(`${mode}: skipped (redis-server not found)`);
          continue;
        }
        redis = await RedisServer.start(binary);
      }
      console.log(`running ${mode} …`);
      reports.push(await runMode(mode, opts, storm, mode.endsWith("redis") ? redis : null));
    }
  } finally {
    await redis?.stop();
  }
  const header = ["grouping / lock", ...reports.map((r) => r.mode)];
  const columns = reports.map((r) => column(r, opts));
  const rows = ROWS.map((name, i) => [name, ...columns.map((c) => c[i]!)]);
  console.log("");
  console.log((opts.markdown ? markdownTable : plainTable)(header, rows));
  const failed = reports.some(
    (r) => r.secondary > 0 || (r.mode.startsWith("on") && (r.missing > 0 || r.issues !== CAUSES)),
  );
  process.exitCode = failed ? 1 : 0;
}

try {
  await main();
} catch (err) {
  console.error(`bench:storm failed: ${errorMessage(err)}`);
  process.exitCode = 1;
}
setTimeout(() => {
  console.error("bench:storm: something still held the event loop 5 s after the run; exiting");
  process.exit(process.exitCode ?? 1);
}, 5000).unref();
